//! The bytes of lobby traffic. Link messages (inside `link.rs`'s numbered
//! datagrams) carry lobby changes between members and the owner; queries
//! and answers (plain datagrams) find lobbies. Integers are little-endian,
//! strings `[u16 length][UTF-8]`. Decoding checks every length and value:
//! a peer's bytes are never trusted.

use bytes::{Buf, BufMut};

use crate::p2p::SteamId;
use crate::p2p::lobby::{LobbyType, MAX_CHAT_BYTES, MAX_KEY_BYTES, MAX_VALUE_BYTES};

use super::super::wire::{MAX_LOBBY_PAYLOAD, MAX_NAME};

/// Datagram type: "which lobbies do you have?" (after the link types).
pub const QUERY: u8 = 3;
/// Datagram type: one lobby, answering a query.
pub const ANSWER: u8 = 4;
/// Datagram type: the last answer to a query, with the count sent.
pub const DONE: u8 = 5;

/// One lobby as a list or data query sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The lobby.
    pub lobby: u64,
    /// Its owner.
    pub owner: SteamId,
    /// Its type.
    pub lobby_type: LobbyType,
    /// Whether it takes new members.
    pub joinable: bool,
    /// Members now.
    pub members: u32,
    /// Its member limit.
    pub limit: u32,
    /// Its data.
    pub data: Vec<(String, String)>,
}

/// A lobby change or request, carried reliably and in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Member to owner: let me in.
    Join {
        /// The lobby.
        lobby: u64,
        /// The joiner's app id (lobbies are per app).
        app_id: u32,
        /// The joiner's persona name.
        name: String,
    },
    /// Member to owner: I leave.
    Leave {
        /// The lobby.
        lobby: u64,
    },
    /// Member to owner: set my member data.
    SetMemberData {
        /// The lobby.
        lobby: u64,
        /// The key.
        key: String,
        /// The value.
        value: String,
    },
    /// Member to owner: pass on this chat line.
    Chat {
        /// The lobby.
        lobby: u64,
        /// The message bytes.
        body: Vec<u8>,
    },
    /// Member to its new owner: the old owner is gone (or handed over),
    /// send me the lobby again.
    Rejoin {
        /// The lobby.
        lobby: u64,
        /// The owner the member saw go (0: a handover).
        gone_owner: u64,
    },
    /// Anyone to anyone: come to this lobby.
    Invite {
        /// The lobby.
        lobby: u64,
        /// The inviter's app id.
        app_id: u32,
    },
    /// Owner to joiner: not let in (a `CHAT_ROOM_ENTER_RESPONSE_*`).
    Refused {
        /// The lobby.
        lobby: u64,
        /// The response.
        response: u8,
    },
    /// Owner to member: the whole lobby follows, up to `Welcome`.
    Begin {
        /// The lobby.
        lobby: u64,
    },
    /// Owner to members: who owns it and how it is set.
    Settings {
        /// The lobby.
        lobby: u64,
        /// The owner.
        owner: SteamId,
        /// Its type.
        lobby_type: LobbyType,
        /// Whether it takes new members.
        joinable: bool,
        /// Its member limit.
        limit: u32,
    },
    /// Owner to members: a member (new, or in a snapshot).
    Member {
        /// The lobby.
        lobby: u64,
        /// Who.
        id: SteamId,
        /// Their persona name.
        name: String,
    },
    /// Owner to members: a member is no longer in the lobby.
    Gone {
        /// The lobby.
        lobby: u64,
        /// Who.
        id: SteamId,
        /// Why (`CHAT_MEMBER_STATE_CHANGE_*`).
        state: u32,
    },
    /// Owner to members: lobby data set (`Some`) or deleted (`None`).
    Data {
        /// The lobby.
        lobby: u64,
        /// The key.
        key: String,
        /// The value, or none when deleted.
        value: Option<String>,
    },
    /// Owner to members: a member's data.
    MemberData {
        /// The lobby.
        lobby: u64,
        /// Whose.
        id: SteamId,
        /// The key.
        key: String,
        /// The value.
        value: String,
    },
    /// Owner to members: a chat line.
    ChatLine {
        /// The lobby.
        lobby: u64,
        /// Who said it.
        from: SteamId,
        /// The message bytes.
        body: Vec<u8>,
    },
    /// Owner to members: the lobby's game server.
    Server {
        /// The lobby.
        lobby: u64,
        /// Host-order IPv4.
        ip: u32,
        /// Its port.
        port: u16,
        /// Its Steam ID, or 0.
        server: u64,
    },
    /// Owner to member: the snapshot is complete.
    Welcome {
        /// The lobby.
        lobby: u64,
    },
    /// Either way: still here (keeps acknowledgements flowing).
    Keepalive,
}

