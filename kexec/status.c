// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>

#include "status.h"

int kx_fail(struct kx_error *err, enum kx_status status, const char *fmt, ...)
{
	va_list ap;

	err->status = status;
	err->sys_errno = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}
