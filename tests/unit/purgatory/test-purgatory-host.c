/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Purgatory's own C (purgatory/purgatory.c, digest.c, string.c), compiled
 * for the host and run here: the digest check that decides whether the new
 * kernel is entered, the digest-count guard, and what the flags switch.
 *
 * Only the hardware edges are test doubles: the serial port (its output is
 * collected in a buffer), the identity map switch and the SSE switch
 * (counted; user mode has SSE on already).  SHA-NI is this CPU's own.  The status
 * record a multikernel loader waits on is a host buffer.  The halt is
 * purgatory's real "cli; hlt": in user mode the cli traps with SIGSEGV, and
 * the handler returns to the test, which then knows purgatory halted.
 *
 * Segments are host buffers; a digest's addr is the buffer's address, as
 * purgatory reads physical memory through its identity map.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "purgatory.h"
#include "sha256.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct purgatory_params purgatory_params;

/* ---- test doubles for the hardware edges ---- */

static char serial_out[4096];
static size_t serial_len;
static uint16_t serial_port_seen;
static int page_table_switches;

void serial_init(uint16_t port)
{
	serial_port_seen = port;
}

void serial_puts(const char *s)
{
	while (*s && serial_len + 1 < sizeof(serial_out))
		serial_out[serial_len++] = *s++;
	serial_out[serial_len] = '\0';
}

void serial_put_hex(uint64_t value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llx", (unsigned long long)value);
	serial_puts(buf);
}

void serial_put_dec(uint64_t value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)value);
	serial_puts(buf);
}

void page_tables_install(void)
{
	page_table_switches++;
}

static int sse_enables, sse_restores;
static bool sse_on;

void sse_enable(struct sse_saved *saved)
{
	assert_false(sse_on);
	saved->cr0 = 0x80000011;	/* what the restore must hand back */
	saved->cr4 = 0x20;
	sse_on = true;
	sse_enables++;
}

void sse_restore(const struct sse_saved *saved)
{
	assert_true(sse_on);
	assert_int_equal(saved->cr0, 0x80000011);
	assert_int_equal(saved->cr4, 0x20);
	sse_on = false;
	sse_restores++;
}

/* ASan would report the trapping cli itself; let our handler see it. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "handle_segv=0:allow_user_segv_handler=1";
}

static sigjmp_buf halted_jmp;

static void on_halt(int sig)
{
	(void)sig;
	siglongjmp(halted_jmp, 1);
}

/* Run purgatory_main(); true if it halted instead of returning to jump. */
static bool run_purgatory(void)
{
	struct sigaction sa = { .sa_handler = on_halt }, old;
	volatile bool halted = false;

	serial_len = 0;
	serial_out[0] = '\0';
	serial_port_seen = 0xffff;
	page_table_switches = 0;
	sse_enables = sse_restores = 0;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGSEGV, &sa, &old), 0);
	if (sigsetjmp(halted_jmp, 1) == 0)
		purgatory_main();
	else
		halted = true;
	sigaction(SIGSEGV, &old, NULL);
	return halted;
}

/* purgatory's status record (multikernel), a host buffer standing for its page. */
static struct purgatory_status status_page;

static void use_status_record(void)
{
	memset(&status_page, 0, sizeof(status_page));
	purgatory_params.status_addr = (uint64_t)(uintptr_t)&status_page;
}

static void assert_status(uint32_t stage)
{
	assert_int_equal(status_page.magic, PURGATORY_STATUS_MAGIC);
	assert_int_equal(status_page.stage, stage);
}

/* ---- segments and their digests ---- */

#define NR_SEGS 3
static uint8_t seg0[5000], seg1[4096], seg2[100];
static uint8_t *const segs[NR_SEGS] = { seg0, seg1, seg2 };
static const size_t seg_sizes[NR_SEGS] = { sizeof(seg0), sizeof(seg1), sizeof(seg2) };

static void fill_segments(void)
{
	for (size_t i = 0; i < sizeof(seg0); i++)
		seg0[i] = (uint8_t)(i * 7 + 1);
	for (size_t i = 0; i < sizeof(seg1); i++)
		seg1[i] = (uint8_t)(i ^ 0x5a);
	for (size_t i = 0; i < sizeof(seg2); i++)
		seg2[i] = (uint8_t)(255 - i);
}

