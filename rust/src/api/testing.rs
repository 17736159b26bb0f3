//! A fake backend for the API's unit tests: it loops sends back.

use std::collections::VecDeque;

use super::{Client, InitRequest};
use crate::backend::{Backend, BackendKind};
use crate::p2p::{
    Channel, Event, InitFailure, InitStatus, Packet, SendType, SessionState, SteamId,
};

pub const PEER: i64 = 76561197960265730;

/// A backend that loops sends back to the sender, for checking dispatch.
pub struct Loopback {
    queue: VecDeque<(Channel, Packet)>,
    events: Vec<Event>,
}

impl Backend for Loopback {
    fn local_id(&self) -> SteamId {
        SteamId::from_gdscript(PEER).unwrap()
    }
    fn send(&mut self, to: SteamId, data: &[u8], _: SendType, channel: Channel) -> bool {
        self.queue.push_back((
            channel,
            Packet {
                sender: to,
                data: data.to_vec(),
            },
        ));
        self.events.push(Event::SessionRequest(to));
        true
    }
    fn available(&mut self, channel: Channel) -> Option<u32> {
        let (_, p) = self.queue.iter().find(|(c, _)| *c == channel)?;
        Some(p.data.len() as u32)
    }
    fn read(&mut self, max_len: usize, channel: Channel) -> Option<Packet> {
        let at = self.queue.iter().position(|(c, _)| *c == channel)?;
        let (_, mut p) = self.queue.remove(at)?;
        p.data.truncate(max_len);
        Some(p)
    }
    fn accept(&mut self, _: SteamId) -> bool {
        true
    }
    fn close_session(&mut self, _: SteamId) -> bool {
        !self.queue.is_empty()
    }
    fn close_channel(&mut self, _: SteamId, _: Channel) -> bool {
        false
    }
    fn session_state(&mut self, _: SteamId) -> Option<SessionState> {
        Some(SessionState {
            connection_active: true,
            ..Default::default()
        })
    }
    fn allow_relay(&mut self, _: bool) -> bool {
        true
    }
    fn poll(&mut self, events: &mut Vec<Event>) {
        events.append(&mut self.events);
    }
}

pub fn start_loopback(
    kind: BackendKind,
    _: u32,
) -> std::result::Result<Box<dyn Backend>, InitFailure> {
    match kind {
        BackendKind::Local => Ok(Box::new(Loopback {
            queue: VecDeque::new(),
            events: Vec::new(),
        })),
        BackendKind::Steam => Err(InitFailure::new(InitStatus::NoSteamClient, "no client")),
    }
}

pub fn started() -> Client {
    let mut net = Client::with_starter(start_loopback);
    net.init(InitRequest {
        app_id: 480,
        backend: BackendKind::Local,
    })
    .unwrap();
    net
}
