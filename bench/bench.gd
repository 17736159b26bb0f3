## Benchmarks in one Godot process, each against what a Godot user would
## otherwise call, measured in the same run. Prints one table row per line:
## "BENCH <name> | ours | baseline | ratio (ours / baseline time)".
extends SceneTree

const PACKETS := 20000


func _initialize() -> void:
	_run.call_deferred()


## BENCH_ONLY=<comma-separated names> runs only those benchmarks (for
## profiling one): calls, batch, unreliable, reliable, bulk, latency, rpc,
## lobbies, memory.
func wanted(name: String) -> bool:
	var only := OS.get_environment("BENCH_ONLY")
	return only.is_empty() or name in only.split(",")


func row(name: String, ours: String, base: String, ratio: float, note := "") -> void:
	print("BENCH | %s | %s | %s | %.2f | %s" % [name, ours, base, ratio, note])


func _run() -> void:
	var init: Dictionary = Steam.steamInitEx()
	if init["status"] != 0:
		printerr("bench: init failed: ", init)
		quit(1)
		return
	Steam.p2p_session_request.connect(func(id): Steam.acceptP2PSessionWithUser(id))
	if OS.get_environment("STEAM_DOUBLE_TIMING") == "1":
		# On the Steam backend over the test double (scripts/bench): only
		# the rows that need it.
		bench_steam_calls()
		Steam.steamShutdown()
		quit(0)
		return
	if wanted("calls"):
		bench_call_overhead()
	if wanted("batch"):
		await bench_batch_read()
	await bench_two_processes()
	if wanted("lobbies"):
		await bench_lobby_list()
	if wanted("memory"):
		bench_memory()
	Steam.steamShutdown()
	quit(0)


## Seconds each throughput side is measured: three whole one-second windows.
const SECONDS := 3.5
const LATENCY_SAMPLES := 2000
var base_port := int(OS.get_environment("STEAM_NETWORKING_LOCAL_PORT"))
var udp_port := base_port + 100


## Starts bench/peer.gd as local instance `slot` in `role`.
func start_peer(role: String, seconds := SECONDS + 20.0, slot := 1) -> int:
	OS.set_environment("STEAM_NETWORKING_LOCAL_ID", str(slot))
	var pid := OS.create_process(OS.get_executable_path(), ["--headless", "--path",
		ProjectSettings.globalize_path("res://"), "--script", "res://peer.gd", "--",
		"--role=" + role, "--seconds=%f" % seconds, "--port=%d" % udp_port])
	OS.set_environment("STEAM_NETWORKING_LOCAL_ID", "0")
	return pid


## Throughput in one-second windows, keeping the best window. On two shared
## cores a sender can stall for seconds (seen with PacketPeerUDP), and one
## stall would otherwise decide the row; both sides are measured alike.
class Meter:
	var best := [0.0, 0.0]
	var window_start := 0
	var packets := 0
	var bytes := 0
	var done_at := 0

	## Starts the clock at the first packet; measures for `seconds`.
	func start(seconds: float) -> void:
		window_start = Time.get_ticks_usec()
		done_at = window_start + int(seconds * 1e6)

	func started() -> bool:
		return window_start != 0

	## Closes the window once a second has passed; false when time is up.
	func tick() -> bool:
		var now := Time.get_ticks_usec()
		var span := now - window_start
		if span >= 1000000:
			best = [maxf(best[0], packets * 1e6 / span), maxf(best[1], bytes * 1e6 / span)]
			window_start = now
			packets = 0
			bytes = 0
		return now < done_at