/* A parameter block that describes segs[] truthfully, verification on. */
static void params_for_segments(uint16_t flags)
{
	memset(&purgatory_params, 0, sizeof(purgatory_params));
	purgatory_params.magic = PURGATORY_PARAMS_MAGIC;
	purgatory_params.version = PURGATORY_PARAMS_VERSION;
	purgatory_params.size = sizeof(purgatory_params);
	purgatory_params.jump_addr = 0x1000200;
	purgatory_params.rsi = 0x7000;
	purgatory_params.serial_port = 0x3f8;
	purgatory_params.flags = flags;
	purgatory_params.nr_digests = NR_SEGS;
	for (size_t i = 0; i < NR_SEGS; i++) {
		struct purgatory_digest *d = &purgatory_params.digests[i];

		d->addr = (uint64_t)(uintptr_t)segs[i];
		d->size = seg_sizes[i];
		sha256_digest_generic(segs[i], seg_sizes[i], d->sha256);
	}
}

/*
 * One corruption and the segment digest_find_mismatch must name.  Data
 * corruptions change the loaded bytes; digest corruptions change the
 * stored sha256 so that the computed one compares lower (stored byte
 * raised) or higher (stored byte lowered) than it: a check that looks
 * only one way (memcmp < 0, > 0) misses one of the two.
 */
enum where { DATA, DIGEST };
struct corruption_row {
	const char *name;
	enum where where;
	size_t seg;
	size_t byte;		/* SIZE_MAX: the last byte */
	int delta;		/* added to the byte */
};

static const struct corruption_row corruptions[] = {
	{ "data_first_byte_first_segment", DATA, 0, 0, 1 },
	{ "data_last_byte_first_segment", DATA, 0, SIZE_MAX, 1 },
	{ "data_first_byte_last_segment", DATA, 2, 0, -1 },
	{ "data_last_byte_last_segment", DATA, 2, SIZE_MAX, 0x80 },
	{ "data_middle_segment", DATA, 1, 2048, 1 },
	{ "digest_first_byte_higher", DIGEST, 1, 0, 1 },	/* computed compares lower */
	{ "digest_first_byte_lower", DIGEST, 1, 0, -1 },	/* computed compares higher */
	{ "digest_last_byte_higher", DIGEST, 1, 31, 1 },
	{ "digest_last_byte_lower", DIGEST, 1, 31, -1 },
	{ "digest_last_segment_lower", DIGEST, 2, 0, -1 },
	{ "digest_last_segment_higher", DIGEST, 2, 31, 1 },
};

static void corrupt(const struct corruption_row *row)
{
	uint8_t *p;

	if (row->where == DATA) {
		size_t byte = row->byte == SIZE_MAX ? seg_sizes[row->seg] - 1 : row->byte;

		p = &segs[row->seg][byte];
	} else {
		p = &purgatory_params.digests[row->seg].sha256[row->byte];
	}
	*p = (uint8_t)(*p + row->delta);
}

static void test_mismatch_found(void **state)
{
	const struct corruption_row *row = *state;
	char want[160];

	fill_segments();
	params_for_segments(PURGATORY_VERIFY_DIGESTS);
	assert_int_equal(digest_find_mismatch(&purgatory_params), -1);
	corrupt(row);
	assert_int_equal(digest_find_mismatch(&purgatory_params), (int)row->seg);

	/* And purgatory_main halts, naming the segment, before any jump... */
	use_status_record();
	assert_true(run_purgatory());
	/* ...and tells the waiting loader which digest failed, and where. */
	assert_status(PURGATORY_STAGE_MISMATCH);
	assert_int_equal(status_page.bad_digest, row->seg);
	assert_int_equal(status_page.bad_addr, purgatory_params.digests[row->seg].addr);
	snprintf(want, sizeof(want), "kexec purgatory: sha256 mismatch in digest %zu at 0x%llx "
		 "size 0x%zx; halting\r\n", row->seg,
		 (unsigned long long)purgatory_params.digests[row->seg].addr, seg_sizes[row->seg]);
	assert_non_null(strstr(serial_out, want));
	assert_null(strstr(serial_out, "jumping"));
}

