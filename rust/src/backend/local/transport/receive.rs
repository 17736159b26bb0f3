//! Receiving: the main thread's look at the sockets and the workers'
//! channel ([`Transport::drain`]), the accepting thread, and the UDP worker
//! that reads datagrams (and answers pings) while the game is not calling in.

use std::io::ErrorKind;
use std::sync::Arc;
use std::sync::TryLockError;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use super::{
    DATAGRAMS_PER_PASS, FromWorker, Inbound, Shared, Transport, UDP_INBOUND_BUDGET,
    UDP_WORKER_WAIT, lock, log_dropped,
};
use crate::backend::local::config::LocalConfig;
use crate::backend::local::stream::{FrameReader, Status};
use crate::backend::local::wire::{self, Datagram, WireError};
use crate::p2p::SteamId;

impl Transport {
    /// Hands everything that arrived to `handle`, each peer's packets in
    /// order: what the workers forwarded, then (if `look`) what the sockets
    /// hold now.
    pub fn drain(&mut self, look: bool, mut handle: impl FnMut(Inbound)) {
        let shared = &*self.shared;
        shared.pumps.fetch_add(1, Ordering::Relaxed);
        // Taken before the channel is emptied: whatever the worker forwarded
        // while it held the socket is then already in the channel.
        let udp_guard = match look.then(|| shared.udp_reader.try_lock()) {
            Some(Ok(guard)) => Some(guard),
            Some(Err(TryLockError::Poisoned(poisoned))) => Some(poisoned.into_inner()),
            Some(Err(TryLockError::WouldBlock)) | None => None,
        };
        while let Ok(message) = self.rx.try_recv() {
            match message {
                FromWorker::Inbound(inbound) => {
                    shared
                        .udp_inbound
                        .fetch_sub(inbound.budgeted(), Ordering::AcqRel);
                    handle(inbound);
                }
                FromWorker::Connection(stream) => {
                    let from = stream
                        .peer_addr()
                        .map_or_else(|_| "?".to_string(), |a| a.to_string());
                    match stream.set_nonblocking(true) {
                        Ok(()) => self
                            .incoming
                            .push(FrameReader::new(stream, from).with_pool(shared.pool.clone())),
                        Err(err) => {
                            log::warn!("local backend: connection from {from} dropped: {err}")
                        }
                    }
                }
            }
        }
        if udp_guard.is_some() {
            receive_datagrams(shared, &mut self.datagram, &mut handle);
        }
        drop(udp_guard);
        if !look {
            return;
        }
        let unread = &mut self.unread;
        self.incoming.retain_mut(|reader| {
            let status = reader.poll_held(unread, &mut |sender, channel, data, hold| {
                handle(Inbound::Packet {
                    sender,
                    channel,
                    data,
                    reliable: true,
                    hold,
                });
            });
            if let (Status::PeerClosed, Some(peer)) = (status, reader.peer()) {
                handle(Inbound::Closed(peer));
            }
            // Dropping a finished reader closes our end, which tells the
            // peer's writer that everything it sent was read.
            status == Status::Open
        });
    }

    /// Returns read or dropped reliable bytes to `sender`'s budget.
    pub fn give_back(&mut self, sender: SteamId, bytes: usize) {
        if let Some(unread) = self.unread.get_mut(&sender) {
            *unread = unread.saturating_sub(bytes);
        }
    }

    /// Takes back a packet's buffer once its bytes were copied out.
    pub fn recycle(&self, buffer: Vec<u8>) {
        self.shared.pool.give(buffer);
    }
}

pub(super) fn accept_loop(shared: &Arc<Shared>, listener: std::net::TcpListener) {
    for stream in listener.incoming() {
        if shared.stopping() {
            break;
        }
        let Ok(stream) = stream else { continue };
        if shared.tx.send(FromWorker::Connection(stream)).is_err() {
            break;
        }
        shared.ring_self();
    }
}

