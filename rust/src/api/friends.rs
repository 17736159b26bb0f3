//! ISteamFriends in plain Rust: names, avatars and the overlay.

use super::{Client, Result};
use crate::p2p::ids::lobby_from_gdscript;
use crate::p2p::{AvatarSize, Overlay, SteamId};

impl Client {
    /// `getPersonaName`.
    pub fn persona_name(&mut self) -> Result<String> {
        Ok(self.backend()?.persona_name())
    }

    /// `getFriendPersonaName`: "" for a user nobody knows.
    pub fn friend_persona_name(&mut self, steam_id: i64) -> Result<String> {
        let user = SteamId::from_gdscript(steam_id)?;
        Ok(self.backend()?.friend_persona_name(user))
    }

    /// `requestUserInformation`: true if `persona_state_change` will follow.
    pub fn request_user_information(&mut self, steam_id: i64, name_only: bool) -> Result<bool> {
        let user = SteamId::from_gdscript(steam_id)?;
        Ok(self.backend()?.request_user_information(user, name_only))
    }

    /// `getPlayerAvatar`: the avatar arrives as `avatar_loaded` from a later
    /// `run_callbacks`; `steam_id` 0 means the local user.
    pub fn request_avatar(&mut self, size: i64, steam_id: i64) -> Result<()> {
        let size = AvatarSize::from_gdscript(size);
        let backend = self.backend()?;
        let user = match steam_id {
            0 => backend.local_id(),
            id => SteamId::from_gdscript(id)?,
        };
        backend.request_avatar(size, user);
        Ok(())
    }

    /// `activateGameOverlay`.
    pub fn activate_overlay(&mut self, dialog: String) -> Result<()> {
        self.backend()?.activate_overlay(Overlay::Dialog(dialog));
        Ok(())
    }

    /// `activateGameOverlayToUser`.
    pub fn activate_overlay_to_user(&mut self, dialog: String, steam_id: i64) -> Result<()> {
        let user = SteamId::from_gdscript(steam_id)?;
        self.backend()?
            .activate_overlay(Overlay::ToUser(dialog, user));
        Ok(())
    }

    /// `activateGameOverlayInviteDialog`.
    pub fn activate_invite_dialog(&mut self, lobby: i64) -> Result<()> {
        let lobby = lobby_from_gdscript(lobby)?;
        self.backend()?
            .activate_overlay(Overlay::InviteDialog(lobby));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::p2p::InputError;

    #[test]
    fn ids_are_checked_and_zero_means_the_local_user() {
        let mut client = started();
        assert_eq!(
            client.friend_persona_name(0),
            Err(InputError::InvalidSteamId(0))
        );
        assert_eq!(client.request_avatar(2, 0), Ok(()));
        assert_eq!(
            client.activate_invite_dialog(PEER),
            Err(InputError::InvalidLobbyId(PEER)),
            "a user is not a lobby"
        );
        let lobby = (1 << 56) | (8 << 52) | 12345;
        assert_eq!(client.activate_invite_dialog(lobby), Ok(()));
        client.shutdown();
        assert_eq!(client.persona_name(), Err(InputError::NotInitialized));
    }
}