static void test_all_intact_jumps(void **state)
{
	(void)state;
	memset(&status_page, 0, sizeof(status_page));
	fill_segments();
	params_for_segments(PURGATORY_VERIFY_DIGESTS);
	assert_false(run_purgatory());
	assert_string_equal(serial_out, sha256_have_shani() ?
			    "kexec purgatory: started\r\n"
			    "kexec purgatory: checking 3 digests with sha-ni\r\n"
			    "kexec purgatory: 3 digests ok, jumping to 0x1000200\r\n" :
			    "kexec purgatory: started\r\n"
			    "kexec purgatory: checking 3 digests in portable C\r\n"
			    "kexec purgatory: 3 digests ok, jumping to 0x1000200\r\n");
	assert_int_equal(serial_port_seen, 0x3f8);
	assert_int_equal(page_table_switches, 0);

	/* No status record asked for: none written.  Asked for: it ends at "jumped". */
	assert_int_equal(status_page.magic, 0);
	use_status_record();
	assert_false(run_purgatory());
	assert_status(PURGATORY_STAGE_JUMPED);
	assert_int_equal(status_page.bad_digest, 0);
	assert_int_equal(status_page.bad_addr, 0);
}

/* -i: a corrupt segment is not looked at, the jump happens and says so. */
static void test_verify_off_skips(void **state)
{
	(void)state;
	fill_segments();
	params_for_segments(0);
	seg1[0] ^= 0xff;
	purgatory_params.serial_port = 0x2f8;
	use_status_record();
	assert_false(run_purgatory());
	assert_status(PURGATORY_STAGE_JUMPED);
	assert_string_equal(serial_out, "kexec purgatory: started\r\n"
			    "kexec purgatory: digest check skipped, jumping to 0x1000200\r\n");
	assert_int_equal(serial_port_seen, 0x2f8);
}

/* A multikernel wake-up: own page tables first, then the usual check. */
static void test_own_page_tables(void **state)
{
	(void)state;
	fill_segments();
	params_for_segments(PURGATORY_VERIFY_DIGESTS | PURGATORY_OWN_PAGE_TABLES);
	assert_false(run_purgatory());
	assert_int_equal(page_table_switches, 1);
	params_for_segments(PURGATORY_VERIFY_DIGESTS);
	assert_false(run_purgatory());
	assert_int_equal(page_table_switches, 0);
}

/* Every digest up to the count is checked, none beyond it. */
static void test_count_bounds_the_check(void **state)
{
	(void)state;
	fill_segments();
	params_for_segments(PURGATORY_VERIFY_DIGESTS);
	seg2[0] ^= 1;
	purgatory_params.nr_digests = 2;	/* the corrupt third is not listed */
	assert_int_equal(digest_find_mismatch(&purgatory_params), -1);
	purgatory_params.nr_digests = 3;
	assert_int_equal(digest_find_mismatch(&purgatory_params), 2);
	purgatory_params.nr_digests = 0;
	assert_int_equal(digest_find_mismatch(&purgatory_params), -1);
	assert_false(run_purgatory());
	assert_non_null(strstr(serial_out, "kexec purgatory: 0 digests ok, jumping to 0x1000200"));
}

/*
 * PURGATORY_MAX_DIGESTS (32) digests is the most the loader writes (a big
 * initrd in chunks): all are checked and the jump happens.  One more can
 * only be a corrupt block: halt without reading past digests[].
 */
static uint8_t chunks[PURGATORY_MAX_DIGESTS][512];

static void params_for_chunks(uint32_t nr)
{
	params_for_segments(PURGATORY_VERIFY_DIGESTS);
	purgatory_params.nr_digests = nr;
	for (size_t i = 0; i < PURGATORY_MAX_DIGESTS; i++) {
		struct purgatory_digest *d = &purgatory_params.digests[i];

		memset(chunks[i], (int)i + 1, sizeof(chunks[i]));
		d->addr = (uint64_t)(uintptr_t)chunks[i];
		d->size = sizeof(chunks[i]);
		sha256_digest_generic(chunks[i], sizeof(chunks[i]), d->sha256);
	}
}

