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


## A dry `getAvailableP2PPacketSize` leaves the main thread a promise that
## nothing waits (answered without entering the API until the bell rings):
## a thread's call is still refused, and a send hands the promise back.
func test_a_dry_promise_stays_on_the_main_thread_and_a_send_hands_it_back() -> void:
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	me = Steam.getSteamID()
	check(Steam.sendP2PPacket(me, bytes(16, 1), Steam.P2P_SEND_RELIABLE, 0), "a packet to ourselves")
	Steam.acceptP2PSessionWithUser(me)
	check(await wait_until(func(): return Steam.getAvailableP2PPacketSize(0) == 16, 5000), "it arrives")
	check_eq(Steam.readP2PPacket(16, 0).get("data"), bytes(16, 1), "and is read")
	# The backend trusts a still bell only 5 ms after it last moved
	# (rust/src/backend/local/quiet.rs): let that pass, then ask dry twice
	# (the first looks and lends, the second answers from the promise).
	await create_timer(0.05).timeout
	check_eq(Steam.getAvailableP2PPacketSize(0), 0, "dry")
	check_eq(Steam.getAvailableP2PPacketSize(0), 0, "still dry")
	errors.clear()

	var thread := Thread.new()
	thread.start(func(): return Steam.getAvailableP2PPacketSize(0))
	check_eq(thread.wait_to_finish(), 0, "a thread's call answers 0")
	take_thread_errors()
	check(errors.size() == 1 and REFUSED in errors[0], "with one error saying why, got %s" % [errors])
	errors.clear()

	# The send hands the promise back; then a busy loop of dry calls (no
	# run_callbacks) must still find the packet. (A peer's packet ending a
	# promise by its ring alone: two_processes in test_p2p_pair.)
	check(Steam.sendP2PPacket(me, bytes(24, 2), Steam.P2P_SEND_UNRELIABLE, 3), "another packet")
	var deadline := Time.get_ticks_msec() + 5000
	while Steam.getAvailableP2PPacketSize(3) != 24 and Time.get_ticks_msec() < deadline:
		pass
	check_eq(Steam.getAvailableP2PPacketSize(3), 24, "the next packet is seen by a busy dry loop")
	check_eq(Steam.readP2PPacket(24, 3).get("data"), bytes(24, 2), "whole")
	check_no_error("the promise's calls")
	Steam.steamShutdown()
