## One player's dot. The host's MultiplayerSpawner (main.tscn) makes one on
## every peer for each player; the player it belongs to is its multiplayer
## authority and moves it (the mouse, or a circle when nobody plays), and its
## MultiplayerSynchronizer child ("Sync", player.tscn) replicates `position`
## to the others.
extends Node2D

const COLORS := [Color.DODGER_BLUE, Color.ORANGE_RED, Color.LIME_GREEN, Color.GOLD, Color.VIOLET]

## The peer id of the player it belongs to (also its node name).
var peer_id := 0
## That player's Steam ID, from the host (clients only know the host's).
var steam_id := 0
## Move in a circle instead of following the mouse (scripted or screenshot runs).
var circling := false
## How many times a replicated position differed from the one before.
var moves := 0
var _last := Vector2.INF


func _ready() -> void:
	$Sync.synchronized.connect(_on_synchronized)


func _process(_delta: float) -> void:
	if is_multiplayer_authority():
		position = _wanted_position()
	queue_redraw()


func _on_synchronized() -> void:
	if position != _last:
		_last = position
		moves += 1


func _wanted_position() -> Vector2:
	if not circling:
		return get_global_mouse_position()
	var t := Time.get_ticks_msec() / 700.0 + steam_id % 7
	return Vector2(420 + 150 * sin(t), 200 + 90 * cos(t))


func _draw() -> void:
	var mine := is_multiplayer_authority()
	var color: Color = COLORS[0 if peer_id == 1 else 1 + absi(peer_id) % (COLORS.size() - 1)]
	draw_circle(Vector2.ZERO, 12, color)
	if mine:
		draw_arc(Vector2.ZERO, 15, 0, TAU, 24, Color.WHITE, 2)
	var name_text := Steam.getFriendPersonaName(steam_id) if steam_id != 0 else ""
	if name_text == "":
		name_text = "peer %d" % peer_id
	draw_string(ThemeDB.fallback_font, Vector2(18, 5), name_text + (" (me)" if mine else ""),
		HORIZONTAL_ALIGNMENT_LEFT, -1, 12)
