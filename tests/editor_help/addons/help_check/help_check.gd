## Test fixture: opens the `Steam` help page in the editor, as F1 would, and
## checks that the class and every method, signal and constant ClassDB lists
## has a description. Prints "EDITOR HELP: ok" or what is missing, then quits.
@tool
extends EditorPlugin

const NO_DESCRIPTION := "There is currently no description"


func _enter_tree() -> void:
	# The editor loads the class reference in the background after start-up.
	get_tree().create_timer(3.0).timeout.connect(_check)


func _help_text(node: Node) -> String:
	if node is RichTextLabel and node.get_parsed_text().contains("Inherits:") \
			and node.get_parsed_text().contains("run_callbacks"):
		return node.get_parsed_text()
	for child in node.get_children():
		var found := _help_text(child)
		if found != "":
			return found
	return ""


func _check() -> void:
	EditorInterface.get_script_editor().goto_help("class_name:Steam")
	var text := ""
	for attempt in 20:
		await get_tree().create_timer(0.5).timeout
		text = _help_text(EditorInterface.get_base_control())
		if text != "":
			break
	var missing: Array[String] = []
	if text == "":
		missing.append("the help page itself")
	# Non-empty lines, with the help page's non-breaking spaces made plain.
	var lines := Array(text.replace("\u00a0", " ").split("\n")) \
		.map(func(l): return l.strip_edges()).filter(func(l): return l != "")
	var description := lines.find("Description")
	if description < 0 or lines[description + 1].begins_with(NO_DESCRIPTION) or lines[description + 1] == "Methods":
		missing.append("class description")
	for m in ClassDB.class_get_method_list("Steam", true):
		missing.append_array(_described(lines, " %s(" % m["name"], "method"))
	for s in ClassDB.class_get_signal_list("Steam", true):
		missing.append_array(_described(lines, "● %s(" % s["name"], "signal"))
	for c in ClassDB.class_get_integer_constant_list("Steam", true):
		missing.append_array(_described(lines, "● %s = " % c, "constant"))
	print("EDITOR HELP: %s" % ("ok" if missing.is_empty() else "missing " + ", ".join(missing)))
	get_tree().quit()


## Finds the last bulleted entry line containing `token` (detailed entries
## come after the summary) and checks the next line describes it.
func _described(lines: Array, token: String, kind: String) -> Array[String]:
	var at := -1
	for i in lines.size():
		var line: String = lines[i]
		if line.begins_with("●") and (line + " ").contains(token):
			at = i
	if at < 0 or at + 1 >= lines.size():
		return ["%s %s (no entry)" % [kind, token]]
	var next: String = lines[at + 1]
	if next.begins_with("●") or next.begins_with(NO_DESCRIPTION) or next.ends_with("Descriptions"):
		return ["%s %s" % [kind, token]]
	return []