## Counts what arrives through the Steam API for SECONDS after the first
## packet: [packets/s, bytes/s] of the best second. With `ack`, tells the
## sender every 256 packets read (on channel 1; see peer.gd's send_rounds).
func receive_ours(ack := false) -> Array:
	var meter := Meter.new()
	var give_up := Time.get_ticks_msec() + 15000
	var sender := 0
	var ack_data := PackedByteArray([1])
	var read := 0
	while Time.get_ticks_msec() < give_up or meter.started():
		Steam.run_callbacks()
		var size := Steam.getAvailableP2PPacketSize(0)
		while size > 0:
			var packet := Steam.readP2PPacket(size, 0)
			if not meter.started():
				meter.start(SECONDS)
				sender = packet["remote_steam_id"]
			meter.bytes += packet["data"].size()
			meter.packets += 1
			read += 1
			if read & 255 == 0:
				if ack:
					Steam.sendP2PPacket(sender, ack_data, Steam.P2P_SEND_UNRELIABLE_NO_DELAY, 1)
				if not meter.tick():
					return meter.best
			size = Steam.getAvailableP2PPacketSize(0)
		if meter.started() and not meter.tick():
			return meter.best
	return meter.best


func receive_udp() -> Array:
	var udp := PacketPeerUDP.new()
	udp.bind(udp_port, "127.0.0.1")
	var pid := start_peer("udp_unreliable")
	var meter := Meter.new()
	var give_up := Time.get_ticks_msec() + 15000
	var ack_data := PackedByteArray([1])
	var read := 0
	while Time.get_ticks_msec() < give_up or meter.started():
		while udp.get_available_packet_count() > 0:
			var packet := udp.get_packet()
			if not meter.started():
				meter.start(SECONDS)
				udp.set_dest_address(udp.get_packet_ip(), udp.get_packet_port())
			meter.bytes += packet.size()
			meter.packets += 1
			read += 1
			if read & 255 == 0:
				udp.put_packet(ack_data)
				if not meter.tick():
					break
		if meter.started() and not meter.tick():
			break
	OS.kill(pid)
	return meter.best


func receive_tcp(role: String, message: int) -> Array:
	var server := TCPServer.new()
	server.listen(udp_port, "127.0.0.1")
	var pid := start_peer(role)
	var give_up := Time.get_ticks_msec() + 15000
	while not server.is_connection_available() and Time.get_ticks_msec() < give_up:
		OS.delay_usec(1000)
	var conn := server.take_connection()
	var meter := Meter.new()
	meter.start(SECONDS)
	# One message per get_data(), as a game receiving messages would (our
	# side hands out each message separately too); get_data() waits for the
	# rest of a message that has started to arrive.
	while conn:
		conn.poll()
		if conn.get_available_bytes() > 0:
			meter.bytes += conn.get_data(message)[1].size()
			meter.packets += 1
			if meter.packets & 255 == 0 and not meter.tick():
				break
		elif not meter.tick():
			break
	OS.kill(pid)
	server.stop()
	return meter.best


func latency_ours() -> Array:
	var pid := start_peer("ours_echo")
	var peer := 76561197960265728 + 2
	var data := PackedByteArray()
	data.resize(32)
	var echo := func():
		var t0 := Time.get_ticks_usec()
		Steam.sendP2PPacket(peer, data, Steam.P2P_SEND_UNRELIABLE_NO_DELAY, 0)
		var deadline := Time.get_ticks_msec() + 100
		while Steam.getAvailableP2PPacketSize(0) == 0 and Time.get_ticks_msec() < deadline:
			Steam.run_callbacks()
		if Steam.getAvailableP2PPacketSize(0) == 0:
			return -1
		Steam.readP2PPacket(64, 0)
		return Time.get_ticks_usec() - t0
	var samples := measure_echo(echo)
	OS.kill(pid)
	return samples


## Waits until the echo peer answers, then takes LATENCY_SAMPLES round trips
## after a warm-up; a lost packet is retried, not counted.
func measure_echo(echo: Callable) -> Array:
	var up_by := Time.get_ticks_msec() + 15000
	while echo.call() < 0 and Time.get_ticks_msec() < up_by:
		pass
	var samples := []
	var lost := 0
	for i in 200 + LATENCY_SAMPLES:
		var rtt: int = echo.call()
		if rtt < 0:
			lost += 1
			if lost > 50:
				break
		elif i >= 200:
			samples.append(rtt)
	return samples


