//! `SteamMultiplayerPeer`: Godot's high-level multiplayer (RPCs,
//! MultiplayerSpawner, MultiplayerSynchronizer) over this plugin's P2P
//! sessions, with GodotSteam 4.20's API. Conversions only: the logic is in
//! [`crate::multiplayer`], and the backend is the one the `Steam`
//! singleton runs.

use std::time::Instant;

use godot::classes::multiplayer_peer::{ConnectionStatus, TransferMode};
use godot::classes::{IMultiplayerPeerExtension, MultiplayerPeerExtension};
use godot::global::Error;
use godot::meta::conv::RawPtr;
use godot::prelude::*;

use super::{main_thread_only, report_as, try_with_client};
use crate::multiplayer::core::Core;
use crate::multiplayer::{Mode, PeerError, Signal, Status, wire};
use crate::p2p::ids::lobby_from_gdscript;
use crate::p2p::{SteamId, random_seed};

/// A [MultiplayerPeer] for Godot's high-level multiplayer over Steam P2P
/// (or, with the local backend, between game instances on this machine).
///
/// Set it as `multiplayer.multiplayer_peer` after [method create_host],
/// [method create_client], [method host_with_lobby] or
/// [method connect_to_lobby]. The host is peer 1; clients get their ids
/// from the host and are `CONNECTION_CONNECTING` until then. Clients talk
/// only to the host, which relays between clients (SceneMultiplayer's
/// server relay). It uses the backend the `Steam` singleton runs: call
/// `Steam.steamInit()` first, and keep calling `Steam.run_callbacks()` (or
/// embed callbacks) for the game's own signals; the peer reads the session
/// events it needs itself. Its packets use their own P2P channels
/// (1073741824 + 64 × virtual_port + transfer channel; the control channel
/// is + 63), so they never mix with the game's own `readP2PPacket` traffic.
/// Transfer channels 0..31 are carried (others go on 0, with a warning);
/// unreliable packets over 1195 bytes are sent reliably (one warning).
#[derive(GodotClass)]
#[class(tool, base = MultiplayerPeerExtension)]
pub struct SteamMultiplayerPeer {
    core: Core,
    /// GodotSteam's Nagle setting for NetworkingSockets; kept for
    /// compatibility (P2P sessions here send at once).
    #[var]
    no_delay: bool,
    /// GodotSteam's Nagle setting for NetworkingSockets; kept for
    /// compatibility (P2P sessions here send at once).
    #[var]
    no_nagle: bool,
    /// Whether the host relays between clients ([method
    /// MultiplayerPeer._is_server_relay_supported]); clients reach each
    /// other only through the host, so leave it on.
    #[var]
    server_relay: bool,
    /// How much the peer logs: a `DEBUG_LEVEL_*` value ([enum DebugLevel]).
    #[var]
    debug_level: i64,
    warned_channel: bool,
    warned_unreliable: bool,
    /// The packet Godot is reading (get_packet hands out a pointer into it).
    current: Vec<u8>,
    base: Base<MultiplayerPeerExtension>,
}

mod enums {
    use super::SteamMultiplayerPeer;
    use crate::class_enums::class_enums;

    class_enums! { SteamMultiplayerPeer;
        /// How much a [SteamMultiplayerPeer] logs.
        enum DebugLevel {
            /// Debug level: errors and warnings only.
            DEBUG_LEVEL_NONE = 0,
            /// Debug level: also the peer's connections and ids.
            DEBUG_LEVEL_PEER = 1,
            /// Debug level: also Steam's own messages.
            DEBUG_LEVEL_STEAM = 2,
        }
    }
}

pub use enums::ENUMS as PEER_ENUMS;

impl SteamMultiplayerPeer {
    /// Reports a refused call once and returns its Godot error.
    fn refused(&self, call: &str, err: PeerError) -> Error {
        report_as(&format!("SteamMultiplayerPeer.{call}"), &err.to_string());
        match err {
            PeerError::AlreadyInUse => Error::ERR_ALREADY_IN_USE,
            PeerError::CantCreate(_) => Error::ERR_CANT_CREATE,
            PeerError::InvalidParameter(_) => Error::ERR_INVALID_PARAMETER,
            PeerError::Unconfigured => Error::ERR_UNCONFIGURED,
            PeerError::Unavailable(_) => Error::ERR_UNAVAILABLE,
        }
    }

