## Multiplayer demo of the `Steam` lobby API and `SteamMultiplayerPeer`: the
## players find each other through a lobby, then play over Godot's high-level
## multiplayer. The lobby owner hosts (`host_with_lobby`: only members may
## connect), the members connect (`connect_to_lobby`); each player's dot is
## spawned by the host's MultiplayerSpawner and replicated by its
## MultiplayerSynchronizer (player.tscn), the chat and the pings are RPCs,
## and a panel shows the lobby, its members, the multiplayer peers, the
## P2P sessions and, on the local backend, the simulated network conditions.
## It uses only the public API, as a game would.
##
## Start: real Steam when the client runs; otherwise the local backend (two
## instances on this machine). Each instance looks for a demo lobby and joins
## it, or creates one when there is none (two lonely lobbies merge: the
## player alone in the newer one moves to the older). When the owner leaves,
## Steam picks a new owner, who hosts, and the others connect to it.
## To play it as over the internet, start it with simulated conditions, e.g.
## `STEAM_NETWORKING_LOCAL_LAG_MS=150 STEAM_NETWORKING_LOCAL_LOSS_PERCENT=5
## scripts/demo` (or the steam_networking/local/* project settings).
## User arguments (after `--`):
##   --host                 create the lobby at once instead of looking first
##   --scripted             headless game: send CHAT_COUNT chat RPCs and
##                          PING_COUNT ping RPCs to every peer, check that
##                          theirs arrived and their dots moved, print a
##                          summary, exit 0 only if everything arrived
##   --peers=<n>            in scripted mode, how many peers to wait for (1)
##   --screenshot=<path>    once a peer is connected and has moved, save the
##                          window to a PNG and quit
##   --verbose              also print the chat and event lines, and the
##                          panel every 3 s (for headless runs)
extends Node2D

const CHAT_COUNT := 20
const PING_COUNT := 20
## Replicated position changes of each other dot that scripted mode wants.
const MIN_DOT_MOVES := 5
const SCRIPT_TIMEOUT_MS := 30000
## The lobby data that marks a demo lobby in the lobby list.
const LOBBY_KEY := "demo"
const LOBBY_VALUE := "steam_networking"
## Lists without a demo lobby before an instance creates its own.
const LISTS_BEFORE_HOSTING := 3
## How long before a failed or lost connection is tried again.
const RETRY_MS := 1000
const PLAYER_SCENE := preload("res://player.tscn")
const STATUS_NAMES := ["disconnected", "connecting", "connected"]

var mode_note := ""
var lobby_id := 0
## Whether this instance makes its own lobby (it still looks for an older
## one while it is alone in it).
var hosting := false
var _empty_lists := 0
var _next_list_ms := 0
var scripted := false
var expected_peers := 1
var screenshot_path := ""
var chat_lines: Array[String] = []
var _started_ms := 0
var _screenshot_taken := false
var verbose := false
var _next_print_ms := 0

## The high-level peer of the lobby we are in (null until we are in one).
var peer: SteamMultiplayerPeer
var _peer_lobby := 0
var _peer_owner := 0
var _peer_is_host := false
var _next_network_check_ms := 0
var _next_ping_ms := 0
## Peer id -> Steam ID as the host told it (spawn data): a client's peer
## only knows the host's.
var steam_ids := {}
## Per remote peer id: chats and pongs received, round trips, done.
var peer_stats := {}
var _sent_script := false
var _finished := false

@onready var _players: Node2D = $Players
@onready var _spawner: MultiplayerSpawner = $Spawner
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
		elif arg == "--verbose":
			verbose = true
	if DisplayServer.get_name() == "headless":
		Engine.max_fps = 60 # headless frames are otherwise unpaced
	_build_ui()
	_spawner.spawn_function = _spawn_player
	multiplayer.peer_connected.connect(_on_peer_connected)
	multiplayer.peer_disconnected.connect(_on_peer_disconnected)
	multiplayer.connected_to_server.connect(_on_connected_to_server)
	multiplayer.connection_failed.connect(_on_connection_failed)
	multiplayer.server_disconnected.connect(_on_server_disconnected)
	_start_steam()
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
	for line in _conditions_lines():
		print("demo: ", line.strip_edges())


