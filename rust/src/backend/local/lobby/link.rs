//! Reliable, ordered lobby messages between two instances over datagrams:
//! numbered messages, cumulative acknowledgements, resending after a
//! quiet spell, and "the peer is gone" when a message stays unacknowledged
//! too long. Loopback rarely drops a datagram, but a full socket buffer
//! does, and a lobby must not lose a member's join or a chat line to it.
//! A plain state machine: the caller passes the time and sends the
//! datagrams it gets back.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap as HashMap;

use crate::p2p::SteamId;

/// Messages sent but not yet acknowledged, at most (more wait their turn).
const WINDOW: usize = 32;
/// Messages waiting per peer before the peer counts as gone (a peer that
/// reads nothing for that long is not coming back).
pub const MAX_QUEUED: usize = 4096;

/// One peer's half of a link.
#[derive(Debug)]
struct Peer {
    /// The peer's incarnation as we last heard it (0: not yet).
    their_incarnation: u64,
    /// The next sequence number we expect from the peer.
    next_in: u32,
    /// The sequence number of `queue[0]`.
    first_out: u32,
    /// Messages not yet acknowledged, oldest first.
    queue: VecDeque<Vec<u8>>,
    /// When the oldest unacknowledged message was first sent.
    oldest_sent: Option<Instant>,
    /// When the window was last (re)sent.
    last_sent: Option<Instant>,
    /// When we last sent anything (keepalives fill the silence).
    last_activity: Instant,
    /// Messages of the window that were sent at least once.
    sent_count: usize,
}

impl Peer {
    /// A link with nothing sent or received yet (`their_incarnation` 0:
    /// not heard from).
    fn new(their_incarnation: u64, now: Instant) -> Self {
        Self {
            their_incarnation,
            next_in: 0,
            first_out: 0,
            queue: VecDeque::new(),
            oldest_sent: None,
            last_sent: None,
            last_activity: now,
            sent_count: 0,
        }
    }
}

/// A datagram to send: to whom, and its lobby payload.
pub type Outgoing = (SteamId, Vec<u8>);

/// What a received link datagram gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    /// Messages now delivered, in order.
    Messages(Vec<Vec<u8>>),
    /// The peer restarted (a new incarnation): whatever we shared with its
    /// old self is gone. Its first messages follow in `Messages` next time
    /// it sends them.
    Restarted,
    /// Nothing new (a duplicate, an acknowledgement).
    Nothing,
}

/// Every link of one instance.
#[derive(Debug)]
pub struct Links {
    incarnation: u64,
    resend_after: Duration,
    gone_after: Duration,
    peers: HashMap<SteamId, Peer>,
}

/// Datagram types of the link layer (the first payload byte).
pub const LINK_DATA: u8 = 1;
/// An acknowledgement.
pub const LINK_ACK: u8 = 2;

impl Links {
    /// Links of an instance whose start is told apart by `incarnation`;
    /// a peer counts as gone once a message waits `gone_after` unanswered.
    pub fn new(incarnation: u64, gone_after: Duration) -> Self {
        Self {
            incarnation,
            resend_after: (gone_after / 16)
                .clamp(Duration::from_millis(20), Duration::from_millis(250)),
            gone_after,
            peers: HashMap::default(),
        }
    }

    fn peer(&mut self, id: SteamId, now: Instant) -> &mut Peer {
        self.peers.entry(id).or_insert_with(|| Peer::new(0, now))
    }

    /// Queues `message` for `to`; false (and nothing queued) when the
    /// peer's queue is full.
    pub fn send(&mut self, to: SteamId, message: Vec<u8>, now: Instant) -> bool {
        let peer = self.peer(to, now);
        if peer.queue.len() >= MAX_QUEUED {
            return false;
        }
        peer.queue.push_back(message);
        true
    }

    /// Whether `to` has heard from us lately (else a keepalive is due).
    pub fn quiet_since(&self, to: SteamId) -> Option<Instant> {
        self.peers.get(&to).map(|p| p.last_activity)
    }

    /// Forgets a peer entirely (after it is gone, or when nothing is shared).
    pub fn forget(&mut self, peer: SteamId) {
        self.peers.remove(&peer);
    }

    /// Whether anything waits to be acknowledged by `peer`.
    pub fn is_idle(&self, peer: SteamId) -> bool {
        self.peers.get(&peer).is_none_or(|p| p.queue.is_empty())
    }

