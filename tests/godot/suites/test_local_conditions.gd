## Simulated network conditions between two real Godot processes on the
## local backend, under profiles from Valve's GameNetworkingSockets
## connection tests: the median round trip is twice the lag (within 20%),
## unreliable delivery is 100 minus the loss (within 5 points), 10,000
## reliable packets arrive exactly once and in order, and the bandwidth cap
## holds (within 10%). The first profile comes from the environment (both
## processes), the others are set at run time with GodotSteam's
## setGlobalConfigValue* calls (the peer obeys commands). Bad values fail
## init, or return false with one error at run time.
extends "res://lib/suite.gd"

const PEER := "res://peers/conditions_peer.gd"
const PINGS := 50
const UNRELIABLE := 1000

## Profiles as in Valve's connection tests: name, loss %, lag ms, reorder %, kB/s.
const PROFILES := [
	["10% loss, 50 ms, 2% reordered, 128 kB/s", 10.0, 50, 2.0, 128],
	["20% loss, 100 ms", 20.0, 100, 0.0, 0],
	["2% loss, 5 ms", 2.0, 5, 0.0, 0],
	["0% loss, 0 ms", 0.0, 0, 0.0, 0],
]

const ENV := {
	"STEAM_NETWORKING_LOCAL_LOSS_PERCENT": "10",
	"STEAM_NETWORKING_LOCAL_LAG_MS": "50",
	"STEAM_NETWORKING_LOCAL_REORDER_PERCENT": "2",
	"STEAM_NETWORKING_LOCAL_RATE_KBPS": "128",
}

var other := peer_steam_id(1)
var failures: Array = []


func _clear_env() -> void:
	for key in ENV:
		OS.set_environment(key, "")
	for key in ["STEAM_NETWORKING_LOCAL_JITTER_MS", "STEAM_NETWORKING_LOCAL_DUP_PERCENT"]:
		OS.set_environment(key, "")


func test_01_bad_values_fail_init_naming_the_setting() -> void:
	# Headless Godot naps 6.9 ms between frames (there is no window to
	# draw): round trips are measured at a game's polling rate instead.
	OS.low_processor_usage_mode_sleep_usec = 200
	for case in [
		["STEAM_NETWORKING_LOCAL_LAG_MS", "-5", "STEAM_NETWORKING_LOCAL_LAG_MS=\"-5\" is invalid: expected milliseconds"],
		["STEAM_NETWORKING_LOCAL_LOSS_PERCENT", "101", "STEAM_NETWORKING_LOCAL_LOSS_PERCENT=\"101\" is invalid: expected a percentage"],
		["STEAM_NETWORKING_LOCAL_JITTER_MS", "lots", "STEAM_NETWORKING_LOCAL_JITTER_MS=\"lots\" is invalid"],
		["STEAM_NETWORKING_LOCAL_DUP_PERCENT", "nan", "STEAM_NETWORKING_LOCAL_DUP_PERCENT=\"nan\" is invalid"],
		["STEAM_NETWORKING_LOCAL_RATE_KBPS", "-1", "STEAM_NETWORKING_LOCAL_RATE_KBPS=\"-1\" is invalid: expected kB/s"],
	]:
		OS.set_environment(case[0], case[1])
		var init: Dictionary = Steam.steamInitEx()
		OS.set_environment(case[0], "")
		check_eq(init.get("status"), Steam.STEAM_API_INIT_RESULT_FAILED_GENERIC, "%s=%s fails init" % [case[0], case[1]])
		check(case[2] in str(init.get("verbal")), "the verbal names it: %s" % init.get("verbal"))
		check_eq(Steam.isSteamRunning(), false, "nothing started")
		check_one_error(case[2], "one error for %s" % case[0])
	var setting := "steam_networking/local/loss_percent"
	ProjectSettings.set_setting(setting, 150.0)
	var init: Dictionary = Steam.steamInitEx()
	ProjectSettings.set_setting(setting, 0.0)
	check_eq(init.get("status"), Steam.STEAM_API_INIT_RESULT_FAILED_GENERIC, "a bad project setting fails init")
	check("project setting %s=" % setting in str(init.get("verbal")), "the verbal names it: %s" % init.get("verbal"))
	check_one_error("project setting %s" % setting, "one error for the setting")


