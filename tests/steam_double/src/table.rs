//! The P2P session rules, without files or FFI: sessions (accepted or
//! pending), held and ready packets, and the callbacks that came due.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::time::{Duration, Instant};

use steamworks_sys as sys;

use crate::steam_id;

/// What the double reports as the remote address of every session: peers
/// share one machine, so the address is loopback.
const LOOPBACK_IP: u32 = 0x7F00_0001;
/// The double's own value for the remote port (it talks through files, so
/// there is no real port): Steam's default game port, the same for every peer.
const REMOTE_PORT: u16 = 27015;
/// While a peer keeps sending unaccepted packets, its request repeats at
/// most this often.
const REQUEST_REPEAT: Duration = Duration::from_secs(1);

pub(crate) struct Packet {
    pub(crate) from: u64,
    pub(crate) channel: i32,
    pub(crate) data: Vec<u8>,
}

pub(crate) struct Session {
    /// Accepted by us (explicitly, or by sending to the peer); otherwise a
    /// pending request.
    accepted: bool,
    /// Channels used in either direction; closing the last ends the session.
    channels: BTreeSet<i32>,
    /// Packets of a pending request, in order, released on accept.
    held: VecDeque<Packet>,
    /// When the last P2PSessionRequest was posted, and whether packets
    /// arrived since.
    last_request: Option<Instant>,
    sent_since_request: bool,
}

impl Session {
    fn new(accepted: bool) -> Self {
        Self {
            accepted,
            channels: BTreeSet::new(),
            held: VecDeque::new(),
            last_request: None,
            sent_since_request: false,
        }
    }
}

/// A callback waiting for the manual dispatch (callbacks.rs).
pub(crate) enum Callback {
    Request(Box<sys::P2PSessionRequest_t>),
    Fail(Box<sys::P2PSessionConnectFail_t>),
    /// Queued by `RequestUserInformation` (friends.rs), not by the P2P rules.
    PersonaChange(Box<sys::PersonaStateChange_t>),
    /// Queued from a test's `.join_request` file (files.rs), not by the P2P
    /// rules: a friend asks to join our lobby.
    JoinRequest(Box<sys::GameLobbyJoinRequested_t>),
    /// The lobby callbacks (lobby_files.rs), not from the P2P rules.
    LobbyEnter(Box<sys::LobbyEnter_t>),
    LobbyChatUpdate(Box<sys::LobbyChatUpdate_t>),
    LobbyChatMsg(Box<sys::LobbyChatMsg_t>),
    LobbyDataUpdate(Box<sys::LobbyDataUpdate_t>),
    LobbyInvite(Box<sys::LobbyInvite_t>),
    LobbyGameCreated(Box<sys::LobbyGameCreated_t>),
    /// An API call finished; calls.rs holds its result.
    CallCompleted(Box<sys::SteamAPICallCompleted_t>),
}

impl Callback {
    /// A `GameLobbyJoinRequested_t`: `friend` asks to join `lobby`.
    pub(crate) fn join_request(lobby: u64, friend: u64) -> Self {
        Callback::JoinRequest(Box::new(sys::GameLobbyJoinRequested_t {
            m_steamIDLobby: steam_id(lobby),
            m_steamIDFriend: steam_id(friend),
        }))
    }
}

/// What `close_channel` did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ChannelClose {
    /// No session, or the channel was not open with the peer.
    NotOpen,
    /// The channel closed; the session goes on on other channels.
    Channel,
    /// It was the last open channel: the session closed with it.
    Session,
}

/// The P2P rules, without files or FFI: sessions, held and ready packets,
/// due callbacks.
#[derive(Default)]
pub(crate) struct Table {
    pub(crate) sessions: HashMap<u64, Session>,
    /// Packets ready to read, oldest first.
    pub(crate) ready: VecDeque<Packet>,
    pub(crate) callbacks: VecDeque<Callback>,
}

impl Table {
    fn post_request(&mut self, from: u64) {
        self.callbacks
            .push_back(Callback::Request(Box::new(sys::P2PSessionRequest_t {
                m_steamIDRemote: steam_id(from),
            })));
    }

