//! The peer's state machine: its state, session events, what arrives and
//! where packets go (the host's and a client's own steps are in `host.rs`
//! and `client.rs`). It takes the time and a [`Net`] as
//! arguments, so the handshake and its timeouts are tested without Godot.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use super::wire::{self, Control};
use super::{Incoming, Mode, Net, PeerError, SessionEvent, Signal, Status};
use crate::p2p::SteamId;
// Looked up per packet (sender ids, sequence numbers): Fx, not SipHash.
use crate::p2p::limits::MAX_UNRELIABLE_BYTES;
use rustc_hash::FxHashMap as HashMap;

/// How long a client waits for the host's answer (the backend's session
/// timeout usually ends it sooner).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How often a connecting client says hello again (each one raises a new
/// session request at a host that has not taken the session yet).
pub const HELLO_EVERY: Duration = Duration::from_secs(1);
/// Packets read per poll at most, so a flood cannot stall a frame.
const READS_PER_POLL: usize = 8192;
/// Packets waiting for the game at most (then reading pauses).
const MAX_WAITING: usize = 16384;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Role {
    #[default]
    Idle,
    Host,
    Client,
}

/// One `SteamMultiplayerPeer`'s state.
#[derive(Debug, Default)]
pub struct Core {
    pub(super) role: Role,
    pub(super) status: Status,
    pub(super) unique_id: i32,
    pub(super) port: u16,
    /// `host_with_lobby`: only its members may connect.
    pub(super) lobby: Option<u64>,
    /// A client's host.
    pub(super) host: Option<SteamId>,
    pub(super) peers: BTreeMap<i32, SteamId>,
    pub(super) ids: HashMap<SteamId, i32>,
    /// Host: the nonce of each client's connection.
    pub(super) nonces: HashMap<SteamId, u32>,
    /// Client: this connection's nonce, and when hello was last said.
    pub(super) nonce: u32,
    pub(super) hello_at: Option<Instant>,
    pub(super) incoming: VecDeque<Incoming>,
    pub(super) signals: Vec<Signal>,
    pub(super) refuse: bool,
    /// `set_target_peer`: 0 everyone, > 0 that peer, < 0 all but that one.
    pub target: i32,
    /// `set_transfer_channel`.
    pub channel: i32,
    /// `set_transfer_mode`.
    pub mode: Mode,
    pub(super) seq_out: HashMap<(i32, i32), u32>,
    pub(super) seq_in: HashMap<(i32, i32), u32>,
    pub(super) cursor: u64,
    pub(super) rng: u64,
    /// Reused for each packet sent (no allocation per RPC).
    pub(super) scratch: Vec<u8>,
    pub(super) connect_deadline: Option<Instant>,
}

/// Whether sequence number `a` comes after `b` (wrapping).
fn newer(a: u32, b: u32) -> bool {
    a != b && a.wrapping_sub(b) < u32::MAX / 2
}

