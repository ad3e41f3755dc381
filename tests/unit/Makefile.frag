# Unit tests: every tests/unit/test-*.c is one cmocka program linked with the loader library.
UNIT_TEST_SRCS = $(sort $(patsubst $(srcdir)/%,%,$(wildcard $(srcdir)/tests/unit/test-*.c)))
UNIT_TESTS     = $(UNIT_TEST_SRCS:tests/unit/%.c=build/tests/%)
UNIT_HELPERS   = $(filter-out $(UNIT_TEST_SRCS), \
                   $(patsubst $(srcdir)/%,%,$(wildcard $(srcdir)/tests/unit/*.c)))

build/tests/%: build/obj/tests/unit/%.o $(UNIT_HELPERS:%.c=build/obj/%.o) $(KEXEC_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) -lcmocka

# Each program prints cmocka's own summary; tests/run-unit turns them into PASS/FAIL lines.
check: all $(UNIT_TESTS)
ifneq ($(HAVE_CMOCKA),yes)
	@echo "make check: cmocka.h not found: apt-get install libcmocka-dev" >&2; exit 1
endif
	@UNIT_SRCDIR=$(srcdir) $(srcdir)/tests/unit/run-unit $(UNIT_TESTS); unit=$$?; \
	 READELF=$(READELF) NM=$(NM) OBJCOPY=$(OBJCOPY) \
	 $(srcdir)/tests/unit/check-purgatory build/purgatory $(PURGATORY_BLOB_OBJ); \
	 exit $$(( unit || $$? ))
