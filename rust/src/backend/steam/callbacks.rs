//! Steam's callbacks as [`Event`]s: which ones are registered, and how the
//! lobby ones are decoded.
//!
//! Every handler is registered with the crate's `register_callback` and run
//! by `Client::run_callbacks`, not `process_callbacks`: that one also runs
//! the crate's own decoder of every callback it knows, and steamworks
//! 0.13.1's `LobbyChatUpdate` decoder hits `unreachable!()` on a member-state
//! value it does not list (and reads `making_change` from the user-changed
//! field), its `GameRichPresenceJoinRequested` one panics on a connect
//! string that is not UTF-8. The lobby callbacks are read here, from Valve's
//! structs, instead. The handlers and the call results (matchmaking.rs) all
//! push into one [`Sink`], so events keep the order Steam delivered them in.

use std::ffi::{c_int, c_void};
use std::sync::{Arc, Mutex};

use steamworks::{
    Callback, CallbackHandle, Client, GameLobbyJoinRequested, P2PSessionConnectFail,
    P2PSessionRequest, PersonaStateChange, sys,
};

use crate::p2p::lobby::MAX_CHAT_BYTES;
use crate::p2p::{Event, SteamId};

/// The events Steam's handlers produced during one `run_callbacks`, oldest
/// first. Shared because the crate wants `Send + 'static` handlers.
pub(super) type Sink = Arc<Mutex<Vec<Event>>>;

/// Queues one event.
pub(super) fn push(sink: &Sink, event: Event) {
    sink.lock().unwrap_or_else(|e| e.into_inner()).push(event);
}

/// Moves everything queued into `events`.
pub(super) fn drain(sink: &Sink, events: &mut Vec<Event>) {
    events.append(&mut sink.lock().unwrap_or_else(|e| e.into_inner()));
}

/// Registers every callback the plugin turns into a signal; the handles
/// unregister them when dropped, so the backend keeps them.
pub(super) fn register(client: &Client, sink: &Sink) -> Vec<CallbackHandle> {
    vec![
        forward::<P2PSessionRequest>(client, sink),
        forward::<P2PSessionConnectFail>(client, sink),
        forward::<PersonaStateChange>(client, sink),
        forward::<GameLobbyJoinRequested>(client, sink),
        forward::<LobbyEnter>(client, sink),
        forward::<LobbyChatUpdate>(client, sink),
        forward::<LobbyChatMsg>(client, sink),
        forward::<LobbyDataUpdate>(client, sink),
        forward::<LobbyInvite>(client, sink),
        forward::<LobbyKicked>(client, sink),
        forward::<LobbyGameCreated>(client, sink),
    ]
}

/// Queues the event each `C` callback decodes to.
fn forward<C: Decoded>(client: &Client, sink: &Sink) -> CallbackHandle {
    let sink = sink.clone();
    client.register_callback(move |decoded: C| {
        if let Some(event) = decoded.event() {
            push(&sink, event);
        }
    })
}

/// A callback type, crate's or ours, and the event it stands for (none
/// for what cannot be one).
trait Decoded: Callback + Send + 'static {
    fn event(self) -> Option<Event>;
}

// The crate's decoders of these four are sound (plain ids and numbers).
impl Decoded for P2PSessionRequest {
    fn event(self) -> Option<Event> {
        let id = SteamId::from_u64(self.remote.raw());
        if id.is_none() {
            log::warn!(
                "ignored a session request from invalid Steam ID {}",
                self.remote.raw()
            );
        }
        id.map(Event::SessionRequest)
    }
}

impl Decoded for P2PSessionConnectFail {
    fn event(self) -> Option<Event> {
        let id = SteamId::from_u64(self.remote.raw());
        if id.is_none() {
            log::warn!(
                "ignored a connect failure for invalid Steam ID {}",
                self.remote.raw()
            );
        }
        id.map(|id| Event::ConnectFail(id, self.error))
    }
}

impl Decoded for PersonaStateChange {
    fn event(self) -> Option<Event> {
        SteamId::from_u64(self.steam_id.raw())
            .map(|id| Event::PersonaStateChange(id, self.flags.bits() as u32))
    }
}

impl Decoded for GameLobbyJoinRequested {
    fn event(self) -> Option<Event> {
        SteamId::from_u64(self.friend_steam_id.raw())
            .map(|friend| Event::JoinRequested(self.lobby_steam_id.raw(), friend))
    }
}

