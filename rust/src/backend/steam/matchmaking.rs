//! ISteamMatchmaking (lobbies) on Steam: the crate's `Matchmaking` where it
//! wraps a call without losing anything, `steamworks::sys` where it does
//! not wrap it (invites, owner, type, limit, data requests, filters) or
//! would lose part of the answer. The callbacks are decoded in callbacks.rs.

use std::ffi::{CStr, CString, c_char, c_int};
use std::net::{Ipv4Addr, SocketAddrV4};

use steamworks::{LobbyId, SResult, SteamError, sys};

use super::{SteamBackend, callbacks};
use crate::backend::matchmaking::Matchmaking;
use crate::p2p::lobby::{
    Comparison, Distance, ListFilter, LobbyType, MAX_KEY_BYTES, MAX_MEMBERS, MAX_VALUE_BYTES,
    RESULT_FAIL, RESULT_OK,
};
use crate::p2p::{Event, SteamId};

impl SteamBackend {
    /// The raw interface pointer for calls the crate does not wrap; null
    /// only if Steam is not initialized, which `self` existing rules out.
    fn raw_matchmaking(&self) -> *mut sys::ISteamMatchmaking {
        // SAFETY: a plain accessor of the initialized Steam API.
        unsafe { sys::SteamAPI_SteamMatchmaking_v009() }
    }
}

/// A lobby id as the crate wants it.
fn lobby_id(lobby: u64) -> LobbyId {
    LobbyId::from_raw(lobby)
}

/// Text as a C string; `None` if it holds a NUL, which a C string cannot
/// (the crate's wrappers would panic on one).
fn c_text(text: &str) -> Option<CString> {
    CString::new(text).ok()
}

/// Whether the crate may be given this text (see [`c_text`]).
fn no_nul(texts: &[&str]) -> bool {
    texts.iter().all(|t| !t.contains('\0'))
}

/// The `lobby_created` event for a finished `CreateLobby`.
fn created(result: SResult<LobbyId>) -> Event {
    match result {
        Ok(lobby) => Event::LobbyCreated {
            result: RESULT_OK,
            lobby: lobby.raw(),
        },
        Err(err) => Event::LobbyCreated {
            result: eresult(err),
            lobby: 0,
        },
    }
}

/// The EResult number behind a crate error: the crate turns each EResult
/// into one `SteamError` and has the inverse (`TryFrom<i64>`), so searching
/// it gives the number back. `RESULT_FAIL` for an error no EResult names.
fn eresult(err: SteamError) -> u32 {
    (2..=1000)
        .find(|n| matches!(SteamError::try_from(i64::from(*n)), Ok(e) if e == err))
        .unwrap_or(RESULT_FAIL)
}

fn sdk_lobby_type(lobby_type: LobbyType) -> sys::ELobbyType {
    match lobby_type {
        LobbyType::Private => sys::ELobbyType::k_ELobbyTypePrivate,
        LobbyType::FriendsOnly => sys::ELobbyType::k_ELobbyTypeFriendsOnly,
        LobbyType::Public => sys::ELobbyType::k_ELobbyTypePublic,
        LobbyType::Invisible => sys::ELobbyType::k_ELobbyTypeInvisible,
        LobbyType::PrivateUnique => sys::ELobbyType::k_ELobbyTypePrivateUnique,
    }
}

fn sdk_comparison(comparison: Comparison) -> sys::ELobbyComparison {
    use sys::ELobbyComparison as C;
    match comparison {
        Comparison::EqualOrLessThan => C::k_ELobbyComparisonEqualToOrLessThan,
        Comparison::LessThan => C::k_ELobbyComparisonLessThan,
        Comparison::Equal => C::k_ELobbyComparisonEqual,
        Comparison::GreaterThan => C::k_ELobbyComparisonGreaterThan,
        Comparison::EqualOrGreaterThan => C::k_ELobbyComparisonEqualToOrGreaterThan,
        Comparison::NotEqual => C::k_ELobbyComparisonNotEqual,
    }
}