func _process(_delta: float) -> void:
	Steam.run_callbacks()
	var now := Time.get_ticks_msec()
	if now >= _next_list_ms and ((lobby_id == 0 and not hosting) or _alone_in_lobby()):
		_next_list_ms = now + 1000
		Steam.addRequestLobbyListStringFilter(LOBBY_KEY, LOBBY_VALUE, Steam.LOBBY_COMPARISON_EQUAL)
		Steam.requestLobbyList()
	_update_network(now)
	if verbose and now >= _next_print_ms:
		_next_print_ms = now + 3000
		print("demo %s: panel\n%s" % [Steam.getPersonaName(), _panel.text])
	if not scripted and now >= _next_ping_ms and _connected():
		_next_ping_ms = now + 1000
		for id in multiplayer.get_peers():
			ping.rpc_id(id, Time.get_ticks_usec())
	if scripted:
		_run_script(now)
	_update_panel()


# --- the lobby: finding each other ---------------------------------------

func _lobby_members() -> Array[int]:
	var members: Array[int] = []
	if lobby_id == 0:
		return members
	for i in Steam.getNumLobbyMembers(lobby_id):
		members.append(Steam.getLobbyMemberByIndex(lobby_id, i))
	return members


func _alone_in_lobby() -> bool:
	return lobby_id != 0 and Steam.getNumLobbyMembers(lobby_id) == 1


func _name(steam_id: int) -> String:
	var name := Steam.getFriendPersonaName(steam_id)
	return name if name != "" else str(steam_id)


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
	_next_network_check_ms = 0 # host or connect now


func _on_lobby_match_list(lobbies: Array) -> void:
	var others := lobbies.filter(func(l): return l != lobby_id)
	if lobby_id == 0 and hosting:
		return # our own lobby is on its way
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
	else:
		_add_chat("* %s left the lobby" % _name(changed))
		_next_network_check_ms = 0 # the owner may have changed
		# Lobby membership is the truth: a player who left the lobby leaves the
		# game now (the P2P session would only time out later).
		if _peer_is_host and _connected():
			var gone := peer.get_peer_id_for_steam_id(changed)
			if gone > 1:
				peer.disconnect_peer(gone)


# --- the game: high-level multiplayer over the lobby -----------------------

## Keeps the peer in step with the lobby: its owner hosts, the others are
## clients of the owner. (Re)starts the peer when we moved lobbies, the owner
## changed, or the connection failed or ended.
func _update_network(now: int) -> void:
	if lobby_id == 0 or _finished or now < _next_network_check_ms:
		return
	_next_network_check_ms = now + 250
	var owner := Steam.getLobbyOwner(lobby_id)
	if owner == 0:
		return
	var want_host := owner == Steam.getSteamID()
	if peer != null and _peer_lobby == lobby_id and _peer_owner == owner \
			and _peer_is_host == want_host \
			and peer.get_connection_status() != MultiplayerPeer.CONNECTION_DISCONNECTED:
		return
	_next_network_check_ms = now + RETRY_MS
	_stop_peer()
	peer = SteamMultiplayerPeer.new()
	var err := peer.host_with_lobby(lobby_id) if want_host else peer.connect_to_lobby(lobby_id)
	if err != OK:
		_add_chat("* %s failed: %s" % ["host_with_lobby" if want_host else "connect_to_lobby", error_string(err)])
		peer = null
		return
	_peer_lobby = lobby_id
	_peer_owner = owner
	_peer_is_host = want_host
	multiplayer.multiplayer_peer = peer
	if want_host:
		_add_chat("* hosting the game for the lobby")
		_spawner.spawn([1, Steam.getSteamID()])
	else:
		_add_chat("* connecting to %s's game..." % _name(owner))


## Tells the others we are leaving (Godot does not close the peer at exit).
func _exit_tree() -> void:
	if peer != null:
		peer.close()
		peer = null


func _stop_peer() -> void:
	if peer != null:
		peer.close()
		peer = null
	multiplayer.multiplayer_peer = OfflineMultiplayerPeer.new()
	_clear_players()


func _clear_players() -> void:
	for player in _players.get_children():
		_players.remove_child(player)
		player.queue_free()


func _connected() -> bool:
	return peer != null and peer.get_connection_status() == MultiplayerPeer.CONNECTION_CONNECTED


## What the host's spawner makes on every peer: `data` is [peer id, Steam ID].
func _spawn_player(data: Variant) -> Node:
	var id: int = data[0]
	var player := PLAYER_SCENE.instantiate()
	player.name = str(id)
	player.peer_id = id
	player.steam_id = data[1]
	player.circling = scripted or screenshot_path != "" or _screenshot_taken
	player.set_multiplayer_authority(id)
	steam_ids[id] = data[1]
	return player


func _on_peer_connected(id: int) -> void:
	_stats(id)
	if multiplayer.is_server():
		_spawner.spawn([id, peer.get_steam_id_for_peer_id(id)])
	_add_chat("* %s joined the game" % _peer_label(id))
	if screenshot_path != "":
		chat.rpc("hi %s, this is %s!" % [_peer_name(id), Steam.getPersonaName()])


