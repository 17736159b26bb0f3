## GodotSteam-style code around networking, typed with GodotSteam's enums:
## the Friends, User, Apps and Utils calls a P2P game makes, on both backends
## (tests/run runs this file over the Steam test double and over the local
## backend). Two instances learn each other's names; avatars arrive through
## avatar_loaded, shaped as GodotSteam delivers them.
extends "res://lib/suite.gd"

const MY_NAME := "Tester"
const PEER_NAME := "Peer One"

var other := peer_steam_id(1)
var persona_changes: Array = []
var avatars: Array = []


## Whether peer `index` has started its backend.
func peer_is_up(index: int) -> bool:
	if backend == "local":
		return local_port(index) > 0
	var dir := OS.get_environment("STEAM_DOUBLE_DIR")
	return FileAccess.file_exists(dir.path_join("%d.up" % peer_steam_id(index)))


func test_01_every_call_fails_cleanly_before_init() -> void:
	check_eq(Steam.get_steam_init_result(), {}, "no init result yet")
	for c in identity_calls(other):
		errors.clear()
		check_eq(c[1].call(), c[2], "%s before init" % c[0])
		check_one_error("not initialized", c[0])


func test_02_typed_godotsteam_code_runs() -> void:
	OS.set_environment("STEAM_NETWORKING_LOCAL_NAME", MY_NAME)
	OS.set_environment("STEAM_DOUBLE_PERSONA_NAME", MY_NAME)
	var init: Dictionary = Steam.steamInitEx(480)
	var status: Steam.SteamAPIInitResult = init["status"]
	check_eq(status, Steam.SteamAPIInitResult.STEAM_API_INIT_RESULT_OK, "init (%s)" % init)
	check_eq(Steam.get_steam_init_result(), init, "get_steam_init_result()")
	var send: Steam.P2PSend = Steam.P2PSend.P2P_SEND_RELIABLE
	check_eq(send, Steam.P2P_SEND_RELIABLE, "typed send type")
	check_eq(Steam.getPersonaName(), MY_NAME, "getPersonaName")
	check_eq(Steam.getFriendPersonaName(Steam.getSteamID()), MY_NAME, "our own name through getFriendPersonaName")
	check_eq(Steam.loggedOn(), true, "loggedOn")
	check(Steam.getPlayerSteamLevel() >= 0, "getPlayerSteamLevel")
	check_eq(Steam.isSubscribed(), true, "isSubscribed")
	check_eq(Steam.getAppID(), 480, "getAppID is the app id given to init")
	check_eq(Steam.isSubscribedApp(480), true, "isSubscribedApp(480)")
	check_eq(Steam.isSubscribedApp(481), false, "isSubscribedApp(481)")
	check_eq(Steam.getAppOwner(), Steam.getSteamID(), "the user owns the app")
	check(Steam.getAppBuildId() >= 0, "getAppBuildId")
	var dir := Steam.getAppInstallDir(480)
	check(dir != "" and dir != "Possible wrong app ID or missing depot", "getAppInstallDir(480): %s" % dir)
	var language := Steam.getCurrentGameLanguage()
	check(language != "", "getCurrentGameLanguage: %s" % language)
	check(language in Steam.getAvailableGameLanguages().split(","), "the current language is available")
	check(Steam.getSteamUILanguage() != "", "getSteamUILanguage")
	check(Steam.getIPCountry().length() in [0, 2], "getIPCountry: '%s'" % Steam.getIPCountry())
	check_eq(Steam.getLaunchCommandLine(), "", "getLaunchCommandLine")
	for platform in [Steam.isSteamRunningOnSteamDeck(), Steam.isSteamRunningInVR(),
			Steam.isSteamInBigPictureMode(), Steam.isOverlayEnabled(), Steam.isDLCInstalled(1)]:
		check_eq(platform, false, "platform flags are off here")
	# Most methods are static (steam/client.rs): GodotSteam code reaches them
	# every way it reaches an instance method.
	var me := Steam.getSteamID()
	check(me != 0, "getSteamID after init")
	var singleton: Object = Engine.get_singleton("Steam")
	check_eq(singleton.getSteamID(), me, "through Engine.get_singleton")
	check_eq(singleton.call("getSteamID"), me, "through call()")
	check_eq(Callable(singleton, "getSteamID").call(), me, "through a Callable")
	var method := Steam.getSteamID
	check_eq(method.call(), me, "through the method as a Callable")
	check(singleton.has_method("getSteamID"), "has_method")
	check_no_error("typed calls")