/// Reads up to `DATAGRAMS_PER_PASS` waiting datagrams, answers pings, and
/// hands packets, pongs and closes to `handle`. Returns how many it read.
fn receive_datagrams(shared: &Shared, buf: &mut [u8], handle: &mut impl FnMut(Inbound)) -> usize {
    let mut count = 0;
    while count < DATAGRAMS_PER_PASS {
        let (len, src) = match shared.udp.recv_from(buf) {
            Ok(received) => received,
            Err(err) if err.kind() == ErrorKind::Interrupted => continue,
            // WouldBlock: nothing more. Anything else (an ICMP error report)
            // concerns a datagram already gone; the next pass carries on.
            Err(_) => break,
        };
        count += 1;
        let datagram = match wire::decode_datagram(&buf[..len]) {
            Ok(d) => d,
            Err(err) => {
                log_dropped("datagram", src, &err);
                continue;
            }
        };
        let (Datagram::Data(wire::Data { sender, .. })
        | Datagram::Ping(sender, _)
        | Datagram::Pong(sender, _)
        | Datagram::Close(sender)
        | Datagram::Lobby(sender, _)) = datagram;
        // Each instance sends from its own port, so the address proves the id.
        let from_sender =
            LocalConfig::slot_of(sender).is_some_and(|slot| shared.directory.is_at(slot, src));
        if !from_sender {
            let err = WireError::WrongSender {
                claimed: sender.raw(),
                expected: 0,
            };
            log_dropped("datagram", src, &err);
            continue;
        }
        match datagram {
            Datagram::Data(d) => handle(Inbound::Packet {
                sender,
                channel: d.channel,
                data: d.payload.to_vec(),
                reliable: false,
                hold: d.hold,
            }),
            Datagram::Ping(_, name) => {
                if shared.udp.send_to(&shared.pong, src).is_ok() {
                    shared.ring(sender);
                }
                handle(Inbound::Alive {
                    peer: sender,
                    name: name.to_owned(),
                });
            }
            Datagram::Pong(_, name) => handle(Inbound::Alive {
                peer: sender,
                name: name.to_owned(),
            }),
            Datagram::Close(_) => handle(Inbound::Closed(sender)),
            Datagram::Lobby(_, payload) => handle(Inbound::Lobby {
                peer: sender,
                payload: payload.to_vec(),
            }),
        }
    }
    count
}

/// Pings watched peers, and reads the UDP socket while the main thread is
/// not calling in (so pings are answered and the kernel buffer does not
/// overflow between frames), forwarding what it reads.
pub(super) fn udp_loop(shared: &Arc<Shared>) {
    let ping_every = (shared.timeout / 5).clamp(Duration::from_millis(50), Duration::from_secs(1));
    let ping = shared.ping.clone();
    let mut next_ping = Instant::now();
    let mut buf = vec![0u8; wire::MAX_ANY_DATAGRAM + 1];
    let mut seen = shared.pumps.load(Ordering::Relaxed);
    let (min_wait, max_wait) = UDP_WORKER_WAIT;
    let mut wait = min_wait;
    let mut forward = |inbound: Inbound| {
        let len = inbound.budgeted();
        if len > 0 {
            if shared.udp_inbound.load(Ordering::Acquire) + len > UDP_INBOUND_BUDGET {
                return;
            }
            shared.udp_inbound.fetch_add(len, Ordering::AcqRel);
        }
        if shared.tx.send(FromWorker::Inbound(inbound)).is_ok() {
            shared.ring_self();
        }
    };
    while !shared.stopping() {
        thread::park_timeout(wait);
        if shared.stopping() {
            break;
        }
        if Instant::now() >= next_ping {
            next_ping = Instant::now() + ping_every;
            let peers: Vec<SteamId> = lock(&shared.watched).iter().copied().collect();
            for peer in peers {
                shared.send_datagram(peer, &ping);
            }
        }
        let pumps = shared.pumps.load(Ordering::Relaxed);
        if pumps != seen {
            // The game is calling in and reads the socket itself: waking
            // every millisecond would only steal its core (seen in the
            // 99th percentile of busy-polled round trips).
            seen = pumps;
            wait = max_wait;
            continue;
        }
        let Ok(_reading) = shared.udp_reader.try_lock() else {
            continue;
        };
        let read = receive_datagrams(shared, &mut buf, &mut forward);
        wait = if read > 0 {
            min_wait
        } else {
            (wait * 2).min(max_wait)
        };
    }
}
