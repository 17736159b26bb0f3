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
}
