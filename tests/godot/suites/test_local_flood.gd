## Three local-backend instances: one floods this one with reliable and
## unreliable packets while this one reads slowly, so the flood backs up
## against its budgets; the other sends a reliable packet every 50 ms. The
## flood must not delay the other peer's packets (fair per-peer queues), must
## arrive whole and in order itself, and must not grow memory past the
## documented per-peer bounds.
extends "res://lib/suite.gd"

## Reads per frame on the flooded channel, and the pause between frames: a
## game that reads far slower than the flood comes in.
const READS_PER_FRAME := 40
const FRAME_PAUSE := 0.01
const RUN_MS := 10000
const WARM_UP_MS := 2000
## Budgets of one flooding peer (README, local backend "Bounds"): 8 MiB unread reliable,
## 256 KiB unread unreliable, 2 MiB of datagrams between threads; the rest is
## allocator and bookkeeping slack.
const RSS_GROWTH_BOUND := 24 * 1024 * 1024
## Under a first-come-first-served queue the trickle would wait behind 8 MiB
## of flood, about two seconds at this read rate.
const MAX_TRICKLE_DELAY := 0.5

var flooder := peer_steam_id(1)
var trickler := peer_steam_id(2)


func rss_bytes() -> int:
	# /proc files report size 0, so read a line rather than the whole file.
	var statm := FileAccess.open("/proc/self/statm", FileAccess.READ).get_line().split(" ")
	return int(statm[1]) * 4096


func test_flood_does_not_starve_another_peer() -> void:
	check_eq(Steam.steamInitEx().get("status"), Steam.STEAM_API_INIT_RESULT_OK, "init")
	Steam.p2p_session_request.connect(func(id): Steam.acceptP2PSessionWithUser(id))
	var rss_before := rss_bytes()
	var rss_peak := rss_before
	spawn_peer(1, ["--to=%d" % Steam.getSteamID(), "--mode=flood"], "res://peers/flood_peer.gd")
	spawn_peer(2, ["--to=%d" % Steam.getSteamID(), "--mode=trickle"], "res://peers/flood_peer.gd")
	var flood_next := 0
	var flood_bad := 0
	var unreliable := 0
	var trickle_next := 0
	var trickle_bad := 0
	var delays: Array[float] = []
	var frames_measured := 0
	var frames_backlogged := 0
	var start := Time.get_ticks_msec()
	while Time.get_ticks_msec() - start < RUN_MS:
		Steam.run_callbacks()
		var measuring := Time.get_ticks_msec() - start > WARM_UP_MS
		var reads := 0
		while reads < READS_PER_FRAME:
			var size := Steam.getAvailableP2PPacketSize(0)
			if size == 0:
				break
			var p := Steam.readP2PPacket(size, 0)
			var data: PackedByteArray = p["data"]
			reads += 1
			if p["remote_steam_id"] == flooder:
				if data.size() != 1024 or data.decode_u32(0) != flood_next:
					flood_bad += 1
				flood_next += 1
			elif p["remote_steam_id"] == trickler:
				if data.decode_u32(0) != trickle_next:
					trickle_bad += 1
				trickle_next += 1
				if measuring:
					delays.append(Time.get_unix_time_from_system() - data.decode_double(8))
		if measuring:
			frames_measured += 1
			if reads == READS_PER_FRAME and Steam.getAvailableP2PPacketSize(0) > 0:
				frames_backlogged += 1
		for i in 10:
			var size := Steam.getAvailableP2PPacketSize(1)
			if size == 0:
				break
			unreliable += 1
			Steam.readP2PPacket(size, 1)
		rss_peak = maxi(rss_peak, rss_bytes())
		await create_timer(FRAME_PAUSE).timeout
	for peer in [flooder, trickler]:
		Steam.sendP2PPacket(peer, "cmd:quit".to_ascii_buffer(), Steam.P2P_SEND_RELIABLE, 0)

	check(frames_backlogged >= frames_measured * 0.9,
		"the flood kept the queue full: %d of %d frames" % [frames_backlogged, frames_measured])
	check(flood_next > 1000 and flood_bad == 0, "flood whole and in order: %d read, %d bad" % [flood_next, flood_bad])
	check(unreliable > 0, "unreliable flood packets arrived too (%d)" % unreliable)
	check(delays.size() >= 100 and trickle_bad == 0,
		"trickle whole and in order: %d measured, %d bad" % [delays.size(), trickle_bad])
	delays.sort()
	var worst: float = delays.back() if not delays.is_empty() else INF
	print("    trickle delay under flood: median %.1f ms, worst %.1f ms; RSS %d -> peak %d KiB" % [
		delays[delays.size() / 2] * 1000 if not delays.is_empty() else -1.0, worst * 1000,
		rss_before / 1024, rss_peak / 1024])
	check(worst < MAX_TRICKLE_DELAY, "the trickle was never held back by the flood: worst %.3f s" % worst)
	check(rss_peak - rss_before < RSS_GROWTH_BOUND,
		"memory stayed bounded: grew %d KiB (bound %d KiB)" % [(rss_peak - rss_before) / 1024, RSS_GROWTH_BOUND / 1024])
	check(Steam.getP2PSessionState(trickler).get("connection_active", false), "the trickle's session is alive")
	await frames(5)
	Steam.steamShutdown()
