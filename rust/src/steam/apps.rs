//! ISteamApps' GDScript surface: conversions only; the logic is in
//! [`crate::api`].

use godot::prelude::*;

use super::{Steam, main_thread_only, or_report};

#[godot_api(secondary)]
impl Steam {
    /// Whether the user owns the running app (true on the local backend).
    #[func(rename = isSubscribed)]
    fn is_subscribed(&mut self) -> bool {
        main_thread_only!("isSubscribed", false);
        or_report("isSubscribed", self.client.is_subscribed(), false)
    }

    /// Whether the user owns an app (the local backend: only its own).
    #[func(rename = isSubscribedApp)]
    fn is_subscribed_app(&mut self, app_id: i64) -> bool {
        main_thread_only!("isSubscribedApp", false);
        or_report(
            "isSubscribedApp",
            self.client.is_subscribed_app(app_id),
            false,
        )
    }

    /// Whether a DLC is installed (never on the local backend).
    #[func(rename = isDLCInstalled)]
    fn is_dlc_installed(&mut self, dlc_id: i64) -> bool {
        main_thread_only!("isDLCInstalled", false);
        or_report(
            "isDLCInstalled",
            self.client.is_dlc_installed(dlc_id),
            false,
        )
    }

    /// The SteamID64 of the app's owner (not the user under Family Sharing;
    /// the local instance's own id on the local backend); 0 on failure.
    #[func(rename = getAppOwner)]
    fn get_app_owner(&mut self) -> i64 {
        main_thread_only!("getAppOwner", 0);
        or_report("getAppOwner", self.client.app_owner(), 0) as i64
    }

    /// The installed app's build id (0 on the local backend).
    #[func(rename = getAppBuildId)]
    fn get_app_build_id(&mut self) -> i64 {
        main_thread_only!("getAppBuildId", 0);
        or_report("getAppBuildId", self.client.app_build_id(), 0).into()
    }

    /// Where an app is installed; "Possible wrong app ID or missing depot"
    /// when Steam gives no path (as GodotSteam 4.20). The local backend: the
    /// running executable's folder for its own app.
    #[func(rename = getAppInstallDir)]
    fn get_app_install_dir(&mut self, app_id: i64) -> String {
        main_thread_only!("getAppInstallDir", String::new());
        or_report(
            "getAppInstallDir",
            self.client.app_install_dir(app_id),
            String::new(),
        )
    }

    /// The language the game runs in, in Steam's API names ("english",
    /// "german", ...); the local backend: the OS locale's.
    #[func(rename = getCurrentGameLanguage)]
    fn get_current_game_language(&mut self) -> String {
        main_thread_only!("getCurrentGameLanguage", String::new());
        or_report(
            "getCurrentGameLanguage",
            self.client.current_game_language(),
            String::new(),
        )
    }

    /// The game's languages, comma-separated; "None" on failure, as
    /// GodotSteam returns.
    #[func(rename = getAvailableGameLanguages)]
    fn get_available_game_languages(&mut self) -> String {
        main_thread_only!("getAvailableGameLanguages", "None".into());
        or_report(
            "getAvailableGameLanguages",
            self.client.available_game_languages(),
            "None".to_owned(),
        )
    }

    /// The command line a `steam://run/<app id>//<arguments>` link passed
    /// ("" on the local backend).
    #[func(rename = getLaunchCommandLine)]
    fn get_launch_command_line(&mut self) -> String {
        main_thread_only!("getLaunchCommandLine", String::new());
        or_report(
            "getLaunchCommandLine",
            self.client.launch_command_line(),
            String::new(),
        )
    }
}
