//! What a backend answers for ISteamApps.

/// A backend's side of ISteamApps.
pub trait Apps {
    /// Whether the user owns the running app.
    fn is_subscribed(&mut self) -> bool;
    /// Whether the user owns `app_id`.
    fn is_subscribed_app(&mut self, app_id: u32) -> bool;
    /// Whether the DLC `dlc_id` is installed.
    fn is_dlc_installed(&mut self, dlc_id: u32) -> bool;
    /// The SteamID64 of the app's owner (differs from the user's under
    /// Family Sharing).
    fn app_owner(&mut self) -> u64;
    /// The build id of the installed app.
    fn app_build_id(&mut self) -> i32;
    /// Where `app_id` is installed; "" if Steam does not know.
    fn app_install_dir(&mut self, app_id: u32) -> String;
    /// The language the user runs the game in (Steam's API names: "english").
    fn current_game_language(&mut self) -> String;
    /// The game's languages, comma-separated.
    fn available_game_languages(&mut self) -> String;
    /// The command line a `steam://run/<id>//<args>` link passed.
    fn launch_command_line(&mut self) -> String;
}
