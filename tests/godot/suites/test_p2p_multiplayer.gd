## Godot's high-level multiplayer (SceneMultiplayer) over SteamMultiplayerPeer
## between real Godot processes, on both backends: this process hosts two
## clients (tests/godot/peers/mp_peer.gd), RPCs go both ways and between
## clients through the host, a MultiplayerSpawner and a MultiplayerSynchronizer
## replicate, and kicks, refusals, losses and hosting again behave as
## Godot's peers do.
extends "res://lib/suite.gd"

const TIMEOUT_MS := 2000  # STEAM_NETWORKING_LOCAL_TIMEOUT_MS in tests/run
const WAIT_MS := 20000

var me := peer_steam_id(0)
var game: Node
var connected: Array = []
var disconnected: Array = []
var reports: Array = []
var pids := {}
var log_path := ""
## Peer id of each client process (by process index).
var ids := {}


func mp() -> SceneMultiplayer:
	return get_multiplayer() as SceneMultiplayer


func host_again() -> void:
	var peer := SteamMultiplayerPeer.new()
	check_eq(peer.create_host(), OK, "create_host")
	mp().multiplayer_peer = peer


func log_lines(index: int) -> Array:
	if not FileAccess.file_exists(log_path):
		return []
	var prefix := "%d " % peer_steam_id(index)
	return Array(FileAccess.get_file_as_string(log_path).split("\n")).filter(
		func(l): return l.begins_with(prefix)).map(func(l): return l.trim_prefix(prefix))


## Asks client `id` something and waits for its answer.
func ask(id: int, what: String, arg = null):
	reports.clear()
	game.ask.rpc_id(id, what, arg)
	var answered: bool = await wait_until(func(): return reports.any(func(r): return r[0] == id and r[1] == what), WAIT_MS)
	if not check(answered, "client %d answered %s" % [id, what]):
		return null
	return reports.filter(func(r): return r[0] == id and r[1] == what)[0][2]


## Makes a peer process disappear as each backend notices it: a SIGKILL
## (and, over the double, the marker with which it tells that Steam lost
## that user).
func make_gone(index: int) -> void:
	kill_peer(pids[index])
	if backend == "double":
		var marker := FileAccess.open(OS.get_environment("STEAM_DOUBLE_DIR").path_join("%d.gone" % peer_steam_id(index)), FileAccess.WRITE)
		marker.close()


func wait_connected(count: int) -> bool:
	return await wait_until(func(): return connected.size() >= count, WAIT_MS)


