//! Plain-Rust model of Steam's P2P networking: identities, limits, the
//! values that cross the backend boundary, and the argument checks that turn
//! GDScript's loosely typed input into them. Nothing here touches Godot.

pub mod conditions;
pub mod error;
pub mod ids;
pub mod limits;
pub mod lobby;
pub mod repeats;
#[cfg(test)]
pub mod testing;
pub mod types;

pub use error::InputError;

/// A seed that differs between starts of the game (lobby links and ids,
/// multiplayer ids), without a random-number crate: std's randomly keyed
/// hasher over the time and the process id.
pub fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    hasher.finish()
}
pub use ids::SteamId;
pub use limits::{Channel, ReadSize, SendType};
pub use types::{
    AvatarSize, Event, InitFailure, InitStatus, Overlay, PERSONA_CHANGE_NAME, Packet, SessionError,
    SessionState,
};