    /// Runs `f` on the core with the running backend.
    fn with_net<R>(
        &mut self,
        f: impl FnOnce(&mut Core, &mut dyn crate::multiplayer::Net) -> R,
    ) -> Option<R> {
        let core = &mut self.core;
        try_with_client(|client| f(core, client)).ok()
    }

    fn finish(&self, call: &str, result: Option<Result<(), PeerError>>) -> Error {
        match result {
            Some(Ok(())) => {
                if self.debug_level >= 1 {
                    log::info!(
                        "SteamMultiplayerPeer.{call}(): ok (port {})",
                        self.core.port()
                    );
                }
                Error::OK
            }
            Some(Err(err)) => self.refused(call, err),
            None => self.refused(
                call,
                PeerError::CantCreate("the Steam singleton is missing".into()),
            ),
        }
    }

    /// `put_packet`, once Godot's pointer is a slice.
    fn put(&mut self, data: &[u8]) -> Error {
        if !(0..wire::CHANNELS).contains(&self.core.channel) && !self.warned_channel {
            self.warned_channel = true;
            log::warn!(
                "SteamMultiplayerPeer: transfer channel {} is out of 0..{}; such packets go on channel 0",
                self.core.channel,
                wire::CHANNELS
            );
        }
        match self.with_net(|core, net| core.put_packet(net, data)) {
            Some(Ok(sent_reliably)) => {
                if sent_reliably && !self.warned_unreliable {
                    self.warned_unreliable = true;
                    log::warn!(
                        "SteamMultiplayerPeer: an unreliable packet of {} bytes is over one datagram: it (and others like it) goes reliably",
                        data.len()
                    );
                }
                Error::OK
            }
            Some(Err(err)) => self.refused("put_packet", err),
            None => self.refused("put_packet", PeerError::Unconfigured),
        }
    }

    fn port(&self, call: &str, virtual_port: i64) -> Result<u16, Error> {
        u16::try_from(virtual_port).map_err(|_| {
            self.refused(
                call,
                PeerError::InvalidParameter(format!(
                    "invalid virtual_port {virtual_port}: expected 0..={}",
                    wire::MAX_PORT
                )),
            )
        })
    }
}

impl Drop for SteamMultiplayerPeer {
    // A game that quits (or drops its peer) without close() still says
    // goodbye, so the others hear it at once rather than at the session
    // timeout. Never a panic out of a destructor: an unexpected borrow of
    // the singleton only costs the goodbye.
    fn drop(&mut self) {
        if self.core.status() == Status::Disconnected {
            return;
        }
        let core = &mut self.core;
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            try_with_client(|client| core.close(client))
        }));
    }
}

#[godot_api]
impl IMultiplayerPeerExtension for SteamMultiplayerPeer {
    fn init(base: Base<MultiplayerPeerExtension>) -> Self {
        Self {
            core: Core::new(random_seed()),
            no_delay: false,
            no_nagle: false,
            server_relay: true,
            debug_level: 0,
            warned_channel: false,
            warned_unreliable: false,
            current: Vec::new(),
            base,
        }
    }

    fn get_available_packet_count(&self) -> i32 {
        main_thread_only!("SteamMultiplayerPeer.get_available_packet_count", 0);
        self.core.waiting() as i32
    }

    fn get_max_packet_size(&self) -> i32 {
        wire::MAX_PACKET as i32
    }

    // Godot's raw packet calls, rather than the `_script` pair: those make
    // a PackedByteArray per packet on each side (an allocation and a copy
    // each way).
    unsafe fn get_packet_rawptr(
        &mut self,
        r_buffer: RawPtr<*mut RawPtr<*const u8>>,
        r_buffer_size: RawPtr<*mut i32>,
    ) -> Error {
        main_thread_only!("SteamMultiplayerPeer.get_packet", Error::ERR_UNAVAILABLE);
        let (buffer, size) = (r_buffer.ptr().cast::<*const u8>(), r_buffer_size.ptr());
        if buffer.is_null() || size.is_null() {
            return Error::ERR_INVALID_PARAMETER;
        }
        let Some(packet) = self.core.take_packet() else {
            return Error::ERR_UNAVAILABLE;
        };
        // Kept until the next call: Godot reads the bytes where they are.
        self.current = packet.data;
        // SAFETY: Godot passes the addresses of its own `const uint8_t *`
        // and `int` (MultiplayerPeerExtension::get_packet), checked for
        // null above. `current` stays in this object, unchanged, until the
        // next get_packet, as long as Godot's contract asks.
        unsafe {
            buffer.write(self.current.as_ptr());
            size.write(self.current.len() as i32);
        }
        Error::OK
    }

