## The far end of tests/godot/suites/test_local_conditions.gd: a game
## instance whose network conditions come from the environment (inherited
## from the suite) or from commands, and which measures what arrives.
## Channels: 0 commands and answers (reliable), 1 numbered unreliable
## packets it counts, 2 pings it echoes unreliably, 3 reliable packets it
## echoes reliably, 4 bulk bytes whose arrival times it notes.
## Commands: "cmd:quit", "cmd:sync" (answers "sync"), "cmd:reset" (forgets
## the counts; answers "reset"), "cmd:count" (answers "count:<distinct>:
## <duplicates>:<out of order>"), "cmd:rate" (answers "rate:<bytes after the
## first packet>:<microseconds from first to last>:<last one's arrival, Unix
## time in seconds>"), "cmd:set:<config>:
## <i|f>:<value>" (setGlobalConfigValueInt32/Float; answers "set:true" or
## "set:false").
extends SceneTree

const LIFETIME_MS := 90000
const DATA_CHANNELS := [1, 2, 3, 4]

var seen := {}
var duplicates := 0
var out_of_order := 0
var highest := -1
var bulk_bytes := 0
var bulk_first_us := 0
var bulk_last_us := 0
var bulk_last_unix := 0.0


func _initialize() -> void:
	var init: Dictionary = Steam.steamInitEx()
	if init.get("status") != Steam.STEAM_API_INIT_RESULT_OK:
		printerr("conditions_peer: init failed: %s" % init)
		quit(2)
		return
	Steam.p2p_session_request.connect(func(id: int): Steam.acceptP2PSessionWithUser(id))
	# Headless Godot naps 6.9 ms between frames (no window to draw); a game
	# polls every frame at its frame rate, and round trips are measured here.
	OS.low_processor_usage_mode_sleep_usec = 200
	print("conditions_peer: up as %d, simulating %s" % [Steam.getSteamID(), Steam.getLocalNetworkConditions()])


func _process(_delta: float) -> bool:
	if Time.get_ticks_msec() > LIFETIME_MS:
		printerr("conditions_peer: lifetime over, quitting")
		return true
	Steam.run_callbacks()
	# Data first: a command that asks for counts then sees every packet
	# that arrived with it.
	for channel in DATA_CHANNELS:
		var size := Steam.getAvailableP2PPacketSize(channel)
		while size > 0:
			_on_data(Steam.readP2PPacket(size, channel), channel)
			size = Steam.getAvailableP2PPacketSize(channel)
	var size := Steam.getAvailableP2PPacketSize(0)
	while size > 0:
		var packet := Steam.readP2PPacket(size, 0)
		if _on_command(packet["data"].get_string_from_ascii(), packet["remote_steam_id"]):
			return true
		size = Steam.getAvailableP2PPacketSize(0)
	return false


func _on_data(packet: Dictionary, channel: int) -> void:
	var data: PackedByteArray = packet["data"]
	var sender: int = packet["remote_steam_id"]
	match channel:
		1:
			var n := data.decode_u32(0)
			if seen.has(n):
				duplicates += 1
			else:
				seen[n] = true
				if n < highest:
					out_of_order += 1
				highest = max(highest, n)
		2:
			Steam.sendP2PPacket(sender, data, Steam.P2P_SEND_UNRELIABLE, 2)
		3:
			Steam.sendP2PPacket(sender, data, Steam.P2P_SEND_RELIABLE, 3)
		4:
			var now := Time.get_ticks_usec()
			if bulk_first_us == 0:
				bulk_first_us = now
			else:
				bulk_bytes += data.size()
			bulk_last_us = now
			bulk_last_unix = Time.get_unix_time_from_system()


## Returns true to quit.
func _on_command(text: String, sender: int) -> bool:
	var answer := ""
	if text == "cmd:quit":
		return true
	elif text == "cmd:sync":
		answer = "sync"
	elif text == "cmd:reset":
		seen.clear()
		duplicates = 0
		out_of_order = 0
		highest = -1
		bulk_bytes = 0
		bulk_first_us = 0
		bulk_last_us = 0
		answer = "reset"
	elif text == "cmd:count":
		answer = "count:%d:%d:%d" % [seen.size(), duplicates, out_of_order]
	elif text == "cmd:rate":
		answer = "rate:%d:%d:%.6f" % [bulk_bytes, bulk_last_us - bulk_first_us, bulk_last_unix]
	elif text.begins_with("cmd:set:"):
		var parts := text.split(":")
		var config := int(parts[2])
		var ok: bool = Steam.setGlobalConfigValueInt32(config, int(parts[4])) if parts[3] == "i" \
			else Steam.setGlobalConfigValueFloat(config, float(parts[4]))
		answer = "set:%s" % ok
	else:
		printerr("conditions_peer: unknown command %s" % text)
		return false
	Steam.sendP2PPacket(sender, answer.to_ascii_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	return false
