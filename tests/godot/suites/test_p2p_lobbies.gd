## Lobbies between three real Godot processes: this one (peer 0, the
## creator) and two lobby_peer.gd processes (peers 1 and 2), driven through
## lobby chat. tests/run runs it over the Steam test double and over the
## local backend, with GodotSteam 4.20's names only.
extends "res://lib/suite.gd"

const PEER := "res://peers/lobby_peer.gd"
const WAIT_MS := 10000
## Starting a Godot process and finding the lobby takes a few seconds.
const SPAWN_MS := 30000

var me := peer_steam_id(0)
var b := peer_steam_id(1)
var c := peer_steam_id(2)
var lobby := 0
var updates: Array = []
var messages: Array = []
var data_updates: Array = []
var refused: Array[int] = []
var accepted: Array[int] = []


func _on_session_request(remote: int) -> void:
	# The usual handler: sessions from lobby members only.
	for i in Steam.getNumLobbyMembers(lobby):
		if Steam.getLobbyMemberByIndex(lobby, i) == remote:
			accepted.append(remote)
			Steam.acceptP2PSessionWithUser(remote)
			return
	refused.append(remote)
	Steam.closeP2PSessionWithUser(remote)


## A filter for list(): the lobby's `mode` is `value`.
func mode_is(value: String) -> Callable:
	return func(): Steam.addRequestLobbyListStringFilter("mode", value, Steam.LOBBY_COMPARISON_EQUAL)


## A filter for list(): at least `slots` free member slots.
func slots(count: int) -> Callable:
	return func(): Steam.addRequestLobbyListFilterSlotsAvailable(count)


## The lobbies requestLobbyList answers with, the filters added first;
## [-1] if no answer came (so no expected list matches it).
func list(filters: Array) -> Array:
	var got := []
	var on_list := func(lobbies: Array): got.append(lobbies)
	Steam.lobby_match_list.connect(on_list)
	for add_filter in filters:
		add_filter.call()
	Steam.requestLobbyList()
	await wait_until(func(): return not got.is_empty(), WAIT_MS)
	Steam.lobby_match_list.disconnect(on_list)
	return got[0] if not got.is_empty() else [-1]


## joinLobby's lobby_joined response for `id` (-1 if none came).
func join(id: int) -> int:
	var got := []
	var on_joined := func(l: int, _p: int, _locked: bool, response: int):
		if l == id:
			got.append(response)
	Steam.lobby_joined.connect(on_joined)
	Steam.joinLobby(id)
	await wait_until(func(): return not got.is_empty(), WAIT_MS)
	Steam.lobby_joined.disconnect(on_joined)
	return got[0] if not got.is_empty() else -1


## Tells peer `target` (a Steam ID, or "all") to do `verb`.
func command(target, verb: String) -> void:
	check(Steam.sendLobbyChatMsg(lobby, "cmd:%s:%s" % [str(target), verb]), "sent %s to %s" % [verb, target])


func heard(user: int, text: String) -> bool:
	return [lobby, user, text] in messages


## Waits for `user` to say `text` in the lobby.
func wait_heard(user: int, text: String, what: String, timeout_ms := WAIT_MS) -> bool:
	var got: bool = await wait_until(func(): return heard(user, text), timeout_ms)
	return check(got, "%s: %d said \"%s\" (heard %s)" % [what, user, text, messages])


func entered(user: int) -> Array:
	return [lobby, user, user, Steam.CHAT_MEMBER_STATE_CHANGE_ENTERED]


func members() -> Array:
	var all := []
	for i in Steam.getNumLobbyMembers(lobby):
		all.append(Steam.getLobbyMemberByIndex(lobby, i))
	return all


## The lobby a peer created on `cmd:<peer>:create:...` (0 if none).
func created_by(peer: int, mode: String) -> int:
	var prefix := "created:%s:" % mode
	var said := func() -> int:
		for m in messages:
			if m[0] == lobby and m[1] == peer and str(m[2]).begins_with(prefix):
				return int(str(m[2]).trim_prefix(prefix))
		return 0
	await wait_until(func(): return said.call() != 0, WAIT_MS)
	var found: int = said.call()
	check(found != 0, "peer %d created a %s lobby: %s" % [peer, mode, messages])
	return found


