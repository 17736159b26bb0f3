//! Lobbies between local instances (placeholder).

use super::LocalBackend;
use crate::backend::matchmaking::Matchmaking;
use crate::p2p::SteamId;
use crate::p2p::lobby::{ListFilter, LobbyType};

impl Matchmaking for LocalBackend {
    fn create_lobby(&mut self, _lobby_type: LobbyType, _max_members: u32) {}
    fn join_lobby(&mut self, _lobby: u64) {}
    fn leave_lobby(&mut self, _lobby: u64) {}
    fn invite_user_to_lobby(&mut self, _lobby: u64, _invitee: SteamId) -> bool {
        false
    }
    fn lobby_member_count(&mut self, _lobby: u64) -> u32 {
        0
    }
    fn lobby_member_by_index(&mut self, _lobby: u64, _index: u32) -> Option<SteamId> {
        None
    }
    fn lobby_data(&mut self, _lobby: u64, _key: &str) -> String {
        String::new()
    }
    fn set_lobby_data(&mut self, _lobby: u64, _key: &str, _value: &str) -> bool {
        false
    }
    fn all_lobby_data(&mut self, _lobby: u64) -> Vec<(String, String)> {
        Vec::new()
    }
    fn delete_lobby_data(&mut self, _lobby: u64, _key: &str) -> bool {
        false
    }
    fn lobby_member_data(&mut self, _lobby: u64, _user: SteamId, _key: &str) -> String {
        String::new()
    }
    fn set_lobby_member_data(&mut self, _lobby: u64, _key: &str, _value: &str) {}
    fn send_lobby_chat(&mut self, _lobby: u64, _body: &[u8]) -> bool {
        false
    }
    fn request_lobby_data(&mut self, _lobby: u64) -> bool {
        false
    }
    fn set_lobby_game_server(&mut self, _lobby: u64, _ip: u32, _port: u16, _server: u64) {}
    fn lobby_game_server(&mut self, _lobby: u64) -> Option<(u32, u16, u64)> {
        None
    }
    fn set_lobby_member_limit(&mut self, _lobby: u64, _max_members: u32) -> bool {
        false
    }
    fn lobby_member_limit(&mut self, _lobby: u64) -> u32 {
        0
    }
    fn set_lobby_type(&mut self, _lobby: u64, _lobby_type: LobbyType) -> bool {
        false
    }
    fn set_lobby_joinable(&mut self, _lobby: u64, _joinable: bool) -> bool {
        false
    }
    fn lobby_owner(&mut self, _lobby: u64) -> Option<SteamId> {
        None
    }
    fn set_lobby_owner(&mut self, _lobby: u64, _new_owner: SteamId) -> bool {
        false
    }
    fn request_lobby_list(&mut self, _filters: Vec<ListFilter>) {}
}
