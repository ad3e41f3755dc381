# libFuzzer harnesses (tests/fuzz/run builds them with clang: make fuzz).
# Every tests/fuzz/fuzz-*.c but fuzz-common.c is one target linked with the
# loader library; fuzz-dryrun also gets kexec.c's main, renamed kexec_main.
FUZZ_SRCS    = $(sort $(patsubst $(srcdir)/%,%,$(wildcard $(srcdir)/tests/fuzz/fuzz-*.c)))
FUZZ_TARGETS = $(patsubst tests/fuzz/%.c,build/fuzz/%,$(filter-out tests/fuzz/fuzz-common.c,$(FUZZ_SRCS)))
FUZZ_MAIN    = build/obj/tests/fuzz/kexec-main.o

build/fuzz/%: build/obj/tests/fuzz/%.o build/obj/tests/fuzz/fuzz-common.o $(KEXEC_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

build/fuzz/fuzz-dryrun: $(FUZZ_MAIN)

$(FUZZ_MAIN): kexec/kexec.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Wno-missing-prototypes -Dmain=kexec_main -MMD -MP -c $< -o $@

.PHONY: fuzz
fuzz: $(FUZZ_TARGETS)
