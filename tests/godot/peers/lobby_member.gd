## A game instance for lobby tests. Arguments (after `--`):
## `--create=<max members>` creates a public lobby with data `mode`;
## `--mode=<mode>` the mode it creates, or looks for with `--find`;
## `--find` lists lobbies with that mode and joins the first one.
## In a lobby it sets member data `ready=1`, accepts P2P sessions only from
## lobby members (echoing their packets), and obeys chat lines from others:
## `cmd:echo:<text>` answers `echo:<text>`, `cmd:leave` leaves, `cmd:quit`.
extends SceneTree

const LIFETIME_MS := 90000

var mode := "ctf"
var lobby := 0
var finding := false
var next_list_ms := 0


func _initialize() -> void:
	var init: Dictionary = Steam.steamInitEx()
	if init.get("status") != Steam.STEAM_API_INIT_RESULT_OK:
		printerr("lobby_member: init failed: %s" % init)
		quit(2)
		return
	Steam.lobby_created.connect(func(result: int, id: int): print("lobby_member: created %d (%d)" % [id, result]))
	Steam.lobby_joined.connect(_on_joined)
	Steam.lobby_match_list.connect(_on_list)
	Steam.lobby_message.connect(_on_message)
	Steam.p2p_session_request.connect(_on_session_request)
	for arg in OS.get_cmdline_user_args():
		if arg.begins_with("--mode="):
			mode = arg.trim_prefix("--mode=")
	for arg in OS.get_cmdline_user_args():
		if arg.begins_with("--create="):
			Steam.createLobby(Steam.LOBBY_TYPE_PUBLIC, int(arg.trim_prefix("--create=")))
		elif arg == "--find":
			finding = true
	print("lobby_member: up as %d" % Steam.getSteamID())


func _on_joined(id: int, _permissions: int, _locked: bool, response: int) -> void:
	print("lobby_member: joined %d: %d" % [id, response])
	if response != Steam.CHAT_ROOM_ENTER_RESPONSE_SUCCESS:
		finding = true
		return
	lobby = id
	if Steam.getLobbyOwner(id) == Steam.getSteamID():
		Steam.setLobbyData(id, "mode", mode)
	Steam.setLobbyMemberData(id, "ready", "1")


func _on_list(lobbies: Array) -> void:
	if finding and not lobbies.is_empty():
		finding = false
		Steam.joinLobby(lobbies[0])


func _on_message(id: int, user: int, message: String, _chat_type: int) -> void:
	if id != lobby or user == Steam.getSteamID():
		return
	if message.begins_with("cmd:echo:"):
		Steam.sendLobbyChatMsg(lobby, "echo:" + message.trim_prefix("cmd:echo:"))
	elif message == "cmd:leave":
		Steam.leaveLobby(lobby)
		lobby = 0
	elif message == "cmd:quit":
		quit()


## The usual handler of GodotSteam's tutorials: sessions from lobby members only.
func _on_session_request(remote: int) -> void:
	for i in Steam.getNumLobbyMembers(lobby):
		if Steam.getLobbyMemberByIndex(lobby, i) == remote:
			Steam.acceptP2PSessionWithUser(remote)
			return
	print("lobby_member: refused a session from %d (not in the lobby)" % remote)


func _process(_delta: float) -> bool:
	if Time.get_ticks_msec() > LIFETIME_MS:
		printerr("lobby_member: lifetime over, quitting")
		return true
	Steam.run_callbacks()
	if finding and Time.get_ticks_msec() >= next_list_ms:
		next_list_ms = Time.get_ticks_msec() + 300
		Steam.addRequestLobbyListStringFilter("mode", mode, Steam.LOBBY_COMPARISON_EQUAL)
		Steam.requestLobbyList()
	var size := Steam.getAvailableP2PPacketSize(0)
	while size > 0:
		var packet := Steam.readP2PPacket(size, 0)
		Steam.sendP2PPacket(packet["remote_steam_id"], packet["data"], Steam.P2P_SEND_RELIABLE, 0)
		size = Steam.getAvailableP2PPacketSize(0)
	return false
