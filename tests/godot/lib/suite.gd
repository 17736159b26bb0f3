## Base of every GDScript suite. A suite extends this file, defines
## `test_*` methods (they may await), and is run with
## `godot --headless --path tests/godot --script res://suites/NAME.gd`.
## Exit code 0 only if every check passed and no script error happened.
extends SceneTree

## Every error and script error Godot reported while the suite ran.
var errors: Array[String] = []
var _script_errors := 0
var _failed_checks := 0
var _checks := 0
var _current := ""
var _children: Array[int] = []

## Which backend the multi-process suites run against, set by tests/run:
## "double" (the Steam backend over the test double of libsteam_api.so) or
## "local" (the local backend).
var backend := OS.get_environment("TEST_BACKEND")

## The first individual SteamID64; peer `n` is this + 1 + n on both backends.
const INDIVIDUAL_BASE := 76561197960265728


## Collects errors through Godot's Logger API (4.5+), so tests can assert
## that a refused call printed exactly one clear message. Godot calls loggers
## from any thread (the plugin's workers log too), so messages from other
## threads wait under a mutex until the main thread takes them.
class ErrorCatcher extends Logger:
	var owner_suite
	var mutex := Mutex.new()
	var from_threads: Array[String] = []

	func _log_error(_function: String, _file: String, _line: int, code: String, rationale: String,
			_editor_notify: bool, error_type: int, _backtraces: Array[ScriptBacktrace]) -> void:
		var text := code if rationale.is_empty() else "%s: %s" % [code, rationale]
		if OS.get_thread_caller_id() == OS.get_main_thread_id():
			owner_suite._on_error(text, error_type)
		else:
			mutex.lock()
			from_threads.append(text)
			mutex.unlock()

	func _log_message(_message: String, _error: bool) -> void:
		pass

	func take_from_threads() -> Array[String]:
		mutex.lock()
		var taken := from_threads.duplicate()
		from_threads.clear()
		mutex.unlock()
		return taken


var _catcher: ErrorCatcher


func _on_error(text: String, error_type: int) -> void:
	errors.append(text)
	if error_type == Logger.ERROR_TYPE_SCRIPT:
		_script_errors += 1


## Moves errors logged by other threads into `errors` (also done every frame).
func take_thread_errors() -> void:
	errors.append_array(_catcher.take_from_threads())


func _initialize() -> void:
	_catcher = ErrorCatcher.new()
	_catcher.owner_suite = self
	OS.add_logger(_catcher)
	process_frame.connect(take_thread_errors)
	_run.call_deferred()


func _run() -> void:
	var tests := 0
	var failed_tests := 0
	for method in get_method_list():
		var name: String = method["name"]
		if not name.begins_with("test_"):
			continue
		_current = name
		var failed_before := _failed_checks + _script_errors
		errors.clear()
		await call(name)
		await before_next()
		tests += 1
		if _failed_checks + _script_errors > failed_before:
			failed_tests += 1
			print("  FAIL %s" % name)
		else:
			print("  ok   %s" % name)
	var script_path: String = get_script().resource_path
	print("SUITE %s: %d passed, %d failed (%d checks)" % [
		script_path.get_file(), tests - failed_tests, failed_tests, _checks])
	after_all()
	for pid in _children:
		if OS.is_process_running(pid):
			OS.kill(pid)
	quit(0 if failed_tests == 0 and _script_errors == 0 else 1)


## Runs after each test; suites override it to reset shared state.
func before_next() -> void:
	pass


## Runs once before quitting; suites override it to release resources.
func after_all() -> void:
	pass


func check(condition: bool, what: String) -> bool:
	_checks += 1
	if not condition:
		_failed_checks += 1
		printerr("    %s: check failed: %s" % [_current, what])
	return condition


func check_eq(actual, expected, what: String) -> bool:
	var same: bool = typeof(actual) == typeof(expected) and actual == expected
	return check(same, "%s: expected %s (%s), got %s (%s)" % [
		what, var_to_str(expected), type_string(typeof(expected)),
		var_to_str(actual), type_string(typeof(actual))])


