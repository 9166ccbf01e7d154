//! Novell IPX (Internetwork Packet Exchange; Novell "IPX Router Specification"), with its SAP
//! and RIP payloads; tcpdump's print-ipx.c. NetBIOS over IPX is not decoded (tcpdump's Debian
//! build has no SMB printers either).

use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const IPX_SIZE: u32 = 30;
const IPX_SKT_NCP: u16 = 0x0451;
const IPX_SKT_SAP: u16 = 0x0452;
const IPX_SKT_RIP: u16 = 0x0453;
const IPX_SKT_NETBIOS: u16 = 0x0455;
const IPX_SKT_DIAGNOSTICS: u16 = 0x0456;
const IPX_SKT_NWLINK_DGM: u16 = 0x0553;
const IPX_SKT_EIGRP: u16 = 0x85be;

/// SAP service types (tcpdump's `ipxsap_db`; the first entry of a value wins).
const IPXSAP_NAMES: &[(u32, &str)] = &[
    (0x0000, "Unknown"),
    (0x0001, "User"),
    (0x0002, "User Group"),
    (0x0003, "PrintQueue"),
    (0x0004, "FileServer"),
    (0x0005, "JobServer"),
    (0x0006, "Gateway"),
    (0x0007, "PrintServer"),
    (0x0008, "ArchiveQueue"),
    (0x0009, "ArchiveServer"),
    (0x000a, "JobQueue"),
    (0x000b, "Administration"),
    (0x000f, "Novell TI-RPC"),
    (0x0017, "Diagnostics"),
    (0x0020, "NetBIOS"),
    (0x0021, "NAS SNA Gateway"),
    (0x0023, "NACS AsyncGateway"),
    (0x0024, "RemoteBridge/RoutingService"),
    (0x0026, "BridgeServer"),
    (0x0027, "TCP/IP Gateway"),
    (0x0028, "Point-to-point X.25 BridgeServer"),
    (0x0029, "3270 Gateway"),
    (0x002a, "CHI Corp"),
    (0x002c, "PC Chalkboard"),
    (0x002d, "TimeSynchServer"),
    (0x002e, "ARCserve5.0/PalindromeBackup"),
    (0x0045, "DI3270 Gateway"),
    (0x0047, "AdvertisingPrintServer"),
    (0x004a, "NetBlazerModems"),
    (0x004b, "BtrieveVAP"),
    (0x004c, "NetwareSQL"),
    (0x004d, "XtreeNetwork"),
    (0x0050, "BtrieveVAP4.11"),
    (0x0052, "QuickLink"),
    (0x0053, "PrintQueueUser"),
    (0x0058, "Multipoint X.25 Router"),
    (0x0060, "STLB/NLM"),
    (0x0064, "ARCserve"),
    (0x0066, "ARCserve3.0"),
    (0x0072, "WAN CopyUtility"),
    (0x007a, "TES-NetwareVMS"),
    (0x0092, "WATCOM Debugger/EmeraldTapeBackupServer"),
    (0x0095, "DDA OBGYN"),
    (0x0098, "NetwareAccessServer"),
    (0x009a, "Netware for VMS II/NamedPipeServer"),
    (0x009b, "NetwareAccessServer"),
    (0x009e, "PortableNetwareServer/SunLinkNVT"),
    (0x00a1, "PowerchuteAPC UPS"),
    (0x00aa, "LAWserve"),
    (0x00ac, "CompaqIDA StatusMonitor"),
    (0x0100, "PIPE STAIL"),
    (0x0102, "LAN ProtectBindery"),
    (0x0103, "OracleDataBaseServer"),
    (0x0107, "Netware386/RSPX RemoteConsole"),
    (0x010f, "NovellSNA Gateway"),
    (0x0111, "TestServer"),
    (0x0112, "HP PrintServer"),
    (0x0114, "CSA MUX"),
    (0x0115, "CSA LCA"),
    (0x0116, "CSA CM"),
    (0x0117, "CSA SMA"),
    (0x0118, "CSA DBA"),
    (0x0119, "CSA NMA"),
    (0x011a, "CSA SSA"),
    (0x011b, "CSA STATUS"),
    (0x011e, "CSA APPC"),
    (0x0126, "SNA TEST SSA Profile"),
    (0x012a, "CSA TRACE"),
    (0x012b, "NetwareSAA"),
    (0x012e, "IKARUS VirusScan"),
    (0x0130, "CommunicationsExecutive"),
    (0x0133, "NNS DomainServer/NetwareNamingServicesDomain"),
    (0x0135, "NetwareNamingServicesProfile"),
    (0x0137, "Netware386 PrintQueue/NNS PrintQueue"),
    (0x0141, "LAN SpoolServer"),
    (0x0152, "IRMALAN Gateway"),
    (0x0154, "NamedPipeServer"),
    (0x0166, "NetWareManagement"),
    (0x0168, "Intel PICKIT CommServer/Intel CAS TalkServer"),
    (0x0173, "Compaq"),
    (0x0174, "Compaq SNMP Agent"),
    (0x0175, "Compaq"),
    (0x0180, "XTreeServer/XTreeTools"),
    (0x018a, "NASI ServicesBroadcastServer"),
    (0x01b0, "GARP Gateway"),
    (0x01b1, "Binfview"),
    (0x01bf, "IntelLanDeskManager"),
    (0x01ca, "AXTEC"),
    (0x01cb, "ShivaNetModem/E"),
    (0x01cc, "ShivaLanRover/E"),
    (0x01cd, "ShivaLanRover/T"),
    (0x01ce, "ShivaUniversal"),
    (0x01d8, "CastelleFAXPressServer"),
    (0x01da, "CastelleLANPressPrintServer"),
    (0x01dc, "CastelleFAX/Xerox7033 FaxServer/ExcelLanFax"),
    (0x01f0, "LEGATO"),
    (0x01f5, "LEGATO"),
    (0x0233, "NMS Agent/NetwareManagementAgent"),
    (0x0237, "NMS IPX Discovery/LANternReadWriteChannel"),
    (0x0238, "NMS IP Discovery/LANternTrapAlarmChannel"),
    (0x023a, "LANtern"),
    (0x023c, "MAVERICK"),
    (0x023f, "NovellSMDR"),
    (0x024e, "NetwareConnect"),
    (0x024f, "NASI ServerBroadcast Cisco"),
    (0x026a, "NMS ServiceConsole"),
    (0x026b, "TimeSynchronizationServer Netware 4.x"),
    (0x0278, "DirectoryServer Netware 4.x"),
    (0x027b, "NetwareManagementAgent"),
    (0x0280, "Novell File and Printer Sharing Service for PC"),
    (0x0304, "NovellSAA Gateway"),
    (0x0308, "COM/VERMED"),
    (0x030a, "GalacticommWorldgroupServer"),
    (0x030c, "IntelNetport2/HP JetDirect/HP Quicksilver"),
    (0x0320, "AttachmateGateway"),
    (0x0327, "MicrosoftDiagnostiocs"),
    (0x0328, "WATCOM SQL Server"),
    (0x0335, "MultiTechSystems MultisynchCommServer"),
    (0x0343, "Xylogics RemoteAccessServer/LANModem"),
    (0x0355, "ArcadaBackupExec"),
    (0x0358, "MSLCD1"),
    (0x0361, "NETINELO"),
    (0x037e, "Powerchute UPS Monitoring"),
    (0x037f, "ViruSafeNotify"),
    (0x0386, "HP Bridge"),
    (0x0387, "HP Hub"),
    (0x0394, "NetWare SAA Gateway"),
    (0x039b, "LotusNotes"),
    (0x03b7, "CertusAntiVirus"),
    (0x03c4, "ARCserve4.0"),
    (0x03c7, "LANspool3.5"),
    (0x03d7, "LexmarkPrinterServer"),
    (0x03d8, "LexmarkXLE PrinterServer"),
    (0x03dd, "BanyanENS NetwareClient"),
    (0x03de, "GuptaSequelBaseServer/NetWareSQL"),
    (0x03e1, "UnivelUnixware"),
    (0x03e4, "UnivelUnixware"),
    (0x03fc, "IntelNetport"),
    (0x03fd, "PrintServerQueue"),
    (0x040a, "ipnServer"),
    (0x040d, "LVERRMAN"),
    (0x040e, "LVLIC"),
    (0x0414, "NET Silicon (DPI)/Kyocera"),
    (0x0429, "SiteLockVirus"),
    (0x0432, "UFHELPR???"),
    (0x0433, "Synoptics281xAdvancedSNMPAgent"),
    (0x0444, "MicrosoftNT SNA Server"),
    (0x0448, "Oracle"),
    (0x044c, "ARCserve5.01"),
    (0x0457, "CanonGP55"),
    (0x045a, "QMS Printers"),
    (0x045b, "DellSCSI Array"),
    (0x0491, "NetBlazerModems"),
    (0x04ac, "OnTimeScheduler"),
    (0x04b0, "CD-Net"),
    (0x0513, "EmulexNQA"),
    (0x0520, "SiteLockChecks"),
    (0x0529, "SiteLockChecks"),
    (0x052d, "CitrixOS2 AppServer"),
    (0x0535, "Tektronix"),
    (0x0536, "Milan"),
    (0x055d, "Attachmate SNA gateway"),
    (0x056b, "IBM8235 ModemServer"),
    (0x056c, "ShivaLanRover/E PLUS"),
    (0x056d, "ShivaLanRover/T PLUS"),
    (0x0580, "McAfeeNetShield"),
    (
        0x05b8,
        "NLM to workstation communication (Revelation Software)",
    ),
    (0x05ba, "CompatibleSystemsRouters"),
    (0x05be, "CheyenneHierarchicalStorageManager"),
    (0x0606, "JCWatermarkImaging"),
    (0x060c, "AXISNetworkPrinter"),
    (0x0610, "AdaptecSCSIManagement"),
    (0x0621, "IBM AntiVirus"),
    (0x0640, "Windows95 RemoteRegistryService"),
    (0x064e, "MicrosoftIIS"),
    (
        0x067b,
        "Microsoft Win95/98 File and Print Sharing for NetWare",
    ),
    (
        0x067c,
        "Microsoft Win95/98 File and Print Sharing for NetWare",
    ),
    (0x076c, "Xerox"),
    (0x079b, "ShivaLanRover/E 115"),
    (0x079c, "ShivaLanRover/T 115"),
    (0x07b4, "CubixWorldDesk"),
    (0x07c2, "Quarterdeck IWare Connect V2.x NLM"),
    (0x07c1, "Quarterdeck IWare Connect V3.x NLM"),
    (0x0810, "ELAN License Server Demo"),
    (0x0824, "ShivaLanRoverAccessSwitch/E"),
    (0x086a, "ISSC Collector"),
    (0x087f, "ISSC DAS AgentAIX"),
    (0x0880, "Intel Netport PRO"),
    (0x0881, "Intel Netport PRO"),
    (0x0b29, "SiteLock"),
    (0x0c29, "SiteLockApplications"),
    (0x0c2c, "LicensingServer"),
    (0x2101, "PerformanceTechnologyInstantInternet"),
    (0x2380, "LAI SiteLock"),
    (0x238c, "MeetingMaker"),
    (0x4808, "SiteLockServer/SiteLockMetering"),
    (0x5555, "SiteLockUser"),
    (0x6312, "Tapeware"),
    (0x6f00, "RabbitGateway"),
    (0x7703, "MODEM"),
    (0x8002, "NetPortPrinters"),
    (0x8008, "WordPerfectNetworkVersion"),
    (0x85be, "Cisco EIGRP"),
    (0x8888, "WordPerfectNetworkVersion/QuickNetworkManagement"),
    (0x9000, "McAfeeNetShield"),
    (0x9604, "CSA-NT_MON"),
    (0xb6a8, "OceanIsleReachoutRemoteControl"),
    (0xf11f, "SiteLockMetering"),
    (0xf1ff, "SiteLock"),
    (0xf503, "Microsoft SQL Server"),
    (0xf905, "IBM TimeAndPlace"),
    (0xfbfb, "TopCallIII FaxServer"),
    (0xffff, "AnyService/Wildcard"),
];

