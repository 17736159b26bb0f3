//! A test double of Valve's `libsteam_api.so`: exports, under Valve's names
//! and C ABI, every `SteamAPI_*` symbol the extension imports, and behaves
//! like Steam's deprecated `ISteamNetworking` P2P interface and
//! `ISteamMatchmaking`'s lobbies between processes that share one
//! directory. The profile parts of `ISteamUser`,
//! `ISteamFriends`, `ISteamApps` and `ISteamUtils` answer from the
//! configuration below. Test fixture only: never shipped.
//!
//! Configuration (environment, read at `SteamAPI_InitFlat`; an unset or
//! unparsable value takes its default):
//! - `STEAM_DOUBLE_DIR`: the shared directory (required).
//! - `STEAM_DOUBLE_STEAM_ID`: the local SteamID64 (required).
//! - `STEAM_DOUBLE_INIT_RESULT` (0..=3) and `STEAM_DOUBLE_INIT_MESSAGE`:
//!   make init fail with that `ESteamAPIInitResult` and message.
//! - `STEAM_DOUBLE_PERSONA_NAME`: the local user's persona name (default
//!   "Double " and the last 4 digits of the SteamID64, e.g. "Double 5729").
//! - `STEAM_DOUBLE_STEAM_LEVEL`: `GetPlayerSteamLevel` (default 12).
//! - `SteamAppId`: the running app (the extension sets it when given a
//!   non-zero app id; default, and for 0, 480): `GetAppID`, and the one app
//!   `BIsSubscribedApp` and `GetAppInstallDir` know.
//! - `STEAM_DOUBLE_DLC`: comma-separated DLC app ids `BIsDlcInstalled`
//!   reports installed (default none).
//! - `STEAM_DOUBLE_BUILD_ID`: `GetAppBuildId` (default 4242).
//! - `STEAM_DOUBLE_LANGUAGE`: `GetCurrentGameLanguage` and
//!   `GetSteamUILanguage` (default "english"). `GetAvailableGameLanguages`
//!   is always "english,german".
//! - `STEAM_DOUBLE_LAUNCH_COMMAND_LINE`: `GetLaunchCommandLine` (default "").
//! - `STEAM_DOUBLE_IP_COUNTRY`: `GetIPCountry` (default "DE").
//! - `STEAM_DOUBLE_STEAM_DECK`: `1` makes `IsSteamRunningOnSteamDeck` true
//!   (default false).
//! - `STEAM_DOUBLE_SCAN_US`: `IsP2PPacketAvailable` and `ReadP2PPacket`
//!   look at the inbox at most once per that many microseconds (default:
//!   at every call; `ManualDispatch_RunFrame` always does). Steam answers
//!   them from memory (its own thread takes packets off the network); the
//!   bench uses this to time them without file I/O.
//! - `STEAM_DOUBLE_TIMING`: `1` times `IsP2PPacketAvailable` and writes
//!   the totals to `<id>.timing` at each `ManualDispatch_RunFrame`
//!   (timing.rs; for `scripts/bench`).
//! - `STEAM_DOUBLE_REFUSE_CONFIG`: a `ESteamNetworkingConfigValue` that
//!   `SetGlobalConfigValueInt32`/`Float` refuse (read at each call; they
//!   otherwise take Valve's simulation settings with the SDK's value kind).
//!
//! Files in the shared directory:
//! - `<id>/<sender>-<seq>.pkt`: a message in `<id>`'s inbox (written to a
//!   temporary name, then renamed, so readers never see half of one). It
//!   holds the sender's SteamID64 (u64 LE), a channel (i32 LE) and the
//!   payload. Channel -1 with an empty payload is a close notice: the sender
//!   closed its session with `<id>` (SendP2PPacket refuses empty payloads, so
//!   no packet looks like one). Each sender numbers its messages to each
//!   peer with a counter of that peer's (a receiver takes them in that
//!   order and waits for a gap to fill), so a notice stays in order with
//!   earlier packets.
//! - `<id>/<sender>-<seq>.note`: a lobby note (lobby_files.rs) in `<id>`'s
//!   inbox, numbered with the sender's packets to `<id>`: one
//!   `LobbyChatUpdate_t`, `LobbyDataUpdate_t`, `LobbyChatMsg_t`,
//!   `LobbyInvite_t` or `LobbyGameCreated_t` for `<id>`. Notes about a
//!   lobby `<id>` has left by the time it reads them are dropped.
//! - `lobbies/<lobby>.lobby`: one lobby (members in join order, owner, type,
//!   joinable, limit, data, member data, game server), rewritten (to a
//!   temporary name, then renamed) by whichever process changes it, under
//!   `lobbies/lock` (an exclusive `flock`); removed when its last member
//!   leaves. `lobbies/next` holds the next lobby account number.
//! - `<id>.up`: `<id>` has initialized the double and not shut down yet
//!   (written by a successful `SteamAPI_InitFlat`, removed by
//!   `SteamAPI_Shutdown`). The inbox is no such sign: senders create it.
//! - `<id>.gone`: written by tests: `<id>` is gone (not up, whatever `.up`
//!   says); every peer's session with it fails, and the file holds the
//!   `EP2PSessionError` their `P2PSessionConnectFail_t` reports.
//! - `<id>.join_request`: written by tests: a friend asks to join `<id>`'s
//!   lobby (from Steam's friends list). It holds two decimal u64 separated
//!   by whitespace (a trailing line end is fine): the lobby id, then the
//!   friend's SteamID64, e.g. `109775241058543776 76561197960265730`. The
//!   next `SteamAPI_ManualDispatch_RunFrame` of `<id>` reads and deletes it
//!   and queues one `GameLobbyJoinRequested_t` with the two ids; a file not
//!   holding exactly two such numbers is deleted and ignored. Write it under
//!   another name and rename it, so the double never reads half of one.
//! - `<id>.calls`: one line per networking or overlay call `<id>` made, for
//!   tests to assert (`ActivateGameOverlay <dialog>`,
//!   `ActivateGameOverlayToUser <dialog> <id>`,
//!   `ActivateGameOverlayInviteDialog <lobby>`, the networking ones, and
//!   `SetGlobalConfigValueInt32 <config> <value>` and its `Float` twin).
//! - `<id>.seq`: `<id>`'s message numbers, kept across a shutdown and init:
//!   lines `to <peer> <n>` (the next number it sends `<peer>`) and
//!   `from <peer> <n>` (the next one it expects from `<peer>`).
//! - `<id>.name`: `<id>`'s persona name (UTF-8; one trailing line end is
//!   ignored), written by `<id>`'s `SteamAPI_InitFlat` (or by tests) and
//!   kept at shutdown, as Steam remembers names. `GetFriendPersonaName`
//!   reads it for other users ("" without the file). The first
//!   `RequestUserInformation` for an id whose file exists returns true and
//!   queues a `PersonaStateChange_t` (flags `k_EPersonaChangeName`), later
//!   ones return false; without the file it returns true and nothing comes
//!   (Steam waiting for its servers); for our own id it returns false.
//! - `apps/<app>`: what `GetAppInstallDir` reports for the running app
//!   (never created). It returns the bytes written with the NUL (0, and
//!   "", for any other app); `GetLaunchCommandLine` returns the bytes
//!   written without the NUL.
//!
//! Avatars: `Get{Small,Medium,Large}FriendAvatar(id)` hand out a positive
//! image handle (the same for the same size and id; 0 for id 0) whose
//! image `GetImageSize` reports as 32, 64 or 184 pixels square, and whose
//! pixels `GetImageRGBA` fills (if the buffer holds width × height × 4
//! bytes) all alike: `(id as u8, (id >> 8) as u8, (id >> 16) as u8, 255)`.
//!
//! Before init and after shutdown the interface accessors return null and
//! every other export returns false, 0 or "" (writing "" into an out buffer
//! it is given). No export reads through the interface pointer it is given.
//!
//! Sessions follow Steam's documentation: a peer has a session with us when
//! we accepted it (`AcceptP2PSessionWithUser`, or by sending to it) or when
//! it sent us packets we have not accepted (a pending request, whose packets
//! are held until accepted). A pending session posts `P2PSessionRequest_t`
//! when it starts, and again at most once a second (`REQUEST_REPEAT`) while the
//! peer keeps sending. Closing a session (or its last channel) drops every
//! packet from the peer still waiting, and tells the peer with a close
//! notice; the peer then drops its session with us quietly (its held packets
//! go, its readable ones stay), so our next packet is a new request there.
//!
//! Lobbies (lobby.rs has the rules) are shared by every process of the
//! directory. `CreateLobby(type, 1..=250)` answers with the call result
//! `LobbyCreated_t` (`k_EResultOK` and a lobby SteamID: universe 1, type
//! Chat, Steam's lobby instance flags; `k_EResultFail` and 0 for a bad
//! argument), then `LobbyEnter_t` for the creator, its owner. `JoinLobby`
//! answers `LobbyEnter_t` (call result and callback) with
//! `k_EChatRoomEnterResponseSuccess`, `DoesntExist`, `NotAllowed` (not
//! joinable) or `Full`; the other members get `LobbyChatUpdate_t` ENTERED.
//! Leaving (and `SteamAPI_Shutdown`, which leaves every lobby) tells the
//! others LEFT; an owner's place passes to the earliest-joined member left,
//! and the members get `LobbyDataUpdate_t(lobby, lobby)`; the last one out
//! ends the lobby. Only the owner sets lobby data, joinable, type, member
//! limit, owner (members get `LobbyDataUpdate_t(lobby, lobby)`) and game
//! server (members get `LobbyGameCreated_t`); data changes reach every
//! member, the setter too, as `LobbyDataUpdate_t` (`member` = the lobby, or
//! the member whose own data changed). Chat (1..=4096 bytes) reaches every
//! member, the sender too, as `LobbyChatMsg_t`, read with
//! `GetLobbyChatEntry` (`k_EChatEntryTypeChatMsg`). An invite reaches the
//! invitee's process as `LobbyInvite_t` (game id = app id).
//! `RequestLobbyList` answers the call result `LobbyMatchList_t` with the
//! joinable public and invisible lobbies of our app id that pass every
//! filter added since the last request (distance filters pass all),
//! closest to near values first, then fullest, at most the result count
//! (default 50). Members read a lobby as it is now; others read it as
//! their last list or `RequestLobbyData` (`LobbyDataUpdate_t`, success
//! false for no such lobby) saw it; member lists, owners and member data
//! are for members only.

