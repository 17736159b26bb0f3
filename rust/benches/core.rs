//! Criterion benchmarks of the local backend's core, per packet: the wire
//! codec, cutting frames out of a TCP byte stream, and the session table's
//! queues (file a packet, read it back). Run with `cargo bench --bench core`
//! (`scripts/bench` does, after the engine benchmarks).

use std::hint::black_box;
use std::io::Cursor;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use steam_networking::backend::local::fair::FairQueue;
use steam_networking::backend::local::sessions::{Rules, SessionTable};
use steam_networking::backend::local::stream::{FrameReader, Unread};
use steam_networking::backend::local::wire;
use steam_networking::p2p::{Channel, SteamId};

fn id(n: u64) -> SteamId {
    SteamId::from_u64(SteamId::INDIVIDUAL_BASE + 1 + n).unwrap()
}

fn channel(n: i64) -> Channel {
    Channel::from_gdscript(n).unwrap()
}

fn codec(c: &mut Criterion) {
    let mut group = c.benchmark_group("codec");
    group.throughput(Throughput::Elements(1));
    for size in [64usize, 1024] {
        let payload = vec![7u8; size];
        group.bench_function(format!("encode frame {size} B"), |b| {
            b.iter(|| wire::encode_frame(id(1), channel(0), black_box(&payload)))
        });
        let frame = wire::encode_frame(id(1), channel(0), &payload);
        group.bench_function(format!("decode frame {size} B"), |b| {
            b.iter(|| wire::decode_frame(black_box(&frame[4..])).unwrap())
        });
    }
    let payload = vec![7u8; 64];
    group.bench_function("encode datagram 64 B", |b| {
        b.iter(|| wire::encode_datagram(id(1), channel(0), black_box(&payload)))
    });
    let datagram = wire::encode_datagram(id(1), channel(0), &payload);
    group.bench_function("decode datagram 64 B", |b| {
        b.iter(|| wire::decode_datagram(black_box(&datagram)).unwrap())
    });
    group.finish();
}

fn stream(c: &mut Criterion) {
    const FRAMES: usize = 1000;
    let mut group = c.benchmark_group("stream");
    group.throughput(Throughput::Elements(FRAMES as u64));
    for size in [64usize, 1024] {
        let mut bytes = wire::encode_hello(id(1));
        for _ in 0..FRAMES {
            bytes.extend(wire::encode_frame(id(1), channel(0), &vec![7u8; size]));
        }
        group.bench_function(format!("cut {FRAMES} frames of {size} B"), |b| {
            b.iter_batched(
                || FrameReader::new(Cursor::new(bytes.clone()), "bench".into()),
                |mut reader| {
                    let mut unread = Unread::default();
                    let mut count = 0;
                    reader.poll(&mut unread, &mut |_, _, data| {
                        count += 1;
                        black_box(data);
                    });
                    assert_eq!(count, FRAMES);
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn queues(c: &mut Criterion) {
    let rules = Rules {
        timeout: Duration::from_secs(20),
        request_repeat: Duration::from_secs(1),
        unreliable_budget: 256 * 1024,
    };
    let mut group = c.benchmark_group("queue");
    group.throughput(Throughput::Elements(1));
    for peers in [1u64, 4] {
        let mut table = SessionTable::new(rules);
        let now = Instant::now();
        for p in 0..peers {
            table.accept(now, id(p));
        }
        // A standing backlog, so pushes and pops work on a non-empty queue.
        for i in 0..256 {
            table.on_packet(now, id(i % peers), channel(0), vec![7u8; 64], true);
        }
        let mut next = 0u64;
        group.bench_function(
            format!("session table push + pop, 64 B, {peers} peer(s)"),
            |b| {
                b.iter(|| {
                    next += 1;
                    table.on_packet(now, id(next % peers), channel(0), vec![7u8; 64], true);
                    let size = table.available(channel(0)).unwrap();
                    black_box(table.read(channel(0), size as usize));
                    table.take_released().for_each(drop);
                })
            },
        );
    }
    let mut fair = FairQueue::default();
    for i in 0..256u64 {
        fair.push(id(i % 4), i);
    }
    let mut next = 0u64;
    group.bench_function("fair queue push + pop, 4 senders", |b| {
        b.iter(|| {
            next += 1;
            fair.push(id(next % 4), next);
            black_box(fair.pop())
        })
    });
    group.finish();
}

criterion_group! {
    name = core;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = codec, stream, queues
}
criterion_main!(core);
