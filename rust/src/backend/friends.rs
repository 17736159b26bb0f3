//! What a backend answers for ISteamFriends: names, avatars, the overlay.

use crate::p2p::{AvatarSize, Overlay, SteamId};

/// A backend's side of ISteamFriends.
pub trait Friends {
    /// The local user's persona name.
    fn persona_name(&mut self) -> String;

    /// Another user's persona name; "" for a user nobody knows.
    fn friend_persona_name(&mut self, user: SteamId) -> String;

    /// Asks for a user's name (and more); true if an answer is on its way
    /// (a `PersonaStateChange` event follows), false if it is known already.
    fn request_user_information(&mut self, user: SteamId, name_only: bool) -> bool;

    /// Asks for a user's avatar; it arrives as an `AvatarLoaded` event.
    fn request_avatar(&mut self, size: AvatarSize, user: SteamId);

    /// Opens the Steam overlay at a page.
    fn activate_overlay(&mut self, page: Overlay);
}
