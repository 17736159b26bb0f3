//! ISteamUtils' GDScript surface, and ISteamNetworkingUtils' simulation
//! settings: conversions only; the logic is in [`crate::api`].

use godot::prelude::*;

use super::{Steam, answer};
use crate::p2p::conditions::{Conditions, ConfigValue};

/// A direction's conditions as the dictionary `getLocalNetworkConditions`
/// returns.
fn conditions_to_dict(conditions: &Conditions) -> VarDictionary {
    let mut dict = VarDictionary::new();
    for (key, value) in conditions.fields() {
        dict.set(key, value);
    }
    dict.set("summary", conditions.summary());
    dict
}

#[godot_api(secondary)]
impl Steam {
    /// The running app's id. The local backend: the id given to init, else
    /// the project setting `steam/initialization/app_data/app_id`, else
    /// `steam_appid.txt`, else 0.
    #[func(rename = getAppID)]
    fn get_app_id() -> i64 {
        answer("getAppID", 0, |client| client.app_id()).into()
    }

    /// Whether the game runs on a Steam Deck (false on the local backend).
    #[func(rename = isSteamRunningOnSteamDeck)]
    fn is_steam_running_on_steam_deck() -> bool {
        answer("isSteamRunningOnSteamDeck", false, |client| {
            client.on_steam_deck()
        })
    }

    /// Whether Steam runs in VR mode (false on the local backend).
    #[func(rename = isSteamRunningInVR)]
    fn is_steam_running_in_vr() -> bool {
        answer("isSteamRunningInVR", false, |client| client.in_vr())
    }

    /// Whether Steam runs in Big Picture mode (false on the local backend).
    #[func(rename = isSteamInBigPictureMode)]
    fn is_steam_in_big_picture_mode() -> bool {
        answer("isSteamInBigPictureMode", false, |client| {
            client.in_big_picture()
        })
    }

    /// The Steam client's language in Steam's API names; the local backend:
    /// the OS locale's.
    #[func(rename = getSteamUILanguage)]
    fn get_steam_ui_language() -> String {
        answer("getSteamUILanguage", String::new(), |client| {
            client.ui_language()
        })
    }

    /// The user's country as two letters, from their IP address; the local
    /// backend: the OS locale's region ("" if it names none).
    #[func(rename = getIPCountry)]
    fn get_ip_country() -> String {
        answer("getIPCountry", String::new(), |client| client.ip_country())
    }

    /// Whether the Steam overlay is on for this game (false on the local
    /// backend: there is none).
    #[func(rename = isOverlayEnabled)]
    fn is_overlay_enabled() -> bool {
        answer("isOverlayEnabled", false, |client| client.overlay_enabled())
    }

    /// Sets a network simulation setting that takes a whole number (`config`
    /// is a [enum NetworkingConfigValue] constant: the lag and reorder and
    /// duplicate times in milliseconds, the rate limits in bytes per
    /// second). Returns false, with an error, for another setting, a value
    /// out of its range, or before init. The local backend simulates the
    /// setting from now on until [method steamShutdown]; Steam gets it
    /// through `SteamNetworkingUtils()->SetGlobalConfigValueInt32`.
    #[func(rename = setGlobalConfigValueInt32)]
    fn set_global_config_value_int32(config: i64, value: i64) -> bool {
        answer("setGlobalConfigValueInt32", false, |client| {
            client
                .set_global_config(config, ConfigValue::Int32(value))
                .map(|()| true)
        })
    }

    /// Sets a network simulation setting that takes a number with a
    /// fraction (loss, reordering, duplication and jitter shares in percent,
    /// jitter times in milliseconds). Returns false, with an error, for the
    /// same reasons as [method setGlobalConfigValueInt32], and for a value
    /// that is not a number.
    #[func(rename = setGlobalConfigValueFloat)]
    fn set_global_config_value_float(config: i64, value: f64) -> bool {
        answer("setGlobalConfigValueFloat", false, |client| {
            client
                .set_global_config(config, ConfigValue::Float(value))
                .map(|()| true)
        })
    }

    /// GodotSteam's string variant of the setters. No network simulation
    /// setting takes a string, so this returns false with an error naming
    /// the call to use instead.
    #[func(rename = setGlobalConfigValueString)]
    fn set_global_config_value_string(config: i64, value: GString) -> bool {
        answer("setGlobalConfigValueString", false, |client| {
            client
                .set_global_config(config, ConfigValue::String(value.to_string()))
                .map(|()| true)
        })
    }

    /// The network conditions the local backend simulates (this plugin's
    /// own call, not GodotSteam's): `{send: {...}, receive: {...}}`, each
    /// with `lag_ms`, `jitter_ms` (mean), `jitter_max_ms`, `jitter_percent`,
    /// `loss_percent`, `reorder_percent`, `reorder_ms`, `dup_percent`,
    /// `dup_ms`, `rate_kbps` (0: no cap) and `summary` (such as "150 ms lag,
    /// 5% loss", or "none"). `{}` on the Steam backend, and before init.
    #[func(rename = getLocalNetworkConditions)]
    fn get_local_network_conditions() -> VarDictionary {
        let Some(conditions) = answer("getLocalNetworkConditions", None, |client| {
            client.network_conditions()
        }) else {
            return VarDictionary::new();
        };
        let mut dict = VarDictionary::new();
        dict.set("send", &conditions_to_dict(&conditions.send));
        dict.set("receive", &conditions_to_dict(&conditions.recv));
        dict
    }
}
