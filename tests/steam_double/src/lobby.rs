//! Steam's lobby rules, without files or FFI: one lobby's members (in join
//! order), owner, data and settings, who may change what, what members are
//! told, and how a lobby list is filtered and sorted (the extension's
//! `p2p::lobby::select` order: closest to a near value first, then fullest).

use std::cmp::Ordering;

/// `createLobby`'s and `SetLobbyMemberLimit`'s range: 1..=250.
pub(crate) const MAX_MEMBERS: i32 = 250;
/// `k_nMaxLobbyKeyLength`.
pub(crate) const MAX_KEY_BYTES: usize = 255;
/// `k_cubChatMetadataMax`.
pub(crate) const MAX_VALUE_BYTES: usize = 8192;
/// The longest chat message Steam sends (4 KB).
pub(crate) const MAX_CHAT_BYTES: usize = 4096;
/// Results of a list request without a result-count filter.
pub(crate) const DEFAULT_RESULT_COUNT: usize = 50;

/// `ELobbyType`: the listed ones, and the highest value.
pub(crate) const TYPE_PUBLIC: u8 = 2;
pub(crate) const TYPE_INVISIBLE: u8 = 3;
const TYPE_MAX: i32 = 4;

/// `EChatRoomEnterResponse` values the double answers.
pub(crate) const ENTER_SUCCESS: u32 = 1;
pub(crate) const ENTER_DOESNT_EXIST: u32 = 2;
pub(crate) const ENTER_NOT_ALLOWED: u32 = 3;
pub(crate) const ENTER_FULL: u32 = 4;

/// `EChatMemberStateChange` bits the double sends.
pub(crate) const MEMBER_ENTERED: u32 = 1;
pub(crate) const MEMBER_LEFT: u32 = 2;

/// The instance bits of a matchmaking lobby's SteamID, as Steam sets them:
/// `k_EChatInstanceFlagLobby` (0x40000) and `k_EChatInstanceFlagMMSLobby`
/// (0x20000).
const LOBBY_INSTANCE: u64 = 0x6_0000;

/// The SteamID64 of the lobby with this account number: universe Public
/// (1), account type Chat (8), the lobby instance flags.
pub(crate) fn lobby_id(account: u32) -> u64 {
    (1 << 56) | (8 << 52) | (LOBBY_INSTANCE << 32) | u64::from(account)
}

/// A lobby's game server (`SetLobbyGameServer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Server {
    /// Host-order IPv4.
    pub(crate) ip: u32,
    pub(crate) port: u16,
    pub(crate) id: u64,
}

/// One lobby, as every process sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lobby {
    pub(crate) id: u64,
    /// The app it was created in: lists only show the lister's app's.
    pub(crate) app: u32,
    /// Its `ELobbyType`.
    pub(crate) kind: u8,
    pub(crate) joinable: bool,
    pub(crate) limit: u32,
    pub(crate) owner: u64,
    /// In join order: the earliest becomes owner when the owner leaves.
    pub(crate) members: Vec<u64>,
    /// Key, value; in the order first set.
    pub(crate) data: Vec<(Vec<u8>, Vec<u8>)>,
    /// Member, key, value.
    pub(crate) member_data: Vec<(u64, Vec<u8>, Vec<u8>)>,
    pub(crate) server: Option<Server>,
}

/// What a process tells other members' processes (through their inboxes),
/// each becoming one callback there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Note {
    /// `LobbyChatUpdate_t`.
    ChatUpdate {
        lobby: u64,
        changed: u64,
        making_change: u64,
        state: u32,
    },
    /// `LobbyDataUpdate_t`.
    DataUpdate {
        lobby: u64,
        member: u64,
        success: bool,
    },
    /// `LobbyChatMsg_t`; the receiver keeps the text for
    /// `GetLobbyChatEntry`.
    ChatMsg {
        lobby: u64,
        sender: u64,
        body: Vec<u8>,
    },
    /// `LobbyInvite_t`.
    Invite { inviter: u64, lobby: u64, game: u64 },
    /// `LobbyGameCreated_t`.
    GameCreated { lobby: u64, server: Server },
}

impl Note {
    /// The lobby the note is about.
    pub(crate) fn lobby(&self) -> u64 {
        match self {
            Note::ChatUpdate { lobby, .. }
            | Note::DataUpdate { lobby, .. }
            | Note::ChatMsg { lobby, .. }
            | Note::Invite { lobby, .. }
            | Note::GameCreated { lobby, .. } => *lobby,
        }
    }
}

/// What a leave changed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Left {
    /// The member who now owns the lobby, if the owner left.
    pub(crate) new_owner: Option<u64>,
    /// No one is left: the lobby is gone.
    pub(crate) empty: bool,
}