    /// Files a packet from the inbox: ready if its session is accepted,
    /// otherwise held in a (possibly new) pending session.
    pub(crate) fn on_packet(&mut self, now: Instant, packet: Packet) {
        let from = packet.from;
        let session = self
            .sessions
            .entry(from)
            .or_insert_with(|| Session::new(false));
        session.channels.insert(packet.channel);
        if session.accepted {
            self.ready.push_back(packet);
            return;
        }
        session.held.push_back(packet);
        session.sent_since_request = true;
        let due = session
            .last_request
            .is_none_or(|at| now.duration_since(at) >= REQUEST_REPEAT);
        if due {
            session.last_request = Some(now);
            session.sent_since_request = false;
            self.post_request(from);
        }
    }

    /// A close notice from `from`: its session goes quietly, with its held
    /// packets; packets already ready stay readable. Ignored without a session.
    pub(crate) fn on_close_notice(&mut self, from: u64) {
        self.sessions.remove(&from);
    }

    /// Posts the repeated requests that came due without a new packet.
    pub(crate) fn tick(&mut self, now: Instant) {
        let mut due = Vec::new();
        for (id, session) in &mut self.sessions {
            if !session.accepted
                && session.sent_since_request
                && session
                    .last_request
                    .is_some_and(|at| now.duration_since(at) >= REQUEST_REPEAT)
            {
                session.last_request = Some(now);
                session.sent_since_request = false;
                due.push(*id);
            }
        }
        due.sort_unstable();
        for id in due {
            self.post_request(id);
        }
    }

    /// Accepts `remote`'s session (creating it if needed), releasing its
    /// held packets in order.
    pub(crate) fn accept(&mut self, remote: u64) {
        let session = self
            .sessions
            .entry(remote)
            .or_insert_with(|| Session::new(true));
        if !session.accepted {
            session.accepted = true;
            self.ready.extend(session.held.drain(..));
        }
    }

    /// Sending to `remote` on `channel` accepts implicitly, as in Steam.
    pub(crate) fn on_send(&mut self, remote: u64, channel: i32) {
        self.accept(remote);
        if let Some(session) = self.sessions.get_mut(&remote) {
            session.channels.insert(channel);
        }
    }

    /// `CloseP2PSessionWithUser`: drops everything still waiting from
    /// `remote`, held or ready; true if there was a session.
    pub(crate) fn close_session(&mut self, remote: u64) -> bool {
        self.ready.retain(|p| p.from != remote);
        self.sessions.remove(&remote).is_some()
    }

    /// `CloseP2PChannelWithUser`: drops `remote`'s waiting packets on
    /// `channel`; closing the last open channel closes the session.
    pub(crate) fn close_channel(&mut self, remote: u64, channel: i32) -> ChannelClose {
        let Some(session) = self.sessions.get_mut(&remote) else {
            return ChannelClose::NotOpen;
        };
        if !session.channels.remove(&channel) {
            return ChannelClose::NotOpen;
        }
        if session.channels.is_empty() {
            self.close_session(remote);
            return ChannelClose::Session;
        }
        session.held.retain(|p| p.channel != channel);
        self.ready
            .retain(|p| p.from != remote || p.channel != channel);
        ChannelClose::Channel
    }

    /// `remote` is marked gone: an accepted session fails with `error`; a
    /// pending request just goes away with its held packets (as on the
    /// local backend: only a session we took part in fails visibly).
    pub(crate) fn peer_gone(&mut self, remote: u64, error: u8) {
        if let Some(session) = self.sessions.remove(&remote)
            && session.accepted
        {
            self.callbacks
                .push_back(Callback::Fail(Box::new(sys::P2PSessionConnectFail_t {
                    m_steamIDRemote: steam_id(remote),
                    m_eP2PSessionError: error,
                })));
        }
    }