    unsafe fn put_packet_rawptr(
        &mut self,
        p_buffer: RawPtr<*const u8>,
        p_buffer_size: i32,
    ) -> Error {
        main_thread_only!("SteamMultiplayerPeer.put_packet", Error::ERR_UNAVAILABLE);
        let (ptr, len) = (p_buffer.ptr(), usize::try_from(p_buffer_size).unwrap_or(0));
        let data: &[u8] = if ptr.is_null() || len == 0 {
            &[]
        } else {
            // SAFETY: Godot hands over `p_buffer_size` readable bytes at
            // `p_buffer` for the duration of this call
            // (MultiplayerPeerExtension::put_packet); the send copies them
            // before it returns.
            unsafe { std::slice::from_raw_parts(ptr, len) }
        };
        self.put(data)
    }

    fn get_packet_channel(&self) -> i32 {
        self.core.next_packet().map_or(0, |p| p.channel)
    }

    fn get_packet_mode(&self) -> TransferMode {
        match self.core.next_packet().map(|p| p.mode) {
            Some(Mode::Unreliable) => TransferMode::UNRELIABLE,
            Some(Mode::UnreliableOrdered) => TransferMode::UNRELIABLE_ORDERED,
            _ => TransferMode::RELIABLE,
        }
    }

    fn set_transfer_channel(&mut self, p_channel: i32) {
        self.core.channel = p_channel;
    }

    fn get_transfer_channel(&self) -> i32 {
        self.core.channel
    }

    fn set_transfer_mode(&mut self, p_mode: TransferMode) {
        self.core.mode = match p_mode {
            TransferMode::UNRELIABLE => Mode::Unreliable,
            TransferMode::UNRELIABLE_ORDERED => Mode::UnreliableOrdered,
            _ => Mode::Reliable,
        };
    }

    fn get_transfer_mode(&self) -> TransferMode {
        match self.core.mode {
            Mode::Unreliable => TransferMode::UNRELIABLE,
            Mode::UnreliableOrdered => TransferMode::UNRELIABLE_ORDERED,
            Mode::Reliable => TransferMode::RELIABLE,
        }
    }

    fn set_target_peer(&mut self, p_peer: i32) {
        self.core.target = p_peer;
    }

    fn get_packet_peer(&self) -> i32 {
        self.core.next_packet().map_or(0, |p| p.from)
    }

    fn is_server(&self) -> bool {
        self.core.is_server()
    }

    fn poll(&mut self) {
        main_thread_only!("SteamMultiplayerPeer.poll");
        let now = Instant::now();
        let Some(signals) = self.with_net(|core, net| core.poll(net, now)) else {
            return;
        };
        // Emitted with the Steam singleton released: handlers may call it.
        for signal in signals {
            let (name, id) = match signal {
                Signal::Connected(id) => ("peer_connected", id),
                Signal::Disconnected(id) => ("peer_disconnected", id),
            };
            if self.debug_level >= 1 {
                log::info!("SteamMultiplayerPeer: {name}({id})");
            }
            self.base_mut()
                .emit_signal(name, &[i64::from(id).to_variant()]);
        }
    }

    fn close(&mut self) {
        main_thread_only!("SteamMultiplayerPeer.close");
        if self.with_net(|core, net| core.close(net)).is_none() {
            self.core = Core::new(random_seed());
        }
    }

    fn disconnect_peer(&mut self, p_peer: i32, _p_force: bool) {
        main_thread_only!("SteamMultiplayerPeer.disconnect_peer");
        if let Some(Err(err)) = self.with_net(|core, net| core.disconnect_peer(net, p_peer)) {
            self.refused("disconnect_peer", err);
        }
    }

    fn get_unique_id(&self) -> i32 {
        self.core.unique_id()
    }

    fn set_refuse_new_connections(&mut self, p_enable: bool) {
        self.core.set_refusing(p_enable);
    }

    fn is_refusing_new_connections(&self) -> bool {
        self.core.is_refusing()
    }

    fn is_server_relay_supported(&self) -> bool {
        self.server_relay
    }

    fn get_connection_status(&self) -> ConnectionStatus {
        match self.core.status() {
            Status::Disconnected => ConnectionStatus::DISCONNECTED,
            Status::Connecting => ConnectionStatus::CONNECTING,
            Status::Connected => ConnectionStatus::CONNECTED,
        }
    }
}

