# Shared by tests/run and the demo: prepares a Godot project that uses the addon.

# prepare_project DIR: makes Godot load the extension in DIR and imports it.
# Godot only loads extensions listed in .godot/extension_list.cfg, which the
# first import writes; and that very first import may crash at exit after
# doing its work (a known engine bug). Writing the list first avoids both.
# Imports of one folder are serialized (flock), so that two test runs in one
# checkout never write the same .godot files at once.
prepare_project() {
  local dir=$1 log rc
  mkdir -p "$dir/.godot"
  {
    flock -w 300 9 || { echo "prepare_project: $dir stayed locked" >&2; return 1; }
    echo "res://addons/steam_networking/steam_networking.gdextension" >"$dir/.godot/extension_list.cfg"
    log=$(timeout 120 "$GODOT" --headless --path "$dir" --import 2>&1 9>&-)
    rc=$?
  } 9>"$dir/.godot/.import.lock"
  ((rc == 0)) || { echo "$log" >&2; return 1; }
}