## Checks that exactly one error was reported since the last call of this
## (or the start of the test) and that it contains `fragment`; then forgets it.
func check_one_error(fragment: String, what: String) -> void:
	take_thread_errors()
	var matching := errors.filter(func(e): return fragment in e)
	check(errors.size() == 1 and matching.size() == 1,
		"%s: expected exactly one error containing '%s', got %s" % [what, fragment, errors])
	errors.clear()


## Checks that no error was reported since the last check; then forgets them.
func check_no_error(what: String) -> void:
	take_thread_errors()
	check(errors.is_empty(), "%s: expected no error, got %s" % [what, errors])
	errors.clear()


## `count` bytes, each `value`.
func bytes(count: int, value := 0) -> PackedByteArray:
	var b := PackedByteArray()
	b.resize(count)
	b.fill(value)
	return b


## Every networking call with a valid argument list aimed at `remote`, as
## [name, Callable, what it returns when refused].
func networking_calls(remote: int) -> Array:
	return [
		["acceptP2PSessionWithUser", func(): return Steam.acceptP2PSessionWithUser(remote), false],
		["allowP2PPacketRelay", func(): return Steam.allowP2PPacketRelay(true), false],
		["closeP2PChannelWithUser", func(): return Steam.closeP2PChannelWithUser(remote, 0), false],
		["closeP2PSessionWithUser", func(): return Steam.closeP2PSessionWithUser(remote), false],
		["getP2PSessionState", func(): return Steam.getP2PSessionState(remote), {}],
		["getAvailableP2PPacketSize", func(): return Steam.getAvailableP2PPacketSize(0), 0],
		["readP2PPacket", func(): return Steam.readP2PPacket(64, 0), {}],
		["readP2PPackets", func(): return Steam.readP2PPackets(8, 0), []],
		["sendP2PPacket", func(): return Steam.sendP2PPacket(remote, bytes(4), Steam.P2P_SEND_RELIABLE, 0), false],
	]


## Every Friends, User, Apps and Utils call with a valid argument list aimed
## at `other`, as [name, Callable, what it returns when refused].
func identity_calls(other: int) -> Array:
	return [
		["getPersonaName", func(): return Steam.getPersonaName(), ""],
		["getFriendPersonaName", func(): return Steam.getFriendPersonaName(other), ""],
		["requestUserInformation", func(): return Steam.requestUserInformation(other, true), false],
		["loggedOn", func(): return Steam.loggedOn(), false],
		["getPlayerSteamLevel", func(): return Steam.getPlayerSteamLevel(), 0],
		["isSubscribed", func(): return Steam.isSubscribed(), false],
		["isSubscribedApp", func(): return Steam.isSubscribedApp(480), false],
		["isDLCInstalled", func(): return Steam.isDLCInstalled(1), false],
		["getAppOwner", func(): return Steam.getAppOwner(), 0],
		["getAppBuildId", func(): return Steam.getAppBuildId(), 0],
		["getAppInstallDir", func(): return Steam.getAppInstallDir(480), ""],
		["getCurrentGameLanguage", func(): return Steam.getCurrentGameLanguage(), ""],
		["getAvailableGameLanguages", func(): return Steam.getAvailableGameLanguages(), "None"],
		["getLaunchCommandLine", func(): return Steam.getLaunchCommandLine(), ""],
		["getAppID", func(): return Steam.getAppID(), 0],
		["isSteamRunningOnSteamDeck", func(): return Steam.isSteamRunningOnSteamDeck(), false],
		["isSteamRunningInVR", func(): return Steam.isSteamRunningInVR(), false],
		["isSteamInBigPictureMode", func(): return Steam.isSteamInBigPictureMode(), false],
		["getSteamUILanguage", func(): return Steam.getSteamUILanguage(), ""],
		["getIPCountry", func(): return Steam.getIPCountry(), ""],
		["isOverlayEnabled", func(): return Steam.isOverlayEnabled(), false],
		["setGlobalConfigValueInt32", func():
			return Steam.setGlobalConfigValueInt32(Steam.NETWORKING_CONFIG_FAKE_PACKET_LAG_SEND, 0), false],
		["setGlobalConfigValueFloat", func():
			return Steam.setGlobalConfigValueFloat(Steam.NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND, 0.0), false],
		["getLocalNetworkConditions", func(): return Steam.getLocalNetworkConditions(), {}],
		["getPlayerAvatar", func(): Steam.getPlayerAvatar(); return null, null],
		["activateGameOverlay", func(): Steam.activateGameOverlay("friends"); return null, null],
	]


