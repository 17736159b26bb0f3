//! The simulated conditions an instance starts with: environment variables,
//! else project settings under `steam_networking/local/` (the environment
//! wins, as for the backend choice). Bad values fail init with a message
//! that names the variable or setting.

use crate::p2p::conditions::{Conditions, LinkConditions, MAX_DELAY_MS, from_ms};
use crate::p2p::{InitFailure, InitStatus};

/// Most kB/s a cap may be set to (1 GB/s).
const MAX_RATE_KBPS: f64 = 1_000_000.0;

/// One start-up setting: its environment variable, its project setting,
/// and what it sets.
#[derive(Debug)]
pub struct Knob {
    /// The environment variable.
    pub env: &'static str,
    /// The project setting.
    pub setting: &'static str,
    /// Its unit: the range a value must be in, and how the setting shows.
    unit: Unit,
    set: fn(&mut Conditions, f64),
    /// The value it has in `Conditions`, in its unit (for the default).
    get: fn(&Conditions) -> f64,
}

impl Knob {
    /// Its value when nothing sets it.
    pub fn default_value(&self) -> f64 {
        (self.get)(&Conditions::default())
    }

    /// Whether it takes whole numbers (milliseconds, kB/s) only.
    pub fn is_whole(&self) -> bool {
        !matches!(self.unit, Unit::Percent)
    }

    /// Its project setting's range hint (min, max, step, suffix).
    pub fn hint(&self) -> String {
        let (step, suffix) = match self.unit {
            Unit::Millis => ("1", "ms"),
            Unit::Percent => ("0.1", "%"),
            Unit::KiloBytesPerSecond => ("1", "kB/s"),
        };
        format!("0,{},{step},suffix:{suffix}", self.unit.max())
    }
}

#[derive(Debug, Clone, Copy)]
enum Unit {
    Millis,
    Percent,
    KiloBytesPerSecond,
}

impl Unit {
    fn max(self) -> f64 {
        match self {
            Unit::Millis => MAX_DELAY_MS,
            Unit::Percent => 100.0,
            Unit::KiloBytesPerSecond => MAX_RATE_KBPS,
        }
    }

    fn rule(self) -> String {
        let max = self.max();
        match self {
            Unit::Millis => format!("expected milliseconds 0..{max}"),
            Unit::Percent => format!("expected a percentage 0..{max}"),
            Unit::KiloBytesPerSecond => format!("expected kB/s 0..{max} (0: no cap)"),
        }
    }
}

