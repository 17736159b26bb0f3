## A game instance that sends to one peer without pause, for fairness and
## memory tests. Arguments (after `--`): `--to=<steam id>` and `--mode=`
## `flood` (1 KiB reliable packets numbered from 0, as many as the send queue
## takes, plus 1 KiB unreliable ones on channel 1) or `trickle` (one reliable
## packet every 50 ms: its number and the wall-clock send time).
## Quits on "cmd:quit" or after LIFETIME_MS.
extends SceneTree

const LIFETIME_MS := 60000

var to := 0
var mode := ""
var seq := 0
var next_trickle_ms := 0
var payload := PackedByteArray()


func _initialize() -> void:
	for arg in OS.get_cmdline_user_args():
		if arg.begins_with("--to="):
			to = int(arg.trim_prefix("--to="))
		elif arg.begins_with("--mode="):
			mode = arg.trim_prefix("--mode=")
	var init: Dictionary = Steam.steamInitEx()
	if init.get("status") != Steam.STEAM_API_INIT_RESULT_OK:
		printerr("flood_peer: init failed: %s" % init)
		quit(2)
		return
	payload.resize(1024 if mode == "flood" else 16)


func _process(_delta: float) -> bool:
	if Time.get_ticks_msec() > LIFETIME_MS:
		return true
	Steam.run_callbacks()
	var size := Steam.getAvailableP2PPacketSize(0)
	while size > 0:
		if Steam.readP2PPacket(size, 0)["data"].get_string_from_ascii() == "cmd:quit":
			return true
		size = Steam.getAvailableP2PPacketSize(0)
	match mode:
		"flood":
			for i in 4000:
				payload.encode_u32(0, seq)
				if not Steam.sendP2PPacket(to, payload, Steam.P2P_SEND_RELIABLE, 0):
					break
				seq += 1
			for i in 50:
				Steam.sendP2PPacket(to, payload, Steam.P2P_SEND_UNRELIABLE, 1)
		"trickle":
			if Time.get_ticks_msec() >= next_trickle_ms:
				next_trickle_ms = Time.get_ticks_msec() + 50
				payload.encode_u32(0, seq)
				payload.encode_double(8, Time.get_unix_time_from_system())
				Steam.sendP2PPacket(to, payload, Steam.P2P_SEND_RELIABLE, 0)
				seq += 1
	return false