func latency_udp() -> Array:
	var udp := PacketPeerUDP.new()
	udp.bind(udp_port, "127.0.0.1")
	udp.set_dest_address("127.0.0.1", udp_port + 1)
	var pid := start_peer("udp_echo")
	var data := PackedByteArray()
	data.resize(32)
	var echo := func():
		var t0 := Time.get_ticks_usec()
		udp.put_packet(data)
		var deadline := Time.get_ticks_msec() + 100
		while udp.get_available_packet_count() == 0 and Time.get_ticks_msec() < deadline:
			pass
		if udp.get_available_packet_count() == 0:
			return -1
		udp.get_packet()
		return Time.get_ticks_usec() - t0
	var samples := measure_echo(echo)
	OS.kill(pid)
	udp.close()
	return samples


## The `p` quantile of whole-microsecond samples, read as grouped data: a
## sample v stands for a time anywhere in [v - 0.5, v + 0.5). Without this,
## round trips of 5 to 9 us could only differ in whole steps of 11% or more.
func percentile(samples: Array, p: float) -> float:
	if samples.is_empty():
		return -1.0
	var sorted := samples.duplicate()
	sorted.sort()
	var rank := p * sorted.size()
	var first := 0
	while first < sorted.size():
		var last := first
		while last < sorted.size() and sorted[last] == sorted[first]:
			last += 1
		if rank < last:
			return sorted[first] - 0.5 + (rank - first) / float(last - first)
		first = last
	return float(sorted[-1])


## Measures `role`'s packets through the Steam API, then `baseline` (which
## starts its own sender), and prints packets/s or, with `in_bytes`, MB/s.
func throughput_row(name: String, role: String, baseline: Callable, in_bytes: bool) -> void:
	var pid := start_peer(role)
	# Only the unreliable sender is paced by acknowledgements (peer.gd).
	var ours := receive_ours(role == "ours_unreliable")
	OS.kill(pid)
	var base: Array = baseline.call()
	var at := 1 if in_bytes else 0
	var shown := func(rate: float) -> String:
		return "%.1f MB/s" % (rate / 1e6) if in_bytes else "%.0f packets/s" % rate
	row(name, shown.call(ours[at]), shown.call(base[at]), base[at] / maxf(ours[at], 1),
		"baseline/ours; target <= 1.25 (0.8x)")


func bench_two_processes() -> void:
	if wanted("unreliable"):
		throughput_row("throughput, 64-byte unreliable, received in GDScript (Steam API vs PacketPeerUDP)",
			"ours_unreliable", receive_udp, false)
	if wanted("reliable"):
		throughput_row("throughput, 1 KiB reliable (Steam API vs StreamPeerTCP)",
			"ours_reliable", receive_tcp.bind("tcp_reliable", 1024), false)
	if wanted("bulk"):
		throughput_row("bulk, 1 MiB reliable messages (Steam API vs StreamPeerTCP)",
			"ours_bulk", receive_tcp.bind("tcp_bulk", 1 << 20), true)
	if wanted("latency"):
		# Peer sessions from the throughput runs are gone with their processes.
		Steam.steamShutdown()
		Steam.steamInitEx()
		var ours_rtt := latency_ours()
		var base_rtt := latency_udp()
		row("latency, 32-byte round trip, busy-polling: median (Steam API vs PacketPeerUDP)",
			"%.1f us" % percentile(ours_rtt, 0.5), "%.1f us" % percentile(base_rtt, 0.5),
			percentile(ours_rtt, 0.5) / maxf(percentile(base_rtt, 0.5), 1), "target <= 1.5 (%d samples)" % ours_rtt.size())
		row("latency, 32-byte round trip, busy-polling: 99th percentile",
			"%.1f us" % percentile(ours_rtt, 0.99), "%.1f us" % percentile(base_rtt, 0.99),
			percentile(ours_rtt, 0.99) / maxf(percentile(base_rtt, 0.99), 1), "")
	if wanted("rpc"):
		bench_rpc()


