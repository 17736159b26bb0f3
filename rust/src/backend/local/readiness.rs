//! Whether the sockets the main thread reads may hold something new, known
//! without a system call. A watcher thread waits in epoll (through mio,
//! edge-triggered) on the UDP socket and every accepted stream and raises
//! a flag; the main thread reads the sockets only while it is up. A game
//! that calls `getAvailableP2PPacketSize` in a loop with nothing arriving
//! then pays an atomic load per call instead of a system call per socket.
//!
//! The flag is lowered before the sockets are read, so anything arriving
//! during a read raises it again. A read that found something raises it
//! too (the sockets may hold more than one read takes), as does freed
//! budget (a stream reader that stopped for it can go on). While the flag
//! is up the watcher sleeps: under a flood it wakes once per look, not
//! once per packet.

use std::io;
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, Thread};

use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Registry, Token, Waker};

const SOCKETS: Token = Token(0);
const WAKE: Token = Token(1);

#[derive(Debug)]
struct Flag {
    up: AtomicBool,
    /// No watcher (it could not start, or failed): always look.
    blind: AtomicBool,
    stop: AtomicBool,
    watcher: OnceLock<Thread>,
}

/// The main thread's side: the flag, and where new streams are registered.
#[derive(Debug)]
pub struct Readiness {
    flag: Arc<Flag>,
    registry: Option<Registry>,
    waker: Option<Waker>,
}

/// The watcher's side, run on its own thread by [`Watcher::run`].
pub struct Watcher {
    flag: Arc<Flag>,
    poll: Poll,
}

impl Readiness {
    /// A flag watched for `udp`, and the watcher to run on a thread (none
    /// if epoll is unavailable: the flag then stays up).
    pub fn new(udp: &impl AsRawFd) -> (Self, Option<Watcher>) {
        let flag = Arc::new(Flag {
            up: AtomicBool::new(true),
            blind: AtomicBool::new(false),
            stop: AtomicBool::new(false),
            watcher: OnceLock::new(),
        });
        let started = Poll::new().and_then(|poll| {
            let registry = poll.registry().try_clone()?;
            let waker = Waker::new(poll.registry(), WAKE)?;
            registry.register(&mut SourceFd(&udp.as_raw_fd()), SOCKETS, Interest::READABLE)?;
            Ok((poll, registry, waker))
        });
        match started {
            Ok((poll, registry, waker)) => {
                let watcher = Watcher {
                    flag: flag.clone(),
                    poll,
                };
                let readiness = Self {
                    flag,
                    registry: Some(registry),
                    waker: Some(waker),
                };
                (readiness, Some(watcher))
            }
            Err(err) => {
                log::debug!(
                    "local backend: no socket watcher ({err}): reading the sockets on every look"
                );
                (Self::blind(flag), None)
            }
        }
    }

    fn blind(flag: Arc<Flag>) -> Self {
        flag.blind.store(true, Ordering::Release);
        Self {
            flag,
            registry: None,
            waker: None,
        }
    }

    /// The watcher could not be started: look every time.
    pub fn watcher_failed(&mut self) {
        self.flag.blind.store(true, Ordering::Release);
        self.registry = None;
    }

    /// Watches a stream the main thread reads.
    pub fn watch(&self, stream: &impl AsRawFd) {
        let registered = self.registry.as_ref().map(|registry| {
            registry.register(
                &mut SourceFd(&stream.as_raw_fd()),
                SOCKETS,
                Interest::READABLE,
            )
        });
        if let Some(Err(err)) = registered {
            log::warn!(
                "local backend: cannot watch a connection ({err}): reading the sockets on every look"
            );
            self.flag.blind.store(true, Ordering::Release);
        }
        // It may have brought bytes before it was registered.
        self.raise();
    }

    /// Whether the sockets may hold something new.
    pub fn may_have_news(&self) -> bool {
        self.flag.up.load(Ordering::Acquire) || self.flag.blind.load(Ordering::Acquire)
    }

