## Two real Godot processes talking through the `Steam` API. tests/run runs
## this same file against the Steam backend over the test double of
## libsteam_api.so (TEST_BACKEND=double) and against the local backend
## (TEST_BACKEND=local); only how a peer "disappears" differs.
extends "res://lib/suite.gd"

var me := peer_steam_id(0)
var other := peer_steam_id(1)
var other_pid := 0
var requests: Array[int] = []
var requests_outside_run_callbacks := 0
var failures: Array = []
var pumping := false


func _on_request(id: int) -> void:
	requests.append(id)
	if not pumping:
		requests_outside_run_callbacks += 1


func _on_fail(id: int, error: int) -> void:
	failures.append([id, error])


## Pumps callbacks while recording that signals came from inside run_callbacks.
func pump() -> void:
	pumping = true
	Steam.run_callbacks()
	pumping = false


func wait_pumped(condition: Callable, timeout_ms: int) -> bool:
	var deadline := Time.get_ticks_msec() + timeout_ms
	while not condition.call():
		if Time.get_ticks_msec() > deadline:
			return false
		pump()
		await process_frame
	return true


func read_pumped(channel: int, timeout_ms := 10000) -> Dictionary:
	if not await wait_pumped(func(): return Steam.getAvailableP2PPacketSize(channel) > 0, timeout_ms):
		return {}
	return Steam.readP2PPacket(Steam.getAvailableP2PPacketSize(channel), channel)


func test_01_init_ok() -> void:
	var init: Dictionary = Steam.steamInitEx()
	check_eq(init.get("status"), Steam.STEAM_API_INIT_RESULT_OK, "steamInitEx status (%s)" % init)
	check(str(init.get("verbal")) != "", "steamInitEx verbal is filled")
	check_eq(Steam.getSteamID(), me, "getSteamID")
	check_eq(Steam.isSteamRunning(), true, "isSteamRunning")
	Steam.p2p_session_request.connect(_on_request)
	Steam.p2p_session_connect_fail.connect(_on_fail)
	check_no_error("init")


func test_02_session_request_through_run_callbacks() -> void:
	other_pid = spawn_peer(1, ["--hello=%d" % me])
	var got: bool = await wait_pumped(func(): return not requests.is_empty(), 20000)
	if not check(got, "p2p_session_request arrived"):
		return
	check_eq(requests[0], other, "request names the peer")
	check_eq(requests_outside_run_callbacks, 0, "signals only inside run_callbacks")
	check_eq(Steam.getAvailableP2PPacketSize(0), 0, "packets are held until accepted")
	var pending: Dictionary = Steam.getP2PSessionState(other)
	check_eq(pending.get("connecting"), true, "a request not yet accepted is connecting")
	check_eq(pending.get("connection_active"), false, "and not active")
	check_eq(Steam.acceptP2PSessionWithUser(other), true, "acceptP2PSessionWithUser")
	var hello := await read_pumped(0)
	check_eq(hello.get("data", PackedByteArray()).get_string_from_utf8(), "hello", "held packet released")
	check_eq(hello.get("steam_id_remote"), other, "steam_id_remote")
	check_eq(hello.get("remote_steam_id"), other, "remote_steam_id")
	check_no_error("handshake")


func test_03_echo_on_channels_0_and_1() -> void:
	var a := random_bytes(64)
	var b := random_bytes(1000)
	check(Steam.sendP2PPacket(other, a, Steam.P2P_SEND_RELIABLE, 0), "send on channel 0")
	check(Steam.sendP2PPacket(other, b, Steam.P2P_SEND_RELIABLE_WITH_BUFFERING, 1), "send on channel 1")
	var echo_b := await read_pumped(1)
	check_eq(echo_b.get("data"), b, "channel 1 bytes intact")
	check_eq(echo_b.get("remote_steam_id"), other, "channel 1 sender")
	var echo_a := await read_pumped(0)
	check_eq(echo_a.get("data"), a, "channel 0 bytes intact")
	check_eq(Steam.getAvailableP2PPacketSize(1), 0, "nothing else on channel 1")
	var small := random_bytes(1200)
	check(Steam.sendP2PPacket(other, small, Steam.P2P_SEND_UNRELIABLE_NO_DELAY, 7), "unreliable on channel 7")
	var echo_small := await read_pumped(7)
	check_eq(echo_small.get("data"), small, "channel 7 bytes intact")
	check_no_error("echo")


