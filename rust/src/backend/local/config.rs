//! Where a local-backend instance lives: its slot, Steam ID, ports and timers,
//! from the environment.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::PathBuf;
use std::time::Duration;

use crate::p2p::conditions::LinkConditions;
use crate::p2p::{InitFailure, InitStatus, SteamId};

/// Instance number to use (`STEAM_NETWORKING_LOCAL_ID`); else the lowest free slot.
pub const ID_ENV: &str = "STEAM_NETWORKING_LOCAL_ID";
/// Port of instance 0 (`STEAM_NETWORKING_LOCAL_PORT`); instance n uses this + n.
/// `0`: ports the OS picks, found through the directory (`DIR_ENV`).
pub const PORT_ENV: &str = "STEAM_NETWORKING_LOCAL_PORT";
/// A folder where instances register the ports the OS gave them
/// (`STEAM_NETWORKING_LOCAL_DIR`): instances that share it find each other,
/// and nothing else on the machine can collide with them.
pub const DIR_ENV: &str = "STEAM_NETWORKING_LOCAL_DIR";
/// The persona name of this instance (`STEAM_NETWORKING_LOCAL_NAME`); else
/// the project setting `steam_networking/local/name`, else "Player <n + 1>".
pub const NAME_ENV: &str = "STEAM_NETWORKING_LOCAL_NAME";
/// How long a silent peer has before `p2p_session_connect_fail` (milliseconds).
pub const TIMEOUT_ENV: &str = "STEAM_NETWORKING_LOCAL_TIMEOUT_MS";

/// Default port of instance 0.
pub const DEFAULT_PORT: u16 = 27200;
/// Steam waits about 20 s before giving up on a peer; so do we by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// How many instances one machine can run.
pub const MAX_SLOTS: u16 = 64;

/// The local backend's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalConfig {
    /// Port of instance 0 (unused with a directory).
    pub base_port: u16,
    /// With a directory, ports come from the OS and are registered there.
    pub dir: Option<PathBuf>,
    /// The requested instance number, if any.
    pub slot: Option<u16>,
    /// Silence after which a session fails.
    pub timeout: Duration,
    /// The persona name, if one was given.
    pub name: Option<String>,
    /// The simulated network conditions it starts with
    /// (`super::netsim::env`).
    pub conditions: LinkConditions,
}

fn bad(var: &str, value: &str, rule: &str) -> InitFailure {
    InitFailure::new(
        InitStatus::FailedGeneric,
        format!("{var}=\"{value}\" is invalid: {rule}"),
    )
}

