## Without a Steam client, the Steam backend fails to start with Steam's
## status and a clear message, and every call then returns its documented
## failure value with one clear error. The game keeps running.
## Runs over the test double of libsteam_api.so, whose init tests/run makes
## fail as Steam does with no client running (STEAM_DOUBLE_INIT_RESULT=2,
## STEAM_DOUBLE_INIT_MESSAGE=DOUBLE_MESSAGE), so it does not depend on
## whether a Steam client happens to run on this machine.
extends "res://lib/suite.gd"

const PEER := 76561197960265730
## What tests/run tells the double to answer SteamAPI_InitFlat with.
const DOUBLE_MESSAGE := "no Steam client here (the test double says so)"
var DATA := PackedByteArray([1, 2, 3])


func test_init_ex_reports_failure() -> void:
	check_eq(OS.get_environment("STEAM_DOUBLE_INIT_RESULT"), str(Steam.STEAM_API_INIT_RESULT_NO_STEAM_CLIENT),
		"tests/run starts this suite over the double with STEAM_DOUBLE_INIT_RESULT=2")
	check_eq(OS.get_environment("STEAM_DOUBLE_INIT_MESSAGE"), DOUBLE_MESSAGE,
		"tests/run starts this suite with the double's message")
	var result: Dictionary = Steam.steamInitEx(480)
	check_eq(result.keys(), ["status", "verbal"], "steamInitEx keys")
	check_eq(result.get("status"), Steam.STEAM_API_INIT_RESULT_NO_STEAM_CLIENT, "status")
	var verbal: String = result.get("verbal", "")
	check(DOUBLE_MESSAGE in verbal, "verbal carries Steam's message, got '%s'" % verbal)
	check("STEAM_NETWORKING_BACKEND=local" in verbal, "verbal names the way out, got '%s'" % verbal)
	check_one_error("Steam initialization failed", "steamInitEx logs the failure once")
	check_eq(OS.get_environment("SteamAppId"), "480", "app_id is put in the environment")


func test_init_reports_false() -> void:
	check_eq(Steam.steamInit(), false, "steamInit()")
	check_one_error("Steam initialization failed", "steamInit logs the failure once")
	check_eq(Steam.isSteamRunning(), false, "isSteamRunning")
	check_eq(Steam.getSteamID(), 0, "getSteamID")


func test_old_retrieve_stats_form_is_explained() -> void:
	# GodotSteam before 4.14: steamInitEx(retrieve_stats: bool, app_id, embed).
	# Godot converts the bool to app_id 1.
	var result: Dictionary = Steam.steamInitEx(true, 480)
	check_eq(result.get("status"), Steam.STEAM_API_INIT_RESULT_FAILED_GENERIC, "status")
	check("steamInitEx(app_id: int = 0, embed_callbacks: bool = false)" in str(result.get("verbal")),
		"verbal names the current form, got %s" % result)
	check_one_error("retrieve_stats", "one error")


func test_every_call_fails_cleanly_before_init() -> void:
	check_eq(Steam.acceptP2PSessionWithUser(PEER), false, "acceptP2PSessionWithUser")
	check_one_error("not initialized", "acceptP2PSessionWithUser")
	check_eq(Steam.allowP2PPacketRelay(true), false, "allowP2PPacketRelay")
	check_one_error("not initialized", "allowP2PPacketRelay")
	check_eq(Steam.closeP2PChannelWithUser(PEER, 0), false, "closeP2PChannelWithUser")
	check_one_error("not initialized", "closeP2PChannelWithUser")
	check_eq(Steam.closeP2PSessionWithUser(PEER), false, "closeP2PSessionWithUser")
	check_one_error("not initialized", "closeP2PSessionWithUser")
	check_eq(Steam.getP2PSessionState(PEER), {}, "getP2PSessionState")
	check_one_error("not initialized", "getP2PSessionState")
	check_eq(Steam.getAvailableP2PPacketSize(), 0, "getAvailableP2PPacketSize")
	check_one_error("not initialized", "getAvailableP2PPacketSize")
	check_eq(Steam.readP2PPacket(16), {}, "readP2PPacket")
	check_one_error("not initialized", "readP2PPacket")
	check_eq(Steam.sendP2PPacket(PEER, DATA, Steam.P2P_SEND_RELIABLE), false, "sendP2PPacket")
	check_one_error("not initialized", "sendP2PPacket")
	Steam.run_callbacks()
	check_no_error("run_callbacks before init is silent")
	Steam.steamShutdown()
	Steam.steamShutdown()
	check_no_error("steamShutdown twice is harmless")


func test_bad_arguments_get_one_clear_error() -> void:
	check_eq(Steam.sendP2PPacket(0, DATA, 2), false, "id 0")
	check_one_error("invalid Steam ID 0", "id 0")
	check_eq(Steam.sendP2PPacket(-1, DATA, 2), false, "id -1")
	check_one_error("invalid Steam ID -1", "id -1")
	check_eq(Steam.sendP2PPacket(PEER, DATA, 4), false, "send type 4")
	check_one_error("invalid send_type 4", "send type 4")
	check_eq(Steam.sendP2PPacket(PEER, DATA, -1), false, "send type -1")
	check_one_error("invalid send_type -1", "send type -1")
	check_eq(Steam.sendP2PPacket(PEER, DATA, 2, -1), false, "channel -1")
	check_one_error("invalid channel -1", "channel -1")
	check_eq(Steam.sendP2PPacket(PEER, PackedByteArray(), 2), false, "empty data")
	check_one_error("empty packet", "empty data")
	var big := PackedByteArray()
	big.resize(1201)
	check_eq(Steam.sendP2PPacket(PEER, big, Steam.P2P_SEND_UNRELIABLE), false, "1201 bytes unreliable")
	check_one_error("too large", "1201 bytes unreliable")
	check_eq(Steam.readP2PPacket(-5), {}, "packet -5")
	check_one_error("invalid packet size -5", "packet -5")
	check_eq(Steam.readP2PPacket(1 << 32), {}, "packet 2^32")
	check_one_error("invalid packet size", "packet 2^32")
	check_eq(Steam.getAvailableP2PPacketSize(1 << 31), 0, "channel 2^31")
	check_one_error("invalid channel 2147483648", "channel 2^31")
	check_eq(Steam.closeP2PChannelWithUser(PEER, -3), false, "close channel -3")
	check_one_error("invalid channel -3", "close channel -3")


func test_repeated_errors_collapse() -> void:
	# A game that forgot to init, calling every frame: one error in full, then
	# one line every few seconds with the count, not one per call.
	errors.clear()
	for i in 1000:
		Steam.getAvailableP2PPacketSize(0)
	check_one_error("not initialized", "1000 calls, one error")
	var summed := func():
		Steam.getAvailableP2PPacketSize(0)
		return errors.any(func(e): return "repeated" in e)
	check(await wait_until(summed, 10000, false), "a repeat line comes within the window")
	var repeat: Array = errors.filter(func(e): return "repeated" in e)
	check(repeat.size() == 1 and "not initialized" in repeat[0], "the repeat line says what and how often: %s" % [errors])
	errors.clear()
	check_eq(Steam.steamInit(), false, "another init attempt")
	errors.clear()
	Steam.getAvailableP2PPacketSize(0)
	check_one_error("not initialized", "after an init attempt the error is news again")


func test_game_keeps_running_after_all_that() -> void:
	var ticks := [0]
	var count := func(): ticks[0] += 1
	process_frame.connect(count)
	await frames(3)
	process_frame.disconnect(count)
	check(ticks[0] >= 3, "frames still advance, counted %d" % ticks[0])