## A game that only polls `getAvailableP2PPacketSize` in a busy loop (no
## run_callbacks, no frames) still sees the peer's next packets: on the
## local backend most of those calls answer from a promise that nothing
## waits (rust/src/backend/dry.rs), which the peer's packet must end.
func test_03b_a_busy_dry_loop_sees_the_peers_next_packets() -> void:
	check(Steam.sendP2PPacket(other, "cmd:ticks".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0), "ask for ticks")
	var seen := 0
	var dry_calls := 0
	var deadline := Time.get_ticks_msec() + 10000
	while seen < 3 and Time.get_ticks_msec() < deadline:
		var size := Steam.getAvailableP2PPacketSize(2)
		if size == 0:
			dry_calls += 1
			continue
		var tick := Steam.readP2PPacket(size, 2)
		check_eq(tick.get("data"), "tick".to_utf8_buffer(), "a tick, whole")
		seen += 1
	check_eq(seen, 3, "three ticks (100 ms apart) seen by the busy loop")
	check(dry_calls > 1000, "between dry calls (%d)" % dry_calls)
	check(Steam.sendP2PPacket(other, "cmd:noticks".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0), "stop the ticks")
	# Ticks sent before the peer read that may still come, then the echo of
	# this marker, which the peer handles after the command (reliable
	# packets keep their order): drain channel 2 up to it.
	var marker := "end of ticks".to_utf8_buffer()
	check(Steam.sendP2PPacket(other, marker, Steam.P2P_SEND_RELIABLE, 2), "the marker")
	var last := {}
	while last.get("data") != marker:
		last = await read_pumped(2)
		if last.is_empty():
			break
	check_eq(last.get("data"), marker, "the ticks stopped before the marker's echo")
	check_no_error("busy dry loop")


func test_04_truncated_read_consumes_the_packet() -> void:
	var data := random_bytes(100)
	Steam.sendP2PPacket(other, data, Steam.P2P_SEND_RELIABLE, 1)
	await wait_pumped(func(): return Steam.getAvailableP2PPacketSize(1) > 0, 10000)
	check_eq(Steam.getAvailableP2PPacketSize(1), 100, "available size")
	var part: Dictionary = Steam.readP2PPacket(10, 1)
	check_eq(part.get("data"), data.slice(0, 10), "first 10 bytes")
	check_eq(Steam.getAvailableP2PPacketSize(1), 0, "the rest is gone")
	check_eq(Steam.readP2PPacket(10, 1), {}, "no packet: {}")
	check_no_error("truncation")


func test_05_session_state() -> void:
	var state: Dictionary = Steam.getP2PSessionState(other)
	var keys := state.keys()
	keys.sort()
	check_eq(keys, ["bytes_queued_for_send", "connecting", "connection_active", "packets_queued_for_send",
		"remote_ip", "remote_port", "session_error", "using_relay"], "state keys")
	check_eq(state.get("connection_active"), true, "connection_active")
	check_eq(state.get("connecting"), false, "connecting")
	check_eq(state.get("session_error"), Steam.P2P_SESSION_ERROR_NONE, "session_error")
	check_eq(state.get("remote_ip"), 0x7F000001, "remote_ip is 127.0.0.1 as an int")
	# Every packet sent so far was echoed back: nothing waits to go out.
	check_eq(state.get("bytes_queued_for_send"), 0, "bytes_queued_for_send")
	check_eq(state.get("packets_queued_for_send"), 0, "packets_queued_for_send")
	# Two processes on one machine talk directly.
	check_eq(state.get("using_relay"), false, "using_relay")
	if backend == "local":
		check_eq(state.get("remote_port"), local_port(1), "remote_port is the peer's port")
	else:
		check(state.get("remote_port", 0) > 0, "remote_port is a port: %s" % state.get("remote_port"))
	check_eq(Steam.getP2PSessionState(peer_steam_id(5)), {}, "no session: {}")
	check_no_error("state")


func calls_logged() -> PackedStringArray:
	var path := OS.get_environment("STEAM_DOUBLE_DIR").path_join("%d.calls" % me)
	return FileAccess.get_file_as_string(path).split("\n", false)


func test_06_relay_and_channel_close() -> void:
	check_eq(Steam.allowP2PPacketRelay(false), true, "allowP2PPacketRelay(false)")
	Steam.sendP2PPacket(other, bytes(5, 1), Steam.P2P_SEND_RELIABLE, 1)
	check(await wait_pumped(func(): return Steam.getAvailableP2PPacketSize(1) > 0, 10000), "an echo waits on channel 1")
	check_eq(Steam.closeP2PChannelWithUser(other, 1), true, "close channel 1")
	check_eq(Steam.getAvailableP2PPacketSize(1), 0, "closing the channel dropped its waiting packet")
	check_eq(Steam.closeP2PChannelWithUser(other, 1), false, "channel 1 is closed already")
	check_eq(Steam.closeP2PChannelWithUser(other, 3), false, "channel 3 was never open")
	if backend == "double":
		var calls := calls_logged()
		check("AllowP2PPacketRelay false" in calls, "the double saw AllowP2PPacketRelay(false): %s" % calls)
		check("CloseP2PChannelWithUser %d 1" % other in calls, "the double saw CloseP2PChannelWithUser")
	check_eq(Steam.allowP2PPacketRelay(true), true, "allowP2PPacketRelay(true)")
	check(Steam.getP2PSessionState(other).get("connection_active", false), "session still open on other channels")
	check_no_error("relay and channels")


