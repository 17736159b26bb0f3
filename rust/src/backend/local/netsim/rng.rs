//! A small, fast, seeded random-number generator (xorshift64*): the
//! simulation's dice. Not for anything that must be unpredictable.

/// The generator's state.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed` (any value, 0 included).
    pub fn new(seed: u64) -> Self {
        // splitmix64 of the seed: close seeds give unrelated sequences, and
        // the state is never 0 (xorshift would stay there).
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Self((z ^ (z >> 31)) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with a chance of `percent` in a hundred.
    pub fn chance(&mut self, percent: f64) -> bool {
        percent > 0.0 && self.unit() * 100.0 < percent
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn chances_come_out_at_their_rate_and_seeds_repeat() {
        let mut rng = Rng::new(7);
        let hits = (0..100_000).filter(|_| rng.chance(10.0)).count();
        assert!((9_500..10_500).contains(&hits), "{hits}");
        assert!(!Rng::new(1).chance(0.0));
        let (mut a, mut b) = (Rng::new(42), Rng::new(42));
        assert!((0..100).all(|_| a.next_u64() == b.next_u64()));
        assert_ne!(Rng::new(0).next_u64(), Rng::new(1).next_u64());
        let mut rng = Rng::new(3);
        assert!((0..10_000).all(|_| (0.0..1.0).contains(&rng.unit())));
    }
}