mod kind {
    pub const JOIN: u8 = 1;
    pub const LEAVE: u8 = 2;
    pub const SET_MEMBER_DATA: u8 = 3;
    pub const CHAT: u8 = 4;
    pub const REJOIN: u8 = 5;
    pub const INVITE: u8 = 6;
    pub const REFUSED: u8 = 7;
    pub const BEGIN: u8 = 8;
    pub const SETTINGS: u8 = 9;
    pub const MEMBER: u8 = 10;
    pub const GONE: u8 = 11;
    pub const DATA: u8 = 12;
    pub const MEMBER_DATA: u8 = 13;
    pub const CHAT_LINE: u8 = 14;
    pub const SERVER: u8 = 15;
    pub const WELCOME: u8 = 16;
    pub const KEEPALIVE: u8 = 17;
}

/// Why lobby bytes were dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed(pub &'static str);

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn need(&self, n: usize) -> Result<(), Malformed> {
        if self.0.remaining() < n {
            Err(Malformed("truncated"))
        } else {
            Ok(())
        }
    }
    fn u8(&mut self) -> Result<u8, Malformed> {
        self.need(1)?;
        Ok(self.0.get_u8())
    }
    fn u16(&mut self) -> Result<u16, Malformed> {
        self.need(2)?;
        Ok(self.0.get_u16_le())
    }
    fn u32(&mut self) -> Result<u32, Malformed> {
        self.need(4)?;
        Ok(self.0.get_u32_le())
    }
    fn u64(&mut self) -> Result<u64, Malformed> {
        self.need(8)?;
        Ok(self.0.get_u64_le())
    }
    fn id(&mut self) -> Result<SteamId, Malformed> {
        SteamId::from_u64(self.u64()?).ok_or(Malformed("invalid Steam ID"))
    }
    fn bytes(&mut self, max: usize) -> Result<&'a [u8], Malformed> {
        let len = usize::from(self.u16()?);
        if len > max {
            return Err(Malformed("oversized field"));
        }
        self.need(len)?;
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Ok(head)
    }
    fn text(&mut self, max: usize) -> Result<String, Malformed> {
        let bytes = self.bytes(max)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| Malformed("text that is not UTF-8"))
    }
    fn key(&mut self) -> Result<String, Malformed> {
        let key = self.text(MAX_KEY_BYTES)?;
        if key.is_empty() {
            return Err(Malformed("empty key"));
        }
        Ok(key)
    }
    fn lobby_type(&mut self) -> Result<LobbyType, Malformed> {
        LobbyType::from_raw(self.u8()?).ok_or(Malformed("unknown lobby type"))
    }
    fn limit(&mut self) -> Result<u32, Malformed> {
        crate::p2p::lobby::check_member_limit(i64::from(self.u32()?))
            .map_err(|_| Malformed("member limit out of range"))
    }
    fn end(&self) -> Result<(), Malformed> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Malformed("trailing bytes"))
        }
    }
}

fn put_text(out: &mut Vec<u8>, text: &[u8]) {
    // Every caller's text is within its limit, all far below u16::MAX.
    out.put_u16_le(text.len() as u16);
    out.put_slice(text);
}

impl Message {
    /// The lobby it is about (0 for keepalives).
    pub fn lobby(&self) -> u64 {
        match self {
            Self::Join { lobby, .. }
            | Self::Leave { lobby }
            | Self::SetMemberData { lobby, .. }
            | Self::Chat { lobby, .. }
            | Self::Rejoin { lobby, .. }
            | Self::Invite { lobby, .. }
            | Self::Refused { lobby, .. }
            | Self::Begin { lobby }
            | Self::Settings { lobby, .. }
            | Self::Member { lobby, .. }
            | Self::Gone { lobby, .. }
            | Self::Data { lobby, .. }
            | Self::MemberData { lobby, .. }
            | Self::ChatLine { lobby, .. }
            | Self::Server { lobby, .. }
            | Self::Welcome { lobby } => *lobby,
            Self::Keepalive => 0,
        }
    }