const RPC_NODE := preload("res://rpc_node.gd")


## One turn of the RPC benchmarks' busy loop, the same for both peers and in
## both processes (peer.gd's rpc_pump): Steam callbacks and the multiplayer
## poll (which polls the peer and runs the RPCs that came), without waiting
## for frames, so frame pacing does not decide the numbers.
func rpc_pump(mp: MultiplayerAPI) -> void:
	Steam.run_callbacks()
	mp.poll()


## A hosting peer: ours (on a fresh Steam start: sessions with earlier
## benchmarks' peers are gone with their processes) or ENet on udp_port.
func rpc_host(ours: bool) -> MultiplayerPeer:
	if ours:
		Steam.steamShutdown()
		Steam.steamInitEx()
		var peer := SteamMultiplayerPeer.new()
		peer.create_host()
		return peer
	var enet := ENetMultiplayerPeer.new()
	enet.create_server(udp_port)
	return enet


## Hosts with `peer`, starts peer.gd's `role` as its client and waits until
## it has connected: [pid, the client's peer id (0 if it did not come)].
func rpc_start(peer: MultiplayerPeer, role: String) -> Array:
	var node: RPC_NODE = root.get_node("RpcNode")
	node.received = 0
	node.acks = 0
	node.last_pong = -1
	var mp := get_multiplayer()
	mp.multiplayer_peer = peer
	var pid := start_peer(role)
	var give_up := Time.get_ticks_msec() + 15000
	while mp.get_peers().is_empty() and Time.get_ticks_msec() < give_up:
		rpc_pump(mp)
		OS.delay_usec(1000)
	return [pid, 0 if mp.get_peers().is_empty() else mp.get_peers()[0]]


func rpc_stop(pid: int, peer: MultiplayerPeer) -> void:
	OS.kill(pid)
	get_multiplayer().multiplayer_peer = OfflineMultiplayerPeer.new()
	peer.close()


## Reliable `data` RPCs received per second (best one-second window of
## SECONDS after the first), from peer.gd's rpc_flood sender, which stays
## at most RPC_NODE.AHEAD rounds of RPC_NODE.ROUND ahead of our
## acknowledgements.
func rpc_throughput(ours: bool) -> float:
	var peer := rpc_host(ours)
	var up := rpc_start(peer, "rpc_flood_ours" if ours else "rpc_flood_enet")
	var node: RPC_NODE = root.get_node("RpcNode")
	var mp := get_multiplayer()
	var meter := Meter.new()
	var counted := 0
	var give_up := Time.get_ticks_msec() + 15000
	while up[1] != 0 and (Time.get_ticks_msec() < give_up or meter.started()):
		rpc_pump(mp)
		if node.received != counted:
			if not meter.started():
				meter.start(SECONDS)
			meter.packets += node.received - counted
			counted = node.received
		if meter.started():
			if not meter.tick():
				break
		else:
			OS.delay_usec(200)  # the sender is still starting: leave it the core
	rpc_stop(up[0], peer)
	return meter.best[0]


## Round trips of a `ping` RPC answered by a `pong` RPC from peer.gd's
## rpc_echo client, in microseconds (measure_echo: a warm-up, then
## LATENCY_SAMPLES).
func rpc_round_trips(ours: bool) -> Array:
	var peer := rpc_host(ours)
	var up := rpc_start(peer, "rpc_echo_ours" if ours else "rpc_echo_enet")
	var node: RPC_NODE = root.get_node("RpcNode")
	var mp := get_multiplayer()
	var to: int = up[1]
	var sent := [0]
	var echo := func() -> int:
		if to == 0:
			return -1
		sent[0] += 1
		var n: int = sent[0]
		var t0 := Time.get_ticks_usec()
		node.ping.rpc_id(to, n)
		var deadline := t0 + 100000
		while node.last_pong != n and Time.get_ticks_usec() < deadline:
			rpc_pump(mp)
		if node.last_pong != n:
			return -1  # a late pong is ignored: it carries an older number
		return Time.get_ticks_usec() - t0
	var samples := measure_echo(echo) if to != 0 else []
	rpc_stop(up[0], peer)
	return samples