fn key_ok(key: &[u8]) -> bool {
    (1..=MAX_KEY_BYTES).contains(&key.len())
}

fn set_pair(pairs: &mut Vec<(Vec<u8>, Vec<u8>)>, key: &[u8], value: &[u8]) {
    match pairs.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v = value.to_vec(),
        None => pairs.push((key.to_vec(), value.to_vec())),
    }
}

impl Lobby {
    /// `CreateLobby` by `owner`: `None` for a type outside `ELobbyType` or a
    /// limit outside 1..=250.
    pub(crate) fn create(id: u64, app: u32, kind: i32, limit: i32, owner: u64) -> Option<Self> {
        if !(0..=TYPE_MAX).contains(&kind) || !(1..=MAX_MEMBERS).contains(&limit) {
            return None;
        }
        Some(Self {
            id,
            app,
            kind: kind as u8,
            joinable: true,
            limit: limit as u32,
            owner,
            members: vec![owner],
            data: Vec::new(),
            member_data: Vec::new(),
            server: None,
        })
    }

    pub(crate) fn is_member(&self, user: u64) -> bool {
        self.members.contains(&user)
    }

    fn is_owner(&self, user: u64) -> bool {
        self.owner == user && self.is_member(user)
    }

    /// `JoinLobby`: the `EChatRoomEnterResponse`; a member joining again
    /// succeeds and changes nothing.
    pub(crate) fn enter(&mut self, user: u64) -> u32 {
        if self.is_member(user) {
            return ENTER_SUCCESS;
        }
        if !self.joinable {
            return ENTER_NOT_ALLOWED;
        }
        if self.members.len() >= self.limit as usize {
            return ENTER_FULL;
        }
        self.members.push(user);
        ENTER_SUCCESS
    }

    /// `LeaveLobby`: `None` if `user` was not a member. The member's data
    /// goes; an owner's place passes to the earliest-joined member left.
    pub(crate) fn leave(&mut self, user: u64) -> Option<Left> {
        let at = self.members.iter().position(|m| *m == user)?;
        self.members.remove(at);
        self.member_data.retain(|(m, _, _)| *m != user);
        let new_owner = match self.members.first() {
            Some(first) if self.owner == user => {
                self.owner = *first;
                Some(*first)
            }
            _ => None,
        };
        Some(Left {
            new_owner,
            empty: self.members.is_empty(),
        })
    }

    /// `SetLobbyData`: the owner only, within Steam's key and value sizes.
    pub(crate) fn set_data(&mut self, user: u64, key: &[u8], value: &[u8]) -> bool {
        if !self.is_owner(user) || !key_ok(key) || value.len() > MAX_VALUE_BYTES {
            return false;
        }
        set_pair(&mut self.data, key, value);
        true
    }

    /// `DeleteLobbyData`: the owner only; deleting a key never set is
    /// allowed (Steam treats it as setting "").
    pub(crate) fn delete_data(&mut self, user: u64, key: &[u8]) -> bool {
        if !self.is_owner(user) || !key_ok(key) {
            return false;
        }
        self.data.retain(|(k, _)| k != key);
        true
    }

    pub(crate) fn data(&self, key: &[u8]) -> Option<&[u8]> {
        self.data
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    }

    /// `SetLobbyMemberData`: a member's own data.
    pub(crate) fn set_member_data(&mut self, user: u64, key: &[u8], value: &[u8]) -> bool {
        if !self.is_member(user) || !key_ok(key) || value.len() > MAX_VALUE_BYTES {
            return false;
        }
        match self
            .member_data
            .iter_mut()
            .find(|(m, k, _)| *m == user && k == key)
        {
            Some((_, _, v)) => *v = value.to_vec(),
            None => self.member_data.push((user, key.to_vec(), value.to_vec())),
        }
        true
    }

    pub(crate) fn member_data(&self, user: u64, key: &[u8]) -> Option<&[u8]> {
        self.member_data
            .iter()
            .find(|(m, k, _)| *m == user && k == key)
            .map(|(_, _, v)| v.as_slice())
    }

    /// `SetLobbyJoinable`: the owner only.
    pub(crate) fn set_joinable(&mut self, user: u64, joinable: bool) -> bool {
        self.is_owner(user) && {
            self.joinable = joinable;
            true
        }
    }

    /// `SetLobbyType`: the owner only, an `ELobbyType` value.
    pub(crate) fn set_kind(&mut self, user: u64, kind: i32) -> bool {
        self.is_owner(user) && (0..=TYPE_MAX).contains(&kind) && {
            self.kind = kind as u8;
            true
        }
    }

