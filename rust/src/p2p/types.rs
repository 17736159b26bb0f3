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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `p2p_session_request`: a peer we have no session with sent a packet.
    SessionRequest(SteamId),
    /// `p2p_session_connect_fail`: a session failed with a `P2P_SESSION_ERROR_*`.
    ConnectFail(SteamId, u8),
    /// `persona_state_change`: what we know of a user changed
    /// (`PERSONA_CHANGE_*` bits).
    PersonaStateChange(SteamId, u32),
    /// `join_requested`: a friend asked to join a lobby of ours (lobby id,
    /// friend).
    JoinRequested(u64, SteamId),
    /// `lobby_created`: a `createLobby` finished (`result` an EResult,
    /// `RESULT_OK` = 1; `lobby` 0 on failure).
    LobbyCreated {
        /// The EResult.
        result: u32,
        /// The new lobby, or 0.
        lobby: u64,
    },
    /// `lobby_joined`: the answer to entering a lobby (`response` a
    /// `CHAT_ROOM_ENTER_RESPONSE_*`).
    LobbyJoined {
        /// The lobby.
        lobby: u64,
        /// Steam's unused chat permissions.
        permissions: u32,
        /// Whether only invited users may join.
        locked: bool,
        /// The `CHAT_ROOM_ENTER_RESPONSE_*` value.
        response: u32,
    },
    /// `lobby_chat_update`: a member entered, left or was lost
    /// (`CHAT_MEMBER_STATE_CHANGE_*` bits).
    LobbyChatUpdate {
        /// The lobby.
        lobby: u64,
        /// Whose state changed.
        changed: u64,
        /// Who made the change (the same user, or the one who kicked).
        making_change: u64,
        /// The `CHAT_MEMBER_STATE_CHANGE_*` bits.
        state: u32,
    },
    /// `lobby_message`: a chat message in a lobby.
    LobbyMessage {
        /// The lobby.
        lobby: u64,
        /// Who sent it.
        user: u64,
        /// Its bytes (text, as GodotSteam reads it).
        message: Vec<u8>,
        /// The `CHAT_ENTRY_TYPE_*` value.
        chat_type: u32,
    },
    /// `lobby_data_update`: lobby data (`member` = the lobby) or a member's
    /// data (`member` = the user) changed or arrived.
    LobbyDataUpdate {
        /// Whether the data is there (false: no such lobby).
        success: bool,
        /// The lobby.
        lobby: u64,
        /// The lobby again, or the member whose data changed.
        member: u64,
    },
    /// `lobby_match_list`: the answer to `requestLobbyList`.
    LobbyMatchList(Vec<u64>),
    /// `lobby_invite`: someone invited the user to a lobby.
    LobbyInvite {
        /// Who invited.
        inviter: u64,
        /// To which lobby.
        lobby: u64,
        /// The game id (the app id for Steam games).
        game: u64,
    },
    /// `lobby_kicked`: the user was removed from a lobby.
    LobbyKicked {
        /// The lobby.
        lobby: u64,
        /// Who removed the user (the lobby when Steam did).
        admin: u64,
        /// Whether it was because the connection was lost.
        due_to_disconnect: bool,
    },
    /// `lobby_game_created`: the owner set the lobby's game server.
    LobbyGameCreated {
        /// The lobby.
        lobby: u64,
        /// The server's Steam ID (0 if none).
        server: u64,
        /// Host-order IPv4 address.
        ip: u32,
        /// Its port.
        port: u16,
    },
    /// `avatar_loaded`: a user's avatar, square, RGBA8, row by row.
    AvatarLoaded {
        /// Whose avatar.
        user: SteamId,
        /// Its width (and height) in pixels.
        size: u32,
        /// `size * size * 4` bytes.
        rgba: Vec<u8>,
    },
}

/// The avatar sizes Steam has, as GodotSteam's `getPlayerAvatar` picks them:
/// 1 small, 2 medium, anything else large.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AvatarSize {
    /// 32 by 32 pixels.
    Small,
    /// 64 by 64 pixels.
    Medium,
    /// 184 by 184 pixels.
    Large,
}

impl AvatarSize {
    /// GodotSteam's `size` argument: 1 small, 2 medium, anything else large.
    pub fn from_gdscript(size: i64) -> Self {
        match size {
            1 => Self::Small,
            2 => Self::Medium,
            _ => Self::Large,
        }
    }

    /// The width and height in pixels.
    pub fn pixels(self) -> u32 {
        match self {
            Self::Small => 32,
            Self::Medium => 64,
            Self::Large => 184,
        }
    }
}

/// `PERSONA_CHANGE_NAME`: the user's name changed (or became known).
pub const PERSONA_CHANGE_NAME: u32 = 1;

/// Which overlay page a game asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// `activateGameOverlay(type)`.
    Dialog(String),
    /// `activateGameOverlayToUser(type, steam_id)`.
    ToUser(String, SteamId),
    /// `activateGameOverlayInviteDialog(lobby_id)`.
    InviteDialog(u64),
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
