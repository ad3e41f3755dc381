/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A stand-in for the multikernel SMP trampoline, booted by QEMU as a
 * multiboot (v1) kernel, to run purgatory in the state doc/multikernel-abi.md 4.4 describes:
 *
 *   - long mode via our own 0-4 GiB identity map (2 MiB pages, flags 0x183);
 *   - CR0 = PG|PE only (with -append fpu-off also EM|TS), CR4 = PAE only
 *     (SSE raises #UD), EFER = LME only;
 *   - CS 0x10, DS = ES = SS 0x18 in a GDT laid out like the trampoline's;
 *   - IDT limit 0, IF = 0: any fault triple-faults and QEMU (-no-reboot) exits;
 *   - CR0 and CR4 are saved, and at the landing they must be as they were:
 *     purgatory's SHA-NI path turns SSE on and must turn it off again;
 *   - RSP above 4 GiB and unmapped, so a push before purgatory loads its
 *     own stack faults; RSI = R15 = a stale "host boot_params"; R14 = entry.
 *
 * Module 0 (purgatory.bin, params filled by the test) is copied to
 * PURGATORY_ADDR, module 1 (the data the digests cover) to DATA_ADDR.
 * Purgatory should jump to `landing`, which reports on COM1 and leaves
 * QEMU through isa-debug-exit.
 */
#define PURGATORY_ADDR	0x01000000
#define DATA_ADDR	0x02000000
#define STALE_RSI	0x00000000000f0000	/* what the host would pass */
#define WANT_RSI	0x0000000000090000	/* what the test's params ask for */
#define COM1		0x3f8
#define DEBUG_EXIT	0xf4

	.text
	.code32
	/* Multiboot header: first in .text, well inside the first 8 KiB. */
	.balign	4
	.long	0x1badb002			/* magic */
	.long	0				/* flags: ELF layout, nothing asked */
	.long	-0x1badb002			/* checksum */

	.globl	_start
_start:
	cli
	movl	$stack_top, %esp
	movl	%ebx, %ebp			/* multiboot info */

	/*
	 * Copy the two modules: mods_addr at +24, entries of {start, end, string, 0}.
	 * The data first and from its end: a big one (bench/purgatory-tcg) lies
	 * where QEMU put it, just above us, across PURGATORY_ADDR and below the
	 * overlapping DATA_ADDR.
	 */
	movl	24(%ebp), %ebx
	movl	16(%ebx), %esi
	movl	20(%ebx), %ecx
	subl	%esi, %ecx
	leal	-1(%esi, %ecx), %esi
	movl	$DATA_ADDR - 1, %edi
	addl	%ecx, %edi
	std
	rep movsb
	cld
	movl	0(%ebx), %esi
	movl	4(%ebx), %ecx
	subl	%esi, %ecx
	movl	$PURGATORY_ADDR, %edi
	rep movsb

	/* PML4[0] -> PDPT[0..3] -> 4 PDs of 2 MiB pages, as the trampoline builds them. */
	movl	$pdpt + 0x7, pml4
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$12, %eax
	addl	$pd + 0x7, %eax
	movl	%eax, pdpt(, %ecx, 8)
	incl	%ecx
	cmpl	$4, %ecx
	jb	1b
	xorl	%ecx, %ecx
2:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x183, %eax
	movl	%eax, pd(, %ecx, 8)
	movl	%ecx, %eax
	shrl	$11, %eax
	movl	%eax, pd + 4(, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	2b

	movl	$pml4, %eax
	movl	%eax, %cr3
	movl	$0x20, %eax			/* CR4.PAE only */
	movl	%eax, %cr4
	movl	$0xc0000080, %ecx		/* EFER.LME only */
	xorl	%edx, %edx
	movl	$0x100, %eax
	wrmsr
	/*
	 * CR0 = PG|PE; with -append fpu-off also EM and TS, which a kernel may
	 * leave set (SSE would raise #UD and #NM): the SHA-NI path must clear
	 * them for the check and set them again before the jump.  QEMU's
	 * multiboot command line is "KERNEL-FILE ARGS": look after the space.
	 */
	movl	$0x80000001, %eax
	testl	$4, (%ebp)			/* multiboot flags: cmdline valid */
	jz	1f
	movl	16(%ebp), %edx
2:	movb	(%edx), %cl
	testb	%cl, %cl
	jz	1f
	incl	%edx
	cmpb	$0x20, %cl
	jne	2b
	cmpl	$0x2d757066, (%edx)		/* "fpu-" */
	jne	1f
	orl	$0xc, %eax			/* CR0.TS | CR0.EM */
1:	movl	%eax, %cr0
	lgdt	gdt_desc
	ljmp	$0x10, $long_mode

	.code64
long_mode:
	movl	$0x18, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	$idt_null, %eax			/* 32-bit ELF: no 32S relocations */
	lidt	(%rax)
	/* Scratch values everywhere; RSP points at nothing mapped. */
	movq	$0x0000deadbeef0000, %rsp
	movq	$STALE_RSI, %rsi
	movq	%rsi, %r15
	movl	PURGATORY_ADDR + 8, %r14d	/* params.entry_offset */
	addq	$PURGATORY_ADDR, %r14
	movq	$0x5a5a5a5a5a5a5a5a, %rax
	movq	%rax, %rbx
	movq	%rax, %rcx
	movq	%rax, %rdx
	movq	%rax, %rdi
	movq	%rax, %rbp
	movq	%rax, %r8
	movq	%rax, %r13
	movl	$entry_cr0, %r9d		/* 32-bit ELF: addresses in registers */
	movq	%cr0, %rax
	movq	%rax, (%r9)
	movq	%cr4, %rax
	movq	%rax, 8(%r9)
	movq	$0x5a5a5a5a5a5a5a5a, %rax
	movq	%rax, %r9
	jmpq	*%r14

	/* Purgatory jumps here.  Check what the kernel would rely on. */
	.globl	landing
landing:
	movq	$WANT_RSI, %rax
	cmpq	%rax, %rsi
	jne	bad_rsi
	movw	%cs, %ax
	cmpw	$0x10, %ax
	jne	bad_seg
	movw	%ds, %ax
	cmpw	$0x18, %ax
	jne	bad_seg
	movw	%ss, %ax
	cmpw	$0x18, %ax
	jne	bad_seg
	movl	$entry_cr0, %ecx
	movq	%cr0, %rax
	cmpq	(%rcx), %rax
	jne	bad_cr
	movq	%cr4, %rax
	cmpq	8(%rcx), %rax
	jne	bad_cr
	movq	%cr3, %rax
	movl	$pml4, %ecx
	cmpq	%rcx, %rax
	je	same_cr3
	movl	$msg_ok_own, %esi
	jmp	report
same_cr3:
	movl	$msg_ok_same, %esi
	jmp	report
bad_rsi:
	movl	$msg_bad_rsi, %esi
	jmp	report
bad_seg:
	movl	$msg_bad_seg, %esi
	jmp	report
bad_cr:
	movl	$msg_bad_cr, %esi
report:
	/* Polled COM1; purgatory already set it up (or the BIOS did). */
	movw	$COM1 + 5, %dx
3:	inb	%dx, %al
	testb	$0x20, %al
	jz	3b
	movw	$COM1, %dx
	lodsb
	testb	%al, %al
	jz	4f
	outb	%al, %dx
	jmp	report
4:	movw	$DEBUG_EXIT, %dx
	movl	$0x10, %eax			/* QEMU exit status 0x21 */
	outl	%eax, %dx
5:	hlt
	jmp	5b

	.section .rodata
msg_ok_own:	.asciz	"harness: landed, rsi ok, segments ok, own page tables\r\n"
msg_ok_same:	.asciz	"harness: landed, rsi ok, segments ok, trampoline page tables\r\n"
msg_bad_rsi:	.asciz	"harness: landed with the wrong rsi\r\n"
msg_bad_seg:	.asciz	"harness: landed with wrong segment selectors\r\n"
msg_bad_cr:	.asciz	"harness: landed with CR0 or CR4 not as the trampoline left them\r\n"

	.balign	8
gdt:	.quad	0
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x10 64-bit code */
	.quad	0x00cf92000000ffff		/* 0x18 data */
	.quad	0, 0				/* 0x20 TSS slot, never loaded */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt
idt_null:
	.word	0
	.long	0

	.bss
	.balign	8
entry_cr0:	.skip	8		/* then CR4 */
	.skip	8
	.balign	4096
pml4:	.skip	4096
pdpt:	.skip	4096
pd:	.skip	4 * 4096
	.skip	4096
stack_top:

	.section .note.GNU-stack, "", @progbits
