/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multikernel-log.c: a record printed as the kernel's console prints it
 * (every line prefixed, control bytes escaped), and the whole reader on
 * the pages captured from a spawned Debian 6.12 kernel
 * (tests/fixtures/dmesg-debian-6.12): the note found, 260 records from
 * "Linux version" to its /init, nothing read outside its ranges; with the
 * instance's range cut short of the note's page, no VMCOREINFO.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boot-signs.h"
#include "multikernel-dmesg.h"
#include "multikernel-log.h"
#include "unit-helpers.h"

static void print_escapes_and_prefixes(void **state)
{
	static struct printk_record rec;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	(void)state;
	rec.ts_nsec = 1500000000ull + 7000;
	strcpy(rec.text, "first\n\tsecond \x1b[2J\x9b" "31m\x7f");
	rec.text_len = strlen(rec.text);
	mk_log_print(f, &rec, DMESG_PLAIN);
	rec.ts_nsec = 123456789012345ull;
	strcpy(rec.text, "");
	rec.text_len = 0;
	mk_log_print(f, &rec, DMESG_PLAIN);
	fclose(f);
	assert_string_equal(buf, "[    1.500007] first\n"
				 "[    1.500007] \tsecond \\x1b[2J\\x9b31m\\x7f\n"
				 "[123456.789012] \n");
	free(buf);
}

/* dmesg -x's and -r's prefixes, from the record's facility and level. */
static void level_prefixes(void **state)
{
	static const struct { int facility, level; const char *decode, *raw; } rows[] = {
		{ 0, 0, "kern  :emerg : ", "<0>" },
		{ 0, 6, "kern  :info  : ", "<6>" },
		{ 0, 7, "kern  :debug : ", "<7>" },
		{ 1, 5, "user  :notice: ", "<13>" },
		{ 3, 3, "daemon:err   : ", "<27>" },
		{ 10, 4, "authpriv:warn  : ", "<84>" },	/* wider than six, as dmesg prints it */
		{ 11, 2, "ftp   :crit  : ", "<90>" },
		{ 13, 1, "13    :alert : ", "<105>" },	/* no name */
		{ 16, 6, "local0:info  : ", "<134>" },
		{ 23, 7, "local7:debug : ", "<191>" },
		{ 255, 6, "255   :info  : ", "<2046>" },
		{ -1, -1, "?     :?     : ", "<?>" },	/* the layout does not place them */
		{ 0, 8, "?     :?     : ", "<?>" },	/* out of range: never indexes */
		{ 256, 0, "?     :?     : ", "<?>" },
	};
	static struct printk_record rec;
	char out[40];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		rec.facility = rows[i].facility;
		rec.level = rows[i].level;
		mk_log_level_prefix(&rec, DMESG_DECODE, out, sizeof(out));
		assert_string_equal(out, rows[i].decode);
		mk_log_level_prefix(&rec, DMESG_RAW, out, sizeof(out));
		assert_string_equal(out, rows[i].raw);
		mk_log_level_prefix(&rec, DMESG_PLAIN, out, sizeof(out));
		assert_string_equal(out, "");
	}
}

/* Every line of a record gets both prefixes; plain output stays the console's. */
static void print_decoded_lines(void **state)
{
	static struct printk_record rec;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	(void)state;
	rec.ts_nsec = 2000001000ull;
	rec.facility = 0;
	rec.level = 4;
	strcpy(rec.text, "one\ntwo");
	rec.text_len = strlen(rec.text);
	mk_log_print(f, &rec, DMESG_DECODE);
	mk_log_print(f, &rec, DMESG_RAW);
	mk_log_print(f, &rec, DMESG_PLAIN);
	fclose(f);
	assert_string_equal(buf, "kern  :warn  : [    2.000001] one\n"
				 "kern  :warn  : [    2.000001] two\n"
				 "<4>[    2.000001] one\n"
				 "<4>[    2.000001] two\n"
				 "[    2.000001] one\n"
				 "[    2.000001] two\n");
	free(buf);
}

