## The `Steam` singleton has exactly the GDScript surface of API.md:
## method names, argument names, types and defaults, return types, signals
## and constant values, as Godot's ClassDB reports them.
extends "res://lib/suite.gd"

# name -> [return type, [[arg name, arg type], ...], [default values]]
const METHODS := {
	"steamInitEx": [TYPE_DICTIONARY, [["app_id", TYPE_INT], ["embed_callbacks", TYPE_BOOL]], [0, false]],
	"steamInit": [TYPE_BOOL, [["app_id", TYPE_INT], ["embed_callbacks", TYPE_BOOL]], [0, false]],
	"steamShutdown": [TYPE_NIL, [], []],
	"isSteamRunning": [TYPE_BOOL, [], []],
	"getSteamID": [TYPE_INT, [], []],
	"get_steam_init_result": [TYPE_DICTIONARY, [], []],
	"run_callbacks": [TYPE_NIL, [], []],
	"acceptP2PSessionWithUser": [TYPE_BOOL, [["remote_steam_id", TYPE_INT]], []],
	"allowP2PPacketRelay": [TYPE_BOOL, [["allow", TYPE_BOOL]], []],
	"closeP2PChannelWithUser": [TYPE_BOOL, [["remote_steam_id", TYPE_INT], ["channel", TYPE_INT]], []],
	"closeP2PSessionWithUser": [TYPE_BOOL, [["remote_steam_id", TYPE_INT]], []],
	"getP2PSessionState": [TYPE_DICTIONARY, [["remote_steam_id", TYPE_INT]], []],
	"getAvailableP2PPacketSize": [TYPE_INT, [["channel", TYPE_INT]], [0]],
	# GodotSteam 4.20's name (4.11 and API.md: `packet`; GDScript passes it by position).
	"readP2PPacket": [TYPE_DICTIONARY, [["packet_size", TYPE_INT], ["channel", TYPE_INT]], [0]],
	# Ours, not GodotSteam's: a batch read.
	"readP2PPackets": [TYPE_ARRAY, [["max_packets", TYPE_INT], ["channel", TYPE_INT]], [0]],
	"sendP2PPacket": [TYPE_BOOL, [["remote_steam_id", TYPE_INT], ["data", TYPE_PACKED_BYTE_ARRAY],
		["send_type", TYPE_INT], ["channel", TYPE_INT]], [0]],
	# Friends
	"getPersonaName": [TYPE_STRING, [], []],
	"getFriendPersonaName": [TYPE_STRING, [["steam_id", TYPE_INT]], []],
	"getPlayerAvatar": [TYPE_NIL, [["size", TYPE_INT], ["steam_id", TYPE_INT]], [2, 0]],
	"requestUserInformation": [TYPE_BOOL, [["steam_id", TYPE_INT], ["require_name_only", TYPE_BOOL]], []],
	# GodotSteam names the first argument `type`, a Rust keyword that gdext
	# cannot export as a name; GDScript passes arguments by position.
	"activateGameOverlay": [TYPE_NIL, [["type_", TYPE_STRING]], [""]],
	"activateGameOverlayToUser": [TYPE_NIL, [["type_", TYPE_STRING], ["steam_id", TYPE_INT]], ["", 0]],
	"activateGameOverlayInviteDialog": [TYPE_NIL, [["lobby_id", TYPE_INT]], []],
	# User
	"loggedOn": [TYPE_BOOL, [], []],
	"getPlayerSteamLevel": [TYPE_INT, [], []],
	# Apps
	"isSubscribed": [TYPE_BOOL, [], []],
	"isSubscribedApp": [TYPE_BOOL, [["app_id", TYPE_INT]], []],
	"isDLCInstalled": [TYPE_BOOL, [["dlc_id", TYPE_INT]], []],
	"getAppOwner": [TYPE_INT, [], []],
	"getAppBuildId": [TYPE_INT, [], []],
	"getAppInstallDir": [TYPE_STRING, [["app_id", TYPE_INT]], []],
	"getCurrentGameLanguage": [TYPE_STRING, [], []],
	"getAvailableGameLanguages": [TYPE_STRING, [], []],
	"getLaunchCommandLine": [TYPE_STRING, [], []],
	# Utils
	"getAppID": [TYPE_INT, [], []],
	"isSteamRunningOnSteamDeck": [TYPE_BOOL, [], []],
	"isSteamRunningInVR": [TYPE_BOOL, [], []],
	"isSteamInBigPictureMode": [TYPE_BOOL, [], []],
	"getSteamUILanguage": [TYPE_STRING, [], []],
	"getIPCountry": [TYPE_STRING, [], []],
	"isOverlayEnabled": [TYPE_BOOL, [], []],
	# NetworkingUtils (config is a Steam.NetworkingConfigValue in GodotSteam; a plain int here).
	"setGlobalConfigValueInt32": [TYPE_BOOL, [["config", TYPE_INT], ["value", TYPE_INT]], []],
	"setGlobalConfigValueFloat": [TYPE_BOOL, [["config", TYPE_INT], ["value", TYPE_FLOAT]], []],
	"setGlobalConfigValueString": [TYPE_BOOL, [["config", TYPE_INT], ["value", TYPE_STRING]], []],
	# Ours, not GodotSteam's: what the local backend simulates.
	"getLocalNetworkConditions": [TYPE_DICTIONARY, [], []],
	# Matchmaking (lobbies). GodotSteam types lobby_type and comparison_type
	# as class enums; here they are plain ints (the values are the same).
	"createLobby": [TYPE_NIL, [["lobby_type", TYPE_INT], ["max_members", TYPE_INT]], [2]],
	"joinLobby": [TYPE_NIL, [["steam_lobby_id", TYPE_INT]], []],
	"leaveLobby": [TYPE_NIL, [["steam_lobby_id", TYPE_INT]], []],
	"inviteUserToLobby": [TYPE_BOOL, [["steam_lobby_id", TYPE_INT], ["steam_id_invitee", TYPE_INT]], []],
	"getNumLobbyMembers": [TYPE_INT, [["steam_lobby_id", TYPE_INT]], []],
	"getLobbyMemberByIndex": [TYPE_INT, [["steam_lobby_id", TYPE_INT], ["member", TYPE_INT]], []],
	"getLobbyData": [TYPE_STRING, [["steam_lobby_id", TYPE_INT], ["key", TYPE_STRING]], []],
	"setLobbyData": [TYPE_BOOL, [["steam_lobby_id", TYPE_INT], ["key", TYPE_STRING], ["value", TYPE_STRING]], []],
	"getAllLobbyData": [TYPE_DICTIONARY, [["steam_lobby_id", TYPE_INT]], []],
	"deleteLobbyData": [TYPE_BOOL, [["steam_lobby_id", TYPE_INT], ["key", TYPE_STRING]], []],
	"getLobbyMemberData": [TYPE_STRING, [["steam_lobby_id", TYPE_INT], ["steam_id_user", TYPE_INT],
		["key", TYPE_STRING]], []],
	"setLobbyMemberData": [TYPE_NIL, [["steam_lobby_id", TYPE_INT], ["key", TYPE_STRING], ["value", TYPE_STRING]], []],
	"sendLobbyChatMsg": [TYPE_BOOL, [["steam_lobby_id", TYPE_INT], ["message_body", TYPE_STRING]], []],
	"requestLobbyData": [TYPE_BOOL, [["steam_lobby_id", TYPE_INT]], []],
	"setLobbyGameServer": [TYPE_NIL, [["steam_lobby_id", TYPE_INT], ["server_ip", TYPE_STRING],
		["server_port", TYPE_INT], ["steam_id_game_server", TYPE_INT]], ["0", 0, 0]],
	"getLobbyGameServer": [TYPE_DICTIONARY, [["steam_lobby_id", TYPE_INT]], []],
	"setLobbyMemberLimit": [TYPE_BOOL, [["steam_lobby_id", TYPE_INT], ["max_members", TYPE_INT]], []],
	"getLobbyMemberLimit": [TYPE_INT, [["steam_lobby_id", TYPE_INT]], []],
	"setLobbyType": [TYPE_BOOL, [["steam_lobby_id", TYPE_INT], ["lobby_type", TYPE_INT]], []],
	"setLobbyJoinable": [TYPE_BOOL, [["steam_lobby_id", TYPE_INT], ["joinable", TYPE_BOOL]], []],
	"getLobbyOwner": [TYPE_INT, [["steam_lobby_id", TYPE_INT]], []],
	"setLobbyOwner": [TYPE_BOOL, [["steam_lobby_id", TYPE_INT], ["steam_id_new_owner", TYPE_INT]], []],
	"requestLobbyList": [TYPE_NIL, [], []],
	"addRequestLobbyListStringFilter": [TYPE_NIL, [["key_to_match", TYPE_STRING], ["value_to_match", TYPE_STRING],
		["comparison_type", TYPE_INT]], []],
	"addRequestLobbyListNumericalFilter": [TYPE_NIL, [["key_to_match", TYPE_STRING], ["value_to_match", TYPE_INT],
		["comparison_type", TYPE_INT]], []],
	"addRequestLobbyListNearValueFilter": [TYPE_NIL, [["key_to_match", TYPE_STRING],
		["value_to_be_close_to", TYPE_INT]], []],
	"addRequestLobbyListFilterSlotsAvailable": [TYPE_NIL, [["slots_available", TYPE_INT]], []],
	"addRequestLobbyListDistanceFilter": [TYPE_NIL, [["distance_filter", TYPE_INT]], []],
	"addRequestLobbyListResultCountFilter": [TYPE_NIL, [["max_results", TYPE_INT]], []],
}

