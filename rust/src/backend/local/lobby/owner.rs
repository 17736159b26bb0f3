//! The owner's side: members' requests, snapshots, and taking a lobby over.

use super::*;

impl Lobbies {
    pub(super) fn relay_chat(&mut self, lobby: u64, from: SteamId, body: Vec<u8>, now: Instant) {
        self.events.push(Event::LobbyMessage {
            lobby,
            user: from.raw(),
            message: body.clone(),
            chat_type: lobby::CHAT_ENTRY_CHAT_MSG,
        });
        let line = Message::ChatLine { lobby, from, body };
        self.broadcast(lobby, &line, None, now);
    }

    /// Answers a query with the lobbies we own that match it.
    pub(super) fn answer(&mut self, from: SteamId, query: u64, app_id: u32, lobby: u64) {
        if app_id != self.app_id {
            self.out.push((from, codec::encode_done(query, 0)));
            return;
        }
        let mut count = 0;
        for joined in self.rooms.values() {
            let room = &joined.room;
            let wanted = if lobby == 0 {
                room.lobby_type.is_listed() && room.joinable
            } else {
                room.id == lobby
            };
            if room.owner != self.me || !wanted {
                continue;
            }
            if let Some(bytes) = codec::encode_answer(query, &room.summary()) {
                self.out.push((from, bytes));
                count += 1;
            }
        }
        self.out.push((from, codec::encode_done(query, count)));
    }

    pub(super) fn on_join(
        &mut self,
        from: SteamId,
        lobby: u64,
        app_id: u32,
        name: String,
        now: Instant,
    ) {
        let (app, refused) = (self.app_id, |response: EnterResponse| Message::Refused {
            lobby,
            response: response as u8,
        });
        let Some(joined) = self.owned_mut(lobby).filter(|_| app_id == app) else {
            self.send(from, &refused(EnterResponse::DoesntExist), now);
            return;
        };
        let room = &mut joined.room;
        if !room.has(from) {
            if !room.joinable {
                self.send(from, &refused(EnterResponse::NotAllowed), now);
                return;
            }
            if room.members.len() >= room.limit as usize {
                self.send(from, &refused(EnterResponse::Full), now);
                return;
            }
            room.members.push(room::Member {
                id: from,
                name: name.clone(),
                data: Vec::new(),
            });
            let entered = Message::Member {
                lobby,
                id: from,
                name,
            };
            self.broadcast(lobby, &entered, Some(from), now);
            self.events
                .push(chat_update(lobby, from, from, member_change::ENTERED));
        }
        self.send_snapshot(lobby, from, now);
    }

    pub(super) fn send_snapshot(&mut self, lobby: u64, to: SteamId, now: Instant) {
        let Some(joined) = self.rooms.get_mut(&lobby) else {
            return;
        };
        joined.unconfirmed.remove(&to);
        let held = joined.held.remove(&to).unwrap_or_default();
        let snapshot = joined.room.snapshot();
        for message in snapshot.iter().chain(&held) {
            self.send(to, message, now);
        }
    }

    pub(super) fn on_leave(&mut self, from: SteamId, lobby: u64, now: Instant) {
        self.drop_member(lobby, from, member_change::LEFT, now);
    }

    /// Owner: `id` is no longer a member; everyone is told.
    pub(super) fn drop_member(&mut self, lobby: u64, id: SteamId, state: u32, now: Instant) {
        let Some(joined) = self.owned_mut(lobby) else {
            return;
        };
        joined.unconfirmed.remove(&id);
        joined.held.remove(&id);
        if !joined.room.remove(id) {
            return;
        }
        self.broadcast(lobby, &Message::Gone { lobby, id, state }, None, now);
        self.events.push(chat_update(lobby, id, id, state));
    }

    pub(super) fn on_member_data(
        &mut self,
        from: SteamId,
        lobby: u64,
        key: String,
        value: String,
        now: Instant,
    ) {
        let Some(joined) = self.owned_mut(lobby) else {
            return;
        };
        let Some(member) = joined.room.member_mut(from) else {
            return;
        };
        if size_with(&member.data, &key, &value) > room::MAX_MEMBER_DATA_BYTES {
            log::warn!(
                "local backend: {from}'s member data in lobby {lobby} is over the limit; ignored"
            );
            return;
        }
        set_pair(&mut member.data, &key, Some(&value));
        let message = Message::MemberData {
            lobby,
            id: from,
            key,
            value,
        };
        self.broadcast(lobby, &message, None, now);
        self.events.push(Event::LobbyDataUpdate {
            success: true,
            lobby,
            member: from.raw(),
        });
    }

    pub(super) fn on_rejoin(&mut self, from: SteamId, lobby: u64, gone_owner: u64, now: Instant) {
        let me = self.me;
        let Some(joined) = self.rooms.get(&lobby) else {
            self.send(
                from,
                &Message::Refused {
                    lobby,
                    response: EnterResponse::DoesntExist as u8,
                },
                now,
            );
            return;
        };
        let room = &joined.room;
        if room.owner != me
            && gone_owner != 0
            && room.owner.raw() == gone_owner
            && room.successor(room.owner) == Some(me)
        {
            // A member saw the owner go before we did: we are next.
            let gone = room.owner;
            self.owner_gone(lobby, gone, now);
        }
        if self.owned(lobby).is_some_and(|j| j.room.has(from)) {
            self.send_snapshot(lobby, from, now);
        } else if gone_owner == 0 && self.early_rejoins.len() < MAX_HELD_LINES {
            // The owner's handover to us is still on its way.
            self.early_rejoins.push((lobby, from, now));
        }
    }

    /// We own `lobby` now: the others must find us within the timeout
    /// (those that already asked get the lobby at once).
    pub(super) fn take_over(&mut self, lobby: u64, now: Instant) {
        let (me, deadline) = (self.me, now + self.timeout);
        if let Some(joined) = self.rooms.get_mut(&lobby) {
            joined.incoming = None;
            joined.unconfirmed = joined
                .room
                .members
                .iter()
                .filter(|m| m.id != me)
                .map(|m| (m.id, deadline))
                .collect();
        }
        let (early, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.early_rejoins)
            .into_iter()
            .partition(|(l, _, _)| *l == lobby);
        self.early_rejoins = rest;
        for (_, member, _) in early {
            if self.owned(lobby).is_some_and(|j| j.room.has(member)) {
                self.send_snapshot(lobby, member, now);
            }
        }
    }
}
