/* SPDX-License-Identifier: GPL-2.0-only */
/* ELF64 x86-64 executables (vmlinux, bare-metal payloads), loaded at their physical addresses. */
#ifndef KEXEC_X86_ELF_H
#define KEXEC_X86_ELF_H

#include "image-file.h"
#include "load-request.h"
#include "plan.h"

int elf_x86_64_probe(const struct image_file *f, struct kx_error *err);
int elf_x86_64_plan(const struct image_file *f, const struct load_request *req,
		    const struct load_env *env, struct kx_plan *plan, struct kx_error *err);

#endif /* KEXEC_X86_ELF_H */
