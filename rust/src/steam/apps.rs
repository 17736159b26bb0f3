//! ISteamApps' GDScript surface: conversions only; the logic is in
//! [`crate::api`].

use godot::prelude::*;

use super::{Steam, answer};

#[godot_api(secondary)]
impl Steam {
    /// Whether the user owns the running app (true on the local backend).
    #[func(rename = isSubscribed)]
    fn is_subscribed() -> bool {
        answer("isSubscribed", false, |client| client.is_subscribed())
    }

    /// Whether the user owns an app (the local backend: only its own).
    #[func(rename = isSubscribedApp)]
    fn is_subscribed_app(app_id: i64) -> bool {
        answer("isSubscribedApp", false, |client| {
            client.is_subscribed_app(app_id)
        })
    }

    /// Whether a DLC is installed (never on the local backend).
    #[func(rename = isDLCInstalled)]
    fn is_dlc_installed(dlc_id: i64) -> bool {
        answer("isDLCInstalled", false, |client| {
            client.is_dlc_installed(dlc_id)
        })
    }

    /// The SteamID64 of the app's owner (not the user under Family Sharing;
    /// the local instance's own id on the local backend); 0 on failure.
    #[func(rename = getAppOwner)]
    fn get_app_owner() -> i64 {
        answer("getAppOwner", 0, |client| client.app_owner()) as i64
    }

    /// The installed app's build id (0 on the local backend).
    #[func(rename = getAppBuildId)]
    fn get_app_build_id() -> i64 {
        answer("getAppBuildId", 0, |client| client.app_build_id()).into()
    }

    /// Where an app is installed; "Possible wrong app ID or missing depot"
    /// when Steam gives no path (as GodotSteam 4.20). The local backend: the
    /// running executable's folder for its own app.
    #[func(rename = getAppInstallDir)]
    fn get_app_install_dir(app_id: i64) -> String {
        answer("getAppInstallDir", String::new(), |client| {
            client.app_install_dir(app_id)
        })
    }

    /// The language the game runs in, in Steam's API names ("english",
    /// "german", ...); the local backend: the OS locale's.
    #[func(rename = getCurrentGameLanguage)]
    fn get_current_game_language() -> String {
        answer("getCurrentGameLanguage", String::new(), |client| {
            client.current_game_language()
        })
    }

    /// The game's languages, comma-separated; "None" on failure, as
    /// GodotSteam returns.
    #[func(rename = getAvailableGameLanguages)]
    fn get_available_game_languages() -> String {
        answer("getAvailableGameLanguages", "None".to_owned(), |client| {
            client.available_game_languages()
        })
    }

    /// The command line a `steam://run/<app id>//<arguments>` link passed
    /// ("" on the local backend).
    #[func(rename = getLaunchCommandLine)]
    fn get_launch_command_line() -> String {
        answer("getLaunchCommandLine", String::new(), |client| {
            client.launch_command_line()
        })
    }
}