#![allow(non_snake_case)]

mod apps;
mod callbacks;
mod calls;
mod files;
mod friends;
mod lifecycle;
mod lobbies;
mod lobby;
mod lobby_files;
mod matchmaking;
mod networking;
mod settings;
mod table;
mod timing;
mod user;
mod utils;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use steamworks_sys as sys;

use calls::Calls;
use friends::Friends;
use lobbies::Lobbies;
use settings::Settings;
use table::{Callback, Table};

/// The double's state in this process, from a successful
/// `SteamAPI_InitFlat` to `SteamAPI_Shutdown`.
struct Double {
    me: u64,
    dir: PathBuf,
    /// Per receiver, the sequence number of our next message to it.
    next_seq: HashMap<u64, u64>,
    /// Per sender, the sequence number of the next message to take: a
    /// directory listing can show a later file before an earlier one.
    expected_seq: HashMap<u64, u64>,
    table: Table,
    /// The callback handed out by GetNextCallback, alive until FreeLastCallback.
    current: Option<Callback>,
    /// The profile configuration, with the strings the exports point at.
    settings: Settings,
    /// Persona requests delivered, avatar handles, the last friend name.
    friends: Friends,
    /// API calls answered and not fetched yet.
    calls: Calls,
    /// What this process keeps about lobbies between calls.
    lobbies: Lobbies,
    /// When the packet calls last looked at the inbox.
    last_scan: Option<std::time::Instant>,
}

