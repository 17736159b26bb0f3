//! A test double of Valve's `libsteam_api.so`: exports, under Valve's names
//! and C ABI, every `SteamAPI_*` symbol the extension imports, and behaves
//! like Steam's deprecated `ISteamNetworking` P2P interface between processes
//! that share one directory. Test fixture only: never shipped.
//!
//! Configuration (environment, read at `SteamAPI_InitFlat`):
//! - `STEAM_DOUBLE_DIR`: the shared directory (required).
//! - `STEAM_DOUBLE_STEAM_ID`: the local SteamID64 (required).
//! - `STEAM_DOUBLE_INIT_RESULT` (0..=3) and `STEAM_DOUBLE_INIT_MESSAGE`:
//!   make init fail with that `ESteamAPIInitResult` and message.
//!
//! Files in the shared directory:
//! - `<id>/<sender>-<seq>.pkt`: a message in `<id>`'s inbox (written to a
//!   temporary name, then renamed, so readers never see half of one). It
//!   holds the sender's SteamID64 (u64 LE), a channel (i32 LE) and the
//!   payload. Channel -1 with an empty payload is a close notice: the sender
//!   closed its session with `<id>` (SendP2PPacket refuses empty payloads, so
//!   no packet looks like one). Each sender numbers its messages to all
//!   peers with one counter, so a notice stays in order with earlier packets.
//! - `<id>.up`: `<id>` has initialized the double and not shut down yet
//!   (written by a successful `SteamAPI_InitFlat`, removed by
//!   `SteamAPI_Shutdown`). The inbox is no such sign: senders create it.
//! - `<id>.gone`: written by tests: `<id>` is gone (not up, whatever `.up`
//!   says); every peer's session with it fails, and the file holds the
//!   `EP2PSessionError` their `P2PSessionConnectFail_t` reports.
//! - `<id>.calls`: one line per networking call `<id>` made, for tests to assert.
//! - `<id>.seq`: `<id>`'s message numbers (its next one, and the next one it
//!   expects from each sender), kept across a shutdown and init.
//!
//! Sessions follow Steam's documentation: a peer has a session with us when
//! we accepted it (`AcceptP2PSessionWithUser`, or by sending to it) or when
//! it sent us packets we have not accepted (a pending request, whose packets
//! are held until accepted). A pending session posts `P2PSessionRequest_t`
//! when it starts, and again at most once a second (`REQUEST_REPEAT`) while the
//! peer keeps sending. Closing a session (or its last channel) drops every
//! packet from the peer still waiting, and tells the peer with a close
//! notice; the peer then drops its session with us quietly (its held packets
//! go, its readable ones stay), so our next packet is a new request there.

#![allow(non_snake_case)]

mod callbacks;
mod files;
mod lifecycle;
mod networking;
mod table;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use steamworks_sys as sys;

use table::{Callback, Table};

/// The double's state in this process, from a successful
/// `SteamAPI_InitFlat` to `SteamAPI_Shutdown`.
struct Double {
    me: u64,
    dir: PathBuf,
    next_seq: u64,
    /// Per sender, the sequence number of the next message to take: a
    /// directory listing can show a later file before an earlier one.
    expected_seq: HashMap<u64, u64>,
    table: Table,
    /// The callback handed out by GetNextCallback, alive until FreeLastCallback.
    current: Option<Callback>,
}

static STATE: Mutex<Option<Double>> = Mutex::new(None);

fn with<R>(fallback: R, f: impl FnOnce(&mut Double) -> R) -> R {
    let mut guard = STATE.lock().unwrap_or_else(|e| e.into_inner());
    guard.as_mut().map_or(fallback, f)
}

