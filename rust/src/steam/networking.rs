//! ISteamNetworking's GDScript surface (the P2P calls): conversions only;
//! the logic is in [`crate::api`].

use godot::prelude::*;

use super::{Steam, answer, client, main_thread_only, or_report, with_client};
use crate::p2p::{Channel, Packet, SessionState};

/// The keys of a packet dictionary, made once per singleton: making three
/// Strings per packet was a large part of what a read cost.
pub(super) struct PacketKeys {
    data: Variant,
    steam_id_remote: Variant,
    remote_steam_id: Variant,
}

impl Default for PacketKeys {
    fn default() -> Self {
        Self {
            data: "data".to_variant(),
            steam_id_remote: "steam_id_remote".to_variant(),
            remote_steam_id: "remote_steam_id".to_variant(),
        }
    }
}

impl PacketKeys {
    fn dict(&self, packet: &Packet) -> VarDictionary {
        let id = packet.sender.to_gdscript();
        let mut dict = VarDictionary::new();
        dict.set(&self.data, &PackedByteArray::from(packet.data.as_slice()));
        dict.set(&self.steam_id_remote, id);
        dict.set(&self.remote_steam_id, id);
        dict
    }
}

fn state_to_dict(state: SessionState) -> VarDictionary {
    vdict! {
        "connection_active" => state.connection_active,
        "connecting" => state.connecting,
        "session_error" => state.session_error as i64,
        "using_relay" => state.using_relay,
        "bytes_queued_for_send" => state.bytes_queued_for_send as i64,
        "packets_queued_for_send" => state.packets_queued_for_send as i64,
        "remote_ip" => state.remote_ip as i64,
        "remote_port" => state.remote_port as i64,
    }
}

#[godot_api(secondary)]
impl Steam {
    /// Accepts packets from `remote_steam_id`, normally in answer to
    /// [signal p2p_session_request]. Sending to a user accepts implicitly.
    /// Returns false if the id is invalid or Steam is not initialized.
    #[func(rename = acceptP2PSessionWithUser)]
    fn accept_p2p_session_with_user(remote_steam_id: i64) -> bool {
        answer("acceptP2PSessionWithUser", false, |client| {
            client.accept(remote_steam_id)
        })
    }

    /// Allows or forbids falling back to Steam's relay servers when a direct
    /// connection cannot be made (allowed by default). Always true when
    /// initialized; false before.
    #[func(rename = allowP2PPacketRelay)]
    fn allow_p2p_packet_relay(allow: bool) -> bool {
        answer("allowP2PPacketRelay", false, |client| {
            client.allow_relay(allow)
        })
    }

    /// Closes one channel with a user: packets from them still waiting on it
    /// are dropped. When the last channel closes, the session closes too.
    /// False if there was no such session or channel.
    #[func(rename = closeP2PChannelWithUser)]
    fn close_p2p_channel_with_user(remote_steam_id: i64, channel: i64) -> bool {
        answer("closeP2PChannelWithUser", false, |client| {
            client.close_channel(remote_steam_id, channel)
        })
    }

    /// Closes the session with a user and frees its resources: packets from
    /// them still waiting are dropped, packets already sent to them still go
    /// out. A later packet from them raises a new [signal p2p_session_request].
    /// The other user gets no signal for it. False if no session was open.
    #[func(rename = closeP2PSessionWithUser)]
    fn close_p2p_session_with_user(remote_steam_id: i64) -> bool {
        answer("closeP2PSessionWithUser", false, |client| {
            client.close_session(remote_steam_id)
        })
    }

    /// The state of the session with a user, or `{}` when there is none. Keys:
    /// `connection_active` (the session is accepted and the user has
    /// answered), `connecting` (not yet: also for a request not yet
    /// accepted), `session_error`, `using_relay`, `bytes_queued_for_send`,
    /// `packets_queued_for_send`, `remote_ip` (IPv4 as an int), `remote_port`.
    #[func(rename = getP2PSessionState)]
    fn get_p2p_session_state(remote_steam_id: i64) -> VarDictionary {
        answer("getP2PSessionState", None, |client| {
            client.session_state(remote_steam_id)
        })
        .map_or_else(VarDictionary::new, state_to_dict)
    }

