//! Where the capture program looks for the far end of an interface's packets
//! (`ATTACH_PEER`, `ptcpdump_common::PEER_*`): on loopback both ends are in the interface's
//! namespace; on a veth (or netkit) the far end is in its peer's namespace, which the kernel
//! names by a namespace id relative to ours (`IFLA_LINK_NETNSID`), the form `bpf_sk_lookup_*`
//! takes. Asked once per interface with one `RTM_GETLINK`; must run in the interface's
//! namespace (like the rest of attaching).
//!
//! For a veth the cookie of the peer's namespace is looked for too (among the namespaces of
//! running processes): ping sockets cannot be looked up, so the kernel names an echo exchange
//! it only sees from this side after that namespace's newest ICMP socket.
use std::os::fd::{AsRawFd as _, FromRawFd as _, OwnedFd};

use ptcpdump_common::{AttachPeer, PEER_NSID_BASE, PEER_SAME_NETNS};

use crate::ifaces::Iface;

const RTM_GETLINK: u16 = 18;
const RTM_NEWLINK: u16 = 16;
const NLMSG_ERROR: u16 = 2;
const NLM_F_REQUEST: u16 = 1;
const IFLA_LINKINFO: u16 = 18;
const IFLA_LINK_NETNSID: u16 = 37;
const IFLA_INFO_KIND: u16 = 1;

/// Where the far end of `iface`'s packets is; `PEER_NONE` when the kernel does not say.
pub fn far_end(iface: &Iface) -> AttachPeer {
    let same = AttachPeer {
        far: PEER_SAME_NETNS,
        netns_cookie: 0,
    };
    if iface.loopback {
        return same;
    }
    match link_info(iface.index) {
        Some(Link {
            kind: Kind::Pair,
            netnsid: Some(id),
        }) if id >= 0 => AttachPeer {
            far: PEER_NSID_BASE + id as u64,
            netns_cookie: cookie_of_nsid(id).unwrap_or(0),
        },
        Some(Link {
            kind: Kind::Pair,
            netnsid: None,
        }) => same,
        _ => AttachPeer::default(),
    }
}

/// The cookie of the namespace whose id, relative to the calling thread's, is `nsid`: found
/// among the namespaces of running processes (each one asked once), read by a thread that
/// enters it.
fn cookie_of_nsid(nsid: i32) -> Option<u64> {
    let mut seen = std::collections::HashSet::new();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let name = entry.file_name();
        if !name
            .to_str()
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        {
            continue;
        }
        let path = entry.path().join("ns/net");
        let Ok(link) = std::fs::read_link(&path) else {
            continue;
        };
        if !seen.insert(link) {
            continue;
        }
        let Ok(f) = std::fs::File::open(&path) else {
            continue;
        };
        if nsid_of_fd(f.as_raw_fd()) == Some(nsid) {
            return netns_cookie_in(f);
        }
    }
    None
}

const RTM_GETNSID: u16 = 90;
const RTM_NEWNSID: u16 = 88;
const NETNSA_NSID: u16 = 1;
const NETNSA_FD: u16 = 3;

/// The id the calling thread's namespace gives the namespace `fd` (RTM_GETNSID), if any.
fn nsid_of_fd(fd: i32) -> Option<i32> {
    let sock = netlink_socket()?;
    // nlmsghdr (16) + rtgenmsg (1, padded to 4) + NETNSA_FD attribute (8).
    let mut req = [0u8; 28];
    req[0..4].copy_from_slice(&28u32.to_ne_bytes());
    req[4..6].copy_from_slice(&RTM_GETNSID.to_ne_bytes());
    req[6..8].copy_from_slice(&NLM_F_REQUEST.to_ne_bytes());
    req[8..12].copy_from_slice(&1u32.to_ne_bytes());
    req[16] = libc::AF_UNSPEC as u8;
    req[20..22].copy_from_slice(&8u16.to_ne_bytes());
    req[22..24].copy_from_slice(&NETNSA_FD.to_ne_bytes());
    req[24..28].copy_from_slice(&(fd as u32).to_ne_bytes());
    let reply = request(&sock, &req)?;
    if u16::from_ne_bytes(reply.get(4..6)?.try_into().ok()?) != RTM_NEWNSID {
        return None;
    }
    attrs(reply.get(20..)?)
        .find(|(t, v)| *t == NETNSA_NSID && v.len() >= 4)
        .and_then(|(_, v)| Some(i32::from_ne_bytes(v[..4].try_into().ok()?)))
        .filter(|id| *id >= 0)
}

