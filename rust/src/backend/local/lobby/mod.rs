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

mod calls;
pub mod codec;
pub mod link;
mod member;
mod owner;
pub mod query;
pub mod room;
mod timers;

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
