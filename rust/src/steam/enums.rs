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
    /// The sizes of Steam avatars (GodotSteam's own enum; [method
    /// getPlayerAvatar]'s `size` is a plain int with the same values).
    enum AvatarSizes {
        /// Avatar size: 32 by 32 pixels.
        AVATAR_SMALL = 1,
        /// Avatar size: 64 by 64 pixels.
        AVATAR_MEDIUM = 2,
        /// Avatar size: 184 by 184 pixels.
        AVATAR_LARGE = 3,
    }
    /// What changed about a user ([signal persona_state_change]'s `flags`).
    bitfield PersonaChange {
        /// Persona change: the name.
        PERSONA_CHANGE_NAME = 1,
        /// Persona change: the online status.
        PERSONA_CHANGE_STATUS = 2,
        /// Persona change: came online.
        PERSONA_CHANGE_COME_ONLINE = 4,
        /// Persona change: went offline.
        PERSONA_CHANGE_GONE_OFFLINE = 8,
        /// Persona change: the game played.
        PERSONA_CHANGE_GAME_PLAYED = 16,
        /// Persona change: the game server.
        PERSONA_CHANGE_GAME_SERVER = 32,
        /// Persona change: the avatar.
        PERSONA_CHANGE_AVATAR = 64,
        /// Persona change: joined a source.
        PERSONA_CHANGE_JOINED_SOURCE = 128,
        /// Persona change: left a source.
        PERSONA_CHANGE_LEFT_SOURCE = 256,
        /// Persona change: the relationship.
        PERSONA_CHANGE_RELATIONSHIP_CHANGED = 512,
        /// Persona change: the name was set for the first time.
        PERSONA_CHANGE_NAME_FIRST_SET = 1024,
        /// Persona change: broadcasting.
        PERSONA_CHANGE_BROADCAST = 2048,
        /// Persona change: the nickname.
        PERSONA_CHANGE_NICKNAME = 4096,
        /// Persona change: the Steam level.
        PERSONA_CHANGE_STEAM_LEVEL = 8192,
        /// Persona change: rich presence.
        PERSONA_CHANGE_RICH_PRESENCE = 16384,
    }
    /// A user's online status.
    enum PersonaState {
        /// Persona state: offline.
        PERSONA_STATE_OFFLINE = 0,
        /// Persona state: online.
        PERSONA_STATE_ONLINE = 1,
        /// Persona state: busy.
        PERSONA_STATE_BUSY = 2,
        /// Persona state: away.
        PERSONA_STATE_AWAY = 3,
        /// Persona state: snoozing.
        PERSONA_STATE_SNOOZE = 4,
        /// Persona state: looking to trade.
        PERSONA_STATE_LOOKING_TO_TRADE = 5,
        /// Persona state: looking to play.
        PERSONA_STATE_LOOKING_TO_PLAY = 6,
        /// Persona state: invisible.
        PERSONA_STATE_INVISIBLE = 7,
        /// Persona state: one past the last value.
        PERSONA_STATE_MAX = 8,
    }
    /// Which friends a friends-list call covers.
    bitfield FriendFlags {
        /// Friend flag: none.
        FRIEND_FLAG_NONE = 0,
        /// Friend flag: blocked.
        FRIEND_FLAG_BLOCKED = 1,
        /// Friend flag: friendship requested.
        FRIEND_FLAG_FRIENDSHIP_REQUESTED = 2,
        /// Friend flag: immediate friends.
        FRIEND_FLAG_IMMEDIATE = 4,
        /// Friend flag: members of the same clan.
        FRIEND_FLAG_CLAN_MEMBER = 8,
        /// Friend flag: on the same game server.
        FRIEND_FLAG_ON_GAME_SERVER = 16,
        /// Friend flag: requesting friendship.
        FRIEND_FLAG_REQUESTING_FRIENDSHIP = 128,
        /// Friend flag: requesting information.
        FRIEND_FLAG_REQUESTING_INFO = 256,
        /// Friend flag: ignored.
        FRIEND_FLAG_IGNORED = 512,
        /// Friend flag: ignored friend.
        FRIEND_FLAG_IGNORED_FRIEND = 1024,
        /// Friend flag: in the same chat.
        FRIEND_FLAG_CHAT_MEMBER = 4096,
        /// Friend flag: all of them.
        FRIEND_FLAG_ALL = 65535,
    }
    /// What the overlay's store page does (GodotSteam's names).
    enum OverlayToStoreFlag {
        /// Overlay store flag: just show the page.
        OVERLAY_TO_STORE_FLAG_NONE = 0,
        /// Overlay store flag: add to the cart.
        OVERLAY_TO_STORE_FLAG_ADD_TO_CART = 1,
        /// Overlay store flag: add to the cart and show it (GodotSteam's spelling).
        OVERLAY_TO_STORE_FLAG_AND_TO_CART_AND_SHOW = 2,
    }
    /// How the overlay shows a web page.
    enum OverlayToWebPageMode {
        /// Overlay web page mode: in the overlay's browser.
        OVERLAY_TO_WEB_PAGE_MODE_DEFAULT = 0,
        /// Overlay web page mode: modal, closed with the page.
        OVERLAY_TO_WEB_PAGE_MODE_MODAL = 1,
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
        assert_eq!(seen.len(), 72);
    }
}
