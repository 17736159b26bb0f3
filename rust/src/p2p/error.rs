//! Why a call from GDScript was refused before it reached a backend.

use thiserror::Error;

/// A refused argument or call. The message is what the game developer sees
/// in Godot's output, so it names the argument, the value and the rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InputError {
    /// The networking call came before `steamInit` or after `steamShutdown`.
    #[error("Steam is not initialized: call Steam.steamInit() or Steam.steamInitEx() first")]
    NotInitialized,
    /// The value is not the SteamID64 of a user or game server.
    #[error("invalid Steam ID {0}: expected the SteamID64 of a user or game server")]
    InvalidSteamId(i64),
    /// Channels are 32-bit and non-negative in Steam.
    #[error("invalid channel {0}: channels are 0..=2147483647")]
    InvalidChannel(i64),
    /// `send_type` is not one of the four `P2P_SEND_*` constants.
    #[error(
        "invalid send_type {0}: use Steam.P2P_SEND_UNRELIABLE (0), P2P_SEND_UNRELIABLE_NO_DELAY (1), P2P_SEND_RELIABLE (2) or P2P_SEND_RELIABLE_WITH_BUFFERING (3)"
    )]
    InvalidSendType(i64),
    /// A zero-byte packet could not be told apart from "no packet" by the reader.
    #[error("refusing to send an empty packet: a reader could not tell it from no packet")]
    EmptyPacket,
    /// The payload exceeds Steam's limit for the chosen send type.
    #[error("packet of {size} bytes is too large for {send_type}: the limit is {limit} bytes")]
    PacketTooLarge {
        /// Bytes the caller tried to send.
        size: usize,
        /// The send type's limit.
        limit: usize,
        /// The send type's GDScript constant name.
        send_type: &'static str,
    },
    /// `readP2PPacket`'s buffer size is outside 1..=2^32-1.
    #[error(
        "invalid packet size {0}: the buffer size must be 1..=4294967295 (normally getAvailableP2PPacketSize())"
    )]
    InvalidReadSize(i64),
    /// An app (or DLC) id outside Steam's 32-bit range.
    #[error("invalid app id {0}: Steam app ids are 0..=4294967295")]
    InvalidAppId(i64),
    /// A lobby id that is not a SteamID64 of a lobby.
    #[error("invalid lobby id {0}: expected the SteamID64 of a lobby")]
    InvalidLobbyId(i64),
    /// `readP2PPackets`' `max_packets` is not positive.
    #[error("invalid max_packets {0}: read at least 1 packet")]
    InvalidPacketCount(i64),
    /// `lobby_type` is not a `LOBBY_TYPE_*` constant.
    #[error(
        "invalid lobby_type {0}: use Steam.LOBBY_TYPE_PRIVATE (0), LOBBY_TYPE_FRIENDS_ONLY (1), LOBBY_TYPE_PUBLIC (2), LOBBY_TYPE_INVISIBLE (3) or LOBBY_TYPE_PRIVATE_UNIQUE (4)"
    )]
    InvalidLobbyType(i64),
    /// A member limit outside Steam's 1..=250.
    #[error("invalid max_members {0}: a lobby has 1..=250 members")]
    InvalidMemberLimit(i64),
    /// `comparison_type` is not a `LOBBY_COMPARISON_*` constant.
    #[error("invalid comparison_type {0}: use a Steam.LOBBY_COMPARISON_* constant (-2..=3)")]
    InvalidComparison(i64),
    /// `distance_filter` is not a `LOBBY_DISTANCE_FILTER_*` constant.
    #[error("invalid distance_filter {0}: use a Steam.LOBBY_DISTANCE_FILTER_* constant (0..=3)")]
    InvalidDistance(i64),
    /// A lobby data key that is empty or over Steam's 255 bytes.
    #[error("invalid key of {0} bytes: lobby data keys are 1..=255 bytes")]
    BadLobbyKey(usize),
    /// A lobby data value over Steam's 8192 bytes.
    #[error("value of {0} bytes is too long: lobby data values are at most 8192 bytes")]
    LobbyValueTooLong(usize),
    /// A chat message that is empty or over Steam's 4 KB.
    #[error("chat message of {0} bytes: lobby chat messages are 1..=4096 bytes")]
    BadChatMessage(usize),
    /// `config` is not one of the simulation settings
    /// (`NETWORKING_CONFIG_FAKE_*`).
    #[error(
        "unknown config {0}: the settings this plugin knows are the Steam.NETWORKING_CONFIG_FAKE_PACKET_* and NETWORKING_CONFIG_FAKE_RATE_LIMIT_* constants"
    )]
    UnknownConfig(i64),
    /// The setting takes the other kind of value.
    #[error("{name} cannot be set with {call}: use {expected}")]
    ConfigKind {
        /// The setting's constant name.
        name: &'static str,
        /// The call that was used.
        call: &'static str,
        /// The call that takes its kind of value.
        expected: &'static str,
    },
    /// The value is outside the setting's range (or not a number).
    #[error("invalid value {value} for {name}: expected {range}")]
    ConfigRange {
        /// The setting's constant name.
        name: &'static str,
        /// What it was.
        value: String,
        /// What it may be.
        range: &'static str,
    },
    /// Steam did not take a setting the plugin passed on.
    #[error("Steam refused {name} = {value}")]
    ConfigRefused {
        /// The setting's constant name.
        name: &'static str,
        /// The value.
        value: String,
    },
    /// A count or index argument outside its range.
    #[error("invalid {name} {value}: expected {range}")]
    OutOfRange {
        /// The argument.
        name: &'static str,
        /// What it was.
        value: i64,
        /// What it may be.
        range: &'static str,
    },
}
