# shellcheck shell=bash
# scripts/lib.sh: shared definitions for re1000's scripts (sourced, never run).
#
# The guest kernel is cached outside the repository, keyed by the kernel
# version and a hash of everything that shapes the build (config fragments and
# tool versions), so only the first set-up pays for the kernel build.

RE1000_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RE1000_CACHE="${RE1000_CACHE:-$HOME/.cache/re1000}"
KERNEL_SERIES=6.12
KERNEL_TARBALL=/usr/src/linux-source-${KERNEL_SERIES}.tar.xz
KERNEL_SRC="$RE1000_CACHE/src/linux-source-${KERNEL_SERIES}"
export PATH="$HOME/.cargo/bin:$PATH"
# QEMU 10 for qemu/run --qemu 10 (scripts/setup --qemu 10): bookworm-backports'
# build and the SeaBIOS it depends on. qemu/run names the same directory.
QEMU10_VERSION=1:10.0.2+ds-2+deb13u1~bpo12+1
QEMU10_SEABIOS=1.16.3-2~bpo12+1
QEMU10_DIR="$RE1000_CACHE/qemu-10.0.2"

log() { printf '\033[1m[re1000]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[re1000] error:\033[0m %s\n' "$*" >&2; exit 1; }

# The config fragments of one kernel flavour, in the order they are applied.
kernel_fragments() {
	case "$1" in
	default) echo "$RE1000_ROOT/qemu/kernel.config" ;;
	debug) echo "$RE1000_ROOT/qemu/kernel.config $RE1000_ROOT/qemu/kernel-debug.config" ;;
	*) die "unknown kernel flavour '$1' (default or debug)" ;;
	esac
}

# The kernel version of the Debian source package (e.g. 6.12.117).
kernel_version() {
	dpkg-query -W -f='${Version}' "linux-source-${KERNEL_SERIES}" 2>/dev/null |
		sed 's/-.*//'
}

# The cache key of a flavour: what changes it changes the build.
kernel_key() {
	local flavour=$1 f
	{
		kernel_version
		for f in $(kernel_fragments "$flavour"); do cat "$f"; done
		rustc --version 2>/dev/null
		bindgen --version 2>/dev/null
		gcc --version 2>/dev/null | head -1
		if [ "$flavour" = debug ]; then clang --version 2>/dev/null | head -1; fi
	} | sha256sum | cut -c1-12
}

# The build directory of a flavour (it may not be built yet).
kernel_dir() {
	echo "$RE1000_CACHE/kernel-$(kernel_version)-$1-$(kernel_key "$1")"
}

# True when the flavour's kernel is fully built.
kernel_built() {
	[ -f "$(kernel_dir "$1")/.re1000-built" ]
}
