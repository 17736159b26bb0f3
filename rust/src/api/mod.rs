//! The `Steam` API in plain Rust: the one place that owns the running
//! backend (the `Steam` singleton and every interface file ask it), its
//! lifecycle, and dispatch to the backend. One file per Steam interface
//! holds that interface's calls: argument checks, the not-initialized
//! refusal, and the backend call. The Godot class only converts values and
//! reports the `Err` messages; everything here is unit-tested without an
//! engine.

mod apps;
mod friends;
mod matchmaking;
mod multiplayer;
mod networking;
mod user;
mod utils;

use crate::backend::{self, Backend, BackendKind, Liveness, StartInfo};
use crate::p2p::{Event, InitFailure, InitStatus, InputError};

/// What `steamInit` needs to know.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitRequest {
    /// The GDScript `app_id` argument, unchecked.
    pub app_id: i64,
    /// Which backend to start.
    pub backend: BackendKind,
    /// The rest of what the backend starts with (its `app_id` is filled
    /// in from the checked argument).
    pub start: StartInfo,
}

/// Starts a backend; replaced in tests by a fake.
pub type Starter =
    fn(BackendKind, &StartInfo) -> std::result::Result<Box<dyn Backend>, InitFailure>;

/// The API's state: no backend before init and after shutdown.
pub struct Client {
    backend: Option<Box<dyn Backend>>,
    starter: Starter,
    /// What the last init answered, for `get_steam_init_result`.
    last_init: Option<(InitStatus, String)>,
    /// Lobby list filters added since the last `requestLobbyList`.
    lobby_filters: Vec<crate::p2p::lobby::ListFilter>,
    /// Callbacks pumped from the backend (by `run_callbacks`, or by a
    /// multiplayer peer's poll) that the game has not been given yet.
    pending: Vec<Event>,
    /// The latest session events, numbered, for multiplayer peers.
    sessions: multiplayer::SessionLog,
    /// Callbacks dropped since the game last took them (said once).
    dropped: usize,
    /// Who we are and whether we run, kept here: games ask every frame,
    /// and neither changes but by init and shutdown.
    status: Status,
    /// The backend's promise that nothing waits, made by the last dry
    /// `getAvailableP2PPacketSize` and not yet taken (`networking.rs`).
    /// `Dry::NONE` when there is none.
    dry: backend::dry::Dry,
    /// Whether the running backend lends such promises at all.
    lends_dry: bool,
}

/// What `getSteamID` and `isSteamRunning` answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// The running backend's SteamID64; 0 when stopped.
    pub local_id: u64,
    pub liveness: Liveness,
}

impl Default for Client {
    fn default() -> Self {
        Self::with_starter(backend::start)
    }
}

/// Callbacks kept for a game that has not called `run_callbacks` at most.
const MAX_PENDING: usize = 65536;

/// A call's answer, or why it was refused.
pub(crate) type Result<T> = std::result::Result<T, InputError>;

impl Client {
    /// A stopped API whose `init` uses `starter`.
    pub fn with_starter(starter: Starter) -> Self {
        Self {
            backend: None,
            starter,
            last_init: None,
            lobby_filters: Vec::new(),
            pending: Vec::new(),
            sessions: multiplayer::SessionLog::default(),
            dropped: 0,
            status: Status::default(),
            dry: backend::dry::Dry::NONE,
            lends_dry: false,
        }
    }

    /// Keeps what an init answered (success or failure, from whichever
    /// call or the start-up init), for [`Client::last_init`].
    pub fn remember_init(&mut self, result: &std::result::Result<String, InitFailure>) {
        self.last_init = Some(match result {
            Ok(verbal) => (InitStatus::Ok, verbal.clone()),
            Err(failure) => (failure.status, failure.verbal.clone()),
        });
    }

    /// `get_steam_init_result`: the last init's status and message, `None`
    /// before any init. A shutdown does not forget it.
    pub fn last_init(&self) -> Option<(InitStatus, &str)> {
        self.last_init
            .as_ref()
            .map(|(status, verbal)| (*status, verbal.as_str()))
    }

    /// Starts the backend. Starting twice is harmless: the running backend stays.
    pub fn init(&mut self, request: InitRequest) -> std::result::Result<String, InitFailure> {
        if self.backend.is_some() {
            return Ok("Steam is already initialized".into());
        }
        let app_id = match request.app_id {
            // A leading `retrieve_stats` bool from GodotSteam before 4.14
            // arrives here as 1; no real app has that id.
            1 => {
                return Err(InitFailure::new(
                    InitStatus::FailedGeneric,
                    "app_id 1 is not a Steam app. Since GodotSteam 4.14 the call is \
                     steamInitEx(app_id: int = 0, embed_callbacks: bool = false), without the old leading retrieve_stats bool",
                ));
            }
            id => u32::try_from(id).map_err(|_| {
                InitFailure::new(
                    InitStatus::FailedGeneric,
                    format!("invalid app_id {id}: Steam app ids are 0..=4294967295 (0 means: read steam_appid.txt)"),
                )
            })?,
        };
        let info = StartInfo {
            app_id,
            ..request.start
        };
        let backend = (self.starter)(request.backend, &info)?;
        let verbal = match request.backend {
            BackendKind::Steam => "Steamworks active".to_string(),
            BackendKind::Local => format!(
                "Local backend active (no Steam): this instance is Steam ID {}",
                backend.local_id()
            ),
        };
        self.status = Status {
            local_id: backend.local_id().raw(),
            liveness: backend.liveness(),
        };
        self.lends_dry = backend.lends_dry();
        self.backend = Some(backend);
        Ok(verbal)
    }

