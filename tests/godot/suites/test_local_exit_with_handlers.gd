## Regression: a game that connects GDScript lambdas to the Steam signals and
## quits without disconnecting them must exit cleanly. The singleton outlives
## the script languages; before the plugin released the connections when the
## scene tree ends, freeing it corrupted the heap (exit code 134), every time
## in this exact shape.
extends "res://lib/suite.gd"


func test_lambdas_stay_connected_until_exit() -> void:
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	Steam.p2p_session_request.connect(func(id): Steam.acceptP2PSessionWithUser(id))
	Steam.p2p_session_connect_fail.connect(func(id, error): print("fail ", id, error))
	spawn_peer(1, ["--hello=%d" % Steam.getSteamID()])
	check_eq((await read_next(0, 20000)).get("remote_steam_id"), peer_steam_id(1), "a session with a lambda handler")
	Steam.sendP2PPacket(peer_steam_id(1), "cmd:quit".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	# No disconnect and no steamShutdown: exit as a careless game would.
