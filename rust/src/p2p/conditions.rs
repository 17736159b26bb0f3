//! Simulated network conditions: what one direction of a link does to the
//! packets on it (lag, jitter, loss, reordering, duplication, a bandwidth
//! cap), and GodotSteam's `NETWORKING_CONFIG_FAKE_*` settings that change
//! them at run time, with the checks their values get. The local backend
//! simulates them (`backend/local/netsim/`); the Steam backend hands the
//! settings to Valve's `SetGlobalConfigValue*`.

use std::time::Duration;

use super::InputError;

/// The longest delay any setting may ask for (lag, jitter, reorder and
/// duplicate times), in milliseconds.
pub const MAX_DELAY_MS: f64 = 10_000.0;
/// The default extra delay of a reordered packet (Valve's default too).
pub const DEFAULT_REORDER_TIME: Duration = Duration::from_millis(15);
/// The default latest arrival of a duplicate after its original.
pub const DEFAULT_DUP_TIME_MAX: Duration = Duration::from_millis(10);
/// The default bytes unreliable packets may queue behind a bandwidth cap
/// before they are dropped.
pub const DEFAULT_BURST: u32 = 16 * 1024;

/// What one direction of a link does to its packets. All zero: nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conditions {
    /// Added to every packet.
    pub lag: Duration,
    /// The mean of each packet's random extra delay (exponential, as
    /// Valve's jitter; packet order is kept).
    pub jitter_avg: Duration,
    /// The longest extra delay jitter adds; zero: four times the mean.
    pub jitter_max: Duration,
    /// The share of packets that get jitter, in percent.
    pub jitter_pct: f64,
    /// Unreliable packets dropped, in percent; reliable ones wait for a
    /// simulated retransmission instead.
    pub loss: f64,
    /// Unreliable packets delayed by `reorder_time` (so that later ones
    /// overtake them), in percent.
    pub reorder: f64,
    /// The extra delay of a reordered packet.
    pub reorder_time: Duration,
    /// Unreliable packets that arrive twice, in percent.
    pub dup: f64,
    /// The latest a duplicate arrives after its original.
    pub dup_time_max: Duration,
    /// Payload bytes per second the link carries; zero: no cap.
    pub rate: u32,
    /// Payload bytes that may wait behind the cap before unreliable
    /// packets are dropped (reliable ones always wait).
    pub burst: u32,
}

impl Default for Conditions {
    fn default() -> Self {
        Self {
            lag: Duration::ZERO,
            jitter_avg: Duration::ZERO,
            jitter_max: Duration::ZERO,
            jitter_pct: 100.0,
            loss: 0.0,
            reorder: 0.0,
            reorder_time: DEFAULT_REORDER_TIME,
            dup: 0.0,
            dup_time_max: DEFAULT_DUP_TIME_MAX,
            rate: 0,
            burst: DEFAULT_BURST,
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A delay from milliseconds already checked to be within range.
pub fn from_ms(ms: f64) -> Duration {
    Duration::from_secs_f64(ms.clamp(0.0, MAX_DELAY_MS) / 1000.0)
}

impl Conditions {
    /// Whether these conditions change anything.
    pub fn is_active(&self) -> bool {
        !self.lag.is_zero()
            || (!self.jitter_avg.is_zero() && self.jitter_pct > 0.0)
            || self.loss > 0.0
            || self.reorder > 0.0
            || self.dup > 0.0
            || self.rate > 0
    }

    /// The jitter a packet may get at most.
    pub fn jitter_cap(&self) -> Duration {
        if self.jitter_max.is_zero() {
            self.jitter_avg * 4
        } else {
            self.jitter_max
        }
    }

    /// A short description for logs and the demo: "150 ms lag, 5% loss",
    /// or "none".
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if !self.lag.is_zero() {
            parts.push(format!("{} ms lag", round(ms(self.lag))));
        }
        if !self.jitter_avg.is_zero() && self.jitter_pct > 0.0 {
            parts.push(format!("{} ms jitter", round(ms(self.jitter_avg))));
        }
        if self.loss > 0.0 {
            parts.push(format!("{}% loss", round(self.loss)));
        }
        if self.reorder > 0.0 {
            parts.push(format!(
                "{}% reordered by {} ms",
                round(self.reorder),
                round(ms(self.reorder_time))
            ));
        }
        if self.dup > 0.0 {
            parts.push(format!("{}% duplicated", round(self.dup)));
        }
        if self.rate > 0 {
            parts.push(format!("{} kB/s", round(f64::from(self.rate) / 1000.0)));
        }
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(", ")
        }
    }

    /// The values as the demo and `getLocalNetworkConditions` show them:
    /// (key, value) in milliseconds, percent and kB/s.
    pub fn fields(&self) -> [(&'static str, f64); 10] {
        [
            ("lag_ms", ms(self.lag)),
            ("jitter_ms", ms(self.jitter_avg)),
            ("jitter_max_ms", ms(self.jitter_cap())),
            ("jitter_percent", self.jitter_pct),
            ("loss_percent", self.loss),
            ("reorder_percent", self.reorder),
            ("reorder_ms", ms(self.reorder_time)),
            ("dup_percent", self.dup),
            ("dup_ms", ms(self.dup_time_max)),
            ("rate_kbps", f64::from(self.rate) / 1000.0),
        ]
    }
}

/// A number for a message: whole numbers without a fraction, others with
/// at most two decimals.
fn round(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

/// The kind of value a setting takes (the Steamworks SDK's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `setGlobalConfigValueInt32`.
    Int32,
    /// `setGlobalConfigValueFloat`.
    Float,
}

/// What a value means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// 0..=100.
    Percent,
    /// 0..=`MAX_DELAY_MS`.
    Millis,
    /// 0..=i32::MAX (bytes per second, or bytes).
    Bytes,
}

/// Which direction of a link a setting applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// What this instance sends.
    Send,
    /// What this instance receives.
    Recv,
    /// Both (Valve's reorder and duplicate times).
    Both,
}