impl LocalConfig {
    /// Reads the settings through `get` (the environment in production).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, InitFailure> {
        let slot = match get(ID_ENV).filter(|v| !v.trim().is_empty()) {
            None => None,
            Some(v) => Some(
                v.trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|n| *n < MAX_SLOTS)
                    .ok_or_else(|| {
                        bad(
                            ID_ENV,
                            &v,
                            &format!("expected an instance number 0..{MAX_SLOTS}"),
                        )
                    })?,
            ),
        };
        let base_port = match get(PORT_ENV).filter(|v| !v.trim().is_empty()) {
            None => DEFAULT_PORT,
            Some(v) => v
                .trim()
                .parse::<u16>()
                .ok()
                .filter(|p| {
                    *p == 0 || (*p >= 1024 && u32::from(*p) + u32::from(MAX_SLOTS) <= 65535)
                })
                .ok_or_else(|| {
                    bad(
                        PORT_ENV,
                        &v,
                        "expected a port 1024..65471, or 0 for ports the OS picks",
                    )
                })?,
        };
        let dir = match get(DIR_ENV).filter(|v| !v.trim().is_empty()) {
            Some(v) => Some(PathBuf::from(v)),
            None if base_port == 0 => Some(std::env::temp_dir().join("steam-networking-local")),
            None => None,
        };
        let timeout = match get(TIMEOUT_ENV).filter(|v| !v.trim().is_empty()) {
            None => DEFAULT_TIMEOUT,
            Some(v) => v
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|ms| (100..=600_000).contains(ms))
                .map(Duration::from_millis)
                .ok_or_else(|| bad(TIMEOUT_ENV, &v, "expected milliseconds 100..600000"))?,
        };
        Ok(Self {
            base_port,
            dir,
            slot,
            timeout,
            name: get(NAME_ENV).filter(|v| !v.trim().is_empty()),
            conditions: LinkConditions::default(),
        })
    }

    /// Fixed ports from `base_port`, no directory: what a game gets by default.
    pub fn with_ports(base_port: u16, slot: Option<u16>, timeout: Duration) -> Self {
        Self {
            base_port,
            dir: None,
            slot,
            timeout,
            name: None,
            conditions: LinkConditions::default(),
        }
    }

    /// OS-picked ports registered in `dir`, as tests use them.
    pub fn with_dir(dir: &std::path::Path, slot: Option<u16>, timeout: Duration) -> Self {
        Self {
            dir: Some(dir.to_path_buf()),
            ..Self::with_ports(0, slot, timeout)
        }
    }

    /// Reads the settings from the environment.
    pub fn from_env() -> Result<Self, InitFailure> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Where instance `slot` listens (TCP and UDP) with fixed ports.
    pub fn addr(&self, slot: u16) -> SocketAddr {
        SocketAddrV4::new(Ipv4Addr::LOCALHOST, self.base_port + slot).into()
    }

    /// The instance number behind a Steam ID, if it is a local-backend id.
    pub fn slot_of(id: SteamId) -> Option<u16> {
        let offset = id.raw().checked_sub(SteamId::INDIVIDUAL_BASE + 1)?;
        u16::try_from(offset).ok().filter(|n| *n < MAX_SLOTS)
    }

    /// The Steam ID of instance `slot`.
    pub fn steam_id(slot: u16) -> SteamId {
        SteamId::from_u64(SteamId::INDIVIDUAL_BASE + 1 + u64::from(slot))
            .expect("local ids are valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<LocalConfig, InitFailure> {
        LocalConfig::from_lookup(|k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn defaults() {
        let c = config(&[]).unwrap();
        assert_eq!(
            (c.base_port, c.slot, c.timeout, c.dir.clone()),
            (27200, None, DEFAULT_TIMEOUT, None)
        );
        assert_eq!(c.addr(3).to_string(), "127.0.0.1:27203");
    }

    #[test]
    fn a_directory_or_port_zero_means_ports_from_the_os() {
        let c = config(&[(DIR_ENV, "/tmp/run-1")]).unwrap();
        assert_eq!(c.dir, Some(PathBuf::from("/tmp/run-1")));
        let c = config(&[(PORT_ENV, "0")]).unwrap();
        assert_eq!(
            c.dir,
            Some(std::env::temp_dir().join("steam-networking-local"))
        );
    }

    #[test]
    fn explicit_values() {
        let c = config(&[(ID_ENV, "2"), (PORT_ENV, "30000"), (TIMEOUT_ENV, "1500")]).unwrap();
        assert_eq!(
            (c.base_port, c.slot, c.timeout),
            (30000, Some(2), Duration::from_millis(1500))
        );
    }

    #[test]
    fn bad_values_are_explained() {
        for (var, value) in [
            (ID_ENV, "-1"),
            (ID_ENV, "64"),
            (ID_ENV, "x"),
            (PORT_ENV, "80"),
            (TIMEOUT_ENV, "5"),
        ] {
            let err = config(&[(var, value)]).unwrap_err();
            assert!(
                err.verbal
                    .starts_with(&format!("{var}=\"{value}\" is invalid")),
                "{}",
                err.verbal
            );
        }
    }

    #[test]
    fn ids_and_slots_map_both_ways() {
        assert_eq!(LocalConfig::steam_id(0).raw(), 76561197960265729);
        for slot in [0, 1, 63] {
            assert_eq!(
                LocalConfig::slot_of(LocalConfig::steam_id(slot)),
                Some(slot)
            );
        }
        assert_eq!(
            LocalConfig::slot_of(SteamId::from_u64(76561198012345678).unwrap()),
            None
        );
    }
}
