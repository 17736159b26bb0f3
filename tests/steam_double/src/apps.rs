//! Exports for `ISteamApps`: subscriptions, DLC, the owner, build id,
//! languages, install directory and launch command line, all from the
//! configuration read at init.

use std::ffi::{c_char, c_int, c_void};

use crate::with;

/// Copies `text` into `buf` as a C string, truncated to fit with its NUL;
/// the number of bytes of `text` copied (without the NUL). An empty `buf`
/// gets nothing.
pub(crate) fn copy_c_string(text: &[u8], buf: &mut [u8]) -> usize {
    let Some(room) = buf.len().checked_sub(1) else {
        return 0;
    };
    let n = text.len().min(room);
    buf[..n].copy_from_slice(&text[..n]);
    buf[n] = 0;
    n
}

/// The caller's C buffer as a slice; empty if null or of no size.
///
/// # Safety
/// `buf` is null or points at `size` writable bytes.
unsafe fn out_buffer<'a>(buf: *mut c_char, size: usize) -> &'a mut [u8] {
    if buf.is_null() || size == 0 {
        return &mut [];
    }
    // SAFETY: the caller's contract.
    unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), size) }
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamApps_BIsSubscribed(_apps: *mut c_void) -> bool {
    with(false, |_| true)
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamApps_BIsSubscribedApp(_apps: *mut c_void, app: u32) -> bool {
    with(false, |d| app == d.settings.app_id)
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamApps_BIsDlcInstalled(_apps: *mut c_void, dlc: u32) -> bool {
    with(false, |d| d.settings.dlc.contains(&dlc))
}

/// The user owns the app: no family sharing in the double.
#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamApps_GetAppOwner(_apps: *mut c_void) -> u64 {
    with(0, |d| d.me)
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamApps_GetAppBuildId(_apps: *mut c_void) -> c_int {
    with(0, |d| d.settings.build_id)
}

/// Writes `<dir>/apps/<app>` for the running app, and returns the bytes
/// written including the NUL; for another app (or before init) writes ""
/// and returns 0, as Steam does for an app it has no directory for.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamApps_GetAppInstallDir(
    _apps: *mut c_void,
    app: u32,
    folder: *mut c_char,
    size: u32,
) -> u32 {
    // SAFETY: Steam's contract: `folder` holds `size` bytes.
    let buf = unsafe { out_buffer(folder, size as usize) };
    let path = with(None, |d| {
        (app == d.settings.app_id).then(|| d.app_install_dir(app))
    });
    match path {
        Some(path) if !buf.is_empty() => {
            copy_c_string(path.as_os_str().as_encoded_bytes(), buf) as u32 + 1
        }
        _ => {
            copy_c_string(b"", buf);
            0
        }
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamApps_GetCurrentGameLanguage(_apps: *mut c_void) -> *const c_char {
    with(c"".as_ptr(), |d| d.settings.language.as_ptr())
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamApps_GetAvailableGameLanguages(
    _apps: *mut c_void,
) -> *const c_char {
    with(c"".as_ptr(), |d| d.settings.available_languages.as_ptr())
}

/// Writes the configured command line (truncated to fit with its NUL) and
/// returns the number of its bytes written, without the NUL: its length
/// when it fits. Before init, writes "" and returns 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamApps_GetLaunchCommandLine(
    _apps: *mut c_void,
    command_line: *mut c_char,
    size: c_int,
) -> c_int {
    // SAFETY: Steam's contract: `command_line` holds `size` bytes.
    let buf = unsafe { out_buffer(command_line, usize::try_from(size).unwrap_or(0)) };
    let text = with(String::new(), |d| d.settings.launch_command_line.clone());
    copy_c_string(text.as_bytes(), buf) as c_int
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_c_string_truncates_and_terminates() {
        let mut buf = [0xAAu8; 6];
        assert_eq!(copy_c_string(b"abc", &mut buf), 3);
        assert_eq!(&buf[..4], b"abc\0");
        assert_eq!(copy_c_string(b"abcdefgh", &mut buf), 5);
        assert_eq!(&buf, b"abcde\0");
        assert_eq!(copy_c_string(b"", &mut buf), 0);
        assert_eq!(buf[0], 0);
        assert_eq!(copy_c_string(b"abc", &mut []), 0);
    }

    #[test]
    fn null_buffers_are_left_alone() {
        // SAFETY: null is allowed.
        assert!(unsafe { out_buffer(std::ptr::null_mut(), 10) }.is_empty());
        let mut one = [7 as c_char];
        // SAFETY: a size of 0 promises no bytes.
        assert!(unsafe { out_buffer(one.as_mut_ptr(), 0) }.is_empty());
    }
}
