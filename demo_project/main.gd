## Two-player demo of the `Steam` P2P API: the players find each other
## through a lobby, each player's cursor is a dot the others see, plus a chat
## line and a panel with the lobby, its members, live session state and
## traffic. It uses only the public API, as a game would.
##
## Start: real Steam when the client runs; otherwise the local backend (two
## instances on this machine). Each instance looks for a demo lobby and joins
## it, or creates one when there is none (two lonely lobbies merge: the
## player alone in the newer one moves to the older). User arguments (after `--`):
##   --host                 create the lobby at once instead of looking first
##   --scripted             headless conversation: send CHAT_COUNT messages
##                          and PING_COUNT pings to every peer, print a
##                          summary, exit 0 only if everything arrived
##   --peers=<n>            in scripted mode, how many peers to wait for (1)
##   --screenshot=<path>    once a peer is connected and has moved, save the
##                          window to a PNG and quit
extends Node2D

const CHANNEL_RELIABLE := 0
const CHANNEL_CURSOR := 1
const CHAT_COUNT := 20
const PING_COUNT := 20
const SCRIPT_TIMEOUT_MS := 30000
const COLORS := [Color.DODGER_BLUE, Color.ORANGE_RED, Color.LIME_GREEN, Color.GOLD, Color.VIOLET]
## The lobby data that marks a demo lobby in the lobby list.
const LOBBY_KEY := "demo"
const LOBBY_VALUE := "steam_networking"
## Lists without a demo lobby before an instance creates its own.
const LISTS_BEFORE_HOSTING := 3

## Peers we have heard from: id -> {pos, chats, pongs, rtts, done}
var peers := {}
var mode_note := ""
var lobby_id := 0
var hosting := false
var _empty_lists := 0
var _next_list_ms := 0
var scripted := false
var expected_peers := 1
var screenshot_path := ""
var chat_lines: Array[String] = []
var stats := {"in_packets": 0, "in_bytes": 0, "out_packets": 0, "out_bytes": 0}
var rates := {"in_packets": 0, "in_bytes": 0, "out_packets": 0, "out_bytes": 0}
var _stats_at_last_second := stats.duplicate()
var _next_second_ms := 0
var _next_cursor_ms := 0
var _started_ms := 0
var _sent_chats := false
var _screenshot_taken := false

var _panel: Label
var _chat_log: Label
var _chat_input: LineEdit


func _ready() -> void:
	for arg in OS.get_cmdline_user_args():
		if arg == "--host":
			hosting = true
		elif arg == "--scripted":
			scripted = true
		elif arg.begins_with("--peers="):
			expected_peers = int(arg.trim_prefix("--peers="))
		elif arg.begins_with("--screenshot="):
			screenshot_path = arg.trim_prefix("--screenshot=")
	_build_ui()
	_start_steam()
	Steam.p2p_session_request.connect(_on_session_request)
	Steam.p2p_session_connect_fail.connect(_on_connect_fail)
	Steam.lobby_created.connect(_on_lobby_created)
	Steam.lobby_joined.connect(_on_lobby_joined)
	Steam.lobby_match_list.connect(_on_lobby_match_list)
	Steam.lobby_chat_update.connect(_on_lobby_chat_update)
	_started_ms = Time.get_ticks_msec()
	if hosting:
		Steam.createLobby(Steam.LOBBY_TYPE_PUBLIC, 4)


func _start_steam() -> void:
	var app_id: int = ProjectSettings.get_setting("steam/initialization/app_data/app_id", 480)
	var init: Dictionary = Steam.steamInitEx(app_id, false)
	if init["status"] == Steam.STEAM_API_INIT_RESULT_OK:
		mode_note = init["verbal"]
	else:
		# No Steam client: play between instances on this machine instead.
		print("demo: Steam did not start (%s)" % init["verbal"])
		ProjectSettings.set_setting("steam_networking/backend", "local")
		init = Steam.steamInitEx(app_id, false)
		mode_note = "Steam client not found. %s" % init["verbal"]
	if init["status"] != Steam.STEAM_API_INIT_RESULT_OK:
		mode_note = "Networking unavailable: %s" % init["verbal"]
		push_error(mode_note)
	print("demo: ", mode_note)