func test_07_close_session_then_new_request() -> void:
	Steam.sendP2PPacket(other, "cmd:ticks".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	check(await wait_pumped(func(): return Steam.getAvailableP2PPacketSize(2) > 0, 10000), "ticks arrive")
	requests.clear()
	check_eq(Steam.closeP2PSessionWithUser(other), true, "closeP2PSessionWithUser")
	check_eq(Steam.closeP2PSessionWithUser(other), false, "closing twice")
	check_eq(Steam.getP2PSessionState(other), {}, "state after close")
	# Ticks keep coming; without run_callbacks no signal may fire.
	var quiet_until := Time.get_ticks_msec() + 600
	while Time.get_ticks_msec() < quiet_until:
		Steam.getAvailableP2PPacketSize(2)
		await process_frame
	check_eq(requests.size(), 0, "no signal without run_callbacks")
	check(await wait_pumped(func(): return not requests.is_empty(), 10000), "a new request after close")
	check_eq(requests_outside_run_callbacks, 0, "signals only inside run_callbacks")
	check_eq(requests[0] if requests else 0, other, "the new request names the peer")
	check_no_error("close and re-request")


func test_08_embedded_callbacks_with_reentrant_accept() -> void:
	Steam.steamShutdown()
	check_eq(Steam.isSteamRunning(), false, "stopped")
	Steam.p2p_session_request.disconnect(_on_request)
	var accepted: Array = []
	var accept_in_handler := func(id: int): accepted.append(Steam.acceptP2PSessionWithUser(id))
	Steam.p2p_session_request.connect(accept_in_handler)
	check_eq(Steam.steamInitEx(0, true).get("status"), Steam.STEAM_API_INIT_RESULT_OK, "re-init with embedded callbacks")
	# No run_callbacks here: the frame loop pumps.
	check(await wait_until(func(): return not accepted.is_empty(), 10000, false), "signal fired from the frame loop")
	check_eq(accepted.slice(0, 1), [true], "acceptP2PSessionWithUser from inside the handler")
	var tick := await read_next(2)
	check_eq(tick.get("data", PackedByteArray()).get_string_from_utf8(), "tick", "packets flow after accept")
	var data := random_bytes(32)
	Steam.sendP2PPacket(other, data, Steam.P2P_SEND_RELIABLE, 0)
	check_eq((await read_next(0)).get("data"), data, "our packets reach the peer after a restart")
	Steam.p2p_session_request.disconnect(accept_in_handler)
	Steam.p2p_session_request.connect(_on_request)
	check_no_error("embedded callbacks")


func test_08b_a_peer_that_closes_ends_our_session_quietly() -> void:
	Steam.sendP2PPacket(other, "cmd:noticks".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	failures.clear()
	requests.clear()
	Steam.sendP2PPacket(other, "cmd:byeclose".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	# Embedded callbacks from test_08 pump the signals.
	check(await wait_until(func(): return Steam.getP2PSessionState(other).is_empty(), 10000, false),
		"the peer's close ends our session")
	check_eq(Steam.getAvailableP2PPacketSize(3), 3, "what it sent before closing stays readable")
	check_eq(Steam.readP2PPacket(3, 3).get("data", PackedByteArray()).get_string_from_utf8(), "bye", "its goodbye")
	await frames(3)
	check_eq(failures, [], "no connect fail for a peer's close")
	check_eq(requests, [], "no request either")
	var data := random_bytes(16)
	check(Steam.sendP2PPacket(other, data, Steam.P2P_SEND_RELIABLE, 0), "sending opens a new session")
	check_eq((await read_next(0)).get("data"), data, "the peer accepts it and answers")
	check(await wait_until(func(): return Steam.getP2PSessionState(other).get("connection_active", false), 10000, false),
		"the new session is active")
	check_eq(failures, [], "still no connect fail")
	check_no_error("peer close")


func test_09_peer_gone_raises_connect_fail() -> void:
	failures.clear()
	Steam.sendP2PPacket(other, "cmd:noticks".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	if backend == "double":
		var marker := FileAccess.open(OS.get_environment("STEAM_DOUBLE_DIR").path_join("%d.gone" % other), FileAccess.WRITE)
		marker.store_string(str(Steam.P2P_SESSION_ERROR_TIMEOUT))
		marker.close()
	else:
		kill_peer(other_pid)
	check(await wait_until(func(): return not failures.is_empty(), 20000, false), "p2p_session_connect_fail arrived")
	check_eq(failures.slice(0, 1), [[other, Steam.P2P_SESSION_ERROR_TIMEOUT]], "connect fail names the peer and TIMEOUT")
	check_eq(Steam.getP2PSessionState(other), {}, "the failed session is gone")
	check_no_error("connect fail")


func after_all() -> void:
	if Steam.isSteamRunning():
		Steam.sendP2PPacket(other, "cmd:quit".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	Steam.steamShutdown()
