//! Doorbells: one counter per local instance in a small file that every
//! instance maps, rung by whoever puts something in that instance's
//! sockets, after the write. An instance whose bell has not moved since its
//! last empty look knows its sockets hold nothing new without asking them
//! (two system calls, ~500 ns): a game polling `getAvailableP2PPacketSize`
//! with nothing coming then costs what a call costs, as over Steam, which
//! answers from memory. A push from the sender, not a watcher thread here:
//! waking a thread on two busy cores put a thread hop in every receive.
//!
//! The bells only ever save a look; they never hold data. A peer that does
//! not ring (another build, a bell file of its own) is still read at the
//! looks that `run_callbacks` and every 1024th quiet call make
//! (`super::quiet`).
//!
//! The only `unsafe` of the local backend is here: the counters live in
//! memory the kernel shares between processes.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use memmap2::MmapRaw;

use super::config::MAX_SLOTS;

/// One bell per cache line: a peer ringing one instance does not slow the
/// others' reads.
const LINE: usize = 64;
/// The file's size: one line per slot.
const SIZE: usize = MAX_SLOTS as usize * LINE;

/// The bells of every slot, mapped from one file.
#[derive(Debug)]
pub struct Bells {
    map: MmapRaw,
    path: PathBuf,
    /// The file mapped (device, inode), to notice it was replaced.
    file_id: (u64, u64),
}

/// Every bell file this process mapped, kept while it runs (4 KiB each;
/// a game maps one): a promise that reads a bell (`backend::dry`) may then
/// outlive the backend that made it, with no lifetime to track.
static MAPPED: Mutex<Vec<&'static Bells>> = Mutex::new(Vec::new());

impl Bells {
    /// The bells in the file at `path` (created if needed), mapped once per
    /// process while the path names the same file.
    pub fn open(path: &Path) -> io::Result<&'static Self> {
        let mut mapped = MAPPED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(bells) = mapped.iter().find(|b| b.path == path && !b.replaced()) {
            return Ok(bells);
        }
        let bells: &'static Self = Box::leak(Box::new(Self::map(path)?));
        mapped.push(bells);
        Ok(bells)
    }

    /// Maps the bell file at `path`, creating it if needed.
    fn map(path: &Path) -> io::Result<Self> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        // Grown, never shrunk: every instance (this build or a later one)
        // only grows it, so the mapping never reaches past the file's end
        // (which would be SIGBUS, not an error).
        let meta = file.metadata()?;
        if meta.len() < SIZE as u64 {
            file.set_len(SIZE as u64)?;
        }
        let map = memmap2::MmapOptions::new().len(SIZE).map_raw(&file)?;
        Ok(Self {
            map,
            path: path.to_owned(),
            file_id: file_id(&file)?,
        })
    }

    /// The bell of `slot`, if the file has one.
    pub fn bell(&self, slot: u16) -> Option<&AtomicU64> {
        let offset = usize::from(slot).checked_mul(LINE)?;
        if offset + LINE > self.map.len() {
            return None;
        }
        // SAFETY: the mapping is `SIZE` bytes of a file that is never
        // shrunk (`open`), page-aligned, so `offset` (a multiple of 64, in
        // bounds as checked) is aligned for an AtomicU64 and valid for as
        // long as `self` keeps the mapping. Other processes touch these
        // bytes only as atomics, which is what AtomicU64 allows; no
        // non-atomic reference to them exists.
        Some(unsafe { &*self.map.as_mut_ptr().add(offset).cast::<AtomicU64>() })
    }

    /// Tells `slot` that its sockets hold something new. Call after the
    /// write: the instance that sees the ring then finds it.
    pub fn ring(&self, slot: u16) {
        if let Some(bell) = self.bell(slot) {
            bell.fetch_add(1, Ordering::Release);
        }
    }

    /// How often `slot` was rung.
    pub fn read(&self, slot: u16) -> u64 {
        // Acquire: pairs with `ring`; what was written before the ring is
        // in the sockets when the reader looks after seeing it.
        self.bell(slot)
            .map_or(0, |bell| bell.load(Ordering::Acquire))
    }

    /// Whether the path now names another file (or none): peers that start
    /// now map that one, and would ring in vain here.
    pub fn replaced(&self) -> bool {
        File::open(&self.path)
            .and_then(|file| file_id(&file))
            .map_or(true, |id| id != self.file_id)
    }
}

fn file_id(file: &File) -> io::Result<(u64, u64)> {
    let meta = file.metadata()?;
    Ok((meta.dev(), meta.ino()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "bell-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("bells")
    }

    #[test]
    fn a_ring_through_one_mapping_is_heard_through_another() {
        let path = scratch();
        let (sender, receiver) = (Bells::map(&path).unwrap(), Bells::map(&path).unwrap());
        let before = receiver.read(3);
        sender.ring(3);
        sender.ring(3);
        assert_eq!(receiver.read(3), before + 2);
        assert_eq!(receiver.read(4), 0, "other slots stay quiet");
        assert!(!receiver.replaced());
        std::fs::remove_file(&path).unwrap();
        assert!(receiver.replaced(), "a removed file is noticed");
        let _ = Bells::map(&path).unwrap();
        assert!(receiver.replaced(), "and so is its successor");
    }

    #[test]
    fn a_file_is_mapped_once_until_it_is_replaced() {
        let path = scratch().with_file_name("once");
        let first = Bells::open(&path).unwrap();
        assert!(std::ptr::eq(first, Bells::open(&path).unwrap()));
        std::fs::remove_file(&path).unwrap();
        let second = Bells::open(&path).unwrap();
        assert!(!std::ptr::eq(first, second), "a new file, a new mapping");
        second.ring(1);
        assert_eq!(Bells::open(&path).unwrap().read(1), 1);
    }

    #[test]
    fn a_short_file_is_grown_and_slots_out_of_range_are_ignored() {
        let path = scratch().with_file_name("short");
        std::fs::write(&path, [0u8; 8]).unwrap();
        let bells = Bells::map(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), SIZE as u64);
        bells.ring(MAX_SLOTS);
        assert_eq!(bells.read(MAX_SLOTS), 0);
        bells.ring(MAX_SLOTS - 1);
        assert_eq!(bells.read(MAX_SLOTS - 1), 1);
    }
}