## A valid lobby SteamID (universe 1, chat account type, lobby flag).
const SOME_LOBBY := (1 << 56) | (8 << 52) | (0x40000 << 32) | 4242


## Every Matchmaking (lobby) call with a valid argument list aimed at
## `lobby` and `user`, as [name, Callable, what it returns when refused].
func lobby_calls(lobby: int, user: int) -> Array:
	return [
		["createLobby", func(): Steam.createLobby(Steam.LOBBY_TYPE_PUBLIC, 4); return null, null],
		["joinLobby", func(): Steam.joinLobby(lobby); return null, null],
		["leaveLobby", func(): Steam.leaveLobby(lobby); return null, null],
		["inviteUserToLobby", func(): return Steam.inviteUserToLobby(lobby, user), false],
		["getNumLobbyMembers", func(): return Steam.getNumLobbyMembers(lobby), 0],
		["getLobbyMemberByIndex", func(): return Steam.getLobbyMemberByIndex(lobby, 0), 0],
		["getLobbyData", func(): return Steam.getLobbyData(lobby, "k"), ""],
		["setLobbyData", func(): return Steam.setLobbyData(lobby, "k", "v"), false],
		["getAllLobbyData", func(): return Steam.getAllLobbyData(lobby), {}],
		["deleteLobbyData", func(): return Steam.deleteLobbyData(lobby, "k"), false],
		["getLobbyMemberData", func(): return Steam.getLobbyMemberData(lobby, user, "k"), ""],
		["setLobbyMemberData", func(): Steam.setLobbyMemberData(lobby, "k", "v"); return null, null],
		["sendLobbyChatMsg", func(): return Steam.sendLobbyChatMsg(lobby, "hi"), false],
		["requestLobbyData", func(): return Steam.requestLobbyData(lobby), false],
		["setLobbyGameServer", func(): Steam.setLobbyGameServer(lobby, "127.0.0.1", 1, 0); return null, null],
		["getLobbyGameServer", func(): return Steam.getLobbyGameServer(lobby), {"ret": false}],
		["setLobbyMemberLimit", func(): return Steam.setLobbyMemberLimit(lobby, 4), false],
		["getLobbyMemberLimit", func(): return Steam.getLobbyMemberLimit(lobby), 0],
		["setLobbyType", func(): return Steam.setLobbyType(lobby, Steam.LOBBY_TYPE_PRIVATE), false],
		["setLobbyJoinable", func(): return Steam.setLobbyJoinable(lobby, false), false],
		["getLobbyOwner", func(): return Steam.getLobbyOwner(lobby), 0],
		["setLobbyOwner", func(): return Steam.setLobbyOwner(lobby, user), false],
		["requestLobbyList", func(): Steam.requestLobbyList(); return null, null],
		["addRequestLobbyListStringFilter", func():
			Steam.addRequestLobbyListStringFilter("k", "v", Steam.LOBBY_COMPARISON_EQUAL); return null, null],
		["addRequestLobbyListNumericalFilter", func():
			Steam.addRequestLobbyListNumericalFilter("k", 1, Steam.LOBBY_COMPARISON_GREATER_THAN); return null, null],
		["addRequestLobbyListNearValueFilter", func(): Steam.addRequestLobbyListNearValueFilter("k", 1); return null, null],
		["addRequestLobbyListFilterSlotsAvailable", func(): Steam.addRequestLobbyListFilterSlotsAvailable(1); return null, null],
		["addRequestLobbyListDistanceFilter", func():
			Steam.addRequestLobbyListDistanceFilter(Steam.LOBBY_DISTANCE_FILTER_WORLDWIDE); return null, null],
		["addRequestLobbyListResultCountFilter", func(): Steam.addRequestLobbyListResultCountFilter(5); return null, null],
	]


## Waits `frames` process frames.
func frames(count: int) -> void:
	for i in count:
		await process_frame