const SIGNALS := {
	"p2p_session_request": [["remote_steam_id", TYPE_INT]],
	"p2p_session_connect_fail": [["remote_steam_id", TYPE_INT], ["session_error", TYPE_INT]],
	"persona_state_change": [["steam_id", TYPE_INT], ["flags", TYPE_INT]],
	"join_requested": [["lobby_id", TYPE_INT], ["steam_id", TYPE_INT]],
	"avatar_loaded": [["avatar_id", TYPE_INT], ["size", TYPE_INT], ["data", TYPE_ARRAY]],
	"steamworks_error": [["failed_signal", TYPE_STRING], ["io_failure", TYPE_STRING]],
	"lobby_created": [["connect", TYPE_INT], ["lobby_id", TYPE_INT]],
	"lobby_joined": [["lobby", TYPE_INT], ["permissions", TYPE_INT], ["locked", TYPE_BOOL], ["response", TYPE_INT]],
	"lobby_chat_update": [["lobby_id", TYPE_INT], ["changed_id", TYPE_INT], ["making_change_id", TYPE_INT],
		["chat_state", TYPE_INT]],
	"lobby_message": [["lobby_id", TYPE_INT], ["user", TYPE_INT], ["message", TYPE_STRING], ["chat_type", TYPE_INT]],
	"lobby_data_update": [["success", TYPE_INT], ["lobby_id", TYPE_INT], ["member_id", TYPE_INT]],
	"lobby_match_list": [["lobbies", TYPE_ARRAY]],
	"lobby_invite": [["inviter", TYPE_INT], ["lobby", TYPE_INT], ["game", TYPE_INT]],
	"lobby_kicked": [["lobby_id", TYPE_INT], ["admin_id", TYPE_INT], ["due_to_disconnect", TYPE_INT]],
	"lobby_game_created": [["lobby_id", TYPE_INT], ["server_id", TYPE_INT], ["server_ip", TYPE_STRING],
		["port", TYPE_INT]],
}

