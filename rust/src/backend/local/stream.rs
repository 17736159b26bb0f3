//! Cutting reliable packets out of one peer's byte stream, read without
//! blocking by the main thread whenever the game calls in. Small frames are
//! cut from one reused buffer; a large payload is read straight into a
//! buffer of its own (from the [`BufferPool`]), so a 1 MiB message is copied
//! once between the kernel and the session table. Anything a well-behaved
//! peer would not send is logged and dropped; a broken length ends the
//! connection, as the framing is lost.

use std::io::{ErrorKind, Read};
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::pool::BufferPool;
use super::transport::{RELIABLE_INBOUND_BUDGET, log_dropped};
use super::wire::{self, Frame, HELD_HEADER, Hold, WireError};
use crate::p2p::{Channel, SteamId};

/// Reliable bytes per peer handed to the session table and not yet read.
pub type Unread = HashMap<SteamId, usize>;

/// Bytes read per call into the shared buffer; frames longer than this
/// get their own allocation.
const BUFFER: usize = 128 * 1024;

/// Whether a stream is still worth reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing more to read for now.
    Open,
    /// Ended or broken: drop it.
    Closed,
    /// The peer closed its session with us (a CLOSE frame): drop it, and
    /// the session with it.
    PeerClosed,
}

/// A payload larger than the buffer, being read into place (its buffer has
/// room for `size` bytes and is filled without being zeroed first).
struct Large {
    channel: Channel,
    hold: Option<Hold>,
    payload: Vec<u8>,
    size: usize,
}

impl Large {
    fn missing(&self) -> usize {
        self.size - self.payload.len()
    }
}

/// The receiving end of one peer's reliable stream.
pub struct FrameReader<R> {
    source: R,
    /// For log messages until HELLO names the peer.
    from: String,
    peer: Option<SteamId>,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    large: Option<Large>,
    pool: Arc<BufferPool>,
}

impl<R: Read> FrameReader<R> {
    /// Reads from `source` (non-blocking for sockets); `from` names it in logs.
    pub fn new(source: R, from: String) -> Self {
        Self {
            source,
            from,
            peer: None,
            buf: vec![0; BUFFER].into_boxed_slice(),
            start: 0,
            end: 0,
            large: None,
            pool: Arc::default(),
        }
    }

    /// Takes large payload buffers from `pool` (whoever reads the packets
    /// gives them back there).
    pub fn with_pool(mut self, pool: Arc<BufferPool>) -> Self {
        self.pool = pool;
        self
    }

    /// Hands every packet that can be read now to `deliver`, counting its
    /// bytes in `unread`; stops reading (so TCP holds the sender back) while
    /// the peer has more than `RELIABLE_INBOUND_BUDGET` bytes unread.
    pub fn poll(
        &mut self,
        unread: &mut Unread,
        deliver: &mut impl FnMut(SteamId, Channel, Vec<u8>),
    ) -> Status {
        self.poll_held(unread, &mut |peer, channel, data, _| {
            deliver(peer, channel, data)
        })
    }

    /// [`FrameReader::poll`], handing over each packet's network
    /// simulation hold too (HELD frames).
    pub fn poll_held(
        &mut self,
        unread: &mut Unread,
        deliver: &mut impl FnMut(SteamId, Channel, Vec<u8>, Option<Hold>),
    ) -> Status {
        loop {
            if let Err(status) = self.cut_frames(unread, deliver) {
                return status;
            }
            let has_room = self.peer.is_none_or(|peer| {
                unread.get(&peer).copied().unwrap_or(0) <= RELIABLE_INBOUND_BUDGET
            });
            if !has_room {
                return Status::Open;
            }
            let read = match &mut self.large {
                // Bytes read before an error (WouldBlock) stay appended.
                Some(large) => (&mut self.source)
                    .take(large.missing() as u64)
                    .read_to_end(&mut large.payload),
                None => {
                    self.compact();
                    let read = self.source.read(&mut self.buf[self.end..]);
                    if let Ok(n) = read {
                        self.end += n;
                    }
                    read
                }
            };
            match read {
                // A clean end, or one inside a large payload.
                Ok(0) => return Status::Closed,
                Ok(_) if self.large.as_ref().is_some_and(|l| l.missing() > 0) => {
                    return Status::Closed;
                }
                Ok(_) => {}
                Err(err) if err.kind() == ErrorKind::WouldBlock => return Status::Open,
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(err) => {
                    log::warn!(
                        "local backend: connection from {} dropped: {err}",
                        self.who()
                    );
                    return Status::Closed;
                }
            }
        }
    }

