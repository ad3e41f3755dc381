/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/kernel/smoke/payload.S - a flat 64-bit multikernel payload.
 *
 * Loaded with kexec_load(KEXEC_MULTIKERNEL) at the start of a reserved
 * region and entered there by the test kernel's wake-up trampoline, in the
 * state doc/multikernel-abi.md 4.4 describes: long mode, CS 0x10, no usable stack, no IDT,
 * interrupts off, RSI = R15 = host boot_params, R14 = entry.
 *
 * It records that state in the block below (before touching anything),
 * sets up its own stack inside its own image, prints a line on COM2 and
 * stores MK_MAGIC at offset 8, then halts for good.  Only RIP-relative
 * addressing is used, so it runs wherever it is put (below 4 GiB).
 * Build: gcc -c payload.S && ld -Ttext=0 && objcopy -O binary.
 *
 * Layout, offsets from the start (read by mk-smoke state):
 */
#define OFF_MAGIC	0x08	/* MK_MAGIC once the payload has run */
#define OFF_RSP		0x10	/* registers as found at entry */
#define OFF_RSI		0x18
#define OFF_R14		0x20
#define OFF_R15		0x28
#define OFF_CR0		0x30
#define OFF_CR4		0x38
#define OFF_EFER	0x40
#define OFF_RFLAGS	0x48	/* read after the stack is set up */
#define OFF_CS		0x50
#define OFF_DS		0x58
#define OFF_ES		0x60
#define OFF_SS		0x68
#define OFF_FS		0x70
#define OFF_GS		0x78
#define OFF_IDTR	0x80	/* sidt: 2-byte limit, 8-byte base */
#define OFF_GDTR	0x90	/* sgdt */
#define OFF_CR3		0xa0
#define OFF_BASE	0xa8	/* where the payload found itself (lea) */
#define OFF_CODE	0x100

#define MK_MAGIC	0x4556494c412d4b4d	/* "MK-ALIVE" in memory */
#define COM2		0x2f8
#define STACK_SIZE	4096

	.text
	.code64
	.globl	_start
_start:
	jmp	entry
	.org	OFF_CODE, 0

entry:
	/* Nothing has been changed yet: record the state we were given. */
	movq	%rsp, _start + OFF_RSP(%rip)
	movq	%rsi, _start + OFF_RSI(%rip)
	movq	%r14, _start + OFF_R14(%rip)
	movq	%r15, _start + OFF_R15(%rip)
	movq	%cr0, %rax
	movq	%rax, _start + OFF_CR0(%rip)
	movq	%cr4, %rax
	movq	%rax, _start + OFF_CR4(%rip)
	movq	%cr3, %rax
	movq	%rax, _start + OFF_CR3(%rip)
	movl	$0xc0000080, %ecx		/* MSR_EFER */
	rdmsr
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	%rax, _start + OFF_EFER(%rip)
	xorl	%eax, %eax
	movw	%cs, %ax
	movq	%rax, _start + OFF_CS(%rip)
	xorl	%eax, %eax
	movw	%ds, %ax
	movq	%rax, _start + OFF_DS(%rip)
	xorl	%eax, %eax
	movw	%es, %ax
	movq	%rax, _start + OFF_ES(%rip)
	xorl	%eax, %eax
	movw	%ss, %ax
	movq	%rax, _start + OFF_SS(%rip)
	xorl	%eax, %eax
	movw	%fs, %ax
	movq	%rax, _start + OFF_FS(%rip)
	xorl	%eax, %eax
	movw	%gs, %ax
	movq	%rax, _start + OFF_GS(%rip)
	sidt	_start + OFF_IDTR(%rip)
	sgdt	_start + OFF_GDTR(%rip)
	leaq	_start(%rip), %rax
	movq	%rax, _start + OFF_BASE(%rip)

	/* Our own stack, inside our own image. */
	leaq	stack_top(%rip), %rsp
	pushfq
	popq	%rax
	movq	%rax, _start + OFF_RFLAGS(%rip)

	call	uart_init
	leaq	msg_alive(%rip), %rsi
	call	puts
	leaq	msg_entry(%rip), %rsi
	movq	_start + OFF_BASE(%rip), %rax
	call	put_field
	leaq	msg_r14(%rip), %rsi
	movq	_start + OFF_R14(%rip), %rax
	call	put_field
	leaq	msg_rsi(%rip), %rsi
	movq	_start + OFF_RSI(%rip), %rax
	call	put_field
	leaq	msg_rsp(%rip), %rsi
	movq	_start + OFF_RSP(%rip), %rax
	call	put_field
	leaq	msg_cr0(%rip), %rsi
	movq	_start + OFF_CR0(%rip), %rax
	call	put_field
	leaq	msg_cr4(%rip), %rsi
	movq	_start + OFF_CR4(%rip), %rax
	call	put_field
	leaq	msg_efer(%rip), %rsi
	movq	_start + OFF_EFER(%rip), %rax
	call	put_field
	leaq	msg_eol(%rip), %rsi
	call	puts

	/* Last: tell the host (polling /dev/mem) that we ran. */
	movabsq	$MK_MAGIC, %rax
	movq	%rax, _start + OFF_MAGIC(%rip)
	mfence
