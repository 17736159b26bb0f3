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
    /// Its unit, for the message a bad value gets.
    unit: Unit,
    set: fn(&mut Conditions, f64),
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

    fn rule(self) -> &'static str {
        match self {
            Unit::Millis => "expected milliseconds 0..10000",
            Unit::Percent => "expected a percentage 0..100",
            Unit::KiloBytesPerSecond => "expected kB/s 0..1000000 (0: no cap)",
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
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_JITTER_MS",
        setting: "steam_networking/local/jitter_ms",
        unit: Unit::Millis,
        set: |c, v| c.jitter_avg = from_ms(v),
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_LOSS_PERCENT",
        setting: "steam_networking/local/loss_percent",
        unit: Unit::Percent,
        set: |c, v| c.loss = v,
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_REORDER_PERCENT",
        setting: "steam_networking/local/reorder_percent",
        unit: Unit::Percent,
        set: |c, v| c.reorder = v,
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_REORDER_MS",
        setting: "steam_networking/local/reorder_ms",
        unit: Unit::Millis,
        set: |c, v| c.reorder_time = from_ms(v),
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_DUP_PERCENT",
        setting: "steam_networking/local/dup_percent",
        unit: Unit::Percent,
        set: |c, v| c.dup = v,
    },
    Knob {
        env: "STEAM_NETWORKING_LOCAL_RATE_KBPS",
        setting: "steam_networking/local/rate_kbps",
        unit: Unit::KiloBytesPerSecond,
        set: |c, v| c.rate = (v * 1000.0).round() as u32,
    },
];

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
    fn the_project_settings_registered_are_the_knobs() {
        let registered: Vec<&str> = crate::settings::LOCAL_CONDITIONS
            .iter()
            .map(|(name, ..)| *name)
            .collect();
        let knobs: Vec<&str> = KNOBS.iter().map(|k| k.setting).collect();
        assert_eq!(registered, knobs);
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
