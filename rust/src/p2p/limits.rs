//! Steam's limits on send types, channels, payloads and read buffers, and the
//! checks that apply them to GDScript's `int` arguments.

use super::InputError;

/// Largest payload for the unreliable send types (Steam's MTU-sized limit).
pub const MAX_UNRELIABLE_BYTES: usize = 1200;
/// Largest payload for the reliable send types (1 MiB).
pub const MAX_RELIABLE_BYTES: usize = 1024 * 1024;
/// Largest buffer `readP2PPacket` allocates, whatever size the game asks for:
/// no packet can be larger, so a bigger buffer would only waste memory.
pub const MAX_READ_ALLOCATION: u32 = MAX_RELIABLE_BYTES as u32;

/// How a packet travels, as Steam's `EP2PSend` (the `P2P_SEND_*` constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SendType {
    /// May be lost; at most 1200 bytes.
    Unreliable = 0,
    /// As `Unreliable`, but dropped rather than queued while connecting.
    UnreliableNoDelay = 1,
    /// Arrives once, intact and in order per channel; at most 1 MiB.
    Reliable = 2,
    /// As `Reliable`, but small packets may be coalesced (Nagle).
    ReliableWithBuffering = 3,
}

impl SendType {
    /// Checks a GDScript `send_type` argument.
    pub fn from_gdscript(raw: i64) -> Result<Self, InputError> {
        match raw {
            0 => Ok(Self::Unreliable),
            1 => Ok(Self::UnreliableNoDelay),
            2 => Ok(Self::Reliable),
            3 => Ok(Self::ReliableWithBuffering),
            _ => Err(InputError::InvalidSendType(raw)),
        }
    }

    /// Whether Steam retransmits packets of this type until they arrive.
    pub fn is_reliable(self) -> bool {
        matches!(self, Self::Reliable | Self::ReliableWithBuffering)
    }

    /// The largest payload Steam accepts for this type.
    pub fn max_payload(self) -> usize {
        if self.is_reliable() {
            MAX_RELIABLE_BYTES
        } else {
            MAX_UNRELIABLE_BYTES
        }
    }

    /// The GDScript constant's name, for messages.
    pub fn constant_name(self) -> &'static str {
        match self {
            Self::Unreliable => "P2P_SEND_UNRELIABLE",
            Self::UnreliableNoDelay => "P2P_SEND_UNRELIABLE_NO_DELAY",
            Self::Reliable => "P2P_SEND_RELIABLE",
            Self::ReliableWithBuffering => "P2P_SEND_RELIABLE_WITH_BUFFERING",
        }
    }

    /// Checks a payload against Steam's rules for this send type.
    pub fn check_payload(self, len: usize) -> Result<(), InputError> {
        if len == 0 {
            return Err(InputError::EmptyPacket);
        }
        let limit = self.max_payload();
        if len > limit {
            return Err(InputError::PacketTooLarge {
                size: len,
                limit,
                send_type: self.constant_name(),
            });
        }
        Ok(())
    }
}

/// A P2P channel: Steam takes a non-negative 32-bit int.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Channel(i32);

impl Channel {
    /// Checks a GDScript `channel` argument.
    pub fn from_gdscript(raw: i64) -> Result<Self, InputError> {
        i32::try_from(raw)
            .ok()
            .filter(|c| *c >= 0)
            .map(Self)
            .ok_or(InputError::InvalidChannel(raw))
    }

    /// The channel number as Steam's API takes it.
    pub fn get(self) -> i32 {
        self.0
    }
}

/// The buffer size `readP2PPacket` reads into: Steam's `uint32 cubDest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadSize(u32);

impl ReadSize {
    /// Checks a GDScript `packet` argument (1..=2^32-1).
    pub fn from_gdscript(raw: i64) -> Result<Self, InputError> {
        u32::try_from(raw)
            .ok()
            .filter(|n| *n > 0)
            .map(Self)
            .ok_or(InputError::InvalidReadSize(raw))
    }

    /// The size the game asked for.
    pub fn requested(self) -> u32 {
        self.0
    }

    /// How many bytes to allocate for a packet of `available` bytes: never
    /// more than the packet, the request, or the largest possible packet.
    pub fn allocation_for(self, available: u32) -> usize {
        self.0.min(available).min(MAX_READ_ALLOCATION) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_types_map_like_ep2psend() {
        assert_eq!(SendType::from_gdscript(0), Ok(SendType::Unreliable));
        assert_eq!(SendType::from_gdscript(1), Ok(SendType::UnreliableNoDelay));
        assert_eq!(SendType::from_gdscript(2), Ok(SendType::Reliable));
        assert_eq!(
            SendType::from_gdscript(3),
            Ok(SendType::ReliableWithBuffering)
        );
        for bad in [-1, 4, i64::MAX, i64::MIN] {
            assert_eq!(
                SendType::from_gdscript(bad),
                Err(InputError::InvalidSendType(bad))
            );
        }
    }

    #[test]
    fn payload_limits_follow_the_send_type() {
        assert_eq!(
            SendType::Unreliable.check_payload(0),
            Err(InputError::EmptyPacket)
        );
        assert_eq!(
            SendType::Reliable.check_payload(0),
            Err(InputError::EmptyPacket)
        );
        assert!(SendType::Unreliable.check_payload(1200).is_ok());
        assert!(SendType::UnreliableNoDelay.check_payload(1201).is_err());
        assert!(SendType::Reliable.check_payload(1201).is_ok());
        assert!(
            SendType::ReliableWithBuffering
                .check_payload(1_048_576)
                .is_ok()
        );
        let err = SendType::Reliable.check_payload(1_048_577).unwrap_err();
        assert_eq!(
            err.to_string(),
            "packet of 1048577 bytes is too large for P2P_SEND_RELIABLE: the limit is 1048576 bytes"
        );
    }

    #[test]
    fn channels_are_non_negative_i32() {
        assert_eq!(Channel::from_gdscript(0).unwrap().get(), 0);
        assert_eq!(
            Channel::from_gdscript(i32::MAX as i64).unwrap().get(),
            i32::MAX
        );
        for bad in [-1, 1 << 31, i64::MAX, i64::MIN] {
            assert_eq!(
                Channel::from_gdscript(bad),
                Err(InputError::InvalidChannel(bad))
            );
        }
    }

    #[test]
    fn read_sizes_are_u32_and_positive() {
        for bad in [0, -5, 1 << 32, i64::MIN] {
            assert_eq!(
                ReadSize::from_gdscript(bad),
                Err(InputError::InvalidReadSize(bad))
            );
        }
        assert_eq!(
            ReadSize::from_gdscript(u32::MAX as i64)
                .unwrap()
                .requested(),
            u32::MAX
        );
    }

    #[test]
    fn read_allocation_is_capped() {
        let huge = ReadSize::from_gdscript(1 << 31).unwrap();
        assert_eq!(huge.allocation_for(10), 10);
        assert_eq!(huge.allocation_for(u32::MAX), MAX_RELIABLE_BYTES);
        let small = ReadSize::from_gdscript(4).unwrap();
        assert_eq!(small.allocation_for(100), 4);
    }
}
