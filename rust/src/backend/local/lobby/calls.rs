//! The game's lobby calls on the local backend: what a member may do
//! itself, and what it asks the owner for.

use super::*;

impl Lobbies {
    /// `createLobby`.
    pub fn create(&mut self, lobby_type: LobbyType, limit: u32) {
        if self.rooms.len() >= MAX_ROOMS {
            log::warn!(
                "local backend: createLobby refused: this instance is in {MAX_ROOMS} lobbies already"
            );
            self.events.push(Event::LobbyCreated {
                result: lobby::RESULT_LIMIT_EXCEEDED,
                lobby: 0,
            });
            return;
        }
        let id = self.new_lobby_id();
        let room = Room::new(id, self.me, &self.name, lobby_type, limit);
        self.rooms.insert(id, Joined::new(room));
        self.events.push(Event::LobbyCreated {
            result: lobby::RESULT_OK,
            lobby: id,
        });
        self.joined(id, EnterResponse::Success);
    }

    /// `joinLobby`: finds the owner, then asks it.
    pub fn join(&mut self, lobby: u64, instances: (Vec<SteamId>, bool), now: Instant) {
        if self.rooms.contains_key(&lobby) {
            self.joined(lobby, EnterResponse::Success);
            return;
        }
        if self.joining.contains_key(&lobby) {
            return;
        }
        if self.rooms.len() >= MAX_ROOMS {
            log::warn!(
                "local backend: joinLobby refused: this instance is in {MAX_ROOMS} lobbies already"
            );
            self.joined(lobby, EnterResponse::Error);
            return;
        }
        self.start_query(Purpose::Join(lobby), lobby, instances, now);
        self.joining.insert(lobby, Joining::Finding);
    }

    /// `leaveLobby`.
    pub fn leave(&mut self, lobby: u64, now: Instant) {
        self.joining.remove(&lobby);
        let Some(joined) = self.rooms.get(&lobby) else {
            return;
        };
        let (owner, me) = (joined.room.owner, self.me);
        if owner != me {
            self.send(owner, &Message::Leave { lobby }, now);
            self.rooms.remove(&lobby);
            return;
        }
        // Members hear that we left, then who owns the lobby now.
        let gone = Message::Gone {
            lobby,
            id: me,
            state: member_change::LEFT,
        };
        self.broadcast(lobby, &gone, None, now);
        if let Some(joined) = self.rooms.get_mut(&lobby) {
            joined.room.remove(me);
            if let Some(next) = joined.room.successor(me) {
                joined.room.owner = next;
                let settings = joined.room.settings();
                self.broadcast(lobby, &settings, None, now);
            }
        }
        self.rooms.remove(&lobby);
    }

    /// Leaves every lobby (the instance shuts down): members hear it at
    /// once rather than after the timeout, unless the datagrams are lost.
    pub fn leave_all(&mut self, now: Instant) {
        let lobbies: Vec<u64> = self.rooms.keys().copied().collect();
        for lobby in lobbies {
            self.leave(lobby, now);
        }
        self.joining.clear();
    }

    /// `inviteUserToLobby`.
    pub fn invite(&mut self, lobby: u64, invitee: SteamId, now: Instant) -> bool {
        if !self.rooms.contains_key(&lobby) {
            return false;
        }
        let app_id = self.app_id;
        self.send(invitee, &Message::Invite { lobby, app_id }, now);
        true
    }

    /// `getNumLobbyMembers`.
    pub fn member_count(&self, lobby: u64) -> u32 {
        match self.rooms.get(&lobby) {
            Some(j) => j.room.members.len() as u32,
            None => self.known.get(&lobby).map_or(0, |s| s.members),
        }
    }

    /// `getLobbyMemberByIndex`.
    pub fn member_at(&self, lobby: u64, index: u32) -> Option<SteamId> {
        let room = &self.rooms.get(&lobby)?.room;
        room.members.get(index as usize).map(|m| m.id)
    }

