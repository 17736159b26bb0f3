//! This process's side of the lobbies: the calls that change one (under
//! the lobby lock, telling the members' processes), what it remembers of
//! lobbies it is not in (from its last list, or `RequestLobbyData`), its
//! list results and chat entries, and the notes it gets, as callbacks.

use std::collections::{HashMap, VecDeque};
use std::ffi::CString;

use steamworks_sys as sys;

use crate::Double;
use crate::calls::CallResult;
use crate::lobby::{
    ENTER_DOESNT_EXIST, ENTER_SUCCESS, Filter, Lobby, MAX_CHAT_BYTES, MEMBER_ENTERED, MEMBER_LEFT,
    Note, Server, select,
};
use crate::table::Callback;

/// `k_EChatRoomEnterResponseError`: the shared directory failed us.
const ENTER_ERROR: u32 = 5;
/// `k_EChatEntryTypeChatMsg`.
const CHAT_MSG: u8 = 1;
/// How many received chat messages stay readable: the entry of a
/// callback is read right after it, so a few frames' worth is plenty.
const CHAT_KEPT: usize = 256;

/// A received chat message, for `GetLobbyChatEntry`.
pub(crate) struct ChatEntry {
    pub(crate) id: u32,
    pub(crate) lobby: u64,
    pub(crate) sender: u64,
    pub(crate) body: Vec<u8>,
}

/// What this process keeps about lobbies between calls.
#[derive(Default)]
pub(crate) struct Lobbies {
    /// Filters added since the last list request.
    pub(crate) filters: Vec<Filter>,
    /// The last list's lobbies, for `GetLobbyByIndex`.
    pub(crate) list: Vec<u64>,
    /// Lobbies we are not in, as the last list or data request saw them.
    seen: HashMap<u64, Lobby>,
    chat: VecDeque<ChatEntry>,
    next_chat: u32,
    /// The string `GetLobbyData` or `GetLobbyMemberData` handed out last,
    /// alive until the next one.
    pub(crate) text: CString,
}

fn enter_result(lobby: u64, response: u32) -> sys::LobbyEnter_t {
    sys::LobbyEnter_t {
        m_ulSteamIDLobby: lobby,
        m_rgfChatPermissions: 0,
        m_bLocked: false,
        m_EChatRoomEnterResponse: response,
    }
}

impl Double {
    /// `CreateLobby`: the call result `LobbyCreated_t`, then (on success)
    /// `LobbyEnter_t` for us, the owner and only member.
    pub(crate) fn create_lobby(&mut self, kind: i32, limit: i32) -> u64 {
        let (me, app) = (self.me, self.settings.app_id);
        let created = self.lock_lobbies().and_then(|lock| {
            // Checked before an id is spent on it.
            Lobby::create(0, app, kind, limit, me)?;
            let id = self.next_lobby_id(&lock)?;
            let lobby = Lobby::create(id, app, kind, limit, me)?;
            self.store_lobby(&lock, &lobby).then_some(id)
        });
        let (result, lobby) = match created {
            Some(id) => (sys::EResult::k_EResultOK, id),
            None => (sys::EResult::k_EResultFail, 0),
        };
        let handle = self.calls.finish(
            CallResult::Created(sys::LobbyCreated_t {
                m_eResult: result,
                m_ulSteamIDLobby: lobby,
            }),
            &mut self.table.callbacks,
        );
        if lobby != 0 {
            self.table
                .callbacks
                .push_back(Callback::LobbyEnter(Box::new(enter_result(
                    lobby,
                    ENTER_SUCCESS,
                ))));
        }
        handle
    }

