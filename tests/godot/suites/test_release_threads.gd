## Calls from a GDScript `Thread` are refused: each returns its documented
## failure value with one clear error (but `isSteamRunning` and `getSteamID`,
## which answer any thread, as Steam's do), and the main thread's session, queued
## packets and init state are untouched. tests/run runs this suite on the
## release build, where gdext's own runtime checks are off and the plugin's
## main-thread guard is all that keeps a thread away from the singleton's
## state. (In debug builds gdext's checks fire as well, as Rust panics, for
## calls that make Godot dictionaries or arrays.)
extends "res://lib/suite.gd"

const REFUSED := "called from a thread other than Godot's main thread"

var me := 0


## Every method of the singleton with a valid argument list, and what a
## refused call returns.
func every_call() -> Array:
	var lifecycle := [
		["steamInitEx", func(): return Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_FAILED_GENERIC],
		["steamInit", func(): return Steam.steamInit(), false],
		["steamShutdown", func(): Steam.steamShutdown(), null],
		["get_steam_init_result", func(): return Steam.get_steam_init_result(), {}],
		["run_callbacks", func(): Steam.run_callbacks(), null],
	]
	return lifecycle + networking_calls(me) + identity_calls(me) + lobby_calls(SOME_LOBBY, me)


## Runs every call on this (non-main) thread; returns [name, result] pairs,
## then what the two calls that answer any thread said.
func call_everything() -> Array:
	var results := []
	for entry in every_call():
		results.append([entry[0], entry[1].call()])
	results.append(["answered", [Steam.isSteamRunning(), Steam.getSteamID()]])
	return results


func test_calls_from_a_thread_are_refused_and_change_nothing() -> void:
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init on the main thread")
	me = Steam.getSteamID()
	check(Steam.sendP2PPacket(me, bytes(48, 7), Steam.P2P_SEND_RELIABLE, 0), "a packet to ourselves")
	Steam.acceptP2PSessionWithUser(me)
	check(await wait_until(func(): return Steam.getAvailableP2PPacketSize(0) == 48, 5000),
		"the packet waits before the thread runs")
	errors.clear()

	var thread := Thread.new()
	thread.start(call_everything)
	var results: Array = thread.wait_to_finish()
	take_thread_errors()

	var expected := every_call()
	var answered: Array = results.pop_back()[1] if results.size() > expected.size() else []
	check_eq(answered, [true, me], "isSteamRunning() and getSteamID() answer a thread, without an error")
	check_eq(results.size(), expected.size(), "every call returned")
	for i in min(results.size(), expected.size()):
		var name: String = expected[i][0]
		check_eq(results[i][1], expected[i][2], "%s from a thread" % name)
		var mine := errors.filter(func(e): return ("Steam.%s()" % name) in e)
		check(mine.size() == 1 and REFUSED in mine[0],
			"%s from a thread: one error saying why, got %s" % [name, mine])
	check_eq(errors.size(), expected.size(), "one error per refused call and no other")
	errors.clear()

	# The thread's shutdown, read and close were refused: all still here.
	check(Steam.isSteamRunning(), "still running after the thread's steamShutdown()")
	check_eq(Steam.getSteamID(), me, "same Steam ID")
	var packet := Steam.readP2PPacket(64, 0)
	check_eq(packet.get("data"), bytes(48, 7), "the waiting packet is still there, whole")
	check_eq(packet.get("remote_steam_id"), me, "from ourselves")
	check_eq(Steam.getP2PSessionState(me).get("connection_active"), true, "the session is still open")
	check_no_error("main-thread calls after the thread")
	Steam.steamShutdown()
	check(not Steam.isSteamRunning(), "the main thread's shutdown works")
