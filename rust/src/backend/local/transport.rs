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
use std::io::{BufWriter, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TryRecvError};
use rustc_hash::FxHashMap as HashMap;
use std::collections::hash_map::Entry;

use super::config::LocalConfig;
use super::directory::{BindError, Claim, Directory, Endpoint};
use super::pool::BufferPool;
use super::stream::{FrameReader, Status, Unread};
use super::wire::{self, Datagram, Hold, WireError};
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
        /// How long the sender's network simulation wants it kept.
        hold: Option<Hold>,
    },
    /// The peer pinged us or answered a ping, and said its name.
    Alive {
        /// Who.
        peer: SteamId,
        /// Its persona name.
        name: String,
    },
    /// No connection to the peer could be made in time.
    Unreachable(SteamId),
    /// The peer closed its session with us; everything it sent before
    /// came first.
    Closed(SteamId),
    /// Lobby traffic from the peer (its address checked), for `lobby/`.
    Lobby {
        /// Who sent it.
        peer: SteamId,
        /// The lobby message bytes.
        payload: Vec<u8>,
    },
}

impl Inbound {
    /// Datagram bytes this holds against `UDP_INBOUND_BUDGET` while it
    /// waits for the main thread.
    fn budgeted(&self) -> usize {
        match self {
            Self::Packet {
                reliable: false,
                data,
                ..
            } => data.len(),
            Self::Lobby { payload, .. } => payload.len(),
            _ => 0,
        }
    }
}

/// Why a send was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRefused {
    /// The Steam ID is not a local-backend instance.
    NotLocal,
    /// The peer's send queue is over `SEND_QUEUE_BUDGET`.
    QueueFull,
    /// The thread that would send to the peer could not start.
    NoThread,
}

/// Why the transport could not start.
#[derive(Debug)]
pub enum StartError {
    /// The slot is someone else's.
    Taken(String),
    /// A socket or a worker thread could not be had: the message says which.
    Failed(String),
}

/// What workers hand to the main thread.
enum FromWorker {
    Inbound(Inbound),
    /// An accepted connection, read from now on by the main thread.
    Connection(TcpStream),
}

/// What the main thread hands a writer.
enum Outbound {
    /// A frame, and the payload bytes it carries (for the queue counters).
    Frame(Vec<u8>, usize),
    /// The session ended: send what is queued, then (if `notify`) CLOSE,
    /// then end the connection.
    End { notify: bool },
}

