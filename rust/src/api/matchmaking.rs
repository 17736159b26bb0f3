//! ISteamMatchmaking's lobbies in plain Rust: argument checks against
//! Steam's limits, the list filters kept until `requestLobbyList`, and the
//! backend call.

use std::net::Ipv4Addr;

use super::{Client, Result};
use crate::p2p::ids::lobby_from_gdscript;
use crate::p2p::lobby::{
    self, Comparison, Distance, ListFilter, LobbyType, MAX_CHAT_BYTES, check_key, check_value,
};
use crate::p2p::{InputError, SteamId};

/// A GDScript int that must fit `T`, or an out-of-range error naming it.
fn ranged<T: TryFrom<i64>>(name: &'static str, value: i64, range: &'static str) -> Result<T> {
    T::try_from(value).map_err(|_| InputError::OutOfRange { name, value, range })
}

impl Client {
    /// `createLobby`: `lobby_created` and `lobby_joined` follow.
    pub fn create_lobby(&mut self, lobby_type: i64, max_members: i64) -> Result<()> {
        let lobby_type = LobbyType::from_gdscript(lobby_type)?;
        let max = lobby::check_member_limit(max_members)?;
        self.backend()?.create_lobby(lobby_type, max);
        Ok(())
    }

    /// `joinLobby`: `lobby_joined` answers.
    pub fn join_lobby(&mut self, lobby: i64) -> Result<()> {
        let lobby = lobby_from_gdscript(lobby)?;
        self.backend()?.join_lobby(lobby);
        Ok(())
    }

    /// `leaveLobby`.
    pub fn leave_lobby(&mut self, lobby: i64) -> Result<()> {
        let lobby = lobby_from_gdscript(lobby)?;
        self.backend()?.leave_lobby(lobby);
        Ok(())
    }

    /// `inviteUserToLobby`.
    pub fn invite_user_to_lobby(&mut self, lobby: i64, invitee: i64) -> Result<bool> {
        let lobby = lobby_from_gdscript(lobby)?;
        let invitee = SteamId::from_gdscript(invitee)?;
        Ok(self.backend()?.invite_user_to_lobby(lobby, invitee))
    }

    /// `getNumLobbyMembers`.
    pub fn num_lobby_members(&mut self, lobby: i64) -> Result<u32> {
        let lobby = lobby_from_gdscript(lobby)?;
        Ok(self.backend()?.lobby_member_count(lobby))
    }

    /// `getLobbyMemberByIndex`: 0 past the last member.
    pub fn lobby_member_by_index(&mut self, lobby: i64, member: i64) -> Result<u64> {
        let lobby = lobby_from_gdscript(lobby)?;
        let index: u32 = ranged("member", member, "0..getNumLobbyMembers()")?;
        let backend = self.backend()?;
        Ok(backend
            .lobby_member_by_index(lobby, index)
            .map_or(0, SteamId::raw))
    }

    /// `getLobbyData`: "" when unset or unknown.
    pub fn lobby_data(&mut self, lobby: i64, key: &str) -> Result<String> {
        let lobby = lobby_from_gdscript(lobby)?;
        Ok(self.backend()?.lobby_data(lobby, key))
    }

    /// `setLobbyData`: owner only.
    pub fn set_lobby_data(&mut self, lobby: i64, key: &str, value: &str) -> Result<bool> {
        let lobby = lobby_from_gdscript(lobby)?;
        check_key(key)?;
        check_value(value)?;
        Ok(self.backend()?.set_lobby_data(lobby, key, value))
    }

    /// `getAllLobbyData`.
    pub fn all_lobby_data(&mut self, lobby: i64) -> Result<Vec<(String, String)>> {
        let lobby = lobby_from_gdscript(lobby)?;
        Ok(self.backend()?.all_lobby_data(lobby))
    }

    /// `deleteLobbyData`: owner only.
    pub fn delete_lobby_data(&mut self, lobby: i64, key: &str) -> Result<bool> {
        let lobby = lobby_from_gdscript(lobby)?;
        check_key(key)?;
        Ok(self.backend()?.delete_lobby_data(lobby, key))
    }

    /// `getLobbyMemberData`.
    pub fn lobby_member_data(&mut self, lobby: i64, user: i64, key: &str) -> Result<String> {
        let lobby = lobby_from_gdscript(lobby)?;
        let user = SteamId::from_gdscript(user)?;
        Ok(self.backend()?.lobby_member_data(lobby, user, key))
    }

    /// `setLobbyMemberData`: the local user's own data.
    pub fn set_lobby_member_data(&mut self, lobby: i64, key: &str, value: &str) -> Result<()> {
        let lobby = lobby_from_gdscript(lobby)?;
        check_key(key)?;
        check_value(value)?;
        self.backend()?.set_lobby_member_data(lobby, key, value);
        Ok(())
    }

