//! Where each local instance can be reached. By default instance `n`
//! listens on a fixed port (base + n), which anyone can compute. With a
//! directory, every instance takes a port the OS picks, claims its slot
//! with a lock file there (released by the kernel if the process dies) and
//! writes its port beside it; peers read it from there. Runs that use
//! different directories (two test runs, two games) can then never collide.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::config::{LocalConfig, MAX_SLOTS};

/// How long a port read from the directory is trusted before it is read
/// again (a peer that restarts gets a new port).
const REREAD_AFTER: Duration = Duration::from_millis(250);
/// Attempts at finding a port free for both TCP and UDP.
const BIND_ATTEMPTS: usize = 32;

/// Why a slot could not be bound.
#[derive(Debug)]
pub enum BindError {
    /// Another instance has it (its port is in use, or its lock is held).
    Taken(String),
    /// Something else failed: the message says what.
    Failed(String),
}

/// A bound slot: its sockets, and the claim that keeps others off it.
#[derive(Debug)]
pub struct Endpoint {
    /// Where peers connect (TCP) and send datagrams (UDP): the same port.
    pub addr: SocketAddr,
    /// Accepts the peers' reliable streams.
    pub listener: TcpListener,
    /// Unreliable packets and liveness, both ways.
    pub udp: UdpSocket,
    /// Held while the instance runs (directory mode only).
    pub claim: Option<Claim>,
}

/// A slot claimed in a directory: the lock is released when the file is
/// closed, and the port file is removed first so no one reads a dead port.
#[derive(Debug)]
pub struct Claim {
    _lock: File,
    port_file: PathBuf,
}

impl Drop for Claim {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.port_file);
    }
}

/// Finds the address of any slot, for one instance.
#[derive(Debug)]
pub struct Directory {
    base_port: u16,
    dir: Option<PathBuf>,
    /// Directory mode: what each slot's port file said, and when it was read.
    cache: Mutex<HashMap<u16, (Option<SocketAddr>, Instant)>>,
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddrV4::new(Ipv4Addr::LOCALHOST, port).into()
}

/// The ports bound on 127.0.0.1 in a `/proc/net/udp` table, whose local
/// address column reads `0100007F:<port in hex>`.
fn bound_loopback_ports(table: &str) -> impl Iterator<Item = u16> + '_ {
    table.lines().skip(1).filter_map(|line| {
        let local = line.split_whitespace().nth(1)?;
        let (ip, port) = local.split_once(':')?;
        (ip == "0100007F").then_some(())?;
        u16::from_str_radix(port, 16).ok()
    })
}

fn port_file(dir: &Path, slot: u16) -> PathBuf {
    dir.join(format!("{slot}.port"))
}

impl Directory {
    /// The directory the configuration names, or fixed ports.
    pub fn new(config: &LocalConfig) -> Self {
        Self {
            base_port: config.base_port,
            dir: config.dir.clone(),
            cache: Mutex::default(),
        }
    }

    /// The slots that run now, if that can be known: in a folder, those
    /// registered; with fixed ports, those whose UDP port is bound on
    /// 127.0.0.1 (Linux lists bound sockets in `/proc/net/udp`). `None`:
    /// any slot may run.
    pub fn running_slots(&self) -> Option<Vec<u16>> {
        if self.dir.is_some() {
            return Some(
                (0..MAX_SLOTS)
                    .filter(|slot| self.addr(*slot).is_some())
                    .collect(),
            );
        }
        let table = fs::read_to_string("/proc/net/udp").ok()?;
        let mut slots: Vec<u16> = bound_loopback_ports(&table)
            .filter_map(|port| port.checked_sub(self.base_port))
            .filter(|slot| *slot < MAX_SLOTS)
            .collect();
        slots.sort_unstable();
        slots.dedup();
        Some(slots)
    }

    /// Where every instance of this run keeps its doorbell
    /// (`super::bell`): in the directory, or for fixed ports beside them
    /// in the temporary folder, named by the base port.
    pub fn bells_path(&self) -> PathBuf {
        match &self.dir {
            Some(dir) => dir.join("bells"),
            None => std::env::temp_dir().join(format!("steam_networking-{}.bells", self.base_port)),
        }
    }

