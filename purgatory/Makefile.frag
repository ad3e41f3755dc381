# Purgatory: freestanding x86_64 code linked at base 0 and embedded in the
# loader as $(PURGATORY_BLOB_OBJ).  It has its own flags and its own object
# tree (build/purgatory/obj): the host CFLAGS and SAN_CFLAGS never reach it.
PURGATORY_SRCS = purgatory/entry64.S purgatory/params.S purgatory/purgatory.c \
                 purgatory/page-tables.c purgatory/digest.c purgatory/serial.c \
                 purgatory/string.c purgatory/sse.c purgatory/madt.c util_lib/sha256.c \
                 util_lib/sha256-shani.c
PURGATORY_OBJS = $(addprefix build/purgatory/obj/,$(addsuffix .o,$(basename $(PURGATORY_SRCS))))
PURGATORY_BLOB_OBJ = build/obj/purgatory/purgatory-blob.o

# Its flags are gcc's; a clang build of the loader (tests/fuzz) passes PURGATORY_CC=gcc.
PURGATORY_CC = $(CC)
PURGATORY_CPPFLAGS = -I$(srcdir)/purgatory -I$(srcdir)/util_lib/include -U_FORTIFY_SOURCE
# No SSE or x87 (the multikernel entry has CR4.OSFXSR clear; only the
# target("sha,...") functions of sha256-shani.c use XMM registers, after
# sse.c turned SSE on), no red zone,
# nothing that calls into a runtime, position independent without a GOT.
PURGATORY_CFLAGS = -std=gnu11 $(WARN_CFLAGS) -O2 -g \
                   -ffreestanding -fno-builtin -fno-common \
                   -fpie -fvisibility=hidden \
                   -mgeneral-regs-only -mno-red-zone \
                   -fno-stack-protector -fno-stack-clash-protection -fcf-protection=none \
                   -fno-asynchronous-unwind-tables -fno-unwind-tables \
                   -fno-tree-loop-distribute-patterns
# Static, not PIE: no dynamic section at all.  --emit-relocs keeps the
# static relocations in purgatory.elf so link-check can prove that every
# one of them is PC-relative, i.e. that the blob runs at any address.
PURGATORY_LDFLAGS = -nostdlib -static -no-pie \
                    -Wl,-T,$(srcdir)/purgatory/purgatory.lds \
                    -Wl,--emit-relocs \
                    -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

build/purgatory/obj/%.o: %.c
	@mkdir -p $(@D)
	$(PURGATORY_CC) $(PURGATORY_CPPFLAGS) $(PURGATORY_CFLAGS) -MMD -MP -c $< -o $@

build/purgatory/obj/%.o: %.S
	@mkdir -p $(@D)
	$(PURGATORY_CC) $(PURGATORY_CPPFLAGS) -MMD -MP -c $< -o $@

build/purgatory/purgatory.elf: $(PURGATORY_OBJS) purgatory/purgatory.lds purgatory/link-check
	$(PURGATORY_CC) $(PURGATORY_LDFLAGS) -o $@.tmp $(PURGATORY_OBJS)
	READELF=$(READELF) NM=$(NM) $(srcdir)/purgatory/link-check $@.tmp
	mv -f $@.tmp $@

build/purgatory/purgatory.bin: build/purgatory/purgatory.elf
	$(OBJCOPY) -O binary $< $@

# Host object, but not via the generic build/obj/%.o rule: it must wait
# for purgatory.bin, which .incbin finds through -Wa,-I.
$(PURGATORY_BLOB_OBJ): purgatory/purgatory-blob.S build/purgatory/purgatory.bin
	@mkdir -p $(@D)
	$(CC) -Wa,-I,build/purgatory -c $< -o $@

-include $(shell find build/purgatory -name '*.d' 2>/dev/null)
