extends SceneTree
# temporary diagnostic: raw Steam API echo, reliable or unreliable
func _initialize() -> void:
	_run.call_deferred()
func _run() -> void:
	var args := OS.get_cmdline_user_args()
	var echo_side := "--echo" in args
	var mode := Steam.P2P_SEND_RELIABLE if "--reliable" in args else Steam.P2P_SEND_UNRELIABLE_NO_DELAY
	Steam.steamInitEx()
	Steam.p2p_session_request.connect(func(id): Steam.acceptP2PSessionWithUser(id))
	var data := PackedByteArray(); data.resize(32)
	if echo_side:
		var end := Time.get_ticks_msec() + 20000
		while Time.get_ticks_msec() < end:
			Steam.run_callbacks()
			var n := Steam.getAvailableP2PPacketSize(0)
			if n > 0:
				var p := Steam.readP2PPacket(n, 0)
				Steam.sendP2PPacket(p["remote_steam_id"], p["data"], mode, 0)
		quit(0)
		return
	OS.set_environment("STEAM_NETWORKING_LOCAL_ID", "1")
	var pid := OS.create_process(OS.get_executable_path(), ["--headless", "--path", ProjectSettings.globalize_path("res://"), "--script", "res://diag_rel.gd", "--", "--echo"] + (["--reliable"] if "--reliable" in args else []))
	var peer := 76561197960265728 + 2
	var samples := []
	var lost := 0
	for i in 3000:
		var t0 := Time.get_ticks_usec()
		Steam.sendP2PPacket(peer, data, mode, 0)
		var deadline := Time.get_ticks_msec() + (3000 if i < 5 else 100)
		while Steam.getAvailableP2PPacketSize(0) == 0 and Time.get_ticks_msec() < deadline:
			Steam.run_callbacks()
		if Steam.getAvailableP2PPacketSize(0) == 0:
			lost += 1
			continue
		Steam.readP2PPacket(64, 0)
		if i >= 500:
			samples.append(Time.get_ticks_usec() - t0)
	samples.sort()
	print("DIAG mode=%s median=%d p10=%d p90=%d n=%d lost=%d" % [mode, samples[samples.size()/2], samples[samples.size()/10], samples[samples.size()*9/10], samples.size(), lost])
	OS.kill(pid)
	quit(0)
