# Benchmarks (bench/): built on demand with `make bench`, never by `all`.
# purgatory-hash links the purgatory blob's own objects (see its header).
.PHONY: bench
bench: build/bench/purgatory-hash build/bench/sha256-speed

PURGATORY_HASH_OBJS = build/purgatory/obj/purgatory/digest.o \
		      build/purgatory/obj/purgatory/string.o \
		      build/purgatory/obj/util_lib/sha256.o \
		      build/purgatory/obj/util_lib/sha256-shani.o

build/bench/purgatory-hash: bench/purgatory-hash.c $(PURGATORY_HASH_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=gnu11 $(WARN_CFLAGS) -O2 -o $@ $^

# The loader's own SHA-256 objects, as kexec links them.
SHA256_SPEED_OBJS = build/obj/util_lib/sha256.o build/obj/util_lib/sha256-shani.o \
		    build/obj/util_lib/sha256-digest.o build/obj/util_lib/sha256-x8.o \
		    build/obj/util_lib/sha256-x16.o build/obj/util_lib/sha256-batch.o \
		    build/obj/util_lib/sha256-shani-x2.o

build/bench/sha256-speed: bench/sha256-speed.c $(SHA256_SPEED_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=gnu11 $(WARN_CFLAGS) -O2 -o $@ $^ -lpthread
