## A battery of bad calls, on both backends: every one returns its
## documented failure value with exactly one clear error, the game keeps
## running, and nothing leaks at exit. Also every call before init, after
## shutdown and after a double shutdown, and a script freeing the singleton.
extends "res://lib/suite.gd"

const LOBBY_ID := (1 << 56) | (7 << 52) | (0x40000 << 32) | 12345
const BAD_IDS := [0, -1, 0x7FFFFFFFFFFFFFFF, LOBBY_ID]
const BAD_CHANNELS := [-1, 1 << 31]

var peer := peer_steam_id(1)
var bad_calls := 0


## Calls `call`, expects `expected` back and one error containing `fragment`.
func refused(what: String, call: Callable, expected, fragment: String) -> void:
	bad_calls += 1
	errors.clear()
	check_eq(call.call(), expected, what)
	check_one_error(fragment, what)


## Like `refused`, for an error the same call printed a moment ago: repeats
## of one error from one call are collapsed, so this one prints nothing.
func refused_again(what: String, call: Callable, expected) -> void:
	bad_calls += 1
	errors.clear()
	check_eq(call.call(), expected, what)
	check_no_error(what + " (a repeat, collapsed)")


func all_refused_as_not_initialized(when: String) -> void:
	for c in networking_calls(peer) + lobby_calls(SOME_LOBBY, peer):
		refused("%s %s" % [c[0], when], c[1], c[2], "not initialized")
	Steam.run_callbacks()
	check_no_error("run_callbacks %s is silent" % when)
	check_eq(Steam.getSteamID(), 0, "getSteamID %s" % when)
	check_eq(Steam.isSteamRunning(), false, "isSteamRunning %s" % when)


func test_01_before_init() -> void:
	all_refused_as_not_initialized("before steamInit")


func test_02_bad_arguments_while_running() -> void:
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	for id in BAD_IDS:
		var label := "id %d" % id
		refused("accept " + label, func(): return Steam.acceptP2PSessionWithUser(id), false, "invalid Steam ID")
		refused("close session " + label, func(): return Steam.closeP2PSessionWithUser(id), false, "invalid Steam ID")
		refused("close channel " + label, func(): return Steam.closeP2PChannelWithUser(id, 0), false, "invalid Steam ID")
		refused("state " + label, func(): return Steam.getP2PSessionState(id), {}, "invalid Steam ID")
		refused("send " + label, func(): return Steam.sendP2PPacket(id, bytes(4), 2), false, "invalid Steam ID")
	for channel in BAD_CHANNELS:
		var label := "channel %d" % channel
		refused("send " + label, func(): return Steam.sendP2PPacket(peer, bytes(4), 2, channel), false, "invalid channel")
		refused("available " + label, func(): return Steam.getAvailableP2PPacketSize(channel), 0, "invalid channel")
		refused("read " + label, func(): return Steam.readP2PPacket(64, channel), {}, "invalid channel")
		refused("read many " + label, func(): return Steam.readP2PPackets(4, channel), [], "invalid channel")
		refused("close channel " + label, func(): return Steam.closeP2PChannelWithUser(peer, channel), false, "invalid channel")
	for send_type in [-1, 4, 1 << 40]:
		refused("send type %d" % send_type, func(): return Steam.sendP2PPacket(peer, bytes(4), send_type), false, "invalid send_type")
	refused("empty data, type 0", func(): return Steam.sendP2PPacket(peer, PackedByteArray(), 0), false, "empty packet")
	for send_type in [1, 2, 3]:
		refused_again("empty data, type %d" % send_type, func(): return Steam.sendP2PPacket(peer, PackedByteArray(), send_type), false)
	for send_type in [Steam.P2P_SEND_UNRELIABLE, Steam.P2P_SEND_UNRELIABLE_NO_DELAY]:
		refused("1201 bytes, type %d" % send_type, func(): return Steam.sendP2PPacket(peer, bytes(1201), send_type), false, "too large")
	for send_type in [Steam.P2P_SEND_RELIABLE, Steam.P2P_SEND_RELIABLE_WITH_BUFFERING]:
		refused("1 MiB + 1, type %d" % send_type, func(): return Steam.sendP2PPacket(peer, bytes(1048577), send_type), false, "too large")
	for size in [0, -5, 1 << 32, -(1 << 62)]:
		refused("packet size %d" % size, func(): return Steam.readP2PPacket(size), {}, "invalid packet size")
	for count in [0, -1]:
		refused("max_packets %d" % count, func(): return Steam.readP2PPackets(count), [], "invalid max_packets")
	# Types GDScript converts without a word: bool and float arrive as ints.
	refused("bool as id", func(): return Steam.call("acceptP2PSessionWithUser", true), false, "invalid Steam ID 1")
	# The same error as "send id 0" above.
	refused_again("bool as id (send)", func(): return Steam.call("sendP2PPacket", false, bytes(4), 2), false)
	refused("float as send type", func(): return Steam.call("sendP2PPacket", peer, bytes(4), 7.9), false, "invalid send_type 7")
	refused("float as channel", func(): return Steam.call("getAvailableP2PPacketSize", -2.5), 0, "invalid channel -2")
	check(bad_calls >= 50, "at least 50 bad calls, made %d" % bad_calls)