impl Core {
    /// A closed peer; `seed` varies the ids a host hands out.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: seed | 1,
            ..Self::default()
        }
    }

    /// `get_connection_status`.
    pub fn status(&self) -> Status {
        self.status
    }

    /// `get_unique_id`: 1 for the host, the host-given id for a connected
    /// client, 0 before that.
    pub fn unique_id(&self) -> i32 {
        self.unique_id
    }

    /// `is_server`.
    pub fn is_server(&self) -> bool {
        self.role == Role::Host
    }

    /// `set_refuse_new_connections` / `is_refusing_new_connections`.
    pub fn set_refusing(&mut self, refuse: bool) {
        self.refuse = refuse;
    }

    /// Whether new clients are turned away.
    pub fn is_refusing(&self) -> bool {
        self.refuse
    }

    /// A client's connection nonce (0 before `create_client`).
    #[cfg(test)]
    pub fn nonce(&self) -> u32 {
        self.nonce
    }

    /// The virtual port in use.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The next packet, as `get_packet_*` describe it.
    pub fn next_packet(&self) -> Option<&Incoming> {
        self.incoming.front()
    }

    /// Takes the next packet.
    pub fn take_packet(&mut self) -> Option<Incoming> {
        self.incoming.pop_front()
    }

    /// Packets waiting.
    pub fn waiting(&self) -> usize {
        self.incoming.len()
    }

    /// `get_steam_id_for_peer_id`: 0 if unknown.
    pub fn steam_id_of(&self, net: &dyn Net, peer: i32) -> u64 {
        if peer != 0 && peer == self.unique_id {
            return net.me().map_or(0, SteamId::raw);
        }
        match self.role {
            Role::Client if peer == 1 && self.status == Status::Connected => {
                self.host.map_or(0, SteamId::raw)
            }
            _ => self.peers.get(&peer).map_or(0, |s| s.raw()),
        }
    }

    /// `get_peer_id_for_steam_id`: 0 if unknown.
    pub fn peer_id_of(&self, net: &dyn Net, steam_id: u64) -> i32 {
        if self.unique_id != 0 && net.me().map(SteamId::raw) == Some(steam_id) {
            return self.unique_id;
        }
        if self.role == Role::Client && self.host.map(SteamId::raw) == Some(steam_id) {
            return if self.status == Status::Connected {
                1
            } else {
                0
            };
        }
        self.ids
            .iter()
            .find(|(s, _)| s.raw() == steam_id)
            .map_or(0, |(_, id)| *id)
    }

    pub(super) fn start(&mut self, net: &mut dyn Net, port: u16) -> Result<SteamId, PeerError> {
        if self.role != Role::Idle {
            return Err(PeerError::AlreadyInUse);
        }
        let me = net.me().ok_or_else(|| {
            PeerError::CantCreate(
                "Steam is not initialized: call Steam.steamInit() (or steamInitEx()) first; \
                 SteamMultiplayerPeer uses the backend the Steam singleton runs"
                    .into(),
            )
        })?;
        // Game packets a previous peer on this port left behind are not ours.
        for godot in 0..wire::CHANNELS {
            while net.read(wire::channel(port, godot)).is_some() {}
        }
        net.session_events(&mut self.cursor);
        self.port = port;
        Ok(me)
    }

    pub(super) fn next_random(&mut self) -> u64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng
    }

    pub(super) fn new_id(&mut self) -> i32 {
        loop {
            let id = (self.next_random() % (i32::MAX as u64 - 1)) as i32 + 2;
            if !self.peers.contains_key(&id) {
                return id;
            }
        }
    }

    pub(super) fn forget(&mut self, id: i32) {
        if let Some(steam) = self.peers.remove(&id) {
            self.ids.remove(&steam);
            self.nonces.remove(&steam);
        }
        self.seq_in.retain(|(p, _), _| *p != id);
        self.seq_out.retain(|(p, _), _| *p != id);
    }

    pub(super) fn reset(&mut self) {
        let (refuse, rng, cursor) = (self.refuse, self.rng, self.cursor);
        let (target, channel, mode) = (self.target, self.channel, self.mode);
        let signals = std::mem::take(&mut self.signals);
        *self = Self {
            refuse,
            rng,
            cursor,
            target,
            channel,
            mode,
            signals,
            ..Self::default()
        };
    }

    /// Does the work: session events, the handshake, arriving packets.
    /// Returns the signals to emit, in order.
    pub fn poll(&mut self, net: &mut dyn Net, now: Instant) -> Vec<Signal> {
        if self.role != Role::Idle {
            for event in net.session_events(&mut self.cursor) {
                self.on_session_event(net, event);
            }
            net.look(wire::control_channel(self.port));
        }
        match self.role {
            Role::Idle => {}
            Role::Host => self.poll_host(net),
            Role::Client => self.poll_client(net, now),
        }
        std::mem::take(&mut self.signals)
    }

    pub(super) fn on_session_event(&mut self, net: &mut dyn Net, event: SessionEvent) {
        match (self.role, event) {
            (Role::Host, SessionEvent::Request(from)) => {
                let allowed = match self.lobby {
                    Some(lobby) => net.lobby_members(lobby).contains(&from),
                    None => true,
                };
                // Others are the game's to decide (its p2p_session_request).
                // A refusing host still takes the session, to say no at once.
                if allowed {
                    net.accept(from);
                }
            }
            (Role::Host, SessionEvent::Failed(from)) => {
                if let Some(id) = self.ids.get(&from).copied() {
                    self.forget(id);
                    self.signals.push(Signal::Disconnected(id));
                }
            }
            (Role::Client, SessionEvent::Request(from)) if Some(from) == self.host => {
                net.accept(from);
            }
            (Role::Client, SessionEvent::Failed(from)) if Some(from) == self.host => {
                self.lose_host();
            }
            _ => {}
        }
    }

    /// Reads every data channel, filing packets from known senders.
    pub(super) fn read_data(
        &mut self,
        net: &mut dyn Net,
        id_of: impl Fn(&Self, SteamId) -> Option<i32>,
    ) {
        let mut reads = 0;
        for godot in 0..wire::CHANNELS {
            let channel = wire::channel(self.port, godot);
            while reads < READS_PER_POLL && self.incoming.len() < MAX_WAITING {
                let Some((from, bytes)) = net.read(channel) else {
                    break;
                };
                reads += 1;
                let Some(id) = id_of(self, from) else {
                    continue;
                };
                let Some((mode, seq, payload)) = wire::decode_data(&bytes) else {
                    log::debug!("SteamMultiplayerPeer: dropped a malformed packet from {from}");
                    continue;
                };
                if mode == Mode::UnreliableOrdered {
                    let last = self
                        .seq_in
                        .entry((id, godot))
                        .or_insert(seq.wrapping_sub(1));
                    if !newer(seq, *last) {
                        continue; // late: a newer one came first
                    }
                    *last = seq;
                }
                let header = bytes.len() - payload.len();
                let mut data = bytes;
                // The packet's own buffer, minus the header: no allocation.
                data.drain(..header);
                self.incoming.push_back(Incoming {
                    from: id,
                    channel: godot,
                    mode,
                    data,
                });
            }
        }
    }

    /// `put_packet`: to the target peer(s), with the transfer mode and
    /// channel set. Returns whether an oversized unreliable packet went
    /// reliably (the caller warns once).
    pub fn put_packet(&mut self, net: &mut dyn Net, data: &[u8]) -> Result<bool, PeerError> {
        if self.status != Status::Connected {
            return Err(PeerError::Unconfigured);
        }
        if data.len() > wire::MAX_PACKET {
            return Err(PeerError::InvalidParameter(format!(
                "packet of {} bytes: SteamMultiplayerPeer sends at most {} bytes",
                data.len(),
                wire::MAX_PACKET
            )));
        }
        // One named peer, or every peer but `exclude` (0: none), without
        // collecting them: put_packet runs once per RPC.
        let (one, exclude) = match (self.role, self.target) {
            (Role::Client, 0 | 1) => (None, 0),
            (Role::Client, t) if t < 0 && t != -1 => (None, 0),
            (Role::Client, t) => {
                return Err(PeerError::InvalidParameter(format!(
                    "target peer {t}: a client reaches other peers through the host (SceneMultiplayer's server relay)"
                )));
            }
            (_, t) if t <= 0 => (None, -t),
            (_, t) => match self.peers.get(&t) {
                Some(s) => (Some((t, *s)), 0),
                None => {
                    return Err(PeerError::InvalidParameter(format!(
                        "target peer {t} is not connected"
                    )));
                }
            },
        };
        let all = one.is_none().then(|| {
            self.peers
                .iter()
                .filter(move |(i, _)| **i != exclude)
                .map(|(i, s)| (*i, *s))
        });
        let targets = one.into_iter().chain(all.into_iter().flatten());
        let godot = if (0..wire::CHANNELS).contains(&self.channel) {
            self.channel
        } else {
            0
        };
        let channel = wire::channel(self.port, godot);
        let header = 1 + if self.mode == Mode::UnreliableOrdered {
            4
        } else {
            0
        };
        let reliable = self.mode == Mode::Reliable || data.len() + header > MAX_UNRELIABLE_BYTES;
        let mut refused = Vec::new();
        for (id, steam) in targets {
            let seq = if self.mode == Mode::UnreliableOrdered {
                let next = self.seq_out.entry((id, godot)).or_insert(0);
                *next = next.wrapping_add(1);
                *next
            } else {
                0
            };
            wire::encode_data_into(&mut self.scratch, self.mode, seq, data);
            if !net.send(steam, &self.scratch, reliable, channel) && reliable {
                refused.push(id);
            }
        }
        if !refused.is_empty() {
            // A reliable packet must not vanish quietly: the game hears it.
            return Err(PeerError::Unavailable(format!(
                "the backend refused a reliable packet to peer(s) {refused:?} (send queue full?)"
            )));
        }
        Ok(reliable && self.mode != Mode::Reliable)
    }

    /// `disconnect_peer`: the peer is told, and `peer_disconnected` follows
    /// from the next poll (for a client, about the host).
    pub fn disconnect_peer(&mut self, net: &mut dyn Net, id: i32) -> Result<(), PeerError> {
        let control = wire::control_channel(self.port);
        match self.role {
            Role::Host => {
                let steam = self.peers.get(&id).copied().ok_or_else(|| {
                    PeerError::InvalidParameter(format!("disconnect_peer: no peer {id}"))
                })?;
                net.send(steam, &Control::Bye.encode(), true, control);
                self.forget(id);
                self.signals.push(Signal::Disconnected(id));
                Ok(())
            }
            Role::Client if id == 1 => {
                if let Some(host) = self.host {
                    net.send(host, &Control::Bye.encode(), true, control);
                }
                self.lose_host();
                Ok(())
            }
            _ => Err(PeerError::InvalidParameter(format!(
                "disconnect_peer: no peer {id}"
            ))),
        }
    }

    /// `close`: every peer is told; no signals (as Godot's own peers).
    pub fn close(&mut self, net: &mut dyn Net) {
        let control = wire::control_channel(self.port);
        let others: Vec<SteamId> = match self.role {
            Role::Host => self.peers.values().copied().collect(),
            Role::Client => self.host.into_iter().collect(),
            Role::Idle => Vec::new(),
        };
        for steam in others {
            net.send(steam, &Control::Bye.encode(), true, control);
        }
        self.reset();
        self.signals.clear();
        self.refuse = false;
    }
}
