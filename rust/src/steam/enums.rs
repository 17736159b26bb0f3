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
    /// Who can find and join a lobby ([method createLobby], [method setLobbyType]).
    enum LobbyType {
        /// Lobby type: joinable by invitation or id only, never listed.
        LOBBY_TYPE_PRIVATE = 0,
        /// Lobby type: for friends and invitees, not in lobby lists.
        LOBBY_TYPE_FRIENDS_ONLY = 1,
        /// Lobby type: listed and joinable by anyone.
        LOBBY_TYPE_PUBLIC = 2,
        /// Lobby type: listed, but not shown to friends.
        LOBBY_TYPE_INVISIBLE = 3,
        /// Lobby type: private, and the user's only one of its kind.
        LOBBY_TYPE_PRIVATE_UNIQUE = 4,
    }
    /// How a list filter compares a lobby's value with the filter's.
    enum LobbyComparison {
        /// Comparison: the lobby's value is at most the filter's.
        LOBBY_COMPARISON_EQUAL_TO_OR_LESS_THAN = -2,
        /// Comparison: the lobby's value is less than the filter's.
        LOBBY_COMPARISON_LESS_THAN = -1,
        /// Comparison: the values are equal.
        LOBBY_COMPARISON_EQUAL = 0,
        /// Comparison: the lobby's value is greater than the filter's.
        LOBBY_COMPARISON_GREATER_THAN = 1,
        /// Comparison: the lobby's value is at least the filter's (GodotSteam's spelling, without "OR").
        LOBBY_COMPARISON_EQUAL_TO_GREATER_THAN = 2,
        /// Comparison: the values differ.
        LOBBY_COMPARISON_NOT_EQUAL = 3,
    }
    /// How far away listed lobbies may be ([method addRequestLobbyListDistanceFilter]).
    enum LobbyDistanceFilter {
        /// Distance: the same region only.
        LOBBY_DISTANCE_FILTER_CLOSE = 0,
        /// Distance: the same or nearby regions (Steam's default).
        LOBBY_DISTANCE_FILTER_DEFAULT = 1,
        /// Distance: about half the world.
        LOBBY_DISTANCE_FILTER_FAR = 2,
        /// Distance: anywhere.
        LOBBY_DISTANCE_FILTER_WORLDWIDE = 3,
    }
    /// What happened to a lobby member ([signal lobby_chat_update]'s `chat_state`).
    bitfield ChatMemberStateChange {
        /// Member change: entered the lobby.
        CHAT_MEMBER_STATE_CHANGE_ENTERED = 1,
        /// Member change: left the lobby.
        CHAT_MEMBER_STATE_CHANGE_LEFT = 2,
        /// Member change: lost the connection (the local backend: stopped answering within the timeout).
        CHAT_MEMBER_STATE_CHANGE_DISCONNECTED = 4,
        /// Member change: was kicked.
        CHAT_MEMBER_STATE_CHANGE_KICKED = 8,
        /// Member change: was kicked and banned.
        CHAT_MEMBER_STATE_CHANGE_BANNED = 16,
    }
    /// The answer to entering a lobby ([signal lobby_joined]'s `response`).
    enum ChatRoomEnterResponse {
        /// Enter response: the user is now a member.
        CHAT_ROOM_ENTER_RESPONSE_SUCCESS = 1,
        /// Enter response: there is no such lobby (any more).
        CHAT_ROOM_ENTER_RESPONSE_DOESNT_EXIST = 2,
        /// Enter response: the lobby is not joinable, or not for this user.
        CHAT_ROOM_ENTER_RESPONSE_NOT_ALLOWED = 3,
        /// Enter response: the lobby is full.
        CHAT_ROOM_ENTER_RESPONSE_FULL = 4,
        /// Enter response: something unexpected went wrong.
        CHAT_ROOM_ENTER_RESPONSE_ERROR = 5,
        /// Enter response: the user is banned from this lobby.
        CHAT_ROOM_ENTER_RESPONSE_BANNED = 6,
        /// Enter response: a limited user account cannot join.
        CHAT_ROOM_ENTER_RESPONSE_LIMITED = 7,
        /// Enter response: the clan's chat is disabled.
        CHAT_ROOM_ENTER_RESPONSE_CLAN_DISABLED = 8,
        /// Enter response: a community ban stops the user.
        CHAT_ROOM_ENTER_RESPONSE_COMMUNITY_BAN = 9,
        /// Enter response: a member has blocked the user.
        CHAT_ROOM_ENTER_RESPONSE_MEMBER_BLOCKED_YOU = 10,
        /// Enter response: the user has blocked a member.
        CHAT_ROOM_ENTER_RESPONSE_YOU_BLOCKED_MEMBER = 11,
        /// Enter response: too many joins in a short time.
        CHAT_ROOM_ENTER_RESPONSE_RATE_LIMIT_EXCEEDED = 15,
    }
    /// What a lobby chat entry is ([signal lobby_message]'s `chat_type`).
    enum ChatEntryType {
        /// Chat entry: invalid.
        CHAT_ENTRY_TYPE_INVALID = 0,
        /// Chat entry: a normal message.
        CHAT_ENTRY_TYPE_CHAT_MSG = 1,
        /// Chat entry: the user is typing.
        CHAT_ENTRY_TYPE_TYPING = 2,
        /// Chat entry: an invitation to a game.
        CHAT_ENTRY_TYPE_INVITE_GAME = 3,
        /// Chat entry: an emote.
        CHAT_ENTRY_TYPE_EMOTE = 4,
        /// Chat entry: the user left the conversation.
        CHAT_ENTRY_TYPE_LEFT_CONVERSATION = 6,
        /// Chat entry: the user entered.
        CHAT_ENTRY_TYPE_ENTERED = 7,
        /// Chat entry: the user was kicked.
        CHAT_ENTRY_TYPE_WAS_KICKED = 8,
        /// Chat entry: the user was banned.
        CHAT_ENTRY_TYPE_WAS_BANNED = 9,
        /// Chat entry: the user disconnected.
        CHAT_ENTRY_TYPE_DISCONNECTED = 10,
        /// Chat entry: a message from the chat's history.
        CHAT_ENTRY_TYPE_HISTORICAL_CHAT = 11,
        /// Chat entry: a link was removed.
        CHAT_ENTRY_TYPE_LINK_BLOCKED = 14,
    }
    /// The settings of [method setGlobalConfigValueInt32] and [method
    /// setGlobalConfigValueFloat]: Steam's simulated network conditions,
    /// which the local backend simulates itself. SEND settings apply to
    /// what this instance sends, RECV ones to what it receives.
    enum NetworkingConfigValue {
        /// Config: not a setting (always refused).
        NETWORKING_CONFIG_INVALID = 0,
        /// Config (float, percent): unreliable packets sent that are lost; reliable ones arrive a simulated retransmission later.
        NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND = 2,
        /// Config (float, percent): the same for packets received.
        NETWORKING_CONFIG_FAKE_PACKET_LOSS_RECV = 3,
        /// Config (int, milliseconds): delay added to every packet sent.
        NETWORKING_CONFIG_FAKE_PACKET_LAG_SEND = 4,
        /// Config (int, milliseconds): delay added to every packet received.
        NETWORKING_CONFIG_FAKE_PACKET_LAG_RECV = 5,
        /// Config (float, percent): unreliable packets sent that are delayed by the reorder time, so later ones overtake them.
        NETWORKING_CONFIG_FAKE_PACKET_REORDER_SEND = 6,
        /// Config (float, percent): the same for packets received.
        NETWORKING_CONFIG_FAKE_PACKET_REORDER_RECV = 7,
        /// Config (int, milliseconds): the extra delay of a reordered packet, both ways (default 15).
        NETWORKING_CONFIG_FAKE_PACKET_REORDER_TIME = 8,
        /// Config (float, percent): unreliable packets sent that arrive twice.
        NETWORKING_CONFIG_FAKE_PACKET_DUP_SEND = 26,
        /// Config (float, percent): the same for packets received (GodotSteam's spelling, REVC).
        NETWORKING_CONFIG_FAKE_PACKET_DUP_REVC = 27,
        /// Config (int, milliseconds): the latest a duplicate arrives after its original (default 10).
        NETWORKING_CONFIG_FAKE_PACKET_DUP_TIME_MAX = 28,
        /// Config (int, bytes per second): bandwidth cap on what is sent; 0 is none.
        NETWORKING_CONFIG_FAKE_RATE_LIMIT_SEND_RATE = 42,
        /// Config (int, bytes): how much may queue behind the send cap before unreliable packets are dropped (default 16384).
        NETWORKING_CONFIG_FAKE_RATE_LIMIT_SEND_BURST = 43,
        /// Config (int, bytes per second): bandwidth cap on what is received; 0 is none.
        NETWORKING_CONFIG_FAKE_RATE_LIMIT_RECV_RATE = 44,
        /// Config (int, bytes): the same as the send burst, for what is received.
        NETWORKING_CONFIG_FAKE_RATE_LIMIT_RECV_BURST = 45,
        /// Config (float, milliseconds): mean random extra delay of packets sent (order is kept).
        NETWORKING_CONFIG_FAKE_PACKET_JITTER_SEND_AVG = 53,
        /// Config (float, milliseconds): the most jitter adds to a packet sent (0: four times the mean).
        NETWORKING_CONFIG_FAKE_PACKET_JITTER_SEND_MAX = 54,
        /// Config (float, percent): packets sent that get jitter (default 100).
        NETWORKING_CONFIG_FAKE_PACKET_JITTER_SEND_PCT = 55,
        /// Config (float, milliseconds): mean jitter of packets received.
        NETWORKING_CONFIG_FAKE_PACKET_JITTER_RECV_AVG = 56,
        /// Config (float, milliseconds): the most jitter adds to a packet received.
        NETWORKING_CONFIG_FAKE_PACKET_JITTER_RECV_MAX = 57,
        /// Config (float, percent): packets received that get jitter.
        NETWORKING_CONFIG_FAKE_PACKET_JITTER_RECV_PCT = 58,
    }
    /// Steam's EResult: how a request ended ([signal lobby_created]'s `connect`).
    enum Result {
        /// Result: none.
        RESULT_NONE = 0,
        /// Result: ok.
        RESULT_OK = 1,
        /// Result: fail.
        RESULT_FAIL = 2,
        /// Result: no connection.
        RESULT_NO_CONNECTION = 3,
        /// Result: invalid password.
        RESULT_INVALID_PASSWORD = 5,
        /// Result: logged in elsewhere.
        RESULT_LOGGED_IN_ELSEWHERE = 6,
        /// Result: invalid protocol ver.
        RESULT_INVALID_PROTOCOL_VER = 7,
        /// Result: invalid param.
        RESULT_INVALID_PARAM = 8,
        /// Result: file not found.
        RESULT_FILE_NOT_FOUND = 9,
        /// Result: busy.
        RESULT_BUSY = 10,
        /// Result: invalid state.
        RESULT_INVALID_STATE = 11,
        /// Result: invalid name.
        RESULT_INVALID_NAME = 12,
        /// Result: invalid email.
        RESULT_INVALID_EMAIL = 13,
        /// Result: duplicate name.
        RESULT_DUPLICATE_NAME = 14,
        /// Result: access denied.
        RESULT_ACCESS_DENIED = 15,
        /// Result: timeout.
        RESULT_TIMEOUT = 16,
        /// Result: banned.
        RESULT_BANNED = 17,
        /// Result: account not found.
        RESULT_ACCOUNT_NOT_FOUND = 18,
        /// Result: invalid steam id.
        RESULT_INVALID_STEAM_ID = 19,
        /// Result: service unavailable.
        RESULT_SERVICE_UNAVAILABLE = 20,
        /// Result: not logged on.
        RESULT_NOT_LOGGED_ON = 21,
        /// Result: pending.
        RESULT_PENDING = 22,
        /// Result: encryption failure.
        RESULT_ENCRYPTION_FAILURE = 23,
        /// Result: insufficient privilege.
        RESULT_INSUFFICIENT_PRIVILEGE = 24,
        /// Result: limit exceeded.
        RESULT_LIMIT_EXCEEDED = 25,
        /// Result: revoked.
        RESULT_REVOKED = 26,
        /// Result: expired.
        RESULT_EXPIRED = 27,
        /// Result: already redeemed.
        RESULT_ALREADY_REDEEMED = 28,
        /// Result: duplicate request.
        RESULT_DUPLICATE_REQUEST = 29,
        /// Result: already owned.
        RESULT_ALREADY_OWNED = 30,
        /// Result: ip not found.
        RESULT_IP_NOT_FOUND = 31,
        /// Result: persist failed.
        RESULT_PERSIST_FAILED = 32,
        /// Result: locking failed.
        RESULT_LOCKING_FAILED = 33,
        /// Result: logon session replaced.
        RESULT_LOGON_SESSION_REPLACED = 34,
        /// Result: connect failed.
        RESULT_CONNECT_FAILED = 35,
        /// Result: handshake failed.
        RESULT_HANDSHAKE_FAILED = 36,
        /// Result: io failure.
        RESULT_IO_FAILURE = 37,
        /// Result: remote disconnect.
        RESULT_REMOTE_DISCONNECT = 38,
        /// Result: shopping cart not found.
        RESULT_SHOPPING_CART_NOT_FOUND = 39,
        /// Result: blocked.
        RESULT_BLOCKED = 40,
        /// Result: ignored.
        RESULT_IGNORED = 41,
        /// Result: no match.
        RESULT_NO_MATCH = 42,
        /// Result: account disabled.
        RESULT_ACCOUNT_DISABLED = 43,
        /// Result: service read only.
        RESULT_SERVICE_READ_ONLY = 44,
        /// Result: account not featured.
        RESULT_ACCOUNT_NOT_FEATURED = 45,
        /// Result: administrator ok.
        RESULT_ADMINISTRATOR_OK = 46,
        /// Result: content version.
        RESULT_CONTENT_VERSION = 47,
        /// Result: try another cm.
        RESULT_TRY_ANOTHER_CM = 48,
        /// Result: password required to kick session.
        RESULT_PASSWORD_REQUIRED_TO_KICK_SESSION = 49,
        /// Result: already logged in elsewhere.
        RESULT_ALREADY_LOGGED_IN_ELSEWHERE = 50,
        /// Result: suspended.
        RESULT_SUSPENDED = 51,
        /// Result: cancelled.
        RESULT_CANCELLED = 52,
        /// Result: data corruption.
        RESULT_DATA_CORRUPTION = 53,
        /// Result: disk full.
        RESULT_DISK_FULL = 54,
        /// Result: remote call failed.
        RESULT_REMOTE_CALL_FAILED = 55,
        /// Result: password unset.
        RESULT_PASSWORD_UNSET = 56,
        /// Result: external account unlinked.
        RESULT_EXTERNAL_ACCOUNT_UNLINKED = 57,
        /// Result: psn ticket invalid.
        RESULT_PSN_TICKET_INVALID = 58,
        /// Result: external account already linked.
        RESULT_EXTERNAL_ACCOUNT_ALREADY_LINKED = 59,
        /// Result: remote file conflict.
        RESULT_REMOTE_FILE_CONFLICT = 60,
        /// Result: illegal password.
        RESULT_ILLEGAL_PASSWORD = 61,
        /// Result: same as previous value.
        RESULT_SAME_AS_PREVIOUS_VALUE = 62,
        /// Result: account logon denied.
        RESULT_ACCOUNT_LOGON_DENIED = 63,
        /// Result: cannot use old password.
        RESULT_CANNOT_USE_OLD_PASSWORD = 64,
        /// Result: invalid login auth code.
        RESULT_INVALID_LOGIN_AUTH_CODE = 65,
        /// Result: account logon denied no mail.
        RESULT_ACCOUNT_LOGON_DENIED_NO_MAIL = 66,
        /// Result: hardware not capable of ipt.
        RESULT_HARDWARE_NOT_CAPABLE_OF_IPT = 67,
        /// Result: ipt init error.
        RESULT_IPT_INIT_ERROR = 68,
        /// Result: parental control restricted.
        RESULT_PARENTAL_CONTROL_RESTRICTED = 69,
        /// Result: facebook query error.
        RESULT_FACEBOOK_QUERY_ERROR = 70,
        /// Result: expired login auth code.
        RESULT_EXPIRED_LOGIN_AUTH_CODE = 71,
        /// Result: ip login restriction failed.
        RESULT_IP_LOGIN_RESTRICTION_FAILED = 72,
        /// Result: account locked down.
        RESULT_ACCOUNT_LOCKED_DOWN = 73,
        /// Result: account logon denied verified email required.
        RESULT_ACCOUNT_LOGON_DENIED_VERIFIED_EMAIL_REQUIRED = 74,
        /// Result: no matching url.
        RESULT_NO_MATCHING_URL = 75,
        /// Result: bad response.
        RESULT_BAD_RESPONSE = 76,
        /// Result: require password re entry.
        RESULT_REQUIRE_PASSWORD_RE_ENTRY = 77,
        /// Result: value out of range.
        RESULT_VALUE_OUT_OF_RANGE = 78,
        /// Result: unexpected error.
        RESULT_UNEXPECTED_ERROR = 79,
        /// Result: disabled.
        RESULT_DISABLED = 80,
        /// Result: invalid ceg submission.
        RESULT_INVALID_CEG_SUBMISSION = 81,
        /// Result: restricted device.
        RESULT_RESTRICTED_DEVICE = 82,
        /// Result: region locked.
        RESULT_REGION_LOCKED = 83,
        /// Result: rate limit exceeded.
        RESULT_RATE_LIMIT_EXCEEDED = 84,
        /// Result: account login denied need two factor.
        RESULT_ACCOUNT_LOGIN_DENIED_NEED_TWO_FACTOR = 85,
        /// Result: item deleted.
        RESULT_ITEM_DELETED = 86,
        /// Result: account login denied throttle.
        RESULT_ACCOUNT_LOGIN_DENIED_THROTTLE = 87,
        /// Result: two factor code mismatch.
        RESULT_TWO_FACTOR_CODE_MISMATCH = 88,
        /// Result: two factor activation code mismatch.
        RESULT_TWO_FACTOR_ACTIVATION_CODE_MISMATCH = 89,
        /// Result: account associated to multiple partners.
        RESULT_ACCOUNT_ASSOCIATED_TO_MULTIPLE_PARTNERS = 90,
        /// Result: not modified.
        RESULT_NOT_MODIFIED = 91,
        /// Result: no mobile device.
        RESULT_NO_MOBILE_DEVICE = 92,
        /// Result: time not synced.
        RESULT_TIME_NOT_SYNCED = 93,
        /// Result: sms code failed.
        RESULT_SMS_CODE_FAILED = 94,
        /// Result: account limit exceeded.
        RESULT_ACCOUNT_LIMIT_EXCEEDED = 95,
        /// Result: account activity limit exceeded.
        RESULT_ACCOUNT_ACTIVITY_LIMIT_EXCEEDED = 96,
        /// Result: phone activity limit exceeded.
        RESULT_PHONE_ACTIVITY_LIMIT_EXCEEDED = 97,
        /// Result: refund to wallet.
        RESULT_REFUND_TO_WALLET = 98,
        /// Result: email send failure.
        RESULT_EMAIL_SEND_FAILURE = 99,
        /// Result: not settled.
        RESULT_NOT_SETTLED = 100,
        /// Result: need captcha.
        RESULT_NEED_CAPTCHA = 101,
        /// Result: gslt denied.
        RESULT_GSLT_DENIED = 102,
        /// Result: gs owner denied.
        RESULT_GS_OWNER_DENIED = 103,
        /// Result: invalid item type.
        RESULT_INVALID_ITEM_TYPE = 104,
        /// Result: ip banned.
        RESULT_IP_BANNED = 105,
        /// Result: gslt expired.
        RESULT_GSLT_EXPIRED = 106,
        /// Result: insufficient funds.
        RESULT_INSUFFICIENT_FUNDS = 107,
        /// Result: too many pending.
        RESULT_TOO_MANY_PENDING = 108,
        /// Result: no site licenses found.
        RESULT_NO_SITE_LICENSES_FOUND = 109,
        /// Result: wg network send exceeded.
        RESULT_WG_NETWORK_SEND_EXCEEDED = 110,
        /// Result: account not friends.
        RESULT_ACCOUNT_NOT_FRIENDS = 111,
        /// Result: limited user account.
        RESULT_LIMITED_USER_ACCOUNT = 112,
        /// Result: cant remove item.
        RESULT_CANT_REMOVE_ITEM = 113,
        /// Result: account deleted.
        RESULT_ACCOUNT_DELETED = 114,
        /// Result: existing user cancelled license.
        RESULT_EXISTING_USER_CANCELLED_LICENSE = 115,
        /// Result: community cooldown.
        RESULT_COMMUNITY_COOLDOWN = 116,
        /// Result: no launcher specified.
        RESULT_NO_LAUNCHER_SPECIFIED = 117,
        /// Result: must agree to ssa.
        RESULT_MUST_AGREE_TO_SSA = 118,
        /// Result: launcher migrated.
        RESULT_LAUNCHER_MIGRATED = 119,
        /// Result: steam realm mismatch.
        RESULT_STEAM_REALM_MISMATCH = 120,
        /// Result: invalid signature.
        RESULT_INVALID_SIGNATURE = 121,
        /// Result: parse failure.
        RESULT_PARSE_FAILURE = 122,
        /// Result: no verified phone.
        RESULT_NO_VERIFIED_PHONE = 123,
        /// Result: insufficient battery.
        RESULT_INSUFFICIENT_BATTERY = 124,
        /// Result: charger required.
        RESULT_CHARGER_REQUIRED = 125,
        /// Result: cached credential invalid.
        RESULT_CACHED_CREDENTIAL_INVALID = 126,
        /// Result: not supported.
        RESULT_NOT_SUPPORTED = 128,
        /// Result: family size limit exceeded.
        RESULT_FAMILY_SIZE_LIMIT_EXCEEDED = 129,
        /// Result: offline app cache invalid.
        RESULT_OFFLINE_APP_CACHE_INVALID = 130,
        /// Result: try later.
        RESULT_TRY_LATER = 131,
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
        assert_eq!(seen.len(), 267);
    }

    #[test]
    fn the_config_enum_lists_exactly_the_simulation_settings() {
        use crate::p2p::conditions::Fake;
        let e = ENUMS
            .iter()
            .find(|e| e.name == "NetworkingConfigValue")
            .expect("registered");
        let mut want: Vec<(&str, i64)> = Fake::ALL.iter().map(|f| (f.name(), *f as i64)).collect();
        want.push(("NETWORKING_CONFIG_INVALID", 0));
        let mut got = e.values.to_vec();
        want.sort();
        got.sort();
        assert_eq!(got, want);
    }
}
