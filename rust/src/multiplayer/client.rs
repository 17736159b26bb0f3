//! A client's side of the peer: joining a host, and losing it.

use std::time::Instant;

use super::core::*;
use super::wire::{self, Control};
use super::{Net, PeerError, Signal, Status};
use crate::p2p::SteamId;

impl Core {
    /// `create_client`.
    pub fn create_client(
        &mut self,
        net: &mut dyn Net,
        host: SteamId,
        port: u16,
        now: Instant,
    ) -> Result<(), PeerError> {
        if self.role != Role::Idle {
            return Err(PeerError::AlreadyInUse);
        }
        if net.me() == Some(host) {
            return Err(PeerError::InvalidParameter(format!(
                "create_client: {host} is this user's own Steam ID; a client connects to another user's host"
            )));
        }
        self.start(net, port)?;
        // An old host's answers are not for this connection. (A host keeps
        // what waits: a client may have said hello before it hosted again.)
        while net.read(wire::control_channel(port)).is_some() {}
        self.nonce = self.next_random() as u32;
        if !net.send(
            host,
            &Control::Hello(self.nonce).encode(),
            true,
            wire::control_channel(port),
        ) {
            return Err(PeerError::CantCreate(format!(
                "create_client: the backend refused to send to {host}"
            )));
        }
        self.role = Role::Client;
        self.status = Status::Connecting;
        self.host = Some(host);
        self.connect_deadline = Some(now + CONNECT_TIMEOUT);
        self.hello_at = Some(now);
        Ok(())
    }

    /// `connect_to_lobby`: a client of the lobby's owner.
    pub fn connect_to_lobby(
        &mut self,
        net: &mut dyn Net,
        lobby: u64,
        port: u16,
        now: Instant,
    ) -> Result<(), PeerError> {
        if self.role != Role::Idle {
            return Err(PeerError::AlreadyInUse);
        }
        let me = net.me();
        if me.is_none() || !net.lobby_members(lobby).iter().any(|m| Some(*m) == me) {
            return Err(PeerError::CantCreate(format!(
                "connect_to_lobby: the local user is not a member of lobby {lobby} (join it first)"
            )));
        }
        let owner = net.lobby_owner(lobby).ok_or_else(|| {
            PeerError::CantCreate(format!("connect_to_lobby: lobby {lobby} has no owner"))
        })?;
        self.create_client(net, owner, port, now)
    }

    /// Ends a client's connection to its host: `Disconnected(1)` if it was
    /// connected; a connecting client has failed (`connection_failed`).
    pub(super) fn lose_host(&mut self) {
        if self.status == Status::Connected {
            self.signals.push(Signal::Disconnected(1));
        }
        self.reset();
    }

    pub(super) fn poll_client(&mut self, net: &mut dyn Net, now: Instant) {
        let Some(host) = self.host else {
            return;
        };
        let control = wire::control_channel(self.port);
        while let Some((from, bytes)) = net.read(control) {
            if from != host {
                continue;
            }
            match Control::decode(&bytes) {
                Some(Control::Welcome(id)) if self.status == Status::Connecting => {
                    self.unique_id = id;
                    self.status = Status::Connected;
                    self.connect_deadline = None;
                    self.peers.insert(1, host);
                    self.signals.push(Signal::Connected(1));
                    // One change of status per poll: SceneMultiplayer must
                    // see CONNECTED before a BYE right behind it makes it
                    // DISCONNECTED (else it reports connection_failed).
                    return;
                }
                Some(Control::Refused) => {
                    log::warn!("SteamMultiplayerPeer: the host {host} refused the connection");
                    self.lose_host();
                    return;
                }
                Some(Control::Bye) => {
                    self.lose_host();
                    return;
                }
                _ => {}
            }
        }
        if self.status == Status::Connecting {
            if self
                .hello_at
                .is_some_and(|t| now.duration_since(t) >= HELLO_EVERY)
            {
                self.hello_at = Some(now);
                net.send(host, &Control::Hello(self.nonce).encode(), true, control);
            }
            if self.connect_deadline.is_some_and(|d| now >= d) {
                log::warn!(
                    "SteamMultiplayerPeer: the host {host} did not answer within {CONNECT_TIMEOUT:?}"
                );
                self.lose_host();
            }
            // Game packets wait until the host has given us our id.
            return;
        }
        self.read_data(net, |_, from| (from == host).then_some(1));
    }
}