    /// `GetP2PSessionState` for `remote`, given whether its process is up.
    pub(crate) fn state(&self, remote: u64, remote_up: bool) -> Option<sys::P2PSessionState_t> {
        let session = self.sessions.get(&remote)?;
        let active = session.accepted && remote_up;
        Some(sys::P2PSessionState_t {
            m_bConnectionActive: active as u8,
            m_bConnecting: !active as u8,
            m_eP2PSessionError: 0,
            // Peers on one machine connect directly: no relay.
            m_bUsingRelay: 0,
            // Each packet is written synchronously: nothing waits to be sent.
            m_nBytesQueuedForSend: 0,
            m_nPacketsQueuedForSend: 0,
            m_nRemoteIP: LOOPBACK_IP,
            m_nRemotePort: REMOTE_PORT,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{A, B};

    fn packet(from: u64, channel: i32, data: &[u8]) -> Packet {
        Packet {
            from,
            channel,
            data: data.to_vec(),
        }
    }

    /// The peers named by the pending callbacks, taking them.
    fn requests(t: &mut Table) -> Vec<u64> {
        t.callbacks
            .drain(..)
            .map(|cb| match cb {
                // SAFETY: the double only writes the 64-bit view.
                Callback::Request(r) => unsafe { r.m_steamIDRemote.m_steamid.m_unAll64Bits },
                _ => panic!("unexpected callback"),
            })
            .collect()
    }

    fn ready(t: &Table) -> Vec<(u64, i32, Vec<u8>)> {
        t.ready
            .iter()
            .map(|p| (p.from, p.channel, p.data.clone()))
            .collect()
    }

    #[test]
    fn pending_request_is_a_session_that_connects() {
        let t0 = Instant::now();
        let mut t = Table::default();
        t.on_packet(t0, packet(B, 0, b"1"));
        let s = t.state(B, true).expect("a pending request is a session");
        assert_eq!((s.m_bConnectionActive, s.m_bConnecting), (0, 1));
        assert!(t.ready.is_empty(), "held until accepted");
        t.accept(B);
        let s = t.state(B, true).unwrap();
        assert_eq!((s.m_bConnectionActive, s.m_bConnecting), (1, 0));
        assert_eq!(ready(&t), vec![(B, 0, b"1".to_vec())]);
        // Accepted, but the peer is not up: still connecting.
        let s = t.state(B, false).unwrap();
        assert_eq!((s.m_bConnectionActive, s.m_bConnecting), (0, 1));
        assert!(t.state(A, true).is_none());
    }

    #[test]
    fn state_reports_no_queue_and_no_relay() {
        let mut t = Table::default();
        t.on_send(B, 0);
        let s = t.state(B, true).unwrap();
        assert_eq!(s.m_nBytesQueuedForSend, 0);
        assert_eq!(s.m_nPacketsQueuedForSend, 0);
        assert_eq!(s.m_bUsingRelay, 0);
        assert_eq!(s.m_eP2PSessionError, 0);
        assert_eq!(s.m_nRemoteIP, LOOPBACK_IP);
        assert_eq!(s.m_nRemotePort, REMOTE_PORT);
    }

    #[test]
    fn requests_start_and_repeat_at_most_once_a_second() {
        let t0 = Instant::now();
        let mut t = Table::default();
        t.on_packet(t0, packet(B, 0, b"1"));
        assert_eq!(requests(&mut t), vec![B], "one when the request starts");
        t.on_packet(t0 + Duration::from_millis(100), packet(B, 0, b"2"));
        t.on_packet(t0 + Duration::from_millis(900), packet(B, 0, b"3"));
        t.tick(t0 + Duration::from_millis(999));
        assert!(requests(&mut t).is_empty(), "not within a second");
        t.tick(t0 + Duration::from_millis(1000));
        assert_eq!(requests(&mut t), vec![B], "again while B keeps sending");
        t.tick(t0 + Duration::from_millis(2500));
        assert!(requests(&mut t).is_empty(), "B sent nothing since");
        t.on_packet(t0 + Duration::from_millis(2600), packet(B, 0, b"4"));
        assert_eq!(
            requests(&mut t),
            vec![B],
            "a packet after the pause, due already"
        );
        t.accept(B);
        t.on_packet(t0 + Duration::from_millis(5000), packet(B, 0, b"5"));
        t.tick(t0 + Duration::from_millis(9000));
        assert!(requests(&mut t).is_empty(), "none once accepted");
        assert_eq!(t.ready.len(), 5);
    }

    #[test]
    fn close_session_drops_held_and_ready() {
        let t0 = Instant::now();
        let mut t = Table::default();
        t.on_send(A, 0);
        t.on_packet(t0, packet(A, 0, b"a"));
        t.on_packet(t0, packet(B, 0, b"held"));
        assert!(t.close_session(B), "a pending request is a session");
        assert!(!t.close_session(B), "closing twice");
        assert!(t.close_session(A));
        assert!(t.ready.is_empty());
        t.accept(B);
        assert!(
            t.ready.is_empty(),
            "B's held packet did not survive the close"
        );
    }

    #[test]
    fn close_channel_drops_its_packets_and_the_last_closes_the_session() {
        let t0 = Instant::now();
        let mut t = Table::default();
        t.on_send(B, 0);
        t.on_packet(t0, packet(B, 1, b"one"));
        t.on_packet(t0, packet(B, 0, b"zero"));
        t.on_packet(t0, packet(A, 1, b"other peer"));
        assert_eq!(t.close_channel(B, 3), ChannelClose::NotOpen);
        assert_eq!(
            t.close_channel(A, 0),
            ChannelClose::NotOpen,
            "not open with A"
        );
        assert_eq!(
            t.close_channel(B, 1),
            ChannelClose::Channel,
            "received on: open"
        );
        assert_eq!(
            t.close_channel(B, 1),
            ChannelClose::NotOpen,
            "closed already"
        );
        assert_eq!(ready(&t), vec![(B, 0, b"zero".to_vec())]);
        // A is pending: its held packet on channel 1 goes with the channel.
        t.on_packet(t0, packet(A, 2, b"keep"));
        assert_eq!(t.close_channel(A, 1), ChannelClose::Channel);
        assert_eq!(t.close_channel(B, 0), ChannelClose::Session);
        assert!(t.state(B, true).is_none());
        assert!(t.ready.is_empty());
        t.accept(A);
        assert_eq!(ready(&t), vec![(A, 2, b"keep".to_vec())]);
    }

    #[test]
    fn close_notice_ends_the_session_quietly() {
        let t0 = Instant::now();
        let mut t = Table::default();
        t.on_send(A, 0);
        t.on_packet(t0, packet(A, 0, b"delivered"));
        t.on_close_notice(A);
        assert!(t.state(A, true).is_none());
        assert!(t.callbacks.is_empty(), "no callback");
        assert_eq!(
            ready(&t),
            vec![(A, 0, b"delivered".to_vec())],
            "ready stays readable"
        );
        // A's next packet is a new request.
        t.on_packet(t0, packet(A, 0, b"new"));
        assert_eq!(requests(&mut t), vec![A]);
        assert_eq!(t.ready.len(), 1, "held");
        // A notice for a pending request drops its held packets.
        t.on_close_notice(A);
        t.accept(A);
        assert_eq!(t.ready.len(), 1);
        // A notice without a session is ignored.
        t.on_close_notice(B);
        assert!(t.state(B, true).is_none());
        assert!(t.callbacks.is_empty());
    }

    #[test]
    fn gone_fails_accepted_sessions_and_drops_pending_ones() {
        let t0 = Instant::now();
        let mut t = Table::default();
        t.on_send(A, 0);
        t.on_packet(t0, packet(B, 0, b"held"));
        requests(&mut t);
        t.peer_gone(B, 4);
        assert!(t.callbacks.is_empty(), "a pending request goes quietly");
        assert!(t.state(B, true).is_none());
        t.peer_gone(A, 4);
        let Some(Callback::Fail(f)) = t.callbacks.pop_front() else {
            panic!("no connect fail");
        };
        assert_eq!(f.m_eP2PSessionError, 4);
        assert!(t.state(A, true).is_none());
    }
}