    /// Says where peers are found, for messages.
    pub fn describe(&self) -> String {
        match &self.dir {
            Some(dir) => format!("ports registered in {}", dir.display()),
            None => format!("ports {} and up on 127.0.0.1", self.base_port),
        }
    }

    /// Where `slot` can be reached now, if anyone holds it.
    pub fn addr(&self, slot: u16) -> Option<SocketAddr> {
        match self.dir {
            None => Some(loopback(self.base_port + slot)),
            Some(_) => self.addr_at(slot, Instant::now()),
        }
    }

    /// Whether `slot` is reached at `src`: the cached port first, then (for
    /// an instance that started or restarted since it was read) the port
    /// file again. An instance that shuts down removes its port file right
    /// after its goodbyes (a lobby's LEFT, a CLOSE) are sent, and peers
    /// read them later: while no file replaces it, the port it last had
    /// still counts.
    pub fn is_at(&self, slot: u16, src: SocketAddr) -> bool {
        let known = self.known(slot);
        if self.addr(slot) == Some(src) {
            return true;
        }
        if self.dir.is_none() {
            return false;
        }
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.remove(&slot);
        drop(cache);
        let now = Instant::now();
        match self.addr_at(slot, now) {
            Some(addr) => addr == src,
            None if known == Some(src) => {
                let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
                cache.insert(slot, (known, now));
                true
            }
            None => false,
        }
    }

    /// The address last read for `slot`, however long ago.
    fn known(&self, slot: u16) -> Option<SocketAddr> {
        let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.get(&slot).and_then(|(addr, _)| *addr)
    }

    /// [`Directory::addr`] at time `now`, which decides whether the cached
    /// port is read again.
    fn addr_at(&self, slot: u16, now: Instant) -> Option<SocketAddr> {
        let dir = self.dir.as_ref()?;
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((addr, read_at)) = cache.get(&slot)
            && now.duration_since(*read_at) < REREAD_AFTER
        {
            return *addr;
        }
        let addr = fs::read_to_string(port_file(dir, slot))
            .ok()
            .and_then(|text| text.trim().parse::<u16>().ok())
            .filter(|port| *port != 0)
            .map(loopback);
        cache.insert(slot, (addr, now));
        addr
    }

    /// Binds `slot`'s TCP and UDP sockets on 127.0.0.1 (and, with a
    /// directory, claims the slot and registers the port).
    pub fn bind(&self, slot: u16) -> Result<Endpoint, BindError> {
        match &self.dir {
            None => {
                let addr = loopback(self.base_port + slot);
                let (listener, udp) = bind_pair(addr).map_err(|err| match err.kind() {
                    ErrorKind::AddrInUse => {
                        BindError::Taken(format!("port {} on 127.0.0.1 is in use", addr.port()))
                    }
                    _ => BindError::Failed(format!(
                        "cannot open a socket on 127.0.0.1:{}: {err}",
                        addr.port()
                    )),
                })?;
                Ok(Endpoint {
                    addr,
                    listener,
                    udp,
                    claim: None,
                })
            }
            Some(dir) => self.bind_registered(dir, slot),
        }
    }

