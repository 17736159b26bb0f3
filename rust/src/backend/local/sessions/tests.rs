//! Steam's session rules as the table plays them, with a pretend clock:
//! requests, accepts, closes, timeouts, per-peer bounds and fairness.

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
