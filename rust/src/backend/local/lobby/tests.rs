//! Several instances' lobbies in one process, over a pretend network with
//! a pretend clock: owner changes, lost datagrams and silent peers are
//! played through without sockets or sleeping.

use std::time::{Duration, Instant};

use super::*;
use crate::backend::local::config::LocalConfig;
use crate::p2p::lobby::{Comparison, member_change};

const TIMEOUT: Duration = Duration::from_millis(2000);
const STEP: Duration = Duration::from_millis(5);

struct Net {
    nodes: Vec<Lobbies>,
    alive: Vec<bool>,
    now: Instant,
    events: Vec<Vec<Event>>,
    /// Drops this share of datagrams (pseudo-randomly) when set.
    loss: Option<f64>,
    rng: u64,
}

fn id(i: usize) -> SteamId {
    LocalConfig::steam_id(i as u16)
}

impl Net {
    fn new(n: usize) -> Self {
        let nodes = (0..n)
            .map(|i| {
                let mut l = Lobbies::new(id(i), TIMEOUT, 1000 + i as u64 * 7919);
                l.set_identity(&format!("P{i}"), 480);
                l
            })
            .collect();
        Self {
            nodes,
            alive: vec![true; n],
            now: Instant::now(),
            events: vec![Vec::new(); n],
            loss: None,
            rng: 0x2545_F491_4F6C_DD1D,
        }
    }

    fn instances(&self, me: usize) -> (Vec<SteamId>, bool) {
        (
            (0..self.nodes.len()).filter(|i| *i != me).map(id).collect(),
            true,
        )
    }

    /// Runs the network for `span` of pretend time.
    fn run(&mut self, span: Duration) {
        let end = self.now + span;
        while self.now < end {
            for _ in 0..20 {
                let mut moved = false;
                for i in 0..self.nodes.len() {
                    if !self.alive[i] {
                        continue;
                    }
                    self.nodes[i].tick(self.now);
                    let out: Vec<_> = self.nodes[i].take_outgoing().collect();
                    for (to, payload) in out {
                        moved = true;
                        // xorshift: the same losses on every run.
                        self.rng ^= self.rng << 13;
                        self.rng ^= self.rng >> 7;
                        self.rng ^= self.rng << 17;
                        let roll = (self.rng % 1000) as f64 / 1000.0;
                        if self.loss.is_some_and(|p| roll < p) {
                            continue;
                        }
                        let j = LocalConfig::slot_of(to).unwrap() as usize;
                        if j < self.nodes.len() && self.alive[j] {
                            self.nodes[j].receive(id(i), &payload, self.now);
                        }
                    }
                    let mut ev = Vec::new();
                    self.nodes[i].take_events(&mut ev);
                    self.events[i].extend(ev);
                }
                if !moved {
                    break;
                }
            }
            self.now += STEP;
        }
    }

    fn take(&mut self, i: usize) -> Vec<Event> {
        std::mem::take(&mut self.events[i])
    }

    /// Runs until instance `i` has an event `pick` likes (at most 2 s of
    /// pretend time), keeping its other events.
    fn wait_for<T>(&mut self, i: usize, pick: impl Fn(&Event) -> Option<T>) -> T {
        let start = self.now;
        while self.now.duration_since(start) < Duration::from_secs(2) {
            self.run(STEP);
            if let Some(at) = self.events[i].iter().position(|e| pick(e).is_some()) {
                let event = self.events[i].remove(at);
                return pick(&event).unwrap();
            }
        }
        panic!("instance {i} got no such event: {:?}", self.events[i]);
    }

    fn list(&mut self, i: usize, filters: Vec<ListFilter>) -> Vec<u64> {
        let inst = self.instances(i);
        let now = self.now;
        self.nodes[i].request_list(filters, inst, now);
        self.wait_for(i, |e| match e {
            Event::LobbyMatchList(ids) => Some(ids.clone()),
            _ => None,
        })
    }

    fn join(&mut self, i: usize, lobby: u64) -> u32 {
        let inst = self.instances(i);
        let now = self.now;
        self.nodes[i].join(lobby, inst, now);
        self.wait_for(i, |e| match e {
            Event::LobbyJoined { response, .. } => Some(*response),
            _ => None,
        })
    }

    fn create(&mut self, i: usize, lobby_type: LobbyType, limit: u32) -> u64 {
        self.nodes[i].create(lobby_type, limit);
        self.run(STEP);
        let events = self.take(i);
        let lobby = match events.first() {
            Some(Event::LobbyCreated { result: 1, lobby }) => *lobby,
            other => panic!("expected lobby_created, got {other:?}"),
        };
        assert!(matches!(
            events.get(1),
            Some(Event::LobbyJoined { response: 1, .. })
        ));
        lobby
    }

