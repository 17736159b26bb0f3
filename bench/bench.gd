## Benchmarks in one Godot process, each against what a Godot user would
## otherwise call, measured in the same run. Prints one table row per line:
## "BENCH <name> | ours | baseline | ratio (ours / baseline time)".
extends SceneTree

const CALLS := 1000000
const PACKETS := 20000


func _initialize() -> void:
	_run.call_deferred()


func row(name: String, ours: String, base: String, ratio: float, note := "") -> void:
	print("BENCH | %s | %s | %s | %.2f | %s" % [name, ours, base, ratio, note])


func _run() -> void:
	var init: Dictionary = Steam.steamInitEx()
	if init["status"] != 0:
		printerr("bench: init failed: ", init)
		quit(1)
		return
	bench_call_overhead()
	await bench_batch_read()
	Steam.steamShutdown()
	quit(0)


func bench_call_overhead() -> void:
	var udp := PacketPeerUDP.new()
	udp.bind(0, "127.0.0.1")
	var t0 := Time.get_ticks_usec()
	for i in CALLS:
		udp.get_available_packet_count()
	var base := Time.get_ticks_usec() - t0
	t0 = Time.get_ticks_usec()
	for i in CALLS:
		Steam.getAvailableP2PPacketSize(0)
	var ours := Time.get_ticks_usec() - t0
	row("call overhead: 1M calls (getAvailableP2PPacketSize vs PacketPeerUDP.get_available_packet_count)",
		"%.1f ns/call" % (ours * 1000.0 / CALLS), "%.1f ns/call" % (base * 1000.0 / CALLS),
		float(ours) / base, "target <= 1.3")


## Fills channel 0 with PACKETS 64-byte packets sent to ourselves.
func fill() -> void:
	var me := Steam.getSteamID()
	var data := PackedByteArray()
	data.resize(64)
	for i in PACKETS:
		Steam.sendP2PPacket(me, data, Steam.P2P_SEND_RELIABLE, 0)
	# Our own first packet raises a session request; accept it. Then wait
	# until the send queue is empty and a few more frames for the receiving
	# side to file everything.
	Steam.acceptP2PSessionWithUser(me)
	while Steam.getP2PSessionState(me).get("packets_queued_for_send", 1) != 0:
		Steam.run_callbacks()
		await process_frame
	for i in 20:
		await process_frame
		Steam.getAvailableP2PPacketSize(0)


func bench_batch_read() -> void:
	await fill()
	var t0 := Time.get_ticks_usec()
	var n := 0
	var size := Steam.getAvailableP2PPacketSize(0)
	while size > 0:
		var p := Steam.readP2PPacket(size, 0)
		n += 1
		size = Steam.getAvailableP2PPacketSize(0)
	var loop := Time.get_ticks_usec() - t0
	await fill()
	t0 = Time.get_ticks_usec()
	var m := 0
	while true:
		var batch := Steam.readP2PPackets(256, 0)
		if batch.is_empty():
			break
		m += batch.size()
	var batched := Time.get_ticks_usec() - t0
	row("batch read: %d queued 64-byte packets (readP2PPackets(256) vs loop of getAvailableP2PPacketSize + readP2PPacket)" % PACKETS,
		"%.0f packets/s (%d read)" % [m * 1e6 / batched, m], "%.0f packets/s (%d read)" % [n * 1e6 / loop, n],
		float(batched) / max(loop, 1) * n / max(m, 1), "time per packet ratio; target <= 0.5 (2x)")
