//! ISteamUtils for a local instance: the app id it was started with, the
//! OS's language and country, and none of Steam's modes or overlay.

use super::LocalBackend;
use super::locale::{country, steam_language};
use crate::backend::utils::Utils;

impl Utils for LocalBackend {
    fn app_id(&mut self) -> u32 {
        self.app_id
    }

    fn on_steam_deck(&mut self) -> bool {
        false
    }

    fn in_vr(&mut self) -> bool {
        false
    }

    fn in_big_picture(&mut self) -> bool {
        false
    }

    fn ui_language(&mut self) -> String {
        steam_language(&self.locale).to_owned()
    }

    fn ip_country(&mut self) -> String {
        country(&self.locale)
    }

    fn overlay_enabled(&mut self) -> bool {
        false
    }
}
