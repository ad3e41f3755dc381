/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GRUB drop-in writer in a scratch sysroot: a new file, kexec's own file
 * replaced, and every file it must leave alone (one it did not write, a
 * symbolic link), with no temporary file left behind either way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "grub-dropin.h"
#include "unit-helpers.h"

#define MARK "# written by kexec"
#define REL GRUB_DROPIN_DIR "/kexec-test.cfg"

static int write_it(const char *root, const char *text, struct kx_error *err)
{
	char path[PATH_MAX];

	return grub_dropin_write(root, "kexec-test.cfg", MARK, text, path, sizeof(path), err);
}

/* Files in grub.d: the drop-in alone, no temporary ".kexec-test.cfg.XXXXXX". */
static int files_in_dir(const char *root)
{
	char dir[PATH_MAX];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s%s", root, GRUB_DROPIN_DIR);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void test_new_then_replaced(void **state)
{
	char *root = unit_sysroot_new();
	struct kx_error err = { 0 };
	char buf[256], path[PATH_MAX];
	struct stat st;

	(void)state;
	unit_sysroot_write(root, "etc/default/grub", "GRUB_DEFAULT=0\n");
	assert_int_equal(write_it(root, MARK "\nA=1\n", &err), 0);
	unit_sysroot_read(root, REL, buf, sizeof(buf));
	assert_string_equal(buf, MARK "\nA=1\n");
	snprintf(path, sizeof(path), "%s%s", root, REL);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(write_it(root, MARK "\nA=2\n", &err), 0);
	unit_sysroot_read(root, REL, buf, sizeof(buf));
	assert_string_equal(buf, MARK "\nA=2\n");
	assert_int_equal(files_in_dir(root), 1);
	unit_sysroot_remove(root);
}

static void test_unrelated_file_kept(void **state)
{
	char *root = unit_sysroot_new();
	struct kx_error err = { 0 };
	char buf[256];

	(void)state;
	unit_sysroot_write(root, REL, "GRUB_TIMEOUT=3\n");
	assert_int_equal(write_it(root, MARK "\nA=1\n", &err), -1);
	assert_int_equal(err.status, KX_EGRUB);
	unit_assert_contains(err.msg, "kexec did not write it");
	unit_sysroot_read(root, REL, buf, sizeof(buf));
	assert_string_equal(buf, "GRUB_TIMEOUT=3\n");
	assert_int_equal(files_in_dir(root), 1);
	unit_sysroot_remove(root);
}

static void test_symlink_kept(void **state)
{
	char *root = unit_sysroot_new();
	struct kx_error err = { 0 };
	char link_path[PATH_MAX], target[PATH_MAX], buf[256];

	(void)state;
	unit_sysroot_write(root, "etc/default/grub.d/.keep", "");
	unit_sysroot_write(root, "elsewhere", MARK "\nours, but reached through a link\n");
	snprintf(target, sizeof(target), "%s/elsewhere", root);
	snprintf(link_path, sizeof(link_path), "%s%s", root, REL);
	assert_int_equal(symlink(target, link_path), 0);
	assert_int_equal(write_it(root, MARK "\nA=1\n", &err), -1);
	assert_int_equal(err.status, KX_EGRUB);
	unit_assert_contains(err.msg, "symbolic link");
	unit_sysroot_read(root, "elsewhere", buf, sizeof(buf));
	assert_string_equal(buf, MARK "\nours, but reached through a link\n");
	unit_sysroot_remove(root);
}

static void test_no_etc_default(void **state)
{
	char *root = unit_sysroot_new();
	struct kx_error err = { 0 };

	(void)state;
	assert_int_equal(write_it(root, MARK "\nA=1\n", &err), -1);
	assert_int_equal(err.status, KX_EGRUB);
	unit_assert_contains(err.msg, "is GRUB installed?");
	unit_sysroot_remove(root);
}

static void test_text_without_mark(void **state)
{
	char *root = unit_sysroot_new();
	struct kx_error err = { 0 };

	(void)state;
	unit_sysroot_write(root, "etc/default/grub", "");
	assert_int_equal(write_it(root, "A=1\n", &err), -1);
	assert_int_equal(err.status, KX_EGRUB);
	unit_sysroot_remove(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_then_replaced),
		cmocka_unit_test(test_unrelated_file_kept),
		cmocka_unit_test(test_symlink_kept),
		cmocka_unit_test(test_no_etc_default),
		cmocka_unit_test(test_text_without_mark),
	};

	return cmocka_run_group_tests_name("grub-dropin", tests, NULL, NULL);
}
