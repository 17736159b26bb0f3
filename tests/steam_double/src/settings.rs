//! The profile configuration read at `SteamAPI_InitFlat` (the variables are
//! listed in the crate doc), without the environment: `Settings::read`
//! takes a lookup, so the parsing is unit-testable.

use std::ffi::{CString, c_int};
use std::time::Duration;

/// The app id when `SteamAppId` is unset, unparsable or 0: Valve's Spacewar.
pub(crate) const DEFAULT_APP_ID: u32 = 480;
pub(crate) const DEFAULT_BUILD_ID: c_int = 4242;
pub(crate) const DEFAULT_STEAM_LEVEL: c_int = 12;
pub(crate) const DEFAULT_LANGUAGE: &str = "english";
pub(crate) const DEFAULT_IP_COUNTRY: &str = "DE";
/// What `GetAvailableGameLanguages` reports, whatever the configuration.
pub(crate) const AVAILABLE_LANGUAGES: &str = "english,german";

/// Everything the non-networking interfaces report. The C strings live
/// here, so the pointers the exports hand out stay valid until shutdown.
pub(crate) struct Settings {
    pub(crate) persona_name: CString,
    pub(crate) app_id: u32,
    pub(crate) dlc: Vec<u32>,
    pub(crate) build_id: c_int,
    pub(crate) steam_level: c_int,
    pub(crate) language: CString,
    pub(crate) available_languages: CString,
    pub(crate) ip_country: CString,
    pub(crate) launch_command_line: String,
    pub(crate) steam_deck: bool,
    /// How often the packet calls look at the inbox (`None`: at each call).
    pub(crate) scan_every: Option<Duration>,
}

/// A C string from configuration text, cut at the first NUL (a C string
/// cannot hold one).
pub(crate) fn c_string(text: &str) -> CString {
    let end = text.find('\0').unwrap_or(text.len());
    CString::new(&text[..end]).unwrap_or_default()
}

/// The default persona name: "Double " and the last 4 decimal digits of
/// the SteamID64 (all of them if it has fewer).
pub(crate) fn default_persona_name(me: u64) -> String {
    let digits = me.to_string();
    format!("Double {}", &digits[digits.len().saturating_sub(4)..])
}

impl Settings {
    /// Reads the configuration through `var` (the environment, in the
    /// double); unset or unparsable values take their defaults.
    pub(crate) fn read(me: u64, var: impl Fn(&str) -> Option<String>) -> Self {
        let number = |name: &str, default: c_int| {
            var(name)
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(default)
        };
        let app_id = var("SteamAppId")
            .and_then(|v| v.trim().parse().ok())
            .filter(|&id| id != 0)
            .unwrap_or(DEFAULT_APP_ID);
        let dlc = var("STEAM_DOUBLE_DLC")
            .unwrap_or_default()
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect();
        let language = var("STEAM_DOUBLE_LANGUAGE").unwrap_or_else(|| DEFAULT_LANGUAGE.into());
        Self {
            persona_name: c_string(
                &var("STEAM_DOUBLE_PERSONA_NAME").unwrap_or_else(|| default_persona_name(me)),
            ),
            app_id,
            dlc,
            build_id: number("STEAM_DOUBLE_BUILD_ID", DEFAULT_BUILD_ID),
            steam_level: number("STEAM_DOUBLE_STEAM_LEVEL", DEFAULT_STEAM_LEVEL),
            language: c_string(&language),
            available_languages: c_string(AVAILABLE_LANGUAGES),
            ip_country: c_string(
                &var("STEAM_DOUBLE_IP_COUNTRY").unwrap_or_else(|| DEFAULT_IP_COUNTRY.into()),
            ),
            launch_command_line: c_string(
                &var("STEAM_DOUBLE_LAUNCH_COMMAND_LINE").unwrap_or_default(),
            )
            .into_string()
            .unwrap_or_default(),
            steam_deck: var("STEAM_DOUBLE_STEAM_DECK").is_some_and(|v| v.trim() == "1"),
            scan_every: var("STEAM_DOUBLE_SCAN_US")
                .and_then(|v| v.trim().parse().ok())
                .filter(|&us| us > 0)
                .map(Duration::from_micros),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::tests::A;

    fn read(vars: &[(&str, &str)]) -> Settings {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::read(A, |name| vars.get(name).cloned())
    }

    #[test]
    fn defaults() {
        let s = read(&[]);
        assert_eq!(s.persona_name.to_str().unwrap(), "Double 5729");
        assert_eq!(s.app_id, 480);
        assert!(s.dlc.is_empty());
        assert_eq!(s.build_id, 4242);
        assert_eq!(s.steam_level, 12);
        assert_eq!(s.language.to_str().unwrap(), "english");
        assert_eq!(s.available_languages.to_str().unwrap(), "english,german");
        assert_eq!(s.ip_country.to_str().unwrap(), "DE");
        assert_eq!(s.launch_command_line, "");
        assert!(!s.steam_deck);
        assert_eq!(s.scan_every, None);
        assert_eq!(default_persona_name(7), "Double 7");
    }

    #[test]
    fn configured() {
        let s = read(&[
            ("STEAM_DOUBLE_PERSONA_NAME", "Ada\0ignored"),
            ("SteamAppId", "1234"),
            ("STEAM_DOUBLE_DLC", " 5, 6,x,,7 "),
            ("STEAM_DOUBLE_BUILD_ID", "99"),
            ("STEAM_DOUBLE_STEAM_LEVEL", "3"),
            ("STEAM_DOUBLE_LANGUAGE", "german"),
            ("STEAM_DOUBLE_IP_COUNTRY", "FR"),
            ("STEAM_DOUBLE_LAUNCH_COMMAND_LINE", "+connect_lobby 1"),
            ("STEAM_DOUBLE_STEAM_DECK", "1"),
            ("STEAM_DOUBLE_SCAN_US", "1000"),
        ]);
        assert_eq!(s.persona_name.to_str().unwrap(), "Ada");
        assert_eq!(s.app_id, 1234);
        assert_eq!(s.dlc, vec![5, 6, 7]);
        assert_eq!(s.build_id, 99);
        assert_eq!(s.steam_level, 3);
        assert_eq!(s.language.to_str().unwrap(), "german");
        assert_eq!(s.ip_country.to_str().unwrap(), "FR");
        assert_eq!(s.launch_command_line, "+connect_lobby 1");
        assert!(s.steam_deck);
        assert_eq!(s.scan_every, Some(Duration::from_millis(1)));
    }

    #[test]
    fn bad_values_take_defaults() {
        let s = read(&[
            ("SteamAppId", "0"),
            ("STEAM_DOUBLE_BUILD_ID", "many"),
            ("STEAM_DOUBLE_STEAM_DECK", "yes"),
            ("STEAM_DOUBLE_SCAN_US", "0"),
        ]);
        assert_eq!(s.app_id, 480);
        assert_eq!(s.build_id, 4242);
        assert!(!s.steam_deck);
        assert_eq!(s.scan_every, None);
        assert_eq!(read(&[("SteamAppId", "nope")]).app_id, 480);
    }
}
