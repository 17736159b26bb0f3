//! The whole `Steam` networking API in plain Rust: lifecycle, argument
//! checks and dispatch to the running backend. The Godot class only converts
//! values and reports the `Err` messages; everything here is unit-tested
//! without an engine.

use crate::backend::{self, Backend, BackendKind};
use crate::p2p::{
    Channel, Event, InitFailure, InitStatus, InputError, Packet, ReadSize, SendType, SessionState,
    SteamId,
};

/// What `steamInit` needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitRequest {
    /// The GDScript `app_id` argument, unchecked.
    pub app_id: i64,
    /// Which backend to start.
    pub backend: BackendKind,
}

/// Starts a backend; replaced in tests by a fake.
pub type Starter = fn(BackendKind, u32) -> std::result::Result<Box<dyn Backend>, InitFailure>;

/// The networking API's state: no backend before init and after shutdown.
pub struct Networking {
    backend: Option<Box<dyn Backend>>,
    starter: Starter,
    /// What the last init answered, for `get_steam_init_result`.
    last_init: Option<(InitStatus, String)>,
}

impl Default for Networking {
    fn default() -> Self {
        Self::with_starter(backend::start)
    }
}

type Result<T> = std::result::Result<T, InputError>;

impl Networking {
    /// A stopped API whose `init` uses `starter`.
    pub fn with_starter(starter: Starter) -> Self {
        Self {
            backend: None,
            starter,
            last_init: None,
        }
    }

    /// Keeps what an init answered (success or failure, from whichever
    /// call or the start-up init), for [`Networking::last_init`].
    pub fn remember_init(&mut self, result: &std::result::Result<String, InitFailure>) {
        self.last_init = Some(match result {
            Ok(verbal) => (InitStatus::Ok, verbal.clone()),
            Err(failure) => (failure.status, failure.verbal.clone()),
        });
    }

    /// `get_steam_init_result`: the last init's status and message, `None`
    /// before any init. A shutdown does not forget it.
    pub fn last_init(&self) -> Option<(InitStatus, &str)> {
        self.last_init
            .as_ref()
            .map(|(status, verbal)| (*status, verbal.as_str()))
    }

    /// Starts the backend. Starting twice is harmless: the running backend stays.
    pub fn init(&mut self, request: InitRequest) -> std::result::Result<String, InitFailure> {
        if self.backend.is_some() {
            return Ok("Steam is already initialized".into());
        }
        let app_id = match request.app_id {
            // A leading `retrieve_stats` bool from GodotSteam before 4.14
            // arrives here as 1; no real app has that id.
            1 => {
                return Err(InitFailure::new(
                    InitStatus::FailedGeneric,
                    "app_id 1 is not a Steam app. Since GodotSteam 4.14 the call is \
                     steamInitEx(app_id: int = 0, embed_callbacks: bool = false), without the old leading retrieve_stats bool",
                ));
            }
            id => u32::try_from(id).map_err(|_| {
                InitFailure::new(
                    InitStatus::FailedGeneric,
                    format!("invalid app_id {id}: Steam app ids are 0..=4294967295 (0 means: read steam_appid.txt)"),
                )
            })?,
        };
        let backend = (self.starter)(request.backend, app_id)?;
        let verbal = match request.backend {
            BackendKind::Steam => "Steamworks active".to_string(),
            BackendKind::Local => format!(
                "Local backend active (no Steam): this instance is Steam ID {}",
                backend.local_id()
            ),
        };
        self.backend = Some(backend);
        Ok(verbal)
    }

    /// Stops the backend; networking calls fail until the next init.
    pub fn shutdown(&mut self) {
        self.backend = None;
    }

    /// Whether a backend is running.
    pub fn is_running(&self) -> bool {
        self.backend.as_ref().is_some_and(|b| b.is_running())
    }

    /// The local SteamID64, or 0 when not initialized.
    pub fn local_id(&self) -> u64 {
        self.backend.as_ref().map_or(0, |b| b.local_id().raw())
    }

    fn backend(&mut self) -> Result<&mut (dyn Backend + 'static)> {
        self.backend
            .as_deref_mut()
            .ok_or(InputError::NotInitialized)
    }

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
        Ok(self.backend()?.available(channel).unwrap_or(0))
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