    /// The message's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32);
        let mut head = |k: u8, lobby: u64| {
            out.put_u8(k);
            out.put_u64_le(lobby);
        };
        match self {
            Self::Join {
                lobby,
                app_id,
                name,
            } => {
                head(kind::JOIN, *lobby);
                out.put_u32_le(*app_id);
                put_text(&mut out, name.as_bytes());
            }
            Self::Leave { lobby } => head(kind::LEAVE, *lobby),
            Self::SetMemberData { lobby, key, value } => {
                head(kind::SET_MEMBER_DATA, *lobby);
                put_text(&mut out, key.as_bytes());
                put_text(&mut out, value.as_bytes());
            }
            Self::Chat { lobby, body } => {
                head(kind::CHAT, *lobby);
                put_text(&mut out, body);
            }
            Self::Rejoin { lobby, gone_owner } => {
                head(kind::REJOIN, *lobby);
                out.put_u64_le(*gone_owner);
            }
            Self::Invite { lobby, app_id } => {
                head(kind::INVITE, *lobby);
                out.put_u32_le(*app_id);
            }
            Self::Refused { lobby, response } => {
                head(kind::REFUSED, *lobby);
                out.put_u8(*response);
            }
            Self::Begin { lobby } => head(kind::BEGIN, *lobby),
            Self::Settings {
                lobby,
                owner,
                lobby_type,
                joinable,
                limit,
            } => {
                head(kind::SETTINGS, *lobby);
                out.put_u64_le(owner.raw());
                out.put_u8(*lobby_type as u8);
                out.put_u8(u8::from(*joinable));
                out.put_u32_le(*limit);
            }
            Self::Member { lobby, id, name } => {
                head(kind::MEMBER, *lobby);
                out.put_u64_le(id.raw());
                put_text(&mut out, name.as_bytes());
            }
            Self::Gone { lobby, id, state } => {
                head(kind::GONE, *lobby);
                out.put_u64_le(id.raw());
                out.put_u32_le(*state);
            }
            Self::Data { lobby, key, value } => {
                head(kind::DATA, *lobby);
                put_text(&mut out, key.as_bytes());
                match value {
                    Some(v) => {
                        out.put_u8(1);
                        put_text(&mut out, v.as_bytes());
                    }
                    None => out.put_u8(0),
                }
            }
            Self::MemberData {
                lobby,
                id,
                key,
                value,
            } => {
                head(kind::MEMBER_DATA, *lobby);
                out.put_u64_le(id.raw());
                put_text(&mut out, key.as_bytes());
                put_text(&mut out, value.as_bytes());
            }
            Self::ChatLine { lobby, from, body } => {
                head(kind::CHAT_LINE, *lobby);
                out.put_u64_le(from.raw());
                put_text(&mut out, body);
            }
            Self::Server {
                lobby,
                ip,
                port,
                server,
            } => {
                head(kind::SERVER, *lobby);
                out.put_u32_le(*ip);
                out.put_u16_le(*port);
                out.put_u64_le(*server);
            }
            Self::Welcome { lobby } => head(kind::WELCOME, *lobby),
            Self::Keepalive => head(kind::KEEPALIVE, 0),
        }
        out
    }

    /// Reads a message, checking every field.
    pub fn decode(bytes: &[u8]) -> Result<Self, Malformed> {
        let mut r = Reader(bytes);
        let k = r.u8()?;
        let lobby = r.u64()?;
        let message = match k {
            kind::JOIN => Self::Join {
                lobby,
                app_id: r.u32()?,
                name: r.text(MAX_NAME)?,
            },
            kind::LEAVE => Self::Leave { lobby },
            kind::SET_MEMBER_DATA => Self::SetMemberData {
                lobby,
                key: r.key()?,
                value: r.text(MAX_VALUE_BYTES)?,
            },
            kind::CHAT => Self::Chat {
                lobby,
                body: r.bytes(MAX_CHAT_BYTES)?.to_vec(),
            },
            kind::REJOIN => Self::Rejoin {
                lobby,
                gone_owner: r.u64()?,
            },
            kind::INVITE => Self::Invite {
                lobby,
                app_id: r.u32()?,
            },
            kind::REFUSED => Self::Refused {
                lobby,
                response: r.u8()?,
            },
            kind::BEGIN => Self::Begin { lobby },
            kind::SETTINGS => Self::Settings {
                lobby,
                owner: r.id()?,
                lobby_type: r.lobby_type()?,
                joinable: r.u8()? != 0,
                limit: r.limit()?,
            },
            kind::MEMBER => Self::Member {
                lobby,
                id: r.id()?,
                name: r.text(MAX_NAME)?,
            },
            kind::GONE => Self::Gone {
                lobby,
                id: r.id()?,
                state: r.u32()?,
            },
            kind::DATA => {
                let key = r.key()?;
                let value = match r.u8()? {
                    0 => None,
                    _ => Some(r.text(MAX_VALUE_BYTES)?),
                };
                Self::Data { lobby, key, value }
            }
            kind::MEMBER_DATA => Self::MemberData {
                lobby,
                id: r.id()?,
                key: r.key()?,
                value: r.text(MAX_VALUE_BYTES)?,
            },
            kind::CHAT_LINE => Self::ChatLine {
                lobby,
                from: r.id()?,
                body: r.bytes(MAX_CHAT_BYTES)?.to_vec(),
            },
            kind::SERVER => Self::Server {
                lobby,
                ip: r.u32()?,
                port: r.u16()?,
                server: r.u64()?,
            },
            kind::WELCOME => Self::Welcome { lobby },
            kind::KEEPALIVE => Self::Keepalive,
            _ => return Err(Malformed("unknown message kind")),
        };
        r.end()?;
        Ok(message)
    }
}

