//! What becomes of a send: the simulated network conditions (set here by
//! `setGlobalConfigValue*`) decide its fate before the transport takes it,
//! and a refused send is logged once per peer and turned into what Steam
//! would answer.

use std::time::{Duration, Instant};

use super::config::{LocalConfig, MAX_SLOTS};
use super::netsim::shaper::Fate;
use super::transport::{self, SendRefused};
use super::{LocalBackend, wire};
use crate::p2p::{Channel, SessionError, SteamId};

impl LocalBackend {
    /// Bytes and packets to `peer` not yet delivered: the transport's
    /// queue, or what the simulation has in flight if that is more (every
    /// queued packet is also in flight until its simulated arrival, unless
    /// the queue holds it longer).
    pub(super) fn queued(&mut self, peer: SteamId, now: Instant) -> (usize, usize) {
        let (bytes, packets) = self.transport.send_queue(peer);
        let (sim_bytes, sim_packets) = self.netsim.in_flight(peer, now);
        (bytes.max(sim_bytes), packets.max(sim_packets))
    }

    /// Sends through the simulation: dropped, delayed or doubled as it
    /// decides (the delay travels in the packet; the receiver keeps it).
    pub(super) fn send_shaped(
        &mut self,
        now: Instant,
        to: SteamId,
        data: &[u8],
        reliable: bool,
        channel: Channel,
    ) -> Result<(), SendRefused> {
        LocalConfig::slot_of(to).ok_or(SendRefused::NotLocal)?;
        if reliable && self.netsim.in_flight(to, now).0 + data.len() > transport::SEND_QUEUE_BUDGET
        {
            return Err(SendRefused::QueueFull);
        }
        let mut send = |delay: Duration| {
            // Without a delay the packet needs no hold: the receiver still
            // keeps it behind anything it holds from us.
            let hold = (!delay.is_zero()).then(|| wire::Hold::after(now, delay));
            if reliable {
                self.transport.send_reliable(to, channel, data, hold)
            } else {
                self.transport.send_unreliable(to, channel, data, hold)
            }
        };
        match self
            .netsim
            .decide_send(now, to, channel, data.len(), reliable)
        {
            Fate::Lost => Ok(()),
            Fate::Once(delay) => send(delay),
            Fate::Twice(first, again) => send(first).and_then(|()| send(again)),
        }
    }

    /// The simulated conditions now.
    pub fn conditions(&self) -> crate::p2p::conditions::LinkConditions {
        self.netsim.conditions()
    }

    /// Applies a checked `setGlobalConfigValue*` setting.
    pub fn apply(&mut self, setting: crate::p2p::conditions::Setting) {
        self.netsim.apply(setting);
        let now = self.netsim.conditions();
        log::info!(
            "local backend: {} = {}; simulating {} on sends, {} on receives",
            setting.fake.name(),
            setting.value,
            now.send.summary(),
            now.recv.summary()
        );
    }

    pub(super) fn refused(&mut self, to: SteamId, why: SendRefused) -> bool {
        match why {
            SendRefused::NoThread => {
                // the transport logged why; the session cannot work.
                self.table.fail(to, SessionError::Timeout);
                false
            }
            SendRefused::QueueFull => {
                if self.full.insert(to) {
                    log::warn!(
                        "local backend: send queue to {to} is full ({} bytes unsent); packets are refused until it drains",
                        transport::SEND_QUEUE_BUDGET
                    );
                }
                false
            }
            SendRefused::NotLocal => {
                if self.warned.insert(to) {
                    log::warn!(
                        "local backend: {to} is not a local instance (ids {}..{}); its session will fail",
                        LocalConfig::steam_id(0),
                        LocalConfig::steam_id(MAX_SLOTS - 1)
                    );
                }
                // As Steam: the send is taken, the session fails later.
                self.table.fail(to, SessionError::Timeout);
                true
            }
        }
    }
}
