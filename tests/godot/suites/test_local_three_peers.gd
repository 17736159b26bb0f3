## Three local-backend instances: two peers talk to this one; one is killed
## with SIGKILL and raises p2p_session_connect_fail within the configured
## timeout, while the other keeps working. Also: slots and ids.
extends "res://lib/suite.gd"

var b := peer_steam_id(1)
var c := peer_steam_id(2)
var c_pid := 0
var requests: Array[int] = []
var failures: Array = []
var timeout_ms := int(OS.get_environment("STEAM_NETWORKING_LOCAL_TIMEOUT_MS"))


func test_01_two_peers_connect() -> void:
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	Steam.p2p_session_request.connect(func(id): requests.append(id); Steam.acceptP2PSessionWithUser(id))
	Steam.p2p_session_connect_fail.connect(func(id, error): failures.append([id, error]))
	spawn_peer(1, ["--hello=%d" % Steam.getSteamID()])
	c_pid = spawn_peer(2, ["--hello=%d" % Steam.getSteamID()])
	var both := func(): return b in requests and c in requests
	check(await wait_until(both, 20000), "requests from both peers, got %s" % [requests])
	var hellos := {}
	for i in 2:
		var p := await read_next(0)
		hellos[p.get("remote_steam_id", 0)] = p.get("data", PackedByteArray()).get_string_from_utf8()
	check_eq(hellos, {b: "hello", c: "hello"}, "a hello from each")


func test_02_sigkill_raises_connect_fail_within_timeout() -> void:
	kill_peer(c_pid)
	var killed_at := Time.get_ticks_msec()
	check(await wait_until(func(): return not failures.is_empty(), timeout_ms * 3), "connect fail arrived")
	var elapsed := Time.get_ticks_msec() - killed_at
	check_eq(failures.slice(0, 1), [[c, Steam.P2P_SESSION_ERROR_TIMEOUT]], "names the dead peer, TIMEOUT")
	# Pings go out every timeout/5, so the peer was last heard at most that long before the kill.
	check(elapsed >= timeout_ms * 0.7 and elapsed <= timeout_ms + 1500,
		"failed after %d ms with a %d ms timeout" % [elapsed, timeout_ms])
	check_eq(Steam.getP2PSessionState(c), {}, "the dead peer's session is gone")
	check(Steam.getP2PSessionState(b).get("connection_active", false), "the live peer's session is intact")


func test_03_live_peer_unaffected() -> void:
	var data := random_bytes(5000)
	Steam.sendP2PPacket(b, data, Steam.P2P_SEND_RELIABLE, 0)
	var got := await read_next(0)
	check_eq(got.get("data"), data, "echo from the live peer")
	check_eq(failures.size(), 1, "no other failure")


func test_04_slot_rules() -> void:
	# This process holds slot 0, the peer slot 1: an explicit id that is taken
	# fails clearly; with no id a process gets the lowest free slot (2).
	var probe := "res://peers/init_probe.gd"
	var out := []
	OS.set_environment("STEAM_NETWORKING_LOCAL_ID", "1")
	var rc := OS.execute(OS.get_executable_path(), ["--headless", "--path", ProjectSettings.globalize_path("res://"), "--script", probe], out, true)
	check_eq(rc, 0, "probe ran")
	check("status=1" in out[0] and "local instance 1 is taken" in out[0], "taken id fails clearly: %s" % out[0].right(400))
	OS.unset_environment("STEAM_NETWORKING_LOCAL_ID")
	out.clear()
	rc = OS.execute(OS.get_executable_path(), ["--headless", "--path", ProjectSettings.globalize_path("res://"), "--script", probe], out, true)
	check("status=0 id=%d" % peer_steam_id(2) in out[0], "no id: lowest free slot 2: %s" % out[0].right(400))
	OS.set_environment("STEAM_NETWORKING_LOCAL_ID", "0")
	errors.clear()


func after_all() -> void:
	Steam.sendP2PPacket(b, "cmd:quit".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	Steam.steamShutdown()
