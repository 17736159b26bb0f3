//! Lobbies (ISteamMatchmaking) in plain Rust: Steam's lobby types, list
//! filters, limits and enter responses, and how a lobby list is filtered
//! and sorted. Both backends and the argument checks use these.

use super::InputError;

/// The most members a lobby can have (`createLobby`'s `max_members`).
pub const MAX_MEMBERS: u32 = 250;
/// The longest lobby or member data key, in bytes (`k_nMaxLobbyKeyLength`).
pub const MAX_KEY_BYTES: usize = 255;
/// The longest lobby or member data value, in bytes (`k_cubChatMetadataMax`).
pub const MAX_VALUE_BYTES: usize = 8192;
/// The longest lobby chat message, in bytes (Steam's 4 KB).
pub const MAX_CHAT_BYTES: usize = 4096;
/// How many lobbies `requestLobbyList` returns when no result-count filter
/// says otherwise (Steam's default).
pub const DEFAULT_RESULT_COUNT: u32 = 50;

/// `LobbyCreated_t`'s result on success (`RESULT_OK`).
pub const RESULT_OK: u32 = 1;
/// `RESULT_FAIL`: a lobby could not be created.
pub const RESULT_FAIL: u32 = 2;
/// `RESULT_LIMIT_EXCEEDED`: the user is in too many lobbies.
pub const RESULT_LIMIT_EXCEEDED: u32 = 25;

/// `CHAT_MEMBER_STATE_CHANGE_*` bits of `lobby_chat_update`.
pub mod member_change {
    /// The user joined.
    pub const ENTERED: u32 = 1;
    /// The user left.
    pub const LEFT: u32 = 2;
    /// The user's connection was lost.
    pub const DISCONNECTED: u32 = 4;
    /// The user was kicked.
    pub const KICKED: u32 = 8;
    /// The user was kicked and banned.
    pub const BANNED: u32 = 16;
}

/// `CHAT_ENTRY_TYPE_CHAT_MSG`: a normal chat message.
pub const CHAT_ENTRY_CHAT_MSG: u32 = 1;

/// Steam's `ELobbyType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LobbyType {
    /// Joinable by invitation or id only; never listed.
    Private = 0,
    /// For friends and invitees; not in lobby lists.
    FriendsOnly = 1,
    /// Listed and joinable by anyone.
    Public = 2,
    /// Listed, but not shown to friends.
    Invisible = 3,
    /// Private, and the user's only one of its kind.
    PrivateUnique = 4,
}

impl LobbyType {
    /// Checks a GodotSteam `lobby_type` argument.
    pub fn from_gdscript(raw: i64) -> Result<Self, InputError> {
        Ok(match raw {
            0 => Self::Private,
            1 => Self::FriendsOnly,
            2 => Self::Public,
            3 => Self::Invisible,
            4 => Self::PrivateUnique,
            _ => return Err(InputError::InvalidLobbyType(raw)),
        })
    }

    /// The value on the wire and in Steam.
    pub fn from_raw(raw: u8) -> Option<Self> {
        Self::from_gdscript(i64::from(raw)).ok()
    }

    /// Whether `requestLobbyList` can return such a lobby.
    pub fn is_listed(self) -> bool {
        matches!(self, Self::Public | Self::Invisible)
    }
}

/// Steam's `ELobbyComparison`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// Value <= filter.
    EqualOrLessThan = -2,
    /// Value < filter.
    LessThan = -1,
    /// Value == filter.
    Equal = 0,
    /// Value > filter.
    GreaterThan = 1,
    /// Value >= filter.
    EqualOrGreaterThan = 2,
    /// Value != filter.
    NotEqual = 3,
}

impl Comparison {
    /// Checks a GodotSteam `comparison_type` argument.
    pub fn from_gdscript(raw: i64) -> Result<Self, InputError> {
        Ok(match raw {
            -2 => Self::EqualOrLessThan,
            -1 => Self::LessThan,
            0 => Self::Equal,
            1 => Self::GreaterThan,
            2 => Self::EqualOrGreaterThan,
            3 => Self::NotEqual,
            _ => return Err(InputError::InvalidComparison(raw)),
        })
    }

