//! The local wire format: every frame and datagram kind round-trips (holds
//! included), and truncated, oversized, garbled or ill-fielded input is refused.

use super::*;
use crate::p2p::testing::{ch, id};

fn body(frame: &[u8]) -> &[u8] {
    let len = frame_body_len(frame[..4].try_into().unwrap()).unwrap();
    assert_eq!(len, frame.len() - 4);
    &frame[4..]
}

#[test]
fn frames_round_trip() {
    let hello = encode_hello(id(3));
    assert_eq!(decode_frame(body(&hello)), Ok(Frame::Hello(id(3))));
    let payload = vec![7u8; MAX_RELIABLE_BYTES];
    let frame = encode_frame(id(1), ch(7), &payload);
    let Ok(Frame::Data(d)) = decode_frame(body(&frame)) else {
        panic!("not data")
    };
    assert_eq!(
        (d.sender, d.channel, d.payload.len()),
        (id(1), ch(7), MAX_RELIABLE_BYTES)
    );
}

#[test]
fn held_packets_round_trip_in_frames_and_datagrams() {
    let hold = Hold {
        delay_ns: 150_000_000,
        sent_ns: 1_700_000_000_000_000_000,
    };
    let frame = encode_data_frame_into(Vec::new(), id(1), ch(3), b"late", Some(hold));
    assert_eq!(frame.len(), frame_len(4) + HOLD_LEN);
    let Ok(Frame::Data(d)) = decode_frame(body(&frame)) else {
        panic!("not data")
    };
    assert_eq!(
        (d.channel, d.payload, d.hold),
        (ch(3), &b"late"[..], Some(hold))
    );
    let head = decode_data_header(&frame[4..4 + HELD_HEADER]).unwrap();
    assert_eq!((head.hold, head.len), (Some(hold), HELD_HEADER));
    assert_eq!(
        decode_data_header(&frame[4..4 + DATA_HEADER + 3]),
        Err(WireError::Truncated(3)),
        "a hold cut short"
    );
    let full = encode_data_datagram(id(2), ch(0), &[9; MAX_UNRELIABLE_BYTES], Some(hold));
    let Ok(Datagram::Data(d)) = decode_datagram(&full) else {
        panic!("not data")
    };
    assert_eq!(
        (d.payload.len(), d.hold),
        (MAX_UNRELIABLE_BYTES, Some(hold))
    );
    let mut too_big = full.clone();
    too_big.push(0);
    assert!(decode_datagram(&too_big).is_err());
    for n in 0..full.len() - MAX_UNRELIABLE_BYTES {
        assert!(decode_datagram(&full[..n]).is_err(), "held prefix {n}");
    }
}

#[test]
fn a_hold_counts_the_time_already_spent_and_no_more() {
    use std::time::{Duration, Instant};
    let hold = Hold {
        delay_ns: 50_000_000,
        sent_ns: 1_000_000_000,
    };
    assert_eq!(hold.remaining(1_000_000_000), Duration::from_millis(50));
    assert_eq!(hold.remaining(1_020_000_000), Duration::from_millis(30));
    assert_eq!(
        hold.remaining(2_000_000_000),
        Duration::ZERO,
        "late: at once"
    );
    assert_eq!(
        hold.remaining(0),
        Duration::from_millis(50),
        "clock set back"
    );
    let t0 = Instant::now();
    let later = t0 + Duration::from_nanos(1);
    assert_eq!(clock_ns(later) - clock_ns(t0), 1, "differences are exact");
    let a = Hold::after(t0, Duration::from_millis(5));
    assert_eq!(
        a.remaining(clock_ns(t0 + Duration::from_millis(2))),
        Duration::from_millis(3)
    );
}

#[test]
fn close_round_trips_and_carries_nothing() {
    assert_eq!(decode_frame(body(&encode_close_frame())), Ok(Frame::Close));
    assert_eq!(decode_frame(&[KIND_CLOSE, 0]), Err(WireError::Oversized(1)));
    let dg = encode_close_datagram(id(4));
    assert_eq!(decode_datagram(&dg), Ok(Datagram::Close(id(4))));
    let mut long = dg.clone();
    long.push(0);
    assert_eq!(decode_datagram(&long), Err(WireError::Oversized(1)));
}

#[test]
fn datagrams_round_trip() {
    let dg = encode_datagram(id(2), ch(0), &[1, 2, 3]);
    assert_eq!(
        decode_datagram(&dg),
        Ok(Datagram::Data(Data {
            sender: id(2),
            channel: ch(0),
            payload: &[1, 2, 3],
            hold: None,
        }))
    );
    assert_eq!(
        decode_datagram(&encode_liveness(id(2), false, "Ann")),
        Ok(Datagram::Ping(id(2), "Ann"))
    );
    assert_eq!(
        decode_datagram(&encode_liveness(id(2), true, "")),
        Ok(Datagram::Pong(id(2), ""))
    );
    let full = encode_datagram(id(2), ch(1), &[9; MAX_UNRELIABLE_BYTES]);
    assert_eq!(full.len(), MAX_DATAGRAM);
    assert!(decode_datagram(&full).is_ok());
}