macro_rules! fakes {
    ($($variant:ident = $value:literal, $name:literal, $kind:ident, $unit:ident, $dir:ident;)*) => {
        /// GodotSteam's `NetworkingConfigValue` simulation settings
        /// (`Steam.NETWORKING_CONFIG_FAKE_*`), with the SDK's values.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Fake {
            $(
                #[doc = concat!("`Steam.", $name, "`.")]
                $variant = $value,
            )*
        }

        impl Fake {
            /// Every setting.
            pub const ALL: &[Fake] = &[$(Fake::$variant),*];

            /// The setting a GDScript `config` names, if it is one.
            pub fn from_raw(raw: i64) -> Option<Self> {
                match raw {
                    $($value => Some(Self::$variant),)*
                    _ => None,
                }
            }

            /// The GodotSteam constant's name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// The kind of value it takes.
            pub fn kind(self) -> Kind {
                match self {
                    $(Self::$variant => Kind::$kind,)*
                }
            }

            fn unit(self) -> Unit {
                match self {
                    $(Self::$variant => Unit::$unit,)*
                }
            }

            /// The direction it changes.
            pub fn direction(self) -> Direction {
                match self {
                    $(Self::$variant => Direction::$dir,)*
                }
            }
        }
    };
}

fakes! {
    LossSend = 2, "NETWORKING_CONFIG_FAKE_PACKET_LOSS_SEND", Float, Percent, Send;
    LossRecv = 3, "NETWORKING_CONFIG_FAKE_PACKET_LOSS_RECV", Float, Percent, Recv;
    LagSend = 4, "NETWORKING_CONFIG_FAKE_PACKET_LAG_SEND", Int32, Millis, Send;
    LagRecv = 5, "NETWORKING_CONFIG_FAKE_PACKET_LAG_RECV", Int32, Millis, Recv;
    ReorderSend = 6, "NETWORKING_CONFIG_FAKE_PACKET_REORDER_SEND", Float, Percent, Send;
    ReorderRecv = 7, "NETWORKING_CONFIG_FAKE_PACKET_REORDER_RECV", Float, Percent, Recv;
    ReorderTime = 8, "NETWORKING_CONFIG_FAKE_PACKET_REORDER_TIME", Int32, Millis, Both;
    DupSend = 26, "NETWORKING_CONFIG_FAKE_PACKET_DUP_SEND", Float, Percent, Send;
    DupRecv = 27, "NETWORKING_CONFIG_FAKE_PACKET_DUP_REVC", Float, Percent, Recv;
    DupTimeMax = 28, "NETWORKING_CONFIG_FAKE_PACKET_DUP_TIME_MAX", Int32, Millis, Both;
    RateSend = 42, "NETWORKING_CONFIG_FAKE_RATE_LIMIT_SEND_RATE", Int32, Bytes, Send;
    BurstSend = 43, "NETWORKING_CONFIG_FAKE_RATE_LIMIT_SEND_BURST", Int32, Bytes, Send;
    RateRecv = 44, "NETWORKING_CONFIG_FAKE_RATE_LIMIT_RECV_RATE", Int32, Bytes, Recv;
    BurstRecv = 45, "NETWORKING_CONFIG_FAKE_RATE_LIMIT_RECV_BURST", Int32, Bytes, Recv;
    JitterSendAvg = 53, "NETWORKING_CONFIG_FAKE_PACKET_JITTER_SEND_AVG", Float, Millis, Send;
    JitterSendMax = 54, "NETWORKING_CONFIG_FAKE_PACKET_JITTER_SEND_MAX", Float, Millis, Send;
    JitterSendPct = 55, "NETWORKING_CONFIG_FAKE_PACKET_JITTER_SEND_PCT", Float, Percent, Send;
    JitterRecvAvg = 56, "NETWORKING_CONFIG_FAKE_PACKET_JITTER_RECV_AVG", Float, Millis, Recv;
    JitterRecvMax = 57, "NETWORKING_CONFIG_FAKE_PACKET_JITTER_RECV_MAX", Float, Millis, Recv;
    JitterRecvPct = 58, "NETWORKING_CONFIG_FAKE_PACKET_JITTER_RECV_PCT", Float, Percent, Recv;
}

