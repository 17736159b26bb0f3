//! Sending: reliable packets written at once by the calling thread when
//! the connection is idle, else queued for its writer; unreliable ones,
//! lobby traffic and pings as datagrams.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::writer::{Outbound, writer};
use super::{SEND_QUEUE_BUDGET, SendRefused, Shared, Transport};
use crate::backend::local::config::LocalConfig;
use crate::backend::local::wire::{self, Hold};
use crate::p2p::{Channel, SteamId};

/// A send this soon after the previous one to the same peer goes through
/// the writer thread: a burst is then batched writes there instead of one
/// system call per packet here, while a lone packet (a ping, an answer)
/// still leaves at once. Measured on 2 busy cores: the thread hop cost
/// reliable round trips 0.3-4 ms; writing every packet here cut RPC
/// throughput to a fifth.
const DIRECT_GAP: Duration = Duration::from_micros(10);

impl Transport {
    /// Starts (or keeps) the outbound connection to `peer`.
    pub fn connect(&mut self, peer: SteamId) -> Result<(), SendRefused> {
        writer(&mut self.writers, &mut self.ending, &self.shared, peer).map(|_| ())
    }

    /// Asks `peer` whether it is there now, rather than at the next round
    /// of pings: a new session learns soon that its peer answers.
    pub fn ping(&self, peer: SteamId) {
        self.shared.send_datagram(peer, &self.shared.ping);
    }

    /// Queues a reliable packet for `peer`, with the network simulation's
    /// hold if it has one.
    pub fn send_reliable(
        &mut self,
        peer: SteamId,
        channel: Channel,
        payload: &[u8],
        hold: Option<Hold>,
    ) -> Result<(), SendRefused> {
        let shared = &self.shared;
        let writer = writer(&mut self.writers, &mut self.ending, shared, peer)?;
        if writer.queued_bytes.load(Ordering::Acquire) + payload.len() > SEND_QUEUE_BUDGET {
            return Err(SendRefused::QueueFull);
        }
        // Nothing queued (only this thread queues) and the writer thread
        // idle (it holds the lock while it writes): write it here, now.
        let now = Instant::now();
        let burst = writer
            .last_send
            .replace(Some(now))
            .is_some_and(|t| now.duration_since(t) < DIRECT_GAP);
        if !burst
            && writer.queued_packets.load(Ordering::Acquire) == 0
            && let Ok(direct) = writer.direct.try_lock()
            && let Some(stream) = direct.as_ref()
        {
            let frame = frame(shared, channel, payload, hold);
            // MSG_NOSIGNAL as std's own writes: a peer that is gone must be
            // an error here, not a SIGPIPE that ends the game.
            let flags = libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL;
            let sent = socket2::SockRef::from(stream).send_with_flags(&frame, flags);
            if matches!(sent, Ok(n) if n > 0) {
                shared.ring(peer);
            }
            match sent {
                Ok(n) if n == frame.len() => {
                    shared.pool.give(frame);
                    return Ok(());
                }
                // The kernel took part of it: the writer thread sends the
                // rest before anything else (it waits for this lock).
                Ok(n) => {
                    let rest = frame[n..].to_vec();
                    shared.pool.give(frame);
                    writer
                        .queued_bytes
                        .fetch_add(payload.len(), Ordering::AcqRel);
                    writer.queued_packets.fetch_add(1, Ordering::AcqRel);
                    let _ = writer.tx.send(Outbound::Frame(rest, payload.len()));
                    return Ok(());
                }
                // Full, or failing: the writer thread's path decides.
                Err(_) => shared.pool.give(frame),
            }
        }
        writer
            .queued_bytes
            .fetch_add(payload.len(), Ordering::AcqRel);
        writer.queued_packets.fetch_add(1, Ordering::AcqRel);
        // A send only fails once the writer has exited; the packet is then
        // lost with the connection, and the peer's silence ends the session.
        // Taken only now, so that refused sends cost no buffer.
        let frame = frame(shared, channel, payload, hold);
        let _ = writer.tx.send(Outbound::Frame(frame, payload.len()));
        Ok(())
    }

    /// Sends lobby traffic to `peer` now (dropped if the socket is busy:
    /// `lobby/link.rs` sends again what matters).
    pub fn send_lobby(&self, peer: SteamId, payload: &[u8]) {
        let datagram = wire::encode_lobby_datagram(self.shared.me, payload);
        self.shared.send_datagram(peer, &datagram);
    }

    /// Sends an unreliable packet to `peer` now (dropped if the socket is
    /// busy), with the network simulation's hold if it has one.
    pub fn send_unreliable(
        &self,
        peer: SteamId,
        channel: Channel,
        payload: &[u8],
        hold: Option<Hold>,
    ) -> Result<(), SendRefused> {
        LocalConfig::slot_of(peer).ok_or(SendRefused::NotLocal)?;
        let datagram = wire::encode_data_datagram(self.shared.me, channel, payload, hold);
        self.shared.send_datagram(peer, &datagram);
        Ok(())
    }

    /// Bytes and packets waiting to be sent to `peer`.
    pub fn send_queue(&self, peer: SteamId) -> (usize, usize) {
        self.writers.get(&peer).map_or((0, 0), |w| {
            (
                w.queued_bytes.load(Ordering::Acquire),
                w.queued_packets.load(Ordering::Acquire),
            )
        })
    }
}

/// A DATA (or HELD) frame in a pooled buffer.
fn frame(shared: &Shared, channel: Channel, payload: &[u8], hold: Option<Hold>) -> Vec<u8> {
    let extra = if hold.is_some() { wire::HOLD_LEN } else { 0 };
    let frame = shared.pool.take(wire::frame_len(payload.len()) + extra);
    wire::encode_data_frame_into(frame, shared.me, channel, payload, hold)
}
