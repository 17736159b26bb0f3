//! Open file descriptors, threads and TCP connections after many sessions
//! opened and closed between two local-backend instances in this process.
//! Its own test binary: other tests running beside it would change the
//! process-wide counts.

use std::path::Path;
use std::time::{Duration, Instant};

use steam_networking::backend::Backend;
use steam_networking::backend::local::LocalBackend;
use steam_networking::backend::local::config::LocalConfig;
use steam_networking::p2p::{Channel, Event, SendType};

fn start(dir: &Path, slot: u16) -> LocalBackend {
    LocalBackend::start(LocalConfig::with_dir(
        dir,
        Some(slot),
        Duration::from_secs(20),
    ))
    .expect("starts")
}

fn count_entries(path: &str) -> usize {
    std::fs::read_dir(path).map_or(0, |d| d.count())
}

/// Established TCP connections with either end on one of `ports`.
fn established(ports: &[u16]) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    table
        .lines()
        .skip(1)
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let port = |addr: &str| {
                addr.rsplit(':')
                    .next()
                    .and_then(|p| u16::from_str_radix(p, 16).ok())
            };
            fields.len() > 3
                && fields[3] == "01"
                && (ports.iter().any(|p| port(fields[1]) == Some(*p))
                    || ports.iter().any(|p| port(fields[2]) == Some(*p)))
        })
        .count()
}

fn counts(ports: &[u16]) -> (usize, usize, usize) {
    (
        count_entries("/proc/self/fd"),
        count_entries("/proc/self/task"),
        established(ports),
    )
}

fn pump(a: &mut LocalBackend, b: &mut LocalBackend, events: &mut Vec<Event>) {
    a.poll(events);
    b.poll(events);
}

#[test]
fn sessions_opened_and_closed_leave_no_descriptor_thread_or_connection() {
    if !Path::new("/proc/self/fd").exists() {
        eprintln!("no /proc here: nothing to count");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut a = start(dir.path(), 0);
    let mut b = start(dir.path(), 1);
    let (ida, idb) = (a.local_id(), b.local_id());
    let ports = [a.addr().port(), b.addr().port()];
    let channel = Channel::from_gdscript(0).unwrap();
    let mut events = Vec::new();
    let cycle = |a: &mut LocalBackend, b: &mut LocalBackend, events: &mut Vec<Event>, n: u32| {
        // Accepted first, so that no request is due: any event is a fault.
        assert!(b.accept(ida));
        assert!(a.send(idb, &n.to_le_bytes(), SendType::Reliable, channel));
        let deadline = Instant::now() + Duration::from_secs(10);
        while b.available(channel).is_none() {
            assert!(
                Instant::now() < deadline,
                "cycle {n}: the packet did not come"
            );
            pump(a, b, events);
            std::thread::sleep(Duration::from_micros(200));
        }
        assert_eq!(b.read(64, channel).unwrap().data, n.to_le_bytes());
        assert!(a.close_session(idb));
        while b.session_state(ida).is_some() {
            assert!(
                Instant::now() < deadline,
                "cycle {n}: B did not see the close"
            );
            pump(a, b, events);
            std::thread::sleep(Duration::from_micros(200));
        }
    };
    let settle = |a: &mut LocalBackend, b: &mut LocalBackend, events: &mut Vec<Event>| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while a.holdings().writers + a.holdings().outbound + a.holdings().inbound > 0
            || b.holdings().writers + b.holdings().outbound + b.holdings().inbound > 0
            || a.holdings().threads > 2
            || b.holdings().threads > 2
        {
            assert!(
                Instant::now() < deadline,
                "not freed: {:?} {:?}",
                a.holdings(),
                b.holdings()
            );
            pump(a, b, events);
            std::thread::sleep(Duration::from_millis(1));
        }
    };
    cycle(&mut a, &mut b, &mut events, 0);
    settle(&mut a, &mut b, &mut events);
    let before = counts(&ports);
    assert_eq!(before.2, 0, "no connection between sessions");
    for n in 1..=300 {
        cycle(&mut a, &mut b, &mut events, n);
    }
    settle(&mut a, &mut b, &mut events);
    let after = counts(&ports);
    assert_eq!(after.0, before.0, "open file descriptors");
    assert_eq!(after.1, before.1, "threads");
    assert_eq!(after.2, 0, "established connections");
    // Each learned the other's name once; nothing else happened.
    events.retain(|e| !matches!(e, Event::PersonaStateChange(..)));
    assert!(events.is_empty(), "no failures: {events:?}");
}
