// Arm GICv3 interrupt controller (the MPS3 AN536's; Cortex-R52), for one
// core in one security state: the distributor (SPIs), this core's
// redistributor (SGIs, PPIs) and the CPU interface through its system
// registers (the R52 has no memory-mapped CPU interface). Every interrupt
// used is Group 1, which a GIC with a single security state (GICD_CTLR.DS,
// QEMU's default and what an Armv8-R core without EL3 sees) signals as IRQ;
// Group 0 would be FIQ.
//
// Affinity routing is always on in a GICv3 of this kind (GICD_CTLR.ARE is
// RAO/WI in QEMU), so SPIs are routed by GICD_IROUTER and SGIs/PPIs are
// configured in the redistributor.
//
// QEMU's mps3-an536 (hw/arm/mps3r.c): distributor at 0xf000_0000,
// redistributors at 0xf010_0000 (one 128 KiB pair of frames per core), 96
// SPIs. Interrupt map of the devices used here: the per-core UART0's RX is
// PPI INTID 16 (TX 17, combined 18, overflow 19); the shared UARTs at
// 0xe020_5000 + n * 0x1000 have RX at SPI INTID 37 + 2n (TX 38 + 2n); the
// generic timer's EL1 physical timer (CNTP) is PPI INTID 30.
#ifndef PLATFORMS_DRIVERS_GICV3_H_
#define PLATFORMS_DRIVERS_GICV3_H_

#include <cstdint>

#include "platforms/drivers/mmio.h"

namespace drivers {

class Gicv3 {
 public:
  // INTIDs 1020..1023 are special; 1023 means "nothing pending" (spurious).
  static constexpr std::uint32_t kFirstSpecialIntid = 1020;

  constexpr Gicv3(std::uintptr_t distributor, std::uintptr_t redistributors)
      : distributor_(distributor), redistributors_(redistributors) {}

  // Enables the distributor for Group 1, wakes this core's redistributor and
  // opens the CPU interface to every priority. Returns false when no
  // redistributor matches this core's affinity (MPIDR).
  bool Init() {
    Write32(distributor_ + kGicdCtlr, 0);
    WaitForDistributorWrites();
    Write32(distributor_ + kGicdCtlr, kGicdCtlrAre | kGicdCtlrEnableGrp1);
    WaitForDistributorWrites();

    rd_base_ = 0;
    sgi_base_ = 0;
    const std::uint32_t affinity = CoreAffinity();
    for (std::uintptr_t frame = redistributors_;;
         frame += kRedistributorStride) {
      // GICR_TYPER[63:32] is the affinity of the core the frame serves.
      if (Read32(frame + kGicrTyper + 4) == affinity) {
        rd_base_ = frame;
        sgi_base_ = frame + kSgiFrameOffset;
        break;
      }
      if ((Read32(frame + kGicrTyper) & kGicrTyperLast) != 0) return false;
    }
    // Wake the redistributor: it forwards nothing to a sleeping core.
    Write32(rd_base_ + kGicrWaker,
            Read32(rd_base_ + kGicrWaker) & ~kGicrWakerProcessorSleep);
    for (std::uint32_t i = 0; i < kPollLimit; ++i) {
      if ((Read32(rd_base_ + kGicrWaker) & kGicrWakerChildrenAsleep) == 0) {
        break;
      }
    }

    // CPU interface (system registers: ICC_SRE.SRE is RAO/WI on the R52,
    // and the start-up code lets EL1 use them through ICC_HSRE.Enable):
    // every priority unmasked (ICC_PMR resets to 0, which masks all), no
    // preemption groups (BPR1 = 0), Group 1 on.
    asm volatile("mcr p15, 0, %0, c4, c6, 0" ::"r"(0xffu));  // ICC_PMR
    asm volatile("mcr p15, 0, %0, c12, c12, 3" ::"r"(0u));   // ICC_BPR1
    asm volatile("mcr p15, 0, %0, c12, c12, 7" ::"r"(1u));   // ICC_IGRPEN1
    asm volatile("isb" ::: "memory");
    return true;
  }

  // Enables interrupt `intid` (an SGI/PPI of this core below 32, else an
  // SPI routed to this core) as Group 1, level-sensitive, at `priority`
  // (lower is more urgent; the GIC may implement only its top bits).
  void Enable(std::uint32_t intid, std::uint8_t priority) const {
    const std::uint32_t bit = 1u << (intid % 32);
    if (intid < 32) {
      Write32(sgi_base_ + kGicrIgroupr0,
              Read32(sgi_base_ + kGicrIgroupr0) | bit);
      SetPriority(sgi_base_ + kGicrIpriorityr, intid, priority);
      Write32(sgi_base_ + kGicrIsenabler0, bit);
    } else {
      const std::uintptr_t word = 4 * (intid / 32);
      Write32(distributor_ + kGicdIgroupr + word,
              Read32(distributor_ + kGicdIgroupr + word) | bit);
      SetPriority(distributor_ + kGicdIpriorityr, intid, priority);
      // Level-sensitive: ICFGR's odd bit of the interrupt's pair is 0.
      const std::uintptr_t cfg = distributor_ + kGicdIcfgr + 4 * (intid / 16);
      Write32(cfg, Read32(cfg) & ~(2u << (2 * (intid % 16))));
      // IROUTER: this core (Aff2.Aff1.Aff0; Aff3, the high word, is 0),
      // Interrupt_Routing_Mode 0.
      const std::uintptr_t router = distributor_ + kGicdIrouter + 8 * intid;
      Write32(router, CoreAffinity());
      Write32(router + 4, 0);
      Write32(distributor_ + kGicdIsenabler + word, bit);
    }
  }