    /// Who is on the other end, once HELLO said so.
    pub fn peer(&self) -> Option<SteamId> {
        self.peer
    }

    fn no_hello(&self) -> Status {
        log::warn!(
            "local backend: connection from {} did not start with HELLO",
            self.from
        );
        Status::Closed
    }

    fn who(&self) -> String {
        self.peer
            .map_or_else(|| self.from.clone(), |p| p.to_string())
    }

    /// Moves unread bytes to the front when the free tail gets short.
    fn compact(&mut self) {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        } else if self.end > BUFFER / 2 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
    }

    /// Delivers every complete frame; `Err` when the stream must close.
    fn cut_frames(
        &mut self,
        unread: &mut Unread,
        deliver: &mut impl FnMut(SteamId, Channel, Vec<u8>, Option<Hold>),
    ) -> Result<(), Status> {
        if self.large.as_ref().is_some_and(|l| l.missing() > 0) {
            return Ok(());
        }
        if let Some(Large {
            channel,
            payload,
            hold,
            ..
        }) = self.large.take()
        {
            // A large frame is only started after HELLO.
            if let Some(peer) = self.peer {
                *unread.entry(peer).or_default() += payload.len();
                deliver(peer, channel, payload, hold);
            }
        }
        while self.end - self.start >= 4 {
            let head = &self.buf[self.start..self.start + 4];
            let len = match wire::frame_body_len([head[0], head[1], head[2], head[3]]) {
                Ok(len) => len,
                Err(err) => {
                    log::warn!(
                        "local backend: connection from {} dropped: {err}",
                        self.who()
                    );
                    return Err(Status::Closed);
                }
            };
            let body_start = self.start + 4;
            if body_start + len <= self.end {
                self.start = body_start + len;
                self.frame(body_start, len, unread, deliver)?;
            } else if 4 + len > BUFFER && self.end - body_start > HELD_HEADER {
                self.start_large(body_start, len)?;
            } else {
                break;
            }
        }
        Ok(())
    }

    fn frame(
        &mut self,
        at: usize,
        len: usize,
        unread: &mut Unread,
        deliver: &mut impl FnMut(SteamId, Channel, Vec<u8>, Option<Hold>),
    ) -> Result<(), Status> {
        let body = &self.buf[at..at + len];
        match (self.peer, wire::decode_frame(body)) {
            (None, Ok(Frame::Hello(peer))) => self.peer = Some(peer),
            (None, Ok(Frame::Data(_) | Frame::Close)) => return Err(self.no_hello()),
            (Some(_), Ok(Frame::Close)) => return Err(Status::PeerClosed),
            (None, Err(err)) => {
                log_dropped("connection", &self.from, &err);
                return Err(Status::Closed);
            }
            (Some(peer), Ok(Frame::Data(d))) if d.sender == peer => {
                *unread.entry(peer).or_default() += d.payload.len();
                deliver(peer, d.channel, d.payload.to_vec(), d.hold);
            }
            (Some(peer), Ok(Frame::Data(d))) => {
                let err = WireError::WrongSender {
                    claimed: d.sender.raw(),
                    expected: peer.raw(),
                };
                log_dropped("frame", peer, &err);
            }
            (Some(peer), Ok(Frame::Hello(_))) => log_dropped("frame", peer, &WireError::BadKind(1)),
            (Some(peer), Err(err)) => log_dropped("frame", peer, &err),
        }
        Ok(())
    }

    /// Switches to reading a frame too long for the buffer into its own
    /// allocation, once its header is here to be checked.
    fn start_large(&mut self, at: usize, len: usize) -> Result<(), Status> {
        let Some(peer) = self.peer else {
            return Err(self.no_hello());
        };
        let head = &self.buf[at..at + HELD_HEADER];
        let head = match wire::decode_data_header(head) {
            Ok(head) if head.sender == peer => head,
            Ok(wire::DataHead { sender, .. }) => {
                // The body cannot be skipped without reading it, and a peer
                // that lies about its id is not worth the effort.
                let err = WireError::WrongSender {
                    claimed: sender.raw(),
                    expected: peer.raw(),
                };
                log_dropped("frame", peer, &err);
                return Err(Status::Closed);
            }
            Err(err) => {
                log_dropped("frame", peer, &err);
                return Err(Status::Closed);
            }
        };
        let size = len - head.len;
        let mut payload = self.pool.take(size);
        payload.extend_from_slice(&self.buf[at + head.len..self.end]);
        self.large = Some(Large {
            channel: head.channel,
            hold: head.hold,
            payload,
            size,
        });
        self.start = 0;
        self.end = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    use crate::p2p::testing::{ch, id};

    /// Reads `bytes` in pieces of `step` bytes, as a socket might deliver them.
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        step: usize,
    }
    impl Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(out.len()).min(self.bytes.len() - self.at);
            out[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn read_all(bytes: Vec<u8>, step: usize) -> (Vec<(SteamId, Channel, Vec<u8>)>, Status) {
        let mut reader = FrameReader::new(Trickle { bytes, at: 0, step }, "test".into());
        let mut got = Vec::new();
        let mut unread = HashMap::default();
        let status = reader.poll(&mut unread, &mut |p, c, d| got.push((p, c, d)));
        (got, status)
    }

    #[test]
    fn small_and_large_frames_come_out_whole_at_any_read_size() {
        let mut stream = wire::encode_hello(id(1));
        let large: Vec<u8> = (0..(1 << 20)).map(|i| (i % 251) as u8).collect();
        stream.extend(wire::encode_frame(id(1), ch(0), b"first"));
        stream.extend(wire::encode_frame(id(1), ch(7), &large));
        stream.extend(wire::encode_frame(id(1), ch(0), &large[..BUFFER - 10]));
        stream.extend(wire::encode_frame(id(1), ch(1), b"last"));
        for step in [1, 7, 4096, BUFFER, 1 << 22] {
            let (got, status) = read_all(stream.clone(), step);
            assert_eq!(status, Status::Closed, "the stream ended");
            let want = vec![
                (id(1), ch(0), b"first".to_vec()),
                (id(1), ch(7), large.clone()),
                (id(1), ch(0), large[..BUFFER - 10].to_vec()),
                (id(1), ch(1), b"last".to_vec()),
            ];
            assert!(got == want, "read in steps of {step}");
        }
    }

    #[test]
    fn held_frames_small_and_large_carry_their_hold() {
        let hold = Hold {
            delay_ns: 50_000_000,
            sent_ns: 77,
        };
        let large: Vec<u8> = (0..BUFFER * 2).map(|i| (i % 13) as u8).collect();
        let mut stream = wire::encode_hello(id(1));
        stream.extend(wire::encode_data_frame_into(
            Vec::new(),
            id(1),
            ch(0),
            b"a",
            Some(hold),
        ));
        stream.extend(wire::encode_data_frame_into(
            Vec::new(),
            id(1),
            ch(1),
            &large,
            Some(hold),
        ));
        stream.extend(wire::encode_frame(id(1), ch(2), b"plain"));
        for step in [1, 7, 4096, 1 << 22] {
            let mut reader = FrameReader::new(
                Trickle {
                    bytes: stream.clone(),
                    at: 0,
                    step,
                },
                "test".into(),
            );
            let mut got = Vec::new();
            reader.poll_held(&mut Unread::default(), &mut |_, c, d, h| {
                got.push((c, d, h))
            });
            assert!(
                got == vec![
                    (ch(0), b"a".to_vec(), Some(hold)),
                    (ch(1), large.clone(), Some(hold)),
                    (ch(2), b"plain".to_vec(), None),
                ],
                "read in steps of {step}"
            );
        }
    }

    #[test]
    fn a_stream_must_start_with_hello_and_keep_its_sender() {
        let (got, status) = read_all(wire::encode_frame(id(1), ch(0), b"x"), 64);
        assert!(got.is_empty());
        assert_eq!(status, Status::Closed);
        let mut stream = wire::encode_hello(id(1));
        stream.extend(wire::encode_frame(id(2), ch(0), b"spoofed"));
        stream.extend(wire::encode_frame(id(1), ch(0), b"real"));
        let (got, _) = read_all(stream, 64);
        assert_eq!(got, vec![(id(1), ch(0), b"real".to_vec())]);
    }

    #[test]
    fn close_ends_the_stream_after_what_came_before() {
        let mut stream = wire::encode_hello(id(1));
        stream.extend(wire::encode_frame(id(1), ch(0), b"bye"));
        stream.extend(wire::encode_close_frame());
        stream.extend(wire::encode_frame(id(1), ch(0), b"never"));
        let (got, status) = read_all(stream, 3);
        assert_eq!(got, vec![(id(1), ch(0), b"bye".to_vec())]);
        assert_eq!(status, Status::PeerClosed);
        let mut reader = FrameReader::new(Cursor::new(wire::encode_close_frame()), "t".into());
        assert_eq!(
            reader.poll(&mut Unread::default(), &mut |_, _, _| {}),
            Status::Closed,
            "CLOSE before HELLO is not a close"
        );
    }

    #[test]
    fn a_broken_length_closes_the_stream() {
        let mut stream = wire::encode_hello(id(1));
        stream.extend(u32::MAX.to_le_bytes());
        stream.extend([0; 64]);
        let (got, status) = read_all(stream, 1 << 16);
        assert!(got.is_empty());
        assert_eq!(status, Status::Closed);
    }

    #[test]
    fn a_large_payload_is_read_into_a_pooled_buffer_even_a_bigger_one() {
        let pool = Arc::new(BufferPool::default());
        let spare = Vec::with_capacity(1 << 20);
        let address = spare.as_ptr();
        pool.give(spare);
        let payload: Vec<u8> = (0..BUFFER * 2).map(|i| (i % 241) as u8).collect();
        let mut stream = wire::encode_hello(id(1));
        stream.extend(wire::encode_frame(id(1), ch(3), &payload));
        stream.extend(wire::encode_frame(id(1), ch(3), b"after"));
        let mut reader = FrameReader::new(Cursor::new(stream), "test".into()).with_pool(pool);
        let mut got = Vec::new();
        reader.poll(&mut Unread::default(), &mut |_, _, data| got.push(data));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].as_ptr(), address, "the pooled buffer was used");
        assert!(got[0] == payload, "and holds exactly the payload");
        assert_eq!(got[1], b"after");
    }

    #[test]
    fn reading_stops_while_the_peer_is_over_budget() {
        let mut stream = wire::encode_hello(id(1));
        let chunk = vec![1u8; 1 << 20];
        for _ in 0..12 {
            stream.extend(wire::encode_frame(id(1), ch(0), &chunk));
        }
        let mut reader = FrameReader::new(Cursor::new(stream), "test".into());
        let mut unread = HashMap::default();
        let mut count = 0;
        assert_eq!(
            reader.poll(&mut unread, &mut |_, _, _| count += 1),
            Status::Open
        );
        assert!((8..=9).contains(&count), "stopped at the budget: {count}");
        unread.clear();
        assert_eq!(
            reader.poll(&mut unread, &mut |_, _, _| count += 1),
            Status::Closed
        );
        assert_eq!(count, 12);
    }
}