func _process(_delta: float) -> void:
	Steam.run_callbacks()
	_read_all()
	var now := Time.get_ticks_msec()
	if now >= _next_cursor_ms:
		_next_cursor_ms = now + 33
		var pos := _my_position()
		var data := PackedByteArray([77])
		data.resize(9)
		data.encode_float(1, pos.x)
		data.encode_float(5, pos.y)
		for id in peers:
			_send(id, data, Steam.P2P_SEND_UNRELIABLE, CHANNEL_CURSOR)
	if now >= _next_list_ms and (lobby_id == 0 or _alone_in_lobby()) and not hosting:
		_next_list_ms = now + 1000
		Steam.addRequestLobbyListStringFilter(LOBBY_KEY, LOBBY_VALUE, Steam.LOBBY_COMPARISON_EQUAL)
		Steam.requestLobbyList()
	if now >= _next_second_ms:
		_next_second_ms = now + 1000
		for key in stats:
			rates[key] = stats[key] - _stats_at_last_second[key]
		_stats_at_last_second = stats.duplicate()
	if scripted:
		_run_script(now)
	_update_panel()
	queue_redraw()


func _send(id: int, data: PackedByteArray, send_type := Steam.P2P_SEND_RELIABLE, channel := CHANNEL_RELIABLE) -> void:
	if Steam.sendP2PPacket(id, data, send_type, channel):
		stats["out_packets"] += 1
		stats["out_bytes"] += data.size()


func _read_all() -> void:
	for channel in [CHANNEL_RELIABLE, CHANNEL_CURSOR]:
		var size := Steam.getAvailableP2PPacketSize(channel)
		while size > 0:
			var packet := Steam.readP2PPacket(size, channel)
			if not packet.is_empty():
				stats["in_packets"] += 1
				stats["in_bytes"] += packet["data"].size()
				_handle(packet["remote_steam_id"], packet["data"])
			size = Steam.getAvailableP2PPacketSize(channel)


func _peer(id: int) -> Dictionary:
	if not peers.has(id):
		peers[id] = {"pos": Vector2(-100, -100), "chats": 0, "pongs": 0, "rtts": [], "done": false}
		_add_chat("* talking with %s" % _name(id))
		_send(id, "H".to_utf8_buffer())
		if screenshot_path != "":
			send_chat("hi %s, this is %s!" % [_name(id), Steam.getPersonaName()])
	return peers[id]


func _handle(id: int, data: PackedByteArray) -> void:
	var peer := _peer(id)
	match data[0]:
		72: # H: hello (answered by _peer the first time)
			pass
		67: # C: chat
			peer["chats"] += 1
			_add_chat("%s: %s" % [_name(id), data.slice(1).get_string_from_utf8()])
		80: # P: ping; answer with the same timestamp
			var pong := data.duplicate()
			pong[0] = 81
			_send(id, pong)
		81: # Q: pong
			peer["pongs"] += 1
			peer["rtts"].append((Time.get_ticks_usec() - data.decode_u64(1)) / 1000.0)
		77: # M: cursor
			if data.size() == 9:
				peer["pos"] = Vector2(data.decode_float(1), data.decode_float(5))
		68: # D: the peer got everything from us
			peer["done"] = true


## Sessions from members of our lobby only, as GodotSteam's tutorials do.
func _on_session_request(id: int) -> void:
	if _lobby_members().has(id):
		Steam.acceptP2PSessionWithUser(id)


func _lobby_members() -> Array[int]:
	var members: Array[int] = []
	if lobby_id == 0:
		return members
	for i in Steam.getNumLobbyMembers(lobby_id):
		members.append(Steam.getLobbyMemberByIndex(lobby_id, i))
	return members


func _alone_in_lobby() -> bool:
	return lobby_id != 0 and Steam.getNumLobbyMembers(lobby_id) == 1


func _name(id: int) -> String:
	var name := Steam.getFriendPersonaName(id)
	return name if name != "" else str(id)


func _on_lobby_created(result: int, id: int) -> void:
	if result != Steam.RESULT_OK:
		_add_chat("* could not create a lobby (result %d)" % result)
		return
	Steam.setLobbyData(id, LOBBY_KEY, LOBBY_VALUE)
	Steam.setLobbyData(id, "name", "%s's room" % Steam.getPersonaName())


