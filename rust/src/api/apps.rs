//! ISteamApps in plain Rust.

use super::{Client, Result};
use crate::p2p::InputError;

fn app_id(raw: i64) -> Result<u32> {
    u32::try_from(raw).map_err(|_| InputError::InvalidAppId(raw))
}

impl Client {
    /// `isSubscribed`.
    pub fn is_subscribed(&mut self) -> Result<bool> {
        Ok(self.backend()?.is_subscribed())
    }

    /// `isSubscribedApp`.
    pub fn is_subscribed_app(&mut self, app: i64) -> Result<bool> {
        let app = app_id(app)?;
        Ok(self.backend()?.is_subscribed_app(app))
    }

    /// `isDLCInstalled`.
    pub fn is_dlc_installed(&mut self, dlc: i64) -> Result<bool> {
        let dlc = app_id(dlc)?;
        Ok(self.backend()?.is_dlc_installed(dlc))
    }

    /// `getAppOwner`.
    pub fn app_owner(&mut self) -> Result<u64> {
        Ok(self.backend()?.app_owner())
    }

    /// `getAppBuildId`.
    pub fn app_build_id(&mut self) -> Result<i32> {
        Ok(self.backend()?.app_build_id())
    }

    /// `getAppInstallDir`: as GodotSteam 4.20, a fixed message when Steam
    /// gives no path.
    pub fn app_install_dir(&mut self, app: i64) -> Result<String> {
        let app = app_id(app)?;
        let dir = self.backend()?.app_install_dir(app);
        Ok(if dir.is_empty() {
            "Possible wrong app ID or missing depot".to_owned()
        } else {
            dir
        })
    }

    /// `getCurrentGameLanguage`.
    pub fn current_game_language(&mut self) -> Result<String> {
        Ok(self.backend()?.current_game_language())
    }

    /// `getAvailableGameLanguages`.
    pub fn available_game_languages(&mut self) -> Result<String> {
        Ok(self.backend()?.available_game_languages())
    }

    /// `getLaunchCommandLine`.
    pub fn launch_command_line(&mut self) -> Result<String> {
        Ok(self.backend()?.launch_command_line())
    }
}
