//! ISteamUser for a local instance: logged on while it runs, no Steam level.

use super::LocalBackend;
use crate::backend::user::User;

impl User for LocalBackend {
    fn logged_on(&mut self) -> bool {
        true
    }

    fn steam_level(&mut self) -> i32 {
        // No Steam account, no level: what a new account has.
        0
    }
}