func _on_peer_disconnected(id: int) -> void:
	_add_chat("* %s left the game" % _peer_label(id))
	if multiplayer.is_server():
		var player := _players.get_node_or_null(str(id))
		if player:
			player.queue_free()
	steam_ids.erase(id)


func _on_connected_to_server() -> void:
	_add_chat("* connected as peer %d" % multiplayer.get_unique_id())


func _on_connection_failed() -> void:
	_add_chat("* could not connect to the host; trying again")


func _on_server_disconnected() -> void:
	_add_chat("* the host left the game")
	_clear_players()


## The Steam ID behind a peer id: the peer knows its own, the host's and (on
## the host) everyone's; a client learns the others' from the spawn data.
func _steam_id_of(id: int) -> int:
	var steam_id := peer.get_steam_id_for_peer_id(id) if peer != null else 0
	return steam_id if steam_id != 0 else steam_ids.get(id, 0)


func _peer_name(id: int) -> String:
	var steam_id := _steam_id_of(id)
	return _name(steam_id) if steam_id != 0 else "peer %d" % id


## "Name (peer id)", or "peer id" while the name is unknown.
func _peer_label(id: int) -> String:
	var steam_id := _steam_id_of(id)
	return "%s (peer %d)" % [_name(steam_id), id] if steam_id != 0 else "peer %d" % id


func _stats(id: int) -> Dictionary:
	if not peer_stats.has(id):
		peer_stats[id] = {"chats": 0, "pongs": 0, "rtts": [], "done": false, "said_done": false}
	return peer_stats[id]


@rpc("any_peer", "call_local", "reliable")
func chat(text: String) -> void:
	var from := multiplayer.get_remote_sender_id()
	if from != multiplayer.get_unique_id():
		_stats(from)["chats"] += 1
	_add_chat("%s: %s" % [_peer_name(from), text.left(200)])


@rpc("any_peer", "call_remote", "reliable")
func ping(sent_usec: int) -> void:
	pong.rpc_id(multiplayer.get_remote_sender_id(), sent_usec)


@rpc("any_peer", "call_remote", "reliable")
func pong(sent_usec: int) -> void:
	var stats := _stats(multiplayer.get_remote_sender_id())
	stats["pongs"] += 1
	stats["rtts"].append((Time.get_ticks_usec() - sent_usec) / 1000.0)


## Scripted mode: the sender got everything it waited for from us.
@rpc("any_peer", "call_remote", "reliable")
func script_done() -> void:
	_stats(multiplayer.get_remote_sender_id())["done"] = true


func send_chat(text: String) -> void:
	if text.strip_edges().is_empty():
		return
	if _connected():
		chat.rpc(text)
	else:
		_add_chat("* not connected yet")


func _dot_moves(id: int) -> int:
	var player := _players.get_node_or_null(str(id))
	return player.moves if player else 0


# --- scripted mode ----------------------------------------------------------

func _run_script(now: int) -> void:
	var others := multiplayer.get_peers() if _connected() else PackedInt32Array()
	# Start once every player's dot is here (the spawns have arrived).
	if not _sent_script and others.size() >= expected_peers \
			and Array(others).all(func(id): return _players.has_node(str(id))):
		_sent_script = true
		for i in CHAT_COUNT:
			chat.rpc("message %d from %s" % [i, Steam.getPersonaName()])
		for id in others:
			for i in PING_COUNT:
				ping.rpc_id(id, Time.get_ticks_usec())
	var complete := _sent_script
	for id in others:
		var stats := _stats(id)
		var mine_done: bool = stats["chats"] >= CHAT_COUNT and stats["pongs"] >= PING_COUNT \
				and _dot_moves(id) >= MIN_DOT_MOVES
		if mine_done and not stats["said_done"]:
			stats["said_done"] = true
			script_done.rpc_id(id)
		complete = complete and mine_done and stats["done"]
	if complete:
		_finish(true)
	elif now - _started_ms > SCRIPT_TIMEOUT_MS:
		_finish(false)


