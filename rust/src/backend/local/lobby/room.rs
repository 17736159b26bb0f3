//! One lobby as an instance knows it: settings, members in join order with
//! their data, lobby data in the order it was set, and the game server.
//! The owner's copy is the truth; members keep a copy that the owner's
//! messages update. Comparing two copies gives the callbacks a member owes
//! the game after it got the whole lobby again (a new owner sent it).

use crate::p2p::lobby::{LobbyType, member_change};
use crate::p2p::{Event, SteamId};

use super::codec::{Message, Summary};

/// Lobby data bytes (keys and values) a local lobby holds at most: its
/// list answer must fit one datagram.
pub const MAX_LOBBY_DATA_BYTES: usize = 32 * 1024;
/// Member data bytes (keys and values) per member at most.
pub const MAX_MEMBER_DATA_BYTES: usize = 16 * 1024;

/// A member and its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Who.
    pub id: SteamId,
    /// Their persona name.
    pub name: String,
    /// Their member data, in the order set.
    pub data: Vec<(String, String)>,
}

/// What a lobby is, as a snapshot carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    /// The lobby id.
    pub id: u64,
    /// Its owner.
    pub owner: SteamId,
    /// Its type.
    pub lobby_type: LobbyType,
    /// Whether it takes new members and shows in lists.
    pub joinable: bool,
    /// Its member limit.
    pub limit: u32,
    /// Members in join order (the owner among them).
    pub members: Vec<Member>,
    /// Lobby data in the order set.
    pub data: Vec<(String, String)>,
    /// `(ip, port, server)` once the owner set it.
    pub server: Option<(u32, u16, u64)>,
}

/// Sets `key` in `pairs` (keeping its place), or removes it for `None`;
/// true if anything changed.
pub fn set_pair(pairs: &mut Vec<(String, String)>, key: &str, value: Option<&str>) -> bool {
    let at = pairs.iter().position(|(k, _)| k == key);
    match (at, value) {
        (Some(i), Some(v)) if pairs[i].1 == v => false,
        (Some(i), Some(v)) => {
            pairs[i].1 = v.to_owned();
            true
        }
        (Some(i), None) => {
            pairs.remove(i);
            true
        }
        (None, Some(v)) => {
            pairs.push((key.to_owned(), v.to_owned()));
            true
        }
        (None, None) => false,
    }
}

/// Bytes `pairs` would take with `key` set to `value`.
pub fn size_with(pairs: &[(String, String)], key: &str, value: &str) -> usize {
    pairs
        .iter()
        .filter(|(k, _)| k != key)
        .map(|(k, v)| k.len() + v.len())
        .sum::<usize>()
        + key.len()
        + value.len()
}

/// Looks a pair up.
pub fn get_pair<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

impl Room {
    /// A new lobby with its owner as the only member.
    pub fn new(id: u64, owner: SteamId, name: &str, lobby_type: LobbyType, limit: u32) -> Self {
        Self {
            id,
            owner,
            lobby_type,
            joinable: true,
            limit,
            members: vec![Member {
                id: owner,
                name: name.to_owned(),
                data: Vec::new(),
            }],
            data: Vec::new(),
            server: None,
        }
    }

    /// An empty copy waiting for a snapshot from `owner`.
    pub fn awaiting(id: u64, owner: SteamId) -> Self {
        Self {
            id,
            owner,
            lobby_type: LobbyType::Private,
            joinable: true,
            limit: 1,
            members: Vec::new(),
            data: Vec::new(),
            server: None,
        }
    }

    /// Whether `id` is a member.
    pub fn has(&self, id: SteamId) -> bool {
        self.members.iter().any(|m| m.id == id)
    }

    /// The member `id`, if in.
    pub fn member_mut(&mut self, id: SteamId) -> Option<&mut Member> {
        self.members.iter_mut().find(|m| m.id == id)
    }

    /// Removes `id`; true if it was a member.
    pub fn remove(&mut self, id: SteamId) -> bool {
        let before = self.members.len();
        self.members.retain(|m| m.id != id);
        self.members.len() != before
    }

    /// Who inherits the lobby if `leaving` goes: the earliest-joined other
    /// member (every copy agrees: they share the join order).
    pub fn successor(&self, leaving: SteamId) -> Option<SteamId> {
        self.members.iter().map(|m| m.id).find(|id| *id != leaving)
    }

    /// The lobby as a list answer shows it.
    pub fn summary(&self) -> Summary {
        Summary {
            lobby: self.id,
            owner: self.owner,
            lobby_type: self.lobby_type,
            joinable: self.joinable,
            members: self.members.len() as u32,
            limit: self.limit,
            data: self.data.clone(),
        }
    }

    /// The settings message.
    pub fn settings(&self) -> Message {
        Message::Settings {
            lobby: self.id,
            owner: self.owner,
            lobby_type: self.lobby_type,
            joinable: self.joinable,
            limit: self.limit,
        }
    }

    /// Everything a member needs, from `Begin` to `Welcome`.
    pub fn snapshot(&self) -> Vec<Message> {
        let lobby = self.id;
        let mut out = vec![Message::Begin { lobby }, self.settings()];
        for m in &self.members {
            out.push(Message::Member {
                lobby,
                id: m.id,
                name: m.name.clone(),
            });
            for (key, value) in &m.data {
                out.push(Message::MemberData {
                    lobby,
                    id: m.id,
                    key: key.clone(),
                    value: value.clone(),
                });
            }
        }
        for (key, value) in &self.data {
            out.push(Message::Data {
                lobby,
                key: key.clone(),
                value: Some(value.clone()),
            });
        }
        if let Some((ip, port, server)) = self.server {
            out.push(Message::Server {
                lobby,
                ip,
                port,
                server,
            });
        }
        out.push(Message::Welcome { lobby });
        out
    }