func bench_rpc() -> void:
	var node := RPC_NODE.new()
	node.name = "RpcNode"
	root.add_child(node)
	# Each side three times, in the order ours, ENet, ENet, ours, ours,
	# ENet, keeping each side's best: load on the shared cores that drifts
	# during the run then weighs on both alike, and one unlucky run (a
	# scheduler that puts both busy loops on one core) does not decide.
	var ours := 0.0
	var enet := 0.0
	for turn in [true, false, false, true, true, false]:
		if turn:
			ours = maxf(ours, rpc_throughput(true))
		else:
			enet = maxf(enet, rpc_throughput(false))
	row("RPC throughput: reliable RPCs (64-byte PackedByteArray) received per second, busy-polling (SteamMultiplayerPeer vs ENetMultiplayerPeer)",
		"%.0f RPCs/s" % ours, "%.0f RPCs/s" % enet, ours / maxf(enet, 1),
		"ours/baseline rate; target >= 1.0 (best second of three runs each; %d in flight at most)" % (RPC_NODE.AHEAD * RPC_NODE.ROUND))
	# The same order for the round trips; each side's run with the lower
	# median counts.
	var ours_rtt := []
	var enet_rtt := []
	for turn in [true, false, false, true]:
		var samples := rpc_round_trips(turn)
		if samples.is_empty():
			continue  # that run's client never connected: the row shows it
		if turn and (ours_rtt.is_empty() or percentile(samples, 0.5) < percentile(ours_rtt, 0.5)):
			ours_rtt = samples
		elif not turn and (enet_rtt.is_empty() or percentile(samples, 0.5) < percentile(enet_rtt, 0.5)):
			enet_rtt = samples
	row("RPC round trip: reliable ping RPC, pong RPC back, busy-polling: median (SteamMultiplayerPeer vs ENetMultiplayerPeer)",
		"%.1f us" % percentile(ours_rtt, 0.5), "%.1f us" % percentile(enet_rtt, 0.5),
		percentile(ours_rtt, 0.5) / maxf(percentile(enet_rtt, 0.5), 1),
		"target <= 1.2 (the better of two runs each); 99th percentile %.1f vs %.1f us (%d vs %d samples)" % [
			percentile(ours_rtt, 0.99), percentile(enet_rtt, 0.99), ours_rtt.size(), enet_rtt.size()])
	root.remove_child(node)
	node.free()


## Seconds of flood in the memory benchmark (BENCH_FLOOD_SECONDS, default 60).
var flood_seconds := float(OS.get_environment("BENCH_FLOOD_SECONDS")) if OS.has_environment("BENCH_FLOOD_SECONDS") else 60.0


func rss_bytes() -> int:
	# /proc files report size 0, so read a line rather than the whole file.
	return int(FileAccess.open("/proc/self/statm", FileAccess.READ).get_line().split(" ")[1]) * 4096


## Resident size of this (receiving) process before, at the peak of, and one
## second after a flood it reads more slowly than it comes in (about 64k
## packets/s), so the flood backs up against the plugin's budgets:
## [before, peak, after] in bytes. `read` reads what it can, once per ms.
func flood_rss(role: String, read: Callable) -> Array:
	var before := rss_bytes()
	var peak := before
	var pid := start_peer(role, flood_seconds + 30.0)
	var start := Time.get_ticks_msec()
	while Time.get_ticks_msec() - start < flood_seconds * 1000:
		read.call()
		peak = maxi(peak, rss_bytes())
		OS.delay_usec(1000)
	OS.kill(pid)
	var calm := Time.get_ticks_msec() + 1000
	while Time.get_ticks_msec() < calm:
		read.call()
	return [before, peak, rss_bytes()]


