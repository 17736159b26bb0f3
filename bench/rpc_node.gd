## The node both processes of the RPC benchmarks put at /root/RpcNode
## (bench.gd and peer.gd preload this script, so both sides have the same
## RPCs), and what has arrived through it.
extends Node

## The receiver acknowledges every ROUND `data` RPCs it gets; peer.gd's
## rpc_flood senders stay at most AHEAD rounds unacknowledged. With two
## rounds (as the unreliable rows) both peers' rates followed the
## acknowledgements' round trip (and varied 100-200k RPCs/s); 4096 in
## flight keep both busy and stay under SteamMultiplayerPeer's reads per
## poll (8192) and waiting packets (16384).
const ROUND := 256
const AHEAD := 16

var received := 0
var acks := 0
var last_pong := -1


## The throughput RPC: a 64-byte PackedByteArray.
@rpc("any_peer", "call_remote", "reliable")
func data(_bytes: PackedByteArray) -> void:
	received += 1
	if received % ROUND == 0:
		ack.rpc_id(multiplayer.get_remote_sender_id(), received)


@rpc("any_peer", "call_remote", "reliable")
func ack(_received: int) -> void:
	acks += 1


## The round trip: `ping(n)` is answered at once with `pong(n)`.
@rpc("any_peer", "call_remote", "reliable")
func ping(n: int) -> void:
	pong.rpc_id(multiplayer.get_remote_sender_id(), n)


@rpc("any_peer", "call_remote", "reliable")
func pong(n: int) -> void:
	last_pong = n