fn steam_id(raw: u64) -> sys::CSteamID {
    sys::CSteamID {
        m_steamid: sys::CSteamID_SteamID_t { m_unAll64Bits: raw },
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::c_int;
    use std::fs;

    use super::*;
    use crate::callbacks::*;
    use crate::files::{Message, decode, encode_close, encode_packet};
    use crate::lifecycle::*;
    use crate::networking::*;

    pub(crate) const A: u64 = 76561197960265729;
    pub(crate) const B: u64 = 76561197960265730;

    /// Drives the exported functions, playing peer B by hand through the
    /// shared directory. The only test that touches the global state and
    /// the environment.
    #[test]
    fn ffi_round_trip_through_the_directory() {
        let dir = std::env::temp_dir().join(format!("steam_double_test_{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        // SAFETY: no other test reads or writes the environment.
        unsafe {
            std::env::set_var("STEAM_DOUBLE_DIR", &dir);
            std::env::set_var("STEAM_DOUBLE_STEAM_ID", A.to_string());
            std::env::remove_var("STEAM_DOUBLE_INIT_RESULT");
        }
        let net = std::ptr::null_mut();
        let next_callback = || {
            // SAFETY: a zeroed CallbackMsg_t is a valid out buffer.
            let mut msg: sys::CallbackMsg_t = unsafe { std::mem::zeroed() };
            let got = unsafe { SteamAPI_ManualDispatch_GetNextCallback(1, &mut msg) };
            SteamAPI_ManualDispatch_FreeLastCallback(1);
            got.then_some(msg.m_iCallback)
        };
        let state = |id: u64| {
            // SAFETY: a zeroed P2PSessionState_t is a valid out buffer.
            let mut s: sys::P2PSessionState_t = unsafe { std::mem::zeroed() };
            let ok = unsafe { SteamAPI_ISteamNetworking_GetP2PSessionState(net, id, &mut s) };
            ok.then_some((s.m_bConnectionActive, s.m_bConnecting))
        };
        let pkt = |to: u64, from: u64, seq: u64| {
            Double::inbox(&dir, to).join(format!("{from}-{seq:020}.pkt"))
        };

        assert_eq!(unsafe { SteamAPI_InitFlat(std::ptr::null_mut()) }, 0);
        assert!(dir.join(format!("{A}.up")).exists(), "init marks us up");

        // B sends before we accept: a pending request.
        fs::write(pkt(A, B, 0), encode_packet(B, 0, b"x")).unwrap();
        SteamAPI_ManualDispatch_RunFrame(1);
        assert_eq!(state(B), Some((0, 1)));
        assert_eq!(
            next_callback(),
            Some(sys::P2PSessionRequest_t_k_iCallback as c_int)
        );
        assert_eq!(next_callback(), None);

        // Closing it tells B, in B's inbox, under our first number.
        assert!(SteamAPI_ISteamNetworking_CloseP2PSessionWithUser(net, B));
        let notice = fs::read(pkt(B, A, 0)).expect("a close notice");
        assert!(matches!(decode(&notice), Some(Message::Close { from: A })));
        assert!(!SteamAPI_ISteamNetworking_CloseP2PSessionWithUser(net, B));
        assert!(!pkt(B, A, 1).exists(), "no notice without a session");
        assert_eq!(state(B), None);

        // Sending accepts; B counts as connected only while it is up.
        let data = *b"hello";
        assert!(unsafe {
            SteamAPI_ISteamNetworking_SendP2PPacket(net, B, data.as_ptr().cast(), 5, 2, 0)
        });
        assert!(pkt(B, A, 1).exists());
        assert_eq!(state(B), Some((0, 1)), "B's inbox exists, but B is not up");
        fs::write(dir.join(format!("{B}.up")), "").unwrap();
        assert_eq!(state(B), Some((1, 0)));

        // B closes its session with us: ours goes quietly.
        fs::write(pkt(A, B, 1), encode_close(B)).unwrap();
        SteamAPI_ManualDispatch_RunFrame(1);
        assert_eq!(state(B), None);
        assert_eq!(next_callback(), None);

        // B marked gone: an accepted session fails.
        assert!(SteamAPI_ISteamNetworking_AcceptP2PSessionWithUser(net, B));
        fs::write(dir.join(format!("{B}.gone")), "4").unwrap();
        assert_eq!(state(B), Some((0, 1)), "gone is not up");
        SteamAPI_ManualDispatch_RunFrame(1);
        assert_eq!(
            next_callback(),
            Some(sys::P2PSessionConnectFail_t_k_iCallback as c_int)
        );
        assert_eq!(state(B), None);

        SteamAPI_Shutdown();
        assert!(
            !dir.join(format!("{A}.up")).exists(),
            "shutdown clears the marker"
        );
        let seq = fs::read_to_string(dir.join(format!("{A}.seq"))).unwrap();
        assert!(seq.starts_with(&format!("{A} 2\n")), "{seq}");
        assert!(seq.contains(&format!("{B} 2\n")), "{seq}");
        let calls = fs::read_to_string(dir.join(format!("{A}.calls"))).unwrap();
        assert!(
            calls.contains(&format!("SendP2PPacket {B} 5 2 0\n")),
            "{calls}"
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