    /// `JoinLobby`: `LobbyEnter_t` (as a call result and a callback) with
    /// the response; the other members get `LobbyChatUpdate_t` ENTERED.
    pub(crate) fn join_lobby(&mut self, id: u64) -> u64 {
        let me = self.me;
        let response = match self.lock_lobbies() {
            None => ENTER_ERROR,
            Some(lock) => match self.load_lobby(id) {
                None => ENTER_DOESNT_EXIST,
                Some(mut lobby) if !lobby.is_member(me) => {
                    let response = lobby.enter(me);
                    if response != ENTER_SUCCESS {
                        response
                    } else if self.store_lobby(&lock, &lobby) {
                        let note = Note::ChatUpdate {
                            lobby: id,
                            changed: me,
                            making_change: me,
                            state: MEMBER_ENTERED,
                        };
                        self.tell(&lobby.recipients(me), &note);
                        ENTER_SUCCESS
                    } else {
                        ENTER_ERROR
                    }
                }
                Some(_) => ENTER_SUCCESS,
            },
        };
        let enter = enter_result(id, response);
        let handle = self
            .calls
            .finish(CallResult::Enter(enter), &mut self.table.callbacks);
        self.table
            .callbacks
            .push_back(Callback::LobbyEnter(Box::new(enter)));
        handle
    }

    /// `LeaveLobby`: the others get `LobbyChatUpdate_t` LEFT, and, if we
    /// owned it, `LobbyDataUpdate_t` for the new owner; the last member out
    /// ends the lobby.
    pub(crate) fn leave_lobby(&mut self, id: u64) {
        if let Some(lock) = self.lock_lobbies() {
            self.leave_locked(&lock, id);
        }
    }

    /// Leaves every lobby we are in (at shutdown).
    pub(crate) fn leave_all_lobbies(&mut self) {
        let Some(lock) = self.lock_lobbies() else {
            return;
        };
        for lobby in self.all_lobbies() {
            if lobby.is_member(self.me) {
                self.leave_locked(&lock, lobby.id);
            }
        }
    }

    fn leave_locked(&mut self, lock: &crate::lobby_files::LobbyLock, id: u64) {
        let me = self.me;
        let Some(mut lobby) = self.load_lobby(id) else {
            return;
        };
        let Some(left) = lobby.leave(me) else {
            return;
        };
        if left.empty {
            self.remove_lobby(lock, id);
            return;
        }
        if !self.store_lobby(lock, &lobby) {
            return;
        }
        let others = lobby.recipients(me);
        let note = Note::ChatUpdate {
            lobby: id,
            changed: me,
            making_change: me,
            state: MEMBER_LEFT,
        };
        self.tell(&others, &note);
        if left.new_owner.is_some() {
            self.tell(
                &others,
                &Note::DataUpdate {
                    lobby: id,
                    member: id,
                    success: true,
                },
            );
        }
    }

    /// Changes lobby `id` under the lock; if `change` allows it, stores it
    /// and tells every member (us too) `note`.
    pub(crate) fn change_lobby(
        &mut self,
        id: u64,
        change: impl FnOnce(&mut Lobby, u64) -> bool,
        note: Option<Note>,
    ) -> bool {
        let Some(lock) = self.lock_lobbies() else {
            return false;
        };
        let Some(mut lobby) = self.load_lobby(id) else {
            return false;
        };
        if !change(&mut lobby, self.me) || !self.store_lobby(&lock, &lobby) {
            return false;
        }
        if let Some(note) = note {
            self.tell(&lobby.recipients(0), &note);
        }
        true
    }

    /// `SetLobbyData` or (`value` None) `DeleteLobbyData`.
    pub(crate) fn set_lobby_data(&mut self, id: u64, key: &[u8], value: Option<&[u8]>) -> bool {
        let note = Note::DataUpdate {
            lobby: id,
            member: id,
            success: true,
        };
        self.change_lobby(
            id,
            |lobby, me| match value {
                Some(value) => lobby.set_data(me, key, value),
                None => lobby.delete_data(me, key),
            },
            Some(note),
        )
    }

    /// `SetLobbyMemberData`.
    pub(crate) fn set_member_data(&mut self, id: u64, key: &[u8], value: &[u8]) -> bool {
        let note = Note::DataUpdate {
            lobby: id,
            member: self.me,
            success: true,
        };
        self.change_lobby(
            id,
            |lobby, me| lobby.set_member_data(me, key, value),
            Some(note),
        )
    }

    /// `SetLobbyOwner`: the members get `LobbyDataUpdate_t` for the lobby.
    pub(crate) fn set_lobby_owner(&mut self, id: u64, new_owner: u64) -> bool {
        let note = Note::DataUpdate {
            lobby: id,
            member: id,
            success: true,
        };
        self.change_lobby(id, |lobby, me| lobby.set_owner(me, new_owner), Some(note))
    }

