//! What a backend answers for ISteamUtils (and the network simulation
//! settings of ISteamNetworkingUtils).

use crate::p2p::conditions::{LinkConditions, Setting};

/// A backend's side of ISteamUtils.
pub trait Utils {
    /// The running app's id.
    fn app_id(&mut self) -> u32;
    /// Whether the game runs on a Steam Deck.
    fn on_steam_deck(&mut self) -> bool;
    /// Whether Steam runs in VR mode.
    fn in_vr(&mut self) -> bool;
    /// Whether Steam runs in Big Picture mode.
    fn in_big_picture(&mut self) -> bool;
    /// The Steam client's language (Steam's API names: "english").
    fn ui_language(&mut self) -> String;
    /// The user's country as two letters, from their IP address.
    fn ip_country(&mut self) -> String;
    /// Whether the Steam overlay is on for this game.
    fn overlay_enabled(&mut self) -> bool;
    /// Applies a checked network simulation setting
    /// (`setGlobalConfigValue*`); false if the backend refused it.
    fn set_fake_config(&mut self, setting: Setting) -> bool;
    /// The network conditions this backend simulates itself, if it does.
    fn network_conditions(&mut self) -> Option<LinkConditions>;
}
