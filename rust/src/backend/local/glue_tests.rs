//! The local backend where sockets, worker threads and session rules meet:
//! several `LocalBackend`s in one process, on ports the OS picks (each test
//! has its own directory), driven only through the `Backend` trait.

use std::path::Path;
use std::time::{Duration, Instant};

use super::LocalBackend;
use super::config::LocalConfig;
use super::transport::{Holdings, Spawner, spawn_thread};
use crate::backend::Backend;
use crate::backend::friends::Friends;
use crate::p2p::testing::{ch, id};
use crate::p2p::{Event, InitStatus, PERSONA_CHANGE_NAME, SendType, SessionError, SteamId};

/// Longest any condition here may take on a slow, loaded machine.
const DEADLINE: Duration = Duration::from_secs(10);
/// What a transport holds between sessions: its accept and UDP workers.
const IDLE: Holdings = Holdings {
    threads: 2,
    outbound: 0,
    inbound: 0,
    writers: 0,
};

fn config(dir: &Path, slot: u16, timeout: Duration) -> LocalConfig {
    LocalConfig::with_dir(dir, Some(slot), timeout)
}

/// A backend with its events, as `run_callbacks` would collect them.
struct Peer {
    backend: LocalBackend,
    events: Vec<Event>,
}

impl Peer {
    fn start(dir: &Path, slot: u16) -> Self {
        Self::start_with_timeout(dir, slot, Duration::from_secs(20))
    }

    fn start_with_timeout(dir: &Path, slot: u16, timeout: Duration) -> Self {
        let backend = LocalBackend::start(config(dir, slot, timeout)).expect("starts");
        Self {
            backend,
            events: Vec::new(),
        }
    }

    fn id(&self) -> SteamId {
        self.backend.local_id()
    }

    fn poll(&mut self) {
        self.backend.poll(&mut self.events);
    }

    fn send(&mut self, to: SteamId, data: &[u8], reliable: bool, channel: i64) -> bool {
        let kind = if reliable {
            SendType::Reliable
        } else {
            SendType::Unreliable
        };
        self.backend.send(to, data, kind, ch(channel))
    }

    fn read(&mut self, channel: i64) -> Option<(SteamId, Vec<u8>)> {
        let size = self.backend.available(ch(channel))?;
        let packet = self.backend.read(size as usize, ch(channel))?;
        Some((packet.sender, packet.data))
    }

    fn active(&mut self, remote: SteamId) -> Option<bool> {
        let state = self.backend.session_state(remote)?;
        assert_eq!(state.connecting, !state.connection_active);
        Some(state.connection_active)
    }

    /// The session events so far (names learned from pings are left out).
    fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
            .into_iter()
            .filter(|e| matches!(e, Event::SessionRequest(_) | Event::ConnectFail(..)))
            .collect()
    }
}

/// Polls every peer until `done` holds; panics with `what` at the deadline.
fn wait(peers: &mut [&mut Peer], what: &str, mut done: impl FnMut(&mut [&mut Peer]) -> bool) {
    let deadline = Instant::now() + DEADLINE;
    loop {
        for peer in peers.iter_mut() {
            peer.poll();
        }
        if done(peers) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Reads the next packet on `channel`, polling until it comes.
fn next(peers: &mut [&mut Peer], reader: usize, channel: i64) -> (SteamId, Vec<u8>) {
    let mut got = None;
    wait(peers, "a packet", |p| {
        got = p[reader].read(channel);
        got.is_some()
    });
    got.unwrap()
}

#[test]
fn a_request_holds_packets_until_accepted_and_both_send_types_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Peer::start(dir.path(), 0), Peer::start(dir.path(), 1));
    let (ida, idb) = (a.id(), b.id());
    assert!(a.send(idb, b"reliable", true, 0));
    assert!(a.send(idb, b"unreliable", false, 0));
    wait(&mut [&mut a, &mut b], "the request", |p| {
        p[1].events.contains(&Event::SessionRequest(ida))
    });
    assert_eq!(b.read(0), None, "held until accepted");
    assert_eq!(
        b.active(ida),
        Some(false),
        "a pending request is connecting"
    );
    assert!(b.backend.accept(ida));
    let mut got = vec![
        next(&mut [&mut a, &mut b], 1, 0),
        next(&mut [&mut a, &mut b], 1, 0),
    ];
    got.sort();
    assert_eq!(
        got,
        vec![(ida, b"reliable".to_vec()), (ida, b"unreliable".to_vec())]
    );
    assert_eq!(b.take_events(), vec![Event::SessionRequest(ida)]);
}