    /// Instance 0 creates a public lobby of 4 and 1 and 2 join it; the
    /// events so far are dropped. Returns the lobby.
    fn all_in_one_lobby(&mut self) -> u64 {
        let lobby = self.create(0, LobbyType::Public, 4);
        assert_eq!(self.join(1, lobby), 1);
        assert_eq!(self.join(2, lobby), 1);
        for i in 0..self.nodes.len() {
            self.take(i);
        }
        lobby
    }

    fn members(&self, i: usize, lobby: u64) -> Vec<SteamId> {
        (0..self.nodes[i].member_count(lobby))
            .filter_map(|k| self.nodes[i].member_at(lobby, k))
            .collect()
    }
}

fn chat_updates(events: &[Event]) -> Vec<(u64, u32)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::LobbyChatUpdate { changed, state, .. } => Some((*changed, *state)),
            _ => None,
        })
        .collect()
}

#[test]
fn create_list_join_talk_and_leave() {
    let mut net = Net::new(3);
    let lobby = net.create(0, LobbyType::Public, 2);
    assert!(
        crate::p2p::ids::lobby_from_gdscript(lobby as i64).is_ok(),
        "a lobby SteamID"
    );
    let now = net.now;
    assert!(net.nodes[0].set_data(lobby, "mode", Some("ctf"), now));
    net.run(STEP);
    net.take(0);

    let ctf = ListFilter::String {
        key: "mode".into(),
        value: "ctf".into(),
        comparison: Comparison::Equal,
    };
    let dm = ListFilter::String {
        key: "mode".into(),
        value: "dm".into(),
        comparison: Comparison::Equal,
    };
    assert_eq!(net.list(1, vec![ctf.clone()]), vec![lobby]);
    assert_eq!(net.list(1, vec![dm]), Vec::<u64>::new());
    assert_eq!(
        net.nodes[1].data(lobby, "mode"),
        "ctf",
        "listed data is known"
    );
    assert_eq!(
        net.list(0, vec![]),
        vec![lobby],
        "our own lobby is listed too"
    );

    assert_eq!(net.join(1, lobby), EnterResponse::Success as u32);
    assert_eq!(net.members(1, lobby), vec![id(0), id(1)]);
    assert_eq!(net.nodes[1].owner(lobby), Some(id(0)));
    assert_eq!(
        chat_updates(&net.take(0)),
        vec![(id(1).raw(), member_change::ENTERED)]
    );
    assert_eq!(net.join(2, lobby), EnterResponse::Full as u32);
    assert_eq!(
        net.list(2, vec![ListFilter::SlotsAvailable(1)]),
        Vec::<u64>::new()
    );

    // Member data and chat go through the owner to everyone.
    let now = net.now;
    net.nodes[1].set_member_data(lobby, "ready", "yes", now);
    assert!(net.nodes[1].chat(lobby, b"hello", now));
    net.run(Duration::from_millis(20));
    for i in [0, 1] {
        let events = net.take(i);
        assert!(
            events.contains(&Event::LobbyMessage {
                lobby,
                user: id(1).raw(),
                message: b"hello".to_vec(),
                chat_type: 1
            }),
            "{i}: {events:?}"
        );
        assert!(events.contains(&Event::LobbyDataUpdate {
            success: true,
            lobby,
            member: id(1).raw()
        }));
        assert_eq!(net.nodes[i].member_data(lobby, id(1), "ready"), "yes");
    }

    // The owner leaves: the member owns it, and the lobby is still listed.
    let now = net.now;
    net.nodes[0].leave(lobby, now);
    net.run(Duration::from_millis(50));
    let events = net.take(1);
    assert_eq!(
        chat_updates(&events),
        vec![(id(0).raw(), member_change::LEFT)]
    );
    assert_eq!(net.nodes[1].owner(lobby), Some(id(1)));
    assert_eq!(net.list(2, vec![ctf]), vec![lobby]);
    assert_eq!(net.join(2, lobby), EnterResponse::Success as u32);
    assert_eq!(net.members(2, lobby), vec![id(1), id(2)]);

    // Closed to joins, then gone when the last member leaves.
    let now = net.now;
    assert!(net.nodes[1].set_settings(lobby, now, |r| r.joinable = false));
    net.run(STEP);
    assert_eq!(net.join(0, lobby), EnterResponse::NotAllowed as u32);
    for i in [2, 1] {
        let now = net.now;
        net.nodes[i].leave(lobby, now);
        net.run(Duration::from_millis(20));
    }
    assert_eq!(net.list(0, vec![]), Vec::<u64>::new());
    assert_eq!(net.join(0, lobby), EnterResponse::DoesntExist as u32);
}

