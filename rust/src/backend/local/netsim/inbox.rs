//! Where a receiver keeps simulated packets until they are due: reliable
//! ones in order per sender and channel (one that is late holds back those
//! behind it, as a real reliable stream does), unreliable ones by due time.
//! A sender's close waits for the reliable packets that came before it, and
//! whatever arrived after a close waits for the close: a new session never
//! mixes with the old one. Time is passed in.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

use rustc_hash::FxHashMap as HashMap;

use crate::p2p::{Channel, SteamId};

/// Unreliable bytes the inbox keeps at most; beyond, new ones are dropped
/// (as a full receive buffer would).
pub const UNRELIABLE_BUDGET: usize = 4 * 1024 * 1024;

/// What the inbox hands on when it is due.
#[derive(Debug, PartialEq, Eq)]
pub enum Arrival {
    /// A packet.
    Packet {
        /// Who sent it.
        sender: SteamId,
        /// On which channel.
        channel: Channel,
        /// The payload.
        data: Vec<u8>,
        /// Whether it came reliably.
        reliable: bool,
    },
    /// The sender closed its session with us.
    Closed(SteamId),
}

#[derive(Debug)]
struct Held {
    seq: u64,
    due: Instant,
    data: Vec<u8>,
}

#[derive(Debug)]
struct Loose {
    due: Instant,
    seq: u64,
    sender: SteamId,
    channel: Channel,
    data: Vec<u8>,
}

impl PartialEq for Loose {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Loose {}
impl PartialOrd for Loose {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Loose {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.due, self.seq).cmp(&(other.due, other.seq))
    }
}

/// The packets (and closes) one instance keeps until they are due.
#[derive(Debug, Default)]
pub struct Inbox {
    /// Arrival order, across everything.
    seq: u64,
    reliable: HashMap<(SteamId, Channel), VecDeque<Held>>,
    unreliable: BinaryHeap<Reverse<Loose>>,
    unreliable_bytes: usize,
    /// Per sender, the arrival numbers of its closes still waiting.
    closes: HashMap<SteamId, VecDeque<u64>>,
    /// Per sender, the arrival number of its last close handed on:
    /// unreliable packets that arrived before it belong to a session that
    /// is gone.
    closed_at: HashMap<SteamId, u64>,
    /// Unreliable packets due but waiting for an earlier close.
    parked: Vec<Loose>,
    /// The earliest time anything may be handed on.
    next_due: Option<Instant>,
}

impl Inbox {
    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.next_due.is_none() && self.parked.is_empty() && self.closes.is_empty()
    }

    /// The earliest time something may be due.
    pub fn next_due(&self) -> Option<Instant> {
        self.next_due
    }

    fn wake(&mut self, at: Instant) {
        self.next_due = Some(self.next_due.map_or(at, |d| d.min(at)));
    }

    /// Keeps `arrival` until `due` (a close: until what came before it
    /// has been handed on). Returns false if it was dropped (unreliable,
    /// over the budget).
    pub fn arrive(&mut self, now: Instant, due: Instant, arrival: Arrival) -> bool {
        self.seq += 1;
        let seq = self.seq;
        match arrival {
            Arrival::Packet {
                sender,
                channel,
                data,
                reliable: true,
            } => {
                let queue = self.reliable.entry((sender, channel)).or_default();
                queue.push_back(Held { seq, due, data });
                self.wake(due);
            }
            Arrival::Packet {
                sender,
                channel,
                data,
                reliable: false,
            } => {
                if self.unreliable_bytes + data.len() > UNRELIABLE_BUDGET {
                    return false;
                }
                self.unreliable_bytes += data.len();
                self.unreliable.push(Reverse(Loose {
                    due,
                    seq,
                    sender,
                    channel,
                    data,
                }));
                self.wake(due);
            }
            Arrival::Closed(sender) => {
                self.closes.entry(sender).or_default().push_back(seq);
                self.wake(now);
            }
        }
        true
    }

    /// The first close of `sender` still waiting.
    fn pending_close(closes: &HashMap<SteamId, VecDeque<u64>>, sender: SteamId) -> Option<u64> {
        closes.get(&sender).and_then(|c| c.front().copied())
    }

    /// Hands on, in order, everything due by `now`.
    pub fn release(&mut self, now: Instant, mut deliver: impl FnMut(Arrival)) {
        if self.next_due.is_none_or(|due| due > now) {
            return;
        }
        loop {
            for ((sender, channel), queue) in &mut self.reliable {
                let close = Self::pending_close(&self.closes, *sender);
                while let Some(front) = queue.front() {
                    if front.due > now || close.is_some_and(|s| s < front.seq) {
                        break;
                    }
                    let held = queue.pop_front().expect("a front");
                    deliver(Arrival::Packet {
                        sender: *sender,
                        channel: *channel,
                        data: held.data,
                        reliable: true,
                    });
                }
            }
            self.reliable.retain(|_, queue| !queue.is_empty());
            let closed = self.release_closes(&mut deliver);
            while let Some(Reverse(top)) = self.unreliable.peek() {
                if top.due > now {
                    break;
                }
                let Reverse(loose) = self.unreliable.pop().expect("a top");
                if self
                    .closed_at
                    .get(&loose.sender)
                    .is_some_and(|s| loose.seq < *s)
                {
                    // Sent in a session the sender has closed since.
                    self.unreliable_bytes -= loose.data.len();
                } else if Self::pending_close(&self.closes, loose.sender)
                    .is_some_and(|s| s < loose.seq)
                {
                    self.parked.push(loose);
                } else {
                    self.unreliable_bytes -= loose.data.len();
                    deliver(Arrival::Packet {
                        sender: loose.sender,
                        channel: loose.channel,
                        data: loose.data,
                        reliable: false,
                    });
                }
            }
            if !closed {
                break;
            }
            // What waited for those closes may go now.
            let closes = &self.closes;
            let (free, still): (Vec<Loose>, Vec<Loose>) =
                self.parked.drain(..).partition(|loose| {
                    Self::pending_close(closes, loose.sender).is_none_or(|s| s > loose.seq)
                });
            self.parked = still;
            self.unreliable.extend(free.into_iter().map(Reverse));
        }
        self.next_due = self.earliest();
    }

    /// Hands on each close whose sender's earlier reliable packets have all
    /// been handed on. Returns whether any was.
    fn release_closes(&mut self, deliver: &mut impl FnMut(Arrival)) -> bool {
        let mut any = false;
        let reliable = &self.reliable;
        for (sender, waiting) in &mut self.closes {
            while let Some(&seq) = waiting.front() {
                let earlier = reliable.iter().any(|((from, _), queue)| {
                    from == sender && queue.front().is_some_and(|h| h.seq < seq)
                });
                if earlier {
                    break;
                }
                waiting.pop_front();
                self.closed_at.insert(*sender, seq);
                deliver(Arrival::Closed(*sender));
                any = true;
            }
        }
        self.closes.retain(|_, waiting| !waiting.is_empty());
        any
    }

    /// The earliest due time of what may go next (packets held back by a
    /// close go when what the close waits for goes).
    fn earliest(&self) -> Option<Instant> {
        let reliable = self.reliable.iter().filter_map(|((sender, _), queue)| {
            let front = queue.front()?;
            let blocked = Self::pending_close(&self.closes, *sender).is_some_and(|s| s < front.seq);
            (!blocked).then_some(front.due)
        });
        let unreliable = self.unreliable.peek().map(|Reverse(top)| top.due);
        reliable.chain(unreliable).min()
    }
}
