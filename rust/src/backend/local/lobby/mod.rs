//! Lobbies between local instances. Each lobby lives with its owner, whose
//! copy is the truth; members send it their requests (join, leave, member
//! data, chat) and it sends every member each change, in order, over
//! reliable links ([`link`]). Finding lobbies asks every other instance
//! ([`query`]). When the owner leaves it names the next owner; when it
//! stops answering, the members pick the earliest-joined member among
//! themselves and that one takes over with its copy. A plain state
//! machine: the caller passes the time, feeds in what arrived and sends
//! what [`Lobbies::take_outgoing`] gives.
//!
//! Bounds: at most [`MAX_ROOMS`] lobbies per instance, 250 members each,
//! [`room::MAX_LOBBY_DATA_BYTES`] of lobby data and
//! [`room::MAX_MEMBER_DATA_BYTES`] per member; link queues are bounded in
//! [`link`], remembered list results by [`MAX_KNOWN`].

pub mod codec;
pub mod link;
pub mod query;
pub mod room;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use crate::p2p::lobby::{self, EnterResponse, ListFilter, ListedLobby, LobbyType, member_change};
use crate::p2p::{Event, SteamId};

use codec::{Message, Summary};
use link::{Links, Outgoing, Received};
use query::{Purpose, Query};
use room::{Room, chat_update, get_pair, set_pair, size_with};

/// Lobbies one instance may be in at once.
pub const MAX_ROOMS: usize = 16;
/// Lobbies from lists and data requests remembered at most.
pub const MAX_KNOWN: usize = 1024;
/// Chat lines held for a member that has not yet found a new owner.
const MAX_HELD_LINES: usize = 256;

/// The lobby flag in a SteamID's instance bits (`k_EChatInstanceFlagLobby`).
const LOBBY_INSTANCE_FLAG: u64 = 0x40000;

/// A lobby this instance is in.
#[derive(Debug)]
struct Joined {
    room: Room,
    /// Owner only: members that must still find us after we took over,
    /// and until when they may.
    unconfirmed: HashMap<SteamId, Instant>,
    /// Owner only: chat lines for unconfirmed members.
    held: HashMap<SteamId, Vec<Message>>,
    /// Member only: a fresh copy arriving from the owner (after a `Begin`).
    incoming: Option<Room>,
    /// Whether "lobby data is full" was said already.
    warned: bool,
}

/// A join waiting for the owner's answer.
#[derive(Debug)]
enum Joining {
    /// Looking for the owner.
    Finding,
    /// Asked the owner, at that time.
    Asked(SteamId, Instant),
}

/// Every lobby an instance is in, joins and queries under way, and the
/// links that carry them.
#[derive(Debug)]
pub struct Lobbies {
    me: SteamId,
    name: String,
    app_id: u32,
    timeout: Duration,
    links: Links,
    rooms: HashMap<u64, Joined>,
    joining: HashMap<u64, Joining>,
    queries: HashMap<u64, Query>,
    known: HashMap<u64, Summary>,
    next_query: u64,
    next_lobby: u32,
    /// Members that asked us for a lobby we are about to own (a handover
    /// whose news reached them first), and when.
    early_rejoins: Vec<(u64, SteamId, Instant)>,
    events: Vec<Event>,
    out: Vec<Outgoing>,
}

impl Lobbies {
    /// The lobbies of instance `me`; peers that stay silent for `timeout`
    /// are gone. `seed` tells this start apart from earlier ones (random
    /// in production).
    pub fn new(me: SteamId, timeout: Duration, seed: u64) -> Self {
        let seed = seed | 1;
        Self {
            me,
            name: String::new(),
            app_id: 0,
            timeout,
            // A link is declared dead a little before the timeout, so that
            // with keepalives every fifth of it a lost peer is noticed
            // within the timeout.
            links: Links::new(seed, timeout * 3 / 4),
            rooms: HashMap::new(),
            joining: HashMap::new(),
            queries: HashMap::new(),
            known: HashMap::new(),
            next_query: seed,
            next_lobby: (seed as u32) & 0x00FF_FFFF,
            early_rejoins: Vec::new(),
            events: Vec::new(),
            out: Vec::new(),
        }
    }

    /// Sets the persona name members see and the app id lobbies belong to.
    pub fn set_identity(&mut self, name: &str, app_id: u32) {
        name.clone_into(&mut self.name);
        self.app_id = app_id;
    }

    /// Moves the callbacks made so far into `events`.
    pub fn take_events(&mut self, events: &mut Vec<Event>) {
        events.append(&mut self.events);
    }