/// Instances 0 and 1 in `dir`, with an accepted session from 0 to 1 whose
/// first packet was read.
fn connected_pair(dir: &Path) -> (Peer, Peer) {
    let (mut a, mut b) = (Peer::start(dir, 0), Peer::start(dir, 1));
    let (ida, idb) = (a.id(), b.id());
    assert!(a.send(idb, b"hello", true, 0));
    wait(&mut [&mut a, &mut b], "the request", |p| {
        p[1].events.contains(&Event::SessionRequest(ida))
    });
    assert!(b.backend.accept(ida));
    assert_eq!(next(&mut [&mut a, &mut b], 1, 0), (ida, b"hello".to_vec()));
    (a, b)
}

/// The doorbell (`bell.rs`, `quiet.rs`): once nothing came for a while,
/// a dry `available` answers without reading the sockets, and the next
/// packet of either kind is still seen by `available` alone (no
/// `run_callbacks`, whose looks would find it anyway).
#[test]
fn a_quiet_instance_skips_the_sockets_and_still_hears_the_next_packet() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = connected_pair(dir.path());
    let (ida, idb) = (a.id(), b.id());
    // Without the every-1024th-call look: only a ring may end the quiet.
    b.backend.quiet = super::quiet::Quiet::without_fallback();

    for (round, reliable) in [(1u8, true), (2, false), (3, true)] {
        let deadline = Instant::now() + DEADLINE;
        while !b.backend.quiet.is_trusted() {
            assert_eq!(
                b.backend.available(ch(0)),
                None,
                "round {round}: nothing sent yet"
            );
            assert!(Instant::now() < deadline, "round {round}: never went quiet");
        }
        let looks = b.backend.transport.looks();
        for _ in 0..100 {
            assert_eq!(b.backend.available(ch(0)), None);
        }
        assert_eq!(
            b.backend.transport.looks(),
            looks,
            "round {round}: quiet calls do not look"
        );

        assert!(a.send(idb, &[round; 100], reliable, 0));
        let size = loop {
            if let Some(size) = b.backend.available(ch(0)) {
                break size;
            }
            assert!(
                Instant::now() < deadline,
                "round {round} (reliable: {reliable}): never seen"
            );
        };
        let packet = b.backend.read(size as usize, ch(0)).unwrap();
        assert_eq!((packet.sender, packet.data), (ida, vec![round; 100]));
    }
}

#[test]
fn a_lent_promise_of_quiet_ends_at_the_peers_next_packet() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = connected_pair(dir.path());
    let idb = b.id();

    let deadline = Instant::now() + DEADLINE;
    let mut dry = loop {
        assert_eq!(b.backend.available(ch(0)), None);
        if let Some(dry) = b.backend.lend_dry() {
            break dry;
        }
        assert!(Instant::now() < deadline, "never went quiet");
    };
    assert!(b.backend.lend_dry().is_none(), "lent once");
    let looks = b.backend.transport.looks();
    assert!(dry.answer() && dry.answer());
    assert!(a.send(idb, b"news", false, 5));
    assert!(!dry.answer(), "the packet's ring ends the promise");
    b.backend.return_dry(dry.left());
    assert_eq!(
        b.backend.transport.looks(),
        looks,
        "the answers did not look"
    );
    let size = loop {
        if let Some(size) = b.backend.available(ch(5)) {
            break size;
        }
        assert!(Instant::now() < deadline, "the packet never came");
    };
    assert_eq!(size, 4);
    assert!(
        b.backend.lend_dry().is_none(),
        "nothing is promised while a packet waits"
    );
}

#[test]
fn a_replaced_bell_file_is_noticed_at_the_next_check_and_then_not_trusted() {
    use super::transport::BELL_CHECK_EVERY;
    let dir = tempfile::tempdir().unwrap();
    let mut b = Peer::start(dir.path(), 1);
    let t0 = Instant::now();
    b.backend.transport.check_bell(t0);
    assert!(b.backend.transport.has_bell());
    let bells = dir.path().join("bells");
    std::fs::remove_file(&bells).unwrap();
    std::fs::write(&bells, [0u8; 64]).unwrap();
    b.backend.transport.check_bell(t0 + BELL_CHECK_EVERY / 2);
    assert!(b.backend.transport.has_bell(), "not asked again so soon");
    b.backend.transport.check_bell(t0 + BELL_CHECK_EVERY);
    assert!(!b.backend.transport.has_bell(), "noticed");
    // Untrusted, a dry call never lends a promise, not even after the
    // grace that a still bell needs.
    let deadline = Instant::now() + super::quiet::GRACE * 10;
    while Instant::now() < deadline {
        assert_eq!(b.backend.available(ch(0)), None);
        assert!(b.backend.lend_dry().is_none());
    }
}

