//! Exports for `ISteamUtils`: the app id, country, UI language, the
//! overlay and Steam's display modes, and the images behind the avatar
//! handles of `ISteamFriends` (friends.rs); and `ISteamNetworkingUtils`'
//! global settings, which are logged and taken (nothing is simulated).

use std::ffi::{c_char, c_int, c_void};

use crate::friends::avatar_rgba;
use crate::with;

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamUtils_GetAppID(_utils: *mut c_void) -> u32 {
    with(0, |d| d.settings.app_id)
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamUtils_GetIPCountry(_utils: *mut c_void) -> *const c_char {
    with(c"".as_ptr(), |d| d.settings.ip_country.as_ptr())
}

/// Steam's UI runs in the game's language.
#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamUtils_GetSteamUILanguage(_utils: *mut c_void) -> *const c_char {
    with(c"".as_ptr(), |d| d.settings.language.as_ptr())
}

/// No overlay: nothing injects one into the test process.
#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamUtils_IsOverlayEnabled(_utils: *mut c_void) -> bool {
    false
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamUtils_IsSteamInBigPictureMode(_utils: *mut c_void) -> bool {
    false
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamUtils_IsSteamRunningInVR(_utils: *mut c_void) -> bool {
    false
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamUtils_IsSteamRunningOnSteamDeck(_utils: *mut c_void) -> bool {
    with(false, |d| d.settings.steam_deck)
}

/// The size of an avatar image (square: 32, 64 or 184); false for handle 0
/// or one we did not hand out.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamUtils_GetImageSize(
    _utils: *mut c_void,
    image: c_int,
    width: *mut u32,
    height: *mut u32,
) -> bool {
    let Some((size, _)) = with(None, |d| d.friends.image(image)) else {
        return false;
    };
    // SAFETY: the caller passes valid out pointers (null tolerated).
    unsafe {
        if !width.is_null() {
            *width = size.side();
        }
        if !height.is_null() {
            *height = size.side();
        }
    }
    true
}

/// Copies an avatar's width × height × 4 RGBA bytes (the formula is in
/// friends.rs); false for an unknown handle or a buffer too small.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamUtils_GetImageRGBA(
    _utils: *mut c_void,
    image: c_int,
    dest: *mut u8,
    size: c_int,
) -> bool {
    let Some((avatar, id)) = with(None, |d| d.friends.image(image)) else {
        return false;
    };
    let rgba = avatar_rgba(id, avatar.side());
    if dest.is_null() || usize::try_from(size).unwrap_or(0) < rgba.len() {
        return false;
    }
    // SAFETY: Steam's contract: `dest` holds `size` bytes, checked above.
    unsafe { std::ptr::copy_nonoverlapping(rgba.as_ptr(), dest, rgba.len()) };
    true
}

/// Whether the double takes a global setting: Valve's simulation settings
/// with the kind of value the SDK gives them (true for float), except one
/// a test names in `STEAM_DOUBLE_REFUSE_CONFIG` (read at each call), so
/// the extension's "Steam refused" path can be seen.
pub(crate) fn takes_config(config: c_int, float: bool) -> bool {
    let refused = std::env::var("STEAM_DOUBLE_REFUSE_CONFIG")
        .ok()
        .and_then(|v| v.trim().parse::<c_int>().ok());
    let kind = match config {
        2 | 3 | 6 | 7 | 26 | 27 | 53..=58 => Some(true),
        4 | 5 | 8 | 28 | 42..=45 => Some(false),
        _ => None,
    };
    refused != Some(config) && kind == Some(float)
}

/// `SetGlobalConfigValueInt32`: logged as `SetGlobalConfigValueInt32
/// <config> <value>` in `.calls`.
#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworkingUtils_SetGlobalConfigValueInt32(
    _utils: *mut c_void,
    config: c_int,
    value: i32,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!("SetGlobalConfigValueInt32 {config} {value}"));
        takes_config(config, false)
    })
}

/// `SetGlobalConfigValueFloat`: logged as `SetGlobalConfigValueFloat
/// <config> <value>` in `.calls`.
#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworkingUtils_SetGlobalConfigValueFloat(
    _utils: *mut c_void,
    config: c_int,
    value: f32,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!("SetGlobalConfigValueFloat {config} {value}"));
        takes_config(config, true)
    })
}

#[cfg(test)]
mod tests {
    use super::takes_config;

    #[test]
    fn settings_are_taken_with_the_sdks_kind_only() {
        assert!(takes_config(4, false), "lag is int32");
        assert!(!takes_config(4, true));
        assert!(takes_config(2, true), "loss is float");
        assert!(takes_config(55, true) && takes_config(42, false));
        assert!(!takes_config(0, false) && !takes_config(24, false));
    }
}