func test_03_two_instances_see_each_others_names() -> void:
	Steam.persona_state_change.connect(func(id: int, flags: int): persona_changes.append([id, flags]))
	OS.set_environment("STEAM_NETWORKING_LOCAL_NAME", PEER_NAME)
	OS.set_environment("STEAM_DOUBLE_PERSONA_NAME", PEER_NAME)
	spawn_peer(1)
	OS.set_environment("STEAM_NETWORKING_LOCAL_NAME", MY_NAME)
	OS.set_environment("STEAM_DOUBLE_PERSONA_NAME", MY_NAME)
	check(await wait_until(func(): return peer_is_up(1), 20000), "the peer is up")
	if backend == "local":
		# Steam may know a friend's name at once (the double does); a local
		# instance learns it when the other one answers.
		check_eq(Steam.getFriendPersonaName(other), "", "not known before anyone asked")
	check_eq(Steam.requestUserInformation(other, true), true, "requestUserInformation: an answer will come")
	var named := func(): return persona_changes.any(
		func(c): return c[0] == other and c[1] & Steam.PersonaChange.PERSONA_CHANGE_NAME)
	check(await wait_until(named, 10000), "persona_state_change with PERSONA_CHANGE_NAME")
	check_eq(Steam.getFriendPersonaName(other), PEER_NAME, "getFriendPersonaName")
	check_eq(Steam.requestUserInformation(other, true), false, "known now: nothing to wait for")
	check_no_error("names")


func test_04_avatars_arrive_as_godotsteam_delivers_them() -> void:
	Steam.avatar_loaded.connect(func(id: int, size: int, data): avatars.append([id, size, data]))
	Steam.getPlayerAvatar(Steam.AVATAR_MEDIUM, other)
	check(avatars.is_empty(), "nothing before run_callbacks")
	check(await wait_until(func(): return not avatars.is_empty(), 10000), "avatar_loaded arrived")
	var got: Array = avatars.pop_front() if avatars else [0, 0, null]
	check_eq(got[0], other, "avatar_id is the user's Steam ID")
	check_eq(got[1], 64, "medium is 64 pixels")
	check_eq(typeof(got[2]), TYPE_PACKED_BYTE_ARRAY, "data is a PackedByteArray")
	if typeof(got[2]) == TYPE_PACKED_BYTE_ARRAY:
		check_eq(got[2].size(), 64 * 64 * 4, "RGBA8, 64 x 64")
		var image := Image.create_from_data(64, 64, false, Image.FORMAT_RGBA8, got[2])
		check_eq(image.get_size(), Vector2i(64, 64), "Image.create_from_data takes it")
	for case in [[1, 32], [3, 184], [7, 184]]:
		Steam.getPlayerAvatar(case[0])
		check(await wait_until(func(): return not avatars.is_empty(), 10000), "size %d arrived" % case[0])
		var mine: Array = avatars.pop_front() if avatars else [0, 0, PackedByteArray()]
		check_eq([mine[0], mine[1]], [Steam.getSteamID(), case[1]], "size %d: our own avatar" % case[0])
	check_no_error("avatars")


func test_05_overlay_and_bad_arguments() -> void:
	errors.clear()
	Steam.activateGameOverlay("friends")
	Steam.activateGameOverlayToUser("steamid", other)
	if backend == "local":
		check_one_error("no Steam overlay", "the local backend says once that there is no overlay")
	else:
		var calls := FileAccess.get_file_as_string(
			OS.get_environment("STEAM_DOUBLE_DIR").path_join("%d.calls" % Steam.getSteamID()))
		check("ActivateGameOverlay friends" in calls, "the double saw the overlay call")
		check_no_error("overlay")
	check_eq(Steam.getFriendPersonaName(0), "", "steam_id 0")
	check_one_error("invalid Steam ID 0", "steam_id 0")
	Steam.activateGameOverlayInviteDialog(other)
	check_one_error("invalid lobby id", "a user's id is not a lobby")
	check_eq(Steam.isSubscribedApp(-1), false, "app id -1")
	check_one_error("invalid app id -1", "app id -1")