#[test]
fn a_session_that_only_carried_unreliable_packets_turns_active_when_answered() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Peer::start(dir.path(), 0), Peer::start(dir.path(), 1));
    let idb = b.id();
    let nobody = id(9);
    assert!(a.send(idb, b"u", false, 0));
    assert!(a.send(nobody, b"u", false, 0));
    wait(&mut [&mut a, &mut b], "the peer answers", |p| {
        p[0].active(idb) == Some(true)
    });
    assert_eq!(
        a.active(nobody),
        Some(false),
        "no instance 9 runs: still connecting"
    );
}

#[test]
fn closing_frees_both_sides_and_a_later_packet_is_a_new_request() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Peer::start(dir.path(), 0), Peer::start(dir.path(), 1));
    let (ida, idb) = (a.id(), b.id());
    assert!(b.backend.accept(ida));
    assert!(a.send(idb, b"one", true, 0));
    assert_eq!(next(&mut [&mut a, &mut b], 1, 0), (ida, b"one".to_vec()));
    assert!(b.send(ida, b"two", true, 3));
    assert_eq!(next(&mut [&mut a, &mut b], 0, 3), (idb, b"two".to_vec()));
    // Sent just before the close: it still arrives, and stays readable.
    assert!(a.send(idb, b"bye", true, 0));
    assert!(a.backend.close_session(idb));
    assert_eq!(a.backend.session_state(idb), None);
    wait(&mut [&mut a, &mut b], "B sees the close", |p| {
        p[1].backend.session_state(ida).is_none()
    });
    assert_eq!(b.read(0), Some((ida, b"bye".to_vec())));
    wait(&mut [&mut a, &mut b], "everything is freed", |p| {
        p[0].backend.holdings() == IDLE && p[1].backend.holdings() == IDLE
    });
    assert!(a.take_events().is_empty() && b.take_events().is_empty());
    assert!(a.send(idb, b"again", true, 0));
    wait(&mut [&mut a, &mut b], "a new request", |p| {
        p[1].events.contains(&Event::SessionRequest(ida))
    });
    assert!(b.backend.accept(ida));
    assert_eq!(next(&mut [&mut a, &mut b], 1, 0), (ida, b"again".to_vec()));
}

#[test]
fn closing_the_last_channel_closes_the_session_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Peer::start(dir.path(), 0), Peer::start(dir.path(), 1));
    let (ida, idb) = (a.id(), b.id());
    assert!(b.backend.accept(ida));
    assert!(a.send(idb, b"x", false, 2));
    assert_eq!(next(&mut [&mut a, &mut b], 1, 2), (ida, b"x".to_vec()));
    assert!(!a.backend.close_channel(idb, ch(5)), "never used");
    assert!(a.backend.close_channel(idb, ch(2)));
    assert_eq!(a.backend.session_state(idb), None);
    wait(&mut [&mut a, &mut b], "B sees the close", |p| {
        p[1].backend.session_state(ida).is_none()
    });
    wait(&mut [&mut a, &mut b], "everything is freed", |p| {
        p[0].backend.holdings() == IDLE && p[1].backend.holdings() == IDLE
    });
}

#[test]
fn a_peer_that_vanishes_times_out_with_a_connect_fail() {
    let dir = tempfile::tempdir().unwrap();
    let timeout = Duration::from_millis(300);
    let mut a = Peer::start_with_timeout(dir.path(), 0, timeout);
    let mut b = Peer::start_with_timeout(dir.path(), 1, timeout);
    let (ida, idb) = (a.id(), b.id());
    assert!(b.backend.accept(ida));
    assert!(a.send(idb, b"x", true, 0));
    assert_eq!(next(&mut [&mut a, &mut b], 1, 0), (ida, b"x".to_vec()));
    wait(&mut [&mut a, &mut b], "active", |p| {
        p[0].active(idb) == Some(true)
    });
    drop(b);
    let started = Instant::now();
    wait(&mut [&mut a], "the connect fail", |p| {
        p[0].events
            .contains(&Event::ConnectFail(idb, SessionError::Timeout as u8))
    });
    // The timeout runs from the last answer, a ping interval (timeout / 5)
    // at most before the drop: a failure much sooner would not be a timeout.
    assert!(
        started.elapsed() >= timeout / 2,
        "not long before the timeout: {:?}",
        started.elapsed()
    );
    assert_eq!(a.backend.session_state(idb), None);
    wait(&mut [&mut a], "its connection is freed", |p| {
        p[0].backend.holdings() == IDLE
    });
}

