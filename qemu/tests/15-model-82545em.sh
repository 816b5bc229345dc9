#!/bin/sh
# qemu-run: --model e1000-82545em
# QEMU's e1000-82545em model: re1000 binds, pings both ways and moves a payload intact.
. "$(dirname "$0")/lib.sh"
model_check e1000-82545em
