// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "multikernel-log.h"
#include "multikernel-status.h"

#define PAGE 4096ull
/* new_utsname: sysname[65], nodename[65], then release (include/uapi/linux/utsname.h). */
#define UTS_RELEASE_OFF 130

static int devmem_read(void *ctx, uint64_t addr, void *buf, size_t len);

/* Record the pages [addr, addr + len) covers, once each (KEXEC_MK_RECORD_MEM). */
static void record_pages(struct mk_log *lg, uint64_t addr, size_t len)
{
	for (uint64_t p = addr & ~(PAGE - 1); p < addr + len; p += PAGE) {
		uint8_t page[PAGE];
		uint64_t hdr[2] = { p, PAGE };
		size_t i;

		for (i = 0; i < lg->nr_recorded && lg->recorded[i] != p; i++)
			;
		if (i < lg->nr_recorded || lg->nr_recorded == sizeof(lg->recorded) / 8 ||
		    devmem_read(lg, p, page, PAGE))
			continue;
		lg->recorded[lg->nr_recorded++] = p;
		fwrite(hdr, sizeof(hdr), 1, lg->record);
		fwrite(page, PAGE, 1, lg->record);
	}
}

/*
 * Through the uncached mapping in aligned 8-byte loads where possible (a
 * byte at a time costs a bus cycle per byte: the note's scan alone reads
 * 36 bytes of every page).
 */
static int devmem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct mk_log *lg = ctx;
	uint8_t *out = buf;

	for (size_t i = 0; i < lg->nr_maps; i++) {
		const volatile uint8_t *src;

		if (addr < lg->maps[i].start || addr + len > lg->maps[i].end)
			continue;
		src = lg->maps[i].map + (addr - lg->maps[i].start);
		while (len) {
			if (!((uintptr_t)src & 7) && len >= 8) {
				uint64_t w = *(const volatile uint64_t *)src;

				memcpy(out, &w, 8);
				src += 8, out += 8, len -= 8;
			} else {
				*out++ = *src++;
				len--;
			}
		}
		return 0;
	}
	return -1;
}

static int recording_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct mk_log *lg = ctx;

	if (devmem_read(ctx, addr, buf, len))
		return -1;
	if (lg->recording)
		record_pages(lg, addr, len);
	return 0;
}

/* The recorded image: find the record holding [addr, addr + len). */
static int image_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct mk_log *lg = ctx;

	for (size_t off = 0; off + 16 <= lg->image_size; ) {
		uint64_t hdr[2];

		memcpy(hdr, lg->image + off, 16);
		if (hdr[1] > lg->image_size - off - 16)
			return -1;
		if (addr >= hdr[0] && addr - hdr[0] < hdr[1] && len <= hdr[1] - (addr - hdr[0])) {
			memcpy(buf, lg->image + off + 16 + (addr - hdr[0]), len);
			return 0;
		}
		off += 16 + hdr[1];
	}
	return -1;
}

static int load_image(struct mk_log *lg, const char *sysroot, struct kx_error *err)
{
	char path[PATH_MAX];
	struct stat sb;
	int fd;

	snprintf(path, sizeof(path), "%s/dev/mem.pages", sysroot);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) || !(lg->image = malloc((size_t)sb.st_size + 1)) ||
	    read(fd, lg->image, (size_t)sb.st_size) != sb.st_size) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return kx_fail(err, KX_EHOST, "cannot read the spawned kernel's memory: %s: %s "
			       "(a --sysroot replays a recorded image of its pages)", path,
			       strerror(e));
	}
	close(fd);
	lg->image_size = (size_t)sb.st_size;
	lg->view.read = image_read;
	return 0;
}

int mk_log_map(struct mk_log *lg, const char *sysroot, const struct mk_instance *in,
	       struct kx_error *err)
{
	const char *rec = getenv("KEXEC_MK_RECORD_MEM");
	int fd;