  void Disable(std::uint32_t intid) const {
    const std::uint32_t bit = 1u << (intid % 32);
    if (intid < 32) {
      Write32(sgi_base_ + kGicrIcenabler0, bit);
    } else {
      Write32(distributor_ + kGicdIcenabler + 4 * (intid / 32), bit);
    }
  }

  // Sends software-generated interrupt `sgi` (0..15, edge-triggered) to
  // this core: ICC_SGI1R with TargetList = this core's Aff0 in its cluster
  // (Aff1, Aff2 from MPIDR; Aff3 0), IRM = 0.
  static void SendSgiToSelf(std::uint32_t sgi) {
    const std::uint32_t affinity = CoreAffinity();
    const std::uint32_t low = (1u << (affinity & 0xfu)) |
                              (affinity & 0xff00u) << 8 |  // Aff1 [23:16]
                              (sgi & 0xfu) << 24;
    const std::uint32_t high = (affinity >> 16) & 0xffu;  // Aff2 [39:32]
    asm volatile("mcrr p15, 0, %0, %1, c12" ::"r"(low), "r"(high) : "memory");
    asm volatile("isb" ::: "memory");
  }

  // Makes `intid` pending (tests: an interrupt without a device).
  void SetPending(std::uint32_t intid) const {
    const std::uint32_t bit = 1u << (intid % 32);
    if (intid < 32) {
      Write32(sgi_base_ + kGicrIspendr0, bit);
    } else {
      Write32(distributor_ + kGicdIspendr + 4 * (intid / 32), bit);
    }
  }

  // ICC_IAR1: the highest-priority pending Group 1 interrupt, now active,
  // or 1023 if none.
  static std::uint32_t Acknowledge() {
    std::uint32_t intid;
    asm volatile("mrc p15, 0, %0, c12, c12, 0" : "=r"(intid)::"memory");
    return intid & 0x00ff'ffffu;
  }

  // ICC_EOIR1 (EOImode 0): drops the running priority and deactivates.
  static void EndOfInterrupt(std::uint32_t intid) {
    asm volatile("mcr p15, 0, %0, c12, c12, 1" ::"r"(intid) : "memory");
  }

 private:
  static constexpr std::uintptr_t kGicdCtlr = 0x0000;
  static constexpr std::uintptr_t kGicdIgroupr = 0x0080;
  static constexpr std::uintptr_t kGicdIsenabler = 0x0100;
  static constexpr std::uintptr_t kGicdIcenabler = 0x0180;
  static constexpr std::uintptr_t kGicdIspendr = 0x0200;
  static constexpr std::uintptr_t kGicdIpriorityr = 0x0400;
  static constexpr std::uintptr_t kGicdIcfgr = 0x0c00;
  static constexpr std::uintptr_t kGicdIrouter = 0x6000;
  static constexpr std::uint32_t kGicdCtlrEnableGrp1 = 1u << 1;
  static constexpr std::uint32_t kGicdCtlrAre = 1u << 4;
  static constexpr std::uint32_t kGicdCtlrRwp = 1u << 31;

  // Each core's redistributor: an RD frame and an SGI frame, 64 KiB each.
  static constexpr std::uintptr_t kRedistributorStride = 0x2'0000;
  static constexpr std::uintptr_t kSgiFrameOffset = 0x1'0000;
  static constexpr std::uintptr_t kGicrWaker = 0x0014;
  static constexpr std::uintptr_t kGicrTyper = 0x0008;
  static constexpr std::uint32_t kGicrTyperLast = 1u << 4;
  static constexpr std::uint32_t kGicrWakerProcessorSleep = 1u << 1;
  static constexpr std::uint32_t kGicrWakerChildrenAsleep = 1u << 2;
  static constexpr std::uintptr_t kGicrIgroupr0 = 0x0080;
  static constexpr std::uintptr_t kGicrIsenabler0 = 0x0100;
  static constexpr std::uintptr_t kGicrIcenabler0 = 0x0180;
  static constexpr std::uintptr_t kGicrIspendr0 = 0x0200;
  static constexpr std::uintptr_t kGicrIpriorityr = 0x0400;

  // Bounds the waits on the GIC, which QEMU completes at once; they only
  // keep a broken part from hanging start-up.
  static constexpr std::uint32_t kPollLimit = 1'000'000;

  // MPIDR's affinity fields in GICR_TYPER's layout (Aff3.Aff2.Aff1.Aff0).
  static std::uint32_t CoreAffinity() {
    std::uint32_t mpidr;
    asm volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
    return mpidr & 0x00ff'ffffu;  // AArch32 MPIDR has no Aff3
  }

  void WaitForDistributorWrites() const {
    for (std::uint32_t i = 0; i < kPollLimit; ++i) {
      if ((Read32(distributor_ + kGicdCtlr) & kGicdCtlrRwp) == 0) return;
    }
  }

  // IPRIORITYR holds a byte per interrupt; word accesses only, since the
  // registers are Device memory and not every GIC takes byte writes.
  static void SetPriority(std::uintptr_t base, std::uint32_t intid,
                          std::uint8_t priority) {
    const std::uintptr_t word = base + (intid & ~3u);
    const std::uint32_t shift = 8 * (intid % 4);
    Write32(word, (Read32(word) & ~(0xffu << shift)) |
                      (std::uint32_t{priority} << shift));
  }

  std::uintptr_t distributor_;
  std::uintptr_t redistributors_;
  std::uintptr_t rd_base_ = 0;
  std::uintptr_t sgi_base_ = 0;
};

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_GICV3_H_
