//! Steam P2P networking for Godot 4: a `Steam` singleton that speaks
//! GodotSteam's Networking API over real Steam or, for testing on one
//! machine, over a local backend.
//!
//! Layout: [`p2p`] holds the plain-Rust model and argument checks,
//! [`api`] the API's logic, [`backend`] the transports, and `steam`
//! the thin Godot class.

pub mod api;
pub mod backend;
mod class_enums;
mod logging;
pub mod multiplayer;
pub mod p2p;
pub mod settings;
mod steam;

use godot::init::{ExtensionLibrary, InitStage, gdextension};

struct SteamNetworkingExtension;

#[gdextension]
unsafe impl ExtensionLibrary for SteamNetworkingExtension {
    fn on_stage_init(stage: InitStage) {
        if stage == InitStage::Scene {
            steam::set_unloading(false);
            class_enums::register::<steam::Steam>(steam::ENUMS);
            class_enums::register::<steam::SteamMultiplayerPeer>(steam::PEER_ENUMS);
            settings::register_all();
            logging::install(settings::string(settings::LOG_LEVEL).as_deref());
            settings::schedule_startup_init();
            steam::disconnect_signals_when_tree_ends();
        }
    }

    fn on_stage_deinit(stage: InitStage) {
        // Runs before gdext frees the singleton at this stage.
        if stage == InitStage::Scene {
            steam::set_unloading(true);
            // The backend's threads end now, while Godot still hears them.
            steam::release_client();
        }
        if stage == InitStage::Core {
            logging::engine_gone();
        }
    }
}
