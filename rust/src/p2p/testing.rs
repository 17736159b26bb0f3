//! Shorthands for unit tests: user ids and channels from small numbers.

use super::{Channel, SteamId};

/// The `n`th individual Steam ID (the ids local instances use).
pub fn id(n: u64) -> SteamId {
    SteamId::from_u64(SteamId::INDIVIDUAL_BASE + 1 + n).unwrap()
}

/// Channel `n`.
pub fn ch(n: i64) -> Channel {
    Channel::from_gdscript(n).unwrap()
}