/// `net.node` as tcpdump's `ipxaddr_string`: `%08x.%02x:%02x:...`.
fn addr(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult {
    let net = p.be_u32(off)?;
    let node = p.sub(off + 4, 6)?;
    pr!(ctx, "{:08x}.", net);
    ctx.mac(node);
    Ok(())
}

/// `ipxsap_string`: tcpdump loads its table of names only without `-n`.
fn sap_name(ctx: &mut Ctx, v: u16) {
    match tok(IPXSAP_NAMES, v as u32).filter(|_| ctx.opts.numeric == 0) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "{:04x}", v),
    }
}

/// An IPX packet. `p`: captured bytes from the IPX header on; `length`: on-the-wire length
/// (tcpdump uses the header's own length field instead).
pub fn ipx_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let _ = length;
    ctx.protocol = "ipx";
    if !ctx.eflag() {
        ctx.push("IPX ");
    }
    // Every field of one ND_PRINT is read before it prints.
    p.sub(18, 12)?;
    addr(ctx, p, 18)?;
    pr!(ctx, ".{:04x} > ", p.be_u16(28)?);
    p.sub(6, 12)?;
    addr(ctx, p, 6)?;
    pr!(ctx, ".{:04x}: ", p.be_u16(16)?);
    let length = p.be_u16(2)? as u32;
    if length < IPX_SIZE {
        pr!(ctx, "[length {} < {}]", length, IPX_SIZE);
        ctx.print_invalid();
        return Ok(());
    }
    let data = p.get(IPX_SIZE as usize..).unwrap_or(&[]);
    let length = length - IPX_SIZE;
    let dst_skt = p.be_u16(16)?;
    match dst_skt {
        IPX_SKT_NCP => pr!(ctx, "ipx-ncp {}", length),
        IPX_SKT_SAP => sap_print(ctx, data, length)?,
        IPX_SKT_RIP => rip_print(ctx, data, length)?,
        IPX_SKT_NETBIOS => pr!(ctx, "ipx-netbios {}", length),
        IPX_SKT_DIAGNOSTICS => pr!(ctx, "ipx-diags {}", length),
        IPX_SKT_NWLINK_DGM => pr!(ctx, "ipx-nwlink-dgm {}", length),
        // EIGRP over IPX: no EIGRP printer here; tcpdump would decode it.
        IPX_SKT_EIGRP => pr!(ctx, "ipx-#{:x} {}", dst_skt, length),
        _ => pr!(ctx, "ipx-#{:x} {}", dst_skt, length),
    }
    Ok(())
}

