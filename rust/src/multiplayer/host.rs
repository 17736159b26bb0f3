//! The host's side of the peer: hosting, and taking clients in.

use super::core::*;
use super::wire::{self, Control};
use super::{Net, PeerError, Signal, Status};
use crate::p2p::SteamId;

impl Core {
    /// `create_host`, and `host_with_lobby` with `lobby`.
    pub fn create_host(
        &mut self,
        net: &mut dyn Net,
        port: u16,
        lobby: Option<u64>,
    ) -> Result<(), PeerError> {
        if self.role != Role::Idle {
            return Err(PeerError::AlreadyInUse);
        }
        if let Some(lobby) = lobby {
            let me = net.me();
            let owner = net.lobby_owner(lobby);
            if owner.is_none() || owner != me {
                return Err(PeerError::CantCreate(format!(
                    "host_with_lobby: the local user must own lobby {lobby} (getLobbyOwner says {})",
                    owner.map_or(0, SteamId::raw)
                )));
            }
        }
        self.start(net, port)?;
        self.role = Role::Host;
        self.status = Status::Connected;
        self.unique_id = 1;
        self.lobby = lobby;
        Ok(())
    }

    pub(super) fn poll_host(&mut self, net: &mut dyn Net) {
        let control = wire::control_channel(self.port);
        while let Some((from, bytes)) = net.read(control) {
            match Control::decode(&bytes) {
                Some(Control::Hello(nonce)) => self.on_hello(net, from, nonce),
                Some(Control::Bye) => {
                    if let Some(id) = self.ids.get(&from).copied() {
                        self.forget(id);
                        self.signals.push(Signal::Disconnected(id));
                    }
                }
                _ => log::debug!("SteamMultiplayerPeer: ignored a control message from {from}"),
            }
        }
        self.read_data(net, |core, from| core.ids.get(&from).copied());
    }

    pub(super) fn on_hello(&mut self, net: &mut dyn Net, from: SteamId, nonce: u32) {
        let control = wire::control_channel(self.port);
        if let Some(old) = self.ids.get(&from).copied() {
            if self.nonces.get(&from) == Some(&nonce) {
                // A repeat of a hello already answered.
                net.send(from, &Control::Welcome(old).encode(), true, control);
                return;
            }
            // The same user connecting again: its old self is gone.
            self.forget(old);
            self.signals.push(Signal::Disconnected(old));
        }
        let allowed = match self.lobby {
            Some(lobby) => net.lobby_members(lobby).contains(&from),
            None => true,
        };
        if self.refuse || !allowed {
            net.send(from, &Control::Refused.encode(), true, control);
            return;
        }
        let id = self.new_id();
        net.send(from, &Control::Welcome(id).encode(), true, control);
        self.peers.insert(id, from);
        self.ids.insert(from, id);
        self.nonces.insert(from, nonce);
        self.signals.push(Signal::Connected(id));
    }
}
