## The Steam backend's init results, with the test double of libsteam_api.so
## told to fail: status codes and `verbal` as API.md documents them.
extends "res://lib/suite.gd"


func init_failing_with(code: int, message: String) -> Dictionary:
	OS.set_environment("STEAM_DOUBLE_INIT_RESULT", str(code))
	OS.set_environment("STEAM_DOUBLE_INIT_MESSAGE", message)
	var result: Dictionary = Steam.steamInitEx(480)
	OS.set_environment("STEAM_DOUBLE_INIT_RESULT", "0")
	return result


func test_00_no_init_result_before_any_init() -> void:
	check_eq(Steam.get_steam_init_result(), {}, "get_steam_init_result() before any init")


func test_failure_codes_pass_through() -> void:
	var cases := {
		Steam.STEAM_API_INIT_RESULT_FAILED_GENERIC: "generic trouble",
		Steam.STEAM_API_INIT_RESULT_NO_STEAM_CLIENT: "no client here",
		Steam.STEAM_API_INIT_RESULT_VERSION_MISMATCH: "client too old",
	}
	for code in cases:
		var result := init_failing_with(code, cases[code])
		check_eq(result.get("status"), code, "status for %s" % cases[code])
		check(cases[code] in str(result.get("verbal")), "verbal carries Steam's message: %s" % result)
		check_one_error(cases[code], "one error for %s" % cases[code])
		check_eq(Steam.get_steam_init_result(), result, "get_steam_init_result() after failure %d" % code)
		check_eq(Steam.isSteamRunning(), false, "not running after failure %d" % code)
		check_eq(Steam.getSteamID(), 0, "no id after failure %d" % code)


func test_steam_init_false_on_failure() -> void:
	OS.set_environment("STEAM_DOUBLE_INIT_RESULT", "2")
	check_eq(Steam.steamInit(), false, "steamInit() on failure")
	OS.set_environment("STEAM_DOUBLE_INIT_RESULT", "0")
	check_one_error("Steam initialization failed", "one error")


func test_ok_path_and_restart() -> void:
	check_eq(Steam.steamInit(480), true, "steamInit(480)")
	check_eq(Steam.get_steam_init_result().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "steamInit's result is kept too")
	check_eq(Steam.getSteamID(), peer_steam_id(0), "getSteamID from the double")
	check_eq(Steam.isSteamRunning(), true, "isSteamRunning")
	var again: Dictionary = Steam.steamInitEx(480)
	check_eq(again.get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init twice is harmless")
	Steam.steamShutdown()
	check_eq(Steam.get_steam_init_result().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "a shutdown keeps the last result")
	check_eq(Steam.isSteamRunning(), false, "stopped")
	check_eq(Steam.getSteamID(), 0, "no id after shutdown")
	check_eq(Steam.sendP2PPacket(peer_steam_id(1), PackedByteArray([1]), 2), false, "send after shutdown")
	check_one_error("not initialized", "send after shutdown")
	Steam.steamShutdown()
	check_eq(Steam.steamInit(), true, "init after shutdown")
	Steam.steamShutdown()
	check_no_error("restart")
