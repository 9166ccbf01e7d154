//! Network interfaces of the calling thread's network namespace, through rtnetlink
//! (`if_nameindex`) and interface ioctls, not sysfs: under `nsenter --net` or in a thread that
//! entered another namespace, /sys/class/net still shows the namespace sysfs was mounted in.
use std::ffi::CStr;

use crate::{
    linktype,
    sll2::{ARPHRD_ETHER, ARPHRD_LOOPBACK},
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Iface {
    pub index: u32,
    pub name: String,
    /// LINKTYPE of the bytes a TC program sees: Ethernet, or raw IP for devices without a MAC
    /// header (tun, wireguard, ipip, ...).
    pub linktype: u32,
    /// ARPHRD_ type and MAC address (zero without one), for LINUX_SLL2 headers (sll2.rs).
    pub hatype: u16,
    pub hwaddr: [u8; 6],
    pub up: bool,
    pub running: bool,
    pub loopback: bool,
    /// Inode of the interface's network namespace, and whether that is ptcpdump's own.
    pub netns_inode: u64,
    pub foreign_netns: bool,
}

impl Iface {
    /// The interface as a LINUX_SLL2 header describes it.
    pub fn sll2_device(&self) -> crate::sll2::Device {
        crate::sll2::Device {
            ifindex: self.index,
            hatype: self.hatype,
            hwaddr: self.hwaddr,
        }
    }

    /// The name as printed: `IFNAME`, or `IFNAME@NETNS_INODE` for another namespace's interface.
    pub fn display_name(&self) -> String {
        if self.foreign_netns {
            format!("{}@{}", self.name, self.netns_inode)
        } else {
            self.name.clone()
        }
    }

    /// The name as printed on a terminal: a name is any bytes but `/`, `:` and whitespace, and
    /// whoever is root in a container's network namespace chooses it.
    pub fn shown_name(&self) -> String {
        ptcpdump_meta::text::shown(&self.display_name()).into_owned()
    }
}

/// Inode of the calling thread's network namespace.
pub fn current_netns_inode() -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata("/proc/thread-self/ns/net")
        .map(|m| m.ino())
        .unwrap_or(0)
}

fn ioctl_ifreq(sock: i32, name: &str, req: libc::c_ulong) -> Option<libc::ifreq> {
    let mut ifr: libc::ifreq = unsafe { std::mem::zeroed() };
    let b = name.as_bytes();
    if b.len() >= ifr.ifr_name.len() {
        return None;
    }
    for (d, s) in ifr.ifr_name.iter_mut().zip(b) {
        *d = *s as libc::c_char;
    }
    // SAFETY: ifreq is the argument these ioctls take.
    (unsafe { libc::ioctl(sock, req, &mut ifr) } == 0).then_some(ifr)
}

/// Interfaces of the calling thread's network namespace. `own_netns` is ptcpdump's own
/// namespace inode (names of other namespaces' interfaces get the `@INODE` suffix).
pub fn list_in(own_netns: u64) -> Vec<Iface> {
    let mut v = Vec::new();
    let netns_inode = current_netns_inode();
    // SAFETY: a throwaway socket for ioctls, closed below.
    let sock = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if sock < 0 {
        return v;
    }
    // SAFETY: if_nameindex returns an array ending with a zero entry, freed below.
    let list = unsafe { libc::if_nameindex() };
    if !list.is_null() {
        let mut p = list;
        loop {
            let e = unsafe { &*p };
            if e.if_index == 0 || e.if_name.is_null() {
                break;
            }
            let name = unsafe { CStr::from_ptr(e.if_name) }
                .to_string_lossy()
                .into_owned();
            let flags = ioctl_ifreq(sock, &name, libc::SIOCGIFFLAGS)
                .map(|r| unsafe { r.ifr_ifru.ifru_flags } as i32)
                .unwrap_or(0);
            let hw = ioctl_ifreq(sock, &name, libc::SIOCGIFHWADDR)
                .map(|r| unsafe { r.ifr_ifru.ifru_hwaddr });
            let family = hw.map(|h| h.sa_family).unwrap_or(0);
            let mut hwaddr = [0u8; 6];
            if family == ARPHRD_ETHER
                && let Some(h) = hw
            {
                for (d, s) in hwaddr.iter_mut().zip(h.sa_data.iter()) {
                    *d = *s as u8;
                }
            }
            let linktype = match family {
                ARPHRD_ETHER | ARPHRD_LOOPBACK => linktype::ETHERNET,
                _ => linktype::RAW,
            };
            v.push(Iface {
                index: e.if_index,
                name,
                linktype,
                hatype: family,
                hwaddr,
                up: flags & libc::IFF_UP != 0,
                running: flags & libc::IFF_RUNNING != 0,
                loopback: flags & libc::IFF_LOOPBACK != 0,
                netns_inode,
                foreign_netns: own_netns != 0 && netns_inode != own_netns,
            });
            p = unsafe { p.add(1) };
        }
        unsafe { libc::if_freenameindex(list) };
    }
    unsafe { libc::close(sock) };
    v.sort_by_key(|i| i.index);
    v
}

