//! Exports for `ISteamFriends`: persona names (ours from the configuration,
//! others' from `<id>.name` files), `RequestUserInformation` and its
//! `PersonaStateChange_t`, avatar handles, and the overlay calls (logged
//! only). The image handles are read through `ISteamUtils` (utils.rs).

use std::collections::{HashSet, VecDeque};
use std::ffi::{CStr, CString, c_char, c_int, c_void};

use steamworks_sys as sys;

use crate::table::Callback;
use crate::with;

/// The avatar sizes Steam hands out, as square images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AvatarSize {
    Small,
    Medium,
    Large,
}

impl AvatarSize {
    /// The width and height, in pixels, as in Steam.
    pub(crate) fn side(self) -> u32 {
        match self {
            Self::Small => 32,
            Self::Medium => 64,
            Self::Large => 184,
        }
    }
}

/// The avatar of `id` at `side`×`side`, RGBA: every pixel is
/// `(id as u8, (id >> 8) as u8, (id >> 16) as u8, 255)`.
pub(crate) fn avatar_rgba(id: u64, side: u32) -> Vec<u8> {
    let pixel = [id as u8, (id >> 8) as u8, (id >> 16) as u8, 255];
    pixel.repeat((side * side) as usize)
}

/// What `ISteamFriends` remembers between calls.
#[derive(Default)]
pub(crate) struct Friends {
    /// Users whose name a `PersonaStateChange_t` has been queued for.
    delivered: HashSet<u64>,
    /// The images handed out: handle `i + 1` is `images[i]`.
    images: Vec<(AvatarSize, u64)>,
    /// `GetFriendPersonaName`'s last answer, alive until its next call.
    friend_name: CString,
}

impl Friends {
    /// The image handle of `id`'s avatar at `size`: positive, the same for
    /// the same pair; 0 (Steam's "no avatar") for the invalid id 0.
    pub(crate) fn avatar(&mut self, size: AvatarSize, id: u64) -> c_int {
        if id == 0 {
            return 0;
        }
        let at = match self.images.iter().position(|&image| image == (size, id)) {
            Some(at) => at,
            None => {
                self.images.push((size, id));
                self.images.len() - 1
            }
        };
        at as c_int + 1
    }

    /// The avatar behind `handle`, if it is one we handed out.
    pub(crate) fn image(&self, handle: c_int) -> Option<(AvatarSize, u64)> {
        let at = usize::try_from(handle).ok()?.checked_sub(1)?;
        self.images.get(at).copied()
    }

    /// `RequestUserInformation(id)` for `me`, given whether `id`'s name file
    /// exists: true while the name is still to come. Queues its
    /// `PersonaStateChange_t` (name changed) the first time the name is known.
    pub(crate) fn request(
        &mut self,
        me: u64,
        id: u64,
        known: bool,
        callbacks: &mut VecDeque<Callback>,
    ) -> bool {
        if id == me || self.delivered.contains(&id) {
            // Steam has the data already: nothing to wait for.
            return false;
        }
        if known {
            self.delivered.insert(id);
            callbacks.push_back(Callback::PersonaChange(Box::new(
                sys::PersonaStateChange_t {
                    m_ulSteamID: id,
                    m_nChangeFlags: sys::EPersonaChange::k_EPersonaChangeName.0 as c_int,
                },
            )));
        }
        // Unknown: Steam is asking its servers, and no answer ever comes.
        true
    }

    /// Keeps `name` as `GetFriendPersonaName`'s answer and points at it.
    pub(crate) fn set_friend_name(&mut self, name: CString) -> *const c_char {
        self.friend_name = name;
        self.friend_name.as_ptr()
    }
}

