//! ISteamApps for a local instance: it owns the app it runs, no DLC, and the
//! player's OS language.

use super::LocalBackend;
use super::locale::steam_language;
use crate::backend::apps::Apps;

impl Apps for LocalBackend {
    fn is_subscribed(&mut self) -> bool {
        true
    }

    fn is_subscribed_app(&mut self, app_id: u32) -> bool {
        app_id != 0 && app_id == self.app_id
    }

    fn is_dlc_installed(&mut self, _dlc_id: u32) -> bool {
        false
    }

    fn app_owner(&mut self) -> u64 {
        self.me.raw()
    }

    fn app_build_id(&mut self) -> i32 {
        0
    }

    fn app_install_dir(&mut self, app_id: u32) -> String {
        // The running game's folder for its own app; nothing else is installed.
        if app_id != self.app_id {
            return String::new();
        }
        std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.to_string_lossy().into_owned()))
            .unwrap_or_default()
    }

    fn current_game_language(&mut self) -> String {
        steam_language(&self.locale).to_owned()
    }

    fn available_game_languages(&mut self) -> String {
        let current = steam_language(&self.locale);
        if current == "english" {
            current.to_owned()
        } else {
            format!("english,{current}")
        }
    }

    fn launch_command_line(&mut self) -> String {
        String::new()
    }
}
