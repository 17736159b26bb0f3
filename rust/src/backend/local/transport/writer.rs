//! One outbound connection per peer: the queue the main thread fills and
//! the thread that connects, says HELLO, writes frames in batches, and ends
//! the connection with CLOSE when the session does.

use std::collections::hash_map::Entry;
use std::io::{BufWriter, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use rustc_hash::FxHashMap as HashMap;

use super::{FromWorker, Inbound, SendRefused, Shared, lock};
use crate::backend::local::config::LocalConfig;
use crate::backend::local::wire;
use crate::p2p::SteamId;

/// What the main thread hands a writer.
pub(super) enum Outbound {
    /// A frame, and the payload bytes it carries (for the queue counters).
    Frame(Vec<u8>, usize),
    /// The session ended: send what is queued, then (if `notify`) CLOSE,
    /// then end the connection.
    End { notify: bool },
}

/// One outbound connection's queue and counters.
pub(super) struct Writer {
    pub(super) tx: Sender<Outbound>,
    pub(super) queued_bytes: Arc<AtomicUsize>,
    pub(super) queued_packets: Arc<AtomicUsize>,
    pub(super) running: Arc<AtomicBool>,
    /// Set when the session ends: a writer still trying to connect then
    /// gives up instead of retrying until the timeout.
    pub(super) ending: Arc<AtomicBool>,
    /// Disconnects when the writer's thread ends.
    pub(super) done: Receiver<()>,
    /// The connection, once HELLO is out, for writing from the calling
    /// thread while the writer thread is idle; the writer thread holds the
    /// lock while it writes, so frames never overtake each other.
    pub(super) direct: Arc<Mutex<Option<TcpStream>>>,
    /// When the calling thread last sent to this peer.
    pub(super) last_send: std::cell::Cell<Option<Instant>>,
}

/// The live writer for `peer`, started if there is none (or its thread
/// ended). A free function so callers can keep using `shared` meanwhile.
pub(super) fn writer<'a>(
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
                shared.ring_self();
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
        let ringing = Ringing {
            stream,
            shared,
            peer: self.peer,
        };
        let mut out = BufWriter::with_capacity(64 * 1024, ringing);
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

/// The connection, ringing the peer's bell around every write: before it,
/// because a large write blocks until the peer has read what fills its
/// socket, and a quiet peer would not read without a ring (seen: 1 MiB
/// messages at half speed, waiting for the peer's fallback looks); after
/// it, for what landed last. Each write, not each batch, for the same
/// reason.
struct Ringing<'a> {
    stream: &'a TcpStream,
    shared: &'a Shared,
    peer: SteamId,
}

impl Write for Ringing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.shared.ring(self.peer);
        let written = self.stream.write(buf)?;
        if written > 0 {
            self.shared.ring(self.peer);
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
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
