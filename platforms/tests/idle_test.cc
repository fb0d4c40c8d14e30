// Interrupt-driven idle (board/idle.h): the wake-up deadline ends a sleep
// no earlier than asked and not much later, the sleep really sleeps (few
// wake-ups), and on the boards interrupts are delivered, dispatched to the
// handler table, not lost while masked, and do not disturb the interrupted
// code's registers.
#include "board/idle.h"

#include <cstdint>

#include "board/board.h"
#include "gtest/gtest.h"

#if defined(__arm__)
#include "platforms/common/irq.h"
#endif

namespace {

// Generous: QEMU without -icount follows host time on a shared machine.
constexpr std::uint64_t kLateToleranceUs = 250'000;

TEST(IdleTest, WakeupEndsTheSleepAtTheDeadline) {
  for (const std::uint64_t delay_us : {1'000u, 20'000u, 100'000u}) {
    const std::uint64_t deadline = board::MonotonicMicroseconds() + delay_us;
    board::ArmWakeup(deadline);
    int sleeps = 0;
    while (!board::WakeupDue() && sleeps < 1'000'000) {
      if (board::SleepUnless([] { return false; })) ++sleeps;
    }
    const std::uint64_t now = board::MonotonicMicroseconds();
    EXPECT_TRUE(board::WakeupDue());
    EXPECT_GE(now, deadline) << "delay " << delay_us;
    EXPECT_LT(now, deadline + kLateToleranceUs) << "delay " << delay_us;
    // A sleep that returned at once each time would take thousands of
    // turns; a real one wakes for the deadline (and a stray interrupt).
    EXPECT_LE(sleeps, 10) << "delay " << delay_us;
    board::CancelWakeup();
  }
}

TEST(IdleTest, PassedDeadlineIsDueWithoutSleeping) {
  board::ArmWakeup(board::MonotonicMicroseconds());
  const std::uint64_t start = board::MonotonicMicroseconds();
  while (!board::WakeupDue() &&
         board::MonotonicMicroseconds() - start < kLateToleranceUs) {
    board::WaitForInterrupt();
  }
  EXPECT_TRUE(board::WakeupDue());
  // Due stays due until the next Arm/Cancel: the next sleep returns at once.
  EXPECT_FALSE(board::WaitForInterrupt());
  board::CancelWakeup();
  EXPECT_FALSE(board::WakeupDue());
}

TEST(IdleTest, CancelledWakeupNeverComes) {
  board::ArmWakeup(board::MonotonicMicroseconds() + 2'000);
  board::CancelWakeup();
  const std::uint64_t start = board::MonotonicMicroseconds();
  while (board::MonotonicMicroseconds() - start < 20'000) {
  }
  EXPECT_FALSE(board::WakeupDue());
}

TEST(IdleTest, WorkSkipsTheSleep) {
  board::CancelWakeup();
  int asked = 0;
  EXPECT_FALSE(board::SleepUnless([&] {
    ++asked;
    return true;
  }));
  EXPECT_EQ(asked, 1);
}

#if defined(__arm__)

volatile std::uint32_t software_irqs = 0;

void CountSoftwareIrq() {
  board::internal::ClearSoftwareIrq();
  software_irqs = software_irqs + 1;
}

class IrqTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(board::internal::AttachInterrupt(
        board::internal::SoftwareTestIrq(), CountSoftwareIrq));
    software_irqs = 0;
  }
  void TearDown() override {
    board::internal::AttachInterrupt(board::internal::SoftwareTestIrq(),
                                     nullptr);
  }
};

TEST_F(IrqTest, SoftwareInterruptIsDispatchedToItsHandler) {
  const auto before = board::internal::ReadIrqCounters();
  for (int i = 1; i <= 5; ++i) {
    board::internal::TriggerSoftwareIrq();
    asm volatile("isb" ::: "memory");
    EXPECT_EQ(software_irqs, static_cast<std::uint32_t>(i));
  }
  const auto after = board::internal::ReadIrqCounters();
  EXPECT_EQ(after.dispatched - before.dispatched, 5u);
  EXPECT_EQ(after.unhandled, before.unhandled);
}

// The race SleepUnless closes: an interrupt raised after the check for work
// (IRQs masked) still ends the WFI, and its handler runs on unmask.
TEST_F(IrqTest, MaskedInterruptWakesTheWaitAndRunsOnUnmask) {
  const std::uint32_t state = board::MaskInterrupts();
  board::internal::TriggerSoftwareIrq();
  asm volatile("isb" ::: "memory");
  EXPECT_EQ(software_irqs, 0u);        // masked: not yet
  board::idle_internal::WaitMasked();  // returns: the interrupt is pending
  EXPECT_EQ(software_irqs, 0u);
  board::RestoreInterrupts(state);
  asm volatile("isb" ::: "memory");
  EXPECT_EQ(software_irqs, 1u);
}

// A handler may clobber every caller-saved register (core and VFP) and
// FPSCR; the IRQ entry must give the interrupted code its values back.
void ClobberingIrq() {
  board::internal::ClearSoftwareIrq();
  software_irqs = software_irqs + 1;
  asm volatile(
      "mov r0, #0\n mov r1, #0\n mov r2, #0\n mov r3, #0\n mov r12, #0\n"
      "vmov d0, r0, r1\n vmov d7, r0, r1\n"
#if defined(__ARM_NEON)
      "vmov d16, r0, r1\n vmov d31, r0, r1\n"
#endif
      "vmsr fpscr, r0\n" ::
          : "r0", "r1", "r2", "r3", "r12", "d0", "d7",
#if defined(__ARM_NEON)
            "d16", "d31",
#endif
            "memory");
}

TEST(IrqEntryTest, InterruptedCodeKeepsItsRegisters) {
  ASSERT_TRUE(board::internal::AttachInterrupt(
      board::internal::SoftwareTestIrq(), ClobberingIrq));
  software_irqs = 0;
  // r0-r3, r12, d0, d7, (d16, d31), FPSCR after the interrupt.
  std::uint32_t out[14] = {};
  constexpr std::uint32_t kFpscr = (1u << 24) | (3u << 22);  // FZ, RMode
  const std::uint32_t state = board::MaskInterrupts();
  board::internal::TriggerSoftwareIrq();
  asm volatile(
      "isb\n"
      "movw r0, #0x1111\n movw r1, #0x2222\n movw r2, #0x3333\n"
      "movw r3, #0x4444\n movw r12, #0x5555\n"
      "vmov d0, r0, r1\n vmov d7, r2, r3\n"
#if defined(__ARM_NEON)
      "vmov d16, r1, r2\n vmov d31, r3, r12\n"
#endif
      "vmsr fpscr, %[fpscr]\n"
      "cpsie i\n"  // the pending interrupt is taken here
      "isb\n nop\n nop\n"
      "cpsid i\n"
      "str r0, [%[out], #0]\n str r1, [%[out], #4]\n str r2, [%[out], #8]\n"
      "str r3, [%[out], #12]\n str r12, [%[out], #16]\n"
      "vstr d0, [%[out], #20]\n vstr d7, [%[out], #28]\n"
#if defined(__ARM_NEON)
      "vstr d16, [%[out], #36]\n vstr d31, [%[out], #44]\n"
#endif
      "vmrs r0, fpscr\n str r0, [%[out], #52]\n"
      "mov r0, #0\n vmsr fpscr, r0\n"
      :
      : [out] "r"(out), [fpscr] "r"(kFpscr)
      : "r0", "r1", "r2", "r3", "r12", "d0", "d7",
#if defined(__ARM_NEON)
        "d16", "d31",
#endif
        "memory");
  board::RestoreInterrupts(state);
  board::internal::AttachInterrupt(board::internal::SoftwareTestIrq(), nullptr);
  EXPECT_EQ(software_irqs, 1u);
  EXPECT_EQ(out[0], 0x1111u);
  EXPECT_EQ(out[1], 0x2222u);
  EXPECT_EQ(out[2], 0x3333u);
  EXPECT_EQ(out[3], 0x4444u);
  EXPECT_EQ(out[4], 0x5555u);
  EXPECT_EQ(out[5], 0x1111u);  // d0 = r1:r0
  EXPECT_EQ(out[6], 0x2222u);
  EXPECT_EQ(out[7], 0x3333u);  // d7 = r3:r2
  EXPECT_EQ(out[8], 0x4444u);
#if defined(__ARM_NEON)
  EXPECT_EQ(out[9], 0x2222u);
  EXPECT_EQ(out[10], 0x3333u);
  EXPECT_EQ(out[11], 0x4444u);
  EXPECT_EQ(out[12], 0x5555u);
#endif
  EXPECT_EQ(out[13] & kFpscr, kFpscr);
}

#endif  // defined(__arm__)

}  // namespace
