# shellcheck shell=bash
# scripts/lib.sh: shared definitions for re1000's scripts (sourced, never run).
#
# The guest kernel is cached outside the repository, keyed by the kernel
# version and a hash of everything that shapes the build (config fragments and
# tool versions), so only the first set-up pays for the kernel build.

RE1000_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RE1000_CACHE="${RE1000_CACHE:-$HOME/.cache/re1000}"
# Kernel flavours: 6.12 (the LTS, Debian 12's linux-source-6.12), debug (6.12
# with KASAN, built by clang), 7.3 (trixie-backports' linux-source-7.3) and
# 7.3-debug (7.3 with the debug options GCC allows). "default" is the default
# kernel's flavour.
KERNEL_DEFAULT=7.3
KERNEL_FLAVOURS="6.12 debug 7.3 7.3-debug"
# linux-source-7.3 comes from trixie-backports (apt-get download, never
# installed); its libclang >= 17 requirement is met by PyPI's libclang.
KERNEL73_PACKAGE_VERSION=7.3.4-1~bpo13+1
LIBCLANG_PYPI_VERSION=18.1.1
export PATH="$HOME/.cargo/bin:$PATH"
# QEMU 10 for qemu/run --qemu 10 (scripts/setup --qemu 10): bookworm-backports'
# build and the SeaBIOS it depends on. qemu/run names the same directory.
QEMU10_VERSION=1:10.0.2+ds-2+deb13u1~bpo12+1
QEMU10_SEABIOS=1.16.3-2~bpo12+1
QEMU10_DIR="$RE1000_CACHE/qemu-10.0.2"

log() { printf '\033[1m[re1000]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[re1000] error:\033[0m %s\n' "$*" >&2; exit 1; }

# The flavour a name stands for ("default" is the default kernel's).
kernel_flavour() {
	case "$1" in
	default | "") echo "$KERNEL_DEFAULT" ;;
	6.12 | debug | 7.3 | 7.3-debug) echo "$1" ;;
	*) die "unknown kernel '$1' (default, $(echo "$KERNEL_FLAVOURS" | sed 's/ /, /g'))" ;;
	esac
}

# The kernel series of a flavour (6.12 or 7.3).
kernel_series() {
	case "$(kernel_flavour "$1")" in
	6.12 | debug) echo 6.12 ;;
	7.3 | 7.3-debug) echo 7.3 ;;
	esac
}

# The source tarball and unpacked source tree of a flavour's series.
kernel_tarball() {
	case "$(kernel_series "$1")" in
	6.12) echo /usr/src/linux-source-6.12.tar.xz ;;
	7.3) echo "$RE1000_CACHE/src/linux-source-7.3.tar.xz" ;;
	esac
}
kernel_src() {
	echo "$RE1000_CACHE/src/linux-source-$(kernel_series "$1")"
}

# True when the flavour's kernel is built by clang (LLVM=1).
kernel_llvm() {
	[ "$(kernel_flavour "$1")" = debug ]
}

# The config fragments of one kernel flavour, in the order they are applied.
kernel_fragments() {
	local q="$RE1000_ROOT/qemu"
	case "$(kernel_flavour "$1")" in
	6.12) echo "$q/kernel.config" ;;
	debug) echo "$q/kernel.config $q/kernel-debug.config" ;;
	7.3) echo "$q/kernel.config $q/kernel-7.3.config" ;;
	7.3-debug) echo "$q/kernel.config $q/kernel-7.3-debug.config" ;;
	esac
}

# The kernel version of a flavour's source (e.g. 6.12.117).
kernel_version() {
	case "$(kernel_series "$1")" in
	6.12) dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null | sed 's/-.*//' ;;
	7.3) echo "${KERNEL73_PACKAGE_VERSION%%-*}" ;;
	esac
}

# The folder of PyPI's libclang (scripts/setup installs it): 7.3's bindgen
# needs libclang >= 17 and Debian 12 has 14.
libclang_path() {
	python3 -c 'import clang, os; print(os.path.join(os.path.dirname(clang.__file__), "native"))' \
		2>/dev/null
}

# Environment for building a flavour's kernel or a module against it.
kernel_env() {
	if [ "$(kernel_series "$1")" = 7.3 ]; then
		local p
		p=$(libclang_path) || die "PyPI's libclang is missing: run scripts/setup"
		export LIBCLANG_PATH="$p"
	fi
}

# The cache key of a flavour: what changes it changes the build.
kernel_key() {
	local flavour=$1 f
	{
		kernel_version "$flavour"
		for f in $(kernel_fragments "$flavour"); do cat "$f"; done
		rustc --version 2>/dev/null
		bindgen --version 2>/dev/null
		gcc --version 2>/dev/null | head -1
		if kernel_llvm "$flavour"; then clang --version 2>/dev/null | head -1; fi
		if [ "$(kernel_series "$flavour")" = 7.3 ]; then echo "libclang $LIBCLANG_PYPI_VERSION"; fi
	} | sha256sum | cut -c1-12
}

# The build directory of a flavour (it may not be built yet).
# 6.12's keep the names they had (default, debug).
kernel_dir() {
	local variant=default
	case "$(kernel_flavour "$1")" in *debug) variant=debug ;; esac
	echo "$RE1000_CACHE/kernel-$(kernel_version "$1")-$variant-$(kernel_key "$1")"
}

# True when the flavour's kernel is fully built.
kernel_built() {
	[ -f "$(kernel_dir "$1")/.re1000-built" ]
}
