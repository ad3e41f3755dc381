// SPDX-License-Identifier: GPL-2.0-only
/*
 * Multikernel instance records (layout and rules in mk-instance.h).
 * The parser is strict on purpose: a record decides which memory the next
 * load may overwrite, so a damaged one stops the load rather than being
 * half believed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mk-instance.h"

static const char *const state_names[] = {
	[MK_LOADED] = "loaded",
	[MK_STARTING] = "starting",
	[MK_RUNNING] = "running",
	[MK_UNCONFIRMED] = "unconfirmed",
	[MK_SILENT] = "silent",
	[MK_FAILED] = "failed",
};

#define NR_STATES (sizeof(state_names) / sizeof(state_names[0]))

const char *mk_state_name(enum mk_state s)
{
	return (unsigned int)s < NR_STATES ? state_names[s] : "?";
}

bool mk_instance_holds(const struct mk_instance *in)
{
	return !in->stale && in->state != MK_FAILED;
}

/* ---- parsing ---------------------------------------------------------- */

struct cursor {
	const char *p, *end;
	unsigned int line;
	char *why;
	size_t why_size;
};

static int bad(struct cursor *c, const char *what, const char *detail)
{
	snprintf(c->why, c->why_size, "line %u: %s%s%s", c->line, what,
		 detail ? " " : "", detail ? detail : "");
	return -1;
}

/* The next line's key (must be want) and value, NUL-terminated copies. */
static int next_line(struct cursor *c, const char *want, char *value, size_t size)
{
	const char *nl, *sp;
	size_t klen, vlen;

	c->line++;
	if (c->p >= c->end)
		return bad(c, "truncated: expected", want);
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (!nl)
		return bad(c, "truncated: no newline after", want);
	sp = memchr(c->p, ' ', (size_t)(nl - c->p));
	klen = (size_t)((sp ? sp : nl) - c->p);
	if (klen != strlen(want) || memcmp(c->p, want, klen) != 0)
		return bad(c, "expected", want);
	if (memchr(c->p, '\0', (size_t)(nl - c->p)))
		return bad(c, "NUL byte in", want);
	vlen = sp ? (size_t)(nl - sp - 1) : 0;
	if (vlen >= size)
		return bad(c, "value too long for", want);
	if (sp)
		memcpy(value, sp + 1, vlen);
	value[vlen] = '\0';
	c->p = nl + 1;
	return 0;
}

static bool peek_key(const struct cursor *c, const char *key)
{
	size_t n = strlen(key);

	return (size_t)(c->end - c->p) > n && memcmp(c->p, key, n) == 0 && c->p[n] == ' ';
}

/* A strict number: base given by a 0x prefix or none, all digits, no sign, no overflow. */
static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static int parse_int_field(struct cursor *c, const char *key, uint64_t max, uint64_t *out)
{
	char v[32];

	if (next_line(c, key, v, sizeof(v)))
		return -1;
	if (parse_u64(v, out) || *out > max)
		return bad(c, "bad number for", key);
	return 0;
}

static int parse_range(struct cursor *c, const char *key, char *name, size_t name_size,
		       uint64_t *start, uint64_t *end)
{
	char v[96], a[32], b[32], n[16];

	if (next_line(c, key, v, sizeof(v)))
		return -1;
	if (name) {
		if (sscanf(v, "%15s %31s %31s", n, a, b) != 3 || strlen(n) >= name_size)
			return bad(c, "bad", key);
		strcpy(name, n);
	} else if (sscanf(v, "%31s %31s", a, b) != 2) {
		return bad(c, "bad", key);
	}
	if (parse_u64(a, start) || parse_u64(b, end) || *end <= *start ||
	    (*start | *end) & 0xfff)
		return bad(c, "bad addresses (page-aligned start < end) for", key);
	return 0;
}

/* "cpus 1-2": two or more CPUs, the first the cpu line's unless that says none. */
static int parse_cpus(struct cursor *c, struct mk_instance *out)
{
	char v[CPU_LIST_MAX * 6];
	struct cpu_set set;
	size_t n;

	if (next_line(c, "cpus", v, sizeof(v)))
		return -1;
	if (!v[0] || strpbrk(v, " \t") || cpu_set_parse(v, &set))
		return bad(c, "bad cpus", v);
	n = cpu_set_members(&set, out->cpus, CPU_LIST_MAX);
	if (n < 2 || n > CPU_LIST_MAX)
		return bad(c, "cpus needs 2 to 32 CPUs:", v);
	if (out->cpu >= 0 && out->cpus[0] != out->cpu)
		return bad(c, "cpus does not start with the cpu line's CPU:", v);
	out->nr_cpus = n;
	return 0;
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0';
}

int mk_instance_parse(const char *text, size_t len, struct mk_instance *out,
		      char *why, size_t why_size)
{
	struct cursor c = { text, text + len, 0, why, why_size };
	char v[96];
	uint64_t n;

	memset(out, 0, sizeof(*out));
	if (next_line(&c, "version", v, sizeof(v)))
		return -1;
	if (strcmp(v, "1") != 0)
		return bad(&c, "unknown record version", v);
	if (next_line(&c, "cpu", v, sizeof(v)))
		return -1;
	if (strcmp(v, "none") == 0)
		out->cpu = -1;
	else if (parse_u64(v, &n) || n >= 4096)
		return bad(&c, "bad cpu", v);
	else
		out->cpu = (int)n;
	/* Optional: only an instance of several CPUs has it. */
	if (peek_key(&c, "cpus") && parse_cpus(&c, out))
		return -1;
	if (next_line(&c, "state", v, sizeof(v)))
		return -1;
	for (n = 0; n < NR_STATES && strcmp(v, state_names[n]) != 0; n++)
		;
	if (n == NR_STATES)
		return bad(&c, "unknown state", v);
	out->state = (enum mk_state)n;
	if ((out->cpu < 0) != (out->state == MK_LOADED))
		return bad(&c, "state and cpu disagree:", v);
	if (next_line(&c, "boot_id", out->boot_id, sizeof(out->boot_id)) ||
	    parse_int_field(&c, "started", INT64_MAX, &n))
		return -1;
	out->started = (int64_t)n;
	if (next_line(&c, "image", out->image, sizeof(out->image)))
		return -1;
	if (next_line(&c, "sha256", out->sha256, sizeof(out->sha256)))
		return -1;
	if (!is_hex(out->sha256, 64))
		return bad(&c, "bad sha256", NULL);
	if (next_line(&c, "cmdline", out->cmdline, sizeof(out->cmdline)) ||
	    parse_int_field(&c, "status", UINT64_MAX, &out->status_addr))
		return -1;
	/* Optional: a record written before kexec kept the port has none. */
	if (peek_key(&c, "serial")) {
		if (parse_int_field(&c, "serial", UINT16_MAX, &n))
			return -1;
		if (n == 0)
			return bad(&c, "bad number for", "serial");
		out->serial_port = (uint16_t)n;
	}
	while (peek_key(&c, "range")) {
		struct mk_named_range *r = &out->ranges[out->nr_ranges];

		if (out->nr_ranges == MK_MAX_RANGES)
			return bad(&c, "too many", "range lines");
		if (parse_range(&c, "range", r->name, sizeof(r->name), &r->start, &r->end))
			return -1;
		out->nr_ranges++;
	}
	if (out->nr_ranges == 0)	/* at least one: says "expected range" */
		return parse_range(&c, "range", v, sizeof(v), &n, &n) ? -1 : bad(&c, "?", NULL);
	while (peek_key(&c, "segment")) {
		struct mem_range *s = &out->segments[out->nr_segments];

		if (out->nr_segments == 16)
			return bad(&c, "too many", "segment lines");
		if (parse_range(&c, "segment", NULL, 0, &s->start, &s->end))
			return -1;
		s->type = MEM_RAM;
		out->nr_segments++;
	}
	if (next_line(&c, "end", v, sizeof(v)))
		return -1;
	if (v[0] || c.p != c.end)
		return bad(&c, "text after", "end");
	return 0;
}

int mk_instance_format(const struct mk_instance *in, char *out, size_t size)
{
	char cpu[16] = "none", cpus[CPU_LIST_MAX * 6 + 8] = "";
	size_t used;
	int n;

	if (in->cpu >= 0)
		snprintf(cpu, sizeof(cpu), "%d", in->cpu);
	if (in->nr_cpus > 1) {
		snprintf(cpus, sizeof(cpus), "cpus ");
		if (cpu_list_format(in->cpus, in->nr_cpus, cpus + 5, sizeof(cpus) - 6))
			return -1;
		strcat(cpus, "\n");
	}
	n = snprintf(out, size,
		     "version 1\ncpu %s\n%sstate %s\nboot_id %s\nstarted %" PRId64 "\n"
		     "image %s\nsha256 %s\ncmdline %s\nstatus 0x%" PRIx64 "\n",
		     cpu, cpus, mk_state_name(in->state), in->boot_id, in->started, in->image,
		     in->sha256, in->cmdline, in->status_addr);
	if (n < 0 || (size_t)n >= size)
		return -1;
	used = (size_t)n;
	if (in->serial_port) {
		n = snprintf(out + used, size - used, "serial 0x%x\n", in->serial_port);
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
	}
	for (size_t i = 0; i < in->nr_ranges; i++) {
		n = snprintf(out + used, size - used, "range %s 0x%" PRIx64 " 0x%" PRIx64 "\n",
			     in->ranges[i].name, in->ranges[i].start, in->ranges[i].end);
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
	}
	for (size_t i = 0; i < in->nr_segments; i++) {
		n = snprintf(out + used, size - used, "segment 0x%" PRIx64 " 0x%" PRIx64 "\n",
			     in->segments[i].start, in->segments[i].end);
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
	}
	n = snprintf(out + used, size - used, "end\n");
	return n < 0 || (size_t)n >= size - used ? -1 : 0;
}

/* ---- the directory ---------------------------------------------------- */

static bool record_name(const char *name)
{
	size_t i = 3;

	if (strcmp(name, MK_INSTANCE_LOADED) == 0)
		return true;
	if (strncmp(name, "cpu", 3) != 0 || !name[3] || strlen(name) > 8)
		return false;
	for (; name[i]; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return true;
}

void mk_instance_file_name(const struct mk_instance *in, char *out, size_t size)
{
	if (in->cpu < 0)
		snprintf(out, size, "%s", MK_INSTANCE_LOADED);
	else
		snprintf(out, size, "cpu%d", in->cpu);
}

static void add_damaged(struct mk_registry *reg, const char *name, const char *why)
{
	struct mk_damaged *d;

	if (reg->nr_damaged == sizeof(reg->damaged) / sizeof(reg->damaged[0]))
		return;
	d = &reg->damaged[reg->nr_damaged++];
	snprintf(d->file, sizeof(d->file), "%s", name);
	snprintf(d->why, sizeof(d->why), "%s", why);
}

/* Read one record; a damaged one is listed in reg->damaged, not an error. */
static int read_record(struct mk_registry *reg, const char *name, const char *boot_id,
		       struct kx_error *err)
{
	char *buf = malloc(MK_RECORD_MAX);
	struct mk_instance *in = &reg->inst[reg->nr];
	char why[160], expect[32];
	ssize_t len;
	int fd;

	if (!buf)
		return kx_fail(err, KX_EHOST, "out of memory reading %s/%s", reg->dir, name);
	fd = openat(reg->dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		free(buf);
		return kx_fail(err, KX_EHOST, "cannot open %s/%s: %s", reg->dir, name,
			       strerror(errno));
	}
	len = read(fd, buf, MK_RECORD_MAX);
	close(fd);
	if (len < 0) {
		free(buf);
		return kx_fail(err, KX_EHOST, "cannot read %s/%s: %s", reg->dir, name,
			       strerror(errno));
	}
	if (len == MK_RECORD_MAX)
		snprintf(why, sizeof(why), "larger than %d bytes", MK_RECORD_MAX);
	else if (mk_instance_parse(buf, (size_t)len, in, why, sizeof(why)) == 0) {
		mk_instance_file_name(in, expect, sizeof(expect));
		if (strcmp(expect, name) != 0)
			snprintf(why, sizeof(why), "its cpu line says %s", expect);
		else
			why[0] = '\0';
	}
	free(buf);
	if (why[0]) {
		add_damaged(reg, name, why);
		return 0;
	}
	snprintf(in->file, sizeof(in->file), "%s", name);
	in->stale = boot_id[0] && in->boot_id[0] && strcmp(boot_id, in->boot_id) != 0;
	reg->nr++;
	return 0;
}

static int open_dir(const char *sysroot, const char *boot_id, bool writable,
		    const struct mk_lock_ops *lock_ops, struct mk_registry *reg,
		    struct kx_error *err)
{
	char run[PATH_MAX];

	snprintf(reg->dir, sizeof(reg->dir), "%s%s", sysroot, MK_INSTANCE_DIR);
	snprintf(run, sizeof(run), "%s/run", sysroot);
	if (writable && mkdir(run, 0755) && errno != EEXIST)
		return kx_fail(err, KX_EHOST, "cannot create %s: %s", run, strerror(errno));
	if (writable && mkdir(reg->dir, 0700) && errno != EEXIST)
		return kx_fail(err, KX_EHOST, "cannot create %s: %s", reg->dir, strerror(errno));
	reg->dir_fd = open(reg->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (reg->dir_fd < 0 && errno == ENOENT && !writable)
		return 0;
	if (reg->dir_fd < 0)
		return kx_fail(err, KX_EHOST, "cannot open %s: %s", reg->dir, strerror(errno));
	return mk_lock_take(reg->dir_fd, reg->dir, writable, boot_id, lock_ops, &reg->lock, err);
}

/* Started instances by CPU, then the loaded image: listings read in CPU order. */
static int by_cpu(const void *a, const void *b)
{
	unsigned int x = (unsigned int)((const struct mk_instance *)a)->cpu;
	unsigned int y = (unsigned int)((const struct mk_instance *)b)->cpu;

	return x < y ? -1 : x > y;
}

int mk_registry_open(const char *sysroot, const char *boot_id, bool writable,
		     struct mk_registry *reg, struct kx_error *err)
{
	return mk_registry_open_with(sysroot, boot_id, writable, &mk_lock_system, reg, err);
}

int mk_registry_open_with(const char *sysroot, const char *boot_id, bool writable,
			  const struct mk_lock_ops *lock_ops, struct mk_registry *reg,
			  struct kx_error *err)
{
	struct dirent *de;
	DIR *d;
	int fd;

	memset(reg, 0, sizeof(*reg));
	reg->dir_fd = -1;
	reg->lock.dir_fd = -1;
	reg->writable = writable;
	reg->inst = calloc(MK_MAX_INSTANCES, sizeof(*reg->inst));
	if (!reg->inst)
		return kx_fail(err, KX_EHOST, "out of memory for the instance records");
	if (open_dir(sysroot, boot_id, writable, lock_ops, reg, err))
		goto fail;
	if (reg->dir_fd < 0)
		return 0;
	fd = dup(reg->dir_fd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		kx_fail(err, KX_EHOST, "cannot list %s: %s", reg->dir, strerror(errno));
		goto fail;
	}
	while ((de = readdir(d))) {
		/* Dot-files are a writer's unfinished copies (or . and ..). */
		if (de->d_name[0] == '.' || !record_name(de->d_name))
			continue;
		if (reg->nr == MK_MAX_INSTANCES) {
			closedir(d);
			kx_fail(err, KX_EHOST, "more than %d instance records in %s",
				MK_MAX_INSTANCES, reg->dir);
			goto fail;
		}
		if (read_record(reg, de->d_name, boot_id, err)) {
			closedir(d);
			goto fail;
		}
	}
	closedir(d);
	qsort(reg->inst, reg->nr, sizeof(*reg->inst), by_cpu);
	return 0;
fail:
	mk_registry_close(reg);
	return -1;
}

void mk_registry_close(struct mk_registry *reg)
{
	mk_lock_release(&reg->lock);
	if (reg->dir_fd >= 0)
		close(reg->dir_fd);	/* drops an flock */
	reg->dir_fd = -1;
	free(reg->inst);
	reg->inst = NULL;
	reg->nr = 0;
}

int mk_registry_put(struct mk_registry *reg, const struct mk_instance *in,
		    struct kx_error *err)
{
	char name[32], tmp[40], *text;
	struct mk_instance *slot;
	size_t len;
	int fd, ok;

	if (!reg->writable || reg->dir_fd < 0)
		return kx_fail(err, KX_EHOST, "internal: instance records opened read-only");
	mk_instance_file_name(in, name, sizeof(name));
	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	text = malloc(MK_RECORD_MAX);
	if (!text || mk_instance_format(in, text, MK_RECORD_MAX)) {
		free(text);
		return kx_fail(err, KX_EHOST, "internal: the instance record does not fit");
	}
	len = strlen(text);
	fd = openat(reg->dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	ok = fd >= 0 && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	free(text);
	if (fd >= 0 && close(fd))
		ok = 0;
	if (!ok || renameat(reg->dir_fd, tmp, reg->dir_fd, name)) {
		int e = errno;

		unlinkat(reg->dir_fd, tmp, 0);
		return kx_fail(err, KX_EHOST, "cannot write %s/%s: %s", reg->dir, name, strerror(e));
	}
	slot = mk_registry_find(reg, name);
	if (!slot && reg->nr < MK_MAX_INSTANCES)
		slot = &reg->inst[reg->nr++];
	if (slot) {
		*slot = *in;
		snprintf(slot->file, sizeof(slot->file), "%s", name);
		slot->stale = false;
	}
	return 0;
}

int mk_registry_remove(struct mk_registry *reg, const char *file, struct kx_error *err)
{
	struct mk_instance *in;

	if (!reg->writable || reg->dir_fd < 0)
		return kx_fail(err, KX_EHOST, "internal: instance records opened read-only");
	if (unlinkat(reg->dir_fd, file, 0) && errno != ENOENT)
		return kx_fail(err, KX_EHOST, "cannot remove %s/%s: %s", reg->dir, file,
			       strerror(errno));
	in = mk_registry_find(reg, file);
	if (in)
		*in = reg->inst[--reg->nr];
	for (size_t i = 0; i < reg->nr_damaged; i++)
		if (strcmp(reg->damaged[i].file, file) == 0)
			reg->damaged[i] = reg->damaged[--reg->nr_damaged];
	return 0;
}

struct mk_instance *mk_registry_find(struct mk_registry *reg, const char *file)
{
	for (size_t i = 0; i < reg->nr; i++)
		if (strcmp(reg->inst[i].file, file) == 0)
			return &reg->inst[i];
	return NULL;
}

bool mk_instance_has_cpu(const struct mk_instance *in, int cpu)
{
	if (in->nr_cpus < 2)
		return in->cpu >= 0 && in->cpu == cpu;
	for (size_t i = 0; i < in->nr_cpus; i++)
		if (in->cpus[i] == cpu)
			return true;
	return false;
}

void mk_instance_cpu_list(const struct mk_instance *in, char *out, size_t size)
{
	if (in->nr_cpus > 1 && cpu_list_format(in->cpus, in->nr_cpus, out, size) == 0)
		return;
	if (in->cpu >= 0)
		snprintf(out, size, "%d", in->cpu);
	else
		snprintf(out, size, "-");
}

void mk_instance_cpu_words(const struct mk_instance *in, char *out, size_t size)
{
	char cpus[CPU_LIST_MAX * 6];

	mk_instance_cpu_list(in, cpus, sizeof(cpus));
	snprintf(out, size, "CPU%s %s", in->nr_cpus > 1 ? "s" : "", cpus);
}

void mk_instance_kicked_words(const struct mk_instance *in, char *out, size_t size)
{
	char cpus[CPU_LIST_MAX * 6];

	if (in->nr_cpus < 2) {
		snprintf(out, size, "CPU %d", in->cpu);
		return;
	}
	mk_instance_cpu_list(in, cpus, sizeof(cpus));
	snprintf(out, size, "CPU %d (the first of CPUs %s)", in->cpu, cpus);
}

const struct mk_instance *mk_registry_cpu_holder(const struct mk_registry *reg, int cpu)
{
	for (size_t i = 0; i < reg->nr; i++)
		if (reg->inst[i].cpu >= 0 && mk_instance_has_cpu(&reg->inst[i], cpu) &&
		    mk_instance_holds(&reg->inst[i]))
			return &reg->inst[i];
	return NULL;
}

const struct mk_instance *mk_registry_overlap(const struct mk_registry *reg, uint64_t start,
					      uint64_t end, const struct mk_named_range **range)
{
	for (size_t i = 0; i < reg->nr; i++) {
		const struct mk_instance *in = &reg->inst[i];

		if (!mk_instance_holds(in))
			continue;
		for (size_t j = 0; j < in->nr_ranges; j++) {
			if (in->ranges[j].start < end && start < in->ranges[j].end) {
				if (range)
					*range = &in->ranges[j];
				return in;
			}
		}
	}
	return NULL;
}

void mk_registry_held(const struct mk_registry *reg, struct mem_ranges *out)
{
	out->nr = 0;
	for (size_t i = 0; i < reg->nr; i++)
		for (size_t j = 0; mk_instance_holds(&reg->inst[i]) && j < reg->inst[i].nr_ranges;
		     j++)
			mem_ranges_add(out, reg->inst[i].ranges[j].start, reg->inst[i].ranges[j].end,
				       MEM_RESERVED);
	mem_ranges_normalize(out);
}

void mk_instance_describe(const struct mk_instance *in, char *out, size_t size)
{
	char when[32] = "", cpus[CPU_LIST_MAX * 6];
	time_t t = (time_t)in->started;
	struct tm tm;

	if (in->started && gmtime_r(&t, &tm))
		strftime(when, sizeof(when), " since %Y-%m-%d %H:%M:%S UTC", &tm);
	mk_instance_cpu_list(in, cpus, sizeof(cpus));
	if (in->cpu < 0)
		snprintf(out, size, "the loaded image %s", in->image);
	else
		snprintf(out, size, "the instance on CPU%s %s (%s%s, %s)", in->nr_cpus > 1 ? "s" : "",
			 cpus, mk_state_name(in->state), when, in->image);
}

int mk_registry_require_sound(const struct mk_registry *reg, struct kx_error *err)
{
	const struct mk_damaged *d = &reg->damaged[0];

	if (!reg->nr_damaged)
		return 0;
	return kx_fail(err, KX_EINSTANCE, "the instance record %s/%s is damaged (%s); check what "
		       "runs there, then remove it with 'kexec --multikernel --forget=%s'",
		       reg->dir, d->file, d->why,
		       strncmp(d->file, "cpu", 3) == 0 ? d->file + 3 : "N' or 'kexec -u --multikernel");
}