func bench_memory() -> void:
	# The baseline first, so that it does not start on memory our run left
	# with the allocator.
	var udp := PacketPeerUDP.new()
	udp.bind(udp_port, "127.0.0.1")
	var base := flood_rss("udp_flood", func():
		for i in 80:
			if udp.get_available_packet_count() == 0:
				break
			udp.get_packet())
	udp.close()
	var ours := flood_rss("ours_flood", func():
		Steam.run_callbacks()
		for i in 64:
			var size := Steam.getAvailableP2PPacketSize(0)
			if size == 0:
				break
			Steam.readP2PPacket(size, 0)
		for i in 16:
			var size := Steam.getAvailableP2PPacketSize(1)
			if size == 0:
				break
			Steam.readP2PPacket(size, 1))
	var mib := func(b: int) -> float: return b / 1048576.0
	row("memory: resident size before / peak / 1 s after a %d-second flood of 1 KiB packets read at ~64k packets/s (Steam API reliable + unreliable vs PacketPeerUDP)" % flood_seconds,
		"%.1f / %.1f / %.1f MiB (peak +%.1f)" % [mib.call(ours[0]), mib.call(ours[1]), mib.call(ours[2]), mib.call(ours[1] - ours[0])],
		"%.1f / %.1f / %.1f MiB (peak +%.1f)" % [mib.call(base[0]), mib.call(base[1]), mib.call(base[2]), mib.call(base[1] - base[0])],
		float(ours[1]) / base[1], "peak RSS ratio; our growth is bounded by 8 MiB reliable + 256 KiB unreliable unread per peer")


## Calls per timed loop, and loops per call row (the best one counts: a loop
## the scheduler interrupted says nothing about the call).
const CALL_LOOP := 20000
const CALL_LOOPS := 100


## ns per call of each loop in `loops` (a name to a lambda that makes
## CALL_LOOP calls), the GDScript loop's own cost included (as in a game):
## the best of CALL_LOOPS runs of each, the loops taking turns, so that a
## slow spell of this shared machine hits every loop alike.
func per_call(loops: Dictionary) -> Dictionary:
	var best := {}
	for i in CALL_LOOPS:
		for name in loops:
			best[name] = minf(best.get(name, INF), one_loop(loops[name]))
	return best


## ns per call of one run of `loop`.
func one_loop(loop: Callable) -> float:
	var t0 := Time.get_ticks_usec()
	loop.call()
	return (Time.get_ticks_usec() - t0) * 1000.0 / CALL_LOOP


## The binding's own cost: typed `Steam.` calls as games write them, which
## only read state, against an engine method that only reads a field
## (`PacketPeerUDP.is_bound`), both in the same GDScript loop. The library
## (BENCH_LIBRARY: release, debug, or debug with RUST_BACKTRACE=1) is the
## one the row names; scripts/bench runs this row once for each.
func bench_call_overhead() -> void:
	var library := start_call_bench()
	var calls := {
		"getSteamID()": loop_steam_id,
		"isSteamRunning()": loop_running,
		"getAvailableP2PPacketSize(0), nothing new on the sockets": loop_available,
	}
	var loops := calls.duplicate()
	loops["is_bound"] = loop_is_bound
	loops["get_available_packet_count"] = loop_packet_count
	loops["empty"] = loop_empty
	var cost := per_call(loops)
	var field: float = cost["is_bound"]
	for call in calls:
		row("call cost (%s library): Steam.%s vs PacketPeerUDP.is_bound()" % [library, call],
			"%.1f ns/call" % cost[call], "%.1f ns/call" % field, cost[call] / field,
			"target <= 1.5 (best of %d loops of %d calls, loop included; the loop alone: %.1f ns)"
				% [CALL_LOOPS, CALL_LOOP, cost["empty"]])
	if library == "release":
		var size: float = cost["getAvailableP2PPacketSize(0), nothing new on the sockets"]
		var count: float = cost["get_available_packet_count"]
		row("call overhead: getAvailableP2PPacketSize vs PacketPeerUDP.get_available_packet_count",
			"%.1f ns/call" % size, "%.1f ns/call" % count, size / count, "target <= 1.3")
	call_udp.close()


