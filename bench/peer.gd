## The other process of the two-process benchmarks. User arguments:
## --role=<role> --seconds=<n> --port=<baseline port>. Roles send to, or echo for, the driver
## (local instance 0 / 127.0.0.1:PORT).
extends SceneTree

var role := ""
var seconds := 3.0
var port := 0


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
		"ours_unreliable", "ours_reliable", "ours_bulk":
			Steam.steamInitEx()
			var size: int = {"ours_unreliable": 64, "ours_reliable": 1024, "ours_bulk": 1 << 20}[role]
			var send_type := Steam.P2P_SEND_UNRELIABLE if role == "ours_unreliable" else Steam.P2P_SEND_RELIABLE
			var data := PackedByteArray()
			data.resize(size)
			while Time.get_ticks_msec() < deadline:
				if not Steam.sendP2PPacket(driver, data, send_type, 0):
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
		"udp_unreliable":
			var udp := PacketPeerUDP.new()
			udp.set_dest_address("127.0.0.1", port)
			var data := PackedByteArray()
			data.resize(64)
			while Time.get_ticks_msec() < deadline:
				udp.put_packet(data)
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