    /// `SetLobbyMemberLimit`: the owner only, 1..=250.
    pub(crate) fn set_limit(&mut self, user: u64, limit: i32) -> bool {
        self.is_owner(user) && (1..=MAX_MEMBERS).contains(&limit) && {
            self.limit = limit as u32;
            true
        }
    }

    /// `SetLobbyOwner`: the owner only, to a member.
    pub(crate) fn set_owner(&mut self, user: u64, new_owner: u64) -> bool {
        self.is_owner(user) && self.is_member(new_owner) && {
            self.owner = new_owner;
            true
        }
    }

    /// `SetLobbyGameServer`: the owner only.
    pub(crate) fn set_server(&mut self, user: u64, server: Server) -> bool {
        self.is_owner(user) && {
            self.server = Some(server);
            true
        }
    }

    /// Whether a list request from `app` can see it at all: same app,
    /// public or invisible, joinable.
    pub(crate) fn listed_for(&self, app: u32) -> bool {
        self.app == app && matches!(self.kind, TYPE_PUBLIC | TYPE_INVISIBLE) && self.joinable
    }

    /// Notes for every member but `except` (0: for every member).
    pub(crate) fn recipients(&self, except: u64) -> Vec<u64> {
        self.members
            .iter()
            .copied()
            .filter(|m| *m != except)
            .collect()
    }
}

/// One `AddRequestLobbyList*` call, kept until `RequestLobbyList`. The
/// comparison and distance stay raw numbers, as they come over the C ABI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Filter {
    String {
        key: Vec<u8>,
        value: Vec<u8>,
        comparison: i32,
    },
    Numerical {
        key: Vec<u8>,
        value: i32,
        comparison: i32,
    },
    NearValue {
        key: Vec<u8>,
        value: i32,
    },
    SlotsAvailable(i32),
    /// Everything is near in the double: no filtering.
    Distance(i32),
    ResultCount(i32),
}

/// Whether a lobby value that orders this way against the filter's passes
/// an `ELobbyComparison`; an unknown comparison lets nothing pass.
fn holds(comparison: i32, order: Ordering) -> bool {
    match comparison {
        -2 => order != Ordering::Greater,
        -1 => order == Ordering::Less,
        0 => order == Ordering::Equal,
        1 => order == Ordering::Greater,
        2 => order != Ordering::Less,
        3 => order != Ordering::Equal,
        _ => false,
    }
}

fn number(value: Option<&[u8]>) -> Option<i64> {
    std::str::from_utf8(value?).ok()?.trim().parse().ok()
}

fn passes(lobby: &Lobby, filter: &Filter) -> bool {
    match filter {
        Filter::String {
            key,
            value,
            comparison,
        } => holds(
            *comparison,
            lobby.data(key).unwrap_or(b"").cmp(value.as_slice()),
        ),
        Filter::Numerical {
            key,
            value,
            comparison,
        } => number(lobby.data(key)).is_some_and(|v| holds(*comparison, v.cmp(&i64::from(*value)))),
        Filter::SlotsAvailable(slots) => {
            let free = i64::from(lobby.limit) - lobby.members.len() as i64;
            free >= i64::from(*slots)
        }
        Filter::NearValue { .. } | Filter::Distance(_) | Filter::ResultCount(_) => true,
    }
}

