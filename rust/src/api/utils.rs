//! ISteamUtils in plain Rust, and ISteamNetworkingUtils' simulation
//! settings.

use super::{Client, Result};
use crate::p2p::InputError;
use crate::p2p::conditions::{ConfigValue, LinkConditions, Setting};

impl Client {
    /// `getAppID`.
    pub fn app_id(&mut self) -> Result<u32> {
        Ok(self.backend()?.app_id())
    }

    /// `isSteamRunningOnSteamDeck`.
    pub fn on_steam_deck(&mut self) -> Result<bool> {
        Ok(self.backend()?.on_steam_deck())
    }

    /// `isSteamRunningInVR`.
    pub fn in_vr(&mut self) -> Result<bool> {
        Ok(self.backend()?.in_vr())
    }

    /// `isSteamInBigPictureMode`.
    pub fn in_big_picture(&mut self) -> Result<bool> {
        Ok(self.backend()?.in_big_picture())
    }

    /// `getSteamUILanguage`.
    pub fn ui_language(&mut self) -> Result<String> {
        Ok(self.backend()?.ui_language())
    }

    /// `getIPCountry`.
    pub fn ip_country(&mut self) -> Result<String> {
        Ok(self.backend()?.ip_country())
    }

    /// `isOverlayEnabled`.
    pub fn overlay_enabled(&mut self) -> Result<bool> {
        Ok(self.backend()?.overlay_enabled())
    }

    /// `setGlobalConfigValueInt32`, `Float` and `String`: a simulation
    /// setting (`NETWORKING_CONFIG_FAKE_*`) of the right kind, in range.
    pub fn set_global_config(&mut self, config: i64, value: ConfigValue) -> Result<()> {
        let setting = Setting::check(config, &value)?;
        if self.backend()?.set_fake_config(setting) {
            Ok(())
        } else {
            Err(InputError::ConfigRefused {
                name: setting.fake.name(),
                value: setting.value.to_string(),
            })
        }
    }

    /// `getLocalNetworkConditions`: what the backend simulates, if it
    /// simulates anything itself.
    pub fn network_conditions(&mut self) -> Result<Option<LinkConditions>> {
        Ok(self.backend()?.network_conditions())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::started;
    use super::*;
    use std::time::Duration;

    #[test]
    fn settings_reach_the_backend_and_bad_ones_do_not() {
        let mut net = started();
        net.set_global_config(4, ConfigValue::Int32(150)).unwrap();
        net.set_global_config(2, ConfigValue::Float(5.0)).unwrap();
        let now = net.network_conditions().unwrap().unwrap();
        assert_eq!(
            (now.send.lag, now.send.loss),
            (Duration::from_millis(150), 5.0)
        );
        for (config, value) in [
            (4, ConfigValue::Int32(-1)),
            (4, ConfigValue::Float(1.0)),
            (2, ConfigValue::Float(f64::NAN)),
            (2, ConfigValue::String("5".into())),
            (99, ConfigValue::Int32(1)),
        ] {
            assert!(net.set_global_config(config, value).is_err());
        }
        assert_eq!(net.network_conditions().unwrap().unwrap(), now);
    }

    #[test]
    fn before_init_the_answer_is_the_usual_refusal() {
        let mut net = Client::default();
        assert_eq!(
            net.set_global_config(4, ConfigValue::Int32(150)),
            Err(InputError::NotInitialized)
        );
        assert_eq!(net.network_conditions(), Err(InputError::NotInitialized));
        // A bad argument is still named first, as with the other calls.
        assert!(matches!(
            net.set_global_config(99, ConfigValue::Int32(1)),
            Err(InputError::UnknownConfig(99))
        ));
    }
}
