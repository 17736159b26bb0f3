//! ISteamMatchmaking's lobby calls for GDScript: conversions only; the
//! logic is in [`crate::api`]. Refused calls return GodotSteam's failure
//! values (nothing, false, 0, "" or `{}`) with one error.

use godot::prelude::*;

use super::{Steam, answer};

#[godot_api(secondary)]
impl Steam {
    /// Creates a lobby and enters it: [signal lobby_created] then
    /// [signal lobby_joined] follow from [method run_callbacks].
    /// `lobby_type` is a `LOBBY_TYPE_*` value ([enum LobbyType]);
    /// `max_members` is 1..=250. On the local backend the lobby lives in
    /// this instance and the other instances on this machine can list and
    /// join it.
    #[func(rename = createLobby)]
    fn create_lobby(lobby_type: i64, #[opt(default = 2)] max_members: i64) {
        answer("createLobby", (), |client| {
            client.create_lobby(lobby_type, max_members)
        });
    }

    /// Asks to enter a lobby: [signal lobby_joined] answers with a
    /// `CHAT_ROOM_ENTER_RESPONSE_*` value; the other members get
    /// [signal lobby_chat_update].
    #[func(rename = joinLobby)]
    fn join_lobby(steam_lobby_id: i64) {
        answer("joinLobby", (), |client| client.join_lobby(steam_lobby_id));
    }

    /// Leaves a lobby; the other members get [signal lobby_chat_update].
    /// When the owner leaves, another member becomes the owner.
    #[func(rename = leaveLobby)]
    fn leave_lobby(steam_lobby_id: i64) {
        answer("leaveLobby", (), |client| {
            client.leave_lobby(steam_lobby_id)
        });
    }

    /// Invites a user to a lobby the local user is in; they get
    /// [signal lobby_invite]. False if the local user is not in the lobby.
    #[func(rename = inviteUserToLobby)]
    fn invite_user_to_lobby(steam_lobby_id: i64, steam_id_invitee: i64) -> bool {
        answer("inviteUserToLobby", false, |client| {
            client.invite_user_to_lobby(steam_lobby_id, steam_id_invitee)
        })
    }

    /// How many members a lobby has: for a lobby the user is in, or (the
    /// count at that time) one from the last lobby list; 0 otherwise.
    #[func(rename = getNumLobbyMembers)]
    fn get_num_lobby_members(steam_lobby_id: i64) -> i64 {
        i64::from(answer("getNumLobbyMembers", 0, |client| {
            client.num_lobby_members(steam_lobby_id)
        }))
    }

    /// The Steam ID of the member at `member` (0-based, in join order) of a
    /// lobby the user is in; 0 past the last one.
    #[func(rename = getLobbyMemberByIndex)]
    fn get_lobby_member_by_index(steam_lobby_id: i64, member: i64) -> i64 {
        answer("getLobbyMemberByIndex", 0, |client| {
            client.lobby_member_by_index(steam_lobby_id, member)
        }) as i64
    }

    /// A lobby data value: for lobbies the user is in, listed or asked for
    /// with [method requestLobbyData]; "" when unset or unknown.
    #[func(rename = getLobbyData)]
    fn get_lobby_data(steam_lobby_id: i64, key: GString) -> GString {
        GString::from(
            answer("getLobbyData", String::new(), |client| {
                client.lobby_data(steam_lobby_id, &key.to_string())
            })
            .as_str(),
        )
    }

    /// Sets a lobby data pair (owner only; keys 1..=255 bytes, values at most
    /// 8192 bytes). Every member gets [signal lobby_data_update]. False if
    /// the user is not the owner.
    #[func(rename = setLobbyData)]
    fn set_lobby_data(steam_lobby_id: i64, key: GString, value: GString) -> bool {
        answer("setLobbyData", false, |client| {
            client.set_lobby_data(steam_lobby_id, &key.to_string(), &value.to_string())
        })
    }

    /// Every lobby data pair, as `{index: {index, key, value}}`; `{}` when
    /// unknown.
    #[func(rename = getAllLobbyData)]
    fn get_all_lobby_data(steam_lobby_id: i64) -> VarDictionary {
        let pairs = answer("getAllLobbyData", Vec::new(), |client| {
            client.all_lobby_data(steam_lobby_id)
        });
        let mut all = VarDictionary::new();
        for (index, (key, value)) in pairs.into_iter().enumerate() {
            let index = index as i64;
            let entry = vdict! { "index" => index, "key" => key, "value" => value };
            all.set(index, &entry);
        }
        all
    }

