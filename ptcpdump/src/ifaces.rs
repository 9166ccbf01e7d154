//! Network interfaces of the current network namespace, from sysfs.
use std::fs;

use crate::linktype;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Iface {
    pub index: u32,
    pub name: String,
    /// LINKTYPE of the bytes a TC program sees: Ethernet, or raw IP for devices without a MAC
    /// header (tun, wireguard, ipip, ...).
    pub linktype: u32,
    pub up: bool,
    pub running: bool,
    pub loopback: bool,
}

const ARPHRD_ETHER: u32 = 1;
const ARPHRD_LOOPBACK: u32 = 772;
const IFF_UP: u32 = 0x1;
const IFF_LOOPBACK: u32 = 0x8;
const IFF_RUNNING: u32 = 0x40;

fn read_u32(path: &str) -> Option<u32> {
    let s = fs::read_to_string(path).ok()?;
    let s = s.trim();
    match s.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

pub fn list() -> Vec<Iface> {
    let mut v = Vec::new();
    let Ok(dir) = fs::read_dir("/sys/class/net") else {
        return v;
    };
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let base = format!("/sys/class/net/{name}");
        let Some(index) = read_u32(&format!("{base}/ifindex")) else {
            continue;
        };
        let arphrd = read_u32(&format!("{base}/type")).unwrap_or(0);
        let flags = read_u32(&format!("{base}/flags")).unwrap_or(0);
        let linktype = match arphrd {
            ARPHRD_ETHER | ARPHRD_LOOPBACK => linktype::ETHERNET,
            _ => linktype::RAW,
        };
        v.push(Iface {
            index,
            name,
            linktype,
            up: flags & IFF_UP != 0,
            running: flags & IFF_RUNNING != 0,
            loopback: flags & IFF_LOOPBACK != 0,
        });
    }
    v.sort_by_key(|i| i.index);
    v
}

/// `-D`: tcpdump's listing, numbered by interface index.
pub fn print_list() {
    for i in list() {
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
        println!("{}.{} [{}]", i.index, i.name, tags.join(", "));
    }
    println!("any (Pseudo-device that captures on all interfaces) [Up, Running]");
}

/// The interface tcpdump would pick without `-i`: the first one that is up and not loopback.
pub fn default_iface(all: &[Iface]) -> Option<&Iface> {
    all.iter()
        .find(|i| i.up && !i.loopback)
        .or_else(|| all.iter().find(|i| i.loopback))
}

#[cfg(test)]
mod tests {
    #[test]
    fn loopback_is_listed_as_ethernet() {
        let all = super::list();
        let lo = all
            .iter()
            .find(|i| i.name == "lo")
            .expect("every netns has lo");
        assert_eq!(lo.index, 1);
        assert!(lo.loopback);
        assert_eq!(lo.linktype, super::linktype::ETHERNET);
    }
}
