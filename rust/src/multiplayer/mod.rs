//! Godot's high-level multiplayer over P2P sessions, in plain Rust: the
//! state machine behind `SteamMultiplayerPeer` ([`core::Core`]), its bytes
//! ([`wire`]) and what it needs from the running backend ([`Net`], which
//! `api::Client` implements). The Godot class only converts.
//!
//! Topology: a star. The host is peer 1; each client has one P2P session,
//! with the host, and Godot's SceneMultiplayer relays client-to-client
//! traffic through it. The peer's packets use their own P2P channels,
//! derived from the virtual port (see [`wire::channel`]), so a game's own
//! P2P traffic on other channels never sees them.

mod client;
pub mod core;
mod host;
pub mod wire;

#[cfg(test)]
mod tests;

use crate::p2p::SteamId;

/// What the peer needs from the running Steam (or local) backend.
pub trait Net {
    /// The local user's Steam ID, or `None` when Steam is not running.
    fn me(&self) -> Option<SteamId>;
    /// Sends `data` to `to` on P2P `channel`; false if refused.
    fn send(&mut self, to: SteamId, data: &[u8], reliable: bool, channel: i32) -> bool;
    /// Looks for what arrived since the last look (once per poll: reading
    /// the sockets costs system calls, and a poll reads 33 channels).
    fn look(&mut self, channel: i32);
    /// Takes the next packet already waiting on P2P `channel`.
    fn read(&mut self, channel: i32) -> Option<(SteamId, Vec<u8>)>;
    /// Accepts the session `from` asked for.
    fn accept(&mut self, from: SteamId);
    /// Lets the backend work (callbacks, timers) and returns the session
    /// events seen since `cursor` (which it advances): requests and failures.
    fn session_events(&mut self, cursor: &mut u64) -> Vec<SessionEvent>;
    /// A lobby's owner, if the user is in it.
    fn lobby_owner(&mut self, lobby: u64) -> Option<SteamId>;
    /// A lobby's members, if the user is in it.
    fn lobby_members(&mut self, lobby: u64) -> Vec<SteamId>;
}

/// A P2P session event, as the peer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEvent {
    /// `remote` asked for a session.
    Request(SteamId),
    /// The session with `remote` failed (it stopped answering).
    Failed(SteamId),
}

/// Godot's `TransferMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// May be lost or come out of order.
    Unreliable = 0,
    /// May be lost; late ones are dropped.
    UnreliableOrdered = 1,
    /// Arrives, once, in order.
    #[default]
    Reliable = 2,
}

/// Godot's `ConnectionStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    /// Not hosting or connected (or failed).
    #[default]
    Disconnected = 0,
    /// A client waiting for the host to give it an id.
    Connecting = 1,
    /// Hosting, or a client with its id.
    Connected = 2,
}

/// A signal for `poll()` to emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// `peer_connected(id)`.
    Connected(i32),
    /// `peer_disconnected(id)`.
    Disconnected(i32),
}

/// A received packet, as `get_packet*` describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The peer id it came from (1 on clients).
    pub from: i32,
    /// Its Godot transfer channel.
    pub channel: i32,
    /// Its transfer mode.
    pub mode: Mode,
    /// Its bytes.
    pub data: Vec<u8>,
}

/// Why a call was refused, as Godot's `Error` and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerError {
    /// `ERR_ALREADY_IN_USE`: hosting or connected already.
    AlreadyInUse,
    /// `ERR_CANT_CREATE`: Steam is not running, or the lobby is not ours.
    CantCreate(String),
    /// `ERR_INVALID_PARAMETER`.
    InvalidParameter(String),
    /// `ERR_UNCONFIGURED`: not connected.
    Unconfigured,
    /// `ERR_UNAVAILABLE`: the backend refused to send (a full queue).
    Unavailable(String),
}

impl std::fmt::Display for PeerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AlreadyInUse => f.write_str(
                "this peer is hosting or connecting already: call close() first, or make a new SteamMultiplayerPeer",
            ),
            Self::CantCreate(why) | Self::InvalidParameter(why) | Self::Unavailable(why) => {
                f.write_str(why)
            }
            Self::Unconfigured => f.write_str(
                "this peer is not connected: create_host() or create_client() first (and, as a client, wait for connected_to_server)",
            ),
        }
    }
}