fn sap_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let command = p.be_u16(0)?;
    if length < 2 {
        ctx.print_invalid();
        return Ok(());
    }
    let mut off = 2usize;
    let mut length = length - 2;
    match command {
        1 | 3 => {
            ctx.push(if command == 1 {
                "ipx-sap-req"
            } else {
                "ipx-sap-nearest-req"
            });
            let v = p.be_u16(off)?;
            ctx.push(" ");
            sap_name(ctx, v);
        }
        2 | 4 => {
            ctx.push(if command == 2 {
                "ipx-sap-resp"
            } else {
                "ipx-sap-nearest-resp"
            });
            let mut i = 0;
            while i < 8 && length != 0 {
                if !p.has(off, 2) {
                    ctx.print_trunc();
                    return Ok(());
                }
                if length < 2 {
                    ctx.print_invalid();
                    return Ok(());
                }
                let v = p.be_u16(off)?;
                ctx.push(" ");
                sap_name(ctx, v);
                ctx.push(" '");
                off += 2;
                length -= 2;
                if length < 48 {
                    ctx.push("'");
                    ctx.print_invalid();
                    return Ok(());
                }
                // nd_printjnp: up to 48 bytes, stopping at a NUL.
                for k in 0..48 {
                    let c = p.u8_at(off + k)?;
                    if c == 0 {
                        break;
                    }
                    super::tcp::fn_print_char(ctx.out, c);
                }
                ctx.push("'");
                off += 48;
                length -= 48;
                if !p.has(off, 10) {
                    ctx.print_trunc();
                    return Ok(());
                }
                if length < 10 {
                    ctx.print_invalid();
                    return Ok(());
                }
                ctx.push(" addr ");
                addr(ctx, p, off)?;
                off += 10;
                length -= 10;
                if !p.has(off, 4) {
                    ctx.print_trunc();
                    return Ok(());
                }
                if length < 4 {
                    ctx.print_invalid();
                    return Ok(());
                }
                off += 4;
                length -= 4;
                i += 1;
            }
        }
        _ => pr!(ctx, "ipx-sap-?{:x}", command),
    }
    Ok(())
}

