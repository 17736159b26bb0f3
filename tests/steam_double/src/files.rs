//! The shared directory: the packet and close-notice file format, our
//! inbox, the `.seq`, `.up`, `.gone`, `.join_request`, `.calls` and
//! `.name` files, and the `apps/<app>` install path (described in the crate
//! doc).

use std::collections::HashMap;
use std::ffi::CString;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::Double;
use crate::lobby_files::decode_note;
use crate::settings::{Settings, c_string};
use crate::table::{Callback, Packet};

/// The inbox file extensions of packets (and close notices) and of lobby
/// notes.
const PACKET: &str = "pkt";
const NOTE: &str = "note";
/// The channel field of a close notice (with an empty payload).
const CLOSE_CHANNEL: i32 = -1;
/// Sender SteamID64 (8 bytes) and channel (4 bytes) before the payload.
const HEADER: usize = 12;

/// What one inbox file holds.
pub(crate) enum Message {
    Packet(Packet),
    /// The sender closed its session with us.
    Close {
        from: u64,
    },
}

pub(crate) fn encode_packet(from: u64, channel: i32, payload: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER + payload.len());
    bytes.extend_from_slice(&from.to_le_bytes());
    bytes.extend_from_slice(&channel.to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

pub(crate) fn encode_close(from: u64) -> Vec<u8> {
    encode_packet(from, CLOSE_CHANNEL, &[])
}

pub(crate) fn decode(bytes: &[u8]) -> Option<Message> {
    if bytes.len() < HEADER {
        return None;
    }
    let from = u64::from_le_bytes(bytes[0..8].try_into().ok()?);
    let channel = i32::from_le_bytes(bytes[8..12].try_into().ok()?);
    if channel == CLOSE_CHANNEL && bytes.len() == HEADER {
        return Some(Message::Close { from });
    }
    Some(Message::Packet(Packet {
        from,
        channel,
        data: bytes[HEADER..].to_vec(),
    }))
}

impl Double {
    pub(crate) fn log_call(&self, line: std::fmt::Arguments) {
        let path = self.dir.join(format!("{}.calls", self.me));
        if let Ok(mut file) = fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = writeln!(file, "{line}");
        }
    }

    fn seq_file(dir: &Path, id: u64) -> PathBuf {
        dir.join(format!("{id}.seq"))
    }

    fn up_file(dir: &Path, id: u64) -> PathBuf {
        dir.join(format!("{id}.up"))
    }

    fn gone_file(dir: &Path, id: u64) -> PathBuf {
        dir.join(format!("{id}.gone"))
    }

    fn join_request_file(dir: &Path, id: u64) -> PathBuf {
        dir.join(format!("{id}.join_request"))
    }

    pub(crate) fn inbox(dir: &Path, id: u64) -> PathBuf {
        dir.join(id.to_string())
    }

    pub(crate) fn name_file(dir: &Path, id: u64) -> PathBuf {
        dir.join(format!("{id}.name"))
    }

    /// `id`'s persona name from its `.name` file, if there is one.
    pub(crate) fn read_name(&self, id: u64) -> Option<CString> {
        let bytes = fs::read(Self::name_file(&self.dir, id)).ok()?;
        Some(name_from_file(&String::from_utf8_lossy(&bytes)))
    }

    /// Where the running app is "installed" (nothing is created there).
    pub(crate) fn app_install_dir(&self, app: u32) -> PathBuf {
        self.dir.join("apps").join(app.to_string())
    }

    /// Whether `id`'s process has initialized the double, has not shut
    /// down, and is not marked gone.
    pub(crate) fn is_up(&self, id: u64) -> bool {
        Self::up_file(&self.dir, id).exists() && !Self::gone_file(&self.dir, id).exists()
    }

    /// Writes one message into `remote`'s inbox under our next number.
    pub(crate) fn write_message(&mut self, remote: u64, bytes: &[u8]) -> bool {
        self.write_inbox(remote, bytes, PACKET)
    }

    /// Writes one lobby note (lobby_files.rs) into `remote`'s inbox, in
    /// the same numbering as our packets.
    pub(crate) fn write_note(&mut self, remote: u64, bytes: &[u8]) -> bool {
        self.write_inbox(remote, bytes, NOTE)
    }

    fn write_inbox(&mut self, remote: u64, bytes: &[u8], extension: &str) -> bool {
        let inbox = Self::inbox(&self.dir, remote);
        if fs::create_dir_all(&inbox).is_err() {
            return false;
        }
        let seq = self.next_seq.entry(remote).or_insert(0);
        let name = format!("{}-{:020}", self.me, *seq);
        *seq += 1;
        let tmp = inbox.join(format!("{name}.tmp"));
        fs::write(&tmp, bytes).is_ok()
            && fs::rename(&tmp, inbox.join(format!("{name}.{extension}"))).is_ok()
    }

    /// Closes the session with `remote` and, if there was one, tells it.
    pub(crate) fn close_session(&mut self, remote: u64) -> bool {
        if !self.table.close_session(remote) {
            return false;
        }
        self.write_message(remote, &encode_close(self.me));
        true
    }

    /// The packet calls' look at the inbox: at each call, or at most once
    /// per `STEAM_DOUBLE_SCAN_US`.
    pub(crate) fn receive_for_call(&mut self) {
        if let Some(every) = self.settings.scan_every {
            let now = Instant::now();
            if self
                .last_scan
                .is_some_and(|at| now.duration_since(at) < every)
            {
                return;
            }
            self.last_scan = Some(now);
        }
        self.receive();
    }

    /// Moves messages from the inbox directory into the table (packets) and
    /// the callback queue (lobby notes), in each sender's order.
    pub(crate) fn receive(&mut self) {
        let Ok(entries) = fs::read_dir(Self::inbox(&self.dir, self.me)) else {
            return;
        };
        let mut names: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == PACKET || x == NOTE))
            .collect();
        // Names are <sender>-<zero-padded seq>: sorting keeps each sender's order.
        names.sort();
        let now = Instant::now();
        let mut stalled = std::collections::HashSet::new();
        for path in names {
            let Some((sender, seq)) = path
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.split_once('-'))
                .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)))
            else {
                continue;
            };
            let expected = self.expected_seq.entry(sender).or_insert(0);
            if stalled.contains(&sender) || seq != *expected {
                // An earlier message is not visible yet: take this one later.
                stalled.insert(sender);
                continue;
            }
            *expected += 1;
            let Ok(bytes) = fs::read(&path) else { continue };
            let _ = fs::remove_file(&path);
            if path.extension().is_some_and(|x| x == NOTE) {
                if let Some(note) = decode_note(&bytes) {
                    self.on_note(note);
                }
                continue;
            }
            match decode(&bytes) {
                Some(Message::Packet(packet)) => self.table.on_packet(now, packet),
                Some(Message::Close { from }) => self.table.on_close_notice(from),
                None => {}
            }
        }
    }

    /// Ends sessions with peers marked gone.
    pub(crate) fn check_gone(&mut self) {
        let gone: Vec<(u64, u8)> = self
            .table
            .sessions
            .keys()
            .filter_map(|id| {
                let text = fs::read_to_string(Self::gone_file(&self.dir, *id)).ok()?;
                Some((*id, text.trim().parse().unwrap_or(4)))
            })
            .collect();
        for (id, error) in gone {
            self.table.peer_gone(id, error);
        }
    }

    /// Takes our `.join_request` file, if a test wrote one: it goes, and
    /// (unless malformed) queues one `GameLobbyJoinRequested_t`.
    pub(crate) fn check_join_request(&mut self) {
        let path = Self::join_request_file(&self.dir, self.me);
        // Bytes, not a String: a file that is not UTF-8 is malformed, and
        // must go too.
        let Ok(bytes) = fs::read(&path) else {
            return;
        };
        let _ = fs::remove_file(&path);
        if let Some((lobby, friend)) = parse_join_request(&String::from_utf8_lossy(&bytes)) {
            self.table
                .callbacks
                .push_back(Callback::join_request(lobby, friend));
        }
    }
}

