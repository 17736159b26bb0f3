## Lobbies between real local-backend processes: names and P2P follow the
## lobby, hostile datagrams change nothing, and when an owner is killed the
## members notice within the timeout and the earliest-joined takes over.
extends "res://lib/suite.gd"

const MAGIC := 0x534E4C42
const TIMEOUT_MS := 2000  # STEAM_NETWORKING_LOCAL_TIMEOUT_MS in tests/run
const PEER := "res://peers/lobby_peer.gd"

var me := peer_steam_id(0)
var updates: Array = []
var messages: Array = []
var data_updates: Array = []
var lobby := 0
var other_lobby := 0
var pids := {}


func listen() -> void:
	Steam.lobby_chat_update.connect(func(l, changed, making, state): updates.append([l, changed, making, state]))
	Steam.lobby_message.connect(func(l, user, text, _t): messages.append([l, user, text]))
	Steam.lobby_data_update.connect(func(ok, l, member): data_updates.append([ok, l, member]))


func joined_response(id: int) -> Array:
	var got := []
	var on_joined := func(l, _p, _locked, response): got.append([l, response])
	Steam.lobby_joined.connect(on_joined)
	Steam.joinLobby(id)
	await wait_until(func(): return not got.is_empty(), 10000)
	Steam.lobby_joined.disconnect(on_joined)
	return got[0] if not got.is_empty() else []


func list(mode: String) -> Array:
	var got := []
	var on_list := func(lobbies): got.append(lobbies)
	Steam.lobby_match_list.connect(on_list)
	Steam.addRequestLobbyListStringFilter("mode", mode, Steam.LOBBY_COMPARISON_EQUAL)
	Steam.requestLobbyList()
	await wait_until(func(): return not got.is_empty(), 10000)
	Steam.lobby_match_list.disconnect(on_list)
	return got[0] if not got.is_empty() else []


func test_01_a_member_in_another_process() -> void:
	listen()
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	var created := []
	Steam.lobby_created.connect(func(result, id): created.append([result, id]), CONNECT_ONE_SHOT)
	Steam.createLobby(Steam.LOBBY_TYPE_PUBLIC, 4)
	await wait_until(func(): return not created.is_empty(), 5000)
	lobby = created[0][1] if not created.is_empty() else 0
	check_eq(created[0][0] if not created.is_empty() else -1, Steam.RESULT_OK, "lobby_created")
	check(Steam.setLobbyData(lobby, "mode", "ctf"), "the owner sets lobby data")
	var b := peer_steam_id(1)
	pids[1] = spawn_peer(1, ["--find=ctf"], PEER)
	var entered: bool = await wait_until(func(): return [lobby, b, b, Steam.CHAT_MEMBER_STATE_CHANGE_ENTERED] in updates, 20000)
	check(entered, "lobby_chat_update ENTERED for the joiner: %s" % [updates])
	check_eq(Steam.getNumLobbyMembers(lobby), 2, "two members")
	check_eq(Steam.getLobbyMemberByIndex(lobby, 1), b, "the joiner is member 1")
	var ready: bool = await wait_until(func(): return Steam.getLobbyMemberData(lobby, b, "ready") == "1", 5000)
	check(ready, "the member's data arrived")
	check([true, lobby, b] in data_updates, "lobby_data_update for the member's data: %s" % [data_updates])
	check_eq(Steam.getFriendPersonaName(b), "Player 2", "a member's name is known through the lobby")
	# P2P follows the lobby: the member accepts us because we are in it.
	check(Steam.sendP2PPacket(b, "ping".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0), "send to the member")
	check_eq((await read_next(0)).get("data", PackedByteArray()).get_string_from_utf8(), "ping", "echo from the member")
	Steam.sendLobbyChatMsg(lobby, "cmd:all:echo:hi")
	var echoed: bool = await wait_until(func(): return [lobby, b, "echo:hi"] in messages, 5000)
	check(echoed, "chat reaches the member and back: %s" % [messages])
	check([lobby, me, "cmd:all:echo:hi"] in messages, "the sender gets its own line too")