# GodotSteam 4.20's class enums with the SDK's values: name -> [bit field?, {constant: value}].
const ENUMS := {
	"P2PSend": [false, {"P2P_SEND_UNRELIABLE": 0, "P2P_SEND_UNRELIABLE_NO_DELAY": 1,
		"P2P_SEND_RELIABLE": 2, "P2P_SEND_RELIABLE_WITH_BUFFERING": 3}],
	"P2PSessionError": [false, {"P2P_SESSION_ERROR_NONE": 0, "P2P_SESSION_ERROR_NOT_RUNNING_APP": 1,
		"P2P_SESSION_ERROR_NO_RIGHTS_TO_APP": 2, "P2P_SESSION_ERROR_DESTINATION_NOT_LOGGED_ON": 3,
		"P2P_SESSION_ERROR_TIMEOUT": 4, "P2P_SESSION_ERROR_MAX": 5}],
	"SocketConnectionType": [false, {"NET_SOCKET_CONNECTION_TYPE_NOT_CONNECTED": 0,
		"NET_SOCKET_CONNECTION_TYPE_UDP": 1, "NET_SOCKET_CONNECTION_TYPE_UDP_RELAY": 2}],
	"SocketState": [false, {"NET_SOCKET_STATE_INVALID": 0, "NET_SOCKET_STATE_CONNECTED": 1,
		"NET_SOCKET_STATE_INITIATED": 10, "NET_SOCKET_STATE_LOCAL_CANDIDATE_FOUND": 11,
		"NET_SOCKET_STATE_RECEIVED_REMOTE_CANDIDATES": 12, "NET_SOCKET_STATE_CHALLENGE_HANDSHAKE": 15,
		"NET_SOCKET_STATE_DISCONNECTING": 21, "NET_SOCKET_STATE_LOCAL_DISCONNECT": 22,
		"NET_SOCKET_STATE_TIMEOUT_DURING_CONNECT": 23, "NET_SOCKET_STATE_REMOTE_END_DISCONNECTED": 24,
		"NET_SOCKET_STATE_BROKEN": 25}],
	"SteamAPIInitResult": [false, {"STEAM_API_INIT_RESULT_OK": 0, "STEAM_API_INIT_RESULT_FAILED_GENERIC": 1,
		"STEAM_API_INIT_RESULT_NO_STEAM_CLIENT": 2, "STEAM_API_INIT_RESULT_VERSION_MISMATCH": 3}],
	"AvatarSizes": [false, {"AVATAR_SMALL": 1, "AVATAR_MEDIUM": 2, "AVATAR_LARGE": 3}],
	"PersonaChange": [true, {"PERSONA_CHANGE_NAME": 1, "PERSONA_CHANGE_STATUS": 2,
		"PERSONA_CHANGE_COME_ONLINE": 4, "PERSONA_CHANGE_GONE_OFFLINE": 8, "PERSONA_CHANGE_GAME_PLAYED": 16,
		"PERSONA_CHANGE_GAME_SERVER": 32, "PERSONA_CHANGE_AVATAR": 64, "PERSONA_CHANGE_JOINED_SOURCE": 128,
		"PERSONA_CHANGE_LEFT_SOURCE": 256, "PERSONA_CHANGE_RELATIONSHIP_CHANGED": 512,
		"PERSONA_CHANGE_NAME_FIRST_SET": 1024, "PERSONA_CHANGE_BROADCAST": 2048, "PERSONA_CHANGE_NICKNAME": 4096,
		"PERSONA_CHANGE_STEAM_LEVEL": 8192, "PERSONA_CHANGE_RICH_PRESENCE": 16384}],
	"PersonaState": [false, {"PERSONA_STATE_OFFLINE": 0, "PERSONA_STATE_ONLINE": 1, "PERSONA_STATE_BUSY": 2,
		"PERSONA_STATE_AWAY": 3, "PERSONA_STATE_SNOOZE": 4, "PERSONA_STATE_LOOKING_TO_TRADE": 5,
		"PERSONA_STATE_LOOKING_TO_PLAY": 6, "PERSONA_STATE_INVISIBLE": 7, "PERSONA_STATE_MAX": 8}],
	"FriendFlags": [true, {"FRIEND_FLAG_NONE": 0, "FRIEND_FLAG_BLOCKED": 1, "FRIEND_FLAG_FRIENDSHIP_REQUESTED": 2,
		"FRIEND_FLAG_IMMEDIATE": 4, "FRIEND_FLAG_CLAN_MEMBER": 8, "FRIEND_FLAG_ON_GAME_SERVER": 16,
		"FRIEND_FLAG_REQUESTING_FRIENDSHIP": 128, "FRIEND_FLAG_REQUESTING_INFO": 256, "FRIEND_FLAG_IGNORED": 512,
		"FRIEND_FLAG_IGNORED_FRIEND": 1024, "FRIEND_FLAG_CHAT_MEMBER": 4096, "FRIEND_FLAG_ALL": 65535}],
	"OverlayToStoreFlag": [false, {"OVERLAY_TO_STORE_FLAG_NONE": 0, "OVERLAY_TO_STORE_FLAG_ADD_TO_CART": 1,
		"OVERLAY_TO_STORE_FLAG_AND_TO_CART_AND_SHOW": 2}],
	"OverlayToWebPageMode": [false, {"OVERLAY_TO_WEB_PAGE_MODE_DEFAULT": 0, "OVERLAY_TO_WEB_PAGE_MODE_MODAL": 1}],
	"LobbyType": [false, {"LOBBY_TYPE_PRIVATE": 0, "LOBBY_TYPE_FRIENDS_ONLY": 1, "LOBBY_TYPE_PUBLIC": 2,
		"LOBBY_TYPE_INVISIBLE": 3, "LOBBY_TYPE_PRIVATE_UNIQUE": 4}],
	"LobbyComparison": [false, {"LOBBY_COMPARISON_EQUAL_TO_OR_LESS_THAN": -2, "LOBBY_COMPARISON_LESS_THAN": -1,
		"LOBBY_COMPARISON_EQUAL": 0, "LOBBY_COMPARISON_GREATER_THAN": 1, "LOBBY_COMPARISON_EQUAL_TO_GREATER_THAN": 2,
		"LOBBY_COMPARISON_NOT_EQUAL": 3}],
	"LobbyDistanceFilter": [false, {"LOBBY_DISTANCE_FILTER_CLOSE": 0, "LOBBY_DISTANCE_FILTER_DEFAULT": 1,
		"LOBBY_DISTANCE_FILTER_FAR": 2, "LOBBY_DISTANCE_FILTER_WORLDWIDE": 3}],
	"ChatMemberStateChange": [true, {"CHAT_MEMBER_STATE_CHANGE_ENTERED": 1, "CHAT_MEMBER_STATE_CHANGE_LEFT": 2,
		"CHAT_MEMBER_STATE_CHANGE_DISCONNECTED": 4, "CHAT_MEMBER_STATE_CHANGE_KICKED": 8,
		"CHAT_MEMBER_STATE_CHANGE_BANNED": 16}],
	"ChatRoomEnterResponse": [false, {"CHAT_ROOM_ENTER_RESPONSE_SUCCESS": 1, "CHAT_ROOM_ENTER_RESPONSE_DOESNT_EXIST": 2,
		"CHAT_ROOM_ENTER_RESPONSE_NOT_ALLOWED": 3, "CHAT_ROOM_ENTER_RESPONSE_FULL": 4,
		"CHAT_ROOM_ENTER_RESPONSE_ERROR": 5, "CHAT_ROOM_ENTER_RESPONSE_BANNED": 6,
		"CHAT_ROOM_ENTER_RESPONSE_LIMITED": 7, "CHAT_ROOM_ENTER_RESPONSE_CLAN_DISABLED": 8,
		"CHAT_ROOM_ENTER_RESPONSE_COMMUNITY_BAN": 9, "CHAT_ROOM_ENTER_RESPONSE_MEMBER_BLOCKED_YOU": 10,
		"CHAT_ROOM_ENTER_RESPONSE_YOU_BLOCKED_MEMBER": 11, "CHAT_ROOM_ENTER_RESPONSE_RATE_LIMIT_EXCEEDED": 15}],
	"ChatEntryType": [false, {"CHAT_ENTRY_TYPE_INVALID": 0, "CHAT_ENTRY_TYPE_CHAT_MSG": 1,
		"CHAT_ENTRY_TYPE_TYPING": 2, "CHAT_ENTRY_TYPE_INVITE_GAME": 3, "CHAT_ENTRY_TYPE_EMOTE": 4,
		"CHAT_ENTRY_TYPE_LEFT_CONVERSATION": 6, "CHAT_ENTRY_TYPE_ENTERED": 7, "CHAT_ENTRY_TYPE_WAS_KICKED": 8,
		"CHAT_ENTRY_TYPE_WAS_BANNED": 9, "CHAT_ENTRY_TYPE_DISCONNECTED": 10, "CHAT_ENTRY_TYPE_HISTORICAL_CHAT": 11,
		"CHAT_ENTRY_TYPE_LINK_BLOCKED": 14}],
	# GodotSteam's simulation members of NetworkingConfigValue (DUP_REVC is its spelling).
	"NetworkingConfigValue": [false, {"NETWORKING_CONFIG_INVALID": 0,
		"NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND": 2, "NETWORKING_CONFIG_FAKE_PACKET_LOSS_RECV": 3,
		"NETWORKING_CONFIG_FAKE_PACKET_LAG_SEND": 4, "NETWORKING_CONFIG_FAKE_PACKET_LAG_RECV": 5,
		"NETWORKING_CONFIG_FAKE_PACKET_REORDER_SEND": 6, "NETWORKING_CONFIG_FAKE_PACKET_REORDER_RECV": 7,
		"NETWORKING_CONFIG_FAKE_PACKET_REORDER_TIME": 8, "NETWORKING_CONFIG_FAKE_PACKET_DUP_SEND": 26,
		"NETWORKING_CONFIG_FAKE_PACKET_DUP_REVC": 27, "NETWORKING_CONFIG_FAKE_PACKET_DUP_TIME_MAX": 28,
		"NETWORKING_CONFIG_FAKE_RATE_LIMIT_SEND_RATE": 42, "NETWORKING_CONFIG_FAKE_RATE_LIMIT_SEND_BURST": 43,
		"NETWORKING_CONFIG_FAKE_RATE_LIMIT_RECV_RATE": 44, "NETWORKING_CONFIG_FAKE_RATE_LIMIT_RECV_BURST": 45,
		"NETWORKING_CONFIG_FAKE_PACKET_JITTER_SEND_AVG": 53, "NETWORKING_CONFIG_FAKE_PACKET_JITTER_SEND_MAX": 54,
		"NETWORKING_CONFIG_FAKE_PACKET_JITTER_SEND_PCT": 55, "NETWORKING_CONFIG_FAKE_PACKET_JITTER_RECV_AVG": 56,
		"NETWORKING_CONFIG_FAKE_PACKET_JITTER_RECV_MAX": 57, "NETWORKING_CONFIG_FAKE_PACKET_JITTER_RECV_PCT": 58}],
	# EResult: every value of the SDK (steamworks-sys 0.13), named as GodotSteam names them.
	"Result": [false, {
		"RESULT_NONE": 0, "RESULT_OK": 1, "RESULT_FAIL": 2, "RESULT_NO_CONNECTION": 3, "RESULT_INVALID_PASSWORD": 5,
		"RESULT_LOGGED_IN_ELSEWHERE": 6, "RESULT_INVALID_PROTOCOL_VER": 7, "RESULT_INVALID_PARAM": 8,
		"RESULT_FILE_NOT_FOUND": 9, "RESULT_BUSY": 10, "RESULT_INVALID_STATE": 11, "RESULT_INVALID_NAME": 12,
		"RESULT_INVALID_EMAIL": 13, "RESULT_DUPLICATE_NAME": 14, "RESULT_ACCESS_DENIED": 15, "RESULT_TIMEOUT": 16,
		"RESULT_BANNED": 17, "RESULT_ACCOUNT_NOT_FOUND": 18, "RESULT_INVALID_STEAM_ID": 19,
		"RESULT_SERVICE_UNAVAILABLE": 20, "RESULT_NOT_LOGGED_ON": 21, "RESULT_PENDING": 22,
		"RESULT_ENCRYPTION_FAILURE": 23, "RESULT_INSUFFICIENT_PRIVILEGE": 24, "RESULT_LIMIT_EXCEEDED": 25,
		"RESULT_REVOKED": 26, "RESULT_EXPIRED": 27, "RESULT_ALREADY_REDEEMED": 28, "RESULT_DUPLICATE_REQUEST": 29,
		"RESULT_ALREADY_OWNED": 30, "RESULT_IP_NOT_FOUND": 31, "RESULT_PERSIST_FAILED": 32,
		"RESULT_LOCKING_FAILED": 33, "RESULT_LOGON_SESSION_REPLACED": 34, "RESULT_CONNECT_FAILED": 35,
		"RESULT_HANDSHAKE_FAILED": 36, "RESULT_IO_FAILURE": 37, "RESULT_REMOTE_DISCONNECT": 38,
		"RESULT_SHOPPING_CART_NOT_FOUND": 39, "RESULT_BLOCKED": 40, "RESULT_IGNORED": 41, "RESULT_NO_MATCH": 42,
		"RESULT_ACCOUNT_DISABLED": 43, "RESULT_SERVICE_READ_ONLY": 44, "RESULT_ACCOUNT_NOT_FEATURED": 45,
		"RESULT_ADMINISTRATOR_OK": 46, "RESULT_CONTENT_VERSION": 47, "RESULT_TRY_ANOTHER_CM": 48,
		"RESULT_PASSWORD_REQUIRED_TO_KICK_SESSION": 49, "RESULT_ALREADY_LOGGED_IN_ELSEWHERE": 50,
		"RESULT_SUSPENDED": 51, "RESULT_CANCELLED": 52, "RESULT_DATA_CORRUPTION": 53, "RESULT_DISK_FULL": 54,
		"RESULT_REMOTE_CALL_FAILED": 55, "RESULT_PASSWORD_UNSET": 56, "RESULT_EXTERNAL_ACCOUNT_UNLINKED": 57,
		"RESULT_PSN_TICKET_INVALID": 58, "RESULT_EXTERNAL_ACCOUNT_ALREADY_LINKED": 59,
		"RESULT_REMOTE_FILE_CONFLICT": 60, "RESULT_ILLEGAL_PASSWORD": 61, "RESULT_SAME_AS_PREVIOUS_VALUE": 62,
		"RESULT_ACCOUNT_LOGON_DENIED": 63, "RESULT_CANNOT_USE_OLD_PASSWORD": 64,
		"RESULT_INVALID_LOGIN_AUTH_CODE": 65, "RESULT_ACCOUNT_LOGON_DENIED_NO_MAIL": 66,
		"RESULT_HARDWARE_NOT_CAPABLE_OF_IPT": 67, "RESULT_IPT_INIT_ERROR": 68,
		"RESULT_PARENTAL_CONTROL_RESTRICTED": 69, "RESULT_FACEBOOK_QUERY_ERROR": 70,
		"RESULT_EXPIRED_LOGIN_AUTH_CODE": 71, "RESULT_IP_LOGIN_RESTRICTION_FAILED": 72,
		"RESULT_ACCOUNT_LOCKED_DOWN": 73, "RESULT_ACCOUNT_LOGON_DENIED_VERIFIED_EMAIL_REQUIRED": 74,
		"RESULT_NO_MATCHING_URL": 75, "RESULT_BAD_RESPONSE": 76, "RESULT_REQUIRE_PASSWORD_RE_ENTRY": 77,
		"RESULT_VALUE_OUT_OF_RANGE": 78, "RESULT_UNEXPECTED_ERROR": 79, "RESULT_DISABLED": 80,
		"RESULT_INVALID_CEG_SUBMISSION": 81, "RESULT_RESTRICTED_DEVICE": 82, "RESULT_REGION_LOCKED": 83,
		"RESULT_RATE_LIMIT_EXCEEDED": 84, "RESULT_ACCOUNT_LOGIN_DENIED_NEED_TWO_FACTOR": 85,
		"RESULT_ITEM_DELETED": 86, "RESULT_ACCOUNT_LOGIN_DENIED_THROTTLE": 87, "RESULT_TWO_FACTOR_CODE_MISMATCH": 88,
		"RESULT_TWO_FACTOR_ACTIVATION_CODE_MISMATCH": 89, "RESULT_ACCOUNT_ASSOCIATED_TO_MULTIPLE_PARTNERS": 90,
		"RESULT_NOT_MODIFIED": 91, "RESULT_NO_MOBILE_DEVICE": 92, "RESULT_TIME_NOT_SYNCED": 93,
		"RESULT_SMS_CODE_FAILED": 94, "RESULT_ACCOUNT_LIMIT_EXCEEDED": 95,
		"RESULT_ACCOUNT_ACTIVITY_LIMIT_EXCEEDED": 96, "RESULT_PHONE_ACTIVITY_LIMIT_EXCEEDED": 97,
		"RESULT_REFUND_TO_WALLET": 98, "RESULT_EMAIL_SEND_FAILURE": 99, "RESULT_NOT_SETTLED": 100,
		"RESULT_NEED_CAPTCHA": 101, "RESULT_GSLT_DENIED": 102, "RESULT_GS_OWNER_DENIED": 103,
		"RESULT_INVALID_ITEM_TYPE": 104, "RESULT_IP_BANNED": 105, "RESULT_GSLT_EXPIRED": 106,
		"RESULT_INSUFFICIENT_FUNDS": 107, "RESULT_TOO_MANY_PENDING": 108, "RESULT_NO_SITE_LICENSES_FOUND": 109,
		"RESULT_WG_NETWORK_SEND_EXCEEDED": 110, "RESULT_ACCOUNT_NOT_FRIENDS": 111,
		"RESULT_LIMITED_USER_ACCOUNT": 112, "RESULT_CANT_REMOVE_ITEM": 113, "RESULT_ACCOUNT_DELETED": 114,
		"RESULT_EXISTING_USER_CANCELLED_LICENSE": 115, "RESULT_COMMUNITY_COOLDOWN": 116,
		"RESULT_NO_LAUNCHER_SPECIFIED": 117, "RESULT_MUST_AGREE_TO_SSA": 118, "RESULT_LAUNCHER_MIGRATED": 119,
		"RESULT_STEAM_REALM_MISMATCH": 120, "RESULT_INVALID_SIGNATURE": 121, "RESULT_PARSE_FAILURE": 122,
		"RESULT_NO_VERIFIED_PHONE": 123, "RESULT_INSUFFICIENT_BATTERY": 124, "RESULT_CHARGER_REQUIRED": 125,
		"RESULT_CACHED_CREDENTIAL_INVALID": 126, "RESULT_NOT_SUPPORTED": 128,
		"RESULT_FAMILY_SIZE_LIMIT_EXCEEDED": 129, "RESULT_OFFLINE_APP_CACHE_INVALID": 130, "RESULT_TRY_LATER": 131}],
}


