## A lobby member for test_p2p_lobbies.gd, driven by lobby chat. Arguments
## (after `--`): `--find=<mode>` lists lobbies whose `mode` is that (with a
## free slot) and joins the first one; `--join=<lobby id>` joins that one;
## `--ping-first=<steam id>` first sends that user a P2P packet and joins
## only once the session is gone again (closed by the other side).
##
## In its lobby it sets member data `ready=1`, says in chat what it saw
## (`saw:update:<changed>:<making change>:<state>`, `saw:data:<member>:<ok>`),
## keeps the same in a log, accepts P2P sessions from lobby members only
## (the usual handler) and echoes their packets. It obeys chat lines
## `cmd:<target>:<verb>[:<args>]` (target: its Steam ID or `all`):
## `echo:<text>`, `p2p` (sends `p2p:<its id>` to the commander), `owner`,
## `data:<key>`, `setdata:<key>:<value>`, `log`, `create:<max>:<mode>:<joinable 0|1>`
## (answers `created:<mode>:<id>`), `leave:<lobby id, 0 for this one>`,
## `shutdown` (steamShutdown), `quit`.
extends SceneTree

const LIFETIME_MS := 90000

var me := 0
var lobby := 0
var find_mode := ""
var next_list_ms := 0
var ping_first := 0
var join_after_ping := 0
var ping_session_seen := false
var log_lines: Array[String] = []
## createLobby calls waiting for lobby_created: [mode, joinable].
var creating: Array = []
var down := false