static void test_thirty_two_digests_ok(void **state)
{
	(void)state;
	params_for_chunks(PURGATORY_MAX_DIGESTS);
	assert_false(run_purgatory());
	assert_non_null(strstr(serial_out, "kexec purgatory: 32 digests ok, jumping to 0x1000200"));

	/* The last is checked too. */
	chunks[PURGATORY_MAX_DIGESTS - 1][511] ^= 1;
	assert_int_equal(digest_find_mismatch(&purgatory_params), PURGATORY_MAX_DIGESTS - 1);
	assert_true(run_purgatory());
	assert_non_null(strstr(serial_out, "sha256 mismatch in digest 31 "));
}

static void test_thirty_three_digests_halt(void **state)
{
	(void)state;
	params_for_chunks(PURGATORY_MAX_DIGESTS + 1);
	use_status_record();
	assert_true(run_purgatory());
	/* Halted after arriving, before any digest: the loader sees no digest verdict. */
	assert_status(PURGATORY_STAGE_ARRIVED);
	assert_string_equal(serial_out, "kexec purgatory: started\r\n"
			    "kexec purgatory: bad digest count 33; halting\r\n");
	params_for_chunks(0xffffffff);
	assert_true(run_purgatory());
	assert_non_null(strstr(serial_out, "bad digest count 4294967295; halting"));
}

/* The digest-count guard is part of the check: with -i it is not reached. */
static void test_bad_count_verify_off(void **state)
{
	(void)state;
	params_for_chunks(PURGATORY_MAX_DIGESTS + 1);
	purgatory_params.flags = 0;
	assert_false(run_purgatory());
	assert_non_null(strstr(serial_out, "digest check skipped"));
}

/* string.c: purgatory's memcmp decides the digest comparison. */
static void test_memcmp_sign(void **state)
{
	static const uint8_t a[4] = { 1, 2, 3, 4 }, lo[4] = { 1, 2, 3, 3 }, hi[4] = { 1, 2, 3, 5 };

	(void)state;
	assert_int_equal(memcmp(a, a, 4), 0);
	assert_true(memcmp(a, lo, 4) > 0);
	assert_true(memcmp(a, hi, 4) < 0);
	assert_true(memcmp(a, hi, 3) == 0);
	assert_true(memcmp((const uint8_t[]){ 0x80 }, (const uint8_t[]){ 0x7f }, 1) > 0);
}

/*
 * Both hashing paths against the loader's digests (util_lib/sha256-digest.c,
 * what plan.c stores in the parameter block), at every length where the
 * padding changes shape: 0, under/at/over 55 and 64 bytes, two blocks, a
 * page, past a MiB.  A path that disagrees would halt every kexec.
 */
static const size_t agree_sizes[] = { 0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128,
				      4096 + 13, (1u << 20) + 7 };
static uint8_t agree_buf[N(agree_sizes)][(1u << 20) + 7];

static void params_for_agree(void)
{
	params_for_segments(PURGATORY_VERIFY_DIGESTS);
	purgatory_params.nr_digests = N(agree_sizes);
	for (size_t i = 0; i < N(agree_sizes); i++) {
		struct purgatory_digest *d = &purgatory_params.digests[i];

		for (size_t b = 0; b < agree_sizes[i]; b++)
			agree_buf[i][b] = (uint8_t)(b * 131 + i * 17 + (b >> 9));
		d->addr = (uint64_t)(uintptr_t)agree_buf[i];
		d->size = agree_sizes[i];
		sha256_digest(agree_buf[i], agree_sizes[i], d->sha256);
	}
}

static void assert_path_agrees(sha256_block_fn *block)
{
	params_for_agree();
	assert_int_equal(digest_find_mismatch_with(&purgatory_params, block), -1);
	/* ...and names each segment whose last byte changed, every other one intact. */
	for (size_t i = 0; i < N(agree_sizes); i++) {
		if (!agree_sizes[i])
			continue;
		agree_buf[i][agree_sizes[i] - 1] ^= 0x01;
		assert_int_equal(digest_find_mismatch_with(&purgatory_params, block), (int)i);
		agree_buf[i][agree_sizes[i] - 1] ^= 0x01;
	}
}

