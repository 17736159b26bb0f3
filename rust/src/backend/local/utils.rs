//! ISteamUtils for a local instance: the app id it was started with, the
//! OS's language and country, and none of Steam's modes or overlay; and
//! ISteamNetworkingUtils' simulation settings, which its own simulation
//! (`netsim/`) applies.

use super::LocalBackend;
use super::locale::{country, steam_language};
use crate::backend::utils::Utils;
use crate::p2p::conditions::{LinkConditions, Setting};

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

    fn set_fake_config(&mut self, setting: Setting) -> bool {
        self.apply(setting);
        true
    }

    fn network_conditions(&mut self) -> Option<LinkConditions> {
        Some(self.conditions())
    }
}
