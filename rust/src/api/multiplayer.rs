//! What a `SteamMultiplayerPeer` needs from the running backend
//! ([`crate::multiplayer::Net`]), and the numbered session events it reads
//! without taking them from the game's own `p2p_session_request` handler.

use std::collections::VecDeque;

use super::Client;
use crate::multiplayer::{Net, SessionEvent};
use crate::p2p::{Channel, Event, SendType, SteamId};

/// Session events remembered for multiplayer peers at most.
const LOG_LEN: usize = 1024;

/// The latest session requests and failures, each with a number, so every
/// peer reads each once.
#[derive(Debug, Default)]
pub struct SessionLog {
    events: VecDeque<(u64, SessionEvent)>,
    next: u64,
}

impl SessionLog {
    /// Notes the session events among `events`.
    pub fn note(&mut self, events: &[Event]) {
        for event in events {
            let noted = match event {
                Event::SessionRequest(id) => SessionEvent::Request(*id),
                Event::ConnectFail(id, _) => SessionEvent::Failed(*id),
                _ => continue,
            };
            self.next += 1;
            self.events.push_back((self.next, noted));
            if self.events.len() > LOG_LEN {
                self.events.pop_front();
            }
        }
    }

    /// The events after `cursor`, which moves past them.
    pub fn since(&self, cursor: &mut u64) -> Vec<SessionEvent> {
        let fresh: Vec<SessionEvent> = self
            .events
            .iter()
            .filter(|(n, _)| *n > *cursor)
            .map(|(_, e)| *e)
            .collect();
        *cursor = self.next;
        fresh
    }
}

impl Net for Client {
    fn me(&self) -> Option<SteamId> {
        self.backend.as_ref().map(|b| b.local_id())
    }

    fn send(&mut self, to: SteamId, data: &[u8], reliable: bool, channel: i32) -> bool {
        let (Ok(backend), Ok(channel)) = (self.backend(), Channel::from_gdscript(channel.into()))
        else {
            return false;
        };
        let send_type = if reliable {
            SendType::Reliable
        } else {
            SendType::Unreliable
        };
        !data.is_empty() && backend.send(to, data, send_type, channel)
    }

    fn look(&mut self, channel: i32) {
        if let (Ok(backend), Ok(channel)) = (self.backend(), Channel::from_gdscript(channel.into()))
        {
            // `available` reads the sockets when the channel is dry.
            backend.available(channel);
        }
    }

    fn read(&mut self, channel: i32) -> Option<(SteamId, Vec<u8>)> {
        let channel = Channel::from_gdscript(channel.into()).ok()?;
        let packet = self.backend().ok()?.read_queued(channel)?;
        Some((packet.sender, packet.data))
    }

    fn accept(&mut self, from: SteamId) {
        if let Ok(backend) = self.backend() {
            backend.accept(from);
        }
    }

    fn session_events(&mut self, cursor: &mut u64) -> Vec<SessionEvent> {
        self.pump();
        self.sessions.since(cursor)
    }

    fn lobby_owner(&mut self, lobby: u64) -> Option<SteamId> {
        self.backend().ok()?.lobby_owner(lobby)
    }

    fn lobby_members(&mut self, lobby: u64) -> Vec<SteamId> {
        let Ok(backend) = self.backend() else {
            return Vec::new();
        };
        (0..backend.lobby_member_count(lobby))
            .filter_map(|i| backend.lobby_member_by_index(lobby, i))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn callbacks_a_peer_pumps_wait_for_the_game_within_a_bound() {
        let mut client = started();
        for _ in 0..(super::super::MAX_PENDING + 10) {
            client.send(PEER, b"x", 0, 0).unwrap();
        }
        let mut cursor = 0;
        // A multiplayer peer's poll pumps the backend before the game asks.
        let seen = Net::session_events(&mut client, &mut cursor);
        assert_eq!(seen.len(), LOG_LEN, "the peers' log keeps the latest");
        let events = client.run_callbacks();
        assert_eq!(
            events.len(),
            super::super::MAX_PENDING,
            "the rest were dropped"
        );
        assert!(client.run_callbacks().is_empty());
    }

    #[test]
    fn every_reader_sees_each_event_once() {
        let id = SteamId::from_u64(76561197960265730).unwrap();
        let mut log = SessionLog::default();
        let (mut a, mut b) = (0, 0);
        log.note(&[Event::SessionRequest(id), Event::PersonaStateChange(id, 1)]);
        assert_eq!(log.since(&mut a), vec![SessionEvent::Request(id)]);
        log.note(&[Event::ConnectFail(id, 4)]);
        assert_eq!(log.since(&mut a), vec![SessionEvent::Failed(id)]);
        assert_eq!(log.since(&mut a), vec![]);
        assert_eq!(
            log.since(&mut b),
            vec![SessionEvent::Request(id), SessionEvent::Failed(id)]
        );
    }
}