fn rip_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let command = p.be_u16(0)?;
    if length < 2 {
        ctx.print_invalid();
        return Ok(());
    }
    let mut off = 2usize;
    let mut length = length - 2;
    match command {
        1 => {
            ctx.push("ipx-rip-req");
            if length != 0 {
                if length < 8 {
                    ctx.print_invalid();
                    return Ok(());
                }
                let (net, hops, ticks) = (p.be_u32(off)?, p.be_u16(off + 4)?, p.be_u16(off + 6)?);
                pr!(ctx, " {:08x}/{}.{}", net, hops, ticks);
            }
        }
        2 => {
            ctx.push("ipx-rip-resp");
            let mut i = 0;
            while i < 50 && length != 0 {
                if length < 8 {
                    ctx.print_invalid();
                    return Ok(());
                }
                let (net, hops, ticks) = (p.be_u32(off)?, p.be_u16(off + 4)?, p.be_u16(off + 6)?);
                pr!(ctx, " {:08x}/{}.{}", net, hops, ticks);
                off += 8;
                length -= 8;
                i += 1;
            }
        }
        _ => pr!(ctx, "ipx-rip-?{:x}", command),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with, verbosities};

    fn run(p: &[u8]) -> (String, PResult) {
        run_with(&opts(0, false), |ctx| ipx_print(ctx, p, p.len() as u32))
    }

    // A RIP request for all networks, from node 00:0c:29:11:22:33 on net 0.
    const RIP: &[u8] = &[
        0xff, 0xff, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x04, 0x53, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x29, 0x11, 0x22, 0x33, 0x04, 0x53,
        0x00, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ];

    #[test]
    fn rip_request() {
        assert_eq!(
            run(RIP).0,
            "IPX 00000000.00:0c:29:11:22:33.0453 > 00000000.ff:ff:ff:ff:ff:ff.0453: \
             ipx-rip-req ffffffff/65535.65535"
        );
    }

    /// tcpdump's ipx test, packet 6: a SAP response.
    const SAP_RESP: &[u8] = &[
        0xff, 0xff, 0x00, 0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x04, 0x52, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0xc1, 0xbf, 0x57, 0x55, 0x04, 0x52,
        0x00, 0x02, 0x03, 0x0c, 0x30, 0x30, 0x33, 0x30, 0x43, 0x31, 0x42, 0x46, 0x35, 0x37, 0x35,
        0x35, 0x38, 0x30, 0x44, 0x30, 0x4e, 0x50, 0x49, 0x42, 0x46, 0x35, 0x37, 0x35, 0x35, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0xc1, 0xbf,
        0x57, 0x55, 0x40, 0x0c, 0x00, 0x01,
    ];

    #[test]
    fn sap_names_only_without_n() {
        let tail = " '0030C1BF575580D0NPIBF5755' addr 00000000.00:30:c1:bf:57:55";
        let out = run(SAP_RESP).0;
        assert!(
            out.ends_with(&format!(
                "ipx-sap-resp IntelNetport2/HP JetDirect/HP Quicksilver{tail}"
            )),
            "{out}"
        );
        let numeric = crate::PrintOptions {
            numeric: 1,
            ..Default::default()
        };
        let (out, _) = run_with(&numeric, |ctx| ipx_print(ctx, SAP_RESP, 96));
        assert!(out.ends_with(&format!("ipx-sap-resp 030c{tail}")), "{out}");
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(RIP, &verbosities(0), |ctx, p| {
            ipx_print(ctx, p, p.len() as u32)
        });
        assert_eq!(
            run(&RIP[..20]),
            ("IPX ".to_string(), Err(crate::cursor::Truncated))
        );
    }
}
