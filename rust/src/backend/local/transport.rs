//! The local backend's sockets and worker threads. Reliable packets travel
//! over one TCP connection per direction (the kernel gives ordering, no loss
//! and no corruption); unreliable packets and liveness pings over UDP. All
//! sockets are bound to 127.0.0.1.
//!
//! Receiving happens on the main thread, without blocking, whenever the game
//! calls in: a game that polls in a loop then pays no thread hop and wakes no
//! other thread per packet. A UDP worker reads datagrams (and answers pings)
//! only while the main thread is not calling in, and forwards them through a
//! channel; TCP data simply waits in the kernel. Sending reliable data and
//! accepting and making connections run on worker threads. Workers never
//! call into Godot.
//!
//! Bounds: per peer, at most `RELIABLE_INBOUND_BUDGET` received reliable
//! bytes wait unread (the connection is then not read, so TCP pushes back on
//! the sender) and at most `SEND_QUEUE_BUDGET` bytes wait to be sent (then
//! `sendP2PPacket` returns false); at most `UDP_INBOUND_BUDGET` datagram bytes
//! wait in the channel (then datagrams are dropped). Large frame and payload
//! buffers go back to a small [`BufferPool`] instead of the allocator.

use std::collections::HashSet;
use std::io::{BufWriter, ErrorKind, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use rustc_hash::FxHashMap as HashMap;

use super::config::LocalConfig;
use super::pool::BufferPool;
use super::stream::{FrameReader, Status, Unread};
use super::wire::{self, Datagram, WireError};
use crate::p2p::{Channel, SteamId};

/// Unread reliable bytes per peer before its connection stops being read.
pub const RELIABLE_INBOUND_BUDGET: usize = 8 * 1024 * 1024;
/// Unsent reliable bytes per peer before sends are refused.
pub const SEND_QUEUE_BUDGET: usize = 16 * 1024 * 1024;
/// Datagram bytes waiting for the main thread before new ones are dropped.
pub const UDP_INBOUND_BUDGET: usize = 2 * 1024 * 1024;
/// Datagrams read per pass, so a flood cannot keep one call busy forever.
const DATAGRAMS_PER_PASS: usize = 4096;
/// How soon the UDP worker looks again after finding traffic, and at most
/// when it found none or the game is calling in: the delay of a pong or a
/// forwarded datagram while the game is not calling in.
const UDP_WORKER_WAIT: (Duration, Duration) = (Duration::from_millis(1), Duration::from_millis(10));

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

/// What workers hand to the main thread.
enum FromWorker {
    Inbound(Inbound),
    /// An accepted connection, read from now on by the main thread.
    Connection(TcpStream),
}

/// State the workers share with the main thread.
struct Shared {
    me: SteamId,
    config: LocalConfig,
    tx: Sender<FromWorker>,
    stop: AtomicBool,
    /// Non-blocking: every reader polls it.
    udp: UdpSocket,
    udp_inbound: AtomicUsize,
    /// Held by whoever reads `udp`, so that datagrams the worker forwarded
    /// are filed before any the main thread reads after them.
    udp_reader: Mutex<()>,
    /// Counts the main thread's pumps; while it moves, the UDP worker leaves
    /// the socket to the main thread.
    pumps: AtomicU64,
    /// Clones of outbound connections, shut down at stop to unblock writers.
    streams: Mutex<Vec<TcpStream>>,
    /// Peers to ping.
    watched: Mutex<HashSet<SteamId>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    /// Large frame and payload buffers, passed around instead of freed.
    pool: Arc<BufferPool>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A worker that panicked cannot leave these maps half-updated in a way
    // that matters more than stopping the game would.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Logs dropped input, without letting a flood of garbage flood the log.
pub(super) fn log_dropped(what: &str, from: impl std::fmt::Display, err: &WireError) {
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
    rx: Receiver<FromWorker>,
    writers: HashMap<SteamId, Writer>,
    /// Accepted connections, read on the main thread.
    incoming: Vec<FrameReader<TcpStream>>,
    /// Reliable bytes per peer handed over and not yet read by the game.
    unread: Unread,
    datagram: Box<[u8]>,
}

impl Transport {
    /// Binds instance `slot`'s TCP and UDP ports; `Err` if either is taken.
    pub fn bind(config: LocalConfig, slot: u16) -> std::io::Result<Self> {
        let addr = config.addr(slot);
        let listener = TcpListener::bind(addr)?;
        let udp = UdpSocket::bind(addr)?;
        udp.set_nonblocking(true)?;
        let (tx, rx) = crossbeam_channel::unbounded();
        let shared = Arc::new(Shared {
            me: LocalConfig::steam_id(slot),
            config,
            tx,
            stop: AtomicBool::new(false),
            udp,
            udp_inbound: AtomicUsize::new(0),
            udp_reader: Mutex::default(),
            pumps: AtomicU64::new(0),
            streams: Mutex::default(),
            watched: Mutex::default(),
            threads: Mutex::default(),
            pool: Arc::default(),
        });
        shared.spawn("p2p-accept".into(), move |s| accept_loop(&s, listener));
        shared.spawn("p2p-udp".into(), |s| udp_loop(&s));
        Ok(Self {
            shared,
            rx,
            writers: HashMap::default(),
            incoming: Vec::new(),
            unread: HashMap::default(),
            datagram: vec![0; wire::MAX_DATAGRAM + 1].into_boxed_slice(),
        })
    }

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
                    if let Inbound::Packet {
                        reliable: false,
                        data,
                        ..
                    } = &inbound
                    {
                        shared.udp_inbound.fetch_sub(data.len(), Ordering::AcqRel);
                    }
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
            let status = reader.poll(unread, &mut |sender, channel, data| {
                handle(Inbound::Packet {
                    sender,
                    channel,
                    data,
                    reliable: true,
                });
            });
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

    /// Starts (or keeps) the outbound connection to `peer`.
    pub fn connect(&mut self, peer: SteamId) -> Result<(), SendRefused> {
        writer(&mut self.writers, &self.shared, peer).map(|_| ())
    }

    /// Queues a reliable packet for `peer`.
    pub fn send_reliable(
        &mut self,
        peer: SteamId,
        channel: Channel,
        payload: &[u8],
    ) -> Result<(), SendRefused> {
        let shared = &self.shared;
        let writer = writer(&mut self.writers, shared, peer)?;
        if writer.queued_bytes.load(Ordering::Acquire) + payload.len() > SEND_QUEUE_BUDGET {
            return Err(SendRefused::QueueFull);
        }
        writer
            .queued_bytes
            .fetch_add(payload.len(), Ordering::AcqRel);
        writer.queued_packets.fetch_add(1, Ordering::AcqRel);
        // A send only fails once the writer has exited; the packet is then
        // lost with the connection, and the peer's silence ends the session.
        // Taken only now, so that refused sends cost no buffer.
        let frame = shared.pool.take(wire::frame_len(payload.len()));
        let frame = wire::encode_frame_into(frame, shared.me, channel, payload);
        let _ = writer.tx.send((frame, payload.len()));
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
        self.incoming.clear();
        for stream in lock(&shared.streams).drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // Wake the blocking accept so its thread sees `stop`.
        let own = shared
            .config
            .addr(LocalConfig::slot_of(shared.me).unwrap_or(0));
        let _ = TcpStream::connect_timeout(&own, Duration::from_millis(200));
        // Joined so that the ports are free when this returns: a new init may
        // bind the same slot at once. Unparked so that sleepers notice `stop`.
        loop {
            let Some(handle) = lock(&shared.threads).pop() else {
                break;
            };
            handle.thread().unpark();
            let _ = handle.join();
        }
        // Connections accepted after the main thread's last pump.
        while let Ok(message) = self.rx.try_recv() {
            if let FromWorker::Connection(stream) = message {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
    }
}

fn accept_loop(shared: &Arc<Shared>, listener: TcpListener) {
    for stream in listener.incoming() {
        if shared.stopping() {
            break;
        }
        let Ok(stream) = stream else { continue };
        if shared.tx.send(FromWorker::Connection(stream)).is_err() {
            break;
        }
    }
}

/// Reads up to `DATAGRAMS_PER_PASS` waiting datagrams, answers pings, and
/// hands packets and pongs to `handle`. Returns how many datagrams it read.
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
        match datagram {
            Datagram::Data(d) => handle(Inbound::Packet {
                sender,
                channel: d.channel,
                data: d.payload.to_vec(),
                reliable: false,
            }),
            Datagram::Ping(_) => {
                let _ = shared
                    .udp
                    .send_to(&wire::encode_liveness(shared.me, true), src);
            }
            Datagram::Pong(_) => handle(Inbound::Alive(sender)),
        }
    }
    count
}

/// Pings watched peers, and reads the UDP socket while the main thread is
/// not calling in (so pings are answered and the kernel buffer does not
/// overflow between frames), forwarding what it reads.
fn udp_loop(shared: &Arc<Shared>) {
    let ping_every =
        (shared.config.timeout / 5).clamp(Duration::from_millis(50), Duration::from_secs(1));
    let ping = wire::encode_liveness(shared.me, false);
    let mut next_ping = Instant::now();
    let mut buf = vec![0u8; wire::MAX_DATAGRAM + 1];
    let mut seen = shared.pumps.load(Ordering::Relaxed);
    let (min_wait, max_wait) = UDP_WORKER_WAIT;
    let mut wait = min_wait;
    let mut forward = |inbound: Inbound| {
        if let Inbound::Packet { data, .. } = &inbound {
            let len = data.len();
            if shared.udp_inbound.load(Ordering::Acquire) + len > UDP_INBOUND_BUDGET {
                return;
            }
            shared.udp_inbound.fetch_add(len, Ordering::AcqRel);
        }
        let _ = shared.tx.send(FromWorker::Inbound(inbound));
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
                if let Some(slot) = LocalConfig::slot_of(peer) {
                    let _ = shared.udp.send_to(&ping, shared.config.addr(slot));
                }
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

/// The live writer for `peer`, started if there is none (or its thread
/// ended). A free function so callers can keep using `shared` meanwhile.
fn writer<'a>(
    writers: &'a mut HashMap<SteamId, Writer>,
    shared: &Arc<Shared>,
    peer: SteamId,
) -> Result<&'a Writer, SendRefused> {
    let slot = LocalConfig::slot_of(peer).ok_or(SendRefused::NotLocal)?;
    if writers
        .get(&peer)
        .is_some_and(|w| !w.running.load(Ordering::Acquire))
    {
        writers.remove(&peer);
    }
    Ok(writers.entry(peer).or_insert_with(|| {
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
            addr: shared.config.addr(slot),
            rx,
            queued_bytes: writer.queued_bytes.clone(),
            queued_packets: writer.queued_packets.clone(),
            connected: writer.connected.clone(),
            running: writer.running.clone(),
        };
        shared.spawn(format!("p2p-write-{slot}"), move |s| job.run(&s));
        writer
    }))
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
            let _ = shared
                .tx
                .send(FromWorker::Inbound(Inbound::Unreachable(self.peer)));
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
                shared.pool.give(frame);
                self.queued_bytes.fetch_sub(payload_len, Ordering::AcqRel);
                self.queued_packets.fetch_sub(1, Ordering::AcqRel);
                next = self.rx.try_recv().ok();
            }
            out.flush()?;
        }
        Ok(())
    }
}