/// A `.join_request` file's text: exactly two decimal u64 (the lobby id,
/// then the friend's SteamID64) separated by whitespace, which may also lead
/// and trail.
pub(crate) fn parse_join_request(text: &str) -> Option<(u64, u64)> {
    let mut words = text.split_whitespace();
    let lobby = words.next()?.parse().ok()?;
    let friend = words.next()?.parse().ok()?;
    words.next().is_none().then_some((lobby, friend))
}

/// A `.name` file's text as a persona name: without one trailing line end
/// (tests may write the file with `echo`), cut at a NUL.
pub(crate) fn name_from_file(text: &str) -> CString {
    let text = text.strip_suffix('\n').unwrap_or(text);
    c_string(text.strip_suffix('\r').unwrap_or(text))
}

/// `SteamAPI_InitFlat`'s work: reads the environment and our saved `.seq`,
/// creates our inbox, writes our `.name` and, last, our `.up` marker.
pub(crate) fn read_config() -> Result<Double, (i32, String)> {
    let result: i32 = std::env::var("STEAM_DOUBLE_INIT_RESULT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if (1..=3).contains(&result) {
        let msg = std::env::var("STEAM_DOUBLE_INIT_MESSAGE")
            .unwrap_or_else(|_| "init failed on request".into());
        return Err((result, msg));
    }
    let dir = std::env::var("STEAM_DOUBLE_DIR")
        .map_err(|_| (1, "STEAM_DOUBLE_DIR is not set".to_string()))?;
    let me = std::env::var("STEAM_DOUBLE_STEAM_ID")
        .ok()
        .and_then(|v| v.parse().ok())
        .ok_or((1, "STEAM_DOUBLE_STEAM_ID is not a SteamID64".to_string()))?;
    let dir = PathBuf::from(dir);
    fs::create_dir_all(Double::inbox(&dir, me))
        .map_err(|e| (1, format!("cannot create the inbox: {e}")))?;
    // Receivers expect each sender's numbering to go on across a restart.
    let saved = fs::read_to_string(Double::seq_file(&dir, me)).unwrap_or_default();
    let (mut next_seq, mut expected_seq) = (HashMap::new(), HashMap::new());
    for line in saved.lines() {
        let mut words = line.split(' ');
        let (Some(way), Some(Ok(peer)), Some(Ok(seq))) = (
            words.next(),
            words.next().map(str::parse::<u64>),
            words.next().map(str::parse::<u64>),
        ) else {
            continue;
        };
        match way {
            "to" => next_seq.insert(peer, seq),
            "from" => expected_seq.insert(peer, seq),
            _ => None,
        };
    }
    let settings = Settings::read(me, |name| std::env::var(name).ok());
    // Kept at shutdown: Steam remembers names of users who went offline.
    fs::write(
        Double::name_file(&dir, me),
        settings.persona_name.as_bytes(),
    )
    .map_err(|e| (1, format!("cannot write the name file: {e}")))?;
    // Last, so only a successful init marks us up.
    fs::write(Double::up_file(&dir, me), "")
        .map_err(|e| (1, format!("cannot write the up marker: {e}")))?;
    Ok(Double::new(me, dir, next_seq, expected_seq, settings))
}