func test_01_a_host_and_two_clients() -> void:
	check_eq(Steam.steamInitEx(0, true).get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	log_path = OS.get_cache_dir().path_join("mp_%d_%s.log" % [OS.get_process_id(), backend])
	game = preload("res://lib/mp_game.gd").new()
	game.name = "Game"
	root.add_child(game)
	game.reported.connect(func(from, what, value): reports.append([from, what, value]))
	mp().peer_connected.connect(func(id): connected.append(id))
	mp().peer_disconnected.connect(func(id): disconnected.append(id))
	host_again()
	check_eq(mp().get_unique_id(), 1, "the host is peer 1")
	check(mp().is_server(), "is_server")
	for i in [1, 2]:
		pids[i] = spawn_peer(i, ["--host=%d" % me, "--log=%s" % log_path], "res://peers/mp_peer.gd")
	check(await wait_connected(2), "two clients connected: %s" % [connected])
	var peer := mp().multiplayer_peer as SteamMultiplayerPeer
	for id in connected:
		check(id >= 2 and id <= 2147483647, "client id %d in 2..2^31-1" % id)
		var steam_id := peer.get_steam_id_for_peer_id(id)
		var index := steam_id - peer_steam_id(0)
		ids[index] = id
		check_eq(peer.get_peer_id_for_steam_id(steam_id), id, "the id of %d" % steam_id)
		var who = await ask(id, "whoami")
		check_eq(who, [id, steam_id, me, id], "client %d knows its id, its Steam ID and the host" % id)
	check_eq(ids.keys().size(), 2, "two distinct clients: %s" % [ids])
	check_eq(peer.get_steam_id_for_peer_id(1), me, "our own Steam ID for id 1")
	check_eq(peer.get_peer_id_for_steam_id(me), 1, "our own id")
	check_eq(peer.get_steam_id_for_peer_id(99), 0, "an unknown peer")


func test_02_rpcs_both_ways_in_order() -> void:
	for n in 300:
		game.order.rpc(n)
	var expected := range(300)
	for i in [1, 2]:
		check_eq(await ask(ids[i], "orders"), expected, "client %d got 300 RPCs in order" % i)
	game.ups.clear()
	for i in [1, 2]:
		game.ask.rpc_id(ids[i], "send_orders", 300)
	var all: bool = await wait_until(func(): return game.ups.size() >= 600, WAIT_MS)
	check(all, "600 RPCs from the clients arrived: %d" % game.ups.size())
	for i in [1, 2]:
		var mine: Array = game.ups.filter(func(u): return u[0] == ids[i]).map(func(u): return u[1])
		check_eq(mine, expected, "client %d's RPCs in order" % i)
	# The game's own P2P channels saw nothing of it...
	for channel in 4:
		check_eq(Steam.getAvailableP2PPacketSize(channel), 0, "nothing on the game's channel %d" % channel)
	# ...and the game's own traffic with a client still flows beside it.
	game.ask.rpc_id(ids[1], "send_raw", "raw from the game")
	var raw := await read_next(0)
	check_eq(raw.get("data", PackedByteArray()).get_string_from_utf8(), "raw from the game", "the game's own packet on channel 0")
	check_eq(raw.get("remote_steam_id"), peer_steam_id(1), "from the client")


func test_03_a_100_kb_reliable_rpc_each_way() -> void:
	var data := PackedByteArray()
	data.resize(100000)
	for i in data.size():
		data[i] = i * 7 % 251
	reports.clear()
	game.big.rpc_id(ids[1], data)
	var back: bool = await wait_until(func(): return reports.any(func(r): return r[1] == "big"), WAIT_MS)
	check(back, "the client got it")
	if back:
		check_eq(reports.filter(func(r): return r[1] == "big")[0][2], [100000, hash(data)], "intact")
	game.big_sizes.clear()
	game.ask.rpc_id(ids[1], "send_big", 100000)
	var got: bool = await wait_until(func(): return not game.big_sizes.is_empty(), WAIT_MS)
	check(got and game.big_sizes[0] == 100000, "100 kB from the client: %s" % [game.big_sizes])


func test_04_unreliable_rpcs() -> void:
	for n in 200:
		game.tick.rpc(n)
		if n % 20 == 0:
			await process_frame
	await frames(10)
	for i in [1, 2]:
		var ticks = await ask(ids[i], "ticks")
		# Loopback rarely drops a datagram, but two busy cores can.
		check(ticks != null and ticks >= 100 and ticks <= 200, "client %d got %s of 200 unreliable RPCs" % [i, ticks])


func test_05_client_to_client_through_the_host() -> void:
	game.ask.rpc_id(ids[1], "relay_to", ids[2])
	var relayed := []
	var arrived: bool = await wait_until(func():
		return false, 500)
	relayed = await ask(ids[2], "relayed")
	check_eq(relayed, [[ids[1], "hello from %d" % ids[1]]], "client 2 got client 1's RPC, relayed")


func test_06_spawner_and_synchronizer() -> void:
	var thing: Node = game.spawner.spawn("thing1")
	thing.position = Vector2(12, 34)
	for i in [1, 2]:
		var seen := false
		var deadline := Time.get_ticks_msec() + WAIT_MS
		while not seen and Time.get_ticks_msec() < deadline:
			seen = await ask(ids[i], "thing", "thing1") == Vector2(12, 34)
		check(seen, "client %d has the spawned node with the replicated position" % i)


func test_07_kick_and_rejoin() -> void:
	var kicked: int = ids[1]
	connected.clear()
	disconnected.clear()
	var peer_level := []
	mp().multiplayer_peer.peer_disconnected.connect(func(id): peer_level.append(id))
	mp().disconnect_peer(kicked)
	var gone: bool = await wait_until(func(): return kicked in peer_level, WAIT_MS)
	check(gone, "the peer's peer_disconnected for the kicked client")
	check(await wait_connected(1), "the kicked client joined again")
	await frames(20)
	check_eq(peer_level, [kicked], "the peer's peer_disconnected exactly once")
	# SceneMultiplayer.disconnect_peer() forgets the peer itself and blocks
	# its own peer_disconnected (Godot's design, whatever the peer).
	check_eq(disconnected, [], "no SceneMultiplayer.peer_disconnected for a kick")
	check_eq(log_lines(1).filter(func(l): return l == "server_disconnected").size(), 1,
		"the client saw server_disconnected once: %s" % [log_lines(1)])
	ids[1] = connected[0]
	check_no_error("kick")


func test_08_refusing_new_connections() -> void:
	var peer := mp().multiplayer_peer
	peer.refuse_new_connections = true
	connected.clear()
	mp().disconnect_peer(ids[2])
	var refused: bool = await wait_until(func(): return "connection_failed" in log_lines(2), WAIT_MS)
	check(refused, "a client that tries to join fails: %s" % [log_lines(2)])
	check(connected.is_empty(), "nobody got in")
	peer.refuse_new_connections = false
	check(await wait_connected(1), "it gets in once the host takes new clients")
	ids[2] = connected[0] if not connected.is_empty() else 0


func test_09_a_killed_client_is_dropped_within_the_timeout() -> void:
	disconnected.clear()
	var id: int = ids[2]
	make_gone(2)
	var t0 := Time.get_ticks_msec()
	var gone: bool = await wait_until(func(): return id in disconnected, WAIT_MS)
	var took := Time.get_ticks_msec() - t0
	check(gone, "peer_disconnected for the killed client")
	if backend == "local":
		check(took <= TIMEOUT_MS + 500, "within the timeout (%d ms)" % took)
	check_eq(disconnected, [id], "once")


func test_10_hosting_again_after_close() -> void:
	for round in 2:
		connected.clear()
		disconnected.clear()
		var before := log_lines(1).filter(func(l): return l == "server_disconnected").size()
		mp().multiplayer_peer.close()
		check_eq(mp().multiplayer_peer.get_connection_status(), MultiplayerPeer.CONNECTION_DISCONNECTED, "closed")
		await frames(2)
		check(disconnected.is_empty(), "close() emits no peer_disconnected: %s" % [disconnected])
		host_again()
		var noticed: bool = await wait_until(func():
			return log_lines(1).filter(func(l): return l == "server_disconnected").size() > before, WAIT_MS)
		check(noticed, "the client saw the server go (round %d)" % round)
		check(await wait_connected(1), "and joined the new host (round %d): %s" % [round, log_lines(1)])
	ids[1] = connected[0] if not connected.is_empty() else 0
	var who = await ask(ids[1], "whoami")
	check(who != null and who[0] == ids[1], "RPCs work with the new host")


func test_10b_a_client_that_quits_says_goodbye() -> void:
	disconnected.clear()
	var id: int = ids[1]
	var t0 := Time.get_ticks_msec()
	game.ask.rpc_id(id, "quit", null)
	var gone: bool = await wait_until(func(): return id in disconnected, WAIT_MS)
	check(gone, "peer_disconnected for a client that quit")
	# Well before any timeout: the freed peer said goodbye.
	check(Time.get_ticks_msec() - t0 < TIMEOUT_MS / 2, "at once (%d ms)" % (Time.get_ticks_msec() - t0))


func test_11_a_killed_host_is_server_disconnected() -> void:
	mp().multiplayer_peer.close()
	pids[3] = spawn_peer(3, ["--serve", "--log=%s" % log_path], "res://peers/mp_peer.gd")
	var client := SteamMultiplayerPeer.new()
	var lost := []
	var joined := []
	mp().server_disconnected.connect(func(): lost.append(true))
	mp().connected_to_server.connect(func(): joined.append(true))
	# The host process needs a moment to start: retry until it takes us.
	var failed := []
	mp().connection_failed.connect(func(): failed.append(true))
	var deadline := Time.get_ticks_msec() + WAIT_MS
	while joined.is_empty() and Time.get_ticks_msec() < deadline:
		client = SteamMultiplayerPeer.new()
		check_eq(client.create_client(peer_steam_id(3)), OK, "create_client")
		mp().multiplayer_peer = client
		check_eq(client.get_connection_status(), MultiplayerPeer.CONNECTION_CONNECTING, "connecting until the host answers")
		check_eq(client.get_unique_id(), 0, "no id before the host gives one")
		await wait_until(func(): return not joined.is_empty() or not failed.is_empty(), WAIT_MS)
		failed.clear()
	check(not joined.is_empty(), "connected_to_server")
	var uid := client.get_unique_id()
	check(uid >= 2, "an id from the host: %d" % uid)
	make_gone(3)
	var t0 := Time.get_ticks_msec()
	var noticed: bool = await wait_until(func(): return not lost.is_empty(), WAIT_MS)
	check(noticed, "server_disconnected after the host was killed")
	if backend == "local":
		check(Time.get_ticks_msec() - t0 <= TIMEOUT_MS + 500, "within the timeout")
	check_eq(client.get_connection_status(), MultiplayerPeer.CONNECTION_DISCONNECTED, "disconnected")
	errors.clear()


func test_12_bad_calls() -> void:
	var peer := SteamMultiplayerPeer.new()
	errors.clear()
	check_eq(peer.create_client(0), ERR_INVALID_PARAMETER, "create_client(0)")
	check_one_error("invalid Steam ID", "create_client(0)")
	check_eq(peer.create_client(me), ERR_INVALID_PARAMETER, "a client of itself")
	check_one_error("own Steam ID", "a client of itself")
	check_eq(peer.create_host(-1), ERR_INVALID_PARAMETER, "virtual port -1")
	check_one_error("invalid virtual_port", "virtual port -1")
	check_eq(peer.host_with_lobby(me), ERR_INVALID_PARAMETER, "a user is not a lobby")
	check_one_error("invalid lobby id", "host_with_lobby(user)")
	check_eq(peer.host_with_lobby(SOME_LOBBY), ERR_CANT_CREATE, "a lobby we do not own")
	check_one_error("must own lobby", "host_with_lobby(not ours)")
	check_eq(peer.connect_to_lobby(SOME_LOBBY), ERR_CANT_CREATE, "a lobby we are not in")
	check_one_error("not a member", "connect_to_lobby(not in it)")
	check_eq(peer.create_host(7), OK, "create_host(7)")
	check_eq(peer.create_host(7), ERR_ALREADY_IN_USE, "create_host twice")
	check_one_error("already", "create_host twice")
	check_eq(peer.create_client(peer_steam_id(1)), ERR_ALREADY_IN_USE, "create_client while hosting")
	check_one_error("already", "create_client while hosting")
	peer.close()
	check_eq(peer.put_packet(PackedByteArray([1])), ERR_UNCONFIGURED, "put_packet after close")
	check_one_error("not connected", "put_packet after close")
	Steam.steamShutdown()
	check_eq(peer.create_host(), ERR_CANT_CREATE, "create_host without Steam")
	check_one_error("not initialized", "create_host without Steam")
	peer.poll()
	check_no_error("poll without Steam is quiet")


func after_all() -> void:
	Steam.steamShutdown()
