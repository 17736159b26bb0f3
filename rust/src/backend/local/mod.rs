//! The local backend: Steam's P2P API between game instances on one machine,
//! with no Steam client. Instance `n` is Steam ID 76561197960265728 + 1 + n
//! and listens on 127.0.0.1, port `STEAM_NETWORKING_LOCAL_PORT` (27200) + n.
//!
//! The session rules live in [`sessions`], the bytes on the wire in
//! [`wire`], the sockets and threads in [`transport`], the simulated network
//! conditions in [`netsim`]; this file joins them.

mod apps;
pub mod avatar;
mod bell;
pub mod config;
pub mod directory;
pub mod fair;
mod friends;
pub mod lobby;
pub mod locale;
mod matchmaking;
pub mod netsim;
pub mod pool;
mod quiet;
mod sending;
pub mod sessions;
pub mod stream;
pub mod transport;
mod user;
mod utils;
pub mod wire;

#[cfg(test)]
mod glue_tests;

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use super::Backend;
use super::dry::Dry;
use crate::p2p::{
    Channel, Event, InitFailure, InitStatus, PERSONA_CHANGE_NAME, Packet, SendType, SessionError,
    SessionState, SteamId,
};
use config::{LocalConfig, MAX_SLOTS};
use netsim::Netsim;
use netsim::inbox::Arrival;
use sessions::{Rules, SessionTable};
use transport::{StartError, Transport};

/// How often an unaccepted peer that keeps sending raises a new request.
const REQUEST_REPEAT: Duration = Duration::from_secs(1);
/// Unreliable bytes per peer that may wait unread (held or ready).
const UNRELIABLE_BUDGET: usize = 256 * 1024;
/// Calls closer together than this read the sockets once. Measured: 1 us
/// added half a microsecond per side to a busy-polled round trip; looking
/// on every call doubled the cost of an empty `getAvailableP2PPacketSize`
/// (68 -> 220 ns); 250 ns costs 139 ns a call and most of the latency back.
const SOCKET_LOOK_GAP: Duration = Duration::from_nanos(250);
/// The same for `run_callbacks`.
const CALLBACK_LOOK_GAP: Duration = Duration::from_millis(1);
/// How often `run_callbacks` checks timers and liveness.
const HOUSEKEEPING_EVERY: Duration = Duration::from_millis(5);

/// A running local-backend instance.
pub struct LocalBackend {
    me: SteamId,
    table: SessionTable,
    transport: Transport,
    /// Non-local ids already warned about, so the log says it once.
    warned: HashSet<SteamId>,
    /// Peers whose send queue refused a packet and has not drained below
    /// half since: a game retrying every frame gets one warning, not thousands.
    full: HashSet<SteamId>,
    /// When the sockets were last read.
    last_look: Instant,
    last_housekeeping: Instant,
    /// Peers that closed their session with us during a pump, kept here
    /// between pumps so that no pump allocates.
    closed_by_peer: Vec<SteamId>,
    /// Other instances' persona names, as their pings and pongs said them.
    names: HashMap<SteamId, String>,
    /// Callbacks of the other interfaces (names, avatars) for the next
    /// `run_callbacks`.
    pending: Vec<Event>,
    /// The app id `getAppID` reports.
    app_id: u32,
    /// The player's locale as Godot reports it ("en_US").
    locale: String,
    /// Whether "there is no overlay" was said already.
    overlay_noted: bool,
    /// The lobbies this instance is in, and their traffic.
    lobbies: lobby::Lobbies,
    /// Simulated network conditions, and the packets they keep.
    netsim: Netsim,
    /// Whether a dry `available` may skip the look (the doorbell).
    quiet: quiet::Quiet,
}

impl LocalBackend {
    /// Takes the configured slot, or the lowest free one, and starts.
    pub fn start(config: LocalConfig) -> Result<Self, InitFailure> {
        Self::start_with(config, transport::spawn_thread)
    }

