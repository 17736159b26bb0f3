//! A test double of Valve's `libsteam_api.so`: exports, under Valve's names
//! and C ABI, every `SteamAPI_*` symbol the extension imports, and behaves
//! like Steam's deprecated `ISteamNetworking` P2P interface between processes
//! that share one directory. Test fixture only: never shipped.
//!
//! Configuration (environment, read at `SteamAPI_InitFlat`):
//! - `STEAM_DOUBLE_DIR`: the shared directory (required).
//! - `STEAM_DOUBLE_STEAM_ID`: the local SteamID64.
//! - `STEAM_DOUBLE_INIT_RESULT` (0..=3) and `STEAM_DOUBLE_INIT_MESSAGE`:
//!   make init fail with that `ESteamAPIInitResult` and message.
//!
//! Files in the shared directory:
//! - `<id>/<sender>-<seq>.pkt`: a packet in `<id>`'s inbox (written to a
//!   temporary name, then renamed, so readers never see half a packet).
//! - `<id>.gone`: tells every peer of `<id>` that it is gone; the file holds
//!   the `EP2PSessionError` their `P2PSessionConnectFail_t` reports.
//! - `<id>.calls`: one line per networking call `<id>` made, for tests to assert.
//! - `<id>.seq`: `<id>`'s packet numbers (its next one, and the next one it
//!   expects from each sender), kept across a shutdown and init.

#![allow(non_snake_case)]

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::ffi::{c_char, c_int, c_void};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use steamworks_sys as sys;

/// What the double reports as the remote address of every session.
const LOOPBACK_IP: u32 = 0x7F00_0001;
const REMOTE_PORT: u16 = 27015;

struct Packet {
    from: u64,
    channel: i32,
    data: Vec<u8>,
}

#[derive(Default)]
struct Session {
    /// Channels used in either direction; closing the last ends the session.
    channels: BTreeSet<i32>,
    bytes_sent: i32,
    packets_sent: i32,
}

enum Callback {
    Request(Box<sys::P2PSessionRequest_t>),
    Fail(Box<sys::P2PSessionConnectFail_t>),
}

struct Double {
    me: u64,
    dir: PathBuf,
    next_seq: u64,
    /// Per sender, the sequence number of the next packet to take: a
    /// directory listing can show a later file before an earlier one.
    expected_seq: HashMap<u64, u64>,
    relay_allowed: bool,
    sessions: HashMap<u64, Session>,
    /// Packets from peers without a session, released on accept.
    held: Vec<Packet>,
    /// Packets ready to read, oldest first.
    ready: VecDeque<Packet>,
    callbacks: VecDeque<Callback>,
    /// The callback handed out by GetNextCallback, alive until FreeLastCallback.
    current: Option<Callback>,
}

static STATE: Mutex<Option<Double>> = Mutex::new(None);
/// A non-null address to hand out as interface pointers.
static INTERFACE: u8 = 0;

fn with<R>(fallback: R, f: impl FnOnce(&mut Double) -> R) -> R {
    let mut guard = STATE.lock().unwrap_or_else(|e| e.into_inner());
    guard.as_mut().map_or(fallback, f)
}

fn steam_id(raw: u64) -> sys::CSteamID {
    sys::CSteamID {
        m_steamid: sys::CSteamID_SteamID_t { m_unAll64Bits: raw },
    }
}