func _on_lobby_joined(id: int, _permissions: int, _locked: bool, response: int) -> void:
	if response != Steam.CHAT_ROOM_ENTER_RESPONSE_SUCCESS:
		_add_chat("* could not join lobby %d (response %d)" % [id, response])
		return
	if lobby_id != 0 and lobby_id != id:
		Steam.leaveLobby(lobby_id)
	lobby_id = id
	_add_chat("* in lobby %d" % id)
	for member in _lobby_members():
		if member != Steam.getSteamID():
			_peer(member)


func _on_lobby_match_list(lobbies: Array) -> void:
	var others := lobbies.filter(func(l): return l != lobby_id)
	if lobby_id == 0:
		if not others.is_empty():
			Steam.joinLobby(others[0])
		else:
			_empty_lists += 1
			if _empty_lists >= LISTS_BEFORE_HOSTING:
				hosting = true
				Steam.createLobby(Steam.LOBBY_TYPE_PUBLIC, 4)
	elif _alone_in_lobby():
		# Two players who each made a lobby: the one in the newer moves.
		var older := others.filter(func(l): return l < lobby_id)
		if not older.is_empty():
			Steam.joinLobby(older.min())


func _on_lobby_chat_update(id: int, changed: int, _making_change: int, state: int) -> void:
	if id != lobby_id:
		return
	if state & Steam.CHAT_MEMBER_STATE_CHANGE_ENTERED:
		_add_chat("* %s entered the lobby" % _name(changed))
	elif peers.has(changed):
		_add_chat("* %s left the lobby" % _name(changed))
		peers.erase(changed)


func _on_connect_fail(id: int, error: int) -> void:
	if peers.has(id):
		_add_chat("* %s left (session error %d)" % [_name(id), error])
		peers.erase(id)


func send_chat(text: String) -> void:
	if text.strip_edges().is_empty():
		return
	var data := "C".to_utf8_buffer() + text.to_utf8_buffer()
	for id in peers:
		_send(id, data)
	_add_chat("me: %s" % text)


func _run_script(now: int) -> void:
	if peers.size() >= expected_peers and not _sent_chats:
		_sent_chats = true
		for id in peers:
			for i in CHAT_COUNT:
				_send(id, ("C" + "message %d from %d" % [i, Steam.getSteamID()]).to_utf8_buffer())
			for i in PING_COUNT:
				var ping := PackedByteArray([80])
				ping.resize(9)
				ping.encode_u64(1, Time.get_ticks_usec())
				_send(id, ping)
	var complete := _sent_chats
	for id in peers:
		var peer: Dictionary = peers[id]
		var mine_done: bool = peer["chats"] >= CHAT_COUNT and peer["pongs"] >= PING_COUNT
		if mine_done and not peer.get("said_done", false):
			peer["said_done"] = true
			_send(id, "D".to_utf8_buffer())
		complete = complete and mine_done and peer["done"]
	if complete:
		_finish(true)
	elif now - _started_ms > SCRIPT_TIMEOUT_MS:
		_finish(false)


func _finish(ok: bool) -> void:
	for id in peers:
		var peer: Dictionary = peers[id]
		var rtts: Array = peer["rtts"].duplicate()
		rtts.sort()
		var median: float = rtts[rtts.size() / 2] if rtts else -1.0
		var worst: float = rtts[-1] if rtts else -1.0
		print("demo summary: me=%d peer=%d chat sent=%d received=%d/%d pings=%d/%d rtt median=%.2f ms max=%.2f ms" % [
			Steam.getSteamID(), id, CHAT_COUNT if _sent_chats else 0, peer["chats"], CHAT_COUNT,
			peer["pongs"], PING_COUNT, median, worst])
	if peers.size() < expected_peers:
		print("demo summary: me=%d saw %d of %d peers" % [Steam.getSteamID(), peers.size(), expected_peers])
	print("demo %s" % ("OK: every message arrived" if ok else "FAILED: messages missing"))
	# Let our last packets ("D") leave before the session goes away.
	set_process(false)
	await get_tree().create_timer(0.5).timeout
	Steam.steamShutdown()
	get_tree().quit(0 if ok else 1)