    /// Applies an owner's state message to this copy (a snapshot's or a
    /// change's) and returns the callback it means for a member already in
    /// the lobby (`None`: nothing to tell, or not a state message).
    pub fn apply(&mut self, message: &Message) -> Option<Event> {
        let lobby = self.id;
        let data_update = |member: u64| Event::LobbyDataUpdate {
            success: true,
            lobby,
            member,
        };
        match message {
            Message::Settings {
                owner,
                lobby_type,
                joinable,
                limit,
                ..
            } => {
                let changed = (self.owner, self.lobby_type, self.joinable, self.limit)
                    != (*owner, *lobby_type, *joinable, *limit);
                self.owner = *owner;
                self.lobby_type = *lobby_type;
                self.joinable = *joinable;
                self.limit = *limit;
                changed.then(|| data_update(lobby))
            }
            Message::Member { id, name, .. } => {
                if let Some(m) = self.member_mut(*id) {
                    m.name.clone_from(name);
                    return None;
                }
                self.members.push(Member {
                    id: *id,
                    name: name.clone(),
                    data: Vec::new(),
                });
                Some(chat_update(lobby, *id, *id, member_change::ENTERED))
            }
            Message::Gone { id, state, .. } => self
                .remove(*id)
                .then(|| chat_update(lobby, *id, *id, *state)),
            Message::Data { key, value, .. } => {
                set_pair(&mut self.data, key, value.as_deref()).then(|| data_update(lobby))
            }
            Message::MemberData { id, key, value, .. } => {
                let m = self.member_mut(*id)?;
                set_pair(&mut m.data, key, Some(value));
                Some(data_update(id.raw()))
            }
            Message::Server {
                ip, port, server, ..
            } => {
                self.server = Some((*ip, *port, *server));
                Some(Event::LobbyGameCreated {
                    lobby,
                    server: *server,
                    ip: *ip,
                    port: *port,
                })
            }
            _ => None,
        }
    }

    /// The callbacks a member owes the game when its copy `self` is
    /// replaced by `fresh` (the whole lobby again, from a new owner).
    pub fn changes_to(&self, fresh: &Room) -> Vec<Event> {
        let lobby = self.id;
        let mut events = Vec::new();
        for m in &self.members {
            if !fresh.has(m.id) {
                events.push(chat_update(lobby, m.id, m.id, member_change::LEFT));
            }
        }
        for m in &fresh.members {
            match self.members.iter().find(|old| old.id == m.id) {
                None => events.push(chat_update(lobby, m.id, m.id, member_change::ENTERED)),
                Some(old) if old.data != m.data => events.push(Event::LobbyDataUpdate {
                    success: true,
                    lobby,
                    member: m.id.raw(),
                }),
                Some(_) => {}
            }
        }
        let settings = |r: &Room| (r.owner, r.lobby_type, r.joinable, r.limit, r.data.clone());
        if settings(self) != settings(fresh) {
            events.push(Event::LobbyDataUpdate {
                success: true,
                lobby,
                member: lobby,
            });
        }
        if fresh.server != self.server
            && let Some((ip, port, server)) = fresh.server
        {
            events.push(Event::LobbyGameCreated {
                lobby,
                server,
                ip,
                port,
            });
        }
        events
    }
}

/// A `lobby_chat_update` event.
pub fn chat_update(lobby: u64, changed: SteamId, making_change: SteamId, state: u32) -> Event {
    Event::LobbyChatUpdate {
        lobby,
        changed: changed.raw(),
        making_change: making_change.raw(),
        state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::local::config::LocalConfig;

    #[test]
    fn a_snapshot_rebuilds_the_lobby_and_a_fresh_copy_tells_what_changed() {
        let (a, b, c) = (
            LocalConfig::steam_id(0),
            LocalConfig::steam_id(1),
            LocalConfig::steam_id(2),
        );
        let mut room = Room::new(9, a, "A", LobbyType::Public, 4);
        room.members.push(Member {
            id: b,
            name: "B".into(),
            data: vec![("ready".into(), "1".into())],
        });
        set_pair(&mut room.data, "mode", Some("ctf"));
        room.server = Some((1, 2, 0));
        let mut copy = Room::awaiting(9, a);
        for message in room.snapshot() {
            copy.apply(&message);
        }
        assert_eq!(copy, room);

        let mut fresh = room.clone();
        fresh.remove(a);
        fresh.owner = b;
        fresh.members.push(Member {
            id: c,
            name: "C".into(),
            data: Vec::new(),
        });
        let events = room.changes_to(&fresh);
        assert_eq!(
            events,
            vec![
                chat_update(9, a, a, member_change::LEFT),
                chat_update(9, c, c, member_change::ENTERED),
                Event::LobbyDataUpdate {
                    success: true,
                    lobby: 9,
                    member: 9
                },
            ]
        );
        assert_eq!(room.successor(a), Some(b));
    }

    #[test]
    fn pairs_keep_their_order_and_sizes_count_keys_and_values() {
        let mut pairs = Vec::new();
        assert!(set_pair(&mut pairs, "a", Some("1")));
        assert!(set_pair(&mut pairs, "b", Some("2")));
        assert!(!set_pair(&mut pairs, "a", Some("1")));
        assert!(set_pair(&mut pairs, "a", Some("3")));
        assert_eq!(pairs[0], ("a".to_string(), "3".to_string()));
        assert_eq!(size_with(&pairs, "a", "xyz"), 1 + 3 + 1 + 1);
        assert!(set_pair(&mut pairs, "a", None));
        assert_eq!(get_pair(&pairs, "b"), Some("2"));
    }
}
