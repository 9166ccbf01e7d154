//! Step 1 of a live capture: which namespaces and interfaces, and the compiled filter. Nothing
//! touches the kernel's BPF side yet, so every mistake a user can make here (unknown interface,
//! bad filter) fails before anything is loaded or attached.
use std::collections::{HashMap, HashSet};

use anyhow::{Context as _, Result, bail};
use ptcpdump_filter::Program;

use crate::{
    flags::Flags,
    ifaces::{self, Iface},
    linktype,
    netns::{self, Netns, Selection},
};

/// What the capture will attach to and filter with.
pub struct Plan {
    pub sel: Selection,
    /// Namespaces captured in (index 0 first); more are added later under `--netns any|newly`.
    pub spaces: Vec<Netns>,
    /// Named namespaces already seen (`newly` skips them).
    pub seen_named: HashSet<String>,
    /// ptcpdump's own namespace inode (interfaces elsewhere print as `IFNAME@INODE`).
    pub own_inode: u64,
    /// (index into `spaces`, interface) to attach at the start.
    pub wanted: Vec<(usize, Iface)>,
    /// `-i any`: new interfaces are attached as they appear, and vanished ones are skipped.
    pub any: bool,
    pub expr: Option<String>,
    /// Compiled filter per link type (more are compiled when another link type shows up).
    pub filters: HashMap<u32, Option<Program>>,
    pub first_linktype: u32,
    /// Per entry of `spaces`: its link notifications (None: could not subscribe, so it is
    /// listed every tick), and whether it must be listed at the next tick regardless.
    pub link_watches: Vec<Option<ifaces::LinkWatch>>,
    pub relist: Vec<bool>,
    /// New named namespaces (`--netns any|newly`), and for how many more ticks /run/netns is
    /// listed after a notification (`ip netns add` mounts the namespace a moment after
    /// creating its file).
    pub named_watch: Option<netns::NamedWatch>,
    pub named_pending: u32,
}

/// What discovery ended with: a plan, or `-d` printed the program and the run is over.
pub enum Discovered {
    Plan(Box<Plan>),
    Dumped,
}

pub fn discover(flags: &Flags, snaplen: u32) -> Result<Discovered> {
    let sel = Selection::parse(&flags.netns);
    // Subscribed before the first listing, so nothing created in between is missed.
    let named_watch = if sel.watches() {
        netns::NamedWatch::open()
            .map_err(|e| log::warn!("{e:#}: new namespaces are looked for every 250 ms"))
            .ok()
    } else {
        None
    };
    let (spaces, seen_named) = netns::initial(&sel)?;
    let link_watches: Vec<Option<ifaces::LinkWatch>> = spaces
        .iter()
        .map(|ns| ns.run(ifaces::LinkWatch::open).ok().and_then(|r| r.ok()))
        .collect();
    let own_inode = ifaces::current_netns_inode();
    let mut wanted: Vec<(usize, Iface)> = Vec::new();
    let mut any = false;
    let mut missing: Vec<String> = Vec::new();
    for (n, ns) in spaces.iter().enumerate() {
        let all = ns.run(|| ifaces::list_in(own_inode))?;
        let (a, found, miss) = resolve_interfaces(flags, &all);
        any |= a;
        wanted.extend(found.into_iter().map(|i| (n, i)));
        missing = if n == 0 {
            miss
        } else {
            missing.into_iter().filter(|m| miss.contains(m)).collect()
        };
    }
    // A name must exist in at least one of the namespaces.
    if let Some(name) = missing.first() {
        bail!("{name}: No such device exists");
    }
    if wanted.is_empty() && !sel.watches() {
        bail!("no suitable device found");
    }

    // A bad expression must fail before anything is attached.
    let expr = flags.expression()?;
    let mut filters: HashMap<u32, Option<Program>> = HashMap::new();
    let first_linktype = wanted
        .first()
        .map(|(_, i)| i.linktype)
        .unwrap_or(linktype::ETHERNET);
    filters.insert(
        first_linktype,
        super::compile(&expr, first_linktype, snaplen)?,
    );
    if flags.dump_filter > 0 {
        let prog = match &filters[&first_linktype] {
            Some(p) => p.clone(),
            None => super::compile(&Some(String::new()), first_linktype, snaplen)?
                .context("empty filter")?,
        };
        print!("{}", prog.dump(flags.dump_filter));
        return Ok(Discovered::Dumped);
    }
    Ok(Discovered::Plan(Box::new(Plan {
        sel,
        spaces,
        seen_named,
        own_inode,
        wanted,
        any,
        expr,
        filters,
        first_linktype,
        relist: vec![false; link_watches.len()],
        link_watches,
        named_watch,
        named_pending: 0,
    })))
}

/// The interfaces `-i` selects among `all` (one namespace): (any, found, names not found).
/// Without `-i`, tcpdump's default interface.
pub fn resolve_interfaces(flags: &Flags, all: &[Iface]) -> (bool, Vec<Iface>, Vec<String>) {
    if flags.interfaces.is_empty() {
        return (
            false,
            ifaces::default_iface(all).cloned().into_iter().collect(),
            Vec::new(),
        );
    }
    if flags.interfaces.iter().any(|n| n == "any") {
        return (true, all.to_vec(), Vec::new());
    }
    let mut found: Vec<Iface> = Vec::new();
    let mut missing = Vec::new();
    for name in &flags.interfaces {
        match all
            .iter()
            .find(|i| &i.name == name || i.index.to_string() == *name)
        {
            Some(i) if !found.contains(i) => found.push(i.clone()),
            Some(_) => {}
            None => missing.push(name.clone()),
        }
    }
    (false, found, missing)
}