## Every constant of every enum, with its value.
func all_constants() -> Dictionary:
	var all := {}
	for e in ENUMS:
		all.merge(ENUMS[e][1])
	return all


func test_singleton_is_registered() -> void:
	check(Engine.has_singleton("Steam"), "Engine.has_singleton('Steam')")
	check(ClassDB.class_exists("Steam"), "ClassDB knows the Steam class")
	var steam = Engine.get_singleton("Steam")
	check(steam != null and steam.get_class() == "Steam", "the singleton is a Steam object")
	# The global name a game uses resolves to the same object.
	check(Steam == steam, "the global `Steam` is the engine singleton")


## Checks that `class` has each method of `spec` (name -> [return type,
## [[arg name, arg type], ...], defaults]) with exactly that signature.
func check_methods(class_name_: String, spec_of: Dictionary) -> void:
	var listed := {}
	for m in ClassDB.class_get_method_list(class_name_, true):
		listed[m["name"]] = m
	for name in spec_of:
		if not check(listed.has(name), "method %s exists" % name):
			continue
		var spec: Array = spec_of[name]
		var m: Dictionary = listed[name]
		check_eq(int(m["return"]["type"]), spec[0], "%s return type" % name)
		var args: Array = m["args"]
		check_eq(args.size(), spec[1].size(), "%s argument count" % name)
		for i in min(args.size(), spec[1].size()):
			check_eq(args[i]["name"], spec[1][i][0], "%s argument %d name" % [name, i])
			check_eq(int(args[i]["type"]), spec[1][i][1], "%s argument %d type" % [name, i])
		check_eq(m["default_args"], spec[2], "%s default arguments" % name)