func _initialize() -> void:
	var init: Dictionary = Steam.steamInitEx()
	if init.get("status") != Steam.STEAM_API_INIT_RESULT_OK:
		printerr("lobby_peer: init failed: %s" % init)
		quit(2)
		return
	me = Steam.getSteamID()
	Steam.lobby_joined.connect(_on_joined)
	Steam.lobby_created.connect(_on_created)
	Steam.lobby_match_list.connect(_on_list)
	Steam.lobby_message.connect(_on_message)
	Steam.lobby_chat_update.connect(_on_chat_update)
	Steam.lobby_data_update.connect(_on_data_update)
	Steam.p2p_session_request.connect(_on_session_request)
	var join := 0
	for arg in OS.get_cmdline_user_args():
		if arg.begins_with("--find="):
			find_mode = arg.trim_prefix("--find=")
		elif arg.begins_with("--join="):
			join = int(arg.trim_prefix("--join="))
		elif arg.begins_with("--ping-first="):
			ping_first = int(arg.trim_prefix("--ping-first="))
	if ping_first != 0:
		Steam.sendP2PPacket(ping_first, "ping-first".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
		# Sending opened our side of the session. The other side may refuse
		# and close it before our first frame (a slow start under load):
		# seen now, its end still counts.
		ping_session_seen = not Steam.getP2PSessionState(ping_first).is_empty()
		join_after_ping = join
	elif join != 0:
		Steam.joinLobby(join)
	print("lobby_peer: up as %d" % me)


func say(text: String) -> void:
	if lobby != 0:
		Steam.sendLobbyChatMsg(lobby, text)


func _on_joined(id: int, _permissions: int, _locked: bool, response: int) -> void:
	print("lobby_peer: joined %d: %d" % [id, response])
	if lobby != 0 or response != Steam.CHAT_ROOM_ENTER_RESPONSE_SUCCESS:
		return
	if not creating.is_empty():
		return # our own new lobby: _on_created handles it
	lobby = id
	Steam.setLobbyMemberData(id, "ready", "1")


func _on_created(result: int, id: int) -> void:
	if creating.is_empty():
		return
	var wanted: Array = creating.pop_front()
	if result != Steam.RESULT_OK:
		say("created:%s:0" % wanted[0])
		return
	Steam.setLobbyData(id, "mode", wanted[0])
	Steam.setLobbyJoinable(id, wanted[1])
	say("created:%s:%d" % [wanted[0], id])


func _on_list(lobbies: Array) -> void:
	if not find_mode.is_empty() and not lobbies.is_empty():
		find_mode = ""
		Steam.joinLobby(lobbies[0])


func _on_chat_update(id: int, changed: int, making: int, state: int) -> void:
	if id != lobby:
		return
	var line := "update:%d:%d:%d" % [changed, making, state]
	log_lines.append(line)
	say("saw:" + line)


func _on_data_update(success: bool, id: int, member: int) -> void:
	if id != lobby:
		return
	var line := "data:%d:%s" % [member, success]
	log_lines.append(line)
	say("saw:" + line)


func _on_message(id: int, user: int, message: String, _chat_type: int) -> void:
	if id != lobby or user == me or not message.begins_with("cmd:"):
		return
	var parts := message.split(":")
	if parts.size() < 3 or (parts[1] != "all" and parts[1] != str(me)):
		return
	var args := parts.slice(3)
	match parts[2]:
		"echo":
			say("echo:" + ":".join(args))
		"p2p":
			Steam.sendP2PPacket(user, ("p2p:%d" % me).to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
		"owner":
			say("owner:%d:%d" % [Steam.getLobbyOwner(lobby), Steam.getNumLobbyMembers(lobby)])
		"data":
			say("data:%s=%s" % [args[0], Steam.getLobbyData(lobby, args[0])])
		"setdata":
			say("setdata:%s" % Steam.setLobbyData(lobby, args[0], args[1]))
		"log":
			say("log:" + ",".join(log_lines))
		"create":
			creating.append([args[1], args[2] == "1"])
			Steam.createLobby(Steam.LOBBY_TYPE_PUBLIC, int(args[0]))
		"leave":
			var which := int(args[0])
			if which == 0 or which == lobby:
				Steam.leaveLobby(lobby)
				lobby = 0
			else:
				Steam.leaveLobby(which)
				say("left:%d" % which)
		"shutdown":
			Steam.steamShutdown()
			lobby = 0
			down = true
		"quit":
			quit()


## The usual handler of GodotSteam's tutorials: sessions from lobby members
## only (others are closed, so their packets go).
func _on_session_request(remote: int) -> void:
	for i in Steam.getNumLobbyMembers(lobby):
		if Steam.getLobbyMemberByIndex(lobby, i) == remote:
			Steam.acceptP2PSessionWithUser(remote)
			return
	print("lobby_peer: refused a session from %d (not in the lobby)" % remote)
	Steam.closeP2PSessionWithUser(remote)


func _process(_delta: float) -> bool:
	if Time.get_ticks_msec() > LIFETIME_MS:
		printerr("lobby_peer: lifetime over, quitting")
		return true
	if down:
		return false
	Steam.run_callbacks()
	if down:
		return false # shut down by a command just now
	if join_after_ping != 0:
		var has_session := not Steam.getP2PSessionState(ping_first).is_empty()
		ping_session_seen = ping_session_seen or has_session
		if ping_session_seen and not has_session:
			# The other side closed the session it refused: now join.
			Steam.joinLobby(join_after_ping)
			join_after_ping = 0
	if not find_mode.is_empty() and Time.get_ticks_msec() >= next_list_ms:
		next_list_ms = Time.get_ticks_msec() + 300
		Steam.addRequestLobbyListStringFilter("mode", find_mode, Steam.LOBBY_COMPARISON_EQUAL)
		Steam.addRequestLobbyListFilterSlotsAvailable(1)
		Steam.requestLobbyList()
	var size := Steam.getAvailableP2PPacketSize(0)
	while size > 0:
		var packet := Steam.readP2PPacket(size, 0)
		Steam.sendP2PPacket(packet["remote_steam_id"], packet["data"], Steam.P2P_SEND_RELIABLE, 0)
		size = Steam.getAvailableP2PPacketSize(0)
	return false
