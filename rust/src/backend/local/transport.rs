//! The local backend's sockets and worker threads. Reliable packets travel
//! over one TCP connection per direction (the kernel gives ordering, no loss
//! and no corruption); unreliable packets and liveness pings over UDP. All
//! sockets are bound to 127.0.0.1. Workers never call into Godot: they hand
//! everything to the main thread through a channel.
//!
//! Bounds: per peer, at most `RELIABLE_INBOUND_BUDGET` received reliable
//! bytes wait unread (the reader then stops reading, so TCP pushes back on the
//! sender) and at most `SEND_QUEUE_BUDGET` bytes wait to be sent (then
//! `sendP2PPacket` returns false); at most `UDP_INBOUND_BUDGET` datagram bytes
//! wait in the channel (then datagrams are dropped).

use std::collections::{HashMap, HashSet};
use std::io::{BufReader, BufWriter, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle, Thread};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use super::config::LocalConfig;
use super::wire::{self, Datagram, Frame, WireError, read_frame};
use crate::p2p::{Channel, SteamId};

/// Unread reliable bytes per peer before its connection stops being read.
pub const RELIABLE_INBOUND_BUDGET: usize = 8 * 1024 * 1024;
/// Unsent reliable bytes per peer before sends are refused.
pub const SEND_QUEUE_BUDGET: usize = 16 * 1024 * 1024;
/// Datagram bytes waiting for the main thread before new ones are dropped.
pub const UDP_INBOUND_BUDGET: usize = 2 * 1024 * 1024;

/// What workers report to the main thread.
#[derive(Debug)]
pub enum Inbound {
    /// A packet arrived.
    Packet {
        /// Who sent it (checked against its connection or address).
        sender: SteamId,
        /// On which channel.
        channel: Channel,
        /// The payload.
        data: Vec<u8>,
        /// TCP (true) or UDP (false).
        reliable: bool,
    },
    /// The peer answered a ping.
    Alive(SteamId),
    /// No connection to the peer could be made in time.
    Unreachable(SteamId),
}

/// Why a send was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRefused {
    /// The Steam ID is not a local-backend instance.
    NotLocal,
    /// The peer's send queue is over `SEND_QUEUE_BUDGET`.
    QueueFull,
}

/// A reader's unread-byte count, and the reader to wake when it drops.
#[derive(Default)]
struct Credit {
    bytes: AtomicUsize,
    readers: Mutex<Vec<Thread>>,
}

/// State the workers share with the main thread.
struct Shared {
    me: SteamId,
    config: LocalConfig,
    tx: Sender<Inbound>,
    stop: AtomicBool,
    udp: UdpSocket,
    udp_inbound: AtomicUsize,
    credits: Mutex<HashMap<SteamId, Arc<Credit>>>,
    /// Clones of every connection, shut down at stop to unblock their threads.
    streams: Mutex<Vec<TcpStream>>,
    /// Peers to ping.
    watched: Mutex<HashSet<SteamId>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A worker that panicked cannot leave these maps half-updated in a way
    // that matters more than stopping the game would.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Logs dropped input, without letting a flood of garbage flood the log.
fn log_dropped(what: &str, from: impl std::fmt::Display, err: &WireError) {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    if n < 20 || n.is_power_of_two() {
        log::warn!(
            "local backend: dropped a {what} from {from}: {err} ({} dropped so far)",
            n + 1
        );
    }
}

impl Shared {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    fn credit(&self, peer: SteamId) -> Arc<Credit> {
        lock(&self.credits).entry(peer).or_default().clone()
    }

    fn spawn(self: &Arc<Self>, name: String, work: impl FnOnce(Arc<Shared>) + Send + 'static) {
        let shared = self.clone();
        match thread::Builder::new()
            .name(name)
            .spawn(move || work(shared))
        {
            Ok(handle) => lock(&self.threads).push(handle),
            Err(err) => log::error!("local backend: cannot start a worker thread: {err}"),
        }
    }

