//! ISteamUser's GDScript surface (beyond the Steam ID): conversions only.

use godot::prelude::*;

use super::{Steam, answer};

#[godot_api(secondary)]
impl Steam {
    /// Whether the user is connected to Steam's servers (the local backend:
    /// true while it runs).
    #[func(rename = loggedOn)]
    fn logged_on() -> bool {
        answer("loggedOn", false, |client| client.logged_on())
    }

    /// The user's Steam level (0 on the local backend: no account).
    #[func(rename = getPlayerSteamLevel)]
    fn get_player_steam_level() -> i64 {
        answer("getPlayerSteamLevel", 0, |client| client.steam_level()).into()
    }
}