static void test_portable_agrees_with_loader(void **state)
{
	(void)state;
	assert_path_agrees(sha256_block_generic);
}

static void test_shani_agrees_with_loader(void **state)
{
	(void)state;
	if (!sha256_have_shani())
		skip();		/* no SHA extensions on this CPU: nothing to run */
	assert_path_agrees(sha256_block_shani);
}

/*
 * The path purgatory_main takes: SHA-NI exactly when CPUID reports it,
 * SSE switched on for it and back off before the jump (or the halt), and
 * the serial line says which path the check's time went to.
 */
static void test_path_follows_cpuid(void **state)
{
	int shani = sha256_have_shani();

	(void)state;
	assert_int_equal(digest_use_shani(), shani);
	params_for_agree();
	assert_false(run_purgatory());
	assert_int_equal(sse_enables, shani);
	assert_int_equal(sse_restores, shani);
	assert_false(sse_on);
	assert_non_null(strstr(serial_out, shani ? "checking 13 digests with sha-ni\r\n"
					      : "checking 13 digests in portable C\r\n"));

	/* A mismatch halts with SSE already back off. */
	agree_buf[3][0] ^= 0x80;
	assert_true(run_purgatory());
	assert_int_equal(sse_restores, shani);
	assert_false(sse_on);
	assert_non_null(strstr(serial_out, "sha256 mismatch in digest 3 "));

	/* -i: no hashing, so SSE is never touched. */
	purgatory_params.flags = 0;
	assert_false(run_purgatory());
	assert_int_equal(sse_enables, 0);
}

/*
 * Progress (the loader gives up on a purgatory whose count stops moving):
 * three segments over 8 MiB in all.  A watching block function, wrapped
 * around each path's own, sees the record as the hash goes: bytes_done
 * never lags the bytes hashed by more than one PURGATORY_PROGRESS_STEP
 * (plus the padding blocks sha256_final adds per segment), and each raise
 * comes with the magic and stage ARRIVED.
 */
#define PROGRESS_SEGS 3
static const size_t progress_sizes[PROGRESS_SEGS] = { (3u << 20) + 5, 2u << 20, (3u << 20) - 100 };
static uint8_t progress_buf[8u << 20];
static sha256_block_fn *watched_block;
static uint64_t hashed;
static int64_t worst_lag;

static void watching_block(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
	int64_t lag = (int64_t)(hashed - status_page.bytes_done);

	if (lag > worst_lag)
		worst_lag = lag;
	if (status_page.bytes_done) {
		assert_int_equal(status_page.magic, PURGATORY_STATUS_MAGIC);
		assert_int_equal(status_page.stage, PURGATORY_STAGE_ARRIVED);
	}
	watched_block(state, blocks, nblocks);
	hashed += 64 * nblocks;
}

static uint64_t params_for_progress(void)
{
	uint64_t total = 0;
	size_t at = 0;

	params_for_segments(PURGATORY_VERIFY_DIGESTS);
	purgatory_params.nr_digests = PROGRESS_SEGS;
	for (size_t i = 0; i < sizeof(progress_buf); i++)
		progress_buf[i] = (uint8_t)(i * 29 + (i >> 11));
	for (size_t i = 0; i < PROGRESS_SEGS; i++) {
		struct purgatory_digest *d = &purgatory_params.digests[i];

		d->addr = (uint64_t)(uintptr_t)&progress_buf[at];
		d->size = progress_sizes[i];
		sha256_digest(&progress_buf[at], progress_sizes[i], d->sha256);
		at += progress_sizes[i];
		total += progress_sizes[i];
	}
	use_status_record();
	return total;
}

static void assert_progress_reported(sha256_block_fn *block)
{
	uint64_t total = params_for_progress();

	watched_block = block;
	hashed = 0;
	worst_lag = 0;
	assert_int_equal(digest_find_mismatch_with(&purgatory_params, watching_block), -1);
	assert_int_equal(status_page.bytes_done, total);
	assert_true(worst_lag > 0);
	assert_true(worst_lag <= PURGATORY_PROGRESS_STEP + PROGRESS_SEGS * 128);
}