/// A query datagram: lobbies of `app_id`, or (`lobby` non-zero) that one.
pub fn encode_query(query: u64, app_id: u32, lobby: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(21);
    out.put_u8(QUERY);
    out.put_u64_le(query);
    out.put_u32_le(app_id);
    out.put_u64_le(lobby);
    out
}

/// Reads a query (after its type byte): `(query, app_id, lobby)`.
pub fn decode_query(bytes: &[u8]) -> Result<(u64, u32, u64), Malformed> {
    let mut r = Reader(bytes);
    let query = (r.u64()?, r.u32()?, r.u64()?);
    r.end()?;
    Ok(query)
}

/// An answer datagram carrying one lobby; `None` if it would not fit a
/// datagram (the local backend keeps lobby data small enough that it does).
pub fn encode_answer(query: u64, lobby: &Summary) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(64);
    out.put_u8(ANSWER);
    out.put_u64_le(query);
    out.put_u64_le(lobby.lobby);
    out.put_u64_le(lobby.owner.raw());
    out.put_u8(lobby.lobby_type as u8);
    out.put_u8(u8::from(lobby.joinable));
    out.put_u32_le(lobby.members);
    out.put_u32_le(lobby.limit);
    out.put_u16_le(u16::try_from(lobby.data.len()).ok()?);
    for (key, value) in &lobby.data {
        put_text(&mut out, key.as_bytes());
        put_text(&mut out, value.as_bytes());
    }
    (out.len() <= MAX_LOBBY_PAYLOAD).then_some(out)
}

/// Reads an answer (after its type byte): `(query, lobby)`.
pub fn decode_answer(bytes: &[u8]) -> Result<(u64, Summary), Malformed> {
    let mut r = Reader(bytes);
    let query = r.u64()?;
    let lobby = r.u64()?;
    crate::p2p::ids::lobby_from_gdscript(lobby as i64).map_err(|_| Malformed("not a lobby id"))?;
    let owner = r.id()?;
    let lobby_type = r.lobby_type()?;
    let joinable = r.u8()? != 0;
    let members = r.u32()?;
    let limit = r.limit()?;
    let count = r.u16()?;
    let mut data = Vec::new();
    for _ in 0..count {
        data.push((r.key()?, r.text(MAX_VALUE_BYTES)?));
    }
    r.end()?;
    Ok((
        query,
        Summary {
            lobby,
            owner,
            lobby_type,
            joinable,
            members: members.min(limit),
            limit,
            data,
        },
    ))
}

