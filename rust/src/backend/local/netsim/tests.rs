//! The simulation with a pretend clock: rates come out as configured,
//! reliable packets are never lost, duplicated or reordered, and the inbox
//! hands packets on in the order the rules ask for.

use std::time::{Duration, Instant};

use super::Netsim;
use super::inbox::{Arrival, Inbox, UNRELIABLE_BUDGET};
use super::shaper::{Fate, RETRANSMIT_FLOOR, Shaper};
use crate::p2p::conditions::{Conditions, Fake, LinkConditions, Setting};
use crate::p2p::testing::{ch, id};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn shaper(conditions: Conditions) -> Shaper {
    Shaper::new(conditions, 1234, true)
}

/// Sends `count` packets of `len` bytes, one every `gap`, and returns each
/// fate with its send time.
fn send_many(
    s: &mut Shaper,
    count: usize,
    gap: Duration,
    len: usize,
    reliable: bool,
) -> Vec<(Instant, Fate)> {
    let t0 = Instant::now();
    (0..count)
        .map(|i| {
            let at = t0 + gap * i as u32;
            (at, s.decide(at, id(1), ch(0), len, reliable))
        })
        .collect()
}

fn arrivals(sent: &[(Instant, Fate)]) -> Vec<(usize, Instant)> {
    let mut out = Vec::new();
    for (i, (at, fate)) in sent.iter().enumerate() {
        match fate {
            Fate::Lost => {}
            Fate::Once(d) => out.push((i, *at + *d)),
            Fate::Twice(d, e) => out.extend([(i, *at + *d), (i, *at + *e)]),
        }
    }
    out
}

#[test]
fn nothing_configured_changes_nothing() {
    let mut s = shaper(Conditions::default());
    assert!(!s.is_active());
    for (_, fate) in send_many(&mut s, 100, ms(1), 100, false) {
        assert_eq!(fate, Fate::Once(Duration::ZERO));
    }
}

#[test]
fn lag_delays_every_packet_by_exactly_the_lag() {
    let mut s = shaper(Conditions {
        lag: ms(50),
        ..Conditions::default()
    });
    for reliable in [false, true] {
        for (_, fate) in send_many(&mut s, 100, ms(1), 100, reliable) {
            assert_eq!(fate, Fate::Once(ms(50)));
        }
    }
}

#[test]
fn unreliable_loss_comes_out_at_its_rate() {
    for loss in [2.0, 10.0, 20.0, 100.0] {
        let mut s = shaper(Conditions {
            loss,
            ..Conditions::default()
        });
        let sent = send_many(&mut s, 20_000, ms(1), 50, false);
        let lost = sent.iter().filter(|(_, f)| *f == Fate::Lost).count();
        let share = lost as f64 / 200.0;
        assert!((share - loss).abs() < 1.0, "{loss}%: {share}% lost");
    }
}

#[test]
fn reliable_packets_are_never_lost_doubled_or_reordered_but_wait() {
    let mut s = shaper(Conditions {
        lag: ms(100),
        loss: 20.0,
        dup: 50.0,
        reorder: 50.0,
        jitter_avg: ms(5),
        ..Conditions::default()
    });
    let sent = send_many(&mut s, 10_000, Duration::from_micros(100), 16, true);
    let mut last = None;
    let mut late = 0;
    for (at, fate) in &sent {
        let Fate::Once(delay) = fate else {
            panic!("a reliable packet was {fate:?}");
        };
        let arrival = *at + *delay;
        assert!(last.is_none_or(|l| arrival >= l), "out of order");
        last = Some(arrival);
        if *delay >= ms(100) + ms(210) + RETRANSMIT_FLOOR {
            late += 1;
        }
    }
    // A fifth are "lost" once (and wait a retransmission), and the packets
    // behind each wait with it; with jitter a few more pass the mark.
    assert!(late > 1_500, "{late} waited a retransmission");
}