    /// Lowers the flag before a read of the sockets: whether to read them.
    pub fn take(&self) -> bool {
        let was_up = self.flag.up.swap(false, Ordering::AcqRel);
        if was_up && let Some(watcher) = self.flag.watcher.get() {
            watcher.unpark();
        }
        was_up || self.flag.blind.load(Ordering::Acquire)
    }

    /// Something may still be there (a read found something, or budget was
    /// freed): look again next time.
    pub fn raise(&self) {
        self.flag.up.store(true, Ordering::Release);
    }

    /// Ends the watcher (its thread is joined by the caller).
    pub fn stop(&self) {
        self.flag.stop.store(true, Ordering::Release);
        if let Some(waker) = &self.waker {
            let _ = waker.wake();
        }
        if let Some(watcher) = self.flag.watcher.get() {
            watcher.unpark();
        }
    }
}

impl Watcher {
    /// Waits for the sockets until [`Readiness::stop`].
    pub fn run(mut self) {
        let _ = self.flag.watcher.set(thread::current());
        let mut events = Events::with_capacity(16);
        while !self.flag.stop.load(Ordering::Acquire) {
            if self.flag.up.load(Ordering::Acquire) {
                // Until the main thread looks (take() unparks) or stop.
                thread::park();
                continue;
            }
            match self.poll.poll(&mut events, None) {
                Ok(()) => {
                    if events.iter().any(|event| event.token() == SOCKETS) {
                        self.flag.up.store(true, Ordering::Release);
                    }
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => {
                    log::warn!(
                        "local backend: the socket watcher failed ({err}): reading the sockets on every look"
                    );
                    self.flag.blind.store(true, Ordering::Release);
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::UdpSocket;
    use std::time::{Duration, Instant};

    fn wait_for(readiness: &Readiness, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !readiness.may_have_news() {
            assert!(Instant::now() < deadline, "{what}: the flag never rose");
            thread::yield_now();
        }
    }

    #[test]
    fn the_flag_rises_when_a_datagram_arrives_and_stays_down_otherwise() {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.set_nonblocking(true).unwrap();
        let (readiness, watcher) = Readiness::new(&socket);
        let handle = thread::spawn(move || watcher.unwrap().run());
        // Up at the start: nothing is known yet.
        assert!(readiness.take());
        // Nothing sent: it stays down.
        thread::sleep(Duration::from_millis(20));
        assert!(!readiness.may_have_news(), "raised with nothing arriving");
        let sender = UdpSocket::bind("127.0.0.1:0").unwrap();
        sender.send_to(b"x", socket.local_addr().unwrap()).unwrap();
        wait_for(&readiness, "first datagram");
        assert!(readiness.take());
        let mut buf = [0u8; 8];
        assert_eq!(socket.recv(&mut buf).unwrap(), 1);
        // A second one after the look raises it again (edge-triggered: a
        // new arrival, not a level).
        sender.send_to(b"y", socket.local_addr().unwrap()).unwrap();
        wait_for(&readiness, "second datagram");
        readiness.stop();
        handle.join().unwrap();
    }

    #[test]
    fn a_watched_stream_raises_it_and_stop_ends_the_watcher() {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let (readiness, watcher) = Readiness::new(&socket);
        let handle = thread::spawn(move || watcher.unwrap().run());
        let mut client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (accepted, _) = listener.accept().unwrap();
        accepted.set_nonblocking(true).unwrap();
        readiness.watch(&accepted);
        assert!(
            readiness.take(),
            "watching raises it (bytes may have come first)"
        );
        thread::sleep(Duration::from_millis(20));
        assert!(!readiness.may_have_news());
        std::io::Write::write_all(&mut client, b"frame").unwrap();
        wait_for(&readiness, "stream bytes");
        let started = Instant::now();
        readiness.stop();
        handle.join().unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "stop did not wake it"
        );
    }
}
