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
//!
//! Here: the shared state, start, closing and counts; `send.rs` the send
//! paths, `receive.rs` the main thread's look and the receiving workers,
//! `writer.rs` each outbound connection's thread.

use std::collections::HashSet;
use std::net::{Shutdown, SocketAddr, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TryRecvError};
use rustc_hash::FxHashMap as HashMap;

use super::bell::Bells;
use super::config::LocalConfig;
use super::directory::{BindError, Claim, Directory, Endpoint};
use super::pool::BufferPool;
use super::stream::{FrameReader, Unread};
use super::wire::{self, Hold, WireError};
use crate::p2p::{Channel, SteamId};
use receive::{accept_loop, udp_loop};
use writer::{Outbound, Writer};

mod receive;
mod send;
mod writer;

/// Unread reliable bytes per peer before its connection stops being read.
pub const RELIABLE_INBOUND_BUDGET: usize = 8 * 1024 * 1024;
/// Unsent reliable bytes per peer before sends are refused.
pub const SEND_QUEUE_BUDGET: usize = 16 * 1024 * 1024;
/// Datagram bytes waiting for the main thread before new ones are dropped.
pub const UDP_INBOUND_BUDGET: usize = 2 * 1024 * 1024;
/// Datagrams read per pass, so a flood cannot keep one call busy forever.
const DATAGRAMS_PER_PASS: usize = 4096;
/// How often [`Transport::check_bell`] looks whether the bell file was
/// replaced.
pub const BELL_CHECK_EVERY: Duration = Duration::from_secs(1);
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
    /// Every instance's doorbell, rung around each write to it; `None` if
    /// the bell file could not be mapped (then every dry call looks).
    bells: Option<&'static Bells>,
    /// Our own slot: the bell we read.
    slot: u16,
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
        let Some(slot) = LocalConfig::slot_of(peer) else {
            return;
        };
        let Some(addr) = self.directory.addr(slot) else {
            return;
        };
        match self.udp.send_to(datagram, addr) {
            Ok(_) => self.ring_slot(slot),
            Err(err) => log::debug!("local backend: datagram to {peer} dropped: {err}"),
        }
    }

    /// Rings `peer`'s bell: call after writing to its sockets (the writer
    /// thread also rings before its blocking writes).
    fn ring(&self, peer: SteamId) {
        if let Some(slot) = LocalConfig::slot_of(peer) {
            self.ring_slot(slot);
        }
    }

    fn ring_slot(&self, slot: u16) {
        if let Some(bells) = &self.bells {
            bells.ring(slot);
        }
    }

    /// Rings our own bell: a worker handed the main thread something.
    fn ring_self(&self) {
        self.ring_slot(self.slot);
    }
}

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
    /// The bell file was replaced under us: peers starting now ring
    /// another one, so ours is not trusted any more.
    bell_replaced: bool,
    /// When [`Transport::check_bell`] last asked the file system.
    bell_checked: Option<Instant>,
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
        let bells_path = directory.bells_path();
        let bells = Bells::open(&bells_path)
            .inspect_err(|err| {
                log::info!(
                    "local backend: no doorbell ({}: {err}); an empty getAvailableP2PPacketSize asks the sockets each time",
                    bells_path.display()
                );
            })
            .ok();
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
            bells,
            slot,
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
            bell_replaced: false,
            bell_checked: None,
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

    /// How often our bell was rung (0 without bells).
    #[inline]
    pub fn bell(&self) -> u64 {
        self.shared
            .bells
            .as_ref()
            .map_or(0, |b| b.read(self.shared.slot))
    }

    /// Our bell itself, for a promise that holds until it rings.
    pub fn bell_line(&self) -> Option<&'static AtomicU64> {
        self.shared.bells?.bell(self.shared.slot)
    }

    /// How often the main thread has looked at the sockets.
    #[cfg(test)]
    pub fn looks(&self) -> u64 {
        self.shared.pumps.load(Ordering::Relaxed)
    }

    /// Whether the bell may be trusted to ring for everything that comes.
    pub fn has_bell(&self) -> bool {
        self.shared.bells.is_some() && !self.bell_replaced
    }

    /// Notices a bell file replaced under us (peers starting now would
    /// ring the new one): from then on every dry call looks. Asks the file
    /// system at most every [`BELL_CHECK_EVERY`] (three system calls):
    /// replacing the file is rare, and a peer started since then is still
    /// read at the fallback looks meanwhile.
    pub fn check_bell(&mut self, now: Instant) {
        if self.bell_replaced
            || self
                .bell_checked
                .is_some_and(|at| now.saturating_duration_since(at) < BELL_CHECK_EVERY)
        {
            return;
        }
        self.bell_checked = Some(now);
        if self.shared.bells.is_some_and(Bells::replaced) {
            self.bell_replaced = true;
            log::warn!(
                "local backend: the doorbell file was replaced; an empty getAvailableP2PPacketSize asks the sockets each time from now on"
            );
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

/// The persona name of instance `slot`: the configured one, else "Player
/// <slot + 1>".
pub fn local_name(config: &LocalConfig, slot: u16) -> String {
    config
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| format!("Player {}", slot + 1))
}