/// Declares a callback type of ours for one of Valve's structs: `ID` is the
/// struct's callback id and `from_raw` hands the payload to `$decode`.
macro_rules! decoded {
    ($(#[$doc:meta])* $name:ident = $id:expr => $decode:path) => {
        $(#[$doc])*
        struct $name(Event);

        // SAFETY: `ID` is the id Steam posts that struct under, and
        // `from_raw` only passes the payload on to its decoder.
        unsafe impl Callback for $name {
            const ID: i32 = $id as i32;
            unsafe fn from_raw(raw: *mut c_void) -> Self {
                // SAFETY: for this id, Steam's payload is the decoder's struct.
                Self(unsafe { $decode(raw.cast_const()) })
            }
        }

        impl Decoded for $name {
            fn event(self) -> Option<Event> {
                Some(self.0)
            }
        }
    };
}

decoded!(
    /// `LobbyEnter_t`: the answer to a create or a join, with the
    /// `EChatRoomEnterResponse` number (the crate's own type keeps only an
    /// enum of the values it knows).
    LobbyEnter = sys::LobbyEnter_t_k_iCallback => lobby_enter
);
decoded!(
    /// `LobbyChatUpdate_t`, every bit of its member-state field kept.
    LobbyChatUpdate = sys::LobbyChatUpdate_t_k_iCallback => lobby_chat_update
);
decoded!(
    /// `LobbyChatMsg_t` with the text, read while the entry is valid.
    LobbyChatMsg = sys::LobbyChatMsg_t_k_iCallback => lobby_chat_msg
);
decoded!(
    /// `LobbyDataUpdate_t`.
    LobbyDataUpdate = sys::LobbyDataUpdate_t_k_iCallback => lobby_data_update
);
decoded!(
    /// `LobbyInvite_t` (the crate has no type for it).
    LobbyInvite = sys::LobbyInvite_t_k_iCallback => lobby_invite
);
decoded!(
    /// `LobbyKicked_t` (the crate has no type for it).
    LobbyKicked = sys::LobbyKicked_t_k_iCallback => lobby_kicked
);
decoded!(
    /// `LobbyGameCreated_t` (the crate has no type for it).
    LobbyGameCreated = sys::LobbyGameCreated_t_k_iCallback => lobby_game_created
);

/// Decodes a `LobbyEnter_t`.
///
/// # Safety
/// `raw` points at a `LobbyEnter_t`, aligned or not.
unsafe fn lobby_enter(raw: *const c_void) -> Event {
    let p = raw.cast::<sys::LobbyEnter_t>();
    // SAFETY: the caller's contract. The bool is read as its byte: any
    // value Steam leaves there is then a valid read.
    unsafe {
        Event::LobbyJoined {
            lobby: (&raw const (*p).m_ulSteamIDLobby).read_unaligned(),
            permissions: (&raw const (*p).m_rgfChatPermissions).read_unaligned(),
            locked: (&raw const (*p).m_bLocked).cast::<u8>().read() != 0,
            response: (&raw const (*p).m_EChatRoomEnterResponse).read_unaligned(),
        }
    }
}

/// Decodes a `LobbyChatUpdate_t`: bits Steam may add later are passed on,
/// as GodotSteam does, rather than refused.
///
/// # Safety
/// `raw` points at a `LobbyChatUpdate_t`, aligned or not.
unsafe fn lobby_chat_update(raw: *const c_void) -> Event {
    // SAFETY: the caller's contract; the struct holds only integers.
    let cb = unsafe { raw.cast::<sys::LobbyChatUpdate_t>().read_unaligned() };
    Event::LobbyChatUpdate {
        lobby: cb.m_ulSteamIDLobby,
        changed: cb.m_ulSteamIDUserChanged,
        making_change: cb.m_ulSteamIDMakingChange,
        state: cb.m_rgfChatMemberStateChange,
    }
}

/// Decodes a `LobbyChatMsg_t`, fetching its text from Steam (the chat id
/// is only valid during the callback).
///
/// # Safety
/// `raw` points at a `LobbyChatMsg_t`, aligned or not.
unsafe fn lobby_chat_msg(raw: *const c_void) -> Event {
    // SAFETY: the caller's contract; the struct holds only integers.
    let cb = unsafe { raw.cast::<sys::LobbyChatMsg_t>().read_unaligned() };
    let text = chat_entry(cb.m_ulSteamIDLobby, cb.m_iChatID);
    chat_message(&cb, &text)
}

/// A chat message event: the sender and type from the callback (as
/// GodotSteam emits them), the text up to its first NUL (GodotSteam sends
/// the terminator with the text, and reads it back as a C string).
fn chat_message(cb: &sys::LobbyChatMsg_t, text: &[u8]) -> Event {
    let end = text.iter().position(|b| *b == 0).unwrap_or(text.len());
    Event::LobbyMessage {
        lobby: cb.m_ulSteamIDLobby,
        user: cb.m_ulSteamIDUser,
        message: text[..end].to_vec(),
        chat_type: u32::from(cb.m_eChatEntryType),
    }
}

/// The bytes of chat entry `chat_id` (empty if Steam has none).
fn chat_entry(lobby: u64, chat_id: u32) -> Vec<u8> {
    // SAFETY: a plain accessor; it is null before init, checked below.
    let mm = unsafe { sys::SteamAPI_SteamMatchmaking_v009() };
    let Ok(chat_id) = c_int::try_from(chat_id) else {
        return Vec::new();
    };
    if mm.is_null() {
        return Vec::new();
    }
    let mut buf = vec![0u8; MAX_CHAT_BYTES];
    let mut user = sys::CSteamID {
        m_steamid: sys::CSteamID_SteamID_t { m_unAll64Bits: 0 },
    };
    // Steam writes an EChatEntryType (4 bytes) here; read as a number, a
    // value the bindings' enum lacks is no undefined behaviour.
    let mut entry_type: u32 = 0;
    // SAFETY: `mm` is the live interface; the buffer holds `buf.len()`
    // bytes and the out pointers point at values of the sizes Steam writes.
    let len = unsafe {
        sys::SteamAPI_ISteamMatchmaking_GetLobbyChatEntry(
            mm,
            lobby,
            chat_id,
            &mut user,
            buf.as_mut_ptr().cast(),
            buf.len() as c_int,
            (&raw mut entry_type).cast::<sys::EChatEntryType>(),
        )
    };
    buf.truncate(usize::try_from(len).unwrap_or(0).min(MAX_CHAT_BYTES));
    buf
}

/// Decodes a `LobbyDataUpdate_t`.
///
/// # Safety
/// `raw` points at a `LobbyDataUpdate_t`, aligned or not.
unsafe fn lobby_data_update(raw: *const c_void) -> Event {
    // SAFETY: the caller's contract; the struct holds only integers.
    let cb = unsafe { raw.cast::<sys::LobbyDataUpdate_t>().read_unaligned() };
    Event::LobbyDataUpdate {
        success: cb.m_bSuccess != 0,
        lobby: cb.m_ulSteamIDLobby,
        member: cb.m_ulSteamIDMember,
    }
}

/// Decodes a `LobbyInvite_t`.
///
/// # Safety
/// `raw` points at a `LobbyInvite_t`, aligned or not.
unsafe fn lobby_invite(raw: *const c_void) -> Event {
    // SAFETY: the caller's contract; the struct holds only integers.
    let cb = unsafe { raw.cast::<sys::LobbyInvite_t>().read_unaligned() };
    Event::LobbyInvite {
        inviter: cb.m_ulSteamIDUser,
        lobby: cb.m_ulSteamIDLobby,
        game: cb.m_ulGameID,
    }
}

/// Decodes a `LobbyKicked_t`.
///
/// # Safety
/// `raw` points at a `LobbyKicked_t`, aligned or not.
unsafe fn lobby_kicked(raw: *const c_void) -> Event {
    // SAFETY: the caller's contract; the struct holds only integers.
    let cb = unsafe { raw.cast::<sys::LobbyKicked_t>().read_unaligned() };
    Event::LobbyKicked {
        lobby: cb.m_ulSteamIDLobby,
        admin: cb.m_ulSteamIDAdmin,
        due_to_disconnect: cb.m_bKickedDueToDisconnect != 0,
    }
}

/// Decodes a `LobbyGameCreated_t`.
///
/// # Safety
/// `raw` points at a `LobbyGameCreated_t`, aligned or not.
unsafe fn lobby_game_created(raw: *const c_void) -> Event {
    // SAFETY: the caller's contract; the struct holds only integers.
    let cb = unsafe { raw.cast::<sys::LobbyGameCreated_t>().read_unaligned() };
    Event::LobbyGameCreated {
        lobby: cb.m_ulSteamIDLobby,
        server: cb.m_ulSteamIDGameServer,
        ip: cb.m_unIP,
        port: cb.m_usPort,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOBBY: u64 = 0x0186_0000_0000_0007;
    const A: u64 = 76561197960265729;
    const B: u64 = 76561197960265730;

    fn ptr<T>(value: &T) -> *const c_void {
        (value as *const T).cast()
    }

    #[test]
    fn chat_update_keeps_unknown_bits_and_the_making_change_field() {
        let raw = sys::LobbyChatUpdate_t {
            m_ulSteamIDLobby: LOBBY,
            m_ulSteamIDUserChanged: A,
            m_ulSteamIDMakingChange: B,
            // LEFT, plus a bit no CHAT_MEMBER_STATE_CHANGE_* names.
            m_rgfChatMemberStateChange: 2 | 0x40,
        };
        // SAFETY: a LobbyChatUpdate_t.
        let event = unsafe { lobby_chat_update(ptr(&raw)) };
        assert_eq!(
            event,
            Event::LobbyChatUpdate {
                lobby: LOBBY,
                changed: A,
                making_change: B,
                state: 0x42,
            }
        );
        // Through the Callback impl the crate calls, too: no panic.
        let mut raw = raw;
        raw.m_rgfChatMemberStateChange = 0;
        // SAFETY: a LobbyChatUpdate_t, for its own id.
        let decoded = unsafe { LobbyChatUpdate::from_raw((&raw mut raw).cast()) };
        assert!(matches!(
            decoded.event(),
            Some(Event::LobbyChatUpdate { state: 0, .. })
        ));
        assert_eq!(LobbyChatUpdate::ID, 506);
    }

    #[test]
    fn enter_keeps_the_response_number() {
        for response in [1, 4, 15, 99] {
            let raw = sys::LobbyEnter_t {
                m_ulSteamIDLobby: LOBBY,
                m_rgfChatPermissions: 0,
                m_bLocked: true,
                m_EChatRoomEnterResponse: response,
            };
            // SAFETY: a LobbyEnter_t.
            let event = unsafe { lobby_enter(ptr(&raw)) };
            assert_eq!(
                event,
                Event::LobbyJoined {
                    lobby: LOBBY,
                    permissions: 0,
                    locked: true,
                    response,
                }
            );
        }
        assert_eq!(LobbyEnter::ID, 504);
    }

    #[test]
    fn chat_text_ends_at_its_first_nul() {
        let raw = sys::LobbyChatMsg_t {
            m_ulSteamIDLobby: LOBBY,
            m_ulSteamIDUser: A,
            m_eChatEntryType: 1,
            m_iChatID: 3,
        };
        let expect = |message: &[u8]| Event::LobbyMessage {
            lobby: LOBBY,
            user: A,
            message: message.to_vec(),
            chat_type: 1,
        };
        assert_eq!(chat_message(&raw, b"hello\0"), expect(b"hello"));
        assert_eq!(chat_message(&raw, b"hello"), expect(b"hello"));
        assert_eq!(chat_message(&raw, b"a\0b"), expect(b"a"));
        assert_eq!(chat_message(&raw, b""), expect(b""));
        // Bytes that are not UTF-8 stay bytes here (the surface decides).
        assert_eq!(chat_message(&raw, &[0xff, 0x41]), expect(&[0xff, 0x41]));
    }

    #[test]
    fn data_update_invite_kicked_and_game_created() {
        let data = sys::LobbyDataUpdate_t {
            m_ulSteamIDLobby: LOBBY,
            m_ulSteamIDMember: A,
            m_bSuccess: 0,
        };
        // SAFETY: a LobbyDataUpdate_t.
        let event = unsafe { lobby_data_update(ptr(&data)) };
        assert_eq!(
            event,
            Event::LobbyDataUpdate {
                success: false,
                lobby: LOBBY,
                member: A,
            }
        );
        let invite = sys::LobbyInvite_t {
            m_ulSteamIDUser: B,
            m_ulSteamIDLobby: LOBBY,
            m_ulGameID: 480,
        };
        // SAFETY: a LobbyInvite_t.
        let event = unsafe { lobby_invite(ptr(&invite)) };
        assert_eq!(
            event,
            Event::LobbyInvite {
                inviter: B,
                lobby: LOBBY,
                game: 480,
            }
        );
        let kicked = sys::LobbyKicked_t {
            m_ulSteamIDLobby: LOBBY,
            m_ulSteamIDAdmin: LOBBY,
            m_bKickedDueToDisconnect: 1,
        };
        // SAFETY: a LobbyKicked_t.
        let event = unsafe { lobby_kicked(ptr(&kicked)) };
        assert_eq!(
            event,
            Event::LobbyKicked {
                lobby: LOBBY,
                admin: LOBBY,
                due_to_disconnect: true,
            }
        );
        let game = sys::LobbyGameCreated_t {
            m_ulSteamIDLobby: LOBBY,
            m_ulSteamIDGameServer: 0,
            m_unIP: 0x7F00_0001,
            m_usPort: 27015,
        };
        // SAFETY: a LobbyGameCreated_t.
        let event = unsafe { lobby_game_created(ptr(&game)) };
        assert_eq!(
            event,
            Event::LobbyGameCreated {
                lobby: LOBBY,
                server: 0,
                ip: 0x7F00_0001,
                port: 27015,
            }
        );
    }

    #[test]
    fn the_sink_keeps_order() {
        let sink: Sink = Arc::default();
        push(&sink, Event::LobbyMatchList(vec![1]));
        push(&sink, Event::LobbyMatchList(vec![2]));
        let mut events = vec![Event::LobbyMatchList(vec![0])];
        drain(&sink, &mut events);
        assert_eq!(
            events,
            [0, 1, 2].map(|n| Event::LobbyMatchList(vec![n])).to_vec()
        );
        drain(&sink, &mut events);
        assert_eq!(events.len(), 3, "drained");
    }
}