func test_02_hostile_lobby_datagrams_change_nothing() -> void:
	var b := peer_steam_id(1)
	var udp := PacketPeerUDP.new()
	udp.set_dest_address("127.0.0.1", local_port(0))
	var leave := PackedByteArray([2]) # a LEAVE message, as a link datagram would carry it
	leave.resize(9)
	leave.encode_u64(1, lobby)
	var claims := [b, peer_steam_id(7)]
	errors.clear()
	for sender in claims:
		for payload in [PackedByteArray([1]) + random_bytes(40), PackedByteArray([3]) + random_bytes(20), leave]:
			var d := PackedByteArray()
			d.resize(14)
			d.encode_u32(0, MAGIC)
			d[4] = 3  # version (wire.rs VERSION)
			d[5] = 6  # LOBBY
			d.encode_u64(6, sender)
			udp.put_packet(d + payload)
	var dropped := func() -> int:
		take_thread_errors()
		return errors.filter(func(e): return "dropped a datagram" in e).size()
	var all_dropped: bool = await wait_until(func(): return dropped.call() >= 6, 10000)
	check(all_dropped, "every hostile lobby datagram is dropped: %s" % [errors])
	errors.clear()
	await frames(10)
	check_eq(Steam.getNumLobbyMembers(lobby), 2, "still two members")
	check_eq(Steam.getLobbyOwner(lobby), me, "still the owner")
	check_eq(Steam.getFriendPersonaName(b), "Player 2", "the member's name unchanged")
	Steam.sendLobbyChatMsg(lobby, "cmd:all:echo:still")
	var echoed: bool = await wait_until(func(): return [lobby, b, "echo:still"] in messages, 5000)
	check(echoed, "the member still answers")
	udp.close()


func test_03_a_killed_owner_is_replaced_within_the_timeout() -> void:
	var c := peer_steam_id(2)
	var d := peer_steam_id(3)
	# The third instance joins our lobby, then creates one of its own there.
	pids[2] = spawn_peer(2, ["--find=ctf"], PEER)
	var c_in: bool = await wait_until(func(): return [lobby, c, c, Steam.CHAT_MEMBER_STATE_CHANGE_ENTERED] in updates, 20000)
	check(c_in, "the third instance joined")
	Steam.sendLobbyChatMsg(lobby, "cmd:%d:create:4:dm:1" % c)
	var created := func():
		for m in messages:
			if m[0] == lobby and m[1] == c and m[2].begins_with("created:dm:"):
				return int(m[2].trim_prefix("created:dm:"))
		return 0
	var made: bool = await wait_until(func(): return created.call() != 0, 10000)
	check(made, "the third instance created a lobby: %s" % [messages])
	if not made:
		return
	other_lobby = created.call()
	check_eq(await list("dm"), [other_lobby], "its lobby is listed")
	check_eq(await joined_response(other_lobby), [other_lobby, Steam.CHAT_ROOM_ENTER_RESPONSE_SUCCESS], "joined")
	check_eq(Steam.getLobbyOwner(other_lobby), c, "its creator owns it")
	pids[3] = spawn_peer(3, ["--find=dm"], PEER)
	var entered: bool = await wait_until(func(): return [other_lobby, d, d, Steam.CHAT_MEMBER_STATE_CHANGE_ENTERED] in updates, 20000)
	check(entered, "a third member entered")
	kill_peer(pids[2])
	var killed_at := Time.get_ticks_msec()
	var noticed: bool = await wait_until(func(): return [other_lobby, c, c, Steam.CHAT_MEMBER_STATE_CHANGE_DISCONNECTED] in updates, TIMEOUT_MS * 3)
	var took := Time.get_ticks_msec() - killed_at
	check(noticed, "lobby_chat_update DISCONNECTED for the killed owner: %s" % [updates])
	# Within the timeout, plus a frame or two of this process.
	check(took <= TIMEOUT_MS + 200, "noticed within the timeout (%d ms)" % took)
	check_eq(Steam.getLobbyOwner(other_lobby), me, "the earliest-joined member owns it now")
	check_eq(Steam.getNumLobbyMembers(other_lobby), 2, "us and the third member")
	Steam.sendLobbyChatMsg(other_lobby, "cmd:all:echo:after")
	var echoed: bool = await wait_until(func(): return [other_lobby, d, "echo:after"] in messages, 5000)
	check(echoed, "the third member follows the new owner")
	check_eq(await list("dm"), [other_lobby], "the lobby is listed under its new owner")


func after_all() -> void:
	for l in [lobby, other_lobby]:
		if l != 0:
			Steam.sendLobbyChatMsg(l, "cmd:all:quit")
	Steam.steamShutdown()