impl Double {
    fn new(
        me: u64,
        dir: PathBuf,
        next_seq: HashMap<u64, u64>,
        expected_seq: HashMap<u64, u64>,
        settings: Settings,
    ) -> Self {
        Self {
            me,
            dir,
            next_seq,
            expected_seq,
            table: Table::default(),
            current: None,
            settings,
            friends: Friends::default(),
            calls: Calls::default(),
            lobbies: Lobbies::default(),
            last_scan: None,
        }
    }
}

static STATE: Mutex<Option<Double>> = Mutex::new(None);

fn with<R>(fallback: R, f: impl FnOnce(&mut Double) -> R) -> R {
    let mut guard = STATE.lock().unwrap_or_else(|e| e.into_inner());
    guard.as_mut().map_or(fallback, f)
}

fn steam_id(raw: u64) -> sys::CSteamID {
    sys::CSteamID {
        m_steamid: sys::CSteamID_SteamID_t { m_unAll64Bits: raw },
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::{CStr, c_char, c_int, c_void};
    use std::fs;

    use super::*;
    use crate::apps::*;
    use crate::callbacks::*;
    use crate::files::{Message, decode, encode_close, encode_packet};
    use crate::friends::*;
    use crate::lifecycle::*;
    use crate::matchmaking::*;
    use crate::networking::*;
    use crate::user::*;
    use crate::utils::*;

    pub(crate) const A: u64 = 76561197960265729;
    pub(crate) const B: u64 = 76561197960265730;

    /// Drives the exported functions, playing peer B by hand through the
    /// shared directory. The only test that touches the global state and
    /// the environment.
    #[test]
    fn ffi_round_trip_through_the_directory() {
        let dir = std::env::temp_dir().join(format!("steam_double_test_{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        // SAFETY: no other test reads or writes the environment.
        unsafe {
            std::env::set_var("STEAM_DOUBLE_DIR", &dir);
            std::env::set_var("STEAM_DOUBLE_STEAM_ID", A.to_string());
            std::env::remove_var("STEAM_DOUBLE_INIT_RESULT");
            std::env::set_var("SteamAppId", "1234");
            std::env::set_var("STEAM_DOUBLE_DLC", "7,8");
            std::env::set_var("STEAM_DOUBLE_LAUNCH_COMMAND_LINE", "+connect 1");
            for name in [
                "STEAM_DOUBLE_PERSONA_NAME",
                "STEAM_DOUBLE_STEAM_LEVEL",
                "STEAM_DOUBLE_BUILD_ID",
                "STEAM_DOUBLE_LANGUAGE",
                "STEAM_DOUBLE_IP_COUNTRY",
                "STEAM_DOUBLE_STEAM_DECK",
            ] {
                std::env::remove_var(name);
            }
        }
        let net = std::ptr::null_mut();
        let next_callback = || {
            // SAFETY: a zeroed CallbackMsg_t is a valid out buffer.
            let mut msg: sys::CallbackMsg_t = unsafe { std::mem::zeroed() };
            let got = unsafe { SteamAPI_ManualDispatch_GetNextCallback(1, &mut msg) };
            SteamAPI_ManualDispatch_FreeLastCallback(1);
            got.then_some(msg.m_iCallback)
        };
        let state = |id: u64| {
            // SAFETY: a zeroed P2PSessionState_t is a valid out buffer.
            let mut s: sys::P2PSessionState_t = unsafe { std::mem::zeroed() };
            let ok = unsafe { SteamAPI_ISteamNetworking_GetP2PSessionState(net, id, &mut s) };
            ok.then_some((s.m_bConnectionActive, s.m_bConnecting))
        };
        let pkt = |to: u64, from: u64, seq: u64| {
            Double::inbox(&dir, to).join(format!("{from}-{seq:020}.pkt"))
        };

        assert_eq!(unsafe { SteamAPI_InitFlat(std::ptr::null_mut()) }, 0);
        assert!(dir.join(format!("{A}.up")).exists(), "init marks us up");
        profile_while_up(&dir);
        let created_lobby = lobby_through_exports();
        assert!(
            dir.join("lobbies")
                .join(format!("{created_lobby}.lobby"))
                .exists(),
            "stored while we were in it"
        );

        // B sends before we accept: a pending request.
        fs::write(pkt(A, B, 0), encode_packet(B, 0, b"x")).unwrap();
        SteamAPI_ManualDispatch_RunFrame(1);
        assert_eq!(state(B), Some((0, 1)));
        assert_eq!(
            next_callback(),
            Some(sys::P2PSessionRequest_t_k_iCallback as c_int)
        );
        assert_eq!(next_callback(), None);

        // Closing it tells B, in B's inbox, under our first number.
        assert!(SteamAPI_ISteamNetworking_CloseP2PSessionWithUser(net, B));
        let notice = fs::read(pkt(B, A, 0)).expect("a close notice");
        assert!(matches!(decode(&notice), Some(Message::Close { from: A })));
        assert!(!SteamAPI_ISteamNetworking_CloseP2PSessionWithUser(net, B));
        assert!(!pkt(B, A, 1).exists(), "no notice without a session");
        assert_eq!(state(B), None);

        // Sending accepts; B counts as connected only while it is up.
        let data = *b"hello";
        assert!(unsafe {
            SteamAPI_ISteamNetworking_SendP2PPacket(net, B, data.as_ptr().cast(), 5, 2, 0)
        });
        assert!(pkt(B, A, 1).exists());
        assert_eq!(state(B), Some((0, 1)), "B's inbox exists, but B is not up");
        fs::write(dir.join(format!("{B}.up")), "").unwrap();
        assert_eq!(state(B), Some((1, 0)));

        // B closes its session with us: ours goes quietly.
        fs::write(pkt(A, B, 1), encode_close(B)).unwrap();
        SteamAPI_ManualDispatch_RunFrame(1);
        assert_eq!(state(B), None);
        assert_eq!(next_callback(), None);

        // B marked gone: an accepted session fails.
        assert!(SteamAPI_ISteamNetworking_AcceptP2PSessionWithUser(net, B));
        fs::write(dir.join(format!("{B}.gone")), "4").unwrap();
        assert_eq!(state(B), Some((0, 1)), "gone is not up");
        SteamAPI_ManualDispatch_RunFrame(1);
        assert_eq!(
            next_callback(),
            Some(sys::P2PSessionConnectFail_t_k_iCallback as c_int)
        );
        assert_eq!(state(B), None);

        // A friend asks to join our lobby: one GameLobbyJoinRequested_t.
        let join = dir.join(format!("{A}.join_request"));
        let lobby: u64 = 109775241058543776;
        fs::write(&join, format!("{lobby} {B}\n")).unwrap();
        SteamAPI_ManualDispatch_RunFrame(1);
        assert!(!join.exists(), "taken");
        // SAFETY: a zeroed CallbackMsg_t is a valid out buffer.
        let mut msg: sys::CallbackMsg_t = unsafe { std::mem::zeroed() };
        assert!(unsafe { SteamAPI_ManualDispatch_GetNextCallback(1, &mut msg) });
        assert_eq!(
            msg.m_iCallback,
            sys::GameLobbyJoinRequested_t_k_iCallback as c_int
        );
        assert_eq!(
            msg.m_cubParam as usize,
            size_of::<sys::GameLobbyJoinRequested_t>()
        );
        // SAFETY: the payload of a GameLobbyJoinRequested_t callback; the
        // double only writes the 64-bit views.
        let (got_lobby, got_friend) = unsafe {
            let request = msg
                .m_pubParam
                .cast::<sys::GameLobbyJoinRequested_t>()
                .read_unaligned();
            (
                request.m_steamIDLobby.m_steamid.m_unAll64Bits,
                request.m_steamIDFriend.m_steamid.m_unAll64Bits,
            )
        };
        assert_eq!((got_lobby, got_friend), (lobby, B));
        SteamAPI_ManualDispatch_FreeLastCallback(1);
        assert_eq!(next_callback(), None, "one per file");
        // A malformed file is deleted and ignored.
        fs::write(&join, format!("{lobby}\n")).unwrap();
        SteamAPI_ManualDispatch_RunFrame(1);
        assert!(!join.exists(), "malformed, but taken");
        assert_eq!(next_callback(), None);

        SteamAPI_Shutdown();
        assert!(
            !dir.join(format!("{A}.up")).exists(),
            "shutdown clears the marker"
        );
        let seq = fs::read_to_string(dir.join(format!("{A}.seq"))).unwrap();
        assert!(seq.contains(&format!("to {B} 2\n")), "{seq}");
        assert!(seq.contains(&format!("from {B} 2\n")), "{seq}");
        let calls = fs::read_to_string(dir.join(format!("{A}.calls"))).unwrap();
        assert!(
            calls.contains(&format!("SendP2PPacket {B} 5 2 0\n")),
            "{calls}"
        );
        assert!(
            calls.contains(&format!("ActivateGameOverlayToUser steamid {B}\n")),
            "{calls}"
        );
        profile_after_shutdown(&dir);
        assert!(
            !dir.join("lobbies")
                .join(format!("{created_lobby}.lobby"))
                .exists(),
            "shutdown left the lobby, its last member gone"
        );
        assert_eq!(
            SteamAPI_ISteamMatchmaking_CreateLobby(std::ptr::null_mut(), 2, 4),
            0
        );
        let _ = fs::remove_dir_all(&dir);
    }

    fn text(ptr: *const c_char) -> String {
        assert!(!ptr.is_null());
        // SAFETY: the double returns NUL-terminated strings.
        unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_owned()
    }

    /// The profile interfaces while initialized (with the environment the
    /// round-trip test set).
    fn profile_while_up(dir: &std::path::Path) {
        let any = std::ptr::null_mut();
        assert!(!SteamAPI_SteamFriends_v018().is_null());
        assert!(!SteamAPI_SteamApps_v009().is_null());
        assert!(!SteamAPI_SteamUtils_v010().is_null());

        // Names: ours written at init, others' read from their files.
        let me = "Double 5729";
        assert_eq!(
            fs::read_to_string(dir.join(format!("{A}.name"))).unwrap(),
            me
        );
        assert_eq!(text(SteamAPI_ISteamFriends_GetPersonaName(any)), me);
        assert_eq!(
            text(SteamAPI_ISteamFriends_GetFriendPersonaName(any, A)),
            me
        );
        assert_eq!(
            text(SteamAPI_ISteamFriends_GetFriendPersonaName(any, B)),
            ""
        );
        assert!(SteamAPI_ISteamFriends_RequestUserInformation(any, B, true));
        assert_eq!(
            next_callback_id(),
            None,
            "B's name is unknown: nothing comes"
        );
        fs::write(dir.join(format!("{B}.name")), "Bea\n").unwrap();
        assert_eq!(
            text(SteamAPI_ISteamFriends_GetFriendPersonaName(any, B)),
            "Bea"
        );
        assert!(SteamAPI_ISteamFriends_RequestUserInformation(any, B, true));
        // SAFETY: a zeroed CallbackMsg_t is a valid out buffer.
        let mut msg: sys::CallbackMsg_t = unsafe { std::mem::zeroed() };
        assert!(unsafe { SteamAPI_ManualDispatch_GetNextCallback(1, &mut msg) });
        assert_eq!(
            msg.m_iCallback,
            sys::PersonaStateChange_t_k_iCallback as c_int
        );
        assert_eq!(
            msg.m_cubParam as usize,
            size_of::<sys::PersonaStateChange_t>()
        );
        // SAFETY: the payload of a PersonaStateChange_t callback.
        let change = unsafe {
            msg.m_pubParam
                .cast::<sys::PersonaStateChange_t>()
                .read_unaligned()
        };
        assert_eq!({ change.m_ulSteamID }, B);
        assert_eq!({ change.m_nChangeFlags }, 1);
        SteamAPI_ManualDispatch_FreeLastCallback(1);
        assert!(
            !SteamAPI_ISteamFriends_RequestUserInformation(any, B, true),
            "delivered"
        );
        assert!(
            !SteamAPI_ISteamFriends_RequestUserInformation(any, A, true),
            "own id"
        );

        // Avatars.
        let large = SteamAPI_ISteamFriends_GetLargeFriendAvatar(any, B);
        assert!(large > 0);
        assert_ne!(SteamAPI_ISteamFriends_GetSmallFriendAvatar(any, B), large);
        assert_ne!(SteamAPI_ISteamFriends_GetMediumFriendAvatar(any, B), large);
        let (mut w, mut h) = (0, 0);
        assert!(unsafe { SteamAPI_ISteamUtils_GetImageSize(any, large, &mut w, &mut h) });
        assert_eq!((w, h), (184, 184));
        let mut rgba = vec![0u8; 184 * 184 * 4];
        assert!(!unsafe { SteamAPI_ISteamUtils_GetImageRGBA(any, large, rgba.as_mut_ptr(), 100) });
        assert!(unsafe {
            SteamAPI_ISteamUtils_GetImageRGBA(any, large, rgba.as_mut_ptr(), rgba.len() as c_int)
        });
        assert!(
            rgba.chunks(4)
                .all(|p| p == [B as u8, (B >> 8) as u8, (B >> 16) as u8, 255])
        );
        assert!(!unsafe { SteamAPI_ISteamUtils_GetImageSize(any, 0, &mut w, &mut h) });

        // Overlay calls are logged.
        unsafe { SteamAPI_ISteamFriends_ActivateGameOverlayToUser(any, c"steamid".as_ptr(), B) };

        // User, apps, utils.
        assert!(SteamAPI_ISteamUser_BLoggedOn(any));
        assert_eq!(SteamAPI_ISteamUser_GetPlayerSteamLevel(any), 12);
        assert_eq!(SteamAPI_ISteamUser_GetSteamID(any), A);
        assert!(SteamAPI_ISteamApps_BIsSubscribed(any));
        assert!(SteamAPI_ISteamApps_BIsSubscribedApp(any, 1234));
        assert!(!SteamAPI_ISteamApps_BIsSubscribedApp(any, 480));
        assert!(SteamAPI_ISteamApps_BIsDlcInstalled(any, 8));
        assert!(!SteamAPI_ISteamApps_BIsDlcInstalled(any, 9));
        assert_eq!(SteamAPI_ISteamApps_GetAppOwner(any), A);
        assert_eq!(SteamAPI_ISteamApps_GetAppBuildId(any), 4242);
        let mut buf = [0x55 as c_char; 512];
        let n = unsafe { SteamAPI_ISteamApps_GetAppInstallDir(any, 1234, buf.as_mut_ptr(), 512) };
        let want = dir.join("apps").join("1234").to_str().unwrap().to_owned();
        assert_eq!(text(buf.as_ptr()), want);
        assert_eq!(n as usize, want.len() + 1);
        let n = unsafe { SteamAPI_ISteamApps_GetAppInstallDir(any, 480, buf.as_mut_ptr(), 512) };
        assert_eq!((n, text(buf.as_ptr())), (0, String::new()));
        let n = unsafe { SteamAPI_ISteamApps_GetLaunchCommandLine(any, buf.as_mut_ptr(), 512) };
        assert_eq!((n, text(buf.as_ptr())), (10, "+connect 1".to_owned()));
        let n = unsafe { SteamAPI_ISteamApps_GetLaunchCommandLine(any, buf.as_mut_ptr(), 4) };
        assert_eq!((n, text(buf.as_ptr())), (3, "+co".to_owned()));
        assert_eq!(
            text(SteamAPI_ISteamApps_GetCurrentGameLanguage(any)),
            "english"
        );
        assert_eq!(
            text(SteamAPI_ISteamApps_GetAvailableGameLanguages(any)),
            "english,german"
        );
        assert_eq!(SteamAPI_ISteamUtils_GetAppID(any), 1234);
        assert_eq!(text(SteamAPI_ISteamUtils_GetIPCountry(any)), "DE");
        assert_eq!(
            text(SteamAPI_ISteamUtils_GetSteamUILanguage(any)),
            "english"
        );
        assert!(!SteamAPI_ISteamUtils_IsOverlayEnabled(any));
        assert!(!SteamAPI_ISteamUtils_IsSteamInBigPictureMode(any));
        assert!(!SteamAPI_ISteamUtils_IsSteamRunningInVR(any));
        assert!(!SteamAPI_ISteamUtils_IsSteamRunningOnSteamDeck(any));
    }

    /// After shutdown: null accessors, and false/0/"" everywhere, even
    /// through a dangling interface pointer.
    fn profile_after_shutdown(dir: &std::path::Path) {
        let dangling = std::ptr::dangling_mut::<c_void>();
        assert!(SteamAPI_SteamFriends_v018().is_null());
        assert!(SteamAPI_SteamApps_v009().is_null());
        assert!(SteamAPI_SteamUtils_v010().is_null());
        assert!(SteamAPI_SteamUser_v023().is_null());
        assert!(SteamAPI_SteamMatchmaking_v009().is_null());
        assert!(
            dir.join(format!("{A}.name")).exists(),
            "names are remembered"
        );
        assert_eq!(text(SteamAPI_ISteamFriends_GetPersonaName(dangling)), "");
        assert_eq!(
            text(SteamAPI_ISteamFriends_GetFriendPersonaName(dangling, B)),
            ""
        );
        assert!(!SteamAPI_ISteamFriends_RequestUserInformation(
            dangling, B, false
        ));
        assert_eq!(SteamAPI_ISteamFriends_GetSmallFriendAvatar(dangling, B), 0);
        assert!(!unsafe {
            SteamAPI_ISteamUtils_GetImageSize(
                dangling,
                1,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        });
        assert!(!unsafe {
            SteamAPI_ISteamUtils_GetImageRGBA(dangling, 1, std::ptr::null_mut(), 0)
        });
        unsafe { SteamAPI_ISteamFriends_ActivateGameOverlay(dangling, c"friends".as_ptr()) };
        SteamAPI_ISteamFriends_ActivateGameOverlayInviteDialog(dangling, 1);
        assert!(!SteamAPI_ISteamUser_BLoggedOn(dangling));
        assert_eq!(SteamAPI_ISteamUser_GetPlayerSteamLevel(dangling), 0);
        assert!(!SteamAPI_ISteamApps_BIsSubscribed(dangling));
        assert!(!SteamAPI_ISteamApps_BIsSubscribedApp(dangling, 1234));
        assert!(!SteamAPI_ISteamApps_BIsDlcInstalled(dangling, 8));
        assert_eq!(SteamAPI_ISteamApps_GetAppOwner(dangling), 0);
        assert_eq!(SteamAPI_ISteamApps_GetAppBuildId(dangling), 0);
        let mut buf = [0x55 as c_char; 16];
        let n =
            unsafe { SteamAPI_ISteamApps_GetAppInstallDir(dangling, 1234, buf.as_mut_ptr(), 16) };
        assert_eq!((n, text(buf.as_ptr())), (0, String::new()));
        buf[0] = 0x55;
        let n = unsafe { SteamAPI_ISteamApps_GetLaunchCommandLine(dangling, buf.as_mut_ptr(), 16) };
        assert_eq!((n, text(buf.as_ptr())), (0, String::new()));
        assert_eq!(
            text(SteamAPI_ISteamApps_GetCurrentGameLanguage(dangling)),
            ""
        );
        assert_eq!(
            text(SteamAPI_ISteamApps_GetAvailableGameLanguages(dangling)),
            ""
        );
        assert_eq!(SteamAPI_ISteamUtils_GetAppID(dangling), 0);
        assert_eq!(text(SteamAPI_ISteamUtils_GetIPCountry(dangling)), "");
        assert_eq!(text(SteamAPI_ISteamUtils_GetSteamUILanguage(dangling)), "");
        assert!(!SteamAPI_ISteamUtils_IsSteamRunningOnSteamDeck(dangling));
        let calls = fs::read_to_string(dir.join(format!("{A}.calls"))).unwrap();
        assert!(
            !calls.contains("ActivateGameOverlay friends"),
            "not logged after shutdown"
        );
    }

    /// A lobby through the exports: the call result and the callbacks
    /// come out of the manual dispatch as the crate reads them.
    fn lobby_through_exports() -> u64 {
        let mm = std::ptr::null_mut();
        assert!(!SteamAPI_SteamMatchmaking_v009().is_null());
        let call = SteamAPI_ISteamMatchmaking_CreateLobby(mm, 2, 4);
        assert_ne!(call, 0);
        SteamAPI_ManualDispatch_RunFrame(1);
        // SAFETY: a zeroed CallbackMsg_t is a valid out buffer.
        let mut msg: sys::CallbackMsg_t = unsafe { std::mem::zeroed() };
        assert!(unsafe { SteamAPI_ManualDispatch_GetNextCallback(1, &mut msg) });
        assert_eq!(
            msg.m_iCallback,
            sys::SteamAPICallCompleted_t_k_iCallback as c_int
        );
        // SAFETY: the payload of a SteamAPICallCompleted_t callback.
        let done = unsafe {
            msg.m_pubParam
                .cast::<sys::SteamAPICallCompleted_t>()
                .read_unaligned()
        };
        assert_eq!({ done.m_hAsyncCall }, call);
        assert_eq!(
            { done.m_cubParam } as usize,
            size_of::<sys::LobbyCreated_t>()
        );
        let mut created = sys::LobbyCreated_t {
            m_eResult: sys::EResult::k_EResultFail,
            m_ulSteamIDLobby: 0,
        };
        let mut failed = true;
        // SAFETY: `created` is the struct the call result names.
        assert!(unsafe {
            SteamAPI_ManualDispatch_GetAPICallResult(
                1,
                call,
                (&raw mut created).cast(),
                done.m_cubParam as c_int,
                done.m_iCallback,
                &mut failed,
            )
        });
        SteamAPI_ManualDispatch_FreeLastCallback(1);
        assert!(!failed);
        assert_eq!(created.m_eResult, sys::EResult::k_EResultOK);
        let lobby = created.m_ulSteamIDLobby;
        assert_eq!(
            next_callback_id(),
            Some(sys::LobbyEnter_t_k_iCallback as c_int)
        );
        assert_eq!(SteamAPI_ISteamMatchmaking_GetLobbyOwner(mm, lobby), A);
        assert_eq!(SteamAPI_ISteamMatchmaking_GetNumLobbyMembers(mm, lobby), 1);
        assert_eq!(
            SteamAPI_ISteamMatchmaking_GetLobbyMemberByIndex(mm, lobby, 0),
            A
        );
        assert_eq!(
            SteamAPI_ISteamMatchmaking_GetLobbyMemberByIndex(mm, lobby, 1),
            0
        );
        assert_eq!(
            SteamAPI_ISteamMatchmaking_GetLobbyMemberByIndex(mm, lobby, -1),
            0
        );
        // SAFETY (the calls below): NUL-terminated literals, and buffers
        // of the sizes passed.
        assert!(unsafe {
            SteamAPI_ISteamMatchmaking_SetLobbyData(mm, lobby, c"mode".as_ptr(), c"ctf".as_ptr())
        });
        assert_eq!(
            text(unsafe { SteamAPI_ISteamMatchmaking_GetLobbyData(mm, lobby, c"mode".as_ptr()) }),
            "ctf"
        );
        let (mut key, mut value) = ([0x55 as c_char; 3], [0x55 as c_char; 16]);
        assert!(unsafe {
            SteamAPI_ISteamMatchmaking_GetLobbyDataByIndex(
                mm,
                lobby,
                0,
                key.as_mut_ptr(),
                3,
                value.as_mut_ptr(),
                16,
            )
        });
        assert_eq!(
            (text(key.as_ptr()), text(value.as_ptr())),
            ("mo".into(), "ctf".into())
        );
        let body = b"hi there";
        assert!(unsafe {
            SteamAPI_ISteamMatchmaking_SendLobbyChatMsg(mm, lobby, body.as_ptr().cast(), 8)
        });
        SteamAPI_ManualDispatch_RunFrame(1);
        assert_eq!(
            next_callback_id(),
            Some(sys::LobbyDataUpdate_t_k_iCallback as c_int)
        );
        assert!(unsafe { SteamAPI_ManualDispatch_GetNextCallback(1, &mut msg) });
        assert_eq!(msg.m_iCallback, sys::LobbyChatMsg_t_k_iCallback as c_int);
        // SAFETY: the payload of a LobbyChatMsg_t callback.
        let chat = unsafe {
            msg.m_pubParam
                .cast::<sys::LobbyChatMsg_t>()
                .read_unaligned()
        };
        let mut user = steam_id(0);
        let mut buf = [0u8; 64];
        let mut kind: c_int = 0;
        // SAFETY: valid out buffers of the sizes given.
        let n = unsafe {
            SteamAPI_ISteamMatchmaking_GetLobbyChatEntry(
                mm,
                lobby,
                chat.m_iChatID as c_int,
                &mut user,
                buf.as_mut_ptr().cast(),
                4,
                &mut kind,
            )
        };
        SteamAPI_ManualDispatch_FreeLastCallback(1);
        // SAFETY: the double only writes the 64-bit view.
        let user = unsafe { user.m_steamid.m_unAll64Bits };
        assert_eq!(
            (n, &buf[..4], user, kind),
            (4, &b"hi t"[..], A, 1),
            "cut to the buffer"
        );
        assert_eq!(next_callback_id(), None);
        lobby
    }

    fn next_callback_id() -> Option<c_int> {
        // SAFETY: a zeroed CallbackMsg_t is a valid out buffer.
        let mut msg: sys::CallbackMsg_t = unsafe { std::mem::zeroed() };
        let got = unsafe { SteamAPI_ManualDispatch_GetNextCallback(1, &mut msg) };
        SteamAPI_ManualDispatch_FreeLastCallback(1);
        got.then_some(msg.m_iCallback)
    }
}