func test_02_the_first_profile_comes_from_the_environment() -> void:
	for key in ENV:
		OS.set_environment(key, ENV[key])
	# The environment wins over the project setting.
	ProjectSettings.set_setting("steam_networking/local/lag_ms", 999)
	var init: Dictionary = Steam.steamInitEx()
	ProjectSettings.set_setting("steam_networking/local/lag_ms", 0)
	check_eq(init.get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init: %s" % init)
	var now: Dictionary = Steam.getLocalNetworkConditions()
	var send: Dictionary = now.get("send", {})
	check_eq([send.get("lag_ms"), send.get("loss_percent"), send.get("reorder_percent"), send.get("rate_kbps")],
		[50.0, 10.0, 2.0, 128.0], "the environment's conditions: %s" % now)
	check_eq(send.get("summary"), "50 ms lag, 10% loss, 2% reordered by 15 ms, 128 kB/s", "summary")
	check_eq(now.get("receive", {}).get("summary"), "none", "nothing on receive")
	Steam.p2p_session_request.connect(func(id: int): Steam.acceptP2PSessionWithUser(id))
	Steam.p2p_session_connect_fail.connect(func(id: int, why: int): failures.append([id, why]))
	spawn_peer(1, [], PEER)
	_clear_env()
	check_eq(await ask("cmd:sync", 20000), "sync", "the peer answers")
	check_no_error("start")


## Sends `command` reliably and returns the answer ("" on timeout).
func ask(command: String, timeout_ms := 10000) -> String:
	Steam.sendP2PPacket(other, command.to_ascii_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	var got := await read_next(0, timeout_ms)
	return got.get("data", PackedByteArray()).get_string_from_ascii()


func queued() -> int:
	return Steam.getP2PSessionState(other).get("packets_queued_for_send", -1)


## Sets a profile on both sides at run time.
func set_profile(profile: Array) -> void:
	var settings := [
		[Steam.NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND, "f", profile[1]],
		[Steam.NETWORKING_CONFIG_FAKE_PACKET_LAG_SEND, "i", profile[2]],
		[Steam.NETWORKING_CONFIG_FAKE_PACKET_REORDER_SEND, "f", profile[3]],
		[Steam.NETWORKING_CONFIG_FAKE_RATE_LIMIT_SEND_RATE, "i", profile[4] * 1000],
	]
	for s in settings:
		var ok: bool = Steam.setGlobalConfigValueInt32(s[0], s[2]) if s[1] == "i" \
			else Steam.setGlobalConfigValueFloat(s[0], s[2])
		check(ok, "set %d here" % s[0])
		check_eq(await ask("cmd:set:%d:%s:%s" % [s[0], s[1], s[2]]), "set:true", "set %d on the peer" % s[0])
	var send: Dictionary = Steam.getLocalNetworkConditions()["send"]
	check_eq([send["loss_percent"], send["lag_ms"], send["reorder_percent"], send["rate_kbps"]],
		[float(profile[1]), float(profile[2]), float(profile[3]), float(profile[4])], "the profile is on")


## The median round trip of unreliable pings, in milliseconds.
func median_rtt(lag_ms: int) -> float:
	var rtts: Array[float] = []
	var answered := {}
	var sent := 0
	var next_us := Time.get_ticks_usec()
	var last_us := 0
	while true:
		var now := Time.get_ticks_usec()
		if sent < PINGS and now >= next_us:
			var ping := PackedByteArray()
			ping.resize(12)
			ping.encode_u32(0, sent)
			ping.encode_u64(4, now)
			Steam.sendP2PPacket(other, ping, Steam.P2P_SEND_UNRELIABLE, 2)
			sent += 1
			next_us += 10000
			last_us = now
		var size := Steam.getAvailableP2PPacketSize(2)
		while size > 0:
			var data: PackedByteArray = Steam.readP2PPacket(size, 2)["data"]
			var n := data.decode_u32(0)
			if not answered.has(n):
				answered[n] = true
				rtts.append((Time.get_ticks_usec() - data.decode_u64(4)) / 1000.0)
			size = Steam.getAvailableP2PPacketSize(2)
		# Lost pings never come: wait for the rest a few lags at most.
		if sent == PINGS and (answered.size() == PINGS or now - last_us > (4 * lag_ms + 300) * 1000):
			break
		Steam.run_callbacks()
		await process_frame
	rtts.sort()
	return rtts[rtts.size() / 2] if rtts else -1.0


## Sends UNRELIABLE numbered packets (at most `kbps` kB/s, so that a cap
## never drops them, and 2 a millisecond, so that no socket buffer does
## while the receiving process waits for a core) and
## returns the peer's count: [distinct, duplicates, out of order].
func deliver_unreliable(kbps: float) -> Array:
	check_eq(await ask("cmd:reset"), "reset", "counters reset")
	var packet := PackedByteArray()
	packet.resize(32)
	var start := Time.get_ticks_usec()
	var sent := 0
	while sent < UNRELIABLE:
		var elapsed := Time.get_ticks_usec() - start
		var allowed := elapsed / 500 + 10
		if kbps > 0:
			allowed = min(allowed, int(elapsed * kbps / 1000.0 / 32) + 10)
		while sent < min(allowed, UNRELIABLE):
			packet.encode_u32(0, sent)
			Steam.sendP2PPacket(other, packet, Steam.P2P_SEND_UNRELIABLE, 1)
			sent += 1
		Steam.run_callbacks()
		await process_frame
	# Everything sent has reached the peer in the simulation once nothing
	# is in flight; the count command comes after it.
	check(await wait_until(func(): return queued() == 0, 10000), "nothing left in flight")
	var answer := (await ask("cmd:count")).split(":")
	if not check_eq(answer.size(), 4, "count answered: %s" % [answer]):
		return [0, 0, 0]
	return [int(answer[1]), int(answer[2]), int(answer[3])]


## 10,000 reliable packets echoed: true if each came back once, in order.
func reliable_in_order() -> bool:
	const COUNT := 10000
	for i in COUNT:
		var data := PackedByteArray()
		data.resize(16)
		data.encode_u32(0, i)
		if not Steam.sendP2PPacket(other, data, Steam.P2P_SEND_RELIABLE, 3):
			return check(false, "send %d refused" % i)
	var expected := 0
	var deadline := Time.get_ticks_msec() + 30000
	while expected < COUNT and Time.get_ticks_msec() < deadline:
		Steam.run_callbacks()
		var size := Steam.getAvailableP2PPacketSize(3)
		while size > 0:
			var seq: int = Steam.readP2PPacket(size, 3)["data"].decode_u32(0)
			if seq != expected:
				return check(false, "packet %d arrived where %d was expected" % [seq, expected])
			expected += 1
			size = Steam.getAvailableP2PPacketSize(3)
		await process_frame
	check_eq(expected, COUNT, "all 10,000 echoed")
	# Nothing more: no duplicate trails behind.
	await wait_until(func(): return queued() == 0, 5000)
	check_eq(await ask("cmd:sync"), "sync", "the peer is still there")
	check_eq(Steam.getAvailableP2PPacketSize(3), 0, "no reliable packet came twice")
	return expected == COUNT


## Bytes per second the peer received of a reliable bulk transfer of 129 kB:
## [from the first arrival to the last, from the start of sending to the
## last arrival (the clock all processes share)].
func measured_rate() -> Array:
	check_eq(await ask("cmd:reset"), "reset", "counters reset")
	var chunk := bytes(1000, 7)
	var start := Time.get_unix_time_from_system()
	for i in 129:
		check(Steam.sendP2PPacket(other, chunk, Steam.P2P_SEND_RELIABLE, 4), "bulk send %d" % i)
	check(queued() > 100, "the bulk waits behind the cap: %d packets queued" % queued())
	check(await wait_until(func(): return queued() == 0, 10000), "the bulk went out")
	var answer := (await ask("cmd:rate")).split(":")
	if not check_eq(answer.size(), 4, "rate answered: %s" % [answer]):
		return [0.0, 0.0]
	return [float(answer[1]) / (float(answer[2]) / 1e6), 129000.0 / (float(answer[3]) - start)]


func run_profile(profile: Array) -> void:
	var loss: float = profile[1]
	var lag: int = profile[2]
	var started := Time.get_ticks_msec()
	var rtt := await median_rtt(lag)
	if lag > 0:
		check(abs(rtt - 2 * lag) <= 0.2 * 2 * lag, "%s: median round trip %.2f ms is 2 x %d ms within 20%%" % [profile[0], rtt, lag])
	else:
		check(rtt >= 0 and rtt < 2.0, "%s: median round trip %.2f ms" % [profile[0], rtt])
	var count := await deliver_unreliable(profile[4] / 2.0)
	var delivered: float = 100.0 * count[0] / UNRELIABLE
	check(abs(delivered - (100.0 - loss)) <= 5.0, "%s: %.1f%% of unreliable packets arrived" % [profile[0], delivered])
	check_eq(count[1], 0, "%s: no duplicates" % profile[0])
	if profile[3] > 0:
		check(count[2] > 0, "%s: some packets were overtaken (%d)" % [profile[0], count[2]])
	else:
		check_eq(count[2], 0, "%s: none out of order" % profile[0])
	check(await reliable_in_order(), "%s: 10,000 reliable packets exactly once, in order" % profile[0])
	var rate := 0.0
	var lossy := 0.0
	if profile[4] > 0:
		# Under loss a reliable transfer takes longer (a late packet holds
		# back the rest, and the first may be the late one): from the start
		# of sending, the cap is never exceeded.
		var cap: float = profile[4] * 1000.0
		lossy = (await measured_rate())[1]
		check(lossy > 0.5 * cap and lossy <= 1.1 * cap, "%s: %.0f bytes/s, not over the %.0f cap" % [profile[0], lossy, cap])
		# Without the loss, the packets arrive at the cap's pace.
		check(Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND, 0.0), "loss aside")
		rate = (await measured_rate())[0]
		check(Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND, loss), "loss back")
		check(abs(rate - cap) <= 0.1 * cap, "%s: %.0f bytes/s at a %.0f cap" % [profile[0], rate, cap])
	print("    %s: median RTT %.2f ms, %.1f%% delivered, %d out of order, rate %.0f B/s (%.0f B/s from the start under loss) (%d ms)" % [
		profile[0], rtt, delivered, count[2], rate, lossy, Time.get_ticks_msec() - started])
	check_eq(failures, [], "no session failed")
	check_no_error(profile[0])


