//! Exports for Steam's manual callback dispatch: each frame takes in the
//! inbox, the `.gone` markers and a `.join_request`, and the callbacks that
//! came due are handed out one at a time; finished API calls' results
//! (calls.rs) are fetched here too.

use std::ffi::{c_int, c_void};
use std::time::Instant;

use steamworks_sys as sys;

use crate::table::Callback;
use crate::with;

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ManualDispatch_Init() {}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ManualDispatch_RunFrame(_pipe: c_int) {
    with((), |d| {
        d.receive();
        d.table.tick(Instant::now());
        d.check_gone();
        d.check_join_request();
        crate::timing::report(&d.dir, d.me);
    });
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ManualDispatch_GetNextCallback(
    _pipe: c_int,
    msg: *mut sys::CallbackMsg_t,
) -> bool {
    with(false, |d| {
        if d.current.is_some() || msg.is_null() {
            return false;
        }
        let Some(callback) = d.table.callbacks.pop_front() else {
            return false;
        };
        let (id, param, size) = callback.message();
        // SAFETY: the caller passes a valid CallbackMsg_t; the payload stays
        // alive in `current` until FreeLastCallback.
        unsafe {
            msg.write_unaligned(sys::CallbackMsg_t {
                m_hSteamUser: 1,
                m_iCallback: id,
                m_pubParam: param.cast_mut(),
                m_cubParam: size as c_int,
            });
        }
        d.current = Some(callback);
        true
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ManualDispatch_FreeLastCallback(_pipe: c_int) {
    with((), |d| d.current = None);
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ManualDispatch_GetAPICallResult(
    _pipe: c_int,
    call: u64,
    out: *mut c_void,
    size: c_int,
    expected: c_int,
    failed: *mut bool,
) -> bool {
    with(false, |d| {
        // SAFETY: Steam's contract: `out` holds `size` bytes.
        let taken = unsafe { d.calls.take(call, out, size, expected) };
        if taken && !failed.is_null() {
            // SAFETY: the caller passes a valid out pointer. The double's
            // calls never fail on the way (no network to lose them).
            unsafe { *failed = false };
        }
        taken
    })
}

/// The id, payload and payload size of a callback.
fn view<T>(id: u32, payload: &T) -> (c_int, *const u8, usize) {
    (
        id as c_int,
        (payload as *const T).cast::<u8>(),
        size_of::<T>(),
    )
}

impl Callback {
    /// What `GetNextCallback` hands out for it: the payload stays alive in
    /// the callback, which the double keeps until FreeLastCallback.
    fn message(&self) -> (c_int, *const u8, usize) {
        match self {
            Callback::Request(cb) => view(sys::P2PSessionRequest_t_k_iCallback as u32, &**cb),
            Callback::Fail(cb) => view(sys::P2PSessionConnectFail_t_k_iCallback as u32, &**cb),
            Callback::PersonaChange(cb) => {
                view(sys::PersonaStateChange_t_k_iCallback as u32, &**cb)
            }
            Callback::JoinRequest(cb) => {
                view(sys::GameLobbyJoinRequested_t_k_iCallback as u32, &**cb)
            }
            Callback::LobbyEnter(cb) => view(sys::LobbyEnter_t_k_iCallback as u32, &**cb),
            Callback::LobbyChatUpdate(cb) => view(sys::LobbyChatUpdate_t_k_iCallback as u32, &**cb),
            Callback::LobbyChatMsg(cb) => view(sys::LobbyChatMsg_t_k_iCallback as u32, &**cb),
            Callback::LobbyDataUpdate(cb) => view(sys::LobbyDataUpdate_t_k_iCallback as u32, &**cb),
            Callback::LobbyInvite(cb) => view(sys::LobbyInvite_t_k_iCallback as u32, &**cb),
            Callback::LobbyGameCreated(cb) => {
                view(sys::LobbyGameCreated_t_k_iCallback as u32, &**cb)
            }
            Callback::CallCompleted(cb) => {
                view(sys::SteamAPICallCompleted_t_k_iCallback as u32, &**cb)
            }
        }
    }
}
