/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A bare-metal ELF64 payload for `kexec --multikernel`: linked at a physical
 * address inside the host's reservation, entered by purgatory in 64-bit
 * mode with nothing else promised.  It takes its own stack, prints one line
 * on COM2 (I/O 0x2f8) naming its local APIC id, stores a magic word right
 * after its code for the host to read through /dev/mem, and halts.
 */
	.code64
	.section .text, "ax"
	.globl _start
_start:
	cli
	leaq	stack_top(%rip), %rsp
	leaq	message(%rip), %rsi
	call	puts_com2
	/* Initial APIC id: CPUID leaf 1, EBX[31:24]. */
	movl	$1, %eax
	cpuid
	shrl	$24, %ebx
	movl	%ebx, %eax
	addb	$'0', %al
	call	putc_com2
	movb	$'\r', %al
	call	putc_com2
	movb	$'\n', %al
	call	putc_com2
	movl	$0x4d4b4f4b, magic(%rip)	/* "KOKM" */
1:	hlt
	jmp	1b

/* Print the NUL-terminated string at %rsi. */
puts_com2:
	lodsb
	testb	%al, %al
	jz	2f
	call	putc_com2
	jmp	puts_com2
2:	ret

/* Send %al once the transmitter holding register is empty (LSR bit 5). */
putc_com2:
	movb	%al, %cl
	movw	$0x2fd, %dx
3:	inb	%dx, %al
	testb	$0x20, %al
	jz	3b
	movw	$0x2f8, %dx
	movb	%cl, %al
	outb	%al, %dx
	ret

	.section .data, "aw"
message:
	.asciz	"MK-ELF-PAYLOAD-ALIVE apic "
	.balign	8
	.globl	magic
magic:
	.long	0
	.balign	16
	.space	4096
stack_top:
