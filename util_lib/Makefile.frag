# Helpers shared by the loader (and, for sha256.c, by purgatory).
UTIL_LIB_SRCS = $(sort $(patsubst $(srcdir)/%,%,$(wildcard $(srcdir)/util_lib/*.c)))
UTIL_LIB_OBJS = $(UTIL_LIB_SRCS:%.c=build/obj/%.o)
