// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline-params.h"

int cmdline_parse_size(const char *s, const char **endp, uint64_t *out)
{
	char *e;
	uint64_t v = strtoull(s, &e, 0);
	unsigned int shift = 0;

	if (e == s)
		return -1;
	switch (*e) {
	case 'E': case 'e': shift += 10; /* fall through */
	case 'P': case 'p': shift += 10; /* fall through */
	case 'T': case 't': shift += 10; /* fall through */
	case 'G': case 'g': shift += 10; /* fall through */
	case 'M': case 'm': shift += 10; /* fall through */
	case 'K': case 'k': shift += 10; e++; break;
	default: break;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	if (endp)
		*endp = e;
	return 0;
}

/* Split the next parameter off *p: sets [*start, *end) and advances *p. */
static bool next_param(const char **p, const char **start, const char **end)
{
	const char *s = *p;
	bool quoted = false;

	while (*s && isspace((unsigned char)*s))
		s++;
	if (!*s)
		return false;
	*start = s;
	for (; *s && (quoted || !isspace((unsigned char)*s)); s++)
		if (*s == '"')
			quoted = !quoted;
	*end = s;
	*p = s;
	return true;
}

/* True if the parameter [start, end) is called name. */
static bool param_is(const char *start, const char *end, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(end - start) >= n && memcmp(start, name, n) == 0 &&
	       (start + n == end || start[n] == '=');
}

/* One memmap= value; several may be comma separated. */
static int parse_memmap_value(const char *v, const char *end, struct cmdline_memmap *out)
{
	while (v < end) {
		uint64_t size, addr;
		const char *q;
		char op;

		if ((size_t)(end - v) >= 8 && memcmp(v, "exactmap", 8) == 0) {
			v += 8;
		} else {
			if (cmdline_parse_size(v, &q, &size))
				return -1;
			op = *q;
			if (q >= end || (op != '$' && op != '!' && op != '@' && op != '#' && op != '%'))
				return -1;
			if (cmdline_parse_size(q + 1, &q, &addr) || q > end)
				return -1;
			if (op == '%') {
				/* memmap=size%offset-oldtype+newtype: a type change, not a reservation */
				while (q < end && *q != ',')
					q++;
			} else if ((op == '$' || op == '!') && size) {
				if (addr + size <= addr)
					return -1;	/* wraps past 2^64 */
				if (mem_ranges_add(&out->reserved, addr, addr + size,
						   op == '$' ? MEM_RESERVED : MEM_PRAM))
					return -2;
			}
			v = q;
		}
		if (v < end && *v != ',')
			return -1;
		if (v < end)
			v++;
	}
	return 0;
}

int cmdline_parse_memmap(const char *cmdline, struct cmdline_memmap *out)
{
	const char *p = cmdline, *s, *e;

	memset(out, 0, sizeof(*out));
	while (next_param(&p, &s, &e)) {
		if (param_is(s, e, "memmap") && e > s + 7) {
			int rc = parse_memmap_value(s + 7, e, out);

			if (rc)
				return rc;
		} else if (param_is(s, e, "mem") && e > s + 4) {
			const char *q;

			if (cmdline_parse_size(s + 4, &q, &out->mem_limit) || q != e)
				return -1;
		}
	}
	mem_ranges_normalize(&out->reserved);
	return 0;
}

int cmdline_append(char *out, size_t out_size, const char *word)
{
	size_t len = strlen(out), add = strlen(word);

	if (add == 0)
		return 0;
	if (len + (len ? 1 : 0) + add + 1 > out_size)
		return -1;
	if (len)
		out[len++] = ' ';
	memcpy(out + len, word, add + 1);
	return 0;
}

int cmdline_drop_params(const char *cmdline, const char *const names[], size_t nr_names,
			char *out, size_t out_size)
{
	const char *p = cmdline, *s, *e;
	size_t len = 0;

	if (out_size == 0)
		return -1;
	out[0] = '\0';
	while (next_param(&p, &s, &e)) {
		bool drop = false;

		for (size_t i = 0; i < nr_names && !drop; i++)
			drop = param_is(s, e, names[i]);
		if (drop)
			continue;
		if (len + (len ? 1 : 0) + (size_t)(e - s) + 1 > out_size)
			return -1;
		if (len)
			out[len++] = ' ';
		memcpy(out + len, s, (size_t)(e - s));
		len += (size_t)(e - s);
		out[len] = '\0';
	}
	return 0;
}

bool cmdline_has_param(const char *cmdline, const char *name)
{
	const char *p = cmdline, *s, *e;

	while (next_param(&p, &s, &e))
		if (param_is(s, e, name))
			return true;
	return false;
}

bool cmdline_has_value(const char *cmdline, const char *name, const char *value)
{
	const char *p = cmdline, *s, *e;
	size_t n = strlen(name), v = strlen(value);

	while (next_param(&p, &s, &e))
		if (param_is(s, e, name) && (size_t)(e - s) == n + 1 + v &&
		    memcmp(s + n + 1, value, v) == 0)
			return true;
	return false;
}

bool cmdline_last_value(const char *cmdline, const char *name, char *out, size_t size)
{
	const char *p = cmdline, *s, *e;
	size_t n = strlen(name);
	bool found = false;

	while (next_param(&p, &s, &e)) {
		size_t len;

		if (!param_is(s, e, name) || s + n == e)
			continue;
		len = (size_t)(e - (s + n + 1));
		if (len >= size)
			len = size - 1;
		memcpy(out, s + n + 1, len);
		out[len] = '\0';
		found = true;
	}
	return found;
}