#[godot_api]
impl SteamMultiplayerPeer {
    /// Hosts a game as peer 1 on `virtual_port` (0..65535; clients use the
    /// same). Any user that asks for a P2P session is taken as a client
    /// unless [member MultiplayerPeer.refuse_new_connections] is set.
    /// Returns `ERR_ALREADY_IN_USE` if hosting or connected already,
    /// `ERR_CANT_CREATE` if Steam is not initialized.
    #[func]
    fn create_host(&mut self, #[opt(default = 0)] virtual_port: i64) -> Error {
        main_thread_only!("SteamMultiplayerPeer.create_host", Error::ERR_UNAVAILABLE);
        let port = match self.port("create_host", virtual_port) {
            Ok(port) => port,
            Err(err) => return err,
        };
        let result = self.with_net(|core, net| core.create_host(net, port, None));
        self.finish("create_host", result)
    }

    /// Joins the game hosted by `steam_id` on `virtual_port`. The peer is
    /// `CONNECTION_CONNECTING` until the host gives it its id, then
    /// `connected_to_server` follows; `connection_failed` if the host does
    /// not answer in time or refuses. `ERR_INVALID_PARAMETER` for an
    /// invalid id or the user's own.
    #[func]
    fn create_client(&mut self, steam_id: i64, #[opt(default = 0)] virtual_port: i64) -> Error {
        main_thread_only!("SteamMultiplayerPeer.create_client", Error::ERR_UNAVAILABLE);
        let port = match self.port("create_client", virtual_port) {
            Ok(port) => port,
            Err(err) => return err,
        };
        let Ok(host) = SteamId::from_gdscript(steam_id) else {
            return self.refused(
                "create_client",
                PeerError::InvalidParameter(format!(
                    "invalid Steam ID {steam_id}: expected the SteamID64 of the host"
                )),
            );
        };
        let now = Instant::now();
        let result = self.with_net(|core, net| core.create_client(net, host, port, now));
        self.finish("create_client", result)
    }

    /// Hosts a game for the members of a lobby the user owns (port 0): only
    /// they may connect. `ERR_CANT_CREATE` if the user does not own it.
    #[func]
    fn host_with_lobby(&mut self, lobby_id: i64) -> Error {
        main_thread_only!(
            "SteamMultiplayerPeer.host_with_lobby",
            Error::ERR_UNAVAILABLE
        );
        let Ok(lobby) = lobby_from_gdscript(lobby_id) else {
            return self.refused(
                "host_with_lobby",
                PeerError::InvalidParameter(format!("invalid lobby id {lobby_id}")),
            );
        };
        let result = self.with_net(|core, net| core.create_host(net, 0, Some(lobby)));
        self.finish("host_with_lobby", result)
    }

    /// Joins the game of a lobby's owner (port 0); the user must be a
    /// member. `ERR_CANT_CREATE` otherwise.
    #[func]
    fn connect_to_lobby(&mut self, lobby_id: i64) -> Error {
        main_thread_only!(
            "SteamMultiplayerPeer.connect_to_lobby",
            Error::ERR_UNAVAILABLE
        );
        let Ok(lobby) = lobby_from_gdscript(lobby_id) else {
            return self.refused(
                "connect_to_lobby",
                PeerError::InvalidParameter(format!("invalid lobby id {lobby_id}")),
            );
        };
        let now = Instant::now();
        let result = self.with_net(|core, net| core.connect_to_lobby(net, lobby, 0, now));
        self.finish("connect_to_lobby", result)
    }

    /// The Steam ID of a peer id (the user's own for its own id); 0 if unknown.
    #[func]
    fn get_steam_id_for_peer_id(&mut self, peer_id: i64) -> i64 {
        main_thread_only!("SteamMultiplayerPeer.get_steam_id_for_peer_id", 0);
        let Ok(peer) = i32::try_from(peer_id) else {
            return 0;
        };
        self.with_net(|core, net| core.steam_id_of(net, peer))
            .unwrap_or(0) as i64
    }

    /// The peer id of a Steam ID (the user's own id for its own Steam ID);
    /// 0 if unknown.
    #[func]
    fn get_peer_id_for_steam_id(&mut self, steam_id: i64) -> i64 {
        main_thread_only!("SteamMultiplayerPeer.get_peer_id_for_steam_id", 0);
        i64::from(
            self.with_net(|core, net| core.peer_id_of(net, steam_id as u64))
                .unwrap_or(0),
        )
    }
}