    /// Handles a link datagram (`payload` after the link type byte) from
    /// `from`; answers (acknowledgements) go to `out`.
    pub fn receive(
        &mut self,
        from: SteamId,
        kind: u8,
        mut payload: &[u8],
        now: Instant,
        out: &mut Vec<Outgoing>,
    ) -> Received {
        use bytes::Buf;
        let me = self.incarnation;
        match kind {
            LINK_DATA if payload.len() >= 16 => {
                let their = payload.get_u64_le();
                let base = payload.get_u32_le();
                let seq = payload.get_u32_le();
                let peer = self.peer(from, now);
                if peer.their_incarnation == 0 {
                    // A peer we hold nothing of (new, or forgotten when it
                    // went silent): it still has everything from `base` on.
                    peer.next_in = base;
                }
                let restarted = peer.their_incarnation != 0 && peer.their_incarnation != their;
                if restarted {
                    // Its old self's unacknowledged messages can never be
                    // answered: start over with the new one.
                    *peer = Peer::new(their, now);
                    return Received::Restarted;
                }
                peer.their_incarnation = their;
                let delivered = if seq == peer.next_in {
                    peer.next_in = peer.next_in.wrapping_add(1);
                    Received::Messages(vec![payload.to_vec()])
                } else {
                    // A repeat (or one past a gap): the sender resends in order.
                    Received::Nothing
                };
                out.push((from, encode_ack(me, their, peer.next_in)));
                delivered
            }
            LINK_ACK if payload.len() >= 20 => {
                let _their = payload.get_u64_le();
                let acked_incarnation = payload.get_u64_le();
                let next = payload.get_u32_le();
                if acked_incarnation != me {
                    return Received::Nothing;
                }
                if let Some(peer) = self.peers.get_mut(&from) {
                    let acked = next.wrapping_sub(peer.first_out) as usize;
                    if acked > 0 && acked <= peer.sent_count {
                        peer.queue.drain(..acked);
                        peer.first_out = next;
                        peer.sent_count -= acked;
                        // The rest of the window was sent when it was; the
                        // clock restarts for the new oldest message.
                        peer.oldest_sent = (!peer.queue.is_empty()).then_some(now);
                        if peer.sent_count == 0 {
                            peer.last_sent = None;
                        }
                    }
                }
                Received::Nothing
            }
            _ => Received::Nothing,
        }
    }

    /// Sends what is due (new messages within the window, the window again
    /// after a quiet spell) and returns the peers that stopped answering.
    pub fn poll(&mut self, now: Instant, out: &mut Vec<Outgoing>) -> Vec<SteamId> {
        let mut gone = Vec::new();
        let me = self.incarnation;
        for (id, peer) in &mut self.peers {
            if peer
                .oldest_sent
                .is_some_and(|t| now.duration_since(t) >= self.gone_after)
            {
                gone.push(*id);
                continue;
            }
            let resend = peer
                .last_sent
                .is_some_and(|t| now.duration_since(t) >= self.resend_after);
            let from = if resend { 0 } else { peer.sent_count };
            let upto = peer.queue.len().min(WINDOW);
            if from >= upto {
                continue;
            }
            for i in from..upto {
                let seq = peer.first_out.wrapping_add(i as u32);
                out.push((*id, encode_data(me, peer.first_out, seq, &peer.queue[i])));
            }
            peer.sent_count = upto;
            peer.last_sent = Some(now);
            peer.last_activity = now;
            peer.oldest_sent.get_or_insert(now);
        }
        for id in &gone {
            self.peers.remove(id);
        }
        gone
    }
}

/// `[LINK_DATA][u64 incarnation][u32 oldest unacknowledged][u32 seq][message]`.
fn encode_data(me: u64, base: u32, seq: u32, message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + 16 + message.len());
    out.push(LINK_DATA);
    out.extend_from_slice(&me.to_le_bytes());
    out.extend_from_slice(&base.to_le_bytes());
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(message);
    out
}

/// `[LINK_ACK][u64 incarnation][u64 the acknowledged incarnation][u32 next expected]`.
fn encode_ack(me: u64, their: u64, next: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + 20);
    out.push(LINK_ACK);
    out.extend_from_slice(&me.to_le_bytes());
    out.extend_from_slice(&their.to_le_bytes());
    out.extend_from_slice(&next.to_le_bytes());
    out
}

