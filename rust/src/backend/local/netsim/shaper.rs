//! What one direction's conditions do to each packet: lost, delayed (and by
//! how much), or delivered twice. A plain state machine: the time is passed
//! in and the dice are seeded, so every rule is tested without sleeping.
//!
//! Per peer, packets go through a bandwidth cap (a serialisation queue:
//! each leaves when the previous one has, plus its bytes over the rate),
//! then loss, then lag and jitter (jitter keeps their order, as Valve's
//! does), then reordering (a chosen packet waits `reorder_time` more, so
//! later ones overtake it) and duplication. Reliable packets are never lost,
//! reordered or duplicated: a "lost" one arrives one simulated
//! retransmission later, and no packet on its channel arrives before it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap as HashMap;

use super::rng::Rng;
use crate::p2p::conditions::Conditions;
use crate::p2p::{Channel, SteamId};

/// How often a reliable packet may be "lost" again after a simulated
/// retransmission (so even at 100% loss it arrives).
pub const MAX_RETRANSMITS: u32 = 4;
/// Added to the simulated round trip before a retransmission.
pub const RETRANSMIT_FLOOR: Duration = Duration::from_millis(10);

/// What happens to a packet, as delays from the moment it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// It never arrives.
    Lost,
    /// It arrives after this delay.
    Once(Duration),
    /// It arrives twice.
    Twice(Duration, Duration),
}

/// One peer's link in one direction.
#[derive(Debug, Default)]
struct Link {
    /// When the simulated wire is free for the next packet (bandwidth cap).
    free_at: Option<Instant>,
    /// The latest arrival of an unreliable packet that was not reordered:
    /// jitter never lets a later one arrive before it.
    last_unreliable: Option<Instant>,
    /// The latest arrival per reliable channel.
    last_reliable: HashMap<Channel, Instant>,
    /// Arrivals still to come, earliest first, with their bytes.
    in_flight: BinaryHeap<Reverse<(Instant, usize)>>,
    in_flight_bytes: usize,
}

impl Link {
    /// Forgets packets that have arrived by `now`.
    fn prune(&mut self, now: Instant) {
        while let Some(Reverse((at, bytes))) = self.in_flight.peek().copied() {
            if at > now {
                break;
            }
            self.in_flight.pop();
            self.in_flight_bytes -= bytes;
        }
    }
}

/// One direction's conditions applied to its packets.
#[derive(Debug)]
pub struct Shaper {
    conditions: Conditions,
    /// `conditions.is_active()`, asked on every send and arrival.
    active: bool,
    rng: Rng,
    links: HashMap<SteamId, Link>,
    /// Whether to keep a record of what is in flight (for the sender's
    /// queue counters).
    counts: bool,
}

impl Shaper {
    /// A shaper applying `conditions`, its dice seeded with `seed`;
    /// `counts` keeps the in-flight record.
    pub fn new(conditions: Conditions, seed: u64, counts: bool) -> Self {
        Self {
            conditions,
            active: conditions.is_active(),
            rng: Rng::new(seed),
            links: HashMap::default(),
            counts,
        }
    }

    /// The conditions applied.
    pub fn conditions(&self) -> &Conditions {
        &self.conditions
    }

    /// Applies other conditions from now on (packets on their way keep
    /// their fate).
    pub fn set_conditions(&mut self, conditions: Conditions) {
        self.conditions = conditions;
        self.active = conditions.is_active();
    }

    /// Whether the conditions change anything.
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// How long a simulated retransmission takes: a round trip at this
    /// side's lag and mean jitter, plus a floor.
    pub fn retransmit_after(&self) -> Duration {
        (self.conditions.lag + self.conditions.jitter_avg) * 2 + RETRANSMIT_FLOOR
    }

    fn jitter(&mut self) -> Duration {
        let c = &self.conditions;
        if c.jitter_avg.is_zero() || !self.rng.chance(c.jitter_pct) {
            return Duration::ZERO;
        }
        // Exponential with the configured mean, capped.
        let draw = -(1.0 - self.rng.unit()).ln() * c.jitter_avg.as_secs_f64();
        Duration::from_secs_f64(draw).min(c.jitter_cap())
    }

    /// Decides the fate of a packet of `len` bytes sent to (or received
    /// from) `peer` at `now`.
    pub fn decide(
        &mut self,
        now: Instant,
        peer: SteamId,
        channel: Channel,
        len: usize,
        reliable: bool,
    ) -> Fate {
        let c = self.conditions;
        let jitter = self.jitter();
        let retransmit = self.retransmit_after();
        let link = self.links.entry(peer).or_default();
        link.prune(now);
        let mut left = now;
        if c.rate > 0 {
            let rate = f64::from(c.rate);
            let free = link.free_at.map_or(now, |t| t.max(now));
            let waiting = (free - now).as_secs_f64() * rate;
            if !reliable && waiting > f64::from(c.burst) {
                // The simulated router's buffer is full: tail drop.
                return Fate::Lost;
            }
            left = free + Duration::from_secs_f64(len as f64 / rate);
            link.free_at = Some(left);
        }
        if !reliable && self.rng.chance(c.loss) {
            return Fate::Lost;
        }
        let mut arrive = left + c.lag + jitter;
        let mut second = None;
        if reliable {
            let mut tries = 0;
            while tries < MAX_RETRANSMITS && self.rng.chance(c.loss) {
                arrive += retransmit;
                tries += 1;
            }
            let last = link.last_reliable.entry(channel).or_insert(arrive);
            arrive = arrive.max(*last);
            *last = arrive;
        } else {
            arrive = link.last_unreliable.map_or(arrive, |t| arrive.max(t));
            link.last_unreliable = Some(arrive);
            if self.rng.chance(c.reorder) {
                arrive += c.reorder_time;
            }
            if self.rng.chance(c.dup) {
                second = Some(arrive + c.dup_time_max.mul_f64(self.rng.unit()));
            }
        }
        if self.counts {
            let last = second.unwrap_or(arrive).max(arrive);
            if last > now {
                link.in_flight.push(Reverse((last, len)));
                link.in_flight_bytes += len;
            }
        }
        match second {
            None => Fate::Once(arrive - now),
            Some(again) => Fate::Twice(arrive - now, again - now),
        }
    }

    /// Bytes and packets sent to `peer` that have not arrived by `now`.
    pub fn in_flight(&mut self, peer: SteamId, now: Instant) -> (usize, usize) {
        self.links.get_mut(&peer).map_or((0, 0), |link| {
            link.prune(now);
            (link.in_flight_bytes, link.in_flight.len())
        })
    }
}
