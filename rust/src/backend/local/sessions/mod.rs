//! Steam's P2P session rules for the local backend, without any I/O: who we
//! talk to, what is held until accepted, what is ready to read, and which
//! callbacks are due. Time is passed in, so every rule is unit-tested.

use std::collections::{BTreeSet, VecDeque};

// SteamIds and channels come from local peers only (a few dozen at most),
// so a fast hash without flood resistance is enough.
use rustc_hash::FxHashMap as HashMap;
use std::time::{Duration, Instant};

use super::fair::FairQueue;
use crate::p2p::{Channel, Event, Packet, SessionError, SteamId};

/// How the table's bounds and timers are set.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// A silent peer's session fails after this long.
    pub timeout: Duration,
    /// While a peer keeps sending unaccepted, its request repeats this often.
    pub request_repeat: Duration,
    /// Unreliable bytes held or queued per peer before new ones are dropped.
    pub unreliable_budget: usize,
}

/// A packet waiting to be read, or held until its session is accepted.
#[derive(Debug)]
struct Queued {
    sender: SteamId,
    channel: Channel,
    data: Vec<u8>,
    reliable: bool,
}

#[derive(Debug)]
struct Session {
    /// Accepted by us (explicitly, or by sending to the peer).
    accepted: bool,
    /// The peer has answered since the session began (a packet, or a
    /// pong): the connection is up, whatever send types carry the traffic.
    answered: bool,
    /// Channels used in either direction; closing the last closes the session.
    channels: BTreeSet<Channel>,
    /// Packets that arrived before acceptance, in order.
    held: VecDeque<Queued>,
    last_heard: Instant,
    /// When the last `p2p_session_request` was raised, and whether packets
    /// arrived since.
    last_request: Option<Instant>,
    sent_since_request: bool,
}

/// A packet that left the table (read, or dropped with its session): the
/// transport gives its bytes back to the sender's flow-control budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Released {
    /// Whose budget.
    pub sender: SteamId,
    /// How many bytes.
    pub bytes: usize,
    /// Which budget: reliable (TCP) or unreliable (UDP).
    pub reliable: bool,
}

/// Every P2P session of one local instance.
#[derive(Debug)]
pub struct SessionTable {
    rules: Rules,
    sessions: HashMap<SteamId, Session>,
    /// Readable packets per channel: each sender's in arrival order, the
    /// senders in turn (so no peer's flood starves another).
    ready: HashMap<Channel, FairQueue<Queued>>,
    /// Unreliable bytes per peer, held or ready (bounded by `rules`).
    unreliable_bytes: HashMap<SteamId, usize>,
    events: Vec<Event>,
    released: Vec<Released>,
}

impl Session {
    fn new(now: Instant, accepted: bool) -> Self {
        Self {
            accepted,
            answered: false,
            channels: BTreeSet::new(),
            held: VecDeque::new(),
            last_heard: now,
            last_request: None,
            sent_since_request: false,
        }
    }
}

/// Removes and returns the packets `pred` picks, keeping the others in order.
fn take_where(queue: &mut VecDeque<Queued>, pred: impl Fn(&Queued) -> bool) -> Vec<Queued> {
    let (taken, kept): (Vec<Queued>, Vec<Queued>) = queue.drain(..).partition(|p| pred(p));
    *queue = kept.into();
    taken
}

impl SessionTable {
    /// An empty table.
    pub fn new(rules: Rules) -> Self {
        Self {
            rules,
            sessions: HashMap::default(),
            ready: HashMap::default(),
            unreliable_bytes: HashMap::default(),
            events: Vec::new(),
            released: Vec::new(),
        }
    }