#[test]
fn a_flooding_peer_does_not_starve_another() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Peer::start(dir.path(), 0);
    let mut b = Peer::start(dir.path(), 1);
    let mut c = Peer::start(dir.path(), 2);
    let (ida, idb, idc) = (a.id(), b.id(), c.id());
    const FLOOD: usize = 2000;
    for i in 0..FLOOD {
        assert!(b.send(ida, &(i as u32).to_le_bytes(), true, 0));
    }
    assert!(c.send(ida, b"late", true, 0));
    wait(&mut [&mut a, &mut b, &mut c], "both requests", |p| {
        let events = &p[0].events;
        events.contains(&Event::SessionRequest(idb)) && events.contains(&Event::SessionRequest(idc))
    });
    assert!(a.backend.accept(idb) && a.backend.accept(idc));
    let mut order = Vec::new();
    while order.len() < FLOOD + 1 {
        let (from, data) = next(&mut [&mut a, &mut b, &mut c], 0, 0);
        order.push((from, data));
    }
    let late = order.iter().position(|(from, _)| *from == idc).unwrap();
    assert!(late <= 2, "C's packet came {late}th, behind B's flood");
    let flood: Vec<u32> = order
        .iter()
        .filter(|(from, _)| *from == idb)
        .map(|(_, d)| u32::from_le_bytes(d[..4].try_into().unwrap()))
        .collect();
    assert_eq!(flood, (0..FLOOD as u32).collect::<Vec<_>>(), "B's in order");
}

#[test]
fn many_open_send_close_cycles_hold_nothing_afterwards() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Peer::start(dir.path(), 0), Peer::start(dir.path(), 1));
    let (ida, idb) = (a.id(), b.id());
    for cycle in 0..100u32 {
        assert!(a.send(idb, &cycle.to_le_bytes(), cycle % 2 == 0, 0));
        wait(&mut [&mut a, &mut b], "the request", |p| {
            p[1].events.contains(&Event::SessionRequest(ida))
        });
        b.events.clear();
        assert!(b.backend.accept(ida));
        let (_, data) = next(&mut [&mut a, &mut b], 1, 0);
        assert_eq!(data, cycle.to_le_bytes());
        assert!(b.send(ida, &data, true, 1));
        let (_, echo) = next(&mut [&mut a, &mut b], 0, 1);
        assert_eq!(echo, data);
        assert!(a.backend.close_session(idb));
        wait(&mut [&mut a, &mut b], "B sees the close", |p| {
            p[1].backend.session_state(ida).is_none()
        });
    }
    wait(&mut [&mut a, &mut b], "everything is freed", |p| {
        p[0].backend.holdings() == IDLE && p[1].backend.holdings() == IDLE
    });
    assert!(a.take_events().is_empty(), "no failures");
}

#[test]
fn a_taken_slot_and_a_worker_that_cannot_start_fail_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let _a = Peer::start(dir.path(), 0);
    let taken = LocalBackend::start(config(dir.path(), 0, Duration::from_secs(1))).err();
    let taken = taken.expect("slot 0 is taken");
    assert_eq!(taken.status, InitStatus::FailedGeneric);
    assert!(
        taken.verbal.contains("local instance 0 is taken"),
        "{}",
        taken.verbal
    );
    let no_udp_thread: Spawner = |name, work| {
        if name == "p2p-udp" {
            Err(std::io::Error::other("no threads left"))
        } else {
            spawn_thread(name, work)
        }
    };
    let failed =
        LocalBackend::start_with(config(dir.path(), 1, Duration::from_secs(1)), no_udp_thread)
            .err()
            .expect("cannot start without its datagram thread");
    assert!(
        failed
            .verbal
            .contains("cannot start the datagram thread: no threads left"),
        "{}",
        failed.verbal
    );
    // Nothing half-started stays behind: the slot is free again.
    assert!(LocalBackend::start(config(dir.path(), 1, Duration::from_secs(1))).is_ok());
}

