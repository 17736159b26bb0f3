//! The readable packets of one channel, kept per sender and served in turn.
//! A peer that floods can then delay another peer's packet by at most one of
//! its own per read, however much of its flood is waiting; each sender's
//! packets still come out in the order they arrived, which is all Steam
//! promises across peers.

use std::collections::VecDeque;

use crate::p2p::SteamId;

/// Per-sender FIFO queues read round-robin.
#[derive(Debug)]
pub struct FairQueue<T> {
    /// One queue per sender seen. Games talk to a handful of peers, so a
    /// linear scan beats hashing; emptied queues stay to keep their capacity.
    queues: Vec<(SteamId, VecDeque<T>)>,
    /// Indexes into `queues` of the non-empty ones, next to serve first.
    turn: VecDeque<usize>,
}

impl<T> Default for FairQueue<T> {
    fn default() -> Self {
        Self {
            queues: Vec::new(),
            turn: VecDeque::new(),
        }
    }
}

impl<T> FairQueue<T> {
    /// Adds `item` behind `sender`'s earlier ones.
    pub fn push(&mut self, sender: SteamId, item: T) {
        let index = match self.queues.iter().position(|(s, _)| *s == sender) {
            Some(index) => index,
            None => {
                self.queues.push((sender, VecDeque::new()));
                self.queues.len() - 1
            }
        };
        let queue = &mut self.queues[index].1;
        if queue.is_empty() {
            self.turn.push_back(index);
        }
        queue.push_back(item);
    }

    /// The item the next `pop` returns.
    pub fn front(&self) -> Option<&T> {
        let index = *self.turn.front()?;
        self.queues[index].1.front()
    }

    /// Takes the oldest item of the sender whose turn it is; that sender
    /// goes to the back of the line if it has more.
    pub fn pop(&mut self) -> Option<T> {
        let index = self.turn.pop_front()?;
        let queue = &mut self.queues[index].1;
        let item = queue.pop_front();
        if !queue.is_empty() {
            self.turn.push_back(index);
        }
        item
    }

    /// Removes and returns everything from `sender`, oldest first.
    pub fn take_sender(&mut self, sender: SteamId) -> VecDeque<T> {
        let Some(index) = self.queues.iter().position(|(s, _)| *s == sender) else {
            return VecDeque::new();
        };
        self.turn.retain(|&i| i != index);
        std::mem::take(&mut self.queues[index].1)
    }

    /// How many items wait, from every sender.
    pub fn len(&self) -> usize {
        self.turn.iter().map(|&i| self.queues[i].1.len()).sum()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.turn.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::p2p::testing::id;

    #[test]
    fn one_sender_is_plain_fifo() {
        let mut q = FairQueue::default();
        for i in 0..5 {
            q.push(id(1), i);
        }
        assert_eq!(q.len(), 5);
        let out: Vec<i32> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(out, vec![0, 1, 2, 3, 4]);
        assert!(q.is_empty() && q.front().is_none());
    }

    #[test]
    fn a_flood_waits_its_turn() {
        let mut q = FairQueue::default();
        for i in 0..1000 {
            q.push(id(1), ("flood", i));
        }
        q.push(id(2), ("other", 0));
        q.push(id(3), ("third", 0));
        assert_eq!(q.pop(), Some(("flood", 0)));
        assert_eq!(q.front(), Some(&("other", 0)));
        assert_eq!(q.pop(), Some(("other", 0)));
        assert_eq!(q.pop(), Some(("third", 0)));
        assert_eq!(q.pop(), Some(("flood", 1)));
        // A sender that comes back joins the end of the line.
        q.push(id(2), ("other", 1));
        assert_eq!(q.pop(), Some(("flood", 2)));
        assert_eq!(q.pop(), Some(("other", 1)));
        assert_eq!(q.len(), 997);
    }

    #[test]
    fn each_sender_keeps_its_order() {
        let mut q = FairQueue::default();
        for i in 0..100u64 {
            q.push(id(i % 3), i);
        }
        let mut last = [None::<u64>; 3];
        while let Some(i) = q.pop() {
            let s = (i % 3) as usize;
            assert!(last[s].is_none_or(|prev| prev < i));
            last[s] = Some(i);
        }
    }

    #[test]
    fn taking_a_sender_leaves_the_others() {
        let mut q = FairQueue::default();
        q.push(id(1), 10);
        q.push(id(2), 20);
        q.push(id(1), 11);
        assert_eq!(q.take_sender(id(1)), VecDeque::from([10, 11]));
        assert!(q.take_sender(id(9)).is_empty());
        assert_eq!(q.pop(), Some(20));
        assert_eq!(q.pop(), None);
        q.push(id(1), 12);
        assert_eq!(q.pop(), Some(12));
    }
}