impl Double {
    fn log_call(&self, line: std::fmt::Arguments) {
        let path = self.dir.join(format!("{}.calls", self.me));
        if let Ok(mut file) = fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = writeln!(file, "{line}");
        }
    }

    fn seq_file(dir: &Path, id: u64) -> PathBuf {
        dir.join(format!("{id}.seq"))
    }

    fn inbox(dir: &Path, id: u64) -> PathBuf {
        dir.join(id.to_string())
    }

    /// Moves packets from the inbox directory into the queues.
    fn receive(&mut self) {
        let Ok(entries) = fs::read_dir(Self::inbox(&self.dir, self.me)) else {
            return;
        };
        let mut names: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pkt"))
            .collect();
        // Names are <sender>-<zero-padded seq>: sorting keeps each sender's order.
        names.sort();
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
                // An earlier packet is not visible yet: take this one later.
                stalled.insert(sender);
                continue;
            }
            *expected += 1;
            let Ok(bytes) = fs::read(&path) else { continue };
            let _ = fs::remove_file(&path);
            if bytes.len() < 12 {
                continue;
            }
            let from = u64::from_le_bytes(bytes[0..8].try_into().unwrap_or_default());
            let channel = i32::from_le_bytes(bytes[8..12].try_into().unwrap_or_default());
            let packet = Packet {
                from,
                channel,
                data: bytes[12..].to_vec(),
            };
            match self.sessions.get_mut(&from) {
                Some(session) => {
                    session.channels.insert(channel);
                    self.ready.push_back(packet);
                }
                None => {
                    // Steam repeats the request while the peer keeps sending.
                    self.callbacks.push_back(Callback::Request(Box::new(
                        sys::P2PSessionRequest_t {
                            m_steamIDRemote: steam_id(from),
                        },
                    )));
                    self.held.push(packet);
                }
            }
        }
    }

    /// Ends sessions with peers marked gone, posting their connect failure.
    fn check_gone(&mut self) {
        let gone: Vec<(u64, u8)> = self
            .sessions
            .keys()
            .filter_map(|id| {
                let text = fs::read_to_string(self.dir.join(format!("{id}.gone"))).ok()?;
                Some((*id, text.trim().parse().unwrap_or(4)))
            })
            .collect();
        for (id, error) in gone {
            self.sessions.remove(&id);
            self.callbacks
                .push_back(Callback::Fail(Box::new(sys::P2PSessionConnectFail_t {
                    m_steamIDRemote: steam_id(id),
                    m_eP2PSessionError: error,
                })));
        }
    }

    fn accept(&mut self, remote: u64) {
        let session = self.sessions.entry(remote).or_default();
        let (mine, others): (Vec<Packet>, Vec<Packet>) = std::mem::take(&mut self.held)
            .into_iter()
            .partition(|p| p.from == remote);
        for packet in &mine {
            session.channels.insert(packet.channel);
        }
        self.ready.extend(mine);
        self.held = others;
    }
}

fn read_config() -> Result<Double, (i32, String)> {
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
    let mut numbers = saved.lines().filter_map(|line| {
        let (key, value) = line.split_once(' ')?;
        Some((key.parse::<u64>().ok()?, value.parse::<u64>().ok()?))
    });
    // The first line is our own next number, the others each sender's next expected one.
    let next_seq = numbers.next().map_or(0, |(_, seq)| seq);
    let expected_seq = numbers.collect();
    Ok(Double {
        me,
        dir,
        next_seq,
        expected_seq,
        relay_allowed: true,
        sessions: HashMap::new(),
        held: Vec::new(),
        ready: VecDeque::new(),
        callbacks: VecDeque::new(),
        current: None,
    })
}