    /// Removes a lobby data key (owner only); members get
    /// [signal lobby_data_update].
    #[func(rename = deleteLobbyData)]
    fn delete_lobby_data(steam_lobby_id: i64, key: GString) -> bool {
        answer("deleteLobbyData", false, |client| {
            client.delete_lobby_data(steam_lobby_id, &key.to_string())
        })
    }

    /// A member's data value in a lobby the user is in; "" when unset.
    #[func(rename = getLobbyMemberData)]
    fn get_lobby_member_data(steam_lobby_id: i64, steam_id_user: i64, key: GString) -> GString {
        GString::from(
            answer("getLobbyMemberData", String::new(), |client| {
                client.lobby_member_data(steam_lobby_id, steam_id_user, &key.to_string())
            })
            .as_str(),
        )
    }

    /// Sets the local user's own data in a lobby it is in (keys 1..=255
    /// bytes, values at most 8192); every member gets
    /// [signal lobby_data_update] with `member_id` the user.
    #[func(rename = setLobbyMemberData)]
    fn set_lobby_member_data(steam_lobby_id: i64, key: GString, value: GString) {
        answer("setLobbyMemberData", (), |client| {
            client.set_lobby_member_data(steam_lobby_id, &key.to_string(), &value.to_string())
        });
    }

    /// Sends a chat message (1..=4096 bytes of UTF-8) to every member of a
    /// lobby, the sender included: each gets [signal lobby_message].
    #[func(rename = sendLobbyChatMsg)]
    fn send_lobby_chat_msg(steam_lobby_id: i64, message_body: GString) -> bool {
        let body = message_body.to_string();
        answer("sendLobbyChatMsg", false, |client| {
            client.send_lobby_chat(steam_lobby_id, body.as_bytes())
        })
    }

    /// Asks for a lobby's data (for a lobby the user is not in):
    /// [signal lobby_data_update] answers. True if the question went out.
    #[func(rename = requestLobbyData)]
    fn request_lobby_data(steam_lobby_id: i64) -> bool {
        answer("requestLobbyData", false, |client| {
            client.request_lobby_data(steam_lobby_id)
        })
    }

    /// Sets the lobby's game server (owner only): every member gets
    /// [signal lobby_game_created]. `server_ip` is an IPv4 address such as
    /// "203.0.113.7" ("0" for none).
    #[func(rename = setLobbyGameServer)]
    fn set_lobby_game_server(
        steam_lobby_id: i64,
        #[opt(default = "0")] server_ip: GString,
        #[opt(default = 0)] server_port: i64,
        #[opt(default = 0)] steam_id_game_server: i64,
    ) {
        answer("setLobbyGameServer", (), |client| {
            client.set_lobby_game_server(
                steam_lobby_id,
                &server_ip.to_string(),
                server_port,
                steam_id_game_server,
            )
        });
    }

    /// The lobby's game server: `{ret: bool}`, plus `ip` (String), `port`
    /// and `id` when `ret` is true.
    #[func(rename = getLobbyGameServer)]
    fn get_lobby_game_server(steam_lobby_id: i64) -> VarDictionary {
        match answer("getLobbyGameServer", None, |client| {
            client.lobby_game_server(steam_lobby_id)
        }) {
            Some((ip, port, id)) => vdict! {
                "ret" => true,
                "ip" => std::net::Ipv4Addr::from(ip).to_string(),
                "port" => i64::from(port),
                "id" => id as i64,
            },
            None => vdict! { "ret" => false },
        }
    }

    /// Changes how many members the lobby takes (owner only, 1..=250).
    #[func(rename = setLobbyMemberLimit)]
    fn set_lobby_member_limit(steam_lobby_id: i64, max_members: i64) -> bool {
        answer("setLobbyMemberLimit", false, |client| {
            client.set_lobby_member_limit(steam_lobby_id, max_members)
        })
    }

    /// How many members the lobby takes; 0 when unknown.
    #[func(rename = getLobbyMemberLimit)]
    fn get_lobby_member_limit(steam_lobby_id: i64) -> i64 {
        i64::from(answer("getLobbyMemberLimit", 0, |client| {
            client.lobby_member_limit(steam_lobby_id)
        }))
    }

