//! Peers over a pretend P2P network with Steam's session rules: packets
//! from a user not yet accepted wait (and raise a request) until accepted
//! or until we send to that user.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::time::{Duration, Instant};

use super::core::{CONNECT_TIMEOUT, Core};
use super::*;
use crate::backend::local::config::LocalConfig;

/// Packets from a sender.
type Queue = VecDeque<(SteamId, Vec<u8>)>;
/// Packets on a channel, held until a session is accepted.
type Held = Vec<(i32, Vec<u8>)>;

#[derive(Default)]
struct World {
    /// (receiver, channel) -> packets.
    queues: HashMap<(SteamId, i32), Queue>,
    /// (receiver, sender) -> held packets (session not accepted yet).
    held: HashMap<(SteamId, SteamId), Held>,
    accepted: HashSet<(SteamId, SteamId)>,
    events: HashMap<SteamId, Vec<SessionEvent>>,
    lobbies: HashMap<u64, Vec<SteamId>>,
    down: HashSet<SteamId>,
}

struct FakeNet {
    me: SteamId,
    world: Rc<RefCell<World>>,
}

impl Net for FakeNet {
    fn me(&self) -> Option<SteamId> {
        Some(self.me)
    }
    fn send(&mut self, to: SteamId, data: &[u8], _reliable: bool, channel: i32) -> bool {
        let mut w = self.world.borrow_mut();
        if w.down.contains(&to) {
            return true;
        }
        w.accepted.insert((self.me, to));
        if w.accepted.contains(&(to, self.me)) {
            w.queues
                .entry((to, channel))
                .or_default()
                .push_back((self.me, data.to_vec()));
        } else {
            w.held
                .entry((to, self.me))
                .or_default()
                .push((channel, data.to_vec()));
            w.events
                .entry(to)
                .or_default()
                .push(SessionEvent::Request(self.me));
        }
        true
    }
    fn look(&mut self, _channel: i32) {}
    fn read(&mut self, channel: i32) -> Option<(SteamId, Vec<u8>)> {
        self.world
            .borrow_mut()
            .queues
            .get_mut(&(self.me, channel))?
            .pop_front()
    }
    fn accept(&mut self, from: SteamId) {
        let mut w = self.world.borrow_mut();
        w.accepted.insert((self.me, from));
        for (channel, data) in w.held.remove(&(self.me, from)).unwrap_or_default() {
            w.queues
                .entry((self.me, channel))
                .or_default()
                .push_back((from, data));
        }
    }
    fn session_events(&mut self, cursor: &mut u64) -> Vec<SessionEvent> {
        *cursor += 1;
        self.world
            .borrow_mut()
            .events
            .remove(&self.me)
            .unwrap_or_default()
    }
    fn lobby_owner(&mut self, lobby: u64) -> Option<SteamId> {
        let w = self.world.borrow();
        let members = w.lobbies.get(&lobby)?;
        members.contains(&self.me).then(|| members[0])
    }
    fn lobby_members(&mut self, lobby: u64) -> Vec<SteamId> {
        self.world
            .borrow()
            .lobbies
            .get(&lobby)
            .cloned()
            .unwrap_or_default()
    }
}

struct Node {
    core: Core,
    net: FakeNet,
    signals: Vec<Signal>,
}

impl Node {
    fn with<R>(&mut self, f: impl FnOnce(&mut Core, &mut FakeNet) -> R) -> R {
        f(&mut self.core, &mut self.net)
    }
}

fn nodes(n: usize) -> (Rc<RefCell<World>>, Vec<Node>) {
    let world = Rc::new(RefCell::new(World::default()));
    let nodes = (0..n)
        .map(|i| Node {
            core: Core::new(77 + i as u64),
            net: FakeNet {
                me: LocalConfig::steam_id(i as u16),
                world: world.clone(),
            },
            signals: Vec::new(),
        })
        .collect();
    (world, nodes)
}

fn poll_all(nodes: &mut [Node], now: Instant) {
    for _ in 0..4 {
        for n in nodes.iter_mut() {
            let s = n.core.poll(&mut n.net, now);
            n.signals.extend(s);
        }
    }
}