#[test]
fn a_lost_reliable_packet_holds_back_its_channel_only() {
    let mut s = shaper(Conditions {
        lag: ms(50),
        loss: 100.0,
        ..Conditions::default()
    });
    let t0 = Instant::now();
    let Fate::Once(first) = s.decide(t0, id(1), ch(0), 10, true) else {
        panic!()
    };
    let rto = s.retransmit_after();
    assert_eq!(rto, ms(110));
    assert_eq!(first, ms(50) + rto * 4, "at most four retransmissions");
    s.set_conditions(Conditions {
        lag: ms(50),
        ..Conditions::default()
    });
    let Fate::Once(behind) = s.decide(t0 + ms(1), id(1), ch(0), 10, true) else {
        panic!()
    };
    assert_eq!(t0 + ms(1) + behind, t0 + first, "waits behind it");
    let Fate::Once(other) = s.decide(t0 + ms(1), id(1), ch(1), 10, true) else {
        panic!()
    };
    assert_eq!(other, ms(50), "another channel does not wait");
    let Fate::Once(peer) = s.decide(t0 + ms(1), id(2), ch(0), 10, true) else {
        panic!()
    };
    assert_eq!(peer, ms(50), "nor does another peer");
}

#[test]
fn reordering_lets_later_packets_overtake_the_chosen_ones() {
    let mut s = shaper(Conditions {
        lag: ms(50),
        reorder: 2.0,
        reorder_time: ms(15),
        ..Conditions::default()
    });
    let sent = send_many(&mut s, 20_000, ms(1), 50, false);
    let arrived = arrivals(&sent);
    let delayed = arrived
        .iter()
        .filter(|(i, at)| *at - sent[*i].0 == ms(65))
        .count();
    let share = delayed as f64 / 200.0;
    assert!((share - 2.0).abs() < 0.5, "{share}% reordered");
    let mut order = arrived.clone();
    order.sort_by_key(|(i, at)| (*at, *i));
    let overtaken = order.windows(2).filter(|w| w[0].0 > w[1].0).count();
    assert!(
        overtaken >= delayed * 9 / 10,
        "{overtaken} of {delayed} overtaken"
    );
}

#[test]
fn jitter_clumps_without_reordering() {
    let mut s = shaper(Conditions {
        lag: ms(20),
        jitter_avg: ms(4),
        ..Conditions::default()
    });
    let sent = send_many(&mut s, 10_000, ms(5), 50, false);
    let arrived = arrivals(&sent);
    assert!(arrived.windows(2).all(|w| w[0].1 <= w[1].1), "order kept");
    let extra: Vec<Duration> = arrived
        .iter()
        .map(|(i, at)| *at - sent[*i].0 - ms(20))
        .collect();
    assert!(
        extra.iter().all(|e| *e <= ms(16) + ms(4)),
        "capped near four means"
    );
    let mean = extra.iter().sum::<Duration>() / extra.len() as u32;
    assert!(mean > ms(3) && mean < ms(6), "mean jitter {mean:?}");
}

#[test]
fn duplicates_come_at_their_rate_within_their_time() {
    let mut s = shaper(Conditions {
        dup: 5.0,
        dup_time_max: ms(10),
        ..Conditions::default()
    });
    let sent = send_many(&mut s, 20_000, ms(1), 50, false);
    let twice: Vec<(Duration, Duration)> = sent
        .iter()
        .filter_map(|(_, f)| match f {
            Fate::Twice(a, b) => Some((*a, *b)),
            _ => None,
        })
        .collect();
    let share = twice.len() as f64 / 200.0;
    assert!((share - 5.0).abs() < 0.7, "{share}% doubled");
    assert!(twice.iter().all(|(a, b)| b >= a && *b - *a <= ms(10)));
}

#[test]
fn the_bandwidth_cap_is_a_queue_and_drops_unreliable_past_its_buffer() {
    let rate = 128_000;
    let mut s = shaper(Conditions {
        rate,
        burst: 16 * 1024,
        ..Conditions::default()
    });
    let t0 = Instant::now();
    // 100 reliable kilobytes at once: the last leaves after 100/128 s.
    let mut last = Duration::ZERO;
    for _ in 0..100 {
        let Fate::Once(d) = s.decide(t0, id(1), ch(0), 1000, true) else {
            panic!()
        };
        last = d;
    }
    assert_eq!(last.as_millis(), 781);
    assert_eq!(s.in_flight(id(1), t0), (100_000, 100));
    // Behind that backlog, unreliable packets are dropped.
    assert_eq!(s.decide(t0, id(1), ch(1), 100, false), Fate::Lost);
    // Once the queue is down to the buffer they get through again.
    let later = t0 + last - Duration::from_secs_f64(16_000.0 / f64::from(rate));
    assert!(matches!(
        s.decide(later, id(1), ch(1), 100, false),
        Fate::Once(_)
    ));
    // Paced below the cap, nothing is dropped and each waits only its own bytes.
    let mut s = shaper(Conditions {
        rate,
        ..Conditions::default()
    });
    let sent = send_many(&mut s, 1000, ms(10), 1000, false);
    assert!(
        sent.iter()
            .all(|(_, f)| *f == Fate::Once(Duration::from_nanos(7_812_500)))
    );
}

#[test]
fn in_flight_counts_until_arrival() {
    let mut s = shaper(Conditions {
        lag: ms(100),
        dup: 100.0,
        dup_time_max: ms(10),
        ..Conditions::default()
    });
    let t0 = Instant::now();
    s.decide(t0, id(1), ch(0), 300, true);
    s.decide(t0, id(1), ch(0), 200, false);
    assert_eq!(
        s.in_flight(id(1), t0 + ms(99)),
        (500, 2),
        "a duplicate counts once"
    );
    assert_eq!(s.in_flight(id(1), t0 + ms(100)), (200, 1));
    assert_eq!(s.in_flight(id(1), t0 + ms(111)), (0, 0));
    assert_eq!(s.in_flight(id(2), t0), (0, 0));
    let mut quiet = Shaper::new(Conditions::default(), 1, true);
    quiet.decide(t0, id(1), ch(0), 300, true);
    assert_eq!(
        quiet.in_flight(id(1), t0),
        (0, 0),
        "nothing waits without lag"
    );
}

fn packet(sender: u64, channel: i64, byte: u8, reliable: bool) -> Arrival {
    Arrival::Packet {
        sender: id(sender),
        channel: ch(channel),
        data: vec![byte],
        reliable,
    }
}

fn released(inbox: &mut Inbox, at: Instant) -> Vec<Arrival> {
    let mut out = Vec::new();
    inbox.release(at, |a| out.push(a));
    out
}

#[test]
fn the_inbox_keeps_reliable_order_per_channel_and_unreliable_by_due_time() {
    let mut inbox = Inbox::default();
    let t0 = Instant::now();
    assert!(inbox.is_empty());
    inbox.arrive(t0, t0 + ms(300), packet(1, 0, 1, true));
    inbox.arrive(t0, t0 + ms(50), packet(1, 0, 2, true));
    inbox.arrive(t0, t0 + ms(50), packet(1, 1, 3, true));
    inbox.arrive(t0, t0 + ms(60), packet(1, 5, 4, false));
    inbox.arrive(t0, t0 + ms(40), packet(1, 5, 5, false));
    assert_eq!(inbox.next_due(), Some(t0 + ms(40)));
    assert!(released(&mut inbox, t0 + ms(39)).is_empty());
    assert_eq!(
        released(&mut inbox, t0 + ms(40)),
        vec![packet(1, 5, 5, false)]
    );
    assert_eq!(
        released(&mut inbox, t0 + ms(100)),
        vec![packet(1, 1, 3, true), packet(1, 5, 4, false)],
        "channel 0 waits behind its late packet; channel 1 does not"
    );
    assert_eq!(inbox.next_due(), Some(t0 + ms(300)));
    assert_eq!(
        released(&mut inbox, t0 + ms(300)),
        vec![packet(1, 0, 1, true), packet(1, 0, 2, true)]
    );
    assert!(inbox.is_empty());
}

#[test]
fn a_close_waits_for_what_came_before_and_holds_what_came_after() {
    let mut inbox = Inbox::default();
    let t0 = Instant::now();
    inbox.arrive(t0, t0 + ms(100), packet(1, 0, 1, true));
    inbox.arrive(t0, t0 + ms(200), packet(1, 3, 2, false));
    inbox.arrive(t0, t0, Arrival::Closed(id(1)));
    // The next session's packets, due before the close can go.
    inbox.arrive(t0, t0 + ms(10), packet(1, 0, 3, true));
    inbox.arrive(t0, t0 + ms(10), packet(1, 2, 4, false));
    inbox.arrive(t0, t0 + ms(10), packet(2, 0, 5, true));
    assert_eq!(
        released(&mut inbox, t0 + ms(10)),
        vec![packet(2, 0, 5, true)]
    );
    assert_eq!(
        released(&mut inbox, t0 + ms(100)),
        vec![
            packet(1, 0, 1, true),
            Arrival::Closed(id(1)),
            packet(1, 0, 3, true),
            packet(1, 2, 4, false)
        ]
    );
    // The old session's late unreliable packet is gone with it.
    assert!(released(&mut inbox, t0 + ms(200)).is_empty());
    assert!(inbox.is_empty());
    inbox.arrive(t0, t0, Arrival::Closed(id(3)));
    assert_eq!(
        released(&mut inbox, t0),
        vec![Arrival::Closed(id(3))],
        "nothing to wait for"
    );
}

