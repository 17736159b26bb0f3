//! What a backend answers for ISteamUser (beyond the Steam ID).

/// A backend's side of ISteamUser.
pub trait User {
    /// Whether the user is connected to Steam's servers.
    fn logged_on(&mut self) -> bool;

    /// The user's Steam level.
    fn steam_level(&mut self) -> i32;
}