fn id(i: u16) -> SteamId {
    LocalConfig::steam_id(i)
}

#[test]
fn a_host_and_two_clients_get_ids_and_talk() {
    let (_, mut n) = nodes(3);
    let now = Instant::now();
    n[0].with(|c, net| c.create_host(net, 0, None)).unwrap();
    assert_eq!(n[0].core.unique_id(), 1);
    for i in [1, 2] {
        let node = &mut n[i];
        node.core
            .create_client(&mut node.net, id(0), 0, now)
            .unwrap();
        assert_eq!(node.core.status(), Status::Connecting);
        assert_eq!(node.core.unique_id(), 0);
        assert_eq!(
            node.core.put_packet(&mut node.net, b"too soon"),
            Err(PeerError::Unconfigured)
        );
    }
    poll_all(&mut n, now);
    let (c1, c2) = (n[1].core.unique_id(), n[2].core.unique_id());
    assert!(c1 >= 2 && c2 >= 2 && c1 != c2);
    assert_eq!(
        n[0].signals,
        vec![Signal::Connected(c1), Signal::Connected(c2)]
    );
    assert_eq!(n[1].signals, vec![Signal::Connected(1)]);
    assert_eq!(n[1].core.status(), Status::Connected);
    assert_eq!(n[0].core.steam_id_of(&n[0].net, c2), id(2).raw());
    assert_eq!(n[2].core.peer_id_of(&n[2].net, id(0).raw()), 1);

    // Host to one client, unreliable ordered on channel 3.
    n[0].core.target = c2;
    n[0].core.channel = 3;
    n[0].core.mode = Mode::UnreliableOrdered;
    n[0].with(|c, net| c.put_packet(net, b"a")).unwrap();
    n[0].with(|c, net| c.put_packet(net, b"b")).unwrap();
    poll_all(&mut n, now);
    assert_eq!(n[1].core.waiting(), 0);
    let got: Vec<Incoming> = std::iter::from_fn(|| n[2].core.take_packet()).collect();
    assert_eq!(
        got.iter()
            .map(|p| (p.from, p.channel, p.mode, p.data.clone()))
            .collect::<Vec<_>>(),
        vec![
            (1, 3, Mode::UnreliableOrdered, b"a".to_vec()),
            (1, 3, Mode::UnreliableOrdered, b"b".to_vec())
        ]
    );
    // A client to the host.
    n[1].with(|c, net| c.put_packet(net, b"up")).unwrap();
    poll_all(&mut n, now);
    let p = n[0].core.take_packet().unwrap();
    assert_eq!((p.from, p.data), (c1, b"up".to_vec()));
}

#[test]
fn late_unreliable_ordered_packets_are_dropped() {
    let (world, mut n) = nodes(2);
    let now = Instant::now();
    n[0].with(|c, net| c.create_host(net, 5, None)).unwrap();
    n[1].with(|c, net| c.create_client(net, id(0), 5, now))
        .unwrap();
    poll_all(&mut n, now);
    n[0].core.mode = Mode::UnreliableOrdered;
    for text in [b"1", b"2", b"3"] {
        n[0].with(|c, net| c.put_packet(net, text)).unwrap();
    }
    // The network swaps the first two.
    {
        let mut w = world.borrow_mut();
        let q = w.queues.get_mut(&(id(1), wire::channel(5, 0))).unwrap();
        q.swap(0, 1);
    }
    poll_all(&mut n, now);
    let got: Vec<Vec<u8>> =
        std::iter::from_fn(|| n[1].core.take_packet().map(|p| p.data)).collect();
    assert_eq!(got, vec![b"2".to_vec(), b"3".to_vec()]);
}

