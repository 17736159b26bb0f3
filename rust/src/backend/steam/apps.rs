//! ISteamApps on Steam.

use steamworks::AppId;

use super::SteamBackend;
use crate::backend::apps::Apps;

impl Apps for SteamBackend {
    fn is_subscribed(&mut self) -> bool {
        self.client.apps().is_subscribed()
    }

    fn is_subscribed_app(&mut self, app_id: u32) -> bool {
        self.client.apps().is_subscribed_app(AppId(app_id))
    }

    fn is_dlc_installed(&mut self, dlc_id: u32) -> bool {
        self.client.apps().is_dlc_installed(AppId(dlc_id))
    }

    fn app_owner(&mut self) -> u64 {
        self.client.apps().app_owner().raw()
    }

    fn app_build_id(&mut self) -> i32 {
        self.client.apps().app_build_id()
    }

    fn app_install_dir(&mut self, app_id: u32) -> String {
        self.client.apps().app_install_dir(AppId(app_id))
    }

    fn current_game_language(&mut self) -> String {
        self.client.apps().current_game_language()
    }

    fn available_game_languages(&mut self) -> String {
        self.client.apps().available_game_languages().join(",")
    }

    fn launch_command_line(&mut self) -> String {
        self.client.apps().launch_command_line()
    }
}
