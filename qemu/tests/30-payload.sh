#!/bin/sh
# A 64 MiB random payload each way arrives intact (equal sha256 both sides).
. "$(dirname "$0")/lib.sh"
make_payload /tmp/out.bin 64
send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "sending the payload failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] ||
	fail "payload corrupted on the way out ($(stat -c %s /tmp/at-peer.bin) bytes arrived)"
ok "64 MiB sent intact: $(sha /tmp/out.bin)"
rm -f /tmp/at-peer.bin
make_payload /tmp/in.bin 64
recv_from_peer /tmp/in.bin /tmp/got.bin || fail "receiving the payload failed"
[ "$(sha /tmp/in.bin)" = "$(sha /tmp/got.bin)" ] ||
	fail "payload corrupted on the way in ($(stat -c %s /tmp/got.bin) bytes arrived)"
ok "64 MiB received intact: $(sha /tmp/in.bin)"
