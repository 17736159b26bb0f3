//! The lobbies in the shared directory (described in the crate doc): one
//! file per lobby, a lock around every change, the counter lobby ids come
//! from, and the notes members' processes get in their inboxes.

use std::fs::{self, File};
use std::path::PathBuf;

use crate::Double;
use crate::lobby::{Lobby, Note, Server, lobby_id};

/// Writes the double's little-endian, length-prefixed records.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) -> &mut Self {
        self.0.push(v);
        self
    }
    fn u16(&mut self, v: u16) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u32(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u64(&mut self, v: u64) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.u32(v.len() as u32);
        self.0.extend_from_slice(v);
        self
    }
    fn server(&mut self, s: &Server) -> &mut Self {
        self.u32(s.ip).u16(s.port).u64(s.id)
    }
}

/// Reads them back; `None` for anything cut short.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn bytes(&mut self) -> Option<Vec<u8>> {
        let n = self.u32()? as usize;
        Some(self.take(n)?.to_vec())
    }
    fn server(&mut self) -> Option<Server> {
        Some(Server {
            ip: self.u32()?,
            port: self.u16()?,
            id: self.u64()?,
        })
    }
    /// A count of records, none of which can be smaller than a byte: more
    /// than the bytes left is a damaged file, not a huge allocation.
    fn count(&mut self) -> Option<usize> {
        let n = self.u32()? as usize;
        (n <= self.0.len()).then_some(n)
    }
}

pub(crate) fn encode_lobby(l: &Lobby) -> Vec<u8> {
    let mut w = Writer::default();
    w.u64(l.id)
        .u32(l.app)
        .u8(l.kind)
        .u8(l.joinable as u8)
        .u32(l.limit)
        .u64(l.owner);
    w.u32(l.members.len() as u32);
    for m in &l.members {
        w.u64(*m);
    }
    w.u32(l.data.len() as u32);
    for (k, v) in &l.data {
        w.bytes(k).bytes(v);
    }
    w.u32(l.member_data.len() as u32);
    for (m, k, v) in &l.member_data {
        w.u64(*m).bytes(k).bytes(v);
    }
    match &l.server {
        Some(s) => w.u8(1).server(s),
        None => w.u8(0),
    };
    w.0
}

pub(crate) fn decode_lobby(bytes: &[u8]) -> Option<Lobby> {
    let mut r = Reader(bytes);
    let mut l = Lobby {
        id: r.u64()?,
        app: r.u32()?,
        kind: r.u8()?,
        joinable: r.u8()? != 0,
        limit: r.u32()?,
        owner: r.u64()?,
        members: Vec::new(),
        data: Vec::new(),
        member_data: Vec::new(),
        server: None,
    };
    for _ in 0..r.count()? {
        l.members.push(r.u64()?);
    }
    for _ in 0..r.count()? {
        l.data.push((r.bytes()?, r.bytes()?));
    }
    for _ in 0..r.count()? {
        l.member_data.push((r.u64()?, r.bytes()?, r.bytes()?));
    }
    l.server = match r.u8()? {
        0 => None,
        _ => Some(r.server()?),
    };
    r.0.is_empty().then_some(l)
}

pub(crate) fn encode_note(note: &Note) -> Vec<u8> {
    let mut w = Writer::default();
    match note {
        Note::ChatUpdate {
            lobby,
            changed,
            making_change,
            state,
        } => w
            .u8(1)
            .u64(*lobby)
            .u64(*changed)
            .u64(*making_change)
            .u32(*state),
        Note::DataUpdate {
            lobby,
            member,
            success,
        } => w.u8(2).u64(*lobby).u64(*member).u8(*success as u8),
        Note::ChatMsg {
            lobby,
            sender,
            body,
        } => w.u8(3).u64(*lobby).u64(*sender).bytes(body),
        Note::Invite {
            inviter,
            lobby,
            game,
        } => w.u8(4).u64(*inviter).u64(*lobby).u64(*game),
        Note::GameCreated { lobby, server } => w.u8(5).u64(*lobby).server(server),
    };
    w.0
}

pub(crate) fn decode_note(bytes: &[u8]) -> Option<Note> {
    let mut r = Reader(bytes);
    let note = match r.u8()? {
        1 => Note::ChatUpdate {
            lobby: r.u64()?,
            changed: r.u64()?,
            making_change: r.u64()?,
            state: r.u32()?,
        },
        2 => Note::DataUpdate {
            lobby: r.u64()?,
            member: r.u64()?,
            success: r.u8()? != 0,
        },
        3 => Note::ChatMsg {
            lobby: r.u64()?,
            sender: r.u64()?,
            body: r.bytes()?,
        },
        4 => Note::Invite {
            inviter: r.u64()?,
            lobby: r.u64()?,
            game: r.u64()?,
        },
        5 => Note::GameCreated {
            lobby: r.u64()?,
            server: r.server()?,
        },
        _ => return None,
    };
    r.0.is_empty().then_some(note)
}

