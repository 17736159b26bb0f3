## The node every process of the multiplayer tests has at /root/Game: RPCs
## both ways, a spawner and a synchronizer, and what each side saw. Peers
## (tests/godot/peers/mp_peer.gd) answer the host's requests by RPC.
extends Node

signal reported(from: int, what: String, value)

var orders: Array[int] = []
## [sender, n] of each order_up, in arrival order.
var ups: Array = []
var ticks := 0
var big_sizes: Array[int] = []
var relayed: Array = []
var things: Node
var spawner: MultiplayerSpawner


func _ready() -> void:
	things = Node.new()
	things.name = "Things"
	add_child(things)
	spawner = MultiplayerSpawner.new()
	spawner.name = "Spawner"
	add_child(spawner)
	spawner.spawn_path = NodePath("../Things")
	spawner.spawn_function = _spawn_thing


## What MultiplayerSpawner runs on every peer: a node whose `position` a
## MultiplayerSynchronizer replicates from the host.
func _spawn_thing(data: Variant) -> Node:
	var thing := Node2D.new()
	thing.name = str(data)
	var sync := MultiplayerSynchronizer.new()
	sync.name = "Sync"
	var config := SceneReplicationConfig.new()
	config.add_property(NodePath(".:position"))
	config.property_set_replication_mode(NodePath(".:position"), SceneReplicationConfig.REPLICATION_MODE_ALWAYS)
	sync.replication_config = config
	sync.replication_interval = 0.0
	thing.add_child(sync)
	return thing


@rpc("any_peer", "call_remote", "reliable")
func report(what: String, value: Variant) -> void:
	reported.emit(multiplayer.get_remote_sender_id(), what, value)


@rpc("authority", "call_remote", "reliable")
func order(n: int) -> void:
	orders.append(n)


@rpc("any_peer", "call_remote", "reliable")
func order_up(n: int) -> void:
	ups.append([multiplayer.get_remote_sender_id(), n])


@rpc("any_peer", "call_remote", "unreliable")
func tick(_n: int) -> void:
	ticks += 1


@rpc("any_peer", "call_remote", "reliable")
func big(data: PackedByteArray) -> void:
	big_sizes.append(data.size())
	report.rpc_id(multiplayer.get_remote_sender_id(), "big", [data.size(), hash(data)])


@rpc("any_peer", "call_remote", "reliable")
func relay(text: String) -> void:
	relayed.append([multiplayer.get_remote_sender_id(), text])


## The host's requests to a client (the client answers with `report`).
@rpc("authority", "call_remote", "reliable")
func ask(what: String, arg: Variant) -> void:
	match what:
		"orders":
			report.rpc_id(1, "orders", orders.duplicate())
			orders.clear()
		"send_orders":
			for n in int(arg):
				order_up.rpc_id(1, n)
		"ticks":
			report.rpc_id(1, "ticks", ticks)
		"send_big":
			var data := PackedByteArray()
			data.resize(int(arg))
			for i in data.size():
				data[i] = i * 7 % 251
			big.rpc_id(1, data)
		"relay_to":
			relay.rpc_id(int(arg), "hello from %d" % multiplayer.get_unique_id())
		"relayed":
			report.rpc_id(1, "relayed", relayed.duplicate())
		"thing":
			var thing := things.get_node_or_null(str(arg))
			report.rpc_id(1, "thing", thing.position if thing else null)
		"quit":
			# Quits as games do: nobody calls close() on the peer.
			get_tree().quit()
		"send_raw":
			# The game's own P2P traffic, beside the multiplayer peer's.
			var host_id := (multiplayer.multiplayer_peer as SteamMultiplayerPeer).get_steam_id_for_peer_id(1)
			Steam.sendP2PPacket(host_id, str(arg).to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
		"whoami":
			var peer := multiplayer.multiplayer_peer as SteamMultiplayerPeer
			report.rpc_id(1, "whoami", [multiplayer.get_unique_id(), Steam.getSteamID(),
				peer.get_steam_id_for_peer_id(1), peer.get_peer_id_for_steam_id(Steam.getSteamID())])
