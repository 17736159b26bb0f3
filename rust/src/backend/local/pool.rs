//! Reuse of the large buffers that big reliable messages travel in.
//!
//! A fresh megabyte from the allocator is often fresh memory from the kernel
//! (glibc gives large free blocks back), and touching it costs a page fault
//! per 4 KiB: more than copying the data. Measured on 1 MiB messages, those
//! faults halved throughput, so the few large buffers in flight are kept.

use std::sync::{Mutex, PoisonError};

/// Buffers smaller than this come from the allocator as usual.
pub const POOLED_MIN: usize = 64 * 1024;
/// Largest buffer kept: a whole reliable message and its frame header.
const POOLED_MAX: usize = crate::p2p::limits::MAX_RELIABLE_BYTES + 64;
/// Buffers kept at most (their memory stays with the process).
const POOLED_COUNT: usize = 8;

/// A small, bounded stack of large spare buffers, shared by the main thread
/// and the writer threads.
#[derive(Default)]
pub struct BufferPool {
    spare: Mutex<Vec<Vec<u8>>>,
}

impl BufferPool {
    /// An empty buffer with room for `capacity` bytes, reused when large.
    pub fn take(&self, capacity: usize) -> Vec<u8> {
        if capacity >= POOLED_MIN {
            let mut spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(at) = spare.iter().position(|b| b.capacity() >= capacity) {
                return spare.swap_remove(at);
            }
        }
        Vec::with_capacity(capacity)
    }

    /// Keeps `buffer` for a later [`BufferPool::take`] if it is large and
    /// the pool has room; otherwise frees it.
    pub fn give(&self, mut buffer: Vec<u8>) {
        if !(POOLED_MIN..=POOLED_MAX).contains(&buffer.capacity()) {
            return;
        }
        let mut spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner);
        if spare.len() < POOLED_COUNT {
            buffer.clear();
            spare.push(buffer);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.spare.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_buffers_come_back_empty_and_small_ones_are_not_kept() {
        let pool = BufferPool::default();
        let mut big = pool.take(POOLED_MIN);
        big.extend_from_slice(&[7; 10]);
        let address = big.as_ptr();
        pool.give(big);
        pool.give(Vec::with_capacity(100));
        assert_eq!(pool.len(), 1);
        let again = pool.take(POOLED_MIN);
        assert_eq!(again.as_ptr(), address, "the same allocation is reused");
        assert!(again.is_empty());
        assert_eq!(pool.len(), 0);
    }

    #[test]
    fn a_buffer_too_small_for_the_request_is_left_in_the_pool() {
        let pool = BufferPool::default();
        pool.give(Vec::with_capacity(POOLED_MIN));
        let bigger = pool.take(2 * POOLED_MIN);
        assert!(bigger.capacity() >= 2 * POOLED_MIN);
        assert_eq!(pool.len(), 1);
    }

    #[test]
    fn the_pool_is_bounded() {
        let pool = BufferPool::default();
        for _ in 0..POOLED_COUNT + 3 {
            pool.give(Vec::with_capacity(POOLED_MIN));
        }
        pool.give(Vec::with_capacity(POOLED_MAX + 1));
        assert_eq!(pool.len(), POOLED_COUNT);
    }
}
