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
mod tests {
    use super::*;
    use crate::p2p::testing::{ch, id};

    const RULES: Rules = Rules {
        timeout: Duration::from_secs(2),
        request_repeat: Duration::from_millis(500),
        unreliable_budget: 10,
    };

    fn events(table: &mut SessionTable) -> Vec<Event> {
        let mut out = Vec::new();
        table.take_events(&mut out);
        out
    }

    #[test]
    fn first_packet_requests_and_is_held_until_accept() {
        let t0 = Instant::now();
        let mut table = SessionTable::new(RULES);
        table.on_packet(t0, id(1), ch(0), b"a".to_vec(), true);
        table.on_packet(t0, id(1), ch(0), b"b".to_vec(), true);
        assert_eq!(events(&mut table), vec![Event::SessionRequest(id(1))]);
        assert_eq!(table.available(ch(0)), None);
        table.accept(t0, id(1));
        assert_eq!(table.read(ch(0), 10).unwrap().data, b"a");
        assert_eq!(table.read(ch(0), 10).unwrap().data, b"b");
        assert!(table.read(ch(0), 10).is_none());
    }

    #[test]
    fn requests_repeat_while_the_peer_keeps_sending() {
        let t0 = Instant::now();
        let mut table = SessionTable::new(RULES);
        table.on_packet(t0, id(1), ch(0), b"a".to_vec(), true);
        events(&mut table);
        table.tick(t0 + Duration::from_millis(600));
        assert!(
            events(&mut table).is_empty(),
            "no new packet, no new request"
        );
        table.on_packet(
            t0 + Duration::from_millis(700),
            id(1),
            ch(0),
            b"b".to_vec(),
            true,
        );
        table.tick(t0 + Duration::from_millis(800));
        assert_eq!(events(&mut table), vec![Event::SessionRequest(id(1))]);
        table.on_packet(
            t0 + Duration::from_millis(900),
            id(1),
            ch(0),
            b"c".to_vec(),
            true,
        );
        table.tick(t0 + Duration::from_millis(1000));
        assert!(events(&mut table).is_empty(), "not before request_repeat");
    }

    #[test]
    fn sending_accepts_implicitly() {
        let t0 = Instant::now();
        let mut table = SessionTable::new(RULES);
        table.on_packet(t0, id(1), ch(3), b"held".to_vec(), true);
        table.on_send(t0, id(1), ch(0));
        assert!(table.is_accepted(id(1)));
        assert_eq!(table.available(ch(3)), Some(4));
        // A peer we sent to first never raises a request.
        table.on_send(t0, id(2), ch(0));
        table.on_packet(t0, id(2), ch(0), b"x".to_vec(), true);
        assert_eq!(events(&mut table), vec![Event::SessionRequest(id(1))]);
        assert_eq!(table.available(ch(0)), Some(1));
    }

    #[test]
    fn channels_are_separate_queues_and_reads_truncate() {
        let t0 = Instant::now();
        let mut table = SessionTable::new(RULES);
        table.accept(t0, id(1));
        table.on_packet(t0, id(1), ch(7), b"seven".to_vec(), true);
        table.on_packet(t0, id(1), ch(0), b"zero".to_vec(), true);
        assert_eq!(table.available(ch(0)), Some(4));
        let p = table.read(ch(7), 2).unwrap();
        assert_eq!((p.sender, p.data), (id(1), b"se".to_vec()));
        assert_eq!(
            table.available(ch(7)),
            None,
            "a truncated packet is consumed"
        );
        let released: Vec<Released> = table.take_released().collect();
        assert_eq!(
            released,
            vec![Released {
                sender: id(1),
                bytes: 5,
                reliable: true
            }]
        );
    }

    #[test]
    fn close_session_drops_everything_and_a_new_packet_requests_again() {
        let t0 = Instant::now();
        let mut table = SessionTable::new(RULES);
        table.accept(t0, id(1));
        table.on_packet(t0, id(1), ch(0), b"abc".to_vec(), true);
        table.on_packet(t0, id(2), ch(0), b"other".to_vec(), true);
        assert!(table.close_session(id(1)));
        assert!(!table.close_session(id(1)));
        assert_eq!(table.take_released().count(), 1);
        assert!(!table.has_session(id(1)));
        events(&mut table);
        table.on_packet(t0, id(1), ch(0), b"again".to_vec(), true);
        assert_eq!(events(&mut table), vec![Event::SessionRequest(id(1))]);
    }

    #[test]
    fn closing_the_last_channel_closes_the_session() {
        let t0 = Instant::now();
        let mut table = SessionTable::new(RULES);
        table.on_send(t0, id(1), ch(0));
        table.on_packet(t0, id(1), ch(1), b"one".to_vec(), true);
        assert!(!table.close_channel(id(1), ch(5)), "never used");
        assert!(table.close_channel(id(1), ch(1)));
        assert_eq!(table.available(ch(1)), None, "its packets are dropped");
        assert!(table.has_session(id(1)));
        assert!(table.close_channel(id(1), ch(0)));
        assert!(!table.has_session(id(1)));
        assert!(!table.close_channel(id(1), ch(0)));
    }

