//! ISteamNetworking (the P2P calls) in plain Rust.

use super::{Client, Result};
use crate::backend::dry::Dry;
use crate::p2p::{Channel, InputError, Packet, ReadSize, SendType, SessionState, SteamId};

impl Client {
    /// `acceptP2PSessionWithUser`.
    pub fn accept(&mut self, remote: i64) -> Result<bool> {
        let remote = SteamId::from_gdscript(remote)?;
        Ok(self.backend()?.accept(remote))
    }

    /// `allowP2PPacketRelay`.
    pub fn allow_relay(&mut self, allow: bool) -> Result<bool> {
        Ok(self.backend()?.allow_relay(allow))
    }

    /// `closeP2PChannelWithUser`.
    pub fn close_channel(&mut self, remote: i64, channel: i64) -> Result<bool> {
        let remote = SteamId::from_gdscript(remote)?;
        let channel = Channel::from_gdscript(channel)?;
        Ok(self.backend()?.close_channel(remote, channel))
    }

    /// `closeP2PSessionWithUser`.
    pub fn close_session(&mut self, remote: i64) -> Result<bool> {
        let remote = SteamId::from_gdscript(remote)?;
        Ok(self.backend()?.close_session(remote))
    }

    /// `getP2PSessionState`: `None` when there is no session.
    pub fn session_state(&mut self, remote: i64) -> Result<Option<SessionState>> {
        let remote = SteamId::from_gdscript(remote)?;
        Ok(self.backend()?.session_state(remote))
    }

    /// `getAvailableP2PPacketSize`: 0 when no packet waits.
    pub fn available(&mut self, channel: i64) -> Result<u32> {
        let channel = Channel::from_gdscript(channel)?;
        if let Some(size) = self.backend()?.available(channel) {
            return Ok(size);
        }
        if self.lends_dry {
            // One promise at a time: one nobody took goes back first.
            if let Some(older) = self.take_dry() {
                self.return_dry(older);
            }
            self.dry = self.backend()?.lend_dry().unwrap_or(Dry::NONE);
        }
        Ok(0)
    }

    /// The backend's promise that nothing waits on any channel, if the last
    /// call was a dry [`Client::available`]: its holder may answer the next
    /// dry calls itself, without entering the API, while the promise holds
    /// (`backend::dry`). Hand it back with [`Client::return_dry`] before
    /// any other call.
    pub fn take_dry(&mut self) -> Option<Dry> {
        // Written only when there is one: this runs after every call.
        self.dry
            .is_held()
            .then(|| std::mem::replace(&mut self.dry, Dry::NONE))
    }

    /// Takes back a promise from [`Client::take_dry`], with what its holder
    /// did not use.
    pub fn return_dry(&mut self, dry: Dry) {
        if let Some(backend) = self.backend.as_deref_mut() {
            backend.return_dry(dry.left());
        }
    }

    /// `readP2PPacket`: the next packet on `channel`, truncated to `packet` bytes.
    pub fn read(&mut self, packet: i64, channel: i64) -> Result<Option<Packet>> {
        let size = ReadSize::from_gdscript(packet)?;
        let channel = Channel::from_gdscript(channel)?;
        let backend = self.backend()?;
        let Some(available) = backend.available(channel) else {
            return Ok(None);
        };
        Ok(backend.read(size.allocation_for(available), channel))
    }

    /// Hands a read packet's buffer back to the backend once its bytes were
    /// copied out (large ones are reused).
    pub fn recycle(&mut self, buffer: Vec<u8>) {
        if let Some(backend) = self.backend.as_deref_mut() {
            backend.recycle(buffer);
        }
    }

    /// `readP2PPackets`: up to `max_packets` whole packets from `channel`,
    /// each shown to `each` in order. Returns how many were read.
    pub fn read_many(
        &mut self,
        max_packets: i64,
        channel: i64,
        mut each: impl FnMut(&Packet),
    ) -> Result<usize> {
        if max_packets < 1 {
            return Err(InputError::InvalidPacketCount(max_packets));
        }
        let channel = Channel::from_gdscript(channel)?;
        let backend = self.backend()?;
        if backend.available(channel).is_none() {
            return Ok(0);
        }
        let mut count = 0;
        while (count as i64) < max_packets {
            let Some(packet) = backend.read_queued(channel) else {
                break;
            };
            each(&packet);
            backend.recycle(packet.data);
            count += 1;
        }
        Ok(count)
    }