    /// Whether a lobby's value relates to the filter's value this way.
    pub fn holds<T: Ord>(self, lobby: T, filter: T) -> bool {
        use std::cmp::Ordering::*;
        let order = lobby.cmp(&filter);
        match self {
            Self::EqualOrLessThan => order != Greater,
            Self::LessThan => order == Less,
            Self::Equal => order == Equal,
            Self::GreaterThan => order == Greater,
            Self::EqualOrGreaterThan => order != Less,
            Self::NotEqual => order != Equal,
        }
    }
}

/// Steam's `ELobbyDistanceFilter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distance {
    /// Same region only.
    Close = 0,
    /// Steam's default: same or nearby regions.
    Default = 1,
    /// Half the world.
    Far = 2,
    /// Anywhere.
    Worldwide = 3,
}

impl Distance {
    /// Checks a GodotSteam `distance_filter` argument.
    pub fn from_gdscript(raw: i64) -> Result<Self, InputError> {
        Ok(match raw {
            0 => Self::Close,
            1 => Self::Default,
            2 => Self::Far,
            3 => Self::Worldwide,
            _ => return Err(InputError::InvalidDistance(raw)),
        })
    }
}

/// One `addRequestLobbyList*Filter` call, kept until `requestLobbyList`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListFilter {
    /// The lobby's `key` compares with `value` as strings.
    String {
        /// The data key.
        key: String,
        /// The value compared with.
        value: String,
        /// How.
        comparison: Comparison,
    },
    /// The lobby's `key`, read as an integer, compares with `value`.
    Numerical {
        /// The data key.
        key: String,
        /// The value compared with.
        value: i32,
        /// How.
        comparison: Comparison,
    },
    /// Sorts lobbies by how close `key` is to `value` (no filtering).
    NearValue {
        /// The data key.
        key: String,
        /// The value to be close to.
        value: i32,
    },
    /// At least this many free member slots.
    SlotsAvailable(u32),
    /// How far away lobbies may be.
    Distance(Distance),
    /// At most this many results.
    ResultCount(u32),
}

/// Steam's `EChatRoomEnterResponse` (`CHAT_ROOM_ENTER_RESPONSE_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnterResponse {
    /// Joined.
    Success = 1,
    /// No such lobby (any more).
    DoesntExist = 2,
    /// The lobby is not joinable, or not for this user.
    NotAllowed = 3,
    /// Every member slot is taken.
    Full = 4,
    /// Something else went wrong (the owner did not answer).
    Error = 5,
    /// Too many joins in a short time.
    RateLimitExceeded = 15,
}

/// What a lobby list is judged by: one lobby as a list query sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedLobby {
    /// Its SteamID64.
    pub id: u64,
    /// Members now.
    pub members: u32,
    /// Its member limit.
    pub limit: u32,
    /// Its data, in the order it was set.
    pub data: Vec<(String, String)>,
}

