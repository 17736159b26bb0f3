//! The local backend's wire format, and the checks that drop anything a
//! well-behaved peer would not send. Integers are little-endian.
//!
//! TCP (reliable) stream: frames of `[u32 body length][body]`; the body is
//! `[u8 kind]` then, for `HELLO` (always first), `[u32 MAGIC][u8 VERSION][u64
//! sender]`, for `DATA`, `[u64 sender][i32 channel][payload]`, and for
//! `CLOSE` (always last: the sender closed its session) nothing.
//! UDP (unreliable and liveness) datagram: `[u32 MAGIC][u8 VERSION][u8 kind]
//! [u64 sender]`, then for `DATA` `[i32 channel][payload]`, for `PING` and
//! `PONG` the sender's persona name (UTF-8, at most `MAX_NAME` bytes, so
//! that peers learn each other's names), and `CLOSE` (for a session that
//! never opened a stream) ends there.
//! `HELD` is `DATA` with a network simulation's hold (`[u64 delay ns][u64
//! sent, ns since the Unix epoch]`) between the channel and the payload, in
//! frames and datagrams alike: the receiver keeps the packet that long
//! (less the time it already took to get there) before the game sees it.

use bytes::{Buf, BufMut};
use thiserror::Error;

use crate::p2p::limits::{MAX_RELIABLE_BYTES, MAX_UNRELIABLE_BYTES};
use crate::p2p::{Channel, SteamId};

/// Identifies our traffic ("SNLB").
pub const MAGIC: u32 = 0x534E_4C42;
/// Bumped on any incompatible change (2: CLOSE, names in PING and PONG; 3:
/// HELD).
pub const VERSION: u8 = 3;
/// The longest persona name on the wire (Steam allows 32 characters of up
/// to four bytes each).
pub const MAX_NAME: usize = 128;

const KIND_HELLO: u8 = 1;
const KIND_DATA: u8 = 2;
const KIND_PING: u8 = 3;
const KIND_PONG: u8 = 4;
const KIND_CLOSE: u8 = 5;
const KIND_LOBBY: u8 = 6;
const KIND_HELD: u8 = 7;

/// Bytes a hold adds to a packet's header.
pub const HOLD_LEN: usize = 16;

/// Bytes before a reliable payload in a DATA frame body.
pub const DATA_HEADER: usize = 1 + 8 + 4;
/// Bytes before a reliable payload in a HELD frame body.
pub const HELD_HEADER: usize = DATA_HEADER + HOLD_LEN;
/// The largest body a peer may announce: a full reliable payload, held.
pub const MAX_FRAME_BODY: usize = HELD_HEADER + MAX_RELIABLE_BYTES;
/// Bytes before an unreliable payload in a DATA datagram.
const DATAGRAM_HEADER: usize = 4 + 1 + 1 + 8;
/// The largest datagram a peer may send.
pub const MAX_DATAGRAM: usize = DATAGRAM_HEADER + 4 + MAX_UNRELIABLE_BYTES;
/// The largest lobby message payload (see `lobby/codec.rs`).
pub const MAX_LOBBY_PAYLOAD: usize = 60_000;
/// The largest datagram of any kind: what receive buffers hold.
pub const MAX_ANY_DATAGRAM: usize = DATAGRAM_HEADER + MAX_LOBBY_PAYLOAD;

/// Why incoming bytes were dropped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WireError {
    /// Fewer bytes than the layout needs.
    #[error("truncated: {0} bytes")]
    Truncated(usize),
    /// Not our protocol.
    #[error("bad magic {0:#x}")]
    BadMagic(u32),
    /// Our protocol, another version.
    #[error("unsupported version {0}")]
    BadVersion(u8),
    /// A kind this version does not know, or one not allowed here.
    #[error("unexpected kind {0}")]
    BadKind(u8),
    /// The sender is not a valid Steam ID.
    #[error("invalid sender id {0}")]
    BadSender(u64),
    /// The sender differs from the one the connection or address belongs to.
    #[error("sender {claimed} claims to be someone else (expected {expected})")]
    WrongSender {
        /// The id in the packet.
        claimed: u64,
        /// The id the connection or address belongs to.
        expected: u64,
    },
    /// A negative channel.
    #[error("invalid channel {0}")]
    BadChannel(i32),
    /// No payload: senders never produce empty packets.
    #[error("empty payload")]
    Empty,
    /// Larger than the protocol allows.
    #[error("oversized: {0} bytes")]
    Oversized(usize),
    /// A persona name that is not UTF-8.
    #[error("a name that is not UTF-8")]
    BadName,
}

