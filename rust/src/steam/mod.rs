//! The `Steam` engine singleton: GodotSteam's Networking API for GDScript.
//! It only converts between Godot values and plain Rust and reports refused
//! calls; the logic lives in [`crate::api`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use godot::classes::notify::ObjectNotification;
use godot::classes::{Engine, IObject, Object, SceneTree};
use godot::prelude::*;

use crate::api::InitRequest;
use crate::p2p::repeats::RepeatFilter;
use crate::p2p::{Event, InitFailure, InitStatus, InputError};
use crate::{backend, settings};

mod apps;
mod client;
mod enums;
mod friends;
mod matchmaking;
mod multiplayer_peer;
mod networking;
mod user;
mod utils;

pub(crate) use client::{on_main_thread, release as release_client, try_with_client, with_client};
pub use enums::ENUMS;
pub use multiplayer_peer::PEER_ENUMS;
pub use multiplayer_peer::SteamMultiplayerPeer;

/// Steam's peer-to-peer networking, with GodotSteam's method names, arguments
/// and return values (the deprecated ISteamNetworking P2P API).
///
/// Call [method steamInit] or [method steamInitEx] once, then call
/// [method run_callbacks] every frame (or pass `embed_callbacks = true`) so
/// that [signal p2p_session_request] and [signal p2p_session_connect_fail]
/// are emitted. With the environment variable `STEAM_NETWORKING_BACKEND=local`
/// (or the project setting `steam_networking/backend` set to `"local"`) the
/// same calls run without Steam, between game instances on this machine.
/// Call it from the main thread: a call from a `Thread` is refused with an
/// error and the method's failure value.
#[derive(GodotClass)]
#[class(init, singleton, base = Object)]
pub struct Steam {
    /// Whether `run_callbacks` is connected to the tree's `process_frame`.
    embedded: bool,
    keys: networking::PacketKeys,
    base: Base<Object>,
}

/// True while the extension unloads, when gdext frees the singleton itself.
static UNLOADING: AtomicBool = AtomicBool::new(false);

/// Lets the singleton be freed from now on (the extension is unloading), or
/// not again (it is loading).
pub fn set_unloading(unloading: bool) {
    UNLOADING.store(unloading, Ordering::Release);
}

#[godot_api]
impl IObject for Steam {
    // Refuses `Steam.free()` from a script: the engine and gdext still hold
    // the singleton, and freeing it crashed the game when the extension
    // unloaded. (A plain comment: a doc comment would list this in the
    // editor help as a method.)
    fn on_notification(&mut self, what: ObjectNotification) {
        if what == ObjectNotification::PREDELETE && !UNLOADING.load(Ordering::Acquire) {
            log::error!(
                "Steam.free(): the Steam singleton lives as long as the game and cannot be freed; \
                 call Steam.steamShutdown() to stop networking"
            );
            self.base_mut().cancel_free();
        }
    }
}

/// Which refused calls were reported lately (shared by every method; only
/// refused calls take the lock).
static REPORTED: Mutex<Option<RepeatFilter>> = Mutex::new(None);

/// Logs why `call` was refused, unless the same error from the same call
/// was logged moments ago (then it is counted and summed up later).
pub(crate) fn report(call: &str, message: &str) {
    report_as(&format!("Steam.{call}"), message);
}

/// [`report`] for a call named in full (`SteamMultiplayerPeer.poll`).
pub(crate) fn report_as(call: &str, message: &str) {
    let line = REPORTED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_with(RepeatFilter::default)
        .line(call, message, Instant::now());
    // Printed without the lock: a game's Logger may call Steam, and a
    // refusal there reports too (it deadlocked).
    if let Some(line) = line {
        log::error!("{call}(): {line}");
    }
}

/// Forgets the refused calls reported so far (after an init or a shutdown
/// the same mistake is news again).
fn forget_reports() {
    if let Some(filter) = REPORTED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_mut()
    {
        filter.reset();
    }
}

/// Logs a refused call, in the caller's terms, and yields `fallback`.
pub(crate) fn or_report<T>(call: &str, result: Result<T, InputError>, fallback: T) -> T {
    result.unwrap_or_else(|err| {
        report(call, &err.to_string());
        fallback
    })
}