    fn track(&self, stream: &TcpStream) {
        if let Ok(clone) = stream.try_clone() {
            lock(&self.streams).push(clone);
        }
    }
}

/// One outbound connection's queue and counters.
struct Writer {
    tx: Sender<(Vec<u8>, usize)>,
    queued_bytes: Arc<AtomicUsize>,
    queued_packets: Arc<AtomicUsize>,
    connected: Arc<AtomicBool>,
    running: Arc<AtomicBool>,
}

/// The sockets and workers of one local instance.
pub struct Transport {
    shared: Arc<Shared>,
    rx: Receiver<Inbound>,
    writers: HashMap<SteamId, Writer>,
    /// The main thread's copies of `Shared::credits` entries (which are
    /// never removed), so a read does not take the shared lock.
    credits: HashMap<SteamId, Arc<Credit>>,
}

impl Transport {
    /// Binds instance `slot`'s TCP and UDP ports; `Err` if either is taken.
    pub fn bind(config: LocalConfig, slot: u16) -> std::io::Result<Self> {
        let addr = config.addr(slot);
        let listener = TcpListener::bind(addr)?;
        let udp = UdpSocket::bind(addr)?;
        let (tx, rx) = crossbeam_channel::unbounded();
        let shared = Arc::new(Shared {
            me: LocalConfig::steam_id(slot),
            config,
            tx,
            stop: AtomicBool::new(false),
            udp,
            udp_inbound: AtomicUsize::new(0),
            credits: Mutex::default(),
            streams: Mutex::default(),
            watched: Mutex::default(),
            threads: Mutex::default(),
        });
        shared.spawn("p2p-accept".into(), move |s| accept_loop(&s, listener));
        shared.spawn("p2p-udp".into(), |s| udp_loop(&s));
        shared.spawn("p2p-heartbeat".into(), |s| heartbeat_loop(&s));
        Ok(Self {
            shared,
            rx,
            writers: HashMap::new(),
            credits: HashMap::new(),
        })
    }

    /// Hands every report from the workers to `handle`, oldest first.
    pub fn drain(&self, mut handle: impl FnMut(Inbound)) {
        while let Ok(inbound) = self.rx.try_recv() {
            if let Inbound::Packet {
                reliable: false,
                data,
                ..
            } = &inbound
            {
                self.shared
                    .udp_inbound
                    .fetch_sub(data.len(), Ordering::AcqRel);
            }
            handle(inbound);
        }
    }

    /// Returns read or dropped reliable bytes to `sender`'s reader budget.
    pub fn give_back(&mut self, sender: SteamId, bytes: usize) {
        let shared = &self.shared;
        let credit = self
            .credits
            .entry(sender)
            .or_insert_with(|| shared.credit(sender));
        let before = credit.bytes.fetch_sub(bytes, Ordering::AcqRel);
        if before > RELIABLE_INBOUND_BUDGET && before - bytes <= RELIABLE_INBOUND_BUDGET {
            for reader in lock(&credit.readers).iter() {
                reader.unpark();
            }
        }
    }

    /// Starts (or keeps) the outbound connection to `peer`.
    pub fn connect(&mut self, peer: SteamId) -> Result<(), SendRefused> {
        self.writer(peer).map(|_| ())
    }

    fn writer(&mut self, peer: SteamId) -> Result<&Writer, SendRefused> {
        let slot = LocalConfig::slot_of(peer).ok_or(SendRefused::NotLocal)?;
        let stale = self
            .writers
            .get(&peer)
            .is_some_and(|w| !w.running.load(Ordering::Acquire));
        if stale {
            self.writers.remove(&peer);
        }
        if !self.writers.contains_key(&peer) {
            let (tx, rx) = crossbeam_channel::unbounded();
            let writer = Writer {
                tx,
                queued_bytes: Arc::default(),
                queued_packets: Arc::default(),
                connected: Arc::default(),
                running: Arc::new(AtomicBool::new(true)),
            };
            let job = WriteJob {
                peer,
                addr: self.shared.config.addr(slot),
                rx,
                queued_bytes: writer.queued_bytes.clone(),
                queued_packets: writer.queued_packets.clone(),
                connected: writer.connected.clone(),
                running: writer.running.clone(),
            };
            self.shared
                .spawn(format!("p2p-write-{slot}"), move |s| job.run(&s));
            self.writers.insert(peer, writer);
        }
        Ok(&self.writers[&peer])
    }

    /// Queues a reliable packet for `peer`.
    pub fn send_reliable(
        &mut self,
        peer: SteamId,
        channel: Channel,
        payload: &[u8],
    ) -> Result<(), SendRefused> {
        let me = self.shared.me;
        let writer = self.writer(peer)?;
        if writer.queued_bytes.load(Ordering::Acquire) + payload.len() > SEND_QUEUE_BUDGET {
            return Err(SendRefused::QueueFull);
        }
        writer
            .queued_bytes
            .fetch_add(payload.len(), Ordering::AcqRel);
        writer.queued_packets.fetch_add(1, Ordering::AcqRel);
        // A send only fails once the writer has exited; the packet is then
        // lost with the connection, and the peer's silence ends the session.
        let _ = writer
            .tx
            .send((wire::encode_frame(me, channel, payload), payload.len()));
        Ok(())
    }

