//! ISteamUser in plain Rust (the Steam ID itself is in `api/mod.rs`).

use super::{Client, Result};

impl Client {
    /// `loggedOn`.
    pub fn logged_on(&mut self) -> Result<bool> {
        Ok(self.backend()?.logged_on())
    }

    /// `getPlayerSteamLevel`.
    pub fn steam_level(&mut self) -> Result<i32> {
        Ok(self.backend()?.steam_level())
    }
}