    /// Pumps the backend; the caller emits the returned events as signals.
    pub fn run_callbacks(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        if let Some(backend) = self.backend.as_deref_mut() {
            backend.poll(&mut events);
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    const PEER: i64 = 76561197960265730;

    /// A backend that loops sends back to the sender, for checking dispatch.
    struct Loopback {
        queue: VecDeque<(Channel, Packet)>,
        events: Vec<Event>,
    }

    impl Backend for Loopback {
        fn local_id(&self) -> SteamId {
            SteamId::from_gdscript(PEER).unwrap()
        }
        fn send(&mut self, to: SteamId, data: &[u8], _: SendType, channel: Channel) -> bool {
            self.queue.push_back((
                channel,
                Packet {
                    sender: to,
                    data: data.to_vec(),
                },
            ));
            self.events.push(Event::SessionRequest(to));
            true
        }
        fn available(&mut self, channel: Channel) -> Option<u32> {
            let (_, p) = self.queue.iter().find(|(c, _)| *c == channel)?;
            Some(p.data.len() as u32)
        }
        fn read(&mut self, max_len: usize, channel: Channel) -> Option<Packet> {
            let at = self.queue.iter().position(|(c, _)| *c == channel)?;
            let (_, mut p) = self.queue.remove(at)?;
            p.data.truncate(max_len);
            Some(p)
        }
        fn accept(&mut self, _: SteamId) -> bool {
            true
        }
        fn close_session(&mut self, _: SteamId) -> bool {
            !self.queue.is_empty()
        }
        fn close_channel(&mut self, _: SteamId, _: Channel) -> bool {
            false
        }
        fn session_state(&mut self, _: SteamId) -> Option<SessionState> {
            Some(SessionState {
                connection_active: true,
                ..Default::default()
            })
        }
        fn allow_relay(&mut self, _: bool) -> bool {
            true
        }
        fn poll(&mut self, events: &mut Vec<Event>) {
            events.append(&mut self.events);
        }
    }

    fn start_loopback(
        kind: BackendKind,
        _: u32,
    ) -> std::result::Result<Box<dyn Backend>, InitFailure> {
        match kind {
            BackendKind::Local => Ok(Box::new(Loopback {
                queue: VecDeque::new(),
                events: Vec::new(),
            })),
            BackendKind::Steam => Err(InitFailure::new(InitStatus::NoSteamClient, "no client")),
        }
    }

    fn started() -> Networking {
        let mut net = Networking::with_starter(start_loopback);
        net.init(InitRequest {
            app_id: 480,
            backend: BackendKind::Local,
        })
        .unwrap();
        net
    }

    #[test]
    fn every_call_fails_cleanly_before_init() {
        let mut net = Networking::with_starter(start_loopback);
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
        let mut net = Networking::with_starter(start_loopback);
        assert_eq!(net.accept(-1), Err(InputError::InvalidSteamId(-1)));
        assert_eq!(net.available(-1), Err(InputError::InvalidChannel(-1)));
    }

    #[test]
    fn init_failures_carry_status_and_message() {
        let mut net = Networking::with_starter(start_loopback);
        let err = net
            .init(InitRequest {
                app_id: 480,
                backend: BackendKind::Steam,
            })
            .unwrap_err();
        assert_eq!(err.status, InitStatus::NoSteamClient);
        assert_eq!(err.verbal, "no client");
        assert!(!net.is_running());
    }

    #[test]
    fn the_last_init_result_is_kept_through_shutdown() {
        let mut net = Networking::with_starter(start_loopback);
        assert_eq!(net.last_init(), None, "nothing before any init");
        let failed = net.init(InitRequest {
            app_id: 480,
            backend: BackendKind::Steam,
        });
        net.remember_init(&failed);
        assert_eq!(
            net.last_init(),
            Some((InitStatus::NoSteamClient, "no client"))
        );
        let started = net.init(InitRequest {
            app_id: 480,
            backend: BackendKind::Local,
        });
        net.remember_init(&started);
        let (status, verbal) = net.last_init().unwrap();
        assert_eq!(status, InitStatus::Ok);
        assert!(verbal.contains("Local backend active"), "{verbal}");
        net.shutdown();
        assert_eq!(net.last_init().map(|(s, _)| s), Some(InitStatus::Ok));
    }

    #[test]
    fn old_retrieve_stats_form_is_explained() {
        let mut net = Networking::with_starter(start_loopback);
        let err = net
            .init(InitRequest {
                app_id: 1,
                backend: BackendKind::Local,
            })
            .unwrap_err();
        assert_eq!(err.status, InitStatus::FailedGeneric);
        assert!(
            err.verbal
                .contains("steamInitEx(app_id: int = 0, embed_callbacks: bool = false)")
        );
        for bad in [-1, 1 << 32] {
            let err = net
                .init(InitRequest {
                    app_id: bad,
                    backend: BackendKind::Local,
                })
                .unwrap_err();
            assert!(err.verbal.contains("invalid app_id"), "{}", err.verbal);
        }
    }

    #[test]
    fn init_twice_keeps_the_backend_and_shutdown_stops_it() {
        let mut net = started();
        assert_eq!(net.local_id(), PEER as u64);
        assert!(
            net.init(InitRequest {
                app_id: 0,
                backend: BackendKind::Steam
            })
            .is_ok()
        );
        assert!(net.is_running());
        net.shutdown();
        net.shutdown();
        assert_eq!(net.send(PEER, b"x", 2, 0), Err(InputError::NotInitialized));
        assert_eq!(net.local_id(), 0);
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

    #[test]
    fn callbacks_are_only_delivered_by_run_callbacks() {
        let mut net = started();
        net.send(PEER, b"x", 0, 0).unwrap();
        let events = net.run_callbacks();
        assert_eq!(
            events,
            vec![Event::SessionRequest(SteamId::from_gdscript(PEER).unwrap())]
        );
        assert!(net.run_callbacks().is_empty());
    }
}
