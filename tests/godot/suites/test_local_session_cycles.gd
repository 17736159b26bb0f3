## Sessions opened and closed a thousand times between two real game
## instances, as lobbies and rematches do: each cycle sends to the peer (an
## echo peer, which accepts every request), waits for the echo and closes the
## session. Afterwards both processes hold what they held before: file
## descriptors, threads, established connections, resident memory.
extends "res://lib/suite.gd"

const CYCLES := 1000
## Cycles before the baseline: the first few hundred can grow the process
## once (the allocator's per-thread arenas: +11 MiB once, seen on the debug
## build), which is not a leak.
const WARM_UP := 200
## After the warm-up, resident memory moved by at most a few hundred KiB
## over 3,000 cycles (both builds). A leaked thread stack or socket buffer
## per cycle would cost several MiB per 1,000 cycles.
const RSS_SLACK_KIB := 4096
## An unreliable packet may be lost: a game would send it again.
const RESEND_MS := 500

var other := peer_steam_id(1)
var other_pid := 0
var requests := 0


func ports() -> Array:
	return [local_port(0), local_port(1)]


## Sends one packet (reliable or not), waits for its echo, closes the session.
func cycle(n: int, reliable: bool) -> bool:
	var data := PackedByteArray()
	data.resize(8)
	data.encode_u64(0, n)
	var kind := Steam.P2P_SEND_RELIABLE if reliable else Steam.P2P_SEND_UNRELIABLE
	var deadline := Time.get_ticks_msec() + 10000
	while Time.get_ticks_msec() < deadline:
		if not Steam.sendP2PPacket(other, data, kind, 0):
			return check(false, "cycle %d: send refused" % n)
		var resend_at := Time.get_ticks_msec() + RESEND_MS
		while Time.get_ticks_msec() < resend_at:
			Steam.run_callbacks()
			var size := Steam.getAvailableP2PPacketSize(0)
			while size > 0:
				var echo := Steam.readP2PPacket(size, 0)
				if echo.get("data") == data:
					return Steam.closeP2PSessionWithUser(other)
				size = Steam.getAvailableP2PPacketSize(0)
			await process_frame
	return check(false, "cycle %d: no echo within 10 s" % n)


## Both processes' holdings once every cycle's connections have ended.
func settled(baseline: Dictionary) -> Dictionary:
	var now := {}
	await wait_until(func():
		# Lambdas capture by value: fill the shared dictionary, not the variable.
		now.me = holdings(OS.get_process_id(), ports())
		now.peer = holdings(other_pid, ports())
		return now.me.established == 0 and now.peer.established == 0 \
			and (baseline.is_empty() or (now.me.fds <= baseline.me.fds and now.peer.fds <= baseline.peer.fds
				and now.me.threads <= baseline.me.threads and now.peer.threads <= baseline.peer.threads)), 20000)
	return now


func test_01_a_thousand_cycles_leave_nothing_behind() -> void:
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	Steam.p2p_session_request.connect(func(_id): requests += 1)
	other_pid = spawn_peer(1)
	check(await wait_until(func(): return local_port(1) > 0, 20000), "the peer is up")
	for n in WARM_UP:
		if not await cycle(n, n % 2 == 0):
			return
	var before := await settled({})
	print("    before: me %s, peer %s" % [before.me, before.peer])
	var started := Time.get_ticks_msec()
	for n in range(WARM_UP, WARM_UP + CYCLES):
		if not await cycle(n, n % 2 == 0):
			return
		if (n - WARM_UP) % 250 == 249:
			print("    %d cycles: RSS me %d KiB, peer %d KiB" % [n - WARM_UP + 1,
				holdings(OS.get_process_id(), []).rss_kib, holdings(other_pid, []).rss_kib])
	var took := Time.get_ticks_msec() - started
	var after := await settled(before)
	print("    after %d cycles (%d ms): me %s, peer %s" % [CYCLES, took, after.me, after.peer])
	for side in ["me", "peer"]:
		check_eq(after[side].established, 0, "%s: no connection stays established" % side)
		check(after[side].fds <= before[side].fds, "%s: file descriptors %d -> %d" % [side, before[side].fds, after[side].fds])
		check(after[side].threads <= before[side].threads, "%s: threads %d -> %d" % [side, before[side].threads, after[side].threads])
		check(after[side].rss_kib - before[side].rss_kib < RSS_SLACK_KIB,
			"%s: resident memory %d -> %d KiB" % [side, before[side].rss_kib, after[side].rss_kib])
	check_eq(requests, 0, "the echo never opened a session we had not")
	check_eq(Steam.getP2PSessionState(other), {}, "no session left")
	check_no_error("cycles")


func after_all() -> void:
	if Steam.isSteamRunning():
		Steam.sendP2PPacket(other, "cmd:quit".to_utf8_buffer(), Steam.P2P_SEND_RELIABLE, 0)
	Steam.steamShutdown()