#[test]
fn instances_learn_each_others_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Peer::start(dir.path(), 0);
    let mut config = config(dir.path(), 1, Duration::from_secs(20));
    config.name = Some("Bea".into());
    let mut b = Peer {
        backend: LocalBackend::start(config).unwrap(),
        events: Vec::new(),
    };
    let (ida, idb) = (a.id(), b.id());
    assert_eq!(a.backend.persona_name(), "Player 1", "the default name");
    assert_eq!(b.backend.persona_name(), "Bea");
    assert_eq!(a.backend.friend_persona_name(idb), "", "not known yet");
    assert!(a.backend.request_user_information(idb, true));
    wait(&mut [&mut a, &mut b], "the name", |p| {
        p[0].events
            .contains(&Event::PersonaStateChange(idb, PERSONA_CHANGE_NAME))
    });
    assert_eq!(a.backend.friend_persona_name(idb), "Bea");
    assert!(
        !a.backend.request_user_information(idb, true),
        "known: nothing to wait for"
    );
    // B learned A's name from A's ping.
    wait(&mut [&mut a, &mut b], "B knows A", |p| {
        p[1].backend.friend_persona_name(ida) == "Player 1"
    });
    assert!(
        a.backend.request_user_information(id(40), true),
        "a local id is asked (if no instance runs there, nobody answers)"
    );
    let not_local = SteamId::from_u64(76561198000000000).unwrap();
    assert!(!a.backend.request_user_information(not_local, true));
}

#[test]
fn simulated_lag_holds_packets_at_the_receiver_and_counts_them_at_the_sender() {
    use crate::backend::utils::Utils;
    use crate::p2p::conditions::{Fake, Setting};
    let dir = tempfile::tempdir().unwrap();
    let mut slow = config(dir.path(), 0, Duration::from_secs(20));
    slow.conditions.send.lag = Duration::from_millis(80);
    let mut a = Peer {
        backend: LocalBackend::start(slow).expect("starts"),
        events: Vec::new(),
    };
    let mut b = Peer::start(dir.path(), 1);
    let (ida, idb) = (a.id(), b.id());
    assert!(b.backend.accept(ida));
    let sent = Instant::now();
    assert!(a.send(idb, b"reliable", true, 0));
    assert!(a.send(idb, b"unreliable", false, 1));
    let state = a.backend.session_state(idb).unwrap();
    assert_eq!(
        (state.packets_queued_for_send, state.bytes_queued_for_send),
        (2, 18),
        "both wait in the simulation"
    );
    assert_eq!(
        next(&mut [&mut a, &mut b], 1, 0),
        (ida, b"reliable".to_vec())
    );
    assert_eq!(
        next(&mut [&mut a, &mut b], 1, 1),
        (ida, b"unreliable".to_vec())
    );
    assert!(
        sent.elapsed() >= Duration::from_millis(80),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(
        a.backend
            .session_state(idb)
            .unwrap()
            .packets_queued_for_send,
        0
    );
    // A close comes after what was sent before it, lag and all.
    assert!(a.send(idb, b"bye", true, 0));
    assert!(a.backend.close_session(idb));
    wait(&mut [&mut a, &mut b], "B sees the close", |p| {
        p[1].backend.session_state(ida).is_none()
    });
    assert_eq!(b.read(0), Some((ida, b"bye".to_vec())), "bye came first");
    assert!(b.take_events().is_empty(), "no request from a late packet");
    // At run time: the lag goes, and packets arrive at once.
    assert!(a.backend.set_fake_config(Setting {
        fake: Fake::LagSend,
        value: 0.0,
    }));
    assert!(!a.backend.network_conditions().unwrap().send.is_active());
    assert!(b.backend.accept(ida));
    let sent = Instant::now();
    assert!(a.send(idb, b"quick", true, 0));
    assert_eq!(next(&mut [&mut a, &mut b], 1, 0), (ida, b"quick".to_vec()));
    assert!(
        sent.elapsed() < Duration::from_millis(80),
        "{:?}",
        sent.elapsed()
    );
}

#[test]
fn simulated_loss_spares_reliable_packets_and_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut lossy = config(dir.path(), 0, Duration::from_secs(20));
    lossy.conditions.send.loss = 50.0;
    lossy.conditions.send.lag = Duration::from_millis(5);
    let mut a = Peer {
        backend: LocalBackend::start(lossy).expect("starts"),
        events: Vec::new(),
    };
    let mut b = Peer::start(dir.path(), 1);
    let (ida, idb) = (a.id(), b.id());
    assert!(b.backend.accept(ida));
    for i in 0u32..400 {
        assert!(a.send(idb, &i.to_le_bytes(), true, 2));
        assert!(a.send(idb, &i.to_le_bytes(), false, 3));
    }
    for i in 0u32..400 {
        assert_eq!(
            next(&mut [&mut a, &mut b], 1, 2),
            (ida, i.to_le_bytes().to_vec())
        );
    }
    wait(&mut [&mut a, &mut b], "nothing left in flight", |p| {
        p[0].backend
            .session_state(idb)
            .is_some_and(|s| s.packets_queued_for_send == 0)
    });
    let mut unreliable = 0;
    while b.read(3).is_some() {
        unreliable += 1;
    }
    assert!(
        (120..280).contains(&unreliable),
        "{unreliable} of 400 arrived"
    );
}