    /// Sends an unreliable packet to `peer` now (dropped if the socket is busy).
    pub fn send_unreliable(
        &self,
        peer: SteamId,
        channel: Channel,
        payload: &[u8],
    ) -> Result<(), SendRefused> {
        let slot = LocalConfig::slot_of(peer).ok_or(SendRefused::NotLocal)?;
        let datagram = wire::encode_datagram(self.shared.me, channel, payload);
        if let Err(err) = self
            .shared
            .udp
            .send_to(&datagram, self.shared.config.addr(slot))
        {
            log::debug!("local backend: unreliable packet to {peer} dropped: {err}");
        }
        Ok(())
    }

    /// Closes the outbound connection to `peer` once its queue is sent.
    pub fn disconnect(&mut self, peer: SteamId) {
        self.writers.remove(&peer);
    }

    /// Closes the outbound connections to peers `keep` rejects.
    pub fn disconnect_unless(&mut self, keep: impl Fn(SteamId) -> bool) {
        self.writers.retain(|peer, _| keep(*peer));
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

    /// Whether the outbound connection to `peer` is up.
    pub fn is_connected(&self, peer: SteamId) -> bool {
        self.writers
            .get(&peer)
            .is_some_and(|w| w.connected.load(Ordering::Acquire))
    }

    /// Sets the peers that get liveness pings.
    pub fn watch(&self, peers: impl Iterator<Item = SteamId>) {
        let mut watched = lock(&self.shared.watched);
        watched.clear();
        watched.extend(peers);
    }
}

impl Drop for Transport {
    fn drop(&mut self) {
        let shared = &self.shared;
        shared.stop.store(true, Ordering::Release);
        self.writers.clear();
        for stream in lock(&shared.streams).drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // Wake the blocking accept and receive calls so their threads see `stop`.
        let own = shared
            .config
            .addr(LocalConfig::slot_of(shared.me).unwrap_or(0));
        let _ = TcpStream::connect_timeout(&own, Duration::from_millis(200));
        let _ = shared.udp.send_to(&[0], own);
        for credit in lock(&shared.credits).values() {
            for reader in lock(&credit.readers).iter() {
                reader.unpark();
            }
        }
        // Joined so that the ports are free when this returns: a new init may
        // bind the same slot at once. Unparked so that sleepers notice `stop`.
        loop {
            let Some(handle) = lock(&shared.threads).pop() else {
                break;
            };
            handle.thread().unpark();
            let _ = handle.join();
        }
    }
}

fn accept_loop(shared: &Arc<Shared>, listener: TcpListener) {
    for stream in listener.incoming() {
        if shared.stopping() {
            break;
        }
        let Ok(stream) = stream else { continue };
        shared.track(&stream);
        shared.spawn("p2p-read".into(), move |s| read_loop(&s, stream));
    }
}

fn read_loop(shared: &Arc<Shared>, stream: TcpStream) {
    let from = stream
        .peer_addr()
        .map_or_else(|_| "?".to_string(), |a| a.to_string());
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    let mut body = Vec::new();
    let peer = match read_frame(&mut reader, &mut body) {
        Ok(true) => match wire::decode_frame(&body) {
            Ok(Frame::Hello(peer)) => peer,
            Ok(Frame::Data(_)) => {
                return log::warn!(
                    "local backend: connection from {from} did not start with HELLO"
                );
            }
            Err(err) => return log_dropped("connection", &from, &err),
        },
        Ok(false) => return,
        Err(err) => return log::warn!("local backend: connection from {from} dropped: {err}"),
    };
    let credit = shared.credit(peer);
    lock(&credit.readers).push(thread::current());
    while !shared.stopping() {
        // Flow control: stop reading while this peer has too much unread.
        if credit.bytes.load(Ordering::Acquire) > RELIABLE_INBOUND_BUDGET {
            thread::park_timeout(Duration::from_millis(50));
            continue;
        }
        match read_frame(&mut reader, &mut body) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                log::warn!("local backend: connection from {peer} dropped: {err}");
                break;
            }
        }
        let data = match wire::decode_frame(&body) {
            Ok(Frame::Data(d)) if d.sender != peer => {
                let err = WireError::WrongSender {
                    claimed: d.sender.raw(),
                    expected: peer.raw(),
                };
                log_dropped("frame", peer, &err);
                continue;
            }
            Ok(Frame::Data(d)) => d,
            Ok(Frame::Hello(_)) => {
                log_dropped("frame", peer, &WireError::BadKind(1));
                continue;
            }
            Err(err) => {
                log_dropped("frame", peer, &err);
                continue;
            }
        };
        credit.bytes.fetch_add(data.payload.len(), Ordering::AcqRel);
        let packet = Inbound::Packet {
            sender: peer,
            channel: data.channel,
            data: data.payload.to_vec(),
            reliable: true,
        };
        if shared.tx.send(packet).is_err() {
            break;
        }
    }
    lock(&credit.readers).retain(|t| t.id() != thread::current().id());
}