#[test]
fn kicks_losses_and_refusals() {
    let (world, mut n) = nodes(3);
    let now = Instant::now();
    n[0].with(|c, net| c.create_host(net, 0, None)).unwrap();
    n[1].with(|c, net| c.create_client(net, id(0), 0, now))
        .unwrap();
    poll_all(&mut n, now);
    let c1 = n[1].core.unique_id();
    for node in n.iter_mut() {
        node.signals.clear();
    }
    // A kick: both sides hear it once.
    n[0].with(|c, net| c.disconnect_peer(net, c1)).unwrap();
    poll_all(&mut n, now);
    assert_eq!(n[0].signals, vec![Signal::Disconnected(c1)]);
    assert_eq!(n[1].signals, vec![Signal::Disconnected(1)]);
    assert_eq!(n[1].core.status(), Status::Disconnected);
    // Refusing: a new client fails to connect, without signals.
    n[0].core.set_refusing(true);
    n[2].with(|c, net| c.create_client(net, id(0), 0, now))
        .unwrap();
    poll_all(&mut n, now);
    assert_eq!(n[2].core.status(), Status::Disconnected);
    assert!(n[2].signals.is_empty());
    // A client whose session fails is gone.
    n[0].core.set_refusing(false);
    n[2].with(|c, net| c.create_client(net, id(0), 0, now))
        .unwrap();
    poll_all(&mut n, now);
    let c2 = n[2].core.unique_id();
    n[0].signals.clear();
    world
        .borrow_mut()
        .events
        .entry(id(0))
        .or_default()
        .push(SessionEvent::Failed(id(2)));
    poll_all(&mut n, now);
    assert_eq!(n[0].signals, vec![Signal::Disconnected(c2)]);
    // The host's loss is the client's server_disconnected.
    n[1].with(|c, net| c.close(net));
    n[1].with(|c, net| c.create_client(net, id(0), 0, now))
        .unwrap();
    poll_all(&mut n, now);
    n[1].signals.clear();
    world
        .borrow_mut()
        .events
        .entry(id(1))
        .or_default()
        .push(SessionEvent::Failed(id(0)));
    poll_all(&mut n, now);
    assert_eq!(n[1].signals, vec![Signal::Disconnected(1)]);
}

#[test]
fn a_host_nobody_answers_for_fails_the_client_at_the_deadline() {
    let (_, mut n) = nodes(2);
    let now = Instant::now();
    n[1].with(|c, net| c.create_client(net, id(0), 0, now))
        .unwrap();
    poll_all(
        &mut n[1..],
        now + CONNECT_TIMEOUT - Duration::from_millis(1),
    );
    assert_eq!(n[1].core.status(), Status::Connecting);
    poll_all(&mut n[1..], now + CONNECT_TIMEOUT);
    assert_eq!(n[1].core.status(), Status::Disconnected);
    assert!(
        n[1].signals.is_empty(),
        "connection_failed, not a disconnect"
    );
}

