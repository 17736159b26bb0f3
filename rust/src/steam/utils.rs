//! ISteamUtils' GDScript surface: conversions only; the logic is in
//! [`crate::api`].

use godot::prelude::*;

use super::{Steam, main_thread_only, or_report};

#[godot_api(secondary)]
impl Steam {
    /// The running app's id. The local backend: the id given to init, else
    /// the project setting `steam/initialization/app_data/app_id`, else
    /// `steam_appid.txt`, else 0.
    #[func(rename = getAppID)]
    fn get_app_id(&mut self) -> i64 {
        main_thread_only!("getAppID", 0);
        or_report("getAppID", self.client.app_id(), 0).into()
    }

    /// Whether the game runs on a Steam Deck (false on the local backend).
    #[func(rename = isSteamRunningOnSteamDeck)]
    fn is_steam_running_on_steam_deck(&mut self) -> bool {
        main_thread_only!("isSteamRunningOnSteamDeck", false);
        or_report(
            "isSteamRunningOnSteamDeck",
            self.client.on_steam_deck(),
            false,
        )
    }

    /// Whether Steam runs in VR mode (false on the local backend).
    #[func(rename = isSteamRunningInVR)]
    fn is_steam_running_in_vr(&mut self) -> bool {
        main_thread_only!("isSteamRunningInVR", false);
        or_report("isSteamRunningInVR", self.client.in_vr(), false)
    }

    /// Whether Steam runs in Big Picture mode (false on the local backend).
    #[func(rename = isSteamInBigPictureMode)]
    fn is_steam_in_big_picture_mode(&mut self) -> bool {
        main_thread_only!("isSteamInBigPictureMode", false);
        or_report(
            "isSteamInBigPictureMode",
            self.client.in_big_picture(),
            false,
        )
    }

    /// The Steam client's language in Steam's API names; the local backend:
    /// the OS locale's.
    #[func(rename = getSteamUILanguage)]
    fn get_steam_ui_language(&mut self) -> String {
        main_thread_only!("getSteamUILanguage", String::new());
        or_report(
            "getSteamUILanguage",
            self.client.ui_language(),
            String::new(),
        )
    }

    /// The user's country as two letters, from their IP address; the local
    /// backend: the OS locale's region ("" if it names none).
    #[func(rename = getIPCountry)]
    fn get_ip_country(&mut self) -> String {
        main_thread_only!("getIPCountry", String::new());
        or_report("getIPCountry", self.client.ip_country(), String::new())
    }

    /// Whether the Steam overlay is on for this game (false on the local
    /// backend: there is none).
    #[func(rename = isOverlayEnabled)]
    fn is_overlay_enabled(&mut self) -> bool {
        main_thread_only!("isOverlayEnabled", false);
        or_report("isOverlayEnabled", self.client.overlay_enabled(), false)
    }
}