1:	cli
	hlt
	jmp	1b

/* 115200 8N1, no interrupts, FIFOs on. */
uart_init:
	movw	$COM2 + 1, %dx			/* IER = 0 */
	xorl	%eax, %eax
	outb	%al, %dx
	movw	$COM2 + 3, %dx			/* LCR: DLAB */
	movb	$0x80, %al
	outb	%al, %dx
	movw	$COM2 + 0, %dx			/* divisor 1 = 115200 */
	movb	$1, %al
	outb	%al, %dx
	movw	$COM2 + 1, %dx
	xorl	%eax, %eax
	outb	%al, %dx
	movw	$COM2 + 3, %dx			/* LCR: 8N1 */
	movb	$0x03, %al
	outb	%al, %dx
	movw	$COM2 + 2, %dx			/* FCR: enable, clear */
	movb	$0x07, %al
	outb	%al, %dx
	movw	$COM2 + 4, %dx			/* MCR: DTR|RTS, no OUT2 */
	movb	$0x03, %al
	outb	%al, %dx
	ret

/* putc: %al = byte.  Clobbers %dx, %cl. */
putc:
	movb	%al, %cl
	movw	$COM2 + 5, %dx			/* LSR */
2:	inb	%dx, %al
	testb	$0x20, %al			/* THR empty */
	jz	2b
	movw	$COM2, %dx
	movb	%cl, %al
	outb	%al, %dx
	ret

/* puts: %rsi = NUL-terminated string.  Clobbers %rax, %rdx, %rcx, %rsi. */
puts:
	movb	(%rsi), %al
	testb	%al, %al
	jz	3f
	call	putc
	incq	%rsi
	jmp	puts
3:	ret

/* put_field: print the string at %rsi, then %rax as 0x%016lx. */
put_field:
	pushq	%rbx
	movq	%rax, %rbx
	call	puts
	movb	$'0', %al
	call	putc
	movb	$'x', %al
	call	putc
	movl	$16, %r8d
4:	rolq	$4, %rbx
	movl	%ebx, %eax
	andl	$0xf, %eax
	leaq	hexdigits(%rip), %rsi
	movb	(%rsi,%rax), %al
	call	putc
	decl	%r8d
	jnz	4b
	popq	%rbx
	ret

hexdigits:	.ascii	"0123456789abcdef"
msg_alive:	.asciz	"MK-PAYLOAD-ALIVE"
msg_entry:	.asciz	" base="
msg_r14:	.asciz	" r14="
msg_rsi:	.asciz	" rsi="
msg_rsp:	.asciz	" rsp="
msg_cr0:	.asciz	" cr0="
msg_cr4:	.asciz	" cr4="
msg_efer:	.asciz	" efer="
msg_eol:	.asciz	"\r\nMK-PAYLOAD-DONE\r\n"

	.balign	16
stack:
	.fill	STACK_SIZE, 1, 0
stack_top:
