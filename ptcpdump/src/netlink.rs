//! A minimal rtnetlink client (NETLINK_ROUTE): requests with their acknowledgement or dump, and
//! multicast notifications. Written from the UAPI (`linux/netlink.h`, `linux/rtnetlink.h`): the
//! attach code uses it for `clsact` qdiscs and `cls_bpf` filters (no `tc` binary at run time) and
//! the interface watcher for RTNLGRP_LINK. A socket stays bound to the network namespace of the
//! thread that opened it, so requests on it reach that namespace from any thread.
use std::{
    io,
    os::fd::{AsRawFd, FromRawFd as _, OwnedFd, RawFd},
};

const NLMSG_HDRLEN: usize = 16;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
pub const NLM_F_REQUEST: u16 = 0x1;
pub const NLM_F_ACK: u16 = 0x4;
pub const NLM_F_EXCL: u16 = 0x200;
pub const NLM_F_CREATE: u16 = 0x400;
pub const NLM_F_DUMP: u16 = 0x300;

/// `RTMGRP_LINK`: notifications of new, changed and deleted links.
pub const RTMGRP_LINK: u32 = 1;

/// An rtnetlink socket.
pub struct Socket {
    fd: OwnedFd,
    seq: u32,
}

/// One message received: its type and its payload (after the netlink header).
pub struct Message {
    pub kind: u16,
    pub payload: Vec<u8>,
}

impl Socket {
    /// Opens a socket in the calling thread's network namespace, subscribed to `groups`
    /// (a bit mask of `RTMGRP_*`, 0 for none).
    pub fn open(groups: u32) -> io::Result<Socket> {
        // SAFETY: plain socket(2); the fd is owned below.
        let fd = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_ROUTE,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a new fd nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: sockaddr_nl is plain data; zero is a valid start.
        let mut sa: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        sa.nl_family = libc::AF_NETLINK as u16;
        sa.nl_groups = groups;
        // SAFETY: binding with a valid sockaddr_nl of the given size.
        let rc = unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&sa as *const libc::sockaddr_nl).cast(),
                size_of::<libc::sockaddr_nl>() as u32,
            )
        };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        // Extended acknowledgements carry the kernel's reason text; not needed, but a capped ack
        // keeps the replies to our requests small.
        let one: libc::c_int = 1;
        // SAFETY: setsockopt with an int option value.
        unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                libc::SOL_NETLINK,
                libc::NETLINK_CAP_ACK,
                (&one as *const libc::c_int).cast(),
                size_of::<libc::c_int>() as u32,
            )
        };
        Ok(Socket { fd, seq: 1 })
    }

    /// Sends one request and returns the messages of its answer: nothing for an acknowledged
    /// change, every entry for a dump (`NLM_F_DUMP`). A negative acknowledgement is the error.
    pub fn request(&mut self, kind: u16, flags: u16, body: &[u8]) -> io::Result<Vec<Message>> {
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        let len = NLMSG_HDRLEN + body.len();
        let mut msg = Vec::with_capacity(len);
        msg.extend_from_slice(&(len as u32).to_ne_bytes());
        msg.extend_from_slice(&kind.to_ne_bytes());
        msg.extend_from_slice(&(flags | NLM_F_REQUEST | NLM_F_ACK).to_ne_bytes());
        msg.extend_from_slice(&seq.to_ne_bytes());
        msg.extend_from_slice(&0u32.to_ne_bytes());
        msg.extend_from_slice(body);
        // SAFETY: sending our own buffer; the kernel is the default destination (pid 0).
        let rc = unsafe { libc::send(self.fd.as_raw_fd(), msg.as_ptr().cast(), msg.len(), 0) };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut out = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = self.recv(&mut buf)?;
            for (hdr_kind, hdr_seq, payload) in split(&buf[..n]) {
                if hdr_seq != seq {
                    continue;
                }
                match hdr_kind {
                    NLMSG_ERROR => {
                        let code = payload
                            .get(..4)
                            .map(|b| i32::from_ne_bytes(b.try_into().unwrap_or([0; 4])))
                            .unwrap_or(0);
                        if code != 0 {
                            return Err(io::Error::from_raw_os_error(-code));
                        }
                        return Ok(out);
                    }
                    NLMSG_DONE => return Ok(out),
                    k => out.push(Message {
                        kind: k,
                        payload: payload.to_vec(),
                    }),
                }
            }
        }
    }

    /// Messages waiting on the socket (multicast notifications), without blocking. An overrun
    /// (ENOBUFS: notifications were lost) is reported as one empty message of kind 0, which
    /// tells the caller to look at everything again.
    pub fn drain(&mut self) -> Vec<Message> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            // SAFETY: receiving into our own buffer.
            let n = unsafe {
                libc::recv(
                    self.fd.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    libc::MSG_DONTWAIT,
                )
            };
            if n < 0 {
                if io::Error::last_os_error().raw_os_error() == Some(libc::ENOBUFS) {
                    out.push(Message {
                        kind: 0,
                        payload: Vec::new(),
                    });
                    continue;
                }
                return out;
            }
            if n == 0 {
                return out;
            }
            for (kind, _, payload) in split(&buf[..n as usize]) {
                out.push(Message {
                    kind,
                    payload: payload.to_vec(),
                });
            }
        }
    }

    fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            // SAFETY: receiving into the caller's buffer.
            let n =
                unsafe { libc::recv(self.fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
            if n >= 0 {
                return Ok(n as usize);
            }
            let e = io::Error::last_os_error();
            // A notification overrun on a subscribed socket does not end a request.
            if !matches!(e.raw_os_error(), Some(libc::EINTR) | Some(libc::ENOBUFS)) {
                return Err(e);
            }
        }
    }
}

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// The messages of one datagram: (type, sequence number, payload).
fn split(mut b: &[u8]) -> Vec<(u16, u32, &[u8])> {
    let mut v = Vec::new();
    while b.len() >= NLMSG_HDRLEN {
        let len = u32::from_ne_bytes(b[..4].try_into().expect("4 bytes")) as usize;
        if len < NLMSG_HDRLEN || len > b.len() {
            break;
        }
        let kind = u16::from_ne_bytes([b[4], b[5]]);
        let seq = u32::from_ne_bytes(b[8..12].try_into().expect("4 bytes"));
        v.push((kind, seq, &b[NLMSG_HDRLEN..len]));
        b = &b[align(len).min(b.len())..];
    }
    v
}