var call_udp: PacketPeerUDP


## Opens the field-read baseline's socket; returns the library the call
## rows name (BENCH_LIBRARY, default release).
func start_call_bench() -> String:
	call_udp = PacketPeerUDP.new()
	call_udp.bind(0, "127.0.0.1")
	var library := OS.get_environment("BENCH_LIBRARY")
	return "release" if library.is_empty() else library


func loop_empty() -> void:
	for i in CALL_LOOP:
		pass


func loop_is_bound() -> void:
	for i in CALL_LOOP:
		call_udp.is_bound()


func loop_packet_count() -> void:
	for i in CALL_LOOP:
		call_udp.get_available_packet_count()


func loop_steam_id() -> void:
	for i in CALL_LOOP:
		Steam.getSteamID()


func loop_running() -> void:
	for i in CALL_LOOP:
		Steam.isSteamRunning()


func loop_available() -> void:
	for i in CALL_LOOP:
		Steam.getAvailableP2PPacketSize(0)


## The binding's own cost on the Steam backend: typed
## `Steam.getAvailableP2PPacketSize(0)` calls through the Steam test double
## as Valve's library, minus the time the double spends inside its
## `IsP2PPacketAvailable` (it times itself: tests/steam_double/src/timing.rs),
## against the engine's field getter in the same run. What is left is the
## GDScript loop, Godot's call into the extension, and ours.
func bench_steam_calls() -> void:
	var library := start_call_bench()
	var timing := OS.get_environment("STEAM_DOUBLE_DIR").path_join("%d.timing" % Steam.getSteamID())
	var field := INF
	var empty := INF
	var best := INF
	var own := 0.0
	for i in CALL_LOOPS:
		field = minf(field, one_loop(loop_is_bound))
		empty = minf(empty, one_loop(loop_empty))
		Steam.run_callbacks()
		var before := double_timing(timing)
		var whole := one_loop(loop_available)
		Steam.run_callbacks()
		var after := double_timing(timing)
		var calls: float = after["calls"] - before["calls"]
		if calls != CALL_LOOP:
			printerr("bench: the double counted %d calls, not %d" % [calls, CALL_LOOP])
			return
		var inside: float = (after["spent_ns"] - before["spent_ns"]) / calls + after["leak_ns"]
		if whole - inside < best:
			best = whole - inside
			own = inside
	# The target is about the call: the GDScript loop around it (measured
	# alone) is neither the binding's nor the backend's.
	row("Steam backend (test double), %s library: Steam.getAvailableP2PPacketSize(0) beyond the backend's own time vs PacketPeerUDP.is_bound()" % library,
		"%.1f ns/call" % best, "%.1f ns/call" % field, best / field,
		"target: the call <= 20 ns beyond the backend: %.1f ns without the loop; the double itself took %.0f ns (best of %d loops of %d calls, loop included; the loop alone: %.1f ns)"
			% [best - empty, own, CALL_LOOPS, CALL_LOOP, empty])
	call_udp.close()


## The test double's totals in `path` (see tests/steam_double/src/timing.rs).
func double_timing(path: String) -> Dictionary:
	var totals := {}
	for line in FileAccess.get_file_as_string(path).split("\n", false):
		var words := line.split(" ")
		totals[words[0]] = float(words[1])
	return totals


