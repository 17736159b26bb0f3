//! ISteamUser on Steam.

use super::SteamBackend;
use crate::backend::user::User;

impl User for SteamBackend {
    fn logged_on(&mut self) -> bool {
        self.client.user().logged_on()
    }

    fn steam_level(&mut self) -> i32 {
        i32::try_from(self.client.user().level()).unwrap_or(i32::MAX)
    }
}