/// How long a receiver keeps a packet before the game sees it: what the
/// sender's network simulation decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    /// The simulated delay, in nanoseconds.
    pub delay_ns: u64,
    /// When it was sent, in nanoseconds since the Unix epoch ([`clock_ns`]):
    /// instances on one machine share the clock, so the receiver can take
    /// the time the packet spent in sockets and queues off the delay.
    pub sent_ns: u64,
}

/// `at` on the wall clock, in nanoseconds since the Unix epoch. The wall
/// clock is read once per process and the monotonic clock carries it on:
/// times keep their order and differences exactly (packets sent in order
/// stay due in order), and a wall clock set meanwhile shifts nothing.
pub fn clock_ns(at: std::time::Instant) -> u64 {
    use std::sync::OnceLock;
    use std::time::{Instant, SystemTime, UNIX_EPOCH};
    static BASE: OnceLock<(Instant, u64)> = OnceLock::new();
    let (instant, wall) = *BASE.get_or_init(|| {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        (Instant::now(), wall)
    });
    let since = |d: std::time::Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    if at >= instant {
        wall.saturating_add(since(at - instant))
    } else {
        wall.saturating_sub(since(instant - at))
    }
}

impl Hold {
    /// A hold of `delay` for a packet sent at `now`.
    pub fn after(now: std::time::Instant, delay: std::time::Duration) -> Self {
        Self {
            delay_ns: u64::try_from(delay.as_nanos()).unwrap_or(u64::MAX),
            sent_ns: clock_ns(now),
        }
    }

    /// What is left of the delay at `now_ns` ([`clock_ns`] on the
    /// receiver): the delay, less the time since sending (never less than
    /// nothing, and never more than the delay, whatever the clocks say).
    pub fn remaining(&self, now_ns: u64) -> std::time::Duration {
        let spent = now_ns.saturating_sub(self.sent_ns).min(self.delay_ns);
        std::time::Duration::from_nanos(self.delay_ns - spent)
    }
}

/// A decoded DATA payload with its origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Data<'a> {
    /// Who sent it.
    pub sender: SteamId,
    /// On which channel.
    pub channel: Channel,
    /// The bytes.
    pub payload: &'a [u8],
    /// The network simulation's hold (HELD), if any.
    pub hold: Option<Hold>,
}

/// The header of a DATA or HELD frame body whose payload is still on its way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataHead {
    /// Who sent it.
    pub sender: SteamId,
    /// On which channel.
    pub channel: Channel,
    /// The hold, for HELD.
    pub hold: Option<Hold>,
    /// Bytes of the body before the payload.
    pub len: usize,
}

/// A decoded reliable-stream frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame<'a> {
    /// The first frame of a connection: who is on the other end.
    Hello(SteamId),
    /// A reliable packet.
    Data(Data<'a>),
    /// The sender closed its session with us; nothing follows.
    Close,
}