/// A call's answer from the API, or `fallback` after one error naming
/// `call` when the API, the thread or a running call refused it.
#[inline]
pub(crate) fn answer<T>(
    call: &str,
    fallback: T,
    f: impl FnOnce(&mut crate::api::Client) -> Result<T, InputError>,
) -> T {
    match with_client(call, f) {
        Some(Ok(value)) => value,
        Some(Err(err)) => {
            report(call, &err.to_string());
            fallback
        }
        None => fallback,
    }
}

/// Why a call from another thread was refused.
pub(crate) const OFF_MAIN_THREAD: &str = "called from a thread other than Godot's main thread; \
    call Steam from the main thread (e.g. in _process) and pass the data to your threads";

/// Returns `$fallback` from the enclosing method, with one error, when a
/// GDScript `Thread` calls it. The singleton's state is not shared between
/// threads, and with gdext's runtime checks off in release builds nothing
/// else would stop such a call.
macro_rules! main_thread_only {
    ($call:literal) => {
        main_thread_only!($call, ())
    };
    ($call:literal, $fallback:expr) => {
        if !$crate::steam::on_main_thread() {
            $crate::steam::report($call, $crate::steam::OFF_MAIN_THREAD);
            return $fallback;
        }
    };
}
pub(crate) use main_thread_only;

#[godot_api]
impl Steam {
    /// Emitted from [method run_callbacks] when a user we have no open session
    /// with sends us a packet. Accept with [method acceptP2PSessionWithUser],
    /// or ignore it; it repeats while the user keeps sending.
    #[signal]
    fn p2p_session_request(remote_steam_id: i64);

    /// Emitted from [method run_callbacks] when a session with a user fails;
    /// `session_error` is a `P2P_SESSION_ERROR_*` value.
    #[signal]
    fn p2p_session_connect_fail(remote_steam_id: i64, session_error: i64);

    /// Emitted from [method run_callbacks] when what Steam knows of a user
    /// changed, for example after [method requestUserInformation]; `flags`
    /// holds `PERSONA_CHANGE_*` bits ([enum PersonaChange]). On the local
    /// backend: when another instance's name becomes known or changes.
    #[signal]
    fn persona_state_change(steam_id: i64, flags: i64);

    /// Emitted from [method run_callbacks] when a friend asks to join the
    /// user's lobby from the Steam friends list (never on the local backend).
    #[signal]
    fn join_requested(lobby_id: i64, steam_id: i64);

    /// Emitted from [method run_callbacks] with the avatar that
    /// [method getPlayerAvatar] asked for: `avatar_id` is the user's Steam ID,
    /// `size` the width and height in pixels, and `data` (declared an Array,
    /// as in GodotSteam) a PackedByteArray of RGBA8 pixels, row by row: use
    /// `Image.create_from_data(size, size, false, Image.FORMAT_RGBA8, data)`.
    #[signal]
    fn avatar_loaded(avatar_id: i64, size: i64, data: VarArray);

    /// Emitted from [method run_callbacks] when [method createLobby] has
    /// finished: `connect` is an EResult (`RESULT_OK` = 1 on success) and
    /// `lobby_id` the new lobby (0 on failure). [signal lobby_joined] follows.
    #[signal]
    fn lobby_created(connect: i64, lobby_id: i64);

    /// Emitted from [method run_callbacks] with the answer to entering a
    /// lobby ([method createLobby] or [method joinLobby]): `response` is a
    /// `CHAT_ROOM_ENTER_RESPONSE_*` value ([enum ChatRoomEnterResponse]),
    /// `CHAT_ROOM_ENTER_RESPONSE_SUCCESS` when the user is now a member.
    /// `permissions` is unused by Steam; `locked` means only invited users
    /// may join.
    #[signal]
    fn lobby_joined(lobby: i64, permissions: i64, locked: bool, response: i64);

    /// Emitted from [method run_callbacks] in every member when a user
    /// enters, leaves or is lost from a lobby: `chat_state` holds
    /// `CHAT_MEMBER_STATE_CHANGE_*` bits ([enum ChatMemberStateChange]);
    /// `making_change_id` is the user who caused it (the same user unless
    /// someone kicked them).
    #[signal]
    fn lobby_chat_update(lobby_id: i64, changed_id: i64, making_change_id: i64, chat_state: i64);