#[test]
fn a_silent_owner_is_replaced_within_the_timeout() {
    let mut net = Net::new(3);
    let lobby = net.all_in_one_lobby();
    net.alive[0] = false;
    let died = net.now;
    let mut noticed = None;
    while net.now.duration_since(died) < TIMEOUT * 2 {
        net.run(Duration::from_millis(50));
        let events = net.take(2);
        if chat_updates(&events).contains(&(id(0).raw(), member_change::DISCONNECTED)) {
            noticed = Some(net.now.duration_since(died));
            break;
        }
    }
    let noticed = noticed.expect("member 2 saw the owner disconnect");
    assert!(noticed <= TIMEOUT, "noticed after {noticed:?}");
    net.run(Duration::from_millis(100));
    for i in [1, 2] {
        assert_eq!(net.nodes[i].owner(lobby), Some(id(1)), "instance {i}");
        assert_eq!(net.members(i, lobby), vec![id(1), id(2)]);
    }
    // The new owner's lobby works: chat reaches the other member.
    let now = net.now;
    net.nodes[2].chat(lobby, b"still here", now);
    net.run(Duration::from_millis(20));
    assert!(
        net.take(1)
            .iter()
            .any(|e| matches!(e, Event::LobbyMessage { .. }))
    );
    assert_eq!(net.list(2, vec![]), vec![lobby]);
}

#[test]
fn nothing_is_lost_or_repeated_when_datagrams_are() {
    let mut net = Net::new(3);
    net.loss = Some(0.3);
    let lobby = net.create(0, LobbyType::Public, 4);
    assert_eq!(net.join(1, lobby), 1);
    net.run(Duration::from_millis(500));
    assert_eq!(net.join(2, lobby), 1);
    net.run(Duration::from_millis(500));
    for i in 0..3 {
        net.take(i);
    }
    for n in 0..50u8 {
        let now = net.now;
        net.nodes[1 + (n as usize % 2)].chat(lobby, &[n], now);
        net.run(STEP);
    }
    // Go-back-N over 30% loss needs a few rounds per message.
    net.run(Duration::from_secs(10));
    for i in 0..3 {
        let events = net.take(i);
        assert!(
            !chat_updates(&events)
                .iter()
                .any(|(_, s)| *s != member_change::ENTERED),
            "nobody dropped out: {events:?}"
        );
        for sender in [1, 2] {
            // Each sender's lines arrive once each and in order (Steam
            // orders lines per lobby through its servers, here through the
            // owner, so each sender's own order is what is promised).
            let lines: Vec<u8> = events
                .iter()
                .filter_map(|e| match e {
                    Event::LobbyMessage { message, user, .. } if *user == id(sender).raw() => {
                        Some(message[0])
                    }
                    _ => None,
                })
                .collect();
            let sent: Vec<u8> = (0..50u8)
                .filter(|n| 1 + (*n as usize % 2) == sender)
                .collect();
            assert_eq!(lines, sent, "instance {i}, lines of {sender}");
        }
    }
}

#[test]
fn handing_the_lobby_over_keeps_everyone_in_it() {
    let mut net = Net::new(3);
    let lobby = net.create(0, LobbyType::Public, 4);
    assert_eq!(net.join(1, lobby), 1);
    assert_eq!(net.join(2, lobby), 1);
    let now = net.now;
    assert!(net.nodes[0].set_owner(lobby, id(2), now));
    net.run(Duration::from_millis(100));
    for i in 0..3 {
        assert_eq!(net.nodes[i].owner(lobby), Some(id(2)), "instance {i}");
        assert_eq!(net.members(i, lobby), vec![id(0), id(1), id(2)]);
    }
    let now = net.now;
    assert!(net.nodes[2].set_data(lobby, "map", Some("dust"), now));
    assert!(
        !net.nodes[0].set_data(lobby, "map", Some("no"), now),
        "no longer the owner"
    );
    net.run(Duration::from_millis(50));
    for i in 0..3 {
        assert_eq!(net.nodes[i].data(lobby, "map"), "dust");
    }
    // Nobody was dropped for not finding the new owner.
    net.run(TIMEOUT * 2);
    assert_eq!(net.members(2, lobby), vec![id(0), id(1), id(2)]);
}

#[test]
fn lobbies_of_other_apps_stay_apart() {
    let mut net = Net::new(2);
    net.nodes[1].set_identity("P1", 999);
    let lobby = net.create(0, LobbyType::Public, 4);
    assert_eq!(net.list(1, vec![]), Vec::<u64>::new());
    assert_eq!(net.join(1, lobby), EnterResponse::DoesntExist as u32);
}

#[test]
fn an_instance_that_shuts_down_leaves_its_lobbies() {
    let mut net = Net::new(3);
    let lobby = net.all_in_one_lobby();
    // The owner shuts down: its last datagrams go out, then it is silent.
    let now = net.now;
    net.nodes[0].leave_all(now);
    net.run(STEP);
    net.alive[0] = false;
    net.run(Duration::from_millis(50));
    for i in [1, 2] {
        assert_eq!(
            chat_updates(&net.take(i)),
            vec![(id(0).raw(), member_change::LEFT)],
            "instance {i}"
        );
        assert_eq!(net.nodes[i].owner(lobby), Some(id(1)));
    }
}
