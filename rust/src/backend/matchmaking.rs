//! What a backend answers for ISteamMatchmaking's lobbies. Arguments come
//! checked (ids are lobby ids, keys and values within Steam's limits);
//! answers arrive as [`Event`](crate::p2p::Event)s from `poll`.

use crate::p2p::SteamId;
use crate::p2p::lobby::{ListFilter, LobbyType};

/// A backend's side of ISteamMatchmaking (lobbies only).
pub trait Matchmaking {
    /// Creates a lobby the local user owns and enters: `LobbyCreated`,
    /// then `LobbyJoined`, follow.
    fn create_lobby(&mut self, lobby_type: LobbyType, max_members: u32);

    /// Asks to enter a lobby; `LobbyJoined` answers with the response.
    fn join_lobby(&mut self, lobby: u64);

    /// Leaves a lobby (nothing happens if the user is not in it).
    fn leave_lobby(&mut self, lobby: u64);

    /// Invites a user to a lobby the local user is in; the invitee gets
    /// `LobbyInvite`. False if the user is not in that lobby.
    fn invite_user_to_lobby(&mut self, lobby: u64, invitee: SteamId) -> bool;

    /// Members of a lobby the user is in (or the last known count of a
    /// listed one); 0 when unknown.
    fn lobby_member_count(&mut self, lobby: u64) -> u32;

    /// The member at `index` (join order), if the user is in the lobby.
    fn lobby_member_by_index(&mut self, lobby: u64, index: u32) -> Option<SteamId>;

    /// A lobby data value; "" when unset or unknown.
    fn lobby_data(&mut self, lobby: u64, key: &str) -> String;

    /// Sets lobby data (owner only); false if not allowed. Members then get
    /// `LobbyDataUpdate`.
    fn set_lobby_data(&mut self, lobby: u64, key: &str, value: &str) -> bool;

    /// Every lobby data pair, in the order they were first set.
    fn all_lobby_data(&mut self, lobby: u64) -> Vec<(String, String)>;

    /// Removes a lobby data key (owner only); false if not allowed.
    fn delete_lobby_data(&mut self, lobby: u64, key: &str) -> bool;

    /// A member's data value; "" when unset or unknown.
    fn lobby_member_data(&mut self, lobby: u64, user: SteamId, key: &str) -> String;

    /// Sets the local user's member data in a lobby it is in.
    fn set_lobby_member_data(&mut self, lobby: u64, key: &str, value: &str);

    /// Sends a chat message to every member (the sender included, as
    /// `LobbyMessage`); false if the user is not in the lobby.
    fn send_lobby_chat(&mut self, lobby: u64, body: &[u8]) -> bool;

    /// Refreshes a lobby's data (for lobbies the user is not in); true if
    /// `LobbyDataUpdate` will follow.
    fn request_lobby_data(&mut self, lobby: u64) -> bool;

    /// Sets the lobby's game server (owner only): members get
    /// `LobbyGameCreated`. `ip` is host-order IPv4.
    fn set_lobby_game_server(&mut self, lobby: u64, ip: u32, port: u16, server: u64);

    /// The lobby's game server `(ip, port, server id)`, if one was set.
    fn lobby_game_server(&mut self, lobby: u64) -> Option<(u32, u16, u64)>;

    /// Sets the member limit (owner only).
    fn set_lobby_member_limit(&mut self, lobby: u64, max_members: u32) -> bool;

    /// The member limit; 0 when unknown.
    fn lobby_member_limit(&mut self, lobby: u64) -> u32;

    /// Changes the lobby type (owner only).
    fn set_lobby_type(&mut self, lobby: u64, lobby_type: LobbyType) -> bool;

    /// Opens or closes the lobby to joins and lists (owner only).
    fn set_lobby_joinable(&mut self, lobby: u64, joinable: bool) -> bool;

    /// The lobby's owner, if the user is in it.
    fn lobby_owner(&mut self, lobby: u64) -> Option<SteamId>;

    /// Hands ownership to another member (owner only).
    fn set_lobby_owner(&mut self, lobby: u64, new_owner: SteamId) -> bool;

    /// Asks for the lobbies that pass every filter; `LobbyMatchList`
    /// answers. The filters are the ones added since the last request.
    fn request_lobby_list(&mut self, filters: Vec<ListFilter>);
}
