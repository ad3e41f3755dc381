# Unit tests: every tests/unit/test-*.c is one cmocka program linked with the loader library.
UNIT_TEST_SRCS = $(sort $(patsubst $(srcdir)/%,%,$(wildcard $(srcdir)/tests/unit/test-*.c)))
UNIT_TESTS     = $(UNIT_TEST_SRCS:tests/unit/%.c=build/tests/%)
UNIT_HELPERS   = $(filter-out $(UNIT_TEST_SRCS), \
                   $(patsubst $(srcdir)/%,%,$(wildcard $(srcdir)/tests/unit/*.c)))

build/tests/%: build/obj/tests/unit/%.o $(UNIT_HELPERS:%.c=build/obj/%.o) $(KEXEC_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CONF_LDFLAGS) -o $@ $^ $(LIBS) -lcmocka

# Purgatory's C compiled for the host (tests/unit/purgatory/): the same sources
# with purgatory's no-builtin flags, the host's warnings and sanitizers, and
# only the hardware edges (serial port, page tables, SSE switch) replaced in
# the test.  The SHA-256 objects are the loader's: the digests it stores.
PURGATORY_HOST_SRCS = purgatory/purgatory.c purgatory/digest.c purgatory/string.c purgatory/madt.c
PURGATORY_HOST_OBJS = $(PURGATORY_HOST_SRCS:%.c=build/obj/host-purgatory/%.o)
UNIT_TESTS += build/tests/test-purgatory-host

build/obj/host-purgatory/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -ffreestanding -fno-builtin \
	      -fno-tree-loop-distribute-patterns -MMD -MP -c $< -o $@

build/tests/test-purgatory-host: build/obj/tests/unit/purgatory/test-purgatory-host.o \
				 $(PURGATORY_HOST_OBJS) build/obj/util_lib/sha256.o \
				 build/obj/util_lib/sha256-shani.o build/obj/util_lib/sha256-digest.o
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CONF_LDFLAGS) -o $@ $^ -lcmocka

# Each program prints cmocka's own summary; tests/run-unit turns them into PASS/FAIL lines.
check: all $(UNIT_TESTS)
ifneq ($(HAVE_CMOCKA),yes)
	@echo "make check: cmocka.h not found: apt-get install libcmocka-dev" >&2; exit 1
endif
	@UNIT_SRCDIR=$(srcdir) $(srcdir)/tests/unit/run-unit $(UNIT_TESTS); unit=$$?; \
	 READELF=$(READELF) NM=$(NM) OBJCOPY=$(OBJCOPY) \
	 $(srcdir)/tests/unit/check-purgatory build/purgatory $(PURGATORY_BLOB_OBJ); \
	 exit $$(( unit || $$? ))

# test-mk-start runs the multikernel plan's executor with the load, the kick, the
# unload and purgatory's status record replaced by the test's own (ld --wrap): a unit
# test never starts, loads or unloads anything on this machine, nor reads /dev/mem.
build/tests/test-mk-start: CONF_LDFLAGS += -Wl,--wrap=kx_sys_kexec_load \
					   -Wl,--wrap=kx_sys_reboot_multikernel \
					   -Wl,--wrap=kx_sys_kexec_unload \
					   -Wl,--wrap=mk_status_wait