/// A decoded datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Datagram<'a> {
    /// An unreliable packet.
    Data(Data<'a>),
    /// "Are you there?"; answered with `Pong`. Carries the sender's name.
    Ping(SteamId, &'a str),
    /// "I am here." Carries the sender's name.
    Pong(SteamId, &'a str),
    /// The sender closed its session with us (sent when it had no stream
    /// to say it on).
    Close(SteamId),
    /// Lobby traffic, decoded by `lobby/codec.rs`.
    Lobby(SteamId, &'a [u8]),
}

fn need(buf: &[u8], n: usize) -> Result<(), WireError> {
    if buf.remaining() < n {
        Err(WireError::Truncated(buf.len()))
    } else {
        Ok(())
    }
}

fn sender(raw: u64) -> Result<SteamId, WireError> {
    SteamId::from_u64(raw).ok_or(WireError::BadSender(raw))
}

fn channel(raw: i32) -> Result<Channel, WireError> {
    Channel::from_gdscript(raw.into()).map_err(|_| WireError::BadChannel(raw))
}

fn hold(buf: &mut &[u8]) -> Result<Hold, WireError> {
    need(buf, HOLD_LEN)?;
    Ok(Hold {
        delay_ns: buf.get_u64_le(),
        sent_ns: buf.get_u64_le(),
    })
}

fn data<'a>(
    mut buf: &'a [u8],
    sender_id: SteamId,
    max: usize,
    held: bool,
) -> Result<Data<'a>, WireError> {
    need(buf, 4)?;
    let channel = channel(buf.get_i32_le())?;
    let hold = if held { Some(hold(&mut buf)?) } else { None };
    match buf.len() {
        0 => Err(WireError::Empty),
        n if n > max => Err(WireError::Oversized(n)),
        _ => Ok(Data {
            sender: sender_id,
            channel,
            payload: buf,
            hold,
        }),
    }
}

/// Checks a frame's announced body length before reading the body.
pub fn frame_body_len(header: [u8; 4]) -> Result<usize, WireError> {
    let len = u32::from_le_bytes(header) as usize;
    match len {
        0 => Err(WireError::Truncated(0)),
        n if n > MAX_FRAME_BODY => Err(WireError::Oversized(n)),
        n => Ok(n),
    }
}

/// Checks the header of a DATA or HELD frame body whose payload is still
/// on its way (`DATA_HEADER` or `HELD_HEADER` bytes, or more): its sender,
/// channel and hold.
pub fn decode_data_header(mut head: &[u8]) -> Result<DataHead, WireError> {
    need(head, DATA_HEADER)?;
    let held = match head.get_u8() {
        KIND_DATA => false,
        KIND_HELD => true,
        kind => return Err(WireError::BadKind(kind)),
    };
    let from = sender(head.get_u64_le())?;
    let channel = channel(head.get_i32_le())?;
    let (hold, len) = if held {
        (Some(hold(&mut head)?), HELD_HEADER)
    } else {
        (None, DATA_HEADER)
    };
    Ok(DataHead {
        sender: from,
        channel,
        hold,
        len,
    })
}

/// Decodes a frame body (what follows the length prefix).
pub fn decode_frame(mut body: &[u8]) -> Result<Frame<'_>, WireError> {
    need(body, 1)?;
    match body.get_u8() {
        KIND_HELLO => {
            need(body, 4 + 1 + 8)?;
            let magic = body.get_u32_le();
            if magic != MAGIC {
                return Err(WireError::BadMagic(magic));
            }
            let version = body.get_u8();
            if version != VERSION {
                return Err(WireError::BadVersion(version));
            }
            Ok(Frame::Hello(sender(body.get_u64_le())?))
        }
        kind @ (KIND_DATA | KIND_HELD) => {
            need(body, 8)?;
            let from = sender(body.get_u64_le())?;
            let held = kind == KIND_HELD;
            Ok(Frame::Data(data(body, from, MAX_RELIABLE_BYTES, held)?))
        }
        KIND_CLOSE if body.is_empty() => Ok(Frame::Close),
        KIND_CLOSE => Err(WireError::Oversized(body.len())),
        kind => Err(WireError::BadKind(kind)),
    }
}

/// Decodes a datagram.
pub fn decode_datagram(mut buf: &[u8]) -> Result<Datagram<'_>, WireError> {
    let total = buf.len();
    if total > MAX_ANY_DATAGRAM {
        return Err(WireError::Oversized(total));
    }
    need(buf, DATAGRAM_HEADER)?;
    let magic = buf.get_u32_le();
    if magic != MAGIC {
        return Err(WireError::BadMagic(magic));
    }
    let version = buf.get_u8();
    if version != VERSION {
        return Err(WireError::BadVersion(version));
    }
    let kind = buf.get_u8();
    let max = match kind {
        KIND_LOBBY => MAX_ANY_DATAGRAM,
        KIND_HELD => MAX_DATAGRAM + HOLD_LEN,
        _ => MAX_DATAGRAM,
    };
    if total > max {
        return Err(WireError::Oversized(total));
    }
    let from = sender(buf.get_u64_le())?;
    match kind {
        KIND_LOBBY if buf.is_empty() => Err(WireError::Empty),
        KIND_LOBBY => Ok(Datagram::Lobby(from, buf)),
        KIND_DATA => Ok(Datagram::Data(data(
            buf,
            from,
            MAX_UNRELIABLE_BYTES,
            false,
        )?)),
        KIND_HELD => Ok(Datagram::Data(data(buf, from, MAX_UNRELIABLE_BYTES, true)?)),
        KIND_PING | KIND_PONG if buf.len() > MAX_NAME => Err(WireError::Oversized(buf.len())),
        KIND_PING | KIND_PONG => {
            let name = std::str::from_utf8(buf).map_err(|_| WireError::BadName)?;
            Ok(if kind == KIND_PING {
                Datagram::Ping(from, name)
            } else {
                Datagram::Pong(from, name)
            })
        }
        KIND_CLOSE if buf.is_empty() => Ok(Datagram::Close(from)),
        KIND_CLOSE => Err(WireError::Oversized(buf.len())),
        kind => Err(WireError::BadKind(kind)),
    }
}

