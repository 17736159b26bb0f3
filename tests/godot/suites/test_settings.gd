## The project settings GodotSteam users configure are registered with
## defaults and editor hints, and the backend setting is honoured.
extends "res://lib/suite.gd"

const EXPECTED := {
	"steam_networking/backend": ["steam", TYPE_STRING, PROPERTY_HINT_ENUM, "steam,local"],
	"steam_networking/log_level": ["warn", TYPE_STRING, PROPERTY_HINT_ENUM, "error,warn,info,debug"],
	"steam_networking/local/name": ["", TYPE_STRING, PROPERTY_HINT_NONE, ""],
	# The local backend's simulated network conditions (their environment variables win).
	"steam_networking/local/lag_ms": [0, TYPE_INT, PROPERTY_HINT_RANGE, "0,10000,1,suffix:ms"],
	"steam_networking/local/jitter_ms": [0, TYPE_INT, PROPERTY_HINT_RANGE, "0,10000,1,suffix:ms"],
	"steam_networking/local/loss_percent": [0.0, TYPE_FLOAT, PROPERTY_HINT_RANGE, "0,100,0.1,suffix:%"],
	"steam_networking/local/reorder_percent": [0.0, TYPE_FLOAT, PROPERTY_HINT_RANGE, "0,100,0.1,suffix:%"],
	"steam_networking/local/reorder_ms": [15, TYPE_INT, PROPERTY_HINT_RANGE, "0,10000,1,suffix:ms"],
	"steam_networking/local/dup_percent": [0.0, TYPE_FLOAT, PROPERTY_HINT_RANGE, "0,100,0.1,suffix:%"],
	"steam_networking/local/rate_kbps": [0, TYPE_INT, PROPERTY_HINT_RANGE, "0,1000000,1,suffix:kB/s"],
	# GodotSteam 4.20's names (4.14's are read too, see tests/install).
	"steam/initialization/app_data/app_id": [0, TYPE_INT, PROPERTY_HINT_RANGE, "0,4294967295,1,or_greater"],
	"steam/initialization/processes/initialize_on_startup": [false, TYPE_BOOL, PROPERTY_HINT_NONE, ""],
	"steam/initialization/processes/embed_callbacks": [false, TYPE_BOOL, PROPERTY_HINT_NONE, ""],
}


func test_settings_are_registered_with_defaults_and_hints() -> void:
	var infos := {}
	for p in ProjectSettings.get_property_list():
		infos[p["name"]] = p
	for name in EXPECTED:
		var spec: Array = EXPECTED[name]
		check_eq(ProjectSettings.get_setting(name), spec[0], "%s default" % name)
		check_eq(ProjectSettings.property_get_revert(name), spec[0], "%s initial value" % name)
		if check(infos.has(name), "%s has property info" % name):
			check_eq(infos[name]["type"], spec[1], "%s type" % name)
			check_eq(infos[name]["hint"], spec[2], "%s hint" % name)
			check_eq(infos[name]["hint_string"], spec[3], "%s hint string" % name)


func test_no_startup_init_by_default() -> void:
	check_eq(Steam.isSteamRunning(), false, "nothing started without initialize_on_startup")


func test_backend_setting_is_honoured() -> void:
	ProjectSettings.set_setting("steam_networking/backend", "local")
	var init: Dictionary = Steam.steamInitEx()
	check_eq(init.get("status"), Steam.STEAM_API_INIT_RESULT_OK, "local backend from the setting: %s" % init)
	check("Local backend" in str(init.get("verbal")), "verbal says local mode is on")
	check_eq(Steam.getSteamID() >= INDIVIDUAL_BASE + 1, true, "a local id")
	Steam.steamShutdown()
	ProjectSettings.set_setting("steam_networking/backend", "lan")
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_FAILED_GENERIC, "unknown backend name")
	check_one_error("expected \"steam\" or \"local\"", "unknown backend explained")
	ProjectSettings.set_setting("steam_networking/backend", "steam")
