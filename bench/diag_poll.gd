extends SceneTree
# temporary diagnostic: cost of an idle multiplayer poll, ours vs ENet
const RPC_NODE := preload("res://rpc_node.gd")
func _initialize() -> void:
	_run.call_deferred()
func host(ours: bool) -> Array:
	var peer: MultiplayerPeer
	if ours:
		var p := SteamMultiplayerPeer.new(); p.create_host(); peer = p
	else:
		var e := ENetMultiplayerPeer.new(); e.create_server(28100); peer = e
	var mp := get_multiplayer()
	mp.multiplayer_peer = peer
	OS.set_environment("STEAM_NETWORKING_LOCAL_ID", "1")
	var pid := OS.create_process(OS.get_executable_path(), ["--headless", "--path", ProjectSettings.globalize_path("res://"), "--script", "res://peer.gd", "--", "--role=rpc_echo_" + ("ours" if ours else "enet"), "--seconds=20", "--port=28100"])
	OS.set_environment("STEAM_NETWORKING_LOCAL_ID", "0")
	var end := Time.get_ticks_msec() + 15000
	while mp.get_peers().is_empty() and Time.get_ticks_msec() < end:
		Steam.run_callbacks(); mp.poll(); OS.delay_usec(1000)
	return [pid, peer]
func _run() -> void:
	Steam.steamInitEx()
	var node := RPC_NODE.new(); node.name = "RpcNode"; root.add_child(node)
	var mp := get_multiplayer()
	for ours in [true]:
		var h := host(ours)
		OS.delay_msec(300)
		var t0 := Time.get_ticks_usec()
		for i in 100000:
			mp.poll()
		var t1 := Time.get_ticks_usec()
		for i in 100000:
			Steam.run_callbacks()
		var t2 := Time.get_ticks_usec()
		print("DIAG ours=%s mp.poll %.2f us, run_callbacks %.2f us" % [ours, (t1 - t0) / 100000.0, (t2 - t1) / 100000.0])
		OS.kill(h[0])
		mp.multiplayer_peer = OfflineMultiplayerPeer.new()
		h[1].close()
	quit(0)