    /// `sendLobbyChatMsg`: 1..=4096 bytes.
    pub fn send_lobby_chat(&mut self, lobby: i64, body: &[u8]) -> Result<bool> {
        let lobby = lobby_from_gdscript(lobby)?;
        if body.is_empty() || body.len() > MAX_CHAT_BYTES {
            return Err(InputError::BadChatMessage(body.len()));
        }
        Ok(self.backend()?.send_lobby_chat(lobby, body))
    }

    /// `requestLobbyData`.
    pub fn request_lobby_data(&mut self, lobby: i64) -> Result<bool> {
        let lobby = lobby_from_gdscript(lobby)?;
        Ok(self.backend()?.request_lobby_data(lobby))
    }

    /// `setLobbyGameServer`: `server_ip` dotted IPv4 ("0" for none),
    /// `server` 0 or a game server's Steam ID.
    pub fn set_lobby_game_server(
        &mut self,
        lobby: i64,
        server_ip: &str,
        port: i64,
        server: i64,
    ) -> Result<()> {
        let lobby = lobby_from_gdscript(lobby)?;
        let ip = match server_ip.trim() {
            "" | "0" => 0,
            text => {
                text.parse::<Ipv4Addr>()
                    .map(u32::from)
                    .map_err(|_| InputError::OutOfRange {
                        name: "server_ip",
                        value: 0,
                        range: "an IPv4 address such as \"203.0.113.7\", or \"0\"",
                    })?
            }
        };
        let port: u16 = ranged("server_port", port, "0..=65535")?;
        let server = match server {
            0 => 0,
            id => SteamId::from_gdscript(id)?.raw(),
        };
        self.backend()?
            .set_lobby_game_server(lobby, ip, port, server);
        Ok(())
    }

    /// `getLobbyGameServer`: `(ip, port, server id)` if one was set.
    pub fn lobby_game_server(&mut self, lobby: i64) -> Result<Option<(u32, u16, u64)>> {
        let lobby = lobby_from_gdscript(lobby)?;
        Ok(self.backend()?.lobby_game_server(lobby))
    }

    /// `setLobbyMemberLimit`: owner only, 1..=250.
    pub fn set_lobby_member_limit(&mut self, lobby: i64, max_members: i64) -> Result<bool> {
        let lobby = lobby_from_gdscript(lobby)?;
        let max = lobby::check_member_limit(max_members)?;
        Ok(self.backend()?.set_lobby_member_limit(lobby, max))
    }

    /// `getLobbyMemberLimit`.
    pub fn lobby_member_limit(&mut self, lobby: i64) -> Result<u32> {
        let lobby = lobby_from_gdscript(lobby)?;
        Ok(self.backend()?.lobby_member_limit(lobby))
    }

    /// `setLobbyType`: owner only.
    pub fn set_lobby_type(&mut self, lobby: i64, lobby_type: i64) -> Result<bool> {
        let lobby = lobby_from_gdscript(lobby)?;
        let lobby_type = LobbyType::from_gdscript(lobby_type)?;
        Ok(self.backend()?.set_lobby_type(lobby, lobby_type))
    }

    /// `setLobbyJoinable`: owner only.
    pub fn set_lobby_joinable(&mut self, lobby: i64, joinable: bool) -> Result<bool> {
        let lobby = lobby_from_gdscript(lobby)?;
        Ok(self.backend()?.set_lobby_joinable(lobby, joinable))
    }

    /// `getLobbyOwner`: 0 when the user is not in the lobby.
    pub fn lobby_owner(&mut self, lobby: i64) -> Result<u64> {
        let lobby = lobby_from_gdscript(lobby)?;
        Ok(self.backend()?.lobby_owner(lobby).map_or(0, SteamId::raw))
    }

    /// `setLobbyOwner`: owner only, to a member.
    pub fn set_lobby_owner(&mut self, lobby: i64, new_owner: i64) -> Result<bool> {
        let lobby = lobby_from_gdscript(lobby)?;
        let new_owner = SteamId::from_gdscript(new_owner)?;
        Ok(self.backend()?.set_lobby_owner(lobby, new_owner))
    }

    /// Keeps a list filter for the next `requestLobbyList` (Steam keeps
    /// them the same way, and forgets them once the list is asked for).
    fn add_filter(&mut self, filter: ListFilter) -> Result<()> {
        self.backend()?;
        self.lobby_filters.push(filter);
        Ok(())
    }

    /// `addRequestLobbyListStringFilter`.
    pub fn add_string_filter(&mut self, key: &str, value: &str, comparison: i64) -> Result<()> {
        check_key(key)?;
        check_value(value)?;
        let comparison = Comparison::from_gdscript(comparison)?;
        self.add_filter(ListFilter::String {
            key: key.into(),
            value: value.into(),
            comparison,
        })
    }

