## Payload sizes, channels and volume between two real Godot processes:
## every size Steam allows arrives intact, refused sizes are refused, and
## 10,000 reliable packets arrive once each and in order. Runs against the
## Steam test double and the local backend.
extends "res://lib/suite.gd"

var other := peer_steam_id(1)


func _accept(id: int) -> void:
	Steam.acceptP2PSessionWithUser(id)


func test_01_connect() -> void:
	check_eq(Steam.steamInitEx(0, false).get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	Steam.p2p_session_request.connect(_accept)
	spawn_peer(1)
	# The first reliable packet waits in our queue until the peer is up.
	check(Steam.sendP2PPacket(other, "ping".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0), "first send")
	var echo := await read_next(0, 20000)
	check_eq(echo.get("data", PackedByteArray()).get_string_from_utf8(), "ping", "first echo")


## Sends `data` and waits for the echo; retries unreliable sends, which may
## be lost by design.
func echo(data: PackedByteArray, send_type: int, channel: int) -> Dictionary:
	var tries := 1 if send_type >= Steam.P2P_SEND_RELIABLE else 5
	for i in tries:
		if not Steam.sendP2PPacket(other, data, send_type, channel):
			return {}
		var got := await read_next(channel, 15000 if tries == 1 else 1500)
		if not got.is_empty():
			return got
	return {}


func test_02_sizes_on_channels_0_and_7() -> void:
	var cases := [
		[1, Steam.P2P_SEND_UNRELIABLE],
		[1200, Steam.P2P_SEND_UNRELIABLE],
		[1200, Steam.P2P_SEND_UNRELIABLE_NO_DELAY],
		[1, Steam.P2P_SEND_RELIABLE],
		[64 * 1024, Steam.P2P_SEND_RELIABLE],
		[1024 * 1024, Steam.P2P_SEND_RELIABLE],
		[1024 * 1024, Steam.P2P_SEND_RELIABLE_WITH_BUFFERING],
	]
	for channel in [0, 7]:
		for c in cases:
			var data := random_bytes(c[0])
			var got := await echo(data, c[1], channel)
			check_eq(got.get("data"), data, "%d bytes, send type %d, channel %d" % [c[0], c[1], channel])
			check_eq(got.get("remote_steam_id"), other, "sender of %d bytes" % c[0])
	check_no_error("sizes")


func test_03_refused_sizes() -> void:
	check_eq(Steam.sendP2PPacket(other, random_bytes(1201), Steam.P2P_SEND_UNRELIABLE, 0), false, "1201 unreliable")
	check_one_error("too large", "1201 unreliable")
	check_eq(Steam.sendP2PPacket(other, random_bytes(1201), Steam.P2P_SEND_UNRELIABLE_NO_DELAY, 7), false, "1201 no-delay")
	check_one_error("too large", "1201 no-delay")
	check_eq(Steam.sendP2PPacket(other, random_bytes(1024 * 1024 + 1), Steam.P2P_SEND_RELIABLE, 0), false, "1 MiB + 1")
	check_one_error("too large", "1 MiB + 1")
	check_eq(Steam.getAvailableP2PPacketSize(0), 0, "nothing was sent")


func test_04_ten_thousand_reliable_in_order() -> void:
	const COUNT := 10000
	for i in COUNT:
		var data := PackedByteArray()
		data.resize(16)
		data.encode_u32(0, i)
		if not Steam.sendP2PPacket(other, data, Steam.P2P_SEND_RELIABLE, 3):
			check(false, "send %d refused" % i)
			return
	var expected := 0
	var deadline := Time.get_ticks_msec() + 60000
	while expected < COUNT and Time.get_ticks_msec() < deadline:
		Steam.run_callbacks()
		var size := Steam.getAvailableP2PPacketSize(3)
		while size > 0:
			var got: PackedByteArray = Steam.readP2PPacket(size, 3)["data"]
			var seq := got.decode_u32(0)
			if seq != expected:
				check(false, "packet %d arrived where %d was expected" % [seq, expected])
				return
			expected += 1
			size = Steam.getAvailableP2PPacketSize(3)
		await process_frame
	check_eq(expected, COUNT, "all packets echoed, in order")
	check_no_error("volume")


func test_05_batch_read() -> void:
	for i in 50:
		Steam.sendP2PPacket(other, PackedByteArray([i, 7]), Steam.P2P_SEND_RELIABLE, 2)
	# The peer echoes in order over one connection, so once the echo of this
	# marker is here, all 50 are.
	Steam.sendP2PPacket(other, "end".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 3)
	check_eq((await read_next(3)).get("data", PackedByteArray()).get_string_from_utf8(), "end", "marker echoed")
	var first: Array = Steam.readP2PPackets(30, 2)
	var rest: Array = Steam.readP2PPackets(1000, 2)
	check_eq(first.size(), 30, "the first batch stops at max_packets")
	check_eq(rest.size(), 20, "the rest in the second batch")
	var all := first + rest
	var in_order := true
	for i in all.size():
		in_order = in_order and all[i]["data"] == PackedByteArray([i, 7]) and all[i]["remote_steam_id"] == other \
			and all[i]["steam_id_remote"] == other
	check(in_order, "batch-read packets are whole, in order, with the sender")
	check_eq(Steam.readP2PPackets(10, 2), [], "nothing left")
	check_no_error("batch read")


func test_06_bulk_past_the_receivers_buffer() -> void:
	# 12 MiB in flight: more than the local backend lets one peer leave unread,
	# so flow control must hold back the sender without losing anything.
	var sent: Array[PackedByteArray] = []
	for i in 12:
		var data := random_bytes(1024 * 1024)
		data.encode_u32(0, i)
		sent.append(data)
		check(Steam.sendP2PPacket(other, data, Steam.P2P_SEND_RELIABLE, 1), "bulk send %d" % i)
	for i in sent.size():
		var got := await read_next(1, 30000)
		check_eq(got.get("data"), sent[i], "bulk message %d intact and in order" % i)
	check_no_error("bulk")


func after_all() -> void:
	Steam.sendP2PPacket(other, "cmd:quit".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	Steam.steamShutdown()
