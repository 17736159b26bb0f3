## A second game instance for multi-process tests: accepts every session,
## echoes every packet back on its channel, and obeys "cmd:" packets
## (quit, ticks / noticks: a "tick" every 100 ms on channel 2, byeclose).
## Arguments (after `--`): `--hello=<steam id>` sends "hello" to that id at start.
extends SceneTree

const CHANNELS := [0, 1, 2, 3, 7]
const LIFETIME_MS := 90000

var ticks_to := 0
var next_tick_ms := 0


func _initialize() -> void:
	var init: Dictionary = Steam.steamInitEx()
	if init.get("status") != Steam.STEAM_API_INIT_RESULT_OK:
		printerr("echo_peer: init failed: %s" % init)
		quit(2)
		return
	Steam.p2p_session_request.connect(func(id: int): Steam.acceptP2PSessionWithUser(id))
	print("echo_peer: up as %d" % Steam.getSteamID())
	for arg in OS.get_cmdline_user_args():
		if arg.begins_with("--hello="):
			Steam.sendP2PPacket(int(arg.trim_prefix("--hello=")), "hello".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)


func _process(_delta: float) -> bool:
	if Time.get_ticks_msec() > LIFETIME_MS:
		printerr("echo_peer: lifetime over, quitting")
		return true
	Steam.run_callbacks()
	for channel in CHANNELS:
		var size := Steam.getAvailableP2PPacketSize(channel)
		while size > 0:
			var packet := Steam.readP2PPacket(size, channel)
			if _handle(packet, channel):
				return true
			size = Steam.getAvailableP2PPacketSize(channel)
	if ticks_to != 0 and Time.get_ticks_msec() >= next_tick_ms:
		next_tick_ms = Time.get_ticks_msec() + 100
		Steam.sendP2PPacket(ticks_to, "tick".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 2)
	return false


## Returns true to quit.
func _handle(packet: Dictionary, channel: int) -> bool:
	var data: PackedByteArray = packet["data"]
	var sender: int = packet["remote_steam_id"]
	# Commands are short ASCII; decoding arbitrary payloads would log errors.
	var text := data.get_string_from_ascii() if data.size() <= 16 else ""
	match text:
		"cmd:quit":
			return true
		"cmd:ticks":
			ticks_to = sender
		"cmd:noticks":
			ticks_to = 0
		"cmd:byeclose":
			# Says goodbye on channel 3, then closes the session with the sender.
			Steam.sendP2PPacket(sender, "bye".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 3)
			Steam.closeP2PSessionWithUser(sender)
		_:
			Steam.sendP2PPacket(sender, data, Steam.P2P_SEND_RELIABLE, channel)
	return false
