//! The project settings GodotSteam users set by hand, registered with
//! defaults and hints so they show in Project Settings, and the start-up
//! behaviour they ask for.

use godot::classes::{Engine, ProjectSettings};
use godot::prelude::*;
use godot::register::info::PropertyHint;

use crate::backend::local::netsim::env::KNOBS;

/// `steam_networking/backend`: `"steam"` or `"local"` (the environment
/// variable `STEAM_NETWORKING_BACKEND` wins).
pub const BACKEND: &str = "steam_networking/backend";
/// `steam_networking/log_level`: which plugin messages reach the output
/// (the environment variable `STEAM_NETWORKING_LOG` wins).
pub const LOG_LEVEL: &str = "steam_networking/log_level";
/// `steam_networking/local/name`: the local backend's persona name (the
/// environment variable `STEAM_NETWORKING_LOCAL_NAME` wins).
pub const LOCAL_NAME: &str = "steam_networking/local/name";
/// `steam/initialization/app_data/app_id` (GodotSteam 4.20's name): the app
/// id passed to the start-up init.
pub const APP_ID: &str = "steam/initialization/app_data/app_id";
/// `steam/initialization/processes/initialize_on_startup`: call
/// `steamInitEx` when the game starts.
pub const INIT_ON_STARTUP: &str = "steam/initialization/processes/initialize_on_startup";
/// `steam/initialization/processes/embed_callbacks`: with start-up init,
/// run callbacks every frame.
pub const EMBED_CALLBACKS: &str = "steam/initialization/processes/embed_callbacks";
/// GodotSteam 4.14's names of the three settings above, which projects made
/// for it still carry (4.20 converts them; this plugin reads them when the
/// new one is left at its default).
const OLDER_NAMES: [(&str, &str); 3] = [
    (APP_ID, "steam/initialization/app_id"),
    (
        INIT_ON_STARTUP,
        "steam/initialization/initialize_on_startup",
    ),
    (EMBED_CALLBACKS, "steam/initialization/embed_callbacks"),
];

fn register(name: &str, default: Variant, hint: PropertyHint, hint_string: &str) {
    let mut settings = ProjectSettings::singleton();
    if !settings.has_setting(name) {
        settings.set_setting(name, &default);
    }
    // With the initial value set, Godot only writes the setting to
    // project.godot when the user changes it.
    settings.set_initial_value(name, &default);
    settings.set_as_basic(name, true);
    let info = vdict! {
        "name" => name,
        "type" => default.get_type().ord() as i64,
        "hint" => hint.ord() as i64,
        "hint_string" => hint_string,
    };
    settings.add_property_info(&info);
}

/// Registers every setting of the plugin.
pub fn register_all() {
    register(
        BACKEND,
        "steam".to_variant(),
        PropertyHint::ENUM,
        "steam,local",
    );
    register(
        LOG_LEVEL,
        "warn".to_variant(),
        PropertyHint::ENUM,
        "error,warn,info,debug",
    );
    register(
        APP_ID,
        0i64.to_variant(),
        PropertyHint::RANGE,
        "0,4294967295,1,or_greater",
    );
    register(LOCAL_NAME, "".to_variant(), PropertyHint::NONE, "");
    // The simulated network conditions (their variables win), as the local
    // backend reads them.
    for knob in &KNOBS {
        let default = knob.default_value();
        let default = if knob.is_whole() {
            (default as i64).to_variant()
        } else {
            default.to_variant()
        };
        register(knob.setting, default, PropertyHint::RANGE, &knob.hint());
    }
    register(INIT_ON_STARTUP, false.to_variant(), PropertyHint::NONE, "");
    register(EMBED_CALLBACKS, false.to_variant(), PropertyHint::NONE, "");
}

/// What a backend starts with besides the app id: the player's locale and
/// the settings the local backend reads.
pub fn start_info() -> crate::backend::StartInfo {
    crate::backend::StartInfo {
        app_id: 0,
        setting_app_id: u32::try_from(steam_setting(APP_ID).try_to::<i64>().unwrap_or(0))
            .unwrap_or(0),
        locale: godot::classes::Os::singleton().get_locale().to_string(),
        local_name: string(LOCAL_NAME).filter(|name| !name.trim().is_empty()),
        local_conditions: KNOBS
            .iter()
            .filter_map(|knob| Some((knob.setting.to_string(), string(knob.setting)?)))
            .collect(),
    }
}

/// A GodotSteam setting's value: the 4.20 name's, or, while that is at its
/// default, the value under GodotSteam 4.14's name if the project has one.
pub fn steam_setting(name: &str) -> Variant {
    let settings = ProjectSettings::singleton();
    let older = OLDER_NAMES
        .iter()
        .find(|(new, _)| *new == name)
        .map(|(_, old)| *old)
        // property_can_revert is true whenever there is an initial value;
        // comparing with it tells whether the user changed the setting.
        .filter(|old| {
            settings.has_setting(*old)
                && settings.get_setting(name) == settings.property_get_revert(name)
        });
    match older {
        Some(old) => {
            log::info!("project setting {old} (GodotSteam 4.14's name) is used for {name}");
            settings.get_setting(old)
        }
        None => settings.get_setting(name),
    }
}

/// A setting's value as a string, if the project has it.
pub fn string(name: &str) -> Option<String> {
    let settings = ProjectSettings::singleton();
    settings
        .has_setting(name)
        .then(|| settings.get_setting(name).to_string())
}

/// With `initialize_on_startup`, starts Steam on the game's first frame
/// (deferred: the scene tree that embedded callbacks attach to does not
/// exist yet while extensions load). Never in the editor itself.
pub fn schedule_startup_init() {
    if !steam_setting(INIT_ON_STARTUP).booleanize() || Engine::singleton().is_editor_hint() {
        return;
    }
    let app_id = steam_setting(APP_ID);
    let embed = steam_setting(EMBED_CALLBACKS);
    let init = Callable::from_fn("steam_startup_init", move |_| {
        if let Some(mut steam) = Engine::singleton().get_singleton("Steam") {
            let result = steam.call("steamInitEx", &[app_id.clone(), embed.clone()]);
            log::info!("initialize_on_startup: steamInitEx() = {result}");
        }
    });
    init.call_deferred(&[]);
}
