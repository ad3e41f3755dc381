# shellcheck shell=bash
# tests/multikernel/spawned-log.sh: what a spawned kernel's boot log must show
# about the firmware view kexec gave it (kexec/arch/x86_64/acpi-tables.h).
# Sourced by the QEMU tests that spawn a kernel with its own ACPI tables.

# spawned_ioapic_is_own LOG: 0 when the kernel of LOG (its serial log)
# registered exactly one I/O APIC, the window in its own memory that its
# MADT names (version 17: what kexec puts in the window), never the host's
# chip (0xfec00000 on QEMU's PC), which it would take from the host's MP
# table; routes interrupts through it; and never rewrote the host's 8259
# ELCR.  Otherwise prints the lines that say why, and returns 1.
spawned_ioapic_is_own()
{
	local log=$1

	if [[ $(grep -ac 'IOAPIC\[[0-9]*\]: apic_id' "$log") == 1 ]] &&
	   grep -aq 'IOAPIC\[0\]: apic_id 0, version 17, address 0x' "$log" &&
	   ! grep -aq 'address 0xfec00000\|ELCR' "$log" &&
	   grep -aq 'ACPI: Using IOAPIC for interrupt routing' "$log"; then
		return 0
	fi
	grep -a 'IOAPIC\|ELCR\|interrupt routing' "$log" | head -n 5
	return 1
}
