//! Asynchronous API calls (`SteamAPICall_t`): each call a lobby export
//! answers later gets a handle, a `SteamAPICallCompleted_t` callback, and a
//! result that `SteamAPI_ManualDispatch_GetAPICallResult` copies out once.

use std::collections::{HashMap, VecDeque};
use std::ffi::{c_int, c_void};

use steamworks_sys as sys;

use crate::table::Callback;

/// A finished call's result struct.
#[derive(Clone, Copy)]
pub(crate) enum CallResult {
    Created(sys::LobbyCreated_t),
    Enter(sys::LobbyEnter_t),
    MatchList(sys::LobbyMatchList_t),
}

impl CallResult {
    fn callback_id(&self) -> c_int {
        (match self {
            CallResult::Created(_) => sys::LobbyCreated_t_k_iCallback as u32,
            CallResult::Enter(_) => sys::LobbyEnter_t_k_iCallback as u32,
            CallResult::MatchList(_) => sys::LobbyMatchList_t_k_iCallback as u32,
        }) as c_int
    }

    fn size(&self) -> usize {
        match self {
            CallResult::Created(_) => size_of::<sys::LobbyCreated_t>(),
            CallResult::Enter(_) => size_of::<sys::LobbyEnter_t>(),
            CallResult::MatchList(_) => size_of::<sys::LobbyMatchList_t>(),
        }
    }
}

/// The calls answered and not yet fetched.
#[derive(Default)]
pub(crate) struct Calls {
    /// The last handle handed out (0 is `k_uAPICallInvalid`).
    last: u64,
    results: HashMap<u64, CallResult>,
}

impl Calls {
    /// Finishes a new call with `result`: queues its
    /// `SteamAPICallCompleted_t` and returns its handle.
    pub(crate) fn finish(&mut self, result: CallResult, callbacks: &mut VecDeque<Callback>) -> u64 {
        self.last += 1;
        let handle = self.last;
        callbacks.push_back(Callback::CallCompleted(Box::new(
            sys::SteamAPICallCompleted_t {
                m_hAsyncCall: handle,
                m_iCallback: result.callback_id(),
                m_cubParam: result.size() as u32,
            },
        )));
        self.results.insert(handle, result);
        handle
    }

    /// `GetAPICallResult`: writes the result of `handle` into `out` if the
    /// caller expects that struct at that size; the result is then gone.
    ///
    /// # Safety
    /// `out` is null or points at `size` writable bytes.
    pub(crate) unsafe fn take(
        &mut self,
        handle: u64,
        out: *mut c_void,
        size: c_int,
        expected: c_int,
    ) -> bool {
        let Some(result) = self.results.get(&handle) else {
            return false;
        };
        if out.is_null() || result.callback_id() != expected || size as usize != result.size() {
            return false;
        }
        // SAFETY: the caller's contract, and `size` is the struct's size.
        unsafe {
            match *result {
                CallResult::Created(r) => out.cast::<sys::LobbyCreated_t>().write_unaligned(r),
                CallResult::Enter(r) => out.cast::<sys::LobbyEnter_t>().write_unaligned(r),
                CallResult::MatchList(r) => out.cast::<sys::LobbyMatchList_t>().write_unaligned(r),
            }
        }
        self.results.remove(&handle);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_is_announced_and_fetched_once() {
        let mut calls = Calls::default();
        let mut callbacks = VecDeque::new();
        let list = CallResult::MatchList(sys::LobbyMatchList_t {
            m_nLobbiesMatching: 3,
        });
        let first = calls.finish(list, &mut callbacks);
        let second = calls.finish(list, &mut callbacks);
        assert!(first != 0 && second != first);
        let Some(Callback::CallCompleted(done)) = callbacks.pop_front() else {
            panic!("no SteamAPICallCompleted_t");
        };
        assert_eq!({ done.m_hAsyncCall }, first);
        assert_eq!({ done.m_iCallback }, 510);
        assert_eq!({ done.m_cubParam }, 4);
        let mut out = sys::LobbyMatchList_t {
            m_nLobbiesMatching: 0,
        };
        let ptr = (&raw mut out).cast::<c_void>();
        // SAFETY: `out` is a LobbyMatchList_t.
        unsafe {
            assert!(!calls.take(first, ptr, 4, 513), "another struct expected");
            assert!(!calls.take(first, ptr, 8, 510), "another size");
            assert!(calls.take(first, ptr, 4, 510));
            assert!(!calls.take(first, ptr, 4, 510), "fetched already");
            assert!(!calls.take(99, ptr, 4, 510), "no such call");
        }
        assert_eq!(out.m_nLobbiesMatching, 3);
    }
}
