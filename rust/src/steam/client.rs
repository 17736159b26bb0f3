//! Where the `Steam` methods and the multiplayer peers find the API: one
//! [`Client`], the owner of the running backend, kept by Godot's main
//! thread (a thread-local).
//!
//! Why not a field of the singleton: gdext borrows the instance for every
//! `&self` method, which was a third of what a cheap call cost (26 against
//! 20 ns for a static method returning a constant, where an engine getter
//! costs 16; scripts/bench), and that borrow's counter is not atomic, so a
//! call from a GDScript `Thread` touched it while the main thread did, even
//! though the method then refused the call. Methods that need only the API
//! are static: another thread finds an empty slot of its own here, and is
//! refused. GDScript calls them as before (`Steam.getSteamID()`, on the
//! class or on the singleton). The ones that need the singleton (signals,
//! embedded callbacks, the packet dictionaries' keys) are instance methods
//! that reach the API here too.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

use super::{OFF_MAIN_THREAD, report};
use crate::api::{Client, Status};
use crate::backend::Liveness;
use crate::backend::dry::Dry;

struct Slot {
    /// Whether this slot belongs to Godot's main thread.
    main: bool,
    client: RefCell<Client>,
    /// The promise the last dry `getAvailableP2PPacketSize` left
    /// ([`Client::take_dry`]), held outside the client so that the next
    /// dry calls are answered without entering it; handed back on entry.
    /// Only the main thread's slot ever holds one.
    dry: Cell<Dry>,
}

impl Slot {
    fn new(main: bool) -> Self {
        Self {
            main,
            client: RefCell::new(Client::default()),
            dry: Cell::new(Dry::NONE),
        }
    }

    fn enter<R>(&self, f: impl FnOnce(&mut Client) -> R) -> Result<R, &'static str> {
        if !self.main {
            return Err(OFF_MAIN_THREAD);
        }
        let mut client = self.client.try_borrow_mut().map_err(|_| REENTERED)?;
        // Before anything reaches the backend: any call may change what
        // the promise was about.
        let held = self.dry.get();
        if held.is_held() {
            self.dry.set(Dry::NONE);
            client.return_dry(held);
        }
        let answer = f(&mut client);
        let dry = client.take_dry();
        HOLDING.store(dry.is_some(), Ordering::Relaxed);
        if let Some(dry) = dry {
            self.dry.set(dry);
        }
        // After every call, not only init and shutdown: no call that
        // changes the status can forget to publish it.
        PUBLISHED.publish(client.status());
        Ok(answer)
    }

    fn nothing_waits(&self) -> bool {
        let mut dry = self.dry.get();
        if !dry.answer() {
            return false;
        }
        self.dry.set(dry);
        true
    }
}

/// The main thread's [`Status`], published for `getSteamID` and
/// `isSteamRunning`, which any thread may call (as Steam's can) and which
/// are then as cheap as a static method can be: the thread-local slot costs
/// a call to `__tls_get_addr` in a shared library (4 ns of 24 here).
struct Published {
    local_id: AtomicU64,
    liveness: AtomicU8,
}

impl Published {
    fn publish(&self, status: Status) {
        // Relaxed: each value stands alone; no other memory is read
        // because of them.
        self.local_id.store(status.local_id, Ordering::Relaxed);
        self.liveness
            .store(status.liveness as u8, Ordering::Relaxed);
    }

    fn status(&self) -> Status {
        Status {
            local_id: self.local_id.load(Ordering::Relaxed),
            liveness: Liveness::from_u8(self.liveness.load(Ordering::Relaxed)),
        }
    }
}

static PUBLISHED: Published = Published {
    local_id: AtomicU64::new(0),
    liveness: AtomicU8::new(Liveness::Stopped as u8),
};

/// The status as the main thread last left it, from any thread.
pub(crate) fn status() -> Status {
    PUBLISHED.status()
}

thread_local! {
    static SLOT: Slot = Slot::new(godot::init::is_main_thread());
}

