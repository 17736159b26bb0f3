//! The class enums of `Steam`, with GodotSteam 4.20's enum names and the
//! Steamworks SDK's values (flat names such as `Steam.P2P_SEND_RELIABLE`
//! resolve too).

use super::Steam;
use crate::class_enums::class_enums;

class_enums! { Steam;
    /// How [method sendP2PPacket] sends.
    enum P2PSend {
        /// Send type: unreliable, at most 1200 bytes; may be lost.
        P2P_SEND_UNRELIABLE = 0,
        /// Send type: unreliable and dropped instead of queued while connecting.
        P2P_SEND_UNRELIABLE_NO_DELAY = 1,
        /// Send type: reliable and in order per channel, at most 1 MiB.
        P2P_SEND_RELIABLE = 2,
        /// Send type: reliable, small packets may be coalesced before sending.
        P2P_SEND_RELIABLE_WITH_BUFFERING = 3,
    }
    /// Why a session failed ([signal p2p_session_connect_fail]).
    enum P2PSessionError {
        /// Session error: none.
        P2P_SESSION_ERROR_NONE = 0,
        /// Session error: the remote user is not running the app (no longer reported by Steam).
        P2P_SESSION_ERROR_NOT_RUNNING_APP = 1,
        /// Session error: the local user does not own the app.
        P2P_SESSION_ERROR_NO_RIGHTS_TO_APP = 2,
        /// Session error: the remote user is not logged on (no longer reported by Steam).
        P2P_SESSION_ERROR_DESTINATION_NOT_LOGGED_ON = 3,
        /// Session error: the remote side did not answer in time.
        P2P_SESSION_ERROR_TIMEOUT = 4,
        /// Session error: one past the last value.
        P2P_SESSION_ERROR_MAX = 5,
    }
    /// How a socket is connected (Steam's old networking sockets).
    enum SocketConnectionType {
        /// Socket connection type: not connected.
        NET_SOCKET_CONNECTION_TYPE_NOT_CONNECTED = 0,
        /// Socket connection type: direct UDP.
        NET_SOCKET_CONNECTION_TYPE_UDP = 1,
        /// Socket connection type: UDP through a Steam relay.
        NET_SOCKET_CONNECTION_TYPE_UDP_RELAY = 2,
    }
    /// The state of a socket (Steam's old networking sockets).
    enum SocketState {
        /// Socket state: invalid.
        NET_SOCKET_STATE_INVALID = 0,
        /// Socket state: connected.
        NET_SOCKET_STATE_CONNECTED = 1,
        /// Socket state: connection initiated.
        NET_SOCKET_STATE_INITIATED = 10,
        /// Socket state: a local candidate was found.
        NET_SOCKET_STATE_LOCAL_CANDIDATE_FOUND = 11,
        /// Socket state: remote candidates were received.
        NET_SOCKET_STATE_RECEIVED_REMOTE_CANDIDATES = 12,
        /// Socket state: in the challenge handshake.
        NET_SOCKET_STATE_CHALLENGE_HANDSHAKE = 15,
        /// Socket state: disconnecting.
        NET_SOCKET_STATE_DISCONNECTING = 21,
        /// Socket state: disconnected locally.
        NET_SOCKET_STATE_LOCAL_DISCONNECT = 22,
        /// Socket state: timed out while connecting.
        NET_SOCKET_STATE_TIMEOUT_DURING_CONNECT = 23,
        /// Socket state: the remote end disconnected.
        NET_SOCKET_STATE_REMOTE_END_DISCONNECTED = 24,
        /// Socket state: broken.
        NET_SOCKET_STATE_BROKEN = 25,
    }
    /// The `status` of [method steamInitEx] and [method get_steam_init_result].
    enum SteamAPIInitResult {
        /// Init result: started.
        STEAM_API_INIT_RESULT_OK = 0,
        /// Init result: failed for another reason (see `verbal`).
        STEAM_API_INIT_RESULT_FAILED_GENERIC = 1,
        /// Init result: no running Steam client was found.
        STEAM_API_INIT_RESULT_NO_STEAM_CLIENT = 2,
        /// Init result: the Steam client is older than this plugin's Steamworks SDK.
        STEAM_API_INIT_RESULT_VERSION_MISMATCH = 3,
    }
}

#[cfg(test)]
mod tests {
    use super::ENUMS;

    #[test]
    fn names_are_unique_and_values_distinct_within_an_enum() {
        let mut seen = std::collections::HashSet::new();
        for e in ENUMS {
            assert!(!e.values.is_empty(), "{} is empty", e.name);
            for (i, (name, value)) in e.values.iter().enumerate() {
                assert!(seen.insert(*name), "{name} is declared twice");
                assert!(
                    e.values[..i].iter().all(|(_, v)| v != value),
                    "{name} repeats a value of {}",
                    e.name
                );
            }
        }
        assert_eq!(seen.len(), 28);
    }
}