    /// The datagrams to send now (lobby payloads, to whom).
    pub fn take_outgoing(&mut self) -> std::vec::Drain<'_, Outgoing> {
        self.out.drain(..)
    }

    /// Every member of every lobby we are in, with their names.
    pub fn member_names(&self) -> impl Iterator<Item = (SteamId, &str)> {
        self.rooms
            .values()
            .flat_map(|j| j.room.members.iter().map(|m| (m.id, m.name.as_str())))
    }

    fn send(&mut self, to: SteamId, message: &Message, now: Instant) {
        if to == self.me {
            return;
        }
        if !self.links.send(to, message.encode(), now) {
            log::warn!("local backend: lobby messages to {to} are not being read; dropped one");
        }
    }

    /// Sends `message` to every member of `lobby` but us (and `except`).
    fn broadcast(&mut self, lobby: u64, message: &Message, except: Option<SteamId>, now: Instant) {
        let Some(joined) = self.rooms.get_mut(&lobby) else {
            return;
        };
        let mut targets = Vec::new();
        for m in &joined.room.members {
            if m.id == self.me || Some(m.id) == except {
                continue;
            }
            if joined.unconfirmed.contains_key(&m.id) {
                // Its copy is rebuilt from a snapshot once it finds us; only
                // chat lines would be missing from that.
                if matches!(message, Message::ChatLine { .. }) {
                    let held = joined.held.entry(m.id).or_default();
                    if held.len() < MAX_HELD_LINES {
                        held.push(message.clone());
                    }
                }
                continue;
            }
            targets.push(m.id);
        }
        for to in targets {
            self.send(to, message, now);
        }
    }

    fn new_lobby_id(&mut self) -> u64 {
        self.next_lobby = self.next_lobby.wrapping_add(1) & 0x00FF_FFFF;
        let slot = crate::backend::local::config::LocalConfig::slot_of(self.me).unwrap_or(0);
        let account = (u64::from(slot) << 24) | u64::from(self.next_lobby);
        (1 << 56) | (8 << 52) | (LOBBY_INSTANCE_FLAG << 32) | account
    }

    fn owned(&self, lobby: u64) -> Option<&Joined> {
        self.rooms.get(&lobby).filter(|j| j.room.owner == self.me)
    }

    fn owned_mut(&mut self, lobby: u64) -> Option<&mut Joined> {
        let me = self.me;
        self.rooms.get_mut(&lobby).filter(|j| j.room.owner == me)
    }

    fn joined(&mut self, lobby: u64, response: EnterResponse) {
        self.events.push(Event::LobbyJoined {
            lobby,
            permissions: 0,
            locked: false,
            response: response as u32,
        });
    }

    // ---- The game's calls ----

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

    fn data_of(&self, lobby: u64) -> Option<&[(String, String)]> {
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

    fn relay_chat(&mut self, lobby: u64, from: SteamId, body: Vec<u8>, now: Instant) {
        self.events.push(Event::LobbyMessage {
            lobby,
            user: from.raw(),
            message: body.clone(),
            chat_type: lobby::CHAT_ENTRY_CHAT_MSG,
        });
        let line = Message::ChatLine { lobby, from, body };
        self.broadcast(lobby, &line, None, now);
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

    fn start_query(
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

    // ---- What arrived ----

    /// Handles a lobby datagram from `from` (its address already checked).
    pub fn receive(&mut self, from: SteamId, payload: &[u8], now: Instant) {
        let Some((&kind, rest)) = payload.split_first() else {
            return;
        };
        match kind {
            link::LINK_DATA | link::LINK_ACK => {
                match self.links.receive(from, kind, rest, now, &mut self.out) {
                    Received::Messages(messages) => {
                        for bytes in messages {
                            match Message::decode(&bytes) {
                                Ok(message) => self.on_message(from, message, now),
                                Err(why) => log::warn!(
                                    "local backend: dropped a lobby message from {from}: {why}"
                                ),
                            }
                        }
                    }
                    Received::Restarted => self.peer_gone(from, now),
                    Received::Nothing => {}
                }
            }
            codec::QUERY => match codec::decode_query(rest) {
                Ok((query, app_id, lobby)) => self.answer(from, query, app_id, lobby),
                Err(why) => log::warn!("local backend: dropped a lobby query from {from}: {why}"),
            },
            codec::ANSWER => match codec::decode_answer(rest) {
                Ok((query, summary)) => {
                    if let Some(q) = self.queries.get_mut(&query) {
                        q.answer(from, summary);
                    }
                }
                Err(why) => log::warn!("local backend: dropped a lobby answer from {from}: {why}"),
            },
            codec::DONE => match codec::decode_done(rest) {
                Ok((query, count)) => {
                    if let Some(q) = self.queries.get_mut(&query) {
                        q.done(from, count);
                    }
                }
                Err(why) => log::warn!("local backend: dropped a lobby answer from {from}: {why}"),
            },
            _ => log::warn!(
                "local backend: dropped lobby traffic of unknown type {kind} from {from}"
            ),
        }
    }

    /// Answers a query with the lobbies we own that match it.
    fn answer(&mut self, from: SteamId, query: u64, app_id: u32, lobby: u64) {
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

    fn on_message(&mut self, from: SteamId, message: Message, now: Instant) {
        let lobby = message.lobby();
        match message {
            Message::Keepalive => {}
            Message::Invite { app_id, .. } => self.events.push(Event::LobbyInvite {
                inviter: from.raw(),
                lobby,
                game: u64::from(app_id),
            }),
            Message::Join { app_id, name, .. } => self.on_join(from, lobby, app_id, name, now),
            Message::Leave { .. } => self.on_leave(from, lobby, now),
            Message::SetMemberData { key, value, .. } => {
                self.on_member_data(from, lobby, key, value, now)
            }
            Message::Chat { body, .. } => {
                if self.owned(lobby).is_some_and(|j| j.room.has(from)) {
                    self.relay_chat(lobby, from, body, now);
                }
            }
            Message::Rejoin { gone_owner, .. } => self.on_rejoin(from, lobby, gone_owner, now),
            Message::Refused { response, .. } => {
                if matches!(self.joining.get(&lobby), Some(Joining::Asked(o, _)) if *o == from) {
                    self.joining.remove(&lobby);
                    let response = match response {
                        3 => EnterResponse::NotAllowed,
                        4 => EnterResponse::Full,
                        2 => EnterResponse::DoesntExist,
                        _ => EnterResponse::Error,
                    };
                    self.joined(lobby, response);
                }
            }
            state => self.on_owner_message(from, lobby, state, now),
        }
    }

    fn on_join(&mut self, from: SteamId, lobby: u64, app_id: u32, name: String, now: Instant) {
        let me = self.me;
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
        let _ = me;
        self.send_snapshot(lobby, from, now);
    }

    fn send_snapshot(&mut self, lobby: u64, to: SteamId, now: Instant) {
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

    fn on_leave(&mut self, from: SteamId, lobby: u64, now: Instant) {
        self.drop_member(lobby, from, member_change::LEFT, now);
    }

    /// Owner: `id` is no longer a member; everyone is told.
    fn drop_member(&mut self, lobby: u64, id: SteamId, state: u32, now: Instant) {
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

    fn on_member_data(
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

    fn on_rejoin(&mut self, from: SteamId, lobby: u64, gone_owner: u64, now: Instant) {
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

    /// A state message from `from` about `lobby`: applied if `from` owns
    /// the lobby in our copy (or is the owner we are joining).
    fn on_owner_message(&mut self, from: SteamId, lobby: u64, message: Message, now: Instant) {
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
    fn after_owner_change(&mut self, lobby: u64, previous: SteamId, now: Instant) {
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

    /// We own `lobby` now: the others must find us within the timeout
    /// (those that already asked get the lobby at once).
    fn take_over(&mut self, lobby: u64, now: Instant) {
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

    /// The owner of `lobby` stopped answering: it is dropped, and the
    /// earliest-joined member takes over.
    fn owner_gone(&mut self, lobby: u64, owner: SteamId, now: Instant) {
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
    fn peer_gone(&mut self, peer: SteamId, now: Instant) {
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

    // ---- Time ----

    /// Sends what is due, notices silent peers and finishes queries.
    pub fn tick(&mut self, now: Instant) {
        self.keep_alive(now);
        let mut out = std::mem::take(&mut self.out);
        let gone = self.links.poll(now, &mut out);
        self.out = out;
        for peer in gone {
            log::info!("local backend: {peer} stopped answering lobby messages");
            self.peer_gone(peer, now);
        }
        self.expire_unconfirmed(now);
        self.expire_joins(now);
        self.finish_queries(now);
    }

    /// Sends a keepalive to every peer we share a lobby with that has not
    /// heard from us for a fifth of the timeout.
    fn keep_alive(&mut self, now: Instant) {
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

    fn expire_unconfirmed(&mut self, now: Instant) {
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

    fn expire_joins(&mut self, now: Instant) {
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

    fn finish_queries(&mut self, now: Instant) {
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

    fn remember(&mut self, found: &[Summary]) {
        if self.known.len() + found.len() > MAX_KNOWN {
            self.known.clear();
        }
        for s in found.iter().take(MAX_KNOWN) {
            self.known.insert(s.lobby, s.clone());
        }
    }

    fn finish(&mut self, q: Query, now: Instant) {
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

impl Joined {
    fn new(room: Room) -> Self {
        Self {
            room,
            unconfirmed: HashMap::new(),
            held: HashMap::new(),
            incoming: None,
            warned: false,
        }
    }
}
