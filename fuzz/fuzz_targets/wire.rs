//! Feeds arbitrary bytes to the local backend's decoders, as a datagram, as
//! a frame body and as a TCP stream. They must never panic, and whatever
//! they accept must encode back to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

use steam_networking::backend::local::stream::{FrameReader, Unread};
use steam_networking::backend::local::wire::{self, Datagram, Frame};

fuzz_target!(|data: &[u8]| {
    match wire::decode_datagram(data) {
        Ok(Datagram::Data(d)) => {
            assert_eq!(wire::encode_data_datagram(d.sender, d.channel, d.payload, d.hold), data)
        }
        Ok(Datagram::Ping(id, name)) => assert_eq!(wire::encode_liveness(id, false, name), data),
        Ok(Datagram::Pong(id, name)) => assert_eq!(wire::encode_liveness(id, true, name), data),
        Ok(Datagram::Close(id)) => assert_eq!(wire::encode_close_datagram(id), data),
        Ok(Datagram::Lobby(id, payload)) => assert_eq!(wire::encode_lobby_datagram(id, payload), data),
        Err(_) => {}
    }
    if let Ok(Frame::Data(d)) = wire::decode_frame(data) {
        let frame = wire::encode_data_frame_into(Vec::new(), d.sender, d.channel, d.payload, d.hold);
        assert_eq!(&frame[4..], data);
    }
    let _ = wire::decode_data_header(data);
    // The main thread's stream reader, fed the bytes as one connection.
    let mut reader = FrameReader::new(std::io::Cursor::new(data), "fuzz".into());
    let mut unread = Unread::default();
    reader.poll(&mut unread, &mut |_, _, payload| assert!(!payload.is_empty()));
});
