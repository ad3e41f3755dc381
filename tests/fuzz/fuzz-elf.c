// SPDX-License-Identifier: GPL-2.0-only
/* The ELF64 loader: any bytes as an ELF executable, planned for an ordinary and a multikernel load. */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_loader_one(data, size, "elf-x86_64");
	return 0;
}