/// A C string argument as text ("" for null).
///
/// # Safety
/// `text` is null or a NUL-terminated string.
pub(crate) unsafe fn arg(text: *const c_char) -> String {
    if text.is_null() {
        return String::new();
    }
    // SAFETY: the caller's contract.
    unsafe { CStr::from_ptr(text) }
        .to_string_lossy()
        .into_owned()
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamFriends_GetPersonaName(_friends: *mut c_void) -> *const c_char {
    with(c"".as_ptr(), |d| d.settings.persona_name.as_ptr())
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamFriends_GetFriendPersonaName(
    _friends: *mut c_void,
    id: u64,
) -> *const c_char {
    with(c"".as_ptr(), |d| {
        if id == d.me {
            return d.settings.persona_name.as_ptr();
        }
        let name = d.read_name(id).unwrap_or_default();
        d.friends.set_friend_name(name)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamFriends_RequestUserInformation(
    _friends: *mut c_void,
    id: u64,
    _name_only: bool,
) -> bool {
    with(false, |d| {
        let known = d.read_name(id).is_some();
        d.friends.request(d.me, id, known, &mut d.table.callbacks)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamFriends_ActivateGameOverlay(
    _friends: *mut c_void,
    dialog: *const c_char,
) {
    // SAFETY: Steam's contract: a NUL-terminated string (null tolerated).
    let dialog = unsafe { arg(dialog) };
    with((), |d| {
        d.log_call(format_args!("ActivateGameOverlay {dialog}"))
    });
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamFriends_ActivateGameOverlayToUser(
    _friends: *mut c_void,
    dialog: *const c_char,
    id: u64,
) {
    // SAFETY: Steam's contract: a NUL-terminated string (null tolerated).
    let dialog = unsafe { arg(dialog) };
    with((), |d| {
        d.log_call(format_args!("ActivateGameOverlayToUser {dialog} {id}"))
    });
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamFriends_ActivateGameOverlayInviteDialog(
    _friends: *mut c_void,
    lobby: u64,
) {
    with((), |d| {
        d.log_call(format_args!("ActivateGameOverlayInviteDialog {lobby}"))
    });
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamFriends_GetSmallFriendAvatar(
    _friends: *mut c_void,
    id: u64,
) -> c_int {
    with(0, |d| d.friends.avatar(AvatarSize::Small, id))
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamFriends_GetMediumFriendAvatar(
    _friends: *mut c_void,
    id: u64,
) -> c_int {
    with(0, |d| d.friends.avatar(AvatarSize::Medium, id))
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamFriends_GetLargeFriendAvatar(
    _friends: *mut c_void,
    id: u64,
) -> c_int {
    with(0, |d| d.friends.avatar(AvatarSize::Large, id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{A, B};

    fn persona_changes(callbacks: &mut VecDeque<Callback>) -> Vec<(u64, c_int)> {
        callbacks
            .drain(..)
            .map(|cb| match cb {
                Callback::PersonaChange(c) => (c.m_ulSteamID, c.m_nChangeFlags),
                _ => panic!("unexpected callback"),
            })
            .collect()
    }

    #[test]
    fn request_delivers_a_known_name_once() {
        let mut f = Friends::default();
        let mut callbacks = VecDeque::new();
        assert!(!f.request(A, A, true, &mut callbacks), "own id");
        assert!(f.request(A, B, false, &mut callbacks), "unknown: pending");
        assert!(callbacks.is_empty(), "and nothing comes");
        assert!(f.request(A, B, false, &mut callbacks), "still pending");
        assert!(f.request(A, B, true, &mut callbacks), "known now");
        assert_eq!(persona_changes(&mut callbacks), vec![(B, 1)]);
        assert!(!f.request(A, B, true, &mut callbacks), "delivered");
        assert!(callbacks.is_empty());
    }

    #[test]
    fn avatar_handles_are_positive_stable_and_per_size() {
        let mut f = Friends::default();
        let small = f.avatar(AvatarSize::Small, B);
        let large = f.avatar(AvatarSize::Large, B);
        let other = f.avatar(AvatarSize::Small, A);
        assert!(small > 0 && large > 0 && other > 0);
        assert_ne!(small, large);
        assert_ne!(small, other);
        assert_eq!(f.avatar(AvatarSize::Small, B), small);
        assert_eq!(f.image(large), Some((AvatarSize::Large, B)));
        assert_eq!(f.avatar(AvatarSize::Medium, 0), 0);
        assert_eq!(f.image(0), None);
        assert_eq!(f.image(-1), None);
        assert_eq!(f.image(99), None);
    }

    #[test]
    fn avatar_pixels_follow_the_formula() {
        let id = 0x0110_0000_00AB_CDEFu64;
        let rgba = avatar_rgba(id, AvatarSize::Small.side());
        assert_eq!(rgba.len(), 32 * 32 * 4);
        assert!(rgba.chunks(4).all(|p| p == [0xEF, 0xCD, 0xAB, 255]));
        assert_eq!(AvatarSize::Medium.side(), 64);
        assert_eq!(AvatarSize::Large.side(), 184);
    }
}