/// The datagram that ends a query's answers: how many were sent.
pub fn encode_done(query: u64, count: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(13);
    out.put_u8(DONE);
    out.put_u64_le(query);
    out.put_u32_le(count);
    out
}

/// Reads a done datagram (after its type byte): `(query, count)`.
pub fn decode_done(bytes: &[u8]) -> Result<(u64, u32), Malformed> {
    let mut r = Reader(bytes);
    let done = (r.u64()?, r.u32()?);
    r.end()?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::local::config::LocalConfig;

    #[test]
    fn every_message_reads_back_and_damage_is_refused() {
        let id = LocalConfig::steam_id(3);
        let messages = vec![
            Message::Join {
                lobby: 7,
                app_id: 480,
                name: "Zoë".into(),
            },
            Message::Leave { lobby: 7 },
            Message::SetMemberData {
                lobby: 7,
                key: "k".into(),
                value: "v".repeat(8192),
            },
            Message::Chat {
                lobby: 7,
                body: vec![b'x'; 4096],
            },
            Message::Rejoin {
                lobby: 7,
                gone_owner: id.raw(),
            },
            Message::Invite {
                lobby: 7,
                app_id: 480,
            },
            Message::Refused {
                lobby: 7,
                response: 4,
            },
            Message::Begin { lobby: 7 },
            Message::Settings {
                lobby: 7,
                owner: id,
                lobby_type: LobbyType::Public,
                joinable: true,
                limit: 250,
            },
            Message::Member {
                lobby: 7,
                id,
                name: "n".into(),
            },
            Message::Gone {
                lobby: 7,
                id,
                state: 2,
            },
            Message::Data {
                lobby: 7,
                key: "k".into(),
                value: None,
            },
            Message::Data {
                lobby: 7,
                key: "k".into(),
                value: Some(String::new()),
            },
            Message::MemberData {
                lobby: 7,
                id,
                key: "k".into(),
                value: "v".into(),
            },
            Message::ChatLine {
                lobby: 7,
                from: id,
                body: b"hi".to_vec(),
            },
            Message::Server {
                lobby: 7,
                ip: 1,
                port: 2,
                server: 3,
            },
            Message::Welcome { lobby: 7 },
            Message::Keepalive,
        ];
        for message in messages {
            let bytes = message.encode();
            assert_eq!(Message::decode(&bytes), Ok(message.clone()));
            for cut in 0..bytes.len() {
                assert!(
                    Message::decode(&bytes[..cut]).is_err(),
                    "{message:?} cut at {cut}"
                );
            }
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(Message::decode(&longer).is_err());
        }
        let mut oversized = Message::Chat {
            lobby: 7,
            body: vec![b'x'; 10],
        }
        .encode();
        oversized[9..11].copy_from_slice(&4097u16.to_le_bytes());
        oversized.resize(11 + 4097, b'x');
        assert_eq!(
            Message::decode(&oversized),
            Err(Malformed("oversized field"))
        );
        let bad_limit = Message::Settings {
            lobby: 7,
            owner: id,
            lobby_type: LobbyType::Public,
            joinable: true,
            limit: 251,
        }
        .encode();
        assert!(Message::decode(&bad_limit).is_err());
    }

    #[test]
    fn answers_read_back() {
        let lobby = (1u64 << 56) | (8 << 52) | (0x40000 << 32) | 99;
        let summary = Summary {
            lobby,
            owner: LocalConfig::steam_id(1),
            lobby_type: LobbyType::Invisible,
            joinable: false,
            members: 2,
            limit: 4,
            data: vec![("mode".into(), "ctf".into())],
        };
        let bytes = encode_answer(42, &summary).unwrap();
        assert_eq!(decode_answer(&bytes[1..]), Ok((42, summary.clone())));
        let user = Summary {
            lobby: LocalConfig::steam_id(1).raw(),
            ..summary
        };
        let bytes = encode_answer(42, &user).unwrap();
        assert!(decode_answer(&bytes[1..]).is_err(), "a user id is no lobby");
        assert_eq!(decode_query(&encode_query(1, 480, 0)[1..]), Ok((1, 480, 0)));
        assert_eq!(decode_done(&encode_done(1, 3)[1..]), Ok((1, 3)));
    }
}