/// SO_NETNS_COOKIE of a socket made by a short-lived thread inside the namespace `ns`.
fn netns_cookie_in(ns: std::fs::File) -> Option<u64> {
    std::thread::spawn(move || {
        // SAFETY: setns on this thread only (it ends right after).
        if unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
            return None;
        }
        const SO_NETNS_COOKIE: libc::c_int = 71;
        // SAFETY: a throwaway socket; getsockopt writes at most len bytes.
        unsafe {
            let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
            if fd < 0 {
                return None;
            }
            let fd = OwnedFd::from_raw_fd(fd);
            let mut v: u64 = 0;
            let mut len = std::mem::size_of::<u64>() as libc::socklen_t;
            let rc = libc::getsockopt(
                fd.as_raw_fd(),
                libc::SOL_SOCKET,
                SO_NETNS_COOKIE,
                (&mut v as *mut u64).cast(),
                &mut len,
            );
            (rc == 0 && v != 0).then_some(v)
        }
    })
    .join()
    .ok()
    .flatten()
}

fn netlink_socket() -> Option<OwnedFd> {
    // SAFETY: a netlink socket we own from here on.
    let fd = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            libc::NETLINK_ROUTE,
        )
    };
    (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Sends one request to the kernel and returns its reply (the first message).
fn request(sock: &OwnedFd, req: &[u8]) -> Option<Vec<u8>> {
    let raw = sock.as_raw_fd();
    // SAFETY: sending our buffer on our socket (to the kernel: no address needed).
    if unsafe { libc::send(raw, req.as_ptr().cast(), req.len(), 0) } != req.len() as isize {
        return None;
    }
    let mut buf = vec![0u8; 16384];
    // SAFETY: receiving into our buffer.
    let n = unsafe { libc::recv(raw, buf.as_mut_ptr().cast(), buf.len(), 0) };
    if n <= 0 {
        return None;
    }
    buf.truncate(n as usize);
    Some(buf)
}

#[derive(Debug, PartialEq)]
enum Kind {
    /// A device whose every packet goes to or comes from one other device: veth, netkit.
    Pair,
    Other,
}

#[derive(Debug, PartialEq)]
struct Link {
    kind: Kind,
    netnsid: Option<i32>,
}

fn link_info(index: u32) -> Option<Link> {
    let sock = netlink_socket()?;
    // nlmsghdr (16 bytes) + ifinfomsg (16 bytes).
    let mut req = [0u8; 32];
    req[0..4].copy_from_slice(&32u32.to_ne_bytes());
    req[4..6].copy_from_slice(&RTM_GETLINK.to_ne_bytes());
    req[6..8].copy_from_slice(&NLM_F_REQUEST.to_ne_bytes());
    req[8..12].copy_from_slice(&1u32.to_ne_bytes());
    req[16] = libc::AF_UNSPEC as u8;
    req[20..24].copy_from_slice(&(index as i32).to_ne_bytes());
    parse_newlink(&request(&sock, &req)?)
}

/// The reply to our request: one RTM_NEWLINK (or an error).
fn parse_newlink(msg: &[u8]) -> Option<Link> {
    let u16_at = |b: &[u8], o: usize| Some(u16::from_ne_bytes(b.get(o..o + 2)?.try_into().ok()?));
    let len = u32::from_ne_bytes(msg.get(0..4)?.try_into().ok()?) as usize;
    let ty = u16_at(msg, 4)?;
    if ty == NLMSG_ERROR || ty != RTM_NEWLINK {
        return None;
    }
    let body = msg.get(32..len.min(msg.len()))?;
    let mut link = Link {
        kind: Kind::Other,
        netnsid: None,
    };
    for (t, v) in attrs(body) {
        match t {
            IFLA_LINK_NETNSID if v.len() >= 4 => {
                link.netnsid = Some(i32::from_ne_bytes(v[..4].try_into().ok()?));
            }
            IFLA_LINKINFO => {
                for (it, iv) in attrs(v) {
                    if it == IFLA_INFO_KIND {
                        let kind = iv.split(|&b| b == 0).next().unwrap_or(&[]);
                        if kind == b"veth" || kind == b"netkit" {
                            link.kind = Kind::Pair;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Some(link)
}

/// Netlink attributes (`struct rtattr`: length, type, value padded to 4 bytes).
fn attrs(mut b: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if b.len() < 4 {
            return None;
        }
        let len = u16::from_ne_bytes([b[0], b[1]]) as usize;
        // NLA_F_NESTED and NLA_F_NET_BYTEORDER are flags, not part of the type.
        let ty = u16::from_ne_bytes([b[2], b[3]]) & 0x3fff;
        if len < 4 || len > b.len() {
            return None;
        }
        let v = &b[4..len];
        b = b.get((len + 3) & !3..).unwrap_or(&[]);
        Some((ty, v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(ty: u16, v: &[u8]) -> Vec<u8> {
        let mut a = Vec::new();
        a.extend_from_slice(&((4 + v.len()) as u16).to_ne_bytes());
        a.extend_from_slice(&ty.to_ne_bytes());
        a.extend_from_slice(v);
        while a.len() % 4 != 0 {
            a.push(0);
        }
        a
    }

    fn newlink(body: &[u8]) -> Vec<u8> {
        let mut m = vec![0u8; 32];
        m[0..4].copy_from_slice(&((32 + body.len()) as u32).to_ne_bytes());
        m[4..6].copy_from_slice(&RTM_NEWLINK.to_ne_bytes());
        m.extend_from_slice(body);
        m
    }

    #[test]
    fn veth_with_a_peer_namespace() {
        let mut body = attr(3, b"veth0\0");
        body.extend(attr(
            IFLA_LINKINFO | 0x8000,
            &attr(IFLA_INFO_KIND, b"veth\0"),
        ));
        body.extend(attr(IFLA_LINK_NETNSID, &7i32.to_ne_bytes()));
        assert_eq!(
            parse_newlink(&newlink(&body)),
            Some(Link {
                kind: Kind::Pair,
                netnsid: Some(7)
            })
        );
    }

    #[test]
    fn bridge_and_errors() {
        let body = attr(IFLA_LINKINFO, &attr(IFLA_INFO_KIND, b"bridge\0"));
        assert_eq!(
            parse_newlink(&newlink(&body)),
            Some(Link {
                kind: Kind::Other,
                netnsid: None
            })
        );
        let mut err = newlink(&[0; 4]);
        err[4..6].copy_from_slice(&NLMSG_ERROR.to_ne_bytes());
        assert_eq!(parse_newlink(&err), None);
        // A truncated attribute ends the walk without reading past the buffer.
        let mut bad = attr(IFLA_LINK_NETNSID, &7i32.to_ne_bytes());
        bad[0] = 200;
        assert_eq!(parse_newlink(&newlink(&bad)).map(|l| l.netnsid), Some(None));
    }

    #[test]
    fn lo_and_a_veth_pair_in_one_namespace() {
        // Needs CAP_NET_ADMIN; a namespace of its own keeps the test's links to itself.
        if unsafe { libc::geteuid() } != 0 {
            return;
        }
        std::thread::spawn(|| {
            // SAFETY: this thread only; it ends with the test, and its namespace with it.
            assert_eq!(unsafe { libc::unshare(libc::CLONE_NEWNET) }, 0);
            // `ip` inherits this thread's network namespace.
            let ok = std::process::Command::new("ip")
                .args(["link", "add", "pt0", "type", "veth", "peer", "name", "pt1"])
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "ip link add");
            let all = crate::ifaces::list_in(0);
            let by = |n: &str| all.iter().find(|i| i.name == n).expect(n).clone();
            assert_eq!(far_end(&by("lo")).far, PEER_SAME_NETNS);
            assert_eq!(far_end(&by("pt0")).far, PEER_SAME_NETNS);
            // Its peer in a namespace of its own: found by its id, with its cookie.
            let ok = std::process::Command::new("sh")
                .args([
                    "-c",
                    "unshare -n sleep 5 >/dev/null 2>&1 & sleep 0.3; ip link set pt1 netns $! && echo $!",
                ])
                .output()
                .expect("sh");
            let pid = String::from_utf8_lossy(&ok.stdout).trim().to_string();
            assert!(!pid.is_empty(), "{}", String::from_utf8_lossy(&ok.stderr));
            let p = far_end(&by("pt0"));
            assert!(p.far >= PEER_NSID_BASE, "{p:?}");
            let ns = std::fs::File::open(format!("/proc/{pid}/ns/net"))
                .unwrap_or_else(|e| panic!("/proc/{pid:?}/ns/net: {e}"));
            assert_eq!(Some(p.netns_cookie), netns_cookie_in(ns), "{p:?}");
            let _ = std::process::Command::new("kill").arg(&pid).status();
        })
        .join()
        .unwrap();
    }
}
