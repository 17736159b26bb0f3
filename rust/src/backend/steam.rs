//! The Steam backend: Valve's `ISteamNetworking` through the `steamworks`
//! crate, and `steamworks::sys` for the two calls the crate does not wrap.

use steamworks::{CallbackResult, Client, SteamAPIInitError};

use super::Backend;
use crate::p2p::{
    Channel, Event, InitFailure, InitStatus, Packet, SendType, SessionState, SteamId,
};

/// A started Steam API. Dropping the last `Client` calls `SteamAPI_Shutdown`.
pub struct SteamBackend {
    client: Client,
    local_id: SteamId,
}

impl SteamBackend {
    /// Starts the Steam API. A non-zero `app_id` is put in the environment
    /// (`SteamAppId`, `SteamGameId`) first, as GodotSteam does.
    pub fn start(app_id: u32) -> Result<Self, InitFailure> {
        let started = if app_id == 0 {
            Client::init()
        } else {
            Client::init_app(app_id)
        };
        let client = started.map_err(|err| {
            let (status, msg) = match &err {
                SteamAPIInitError::FailedGeneric(msg) => (InitStatus::FailedGeneric, msg),
                SteamAPIInitError::NoSteamClient(msg) => (InitStatus::NoSteamClient, msg),
                SteamAPIInitError::VersionMismatch(msg) => (InitStatus::VersionMismatch, msg),
            };
            // Steam's own message when it gave one, else the crate's description.
            let steam_says = if msg.trim().is_empty() {
                err.to_string()
            } else {
                msg.clone()
            };
            InitFailure::new(
                status,
                format!(
                    "Steam did not start: {steam_says}. Is the Steam client running and logged in? \
                     To test without Steam, set STEAM_NETWORKING_BACKEND=local"
                ),
            )
        })?;
        let raw_id = client.user().steam_id().raw();
        let local_id = SteamId::from_u64(raw_id).ok_or_else(|| {
            InitFailure::new(
                InitStatus::FailedGeneric,
                format!("Steam started but reported an invalid local Steam ID {raw_id}"),
            )
        })?;
        Ok(Self { client, local_id })
    }

    /// The raw interface pointer for calls the crate does not wrap; null
    /// only if Steam is not initialized, which `self` existing rules out.
    fn raw_networking(&self) -> *mut steamworks::sys::ISteamNetworking {
        // SAFETY: a plain accessor of the initialized Steam API.
        unsafe { steamworks::sys::SteamAPI_SteamNetworking_v006() }
    }
}

fn to_steamworks(id: SteamId) -> steamworks::SteamId {
    steamworks::SteamId::from_raw(id.raw())
}

impl Backend for SteamBackend {
    fn local_id(&self) -> SteamId {
        self.local_id
    }

    fn is_running(&self) -> bool {
        // SAFETY: a plain query, valid at any time.
        unsafe { steamworks::sys::SteamAPI_IsSteamRunning() }
    }

    fn send(&mut self, to: SteamId, data: &[u8], send_type: SendType, channel: Channel) -> bool {
        let send_type = match send_type {
            SendType::Unreliable => steamworks::SendType::Unreliable,
            SendType::UnreliableNoDelay => steamworks::SendType::UnreliableNoDelay,
            SendType::Reliable => steamworks::SendType::Reliable,
            SendType::ReliableWithBuffering => steamworks::SendType::ReliableWithBuffering,
        };
        self.client.networking().send_p2p_packet_on_channel(
            to_steamworks(to),
            send_type,
            data,
            channel.get(),
        )
    }

    fn available(&mut self, channel: Channel) -> Option<u32> {
        let size = self
            .client
            .networking()
            .is_p2p_packet_available_on_channel(channel.get())?;
        u32::try_from(size).ok()
    }

    fn read(&mut self, max_len: usize, channel: Channel) -> Option<Packet> {
        let mut buf = vec![0u8; max_len];
        let (sender, len) = self
            .client
            .networking()
            .read_p2p_packet_from_channel(&mut buf, channel.get())?;
        // Steam reports the packet's full size when it truncates.
        buf.truncate(len.min(max_len));
        let Some(sender) = SteamId::from_u64(sender.raw()) else {
            log::warn!("dropped a packet from an invalid Steam ID {}", sender.raw());
            return None;
        };
        Some(Packet { sender, data: buf })
    }

    fn accept(&mut self, remote: SteamId) -> bool {
        self.client
            .networking()
            .accept_p2p_session(to_steamworks(remote))
    }

    fn close_session(&mut self, remote: SteamId) -> bool {
        self.client
            .networking()
            .close_p2p_session(to_steamworks(remote))
    }

    fn close_channel(&mut self, remote: SteamId, channel: Channel) -> bool {
        // SAFETY: the interface pointer is valid while Steam is initialized.
        unsafe {
            steamworks::sys::SteamAPI_ISteamNetworking_CloseP2PChannelWithUser(
                self.raw_networking(),
                remote.raw(),
                channel.get(),
            )
        }
    }

    fn session_state(&mut self, remote: SteamId) -> Option<SessionState> {
        let state = self
            .client
            .networking()
            .get_p2p_session_state(to_steamworks(remote))?;
        Some(SessionState {
            connection_active: state.connection_active,
            connecting: state.connecting,
            session_error: state.error.into(),
            using_relay: state.using_relay,
            bytes_queued_for_send: state.bytes_queued_for_send,
            packets_queued_for_send: state.packets_queued_for_send,
            remote_ip: state.remote_ip.map_or(0, u32::from),
            remote_port: state.remote_port.unwrap_or(0),
        })
    }

    fn allow_relay(&mut self, allow: bool) -> bool {
        // SAFETY: the interface pointer is valid while Steam is initialized.
        unsafe {
            steamworks::sys::SteamAPI_ISteamNetworking_AllowP2PPacketRelay(
                self.raw_networking(),
                allow,
            )
        }
    }

    fn poll(&mut self, events: &mut Vec<Event>) {
        // process_callbacks drives Steam's manual dispatch on this (the main)
        // thread; the events become signals only after it returns.
        self.client.process_callbacks(|callback| match callback {
            CallbackResult::P2PSessionRequest(req) => match SteamId::from_u64(req.remote.raw()) {
                Some(id) => events.push(Event::SessionRequest(id)),
                None => log::warn!(
                    "ignored a session request from invalid Steam ID {}",
                    req.remote.raw()
                ),
            },
            CallbackResult::P2PSessionConnectFail(fail) => {
                match SteamId::from_u64(fail.remote.raw()) {
                    Some(id) => events.push(Event::ConnectFail(id, fail.error)),
                    None => log::warn!(
                        "ignored a connect failure for invalid Steam ID {}",
                        fail.remote.raw()
                    ),
                }
            }
            _ => {}
        });
    }
}