    /// [`LocalBackend::start`], starting threads through `spawner`.
    pub fn start_with(
        config: LocalConfig,
        spawner: transport::Spawner,
    ) -> Result<Self, InitFailure> {
        let failed = |why: String| {
            InitFailure::new(
                InitStatus::FailedGeneric,
                format!("the local backend cannot start: {why}"),
            )
        };
        let (slot, transport) = match config.slot {
            Some(slot) => match Transport::bind_with(&config, slot, spawner) {
                Ok(transport) => (slot, transport),
                Err(StartError::Taken(why)) => {
                    return Err(InitFailure::new(
                        InitStatus::FailedGeneric,
                        format!(
                            "local instance {slot} is taken: {why}. \
                             Give each instance its own STEAM_NETWORKING_LOCAL_ID, or leave it unset to pick a free one"
                        ),
                    ));
                }
                Err(StartError::Failed(why)) => return Err(failed(why)),
            },
            None => {
                let mut found = None;
                for slot in 0..MAX_SLOTS {
                    match Transport::bind_with(&config, slot, spawner) {
                        Ok(transport) => {
                            found = Some((slot, transport));
                            break;
                        }
                        Err(StartError::Taken(_)) => {}
                        Err(StartError::Failed(why)) => return Err(failed(why)),
                    }
                }
                found.ok_or_else(|| {
                    InitFailure::new(
                        InitStatus::FailedGeneric,
                        format!(
                            "no free local instance slot: all {MAX_SLOTS} are taken ({})",
                            directory::Directory::new(&config).describe()
                        ),
                    )
                })?
            }
        };
        let me = LocalConfig::steam_id(slot);
        log::info!(
            "local backend: instance {slot}, Steam ID {me}, port {}",
            transport.addr().port()
        );
        if config.conditions.send.is_active() {
            log::info!(
                "local backend: simulating {} on what this instance sends",
                config.conditions.send.summary()
            );
        }
        let netsim = Netsim::new(config.conditions, crate::p2p::random_seed());
        let mut lobbies = lobby::Lobbies::new(me, config.timeout, crate::p2p::random_seed());
        lobbies.set_identity(transport.name(), 0);
        let rules = Rules {
            timeout: config.timeout,
            request_repeat: REQUEST_REPEAT,
            unreliable_budget: UNRELIABLE_BUDGET,
        };
        Ok(Self {
            me,
            table: SessionTable::new(rules),
            transport,
            warned: HashSet::new(),
            full: HashSet::new(),
            last_look: Instant::now(),
            last_housekeeping: Instant::now(),
            closed_by_peer: Vec::new(),
            names: HashMap::new(),
            pending: Vec::new(),
            app_id: 0,
            locale: String::new(),
            overlay_noted: false,
            lobbies,
            netsim,
            quiet: quiet::Quiet::default(),
        })
    }

    /// Files what arrived and returns freed budget; returns the time it used.
    /// The sockets are read only if the last read is `gap` old: calls in
    /// quick succession (a loop over channels, a busy poll) share one look,
    /// which costs a system call per socket.
    fn pump(&mut self, gap: Duration) -> Instant {
        let now = Instant::now();
        let look = now.duration_since(self.last_look) >= gap;
        if look {
            self.last_look = now;
            // Read before the sockets: a ring after this is looked at again.
            self.quiet.looking(self.transport.bell(), now);
        }
        let table = &mut self.table;
        let closed_by_peer = &mut self.closed_by_peer;
        let (names, pending) = (&mut self.names, &mut self.pending);
        let lobbies = &mut self.lobbies;
        let netsim = &mut self.netsim;
        let mut lobby_traffic = false;
        let mut found = false;
        self.transport.drain(look, |inbound| {
            found = true;
            match inbound {
                transport::Inbound::Lobby { peer, payload } => {
                    lobbies.receive(peer, &payload, now);
                    lobby_traffic = true;
                }
                transport::Inbound::Packet {
                    sender,
                    channel,
                    data,
                    reliable,
                    hold: None,
                } if netsim.passes_through() => {
                    table.on_packet(now, sender, channel, data, reliable);
                }
                transport::Inbound::Packet {
                    sender,
                    channel,
                    data,
                    reliable,
                    hold,
                } => {
                    let packet = Arrival::Packet {
                        sender,
                        channel,
                        data,
                        reliable,
                    };
                    netsim.arrive(now, packet, hold);
                }
                transport::Inbound::Alive { peer, name } => {
                    table.heard_from(now, peer);
                    if names.get(&peer) != Some(&name) {
                        names.insert(peer, name);
                        pending.push(Event::PersonaStateChange(peer, PERSONA_CHANGE_NAME));
                    }
                }
                transport::Inbound::Unreachable(peer) => table.fail(peer, SessionError::Timeout),
                transport::Inbound::Closed(peer) if netsim.passes_through() => {
                    if table.peer_closed(peer) {
                        closed_by_peer.push(peer);
                    }
                }
                // After what the simulation still keeps from that peer.
                transport::Inbound::Closed(peer) => {
                    netsim.arrive(now, Arrival::Closed(peer), None);
                }
            }
        });
        self.netsim.release(now, |arrival| match arrival {
            Arrival::Packet {
                sender,
                channel,
                data,
                reliable,
            } => {
                table.on_packet(now, sender, channel, data, reliable);
            }
            Arrival::Closed(peer) => {
                if table.peer_closed(peer) {
                    closed_by_peer.push(peer);
                }
            }
        });
        // Our side of a session the peer closed ends without a word back:
        // the peer has no session to close any more.
        for peer in self.closed_by_peer.drain(..) {
            self.transport.close(peer, false);
        }
        self.give_back();
        if look {
            let trust = self.netsim.passes_through() && self.transport.has_bell();
            self.quiet.looked(found, trust, now);
        }
        if lobby_traffic {
            self.lobby_step(now);
        }
        now
    }

