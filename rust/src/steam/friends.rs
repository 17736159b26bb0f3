//! ISteamFriends' GDScript surface: conversions only; the logic is in
//! [`crate::api`].

use godot::prelude::*;

use super::{Steam, answer};

#[godot_api(secondary)]
impl Steam {
    /// The local user's Steam name ("" when not initialized). On the local
    /// backend: `STEAM_NETWORKING_LOCAL_NAME`, else the project setting
    /// `steam_networking/local/name`, else "Player <instance + 1>".
    #[func(rename = getPersonaName)]
    fn get_persona_name() -> String {
        answer("getPersonaName", String::new(), |client| {
            client.persona_name()
        })
    }

    /// Another user's Steam name; "" for a user Steam does not know yet (ask
    /// with [method requestUserInformation]). On the local backend: the name
    /// of another running instance, learned from its liveness pings.
    #[func(rename = getFriendPersonaName)]
    fn get_friend_persona_name(steam_id: i64) -> String {
        answer("getFriendPersonaName", String::new(), |client| {
            client.friend_persona_name(steam_id)
        })
    }

    /// Asks for a user's avatar: [signal avatar_loaded] brings it from a
    /// later [method run_callbacks]. `size`: 1 small (32 px), 2 medium
    /// (64 px), anything else large (184 px); `steam_id` 0 is the local
    /// user. The local backend generates a pattern in a colour of the id's.
    #[func(rename = getPlayerAvatar)]
    fn get_player_avatar(#[opt(default = 2)] size: i64, #[opt(default = 0)] steam_id: i64) {
        answer("getPlayerAvatar", (), |client| {
            client.request_avatar(size, steam_id)
        });
    }

    /// Asks Steam for a user's name (and, unless `require_name_only`, more):
    /// true if [signal persona_state_change] will follow, false if it is
    /// known already (or nobody can answer).
    #[func(rename = requestUserInformation)]
    fn request_user_information(steam_id: i64, require_name_only: bool) -> bool {
        answer("requestUserInformation", false, |client| {
            client.request_user_information(steam_id, require_name_only)
        })
    }

    /// Opens the Steam overlay at a page: "friends", "community",
    /// "players", "settings", "officialgamegroup", "stats", "achievements",
    /// "lobbyinvite" (there is no overlay on the local backend: it says so
    /// once).
    #[func(rename = activateGameOverlay)]
    fn activate_game_overlay(#[opt(default = "")] type_: GString) {
        answer("activateGameOverlay", (), |client| {
            client.activate_overlay(type_.to_string())
        });
    }

    /// Opens the Steam overlay at a page about a user: "steamid", "chat",
    /// "jointrade", "stats", "achievements", "friendadd", "friendremove",
    /// "friendrequestaccept", "friendrequestignore".
    #[func(rename = activateGameOverlayToUser)]
    fn activate_game_overlay_to_user(
        #[opt(default = "")] type_: GString,
        #[opt(default = 0)] steam_id: i64,
    ) {
        answer("activateGameOverlayToUser", (), |client| {
            client.activate_overlay_to_user(type_.to_string(), steam_id)
        });
    }

    /// Opens the Steam overlay's dialog for inviting friends to a lobby.
    #[func(rename = activateGameOverlayInviteDialog)]
    fn activate_game_overlay_invite_dialog(lobby_id: i64) {
        answer("activateGameOverlayInviteDialog", (), |client| {
            client.activate_invite_dialog(lobby_id)
        });
    }
}