/// A list request's answer: the lobbies that pass every filter, closest
/// to the near values first (in the order those filters were added), then
/// the fullest, then the oldest id; at most the last result count (default
/// 50).
pub(crate) fn select(lobbies: &[Lobby], filters: &[Filter]) -> Vec<u64> {
    let near: Vec<(&[u8], i64)> = filters
        .iter()
        .filter_map(|f| match f {
            Filter::NearValue { key, value } => Some((key.as_slice(), i64::from(*value))),
            _ => None,
        })
        .collect();
    let distance = |lobby: &Lobby| -> Vec<u64> {
        near.iter()
            .map(|(key, target)| number(lobby.data(key)).map_or(u64::MAX, |v| v.abs_diff(*target)))
            .collect()
    };
    let mut found: Vec<&Lobby> = lobbies
        .iter()
        .filter(|l| filters.iter().all(|f| passes(l, f)))
        .collect();
    found.sort_by(|a, b| {
        distance(a)
            .cmp(&distance(b))
            .then(b.members.len().cmp(&a.members.len()))
            .then(a.id.cmp(&b.id))
    });
    let count = filters
        .iter()
        .rev()
        .find_map(|f| match f {
            Filter::ResultCount(n) => Some(usize::try_from(*n).unwrap_or(0)),
            _ => None,
        })
        .unwrap_or(DEFAULT_RESULT_COUNT);
    found.into_iter().take(count).map(|l| l.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{A, B};

    const C: u64 = 76561197960265731;

    fn lobby(limit: i32) -> Lobby {
        Lobby::create(lobby_id(1), 480, 2, limit, A).unwrap()
    }

    #[test]
    fn ids_are_lobby_steam_ids() {
        let id = lobby_id(7);
        assert_eq!(id >> 56, 1, "universe Public");
        assert_eq!((id >> 52) & 0xF, 8, "account type Chat");
        assert_ne!((id >> 32) & 0x4_0000, 0, "the lobby instance flag");
        assert_eq!(id & 0xFFFF_FFFF, 7);
        // The form of the lobby ids real Steam hands out.
        assert_eq!(lobby_id(0x086d_68a0), 109775241058543776);
    }

    #[test]
    fn create_checks_type_and_limit() {
        assert!(Lobby::create(1, 480, 5, 4, A).is_none());
        assert!(Lobby::create(1, 480, -1, 4, A).is_none());
        assert!(Lobby::create(1, 480, 2, 0, A).is_none());
        assert!(Lobby::create(1, 480, 2, 251, A).is_none());
        let l = Lobby::create(1, 480, 4, 250, A).unwrap();
        assert_eq!((l.owner, l.members.clone(), l.joinable), (A, vec![A], true));
    }

    #[test]
    fn enter_answers_full_not_allowed_and_success() {
        let mut l = lobby(2);
        assert_eq!(l.enter(B), ENTER_SUCCESS);
        assert_eq!(l.enter(B), ENTER_SUCCESS, "again: still a member");
        assert_eq!(l.members, vec![A, B]);
        assert_eq!(l.enter(C), ENTER_FULL);
        l.leave(B);
        assert!(!l.set_joinable(B, false), "not the owner");
        assert!(l.set_joinable(A, false));
        assert_eq!(l.enter(C), ENTER_NOT_ALLOWED);
        assert_eq!(l.members, vec![A]);
    }

    #[test]
    fn leaving_passes_ownership_to_the_earliest_member() {
        let mut l = lobby(4);
        l.enter(B);
        l.enter(C);
        assert!(l.set_member_data(B, b"ready", b"1"));
        assert_eq!(
            l.leave(B),
            Some(Left {
                new_owner: None,
                empty: false
            })
        );
        assert_eq!(l.member_data(B, b"ready"), None, "a leaver's data goes");
        l.enter(B);
        assert_eq!(
            l.leave(A),
            Some(Left {
                new_owner: Some(C),
                empty: false
            }),
            "C joined before B came back"
        );
        assert_eq!(l.owner, C);
        assert_eq!(l.leave(A), None, "not a member");
        assert_eq!(l.leave(C).unwrap().new_owner, Some(B));
        assert_eq!(
            l.leave(B),
            Some(Left {
                new_owner: None,
                empty: true
            })
        );
    }

    #[test]
    fn data_is_the_owners_and_member_data_ones_own() {
        let mut l = lobby(4);
        l.enter(B);
        assert!(l.set_data(A, b"mode", b"ctf"));
        assert!(!l.set_data(B, b"mode", b"dm"), "not the owner");
        assert!(!l.set_data(A, b"", b"x"), "empty key");
        assert!(l.set_data(A, &[b'k'; 255], b"x"));
        assert!(!l.set_data(A, &[b'k'; 256], b"x"));
        assert!(l.set_data(A, b"big", &[b'v'; 8192]));
        assert!(!l.set_data(A, b"big", &[b'v'; 8193]));
        assert!(l.set_data(A, b"mode", b"dm"));
        assert_eq!(l.data(b"mode"), Some(&b"dm"[..]));
        assert_eq!(l.data[0].0, b"mode", "keeps its first place");
        assert!(!l.delete_data(B, b"mode"));
        assert!(l.delete_data(A, b"mode"));
        assert!(l.delete_data(A, b"never set"));
        assert_eq!(l.data(b"mode"), None);
        assert!(l.set_member_data(B, b"team", b"red"));
        assert!(!l.set_member_data(C, b"team", b"blue"), "not a member");
        assert_eq!(l.member_data(B, b"team"), Some(&b"red"[..]));
        assert_eq!(l.member_data(A, b"team"), None);
    }

    #[test]
    fn owner_only_settings() {
        let mut l = lobby(4);
        l.enter(B);
        assert!(!l.set_owner(B, B));
        assert!(!l.set_owner(A, C), "not a member");
        assert!(l.set_owner(A, B));
        assert_eq!(l.owner, B);
        assert!(!l.set_limit(A, 8), "A is no longer the owner");
        assert!(l.set_limit(B, 8));
        assert!(!l.set_limit(B, 0));
        assert!(!l.set_limit(B, 251));
        assert!(l.set_kind(B, 0));
        assert!(!l.set_kind(B, 5));
        let server = Server {
            ip: 0x7F00_0001,
            port: 27015,
            id: 0,
        };
        assert!(!l.set_server(A, server));
        assert!(l.set_server(B, server));
        assert_eq!((l.limit, l.kind, l.server), (8, 0, Some(server)));
        assert_eq!(l.recipients(B), vec![A]);
        assert_eq!(l.recipients(0), vec![A, B]);
    }

    #[test]
    fn lists_show_joinable_public_and_invisible_lobbies_of_the_app() {
        let mut l = lobby(4);
        assert!(l.listed_for(480));
        assert!(!l.listed_for(481));
        l.kind = TYPE_INVISIBLE;
        assert!(l.listed_for(480));
        for kind in [0, 1, 4] {
            l.kind = kind;
            assert!(!l.listed_for(480), "type {kind}");
        }
        l.kind = TYPE_PUBLIC;
        l.joinable = false;
        assert!(!l.listed_for(480));
    }

    fn listed(account: u32, members: usize, data: &[(&str, &str)]) -> Lobby {
        let mut l = Lobby::create(lobby_id(account), 480, 2, 4, A).unwrap();
        l.members = (0..members as u64).map(|n| A + n).collect();
        for (k, v) in data {
            l.data.push((k.as_bytes().to_vec(), v.as_bytes().to_vec()));
        }
        l
    }

    #[test]
    fn select_filters_and_sorts_as_the_extension_does() {
        let lobbies = vec![
            listed(1, 1, &[("mode", "ctf"), ("level", "3")]),
            listed(2, 4, &[("mode", "ctf"), ("level", "5")]),
            listed(3, 2, &[("mode", "dm"), ("level", "5")]),
            listed(4, 2, &[("mode", "ctf"), ("level", "x")]),
        ];
        let ids = |accounts: &[u32]| accounts.iter().map(|a| lobby_id(*a)).collect::<Vec<_>>();
        let ctf = Filter::String {
            key: b"mode".to_vec(),
            value: b"ctf".to_vec(),
            comparison: 0,
        };
        assert_eq!(
            select(&lobbies, std::slice::from_ref(&ctf)),
            ids(&[2, 4, 1])
        );
        let missing = Filter::String {
            key: b"mode".to_vec(),
            value: b"race".to_vec(),
            comparison: 0,
        };
        assert!(select(&lobbies, &[missing]).is_empty());
        let level = Filter::Numerical {
            key: b"level".to_vec(),
            value: 4,
            comparison: 1,
        };
        assert_eq!(select(&lobbies, &[ctf.clone(), level]), ids(&[2]));
        assert_eq!(
            select(&lobbies, &[ctf.clone(), Filter::SlotsAvailable(1)]),
            ids(&[4, 1])
        );
        assert_eq!(select(&lobbies, &[Filter::SlotsAvailable(3)]), ids(&[1]));
        assert_eq!(select(&lobbies, &[Filter::ResultCount(2)]), ids(&[2, 3]));
        assert_eq!(
            select(&lobbies, &[Filter::ResultCount(1), Filter::ResultCount(3)]),
            ids(&[2, 3, 4]),
            "the last count wins"
        );
        let near = Filter::NearValue {
            key: b"level".to_vec(),
            value: 3,
        };
        assert_eq!(select(&lobbies, &[near]), ids(&[1, 2, 3, 4]));
        assert_eq!(
            select(&lobbies, &[Filter::Distance(0)]),
            ids(&[2, 3, 4, 1]),
            "everything is near"
        );
        let unknown = Filter::String {
            key: b"mode".to_vec(),
            value: b"ctf".to_vec(),
            comparison: 9,
        };
        assert!(select(&lobbies, &[unknown]).is_empty());
        let many: Vec<Lobby> = (1..=60).map(|n| listed(n, 1, &[])).collect();
        assert_eq!(select(&many, &[]).len(), DEFAULT_RESULT_COUNT);
    }

    #[test]
    fn comparisons_read_as_the_lobby_value_against_the_filter() {
        assert!(holds(-1, 1.cmp(&2)));
        assert!(holds(2, 2.cmp(&2)));
        assert!(!holds(3, "a".cmp("a")));
        assert!(holds(-2, "a".cmp("b")));
        assert!(!holds(1, "a".cmp("b")));
    }
}