func test_methods_have_exact_signatures() -> void:
	check_methods("Steam", METHODS)


func test_no_extra_methods() -> void:
	var unexpected := []
	for m in ClassDB.class_get_method_list("Steam", true):
		var name: String = m["name"]
		if not METHODS.has(name) and not name.begins_with("_"):
			unexpected.append(name)
	check(unexpected.is_empty(), "no undocumented methods, found %s" % [unexpected])


func test_signals_have_exact_arguments() -> void:
	for name in SIGNALS:
		if not check(ClassDB.class_has_signal("Steam", name), "signal %s exists" % name):
			continue
		var args: Array = ClassDB.class_get_signal("Steam", name)["args"]
		var spec: Array = SIGNALS[name]
		check_eq(args.size(), spec.size(), "%s argument count" % name)
		for i in min(args.size(), spec.size()):
			check_eq(args[i]["name"], spec[i][0], "%s argument %d name" % [name, i])
			check_eq(int(args[i]["type"]), spec[i][1], "%s argument %d type" % [name, i])


func test_constants_have_steam_values() -> void:
	var listed := ClassDB.class_get_integer_constant_list("Steam", true)
	var constants := all_constants()
	for name in constants:
		if check(name in listed, "constant %s exists" % name):
			check_eq(ClassDB.class_get_integer_constant("Steam", name), constants[name], name)
	check_eq(listed.size(), constants.size(), "number of constants")
	# As a game reads them:
	check_eq(Steam.P2P_SEND_RELIABLE, 2, "Steam.P2P_SEND_RELIABLE")
	check_eq(Steam.NET_SOCKET_STATE_BROKEN, 25, "Steam.NET_SOCKET_STATE_BROKEN")