    /// Emitted from [method run_callbacks] in every member (the sender too)
    /// for a [method sendLobbyChatMsg]; `chat_type` is a `CHAT_ENTRY_TYPE_*`
    /// value ([enum ChatEntryType]).
    #[signal]
    fn lobby_message(lobby_id: i64, user: i64, message: GString, chat_type: i64);

    /// Emitted from [method run_callbacks] when lobby data changed or arrived
    /// (`member_id` is the lobby) or a member's data changed (`member_id` is
    /// the member), in every member; also the answer to
    /// [method requestLobbyData]. `success` is emitted as a bool, as
    /// GodotSteam 4.20 does (declared an int).
    #[signal]
    fn lobby_data_update(success: i64, lobby_id: i64, member_id: i64);

    /// Emitted from [method run_callbacks] with the answer to
    /// [method requestLobbyList]: an Array of lobby ids (ints), the ones
    /// that pass every filter.
    #[signal]
    fn lobby_match_list(lobbies: VarArray);

    /// Emitted from [method run_callbacks] when `inviter` invites the user
    /// to `lobby` ([method inviteUserToLobby]); `game` is the game id.
    #[signal]
    fn lobby_invite(inviter: i64, lobby: i64, game: i64);

    /// Emitted from [method run_callbacks] when the user was removed from a
    /// lobby (Steam: only when the user's connection to Steam was lost;
    /// `due_to_disconnect` is 1 then).
    #[signal]
    fn lobby_kicked(lobby_id: i64, admin_id: i64, due_to_disconnect: i64);

    /// Emitted from [method run_callbacks] in every member when the owner
    /// sets the lobby's game server ([method setLobbyGameServer]).
    #[signal]
    fn lobby_game_created(lobby_id: i64, server_id: i64, server_ip: GString, port: i64);

    /// Declared for code written for GodotSteam up to 4.10, which connected
    /// to it; GodotSteam 4.11+ and this plugin never emit it.
    #[signal]
    fn steamworks_error(failed_signal: GString, io_failure: GString);

    /// Starts Steam (or the local backend) and returns
    /// `{status: int, verbal: String}`: `status` is a `STEAM_API_INIT_RESULT_*`
    /// value and `verbal` explains it. A non-zero `app_id` is put in the
    /// environment as `SteamAppId` and `SteamGameId` first; 0 uses
    /// `steam_appid.txt` or the id Steam launched the game with. With
    /// `embed_callbacks`, [method run_callbacks] runs every frame until
    /// [method steamShutdown]. Calling it again while running is harmless.
    #[func(rename = steamInitEx)]
    fn steam_init_ex(
        &mut self,
        #[opt(default = 0)] app_id: i64,
        #[opt(default = false)] embed_callbacks: bool,
    ) -> VarDictionary {
        main_thread_only!(
            "steamInitEx",
            vdict! { "status" => InitStatus::FailedGeneric as i64, "verbal" => OFF_MAIN_THREAD }
        );
        let (status, verbal) = match self.start(app_id, embed_callbacks) {
            Ok(verbal) => (InitStatus::Ok, verbal),
            Err(failure) => (failure.status, failure.verbal),
        };
        vdict! { "status" => status as i64, "verbal" => verbal }
    }

    /// Starts Steam (or the local backend) like [method steamInitEx] and
    /// returns true on success; on failure the reason is in Godot's output.
    #[func(rename = steamInit)]
    fn steam_init(
        &mut self,
        #[opt(default = 0)] app_id: i64,
        #[opt(default = false)] embed_callbacks: bool,
    ) -> bool {
        main_thread_only!("steamInit", false);
        self.start(app_id, embed_callbacks).is_ok()
    }

    /// The `{status, verbal}` of the last init, as [method steamInitEx]
    /// returned it (also for [method steamInit] and the start-up init from
    /// the project settings); `{}` before any init.
    #[func]
    fn get_steam_init_result() -> VarDictionary {
        with_client("get_steam_init_result", |client| {
            client.last_init().map(|(status, verbal)| {
                vdict! { "status" => status as i64, "verbal" => verbal }
            })
        })
        .flatten()
        .unwrap_or_default()
    }