    pub(super) fn data_of(&self, lobby: u64) -> Option<&[(String, String)]> {
        match self.rooms.get(&lobby) {
            Some(j) => Some(&j.room.data),
            None => self.known.get(&lobby).map(|s| s.data.as_slice()),
        }
    }

    /// `getLobbyData`.
    pub fn data(&self, lobby: u64, key: &str) -> String {
        self.data_of(lobby)
            .and_then(|d| get_pair(d, key))
            .unwrap_or_default()
            .to_owned()
    }

    /// `getAllLobbyData`.
    pub fn all_data(&self, lobby: u64) -> Vec<(String, String)> {
        self.data_of(lobby).map(<[_]>::to_vec).unwrap_or_default()
    }

    /// `setLobbyData` (`None`: `deleteLobbyData`); owner only.
    pub fn set_data(&mut self, lobby: u64, key: &str, value: Option<&str>, now: Instant) -> bool {
        let Some(joined) = self.owned_mut(lobby) else {
            return false;
        };
        if let Some(v) = value
            && size_with(&joined.room.data, key, v) > room::MAX_LOBBY_DATA_BYTES
        {
            if !std::mem::replace(&mut joined.warned, true) {
                log::error!(
                    "local backend: setLobbyData refused: lobby {lobby} would hold more than {} bytes of data (the local backend's limit)",
                    room::MAX_LOBBY_DATA_BYTES
                );
            }
            return false;
        }
        if !set_pair(&mut joined.room.data, key, value) {
            return true;
        }
        let message = Message::Data {
            lobby,
            key: key.to_owned(),
            value: value.map(str::to_owned),
        };
        self.broadcast(lobby, &message, None, now);
        self.events.push(Event::LobbyDataUpdate {
            success: true,
            lobby,
            member: lobby,
        });
        true
    }

    /// `getLobbyMemberData`.
    pub fn member_data(&self, lobby: u64, user: SteamId, key: &str) -> String {
        self.rooms
            .get(&lobby)
            .and_then(|j| j.room.members.iter().find(|m| m.id == user))
            .and_then(|m| get_pair(&m.data, key))
            .unwrap_or_default()
            .to_owned()
    }

    /// `setLobbyMemberData`: ours at once, everyone's once the owner
    /// passes it on.
    pub fn set_member_data(&mut self, lobby: u64, key: &str, value: &str, now: Instant) {
        let me = self.me;
        let Some(joined) = self.rooms.get_mut(&lobby) else {
            return;
        };
        let owner = joined.room.owner;
        let Some(member) = joined.room.member_mut(me) else {
            return;
        };
        if size_with(&member.data, key, value) > room::MAX_MEMBER_DATA_BYTES {
            log::error!(
                "local backend: setLobbyMemberData refused: more than {} bytes of member data (the local backend's limit)",
                room::MAX_MEMBER_DATA_BYTES
            );
            return;
        }
        set_pair(&mut member.data, key, Some(value));
        if owner == me {
            let message = Message::MemberData {
                lobby,
                id: me,
                key: key.to_owned(),
                value: value.to_owned(),
            };
            self.broadcast(lobby, &message, None, now);
            self.events.push(Event::LobbyDataUpdate {
                success: true,
                lobby,
                member: me.raw(),
            });
        } else {
            let message = Message::SetMemberData {
                lobby,
                key: key.to_owned(),
                value: value.to_owned(),
            };
            self.send(owner, &message, now);
        }
    }

    /// `sendLobbyChatMsg`: every member gets it back from the owner (we
    /// too, as on Steam).
    pub fn chat(&mut self, lobby: u64, body: &[u8], now: Instant) -> bool {
        let Some(joined) = self.rooms.get(&lobby) else {
            return false;
        };
        let owner = joined.room.owner;
        if owner == self.me {
            self.relay_chat(lobby, self.me, body.to_vec(), now);
        } else {
            let message = Message::Chat {
                lobby,
                body: body.to_vec(),
            };
            self.send(owner, &message, now);
        }
        true
    }

