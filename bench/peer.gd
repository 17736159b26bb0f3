## The other process of the two-process benchmarks. User arguments:
## --role=<role> --seconds=<n> --port=<baseline port>. Roles send to, or echo for, the driver
## (local instance 0 / 127.0.0.1:PORT).
extends SceneTree

var role := ""
var seconds := 3.0
var port := 0

const RPC_NODE := preload("res://rpc_node.gd")


func _initialize() -> void:
	for arg in OS.get_cmdline_user_args():
		if arg.begins_with("--role="):
			role = arg.trim_prefix("--role=")
		elif arg.begins_with("--seconds="):
			seconds = float(arg.trim_prefix("--seconds="))
		elif arg.begins_with("--port="):
			port = int(arg.trim_prefix("--port="))
	_run.call_deferred()


func _run() -> void:
	var driver := 76561197960265728 + 1
	var deadline := Time.get_ticks_msec() + int(seconds * 1000)
	match role:
		"ours_unreliable":
			Steam.steamInitEx()
			var data := PackedByteArray()
			data.resize(64)
			var send_round := func():
				for i in ROUND:
					Steam.sendP2PPacket(driver, data, Steam.P2P_SEND_UNRELIABLE, 0)
			var read_acks := func() -> int:
				Steam.run_callbacks()
				var acks := 0
				while Steam.getAvailableP2PPacketSize(1) > 0:
					Steam.readP2PPacket(64, 1)
					acks += 1
				return acks
			send_rounds(send_round, read_acks, deadline)
		"lobby_owner":
			# A game at 60 frames a second that owns a lobby.
			Steam.steamInitEx()
			Steam.lobby_created.connect(func(_result, id): Steam.setLobbyData(id, "bench", "lobbies"))
			Steam.createLobby(Steam.LOBBY_TYPE_PUBLIC, 4)
			while Time.get_ticks_msec() < deadline:
				Steam.run_callbacks()
				OS.delay_usec(16667)
			Steam.steamShutdown()
			quit()
		"udp_unreliable":
			var udp := PacketPeerUDP.new()
			udp.bind(port + 1, "127.0.0.1")
			udp.set_dest_address("127.0.0.1", port)
			var data := PackedByteArray()
			data.resize(64)
			var send_round := func():
				for i in ROUND:
					udp.put_packet(data)
			var read_acks := func() -> int:
				var acks := 0
				while udp.get_available_packet_count() > 0:
					udp.get_packet()
					acks += 1
				return acks
			send_rounds(send_round, read_acks, deadline)
		"ours_reliable", "ours_bulk":
			Steam.steamInitEx()
			var data := PackedByteArray()
			data.resize(1024 if role == "ours_reliable" else 1 << 20)
			while Time.get_ticks_msec() < deadline:
				if not Steam.sendP2PPacket(driver, data, Steam.P2P_SEND_RELIABLE, 0):
					OS.delay_usec(100)  # send queue full: let it drain
		"ours_flood":
			# Reliable 1 KiB packets as fast as the send queue takes them, and
			# 1 KiB unreliable ones on channel 1, until killed.
			Steam.steamInitEx()
			var data := PackedByteArray()
			data.resize(1024)
			while Time.get_ticks_msec() < deadline:
				for i in 64:
					if not Steam.sendP2PPacket(driver, data, Steam.P2P_SEND_RELIABLE, 0):
						break
				for i in 16:
					Steam.sendP2PPacket(driver, data, Steam.P2P_SEND_UNRELIABLE, 1)
				Steam.run_callbacks()
		"udp_flood":
			var udp := PacketPeerUDP.new()
			udp.set_dest_address("127.0.0.1", port)
			var data := PackedByteArray()
			data.resize(1024)
			while Time.get_ticks_msec() < deadline:
				udp.put_packet(data)
		"ours_echo":
			Steam.steamInitEx()
			Steam.p2p_session_request.connect(func(id): Steam.acceptP2PSessionWithUser(id))
			while Time.get_ticks_msec() < deadline:
				Steam.run_callbacks()
				var n := Steam.getAvailableP2PPacketSize(0)
				if n > 0:
					var p := Steam.readP2PPacket(n, 0)
					Steam.sendP2PPacket(p["remote_steam_id"], p["data"], Steam.P2P_SEND_UNRELIABLE_NO_DELAY, 0)
		"rpc_flood_ours", "rpc_flood_enet", "rpc_echo_ours", "rpc_echo_enet":
			# Steam runs for the ENet roles too: the loop is the same.
			Steam.steamInitEx()
			run_rpc(driver, deadline)
		"udp_echo":
			var udp := PacketPeerUDP.new()
			udp.bind(port + 1, "127.0.0.1")
			udp.set_dest_address("127.0.0.1", port)
			while Time.get_ticks_msec() < deadline:
				if udp.get_available_packet_count() > 0:
					udp.put_packet(udp.get_packet())
		"tcp_reliable", "tcp_bulk":
			var tcp := StreamPeerTCP.new()
			tcp.connect_to_host("127.0.0.1", port)
			while tcp.get_status() == StreamPeerTCP.STATUS_CONNECTING:
				tcp.poll()
			var data := PackedByteArray()
			data.resize(1024 if role == "tcp_reliable" else 1 << 20)
			while Time.get_ticks_msec() < deadline and tcp.get_status() == StreamPeerTCP.STATUS_CONNECTED:
				tcp.put_data(data)
	if Steam.isSteamRunning():
		Steam.steamShutdown()
	quit(0)


