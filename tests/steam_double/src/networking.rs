//! Exports for Steam's deprecated `ISteamNetworking` P2P interface, and the
//! `ISteamNetworkingSockets` functions steamworks imports but never reaches.

use std::ffi::{c_char, c_int, c_void};

use steamworks_sys as sys;

use crate::files::{encode_close, encode_packet};
use crate::table::ChannelClose;
use crate::{steam_id, with};

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamNetworking_SendP2PPacket(
    _net: *mut c_void,
    remote: u64,
    data: *const c_void,
    size: u32,
    send_type: c_int,
    channel: c_int,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!(
            "SendP2PPacket {remote} {size} {send_type} {channel}"
        ));
        if remote == 0 || data.is_null() || size == 0 {
            return false;
        }
        // SAFETY: Steam's contract: `data` points at `size` bytes.
        let payload = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), size as usize) };
        if !d.write_message(remote, &encode_packet(d.me, channel, payload)) {
            return false;
        }
        // Sending accepts the session implicitly, as in Steam.
        d.table.on_send(remote, channel);
        true
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamNetworking_IsP2PPacketAvailable(
    _net: *mut c_void,
    size: *mut u32,
    channel: c_int,
) -> bool {
    crate::timing::timed(|| {
        with(false, |d| {
            d.receive_for_call();
            let Some(packet) = d.table.ready.iter().find(|p| p.channel == channel) else {
                return false;
            };
            if !size.is_null() {
                // SAFETY: the caller passes a valid out pointer.
                unsafe { *size = packet.data.len() as u32 };
            }
            true
        })
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamNetworking_ReadP2PPacket(
    _net: *mut c_void,
    dest: *mut c_void,
    dest_size: u32,
    msg_size: *mut u32,
    remote: *mut sys::CSteamID,
    channel: c_int,
) -> bool {
    with(false, |d| {
        d.receive_for_call();
        let Some(at) = d.table.ready.iter().position(|p| p.channel == channel) else {
            return false;
        };
        let Some(packet) = d.table.ready.remove(at) else {
            return false;
        };
        let n = packet.data.len().min(dest_size as usize);
        // SAFETY: Steam's contract: `dest` holds `dest_size` bytes; the out
        // pointers are valid. A longer packet is truncated and consumed.
        unsafe {
            if !dest.is_null() {
                std::ptr::copy_nonoverlapping(packet.data.as_ptr(), dest.cast::<u8>(), n);
            }
            if !msg_size.is_null() {
                // Reports the whole packet's size, so callers must not trust
                // it as the number of bytes copied.
                *msg_size = packet.data.len() as u32;
            }
            if !remote.is_null() {
                remote.write_unaligned(steam_id(packet.from));
            }
        }
        true
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworking_AcceptP2PSessionWithUser(
    _net: *mut c_void,
    remote: u64,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!("AcceptP2PSessionWithUser {remote}"));
        if remote == 0 {
            return false;
        }
        d.table.accept(remote);
        true
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworking_CloseP2PSessionWithUser(
    _net: *mut c_void,
    remote: u64,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!("CloseP2PSessionWithUser {remote}"));
        d.close_session(remote)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworking_CloseP2PChannelWithUser(
    _net: *mut c_void,
    remote: u64,
    channel: c_int,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!("CloseP2PChannelWithUser {remote} {channel}"));
        match d.table.close_channel(remote, channel) {
            ChannelClose::NotOpen => false,
            ChannelClose::Channel => true,
            ChannelClose::Session => {
                // The session closed with its last channel: tell the peer.
                d.write_message(remote, &encode_close(d.me));
                true
            }
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamNetworking_GetP2PSessionState(
    _net: *mut c_void,
    remote: u64,
    state: *mut sys::P2PSessionState_t,
) -> bool {
    with(false, |d| {
        if state.is_null() {
            return false;
        }
        let Some(value) = d.table.state(remote, d.is_up(remote)) else {
            return false;
        };
        // SAFETY: the caller passes a valid out pointer.
        unsafe { state.write(value) };
        true
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworking_AllowP2PPacketRelay(
    _net: *mut c_void,
    allow: bool,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!("AllowP2PPacketRelay {allow}"));
        // Peers on one machine connect directly, so the setting changes
        // nothing; the call log is how tests see it arrive.
        true
    })
}

// ---- Imported by steamworks for ISteamNetworkingSockets; never reached ----

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworkingSockets_CloseConnection(
    _sockets: *mut c_void,
    _conn: u32,
    _reason: c_int,
    _debug: *const c_char,
    _linger: bool,
) -> bool {
    false
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworkingSockets_CloseListenSocket(
    _sockets: *mut c_void,
    _socket: u32,
) -> bool {
    false
}