/// The HELLO frame, length prefix included.
pub fn encode_hello(me: SteamId) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 14);
    out.put_u32_le(1 + 4 + 1 + 8);
    out.put_u8(KIND_HELLO);
    out.put_u32_le(MAGIC);
    out.put_u8(VERSION);
    out.put_u64_le(me.raw());
    out
}

/// The CLOSE frame, length prefix included.
pub fn encode_close_frame() -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 1);
    out.put_u32_le(1);
    out.put_u8(KIND_CLOSE);
    out
}

/// A DATA frame, length prefix included.
pub fn encode_frame(me: SteamId, channel: Channel, payload: &[u8]) -> Vec<u8> {
    encode_frame_into(
        Vec::with_capacity(frame_len(payload.len())),
        me,
        channel,
        payload,
    )
}

/// Bytes a frame carrying `payload_len` bytes takes on the wire.
pub fn frame_len(payload_len: usize) -> usize {
    4 + DATA_HEADER + payload_len
}

/// [`encode_frame`] into `out` (emptied first), to reuse its memory.
pub fn encode_frame_into(out: Vec<u8>, me: SteamId, channel: Channel, payload: &[u8]) -> Vec<u8> {
    encode_data_frame_into(out, me, channel, payload, None)
}

/// A DATA frame, or with a hold a HELD frame, into `out` (emptied first).
/// It takes [`frame_len`] bytes, and `HOLD_LEN` more with a hold.
pub fn encode_data_frame_into(
    mut out: Vec<u8>,
    me: SteamId,
    channel: Channel,
    payload: &[u8],
    hold: Option<Hold>,
) -> Vec<u8> {
    out.clear();
    let header = if hold.is_some() {
        HELD_HEADER
    } else {
        DATA_HEADER
    };
    out.put_u32_le((header + payload.len()) as u32);
    out.put_u8(if hold.is_some() { KIND_HELD } else { KIND_DATA });
    out.put_u64_le(me.raw());
    out.put_i32_le(channel.get());
    put_hold(&mut out, hold);
    out.put_slice(payload);
    out
}

fn put_hold(out: &mut Vec<u8>, hold: Option<Hold>) {
    if let Some(hold) = hold {
        out.put_u64_le(hold.delay_ns);
        out.put_u64_le(hold.sent_ns);
    }
}

fn datagram_header(out: &mut Vec<u8>, kind: u8, me: SteamId) {
    out.put_u32_le(MAGIC);
    out.put_u8(VERSION);
    out.put_u8(kind);
    out.put_u64_le(me.raw());
}

/// A LOBBY datagram carrying `payload` (at most `MAX_LOBBY_PAYLOAD` bytes).
pub fn encode_lobby_datagram(me: SteamId, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(DATAGRAM_HEADER + payload.len());
    datagram_header(&mut out, KIND_LOBBY, me);
    out.put_slice(payload);
    out
}

/// A DATA datagram.
pub fn encode_datagram(me: SteamId, channel: Channel, payload: &[u8]) -> Vec<u8> {
    encode_data_datagram(me, channel, payload, None)
}

/// A DATA datagram, or with a hold a HELD one.
pub fn encode_data_datagram(
    me: SteamId,
    channel: Channel,
    payload: &[u8],
    hold: Option<Hold>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(DATAGRAM_HEADER + 4 + HOLD_LEN + payload.len());
    let kind = if hold.is_some() { KIND_HELD } else { KIND_DATA };
    datagram_header(&mut out, kind, me);
    out.put_i32_le(channel.get());
    put_hold(&mut out, hold);
    out.put_slice(payload);
    out
}

/// A PING (`pong == false`) or PONG datagram carrying `name`, cut to
/// `MAX_NAME` bytes at a character boundary.
pub fn encode_liveness(me: SteamId, pong: bool, name: &str) -> Vec<u8> {
    let mut end = name.len().min(MAX_NAME);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = Vec::with_capacity(DATAGRAM_HEADER + end);
    datagram_header(&mut out, if pong { KIND_PONG } else { KIND_PING }, me);
    out.put_slice(&name.as_bytes()[..end]);
    out
}

/// A CLOSE datagram.
pub fn encode_close_datagram(me: SteamId) -> Vec<u8> {
    let mut out = Vec::with_capacity(DATAGRAM_HEADER);
    datagram_header(&mut out, KIND_CLOSE, me);
    out
}

#[cfg(test)]
mod tests;
