## Runs inside a fresh project that got the addon from the release zip and
## whose project.godot sets initialize_on_startup and embed_callbacks under
## GodotSteam 4.14's names (as projects made for it have them) and the local
## backend: the plugin must start by itself and work.
extends SceneTree

var failures := 0


func check(ok: bool, what: String) -> void:
	if not ok:
		failures += 1
		printerr("install check failed: ", what)


func _initialize() -> void:
	_run.call_deferred()


func _run() -> void:
	check(Engine.has_singleton("Steam"), "the Steam singleton exists")
	# initialize_on_startup runs on the first frame.
	await process_frame
	await process_frame
	check(Steam.isSteamRunning(), "initialize_on_startup started the backend")
	var init: Dictionary = Steam.get_steam_init_result()
	check(init.get("status") == Steam.SteamAPIInitResult.STEAM_API_INIT_RESULT_OK and "Local backend" in str(init.get("verbal")),
		"get_steam_init_result() reports the start-up init, got %s" % init)
	check(Steam.getSteamID() == 76561197960265728 + 1, "local instance 0, got %d" % Steam.getSteamID())
	var embedded := process_frame.get_connections().any(
		func(c): return c["callable"].get_method() == "run_callbacks")
	check(embedded, "embed_callbacks connected run_callbacks to process_frame")
	for setting in ["steam_networking/backend", "steam_networking/log_level", "steam_networking/local/name",
			"steam/initialization/app_data/app_id", "steam/initialization/processes/initialize_on_startup",
			"steam/initialization/processes/embed_callbacks"]:
		check(ProjectSettings.has_setting(setting), "setting %s is registered" % setting)
	var state := Steam.getP2PSessionState(76561197960265728 + 2)
	check(state == {}, "API answers: no session yet")
	check(Steam.sendP2PPacket(76561197960265728 + 2, PackedByteArray([1]), Steam.P2P_SEND_RELIABLE), "send queues")
	Steam.steamShutdown()
	print("INSTALL CHECKS: %s" % ("passed" if failures == 0 else "%d failed" % failures))
	quit(0 if failures == 0 else 1)