    /// Stops the backend; networking calls fail until the next init.
    pub fn shutdown(&mut self) {
        self.backend = None;
        self.dry = backend::dry::Dry::NONE;
        self.status = Status::default();
        self.lobby_filters.clear();
        self.pending.clear();
    }

    /// Whether a backend is running.
    pub fn is_running(&self) -> bool {
        self.status.liveness.now()
    }

    /// The local SteamID64, or 0 when not initialized.
    pub fn local_id(&self) -> u64 {
        self.status.local_id
    }

    /// Both of the above, for answering from any thread.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The running backend, or the not-initialized refusal.
    pub(crate) fn backend(&mut self) -> Result<&mut (dyn Backend + 'static)> {
        self.backend
            .as_deref_mut()
            .ok_or(InputError::NotInitialized)
    }

    /// Pumps the backend; the caller emits the returned events as signals.
    pub fn run_callbacks(&mut self) -> Vec<Event> {
        self.pump();
        if self.dropped > 0 {
            log::warn!(
                "{} Steam callbacks were dropped in all before this run_callbacks()",
                self.dropped
            );
            self.dropped = 0;
        }
        std::mem::take(&mut self.pending)
    }

    /// Moves the backend's callbacks into `pending` (noting session events
    /// for multiplayer peers), bounded for a game that never asks for them.
    fn pump(&mut self) {
        let Some(backend) = self.backend.as_deref_mut() else {
            return;
        };
        let before = self.pending.len();
        backend.poll(&mut self.pending);
        self.sessions.note(&self.pending[before..]);
        if self.pending.len() > MAX_PENDING {
            let excess = self.pending.len() - MAX_PENDING;
            self.pending.drain(..excess);
            // Once until the game takes its callbacks again, not every pump.
            if self.dropped == 0 {
                log::warn!(
                    "Steam callbacks are being dropped (more than {MAX_PENDING} waiting): call Steam.run_callbacks() every frame (or init with embed_callbacks)"
                );
            }
            self.dropped += excess;
        }
    }
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::p2p::SteamId;

    #[test]
    fn init_failures_carry_status_and_message() {
        let mut net = Client::with_starter(start_loopback);
        let err = net
            .init(InitRequest {
                app_id: 480,
                backend: BackendKind::Steam,
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(err.status, InitStatus::NoSteamClient);
        assert_eq!(err.verbal, "no client");
        assert!(!net.is_running());
    }

    #[test]
    fn the_last_init_result_is_kept_through_shutdown() {
        let mut net = Client::with_starter(start_loopback);
        assert_eq!(net.last_init(), None, "nothing before any init");
        let failed = net.init(InitRequest {
            app_id: 480,
            backend: BackendKind::Steam,
            ..Default::default()
        });
        net.remember_init(&failed);
        assert_eq!(
            net.last_init(),
            Some((InitStatus::NoSteamClient, "no client"))
        );
        let started = net.init(InitRequest {
            app_id: 480,
            backend: BackendKind::Local,
            ..Default::default()
        });
        net.remember_init(&started);
        let (status, verbal) = net.last_init().unwrap();
        assert_eq!(status, InitStatus::Ok);
        assert!(verbal.contains("Local backend active"), "{verbal}");
        net.shutdown();
        assert_eq!(net.last_init().map(|(s, _)| s), Some(InitStatus::Ok));
    }

    #[test]
    fn old_retrieve_stats_form_is_explained() {
        let mut net = Client::with_starter(start_loopback);
        let err = net
            .init(InitRequest {
                app_id: 1,
                backend: BackendKind::Local,
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(err.status, InitStatus::FailedGeneric);
        assert!(
            err.verbal
                .contains("steamInitEx(app_id: int = 0, embed_callbacks: bool = false)")
        );
        for bad in [-1, 1 << 32] {
            let err = net
                .init(InitRequest {
                    app_id: bad,
                    backend: BackendKind::Local,
                    ..Default::default()
                })
                .unwrap_err();
            assert!(err.verbal.contains("invalid app_id"), "{}", err.verbal);
        }
    }

    #[test]
    fn init_twice_keeps_the_backend_and_shutdown_stops_it() {
        let mut net = started();
        assert_eq!(net.local_id(), PEER as u64);
        assert!(
            net.init(InitRequest {
                app_id: 0,
                backend: BackendKind::Steam,
                ..Default::default()
            })
            .is_ok()
        );
        assert!(net.is_running());
        net.shutdown();
        net.shutdown();
        assert_eq!(net.send(PEER, b"x", 2, 0), Err(InputError::NotInitialized));
        assert_eq!(net.local_id(), 0);
    }

    #[test]
    fn callbacks_are_only_delivered_by_run_callbacks() {
        let mut net = started();
        net.send(PEER, b"x", 0, 0).unwrap();
        let events = net.run_callbacks();
        assert_eq!(
            events,
            vec![Event::SessionRequest(SteamId::from_gdscript(PEER).unwrap())]
        );
        assert!(net.run_callbacks().is_empty());
    }
}