	memset(lg, 0, sizeof(*lg));
	lg->view.ctx = lg;
	mk_instance_cpu_words(in, lg->cpus, sizeof(lg->cpus));
	for (size_t i = 0; i < in->nr_ranges; i++)
		if (mem_view_add(&lg->view, in->ranges[i].start, in->ranges[i].end))
			return kx_fail(err, KX_ELIMIT, "%s's record lists more than %d ranges",
				       lg->cpus, MEM_VIEW_MAX_RANGES);
	if (sysroot[0] && strcmp(sysroot, "/"))
		return load_image(lg, sysroot, err);
	fd = open("/dev/mem", O_RDONLY | O_CLOEXEC | O_SYNC);
	if (fd < 0)
		return kx_fail(err, errno == EPERM || errno == EACCES ? KX_EPERM : KX_EHOST,
			       "cannot read %s's memory: /dev/mem: %s", lg->cpus, strerror(errno));
	for (size_t i = 0; i < lg->view.nr; i++) {
		uint64_t start = lg->view.r[i].start & ~(PAGE - 1);
		size_t size = (size_t)(((lg->view.r[i].end + PAGE - 1) & ~(PAGE - 1)) - start);
		void *m = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, (off_t)start);

		if (m == MAP_FAILED) {
			int e = errno;

			close(fd);
			mk_log_close(lg);
			return kx_fail(err, e == EPERM || e == EACCES ? KX_EPERM : KX_EHOST,
				       "cannot map %s's memory [0x%" PRIx64 ",0x%" PRIx64 ") "
				       "through /dev/mem: %s (kernel lockdown or STRICT_DEVMEM?)",
				       lg->cpus, lg->view.r[i].start, lg->view.r[i].end, strerror(e));
		}
		lg->maps[lg->nr_maps].start = start;
		lg->maps[lg->nr_maps].end = start + size;
		lg->maps[lg->nr_maps++].map = m;
	}
	close(fd);
	lg->view.read = devmem_read;
	if (rec && *rec) {
		lg->record = fopen(rec, "we");
		if (!lg->record)
			return kx_fail(err, KX_EFILE, "KEXEC_MK_RECORD_MEM=%s: %s", rec,
				       strerror(errno));
		lg->view.read = recording_read;
	}
	return 0;
}

static int vread(void *ctx, uint64_t va, void *buf, size_t len)
{
	return kernel_vread(ctx, va, buf, len);
}

/* Does the kernel image in memory carry the release its note names? */
static bool release_matches(struct mk_log *lg)
{
	char rel[65];

	if (!lg->vi.have_uts)
		return true;
	if (kernel_vread(&lg->vtop, lg->vi.init_uts_ns_va + lg->vi.uts_name_off + UTS_RELEASE_OFF,
			 rel, sizeof(rel)))
		return false;
	rel[64] = '\0';
	return strcmp(rel, lg->vi.osrelease) == 0;
}

int mk_log_find(struct mk_log *lg, struct kx_error *err)
{
	static char text[VMCOREINFO_TEXT_MAX + 1];
	char why[256] = "", first_why[256] = "";
	double t0 = mk_status_now();
	uint64_t at;

	lg->found = false;
	lg->notes = 0;
	lg->pages_probed = 0;
	lg->scans++;
	for (uint64_t from = 0; !vmcoreinfo_find(&lg->view, from, text, &at, &lg->pages_probed);
	     from = at + PAGE) {
		lg->notes++;
		/* A replay needs the pages the checks below read, not the scan's. */
		if (lg->record) {
			lg->recording = true;
			record_pages(lg, at, PAGE);
		}
		if (vmcoreinfo_parse(text, strlen(text), &lg->vi, why, sizeof(why)) ||
		    kernel_vtop_init(&lg->vtop, &lg->view, &lg->vi, why, sizeof(why)))
			;
		else if (!release_matches(lg))
			snprintf(why, sizeof(why), "kernel %s's note does not match the kernel "
				 "image in memory (an earlier kernel's?)", lg->vi.osrelease);
		else {
			lg->note_addr = at;
			lg->found = true;
			break;
		}
		if (!first_why[0])
			memcpy(first_why, why, sizeof(why));
		lg->recording = false;
	}
	lg->scan_s = mk_status_now() - t0;
	if (lg->found)
		return 0;
	if (!lg->notes)
		return kx_fail(err, KX_ENOLOG, "no VMCOREINFO in %s's memory: its kernel was "
			       "built without CONFIG_VMCORE_INFO, is not Linux, or has not got that "
			       "far in its boot; its log cannot be read", lg->cpus);
	return kx_fail(err, KX_ENOLOG, "%s's VMCOREINFO is in a format this kexec does not "
		       "know: %s", lg->cpus, first_why);
}