/// A value as `setGlobalConfigValueInt32`, `Float` or `String` passed it.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigValue {
    /// From `setGlobalConfigValueInt32`.
    Int32(i64),
    /// From `setGlobalConfigValueFloat`.
    Float(f64),
    /// From `setGlobalConfigValueString`.
    String(String),
}

impl ConfigValue {
    fn call(&self) -> &'static str {
        match self {
            Self::Int32(_) => "setGlobalConfigValueInt32",
            Self::Float(_) => "setGlobalConfigValueFloat",
            Self::String(_) => "setGlobalConfigValueString",
        }
    }
}

/// A setting and its checked value (milliseconds, percent or bytes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setting {
    /// Which.
    pub fake: Fake,
    /// Its value, within the setting's range.
    pub value: f64,
}

impl Setting {
    /// Checks a GDScript call: a known setting, the value kind it takes,
    /// and a value within its range.
    pub fn check(config: i64, value: &ConfigValue) -> Result<Self, InputError> {
        let fake = Fake::from_raw(config).ok_or(InputError::UnknownConfig(config))?;
        let number = match (fake.kind(), value) {
            (Kind::Int32, ConfigValue::Int32(v)) => {
                i32::try_from(*v).map_err(|_| out_of_range(fake, v.to_string()))?;
                *v as f64
            }
            (Kind::Float, ConfigValue::Float(v)) => *v,
            (kind, _) => {
                return Err(InputError::ConfigKind {
                    name: fake.name(),
                    call: value.call(),
                    expected: match kind {
                        Kind::Int32 => "setGlobalConfigValueInt32",
                        Kind::Float => "setGlobalConfigValueFloat",
                    },
                });
            }
        };
        check_range(fake, number).map_err(|_| out_of_range(fake, number.to_string()))?;
        Ok(Self {
            fake,
            value: number,
        })
    }
}

fn out_of_range(fake: Fake, value: String) -> InputError {
    InputError::ConfigRange {
        name: fake.name(),
        value,
        range: range_text(fake),
    }
}

fn range_text(fake: Fake) -> &'static str {
    match fake.unit() {
        Unit::Percent => "a percentage 0..=100",
        Unit::Millis => "milliseconds 0..=10000",
        Unit::Bytes if matches!(fake, Fake::RateSend | Fake::RateRecv) => {
            "bytes per second 0..=2147483647 (0: no cap)"
        }
        Unit::Bytes => "bytes 0..=2147483647",
    }
}

fn check_range(fake: Fake, value: f64) -> Result<(), ()> {
    let max = match fake.unit() {
        Unit::Percent => 100.0,
        Unit::Millis => MAX_DELAY_MS,
        Unit::Bytes => f64::from(i32::MAX),
    };
    if value.is_finite() && (0.0..=max).contains(&value) {
        Ok(())
    } else {
        Err(())
    }
}

/// Both directions of an instance's simulated link.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LinkConditions {
    /// Applied to what this instance sends.
    pub send: Conditions,
    /// Applied to what this instance receives.
    pub recv: Conditions,
}