    /// Files a packet that arrived from `sender`. Returns false if it was
    /// dropped (an unreliable packet over its peer's budget).
    pub fn on_packet(
        &mut self,
        now: Instant,
        sender: SteamId,
        channel: Channel,
        data: Vec<u8>,
        reliable: bool,
    ) -> bool {
        if !reliable {
            let used = self.unreliable_bytes.entry(sender).or_default();
            if *used + data.len() > self.rules.unreliable_budget {
                return false;
            }
            *used += data.len();
        }
        let session = self
            .sessions
            .entry(sender)
            .or_insert_with(|| Session::new(now, false));
        session.last_heard = now;
        session.answered = true;
        session.channels.insert(channel);
        let packet = Queued {
            sender,
            channel,
            data,
            reliable,
        };
        if session.accepted {
            self.ready.entry(channel).or_default().push(sender, packet);
        } else {
            session.held.push_back(packet);
            session.sent_since_request = true;
            if session.last_request.is_none() {
                session.last_request = Some(now);
                session.sent_since_request = false;
                self.events.push(Event::SessionRequest(sender));
            }
        }
        true
    }

    /// Notes that `peer` answered a ping.
    pub fn heard_from(&mut self, now: Instant, peer: SteamId) {
        if let Some(session) = self.sessions.get_mut(&peer) {
            session.last_heard = now;
            session.answered = true;
        }
    }

    /// `acceptP2PSessionWithUser`: releases held packets in order. Returns
    /// true if this opened the session or accepted it (not if it already was).
    pub fn accept(&mut self, now: Instant, peer: SteamId) -> bool {
        let mut opened = false;
        let session = self.sessions.entry(peer).or_insert_with(|| {
            opened = true;
            Session::new(now, true)
        });
        if !session.accepted {
            opened = true;
            session.accepted = true;
            session.last_heard = now;
            for packet in session.held.drain(..) {
                self.ready
                    .entry(packet.channel)
                    .or_default()
                    .push(peer, packet);
            }
        }
        opened
    }

    /// Sending to `peer` on `channel`: accepts implicitly, as Steam does.
    /// Returns true if this opened or accepted the session.
    pub fn on_send(&mut self, now: Instant, peer: SteamId, channel: Channel) -> bool {
        let opened = self.accept(now, peer);
        if let Some(session) = self.sessions.get_mut(&peer) {
            session.channels.insert(channel);
        }
        opened
    }

    /// Whether there is a session with `peer`.
    pub fn has_session(&self, peer: SteamId) -> bool {
        self.sessions.contains_key(&peer)
    }

    /// Whether `peer`'s session is accepted (vs. only requested).
    #[cfg(test)]
    pub fn is_accepted(&self, peer: SteamId) -> bool {
        self.sessions.get(&peer).is_some_and(|s| s.accepted)
    }

    /// Steam's `connection_active`: accepted, and the peer has answered.
    /// Otherwise a session is `connecting`.
    pub fn is_active(&self, peer: SteamId) -> bool {
        self.sessions
            .get(&peer)
            .is_some_and(|s| s.accepted && s.answered)
    }