impl Double {
    /// `SteamAPI_Shutdown`: leaves our lobbies (Steam does when a client
    /// goes), saves our message numbers in `.seq` (after the leave notes
    /// took theirs), for the next init, and removes our `.up` marker.
    pub(crate) fn shut_down(mut self) {
        self.leave_all_lobbies();
        let mut saved = String::new();
        for (peer, seq) in &self.next_seq {
            saved += &format!("to {peer} {seq}\n");
        }
        for (peer, seq) in &self.expected_seq {
            saved += &format!("from {peer} {seq}\n");
        }
        let _ = fs::write(Self::seq_file(&self.dir, self.me), saved);
        let _ = fs::remove_file(Self::up_file(&self.dir, self.me));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{A, B};

    #[test]
    fn wire_round_trip_and_close_notice() {
        let Some(Message::Packet(p)) = decode(&encode_packet(A, 3, b"hi")) else {
            panic!("not a packet");
        };
        assert_eq!((p.from, p.channel, p.data.as_slice()), (A, 3, &b"hi"[..]));
        assert!(matches!(
            decode(&encode_close(B)),
            Some(Message::Close { from: B })
        ));
        // A payload on channel -1 is a packet, not a notice.
        assert!(matches!(
            decode(&encode_packet(A, -1, b"x")),
            Some(Message::Packet(_))
        ));
        assert!(decode(&[0; 11]).is_none());
    }

    #[test]
    fn join_request_files_hold_a_lobby_and_a_friend() {
        let lobby = 109775241058543776;
        assert_eq!(
            parse_join_request(&format!("{lobby} {B}")),
            Some((lobby, B))
        );
        assert_eq!(
            parse_join_request(&format!("  {lobby}\n\t{B}\r\n")),
            Some((lobby, B)),
            "any whitespace, a line end from echo"
        );
        assert_eq!(parse_join_request("0 0"), Some((0, 0)));
        assert_eq!(
            parse_join_request(&format!("{} 1", u64::MAX)),
            Some((u64::MAX, 1))
        );
        for bad in [
            "",
            "\n",
            "12",
            "12 ",
            "12 34 56",
            "12,34",
            "12 x",
            "-1 2",
            "1 2x",
            "18446744073709551616 1",
            "0x10 1",
        ] {
            assert_eq!(parse_join_request(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn name_files_lose_one_line_end() {
        assert_eq!(name_from_file("Bob\n").to_str().unwrap(), "Bob");
        assert_eq!(name_from_file("Bob\r\n").to_str().unwrap(), "Bob");
        assert_eq!(name_from_file("Bob\n\n").to_str().unwrap(), "Bob\n");
        assert_eq!(name_from_file("Bo\0b").to_str().unwrap(), "Bo");
        assert_eq!(name_from_file("").to_str().unwrap(), "");
    }
}