/// Starts a named worker thread. Production uses [`std::thread::Builder`];
/// tests pass one that fails, to see that a start fails cleanly.
pub type Spawner =
    fn(String, Box<dyn FnOnce() + Send + 'static>) -> std::io::Result<JoinHandle<()>>;

/// The spawner games use.
pub fn spawn_thread(
    name: String,
    work: Box<dyn FnOnce() + Send + 'static>,
) -> std::io::Result<JoinHandle<()>> {
    thread::Builder::new().name(name).spawn(work)
}

/// State the workers share with the main thread.
struct Shared {
    me: SteamId,
    /// Our persona name, and our PING and PONG, which carry it.
    name: String,
    ping: Vec<u8>,
    pong: Vec<u8>,
    /// Our own TCP and UDP address.
    addr: SocketAddr,
    timeout: Duration,
    directory: Directory,
    spawner: Spawner,
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
    /// Clones of open outbound connections, shut down at stop to unblock
    /// their writers; each writer removes its own when it ends.
    streams: Mutex<HashMap<u64, TcpStream>>,
    next_stream: AtomicU64,
    /// Peers to ping.
    watched: Mutex<HashSet<SteamId>>,
    /// Every worker not yet joined (finished ones are reaped by the main
    /// thread, so a game that opens and closes sessions all day keeps none).
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

    fn spawn(
        self: &Arc<Self>,
        name: String,
        work: impl FnOnce(Arc<Shared>) + Send + 'static,
    ) -> std::io::Result<()> {
        let shared = self.clone();
        let handle = (self.spawner)(name, Box::new(move || work(shared)))?;
        lock(&self.threads).push(handle);
        Ok(())
    }

    fn track(&self, stream: &TcpStream) -> Option<u64> {
        let clone = stream.try_clone().ok()?;
        let key = self.next_stream.fetch_add(1, Ordering::Relaxed);
        lock(&self.streams).insert(key, clone);
        Some(key)
    }

    fn untrack(&self, key: Option<u64>) {
        if let Some(key) = key {
            lock(&self.streams).remove(&key);
        }
    }

    fn send_datagram(&self, peer: SteamId, datagram: &[u8]) {
        let addr = LocalConfig::slot_of(peer).and_then(|slot| self.directory.addr(slot));
        if let Some(addr) = addr
            && let Err(err) = self.udp.send_to(datagram, addr)
        {
            log::debug!("local backend: datagram to {peer} dropped: {err}");
        }
    }
}

/// One outbound connection's queue and counters.
struct Writer {
    tx: Sender<Outbound>,
    queued_bytes: Arc<AtomicUsize>,
    queued_packets: Arc<AtomicUsize>,
    running: Arc<AtomicBool>,
    /// Set when the session ends: a writer still trying to connect then
    /// gives up instead of retrying until the timeout.
    ending: Arc<AtomicBool>,
    /// Disconnects when the writer's thread ends.
    done: Receiver<()>,
    /// The connection, once HELLO is out, for writing from the calling
    /// thread while the writer thread is idle; the writer thread holds the
    /// lock while it writes, so frames never overtake each other.
    direct: Arc<Mutex<Option<TcpStream>>>,
    /// When the calling thread last sent to this peer.
    last_send: std::cell::Cell<Option<Instant>>,
}

/// A send this soon after the previous one to the same peer goes through
/// the writer thread: a burst is then batched writes there instead of one
/// system call per packet here, while a lone packet (a ping, an answer)
/// still leaves at once. Measured on 2 busy cores: the thread hop cost
/// reliable round trips 0.3-4 ms; writing every packet here cut RPC
/// throughput to a fifth.
const DIRECT_GAP: Duration = Duration::from_micros(10);

/// The sockets and workers of one local instance.
pub struct Transport {
    shared: Arc<Shared>,
    rx: Receiver<FromWorker>,
    writers: HashMap<SteamId, Writer>,
    /// Per peer, the last writer told to end and not yet ended: a new
    /// connection to that peer waits for it, so the peer sees the old
    /// session's CLOSE before the new session's first packet.
    ending: HashMap<SteamId, Receiver<()>>,
    /// Accepted connections, read on the main thread.
    incoming: Vec<FrameReader<TcpStream>>,
    /// Reliable bytes per peer handed over and not yet read by the game.
    unread: Unread,
    datagram: Box<[u8]>,
    _claim: Option<Claim>,
}

impl Transport {
    /// Binds instance `slot`'s TCP and UDP sockets and starts the workers.
    pub fn bind(config: &LocalConfig, slot: u16) -> Result<Self, StartError> {
        Self::bind_with(config, slot, spawn_thread)
    }

    /// [`Transport::bind`], starting threads through `spawner`.
    pub fn bind_with(
        config: &LocalConfig,
        slot: u16,
        spawner: Spawner,
    ) -> Result<Self, StartError> {
        let directory = Directory::new(config);
        let Endpoint {
            addr,
            listener,
            udp,
            claim,
        } = directory.bind(slot).map_err(|err| match err {
            BindError::Taken(why) => StartError::Taken(why),
            BindError::Failed(why) => StartError::Failed(why),
        })?;
        udp.set_nonblocking(true).map_err(|err| {
            StartError::Failed(format!("cannot make the UDP socket non-blocking: {err}"))
        })?;
        let (tx, rx) = crossbeam_channel::unbounded();
        let me = LocalConfig::steam_id(slot);
        let name = local_name(config, slot);
        let shared = Arc::new(Shared {
            me,
            ping: wire::encode_liveness(me, false, &name),
            pong: wire::encode_liveness(me, true, &name),
            name,
            addr,
            timeout: config.timeout,
            directory,
            spawner,
            tx,
            stop: AtomicBool::new(false),
            udp,
            udp_inbound: AtomicUsize::new(0),
            udp_reader: Mutex::default(),
            pumps: AtomicU64::new(0),
            streams: Mutex::default(),
            next_stream: AtomicU64::new(0),
            watched: Mutex::default(),
            threads: Mutex::default(),
            pool: Arc::default(),
        });
        // Built before the workers start, so that a failed start still
        // stops whatever did start (Drop) and frees the ports.
        let transport = Self {
            shared,
            rx,
            writers: HashMap::default(),
            ending: HashMap::default(),
            incoming: Vec::new(),
            unread: HashMap::default(),
            datagram: vec![0; wire::MAX_ANY_DATAGRAM + 1].into_boxed_slice(),
            _claim: claim,
        };
        let no_thread = |what: &str, err: std::io::Error| {
            StartError::Failed(format!("cannot start the {what} thread: {err}"))
        };
        transport
            .shared
            .spawn("p2p-accept".into(), move |s| accept_loop(&s, listener))
            .map_err(|e| no_thread("connection-accepting", e))?;
        transport
            .shared
            .spawn("p2p-udp".into(), |s| udp_loop(&s))
            .map_err(|e| no_thread("datagram", e))?;
        Ok(transport)
    }

    /// This instance's persona name, as its pings and pongs carry it.
    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// Where this instance listens.
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// Where `peer` listens now, if it is a local instance that runs.
    pub fn peer_addr(&self, peer: SteamId) -> Option<SocketAddr> {
        LocalConfig::slot_of(peer).and_then(|slot| self.shared.directory.addr(slot))
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

    /// The other instances that may be running now, and whether that list
    /// is exact (else every slot is in it).
    pub fn instances(&self) -> (Vec<SteamId>, bool) {
        let me = self.shared.me;
        let running = self.shared.directory.running_slots();
        let exact = running.is_some();
        let slots = running.unwrap_or_else(|| (0..super::config::MAX_SLOTS).collect());
        let ids = slots
            .into_iter()
            .map(LocalConfig::steam_id)
            .filter(|id| *id != me)
            .collect();
        (ids, exact)
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

    /// Ends everything that carries packets to `peer`: its writer sends
    /// what is queued and ends the connection. With `notify`, the peer is
    /// told the session is closed (on that connection, after the queued
    /// packets, or by datagram when there is none).
    pub fn close(&mut self, peer: SteamId, notify: bool) {
        match self.writers.remove(&peer) {
            Some(writer) => {
                writer.ending.store(true, Ordering::Release);
                let _ = writer.tx.send(Outbound::End { notify });
                self.ending.insert(peer, writer.done);
            }
            None if notify => self
                .shared
                .send_datagram(peer, &wire::encode_close_datagram(self.shared.me)),
            None => {}
        }
    }

    /// Ends the outbound connections to peers `keep` rejects, telling them.
    pub fn close_unless(&mut self, keep: impl Fn(SteamId) -> bool) {
        let gone: Vec<SteamId> = self.writers.keys().copied().filter(|p| !keep(*p)).collect();
        for peer in gone {
            self.close(peer, true);
        }
    }

    /// Joins worker threads that ended and forgets what they left, so that
    /// opening and closing sessions all day holds nothing.
    pub fn reap(&mut self) {
        let finished: Vec<JoinHandle<()>> = {
            let mut threads = lock(&self.shared.threads);
            let (done, running) = threads.drain(..).partition(|t| t.is_finished());
            *threads = running;
            done
        };
        for handle in finished {
            let _ = handle.join();
        }
        self.ending
            .retain(|_, done| !matches!(done.try_recv(), Err(TryRecvError::Disconnected)));
        self.unread.retain(|_, bytes| *bytes > 0);
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

    /// Sets the peers that get liveness pings.
    pub fn watch(&self, peers: impl Iterator<Item = SteamId>) {
        let mut watched = lock(&self.shared.watched);
        watched.clear();
        watched.extend(peers);
    }

    /// What this transport holds now, for tests and leak checks: worker
    /// threads not yet joined, open outbound and inbound connections.
    pub fn holdings(&self) -> Holdings {
        Holdings {
            threads: lock(&self.shared.threads).len(),
            outbound: lock(&self.shared.streams).len(),
            inbound: self.incoming.len(),
            writers: self.writers.len() + self.ending.len(),
        }
    }
}

/// Counts of what a [`Transport`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holdings {
    /// Worker threads not yet joined (two run for the instance's lifetime).
    pub threads: usize,
    /// Outbound TCP connections open.
    pub outbound: usize,
    /// Inbound TCP connections being read.
    pub inbound: usize,
    /// Writers running or ending.
    pub writers: usize,
}

impl Drop for Transport {
    fn drop(&mut self) {
        let shared = &self.shared;
        shared.stop.store(true, Ordering::Release);
        self.writers.clear();
        self.incoming.clear();
        for (_, stream) in lock(&shared.streams).drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // Wake the blocking accept so its thread sees `stop`.
        let _ = TcpStream::connect_timeout(&shared.addr, Duration::from_millis(200));
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

fn accept_loop(shared: &Arc<Shared>, listener: std::net::TcpListener) {
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
                let _ = shared.udp.send_to(&shared.pong, src);
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
fn udp_loop(shared: &Arc<Shared>) {
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

/// A DATA (or HELD) frame in a pooled buffer.
fn frame(shared: &Shared, channel: Channel, payload: &[u8], hold: Option<Hold>) -> Vec<u8> {
    let extra = if hold.is_some() { wire::HOLD_LEN } else { 0 };
    let frame = shared.pool.take(wire::frame_len(payload.len()) + extra);
    wire::encode_data_frame_into(frame, shared.me, channel, payload, hold)
}

/// The persona name of instance `slot`: the configured one, else "Player
/// <slot + 1>".
pub fn local_name(config: &LocalConfig, slot: u16) -> String {
    config
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| format!("Player {}", slot + 1))
}

/// The live writer for `peer`, started if there is none (or its thread
/// ended). A free function so callers can keep using `shared` meanwhile.
fn writer<'a>(
    writers: &'a mut HashMap<SteamId, Writer>,
    ending: &mut HashMap<SteamId, Receiver<()>>,
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
    let slot_entry = match writers.entry(peer) {
        Entry::Occupied(live) => return Ok(live.into_mut()),
        Entry::Vacant(vacant) => vacant,
    };
    let (tx, rx) = crossbeam_channel::unbounded();
    let (done_tx, done) = crossbeam_channel::bounded(0);
    let writer = Writer {
        tx,
        queued_bytes: Arc::default(),
        queued_packets: Arc::default(),
        running: Arc::new(AtomicBool::new(true)),
        ending: Arc::default(),
        done,
        direct: Arc::default(),
        last_send: std::cell::Cell::new(None),
    };
    let job = WriteJob {
        peer,
        slot,
        rx,
        after: ending.remove(&peer),
        queued_bytes: writer.queued_bytes.clone(),
        queued_packets: writer.queued_packets.clone(),
        running: writer.running.clone(),
        ending: writer.ending.clone(),
        direct: writer.direct.clone(),
        _done: done_tx,
    };
    if let Err(err) = shared.spawn(format!("p2p-write-{slot}"), move |s| job.run(&s)) {
        log::error!("local backend: cannot start a thread to send to {peer}: {err}");
        return Err(SendRefused::NoThread);
    }
    Ok(slot_entry.insert(writer))
}

/// Everything an outbound connection's thread needs.
struct WriteJob {
    peer: SteamId,
    slot: u16,
    rx: Receiver<Outbound>,
    /// The previous writer to this peer, still ending.
    after: Option<Receiver<()>>,
    queued_bytes: Arc<AtomicUsize>,
    queued_packets: Arc<AtomicUsize>,
    running: Arc<AtomicBool>,
    ending: Arc<AtomicBool>,
    /// See [`Writer::direct`].
    direct: Arc<Mutex<Option<TcpStream>>>,
    /// Dropped when the thread ends, which is what `Writer::done` waits for.
    _done: Sender<()>,
}

impl WriteJob {
    fn run(self, shared: &Arc<Shared>) {
        if let Some(after) = &self.after {
            // Returns when the previous writer's thread ends.
            let _ = after.recv();
        }
        let mut first = Vec::new();
        if self.ending.load(Ordering::Acquire) {
            // The session ended before this writer got going (a game that
            // opens and closes faster than connections come up): connect
            // only if a packet is waiting for it.
            first.extend(self.rx.try_iter());
            if !first.iter().any(|item| matches!(item, Outbound::Frame(..))) {
                self.end_unconnected(shared, &first);
                self.running.store(false, Ordering::Release);
                return;
            }
        }
        if let Some(stream) = self.connect(shared) {
            let key = shared.track(&stream);
            if let Err(err) = self.pump(shared, &stream, first) {
                log::debug!("local backend: connection to {} ended: {err}", self.peer);
            }
            *lock(&self.direct) = None;
            shared.untrack(key);
        } else if !shared.stopping() {
            if self.ending.load(Ordering::Acquire) {
                first.extend(self.rx.try_iter());
                self.end_unconnected(shared, &first);
            } else {
                let _ = shared
                    .tx
                    .send(FromWorker::Inbound(Inbound::Unreachable(self.peer)));
            }
        }
        self.running.store(false, Ordering::Release);
    }

    /// The session closed while no connection was up: if asked to tell the
    /// peer, say so the only other way.
    fn end_unconnected(&self, shared: &Shared, queued: &[Outbound]) {
        if queued
            .iter()
            .any(|item| matches!(item, Outbound::End { notify: true }))
        {
            shared.send_datagram(self.peer, &wire::encode_close_datagram(shared.me));
        }
    }

    /// Retries until the peer listens, the session ends, or the session
    /// timeout passes. The first attempt is always made, so that packets
    /// sent just before a close still go out.
    fn connect(&self, shared: &Arc<Shared>) -> Option<TcpStream> {
        let deadline = Instant::now() + shared.timeout;
        loop {
            if let Some(addr) = shared.directory.addr(self.slot)
                && let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(250))
            {
                let _ = stream.set_nodelay(true);
                return Some(stream);
            }
            if shared.stopping()
                || self.ending.load(Ordering::Acquire)
                || Instant::now() >= deadline
            {
                return None;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends HELLO, then `first` and whatever the queue brings.
    fn pump(
        &self,
        shared: &Arc<Shared>,
        stream: &TcpStream,
        first: Vec<Outbound>,
    ) -> std::io::Result<()> {
        let mut out = BufWriter::with_capacity(64 * 1024, stream);
        out.write_all(&wire::encode_hello(shared.me))?;
        out.flush()?;
        *lock(&self.direct) = stream.try_clone().ok();
        let mut first = first.into_iter();
        // Ends at `End`, or when the Transport is dropped.
        while let Some(item) = first.next().or_else(|| self.rx.recv().ok()) {
            // Held until the batch is flushed: no direct write in between.
            let mut direct = lock(&self.direct);
            let mut next = Some(item);
            while let Some(item) = next {
                match item {
                    Outbound::Frame(frame, payload_len) => {
                        out.write_all(&frame)?;
                        shared.pool.give(frame);
                        self.queued_bytes.fetch_sub(payload_len, Ordering::AcqRel);
                        self.queued_packets.fetch_sub(1, Ordering::AcqRel);
                    }
                    Outbound::End { notify } => {
                        *direct = None;
                        drop(direct);
                        if notify {
                            out.write_all(&wire::encode_close_frame())?;
                        }
                        out.flush()?;
                        return finish(stream, shared.timeout);
                    }
                }
                next = first.next().or_else(|| self.rx.try_recv().ok());
            }
            out.flush()?;
        }
        Ok(())
    }
}

/// Ends an outbound connection: no more data, then wait (at most
/// `timeout`) until the peer has read everything and closed its end.
fn finish(stream: &TcpStream, timeout: Duration) -> std::io::Result<()> {
    stream.shutdown(Shutdown::Write)?;
    stream.set_read_timeout(Some(timeout))?;
    let mut sink = [0u8; 64];
    loop {
        match (&*stream).read(&mut sink) {
            Ok(0) => return Ok(()),
            // Peers never write on our outbound connection.
            Ok(_) => {}
            Err(err) if err.kind() == ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
}
