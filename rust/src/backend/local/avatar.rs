//! Avatars for local instances: a symmetric five-by-five pattern in a colour
//! derived from the Steam ID (an "identicon"), so that each player has a
//! distinct, stable picture without any account behind it.

use crate::p2p::SteamId;

/// The avatar of `user`, `size` pixels square, as RGBA8 rows (the layout
/// Steam's `GetImageRGBA` and GodotSteam's `avatar_loaded` use).
pub fn identicon(user: SteamId, size: u32) -> Vec<u8> {
    // splitmix64: every bit of the id moves the pattern and the colour.
    let mut h = user.raw().wrapping_add(0x9E37_79B9_7F4A_7C15);
    h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^= h >> 31;
    let colour = [
        64 + (h >> 40) as u8 % 160,
        64 + (h >> 48) as u8 % 160,
        64 + (h >> 56) as u8 % 160,
        255,
    ];
    let background = [240, 240, 240, 255];
    let cell = |x: u32, y: u32| {
        // Columns 3 and 4 mirror 1 and 0.
        let column = x.min(4 - x);
        h >> (column * 5 + y) & 1 == 1
    };
    let size = size.max(1);
    let mut rgba = Vec::with_capacity((size * size * 4) as usize);
    for py in 0..size {
        for px in 0..size {
            // A margin of half a cell around the 5x5 grid.
            let (gx, gy) = (px * 12 / size, py * 12 / size);
            let on = (1..=10).contains(&gx)
                && (1..=10).contains(&gy)
                && cell((gx - 1) / 2, (gy - 1) / 2);
            rgba.extend_from_slice(if on { &colour } else { &background });
        }
    }
    rgba
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::p2p::testing::id;

    #[test]
    fn an_avatar_is_square_rgba_stable_and_per_user() {
        let a = identicon(id(0), 64);
        assert_eq!(a.len(), 64 * 64 * 4);
        assert_eq!(a, identicon(id(0), 64), "the same every time");
        assert_ne!(a, identicon(id(1), 64), "another user, another picture");
        assert!(a.chunks(4).all(|p| p[3] == 255), "opaque");
        assert_eq!(identicon(id(0), 184).len(), 184 * 184 * 4);
        let row =
            |img: &[u8], size: usize, y: usize| img[y * size * 4..(y + 1) * size * 4].to_vec();
        let mirrored = |img: &[u8], size: usize| {
            (0..size).all(|y| {
                let r = row(img, size, y);
                let px: Vec<&[u8]> = r.chunks(4).collect();
                px.iter().eq(px.iter().rev())
            })
        };
        assert!(
            mirrored(&identicon(id(3), 60), 60),
            "symmetric left to right"
        );
    }
}