    /// `sendP2PPacket`.
    pub fn send(&mut self, remote: i64, data: &[u8], send_type: i64, channel: i64) -> Result<bool> {
        let remote = SteamId::from_gdscript(remote)?;
        let send_type = SendType::from_gdscript(send_type)?;
        let channel = Channel::from_gdscript(channel)?;
        send_type.check_payload(data.len())?;
        Ok(self.backend()?.send(remote, data, send_type, channel))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Client;
    use super::super::testing::*;
    use crate::p2p::InputError;

    #[test]
    fn every_call_fails_cleanly_before_init() {
        let mut net = Client::with_starter(start_loopback);
        let not_init = InputError::NotInitialized;
        assert_eq!(net.accept(PEER).unwrap_err(), not_init);
        assert_eq!(net.allow_relay(true).unwrap_err(), not_init);
        assert_eq!(net.close_channel(PEER, 0).unwrap_err(), not_init);
        assert_eq!(net.close_session(PEER).unwrap_err(), not_init);
        assert_eq!(net.session_state(PEER).unwrap_err(), not_init);
        assert_eq!(net.available(0).unwrap_err(), not_init);
        assert_eq!(net.read(16, 0).unwrap_err(), not_init);
        assert_eq!(net.send(PEER, b"x", 2, 0).unwrap_err(), not_init);
        assert!(net.run_callbacks().is_empty());
        assert_eq!(net.local_id(), 0);
        assert!(!net.is_running());
    }

    #[test]
    fn argument_errors_win_over_not_initialized() {
        // A bad argument is the more useful message even before init.
        let mut net = Client::with_starter(start_loopback);
        assert_eq!(net.accept(-1), Err(InputError::InvalidSteamId(-1)));
        assert_eq!(net.available(-1), Err(InputError::InvalidChannel(-1)));
    }

    #[test]
    fn sends_are_checked_before_the_backend_sees_them() {
        let mut net = started();
        assert_eq!(net.send(0, b"x", 2, 0), Err(InputError::InvalidSteamId(0)));
        assert_eq!(
            net.send(PEER, b"x", 4, 0),
            Err(InputError::InvalidSendType(4))
        );
        assert_eq!(
            net.send(PEER, b"x", 2, -1),
            Err(InputError::InvalidChannel(-1))
        );
        assert_eq!(net.send(PEER, b"", 2, 0), Err(InputError::EmptyPacket));
        assert!(matches!(
            net.send(PEER, &[0; 1201], 0, 0),
            Err(InputError::PacketTooLarge { .. })
        ));
        assert_eq!(
            net.available(0),
            Ok(0),
            "refused sends must not reach the backend"
        );
    }

    #[test]
    fn reads_follow_channels_and_truncate() {
        let mut net = started();
        assert_eq!(net.send(PEER, b"hello", 2, 3), Ok(true));
        assert_eq!(net.available(0), Ok(0));
        assert_eq!(net.read(64, 0), Ok(None));
        assert_eq!(net.available(3), Ok(5));
        let packet = net.read(2, 3).unwrap().unwrap();
        assert_eq!(packet.data, b"he");
        assert_eq!(packet.sender.to_gdscript(), PEER);
        assert_eq!(net.available(3), Ok(0), "a truncated packet is consumed");
        assert_eq!(net.read(0, 3), Err(InputError::InvalidReadSize(0)));
        assert_eq!(
            net.read(1 << 32, 3),
            Err(InputError::InvalidReadSize(1 << 32))
        );
    }

    #[test]
    fn a_dry_answer_lends_the_backends_promise_until_it_is_handed_back() {
        let mut net = started();
        assert_eq!(net.available(0), Ok(0));
        let mut dry = net.take_dry().expect("a dry call lends the promise");
        assert!(net.take_dry().is_none(), "once");
        assert_eq!(dry.left(), DRY_BUDGET);
        assert!(dry.answer());
        net.return_dry(dry);
        assert_eq!(net.available(0), Ok(0));
        let dry = net.take_dry().unwrap();
        assert_eq!(dry.left(), DRY_BUDGET - 1, "the spent answer stays spent");
        net.return_dry(dry);
        // A promise nobody took goes back before the next one is lent.
        assert_eq!(net.available(0), Ok(0));
        assert_eq!(net.available(0), Ok(0));
        assert_eq!(net.take_dry().unwrap().left(), DRY_BUDGET - 1);
        assert_eq!(net.available(0), Ok(0));
        net.shutdown();
        assert!(
            net.take_dry().is_none(),
            "a stopped backend promises nothing"
        );
    }

    #[test]
    fn a_call_that_finds_a_packet_lends_nothing() {
        let mut net = started();
        net.send(PEER, b"hello", 2, 3).unwrap();
        assert_eq!(net.available(3), Ok(5));
        assert!(net.take_dry().is_none());
        assert_eq!(net.available(0), Ok(0), "channel 0 is dry");
        assert!(net.take_dry().is_none(), "but channel 3 is not");
    }

    #[test]
    fn batch_reads_take_whole_packets_up_to_the_limit() {
        let mut net = started();
        for text in ["one", "two", "three"] {
            net.send(PEER, text.as_bytes(), 2, 5).unwrap();
        }
        net.send(PEER, b"other channel", 2, 0).unwrap();
        let mut got = Vec::new();
        assert_eq!(net.read_many(2, 5, |p| got.push(p.data.clone())), Ok(2));
        assert_eq!(got, vec![b"one".to_vec(), b"two".to_vec()]);
        assert_eq!(net.read_many(100, 5, |p| got.push(p.data.clone())), Ok(1));
        assert_eq!(net.read_many(100, 5, |_| {}), Ok(0));
        assert_eq!(
            net.read_many(0, 5, |_| {}),
            Err(InputError::InvalidPacketCount(0))
        );
        assert_eq!(
            net.read_many(1, -1, |_| {}),
            Err(InputError::InvalidChannel(-1))
        );
        assert_eq!(net.available(0), Ok(13));
    }
}