    /// Changes the lobby's type (owner only; [enum LobbyType]).
    #[func(rename = setLobbyType)]
    fn set_lobby_type(steam_lobby_id: i64, lobby_type: i64) -> bool {
        answer("setLobbyType", false, |client| {
            client.set_lobby_type(steam_lobby_id, lobby_type)
        })
    }

    /// Opens or closes the lobby to new members and lobby lists (owner
    /// only). Joining a closed lobby answers `CHAT_ROOM_ENTER_RESPONSE_NOT_ALLOWED`.
    #[func(rename = setLobbyJoinable)]
    fn set_lobby_joinable(steam_lobby_id: i64, joinable: bool) -> bool {
        answer("setLobbyJoinable", false, |client| {
            client.set_lobby_joinable(steam_lobby_id, joinable)
        })
    }

    /// The owner of a lobby the user is in; 0 otherwise.
    #[func(rename = getLobbyOwner)]
    fn get_lobby_owner(steam_lobby_id: i64) -> i64 {
        answer("getLobbyOwner", 0, |client| {
            client.lobby_owner(steam_lobby_id)
        }) as i64
    }

    /// Hands the lobby to another member (owner only); every member gets
    /// [signal lobby_data_update].
    #[func(rename = setLobbyOwner)]
    fn set_lobby_owner(steam_lobby_id: i64, steam_id_new_owner: i64) -> bool {
        answer("setLobbyOwner", false, |client| {
            client.set_lobby_owner(steam_lobby_id, steam_id_new_owner)
        })
    }

    /// Asks for the lobbies of this game that are public (or invisible),
    /// joinable and pass every filter added since the last call;
    /// [signal lobby_match_list] answers. On the local backend: the lobbies
    /// of every instance on this machine running the same app id.
    #[func(rename = requestLobbyList)]
    fn request_lobby_list() {
        answer("requestLobbyList", (), |client| client.request_lobby_list());
    }

    /// Keeps only lobbies whose `key_to_match` compares with
    /// `value_to_match` as [enum LobbyComparison] says, for the next
    /// [method requestLobbyList].
    #[func(rename = addRequestLobbyListStringFilter)]
    fn add_request_lobby_list_string_filter(
        key_to_match: GString,
        value_to_match: GString,
        comparison_type: i64,
    ) {
        answer("addRequestLobbyListStringFilter", (), |client| {
            client.add_string_filter(
                &key_to_match.to_string(),
                &value_to_match.to_string(),
                comparison_type,
            )
        });
    }

    /// Keeps only lobbies whose `key_to_match`, read as an integer, compares
    /// with `value_to_match` as [enum LobbyComparison] says.
    #[func(rename = addRequestLobbyListNumericalFilter)]
    fn add_request_lobby_list_numerical_filter(
        key_to_match: GString,
        value_to_match: i64,
        comparison_type: i64,
    ) {
        answer("addRequestLobbyListNumericalFilter", (), |client| {
            client.add_numerical_filter(&key_to_match.to_string(), value_to_match, comparison_type)
        });
    }

    /// Lists lobbies whose `key_to_match` is closest to
    /// `value_to_be_close_to` first (sorts, does not filter).
    #[func(rename = addRequestLobbyListNearValueFilter)]
    fn add_request_lobby_list_near_value_filter(key_to_match: GString, value_to_be_close_to: i64) {
        answer("addRequestLobbyListNearValueFilter", (), |client| {
            client.add_near_value_filter(&key_to_match.to_string(), value_to_be_close_to)
        });
    }

    /// Keeps only lobbies with at least `slots_available` free member slots.
    #[func(rename = addRequestLobbyListFilterSlotsAvailable)]
    fn add_request_lobby_list_filter_slots_available(slots_available: i64) {
        answer("addRequestLobbyListFilterSlotsAvailable", (), |client| {
            client.add_slots_filter(slots_available)
        });
    }

    /// How far away listed lobbies may be ([enum LobbyDistanceFilter]). On
    /// the local backend every lobby is near.
    #[func(rename = addRequestLobbyListDistanceFilter)]
    fn add_request_lobby_list_distance_filter(distance_filter: i64) {
        answer("addRequestLobbyListDistanceFilter", (), |client| {
            client.add_distance_filter(distance_filter)
        });
    }

    /// Returns at most `max_results` lobbies (Steam's default is 50).
    #[func(rename = addRequestLobbyListResultCountFilter)]
    fn add_request_lobby_list_result_count_filter(max_results: i64) {
        answer("addRequestLobbyListResultCountFilter", (), |client| {
            client.add_result_count_filter(max_results)
        });
    }
}
