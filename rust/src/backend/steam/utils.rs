//! ISteamUtils on Steam.

use super::SteamBackend;
use crate::backend::utils::Utils;

impl Utils for SteamBackend {
    fn app_id(&mut self) -> u32 {
        self.client.utils().app_id().0
    }

    fn on_steam_deck(&mut self) -> bool {
        self.client.utils().is_steam_running_on_steam_deck()
    }

    fn in_vr(&mut self) -> bool {
        // Not wrapped by the crate.
        // SAFETY: SteamUtils is valid while Steam is initialized, which this
        // backend existing guarantees; the call only reads state.
        unsafe {
            let utils = steamworks::sys::SteamAPI_SteamUtils_v010();
            !utils.is_null() && steamworks::sys::SteamAPI_ISteamUtils_IsSteamRunningInVR(utils)
        }
    }

    fn in_big_picture(&mut self) -> bool {
        self.client.utils().is_steam_in_big_picture_mode()
    }

    fn ui_language(&mut self) -> String {
        self.client.utils().ui_language()
    }

    fn ip_country(&mut self) -> String {
        self.client.utils().ip_country()
    }

    fn overlay_enabled(&mut self) -> bool {
        self.client.utils().is_overlay_enabled()
    }
}