    /// `SetLobbyGameServer`: the members get `LobbyGameCreated_t`.
    pub(crate) fn set_game_server(&mut self, id: u64, server: Server) {
        let note = Note::GameCreated { lobby: id, server };
        self.change_lobby(id, |lobby, me| lobby.set_server(me, server), Some(note));
    }

    /// `SendLobbyChatMsg`: every member, us too, gets `LobbyChatMsg_t`.
    pub(crate) fn send_chat(&mut self, id: u64, body: &[u8]) -> bool {
        if !(1..=MAX_CHAT_BYTES).contains(&body.len()) {
            return false;
        }
        let Some(_lock) = self.lock_lobbies() else {
            return false;
        };
        let Some(lobby) = self.load_lobby(id).filter(|l| l.is_member(self.me)) else {
            return false;
        };
        let note = Note::ChatMsg {
            lobby: id,
            sender: self.me,
            body: body.to_vec(),
        };
        self.tell(&lobby.recipients(0), &note);
        true
    }

    /// `InviteUserToLobby`: the invitee's process gets `LobbyInvite_t`
    /// (its game id the app id, as for any Steam game).
    pub(crate) fn invite(&mut self, id: u64, invitee: u64) -> bool {
        if invitee == 0 || !self.load_lobby(id).is_some_and(|l| l.is_member(self.me)) {
            return false;
        }
        let note = Note::Invite {
            inviter: self.me,
            lobby: id,
            game: u64::from(self.settings.app_id),
        };
        self.tell(&[invitee], &note);
        true
    }

    /// `RequestLobbyData`: `LobbyDataUpdate_t` for the lobby, successful
    /// if it exists (its data is then readable here).
    pub(crate) fn request_lobby_data(&mut self, id: u64) -> bool {
        if id == 0 {
            return false;
        }
        let found = self.load_lobby(id);
        let success = found.is_some();
        match found {
            Some(lobby) if !lobby.is_member(self.me) => {
                self.lobbies.seen.insert(id, lobby);
            }
            Some(_) => {}
            None => {
                self.lobbies.seen.remove(&id);
            }
        }
        self.table
            .callbacks
            .push_back(Callback::LobbyDataUpdate(Box::new(
                sys::LobbyDataUpdate_t {
                    m_ulSteamIDLobby: id,
                    m_ulSteamIDMember: id,
                    m_bSuccess: success as u8,
                },
            )));
        true
    }

    /// `RequestLobbyList`, with the filters added since the last one: the
    /// call result `LobbyMatchList_t`; the lobbies are then readable here.
    pub(crate) fn request_lobby_list(&mut self) -> u64 {
        let filters = std::mem::take(&mut self.lobbies.filters);
        let app = self.settings.app_id;
        let listed: Vec<Lobby> = self
            .all_lobbies()
            .into_iter()
            .filter(|l| l.listed_for(app))
            .collect();
        let found = select(&listed, &filters);
        for lobby in listed {
            if found.contains(&lobby.id) && !lobby.is_member(self.me) {
                self.lobbies.seen.insert(lobby.id, lobby);
            }
        }
        let count = found.len() as u32;
        self.lobbies.list = found;
        self.calls.finish(
            CallResult::MatchList(sys::LobbyMatchList_t {
                m_nLobbiesMatching: count,
            }),
            &mut self.table.callbacks,
        )
    }

    /// Lobby `id` as we may read it: live if we are a member, else as we
    /// last saw it.
    pub(crate) fn view_lobby(&self, id: u64) -> Option<Lobby> {
        match self.load_lobby(id) {
            Some(lobby) if lobby.is_member(self.me) => Some(lobby),
            _ => self.lobbies.seen.get(&id).cloned(),
        }
    }

    /// Lobby `id` if we are a member (what members-only calls read).
    pub(crate) fn member_lobby(&self, id: u64) -> Option<Lobby> {
        self.load_lobby(id).filter(|l| l.is_member(self.me))
    }

    /// The chat entry a `LobbyChatMsg_t` named.
    pub(crate) fn chat_entry(&self, lobby: u64, id: u32) -> Option<&ChatEntry> {
        self.lobbies
            .chat
            .iter()
            .find(|e| e.id == id && e.lobby == lobby)
    }

