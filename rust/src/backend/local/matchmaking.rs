//! ISteamMatchmaking's lobbies on the local backend: the calls go to
//! [`super::lobby::Lobbies`], and what it wants sent goes out at once.

use std::time::Instant;

use super::LocalBackend;
use crate::backend::matchmaking::Matchmaking;
use crate::p2p::SteamId;
use crate::p2p::lobby::{ListFilter, LobbyType};

impl Matchmaking for LocalBackend {
    fn create_lobby(&mut self, lobby_type: LobbyType, max_members: u32) {
        self.lobbies.create(lobby_type, max_members);
    }

    fn join_lobby(&mut self, lobby: u64) {
        let now = Instant::now();
        self.lobbies.join(lobby, self.transport.instances(), now);
        self.lobby_step(now);
    }

    fn leave_lobby(&mut self, lobby: u64) {
        let now = Instant::now();
        self.lobbies.leave(lobby, now);
        self.lobby_step(now);
    }

    fn invite_user_to_lobby(&mut self, lobby: u64, invitee: SteamId) -> bool {
        let now = Instant::now();
        let invited = self.lobbies.invite(lobby, invitee, now);
        self.lobby_step(now);
        invited
    }

    fn lobby_member_count(&mut self, lobby: u64) -> u32 {
        self.lobbies.member_count(lobby)
    }

    fn lobby_member_by_index(&mut self, lobby: u64, index: u32) -> Option<SteamId> {
        self.lobbies.member_at(lobby, index)
    }

    fn lobby_data(&mut self, lobby: u64, key: &str) -> String {
        self.lobbies.data(lobby, key)
    }

    fn set_lobby_data(&mut self, lobby: u64, key: &str, value: &str) -> bool {
        let now = Instant::now();
        let set = self.lobbies.set_data(lobby, key, Some(value), now);
        self.lobby_step(now);
        set
    }

    fn all_lobby_data(&mut self, lobby: u64) -> Vec<(String, String)> {
        self.lobbies.all_data(lobby)
    }

    fn delete_lobby_data(&mut self, lobby: u64, key: &str) -> bool {
        let now = Instant::now();
        let deleted = self.lobbies.set_data(lobby, key, None, now);
        self.lobby_step(now);
        deleted
    }

    fn lobby_member_data(&mut self, lobby: u64, user: SteamId, key: &str) -> String {
        self.lobbies.member_data(lobby, user, key)
    }

    fn set_lobby_member_data(&mut self, lobby: u64, key: &str, value: &str) {
        let now = Instant::now();
        self.lobbies.set_member_data(lobby, key, value, now);
        self.lobby_step(now);
    }

    fn send_lobby_chat(&mut self, lobby: u64, body: &[u8]) -> bool {
        let now = Instant::now();
        let sent = self.lobbies.chat(lobby, body, now);
        self.lobby_step(now);
        sent
    }

    fn request_lobby_data(&mut self, lobby: u64) -> bool {
        let now = Instant::now();
        self.lobbies
            .request_data(lobby, self.transport.instances(), now);
        self.lobby_step(now);
        true
    }

    fn set_lobby_game_server(&mut self, lobby: u64, ip: u32, port: u16, server: u64) {
        let now = Instant::now();
        self.lobbies.set_server(lobby, ip, port, server, now);
        self.lobby_step(now);
    }

    fn lobby_game_server(&mut self, lobby: u64) -> Option<(u32, u16, u64)> {
        self.lobbies.server(lobby)
    }

    fn set_lobby_member_limit(&mut self, lobby: u64, max_members: u32) -> bool {
        let now = Instant::now();
        let set = self
            .lobbies
            .set_settings(lobby, now, |room| room.limit = max_members);
        self.lobby_step(now);
        set
    }

    fn lobby_member_limit(&mut self, lobby: u64) -> u32 {
        self.lobbies.limit(lobby)
    }

    fn set_lobby_type(&mut self, lobby: u64, lobby_type: LobbyType) -> bool {
        let now = Instant::now();
        let set = self
            .lobbies
            .set_settings(lobby, now, |room| room.lobby_type = lobby_type);
        self.lobby_step(now);
        set
    }

    fn set_lobby_joinable(&mut self, lobby: u64, joinable: bool) -> bool {
        let now = Instant::now();
        let set = self
            .lobbies
            .set_settings(lobby, now, |room| room.joinable = joinable);
        self.lobby_step(now);
        set
    }

    fn lobby_owner(&mut self, lobby: u64) -> Option<SteamId> {
        self.lobbies.owner(lobby)
    }

    fn set_lobby_owner(&mut self, lobby: u64, new_owner: SteamId) -> bool {
        let now = Instant::now();
        let set = self.lobbies.set_owner(lobby, new_owner, now);
        self.lobby_step(now);
        set
    }

    fn request_lobby_list(&mut self, filters: Vec<ListFilter>) {
        let now = Instant::now();
        self.lobbies
            .request_list(filters, self.transport.instances(), now);
        self.lobby_step(now);
    }
}
