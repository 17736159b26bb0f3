// Lets the extension find libsteam_api.so beside itself in the addon's bin/
// without LD_LIBRARY_PATH: Godot dlopens the extension by path, and the
// dynamic loader only looks next to it when told to through $ORIGIN.
// It reads nothing but itself, so Cargo reruns it only when it changes.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-rpath,$ORIGIN");
}