/// Held while a process changes lobbies: the lock ends when it drops.
pub(crate) struct LobbyLock {
    _file: File,
}

impl Double {
    fn lobby_dir(&self) -> PathBuf {
        self.dir.join("lobbies")
    }

    fn lobby_file(&self, id: u64) -> PathBuf {
        self.lobby_dir().join(format!("{id}.lobby"))
    }

    /// Takes the lock every process holds while it reads, changes and
    /// writes back lobbies (and tells members), so two changes never
    /// interleave. `None` if the directory cannot be used.
    pub(crate) fn lock_lobbies(&self) -> Option<LobbyLock> {
        fs::create_dir_all(self.lobby_dir()).ok()?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.lobby_dir().join("lock"))
            .ok()?;
        file.lock().ok()?;
        Some(LobbyLock { _file: file })
    }

    /// A new lobby id, under the lock. Ids of stored lobbies are skipped,
    /// should the counter file have been lost.
    pub(crate) fn next_lobby_id(&self, _lock: &LobbyLock) -> Option<u64> {
        let path = self.lobby_dir().join("next");
        let mut account: u32 = fs::read_to_string(&path)
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(1);
        while self.lobby_file(lobby_id(account)).exists() {
            account = account.checked_add(1)?;
        }
        fs::write(&path, (account.checked_add(1)?).to_string()).ok()?;
        Some(lobby_id(account))
    }

    /// The lobby as stored now (a reader without the lock sees the whole
    /// old file or the whole new one).
    pub(crate) fn load_lobby(&self, id: u64) -> Option<Lobby> {
        decode_lobby(&fs::read(self.lobby_file(id)).ok()?)
    }

    /// Every stored lobby.
    pub(crate) fn all_lobbies(&self) -> Vec<Lobby> {
        let Ok(entries) = fs::read_dir(self.lobby_dir()) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "lobby"))
            .filter_map(|p| decode_lobby(&fs::read(p).ok()?))
            .collect()
    }

    /// Stores a lobby, under the lock: written aside, then renamed over.
    pub(crate) fn store_lobby(&self, _lock: &LobbyLock, lobby: &Lobby) -> bool {
        let path = self.lobby_file(lobby.id);
        let tmp = path.with_extension(format!("{}.tmp", self.me));
        fs::write(&tmp, encode_lobby(lobby)).is_ok() && fs::rename(&tmp, &path).is_ok()
    }

    /// Removes a lobby that has no members left, under the lock.
    pub(crate) fn remove_lobby(&self, _lock: &LobbyLock, id: u64) {
        let _ = fs::remove_file(self.lobby_file(id));
    }

    /// Tells each of `to` (us too, if listed) `note`, in their inboxes, in
    /// order with everything else we send them.
    pub(crate) fn tell(&mut self, to: &[u64], note: &Note) {
        let bytes = encode_note(note);
        for id in to {
            self.write_note(*id, &bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{A, B};

    #[test]
    fn lobbies_and_notes_round_trip() {
        let mut l = Lobby::create(lobby_id(3), 480, 2, 4, A).unwrap();
        assert_eq!(decode_lobby(&encode_lobby(&l)), Some(l.clone()));
        l.enter(B);
        l.set_data(A, b"mode", b"ctf");
        l.set_member_data(B, b"team", &[0xff, 0]);
        l.set_server(
            A,
            Server {
                ip: 1,
                port: 2,
                id: 3,
            },
        );
        let bytes = encode_lobby(&l);
        assert_eq!(decode_lobby(&bytes), Some(l));
        assert_eq!(decode_lobby(&bytes[..bytes.len() - 1]), None, "cut short");
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode_lobby(&longer), None, "trailing bytes");
        let mut huge = bytes[..26].to_vec();
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode_lobby(&huge), None, "a count past the end");

        let notes = [
            Note::ChatUpdate {
                lobby: 1,
                changed: A,
                making_change: B,
                state: 2,
            },
            Note::DataUpdate {
                lobby: 1,
                member: A,
                success: true,
            },
            Note::ChatMsg {
                lobby: 1,
                sender: B,
                body: b"hi".to_vec(),
            },
            Note::Invite {
                inviter: A,
                lobby: 1,
                game: 480,
            },
            Note::GameCreated {
                lobby: 1,
                server: Server {
                    ip: 0x7F00_0001,
                    port: 27015,
                    id: 0,
                },
            },
        ];
        for note in notes {
            assert_eq!(decode_note(&encode_note(&note)), Some(note));
        }
        assert_eq!(decode_note(&[9]), None);
        assert_eq!(decode_note(&[]), None);
    }
}