func test_01_create_and_list_with_filters() -> void:
	Steam.lobby_chat_update.connect(func(l, changed, making, state): updates.append([l, changed, making, state]))
	Steam.lobby_message.connect(func(l, user, text, _t): messages.append([l, user, text]))
	Steam.lobby_data_update.connect(func(ok, l, member): data_updates.append([ok, l, member]))
	Steam.p2p_session_request.connect(_on_session_request)
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	var created := []
	var joined := []
	Steam.lobby_created.connect(func(result, id): created.append([result, id]), CONNECT_ONE_SHOT)
	Steam.lobby_joined.connect(func(l, p, locked, response): joined.append([l, p, locked, response]), CONNECT_ONE_SHOT)
	Steam.createLobby(Steam.LOBBY_TYPE_PUBLIC, 3)
	await wait_until(func(): return not created.is_empty() and not joined.is_empty(), WAIT_MS)
	if not check(not created.is_empty() and not joined.is_empty(), "lobby_created and lobby_joined came"):
		return
	lobby = created[0][1]
	check_eq(created[0][0], Steam.RESULT_OK, "lobby_created: RESULT_OK")
	check((lobby >> 52) & 0xF == 8 and lobby & 0xFFFFFFFF != 0, "a lobby (chat) Steam ID: %d" % lobby)
	check_eq(joined[0], [lobby, 0, false, Steam.CHAT_ROOM_ENTER_RESPONSE_SUCCESS], "lobby_joined")
	check_eq(Steam.getLobbyOwner(lobby), me, "the creator owns it")
	check_eq(members(), [me], "the creator is the one member")
	check_eq(Steam.getLobbyMemberByIndex(lobby, 1), 0, "no member past the last")
	check_eq(Steam.getLobbyMemberLimit(lobby), 3, "member limit")
	check(Steam.setLobbyData(lobby, "mode", "ctf"), "setLobbyData")
	var updated: bool = await wait_until(func(): return [true, lobby, lobby] in data_updates, WAIT_MS)
	check(updated, "lobby_data_update for the setter too: %s" % [data_updates])
	check_eq(Steam.getLobbyData(lobby, "mode"), "ctf", "getLobbyData")
	check_eq(Steam.getAllLobbyData(lobby), {0: {"index": 0, "key": "mode", "value": "ctf"}}, "getAllLobbyData")
	check_eq(await list([mode_is("ctf")]), [lobby], "a string filter that matches")
	check_eq(await list([mode_is("race")]), [], "a string filter that does not")
	check_eq(await list([mode_is("ctf"), slots(2)]), [lobby], "two slots free")
	check_eq(await list([mode_is("ctf"), slots(3)]), [], "not three")
	check_no_error("create and list")


func test_02_members_join() -> void:
	spawn_peer(1, ["--find=ctf"], PEER)
	var b_in: bool = await wait_until(func(): return entered(b) in updates, SPAWN_MS)
	check(b_in, "lobby_chat_update ENTERED for the peer that found the lobby: %s" % [updates])
	check_eq(members(), [me, b], "members in join order")
	check_eq(Steam.getLobbyOwner(lobby), me, "still the owner")
	var ready: bool = await wait_until(func(): return [true, lobby, b] in data_updates, WAIT_MS)
	check(ready, "lobby_data_update for the member's own data: %s" % [data_updates])
	check_eq(Steam.getLobbyMemberData(lobby, b, "ready"), "1", "getLobbyMemberData")
	# This peer first asks us for a session, which we refuse (not a member
	# yet), and joins once we closed it.
	spawn_peer(2, ["--join=%d" % lobby, "--ping-first=%d" % me], PEER)
	var c_in: bool = await wait_until(func(): return entered(c) in updates, SPAWN_MS)
	check(c_in, "lobby_chat_update ENTERED for the peer that joined by id: %s" % [updates])
	check(c in refused and not (c in accepted), "the session request from a non-member was refused: %s" % [refused])
	check_eq(members(), [me, b, c], "three members")
	await wait_heard(b, "saw:update:%d:%d:%d" % [c, c, Steam.CHAT_MEMBER_STATE_CHANGE_ENTERED], "the first member saw the second enter")
	check_eq(Steam.getNumLobbyMembers(lobby), 3, "getNumLobbyMembers")


