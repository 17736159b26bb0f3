//! The Steam backend: Valve's API through the `steamworks` crate, and
//! `steamworks::sys` for the few calls the crate does not wrap (all of this
//! crate's `unsafe` lives in this folder). One file per interface.

mod apps;
mod callbacks;
mod friends;
mod matchmaking;
mod networking;
mod user;
mod utils;

use std::time::{Duration, Instant};

use steamworks::{CallbackHandle, Client, SteamAPIInitError};

use crate::p2p::{AvatarSize, Event, InitFailure, InitStatus, SteamId};

/// How long an avatar Steam is still downloading is waited for.
const AVATAR_WAIT: Duration = Duration::from_secs(10);

/// A started Steam API. Dropping the last `Client` calls `SteamAPI_Shutdown`.
pub struct SteamBackend {
    client: Client,
    /// `ISteamNetworking`, fetched once: `Client::networking()` asks Steam
    /// for the interface and clones the client's `Arc` on every call (two
    /// atomic operations and a call into Steam per packet).
    networking: steamworks::Networking,
    local_id: SteamId,
    /// Callbacks made here rather than by Steam (avatars that were ready),
    /// for the next `run_callbacks`.
    pending: Vec<Event>,
    /// Avatars Steam is still downloading: asked for again each frame.
    awaited_avatars: Vec<(SteamId, AvatarSize, Instant)>,
    /// Where Steam's callbacks and call results queue their events
    /// (callbacks.rs), in the order Steam delivered them.
    sink: callbacks::Sink,
    /// Keeps the callbacks registered (dropping a handle unregisters it).
    _handlers: Vec<CallbackHandle>,
}

impl SteamBackend {
    /// Starts the Steam API. A non-zero `app_id` is put in the environment
    /// (`SteamAppId`, `SteamGameId`) first, as GodotSteam does.
    pub fn start(app_id: u32) -> Result<Self, InitFailure> {
        let started = if app_id == 0 {
            Client::init()
        } else {
            Client::init_app(app_id)
        };
        let client = started.map_err(|err| {
            let (status, msg) = match &err {
                SteamAPIInitError::FailedGeneric(msg) => (InitStatus::FailedGeneric, msg),
                SteamAPIInitError::NoSteamClient(msg) => (InitStatus::NoSteamClient, msg),
                SteamAPIInitError::VersionMismatch(msg) => (InitStatus::VersionMismatch, msg),
            };
            // Steam's own message when it gave one, else the crate's description.
            let steam_says = if msg.trim().is_empty() {
                err.to_string()
            } else {
                msg.clone()
            };
            InitFailure::new(
                status,
                format!(
                    "Steam did not start: {steam_says}. Is the Steam client running and logged in? \
                     To test without Steam, set STEAM_NETWORKING_BACKEND=local"
                ),
            )
        })?;
        let raw_id = client.user().steam_id().raw();
        let local_id = SteamId::from_u64(raw_id).ok_or_else(|| {
            InitFailure::new(
                InitStatus::FailedGeneric,
                format!("Steam started but reported an invalid local Steam ID {raw_id}"),
            )
        })?;
        let sink = callbacks::Sink::default();
        let handlers = callbacks::register(&client, &sink);
        Ok(Self {
            networking: client.networking(),
            client,
            local_id,
            pending: Vec::new(),
            awaited_avatars: Vec::new(),
            sink,
            _handlers: handlers,
        })
    }

    /// The raw interface pointer for the two calls the crate does not wrap
    /// (rare ones: the per-packet calls use `networking`); null only if
    /// Steam is not initialized, which `self` existing rules out.
    fn raw_networking(&self) -> *mut steamworks::sys::ISteamNetworking {
        // SAFETY: a plain accessor of the initialized Steam API.
        unsafe { steamworks::sys::SteamAPI_SteamNetworking_v006() }
    }

    /// Moves Steam's pending callbacks, and ours, into `events`.
    fn dispatch(&mut self, events: &mut Vec<Event>) {
        // run_callbacks drives Steam's manual dispatch on this (the main)
        // thread; the handlers queue into the sink, and the events become
        // signals only after this returns. Not process_callbacks: see
        // callbacks.rs for the crate decoders it would run.
        self.client.run_callbacks();
        callbacks::drain(&self.sink, events);
        self.retry_avatars();
        events.append(&mut self.pending);
    }

    /// Delivers the awaited avatars that Steam has now, and gives up on
    /// those it did not bring in time.
    fn retry_avatars(&mut self) {
        let now = Instant::now();
        let awaited = std::mem::take(&mut self.awaited_avatars);
        for (user, size, since) in awaited {
            if let Some(event) = friends::avatar_event(&self.client, user, size) {
                self.pending.push(event);
            } else if now.duration_since(since) < AVATAR_WAIT {
                self.awaited_avatars.push((user, size, since));
            } else {
                log::warn!("Steam did not deliver the avatar of {user} within {AVATAR_WAIT:?}");
            }
        }
    }
}

fn to_steamworks(id: SteamId) -> steamworks::SteamId {
    steamworks::SteamId::from_raw(id.raw())
}

/// Whether the Steam client runs (`Liveness::WhileSteamRuns`). Called only
/// after an init succeeded, from any thread: Valve's query is thread-safe.
pub(crate) fn steam_runs() -> bool {
    // SAFETY: a plain query without arguments, valid at any time once the
    // library is loaded, which a successful init proved.
    unsafe { steamworks::sys::SteamAPI_IsSteamRunning() }
}
