## Puts two PNGs side by side: godot --headless --script side_by_side.gd -- A.png B.png OUT.png
extends SceneTree


func _initialize() -> void:
	var args := OS.get_cmdline_user_args()
	var left := Image.load_from_file(args[0])
	var right := Image.load_from_file(args[1])
	var gap := 8
	var out := Image.create(left.get_width() + gap + right.get_width(),
		maxi(left.get_height(), right.get_height()), false, left.get_format())
	out.fill(Color(0.1, 0.1, 0.1))
	out.blit_rect(left, Rect2i(Vector2i.ZERO, left.get_size()), Vector2i.ZERO)
	right.convert(left.get_format())
	out.blit_rect(right, Rect2i(Vector2i.ZERO, right.get_size()), Vector2i(left.get_width() + gap, 0))
	quit(0 if out.save_png(args[2]) == OK else 1)