## Unreliable throughput senders send ROUND packets at a time and stay at
## most two rounds ahead of the receiver, which acknowledges every ROUND
## packets it reads. Unpaced, the sender overflows the receiver: the kernel
## drops, and PacketPeerUDP drops too, printing a warning per packet, which
## slows it until it reads almost nothing. Paced, the row measures how fast
## each side reads. A round whose acknowledgement is lost times out.
const ROUND := 256
const ROUND_TIMEOUT_USEC := 5000


func send_rounds(send_round: Callable, read_acks: Callable, deadline: int) -> void:
	var ahead := 0
	var since := Time.get_ticks_usec()
	while Time.get_ticks_msec() < deadline:
		var acks: int = read_acks.call()
		if acks > 0:
			ahead = maxi(ahead - acks, 0)
			since = Time.get_ticks_usec()
		if ahead < 2:
			send_round.call()
			ahead += 1
			since = Time.get_ticks_usec()
		elif Time.get_ticks_usec() - since > ROUND_TIMEOUT_USEC:
			ahead -= 1
			since = Time.get_ticks_usec()


## The RPC benchmarks' client (SteamMultiplayerPeer or ENetMultiplayerPeer,
## as the role's suffix says) with the shared node at /root/RpcNode, in the
## same busy loop for both peers as bench.gd's: Steam callbacks and the
## multiplayer poll, not waiting for frames. A flood sends 64-byte `data`
## RPCs in rounds of RPC_NODE.ROUND, at most RPC_NODE.AHEAD rounds
## unacknowledged (as send_rounds, but reliable: nothing times out); an
## echo only polls (the node answers each ping).
func run_rpc(driver: int, deadline: int) -> void:
	var node := RPC_NODE.new()
	node.name = "RpcNode"
	root.add_child(node)
	var mp := get_multiplayer()
	var peer: MultiplayerPeer
	if role.ends_with("_ours"):
		var ours := SteamMultiplayerPeer.new()
		ours.create_client(driver)
		peer = ours
	else:
		var enet := ENetMultiplayerPeer.new()
		enet.create_client("127.0.0.1", port)
		peer = enet
	mp.multiplayer_peer = peer
	while peer.get_connection_status() != MultiplayerPeer.CONNECTION_CONNECTED and Time.get_ticks_msec() < deadline:
		rpc_pump(mp)
		OS.delay_usec(1000)
	var payload := PackedByteArray()
	payload.resize(64)
	var flood := role.begins_with("rpc_flood")
	var rounds := 0
	while Time.get_ticks_msec() < deadline and peer.get_connection_status() == MultiplayerPeer.CONNECTION_CONNECTED:
		rpc_pump(mp)
		while flood and rounds - node.acks < RPC_NODE.AHEAD:
			for i in RPC_NODE.ROUND:
				node.data.rpc_id(1, payload)
			rounds += 1
	mp.multiplayer_peer = OfflineMultiplayerPeer.new()
	peer.close()


## One turn of the RPC benchmarks' loop (the same in bench.gd).
func rpc_pump(mp: MultiplayerAPI) -> void:
	Steam.run_callbacks()
	mp.poll()