// ---- Lifecycle -------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_InitFlat(err: *mut sys::SteamErrMsg) -> c_int {
    match read_config() {
        Ok(double) => {
            *STATE.lock().unwrap_or_else(|e| e.into_inner()) = Some(double);
            0
        }
        Err((code, msg)) => {
            if !err.is_null() {
                let bytes = msg.as_bytes();
                let n = bytes.len().min(1023);
                // SAFETY: Valve's SteamErrMsg is a 1024-byte buffer.
                unsafe {
                    std::ptr::copy_nonoverlapping(bytes.as_ptr(), err.cast::<u8>(), n);
                    *err.cast::<u8>().add(n) = 0;
                }
            }
            code
        }
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_Shutdown() {
    if let Some(d) = STATE.lock().unwrap_or_else(|e| e.into_inner()).take() {
        let mut saved = format!("{} {}\n", d.me, d.next_seq);
        for (sender, seq) in &d.expected_seq {
            saved += &format!("{sender} {seq}\n");
        }
        let _ = fs::write(Double::seq_file(&d.dir, d.me), saved);
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_IsSteamRunning() -> bool {
    with(false, |_| true)
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_GetHSteamPipe() -> c_int {
    with(0, |_| 1)
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamGameServer_GetHSteamPipe() -> c_int {
    0
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamGameServer_Shutdown() {}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_SteamUser_v023() -> *const c_void {
    with(std::ptr::null(), |_| (&raw const INTERFACE).cast())
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_SteamNetworking_v006() -> *const c_void {
    with(std::ptr::null(), |_| (&raw const INTERFACE).cast())
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamUser_GetSteamID(_user: *mut c_void) -> u64 {
    with(0, |d| d.me)
}

// ---- Manual callback dispatch ---------------------------------------------

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ManualDispatch_Init() {}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ManualDispatch_RunFrame(_pipe: c_int) {
    with((), |d| {
        d.receive();
        d.check_gone();
    });
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ManualDispatch_GetNextCallback(
    _pipe: c_int,
    msg: *mut sys::CallbackMsg_t,
) -> bool {
    with(false, |d| {
        if d.current.is_some() || msg.is_null() {
            return false;
        }
        let Some(callback) = d.callbacks.pop_front() else {
            return false;
        };
        let (id, param, size) = match &callback {
            Callback::Request(cb) => (
                sys::P2PSessionRequest_t_k_iCallback as c_int,
                (&raw const **cb).cast::<u8>(),
                size_of::<sys::P2PSessionRequest_t>(),
            ),
            Callback::Fail(cb) => (
                sys::P2PSessionConnectFail_t_k_iCallback as c_int,
                (&raw const **cb).cast::<u8>(),
                size_of::<sys::P2PSessionConnectFail_t>(),
            ),
        };
        // SAFETY: the caller passes a valid CallbackMsg_t; the payload stays
        // alive in `current` until FreeLastCallback.
        unsafe {
            msg.write_unaligned(sys::CallbackMsg_t {
                m_hSteamUser: 1,
                m_iCallback: id,
                m_pubParam: param.cast_mut(),
                m_cubParam: size as c_int,
            });
        }
        d.current = Some(callback);
        true
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ManualDispatch_FreeLastCallback(_pipe: c_int) {
    with((), |d| d.current = None);
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ManualDispatch_GetAPICallResult(
    _pipe: c_int,
    _call: u64,
    _out: *mut c_void,
    _size: c_int,
    _expected: c_int,
    _failed: *mut bool,
) -> bool {
    false
}

// ---- ISteamNetworking (deprecated P2P) ------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamNetworking_SendP2PPacket(
    _net: *mut c_void,
    remote: u64,
    data: *const c_void,
    size: u32,
    send_type: c_int,
    channel: c_int,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!(
            "SendP2PPacket {remote} {size} {send_type} {channel}"
        ));
        if remote == 0 || data.is_null() || size == 0 {
            return false;
        }
        // SAFETY: Steam's contract: `data` points at `size` bytes.
        let payload = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), size as usize) };
        let inbox = Double::inbox(&d.dir, remote);
        if fs::create_dir_all(&inbox).is_err() {
            return false;
        }
        let name = format!("{}-{:020}", d.me, d.next_seq);
        d.next_seq += 1;
        let mut bytes = Vec::with_capacity(12 + payload.len());
        bytes.extend_from_slice(&d.me.to_le_bytes());
        bytes.extend_from_slice(&channel.to_le_bytes());
        bytes.extend_from_slice(payload);
        let tmp = inbox.join(format!("{name}.tmp"));
        if fs::write(&tmp, &bytes).is_err()
            || fs::rename(&tmp, inbox.join(format!("{name}.pkt"))).is_err()
        {
            return false;
        }
        // Sending accepts the session implicitly, as in Steam.
        d.accept(remote);
        let session = d.sessions.entry(remote).or_default();
        session.channels.insert(channel);
        session.bytes_sent += size as i32;
        session.packets_sent += 1;
        true
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamNetworking_IsP2PPacketAvailable(
    _net: *mut c_void,
    size: *mut u32,
    channel: c_int,
) -> bool {
    with(false, |d| {
        d.receive();
        let Some(packet) = d.ready.iter().find(|p| p.channel == channel) else {
            return false;
        };
        if !size.is_null() {
            // SAFETY: the caller passes a valid out pointer.
            unsafe { *size = packet.data.len() as u32 };
        }
        true
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamNetworking_ReadP2PPacket(
    _net: *mut c_void,
    dest: *mut c_void,
    dest_size: u32,
    msg_size: *mut u32,
    remote: *mut sys::CSteamID,
    channel: c_int,
) -> bool {
    with(false, |d| {
        d.receive();
        let Some(at) = d.ready.iter().position(|p| p.channel == channel) else {
            return false;
        };
        let Some(packet) = d.ready.remove(at) else {
            return false;
        };
        let n = packet.data.len().min(dest_size as usize);
        // SAFETY: Steam's contract: `dest` holds `dest_size` bytes; the out
        // pointers are valid. A longer packet is truncated and consumed.
        unsafe {
            if !dest.is_null() {
                std::ptr::copy_nonoverlapping(packet.data.as_ptr(), dest.cast::<u8>(), n);
            }
            if !msg_size.is_null() {
                // Reports the whole packet's size, so callers must not trust
                // it as the number of bytes copied.
                *msg_size = packet.data.len() as u32;
            }
            if !remote.is_null() {
                remote.write_unaligned(steam_id(packet.from));
            }
        }
        true
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworking_AcceptP2PSessionWithUser(
    _net: *mut c_void,
    remote: u64,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!("AcceptP2PSessionWithUser {remote}"));
        if remote == 0 {
            return false;
        }
        d.accept(remote);
        true
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworking_CloseP2PSessionWithUser(
    _net: *mut c_void,
    remote: u64,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!("CloseP2PSessionWithUser {remote}"));
        d.ready.retain(|p| p.from != remote);
        d.sessions.remove(&remote).is_some()
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworking_CloseP2PChannelWithUser(
    _net: *mut c_void,
    remote: u64,
    channel: c_int,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!("CloseP2PChannelWithUser {remote} {channel}"));
        let Some(session) = d.sessions.get_mut(&remote) else {
            return false;
        };
        if !session.channels.remove(&channel) {
            return false;
        }
        if session.channels.is_empty() {
            d.sessions.remove(&remote);
        }
        true
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn SteamAPI_ISteamNetworking_GetP2PSessionState(
    _net: *mut c_void,
    remote: u64,
    state: *mut sys::P2PSessionState_t,
) -> bool {
    with(false, |d| {
        let Some(session) = d.sessions.get(&remote) else {
            return false;
        };
        if state.is_null() {
            return false;
        }
        // Every field gets a distinct value so that a test can tell them
        // apart: the "queued" counts are the totals sent (nothing is ever
        // really queued here), and `using_relay` mirrors AllowP2PPacketRelay.
        // SAFETY: the caller passes a valid out pointer.
        unsafe {
            state.write(sys::P2PSessionState_t {
                m_bConnectionActive: 1,
                m_bConnecting: 0,
                m_eP2PSessionError: 0,
                m_bUsingRelay: d.relay_allowed as u8,
                m_nBytesQueuedForSend: session.bytes_sent,
                m_nPacketsQueuedForSend: session.packets_sent,
                m_nRemoteIP: LOOPBACK_IP,
                m_nRemotePort: REMOTE_PORT,
            });
        }
        true
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworking_AllowP2PPacketRelay(
    _net: *mut c_void,
    allow: bool,
) -> bool {
    with(false, |d| {
        d.log_call(format_args!("AllowP2PPacketRelay {allow}"));
        d.relay_allowed = allow;
        true
    })
}

// ---- Imported by steamworks for ISteamNetworkingSockets; never reached ----

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworkingSockets_CloseConnection(
    _sockets: *mut c_void,
    _conn: u32,
    _reason: c_int,
    _debug: *const c_char,
    _linger: bool,
) -> bool {
    false
}

#[unsafe(no_mangle)]
pub extern "C" fn SteamAPI_ISteamNetworkingSockets_CloseListenSocket(
    _sockets: *mut c_void,
    _socket: u32,
) -> bool {
    false
}