func test_constants_belong_to_godotsteams_enums() -> void:
	var enums := ClassDB.class_get_enum_list("Steam", true)
	enums.sort()
	var names := ENUMS.keys()
	names.sort()
	check_eq(Array(enums), names, "the class enums")
	var in_an_enum := 0
	for name in ENUMS:
		var spec: Array = ENUMS[name]
		check_eq(Array(ClassDB.class_get_enum_constants("Steam", name, true)), spec[1].keys(), "%s's constants" % name)
		check_eq(ClassDB.is_class_enum_bitfield("Steam", name, true), spec[0], "%s is a bit field" % name)
		for constant in spec[1]:
			check_eq(ClassDB.class_get_integer_constant_enum("Steam", constant, true), StringName(name),
				"%s is in %s" % [constant, name])
			in_an_enum += 1
	check_eq(in_an_enum, all_constants().size(), "every constant is in an enum")
	# As GodotSteam code writes them (this file would not parse otherwise):
	var send: Steam.P2PSend = Steam.P2PSend.P2P_SEND_RELIABLE
	check_eq(send, Steam.P2P_SEND_RELIABLE, "Steam.P2PSend.P2P_SEND_RELIABLE")
	check_eq(Steam.SteamAPIInitResult.STEAM_API_INIT_RESULT_OK, 0, "Steam.SteamAPIInitResult.STEAM_API_INIT_RESULT_OK")


