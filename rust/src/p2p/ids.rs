//! SteamID64 values and which of them can be a P2P peer.

use super::InputError;

/// A SteamID64 known to name a user or game server, the only account kinds
/// that Steam's P2P interface can talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SteamId(u64);

/// Steam's account types, as stored in bits 52..56 of a SteamID64.
const ACCOUNT_TYPE_INDIVIDUAL: u64 = 1;
const ACCOUNT_TYPE_GAME_SERVER: u64 = 3;
const ACCOUNT_TYPE_ANON_GAME_SERVER: u64 = 4;
/// Chat rooms, which Steam's lobbies are.
const ACCOUNT_TYPE_CHAT: u64 = 8;
/// Universes 1..=4 are Public, Beta, Internal and Dev; 0 is Invalid.
const MAX_UNIVERSE: u64 = 4;
/// Individual accounts use instances 0..=4 (all, desktop, console, web).
const MAX_INDIVIDUAL_INSTANCE: u64 = 4;

impl SteamId {
    /// The base of every individual account in the public universe
    /// (account number 0, desktop instance).
    pub const INDIVIDUAL_BASE: u64 = 76_561_197_960_265_728;

    /// Checks a GDScript `int` (GDScript has no unsigned 64-bit type; every
    /// real SteamID64 is below 2^63, so it arrives unchanged as a positive i64).
    pub fn from_gdscript(raw: i64) -> Result<Self, InputError> {
        u64::try_from(raw)
            .ok()
            .and_then(Self::from_u64)
            .ok_or(InputError::InvalidSteamId(raw))
    }

    /// Checks a raw SteamID64: `None` unless it is a user or game server.
    pub fn from_u64(raw: u64) -> Option<Self> {
        let account = raw & 0xFFFF_FFFF;
        let instance = (raw >> 32) & 0xF_FFFF;
        let account_type = (raw >> 52) & 0xF;
        let universe = raw >> 56;
        let plausible = (1..=MAX_UNIVERSE).contains(&universe)
            && match account_type {
                ACCOUNT_TYPE_INDIVIDUAL => account != 0 && instance <= MAX_INDIVIDUAL_INSTANCE,
                ACCOUNT_TYPE_GAME_SERVER => account != 0,
                ACCOUNT_TYPE_ANON_GAME_SERVER => true,
                _ => false,
            };
        plausible.then_some(Self(raw))
    }

    /// The SteamID64.
    pub fn raw(self) -> u64 {
        self.0
    }

    /// The SteamID64 as a GDScript `int` (lossless: valid ids are below 2^63).
    pub fn to_gdscript(self) -> i64 {
        self.0 as i64
    }
}

/// Checks a GDScript lobby id: the SteamID64 of a chat room (what Steam's
/// lobbies are) with a non-zero account number.
pub fn lobby_from_gdscript(raw: i64) -> Result<u64, InputError> {
    u64::try_from(raw)
        .ok()
        .filter(|id| (id >> 52) & 0xF == ACCOUNT_TYPE_CHAT && id & 0xFFFF_FFFF != 0)
        .ok_or(InputError::InvalidLobbyId(raw))
}

impl std::fmt::Display for SteamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_individual_accounts() {
        let id = SteamId::INDIVIDUAL_BASE as i64 + 1 + 4;
        assert_eq!(SteamId::from_gdscript(id).unwrap().to_gdscript(), id);
        // A typical real account id.
        assert!(SteamId::from_gdscript(76561198012345678).is_ok());
    }

    #[test]
    fn accepts_game_servers() {
        let persistent = (1u64 << 56) | (ACCOUNT_TYPE_GAME_SERVER << 52) | 42;
        let anonymous = (1u64 << 56) | (ACCOUNT_TYPE_ANON_GAME_SERVER << 52) | (7 << 32);
        assert!(SteamId::from_u64(persistent).is_some());
        assert!(SteamId::from_u64(anonymous).is_some());
    }

    #[test]
    fn refuses_zero_negative_and_max() {
        for raw in [0, -1, i64::MIN, i64::MAX, 1, 480] {
            assert_eq!(
                SteamId::from_gdscript(raw),
                Err(InputError::InvalidSteamId(raw))
            );
        }
    }

    #[test]
    fn refuses_account_zero_and_other_account_types() {
        // The base itself is account number 0: not a user.
        assert!(SteamId::from_u64(SteamId::INDIVIDUAL_BASE).is_none());
        // A lobby id (account type Chat = 7, with the lobby instance flag).
        let lobby = (1u64 << 56) | (7 << 52) | (0x4_0000 << 32) | 12345;
        assert!(SteamId::from_u64(lobby).is_none());
        // A clan (group) id.
        assert!(SteamId::from_u64((1u64 << 56) | (7 << 52) | 5).is_none());
        // Universe 0 (invalid) and 5 (beyond Dev).
        assert!(SteamId::from_u64((1u64 << 52) | 5).is_none());
        assert!(SteamId::from_u64((5u64 << 56) | (1 << 52) | 5).is_none());
    }

    #[test]
    fn refuses_individual_with_odd_instance() {
        let raw = (1u64 << 56) | (1 << 52) | (9 << 32) | 5;
        assert!(SteamId::from_u64(raw).is_none());
    }
}