static void test_portable_reports_progress(void **state)
{
	(void)state;
	assert_progress_reported(sha256_block_generic);
}

static void test_shani_reports_progress(void **state)
{
	(void)state;
	if (!sha256_have_shani())
		skip();
	assert_progress_reported(sha256_block_shani);
}

/* Through purgatory_main: the total with ARRIVED, the count ends at it; -i: nothing to count. */
static void test_progress_in_the_record(void **state)
{
	uint64_t total = params_for_progress();

	(void)state;
	assert_false(run_purgatory());
	assert_status(PURGATORY_STAGE_JUMPED);
	assert_int_equal(status_page.bytes_total, total);
	assert_int_equal(status_page.bytes_done, total);

	/* A mismatch in the second segment: counted through it, not past it. */
	progress_buf[progress_sizes[0] + 7] ^= 1;
	use_status_record();
	assert_true(run_purgatory());
	assert_status(PURGATORY_STAGE_MISMATCH);
	assert_int_equal(status_page.bytes_total, total);
	assert_int_equal(status_page.bytes_done, progress_sizes[0] + progress_sizes[1]);

	use_status_record();
	purgatory_params.flags = 0;
	assert_false(run_purgatory());
	assert_int_equal(status_page.bytes_total, 0);
	assert_int_equal(status_page.bytes_done, 0);
}

/* ---- the new kernel's MADT names the CPU purgatory runs on ---- */

/*
 * A one-CPU MADT as the loader builds it (acpi-tables.c): the instance's
 * I/O APIC first, then the CPU's entry with placeholder id 0 and room for
 * an x2APIC entry.  ioapic false: the CPU's entry first.
 */
#define P 56				/* the CPU's entry, after the I/O APIC's 12 bytes */
static uint8_t madt[P + 16];

static void madt_as_loaded_at(size_t cpu)
{
	uint8_t sum = 0;

	memset(madt, 0, sizeof(madt));
	memcpy(madt, "APIC", 4);
	madt[4] = (uint8_t)(cpu + 8);
	madt[8] = 5;
	madt[36 + 2] = 0xfe;			/* local APIC address 0xfee00000 */
	madt[36 + 3] = 0xfe;
	if (cpu == P) {
		madt[44] = 1;			/* I/O APIC, 12 bytes, id 0 */
		madt[45] = 12;
		madt[48 + 1] = 0x10;		/* at 0x2ff01000 */
		madt[48 + 2] = 0xf0;
		madt[48 + 3] = 0x2f;
	}
	madt[cpu + 1] = 8;			/* type 0, length 8, UID 0, id 0 */
	madt[cpu + 4] = 1;			/* enabled */
	if (cpu + 8 < sizeof(madt))
		madt[cpu + 8] = 0x77;		/* beyond the table: must stay */
	for (size_t i = 0; i < cpu + 8; i++)
		sum = (uint8_t)(sum + madt[i]);
	madt[9] = (uint8_t)(0x100 - sum);
}

static void madt_as_loaded(void)
{
	madt_as_loaded_at(P);
}

static uint8_t madt_sum(void)
{
	uint8_t sum = 0;
	uint32_t len = madt[4] | (uint32_t)madt[5] << 8;

	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + madt[i]);
	return sum;
}

/* The I/O APIC entry is kept byte for byte. */
static void assert_ioapic_kept(void)
{
	assert_int_equal(madt[44], 1);
	assert_int_equal(madt[45], 12);
	assert_int_equal(madt[48 + 1] | madt[48 + 2] << 8 | madt[48 + 3] << 16, 0x2ff010);
}

