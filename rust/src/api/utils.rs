//! ISteamUtils in plain Rust.

use super::{Client, Result};

impl Client {
    /// `getAppID`.
    pub fn app_id(&mut self) -> Result<u32> {
        Ok(self.backend()?.app_id())
    }

    /// `isSteamRunningOnSteamDeck`.
    pub fn on_steam_deck(&mut self) -> Result<bool> {
        Ok(self.backend()?.on_steam_deck())
    }

    /// `isSteamRunningInVR`.
    pub fn in_vr(&mut self) -> Result<bool> {
        Ok(self.backend()?.in_vr())
    }

    /// `isSteamInBigPictureMode`.
    pub fn in_big_picture(&mut self) -> Result<bool> {
        Ok(self.backend()?.in_big_picture())
    }

    /// `getSteamUILanguage`.
    pub fn ui_language(&mut self) -> Result<String> {
        Ok(self.backend()?.ui_language())
    }

    /// `getIPCountry`.
    pub fn ip_country(&mut self) -> Result<String> {
        Ok(self.backend()?.ip_country())
    }

    /// `isOverlayEnabled`.
    pub fn overlay_enabled(&mut self) -> Result<bool> {
        Ok(self.backend()?.overlay_enabled())
    }
}