impl ListedLobby {
    fn value(&self, key: &str) -> Option<&str> {
        self.data
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether this lobby passes every filter (distance filters pass all:
    /// everything is near on one machine or in the double).
    pub fn matches(&self, filters: &[ListFilter]) -> bool {
        filters.iter().all(|filter| match filter {
            ListFilter::String {
                key,
                value,
                comparison,
            } => comparison.holds(self.value(key).unwrap_or(""), value.as_str()),
            ListFilter::Numerical {
                key,
                value,
                comparison,
            } => self
                .value(key)
                .and_then(|v| v.trim().parse::<i64>().ok())
                .is_some_and(|v| comparison.holds(v, i64::from(*value))),
            ListFilter::SlotsAvailable(slots) => self.limit.saturating_sub(self.members) >= *slots,
            ListFilter::NearValue { .. } | ListFilter::Distance(_) | ListFilter::ResultCount(_) => {
                true
            }
        })
    }
}

/// Steam's answer to a list query: the lobbies that pass every filter,
/// the ones closest to a near-value filter first, then the fullest first
/// (Steam's usual order), at most the result count (default 50).
pub fn select(mut lobbies: Vec<ListedLobby>, filters: &[ListFilter]) -> Vec<u64> {
    lobbies.retain(|l| l.matches(filters));
    let near: Vec<(&str, i64)> = filters
        .iter()
        .filter_map(|f| match f {
            ListFilter::NearValue { key, value } => Some((key.as_str(), i64::from(*value))),
            _ => None,
        })
        .collect();
    let distance = |lobby: &ListedLobby| -> Vec<u64> {
        near.iter()
            .map(|(key, target)| {
                lobby
                    .value(key)
                    .and_then(|v| v.trim().parse::<i64>().ok())
                    .map_or(u64::MAX, |v| v.abs_diff(*target))
            })
            .collect()
    };
    lobbies.sort_by(|a, b| {
        distance(a)
            .cmp(&distance(b))
            .then(b.members.cmp(&a.members))
            .then(a.id.cmp(&b.id))
    });
    let count = filters
        .iter()
        .rev()
        .find_map(|f| match f {
            ListFilter::ResultCount(n) => Some(*n),
            _ => None,
        })
        .unwrap_or(DEFAULT_RESULT_COUNT);
    lobbies.truncate(count as usize);
    lobbies.into_iter().map(|l| l.id).collect()
}

/// Checks a lobby or member data key: 1..=255 bytes.
pub fn check_key(key: &str) -> Result<(), InputError> {
    if key.is_empty() || key.len() > MAX_KEY_BYTES {
        return Err(InputError::BadLobbyKey(key.len()));
    }
    Ok(())
}

/// Checks a lobby or member data value: at most 8192 bytes.
pub fn check_value(value: &str) -> Result<(), InputError> {
    if value.len() > MAX_VALUE_BYTES {
        return Err(InputError::LobbyValueTooLong(value.len()));
    }
    Ok(())
}

/// Checks a `max_members` argument: 1..=250.
pub fn check_member_limit(raw: i64) -> Result<u32, InputError> {
    u32::try_from(raw)
        .ok()
        .filter(|n| (1..=MAX_MEMBERS).contains(n))
        .ok_or(InputError::InvalidMemberLimit(raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lobby(id: u64, members: u32, data: &[(&str, &str)]) -> ListedLobby {
        ListedLobby {
            id,
            members,
            limit: 4,
            data: data
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn filters_all_have_to_pass() {
        let lobbies = vec![
            lobby(1, 1, &[("mode", "ctf"), ("level", "3")]),
            lobby(2, 4, &[("mode", "ctf"), ("level", "5")]),
            lobby(3, 2, &[("mode", "dm"), ("level", "5")]),
            lobby(4, 2, &[("mode", "ctf"), ("level", "x")]),
        ];
        let ctf = ListFilter::String {
            key: "mode".into(),
            value: "ctf".into(),
            comparison: Comparison::Equal,
        };
        assert_eq!(
            select(lobbies.clone(), std::slice::from_ref(&ctf)),
            vec![2, 4, 1]
        );
        let level = ListFilter::Numerical {
            key: "level".into(),
            value: 4,
            comparison: Comparison::GreaterThan,
        };
        assert_eq!(select(lobbies.clone(), &[ctf.clone(), level]), vec![2]);
        let room = ListFilter::SlotsAvailable(1);
        assert_eq!(select(lobbies.clone(), &[ctf, room]), vec![4, 1]);
        assert_eq!(
            select(lobbies.clone(), &[ListFilter::ResultCount(2)]),
            vec![2, 3]
        );
        let near = ListFilter::NearValue {
            key: "level".into(),
            value: 3,
        };
        assert_eq!(select(lobbies, &[near]), vec![1, 2, 3, 4]);
    }

    #[test]
    fn comparisons_read_as_the_lobby_value_against_the_filter() {
        assert!(Comparison::LessThan.holds(1, 2));
        assert!(Comparison::EqualOrGreaterThan.holds(2, 2));
        assert!(!Comparison::NotEqual.holds("a", "a"));
        assert!(Comparison::EqualOrLessThan.holds("a", "b"));
    }

    #[test]
    fn arguments_are_checked() {
        assert_eq!(LobbyType::from_gdscript(2), Ok(LobbyType::Public));
        assert!(LobbyType::from_gdscript(5).is_err());
        assert_eq!(check_member_limit(250), Ok(250));
        assert!(check_member_limit(0).is_err());
        assert!(check_member_limit(251).is_err());
        assert!(check_key("").is_err());
        assert!(check_key(&"k".repeat(255)).is_ok());
        assert!(check_key(&"k".repeat(256)).is_err());
        assert!(check_value(&"v".repeat(8192)).is_ok());
        assert!(check_value(&"v".repeat(8193)).is_err());
    }
}