impl LinkConditions {
    /// Applies a checked setting.
    pub fn apply(&mut self, setting: Setting) {
        let Setting { fake, value } = setting;
        let bytes = value as u32;
        let set = |c: &mut Conditions| match fake {
            Fake::LossSend | Fake::LossRecv => c.loss = value,
            Fake::LagSend | Fake::LagRecv => c.lag = from_ms(value),
            Fake::ReorderSend | Fake::ReorderRecv => c.reorder = value,
            Fake::ReorderTime => c.reorder_time = from_ms(value),
            Fake::DupSend | Fake::DupRecv => c.dup = value,
            Fake::DupTimeMax => c.dup_time_max = from_ms(value),
            Fake::RateSend | Fake::RateRecv => c.rate = bytes,
            Fake::BurstSend | Fake::BurstRecv => c.burst = bytes,
            Fake::JitterSendAvg | Fake::JitterRecvAvg => c.jitter_avg = from_ms(value),
            Fake::JitterSendMax | Fake::JitterRecvMax => c.jitter_max = from_ms(value),
            Fake::JitterSendPct | Fake::JitterRecvPct => c.jitter_pct = value,
        };
        match fake.direction() {
            Direction::Send => set(&mut self.send),
            Direction::Recv => set(&mut self.recv),
            Direction::Both => {
                set(&mut self.send);
                set(&mut self.recv);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_names_are_godotsteams() {
        assert_eq!(Fake::ALL.len(), 20);
        assert_eq!(Fake::from_raw(4), Some(Fake::LagSend));
        assert_eq!(
            Fake::DupRecv.name(),
            "NETWORKING_CONFIG_FAKE_PACKET_DUP_REVC"
        );
        assert_eq!(Fake::RateSend as i64, 42);
        assert_eq!(Fake::JitterRecvPct as i64, 58);
        for raw in [0, 1, 9, 41, 46, 59, -4] {
            assert_eq!(Fake::from_raw(raw), None, "{raw}");
        }
        for fake in Fake::ALL {
            assert_eq!(Fake::from_raw(*fake as i64), Some(*fake));
        }
    }

    #[test]
    fn checks_name_the_setting_and_the_rule() {
        let lag = Setting::check(4, &ConfigValue::Int32(150)).unwrap();
        assert_eq!((lag.fake, lag.value), (Fake::LagSend, 150.0));
        let loss = Setting::check(2, &ConfigValue::Float(12.5)).unwrap();
        assert_eq!(loss.value, 12.5);
        for (config, value, fragment) in [
            (0, ConfigValue::Int32(1), "unknown config 0"),
            (24, ConfigValue::Int32(1), "unknown config 24"),
            (
                4,
                ConfigValue::Float(150.0),
                "use setGlobalConfigValueInt32",
            ),
            (2, ConfigValue::Int32(5), "use setGlobalConfigValueFloat"),
            (
                2,
                ConfigValue::String("5".into()),
                "use setGlobalConfigValueFloat",
            ),
            (4, ConfigValue::Int32(-1), "LAG_SEND: expected milliseconds"),
            (4, ConfigValue::Int32(10_001), "milliseconds 0..=10000"),
            (4, ConfigValue::Int32(1 << 40), "1099511627776"),
            (
                2,
                ConfigValue::Float(100.5),
                "LOSS_SEND: expected a percentage",
            ),
            (2, ConfigValue::Float(f64::NAN), "NaN"),
            (53, ConfigValue::Float(f64::INFINITY), "inf"),
            (42, ConfigValue::Int32(-5), "bytes per second"),
        ] {
            let err = Setting::check(config, &value).unwrap_err().to_string();
            assert!(err.contains(fragment), "{config} {value:?}: {err}");
        }
    }

    #[test]
    fn settings_change_their_direction() {
        let mut link = LinkConditions::default();
        assert!(!link.send.is_active() && !link.recv.is_active());
        for (raw, value) in [(4, 150.0), (3, 5.0), (8, 30.0), (42, 128_000.0)] {
            link.apply(Setting {
                fake: Fake::from_raw(raw).unwrap(),
                value,
            });
        }
        assert_eq!(link.send.lag, Duration::from_millis(150));
        assert_eq!((link.send.loss, link.recv.loss), (0.0, 5.0));
        assert_eq!(link.send.reorder_time, Duration::from_millis(30));
        assert_eq!(link.recv.reorder_time, Duration::from_millis(30));
        assert_eq!(link.send.rate, 128_000);
        assert!(link.send.is_active() && link.recv.is_active());
        assert_eq!(link.send.summary(), "150 ms lag, 128 kB/s");
        assert_eq!(link.recv.summary(), "5% loss");
        assert_eq!(Conditions::default().summary(), "none");
    }

    #[test]
    fn jitter_is_capped_at_four_means_unless_told() {
        let mut c = Conditions {
            jitter_avg: Duration::from_millis(10),
            ..Conditions::default()
        };
        assert_eq!(c.jitter_cap(), Duration::from_millis(40));
        c.jitter_max = Duration::from_millis(15);
        assert_eq!(c.jitter_cap(), Duration::from_millis(15));
        c.jitter_pct = 0.0;
        assert!(!c.is_active(), "no packet gets jitter");
    }
}
