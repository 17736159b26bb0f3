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
}

const SIGNALS := {
	"p2p_session_request": [["remote_steam_id", TYPE_INT]],
	"p2p_session_connect_fail": [["remote_steam_id", TYPE_INT], ["session_error", TYPE_INT]],
	"persona_state_change": [["steam_id", TYPE_INT], ["flags", TYPE_INT]],
	"join_requested": [["lobby_id", TYPE_INT], ["steam_id", TYPE_INT]],
	"avatar_loaded": [["avatar_id", TYPE_INT], ["size", TYPE_INT], ["data", TYPE_ARRAY]],
	"steamworks_error": [["failed_signal", TYPE_STRING], ["io_failure", TYPE_STRING]],
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


func test_methods_have_exact_signatures() -> void:
	var listed := {}
	for m in ClassDB.class_get_method_list("Steam", true):
		listed[m["name"]] = m
	for name in METHODS:
		if not check(listed.has(name), "method %s exists" % name):
			continue
		var spec: Array = METHODS[name]
		var m: Dictionary = listed[name]
		check_eq(int(m["return"]["type"]), spec[0], "%s return type" % name)
		var args: Array = m["args"]
		check_eq(args.size(), spec[1].size(), "%s argument count" % name)
		for i in min(args.size(), spec[1].size()):
			check_eq(args[i]["name"], spec[1][i][0], "%s argument %d name" % [name, i])
			check_eq(int(args[i]["type"]), spec[1][i][1], "%s argument %d type" % [name, i])
		check_eq(m["default_args"], spec[2], "%s default arguments" % name)


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