/// `-D`: tcpdump's listing, numbered by interface index.
pub fn print_list(ifaces: &[Iface]) {
    for i in ifaces {
        let mut tags = Vec::new();
        if i.up {
            tags.push("Up");
        }
        if i.running {
            tags.push("Running");
        }
        if i.loopback {
            tags.push("Loopback");
        }
        println!("{}.{} [{}]", i.index, i.shown_name(), tags.join(", "));
    }
    println!("any (Pseudo-device that captures on all interfaces) [Up, Running]");
}

/// The interface tcpdump would pick without `-i`: the first one that is up and not loopback.
pub fn default_iface(all: &[Iface]) -> Option<&Iface> {
    all.iter()
        .find(|i| i.up && !i.loopback)
        .or_else(|| all.iter().find(|i| i.loopback))
}

/// Notifications of new or changed links in the namespace of the thread that opened it
/// (rtnetlink, `RTNLGRP_LINK`): the capture looks at a namespace's interfaces again only when
/// the kernel said something changed there, instead of polling.
pub struct LinkWatch {
    sock: crate::netlink::Socket,
}

impl LinkWatch {
    pub fn open() -> std::io::Result<LinkWatch> {
        Ok(LinkWatch {
            sock: crate::netlink::Socket::open(crate::netlink::RTMGRP_LINK)?,
        })
    }

    /// Whether a link appeared or changed since the last call (or notifications were lost).
    /// Never blocks.
    pub fn changed(&mut self) -> bool {
        self.sock
            .drain()
            .iter()
            .any(|m| m.kind == libc::RTM_NEWLINK || m.kind == 0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_escaped_for_the_terminal() {
        let i = super::Iface {
            index: 7,
            name: "ev\x1b]0;x\x07".into(),
            linktype: 1,
            hatype: 1,
            hwaddr: [0; 6],
            up: true,
            running: true,
            loopback: false,
            netns_inode: 4026532000,
            foreign_netns: true,
        };
        assert_eq!(i.shown_name(), r"ev\x1b]0;x\x07@4026532000");
    }

    #[test]
    fn loopback_is_listed_as_ethernet() {
        let all = super::list_in(0);
        let lo = all
            .iter()
            .find(|i| i.name == "lo")
            .expect("every netns has lo");
        assert_eq!(lo.index, 1);
        assert!(lo.loopback && lo.up);
        assert_eq!(lo.linktype, super::linktype::ETHERNET);
        assert_eq!(
            (lo.hatype, lo.hwaddr),
            (crate::sll2::ARPHRD_LOOPBACK, [0; 6])
        );
        assert!(!lo.foreign_netns);
        assert_eq!(lo.display_name(), "lo");
    }

    #[test]
    fn link_watch_is_quiet_until_a_link_changes() {
        // Needs CAP_NET_ADMIN for the change; a fresh namespace keeps other links out.
        if unsafe { libc::geteuid() } != 0 {
            return;
        }
        std::thread::spawn(|| {
            // SAFETY: this thread only; it ends with the test.
            assert_eq!(unsafe { libc::unshare(libc::CLONE_NEWNET) }, 0);
            let mut w = super::LinkWatch::open().expect("watch");
            assert!(!w.changed(), "nothing happened yet");
            let lo = std::ffi::CString::new("lo").unwrap();
            // SAFETY: ifreq ioctls on a throwaway socket, closed below.
            unsafe {
                let s = libc::socket(libc::AF_INET, libc::SOCK_DGRAM, 0);
                let mut ifr: libc::ifreq = std::mem::zeroed();
                for (d, c) in ifr.ifr_name.iter_mut().zip(lo.as_bytes()) {
                    *d = *c as libc::c_char;
                }
                ifr.ifr_ifru.ifru_flags = libc::IFF_UP as i16;
                assert_eq!(libc::ioctl(s, libc::SIOCSIFFLAGS, &ifr), 0);
                libc::close(s);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(w.changed(), "lo going up is a link change");
            assert!(!w.changed(), "drained");
        })
        .join()
        .unwrap();
    }
}