#[test]
fn truncated_input_is_refused_at_every_length() {
    let dg = encode_datagram(id(2), ch(0), &[1, 2, 3]);
    for n in 0..dg.len() - 3 {
        assert!(decode_datagram(&dg[..n]).is_err(), "datagram prefix {n}");
    }
    let frame = encode_frame(id(1), ch(0), &[5]);
    for n in 0..frame.len() - 4 {
        assert!(decode_frame(&frame[4..4 + n]).is_err(), "frame prefix {n}");
    }
    let hello = encode_hello(id(1));
    assert!(decode_frame(&hello[4..hello.len() - 1]).is_err());
}

#[test]
fn oversized_input_is_refused() {
    assert_eq!(
        frame_body_len(((MAX_FRAME_BODY + 1) as u32).to_le_bytes()),
        Err(WireError::Oversized(MAX_FRAME_BODY + 1))
    );
    assert_eq!(
        frame_body_len(u32::MAX.to_le_bytes()),
        Err(WireError::Oversized(u32::MAX as usize))
    );
    assert_eq!(
        frame_body_len(0u32.to_le_bytes()),
        Err(WireError::Truncated(0))
    );
    let mut too_big = encode_datagram(id(2), ch(0), &[1; MAX_UNRELIABLE_BYTES]);
    too_big.push(0);
    assert_eq!(
        decode_datagram(&too_big),
        Err(WireError::Oversized(MAX_DATAGRAM + 1))
    );
    let mut frame = encode_frame(id(1), ch(0), &vec![0; MAX_RELIABLE_BYTES]);
    frame.push(0);
    assert_eq!(
        decode_frame(&frame[4..]),
        Err(WireError::Oversized(MAX_RELIABLE_BYTES + 1))
    );
    let long = "é".repeat(MAX_NAME);
    let ping = encode_liveness(id(1), false, &long);
    let Ok(Datagram::Ping(_, cut)) = decode_datagram(&ping) else {
        panic!("a long name is cut, not refused");
    };
    assert_eq!(cut.len(), MAX_NAME, "cut at a character boundary");
    let mut ping = encode_liveness(id(1), false, "");
    ping.extend([b'x'; MAX_NAME + 1]);
    assert_eq!(
        decode_datagram(&ping),
        Err(WireError::Oversized(MAX_NAME + 1))
    );
    let mut ping = encode_liveness(id(1), false, "");
    ping.push(0xFF);
    assert_eq!(decode_datagram(&ping), Err(WireError::BadName));
}

#[test]
fn a_data_header_is_checked_before_its_payload_arrives() {
    let frame = encode_frame(id(1), ch(5), b"payload");
    let head = &frame[4..4 + DATA_HEADER];
    let want = DataHead {
        sender: id(1),
        channel: ch(5),
        hold: None,
        len: DATA_HEADER,
    };
    assert_eq!(decode_data_header(head), Ok(want));
    assert_eq!(decode_data_header(&head[..5]), Err(WireError::Truncated(5)));
    let hello = encode_hello(id(1));
    assert_eq!(decode_data_header(&hello[4..]), Err(WireError::BadKind(1)));
    let mut bad = head.to_vec();
    bad[9..13].copy_from_slice(&(-1i32).to_le_bytes());
    assert_eq!(decode_data_header(&bad), Err(WireError::BadChannel(-1)));
}

#[test]
fn garbage_is_refused() {
    let mut dg = encode_datagram(id(2), ch(0), &[1]);
    dg[0] ^= 0xFF;
    assert!(matches!(decode_datagram(&dg), Err(WireError::BadMagic(_))));
    let mut dg = encode_datagram(id(2), ch(0), &[1]);
    dg[4] = 99;
    assert_eq!(decode_datagram(&dg), Err(WireError::BadVersion(99)));
    let mut dg = encode_datagram(id(2), ch(0), &[1]);
    dg[5] = 42;
    assert_eq!(decode_datagram(&dg), Err(WireError::BadKind(42)));
    assert_eq!(decode_frame(&[42, 0, 0]), Err(WireError::BadKind(42)));
    let mut hello = encode_hello(id(1));
    hello[5] ^= 1;
    assert!(matches!(
        decode_frame(&hello[4..]),
        Err(WireError::BadMagic(_))
    ));
}

#[test]
fn bad_fields_are_refused() {
    // Sender 0 and a lobby-type sender.
    let mut dg = encode_datagram(id(2), ch(0), &[1]);
    dg[6..14].copy_from_slice(&0u64.to_le_bytes());
    assert_eq!(decode_datagram(&dg), Err(WireError::BadSender(0)));
    let lobby = (1u64 << 56) | (7 << 52) | 99;
    let mut frame = encode_frame(id(1), ch(0), &[1]);
    frame[5..13].copy_from_slice(&lobby.to_le_bytes());
    assert_eq!(decode_frame(&frame[4..]), Err(WireError::BadSender(lobby)));
    // Negative channel.
    let mut dg = encode_datagram(id(2), ch(0), &[1]);
    dg[14..18].copy_from_slice(&(-1i32).to_le_bytes());
    assert_eq!(decode_datagram(&dg), Err(WireError::BadChannel(-1)));
    // Empty payloads.
    let dg = encode_datagram(id(2), ch(0), &[]);
    assert_eq!(decode_datagram(&dg), Err(WireError::Empty));
    let frame = encode_frame(id(2), ch(0), &[]);
    assert_eq!(decode_frame(&frame[4..]), Err(WireError::Empty));
}