func test_05b_network_simulation_settings() -> void:
	# GodotSteam code that sets Valve's simulation settings runs unchanged.
	var lag: Steam.NetworkingConfigValue = Steam.NetworkingConfigValue.NETWORKING_CONFIG_FAKE_PACKET_LAG_SEND
	check_eq(Steam.setGlobalConfigValueInt32(lag, 0), true, "setGlobalConfigValueInt32(LAG_SEND, 0)")
	check_eq(Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND, 0.0), true,
		"setGlobalConfigValueFloat(LOSS_SEND, 0)")
	check_no_error("settings taken")
	check_eq(Steam.setGlobalConfigValueFloat(lag, 10.0), false, "lag takes an int")
	check_one_error("use setGlobalConfigValueInt32", "the wrong kind of value")
	check_eq(Steam.setGlobalConfigValueInt32(lag, -1), false, "negative lag")
	check_one_error("invalid value -1 for NETWORKING_CONFIG_FAKE_PACKET_LAG_SEND", "negative lag")
	check_eq(Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND, NAN), false, "NaN loss")
	check_one_error("invalid value NaN", "NaN loss")
	check_eq(Steam.setGlobalConfigValueInt32(Steam.NETWORKING_CONFIG_INVALID, 1), false, "INVALID")
	check_one_error("unknown config 0", "INVALID")
	check_eq(Steam.setGlobalConfigValueString(lag, "5"), false, "no setting takes a string")
	check_one_error("cannot be set with setGlobalConfigValueString", "a string")
	if backend == "double":
		var calls := FileAccess.get_file_as_string(
			OS.get_environment("STEAM_DOUBLE_DIR").path_join("%d.calls" % Steam.getSteamID())).split("\n")
		check("SetGlobalConfigValueInt32 4 0" in calls, "the double got the int32 setting: %s" % [calls])
		check("SetGlobalConfigValueFloat 2 0" in calls, "the double got the float setting")
		check_eq(Array(calls).filter(func(l): return l.begins_with("SetGlobalConfig")).size(), 2, "only the good ones")
		# Steam saying no is one error, naming the setting.
		OS.set_environment("STEAM_DOUBLE_REFUSE_CONFIG", "4")
		check_eq(Steam.setGlobalConfigValueInt32(lag, 0), false, "refused by Steam")
		check_one_error("Steam refused NETWORKING_CONFIG_FAKE_PACKET_LAG_SEND", "refused by Steam")
		OS.set_environment("STEAM_DOUBLE_REFUSE_CONFIG", "")
		check_eq(Steam.getLocalNetworkConditions(), {}, "Steam simulates for itself")
	else:
		var now: Dictionary = Steam.getLocalNetworkConditions()
		check_eq(now.get("send", {}).get("summary"), "none", "nothing simulated: %s" % now)
		check_eq(now.get("receive", {}).get("lag_ms"), 0.0, "nothing on receive either")
	check_no_error("simulation settings")


func test_06_join_requested_arrives_through_run_callbacks() -> void:
	if backend != "double":
		# No friends list between local instances: nobody asks to join.
		return
	var lobby := (1 << 56) | (8 << 52) | 777
	var joins: Array = []
	Steam.join_requested.connect(func(lobby_id: int, steam_id: int): joins.append([lobby_id, steam_id]))
	var request := FileAccess.open(OS.get_environment("STEAM_DOUBLE_DIR").path_join(
		"%d.join_request" % Steam.getSteamID()), FileAccess.WRITE)
	request.store_string("%d %d" % [lobby, other])
	request.close()
	check(await wait_until(func(): return not joins.is_empty(), 10000), "join_requested arrived")
	check_eq(joins.slice(0, 1), [[lobby, other]], "it names the lobby and the friend")
	check_no_error("join request")


func after_all() -> void:
	if Steam.isSteamRunning():
		Steam.sendP2PPacket(other, "cmd:quit".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	Steam.steamShutdown()
