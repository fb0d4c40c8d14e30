// Reset and exception entry shared by the Cortex-R boards.
//
// Runs in ARM state (exceptions are taken in ARM state: SCTLR.TE = 0).
//  1. Armv8-R (Cortex-R52) resets in Hyp mode (EL2): give EL1 the FPU and
//     the physical timer, point HVBAR at our vectors, and drop to SVC mode
//     (EL1) with ERET.
//  2. Park every core but core 0 (QEMU powers the second R52 off for a
//     -kernel boot, but real hardware may not).
//  3. Install the vector table (VBAR exists only on Armv8-R; on Armv7-R the
//     board links the table at address 0), set a stack per exception mode,
//     enable the FPU, and continue in C++ (board_c_start, crt0.cc).
// IRQs (irq_entry) are dispatched to board_irq_dispatch() (the board's
// controller and handler table, platforms/common/irq.h); they stay masked
// until the board's InitPeripherals unmasks them. Other unexpected
// exceptions (FIQ included) print a crash report (kind, fault status and
// address registers, the interrupted registers) and end the program with a
// failure status, so a crashed test fails fast instead of hanging until the
// test timeout.

    .syntax unified
    .arm

    .equ MODE_USR, 0x10
    .equ MODE_FIQ, 0x11
    .equ MODE_IRQ, 0x12
    .equ MODE_SVC, 0x13
    .equ MODE_ABT, 0x17
    .equ MODE_HYP, 0x1a
    .equ MODE_UND, 0x1b
    .equ MODE_SYS, 0x1f
    .equ MASK_AIF, 0x1c0

    .section .vectors, "ax", %progbits
    .align 5
    .global _vectors
_vectors:
    ldr pc, =_start
    b   undef_entry
    b   svc_entry
    b   prefetch_abort_entry
    b   data_abort_entry
    b   hyp_trap_entry
    b   irq_entry
    b   fiq_entry

    .text
    .global _start
    .type _start, %function
_start:
#if __ARM_ARCH >= 8
    mrs   r0, cpsr
    and   r0, r0, #0x1f
    cmp   r0, #MODE_HYP
    bne   in_el1
    mov   r0, #0
    mcr   p15, 4, r0, c1, c1, 2       // HCPTR = 0: no FPU/SIMD traps to EL2
    mov   r0, #3
    mcr   p15, 4, r0, c14, c1, 0      // CNTHCTL: EL1 may read CNTPCT, use CNTP
    mov   r0, #0xf
    mcr   p15, 4, r0, c12, c9, 5      // ICC_HSRE: SRE, DFB, DIB, Enable: EL1
                                      // may use the GIC system registers
    ldr   r0, =_vectors
    mcr   p15, 4, r0, c12, c0, 0      // HVBAR
    mov   r0, #(MODE_SVC | MASK_AIF)
    msr   spsr_hyp, r0
    ldr   r0, =in_el1
    msr   elr_hyp, r0
    eret
in_el1:
#endif
    mrc   p15, 0, r0, c0, c0, 5       // MPIDR
    ands  r0, r0, #0xff               // Aff0: core number in the cluster
    bne   park_core

#if __ARM_ARCH >= 8
    ldr   r0, =_vectors
    mcr   p15, 0, r0, c12, c0, 0      // VBAR
#endif

    cps   #MODE_UND
    ldr   sp, =__und_stack_top
    cps   #MODE_ABT
    ldr   sp, =__abt_stack_top
    cps   #MODE_IRQ
    ldr   sp, =__irq_stack_top
    cps   #MODE_FIQ
    ldr   sp, =__fiq_stack_top
    cps   #MODE_SVC
    ldr   sp, =__svc_stack_top

    // FPU: full access to CP10/CP11 in CPACR, then FPEXC.EN.
    mrc   p15, 0, r0, c1, c0, 2
    orr   r0, r0, #(0xf << 20)
    mcr   p15, 0, r0, c1, c0, 2
    isb
    mov   r0, #0x40000000
    vmsr  fpexc, r0

    bl    board_c_start               // does not return