    /// The size in bytes of the next packet waiting on `channel`, or 0 when
    /// there is none. Pass the channel even when it is 0: with the argument
    /// left out, Godot calls through Variants and the call costs about
    /// three times as much (~65 against ~20 ns here).
    #[func(rename = getAvailableP2PPacketSize)]
    fn get_available_p2p_packet_size(#[opt(default = 0)] channel: i64) -> i64 {
        if Channel::from_gdscript(channel).is_ok() && client::nothing_waits() {
            return 0;
        }
        ask_available(channel)
    }

    /// Reads the next packet on `channel` into a buffer of `packet_size` bytes
    /// (normally what [method getAvailableP2PPacketSize] returned); a longer
    /// packet is truncated and consumed. Returns `{data: PackedByteArray,
    /// steam_id_remote: int, remote_steam_id: int}` (both spellings of the
    /// sender), or `{}` when no packet waits.
    #[func(rename = readP2PPacket)]
    fn read_p2p_packet(
        &mut self,
        packet_size: i64,
        #[opt(default = 0)] channel: i64,
    ) -> VarDictionary {
        main_thread_only!("readP2PPacket", VarDictionary::new());
        let keys = &self.keys;
        with_client("readP2PPacket", |client| {
            let packet = or_report("readP2PPacket", client.read(packet_size, channel), None)?;
            let dict = keys.dict(&packet);
            client.recycle(packet.data);
            Some(dict)
        })
        .flatten()
        .unwrap_or_default()
    }

    /// Reads up to `max_packets` waiting packets from `channel` in one call and
    /// returns them as an Array of the dictionaries [method readP2PPacket]
    /// returns (each packet whole). Not in GodotSteam: an extension of this
    /// plugin for games that move many packets per frame. It saves the
    /// GDScript loop, not the cost of each packet's dictionary, so it reads
    /// at about the rate of a [method getAvailableP2PPacketSize] +
    /// [method readP2PPacket] loop. `[]` when nothing waits.
    #[func(rename = readP2PPackets)]
    fn read_p2p_packets(&mut self, max_packets: i64, #[opt(default = 0)] channel: i64) -> VarArray {
        main_thread_only!("readP2PPackets", VarArray::new());
        let mut packets = VarArray::new();
        let keys = &self.keys;
        with_client("readP2PPackets", |client| {
            let read = client.read_many(max_packets, channel, |packet| {
                packets.push(&keys.dict(packet).to_variant())
            });
            or_report("readP2PPackets", read, 0);
        });
        packets
    }

    /// Sends `data` to a user on `channel` with a `P2P_SEND_*` type (no
    /// default, as in GodotSteam). Unreliable packets hold at most 1200 bytes,
    /// reliable ones 1 MiB; empty packets are refused. True means queued,
    /// not delivered: a failure later raises [signal p2p_session_connect_fail].
    #[func(rename = sendP2PPacket)]
    fn send_p2p_packet(
        remote_steam_id: i64,
        data: PackedByteArray,
        send_type: i64,
        #[opt(default = 0)] channel: i64,
    ) -> bool {
        answer("sendP2PPacket", false, |client| {
            client.send(remote_steam_id, data.as_slice(), send_type, channel)
        })
    }
}

/// `getAvailableP2PPacketSize` asking the API. Not inlined: the answer
/// without it (above) is then a small function that saves few registers
/// (inlined, the prologue cost every such answer 2-4 ns of ~20).
#[inline(never)]
fn ask_available(channel: i64) -> i64 {
    answer("getAvailableP2PPacketSize", 0, |client| {
        client.available(channel)
    }) as i64
}