int mk_log_walk(struct mk_log *lg, uint64_t min_seq, prb_record_fn fn, void *ctx,
		struct prb_stats *st, struct kx_error *err)
{
	struct prb_reader r = { .read = vread, .ctx = &lg->vtop,
				.mem_bytes = mem_view_size(&lg->view) };
	char why[256];
	int rc = prb_walk(&lg->vi.prb, &r, min_seq, fn, ctx, st, why, sizeof(why));

	if (rc < 0)
		return kx_fail(err, KX_ENOLOG, "kernel %s's printk ring cannot be read: %s",
			       lg->vi.osrelease, why);
	return rc;
}

void mk_log_close(struct mk_log *lg)
{
	for (size_t i = 0; i < lg->nr_maps; i++)
		munmap((void *)lg->maps[i].map, (size_t)(lg->maps[i].end - lg->maps[i].start));
	lg->nr_maps = 0;
	free(lg->image);
	lg->image = NULL;
	if (lg->record)
		fclose(lg->record);
	lg->record = NULL;
}

void mk_log_prefix(uint64_t ts_nsec, char *out, size_t size)
{
	snprintf(out, size, "[%5" PRIu64 ".%06" PRIu64 "] ", ts_nsec / 1000000000,
		 ts_nsec % 1000000000 / 1000);
}

/* syslog(3)'s facility names, by number; 12-15 have none. */
static const char *const facility_names[24] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
	"authpriv", "ftp", NULL, NULL, NULL, NULL, "local0", "local1", "local2", "local3",
	"local4", "local5", "local6", "local7",
};
static const char *const level_names[8] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
};

void mk_log_level_prefix(const struct printk_record *rec, enum kx_dmesg_style style,
			 char *out, size_t size)
{
	/* The decoder gives -1 or 0-7 and -1 or 0-255; anything else is as unknown. */
	bool known = rec->level >= 0 && rec->level <= 7 && rec->facility >= 0 &&
		     rec->facility <= 255;
	char fac[12];

	out[0] = '\0';
	if (style == DMESG_RAW && known)
		snprintf(out, size, "<%d>", rec->facility * 8 + rec->level);
	else if (style == DMESG_RAW)
		snprintf(out, size, "<?>");
	if (style != DMESG_DECODE)
		return;
	if (!known) {
		snprintf(out, size, "%-6s:%-6s: ", "?", "?");
		return;
	}
	if (rec->facility < 24 && facility_names[rec->facility])
		snprintf(fac, sizeof(fac), "%s", facility_names[rec->facility]);
	else
		snprintf(fac, sizeof(fac), "%d", rec->facility);
	snprintf(out, size, "%-6s:%-6s: ", fac, level_names[rec->level]);
}

void mk_log_print(FILE *out, const struct printk_record *rec, enum kx_dmesg_style style)
{
	char prefix[40], level[24];
	const char *p = rec->text, *end = rec->text + rec->text_len;

	mk_log_prefix(rec->ts_nsec, prefix, sizeof(prefix));
	mk_log_level_prefix(rec, style, level, sizeof(level));
	do {
		fputs(level, out);
		fputs(prefix, out);
		for (; p < end && *p != '\n'; p++) {
			unsigned char c = (unsigned char)*p;

			if ((c >= 0x20 && c < 0x7f) || c == '\t')
				fputc(c, out);
			else
				fprintf(out, "\\x%02x", c);
		}
		fputc('\n', out);
	} while (p++ < end && p < end);
}
