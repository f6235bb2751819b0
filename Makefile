# SPDX-License-Identifier: GPL-2.0
#
# ntpool: out-of-tree build and the project's commands.
#
#   make [KDIR=...]     build ntpool/ntpool.ko (and the sample clients)
#   make tools          build tools/ntpoolmon/ntpoolmon (poolmon for ntpool)
#   make demo           the main job: build, boot Debian's kernel in QEMU,
#                       load ntpool and a client, show what happens
#   make check          install what is needed and run every test
#   make bench          the benchmark (UML and the VM)
#   make dkms-install [KVER=...]   install ntpool with DKMS (as root), for
#                       the running kernel or KVER; make dkms-uninstall
#
# KDIR defaults to the running kernel's build tree.  On Debian, install
# linux-headers-$(uname -r) or pass e.g.
#   KDIR=/usr/src/linux-headers-6.12.<n>+deb12-amd64

KDIR ?= /lib/modules/$(shell uname -r)/build
NTPOOL_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KBUILD_FLAGS := -C $(KDIR) M=$(NTPOOL_DIR) CONFIG_NTPOOL=m
NTPOOL_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' \
			    $(NTPOOL_DIR)/dkms.conf)
DKMS_SRC := /usr/src/ntpool-$(NTPOOL_VERSION)
KVER ?= $(shell uname -r)

.PHONY: all modules samples tools clean check demo kunit vmtest lint bench help \
	check-kdir dkms-install dkms-uninstall

all: modules samples

check-kdir:
	@test -f $(KDIR)/Makefile || { \
	  echo "ntpool: no kernel build tree at KDIR=$(KDIR)."; \
	  echo "ntpool: install the headers (Debian: apt-get install linux-headers-\$$(uname -r))"; \
	  echo "ntpool: or pass KDIR=/path/to/kernel/build, e.g."; \
	  echo "ntpool:   make KDIR=/usr/src/linux-headers-6.12.<n>+deb12-amd64"; \
	  exit 1; }

modules: check-kdir
	$(MAKE) $(KBUILD_FLAGS) modules

samples: modules
	$(MAKE) -C $(KDIR) M=$(NTPOOL_DIR)/tools/samples modules

# ntpoolmon, the poolmon for ntpool (static; needs libncurses-dev).
tools:
	$(MAKE) -C $(NTPOOL_DIR)/tools/ntpoolmon

clean:
	-$(MAKE) -C $(NTPOOL_DIR)/tools/ntpoolmon clean
	-$(MAKE) $(KBUILD_FLAGS) clean 2>/dev/null
	-$(MAKE) -C $(KDIR) M=$(NTPOOL_DIR)/tools/samples clean 2>/dev/null
	rm -rf $(NTPOOL_DIR)/.out

# The project's commands: each installs what it needs on Debian 12.
check:
	$(NTPOOL_DIR)/tools/test/check.sh

demo:
	$(NTPOOL_DIR)/tools/test/demo.sh

kunit:
	$(NTPOOL_DIR)/tools/test/kunit.sh

vmtest:
	$(NTPOOL_DIR)/tools/test/vmtest.sh

lint:
	$(NTPOOL_DIR)/tools/test/lint.sh

# The benchmark: UML and the QEMU VM; see Documentation/performance.rst.
bench:
	$(NTPOOL_DIR)/tools/bench/bench.sh

# DKMS: the sources (no build products) in /usr/src/ntpool-<version>, then
# dkms add (once), build and install for KVER.  Needs root and the dkms
# package; see README.md.
dkms-install:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cd $(NTPOOL_DIR) && tar -cf - --exclude=./.git --exclude=./.out \
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
	@sed -n '3,18p' $(NTPOOL_DIR)/Makefile