fn udp_loop(shared: &Arc<Shared>) {
    let mut buf = vec![0u8; wire::MAX_DATAGRAM + 1];
    while !shared.stopping() {
        let Ok((len, src)) = shared.udp.recv_from(&mut buf) else {
            continue;
        };
        if shared.stopping() {
            break;
        }
        let datagram = match wire::decode_datagram(&buf[..len]) {
            Ok(d) => d,
            Err(err) => {
                log_dropped("datagram", src, &err);
                continue;
            }
        };
        let (Datagram::Data(wire::Data { sender, .. })
        | Datagram::Ping(sender)
        | Datagram::Pong(sender)) = datagram;
        // Each instance sends from its own port, so the address proves the id.
        let expected = LocalConfig::slot_of(sender).map(|slot| shared.config.addr(slot));
        if expected != Some(src) {
            let err = WireError::WrongSender {
                claimed: sender.raw(),
                expected: 0,
            };
            log_dropped("datagram", src, &err);
            continue;
        }
        let inbound = match datagram {
            Datagram::Data(d) => {
                if shared.udp_inbound.load(Ordering::Acquire) + d.payload.len() > UDP_INBOUND_BUDGET
                {
                    continue;
                }
                shared
                    .udp_inbound
                    .fetch_add(d.payload.len(), Ordering::AcqRel);
                Inbound::Packet {
                    sender,
                    channel: d.channel,
                    data: d.payload.to_vec(),
                    reliable: false,
                }
            }
            Datagram::Ping(_) => {
                let _ = shared
                    .udp
                    .send_to(&wire::encode_liveness(shared.me, true), src);
                continue;
            }
            Datagram::Pong(_) => Inbound::Alive(sender),
        };
        if shared.tx.send(inbound).is_err() {
            break;
        }
    }
}

fn heartbeat_loop(shared: &Arc<Shared>) {
    let interval =
        (shared.config.timeout / 5).clamp(Duration::from_millis(50), Duration::from_secs(1));
    let ping = wire::encode_liveness(shared.me, false);
    while !shared.stopping() {
        let peers: Vec<SteamId> = lock(&shared.watched).iter().copied().collect();
        for peer in peers {
            if let Some(slot) = LocalConfig::slot_of(peer) {
                let _ = shared.udp.send_to(&ping, shared.config.addr(slot));
            }
        }
        thread::park_timeout(interval);
    }
}

/// Everything an outbound connection's thread needs.
struct WriteJob {
    peer: SteamId,
    addr: SocketAddr,
    rx: Receiver<(Vec<u8>, usize)>,
    queued_bytes: Arc<AtomicUsize>,
    queued_packets: Arc<AtomicUsize>,
    connected: Arc<AtomicBool>,
    running: Arc<AtomicBool>,
}

impl WriteJob {
    fn run(self, shared: &Arc<Shared>) {
        if let Some(stream) = self.connect(shared) {
            self.connected.store(true, Ordering::Release);
            if let Err(err) = self.pump(shared, stream) {
                log::debug!("local backend: connection to {} ended: {err}", self.peer);
            }
            self.connected.store(false, Ordering::Release);
        } else if !shared.stopping() {
            let _ = shared.tx.send(Inbound::Unreachable(self.peer));
        }
        self.running.store(false, Ordering::Release);
    }

    /// Retries until the peer listens or the session timeout passes.
    fn connect(&self, shared: &Arc<Shared>) -> Option<TcpStream> {
        let deadline = Instant::now() + shared.config.timeout;
        while !shared.stopping() && Instant::now() < deadline {
            match TcpStream::connect_timeout(&self.addr, Duration::from_millis(250)) {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    shared.track(&stream);
                    return Some(stream);
                }
                Err(_) => thread::sleep(Duration::from_millis(50)),
            }
        }
        None
    }

    fn pump(&self, shared: &Arc<Shared>, stream: TcpStream) -> std::io::Result<()> {
        let mut out = BufWriter::with_capacity(64 * 1024, stream);
        out.write_all(&wire::encode_hello(shared.me))?;
        out.flush()?;
        // Ends when the Transport drops this writer's sender and the queue is empty.
        while let Ok(first) = self.rx.recv() {
            let mut next = Some(first);
            while let Some((frame, payload_len)) = next {
                out.write_all(&frame)?;
                self.queued_bytes.fetch_sub(payload_len, Ordering::AcqRel);
                self.queued_packets.fetch_sub(1, Ordering::AcqRel);
                next = self.rx.try_recv().ok();
            }
            out.flush()?;
        }
        Ok(())
    }
}
