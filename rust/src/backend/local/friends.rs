//! ISteamFriends between local instances: names travel in their pings and
//! pongs, avatars are generated, and there is no overlay.

use super::LocalBackend;
use super::avatar::identicon;
use super::config::LocalConfig;
use crate::backend::friends::Friends;
use crate::p2p::{AvatarSize, Event, Overlay, SteamId};

impl Friends for LocalBackend {
    fn persona_name(&mut self) -> String {
        self.transport.name().to_owned()
    }

    fn friend_persona_name(&mut self, user: SteamId) -> String {
        if user == self.me {
            return self.persona_name();
        }
        // Fresh pongs may be waiting: an answer to requestUserInformation.
        self.pump(super::SOCKET_LOOK_GAP);
        self.names.get(&user).cloned().unwrap_or_default()
    }

    fn request_user_information(&mut self, user: SteamId, _name_only: bool) -> bool {
        if user == self.me || self.names.contains_key(&user) {
            return false;
        }
        if LocalConfig::slot_of(user).is_none() {
            // No instance has this id: nobody will answer.
            return false;
        }
        // The pong carries the name; persona_state_change follows if it
        // comes (an instance that does not run never answers, as Steam
        // never answers for a user it cannot find).
        self.transport.ping(user);
        true
    }

    fn request_avatar(&mut self, size: AvatarSize, user: SteamId) {
        let pixels = size.pixels();
        self.pending.push(Event::AvatarLoaded {
            user,
            size: pixels,
            rgba: identicon(user, pixels),
        });
    }

    fn activate_overlay(&mut self, page: Overlay) {
        if !self.overlay_noted {
            self.overlay_noted = true;
            log::warn!(
                "local backend: there is no Steam overlay without Steam ({page:?} was asked for); \
                 overlay calls do nothing"
            );
        }
    }
}