    /// Lets the lobbies act (send, resend, notice silence, finish queries)
    /// and sends what they want sent.
    fn lobby_step(&mut self, now: Instant) {
        self.lobbies.tick(now);
        for (to, payload) in self.lobbies.take_outgoing() {
            self.transport.send_lobby(to, &payload);
        }
    }

    /// Lobby members' names become known names, as pings make them.
    fn learn_member_names(&mut self) {
        let me = self.me;
        for (id, name) in self.lobbies.member_names() {
            if id != me && !name.is_empty() && self.names.get(&id).map(String::as_str) != Some(name)
            {
                self.names.insert(id, name.to_owned());
                self.pending
                    .push(Event::PersonaStateChange(id, PERSONA_CHANGE_NAME));
            }
        }
    }

    /// Sets what the app and platform calls report: the app id and the
    /// player's locale (Godot's `OS.get_locale()`, e.g. "en_US").
    pub fn set_app(&mut self, app_id: u32, locale: &str) {
        self.app_id = app_id;
        self.locale = locale.to_owned();
        self.lobbies.set_identity(self.transport.name(), app_id);
    }

    /// Where this instance listens (TCP and UDP, on 127.0.0.1).
    pub fn addr(&self) -> std::net::SocketAddr {
        self.transport.addr()
    }

    /// What the transport holds now (threads, connections): for leak checks.
    pub fn holdings(&self) -> transport::Holdings {
        self.transport.holdings()
    }

    fn give_back(&mut self) {
        for released in self.table.take_released() {
            if released.reliable {
                self.transport.give_back(released.sender, released.bytes);
                // A stream held back for budget may go on now.
                self.quiet.distrust();
            }
        }
    }
}

impl Drop for LocalBackend {
    fn drop(&mut self) {
        // steamShutdown leaves the lobbies, as Steam does.
        let now = Instant::now();
        self.lobbies.leave_all(now);
        self.lobby_step(now);
    }
}

impl Backend for LocalBackend {
    fn local_id(&self) -> SteamId {
        self.me
    }

    fn send(&mut self, to: SteamId, data: &[u8], send_type: SendType, channel: Channel) -> bool {
        // No pump: sending depends on nothing that arrived, and a game that
        // sends in a loop should not read the sockets once per packet.
        let now = Instant::now();
        if self.table.on_send(now, to, channel) {
            self.transport.ping(to);
        }
        let sent = if self.netsim.shapes_sends() {
            self.send_shaped(now, to, data, send_type.is_reliable(), channel)
        } else if send_type.is_reliable() {
            self.transport.send_reliable(to, channel, data, None)
        } else {
            self.transport.send_unreliable(to, channel, data, None)
        };
        match sent {
            Ok(()) => {
                // Warn again only after the queue has really drained, not
                // whenever a full queue took one more packet.
                if !self.full.is_empty()
                    && self.queued(to, now).0 < transport::SEND_QUEUE_BUDGET / 2
                {
                    self.full.remove(&to);
                }
                true
            }
            Err(why) => self.refused(to, why),
        }
    }