## The Steam ID peer number `index` gets (this process is peer 0).
func peer_steam_id(index: int) -> int:
	return INDIVIDUAL_BASE + 1 + index


## Starts another Godot process as peer `index`, running `script` with the
## user arguments `args`; it is killed when the suite ends. Returns its pid.
func spawn_peer(index: int, args: Array = [], script := "res://peers/echo_peer.gd") -> int:
	var saved := {}
	var identity := {
		"STEAM_DOUBLE_STEAM_ID": str(peer_steam_id(index)),
		"STEAM_NETWORKING_LOCAL_ID": str(index),
	}
	for key in identity:
		saved[key] = OS.get_environment(key)
		OS.set_environment(key, identity[key])
	var argv := ["--headless", "--path", ProjectSettings.globalize_path("res://"), "--script", script, "--"]
	argv.append_array(args)
	var pid := OS.create_process(OS.get_executable_path(), argv)
	for key in saved:
		OS.set_environment(key, saved[key])
	check(pid > 0, "peer %d started" % index)
	_children.append(pid)
	return pid


## Kills a peer started by spawn_peer (SIGKILL) and forgets it.
func kill_peer(pid: int) -> void:
	OS.kill(pid)
	_children.erase(pid)


## Runs frames until `condition` is true or `timeout_ms` passes, calling
## Steam.run_callbacks() each frame when `pump`. Returns the condition.
func wait_until(condition: Callable, timeout_ms: int, pump := true) -> bool:
	var deadline := Time.get_ticks_msec() + timeout_ms
	while not condition.call():
		if Time.get_ticks_msec() > deadline:
			return false
		if pump:
			Steam.run_callbacks()
		await process_frame
	return true


## Waits for the next packet on `channel` and reads it whole; `{}` on timeout.
func read_next(channel: int, timeout_ms := 10000) -> Dictionary:
	var arrived: bool = await wait_until(func(): return Steam.getAvailableP2PPacketSize(channel) > 0, timeout_ms)
	if not arrived:
		return {}
	return Steam.readP2PPacket(Steam.getAvailableP2PPacketSize(channel), channel)


## The port local-backend instance `index` listens on (TCP and UDP): read
## from the run's directory (tests/run gives each suite one), else the fixed
## port from STEAM_NETWORKING_LOCAL_PORT. 0 if it is not running.
func local_port(index: int) -> int:
	var dir := OS.get_environment("STEAM_NETWORKING_LOCAL_DIR")
	if dir.is_empty():
		return int(OS.get_environment("STEAM_NETWORKING_LOCAL_PORT")) + index
	var text := FileAccess.get_file_as_string(dir.path_join("%d.port" % index))
	return int(text.strip_edges())


## Lines of a /proc file (Godot reports their length as 0, so they are read
## line by line).
func proc_lines(path: String) -> PackedStringArray:
	var lines := PackedStringArray()
	var file := FileAccess.open(path, FileAccess.READ)
	if file == null:
		return lines
	while not file.eof_reached():
		lines.append(file.get_line())
	return lines


## What process `pid` holds now: open file descriptors, threads, resident
## KiB, and TCP connections established with either end on one of `ports`.
func holdings(pid: int, ports: Array) -> Dictionary:
	var fd := DirAccess.open("/proc/%d/fd" % pid)
	var rss := 0
	for line in proc_lines("/proc/%d/status" % pid):
		if line.begins_with("VmRSS:"):
			rss = int(line.split(":")[1].strip_edges().split(" ")[0])
	var established := 0
	for line in proc_lines("/proc/net/tcp").slice(1):
		var fields := line.strip_edges().split(" ", false)
		if fields.size() > 3 and fields[3] == "01":
			var local := fields[1].get_slice(":", 1).hex_to_int()
			var remote := fields[2].get_slice(":", 1).hex_to_int()
			if local in ports or remote in ports:
				established += 1
	return {
		"fds": fd.get_files().size() + fd.get_directories().size() if fd else -1,
		"threads": DirAccess.get_directories_at("/proc/%d/task" % pid).size(),
		"rss_kib": rss,
		"established": established,
	}


## `count` random bytes.
func random_bytes(count: int) -> PackedByteArray:
	return Crypto.new().generate_random_bytes(count)
