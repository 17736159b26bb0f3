//! ISteamFriends on Steam.

use steamworks::{Client, LobbyId};

use super::{SteamBackend, to_steamworks};
use crate::backend::friends::Friends;
use crate::p2p::{AvatarSize, Event, Overlay, SteamId};

/// The avatar of `user` if Steam has it now (else it is still downloading).
pub(super) fn avatar_event(client: &Client, user: SteamId, size: AvatarSize) -> Option<Event> {
    let friend = client.friends().get_friend(to_steamworks(user));
    let rgba = match size {
        AvatarSize::Small => friend.small_avatar(),
        AvatarSize::Medium => friend.medium_avatar(),
        AvatarSize::Large => friend.large_avatar(),
    }?;
    Some(Event::AvatarLoaded {
        user,
        size: size.pixels(),
        rgba,
    })
}

impl Friends for SteamBackend {
    fn persona_name(&mut self) -> String {
        self.client.friends().name()
    }

    fn friend_persona_name(&mut self, user: SteamId) -> String {
        self.client.friends().get_friend(to_steamworks(user)).name()
    }

    fn request_user_information(&mut self, user: SteamId, name_only: bool) -> bool {
        self.client
            .friends()
            .request_user_information(to_steamworks(user), name_only)
    }

    fn request_avatar(&mut self, size: AvatarSize, user: SteamId) {
        match avatar_event(&self.client, user, size) {
            Some(event) => self.pending.push(event),
            None => self
                .awaited_avatars
                .push((user, size, std::time::Instant::now())),
        }
    }

    fn activate_overlay(&mut self, page: Overlay) {
        let friends = self.client.friends();
        match page {
            Overlay::Dialog(dialog) => friends.activate_game_overlay(&dialog),
            Overlay::ToUser(dialog, user) => {
                friends.activate_game_overlay_to_user(&dialog, to_steamworks(user))
            }
            Overlay::InviteDialog(lobby) => {
                friends.activate_invite_dialog(LobbyId::from_raw(lobby))
            }
        }
    }
}
