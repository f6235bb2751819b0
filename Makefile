# SPDX-License-Identifier: GPL-2.0
#
# ntpool: out-of-tree build and the project's commands ("make help").
#
# KDIR defaults to the running kernel's build tree.  On Debian, install
# linux-headers-$(uname -r) or pass e.g.
#   KDIR=/usr/src/linux-headers-6.12.<n>+deb12-amd64
# Each kernel release gets its own build directory, build/<release>/ (a
# tree of links to the sources: see tools/shadow-tree.sh), with ntpool.ko
# in build/<release>/ntpool/ and the samples in build/<release>/tools/samples/;
# NTPOOL_BENCH=y builds in build/<release>-bench/.

KDIR ?= /lib/modules/$(shell uname -r)/build
NTPOOL_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
# The kernel release as modules see it (vermagic, uname -r): UTS_RELEASE,
# not include/config/kernel.release, which says 6.1.<n> in Debian's 6.1
# headers.
KREL := $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	  $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
BUILD_DIR := $(NTPOOL_DIR)/build/$(KREL)$(if $(filter y,$(NTPOOL_BENCH)),-bench)
KBUILD_FLAGS := -C $(KDIR) M=$(BUILD_DIR) CONFIG_NTPOOL=m
NTPOOL_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' \
			    $(NTPOOL_DIR)/dkms.conf)
DKMS_SRC := /usr/src/ntpool-$(NTPOOL_VERSION)
KVER ?= $(shell uname -r)
# Header trees installed here, for the hint when KDIR has none.
KDIRS_FOUND := $(patsubst %/include/generated/utsrelease.h,%,$(wildcard \
	/usr/src/linux-headers-*/include/generated/utsrelease.h))

.PHONY: all modules samples tools clean check demo kunit vmtest lint bench help \
	bench-profile check-kdir dkms-install dkms-uninstall vm

all: modules samples

check-kdir:
	@test -f $(KDIR)/Makefile && test -n "$(KREL)" || { \
	  echo "ntpool: no kernel build tree at KDIR=$(KDIR)."; \
	  echo "ntpool: install the headers (Debian: apt-get install linux-headers-\$$(uname -r))"; \
	  echo "ntpool: or pass KDIR=/path/to/kernel/build$(if $(KDIRS_FOUND),; installed here:,.)"; \
	  $(foreach d,$(KDIRS_FOUND),echo "ntpool:   make KDIR=$(d)";) \
	  exit 1; }

# The sources as links in build/<release>/, then kbuild there.
modules: check-kdir
	@$(NTPOOL_DIR)/tools/shadow-tree.sh $(NTPOOL_DIR) $(BUILD_DIR)
	$(MAKE) $(KBUILD_FLAGS) modules

samples: modules
	$(MAKE) -C $(KDIR) M=$(BUILD_DIR)/tools/samples \
	  NTPOOL_SYMVERS=$(BUILD_DIR)/Module.symvers modules

# ntpoolmon, the poolmon for ntpool (static; needs libncurses-dev).
tools:
	$(MAKE) -C $(NTPOOL_DIR)/tools/ntpoolmon

# Every release's build directory, and what an in-tree kbuild run by hand
# ("make -C $KDIR M=$PWD") leaves in the sources.  Needs no KDIR.
clean:
	-$(MAKE) -C $(NTPOOL_DIR)/tools/ntpoolmon clean
	rm -rf $(NTPOOL_DIR)/build $(NTPOOL_DIR)/.out
	cd $(NTPOOL_DIR) && find . -path ./.git -prune -o -type f \( \
	  -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
	  -o -name '.*.cmd' -o -name '*.o.d' -o -name Module.symvers \
	  -o -name modules.order \) -exec rm -f {} +

# The project's commands: each installs what it needs on Debian 12.
check:
	$(NTPOOL_DIR)/tools/test/check.sh

demo:
	$(NTPOOL_DIR)/tools/test/demo.sh

kunit:
	$(NTPOOL_DIR)/tools/test/kunit.sh

# Your own modules on Debian's kernel in QEMU, after ntpool: a shell on the
# console, or RUN=script run there.  Relative paths are taken from the
# directory make was started in (also with make -C).
vm:
	@NTPOOL_VM_CALLER_DIR="$(PWD)" MODULES="$(MODULES)" RUN="$(RUN)" \
	  PARAMS="$(PARAMS)" \
	  $(NTPOOL_DIR)/tools/test/vm.sh \
	  "$(if $(filter file,$(origin KVER)),6.12,$(KVER))"

vmtest:
	$(NTPOOL_DIR)/tools/test/vmtest.sh

lint:
	$(NTPOOL_DIR)/tools/test/lint.sh

# The benchmark: UML and the QEMU VM; see Documentation/performance.rst.
bench:
	$(NTPOOL_DIR)/tools/bench/bench.sh

# The mixed random case alone in UML, under the host's perf.
bench-profile:
	$(NTPOOL_DIR)/tools/bench/profile.sh

# DKMS: the sources (no build products) in /usr/src/ntpool-<version>, then
# dkms add (once), build and install for KVER.  Needs root and the dkms
# package; see README.md.
dkms-install:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cd $(NTPOOL_DIR) && tar -cf - --exclude=./.git --exclude=./.out --exclude=./build \
	  --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	  --exclude='.*.cmd' --exclude=Module.symvers --exclude=modules.order \
	  --exclude=tools/ntpoolmon/ntpoolmon . | tar -C $(DKMS_SRC) -xf -
	-dkms remove -m ntpool -v $(NTPOOL_VERSION) -k $(KVER) >/dev/null 2>&1
	dkms status -m ntpool -v $(NTPOOL_VERSION) | grep -q . || \
	  dkms add -m ntpool -v $(NTPOOL_VERSION)
	dkms build -m ntpool -v $(NTPOOL_VERSION) -k $(KVER)
	dkms install -m ntpool -v $(NTPOOL_VERSION) -k $(KVER)

dkms-uninstall:
	-dkms remove -m ntpool -v $(NTPOOL_VERSION) --all
	rm -rf $(DKMS_SRC)

help:
	@echo 'ntpool: the commands (README.md has more)'
	@echo '  make [KDIR=...]     ntpool and the samples for KDIR (default: the running'
	@echo '                      kernel), in build/<kernel release>/'
	@echo '  make modules        ntpool only'
	@echo '  make samples        ntpool and the sample clients (tools/samples)'
	@echo '  make tools          ntpoolmon, the poolmon for ntpool (tools/ntpoolmon)'
	@echo '  make clean          remove every build product, of every kernel release'
	@echo '  make demo           boot Debian'"'"'s 6.12 in QEMU with ntpool and the samples'
	@echo '  make vm MODULES="a.ko b.ko" [KVER=6.12|6.1] [RUN=script.sh] [PARAMS=...]'
	@echo '                      boot Debian'"'"'s kernel with ntpool and your modules:'
	@echo '                      a shell on the console, or the script run there'
	@echo '  make check          install what is needed, run every test'
	@echo '  make kunit          the KUnit suites under UML'
	@echo '  make vmtest         the VM test'"'"'s core steps on Debian'"'"'s 6.12 kernel'
	@echo '  make lint           W=1 and sparse builds, checkpatch, the documentation'
	@echo '  make bench          the benchmark against the kernel'"'"'s allocators'
	@echo '  make bench-profile  the mixed random case in UML, under the host'"'"'s perf'
	@echo '  make dkms-install [KVER=<release>]   install ntpool with DKMS (as root)'
	@echo '  make dkms-uninstall remove ntpool from DKMS, for every kernel'
	@echo '  make help           this list'
