//! ISteamNetworking (the P2P calls) on Steam.

use super::{SteamBackend, to_steamworks};
use crate::backend::Backend;
use crate::p2p::{Channel, Event, Packet, SendType, SessionState, SteamId};

impl Backend for SteamBackend {
    fn local_id(&self) -> SteamId {
        self.local_id
    }

    fn liveness(&self) -> crate::backend::Liveness {
        crate::backend::Liveness::WhileSteamRuns
    }

    fn send(&mut self, to: SteamId, data: &[u8], send_type: SendType, channel: Channel) -> bool {
        let send_type = match send_type {
            SendType::Unreliable => steamworks::SendType::Unreliable,
            SendType::UnreliableNoDelay => steamworks::SendType::UnreliableNoDelay,
            SendType::Reliable => steamworks::SendType::Reliable,
            SendType::ReliableWithBuffering => steamworks::SendType::ReliableWithBuffering,
        };
        self.networking.send_p2p_packet_on_channel(
            to_steamworks(to),
            send_type,
            data,
            channel.get(),
        )
    }

    fn available(&mut self, channel: Channel) -> Option<u32> {
        let size = self
            .networking
            .is_p2p_packet_available_on_channel(channel.get())?;
        u32::try_from(size).ok()
    }

    fn read(&mut self, max_len: usize, channel: Channel) -> Option<Packet> {
        let mut buf = vec![0u8; max_len];
        let (sender, len) = self
            .networking
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
            .networking
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
        self.dispatch(events);
    }
}
