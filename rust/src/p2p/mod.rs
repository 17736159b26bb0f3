//! Plain-Rust model of Steam's P2P networking: identities, limits, the
//! values that cross the backend boundary, and the argument checks that turn
//! GDScript's loosely typed input into them. Nothing here touches Godot.

pub mod error;
pub mod ids;
pub mod limits;
pub mod lobby;
pub mod repeats;
#[cfg(test)]
pub mod testing;
pub mod types;

pub use error::InputError;
pub use ids::SteamId;
pub use limits::{Channel, ReadSize, SendType};
pub use types::{
    AvatarSize, Event, InitFailure, InitStatus, Overlay, PERSONA_CHANGE_NAME, Packet, SessionError,
    SessionState,
};
