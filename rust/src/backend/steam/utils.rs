//! ISteamUtils on Steam, and the simulation settings of
//! ISteamNetworkingUtils, passed to Valve's `SetGlobalConfigValue*`.

use super::SteamBackend;
use crate::backend::utils::Utils;
use crate::p2p::conditions::{Fake, Kind, LinkConditions, Setting};
use steamworks::sys::ESteamNetworkingConfigValue as Config;

/// The SDK's value of a setting (a `match`: the SDK enum is
/// non-exhaustive, and an integer that is not one of its values must never
/// become one).
fn sdk_config(fake: Fake) -> Config {
    match fake {
        Fake::LossSend => Config::k_ESteamNetworkingConfig_FakePacketLoss_Send,
        Fake::LossRecv => Config::k_ESteamNetworkingConfig_FakePacketLoss_Recv,
        Fake::LagSend => Config::k_ESteamNetworkingConfig_FakePacketLag_Send,
        Fake::LagRecv => Config::k_ESteamNetworkingConfig_FakePacketLag_Recv,
        Fake::ReorderSend => Config::k_ESteamNetworkingConfig_FakePacketReorder_Send,
        Fake::ReorderRecv => Config::k_ESteamNetworkingConfig_FakePacketReorder_Recv,
        Fake::ReorderTime => Config::k_ESteamNetworkingConfig_FakePacketReorder_Time,
        Fake::DupSend => Config::k_ESteamNetworkingConfig_FakePacketDup_Send,
        Fake::DupRecv => Config::k_ESteamNetworkingConfig_FakePacketDup_Recv,
        Fake::DupTimeMax => Config::k_ESteamNetworkingConfig_FakePacketDup_TimeMax,
        Fake::RateSend => Config::k_ESteamNetworkingConfig_FakeRateLimit_Send_Rate,
        Fake::BurstSend => Config::k_ESteamNetworkingConfig_FakeRateLimit_Send_Burst,
        Fake::RateRecv => Config::k_ESteamNetworkingConfig_FakeRateLimit_Recv_Rate,
        Fake::BurstRecv => Config::k_ESteamNetworkingConfig_FakeRateLimit_Recv_Burst,
        Fake::JitterSendAvg => Config::k_ESteamNetworkingConfig_FakePacketJitter_Send_Avg,
        Fake::JitterSendMax => Config::k_ESteamNetworkingConfig_FakePacketJitter_Send_Max,
        Fake::JitterSendPct => Config::k_ESteamNetworkingConfig_FakePacketJitter_Send_Pct,
        Fake::JitterRecvAvg => Config::k_ESteamNetworkingConfig_FakePacketJitter_Recv_Avg,
        Fake::JitterRecvMax => Config::k_ESteamNetworkingConfig_FakePacketJitter_Recv_Max,
        Fake::JitterRecvPct => Config::k_ESteamNetworkingConfig_FakePacketJitter_Recv_Pct,
    }
}

impl Utils for SteamBackend {
    fn app_id(&mut self) -> u32 {
        self.client.utils().app_id().0
    }

    fn on_steam_deck(&mut self) -> bool {
        self.client.utils().is_steam_running_on_steam_deck()
    }

    fn in_vr(&mut self) -> bool {
        // Not wrapped by the crate.
        // SAFETY: SteamUtils is valid while Steam is initialized, which this
        // backend existing guarantees; the call only reads state.
        unsafe {
            let utils = steamworks::sys::SteamAPI_SteamUtils_v010();
            !utils.is_null() && steamworks::sys::SteamAPI_ISteamUtils_IsSteamRunningInVR(utils)
        }
    }

    fn in_big_picture(&mut self) -> bool {
        self.client.utils().is_steam_in_big_picture_mode()
    }

    fn ui_language(&mut self) -> String {
        self.client.utils().ui_language()
    }

    fn ip_country(&mut self) -> String {
        self.client.utils().ip_country()
    }

    fn overlay_enabled(&mut self) -> bool {
        self.client.utils().is_overlay_enabled()
    }

    fn set_fake_config(&mut self, setting: Setting) -> bool {
        let config = sdk_config(setting.fake);
        // Not wrapped by the crate.
        // SAFETY: SteamNetworkingUtils is valid while Steam is initialized
        // (checked for null all the same); the value was checked to be of
        // the kind and range the setting takes, so the cast is exact.
        unsafe {
            let utils = steamworks::sys::SteamAPI_SteamNetworkingUtils_SteamAPI_v004();
            if utils.is_null() {
                return false;
            }
            match setting.fake.kind() {
                Kind::Int32 => {
                    steamworks::sys::SteamAPI_ISteamNetworkingUtils_SetGlobalConfigValueInt32(
                        utils,
                        config,
                        setting.value as i32,
                    )
                }
                Kind::Float => {
                    steamworks::sys::SteamAPI_ISteamNetworkingUtils_SetGlobalConfigValueFloat(
                        utils,
                        config,
                        setting.value as f32,
                    )
                }
            }
        }
    }

    fn network_conditions(&mut self) -> Option<LinkConditions> {
        // Valve simulates them (for the traffic it applies them to).
        None
    }
}