#[test]
fn the_inbox_bounds_unreliable_bytes() {
    let mut inbox = Inbox::default();
    let t0 = Instant::now();
    let big = |n| Arrival::Packet {
        sender: id(1),
        channel: ch(0),
        data: vec![n; 1200],
        reliable: false,
    };
    let kept = (0..UNRELIABLE_BUDGET / 1200 + 10)
        .filter(|i| inbox.arrive(t0, t0 + ms(50), big(*i as u8)))
        .count();
    assert_eq!(kept, UNRELIABLE_BUDGET / 1200);
    assert_eq!(released(&mut inbox, t0 + ms(50)).len(), kept);
    assert!(inbox.arrive(t0, t0 + ms(50), big(0)), "room again");
}

#[test]
fn receiving_conditions_apply_to_what_arrives() {
    let mut sim = Netsim::new(LinkConditions::default(), 9);
    assert!(sim.passes_through() && !sim.shapes_sends());
    sim.apply(Setting {
        fake: Fake::LossRecv,
        value: 25.0,
    });
    sim.apply(Setting {
        fake: Fake::LagRecv,
        value: 30.0,
    });
    assert!(!sim.passes_through() && !sim.shapes_sends());
    let t0 = Instant::now();
    let kept = (0..4000)
        .filter(|i| sim.arrive(t0, packet(1, 0, *i as u8, false), None))
        .count();
    assert!((2800..3200).contains(&kept), "{kept} of 4000 kept");
    let mut got = 0;
    sim.release(t0 + ms(29), |_| got += 1);
    assert_eq!(got, 0, "received lag");
    sim.release(t0 + ms(30), |_| got += 1);
    assert_eq!(got, kept);
    assert!(
        sim.arrive(t0, packet(1, 0, 1, true), None),
        "reliable is never lost"
    );
}

#[test]
fn a_hold_is_kept_less_the_time_already_spent() {
    let mut sim = Netsim::new(LinkConditions::default(), 9);
    let t0 = Instant::now();
    let hold = crate::backend::local::wire::Hold::after(t0, ms(80));
    sim.arrive(t0 + ms(30), packet(1, 0, 1, false), Some(hold));
    let mut got = 0;
    sim.release(t0 + ms(79), |_| got += 1);
    assert_eq!(got, 0);
    sim.release(t0 + ms(80), |_| got += 1);
    assert_eq!(got, 1, "due 80 ms after sending, not after arriving");
}

#[test]
fn packets_sent_in_order_stay_in_order_to_the_nanosecond() {
    let mut s = shaper(Conditions {
        lag: ms(5),
        ..Conditions::default()
    });
    let mut sim = Netsim::new(LinkConditions::default(), 9);
    let t0 = Instant::now();
    for i in 0..200u32 {
        let at = t0 + Duration::from_nanos(u64::from(i) * 7);
        let Fate::Once(delay) = s.decide(at, id(1), ch(0), 4, false) else {
            panic!()
        };
        let hold = crate::backend::local::wire::Hold::after(at, delay);
        let data = i.to_le_bytes().to_vec();
        let arrival = Arrival::Packet {
            sender: id(1),
            channel: ch(0),
            data,
            reliable: false,
        };
        // Read in two pumps, as a receiver might.
        sim.arrive(
            t0 + Duration::from_micros(if i < 100 { 40 } else { 90 }),
            arrival,
            Some(hold),
        );
    }
    let mut order = Vec::new();
    sim.release(t0 + ms(6), |a| {
        if let Arrival::Packet { data, .. } = a {
            order.push(u32::from_le_bytes(data.try_into().unwrap()));
        }
    });
    assert_eq!(order, (0..200).collect::<Vec<_>>());
}