func test_03_lobby_and_member_data_reach_every_member() -> void:
	messages.clear()
	data_updates.clear()
	check(Steam.setLobbyData(lobby, "round", "2"), "setLobbyData")
	for peer in [b, c]:
		await wait_heard(peer, "saw:data:%d:true" % lobby, "lobby_data_update for the lobby")
	check([true, lobby, lobby] in data_updates, "and here: %s" % [data_updates])
	command("all", "data:round")
	for peer in [b, c]:
		await wait_heard(peer, "data:round=2", "getLobbyData in the member")
	Steam.setLobbyMemberData(lobby, "team", "red")
	for peer in [b, c]:
		await wait_heard(peer, "saw:data:%d:true" % me, "lobby_data_update for our member data")
	check_eq(Steam.getLobbyMemberData(lobby, me, "team"), "red", "getLobbyMemberData for ourselves")
	check_eq(Steam.getLobbyMemberData(lobby, c, "ready"), "1", "and for a member")
	command(b, "setdata:mode:dm")
	await wait_heard(b, "setdata:false", "a member that is not the owner cannot set lobby data")
	messages.clear()
	check(Steam.deleteLobbyData(lobby, "round"), "deleteLobbyData")
	await wait_heard(b, "saw:data:%d:true" % lobby, "lobby_data_update after the delete")
	messages.clear()
	command(c, "data:round")
	await wait_heard(c, "data:round=", "the key is gone")
	check_eq(Steam.getLobbyData(lobby, "mode"), "ctf", "the other key stays")


func test_04_chat_reaches_every_member() -> void:
	messages.clear()
	command("all", "echo:hello")
	for peer in [b, c]:
		await wait_heard(peer, "echo:hello", "chat reached the member")
	check(heard(me, "cmd:all:echo:hello"), "the sender gets its own message: %s" % [messages])


func test_05_p2p_between_members() -> void:
	for peer in [b, c]:
		check(Steam.sendP2PPacket(peer, ("ping %d" % peer).to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0), "send to %d" % peer)
	var echoes := {}
	for i in 2:
		var packet := await read_next(0)
		if not packet.is_empty():
			echoes[packet["remote_steam_id"]] = packet["data"].get_string_from_utf8()
	check_eq(echoes, {b: "ping %d" % b, c: "ping %d" % c}, "each member accepted us and echoed")
	# Closed, so that their packets ask us for new sessions, which our
	# handler accepts from members.
	for peer in [b, c]:
		check(Steam.closeP2PSessionWithUser(peer), "close the session with %d" % peer)
	accepted.clear()
	command("all", "p2p")
	var from := {}
	for i in 2:
		var packet := await read_next(0)
		if not packet.is_empty():
			from[packet["remote_steam_id"]] = packet["data"].get_string_from_utf8()
	check_eq(from, {b: "p2p:%d" % b, c: "p2p:%d" % c}, "packets from both members")
	accepted.sort()
	check_eq(accepted, [b, c] as Array[int], "their session requests were accepted")
	check_no_error("p2p")


func test_06_full_non_joinable_and_gone_lobbies_are_refused() -> void:
	messages.clear()
	command(b, "create:1:solo:1")
	var solo: int = await created_by(b, "solo")
	check_eq(await list([mode_is("solo")]), [solo], "a full lobby is listed")
	check_eq(await list([mode_is("solo"), slots(1)]), [], "but not with a free slot asked for")
	check_eq(await join(solo), Steam.CHAT_ROOM_ENTER_RESPONSE_FULL, "joining a full lobby")
	command(b, "create:4:closed:0")
	var closed: int = await created_by(b, "closed")
	check_eq(await join(closed), Steam.CHAT_ROOM_ENTER_RESPONSE_NOT_ALLOWED, "joining a lobby that is not joinable")
	check_eq(await list([mode_is("closed")]), [], "a lobby that is not joinable is not listed")
	command(b, "leave:%d" % solo)
	await wait_heard(b, "left:%d" % solo, "its only member left")
	check_eq(await join(solo), Steam.CHAT_ROOM_ENTER_RESPONSE_DOESNT_EXIST, "joining a lobby whose last member left")
	check_eq(await list([mode_is("solo")]), [], "and it is gone from the list")
	check_eq(Steam.getNumLobbyMembers(lobby), 3, "still in our own lobby")


