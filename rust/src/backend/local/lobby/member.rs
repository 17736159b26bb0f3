//! A member's side: the owner's changes, a new owner, a silent peer.

use super::*;

impl Lobbies {
    /// A state message from `from` about `lobby`: applied if `from` owns
    /// the lobby in our copy (or is the owner we are joining).
    pub(super) fn on_owner_message(
        &mut self,
        from: SteamId,
        lobby: u64,
        message: Message,
        now: Instant,
    ) {
        let me = self.me;
        if let Message::Begin { .. } = message {
            let asked =
                matches!(self.joining.get(&lobby), Some(Joining::Asked(o, _)) if *o == from);
            if let Some(joined) = self.rooms.get_mut(&lobby) {
                if joined.room.owner == from {
                    joined.incoming = Some(Room::awaiting(lobby, from));
                }
            } else if asked {
                let mut joined = Joined::new(Room::awaiting(lobby, from));
                joined.incoming = Some(Room::awaiting(lobby, from));
                self.rooms.insert(lobby, joined);
            }
            return;
        }
        let Some(joined) = self.rooms.get_mut(&lobby) else {
            return;
        };
        if joined.room.owner != from {
            return;
        }
        if let Some(incoming) = joined.incoming.as_mut() {
            if let Message::Welcome { .. } = message {
                let fresh = joined
                    .incoming
                    .take()
                    .unwrap_or_else(|| Room::awaiting(lobby, from));
                if self.joining.remove(&lobby).is_some() {
                    joined.room = fresh;
                    self.joined(lobby, EnterResponse::Success);
                } else {
                    let changes = joined.room.changes_to(&fresh);
                    joined.room = fresh;
                    self.events.extend(changes);
                }
                self.after_owner_change(lobby, from, now);
            } else {
                incoming.apply(&message);
            }
            return;
        }
        match &message {
            Message::Gone { id, state, .. } if *id == me => {
                self.rooms.remove(&lobby);
                self.events.push(Event::LobbyKicked {
                    lobby,
                    admin: from.raw(),
                    due_to_disconnect: state & member_change::DISCONNECTED != 0,
                });
            }
            Message::ChatLine {
                from: who, body, ..
            } => {
                if joined.room.has(*who) {
                    self.events.push(Event::LobbyMessage {
                        lobby,
                        user: who.raw(),
                        message: body.clone(),
                        chat_type: lobby::CHAT_ENTRY_CHAT_MSG,
                    });
                }
            }
            _ => {
                if let Some(event) = joined.room.apply(&message) {
                    self.events.push(event);
                }
                if joined.room.owner != from {
                    self.after_owner_change(lobby, from, now);
                }
            }
        }
    }

    /// After our copy names a new owner: ask it for the lobby, or (if we
    /// are it) wait for the others to do so.
    pub(super) fn after_owner_change(&mut self, lobby: u64, previous: SteamId, now: Instant) {
        let me = self.me;
        let Some(joined) = self.rooms.get_mut(&lobby) else {
            return;
        };
        let owner = joined.room.owner;
        if owner == previous {
            return;
        }
        if owner == me {
            self.take_over(lobby, now);
        } else {
            self.send(
                owner,
                &Message::Rejoin {
                    lobby,
                    gone_owner: 0,
                },
                now,
            );
        }
    }

    /// The owner of `lobby` stopped answering: it is dropped, and the
    /// earliest-joined member takes over.
    pub(super) fn owner_gone(&mut self, lobby: u64, owner: SteamId, now: Instant) {
        let me = self.me;
        let Some(joined) = self.rooms.get_mut(&lobby) else {
            return;
        };
        joined.incoming = None;
        joined.room.remove(owner);
        self.events.push(chat_update(
            lobby,
            owner,
            owner,
            member_change::DISCONNECTED,
        ));
        match joined.room.successor(owner) {
            Some(next) => {
                joined.room.owner = next;
                self.events.push(Event::LobbyDataUpdate {
                    success: true,
                    lobby,
                    member: lobby,
                });
                if next == me {
                    self.take_over(lobby, now);
                } else {
                    let gone_owner = owner.raw();
                    self.send(next, &Message::Rejoin { lobby, gone_owner }, now);
                }
            }
            None => {
                self.rooms.remove(&lobby);
            }
        }
    }

    /// Everything shared with `peer` ends: it stopped answering or restarted.
    pub(super) fn peer_gone(&mut self, peer: SteamId, now: Instant) {
        let lobbies: Vec<(u64, SteamId)> = self
            .rooms
            .values()
            .filter(|j| j.room.has(peer) || j.room.owner == peer)
            .map(|j| (j.room.id, j.room.owner))
            .collect();
        for (lobby, owner) in lobbies {
            if owner == peer {
                self.owner_gone(lobby, peer, now);
            } else if owner == self.me {
                self.drop_member(lobby, peer, member_change::DISCONNECTED, now);
            }
        }
        let failed: Vec<u64> = self
            .joining
            .iter()
            .filter(|(_, j)| matches!(j, Joining::Asked(o, _) if *o == peer))
            .map(|(l, _)| *l)
            .collect();
        for lobby in failed {
            self.joining.remove(&lobby);
            self.rooms.remove(&lobby);
            self.joined(lobby, EnterResponse::DoesntExist);
        }
    }
}