const fn align(n: usize) -> usize {
    (n + 3) & !3
}

/// Netlink attributes being built (`struct nlattr` + value, each padded to 4 bytes).
#[derive(Default)]
pub struct Attrs(pub Vec<u8>);

impl Attrs {
    pub fn put(&mut self, kind: u16, value: &[u8]) -> &mut Self {
        let len = 4 + value.len();
        self.0.extend_from_slice(&(len as u16).to_ne_bytes());
        self.0.extend_from_slice(&kind.to_ne_bytes());
        self.0.extend_from_slice(value);
        self.0.resize(align(self.0.len()), 0);
        self
    }

    pub fn put_u32(&mut self, kind: u16, v: u32) -> &mut Self {
        self.put(kind, &v.to_ne_bytes())
    }

    /// A NUL-terminated string.
    pub fn put_str(&mut self, kind: u16, s: &str) -> &mut Self {
        let mut b = s.as_bytes().to_vec();
        b.push(0);
        self.put(kind, &b)
    }

    /// A nested attribute (`NLA_F_NESTED` set, as the kernel's strict validation wants).
    pub fn put_nested(&mut self, kind: u16, inner: &Attrs) -> &mut Self {
        self.put(kind | 0x8000, &inner.0)
    }
}

/// The attributes in `b`: (type without flag bits, value).
pub fn attrs(mut b: &[u8]) -> Vec<(u16, &[u8])> {
    let mut v = Vec::new();
    while b.len() >= 4 {
        let len = u16::from_ne_bytes([b[0], b[1]]) as usize;
        let kind = u16::from_ne_bytes([b[2], b[3]]) & 0x3fff;
        if len < 4 || len > b.len() {
            break;
        }
        v.push((kind, &b[4..len]));
        b = &b[align(len).min(b.len())..];
    }
    v
}

/// A NUL-terminated string attribute's text.
pub fn attr_str(v: &[u8]) -> &str {
    let end = v.iter().position(|&c| c == 0).unwrap_or(v.len());
    std::str::from_utf8(&v[..end]).unwrap_or("")
}

pub fn attr_u32(v: &[u8]) -> Option<u32> {
    Some(u32::from_ne_bytes(v.get(..4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_round_trip_with_padding_and_nesting() {
        let mut inner = Attrs::default();
        inner.put_u32(1, 7).put_str(2, "abc");
        let mut a = Attrs::default();
        a.put_str(1, "bpf").put_nested(2, &inner);
        assert_eq!(a.0.len() % 4, 0);
        let top = attrs(&a.0);
        assert_eq!(top.len(), 2);
        assert_eq!(attr_str(top[0].1), "bpf");
        assert_eq!(top[1].0, 2, "the nested flag is masked off");
        let inner = attrs(top[1].1);
        assert_eq!(attr_u32(inner[0].1), Some(7));
        assert_eq!(attr_str(inner[1].1), "abc");
    }

    #[test]
    fn truncated_attributes_stop_without_panicking() {
        let mut a = Attrs::default();
        a.put_str(1, "hello world");
        for cut in 0..a.0.len() {
            let _ = attrs(&a.0[..cut]);
        }
        assert!(attrs(&a.0[..6]).is_empty());
    }

    #[test]
    fn dump_of_links_lists_loopback() {
        // RTM_GETLINK dump with an empty ifinfomsg: every namespace has lo.
        let mut s = Socket::open(0).expect("netlink socket");
        let body = [0u8; 16];
        let msgs = s
            .request(libc::RTM_GETLINK, NLM_F_DUMP, &body)
            .expect("dump");
        let names: Vec<String> = msgs
            .iter()
            .filter(|m| m.kind == libc::RTM_NEWLINK && m.payload.len() >= 16)
            .flat_map(|m| {
                attrs(&m.payload[16..])
                    .into_iter()
                    .filter(|(k, _)| *k == libc::IFLA_IFNAME)
                    .map(|(_, v)| attr_str(v).to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(names.iter().any(|n| n == "lo"), "{names:?}");
    }
}
