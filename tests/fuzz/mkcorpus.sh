#!/bin/sh
# mkcorpus.sh - write the seed corpora of fuzz_jwt and fuzz_bodies.
#
# Run from anywhere; it writes tests/fuzz/corpus/{jwt,bodies}/ next to
# itself (existing seeds of the same name are overwritten, others kept, so
# regression inputs added by hand stay).  Needs openssl for the HMACs.  The
# secrets and the time are those fixed in fuzz_jwt.c.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
jwt=$here/corpus/jwt
bodies=$here/corpus/bodies
mkdir -p "$jwt" "$bodies"

SECRET=fuzz-secret-0123456789abcdef-0123456789abcdef
OTHER=fuzz-other--0123456789abcdef-0123456789abcdef
JTI=00112233445566778899aabbccddeeff
# fuzz_jwt verifies at 1700000000.
IAT=1699990000
EXP=1800000000

b64url() {
	base64 -w0 | tr '+/' '-_' | tr -d '='
}

# sign <digest> <key> <header> <claims>: a token, without a newline.
sign() {
	h=$(printf '%s' "$3" | b64url)
	p=$(printf '%s' "$4" | b64url)
	s=$(printf '%s.%s' "$h" "$p" | openssl dgst "-$1" -hmac "$2" -binary |
	    b64url)
	printf '%s.%s.%s' "$h" "$p" "$s"
}

hs256='{"alg":"HS256","typ":"JWT"}'
claims() {	# claims <sub> <iat> <exp> [extra members]
	printf '{"sub":%s,"role":"User","jti":"%s","iat":%s,"exp":%s%s}' \
	    "$1" "$JTI" "$2" "$3" "${4:-}"
}
good=$(claims '"42"' $IAT $EXP)

# --- fuzz_jwt: bearer strings -------------------------------------------
sign sha256 "$SECRET" "$hs256" "$good" >"$jwt/valid"
sign sha256 "$SECRET" "$hs256" "$(claims '"7"' 1599990000 1600000000)" \
    >"$jwt/expired"
sign sha256 "$SECRET" "$hs256" "$(claims '"7"' 1800000001 $EXP)" \
    >"$jwt/iat_after_exp"
sign sha256 "$SECRET" "$hs256" "$(claims 42 $IAT $EXP)" >"$jwt/sub_number"
sign sha256 "$SECRET" "$hs256" "$(claims '"42"' '"1"' $EXP)" \
    >"$jwt/iat_string"
sign sha256 "$SECRET" "$hs256" \
    "$(printf '{"sub":"1","role":"Support","jti":"%s","iat":%s,"exp":%s}' \
    00112233445566778899AABBCCDDEEFF $IAT $EXP)" >"$jwt/jti_upper"
sign sha256 "$SECRET" '{"alg":"HS256"}' \
    "$(printf '{"sub":"%s","role":"Admin","jti":"%s","iat":1,"exp":%s}' \
    9223372036854775807 "$JTI" 9223372036854775807)" >"$jwt/extremes"
sign sha256 "$OTHER" "$hs256" "$good" >"$jwt/wrong_key"
sign sha384 "$SECRET" '{"alg":"HS384","typ":"JWT"}' "$good" >"$jwt/hs384"
sign sha512 "$SECRET" '{"alg":"HS512","typ":"JWT"}' "$good" >"$jwt/hs512"
printf '%s.%s.' "$(printf '%s' '{"alg":"none","typ":"JWT"}' | b64url)" \
    "$(printf '%s' "$good" | b64url)" >"$jwt/alg_none"
printf '%s.%s.' "$(printf '%s' '{"typ":"JWT"}' | b64url)" \
    "$(printf '%s' "$good" | b64url)" >"$jwt/alg_missing"
# The valid token with one payload character changed.
sed 's/\.eyJ/.eyK/' "$jwt/valid" >"$jwt/tampered"
# Correctly signed, but longer than TOKEN_MAX (2048).
pad=$(head -c 1600 /dev/zero | tr '\0' x)
sign sha256 "$SECRET" "$hs256" \
    "$(claims '"42"' $IAT $EXP ",\"pad\":\"$pad\"")" >"$jwt/over_token_max"