    fn available(&mut self, channel: Channel) -> Option<u32> {
        // While packets wait, the game is not short of work: look at the
        // sockets when the channel runs dry (and in run_callbacks), not on
        // every call of a read loop.
        if let Some(size) = self.table.available(channel) {
            return Some(size);
        }
        if self.quiet.nothing_new(|| self.transport.bell()) {
            return None;
        }
        self.pump(SOCKET_LOOK_GAP);
        self.table.available(channel)
    }

    fn lends_dry(&self) -> bool {
        true
    }

    fn lend_dry(&mut self) -> Option<Dry> {
        // Every channel, not only the one asked: the promise answers for
        // any channel.
        if self.table.has_ready() {
            return None;
        }
        let bell = self.transport.bell_line()?;
        let (seen, left) = self.quiet.lend()?;
        Some(Dry::new(bell, seen, left))
    }

    fn return_dry(&mut self, unused: u32) {
        self.quiet.give_back(unused);
    }

    fn read(&mut self, max_len: usize, channel: Channel) -> Option<Packet> {
        // `available` just found this packet (looking at the sockets if the
        // channel was dry); looking again per packet was pure cost.
        let packet = self.table.read(channel, max_len);
        self.give_back();
        packet
    }

    fn read_queued(&mut self, channel: Channel) -> Option<Packet> {
        let size = self.table.available(channel)?;
        self.read(size as usize, channel)
    }

    fn recycle(&mut self, buffer: Vec<u8>) {
        self.transport.recycle(buffer);
    }

    fn accept(&mut self, remote: SteamId) -> bool {
        self.pump(SOCKET_LOOK_GAP);
        if self.table.accept(Instant::now(), remote) {
            self.transport.ping(remote);
        }
        // Accepting opens our side of the connection, as Steam's would.
        if let Err(why) = self.transport.connect(remote) {
            self.refused(remote, why);
        }
        true
    }

    fn close_session(&mut self, remote: SteamId) -> bool {
        self.pump(SOCKET_LOOK_GAP);
        let closed = self.table.close_session(remote);
        if closed {
            self.transport.close(remote, true);
        }
        self.give_back();
        closed
    }

    fn close_channel(&mut self, remote: SteamId, channel: Channel) -> bool {
        self.pump(SOCKET_LOOK_GAP);
        let closed = self.table.close_channel(remote, channel);
        if closed && !self.table.has_session(remote) {
            self.transport.close(remote, true);
        }
        self.give_back();
        closed
    }

    fn session_state(&mut self, remote: SteamId) -> Option<SessionState> {
        self.pump(SOCKET_LOOK_GAP);
        if !self.table.has_session(remote) {
            return None;
        }
        let active = self.table.is_active(remote);
        let (bytes, packets) = self.queued(remote, Instant::now());
        Some(SessionState {
            connection_active: active,
            connecting: !active,
            session_error: SessionError::None as u8,
            using_relay: false,
            bytes_queued_for_send: i32::try_from(bytes).unwrap_or(i32::MAX),
            packets_queued_for_send: i32::try_from(packets).unwrap_or(i32::MAX),
            remote_ip: u32::from(Ipv4Addr::LOCALHOST),
            remote_port: self.transport.peer_addr(remote).map_or(0, |a| a.port()),
        })
    }

    fn allow_relay(&mut self, allow: bool) -> bool {
        // Nothing to relay through on one machine; the setting is accepted.
        log::debug!("local backend: allowP2PPacketRelay({allow}) has no effect");
        true
    }

    fn poll(&mut self, events: &mut Vec<Event>) {
        // Events need no fresher data than once per frame; a game that also
        // polls for packets keeps the sockets read anyway.
        let now = self.pump(CALLBACK_LOOK_GAP);
        // Timers and liveness need no finer steps, and a game that calls
        // run_callbacks in a busy loop should not redo them every time.
        if now.duration_since(self.last_housekeeping) >= HOUSEKEEPING_EVERY {
            self.last_housekeeping = now;
            self.table.tick(now);
            // Sessions that timed out or failed drop their connections too.
            let table = &self.table;
            self.transport.close_unless(|peer| table.has_session(peer));
            self.transport.watch(self.table.accepted_peers());
            self.transport.reap();
            self.transport.check_bell(now);
            self.give_back();
            self.lobby_step(now);
            self.learn_member_names();
        }
        self.table.take_events(events);
        self.lobbies.take_events(events);
        events.append(&mut self.pending);
    }
}