#[test]
fn bad_calls_and_closing_and_hosting_again() {
    let (world, mut n) = nodes(3);
    let now = Instant::now();
    assert!(matches!(
        n[0].with(|c, net| c.create_client(net, id(0), 0, now)),
        Err(PeerError::InvalidParameter(_))
    ));
    n[0].with(|c, net| c.create_host(net, 0, None)).unwrap();
    assert_eq!(
        n[0].with(|c, net| c.create_host(net, 0, None)),
        Err(PeerError::AlreadyInUse)
    );
    n[1].with(|c, net| c.create_client(net, id(0), 0, now))
        .unwrap();
    poll_all(&mut n, now);
    n[0].core.target = 12345;
    assert!(matches!(
        n[0].with(|c, net| c.put_packet(net, b"x")),
        Err(PeerError::InvalidParameter(_))
    ));
    n[0].core.target = 0;
    assert!(matches!(
        n[0].with(|c, net| c.put_packet(net, &vec![0; wire::MAX_PACKET + 1])),
        Err(PeerError::InvalidParameter(_))
    ));
    // An unreliable packet too big for one datagram goes reliably.
    n[0].core.mode = Mode::Unreliable;
    assert_eq!(
        n[0].with(|c, net| c.put_packet(net, &vec![1; 5000])),
        Ok(true)
    );
    for _ in 0..3 {
        n[0].with(|c, net| c.close(net));
        assert!(n[0].signals.is_empty() || n[0].with(|c, net| c.poll(net, now)).is_empty());
        assert_eq!(n[0].core.status(), Status::Disconnected);
        assert_eq!(
            n[0].with(|c, net| c.put_packet(net, b"x")),
            Err(PeerError::Unconfigured)
        );
        n[0].with(|c, net| c.create_host(net, 0, None)).unwrap();
    }
    // The client heard the first close and can join the new host.
    poll_all(&mut n, now);
    assert_eq!(n[1].core.status(), Status::Disconnected);
    n[1].signals.clear();
    n[1].with(|c, net| c.create_client(net, id(0), 0, now))
        .unwrap();
    poll_all(&mut n, now);
    assert_eq!(n[1].core.status(), Status::Connected);

    // host_with_lobby: only for its owner, and only its members get in.
    world.borrow_mut().lobbies.insert(9, vec![id(1), id(0)]);
    let mut other = Core::new(5);
    assert!(matches!(
        other.create_host(&mut n[0].net, 1, Some(9)),
        Err(PeerError::CantCreate(_))
    ));
    world.borrow_mut().lobbies.insert(9, vec![id(0), id(1)]);
    other.create_host(&mut n[0].net, 1, Some(9)).unwrap();
    let mut outsider = Core::new(6);
    outsider
        .create_client(&mut n[2].net, id(0), 1, now)
        .unwrap();
    let mut member = Core::new(7);
    member.connect_to_lobby(&mut n[1].net, 9, 1, now).unwrap();
    for _ in 0..4 {
        other.poll(&mut n[0].net, now);
        outsider.poll(&mut n[2].net, now);
        member.poll(&mut n[1].net, now);
    }
    assert_eq!(member.status(), Status::Connected);
    assert_eq!(
        outsider.status(),
        Status::Connecting,
        "never let in: its session waits"
    );
}

#[test]
fn a_welcome_and_a_bye_in_one_poll_are_two_changes() {
    let (_, mut n) = nodes(2);
    let now = Instant::now();
    n[0].with(|c, net| c.create_host(net, 0, None)).unwrap();
    n[1].with(|c, net| c.create_client(net, id(0), 0, now))
        .unwrap();
    let s = n[0].with(|c, net| c.poll(net, now));
    assert_eq!(s.len(), 1, "the host took the client");
    n[0].with(|c, net| c.close(net));
    // Both answers wait for the client's next poll.
    assert_eq!(
        n[1].with(|c, net| c.poll(net, now)),
        vec![Signal::Connected(1)]
    );
    assert_eq!(n[1].core.status(), Status::Connected);
    assert_eq!(
        n[1].with(|c, net| c.poll(net, now)),
        vec![Signal::Disconnected(1)]
    );
    assert_eq!(n[1].core.status(), Status::Disconnected);
}

#[test]
fn a_hello_sent_before_the_host_hosts_again_is_kept() {
    let (_, mut n) = nodes(2);
    let now = Instant::now();
    n[1].with(|c, net| c.create_client(net, id(0), 0, now))
        .unwrap();
    n[0].with(|c, net| c.create_host(net, 0, None)).unwrap();
    poll_all(&mut n, now);
    // The host was not there to take the session: the repeated hello asks again.
    assert_eq!(n[1].core.status(), Status::Connecting);
    poll_all(&mut n, now + super::core::HELLO_EVERY);
    assert_eq!(n[1].core.status(), Status::Connected);
    let host_signals: Vec<Signal> = n[0].signals.drain(..).collect();
    assert_eq!(
        host_signals.len(),
        1,
        "one connection, however many hellos: {host_signals:?}"
    );
    // More repeats (in flight when the welcome came) change nothing.
    n[1].with(|c, net| {
        net.send(
            id(0),
            &super::wire::Control::Hello(c_nonce(c)).encode(),
            true,
            super::wire::control_channel(0),
        )
    });
    poll_all(&mut n, now + super::core::HELLO_EVERY * 2);
    assert!(n[0].signals.is_empty());
    assert_eq!(n[1].core.status(), Status::Connected);
}

fn c_nonce(core: &Core) -> u32 {
    core.nonce()
}