printf '%s' "$(head -c 700 /dev/zero | tr '\0' A).$(head -c 700 /dev/zero |
    tr '\0' B).$(head -c 600 /dev/zero | tr '\0' C)" >"$jwt/huge_segments"
printf 'not a token' >"$jwt/garbage"
printf '..' >"$jwt/dots"
printf 'eyJ!!!.e30.AAAA' >"$jwt/bad_base64"
printf 'e30.e30.e30' >"$jwt/empty_objects"

# --- fuzz_jwt: signed modes (first byte 1-3) and token_issue (4) ---------
{ printf '\001'; printf '%s' "$good"; } >"$jwt/m1_valid"
{ printf '\001'; claims '"3"' 1000 2000; } >"$jwt/m1_expired"
{ printf '\001'; printf '{"sub":"1","role":"User","iat":1,"exp":%s}' \
    2000000000; } >"$jwt/m1_no_jti"
{ printf '\002'; printf '%s' "$hs256"; printf '\000'; printf '%s' "$good"; } \
    >"$jwt/m2_hs256"
{ printf '\002{"alg":"none"}\000'; printf '%s' "$good"; } >"$jwt/m2_none"
{ printf '\002{"alg":"HS512"}\000'; printf '%s' "$good"; } >"$jwt/m2_hs512"
{ printf '\003'; printf '%s' "$good"; } >"$jwt/m3_other_key"
{ printf '\004\052\000\000\000\000\000\000\000'; printf 'User'; } \
    >"$jwt/m4_issue_user"
{ printf '\004\000\000\000\000\000\000\000\000'; printf 'Support'; } \
    >"$jwt/m4_issue_uid0"
{ printf '\004\377\377\377\377\377\377\377\377'; printf 'Admin'; } \
    >"$jwt/m4_issue_uid_neg"
{ printf '\004\001\000\000\000\000\000\000\000'; printf '0123456789abcdef'; } \
    >"$jwt/m4_issue_role_long"
{ printf '\004\001\000\000\000\000\000\000\000'; printf 'R\377\042\\'; } \
    >"$jwt/m4_issue_role_bytes"

# --- fuzz_bodies: selector byte, then the JSON text ----------------------
# Kinds (the order of fuzz_bodies.c's table): 0 login, 1 register,
# 2 POST /users, 3 PATCH /users/:id, 4 POST /chat/messages,
# 5 message:send, 6 POST /conversations/:id/read, 7 message:read,
# 8 conversation:join, 9 typing:* and friends, 10 notify datagram,
# 11 POST /chat/labels, 12 PATCH /chat/labels/:id,
# 13 POST /conversations/:id/rating, 14 POST /chat/canned-responses,
# 15 PATCH /chat/canned-responses/:id.  0x10: small caps, 0x20: +1.
body() {	# body <file> <selector, octal> <json, in pieces>...
	f=$1
	sel=$2
	shift 2
	{ printf "\\$sel"; printf '%s' "$@"; } >"$bodies/$f"
}
body login_ok 000 '{"phone":"+919000000101","password":"user-demo-1"}'
body login_national 000 '{"phone":"090000 00101","password":"x"}'
body login_cc1 040 '{"phone":"(555) 123-4567","password":"pw"}'
body login_bad_phone 000 '{"phone":"+91abc","password":"pw"}'
body login_missing 000 '{"phone":null}'
body login_nul 000 '{"phone":"9000000101\u0000x","password":"a\u0000b"}'
body register_ok 001 '{"phone":"9000000150","name":"  Rajesh Kumar ",' \
    '"password":"secret-pass-1"}'
body register_hindi 001 '{"phone":"00919000000151",' \
    '"name":"\u0930\u093e\u091c\u0947\u0936",' \
    '"password":"\u092a\u093e\u0938-1234"}'
body register_short_pw 001 \
    '{"phone":"9000000152","name":"A","password":"short"}'
body register_control 001 \
    '{"phone":"9000000153","name":"a\u0001b","password":"password-1"}'