static void test_madt_claim(void **state)
{
	(void)state;
	/* An 8-bit id: the type 0 entry after the I/O APIC, length and checksum kept right. */
	madt_as_loaded();
	madt_claim((uint64_t)(uintptr_t)madt, 3);
	assert_int_equal(madt[4], P + 8);
	assert_int_equal(madt[P], 0);
	assert_int_equal(madt[P + 3], 3);
	assert_int_equal(madt[P + 4], 1);
	assert_int_equal(madt_sum(), 0);
	assert_int_equal(madt[P + 8], 0x77);
	assert_ioapic_kept();
	/* 0xff and above: the x2APIC entry, 16 bytes. */
	madt_as_loaded();
	madt_claim((uint64_t)(uintptr_t)madt, 0x1ff);
	assert_int_equal(madt[4], P + 16);
	assert_int_equal(madt[P], 9);
	assert_int_equal(madt[P + 1], 16);
	assert_int_equal(madt[P + 4] | madt[P + 5] << 8, 0x1ff);
	assert_int_equal(madt[P + 8], 1);
	assert_int_equal(madt_sum(), 0);
	assert_ioapic_kept();
	/* 0xff itself means "broadcast" in 8 bits: it too needs the x2APIC form. */
	madt_as_loaded();
	madt_claim((uint64_t)(uintptr_t)madt, 0xff);
	assert_int_equal(madt[P], 9);
	assert_int_equal(madt[P + 4], 0xff);
	assert_int_equal(madt_sum(), 0);
	/* The CPU's entry first (nothing before it) is found as well. */
	madt_as_loaded_at(44);
	madt_claim((uint64_t)(uintptr_t)madt, 5);
	assert_int_equal(madt[4], 52);
	assert_int_equal(madt[44 + 3], 5);
	assert_int_equal(madt_sum(), 0);
	/* No processor entry within the table's length: it is left as it is. */
	madt_as_loaded();
	madt[4] = P;
	{
		uint8_t before[sizeof(madt)];

		memcpy(before, madt, sizeof(madt));
		madt_claim((uint64_t)(uintptr_t)madt, 3);
		assert_memory_equal(before, madt, sizeof(madt));
	}
}

/* purgatory_main writes this CPU's id only once the digests matched. */
static void test_madt_after_the_check(void **state)
{
	(void)state;
	fill_segments();
	params_for_segments(PURGATORY_VERIFY_DIGESTS);
	madt_as_loaded();
	purgatory_params.madt_addr = (uint64_t)(uintptr_t)madt;
	assert_false(run_purgatory());
	assert_int_equal(madt_sum(), 0);
	if (cpu_apic_id() < 0xff)
		assert_int_equal(madt[P + 3], cpu_apic_id());
	else
		assert_int_equal(madt[P + 4] | madt[P + 5] << 8, cpu_apic_id() & 0xffff);

	madt_as_loaded();
	madt[P + 3] = 0xee;			/* a marker the claim would overwrite */
	madt[9] = (uint8_t)(madt[9] - 0xee);
	seg1[5] ^= 1;
	assert_true(run_purgatory());
	assert_int_equal(madt[P + 3], 0xee);
	purgatory_params.madt_addr = 0;
}

int main(void)
{
	struct CMUnitTest tests[N(corruptions) + 16];
	size_t n = 0;

	for (size_t i = 0; i < N(corruptions); i++)
		tests[n++] = (struct CMUnitTest){ .name = corruptions[i].name,
						  .test_func = test_mismatch_found,
						  .initial_state = (void *)&corruptions[i] };
	tests[n++] = (struct CMUnitTest){ "all_intact_jumps", test_all_intact_jumps, NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "verify_off_skips", test_verify_off_skips, NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "own_page_tables", test_own_page_tables, NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "count_bounds_the_check", test_count_bounds_the_check,
					  NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "thirty_two_digests_ok", test_thirty_two_digests_ok, NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "thirty_three_digests_halt", test_thirty_three_digests_halt,
					  NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "bad_count_verify_off", test_bad_count_verify_off,
					  NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "memcmp_sign", test_memcmp_sign, NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "portable_agrees_with_loader",
					  test_portable_agrees_with_loader, NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "shani_agrees_with_loader",
					  test_shani_agrees_with_loader, NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "path_follows_cpuid", test_path_follows_cpuid,
					  NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "portable_reports_progress",
					  test_portable_reports_progress, NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "shani_reports_progress", test_shani_reports_progress,
					  NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "progress_in_the_record", test_progress_in_the_record,
					  NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "madt_claim", test_madt_claim, NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "madt_after_the_check", test_madt_after_the_check,
					  NULL, NULL, NULL };
	return _cmocka_run_group_tests("purgatory-host", tests, n, NULL, NULL);
}
