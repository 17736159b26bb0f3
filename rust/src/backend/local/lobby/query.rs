//! Finding lobbies: a query goes to every other instance, each answers
//! with its own lobbies that match, then says how many it sent. A query is
//! complete when every instance known to run has answered, or at its
//! deadline (with fixed ports nobody knows which instances run).

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use crate::p2p::SteamId;
use crate::p2p::lobby::ListFilter;

use super::codec::Summary;

/// How long a query waits for instances that may not be there. A running
/// instance answers within a frame of its game (its main thread reads the
/// socket when the game calls in).
pub const QUERY_WAIT: Duration = Duration::from_millis(250);
/// When a query is sent again to the instances that have not answered
/// (a datagram lost to a full socket buffer).
pub const QUERY_RESEND: Duration = Duration::from_millis(60);

/// What a query is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// `requestLobbyList`, with its filters.
    List(Vec<ListFilter>),
    /// `requestLobbyData` for a lobby the user is not in.
    Data(u64),
    /// `joinLobby`: who owns it?
    Join(u64),
}

/// A query waiting for answers.
#[derive(Debug)]
pub struct Query {
    /// What it is for.
    pub purpose: Purpose,
    /// The lobby asked for (0: every listed lobby).
    pub lobby: u64,
    /// Instances that have not said they are done.
    pub waiting: HashSet<SteamId>,
    /// Whether `waiting` is every instance there is (else the deadline ends it).
    pub exact: bool,
    /// When it was sent.
    pub sent: Instant,
    /// When it was last sent again.
    pub resent: Instant,
    /// Answers received per instance.
    got: HashMap<SteamId, u32>,
    /// The lobbies found so far.
    pub found: Vec<Summary>,
}

impl Query {
    /// A query to `instances` (every one there is if `exact`).
    pub fn new(
        purpose: Purpose,
        lobby: u64,
        instances: Vec<SteamId>,
        exact: bool,
        now: Instant,
    ) -> Self {
        Self {
            purpose,
            lobby,
            waiting: instances.into_iter().collect(),
            exact,
            sent: now,
            resent: now,
            got: HashMap::new(),
            found: Vec::new(),
        }
    }

    /// Files an answer from `from` (only from instances it asked).
    pub fn answer(&mut self, from: SteamId, lobby: Summary) {
        let wanted = self.lobby == 0 || lobby.lobby == self.lobby;
        if self.waiting.contains(&from) {
            *self.got.entry(from).or_default() += 1;
        }
        if wanted && self.waiting.contains(&from) && lobby.owner == from && self.found.len() < 1024
        {
            self.found.retain(|l| l.lobby != lobby.lobby);
            self.found.push(lobby);
        }
    }

    /// `from` has sent all it had, `count` answers: done unless some were
    /// lost (then it is asked again).
    pub fn done(&mut self, from: SteamId, count: u32) {
        if self.got.get(&from).copied().unwrap_or(0) >= count {
            self.waiting.remove(&from);
        } else {
            self.got.remove(&from);
        }
    }

    /// Whether it can be answered now.
    pub fn is_complete(&self, now: Instant) -> bool {
        (self.exact && self.waiting.is_empty())
            || (self.lobby != 0 && !self.found.is_empty())
            || now.duration_since(self.sent) >= QUERY_WAIT
    }

    /// The instances to ask again, if they are slow.
    pub fn resend_to(&mut self, now: Instant) -> Vec<SteamId> {
        if now.duration_since(self.resent) < QUERY_RESEND {
            return Vec::new();
        }
        self.resent = now;
        self.waiting.iter().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::local::config::LocalConfig;
    use crate::p2p::lobby::LobbyType;

    fn summary(lobby: u64, owner: SteamId) -> Summary {
        Summary {
            lobby,
            owner,
            lobby_type: LobbyType::Public,
            joinable: true,
            members: 1,
            limit: 2,
            data: Vec::new(),
        }
    }

    #[test]
    fn complete_when_everyone_answered_or_at_the_deadline() {
        let (a, b) = (LocalConfig::steam_id(1), LocalConfig::steam_id(2));
        let t0 = Instant::now();
        let mut q = Query::new(Purpose::List(Vec::new()), 0, vec![a, b], true, t0);
        q.answer(a, summary(5, a));
        q.answer(a, summary(6, b)); // a cannot answer for b's lobby
        q.done(a, 2);
        assert!(!q.is_complete(t0));
        assert_eq!(q.resend_to(t0 + QUERY_RESEND), vec![b]);
        assert!(
            q.resend_to(t0 + QUERY_RESEND).is_empty(),
            "not again at once"
        );
        q.done(b, 1);
        assert!(!q.is_complete(t0), "b's answer was lost: asked again");
        q.answer(b, summary(7, b));
        q.done(b, 1);
        assert!(q.is_complete(t0));
        assert_eq!(q.found, vec![summary(5, a), summary(7, b)]);

        let q = Query::new(Purpose::List(Vec::new()), 0, vec![a], false, t0);
        assert!(!q.is_complete(t0 + QUERY_WAIT / 2));
        assert!(q.is_complete(t0 + QUERY_WAIT));
    }
}