    fn bind_registered(&self, dir: &Path, slot: u16) -> Result<Endpoint, BindError> {
        let failed = |what: &str, err: std::io::Error| BindError::Failed(format!("{what}: {err}"));
        fs::create_dir_all(dir)
            .map_err(|e| failed(&format!("cannot create {}", dir.display()), e))?;
        let lock_path = dir.join(format!("{slot}.lock"));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| failed(&format!("cannot open {}", lock_path.display()), e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(BindError::Taken(format!(
                    "another instance holds {}",
                    lock_path.display()
                )));
            }
            Err(TryLockError::Error(e)) => {
                return Err(failed(&format!("cannot lock {}", lock_path.display()), e));
            }
        }
        let mut last = None;
        for _ in 0..BIND_ATTEMPTS {
            // TCP picks the port; UDP must get the same one, which another
            // program may hold: then try another.
            let listener = TcpListener::bind(loopback(0))
                .map_err(|e| failed("cannot open a TCP socket on 127.0.0.1", e))?;
            let addr = listener
                .local_addr()
                .map_err(|e| failed("cannot read the TCP socket's port", e))?;
            match UdpSocket::bind(addr) {
                Ok(udp) => {
                    let file = port_file(dir, slot);
                    let tmp = dir.join(format!("{slot}.port.tmp"));
                    fs::write(&tmp, addr.port().to_string())
                        .and_then(|()| fs::rename(&tmp, &file))
                        .map_err(|e| failed(&format!("cannot write {}", file.display()), e))?;
                    return Ok(Endpoint {
                        addr,
                        listener,
                        udp,
                        claim: Some(Claim {
                            _lock: lock,
                            port_file: file,
                        }),
                    });
                }
                Err(err) if err.kind() == ErrorKind::AddrInUse => last = Some(err),
                Err(err) => return Err(failed("cannot open a UDP socket on 127.0.0.1", err)),
            }
        }
        Err(failed(
            "no port on 127.0.0.1 was free for both TCP and UDP",
            last.unwrap_or_else(|| ErrorKind::AddrInUse.into()),
        ))
    }
}

fn bind_pair(addr: SocketAddr) -> std::io::Result<(TcpListener, UdpSocket)> {
    Ok((TcpListener::bind(addr)?, UdpSocket::bind(addr)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registered(dir: &Path) -> Directory {
        Directory::new(&LocalConfig::with_dir(dir, None, Duration::from_secs(1)))
    }

    #[test]
    fn a_claimed_slot_is_found_taken_and_freed() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (registered(tmp.path()), registered(tmp.path()));
        let endpoint = a.bind(3).unwrap();
        assert_ne!(endpoint.addr.port(), 0);
        assert_eq!(b.addr(3), Some(endpoint.addr), "the port is registered");
        assert!(matches!(b.bind(3), Err(BindError::Taken(_))));
        assert_eq!(b.addr(4), None, "nobody holds slot 4");
        drop(endpoint);
        assert!(!port_file(tmp.path(), 3).exists(), "the port file goes");
        let again = b.bind(3).expect("a freed slot can be taken");
        let later = Instant::now() + REREAD_AFTER;
        assert_eq!(
            a.addr_at(3, later),
            Some(again.addr),
            "a new port is read again"
        );
    }

    #[test]
    fn a_gone_instance_s_last_port_still_counts_until_the_slot_is_taken_again() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (registered(tmp.path()), registered(tmp.path()));
        let endpoint = a.bind(3).unwrap();
        let old = endpoint.addr;
        assert!(b.is_at(3, old));
        drop(endpoint);
        // Its goodbye, read after the file went (and after the cache aged).
        b.cache
            .lock()
            .unwrap()
            .insert(3, (Some(old), Instant::now() - REREAD_AFTER));
        assert!(b.is_at(3, old), "the last known port of a gone instance");
        assert!(b.is_at(3, old), "and its next datagram too");
        assert!(
            !b.is_at(3, loopback(old.port().wrapping_add(1))),
            "no other port"
        );
        let again = b.bind(3).unwrap();
        assert!(!b.is_at(3, old), "a new instance in the slot replaces it");
        assert!(b.is_at(3, again.addr));
    }

    #[test]
    fn fixed_ports_are_computed() {
        let fixed = Directory::new(&LocalConfig::with_ports(
            27200,
            None,
            Duration::from_secs(1),
        ));
        assert_eq!(fixed.addr(5), Some(loopback(27205)));
    }

    #[test]
    fn bound_ports_are_read_from_the_kernel_table() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue\n\
             0: 0100007F:6A40 00000000:0000 07 00000000:00000000\n\
             1: 00000000:0044 00000000:0000 07 00000000:00000000\n\
             2: 0100007F:6A42 00000000:0000 07 00000000:00000000\n";
        let ports: Vec<u16> = bound_loopback_ports(table).collect();
        assert_eq!(ports, vec![0x6A40, 0x6A42]);
    }
}
