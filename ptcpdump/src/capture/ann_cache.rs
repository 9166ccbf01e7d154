//! The annotations of recent packets, each built, rendered and numbered once: the capture
//! loop's fast path. A packet from the same attachment and threads as the one before costs one
//! compare; from another recent one, one hash of five integers; only a new one looks processes
//! and containers up, allocates and formats. An entry goes when a process it names execs,
//! forks or exits (not when any process does: busy machines start hundreds a second), and all
//! of them on every tick (container metadata may have arrived).
use std::{
    collections::HashMap,
    hash::{BuildHasherDefault, Hasher},
};

use crate::annotate::{Annotation, Rendered};

/// Attachment, the named end's pid and tid, the other end's pid and tid.
pub type AnnKey = (u32, u32, u32, u32, u32);

pub struct Entry {
    pub ann: Annotation,
    pub rendered: Rendered,
    /// Unique for this entry's lifetime: what the file writer keys its comments on.
    pub serial: u64,
    /// The processes the annotation shows: both ends and their parents.
    pids: [u32; 4],
}

#[derive(Default)]
pub struct AnnCache {
    index: HashMap<AnnKey, usize, BuildHasherDefault<KeyHasher>>,
    entries: Vec<Entry>,
    last: Option<(AnnKey, usize)>,
    serial: u64,
}

impl AnnCache {
    /// The entry for `key`, made by `make` when there is none.
    pub fn get_or_insert_with(
        &mut self,
        key: AnnKey,
        make: impl FnOnce() -> (Annotation, Rendered),
    ) -> &Entry {
        if let Some((k, i)) = self.last
            && k == key
        {
            return &self.entries[i];
        }
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                let (ann, rendered) = make();
                let pid = |p: &Option<std::sync::Arc<crate::annotate::ProcessInfo>>| {
                    p.as_ref().map(|p| p.pid).unwrap_or(0)
                };
                let pids = [key.1, key.3, pid(&ann.owner.parent), pid(&ann.peer.parent)];
                self.serial += 1;
                self.entries.push(Entry {
                    ann,
                    rendered,
                    serial: self.serial,
                    pids,
                });
                let i = self.entries.len() - 1;
                self.index.insert(key, i);
                i
            }
        };
        self.last = Some((key, i));
        &self.entries[i]
    }

    pub fn clear(&mut self) {
        self.index.clear();
        self.entries.clear();
        self.last = None;
    }

    /// Drops the entries that show process `pid` (it exec'd, forked or exited).
    pub fn forget(&mut self, pid: u32) {
        if pid == 0 || !self.entries.iter().any(|e| e.pids.contains(&pid)) {
            return;
        }
        let keys: Vec<(AnnKey, usize)> = self.index.drain().collect();
        let mut kept = Vec::with_capacity(self.entries.len());
        let mut old: Vec<Option<Entry>> = self.entries.drain(..).map(Some).collect();
        for (k, i) in keys {
            if let Some(e) = old[i].take()
                && !e.pids.contains(&pid)
            {
                kept.push(e);
                self.index.insert(k, kept.len() - 1);
            }
        }
        self.entries = kept;
        self.last = None;
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// A multiply-rotate hash (as rustc's FxHash) for keys of a few integers: SipHash would be
/// the loop's most expensive step, and the keys come from the kernel, not from an attacker
/// who could pick colliding ones (a pid and tid are the kernel's to choose).
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(n: &mut u32) -> impl FnOnce() -> (Annotation, Rendered) + '_ {
        || {
            *n += 1;
            (Annotation::default(), Rendered::default())
        }
    }

    #[test]
    fn built_once_per_key_until_a_process_it_shows_changes() {
        let mut c = AnnCache::default();
        let mut made = 0;
        let a = c
            .get_or_insert_with((1, 10, 10, 20, 20), make(&mut made))
            .serial;
        let b = c
            .get_or_insert_with((1, 30, 30, 0, 0), make(&mut made))
            .serial;
        assert_ne!(a, b);
        assert_eq!(
            c.get_or_insert_with((1, 10, 10, 20, 20), make(&mut made))
                .serial,
            a
        );
        assert_eq!(made, 2);
        // Process 99 is in neither entry: both stay.
        c.forget(99);
        assert_eq!(c.len(), 2);
        // The other end of the first one execs: only that entry goes, and comes back anew.
        c.forget(20);
        assert_eq!(c.len(), 1);
        assert_eq!(
            c.get_or_insert_with((1, 30, 30, 0, 0), make(&mut made))
                .serial,
            b
        );
        let a2 = c
            .get_or_insert_with((1, 10, 10, 20, 20), make(&mut made))
            .serial;
        assert_ne!(a2, a);
        assert_eq!(made, 3);
        c.clear();
        assert_eq!(c.len(), 0);
    }
}
