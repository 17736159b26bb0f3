//! The peer's bytes. Control messages (reliable, on the port's control
//! channel): `[1 HELLO][u8 version][u32 nonce]` (repeated until answered;
//! a new nonce means a new connection), `[2 WELCOME][u32 your id]`,
//! `[3 REFUSED]`, `[4 BYE]`. Game packets, on the port's channel for their
//! Godot channel: `[u8 mode]`, then for unreliable-ordered `[u32 sequence]`,
//! then the payload.

use super::Mode;

/// Bumped on incompatible changes.
pub const VERSION: u8 = 1;
/// Godot transfer channels the peer carries (0..=31); others go on 0.
pub const CHANNELS: i32 = 32;
/// The largest game packet (GodotSteam's 512 KiB).
pub const MAX_PACKET: usize = 512 * 1024;
/// The first P2P channel of the peer's ranges, far above what games use.
const CHANNEL_BASE: i32 = 0x4000_0000;
/// P2P channels per virtual port: 32 data channels and the control one.
const CHANNELS_PER_PORT: i32 = 64;
/// The highest virtual port.
pub const MAX_PORT: i64 = 65535;

/// The P2P channel of Godot channel `godot` (0..CHANNELS) on `port`.
pub fn channel(port: u16, godot: i32) -> i32 {
    CHANNEL_BASE + i32::from(port) * CHANNELS_PER_PORT + godot
}

/// The P2P channel of `port`'s control messages.
pub fn control_channel(port: u16) -> i32 {
    channel(port, CHANNELS_PER_PORT - 1)
}

/// A control message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Client to host: let me in (the nonce tells a repeat from a new
    /// connection of the same user).
    Hello(u32),
    /// Host to client: you are in, with this id.
    Welcome(i32),
    /// Host to client: not now (refusing new connections).
    Refused,
    /// Either way: this side closed (or kicked the other).
    Bye,
}

impl Control {
    /// Its bytes.
    pub fn encode(self) -> Vec<u8> {
        match self {
            Self::Hello(nonce) => {
                let mut out = vec![1, VERSION];
                out.extend_from_slice(&nonce.to_le_bytes());
                out
            }
            Self::Welcome(id) => {
                let mut out = vec![2];
                out.extend_from_slice(&id.to_le_bytes());
                out
            }
            Self::Refused => vec![3],
            Self::Bye => vec![4],
        }
    }

    /// Reads one; `None` for anything else.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [1, VERSION, a, b, c, d] => Some(Self::Hello(u32::from_le_bytes([*a, *b, *c, *d]))),
            [2, a, b, c, d] => {
                let id = i32::from_le_bytes([*a, *b, *c, *d]);
                (id >= 2).then_some(Self::Welcome(id))
            }
            [3] => Some(Self::Refused),
            [4] => Some(Self::Bye),
            _ => None,
        }
    }
}

/// A game packet's header and payload.
pub fn encode_data(mode: Mode, seq: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + payload.len());
    encode_data_into(&mut out, mode, seq, payload);
    out
}

/// [`encode_data`] into `out` (emptied first), to reuse its memory.
pub fn encode_data_into(out: &mut Vec<u8>, mode: Mode, seq: u32, payload: &[u8]) {
    out.clear();
    out.push(mode as u8);
    if mode == Mode::UnreliableOrdered {
        out.extend_from_slice(&seq.to_le_bytes());
    }
    out.extend_from_slice(payload);
}

/// Reads a game packet: mode, sequence (0 unless ordered), payload.
pub fn decode_data(bytes: &[u8]) -> Option<(Mode, u32, &[u8])> {
    let (&mode, rest) = bytes.split_first()?;
    match mode {
        0 => Some((Mode::Unreliable, 0, rest)),
        2 => Some((Mode::Reliable, 0, rest)),
        1 if rest.len() >= 4 => {
            let seq = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
            Some((Mode::UnreliableOrdered, seq, &rest[4..]))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_of_ports_never_overlap_and_stay_positive() {
        assert_eq!(channel(0, 0), 0x4000_0000);
        assert_eq!(control_channel(0), 0x4000_003F);
        assert_eq!(channel(1, 0), control_channel(0) + 1);
        assert!(control_channel(65535) > 0);
    }

    #[test]
    fn messages_read_back() {
        for c in [
            Control::Hello(3),
            Control::Welcome(7),
            Control::Refused,
            Control::Bye,
        ] {
            assert_eq!(Control::decode(&c.encode()), Some(c));
        }
        assert_eq!(
            Control::decode(&Control::Welcome(1).encode()),
            None,
            "1 is the host"
        );
        assert_eq!(
            Control::decode(&[1, 99, 0, 0, 0, 0]),
            None,
            "another version"
        );
        let d = encode_data(Mode::UnreliableOrdered, 9, b"x");
        assert_eq!(
            decode_data(&d),
            Some((Mode::UnreliableOrdered, 9, &b"x"[..]))
        );
        assert_eq!(
            decode_data(&encode_data(Mode::Reliable, 0, b"")),
            Some((Mode::Reliable, 0, &b""[..]))
        );
        assert_eq!(decode_data(&[1, 0]), None);
        assert_eq!(decode_data(&[7]), None);
    }
}