body register_long_name 001 '{"phone":"9000000154","name":"' \
    "$(head -c 101 /dev/zero | tr '\0' n)" '","password":"password-1"}'
body send_text 004 '{"conversationId":"7","messageType":"text",' \
    '"content":"hello","clientMessageId":"c-1:2.3_x"}'
body send_image 004 '{"conversationId":7,"messageType":"image",' \
    '"mediaId":"3","content":"caption"}'
body send_small_cap 024 '{"conversationId":"7","content":"too long"}'
body send_bad 004 '{"conversationId":"0","messageType":"gif","mediaId":-1}'
body send_blank 004 '{"conversationId":"7","content":" \t\r\n"}'
body send_socket 005 '{"conversationId":"7","messageType":"audio",' \
    '"mediaId":9,"clientMessageId":"retry-1"}'
body send_socket_extra 005 '{"conversationId":"7","content":"hi"},{"more":1}'
body rest_read 006 '{"messageIds":["1","2","9223372036854775807"]}'
body rest_read_none 006 '{}'
body rest_read_bad 006 '{"messageIds":["0",1]}'
body socket_read 007 '{"conversationId":"7","messageIds":["5"]}'
body socket_read_empty 007 '{"conversationId":"7","messageIds":[]}'
body join 010 '{"conversationId":"7","lastMessageId":"120"}'
body join_null 010 '{"conversationId":7,"lastMessageId":null}'
body join_bad 010 '{"conversationId":"07","lastMessageId":1.5}'
body typing 011 '{"conversationId":"7"}'
body typing_overflow 011 '{"conversationId":9223372036854775808}'
body typing_array 011 '[{"conversationId":"7"}]'
body notify_message 012 \
    '{"type":"message","messageId":"42","conversationId":"7"}'
body notify_conversation 012 '{"type":"conversation","conversationId":"7"}'
body notify_read 012 '{"type":"read","conversationId":"7","readBy":"3",' \
    '"readAt":"2024-01-02 03:04:05.678"}'
body notify_logout 012 '{"type":"logout","userId":"3","jti":"' "$JTI" '"}'
body notify_unknown 012 '{"type":"reboot"}'
body label_ok 013 '{"name":"  Billing ","color":"#1A2b3C"}'
body label_hindi 013 '{"name":"\u092d\u0941\u0917\u0924\u093e\u0928","color":"#ff0000"}'
body label_bad_color 013 '{"name":"VIP","color":"red"}'
body label_long 013 '{"name":"' "$(head -c 41 /dev/zero | tr '\0' n)" \
    '","color":"#000000"}'
body label_patch 014 '{"color":"#abcdef"}'
body label_patch_none 014 '{}'
body note 004 '{"conversationId":"7","content":"for the team","private":true}'
body note_media 005 '{"conversationId":"7","messageType":"image","mediaId":"3",' \
    '"private":true}'
body rating_ok 015 '{"score":4,"comment":"  she eats again  "}'
body rating_hindi 015 '{"score":5,"comment":"\u0927\u0928\u094d\u092f\u0935\u093e\u0926"}'
body rating_bad 015 '{"score":4.5,"comment":7}'
# 14 POST /chat/canned-responses, 15 PATCH /chat/canned-responses/:id.
body canned_ok 016 '{"shortCode":"greet_1-a","content":"Namaste! How can we help?"}'
body canned_upper 016 '{"shortCode":"Greet","content":"hi"}'
body canned_long 016 '{"shortCode":"' "$(head -c 33 /dev/zero | tr '\0' a)" \
    '","content":"hi"}'
body canned_blank 016 '{"shortCode":"x","content":" \u200b\t"}'
body canned_small_cap 036 '{"shortCode":"x","content":"too long"}'
body canned_patch 017 '{"content":"\u0928\u092e\u0938\u094d\u0924\u0947"}'
body canned_patch_none 017 '{"other":1}'
body canned_patch_code 017 '{"shortCode":"a b"}'
body deep 000 '{"a":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]}'
body trailing 000 '{} x'
printf '\002{"content":"\377"}' >"$bodies/not_utf8"