static void fixture_instance(struct mk_instance *in, char *root, size_t size)
{
	const char *src = getenv("UNIT_SRCDIR");
	char path[4200], why[160];
	static char text[MK_RECORD_MAX];
	FILE *f;
	size_t n;

	snprintf(root, size, "%s/tests/fixtures/dmesg-debian-6.12", src ? src : ".");
	snprintf(path, sizeof(path), "%s/run/kexec-mk/cpu1", root);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	if (mk_instance_parse(text, n, in, why, sizeof(why)))
		fail_msg("%s: %s", path, why);
}

struct count {
	unsigned long n;
	char first[80];
	struct boot_signs b;
};

static int count_one(void *ctx, const struct printk_record *rec)
{
	struct count *c = ctx;

	if (!c->n++)
		snprintf(c->first, sizeof(c->first), "%.40s", rec->text);
	boot_signs_add(&c->b, rec);
	return 0;
}

static void replays_a_debian_kernel(void **state)
{
	static struct mk_instance in;
	static struct mk_log lg;
	static struct count c;
	struct kx_error err = { 0 };
	struct prb_stats st;
	char root[4096];

	(void)state;
	fixture_instance(&in, root, sizeof(root));
	assert_int_equal(mk_log_map(&lg, root, &in, &err), 0);
	if (mk_log_find(&lg, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(lg.vi.osrelease, "6.12.118+deb12-amd64");
	assert_int_equal(lg.note_addr, 0x23802000);
	assert_int_equal(mk_log_walk(&lg, 0, count_one, &c, &st, &err), 0);
	assert_int_equal(c.n, 260);
	assert_string_equal(c.first, "Linux version 6.12.118+deb12-amd64 (debi");
	assert_true(c.b.init_run);
	assert_string_equal(c.b.init, "/init");
	assert_false(c.b.panicked);
	assert_int_equal(st.data_size, 131072);
	assert_int_equal(lg.view.refused, 0);
	mk_log_close(&lg);
}

/* The reader keeps to the record's ranges: cut the main range short of the note. */
static void ranges_bound_the_scan(void **state)
{
	static struct mk_instance in;
	static struct mk_log lg;
	struct kx_error err = { 0 };
	char root[4096];

	(void)state;
	fixture_instance(&in, root, sizeof(root));
	in.ranges[0].end = 0x23802000;
	assert_int_equal(mk_log_map(&lg, root, &in, &err), 0);
	assert_int_equal(mk_log_find(&lg, &err), -1);
	assert_int_equal(err.status, KX_ENOLOG);
	assert_non_null(strstr(err.msg, "no VMCOREINFO in CPU 1's memory"));
	mk_log_close(&lg);
	/* An instance of several: the message names all its CPUs, not the first alone. */
	in.nr_cpus = 2;
	in.cpus[0] = 1;
	in.cpus[1] = 2;
	assert_int_equal(mk_log_map(&lg, root, &in, &err), 0);
	assert_int_equal(mk_log_find(&lg, &err), -1);
	unit_assert_contains(err.msg, "no VMCOREINFO in CPUs 1-2's memory");
	mk_log_close(&lg);
	/* the note's page, but not the kernel image's: its page tables are not followed */
	fixture_instance(&in, root, sizeof(root));
	in.ranges[0].start = 0x23802000;
	assert_int_equal(mk_log_map(&lg, root, &in, &err), 0);
	assert_int_equal(mk_log_find(&lg, &err), -1);
	assert_non_null(strstr(err.msg, "format this kexec does not know"));
	assert_non_null(strstr(err.msg, "page tables (init_top_pgt at"));
	mk_log_close(&lg);
}

/*
 * --follow ends when its instance is forgotten, replaced or unreadable, or
 * its ring starts over; never on the ring's ordinary motion.
 */
static void follow_notices_another_kernel(void **state)
{
	static struct mk_instance was, now;
	struct prb_stats st = { .have_newest = true, .newest_seq = 260 };
	char why[PATH_MAX + 512];
	char root[4096];

	(void)state;
	fixture_instance(&was, root, sizeof(root));
	now = was;
	/* the same instance, the ring as printed, or one record reopened for a continuation */
	assert_int_equal(mk_follow_changed(&was, &now, NULL, &st, 261, why, sizeof(why)), 0);
	st.newest_seq = 259;
	assert_int_equal(mk_follow_changed(&was, &now, NULL, &st, 261, why, sizeof(why)), 0);
	/* the record rewritten for the same start (its state), and nothing printed yet */
	now.state = MK_SILENT;
	st.newest_seq = 0;
	assert_int_equal(mk_follow_changed(&was, &now, NULL, &st, 0, why, sizeof(why)), 0);
	assert_int_equal(mk_follow_changed(&was, &now, NULL, NULL, 261, why, sizeof(why)), 0);
	st.have_newest = false;
	assert_int_equal(mk_follow_changed(&was, &now, NULL, &st, 261, why, sizeof(why)), 0);
	/* the ring started over: its newest record is older than the last printed */
	st.have_newest = true;
	st.newest_seq = 258;
	assert_int_equal(mk_follow_changed(&was, &now, NULL, &st, 261, why, sizeof(why)), 1);
	unit_assert_contains(why, "CPU 1's log started over (its newest record is #258, #260 was "
			     "printed)");
	st.newest_seq = 5;
	assert_int_equal(mk_follow_changed(&was, &now, NULL, &st, 261, why, sizeof(why)), 1);
	/* forgotten, or the record unreadable */
	assert_int_equal(mk_follow_changed(&was, NULL, NULL, &st, 0, why, sizeof(why)), 1);
	unit_assert_contains(why, "the instance on CPU 1 is no longer recorded (forgotten?)");
	assert_int_equal(mk_follow_changed(&was, NULL, "line 3: unknown state", NULL, 0, why,
					   sizeof(why)), 1);
	unit_assert_contains(why, "CPU 1's record cannot be read (line 3: unknown state)");
	/* another start: a later kick, another image, another status record or host boot */
	now = was;
	now.started = was.started + 1;
	assert_int_equal(mk_follow_changed(&was, &now, NULL, NULL, 0, why, sizeof(why)), 1);
	unit_assert_contains(why, "CPU 1 now runs another instance, the instance on CPU 1 (");
	unit_assert_contains(why, "'kexec --multikernel --dmesg=1' reads it");
	now = was;
	now.sha256[0] = now.sha256[0] == '0' ? '1' : '0';
	assert_int_equal(mk_follow_changed(&was, &now, NULL, NULL, 0, why, sizeof(why)), 1);
	now = was;
	now.status_addr += 0x1000;
	assert_int_equal(mk_follow_changed(&was, &now, NULL, NULL, 0, why, sizeof(why)), 1);
	now = was;
	now.boot_id[0] = now.boot_id[0] == 'a' ? 'b' : 'a';
	assert_int_equal(mk_follow_changed(&was, &now, NULL, NULL, 0, why, sizeof(why)), 1);
	/* An instance of several: every line names all its CPUs, not the first alone. */
	was.nr_cpus = 2;
	was.cpus[0] = 1;
	was.cpus[1] = 2;
	now = was;
	now.started = was.started + 1;
	assert_int_equal(mk_follow_changed(&was, &now, NULL, NULL, 0, why, sizeof(why)), 1);
	unit_assert_contains(why, "CPUs 1-2 now run another instance, the instance on CPUs 1-2 (");
	assert_int_equal(mk_follow_changed(&was, NULL, NULL, &st, 0, why, sizeof(why)), 1);
	unit_assert_contains(why, "the instance on CPUs 1-2 is no longer recorded (forgotten?)");
	assert_int_equal(mk_follow_changed(&was, &now, NULL, &st, 261, why, sizeof(why)), 1);
	unit_assert_contains(why, "CPUs 1-2 now run another instance");
	now = was;
	st.newest_seq = 5;
	assert_int_equal(mk_follow_changed(&was, &now, NULL, &st, 261, why, sizeof(why)), 1);
	unit_assert_contains(why, "CPUs 1-2's log started over");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(print_escapes_and_prefixes),
		cmocka_unit_test(level_prefixes),
		cmocka_unit_test(print_decoded_lines),
		cmocka_unit_test(replays_a_debian_kernel),
		cmocka_unit_test(ranges_bound_the_scan),
		cmocka_unit_test(follow_notices_another_kernel),
	};

	return cmocka_run_group_tests_name("mk-log", tests, NULL, NULL);
}
