//! A fake backend for the API's unit tests: it loops sends back.

use std::collections::VecDeque;

use super::{Client, InitRequest};
use crate::backend::dry::Dry;
use crate::backend::matchmaking::Matchmaking;
use crate::backend::{Backend, BackendKind, StartInfo, apps, friends, user, utils};
use crate::p2p::lobby::{ListFilter, LobbyType};
use crate::p2p::{
    AvatarSize, Channel, Event, InitFailure, InitStatus, Overlay, Packet, SendType, SessionState,
    SteamId,
};

/// The fake's own Steam ID.
pub const PEER: i64 = 76561197960265730;

/// A backend that loops sends back to the sender, for checking dispatch.
pub struct Loopback {
    queue: VecDeque<(Channel, Packet)>,
    events: Vec<Event>,
    conditions: crate::p2p::conditions::LinkConditions,
    /// Quiet answers it may lend while nothing is queued (`lend_dry`).
    dry_budget: u32,
}

/// How many quiet answers a fresh `Loopback` lends.
pub const DRY_BUDGET: u32 = 8;

/// The bell of every `Loopback`'s promise: nothing rings it.
static BELL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

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
    fn lends_dry(&self) -> bool {
        true
    }
    fn lend_dry(&mut self) -> Option<Dry> {
        if !self.queue.is_empty() || self.dry_budget == 0 {
            return None;
        }
        let left = std::mem::take(&mut self.dry_budget);
        Some(Dry::new(&BELL, 0, left))
    }
    fn return_dry(&mut self, unused: u32) {
        self.dry_budget += unused;
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

/// Starts a `Loopback` for the local kind; fails like Steam without a client.
pub fn start_loopback(
    kind: BackendKind,
    _: &StartInfo,
) -> std::result::Result<Box<dyn Backend>, InitFailure> {
    match kind {
        BackendKind::Local => Ok(Box::new(Loopback {
            queue: VecDeque::new(),
            events: Vec::new(),
            conditions: Default::default(),
            dry_budget: DRY_BUDGET,
        })),
        BackendKind::Steam => Err(InitFailure::new(InitStatus::NoSteamClient, "no client")),
    }
}

/// A client running a `Loopback`.
pub fn started() -> Client {
    let mut net = Client::with_starter(start_loopback);
    net.init(InitRequest {
        app_id: 480,
        backend: BackendKind::Local,
        ..Default::default()
    })
    .unwrap();
    net
}

// The other interfaces answer fixed values: their logic is the backends'.
impl friends::Friends for Loopback {
    fn persona_name(&mut self) -> String {
        "Loop".into()
    }
    fn friend_persona_name(&mut self, _: SteamId) -> String {
        String::new()
    }
    fn request_user_information(&mut self, _: SteamId, _: bool) -> bool {
        false
    }
    fn request_avatar(&mut self, size: AvatarSize, user: SteamId) {
        self.events.push(Event::AvatarLoaded {
            user,
            size: size.pixels(),
            rgba: Vec::new(),
        });
    }
    fn activate_overlay(&mut self, _: Overlay) {}
}

impl user::User for Loopback {
    fn logged_on(&mut self) -> bool {
        true
    }
    fn steam_level(&mut self) -> i32 {
        7
    }
}

impl apps::Apps for Loopback {
    fn is_subscribed(&mut self) -> bool {
        true
    }
    fn is_subscribed_app(&mut self, app: u32) -> bool {
        app == 480
    }
    fn is_dlc_installed(&mut self, _: u32) -> bool {
        false
    }
    fn app_owner(&mut self) -> u64 {
        PEER as u64
    }
    fn app_build_id(&mut self) -> i32 {
        1
    }
    fn app_install_dir(&mut self, _: u32) -> String {
        String::new()
    }
    fn current_game_language(&mut self) -> String {
        "english".into()
    }
    fn available_game_languages(&mut self) -> String {
        "english".into()
    }
    fn launch_command_line(&mut self) -> String {
        String::new()
    }
}

impl utils::Utils for Loopback {
    fn app_id(&mut self) -> u32 {
        480
    }
    fn on_steam_deck(&mut self) -> bool {
        false
    }
    fn in_vr(&mut self) -> bool {
        false
    }
    fn in_big_picture(&mut self) -> bool {
        false
    }
    fn ui_language(&mut self) -> String {
        "english".into()
    }
    fn ip_country(&mut self) -> String {
        String::new()
    }
    fn overlay_enabled(&mut self) -> bool {
        false
    }
    fn set_fake_config(&mut self, setting: crate::p2p::conditions::Setting) -> bool {
        self.conditions.apply(setting);
        true
    }
    fn network_conditions(&mut self) -> Option<crate::p2p::conditions::LinkConditions> {
        Some(self.conditions)
    }
}
impl Matchmaking for Loopback {
    fn create_lobby(&mut self, _lobby_type: LobbyType, _max_members: u32) {}
    fn join_lobby(&mut self, _lobby: u64) {}
    fn leave_lobby(&mut self, _lobby: u64) {}
    fn invite_user_to_lobby(&mut self, _lobby: u64, _invitee: SteamId) -> bool {
        false
    }
    fn lobby_member_count(&mut self, _lobby: u64) -> u32 {
        0
    }
    fn lobby_member_by_index(&mut self, _lobby: u64, _index: u32) -> Option<SteamId> {
        None
    }
    fn lobby_data(&mut self, _lobby: u64, _key: &str) -> String {
        String::new()
    }
    fn set_lobby_data(&mut self, _lobby: u64, _key: &str, _value: &str) -> bool {
        false
    }
    fn all_lobby_data(&mut self, _lobby: u64) -> Vec<(String, String)> {
        Vec::new()
    }
    fn delete_lobby_data(&mut self, _lobby: u64, _key: &str) -> bool {
        false
    }
    fn lobby_member_data(&mut self, _lobby: u64, _user: SteamId, _key: &str) -> String {
        String::new()
    }
    fn set_lobby_member_data(&mut self, _lobby: u64, _key: &str, _value: &str) {}
    fn send_lobby_chat(&mut self, _lobby: u64, _body: &[u8]) -> bool {
        false
    }
    fn request_lobby_data(&mut self, _lobby: u64) -> bool {
        false
    }
    fn set_lobby_game_server(&mut self, _lobby: u64, _ip: u32, _port: u16, _server: u64) {}
    fn lobby_game_server(&mut self, _lobby: u64) -> Option<(u32, u16, u64)> {
        None
    }
    fn set_lobby_member_limit(&mut self, _lobby: u64, _max_members: u32) -> bool {
        false
    }
    fn lobby_member_limit(&mut self, _lobby: u64) -> u32 {
        0
    }
    fn set_lobby_type(&mut self, _lobby: u64, _lobby_type: LobbyType) -> bool {
        false
    }
    fn set_lobby_joinable(&mut self, _lobby: u64, _joinable: bool) -> bool {
        false
    }
    fn lobby_owner(&mut self, _lobby: u64) -> Option<SteamId> {
        None
    }
    fn set_lobby_owner(&mut self, _lobby: u64, _new_owner: SteamId) -> bool {
        false
    }
    fn request_lobby_list(&mut self, filters: Vec<ListFilter>) {
        LIST_REQUESTS.with(|r| r.borrow_mut().push(filters));
    }
}

thread_local! {
    /// The filters of each list request the fake got on this (test) thread.
    static LIST_REQUESTS: std::cell::RefCell<Vec<Vec<ListFilter>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The filters of the list requests made on this thread so far (taken).
pub fn last_list_requests() -> Vec<Vec<ListFilter>> {
    LIST_REQUESTS.with(|r| std::mem::take(&mut *r.borrow_mut()))
}