    /// A note from a member's process (or ours) becomes a callback; notes
    /// about a lobby we are no longer in are dropped, as Steam stops
    /// telling a user who left.
    pub(crate) fn on_note(&mut self, note: Note) {
        let about_ours = self.member_lobby(note.lobby()).is_some();
        let callback = match note {
            Note::Invite {
                inviter,
                lobby,
                game,
            } => Callback::LobbyInvite(Box::new(sys::LobbyInvite_t {
                m_ulSteamIDUser: inviter,
                m_ulSteamIDLobby: lobby,
                m_ulGameID: game,
            })),
            _ if !about_ours => return,
            Note::ChatUpdate {
                lobby,
                changed,
                making_change,
                state,
            } => Callback::LobbyChatUpdate(Box::new(sys::LobbyChatUpdate_t {
                m_ulSteamIDLobby: lobby,
                m_ulSteamIDUserChanged: changed,
                m_ulSteamIDMakingChange: making_change,
                m_rgfChatMemberStateChange: state,
            })),
            Note::DataUpdate {
                lobby,
                member,
                success,
            } => Callback::LobbyDataUpdate(Box::new(sys::LobbyDataUpdate_t {
                m_ulSteamIDLobby: lobby,
                m_ulSteamIDMember: member,
                m_bSuccess: success as u8,
            })),
            Note::ChatMsg {
                lobby,
                sender,
                body,
            } => {
                let id = self.lobbies.next_chat;
                self.lobbies.next_chat = id.wrapping_add(1);
                if self.lobbies.chat.len() == CHAT_KEPT {
                    self.lobbies.chat.pop_front();
                }
                self.lobbies.chat.push_back(ChatEntry {
                    id,
                    lobby,
                    sender,
                    body,
                });
                Callback::LobbyChatMsg(Box::new(sys::LobbyChatMsg_t {
                    m_ulSteamIDLobby: lobby,
                    m_ulSteamIDUser: sender,
                    m_eChatEntryType: CHAT_MSG,
                    m_iChatID: id,
                }))
            }
            Note::GameCreated { lobby, server } => {
                Callback::LobbyGameCreated(Box::new(sys::LobbyGameCreated_t {
                    m_ulSteamIDLobby: lobby,
                    m_ulSteamIDGameServer: server.id,
                    m_unIP: server.ip,
                    m_usPort: server.port,
                }))
            }
        };
        self.table.callbacks.push_back(callback);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::ffi::{c_int, c_void};

    use super::*;
    use crate::lobby::{ENTER_FULL, ENTER_NOT_ALLOWED};
    use crate::settings::Settings;
    use crate::tests::{A, B};

    const C: u64 = 76561197960265731;
    const D: u64 = 76561197960265732;

    /// A callback as the test reads it.
    #[derive(Debug, PartialEq)]
    enum Got {
        Created(u32, u64),
        Entered(u64, u32),
        Member(u64, u64, u32),
        Data(u64, u64, bool),
        Chat(u64, Vec<u8>),
        Invite(u64, u64, u64),
        Game(u64, u32, u16),
        List(Vec<u64>),
    }

    /// One "process" of the double, as `SteamAPI_InitFlat` would make it.
    fn process(dir: &std::path::Path, me: u64) -> Double {
        Double::new(
            me,
            dir.to_path_buf(),
            HashMap::new(),
            HashMap::new(),
            Settings::read(me, |_| None),
        )
    }

    /// One frame: the inbox read, every queued callback taken (call
    /// results fetched as the crate would).
    fn frame(d: &mut Double) -> Vec<Got> {
        d.receive();
        let callbacks: Vec<Callback> = d.table.callbacks.drain(..).collect();
        callbacks
            .into_iter()
            .map(|cb| match cb {
                Callback::CallCompleted(done) => {
                    let (handle, id, size) = (done.m_hAsyncCall, done.m_iCallback, done.m_cubParam);
                    let mut buf = [0u64; 4];
                    let out = buf.as_mut_ptr().cast::<c_void>();
                    // SAFETY: 32 bytes hold every lobby call result.
                    assert!(unsafe { d.calls.take(handle, out, size as c_int, id) });
                    // SAFETY: the struct `id` names was written there.
                    unsafe {
                        match id {
                            513 => {
                                let r = out.cast::<sys::LobbyCreated_t>().read_unaligned();
                                Got::Created(r.m_eResult as u32, r.m_ulSteamIDLobby)
                            }
                            504 => {
                                let r = out.cast::<sys::LobbyEnter_t>().read_unaligned();
                                Got::Entered(r.m_ulSteamIDLobby, r.m_EChatRoomEnterResponse)
                            }
                            510 => Got::List(d.lobbies.list.clone()),
                            _ => panic!("call result {id}"),
                        }
                    }
                }
                Callback::LobbyEnter(e) => {
                    Got::Entered(e.m_ulSteamIDLobby, e.m_EChatRoomEnterResponse)
                }
                Callback::LobbyChatUpdate(u) => Got::Member(
                    u.m_ulSteamIDUserChanged,
                    u.m_ulSteamIDMakingChange,
                    u.m_rgfChatMemberStateChange,
                ),
                Callback::LobbyDataUpdate(u) => {
                    Got::Data(u.m_ulSteamIDLobby, u.m_ulSteamIDMember, u.m_bSuccess != 0)
                }
                Callback::LobbyChatMsg(m) => {
                    let entry = d
                        .chat_entry(m.m_ulSteamIDLobby, m.m_iChatID)
                        .expect("entry");
                    assert_eq!((m.m_ulSteamIDUser, m.m_eChatEntryType), (entry.sender, 1));
                    Got::Chat(entry.sender, entry.body.clone())
                }
                Callback::LobbyInvite(i) => {
                    Got::Invite(i.m_ulSteamIDUser, i.m_ulSteamIDLobby, i.m_ulGameID)
                }
                Callback::LobbyGameCreated(g) => {
                    Got::Game(g.m_ulSteamIDGameServer, g.m_unIP, g.m_usPort)
                }
                _ => panic!("not a lobby callback"),
            })
            .collect()
    }

    fn string_filter(key: &str, value: &str) -> Filter {
        Filter::String {
            key: key.as_bytes().to_vec(),
            value: value.as_bytes().to_vec(),
            comparison: 0,
        }
    }

    #[test]
    fn lobbies_between_processes() {
        let tmp = std::env::temp_dir().join(format!("steam_double_lobbies_{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let (mut a, mut b, mut c, mut d) = (
            process(&tmp, A),
            process(&tmp, B),
            process(&tmp, C),
            process(&tmp, D),
        );

        // A creates: the call result, then A enters as the owner.
        assert_ne!(a.create_lobby(2, 3), 0);
        let got = frame(&mut a);
        let Got::Created(1, lobby) = got[0] else {
            panic!("{got:?}");
        };
        assert_eq!(got[1..], [Got::Entered(lobby, ENTER_SUCCESS)]);
        assert_eq!((lobby >> 52) & 0xF, 8, "a chat (lobby) SteamID");
        assert!(a.set_lobby_data(lobby, b"mode", Some(b"ctf")));
        assert!(
            !b.set_lobby_data(lobby, b"mode", Some(b"dm")),
            "B is no member"
        );
        assert_eq!(frame(&mut a), [Got::Data(lobby, lobby, true)]);

        // B lists: filters are the ones added since the last request.
        assert_eq!(b.view_lobby(lobby), None, "not seen yet");
        b.lobbies.filters = vec![string_filter("mode", "ctf"), Filter::SlotsAvailable(2)];
        b.request_lobby_list();
        assert_eq!(frame(&mut b), [Got::List(vec![lobby])]);
        assert_eq!(
            b.view_lobby(lobby).unwrap().data(b"mode"),
            Some(&b"ctf"[..])
        );
        b.lobbies.filters = vec![string_filter("mode", "dm")];
        b.request_lobby_list();
        assert_eq!(frame(&mut b), [Got::List(vec![])]);
        b.lobbies.filters = vec![Filter::SlotsAvailable(3)];
        b.request_lobby_list();
        assert_eq!(frame(&mut b), [Got::List(vec![])], "two slots free");
        b.request_lobby_list();
        assert_eq!(frame(&mut b), [Got::List(vec![lobby])], "filters went");

        // B and C join; the others see them enter, the joiner only its answer.
        b.join_lobby(lobby);
        assert_eq!(
            frame(&mut b),
            [
                Got::Entered(lobby, ENTER_SUCCESS),
                Got::Entered(lobby, ENTER_SUCCESS)
            ],
            "the call result and the callback"
        );
        assert_eq!(frame(&mut a), [Got::Member(B, B, MEMBER_ENTERED)]);
        c.join_lobby(lobby);
        frame(&mut c);
        assert_eq!(frame(&mut a), [Got::Member(C, C, MEMBER_ENTERED)]);
        assert_eq!(frame(&mut b), [Got::Member(C, C, MEMBER_ENTERED)]);
        d.join_lobby(lobby);
        assert_eq!(frame(&mut d)[1], Got::Entered(lobby, ENTER_FULL));
        assert_eq!(a.member_lobby(lobby).unwrap().members, vec![A, B, C]);
        assert!(d.member_lobby(lobby).is_none());

        // Chat and member data reach every member, the sender too.
        assert!(b.send_chat(lobby, b"hello"));
        assert!(!d.send_chat(lobby, b"hello"), "D is no member");
        assert!(!b.send_chat(lobby, &[b'x'; 4097]));
        assert!(c.set_member_data(lobby, b"team", b"red"));
        for p in [&mut a, &mut b, &mut c] {
            assert_eq!(
                frame(p),
                [Got::Chat(B, b"hello".to_vec()), Got::Data(lobby, C, true)]
            );
        }
        assert!(a.invite(lobby, D));
        assert!(!d.invite(lobby, A), "D is no member");
        assert_eq!(frame(&mut d), [Got::Invite(A, lobby, 480)]);
        let server = Server {
            ip: 0x7F00_0001,
            port: 27015,
            id: 0,
        };
        a.set_game_server(lobby, server);
        assert_eq!(frame(&mut c), [Got::Game(0, 0x7F00_0001, 27015)]);
        frame(&mut a);
        frame(&mut b);

        // The owner leaves: B joined first, so B owns it now.
        a.leave_lobby(lobby);
        for p in [&mut b, &mut c] {
            assert_eq!(
                frame(p),
                [
                    Got::Member(A, A, MEMBER_LEFT),
                    Got::Data(lobby, lobby, true)
                ]
            );
        }
        assert_eq!(b.member_lobby(lobby).unwrap().owner, B);
        assert!(frame(&mut a).is_empty(), "A is told nothing");

        // Not joinable: refused, and not listed.
        assert!(!c.change_lobby(lobby, |l, me| l.set_joinable(me, false), None));
        assert!(b.change_lobby(lobby, |l, me| l.set_joinable(me, false), None));
        d.join_lobby(lobby);
        assert_eq!(frame(&mut d)[1], Got::Entered(lobby, ENTER_NOT_ALLOWED));
        d.request_lobby_list();
        assert_eq!(frame(&mut d), [Got::List(vec![])]);

        // Notes about a lobby left in between are not delivered.
        assert!(b.send_chat(lobby, b"bye"));
        c.leave_lobby(lobby);
        assert!(frame(&mut c).is_empty());
        assert_eq!(
            frame(&mut b),
            [
                Got::Chat(B, b"bye".to_vec()),
                Got::Member(C, C, MEMBER_LEFT)
            ]
        );

        // The last one out (at shutdown) ends the lobby.
        b.leave_all_lobbies();
        assert!(b.load_lobby(lobby).is_none());
        d.join_lobby(lobby);
        assert_eq!(frame(&mut d)[1], Got::Entered(lobby, ENTER_DOESNT_EXIST));
        assert!(d.request_lobby_data(lobby));
        assert_eq!(frame(&mut d), [Got::Data(lobby, lobby, false)]);
        assert!(!d.request_lobby_data(0));

        // Ids are never reused.
        a.create_lobby(1, 250);
        let Got::Created(1, second) = frame(&mut a)[0] else {
            panic!("not created");
        };
        assert_ne!(second, lobby);
        a.create_lobby(2, 251);
        assert_eq!(frame(&mut a), [Got::Created(2, 0)], "k_EResultFail");
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
