//! Values that cross the backend boundary: packets, session snapshots,
//! callback events and init results.

use super::SteamId;

/// A packet taken off a receive queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// Who sent it.
    pub sender: SteamId,
    /// Its bytes, already truncated to the reader's buffer size.
    pub data: Vec<u8>,
}

/// Steam's `EP2PSessionError` (the `P2P_SESSION_ERROR_*` constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum SessionError {
    /// No error.
    None = 0,
    /// Deprecated by Steam: the remote user is not running the same app.
    NotRunningApp = 1,
    /// The local user does not own the app.
    NoRightsToApp = 2,
    /// Deprecated by Steam: the remote user is not logged on.
    DestinationNotLoggedOn = 3,
    /// The remote side did not answer in time.
    Timeout = 4,
}

/// A snapshot of one P2P session, as Steam's `P2PSessionState_t`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionState {
    /// A connection is open.
    pub connection_active: bool,
    /// A connection is being set up.
    pub connecting: bool,
    /// The last `P2P_SESSION_ERROR_*` value.
    pub session_error: u8,
    /// Traffic goes through a Steam relay.
    pub using_relay: bool,
    /// Bytes waiting to go out.
    pub bytes_queued_for_send: i32,
    /// Packets waiting to go out.
    pub packets_queued_for_send: i32,
    /// Remote IPv4 address as a host-order number, 0 when unknown.
    pub remote_ip: u32,
    /// Remote port, 0 when unknown.
    pub remote_port: u16,
}

/// A callback from the backend, turned into a signal by `run_callbacks()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// `p2p_session_request`: a peer we have no session with sent a packet.
    SessionRequest(SteamId),
    /// `p2p_session_connect_fail`: a session failed with a `P2P_SESSION_ERROR_*`.
    ConnectFail(SteamId, u8),
}

/// Steam's `ESteamAPIInitResult` (the `STEAM_API_INIT_RESULT_*` constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitStatus {
    /// Started.
    Ok = 0,
    /// Any other failure.
    FailedGeneric = 1,
    /// No Steam client to talk to.
    NoSteamClient = 2,
    /// The Steam client is older than the SDK.
    VersionMismatch = 3,
}

/// Why a backend did not start: the status and the message for `verbal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitFailure {
    /// The `STEAM_API_INIT_RESULT_*` value.
    pub status: InitStatus,
    /// A sentence for the game developer (Steam's own text where it gave one).
    pub verbal: String,
}

impl InitFailure {
    /// A failure with the given status and message.
    pub fn new(status: InitStatus, verbal: impl Into<String>) -> Self {
        Self {
            status,
            verbal: verbal.into(),
        }
    }
}