/// Why a call made while another one runs was refused.
const REENTERED: &str = "called while another Steam call runs (from a logger or a handler it \
    ran?); call it after that call returns";

/// Why a call made while the thread ends was refused.
const THREAD_ENDING: &str = "called while its thread ends";

/// Whether the caller runs on Godot's main thread.
pub(crate) fn on_main_thread() -> bool {
    SLOT.try_with(|slot| slot.main).unwrap_or(false)
}

/// Runs `f` with the API; `None`, after one error naming `call`, off
/// Godot's main thread or within another call.
#[inline]
pub(crate) fn with_client<R>(call: &str, f: impl FnOnce(&mut Client) -> R) -> Option<R> {
    try_with_client(f).map_err(|why| report(call, why)).ok()
}

/// [`with_client`], saying why not to the caller instead of the log.
#[inline]
pub(crate) fn try_with_client<R>(f: impl FnOnce(&mut Client) -> R) -> Result<R, &'static str> {
    SLOT.try_with(|slot| slot.enter(f))
        .unwrap_or(Err(THREAD_ENDING))
}

/// Whether the main thread's slot may hold a promise: a backend that never
/// lends one (Steam) then costs this load, not the thread-local's lookup.
/// Relaxed: a stale true only sends the caller to its own slot.
static HOLDING: AtomicBool = AtomicBool::new(false);

/// Whether a `getAvailableP2PPacketSize` (on a valid channel) may answer
/// 0 from the promise the last dry one left, without entering the API:
/// the call games make most, at about the cost of `getSteamID`. False
/// (then enter as usual) off the main thread, within another call, without
/// a promise, or once it no longer holds.
#[inline]
pub(crate) fn nothing_waits() -> bool {
    HOLDING.load(Ordering::Relaxed) && SLOT.try_with(Slot::nothing_waits).unwrap_or(false)
}

/// Stops the API and drops it. For the extension's unloading: the
/// backend's threads and sockets must end while Godot can still hear
/// their logs, not when the main thread's locals go at exit.
pub(crate) fn release() {
    let client = try_with_client(std::mem::take);
    drop(client);
    PUBLISHED.publish(Status::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_thread_gets_the_api() {
        let slot = Slot::new(true);
        assert_eq!(slot.enter(|client| client.is_running()), Ok(false));
    }

    #[test]
    fn a_call_within_a_call_is_refused_not_a_panic() {
        let slot = Slot::new(true);
        let inner = slot.enter(|_| slot.enter(|client| client.is_running()));
        assert_eq!(inner, Ok(Err(REENTERED)));
        // And the slot is usable again afterwards.
        assert!(slot.enter(|_| ()).is_ok());
    }

    #[test]
    fn a_dry_call_leaves_a_promise_that_any_other_call_hands_back() {
        let slot = Slot::new(true);
        assert!(!slot.nothing_waits(), "no promise before a dry call");
        slot.enter(|client| {
            *client = crate::api::testing::started();
            client.available(0)
        })
        .unwrap()
        .unwrap();
        let inner = slot.enter(|_| slot.nothing_waits());
        assert_eq!(inner, Ok(false), "not within a call");
        assert!(!slot.nothing_waits(), "that call handed the promise back");
        slot.enter(|client| client.available(0)).unwrap().unwrap();
        for _ in 0..crate::api::testing::DRY_BUDGET {
            assert!(slot.nothing_waits());
        }
        assert!(
            !slot.nothing_waits(),
            "spent: the next one asks the backend"
        );
        slot.enter(|client| client.available(0)).unwrap().unwrap();
        assert!(
            !slot.nothing_waits(),
            "the backend has no answers left to lend"
        );
    }

    #[test]
    fn another_thread_is_refused() {
        let slot = Slot::new(false);
        assert_eq!(
            slot.enter(|client| client.is_running()),
            Err(OFF_MAIN_THREAD)
        );
    }
}