    #[test]
    fn silent_accepted_peers_time_out_with_a_connect_fail() {
        let t0 = Instant::now();
        let mut table = SessionTable::new(RULES);
        table.on_send(t0, id(1), ch(0));
        table.on_packet(t0, id(1), ch(4), b"last words".to_vec(), true);
        table.on_packet(t0, id(2), ch(0), b"x".to_vec(), true);
        events(&mut table);
        table.heard_from(t0 + Duration::from_secs(1), id(1));
        table.tick(t0 + Duration::from_millis(2500));
        assert!(table.has_session(id(1)), "heard within the timeout");
        assert!(!table.has_session(id(2)), "unaccepted and silent: gone");
        assert!(
            events(&mut table).is_empty(),
            "no fail for an unaccepted request"
        );
        table.tick(t0 + Duration::from_millis(3100));
        assert_eq!(
            events(&mut table),
            vec![Event::ConnectFail(id(1), SessionError::Timeout as u8)]
        );
        assert!(!table.has_session(id(1)));
        assert_eq!(
            table.read(ch(4), 64).map(|p| p.data),
            Some(b"last words".to_vec()),
            "what it delivered stays readable"
        );
        assert_eq!(
            table.read(ch(0), 64),
            None,
            "the request's held packet went"
        );
    }

    #[test]
    fn a_flooding_peer_does_not_starve_another() {
        let t0 = Instant::now();
        let mut table = SessionTable::new(RULES);
        table.accept(t0, id(1));
        table.accept(t0, id(2));
        for _ in 0..1000 {
            table.on_packet(t0, id(1), ch(0), vec![1; 100], true);
        }
        table.on_packet(t0, id(2), ch(0), b"late".to_vec(), true);
        let senders: Vec<SteamId> = (0..3)
            .map(|_| table.read(ch(0), 100).unwrap().sender)
            .collect();
        assert_eq!(senders, vec![id(1), id(2), id(1)]);
    }

    #[test]
    fn unreliable_packets_are_bounded_per_peer() {
        let t0 = Instant::now();
        let mut table = SessionTable::new(RULES);
        table.accept(t0, id(1));
        table.accept(t0, id(2));
        assert!(table.on_packet(t0, id(1), ch(0), vec![0; 6], false));
        assert!(
            !table.on_packet(t0, id(1), ch(0), vec![0; 6], false),
            "over budget: dropped"
        );
        assert!(
            table.on_packet(t0, id(2), ch(0), vec![0; 6], false),
            "another peer has its own budget"
        );
        assert!(
            table.on_packet(t0, id(1), ch(0), vec![0; 6], true),
            "reliable is not dropped"
        );
        table.read(ch(0), 100);
        assert!(
            table.on_packet(t0, id(1), ch(0), vec![0; 6], false),
            "reading frees the budget"
        );
    }

    #[test]
    fn a_session_is_active_once_accepted_and_answered() {
        let t0 = Instant::now();
        let mut table = SessionTable::new(RULES);
        assert!(table.on_send(t0, id(1), ch(0)), "opened by the send");
        assert!(!table.on_send(t0, id(1), ch(1)), "already open");
        assert!(!table.is_active(id(1)), "connecting until the peer answers");
        table.heard_from(t0, id(1));
        assert!(table.is_active(id(1)), "a pong is an answer");
        table.on_packet(t0, id(2), ch(0), b"x".to_vec(), false);
        assert!(!table.is_active(id(2)), "a pending request is not active");
        assert_eq!(table.accepted_peers().collect::<Vec<_>>(), vec![id(1)]);
        assert!(
            table.accept(t0, id(2)),
            "accepting a request counts as opening"
        );
        assert!(table.is_active(id(2)), "it has answered already");
    }

    #[test]
    fn a_peer_close_ends_the_session_quietly_and_keeps_what_was_delivered() {
        let t0 = Instant::now();
        let mut table = SessionTable::new(RULES);
        table.accept(t0, id(1));
        table.on_packet(t0, id(1), ch(0), b"delivered".to_vec(), true);
        table.on_packet(t0, id(2), ch(0), b"held".to_vec(), true);
        events(&mut table);
        assert!(table.peer_closed(id(1)));
        assert!(table.peer_closed(id(2)));
        assert!(!table.peer_closed(id(3)), "no session");
        assert!(
            events(&mut table).is_empty(),
            "no callback for a peer's close"
        );
        assert!(!table.has_session(id(1)) && !table.has_session(id(2)));
        assert_eq!(table.read(ch(0), 64).unwrap().data, b"delivered");
        assert!(table.read(ch(0), 64).is_none(), "the held packet went");
        assert_eq!(table.take_released().count(), 2, "both budgets given back");
        table.on_packet(t0, id(1), ch(0), b"new".to_vec(), true);
        assert_eq!(events(&mut table), vec![Event::SessionRequest(id(1))]);
    }
}