fn sdk_distance(distance: Distance) -> sys::ELobbyDistanceFilter {
    use sys::ELobbyDistanceFilter as D;
    match distance {
        Distance::Close => D::k_ELobbyDistanceFilterClose,
        Distance::Default => D::k_ELobbyDistanceFilterDefault,
        Distance::Far => D::k_ELobbyDistanceFilterFar,
        Distance::Worldwide => D::k_ELobbyDistanceFilterWorldwide,
    }
}

/// A count as Steam's `int`, saturated (the arguments come checked; this
/// only keeps a huge one from wrapping negative).
fn c_count(n: u32) -> c_int {
    c_int::try_from(n).unwrap_or(c_int::MAX)
}

/// Text Steam returned (a NUL-terminated string it keeps), as UTF-8 with
/// anything invalid replaced; "" for null.
///
/// # Safety
/// `text` is null or points at a NUL-terminated string.
unsafe fn steam_text(text: *const c_char) -> String {
    if text.is_null() {
        return String::new();
    }
    // SAFETY: the caller's contract.
    unsafe { CStr::from_ptr(text) }
        .to_string_lossy()
        .into_owned()
}

/// A buffer Steam filled with a NUL-terminated string, as text.
fn buffer_text(buf: &[c_char]) -> String {
    let bytes: Vec<u8> = buf
        .iter()
        .take_while(|c| **c != 0)
        .map(|c| *c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

impl SteamBackend {
    /// Adds one list filter for the next `RequestLobbyList`.
    fn add_list_filter(&self, filter: &ListFilter) {
        let mm = self.raw_matchmaking();
        match filter {
            ListFilter::String {
                key,
                value,
                comparison,
            } => {
                let (Some(key), Some(value)) = (c_text(key), c_text(value)) else {
                    log::warn!("left out a lobby string filter holding a NUL character");
                    return;
                };
                // SAFETY: `mm` is the live interface; Steam copies both strings.
                unsafe {
                    sys::SteamAPI_ISteamMatchmaking_AddRequestLobbyListStringFilter(
                        mm,
                        key.as_ptr(),
                        value.as_ptr(),
                        sdk_comparison(*comparison),
                    )
                }
            }
            ListFilter::Numerical {
                key,
                value,
                comparison,
            } => {
                let Some(key) = c_text(key) else {
                    log::warn!("left out a lobby numerical filter whose key holds a NUL");
                    return;
                };
                // SAFETY: `mm` is the live interface; Steam copies the key.
                unsafe {
                    sys::SteamAPI_ISteamMatchmaking_AddRequestLobbyListNumericalFilter(
                        mm,
                        key.as_ptr(),
                        *value,
                        sdk_comparison(*comparison),
                    )
                }
            }
            ListFilter::NearValue { key, value } => {
                let Some(key) = c_text(key) else {
                    log::warn!("left out a lobby near-value filter whose key holds a NUL");
                    return;
                };
                // SAFETY: `mm` is the live interface; Steam copies the key.
                unsafe {
                    sys::SteamAPI_ISteamMatchmaking_AddRequestLobbyListNearValueFilter(
                        mm,
                        key.as_ptr(),
                        *value,
                    )
                }
            }
            // SAFETY (the three below): `mm` is the live interface.
            ListFilter::SlotsAvailable(slots) => unsafe {
                sys::SteamAPI_ISteamMatchmaking_AddRequestLobbyListFilterSlotsAvailable(
                    mm,
                    c_count(*slots),
                )
            },
            ListFilter::Distance(distance) => unsafe {
                sys::SteamAPI_ISteamMatchmaking_AddRequestLobbyListDistanceFilter(
                    mm,
                    sdk_distance(*distance),
                )
            },
            ListFilter::ResultCount(count) => unsafe {
                sys::SteamAPI_ISteamMatchmaking_AddRequestLobbyListResultCountFilter(
                    mm,
                    c_count(*count),
                )
            },
        }
    }
}

impl Matchmaking for SteamBackend {
    fn create_lobby(&mut self, lobby_type: LobbyType, max_members: u32) {
        let kind = match lobby_type {
            LobbyType::Private => steamworks::LobbyType::Private,
            LobbyType::FriendsOnly => steamworks::LobbyType::FriendsOnly,
            LobbyType::Public => steamworks::LobbyType::Public,
            LobbyType::Invisible => steamworks::LobbyType::Invisible,
            // The crate's create_lobby has no such type, and only its
            // wrapper gets the call result. Valve documents this type as
            // made through the Web API only: a failure, not another type.
            LobbyType::PrivateUnique => {
                log::warn!(
                    "createLobby: Steam creates LOBBY_TYPE_PRIVATE_UNIQUE lobbies through its Web API only"
                );
                self.pending.push(Event::LobbyCreated {
                    result: RESULT_FAIL,
                    lobby: 0,
                });
                return;
            }
        };
        if max_members > MAX_MEMBERS {
            // Checked before it gets here; the crate asserts on it.
            self.pending.push(Event::LobbyCreated {
                result: RESULT_FAIL,
                lobby: 0,
            });
            return;
        }
        let sink = self.sink.clone();
        self.client
            .matchmaking()
            .create_lobby(kind, max_members, move |result| {
                callbacks::push(&sink, created(result))
            });
    }

    fn join_lobby(&mut self, lobby: u64) {
        // Not the crate's join_lobby: its call result keeps only success or
        // not. LobbyEnter_t also arrives as a callback, with the response.
        // SAFETY: the interface pointer is valid while Steam is initialized.
        unsafe {
            sys::SteamAPI_ISteamMatchmaking_JoinLobby(self.raw_matchmaking(), lobby);
        }
    }

    fn leave_lobby(&mut self, lobby: u64) {
        self.client.matchmaking().leave_lobby(lobby_id(lobby));
    }

    fn invite_user_to_lobby(&mut self, lobby: u64, invitee: SteamId) -> bool {
        // SAFETY: the interface pointer is valid while Steam is initialized.
        unsafe {
            sys::SteamAPI_ISteamMatchmaking_InviteUserToLobby(
                self.raw_matchmaking(),
                lobby,
                invitee.raw(),
            )
        }
    }

    fn lobby_member_count(&mut self, lobby: u64) -> u32 {
        let count = self
            .client
            .matchmaking()
            .lobby_member_count(lobby_id(lobby));
        u32::try_from(count).unwrap_or(0)
    }

    fn lobby_member_by_index(&mut self, lobby: u64, index: u32) -> Option<SteamId> {
        // The crate lists all members; one by index is the flat call, which
        // Steam wants within the count.
        let index = c_int::try_from(index).ok()?;
        let mm = self.raw_matchmaking();
        // SAFETY: the interface pointer is valid while Steam is initialized.
        let count = unsafe { sys::SteamAPI_ISteamMatchmaking_GetNumLobbyMembers(mm, lobby) };
        if index >= count {
            return None;
        }
        // SAFETY: as above, with an index Steam has.
        let member =
            unsafe { sys::SteamAPI_ISteamMatchmaking_GetLobbyMemberByIndex(mm, lobby, index) };
        SteamId::from_u64(member)
    }

    fn lobby_data(&mut self, lobby: u64, key: &str) -> String {
        let Some(key) = c_text(key) else {
            return String::new();
        };
        // The flat call, as for member data: the crate's answers "" for a
        // value that is not UTF-8 whole, where this replaces what is not.
        // SAFETY: the interface pointer is valid while Steam is
        // initialized; the answer is a string Steam keeps.
        unsafe {
            steam_text(sys::SteamAPI_ISteamMatchmaking_GetLobbyData(
                self.raw_matchmaking(),
                lobby,
                key.as_ptr(),
            ))
        }
    }

    fn set_lobby_data(&mut self, lobby: u64, key: &str, value: &str) -> bool {
        no_nul(&[key, value])
            && self
                .client
                .matchmaking()
                .set_lobby_data(lobby_id(lobby), key, value)
    }

    fn all_lobby_data(&mut self, lobby: u64) -> Vec<(String, String)> {
        // The crate's lobby_data_by_index has a 255-byte key buffer, one
        // short of a 255-byte key and its NUL: the flat call, then.
        let mm = self.raw_matchmaking();
        // SAFETY: the interface pointer is valid while Steam is initialized.
        let count = unsafe { sys::SteamAPI_ISteamMatchmaking_GetLobbyDataCount(mm, lobby) };
        let mut key = vec![0 as c_char; MAX_KEY_BYTES + 1];
        let mut value = vec![0 as c_char; MAX_VALUE_BYTES + 1];
        (0..count.max(0))
            .filter_map(|index| {
                key[0] = 0;
                value[0] = 0;
                // SAFETY: as above; each buffer holds the length passed.
                let found = unsafe {
                    sys::SteamAPI_ISteamMatchmaking_GetLobbyDataByIndex(
                        mm,
                        lobby,
                        index,
                        key.as_mut_ptr(),
                        key.len() as c_int,
                        value.as_mut_ptr(),
                        value.len() as c_int,
                    )
                };
                found.then(|| (buffer_text(&key), buffer_text(&value)))
            })
            .collect()
    }

    fn delete_lobby_data(&mut self, lobby: u64, key: &str) -> bool {
        no_nul(&[key])
            && self
                .client
                .matchmaking()
                .delete_lobby_data(lobby_id(lobby), key)
    }

    fn lobby_member_data(&mut self, lobby: u64, user: SteamId, key: &str) -> String {
        let Some(key) = c_text(key) else {
            return String::new();
        };
        // The flat call: the crate's answers "" for text not UTF-8 whole.
        // SAFETY: the interface pointer is valid while Steam is
        // initialized; the answer is a string Steam keeps.
        unsafe {
            steam_text(sys::SteamAPI_ISteamMatchmaking_GetLobbyMemberData(
                self.raw_matchmaking(),
                lobby,
                user.raw(),
                key.as_ptr(),
            ))
        }
    }

    fn set_lobby_member_data(&mut self, lobby: u64, key: &str, value: &str) {
        if no_nul(&[key, value]) {
            self.client
                .matchmaking()
                .set_lobby_member_data(lobby_id(lobby), key, value);
        }
    }

    fn send_lobby_chat(&mut self, lobby: u64, body: &[u8]) -> bool {
        self.client
            .matchmaking()
            .send_lobby_chat_message(lobby_id(lobby), body)
            .is_ok()
    }

    fn request_lobby_data(&mut self, lobby: u64) -> bool {
        // SAFETY: the interface pointer is valid while Steam is initialized.
        unsafe { sys::SteamAPI_ISteamMatchmaking_RequestLobbyData(self.raw_matchmaking(), lobby) }
    }

    fn set_lobby_game_server(&mut self, lobby: u64, ip: u32, port: u16, server: u64) {
        let server = (server != 0).then(|| steamworks::SteamId::from_raw(server));
        self.client.matchmaking().set_lobby_game_server(
            lobby_id(lobby),
            SocketAddrV4::new(Ipv4Addr::from(ip), port),
            server,
        );
    }

    fn lobby_game_server(&mut self, lobby: u64) -> Option<(u32, u16, u64)> {
        let (addr, server) = self
            .client
            .matchmaking()
            .get_lobby_game_server(lobby_id(lobby))?;
        Some((
            u32::from(*addr.ip()),
            addr.port(),
            server.map_or(0, |id| id.raw()),
        ))
    }

    fn set_lobby_member_limit(&mut self, lobby: u64, max_members: u32) -> bool {
        // SAFETY: the interface pointer is valid while Steam is initialized.
        unsafe {
            sys::SteamAPI_ISteamMatchmaking_SetLobbyMemberLimit(
                self.raw_matchmaking(),
                lobby,
                c_count(max_members),
            )
        }
    }

    fn lobby_member_limit(&mut self, lobby: u64) -> u32 {
        self.client
            .matchmaking()
            .lobby_member_limit(lobby_id(lobby))
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0)
    }

    fn set_lobby_type(&mut self, lobby: u64, lobby_type: LobbyType) -> bool {
        // SAFETY: the interface pointer is valid while Steam is initialized.
        unsafe {
            sys::SteamAPI_ISteamMatchmaking_SetLobbyType(
                self.raw_matchmaking(),
                lobby,
                sdk_lobby_type(lobby_type),
            )
        }
    }

    fn set_lobby_joinable(&mut self, lobby: u64, joinable: bool) -> bool {
        self.client
            .matchmaking()
            .set_lobby_joinable(lobby_id(lobby), joinable)
    }

    fn lobby_owner(&mut self, lobby: u64) -> Option<SteamId> {
        SteamId::from_u64(self.client.matchmaking().lobby_owner(lobby_id(lobby)).raw())
    }

    fn set_lobby_owner(&mut self, lobby: u64, new_owner: SteamId) -> bool {
        // SAFETY: the interface pointer is valid while Steam is initialized.
        unsafe {
            sys::SteamAPI_ISteamMatchmaking_SetLobbyOwner(
                self.raw_matchmaking(),
                lobby,
                new_owner.raw(),
            )
        }
    }

    fn request_lobby_list(&mut self, filters: Vec<ListFilter>) {
        // Steam keeps added filters until the next request, which takes them.
        for filter in &filters {
            self.add_list_filter(filter);
        }
        let sink = self.sink.clone();
        self.client.matchmaking().request_lobby_list(move |result| {
            let lobbies = match result {
                Ok(lobbies) => lobbies.iter().map(LobbyId::raw).collect(),
                Err(err) => {
                    // Answered anyway, so a game waiting for the list goes on.
                    log::warn!("Steam could not list lobbies: {err}");
                    Vec::new()
                }
            };
            callbacks::push(&sink, Event::LobbyMatchList(lobbies));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_give_their_eresult_number_back() {
        assert_eq!(eresult(SteamError::Generic), 2);
        assert_eq!(eresult(SteamError::NoConnection), 3);
        assert_eq!(eresult(SteamError::Timeout), 16);
        assert_eq!(eresult(SteamError::AccessDenied), 15);
        assert_eq!(eresult(SteamError::LimitExceeded), 25);
        assert_eq!(eresult(SteamError::IOFailure), 37);
        assert_eq!(eresult(SteamError::InitFailed), RESULT_FAIL, "no EResult");
        let lobby = LobbyId::from_raw(0x0186_0000_0000_0001);
        assert_eq!(
            created(Ok(lobby)),
            Event::LobbyCreated {
                result: RESULT_OK,
                lobby: 0x0186_0000_0000_0001,
            }
        );
        assert_eq!(
            created(Err(SteamError::LimitExceeded)),
            Event::LobbyCreated {
                result: 25,
                lobby: 0,
            }
        );
    }

    #[test]
    fn sdk_values_are_the_same_numbers() {
        for raw in -2..=3 {
            let ours = Comparison::from_gdscript(raw).unwrap();
            assert_eq!(sdk_comparison(ours) as i64, raw);
        }
        for raw in 0..=3 {
            let ours = Distance::from_gdscript(raw).unwrap();
            assert_eq!(sdk_distance(ours) as i64, raw);
        }
        for raw in 0..=4 {
            let ours = LobbyType::from_gdscript(raw).unwrap();
            assert_eq!(sdk_lobby_type(ours) as i64, raw);
        }
    }

    #[test]
    fn texts_and_buffers() {
        assert!(c_text("a\0b").is_none());
        assert!(no_nul(&["key", "value"]));
        assert!(!no_nul(&["key", "va\0lue"]));
        let buf: Vec<c_char> = b"key\0junk".iter().map(|b| *b as c_char).collect();
        assert_eq!(buffer_text(&buf), "key");
        let bad: Vec<c_char> = [0xffu8, b'a'].iter().map(|b| *b as c_char).collect();
        assert_eq!(buffer_text(&bad), "\u{fffd}a");
        assert_eq!(c_count(u32::MAX), c_int::MAX);
        // SAFETY: null is allowed.
        assert_eq!(unsafe { steam_text(std::ptr::null()) }, "");
    }
}
