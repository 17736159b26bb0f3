## Starts the backend once and prints the result on one line, for tests that
## check how an instance picks its identity.
extends SceneTree


func _initialize() -> void:
	var init: Dictionary = Steam.steamInitEx()
	print("PROBE status=%d id=%d verbal=%s" % [init.get("status"), Steam.getSteamID(), init.get("verbal")])
	Steam.steamShutdown()
	quit(0)
