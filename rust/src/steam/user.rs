//! ISteamUser's GDScript surface (beyond the Steam ID): conversions only.

use godot::prelude::*;

use super::{Steam, main_thread_only, or_report};

#[godot_api(secondary)]
impl Steam {
    /// Whether the user is connected to Steam's servers (the local backend:
    /// true while it runs).
    #[func(rename = loggedOn)]
    fn logged_on(&mut self) -> bool {
        main_thread_only!("loggedOn", false);
        or_report("loggedOn", self.client.logged_on(), false)
    }

    /// The user's Steam level (0 on the local backend: no account).
    #[func(rename = getPlayerSteamLevel)]
    fn get_player_steam_level(&mut self) -> i64 {
        main_thread_only!("getPlayerSteamLevel", 0);
        or_report("getPlayerSteamLevel", self.client.steam_level(), 0).into()
    }
}