func _finish(ok: bool) -> void:
	_finished = true
	set_process(false)
	var problems: Array[String] = []
	var me := multiplayer.get_unique_id() if _connected() else 0
	for id in peer_stats:
		var stats: Dictionary = peer_stats[id]
		var rtts: Array = stats["rtts"].duplicate()
		rtts.sort()
		var median: float = rtts[rtts.size() / 2] if rtts else -1.0
		var worst: float = rtts[-1] if rtts else -1.0
		print("demo summary: me=%d (peer %d) peer=%d (peer %d) chats sent=%d received=%d/%d pongs=%d/%d rtt median=%.2f ms max=%.2f ms dot moves=%d" % [
			Steam.getSteamID(), me, _steam_id_of(id), id, CHAT_COUNT if _sent_script else 0,
			stats["chats"], CHAT_COUNT, stats["pongs"], PING_COUNT, median, worst, _dot_moves(id)])
		if stats["chats"] < CHAT_COUNT:
			problems.append("%d/%d chats from peer %d" % [stats["chats"], CHAT_COUNT, id])
		if stats["pongs"] < PING_COUNT:
			problems.append("%d/%d pongs from peer %d" % [stats["pongs"], PING_COUNT, id])
		if _dot_moves(id) < MIN_DOT_MOVES:
			problems.append("peer %d's dot moved %d times" % [id, _dot_moves(id)])
		if not stats["done"]:
			problems.append("peer %d never said it got everything" % id)
	var seen := multiplayer.get_peers().size() if _connected() else 0
	if seen < expected_peers:
		print("demo summary: me=%d connected to %d of %d peers (status %s)" % [
			Steam.getSteamID(), seen, expected_peers,
			STATUS_NAMES[peer.get_connection_status()] if peer else "no peer"])
		problems.append("connected to %d of %d peers" % [seen, expected_peers])
	if ok:
		print("demo OK: every message arrived")
	else:
		print("demo FAILED: %s" % (", ".join(problems) if problems else "timed out"))
	# Let our last RPCs (script_done) leave before the sessions go away.
	await get_tree().create_timer(0.5).timeout
	_stop_peer()
	Steam.steamShutdown()
	get_tree().quit(0 if ok else 1)


# --- the panel and the chat -------------------------------------------------

func _update_panel() -> void:
	var lines := [mode_note, "me: %s (%d)" % [Steam.getPersonaName(), Steam.getSteamID()]]
	lines.append_array(_conditions_lines())
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
			lines.append("  %s: no P2P session" % _name(id))
			continue
		var ip: int = s["remote_ip"]
		lines.append("  %s: P2P %s, relay %s, queued %d B, %d.%d.%d.%d:%d" % [
			_name(id), "active" if s["connection_active"] else ("connecting" if s["connecting"] else "idle"),
			s["using_relay"], s["bytes_queued_for_send"],
			ip >> 24 & 255, ip >> 16 & 255, ip >> 8 & 255, ip & 255, s["remote_port"]])
	if peer == null:
		lines.append("multiplayer: offline")
	else:
		lines.append("multiplayer: %s, peer id %d, %s" % [
			"host" if _peer_is_host else "client", peer.get_unique_id(),
			STATUS_NAMES[peer.get_connection_status()]])
		for id in multiplayer.get_peers() if _connected() else []:
			var stats := _stats(id)
			var rtt: String = " rtt %.1f ms" % stats["rtts"][-1] if stats["rtts"] else ""
			var steam_id := peer.get_steam_id_for_peer_id(id)
			var who := "%s (%d)" % [_name(steam_id), steam_id]
			if steam_id == 0: # another client: reached through the host
				steam_id = _steam_id_of(id)
				who = "%s (%d), through the host" % [_name(steam_id), steam_id] if steam_id != 0 \
						else "through the host"
			lines.append("  peer %d: %s%s" % [id, who, rtt])
	_panel.text = "\n".join(lines)
	if screenshot_path != "" and _connected() and not multiplayer.get_peers().is_empty() \
			and chat_lines.size() >= 3 and Time.get_ticks_msec() - _started_ms > 4000 \
			and Array(multiplayer.get_peers()).all(func(id): return _dot_moves(id) >= 3):
		var image := get_viewport().get_texture().get_image()
		image.save_png(screenshot_path)
		print("demo: saved ", screenshot_path)
		screenshot_path = ""
		_screenshot_taken = true
		get_tree().create_timer(1.0).timeout.connect(func(): get_tree().quit())


## What the local backend simulates, for the panel (nothing on Steam).
func _conditions_lines() -> Array[String]:
	var conditions: Dictionary = Steam.getLocalNetworkConditions()
	if conditions.is_empty():
		return []
	var lines: Array[String] = ["network: sends %s" % conditions["send"]["summary"]]
	if conditions["receive"]["summary"] != "none":
		lines.append("         receives %s" % conditions["receive"]["summary"])
	return lines


func _add_chat(line: String) -> void:
	if verbose:
		print("demo %s: %s" % [Steam.getPersonaName(), line])
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