const LOBBY_OWNERS := 7
const LOBBY_LISTS := 50


## requestLobbyList with 8 instances each owning a lobby: 7 other processes
## that run like games at 60 frames a second, and this one. Timed from the
## call to the lobby_match_list signal, pumping run_callbacks meanwhile.
func bench_lobby_list() -> void:
	var pids := []
	for slot in range(1, LOBBY_OWNERS + 1):
		pids.append(start_peer("lobby_owner", 60.0, slot))
	Steam.createLobby(Steam.LOBBY_TYPE_PUBLIC, 4)
	var got := []
	Steam.lobby_match_list.connect(func(lobbies): got.append(lobbies))
	var list := func() -> int:
		got.clear()
		var t0 := Time.get_ticks_usec()
		Steam.requestLobbyList()
		while got.is_empty() and Time.get_ticks_usec() - t0 < 5000000:
			Steam.run_callbacks()
			OS.delay_usec(200)
		return Time.get_ticks_usec() - t0
	# Until every owner is up and its lobby listed.
	var deadline := Time.get_ticks_msec() + 30000
	while Time.get_ticks_msec() < deadline:
		list.call()
		if not got.is_empty() and got[0].size() >= LOBBY_OWNERS + 1:
			break
		OS.delay_usec(100000)
	var found: int = got[0].size() if not got.is_empty() else 0
	var samples := []
	for i in LOBBY_LISTS:
		samples.append(list.call() / 1000.0)
		if got.is_empty() or got[0].size() != found:
			found = -1
	samples.sort()
	var median: float = samples[samples.size() / 2]
	row("lobby list: requestLobbyList to lobby_match_list, 8 instances owning a lobby (7 at 60 fps)",
		"%.1f ms median, %.1f ms max" % [median, samples[-1]], "50 ms (target)", median / 50.0,
		"%d lobbies listed each time" % found if found >= 0 else "the count varied: LOST LOBBIES")
	for pid in pids:
		OS.kill(pid)


## Fills channel 0 with PACKETS 64-byte packets sent to ourselves.
func fill() -> void:
	var me := Steam.getSteamID()
	var data := PackedByteArray()
	data.resize(64)
	for i in PACKETS:
		Steam.sendP2PPacket(me, data, Steam.P2P_SEND_RELIABLE, 0)
	# Our own first packet raises a session request; accept it. Then wait
	# until the send queue is empty and a few more frames for the receiving
	# side to file everything (run_callbacks reads the sockets; a read call
	# does not while packets wait).
	Steam.acceptP2PSessionWithUser(me)
	while Steam.getP2PSessionState(me).get("packets_queued_for_send", 1) != 0:
		Steam.run_callbacks()
		await process_frame
	for i in 20:
		await process_frame
		OS.delay_msec(2)
		Steam.run_callbacks()


func bench_batch_read() -> void:
	await fill()
	var t0 := Time.get_ticks_usec()
	var n := 0
	var size := Steam.getAvailableP2PPacketSize(0)
	while size > 0:
		var p := Steam.readP2PPacket(size, 0)
		n += 1
		size = Steam.getAvailableP2PPacketSize(0)
	var loop := Time.get_ticks_usec() - t0
	await fill()
	t0 = Time.get_ticks_usec()
	var m := 0
	while true:
		var batch := Steam.readP2PPackets(256, 0)
		if batch.is_empty():
			break
		m += batch.size()
	var batched := Time.get_ticks_usec() - t0
	row("batch read: %d queued 64-byte packets (readP2PPackets(256) vs loop of getAvailableP2PPacketSize + readP2PPacket)" % PACKETS,
		"%.0f packets/s (%d read)" % [m * 1e6 / batched, m], "%.0f packets/s (%d read)" % [n * 1e6 / loop, n],
		float(batched) / max(loop, 1) * n / max(m, 1), "time per packet ratio; target <= 0.5 (2x)")
