## Hostile bytes sent straight to a local-backend instance's ports (garbage,
## oversized, another peer's id) are dropped with a log line and leave the
## real session with the peer untouched.
extends "res://lib/suite.gd"

const MAGIC := 0x534E4C42
var b := peer_steam_id(1)


func datagram(sender: int, channel: int, payload: PackedByteArray) -> PackedByteArray:
	var d := PackedByteArray()
	d.resize(18)
	d.encode_u32(0, MAGIC)
	d[4] = 3  # version (wire.rs VERSION)
	d[5] = 2  # DATA
	d.encode_u64(6, sender)
	d.encode_s32(14, channel)
	return d + payload


func test_01_session_with_a_real_peer() -> void:
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	Steam.p2p_session_request.connect(func(id): Steam.acceptP2PSessionWithUser(id))
	spawn_peer(1, ["--hello=%d" % Steam.getSteamID()])
	check_eq((await read_next(0, 20000)).get("remote_steam_id"), b, "hello from the peer")


func test_02_hostile_datagrams_are_dropped() -> void:
	var udp := PacketPeerUDP.new()
	udp.set_dest_address("127.0.0.1", local_port(0))
	var hostile := [
		"garbage".to_utf8_buffer(),
		PackedByteArray(),
		datagram(b, 0, "spoofed: claims the peer's id".to_utf8_buffer()),
		datagram(b, 0, random_bytes(1300)),
		datagram(0, 0, "sender 0".to_utf8_buffer()),
		datagram(peer_steam_id(5), -1, "negative channel".to_utf8_buffer()),
		datagram(peer_steam_id(5), 0, PackedByteArray()),
	]
	var truncated := datagram(b, 0, PackedByteArray()).slice(0, 10)
	hostile.append(truncated)
	errors.clear()
	for d in hostile:
		udp.put_packet(d)
	var dropped_count := func() -> int:
		take_thread_errors()
		return errors.filter(func(e): return "dropped a datagram" in e).size()
	var all_dropped: bool = await wait_until(func(): return dropped_count.call() >= 6, 10000)
	check(all_dropped, "each hostile datagram logged as dropped: %s" % [errors])
	for channel in [0, 1]:
		check_eq(Steam.getAvailableP2PPacketSize(channel), 0, "nothing readable on channel %d" % channel)
	errors.clear()
	udp.close()


func test_03_hostile_streams_are_dropped() -> void:
	# A connection that claims the peer's id in its frames after saying hello
	# as someone else, and one that announces a 4 GiB frame.
	var spoof := StreamPeerTCP.new()
	spoof.connect_to_host("127.0.0.1", local_port(0))
	var huge := StreamPeerTCP.new()
	huge.connect_to_host("127.0.0.1", local_port(0))
	await wait_until(func():
		spoof.poll(); huge.poll()
		return spoof.get_status() == StreamPeerTCP.STATUS_CONNECTED and huge.get_status() == StreamPeerTCP.STATUS_CONNECTED, 5000)
	var hello := PackedByteArray()
	hello.resize(18)
	hello.encode_u32(0, 14)
	hello[4] = 1  # HELLO
	hello.encode_u32(5, MAGIC)
	hello[9] = 3  # version (wire.rs VERSION)
	hello.encode_u64(10, peer_steam_id(6))
	var frame := PackedByteArray()
	frame.resize(17)
	frame.encode_u32(0, 13 + 4)
	frame[4] = 2  # DATA
	frame.encode_u64(5, b)
	frame.encode_s32(13, 0)
	spoof.put_data(hello + frame + "fake".to_utf8_buffer())
	huge.put_data(PackedByteArray([0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3]))
	errors.clear()
	var both_logged := func():
		return errors.any(func(e): return "claims to be someone else" in e) and errors.any(func(e): return "oversized" in e)
	await wait_until(both_logged, 5000)
	check(errors.any(func(e): return "claims to be someone else" in e), "spoofed frame logged: %s" % [errors])
	check(errors.any(func(e): return "oversized" in e), "oversized frame logged: %s" % [errors])
	check_eq(Steam.getAvailableP2PPacketSize(0), 0, "no fake packet readable")
	check_eq(Steam.getP2PSessionState(peer_steam_id(6)), {}, "no session for the fake hello")
	errors.clear()


func test_04_real_session_untouched() -> void:
	var data := random_bytes(3000)
	check(Steam.sendP2PPacket(b, data, Steam.P2P_SEND_RELIABLE, 0), "send to the peer")
	var echo := await read_next(0)
	check_eq(echo.get("data"), data, "echo intact after the attack")
	check_eq(echo.get("remote_steam_id"), b, "from the real peer")
	check(Steam.getP2PSessionState(b).get("connection_active", false), "session still active")
	check_no_error("real traffic")


func after_all() -> void:
	Steam.sendP2PPacket(b, "cmd:quit".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	Steam.steamShutdown()