    /// Peers of accepted sessions: those we ping. A pending request lives
    /// only as long as its peer keeps sending.
    pub fn accepted_peers(&self) -> impl Iterator<Item = SteamId> + '_ {
        self.sessions
            .iter()
            .filter(|(_, s)| s.accepted)
            .map(|(peer, _)| *peer)
    }

    fn release(&mut self, packet: &Queued) {
        if !packet.reliable
            && let Some(used) = self.unreliable_bytes.get_mut(&packet.sender)
        {
            *used = used.saturating_sub(packet.data.len());
        }
        self.released.push(Released {
            sender: packet.sender,
            bytes: packet.data.len(),
            reliable: packet.reliable,
        });
    }

    /// Drops the session and everything queued from `peer`.
    fn remove(&mut self, peer: SteamId) -> bool {
        let Some(session) = self.sessions.remove(&peer) else {
            return false;
        };
        let mut dropped: Vec<Queued> = session.held.into();
        for queue in self.ready.values_mut() {
            dropped.extend(queue.take_sender(peer));
        }
        for packet in &dropped {
            self.release(packet);
        }
        self.unreliable_bytes.remove(&peer);
        true
    }

    /// `closeP2PSessionWithUser`: false if there was no session.
    pub fn close_session(&mut self, peer: SteamId) -> bool {
        self.remove(peer)
    }

    /// The peer closed its session with us: ours ends too, quietly (Steam
    /// posts no callback for a peer's close). Packets we had accepted
    /// stay readable, as they were delivered before the close; held ones
    /// go with the request. A later packet from the peer is a new request.
    /// Returns false if there was no session.
    pub fn peer_closed(&mut self, peer: SteamId) -> bool {
        self.end(peer)
    }

    /// Ends the session with `peer` without taking back what it delivered:
    /// accepted packets stay readable, held ones go.
    fn end(&mut self, peer: SteamId) -> bool {
        let Some(session) = self.sessions.remove(&peer) else {
            return false;
        };
        for packet in &session.held {
            self.release(packet);
        }
        true
    }

    /// `closeP2PChannelWithUser`: false if the channel was not open. Closing
    /// the last channel closes the session.
    pub fn close_channel(&mut self, peer: SteamId, channel: Channel) -> bool {
        let Some(session) = self.sessions.get_mut(&peer) else {
            return false;
        };
        if !session.channels.remove(&channel) {
            return false;
        }
        if session.channels.is_empty() {
            return self.remove(peer);
        }
        let mut dropped = take_where(&mut session.held, |p| p.channel == channel);
        if let Some(queue) = self.ready.get_mut(&channel) {
            dropped.extend(queue.take_sender(peer));
        }
        for packet in &dropped {
            self.release(packet);
        }
        true
    }

    /// Whether some channel has a packet to read.
    pub fn has_ready(&self) -> bool {
        self.ready.values().any(|queue| !queue.is_empty())
    }

    /// Size of the next readable packet on `channel`.
    pub fn available(&self, channel: Channel) -> Option<u32> {
        self.ready
            .get(&channel)?
            .front()
            .map(|p| p.data.len() as u32)
    }

    /// Takes the next packet on `channel`, truncated to `max_len` bytes.
    pub fn read(&mut self, channel: Channel, max_len: usize) -> Option<Packet> {
        let packet = self.ready.get_mut(&channel)?.pop()?;
        self.release(&packet);
        let Queued {
            sender, mut data, ..
        } = packet;
        data.truncate(max_len);
        Some(Packet { sender, data })
    }

    /// Raises repeated requests and times out silent peers (what they had
    /// delivered stays readable).
    pub fn tick(&mut self, now: Instant) {
        let mut expired = Vec::new();
        for (peer, session) in &mut self.sessions {
            if now.duration_since(session.last_heard) > self.rules.timeout {
                expired.push((*peer, session.accepted));
                continue;
            }
            let due = session
                .last_request
                .is_some_and(|at| now.duration_since(at) >= self.rules.request_repeat);
            if !session.accepted && session.sent_since_request && due {
                session.last_request = Some(now);
                session.sent_since_request = false;
                self.events.push(Event::SessionRequest(*peer));
            }
        }
        for (peer, accepted) in expired {
            self.end(peer);
            // Only a session we took part in fails visibly; an unaccepted
            // request from a vanished peer just goes away.
            if accepted {
                self.events
                    .push(Event::ConnectFail(peer, SessionError::Timeout as u8));
            }
        }
    }

    /// Reports a session that failed for a transport reason.
    pub fn fail(&mut self, peer: SteamId, error: SessionError) {
        if self.end(peer) {
            self.events.push(Event::ConnectFail(peer, error as u8));
        }
    }

    /// Moves pending callbacks out, oldest first.
    pub fn take_events(&mut self, out: &mut Vec<Event>) {
        out.append(&mut self.events);
    }

    /// Moves released packets out, for flow control.
    pub fn take_released(&mut self) -> std::vec::Drain<'_, Released> {
        self.released.drain(..)
    }
}

#[cfg(test)]
mod tests;