# SteamMultiplayerPeer (GodotSteam 4.20's API): name -> [return type, [[arg, type], ...], defaults].
const PEER_METHODS := {
	"create_host": [TYPE_INT, [["virtual_port", TYPE_INT]], [0]],
	"create_client": [TYPE_INT, [["steam_id", TYPE_INT], ["virtual_port", TYPE_INT]], [0]],
	"host_with_lobby": [TYPE_INT, [["lobby_id", TYPE_INT]], []],
	"connect_to_lobby": [TYPE_INT, [["lobby_id", TYPE_INT]], []],
	"get_steam_id_for_peer_id": [TYPE_INT, [["peer_id", TYPE_INT]], []],
	"get_peer_id_for_steam_id": [TYPE_INT, [["steam_id", TYPE_INT]], []],
	"get_no_delay": [TYPE_BOOL, [], []],
	"set_no_delay": [TYPE_NIL, [["no_delay", TYPE_BOOL]], []],
	"get_no_nagle": [TYPE_BOOL, [], []],
	"set_no_nagle": [TYPE_NIL, [["no_nagle", TYPE_BOOL]], []],
	"get_server_relay": [TYPE_BOOL, [], []],
	"set_server_relay": [TYPE_NIL, [["server_relay", TYPE_BOOL]], []],
	"get_debug_level": [TYPE_INT, [], []],
	"set_debug_level": [TYPE_NIL, [["debug_level", TYPE_INT]], []],
}