func _draw() -> void:
	var index := 0
	for id in peers:
		index += 1
		var pos: Vector2 = peers[id]["pos"]
		draw_circle(pos, 12, COLORS[index % COLORS.size()])
		draw_string(ThemeDB.fallback_font, pos + Vector2(14, 5), _name(id), HORIZONTAL_ALIGNMENT_LEFT, -1, 12)
	draw_circle(_my_position(), 8, COLORS[0])
	draw_string(ThemeDB.fallback_font, _my_position() + Vector2(10, 5), "me", HORIZONTAL_ALIGNMENT_LEFT, -1, 12)


## The mouse; without a player (scripted or screenshot runs), a circling dot.
func _my_position() -> Vector2:
	if not scripted and screenshot_path == "" and not _screenshot_taken:
		return get_global_mouse_position()
	var t := Time.get_ticks_msec() / 700.0 + Steam.getSteamID() % 7
	return Vector2(420 + 150 * sin(t), 200 + 90 * cos(t))


func _update_panel() -> void:
	var lines := [mode_note, "me: %s (%d)" % [Steam.getPersonaName(), Steam.getSteamID()]]
	if lobby_id == 0:
		lines.append("lobby: looking for one...")
	else:
		lines.append("lobby: %s (%d), %d/%d members, owner %s" % [
			Steam.getLobbyData(lobby_id, "name"), lobby_id, Steam.getNumLobbyMembers(lobby_id),
			Steam.getLobbyMemberLimit(lobby_id), _name(Steam.getLobbyOwner(lobby_id))])
	for id in _lobby_members():
		if id == Steam.getSteamID():
			continue
		var s: Dictionary = Steam.getP2PSessionState(id)
		if s.is_empty():
			lines.append("  %s: no session yet" % _name(id))
			continue
		var ip: int = s["remote_ip"]
		lines.append("  %s: %s, relay %s, queued %d B / %d pkts, %d.%d.%d.%d:%d" % [
			_name(id), "active" if s["connection_active"] else ("connecting" if s["connecting"] else "idle"),
			s["using_relay"], s["bytes_queued_for_send"], s["packets_queued_for_send"],
			ip >> 24 & 255, ip >> 16 & 255, ip >> 8 & 255, ip & 255, s["remote_port"]])
	lines.append("in: %d pkt/s, %d B/s   out: %d pkt/s, %d B/s" % [
		rates["in_packets"], rates["in_bytes"], rates["out_packets"], rates["out_bytes"]])
	_panel.text = "\n".join(lines)
	if screenshot_path != "" and peers.size() > 0 and chat_lines.size() >= 3 and Time.get_ticks_msec() - _started_ms > 4000:
		var image := get_viewport().get_texture().get_image()
		image.save_png(screenshot_path)
		print("demo: saved ", screenshot_path)
		screenshot_path = ""
		_screenshot_taken = true
		get_tree().create_timer(1.0).timeout.connect(func(): get_tree().quit())


func _add_chat(line: String) -> void:
	chat_lines.append(line)
	if chat_lines.size() > 8:
		chat_lines.pop_front()
	if _chat_log:
		_chat_log.text = "\n".join(chat_lines)


func _build_ui() -> void:
	var layer := CanvasLayer.new()
	add_child(layer)
	_panel = Label.new()
	_panel.position = Vector2(8, 8)
	_panel.add_theme_font_size_override("font_size", 12)
	layer.add_child(_panel)
	_chat_log = Label.new()
	_chat_log.position = Vector2(8, 300)
	_chat_log.add_theme_font_size_override("font_size", 12)
	layer.add_child(_chat_log)
	_chat_input = LineEdit.new()
	_chat_input.placeholder_text = "chat: type and press Enter"
	_chat_input.position = Vector2(8, 440)
	_chat_input.size = Vector2(340, 30)
	_chat_input.text_submitted.connect(func(text): send_chat(text); _chat_input.clear())
	layer.add_child(_chat_input)
	var invite_button := Button.new()
	invite_button.text = "Invite friends"
	invite_button.position = Vector2(356, 440)
	invite_button.pressed.connect(func():
		if lobby_id != 0:
			Steam.activateGameOverlayInviteDialog(lobby_id))
	layer.add_child(invite_button)