/// Every start-up setting of the simulation (they apply to what this
/// instance sends).
pub const KNOBS: [Knob; 7] = [
    Knob {
        env: "STEAM_NETWORKING_LOCAL_LAG_MS",
        setting: "steam_networking/local/lag_ms",
        unit: Unit::Millis,
        set: |c, v| c.lag = from_ms(v),
        get: |c| ms(c.lag),
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_JITTER_MS",
        setting: "steam_networking/local/jitter_ms",
        unit: Unit::Millis,
        set: |c, v| c.jitter_avg = from_ms(v),
        get: |c| ms(c.jitter_avg),
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_LOSS_PERCENT",
        setting: "steam_networking/local/loss_percent",
        unit: Unit::Percent,
        set: |c, v| c.loss = v,
        get: |c| c.loss,
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_REORDER_PERCENT",
        setting: "steam_networking/local/reorder_percent",
        unit: Unit::Percent,
        set: |c, v| c.reorder = v,
        get: |c| c.reorder,
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_REORDER_MS",
        setting: "steam_networking/local/reorder_ms",
        unit: Unit::Millis,
        set: |c, v| c.reorder_time = from_ms(v),
        get: |c| ms(c.reorder_time),
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_DUP_PERCENT",
        setting: "steam_networking/local/dup_percent",
        unit: Unit::Percent,
        set: |c, v| c.dup = v,
        get: |c| c.dup,
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_RATE_KBPS",
        setting: "steam_networking/local/rate_kbps",
        unit: Unit::KiloBytesPerSecond,
        set: |c, v| c.rate = (v * 1000.0).round() as u32,
        get: |c| f64::from(c.rate) / 1000.0,
    },
];

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Reads the start-up conditions: each knob from `env` (its variable), else
/// from `setting` (its project setting's value as text); unset or empty
/// values keep the defaults.
pub fn conditions(
    env: impl Fn(&str) -> Option<String>,
    setting: impl Fn(&str) -> Option<String>,
) -> Result<LinkConditions, InitFailure> {
    let mut send = Conditions::default();
    for knob in &KNOBS {
        let given = |v: &Option<String>| v.as_ref().is_some_and(|v| !v.trim().is_empty());
        let (source, value) = match (env(knob.env), setting(knob.setting)) {
            (e, _) if given(&e) => (knob.env.to_owned(), e.unwrap_or_default()),
            (_, s) if given(&s) => (
                format!("project setting {}", knob.setting),
                s.unwrap_or_default(),
            ),
            _ => continue,
        };
        let number = value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && (0.0..=knob.unit.max()).contains(n))
            .ok_or_else(|| {
                InitFailure::new(
                    InitStatus::FailedGeneric,
                    format!("{source}=\"{value}\" is invalid: {}", knob.unit.rule()),
                )
            })?;
        (knob.set)(&mut send, number);
    }
    Ok(LinkConditions {
        send,
        recv: Conditions {
            // The reorder time is one value for both directions, as Valve's.
            reorder_time: send.reorder_time,
            ..Conditions::default()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn lookup(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn each_project_setting_shows_its_default_range_and_kind() {
        let shown: Vec<(&str, f64, bool, String)> = KNOBS
            .iter()
            .map(|k| (k.setting, k.default_value(), k.is_whole(), k.hint()))
            .collect();
        let ms = "0,10000,1,suffix:ms".to_string();
        let pct = "0,100,0.1,suffix:%".to_string();
        assert_eq!(
            shown,
            vec![
                ("steam_networking/local/lag_ms", 0.0, true, ms.clone()),
                ("steam_networking/local/jitter_ms", 0.0, true, ms.clone()),
                (
                    "steam_networking/local/loss_percent",
                    0.0,
                    false,
                    pct.clone()
                ),
                (
                    "steam_networking/local/reorder_percent",
                    0.0,
                    false,
                    pct.clone()
                ),
                ("steam_networking/local/reorder_ms", 15.0, true, ms),
                ("steam_networking/local/dup_percent", 0.0, false, pct),
                (
                    "steam_networking/local/rate_kbps",
                    0.0,
                    true,
                    "0,1000000,1,suffix:kB/s".to_string()
                ),
            ]
        );
    }

    #[test]
    fn nothing_set_means_nothing_simulated() {
        let c = conditions(lookup(&[]), lookup(&[])).unwrap();
        assert!(!c.send.is_active() && !c.recv.is_active());
        assert_eq!(c, LinkConditions::default());
    }

    #[test]
    fn every_knob_sets_its_condition_and_the_environment_wins() {
        let env = lookup(&[
            ("STEAM_NETWORKING_LOCAL_LAG_MS", "150"),
            ("STEAM_NETWORKING_LOCAL_LOSS_PERCENT", " 5 "),
            ("STEAM_NETWORKING_LOCAL_RATE_KBPS", "128"),
            ("STEAM_NETWORKING_LOCAL_REORDER_PERCENT", ""),
        ]);
        let settings = lookup(&[
            ("steam_networking/local/lag_ms", "20"),
            ("steam_networking/local/jitter_ms", "3.5"),
            ("steam_networking/local/reorder_percent", "2.0"),
            ("steam_networking/local/reorder_ms", "30"),
            ("steam_networking/local/dup_percent", "1"),
        ]);
        let c = conditions(env, settings).unwrap().send;
        assert_eq!(c.lag, Duration::from_millis(150), "the environment wins");
        assert_eq!(c.jitter_avg, Duration::from_micros(3500));
        assert_eq!((c.loss, c.reorder, c.dup), (5.0, 2.0, 1.0));
        assert_eq!(c.reorder_time, Duration::from_millis(30));
        assert_eq!(c.rate, 128_000, "kB/s are 1000 bytes a second");
    }

    #[test]
    fn bad_values_fail_naming_their_source() {
        for (env, setting, fragment) in [
            (
                &[("STEAM_NETWORKING_LOCAL_LAG_MS", "-5")][..],
                &[][..],
                "STEAM_NETWORKING_LOCAL_LAG_MS=\"-5\" is invalid: expected milliseconds",
            ),
            (
                &[("STEAM_NETWORKING_LOCAL_LOSS_PERCENT", "101")],
                &[],
                "STEAM_NETWORKING_LOCAL_LOSS_PERCENT=\"101\" is invalid: expected a percentage",
            ),
            (
                &[("STEAM_NETWORKING_LOCAL_JITTER_MS", "lots")],
                &[],
                "STEAM_NETWORKING_LOCAL_JITTER_MS=\"lots\"",
            ),
            (
                &[("STEAM_NETWORKING_LOCAL_DUP_PERCENT", "NaN")],
                &[],
                "STEAM_NETWORKING_LOCAL_DUP_PERCENT",
            ),
            (
                &[],
                &[("steam_networking/local/rate_kbps", "-1")],
                "project setting steam_networking/local/rate_kbps=\"-1\" is invalid: expected kB/s",
            ),
            (
                &[],
                &[("steam_networking/local/reorder_ms", "inf")],
                "project setting steam_networking/local/reorder_ms",
            ),
        ] {
            let env: Vec<_> = env.iter().map(|(k, v)| (*k, v.to_string())).collect();
            let setting: Vec<_> = setting.iter().map(|(k, v)| (*k, v.to_string())).collect();
            let err = conditions(
                |k| {
                    env.iter()
                        .find(|(key, _)| *key == k)
                        .map(|(_, v)| v.clone())
                },
                |k| {
                    setting
                        .iter()
                        .find(|(key, _)| *key == k)
                        .map(|(_, v)| v.clone())
                },
            )
            .unwrap_err();
            assert_eq!(err.status, InitStatus::FailedGeneric);
            assert!(err.verbal.contains(fragment), "{}", err.verbal);
        }
    }
}