func test_the_multiplayer_peer_class() -> void:
	check(ClassDB.class_exists("SteamMultiplayerPeer"), "SteamMultiplayerPeer exists")
	check(ClassDB.is_parent_class("SteamMultiplayerPeer", "MultiplayerPeerExtension"), "a MultiplayerPeerExtension")
	check_methods("SteamMultiplayerPeer", PEER_METHODS)
	var peer := SteamMultiplayerPeer.new()
	check_eq([peer.no_delay, peer.no_nagle, peer.server_relay, peer.debug_level], [false, false, true, 0], "property defaults")
	check_eq(peer.get_connection_status(), MultiplayerPeer.CONNECTION_DISCONNECTED, "a new peer is disconnected")
	check_eq(Array(ClassDB.class_get_enum_constants("SteamMultiplayerPeer", "DebugLevel", true)),
		["DEBUG_LEVEL_NONE", "DEBUG_LEVEL_PEER", "DEBUG_LEVEL_STEAM"], "DebugLevel")
	check_eq([SteamMultiplayerPeer.DEBUG_LEVEL_NONE, SteamMultiplayerPeer.DEBUG_LEVEL_PEER, SteamMultiplayerPeer.DEBUG_LEVEL_STEAM],
		[0, 1, 2], "DebugLevel values")