park_core:
    wfi
    b     park_core
    .size _start, . - _start

// Each entry saves the interrupted registers on its own mode's stack, before
// any C++ code can clobber them, and passes (kind, frame) to
// board_unexpected_exception (crt0.cc), which prints the crash report. The
// frame, 18 words from low to high address (struct ExceptionFrame):
//   r0-r12 of the interrupted code, its sp and lr (read by switching to its
//   mode; 0 when Hyp mode is either side, or lr when the mode is the same:
//   the exception has overwritten it), this mode's lr
//   (the exception's return link) and SPSR (the interrupted CPSR), a pad
//   word that keeps the stack 8-byte aligned.
// The report is printed on the exception mode's stack, not the interrupted
// code's, so an overflowed main stack still gets one.
    .macro unexpected_exception label, kind
\label:
    sub   sp, sp, #20                 // sp, lr, return link, SPSR, pad
    push  {r0-r12}
    mov   r0, #\kind
    b     save_exception_frame
    .endm

    unexpected_exception undef_entry, 1
    unexpected_exception svc_entry, 2
    unexpected_exception prefetch_abort_entry, 3
    unexpected_exception data_abort_entry, 4
    unexpected_exception hyp_trap_entry, 5
    unexpected_exception fiq_entry, 7

save_exception_frame:
    mov   r4, lr                      // return link of this exception
    mrs   r5, spsr                    // the interrupted CPSR
    mrs   r6, cpsr                    // this mode, to come back to
    mov   r8, #0                      // sp, lr unknown unless read below
    mov   r9, #0
    and   r7, r5, #0x1f               // the interrupted mode
    cmp   r7, #MODE_USR
    moveq r7, #MODE_SYS               // User's sp and lr, seen from System
    and   r10, r6, #0x1f
    cmp   r7, r10                     // same mode (SVC from SVC): sp before
    addeq r8, sp, #72                 // the frame; lr is the link itself
    beq   1f
    cmp   r7, #MODE_HYP               // EL1 cannot enter Hyp mode, nor can
    cmpne r10, #MODE_HYP              // Hyp mode leave by MSR
    beq   1f
    orr   r7, r7, #0xc0               // IRQ and FIQ stay masked
    msr   cpsr_c, r7
    mov   r8, sp
    mov   r9, lr
    msr   cpsr_c, r6
1:
    str   r8, [sp, #52]               // past r0-r12: sp, lr, link, SPSR
    str   r9, [sp, #56]
    str   r4, [sp, #60]
    str   r5, [sp, #64]
    mov   r1, sp
    bl    board_unexpected_exception  // does not return

// IRQ: the handler is ordinary C++ (AAPCS), so the registers a call may
// clobber are saved here on the IRQ-mode stack: r0-r3, r12, the return
// address, FPSCR and the caller-saved VFP registers (d0-d7; d16-d31 where
// the FPU has them). Callee-saved registers are the callee's to keep. The
// frame is a multiple of 8 bytes, so the handler's stack stays aligned. No
// nesting: IRQs stay masked until the return, which restores CPSR (mode,
// I bit, Thumb state) from SPSR_irq.
irq_entry:
    sub   lr, lr, #4                  // the interrupted instruction
    push  {r0-r3, r12, lr}
    vmrs  r0, fpscr
    push  {r0, r1}                    // FPSCR and a pad word
    vpush {d0-d7}
#if defined(__ARM_NEON)
    vpush {d16-d31}
#endif
    bl    board_irq_dispatch
#if defined(__ARM_NEON)
    vpop  {d16-d31}
#endif
    vpop  {d0-d7}
    pop   {r0, r1}
    vmsr  fpscr, r0
    ldmfd sp!, {r0-r3, r12, pc}^      // return; CPSR = SPSR_irq

    .ltorg
