//! Exports for init and shutdown, the pipe, and the interface accessors.

use std::ffi::{c_int, c_void};

use steamworks_sys as sys;

use crate::files::read_config;
use crate::timing;
use crate::{STATE, with};

/// A non-null address to hand out as interface pointers (of every
/// interface: the exports never read through them).
static INTERFACE: u8 = 0;

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_InitFlat(err: *mut sys::SteamErrMsg) -> c_int {
    match read_config() {
        Ok(double) => {
            *STATE.lock().unwrap_or_else(|e| e.into_inner()) = Some(double);
            timing::start(std::env::var("STEAM_DOUBLE_TIMING").is_ok_and(|v| v == "1"));
            0
        }
        Err((code, msg)) => {
            if !err.is_null() {
                let bytes = msg.as_bytes();
                let n = bytes.len().min(1023);
                // SAFETY: Valve's SteamErrMsg is a 1024-byte buffer.
                unsafe {
                    std::ptr::copy_nonoverlapping(bytes.as_ptr(), err.cast::<u8>(), n);
                    *err.cast::<u8>().add(n) = 0;
                }
            }
            code
        }
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_Shutdown() {
    if let Some(d) = STATE.lock().unwrap_or_else(|e| e.into_inner()).take() {
        d.shut_down();
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_IsSteamRunning() -> bool {
    with(false, |_| true)
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_GetHSteamPipe() -> c_int {
    with(0, |_| 1)
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamGameServer_GetHSteamPipe() -> c_int {
    0
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamGameServer_Shutdown() {}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_SteamUser_v023() -> *const c_void {
    with(std::ptr::null(), |_| (&raw const INTERFACE).cast())
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_SteamNetworking_v006() -> *const c_void {
    with(std::ptr::null(), |_| (&raw const INTERFACE).cast())
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_SteamFriends_v018() -> *const c_void {
    with(std::ptr::null(), |_| (&raw const INTERFACE).cast())
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_SteamApps_v009() -> *const c_void {
    with(std::ptr::null(), |_| (&raw const INTERFACE).cast())
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_SteamUtils_v010() -> *const c_void {
    with(std::ptr::null(), |_| (&raw const INTERFACE).cast())
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_SteamMatchmaking_v009() -> *const c_void {
    with(std::ptr::null(), |_| (&raw const INTERFACE).cast())
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_SteamNetworkingUtils_SteamAPI_v004() -> *const c_void {
    with(std::ptr::null(), |_| (&raw const INTERFACE).cast())
}
