# The loader. KEXEC_LIB_SRCS is everything but main, so unit tests link it too.
KEXEC_LIB_SRCS = \
	$(sort $(filter-out kexec/kexec.c, \
	  $(patsubst $(srcdir)/%,%,$(wildcard $(srcdir)/kexec/*.c $(srcdir)/kexec/arch/$(ARCH)/*.c))))
KEXEC_LIB_OBJS = $(KEXEC_LIB_SRCS:%.c=build/obj/%.o) $(UTIL_LIB_OBJS) $(PURGATORY_BLOB_OBJ)

build/sbin/kexec: build/obj/kexec/kexec.o $(KEXEC_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)