    /// `addRequestLobbyListNumericalFilter`.
    pub fn add_numerical_filter(&mut self, key: &str, value: i64, comparison: i64) -> Result<()> {
        check_key(key)?;
        let value = ranged("value_to_match", value, "a 32-bit integer")?;
        let comparison = Comparison::from_gdscript(comparison)?;
        self.add_filter(ListFilter::Numerical {
            key: key.into(),
            value,
            comparison,
        })
    }

    /// `addRequestLobbyListNearValueFilter`.
    pub fn add_near_value_filter(&mut self, key: &str, value: i64) -> Result<()> {
        check_key(key)?;
        let value = ranged("value_to_be_close_to", value, "a 32-bit integer")?;
        self.add_filter(ListFilter::NearValue {
            key: key.into(),
            value,
        })
    }

    /// `addRequestLobbyListFilterSlotsAvailable`.
    pub fn add_slots_filter(&mut self, slots: i64) -> Result<()> {
        let slots = ranged("slots_available", slots, "0..=250")?;
        self.add_filter(ListFilter::SlotsAvailable(slots))
    }

    /// `addRequestLobbyListDistanceFilter`.
    pub fn add_distance_filter(&mut self, distance: i64) -> Result<()> {
        let distance = Distance::from_gdscript(distance)?;
        self.add_filter(ListFilter::Distance(distance))
    }

    /// `addRequestLobbyListResultCountFilter`.
    pub fn add_result_count_filter(&mut self, max_results: i64) -> Result<()> {
        let count = ranged("max_results", max_results, "0..=4294967295")?;
        self.add_filter(ListFilter::ResultCount(count))
    }

    /// `requestLobbyList`: `lobby_match_list` answers; the filters added
    /// since the last request apply, then are forgotten.
    pub fn request_lobby_list(&mut self) -> Result<()> {
        let filters = std::mem::take(&mut self.lobby_filters);
        self.backend()?.request_lobby_list(filters);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::p2p::InputError;
    use crate::p2p::lobby::{Comparison, ListFilter};

    const LOBBY: i64 = (1 << 56) | (8 << 52) | (0x40000 << 32) | 7;

    #[test]
    fn arguments_are_checked_before_the_backend_is_asked() {
        let mut client = started();
        assert_eq!(
            client.create_lobby(5, 4),
            Err(InputError::InvalidLobbyType(5))
        );
        for bad in [0, 251, -1] {
            assert_eq!(
                client.create_lobby(2, bad),
                Err(InputError::InvalidMemberLimit(bad))
            );
        }
        assert_eq!(
            client.join_lobby(PEER),
            Err(InputError::InvalidLobbyId(PEER)),
            "a user is not a lobby"
        );
        assert_eq!(
            client.set_lobby_data(LOBBY, &"k".repeat(256), "v"),
            Err(InputError::BadLobbyKey(256))
        );
        assert_eq!(
            client.set_lobby_member_data(LOBBY, "k", &"v".repeat(8193)),
            Err(InputError::LobbyValueTooLong(8193))
        );
        assert_eq!(
            client.send_lobby_chat(LOBBY, &[b'x'; 4097]),
            Err(InputError::BadChatMessage(4097))
        );
        assert_eq!(
            client.send_lobby_chat(LOBBY, b""),
            Err(InputError::BadChatMessage(0))
        );
        assert!(client.lobby_member_by_index(LOBBY, -1).is_err());
        assert!(client.set_lobby_game_server(LOBBY, "no ip", 1, 0).is_err());
        assert!(client.set_lobby_game_server(LOBBY, "0", 70000, 0).is_err());
        assert_eq!(client.set_lobby_game_server(LOBBY, "0", 0, 0), Ok(()));
        assert!(client.add_string_filter("mode", "ctf", 4).is_err());
        assert!(client.add_distance_filter(7).is_err());
        assert!(client.add_numerical_filter("n", 1 << 40, 0).is_err());
    }

    #[test]
    fn filters_wait_for_the_next_list_request_only() {
        let mut client = started();
        client.add_string_filter("mode", "ctf", 0).unwrap();
        client.add_slots_filter(1).unwrap();
        client.request_lobby_list().unwrap();
        client.request_lobby_list().unwrap();
        assert_eq!(
            last_list_requests(),
            vec![
                vec![
                    ListFilter::String {
                        key: "mode".into(),
                        value: "ctf".into(),
                        comparison: Comparison::Equal
                    },
                    ListFilter::SlotsAvailable(1)
                ],
                vec![]
            ]
        );
    }

    #[test]
    fn calls_before_init_and_after_shutdown_are_refused() {
        let mut client = started();
        client.shutdown();
        assert_eq!(client.create_lobby(2, 4), Err(InputError::NotInitialized));
        assert_eq!(client.lobby_owner(LOBBY), Err(InputError::NotInitialized));
        assert_eq!(client.add_slots_filter(1), Err(InputError::NotInitialized));
        assert_eq!(client.request_lobby_list(), Err(InputError::NotInitialized));
    }
}
