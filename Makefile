# SPDX-License-Identifier: GPL-2.0
#
# re1000: the main entry points.
#
#   make          build re1000.ko against the cached guest kernel (or KDIR=...)
#
# KERNEL= picks the guest kernel of make, run, test, stress and bench: default
# (the default kernel), 6.12, debug (6.12 with KASAN), 7.3 or 7.3-debug.
#   make run      the main job: set up if needed, boot the guest, run iperf3 through re1000
#   make test     host unit tests and the guest test suite (ends with "N passed, N failed")
#   make selftests  the guest kernel's driver selftests against re1000 and the C e1000,
#                 on 7.3 and 6.12 (scripts/selftests; SELFTESTS_ARGS: --kernel, --driver, tests)
#   make stress   the stress scenarios at full scale (KERNEL=debug on the debug kernel)
#   make check    rustfmt, clippy (host crate and make CLIPPY=1), the source rules (scripts/check)
#   make bench    re1000 against the C e1000, side by side, with intervals (scripts/bench)
#   make clean    remove build output
#
# QEMU=10 runs the guests of run, test, stress and bench on QEMU 10 from
# bookworm-backports (scripts/setup --qemu 10 unpacks it into the cache);
# the default is the system's QEMU 7.2.

KERNEL ?= default
QEMU ?= 7.2
QEMU_OPT := --qemu $(QEMU)
KDIR ?= $(shell bash -c '. scripts/lib.sh; kernel_dir $(KERNEL)')
PWD := $(CURDIR)
# A kernel built by clang (the debug flavour) needs its module built by clang.
KBUILD_LLVM := $(shell grep -qs '^CONFIG_CC_IS_CLANG=y' "$(KDIR)/.config" && echo LLVM=1)
# A 7.x kernel's bindgen needs libclang >= 17: PyPI's (scripts/setup), unless
# LIBCLANG_PATH names one already.
ifeq ($(shell grep -qs '^7\.' "$(KDIR)/include/config/kernel.release" && echo 7),7)
LIBCLANG_PATH ?= $(shell bash -c '. scripts/lib.sh; libclang_path')
export LIBCLANG_PATH
endif
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: all module run test selftests stress check clean setup unit-test fmt bench

all: module

# Rebuild from scratch when the kernel tree changes (objects are per kernel).
module:
	@test -f "$(KDIR)/.config" || { echo "No kernel build in $(KDIR): run scripts/setup" >&2; exit 1; }
	@if [ "$$(cat .kdir-stamp 2>/dev/null)" != "$(KDIR)" ]; then \
		$(MAKE) -s -C "$(KDIR)" M="$(PWD)" $(KBUILD_LLVM) clean >/dev/null 2>&1; \
		echo "$(KDIR)" > .kdir-stamp; fi
	$(MAKE) -C "$(KDIR)" M="$(PWD)" $(KBUILD_LLVM) modules

setup:
	scripts/setup $(QEMU_OPT)

run:
	scripts/setup $(QEMU_OPT)
	qemu/run --driver re1000 $(QEMU_OPT) -- '$(PWD)/qemu/main-job'

unit-test:
	cargo test --quiet --manifest-path drivers/hw/Cargo.toml

test:
	scripts/setup $(QEMU_OPT)
	scripts/test $(QEMU_OPT) $(if $(filter-out default,$(KERNEL)),--kernel $(KERNEL))

# The kernel's own driver selftests (tools/testing/selftests/drivers/net,
# drivers/net/hw, net/netdevice.sh) against re1000 and the C e1000 on 7.3
# and 6.12, one guest each (and one more for xdp.py); ends with "N passed,
# N failed" (about 33 minutes under TCG). SELFTESTS_ARGS passes --kernel 7.3|6.12, --driver
# re1000|e1000, --timeout or test names to scripts/selftests.
SELFTESTS_ARGS ?=
selftests:
	scripts/setup $(QEMU_OPT)
	scripts/selftests $(QEMU_OPT) $(SELFTESTS_ARGS)

# The stress scenarios of qemu/stress/, each in its own guest; results under
# results/stress-<time>/. SCALE=short runs the slice that make test runs.
SCALE ?= full
stress:
	scripts/setup $(if $(filter %debug,$(KERNEL)),--debug) $(QEMU_OPT)
	scripts/stress --scale $(SCALE) --kernel $(KERNEL) $(QEMU_OPT)

check:
	scripts/check

# Side-by-side benchmark against the C e1000 with 95 % intervals: RUNS..MAX_RUNS
# rounds per test, SECONDS per test, MITIGATION on|off|both, CONFIG
# defaults|equal|rings|both or a list (BENCH_ARGS for scripts/bench's other options).
# The defaults take 60 to 110 minutes on a quiet 2-core TCG machine (103 measured).
RUNS ?= 5
MAX_RUNS ?= 10
SECONDS ?= 10
MITIGATION ?= on
CONFIG ?= both
bench:
	scripts/setup $(QEMU_OPT)
	scripts/bench $(QEMU_OPT) --kernel $(KERNEL) --runs $(RUNS) --max-runs $(MAX_RUNS) --seconds $(SECONDS) \
		--mitigation $(MITIGATION) --config $(CONFIG) $(BENCH_ARGS)

clean:
	-$(MAKE) -s -C "$(KDIR)" M="$(PWD)" $(KBUILD_LLVM) clean 2>/dev/null
	rm -f .kdir-stamp rust/bindings_generated.rs
	rm -rf drivers/hw/target

fmt:
	rustfmt --edition 2021 drivers/re1000_drv.rs drivers/hw/lib.rs
