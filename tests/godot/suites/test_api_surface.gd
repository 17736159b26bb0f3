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
	"readP2PPacket": [TYPE_DICTIONARY, [["packet", TYPE_INT], ["channel", TYPE_INT]], [0]],
	# Ours, not GodotSteam's: a batch read.
	"readP2PPackets": [TYPE_ARRAY, [["max_packets", TYPE_INT], ["channel", TYPE_INT]], [0]],
	"sendP2PPacket": [TYPE_BOOL, [["remote_steam_id", TYPE_INT], ["data", TYPE_PACKED_BYTE_ARRAY],
		["send_type", TYPE_INT], ["channel", TYPE_INT]], [0]],
}

const SIGNALS := {
	"p2p_session_request": [["remote_steam_id", TYPE_INT]],
	"p2p_session_connect_fail": [["remote_steam_id", TYPE_INT], ["session_error", TYPE_INT]],
}

# GodotSteam 4.20's class enums: name -> [bitfield?, its constants].
const ENUMS := {
	"P2PSend": [false, ["P2P_SEND_UNRELIABLE", "P2P_SEND_UNRELIABLE_NO_DELAY", "P2P_SEND_RELIABLE",
		"P2P_SEND_RELIABLE_WITH_BUFFERING"]],
	"P2PSessionError": [false, ["P2P_SESSION_ERROR_NONE", "P2P_SESSION_ERROR_NOT_RUNNING_APP",
		"P2P_SESSION_ERROR_NO_RIGHTS_TO_APP", "P2P_SESSION_ERROR_DESTINATION_NOT_LOGGED_ON",
		"P2P_SESSION_ERROR_TIMEOUT", "P2P_SESSION_ERROR_MAX"]],
	"SocketConnectionType": [false, ["NET_SOCKET_CONNECTION_TYPE_NOT_CONNECTED", "NET_SOCKET_CONNECTION_TYPE_UDP",
		"NET_SOCKET_CONNECTION_TYPE_UDP_RELAY"]],
	"SocketState": [false, ["NET_SOCKET_STATE_INVALID", "NET_SOCKET_STATE_CONNECTED", "NET_SOCKET_STATE_INITIATED",
		"NET_SOCKET_STATE_LOCAL_CANDIDATE_FOUND", "NET_SOCKET_STATE_RECEIVED_REMOTE_CANDIDATES",
		"NET_SOCKET_STATE_CHALLENGE_HANDSHAKE", "NET_SOCKET_STATE_DISCONNECTING", "NET_SOCKET_STATE_LOCAL_DISCONNECT",
		"NET_SOCKET_STATE_TIMEOUT_DURING_CONNECT", "NET_SOCKET_STATE_REMOTE_END_DISCONNECTED", "NET_SOCKET_STATE_BROKEN"]],
	"SteamAPIInitResult": [false, ["STEAM_API_INIT_RESULT_OK", "STEAM_API_INIT_RESULT_FAILED_GENERIC",
		"STEAM_API_INIT_RESULT_NO_STEAM_CLIENT", "STEAM_API_INIT_RESULT_VERSION_MISMATCH"]],
}

const CONSTANTS := {
	"P2P_SEND_UNRELIABLE": 0, "P2P_SEND_UNRELIABLE_NO_DELAY": 1,
	"P2P_SEND_RELIABLE": 2, "P2P_SEND_RELIABLE_WITH_BUFFERING": 3,
	"P2P_SESSION_ERROR_NONE": 0, "P2P_SESSION_ERROR_NOT_RUNNING_APP": 1,
	"P2P_SESSION_ERROR_NO_RIGHTS_TO_APP": 2, "P2P_SESSION_ERROR_DESTINATION_NOT_LOGGED_ON": 3,
	"P2P_SESSION_ERROR_TIMEOUT": 4, "P2P_SESSION_ERROR_MAX": 5,
	"NET_SOCKET_CONNECTION_TYPE_NOT_CONNECTED": 0, "NET_SOCKET_CONNECTION_TYPE_UDP": 1,
	"NET_SOCKET_CONNECTION_TYPE_UDP_RELAY": 2,
	"NET_SOCKET_STATE_INVALID": 0, "NET_SOCKET_STATE_CONNECTED": 1,
	"NET_SOCKET_STATE_INITIATED": 10, "NET_SOCKET_STATE_LOCAL_CANDIDATE_FOUND": 11,
	"NET_SOCKET_STATE_RECEIVED_REMOTE_CANDIDATES": 12, "NET_SOCKET_STATE_CHALLENGE_HANDSHAKE": 15,
	"NET_SOCKET_STATE_DISCONNECTING": 21, "NET_SOCKET_STATE_LOCAL_DISCONNECT": 22,
	"NET_SOCKET_STATE_TIMEOUT_DURING_CONNECT": 23, "NET_SOCKET_STATE_REMOTE_END_DISCONNECTED": 24,
	"NET_SOCKET_STATE_BROKEN": 25,
	"STEAM_API_INIT_RESULT_OK": 0, "STEAM_API_INIT_RESULT_FAILED_GENERIC": 1,
	"STEAM_API_INIT_RESULT_NO_STEAM_CLIENT": 2, "STEAM_API_INIT_RESULT_VERSION_MISMATCH": 3,
}


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
	for name in CONSTANTS:
		if check(name in listed, "constant %s exists" % name):
			check_eq(ClassDB.class_get_integer_constant("Steam", name), CONSTANTS[name], name)
	check_eq(listed.size(), CONSTANTS.size(), "number of constants")
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
		check_eq(Array(ClassDB.class_get_enum_constants("Steam", name, true)), spec[1], "%s's constants" % name)
		check_eq(ClassDB.is_class_enum_bitfield("Steam", name, true), spec[0], "%s is a bit field" % name)
		for constant in spec[1]:
			check_eq(ClassDB.class_get_integer_constant_enum("Steam", constant, true), StringName(name),
				"%s is in %s" % [constant, name])
			in_an_enum += 1
	check_eq(in_an_enum, CONSTANTS.size(), "every constant is in an enum")
	# As GodotSteam code writes them (this file would not parse otherwise):
	var send: Steam.P2PSend = Steam.P2PSend.P2P_SEND_RELIABLE
	check_eq(send, Steam.P2P_SEND_RELIABLE, "Steam.P2PSend.P2P_SEND_RELIABLE")
	check_eq(Steam.SteamAPIInitResult.STEAM_API_INIT_RESULT_OK, 0, "Steam.SteamAPIInitResult.STEAM_API_INIT_RESULT_OK")
