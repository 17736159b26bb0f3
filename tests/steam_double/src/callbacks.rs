//! Exports for Steam's manual callback dispatch: each frame takes in the
//! inbox, the `.gone` markers and a `.join_request`, and the callbacks that
//! came due are handed out one at a time.

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
        let (id, param, size) = match &callback {
            Callback::Request(cb) => (
                sys::P2PSessionRequest_t_k_iCallback as c_int,
                (&raw const **cb).cast::<u8>(),
                size_of::<sys::P2PSessionRequest_t>(),
            ),
            Callback::Fail(cb) => (
                sys::P2PSessionConnectFail_t_k_iCallback as c_int,
                (&raw const **cb).cast::<u8>(),
                size_of::<sys::P2PSessionConnectFail_t>(),
            ),
            Callback::PersonaChange(cb) => (
                sys::PersonaStateChange_t_k_iCallback as c_int,
                (&raw const **cb).cast::<u8>(),
                size_of::<sys::PersonaStateChange_t>(),
            ),
            Callback::JoinRequest(cb) => (
                sys::GameLobbyJoinRequested_t_k_iCallback as c_int,
                (&raw const **cb).cast::<u8>(),
                size_of::<sys::GameLobbyJoinRequested_t>(),
            ),
        };
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
pub extern "C" fn SteamAPI_ManualDispatch_GetAPICallResult(
    _pipe: c_int,
    _call: u64,
    _out: *mut c_void,
    _size: c_int,
    _expected: c_int,
    _failed: *mut bool,
) -> bool {
    false
}
