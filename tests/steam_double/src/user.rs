//! Exports for `ISteamUser`: the local SteamID64, the logon state and the
//! Steam level.

use std::ffi::{c_int, c_void};

use crate::with;

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamUser_GetSteamID(_user: *mut c_void) -> u64 {
    with(0, |d| d.me)
}

/// Logged on while initialized: the double has no offline mode.
#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamUser_BLoggedOn(_user: *mut c_void) -> bool {
    with(false, |_| true)
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamUser_GetPlayerSteamLevel(_user: *mut c_void) -> c_int {
    with(0, |d| d.settings.steam_level)
}