    /// Shuts Steam (or the local backend) down. Networking calls then fail
    /// cleanly until the next init. Calling it twice is harmless.
    #[func(rename = steamShutdown)]
    fn steam_shutdown(&mut self) {
        main_thread_only!("steamShutdown");
        self.set_embedded(false);
        with_client("steamShutdown", |client| client.shutdown());
        forget_reports();
    }

    /// Whether Steam (or the local backend) is running. Any thread may ask.
    #[func(rename = isSteamRunning)]
    fn is_steam_running() -> bool {
        client::status().liveness.now()
    }

    /// The local user's SteamID64; 0 when not initialized. Any thread may ask.
    #[func(rename = getSteamID)]
    fn get_steam_id() -> i64 {
        client::status().local_id as i64
    }

    /// Pumps Steam and emits every pending signal ([signal
    /// p2p_session_request], [signal p2p_session_connect_fail], [signal
    /// persona_state_change], [signal join_requested], [signal
    /// avatar_loaded], and the lobby signals). Call it once per frame unless callbacks are embedded.
    #[func]
    fn run_callbacks(&mut self) {
        main_thread_only!("run_callbacks");
        // Taken first: a handler may call Steam again.
        let events = with_client("run_callbacks", |client| client.run_callbacks());
        for event in events.unwrap_or_default() {
            // The typed emit lets handlers call back into Steam (re-entrant).
            match event {
                Event::SessionRequest(id) => {
                    self.signals().p2p_session_request().emit(id.to_gdscript())
                }
                Event::ConnectFail(id, error) => self
                    .signals()
                    .p2p_session_connect_fail()
                    .emit(id.to_gdscript(), error as i64),
                Event::PersonaStateChange(id, flags) => self
                    .signals()
                    .persona_state_change()
                    .emit(id.to_gdscript(), flags as i64),
                Event::JoinRequested(lobby, friend) => self
                    .signals()
                    .join_requested()
                    .emit(lobby as i64, friend.to_gdscript()),
                Event::LobbyCreated { result, lobby } => self
                    .signals()
                    .lobby_created()
                    .emit(result as i64, lobby as i64),
                Event::LobbyJoined {
                    lobby,
                    permissions,
                    locked,
                    response,
                } => self.signals().lobby_joined().emit(
                    lobby as i64,
                    permissions as i64,
                    locked,
                    response as i64,
                ),
                Event::LobbyChatUpdate {
                    lobby,
                    changed,
                    making_change,
                    state,
                } => self.signals().lobby_chat_update().emit(
                    lobby as i64,
                    changed as i64,
                    making_change as i64,
                    state as i64,
                ),
                Event::LobbyMessage {
                    lobby,
                    user,
                    message,
                    chat_type,
                } => self.signals().lobby_message().emit(
                    lobby as i64,
                    user as i64,
                    &GString::from(String::from_utf8_lossy(&message).as_ref()),
                    chat_type as i64,
                ),
                Event::LobbyDataUpdate {
                    success,
                    lobby,
                    member,
                } => {
                    // Declared an int, emitted a bool, as GodotSteam 4.20.
                    self.base_mut().emit_signal(
                        "lobby_data_update",
                        &[
                            success.to_variant(),
                            (lobby as i64).to_variant(),
                            (member as i64).to_variant(),
                        ],
                    );
                }
                Event::LobbyMatchList(lobbies) => {
                    let list: VarArray =
                        lobbies.iter().map(|id| (*id as i64).to_variant()).collect();
                    self.signals().lobby_match_list().emit(&list)
                }
                Event::LobbyInvite {
                    inviter,
                    lobby,
                    game,
                } => self
                    .signals()
                    .lobby_invite()
                    .emit(inviter as i64, lobby as i64, game as i64),
                Event::LobbyKicked {
                    lobby,
                    admin,
                    due_to_disconnect,
                } => self.signals().lobby_kicked().emit(
                    lobby as i64,
                    admin as i64,
                    i64::from(due_to_disconnect),
                ),
                Event::LobbyGameCreated {
                    lobby,
                    server,
                    ip,
                    port,
                } => self.signals().lobby_game_created().emit(
                    lobby as i64,
                    server as i64,
                    &GString::from(std::net::Ipv4Addr::from(ip).to_string().as_str()),
                    port as i64,
                ),
                Event::AvatarLoaded { user, size, rgba } => {
                    // Declared as an Array, emitted as a PackedByteArray of
                    // RGBA8 rows, exactly as GodotSteam does (games pass it
                    // to Image.create_from_data).
                    let data = PackedByteArray::from(rgba.as_slice());
                    self.base_mut().emit_signal(
                        "avatar_loaded",
                        &[
                            user.to_gdscript().to_variant(),
                            (size as i64).to_variant(),
                            data.to_variant(),
                        ],
                    );
                }
            }
        }
    }
}