    /// `requestLobbyData`: ours are known already; others are asked for.
    pub fn request_data(&mut self, lobby: u64, instances: (Vec<SteamId>, bool), now: Instant) {
        if self.rooms.contains_key(&lobby) {
            self.events.push(Event::LobbyDataUpdate {
                success: true,
                lobby,
                member: lobby,
            });
            return;
        }
        self.start_query(Purpose::Data(lobby), lobby, instances, now);
    }

    /// `setLobbyGameServer` (owner only).
    pub fn set_server(&mut self, lobby: u64, ip: u32, port: u16, server: u64, now: Instant) {
        let Some(joined) = self.owned_mut(lobby) else {
            return;
        };
        joined.room.server = Some((ip, port, server));
        let message = Message::Server {
            lobby,
            ip,
            port,
            server,
        };
        self.broadcast(lobby, &message, None, now);
        self.events.push(Event::LobbyGameCreated {
            lobby,
            server,
            ip,
            port,
        });
    }

    /// `getLobbyGameServer`.
    pub fn server(&self, lobby: u64) -> Option<(u32, u16, u64)> {
        self.rooms.get(&lobby)?.room.server
    }

    /// `getLobbyMemberLimit`.
    pub fn limit(&self, lobby: u64) -> u32 {
        match self.rooms.get(&lobby) {
            Some(j) => j.room.limit,
            None => self.known.get(&lobby).map_or(0, |s| s.limit),
        }
    }

    /// `getLobbyOwner`.
    pub fn owner(&self, lobby: u64) -> Option<SteamId> {
        Some(self.rooms.get(&lobby)?.room.owner)
    }

    /// `setLobbyType`, `setLobbyJoinable`, `setLobbyMemberLimit` (owner
    /// only): changes the settings through `change`.
    pub fn set_settings(
        &mut self,
        lobby: u64,
        now: Instant,
        change: impl FnOnce(&mut Room),
    ) -> bool {
        let Some(joined) = self.owned_mut(lobby) else {
            return false;
        };
        let before = joined.room.settings();
        change(&mut joined.room);
        let after = joined.room.settings();
        if after != before {
            self.broadcast(lobby, &after, None, now);
            self.events.push(Event::LobbyDataUpdate {
                success: true,
                lobby,
                member: lobby,
            });
        }
        true
    }

    /// `setLobbyOwner` (owner only, to a member).
    pub fn set_owner(&mut self, lobby: u64, new_owner: SteamId, now: Instant) -> bool {
        let me = self.me;
        let Some(joined) = self.owned_mut(lobby) else {
            return false;
        };
        if new_owner == me {
            return true;
        }
        if !joined.room.has(new_owner) {
            return false;
        }
        joined.room.owner = new_owner;
        let settings = joined.room.settings();
        self.broadcast(lobby, &settings, None, now);
        self.events.push(Event::LobbyDataUpdate {
            success: true,
            lobby,
            member: lobby,
        });
        // We are a member like the others now: the new owner sends us the
        // lobby once we ask.
        self.send(
            new_owner,
            &Message::Rejoin {
                lobby,
                gone_owner: 0,
            },
            now,
        );
        true
    }

    /// `requestLobbyList`.
    pub fn request_list(
        &mut self,
        filters: Vec<ListFilter>,
        instances: (Vec<SteamId>, bool),
        now: Instant,
    ) {
        self.start_query(Purpose::List(filters), 0, instances, now);
    }

    pub(super) fn start_query(
        &mut self,
        purpose: Purpose,
        lobby: u64,
        (instances, exact): (Vec<SteamId>, bool),
        now: Instant,
    ) -> u64 {
        self.next_query = self.next_query.wrapping_add(2);
        let id = self.next_query;
        let payload = codec::encode_query(id, self.app_id, lobby);
        for to in instances.iter().filter(|i| **i != self.me) {
            self.out.push((*to, payload.clone()));
        }
        let instances = instances.into_iter().filter(|i| *i != self.me).collect();
        self.queries
            .insert(id, Query::new(purpose, lobby, instances, exact, now));
        // Our own lobbies need no datagram; a query with nobody to ask
        // completes at the next tick.
        id
    }
}
