# Shared by tests/run and the demo: prepares a Godot project that uses the addon.

# prepare_project DIR: makes Godot load the extension in DIR and imports it.
# Godot only loads extensions listed in .godot/extension_list.cfg, which the
# first import writes; and that very first import may crash at exit after
# doing its work (a known engine bug). Writing the list first avoids both.
prepare_project() {
  local dir=$1
  mkdir -p "$dir/.godot"
  echo "res://addons/steam_networking/steam_networking.gdextension" >"$dir/.godot/extension_list.cfg"
  local log
  log=$(timeout 120 "$GODOT" --headless --path "$dir" --import 2>&1) || {
    echo "$log" >&2
    return 1
  }
}
