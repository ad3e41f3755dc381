/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * purgatory_start: the kexec `entry`, where the kernel (or the multikernel
 * SMP trampoline) jumps.
 *
 * Entry state, the worst of the two callers (doc/multikernel-abi.md 4.4):
 *   - 64-bit long mode, CS 0x10, DS = ES = SS 0x18 in a GDT that is host
 *     memory and may be rewritten under us;
 *   - paging on, physical 0-4 GiB identity-mapped (ordinary kexec: all RAM);
 *   - CR4 without OSFXSR, so any SSE instruction raises #UD;
 *   - IF = 0 and an IDT of limit 0: any fault triple-faults;
 *   - RSP garbage, RSI = R15 = the host's boot_params (ignored), R14 = entry.
 * Nothing here may touch the old stack, so the stack is loaded first.
 *
 * The blob is not relocated: every address is taken RIP-relative.
 */
#include "purgatory-params.h"

#define BOOT_CS	0x10	/* Linux 64-bit boot protocol __BOOT_CS */
#define BOOT_DS	0x18	/* __BOOT_DS */

	.code64
	.section .text.entry, "ax", @progbits
	.globl	purgatory_start
	.hidden	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	cli
	cld
	leaq	purgatory_stack_end(%rip), %rsp

	/* Our own GDT; its base is known only now, so build the pseudo-descriptor on the stack. */
	leaq	purgatory_gdt(%rip), %rax
	subq	$16, %rsp
	movw	$(purgatory_gdt_end - purgatory_gdt - 1), (%rsp)
	movq	%rax, 2(%rsp)
	lgdt	(%rsp)
	addq	$16, %rsp

	/* Reload CS from the new GDT with a far return to the next instruction. */
	pushq	$BOOT_CS
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/* Returns only if the kernel may be started; halts forever otherwise. */
	call	purgatory_main

	/* Linux 64-bit boot protocol: RSI = boot_params, interrupts off. */
	movq	purgatory_params + PURGATORY_PARAMS_JUMP_ADDR(%rip), %rax
	movq	purgatory_params + PURGATORY_PARAMS_RSI(%rip), %rsi
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
	jmpq	*%rax		/* RSP stays on our stack: valid memory */
	.size	purgatory_start, . - purgatory_start

	/*
	 * Selectors as the Linux 64-bit boot protocol wants them.  The
	 * accessed bits are preset so the CPU never writes to this table.
	 */
	.section .data, "aw", @progbits
	.balign	16
purgatory_gdt:
	.quad	0			/* 0x00 null */
	.quad	0			/* 0x08 unused */
	.quad	0x00af9b000000ffff	/* 0x10 64-bit code: P, DPL 0, L, G, accessed */
	.quad	0x00cf93000000ffff	/* 0x18 flat data: P, DPL 0, RW, D/B, G, accessed */
purgatory_gdt_end:

	.section .bss, "aw", @nobits
	.balign	16
purgatory_stack:
	.skip	8192
purgatory_stack_end:

	.section .note.GNU-stack, "", @progbits