#[cfg(test)]
#[allow(non_snake_case)]
mod tests {
    use super::*;

    use crate::backend::local::config::LocalConfig;

    const GONE: Duration = Duration::from_millis(1000);

    /// Delivers `out` to `to`, dropping those `drop` says, and returns the
    /// messages it delivered.
    fn deliver(
        to: &mut Links,
        from: SteamId,
        out: Vec<Outgoing>,
        now: Instant,
        drop: impl Fn(usize) -> bool,
        answers: &mut Vec<Outgoing>,
    ) -> Vec<Vec<u8>> {
        let mut got = Vec::new();
        for (i, (_, bytes)) in out.into_iter().enumerate() {
            if drop(i) {
                continue;
            }
            if let Received::Messages(m) = to.receive(from, bytes[0], &bytes[1..], now, answers) {
                got.extend(m);
            }
        }
        got
    }

    fn ids() -> (SteamId, SteamId) {
        (LocalConfig::steam_id(1), LocalConfig::steam_id(2))
    }

    #[test]
    fn lost_datagrams_are_sent_again_in_order() {
        let (A, B) = ids();
        let t0 = Instant::now();
        let (mut a, mut b) = (Links::new(11, GONE), Links::new(22, GONE));
        for i in 0..5u8 {
            assert!(a.send(B, vec![i], t0));
        }
        let mut out = Vec::new();
        a.poll(t0, &mut out);
        assert_eq!(out.len(), 5);
        let mut acks = Vec::new();
        // The second is lost: only the first arrives in order.
        let got = deliver(&mut b, A, out, t0, |i| i == 1, &mut acks);
        assert_eq!(got, vec![vec![0]]);
        deliver(&mut a, B, acks, t0, |_| false, &mut Vec::new());
        // Nothing is resent before the quiet spell...
        let mut out = Vec::new();
        a.poll(t0 + Duration::from_millis(10), &mut out);
        assert!(out.is_empty());
        // ...then the rest of the window is.
        let t1 = t0 + Duration::from_millis(70);
        a.poll(t1, &mut out);
        assert_eq!(out.len(), 4);
        let mut acks = Vec::new();
        let got = deliver(&mut b, A, out, t1, |_| false, &mut acks);
        assert_eq!(got, vec![vec![1], vec![2], vec![3], vec![4]]);
        deliver(&mut a, B, acks, t1, |_| false, &mut Vec::new());
        assert!(a.is_idle(B));
    }

    #[test]
    fn a_peer_that_never_answers_is_gone_after_the_timeout() {
        let (_, B) = ids();
        let t0 = Instant::now();
        let mut a = Links::new(11, GONE);
        a.send(B, vec![1], t0);
        let mut out = Vec::new();
        assert!(a.poll(t0, &mut out).is_empty());
        assert!(a.poll(t0 + GONE / 2, &mut out).is_empty());
        assert_eq!(a.poll(t0 + GONE, &mut out), vec![B]);
        assert!(a.is_idle(B), "a gone peer is forgotten");
    }

    #[test]
    fn a_restarted_peer_starts_a_new_link() {
        let (A, B) = ids();
        let t0 = Instant::now();
        let (mut a, mut b) = (Links::new(11, GONE), Links::new(22, GONE));
        a.send(B, vec![1], t0);
        let mut out = Vec::new();
        a.poll(t0, &mut out);
        deliver(&mut b, A, out, t0, |_| false, &mut Vec::new());
        // A comes back as a new process: B hears of the restart, then the
        // new A's first message.
        let mut a2 = Links::new(33, GONE);
        a2.send(B, vec![9], t0);
        let mut out = Vec::new();
        a2.poll(t0, &mut out);
        let (_, bytes) = &out[0];
        let mut acks = Vec::new();
        assert_eq!(
            b.receive(A, bytes[0], &bytes[1..], t0, &mut acks),
            Received::Restarted
        );
        assert_eq!(
            b.receive(A, bytes[0], &bytes[1..], t0, &mut acks),
            Received::Messages(vec![vec![9]])
        );
    }

    #[test]
    fn the_queue_is_bounded() {
        let (_, B) = ids();
        let t0 = Instant::now();
        let mut a = Links::new(11, GONE);
        for _ in 0..MAX_QUEUED {
            assert!(a.send(B, vec![0], t0));
        }
        assert!(!a.send(B, vec![0], t0));
    }
}