func test_03_profile_from_the_environment() -> void:
	await run_profile(PROFILES[0])


func test_04_profiles_set_at_run_time() -> void:
	for profile in PROFILES.slice(1):
		await set_profile(profile)
		if profile[2] >= 50:
			# The simulation's queue shows in the session state.
			Steam.sendP2PPacket(other, bytes(10), Steam.P2P_SEND_RELIABLE, 5)
			Steam.sendP2PPacket(other, bytes(20), Steam.P2P_SEND_UNRELIABLE, 5)
			var state := Steam.getP2PSessionState(other)
			check(state.get("packets_queued_for_send", 0) >= 1, "queued in the simulation: %s" % state)
			check(state.get("bytes_queued_for_send", 0) >= 10, "bytes queued in the simulation")
		await run_profile(profile)


func test_05_duplicates_and_bad_values_at_run_time() -> void:
	check(Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_DUP_SEND, 20.0), "20% duplicated")
	var count := await deliver_unreliable(0)
	var dup: float = 100.0 * count[1] / max(count[0], 1)
	check_eq(count[0], UNRELIABLE, "every packet arrived")
	check(abs(dup - 20.0) <= 5.0, "%.1f%% arrived twice" % dup)
	print("    20%% duplicated: %.1f%% arrived twice" % dup)
	check(Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_DUP_SEND, 0.0), "no more duplicates")
	for case in [
		[func(): return Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND, 150.0),
			"invalid value 150 for NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND: expected a percentage"],
		[func(): return Steam.setGlobalConfigValueInt32(Steam.NETWORKING_CONFIG_FAKE_PACKET_LAG_SEND, -20),
			"invalid value -20 for NETWORKING_CONFIG_FAKE_PACKET_LAG_SEND"],
		[func(): return Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_JITTER_SEND_AVG, NAN),
			"invalid value NaN"],
		[func(): return Steam.setGlobalConfigValueInt32(Steam.NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND, 5),
			"use setGlobalConfigValueFloat"],
		[func(): return Steam.setGlobalConfigValueInt32(24, 5), "unknown config 24"],
	]:
		check_eq(case[0].call(), false, "refused: %s" % case[1])
		check_one_error(case[1], case[1])
	# Repeats of the same mistake are collapsed, and nothing changed.
	for i in 3:
		check_eq(Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND, 150.0), false, "again")
	check_no_error("repeats of an error said already are collapsed")
	check_eq(Steam.getLocalNetworkConditions()["send"]["summary"], "none", "the last profile stands")
	# Receiving can be simulated too: the peer's packets are lost here.
	check(Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_LOSS_RECV, 100.0), "lose all received")
	check_eq(await median_rtt(0), -1.0, "no ping comes back")
	check(Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_LOSS_RECV, 0.0), "receive again")
	check_eq(await ask("cmd:sync"), "sync", "reliable packets were never lost")
	# Lag just under the session timeout (2 s in tests/run) fails no session.
	var lag := Steam.NETWORKING_CONFIG_FAKE_PACKET_LAG_SEND
	var asked := Time.get_ticks_msec()
	check_eq(await ask("cmd:set:%d:i:1800" % lag), "set:true", "the peer lags 1.8 s")
	check(Time.get_ticks_msec() - asked >= 1800, "its answer took the lag")
	check_eq(await ask("cmd:set:%d:i:0" % lag), "set:true", "and no more")
	check_eq(failures, [], "no session failed")
	check(Steam.getP2PSessionState(other).get("connection_active", false), "the session is up")
	check_no_error("run time")


func after_all() -> void:
	_clear_env()
	Steam.sendP2PPacket(other, "cmd:quit".to_ascii_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	Steam.steamShutdown()