func test_07_owner_leaves_and_the_earliest_member_takes_over() -> void:
	Steam.leaveLobby(lobby)
	check_eq(Steam.getLobbyOwner(lobby), 0, "no owner known once out")
	# Listed still, with the two others in it.
	var two_left: bool = await _listed_with(2)
	check(two_left, "the lobby is listed with two members")
	updates.clear()
	messages.clear()
	check_eq(await join(lobby), Steam.CHAT_ROOM_ENTER_RESPONSE_SUCCESS, "joining again")
	check_eq(Steam.getLobbyOwner(lobby), b, "the earliest-joined member owns it")
	check_eq(members(), [b, c, me], "we are last in join order now")
	await wait_heard(c, "saw:update:%d:%d:%d" % [me, me, Steam.CHAT_MEMBER_STATE_CHANGE_ENTERED], "the others see us enter again")
	command("all", "log")
	for peer in [b, c]:
		var said: bool = await wait_until(func(): return _log_of(peer) != null, WAIT_MS)
		if not check(said, "peer %d sent its log" % peer):
			continue
		var log_lines: PackedStringArray = _log_of(peer)
		var left := log_lines.find("update:%d:%d:%d" % [me, me, Steam.CHAT_MEMBER_STATE_CHANGE_LEFT])
		check(left >= 0, "peer %d saw the owner leave: %s" % [peer, log_lines])
		check(log_lines.slice(left).has("data:%d:true" % lobby), "then lobby_data_update for the new owner: %s" % [log_lines])
	command("all", "owner")
	for peer in [b, c]:
		await wait_heard(peer, "owner:%d:3" % b, "the member agrees on the owner")


## Lists our mode until the lobby shows `count` members (what a list tells
## about a lobby we are not in).
func _listed_with(count: int) -> bool:
	var deadline := Time.get_ticks_msec() + WAIT_MS * 2
	while Time.get_ticks_msec() < deadline:
		if await list([mode_is("ctf")]) == [lobby] and Steam.getNumLobbyMembers(lobby) == count:
			return true
		await frames(5)
	return false


## The log a peer said (`log:a,b,...`), or null.
func _log_of(peer: int):
	for m in messages:
		if m[0] == lobby and m[1] == peer and str(m[2]).begins_with("log:"):
			return str(m[2]).trim_prefix("log:").split(",", false)
	return null


func test_08_the_last_one_out_ends_the_lobby() -> void:
	data_updates.clear()
	command(b, "leave:0")
	var b_left: bool = await wait_until(func(): return [lobby, b, b, Steam.CHAT_MEMBER_STATE_CHANGE_LEFT] in updates, WAIT_MS)
	check(b_left, "lobby_chat_update LEFT for the owner: %s" % [updates])
	var handed: bool = await wait_until(func(): return [true, lobby, lobby] in data_updates, WAIT_MS)
	check(handed, "lobby_data_update for the new owner: %s" % [data_updates])
	check_eq(Steam.getLobbyOwner(lobby), c, "the earliest-joined of the rest owns it")
	# A process that shuts Steam down leaves its lobbies.
	command(c, "shutdown")
	var c_left := func(): return [lobby, c, c, Steam.CHAT_MEMBER_STATE_CHANGE_LEFT] in updates
	var c_gone: bool = await wait_until(c_left, WAIT_MS)
	check(c_gone, "lobby_chat_update LEFT for the member that shut down: %s" % [updates])
	check_eq(Steam.getLobbyOwner(lobby), me, "we own it, alone")
	check_eq(members(), [me], "the one member")
	Steam.leaveLobby(lobby)
	check_eq(await list([mode_is("ctf")]), [], "the lobby is gone from the list")
	check_eq(await join(lobby), Steam.CHAT_ROOM_ENTER_RESPONSE_DOESNT_EXIST, "and joining it says it does not exist")
	check_no_error("last one out")


func after_all() -> void:
	Steam.steamShutdown()
