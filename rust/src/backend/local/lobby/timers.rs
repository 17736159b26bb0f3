//! What time does: keepalives, deadlines, and finished queries.

use super::*;

impl Lobbies {
    /// Sends a keepalive to every peer we share a lobby with that has not
    /// heard from us for a fifth of the timeout.
    pub(super) fn keep_alive(&mut self, now: Instant) {
        let me = self.me;
        let mut peers = HashSet::new();
        for joined in self.rooms.values() {
            if joined.room.owner == me {
                peers.extend(joined.room.members.iter().map(|m| m.id));
            } else {
                peers.insert(joined.room.owner);
            }
        }
        for joining in self.joining.values() {
            if let Joining::Asked(owner, _) = joining {
                peers.insert(*owner);
            }
        }
        peers.remove(&me);
        let every = self.timeout / 5;
        for peer in peers {
            let quiet = self
                .links
                .quiet_since(peer)
                .is_none_or(|t| now.duration_since(t) >= every);
            if quiet && self.links.is_idle(peer) {
                self.send(peer, &Message::Keepalive, now);
            }
        }
    }

    pub(super) fn expire_unconfirmed(&mut self, now: Instant) {
        let timeout = self.timeout;
        self.early_rejoins
            .retain(|(_, _, at)| now.duration_since(*at) < timeout);
        let late: Vec<(u64, SteamId)> = self
            .rooms
            .values()
            .flat_map(|j| {
                j.unconfirmed
                    .iter()
                    .filter(|(_, deadline)| now >= **deadline)
                    .map(|(id, _)| (j.room.id, *id))
            })
            .collect();
        for (lobby, id) in late {
            self.drop_member(lobby, id, member_change::DISCONNECTED, now);
        }
    }

    pub(super) fn expire_joins(&mut self, now: Instant) {
        let timeout = self.timeout;
        let late: Vec<u64> = self
            .joining
            .iter()
            .filter(|(_, j)| matches!(j, Joining::Asked(_, since) if now.duration_since(*since) >= timeout))
            .map(|(l, _)| *l)
            .collect();
        for lobby in late {
            self.joining.remove(&lobby);
            self.rooms.remove(&lobby);
            self.joined(lobby, EnterResponse::Error);
        }
    }

    pub(super) fn finish_queries(&mut self, now: Instant) {
        let mut resend = Vec::new();
        let mut complete = Vec::new();
        for (id, q) in &mut self.queries {
            if q.is_complete(now) {
                complete.push(*id);
            } else {
                for to in q.resend_to(now) {
                    resend.push((to, codec::encode_query(*id, self.app_id, q.lobby)));
                }
            }
        }
        self.out.extend(resend);
        for id in complete {
            if let Some(q) = self.queries.remove(&id) {
                self.finish(q, now);
            }
        }
    }

    pub(super) fn remember(&mut self, found: &[Summary]) {
        if self.known.len() + found.len() > MAX_KNOWN {
            self.known.clear();
        }
        for s in found.iter().take(MAX_KNOWN) {
            self.known.insert(s.lobby, s.clone());
        }
    }

    pub(super) fn finish(&mut self, q: Query, now: Instant) {
        match q.purpose {
            Purpose::List(filters) => {
                self.remember(&q.found);
                let me = self.me;
                let ours = self
                    .rooms
                    .values()
                    .filter(|j| {
                        j.room.owner == me && j.room.lobby_type.is_listed() && j.room.joinable
                    })
                    .map(|j| j.room.summary());
                let candidates: Vec<ListedLobby> = q
                    .found
                    .iter()
                    .cloned()
                    .chain(ours)
                    .filter(|s| s.lobby_type.is_listed() && s.joinable)
                    .map(|s| ListedLobby {
                        id: s.lobby,
                        members: s.members,
                        limit: s.limit,
                        data: s.data,
                    })
                    .collect();
                let ids = lobby::select(candidates, &filters);
                self.events.push(Event::LobbyMatchList(ids));
            }
            Purpose::Data(lobby) => {
                self.remember(&q.found);
                let success = q.found.iter().any(|s| s.lobby == lobby);
                self.events.push(Event::LobbyDataUpdate {
                    success,
                    lobby,
                    member: lobby,
                });
            }
            Purpose::Join(lobby) => {
                self.remember(&q.found);
                let owner = q.found.iter().find(|s| s.lobby == lobby).map(|s| s.owner);
                match owner {
                    Some(owner) if matches!(self.joining.get(&lobby), Some(Joining::Finding)) => {
                        let message = Message::Join {
                            lobby,
                            app_id: self.app_id,
                            name: self.name.clone(),
                        };
                        self.send(owner, &message, now);
                        self.joining.insert(lobby, Joining::Asked(owner, now));
                    }
                    _ => {
                        if self.joining.remove(&lobby).is_some() {
                            self.joined(lobby, EnterResponse::DoesntExist);
                        }
                    }
                }
            }
        }
    }
}
