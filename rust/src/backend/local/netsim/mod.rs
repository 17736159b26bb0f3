//! Network conditions on the local backend: lag, jitter, loss, reordering,
//! duplication and a bandwidth cap, so that instances on one machine meet
//! what players on the internet meet. No timer thread: the sender decides
//! each packet's fate ([`shaper`]) and writes the delay into the packet
//! (`wire/` HELD); the receiver keeps it that long, less the time it took
//! to get there ([`inbox`]), and hands it to the session table when the
//! game calls in. Conditions set for receiving (GodotSteam's `*_RECV`
//! settings) are applied as packets arrive. Lobby traffic and liveness
//! pings are not simulated.

pub mod env;
pub mod inbox;
pub mod rng;
pub mod shaper;
#[cfg(test)]
mod tests;

use std::time::Instant;

use crate::backend::local::wire::{self, Hold};
use crate::p2p::conditions::{LinkConditions, Setting};
use crate::p2p::{Channel, SteamId};
use inbox::{Arrival, Inbox};
use shaper::{Fate, Shaper};

/// One instance's simulation: both directions and the packets it keeps.
#[derive(Debug)]
pub struct Netsim {
    send: Shaper,
    recv: Shaper,
    inbox: Inbox,
}

impl Netsim {
    /// A simulation of `conditions`, its dice seeded with `seed`.
    pub fn new(conditions: LinkConditions, seed: u64) -> Self {
        Self {
            send: Shaper::new(conditions.send, seed, true),
            recv: Shaper::new(conditions.recv, seed.rotate_left(32) ^ 0x5EED, false),
            inbox: Inbox::default(),
        }
    }

    /// The conditions applied now.
    pub fn conditions(&self) -> LinkConditions {
        LinkConditions {
            send: *self.send.conditions(),
            recv: *self.recv.conditions(),
        }
    }

    /// Applies a setting from `setGlobalConfigValue*`.
    pub fn apply(&mut self, setting: Setting) {
        let mut conditions = self.conditions();
        conditions.apply(setting);
        self.send.set_conditions(conditions.send);
        self.recv.set_conditions(conditions.recv);
    }

    /// Whether sends are simulated (else they go out as without one).
    pub fn shapes_sends(&self) -> bool {
        self.send.is_active()
    }

    /// Whether an arriving packet may skip the inbox: nothing waits there
    /// (that it could overtake) and receiving is not simulated.
    pub fn passes_through(&self) -> bool {
        self.inbox.is_empty() && !self.recv.is_active()
    }

    /// The fate of a packet this instance sends now.
    pub fn decide_send(
        &mut self,
        now: Instant,
        to: SteamId,
        channel: Channel,
        len: usize,
        reliable: bool,
    ) -> Fate {
        self.send.decide(now, to, channel, len, reliable)
    }

    /// Bytes and packets sent to `peer` that have not arrived yet in the
    /// simulation.
    pub fn in_flight(&mut self, peer: SteamId, now: Instant) -> (usize, usize) {
        self.send.in_flight(peer, now)
    }

    /// Takes what arrived at `now`: kept for what is left of its hold,
    /// plus what receiving does to it. Returns false if it was dropped.
    pub fn arrive(&mut self, now: Instant, arrival: Arrival, hold: Option<Hold>) -> bool {
        let due = hold.map_or(now, |h| now + h.remaining(wire::clock_ns(now)));
        match arrival {
            Arrival::Packet {
                sender,
                channel,
                data,
                reliable,
            } if self.recv.is_active() => {
                let packet = |data| Arrival::Packet {
                    sender,
                    channel,
                    data,
                    reliable,
                };
                match self.recv.decide(due, sender, channel, data.len(), reliable) {
                    Fate::Lost => false,
                    Fate::Once(delay) => self.inbox.arrive(now, due + delay, packet(data)),
                    Fate::Twice(first, again) => {
                        self.inbox.arrive(now, due + again, packet(data.clone()));
                        self.inbox.arrive(now, due + first, packet(data))
                    }
                }
            }
            arrival => self.inbox.arrive(now, due, arrival),
        }
    }

    /// Hands on, in order, what is due by `now`.
    pub fn release(&mut self, now: Instant, deliver: impl FnMut(Arrival)) {
        self.inbox.release(now, deliver);
    }
}
