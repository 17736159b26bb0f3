## A client process of the multiplayer tests: /root/Game (lib/mp_game.gd)
## over a SteamMultiplayerPeer to the host given as `--host=<steam id>`
## (or, with `--serve`, the host itself).
## It joins again whenever the server goes (so hosting again is testable),
## and appends what it saw to `--log=<file>` (server_disconnected,
## connection_failed), which the host reads.
extends SceneTree

const LIFETIME_MS := 90000

var host := 0
var serve := false
var log_path := ""
var game: Node


func _initialize() -> void:
	for arg in OS.get_cmdline_user_args():
		if arg.begins_with("--host="):
			host = int(arg.trim_prefix("--host="))
		elif arg == "--serve":
			serve = true
		elif arg.begins_with("--log="):
			log_path = arg.trim_prefix("--log=")
	var init: Dictionary = Steam.steamInitEx(0, true)
	if init.get("status") != Steam.STEAM_API_INIT_RESULT_OK:
		printerr("mp_peer: init failed: %s" % init)
		quit(2)
		return
	game = preload("res://lib/mp_game.gd").new()
	game.name = "Game"
	root.add_child(game)
	get_multiplayer().server_disconnected.connect(func(): note("server_disconnected"); _join.call_deferred())
	get_multiplayer().connection_failed.connect(func(): note("connection_failed"); _join.call_deferred())
	get_multiplayer().connected_to_server.connect(func(): note("connected %d" % get_multiplayer().get_unique_id()))
	get_multiplayer().peer_connected.connect(func(id): note("peer_connected %d" % id))
	_join()


func note(line: String) -> void:
	print("mp_peer %d: %s" % [Steam.getSteamID(), line])
	if log_path.is_empty():
		return
	var f := FileAccess.open(log_path, FileAccess.READ_WRITE if FileAccess.file_exists(log_path) else FileAccess.WRITE)
	f.seek_end()
	f.store_line("%d %s" % [Steam.getSteamID(), line])
	f.close()


func _join() -> void:
	var peer := SteamMultiplayerPeer.new()
	var err := peer.create_host() if serve else peer.create_client(host)
	if err != OK:
		note("create_client error %d" % err)
	get_multiplayer().multiplayer_peer = peer


func _process(_delta: float) -> bool:
	return Time.get_ticks_msec() > LIFETIME_MS