func test_02b_bad_lobby_arguments_while_running() -> void:
	# A lobby id is a SteamID of the chat type: users, 0 and garbage are not.
	for id in [0, -1, peer, 12345]:
		var label := "lobby id %d" % id
		refused("join " + label, func(): Steam.joinLobby(id); return null, null, "invalid lobby id")
		refused("members " + label, func(): return Steam.getNumLobbyMembers(id), 0, "invalid lobby id")
		refused("data " + label, func(): return Steam.getLobbyData(id, "k"), "", "invalid lobby id")
		refused("set data " + label, func(): return Steam.setLobbyData(id, "k", "v"), false, "invalid lobby id")
		refused("owner " + label, func(): return Steam.getLobbyOwner(id), 0, "invalid lobby id")
		refused("all data " + label, func(): return Steam.getAllLobbyData(id), {}, "invalid lobby id")
	refused("invite a non-user", func(): return Steam.inviteUserToLobby(SOME_LOBBY, 0), false, "invalid Steam ID")
	for lobby_type in [-1, 5, 1 << 40]:
		refused("lobby type %d" % lobby_type, func(): Steam.createLobby(lobby_type, 4); return null, null, "invalid lobby_type")
	refused("set type 9", func(): return Steam.setLobbyType(SOME_LOBBY, 9), false, "invalid lobby_type")
	for max_members in [0, 251, -3]:
		refused("max members %d" % max_members, func(): Steam.createLobby(Steam.LOBBY_TYPE_PUBLIC, max_members); return null, null,
			"invalid max_members")
	refused("member limit 251", func(): return Steam.setLobbyMemberLimit(SOME_LOBBY, 251), false, "invalid max_members")
	var long_key := "k".repeat(256)
	var long_value := "v".repeat(8193)
	refused("256-byte key", func(): return Steam.setLobbyData(SOME_LOBBY, long_key, "v"), false, "lobby data keys are 1..=255 bytes")
	refused("empty key", func(): return Steam.deleteLobbyData(SOME_LOBBY, ""), false, "lobby data keys are 1..=255 bytes")
	refused("8193-byte value", func(): return Steam.setLobbyData(SOME_LOBBY, "k", long_value), false, "at most 8192 bytes")
	refused("8193-byte member value", func(): Steam.setLobbyMemberData(SOME_LOBBY, "k", long_value); return null, null,
		"at most 8192 bytes")
	# A multi-byte character counts as its UTF-8 bytes: 2049 of them are 4098.
	refused("4098-byte chat line", func(): return Steam.sendLobbyChatMsg(SOME_LOBBY, "é".repeat(2049)), false, "1..=4096 bytes")
	refused("empty chat line", func(): return Steam.sendLobbyChatMsg(SOME_LOBBY, ""), false, "1..=4096 bytes")
	refused("comparison 4", func(): Steam.addRequestLobbyListStringFilter("k", "v", 4); return null, null, "invalid comparison_type")
	refused("distance 7", func(): Steam.addRequestLobbyListDistanceFilter(7); return null, null, "invalid distance_filter")
	refused("negative result count", func(): Steam.addRequestLobbyListResultCountFilter(-1); return null, null, "invalid max_results")
	refused("member index -1", func(): return Steam.getLobbyMemberByIndex(SOME_LOBBY, -1), 0, "invalid member")
	refused("server ip", func(): Steam.setLobbyGameServer(SOME_LOBBY, "no.such.ip"); return null, null, "invalid server_ip")
	refused("server port", func(): Steam.setLobbyGameServer(SOME_LOBBY, "0", 70000); return null, null, "invalid server_port")
	# A lobby nobody is in: GodotSteam's empty answers, and no error.
	errors.clear()
	check_eq(Steam.getNumLobbyMembers(SOME_LOBBY), 0, "members of an unknown lobby")
	check_eq(Steam.getLobbyOwner(SOME_LOBBY), 0, "owner of an unknown lobby")
	check_eq(Steam.setLobbyData(SOME_LOBBY, "k", "v"), false, "not the owner")
	check_eq(Steam.getLobbyGameServer(SOME_LOBBY), {"ret": false}, "no game server")
	check_no_error("calls about an unknown lobby")