/// Every signal of the class.
const SIGNALS: [&str; 15] = [
    "p2p_session_request",
    "lobby_created",
    "lobby_joined",
    "lobby_chat_update",
    "lobby_message",
    "lobby_data_update",
    "lobby_match_list",
    "lobby_invite",
    "lobby_kicked",
    "lobby_game_created",
    "p2p_session_connect_fail",
    "persona_state_change",
    "join_requested",
    "avatar_loaded",
    "steamworks_error",
];

/// Disconnects every handler from the `Steam` signals when the scene tree
/// ends. The singleton outlives the script languages (it is freed when the
/// extension unloads), and a connection to a GDScript lambda that is still
/// there then corrupts the heap as it is freed (seen with Godot 4.6 at
/// exit), so the connections must go while scripts still exist.
pub fn disconnect_signals_when_tree_ends() {
    let hook = Callable::from_fn("steam_hook_tree_end", |_| {
        let tree = Engine::singleton()
            .get_main_loop()
            .and_then(|m| m.try_cast::<SceneTree>().ok());
        if let Some(mut root) = tree.and_then(|t| t.get_root()) {
            let release = Callable::from_fn("steam_release_signal_handlers", |_| {
                if let Some(mut steam) = Engine::singleton().get_singleton("Steam") {
                    for signal in SIGNALS {
                        for connection in steam.get_signal_connection_list(signal).iter_shared() {
                            if let Ok(callable) =
                                connection.get_or_nil("callable").try_to::<Callable>()
                            {
                                steam.disconnect(signal, &callable);
                            }
                        }
                    }
                }
            });
            root.connect("tree_exiting", &release);
        }
    });
    // Deferred: while extensions load there is no scene tree yet.
    hook.call_deferred(&[]);
}

impl Steam {
    fn start(&mut self, app_id: i64, embed_callbacks: bool) -> Result<String, InitFailure> {
        let env = std::env::var(backend::BACKEND_ENV).ok();
        let chosen = backend::choose(
            env.as_deref(),
            settings::string(settings::BACKEND).as_deref(),
        );
        let started = try_with_client(|client| {
            let started = chosen.and_then(|kind| {
                client.init(InitRequest {
                    app_id,
                    backend: kind,
                    start: settings::start_info(),
                })
            });
            client.remember_init(&started);
            started
        })
        .unwrap_or_else(|why| Err(InitFailure::new(InitStatus::FailedGeneric, why.to_string())));
        forget_reports();
        match &started {
            Ok(_) => self.set_embedded(embed_callbacks || self.embedded),
            Err(failure) => log::error!("Steam initialization failed: {}", failure.verbal),
        }
        started
    }

    /// Connects or disconnects `run_callbacks` to the tree's `process_frame`.
    fn set_embedded(&mut self, on: bool) {
        if on == self.embedded {
            return;
        }
        let Some(mut tree) = Engine::singleton()
            .get_main_loop()
            .and_then(|main_loop| main_loop.try_cast::<SceneTree>().ok())
        else {
            log::error!(
                "embed_callbacks needs a SceneTree main loop; call Steam.run_callbacks() yourself"
            );
            return;
        };
        let callable = Callable::from_object_method(&self.to_gd(), "run_callbacks");
        if on {
            tree.connect("process_frame", &callable);
        } else if tree.is_connected("process_frame", &callable) {
            tree.disconnect("process_frame", &callable);
        }
        self.embedded = on;
    }
}

#[cfg(test)]
mod docs_tests;
