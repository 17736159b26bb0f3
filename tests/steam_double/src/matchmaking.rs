//! Exports for `ISteamMatchmaking`'s lobby calls (the rules are in
//! lobby.rs, the shared files in lobby_files.rs, this process's side in
//! lobbies.rs). Enum arguments are taken as plain ints: a value the SDK's
//! enum lacks is then input like any other, not undefined behaviour.

use std::ffi::{CString, c_char, c_int, c_void};

use steamworks_sys as sys;

use crate::lobby::{Filter, Server};
use crate::{steam_id, with};

/// A C string argument's bytes (none for null).
///
/// # Safety
/// `text` is null or a NUL-terminated string.
unsafe fn bytes(text: *const c_char) -> Vec<u8> {
    if text.is_null() {
        return Vec::new();
    }
    // SAFETY: the caller's contract.
    unsafe { std::ffi::CStr::from_ptr(text) }
        .to_bytes()
        .to_vec()
}

/// Copies `text` into a caller's buffer of `size` bytes as a C string,
/// cut to fit.
///
/// # Safety
/// `out` is null or points at `size` writable bytes.
unsafe fn copy_out(out: *mut c_char, size: c_int, text: &[u8]) {
    let Ok(size) = usize::try_from(size) else {
        return;
    };
    if out.is_null() || size == 0 {
        return;
    }
    let n = text.len().min(size - 1);
    // SAFETY: the caller's contract; `n + 1 <= size`.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), out.cast::<u8>(), n);
        *out.add(n) = 0;
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_CreateLobby(
    _mm: *mut c_void,
    lobby_type: c_int,
    max_members: c_int,
) -> u64 {
    with(0, |d| d.create_lobby(lobby_type, max_members))
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_JoinLobby(_mm: *mut c_void, lobby: u64) -> u64 {
    with(0, |d| d.join_lobby(lobby))
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_LeaveLobby(_mm: *mut c_void, lobby: u64) {
    with((), |d| d.leave_lobby(lobby))
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_InviteUserToLobby(
    _mm: *mut c_void,
    lobby: u64,
    invitee: u64,
) -> bool {
    with(false, |d| d.invite(lobby, invitee))
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_GetNumLobbyMembers(
    _mm: *mut c_void,
    lobby: u64,
) -> c_int {
    with(0, |d| {
        d.view_lobby(lobby).map_or(0, |l| l.members.len() as c_int)
    })
}

/// Members only; `k_steamIDNil` (0) for an index out of range.
#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_GetLobbyMemberByIndex(
    _mm: *mut c_void,
    lobby: u64,
    index: c_int,
) -> u64 {
    with(None, |d| {
        let lobby = d.member_lobby(lobby)?;
        lobby.members.get(usize::try_from(index).ok()?).copied()
    })
    .unwrap_or(0)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_GetLobbyData(
    _mm: *mut c_void,
    lobby: u64,
    key: *const c_char,
) -> *const c_char {
    // SAFETY: Steam's contract: a NUL-terminated key.
    let key = unsafe { bytes(key) };
    with(c"".as_ptr(), |d| {
        let value = d
            .view_lobby(lobby)
            .and_then(|l| l.data(&key).map(<[u8]>::to_vec))
            .unwrap_or_default();
        d.lobbies.text = CString::new(value).unwrap_or_default();
        d.lobbies.text.as_ptr()
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_SetLobbyData(
    _mm: *mut c_void,
    lobby: u64,
    key: *const c_char,
    value: *const c_char,
) -> bool {
    // SAFETY: Steam's contract: NUL-terminated strings.
    let (key, value) = unsafe { (bytes(key), bytes(value)) };
    with(false, |d| d.set_lobby_data(lobby, &key, Some(&value)))
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_GetLobbyDataCount(
    _mm: *mut c_void,
    lobby: u64,
) -> c_int {
    with(0, |d| {
        d.view_lobby(lobby).map_or(0, |l| l.data.len() as c_int)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_GetLobbyDataByIndex(
    _mm: *mut c_void,
    lobby: u64,
    index: c_int,
    key: *mut c_char,
    key_size: c_int,
    value: *mut c_char,
    value_size: c_int,
) -> bool {
    with(false, |d| {
        let Some(lobby) = d.view_lobby(lobby) else {
            return false;
        };
        let Some((k, v)) = usize::try_from(index).ok().and_then(|i| lobby.data.get(i)) else {
            return false;
        };
        // SAFETY: Steam's contract: each buffer holds the size given.
        unsafe {
            copy_out(key, key_size, k);
            copy_out(value, value_size, v);
        }
        true
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_DeleteLobbyData(
    _mm: *mut c_void,
    lobby: u64,
    key: *const c_char,
) -> bool {
    // SAFETY: Steam's contract: a NUL-terminated key.
    let key = unsafe { bytes(key) };
    with(false, |d| d.set_lobby_data(lobby, &key, None))
}

/// Members only, as in Steam.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_GetLobbyMemberData(
    _mm: *mut c_void,
    lobby: u64,
    user: u64,
    key: *const c_char,
) -> *const c_char {
    // SAFETY: Steam's contract: a NUL-terminated key.
    let key = unsafe { bytes(key) };
    with(c"".as_ptr(), |d| {
        let value = d
            .member_lobby(lobby)
            .and_then(|l| l.member_data(user, &key).map(<[u8]>::to_vec))
            .unwrap_or_default();
        d.lobbies.text = CString::new(value).unwrap_or_default();
        d.lobbies.text.as_ptr()
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_SetLobbyMemberData(
    _mm: *mut c_void,
    lobby: u64,
    key: *const c_char,
    value: *const c_char,
) {
    // SAFETY: Steam's contract: NUL-terminated strings.
    let (key, value) = unsafe { (bytes(key), bytes(value)) };
    with((), |d| {
        d.set_member_data(lobby, &key, &value);
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_SendLobbyChatMsg(
    _mm: *mut c_void,
    lobby: u64,
    body: *const c_void,
    size: c_int,
) -> bool {
    let Ok(len) = usize::try_from(size) else {
        return false;
    };
    if body.is_null() {
        return false;
    }
    // SAFETY: Steam's contract: `body` points at `size` bytes.
    let body = unsafe { std::slice::from_raw_parts(body.cast::<u8>(), len) };
    with(false, |d| d.send_chat(lobby, body))
}

/// The bytes copied (at most `size`), the sender and
/// `k_EChatEntryTypeChatMsg`; 0 for an entry we do not have.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_GetLobbyChatEntry(
    _mm: *mut c_void,
    lobby: u64,
    chat_id: c_int,
    user: *mut sys::CSteamID,
    data: *mut c_void,
    size: c_int,
    entry_type: *mut c_int,
) -> c_int {
    with(0, |d| {
        let Some(entry) = u32::try_from(chat_id)
            .ok()
            .and_then(|id| d.chat_entry(lobby, id))
        else {
            return 0;
        };
        let n = entry.body.len().min(usize::try_from(size).unwrap_or(0));
        // SAFETY: Steam's contract: `data` holds `size` bytes; the out
        // pointers are valid or null.
        unsafe {
            if !data.is_null() {
                std::ptr::copy_nonoverlapping(entry.body.as_ptr(), data.cast::<u8>(), n);
            }
            if !user.is_null() {
                user.write_unaligned(steam_id(entry.sender));
            }
            if !entry_type.is_null() {
                entry_type.write_unaligned(sys::EChatEntryType::k_EChatEntryTypeChatMsg as c_int);
            }
        }
        n as c_int
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_RequestLobbyData(
    _mm: *mut c_void,
    lobby: u64,
) -> bool {
    with(false, |d| d.request_lobby_data(lobby))
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_SetLobbyGameServer(
    _mm: *mut c_void,
    lobby: u64,
    ip: u32,
    port: u16,
    server: u64,
) {
    with((), |d| {
        d.set_game_server(
            lobby,
            Server {
                ip,
                port,
                id: server,
            },
        )
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_GetLobbyGameServer(
    _mm: *mut c_void,
    lobby: u64,
    ip: *mut u32,
    port: *mut u16,
    server: *mut sys::CSteamID,
) -> bool {
    with(false, |d| {
        let Some(found) = d.view_lobby(lobby).and_then(|l| l.server) else {
            return false;
        };
        // SAFETY: Steam's contract: valid out pointers (null tolerated).
        unsafe {
            if !ip.is_null() {
                ip.write_unaligned(found.ip);
            }
            if !port.is_null() {
                port.write_unaligned(found.port);
            }
            if !server.is_null() {
                server.write_unaligned(steam_id(found.id));
            }
        }
        true
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_SetLobbyMemberLimit(
    _mm: *mut c_void,
    lobby: u64,
    max_members: c_int,
) -> bool {
    with(false, |d| {
        d.change_lobby(lobby, |l, me| l.set_limit(me, max_members), None)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_GetLobbyMemberLimit(
    _mm: *mut c_void,
    lobby: u64,
) -> c_int {
    with(0, |d| d.view_lobby(lobby).map_or(0, |l| l.limit as c_int))
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_SetLobbyType(
    _mm: *mut c_void,
    lobby: u64,
    lobby_type: c_int,
) -> bool {
    with(false, |d| {
        d.change_lobby(lobby, |l, me| l.set_kind(me, lobby_type), None)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_SetLobbyJoinable(
    _mm: *mut c_void,
    lobby: u64,
    joinable: bool,
) -> bool {
    with(false, |d| {
        d.change_lobby(lobby, |l, me| l.set_joinable(me, joinable), None)
    })
}

/// Members only; `k_steamIDNil` (0) otherwise.
#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_GetLobbyOwner(_mm: *mut c_void, lobby: u64) -> u64 {
    with(0, |d| d.member_lobby(lobby).map_or(0, |l| l.owner))
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_SetLobbyOwner(
    _mm: *mut c_void,
    lobby: u64,
    new_owner: u64,
) -> bool {
    with(false, |d| d.set_lobby_owner(lobby, new_owner))
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_RequestLobbyList(_mm: *mut c_void) -> u64 {
    with(0, |d| d.request_lobby_list())
}

/// The last list's lobby at `index`; `k_steamIDNil` (0) out of range.
#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_GetLobbyByIndex(
    _mm: *mut c_void,
    index: c_int,
) -> u64 {
    with(0, |d| {
        usize::try_from(index)
            .ok()
            .and_then(|i| d.lobbies.list.get(i).copied())
            .unwrap_or(0)
    })
}

fn add_filter(filter: Filter) {
    with((), |d| d.lobbies.filters.push(filter))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_AddRequestLobbyListStringFilter(
    _mm: *mut c_void,
    key: *const c_char,
    value: *const c_char,
    comparison: c_int,
) {
    // SAFETY: Steam's contract: NUL-terminated strings.
    let (key, value) = unsafe { (bytes(key), bytes(value)) };
    add_filter(Filter::String {
        key,
        value,
        comparison,
    });
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_AddRequestLobbyListNumericalFilter(
    _mm: *mut c_void,
    key: *const c_char,
    value: c_int,
    comparison: c_int,
) {
    // SAFETY: Steam's contract: a NUL-terminated key.
    let key = unsafe { bytes(key) };
    add_filter(Filter::Numerical {
        key,
        value,
        comparison,
    });
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamMatchmaking_AddRequestLobbyListNearValueFilter(
    _mm: *mut c_void,
    key: *const c_char,
    value: c_int,
) {
    // SAFETY: Steam's contract: a NUL-terminated key.
    let key = unsafe { bytes(key) };
    add_filter(Filter::NearValue { key, value });
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_AddRequestLobbyListFilterSlotsAvailable(
    _mm: *mut c_void,
    slots: c_int,
) {
    add_filter(Filter::SlotsAvailable(slots));
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_AddRequestLobbyListDistanceFilter(
    _mm: *mut c_void,
    distance: c_int,
) {
    add_filter(Filter::Distance(distance));
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamMatchmaking_AddRequestLobbyListResultCountFilter(
    _mm: *mut c_void,
    count: c_int,
) {
    add_filter(Filter::ResultCount(count));
}