func test_03_legal_edge_values() -> void:
	# 2^31 is a legal buffer size (Steam takes a uint32); nothing waits, so {}.
	check_eq(Steam.readP2PPacket(1 << 31), {}, "packet 2^31 with nothing waiting")
	check_eq(Steam.readP2PPacket(0xFFFFFFFF, 0x7FFFFFFF), {}, "largest size and channel")
	check_eq(Steam.getAvailableP2PPacketSize(0x7FFFFFFF), 0, "largest channel")
	check_eq(Steam.readP2PPackets(1 << 40), [], "huge max_packets with nothing waiting")
	check_eq(Steam.closeP2PSessionWithUser(peer), false, "no session to close")
	check_eq(Steam.closeP2PChannelWithUser(peer, 5), false, "no channel to close")
	check_eq(Steam.getP2PSessionState(peer), {}, "no session: {}")
	check_no_error("legal calls print nothing")


func test_04_after_shutdown_and_double_shutdown() -> void:
	Steam.steamShutdown()
	all_refused_as_not_initialized("after steamShutdown")
	Steam.steamShutdown()
	check_no_error("a second steamShutdown is harmless")
	all_refused_as_not_initialized("after a double steamShutdown")


func test_05_game_still_runs() -> void:
	var ticks := [0]
	var count := func(): ticks[0] += 1
	process_frame.connect(count)
	await frames(5)
	process_frame.disconnect(count)
	check(ticks[0] >= 5, "frames advance after the battery")
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init works again")
	Steam.steamShutdown()


## `Steam.free()` gets one error and changes nothing: the engine and gdext
## still hold the singleton, and freeing it crashed the game at exit.
func test_06_the_singleton_cannot_be_freed() -> void:
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init before free()")
	var steam: Object = Steam
	steam.free()
	check_one_error("cannot be freed", "Steam.free()")
	check(is_instance_valid(steam), "the singleton is still there")
	check(Steam.isSteamRunning(), "and still running")
	check_eq(Steam.getAvailableP2PPacketSize(0), 0, "and answering")
	Steam.steamShutdown()
	check_no_error("no other error")


## A game's Logger that calls Steam when an error is printed, with a call
## that is itself refused: Steam's errors are printed while a call runs,
## and that must neither hang the game nor loop.
class CallingLogger extends Logger:
	var calls := 0

	func _log_error(_function: String, _file: String, _line: int, _code: String, _rationale: String,
			_editor_notify: bool, _error_type: int, _backtraces: Array[ScriptBacktrace]) -> void:
		if OS.get_thread_caller_id() != OS.get_main_thread_id():
			return
		calls += 1
		Steam.getAvailableP2PPacketSize(-1)
		Steam.getSteamID()


func test_07_a_logger_that_calls_steam() -> void:
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	var logger := CallingLogger.new()
	OS.add_logger(logger)
	errors.clear()
	check_eq(Steam.getP2PSessionState(0), {}, "a refused call with the logger in place")
	check_eq(Steam.getAvailableP2PPacketSize(-5), 0, "another")
	OS.remove_logger(logger)
	check(logger.calls >= 2, "the logger ran (%d times)" % logger.calls)
	check(logger.calls < 20, "and did not loop (%d times)" % logger.calls)
	check(errors.size() >= 2, "the refusals were printed: %s" % [errors])
	Steam.steamShutdown()
	errors.clear()
