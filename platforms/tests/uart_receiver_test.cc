// Flow-controlled receive (platforms/common/uart_receiver.h) against models
// of the two UARTs as QEMU implements them: a sender much faster than the
// consumer loses nothing, reorders nothing, never makes the UART overrun
// and never leaves the link stalled; a full ring throttles instead of
// dropping, and no interrupt keeps firing while throttled.
//
//   CMSDK (mps3_an536): one-byte receive buffer; the RX interrupt is
//   latched when a byte arrives with the interrupt enabled and stays until
//   acknowledged, so a byte that arrived while it was masked raises nothing.
//   PL011 (versatilepb_r5f): a 16-byte FIFO; the RX interrupt is a level,
//   raised while the FIFO holds bytes and the interrupt is enabled.
// Like QEMU's character backend, the sender offers its next byte whenever
// the UART can take one (here: after each read, and between any two steps
// of the consumer).
#include "platforms/common/uart_receiver.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "gtest/gtest.h"

namespace {

using board::internal::UartReceiver;

// The sender's side: bytes 0, 1, 2, ... (mod 256) up to `total`.
struct Sender {
  std::uint32_t next = 0;
  std::uint32_t total = 0;
  bool HasMore() const { return next < total; }
  std::uint8_t Take() { return static_cast<std::uint8_t>(next++); }
};

struct CmsdkModel {
  explicit CmsdkModel(Sender* s) : sender(s) {}
  Sender* sender;
  bool rx_full = false;
  std::uint8_t rx = 0;
  bool int_enabled = false;
  bool int_latched = false;

  void Offer() {
    if (rx_full || !sender->HasMore()) return;
    rx = sender->Take();
    rx_full = true;
    if (int_enabled) int_latched = true;
  }
  bool Line() const { return int_latched; }
};

struct Pl011Model {
  static constexpr std::size_t kFifo = 16;
  explicit Pl011Model(Sender* s) : sender(s) {}
  Sender* sender;
  std::deque<std::uint8_t> fifo;
  bool int_enabled = false;

  void Offer() {
    while (fifo.size() < kFifo && sender->HasMore()) {
      fifo.push_back(sender->Take());
    }
  }
  bool Line() const { return int_enabled && !fifo.empty(); }
};

// The driver interface uart_receiver.h uses, over a model.
class FakeCmsdk {
 public:
  explicit FakeCmsdk(CmsdkModel* m) : m_(m) {}
  bool RxReady() const { return m_->rx_full; }
  std::uint8_t ReadRx() const {
    const std::uint8_t byte = m_->rx;
    m_->rx_full = false;
    m_->Offer();  // QEMU asks its backend for more when DATA is read
    return byte;
  }
  void SetRxInterrupt(bool enabled) const { m_->int_enabled = enabled; }
  void AckRxInterrupt() const { m_->int_latched = false; }
  bool TakeRxOverrun() const { return false; }  // the model never overruns

 private:
  CmsdkModel* m_;
};

class FakePl011 {
 public:
  explicit FakePl011(Pl011Model* m) : m_(m) {}
  bool RxReady() const { return !m_->fifo.empty(); }
  std::uint8_t ReadRx() const {
    const std::uint8_t byte = m_->fifo.front();
    m_->fifo.pop_front();
    m_->Offer();
    return byte;
  }
  void SetRxInterrupt(bool enabled) const { m_->int_enabled = enabled; }
  void AckRxInterrupt() const {}
  bool TakeRxOverrun() const { return false; }

 private:
  Pl011Model* m_;
};

constexpr std::size_t kRing = 64;

// Runs `total` bytes through a receiver with a ring of kRing: the consumer
// reads `chunk` bytes per turn (fewer if none are waiting); between turns
// the sender offers and every raised interrupt is served. Returns the bytes
// the consumer got.
template <typename Model, typename Fake>
void RunLink(std::uint32_t total, std::uint32_t chunk) {
  Sender sender{.next = 0, .total = total};
  Model model(&sender);
  const Fake uart(&model);
  UartReceiver<Fake, kRing> receiver;
  receiver.Start(uart);

  std::vector<std::uint8_t> got;
  std::uint32_t handler_runs_for_nothing = 0;
  std::uint32_t idle_turns = 0;
  while (got.size() < total) {
    // The hardware side: offer, then serve the interrupt while raised.
    model.Offer();
    for (int guard = 0; model.Line(); ++guard) {
      ASSERT_LT(guard, 1000) << "interrupt storm at byte " << got.size();
      const std::uint32_t before = receiver.Stats().received;
      receiver.OnInterrupt(uart);
      if (receiver.Stats().received == before) ++handler_runs_for_nothing;
      model.Offer();
    }
    // The consumer.
    std::uint32_t read = 0;
    while (read < chunk) {
      const auto byte = receiver.TryRead(uart);
      if (!byte.has_value()) break;
      got.push_back(*byte);
      ++read;
    }
    idle_turns = read == 0 ? idle_turns + 1 : 0;
    ASSERT_LT(idle_turns, 10u) << "stalled: " << got.size() << " of " << total
                               << " bytes read, " << sender.next << " sent";
  }
  for (std::uint32_t i = 0; i < total; ++i) {
    ASSERT_EQ(got[i], static_cast<std::uint8_t>(i)) << "at byte " << i;
  }
  const board::UartReceiveStats stats = receiver.Stats();
  EXPECT_EQ(stats.received, total);
  EXPECT_EQ(stats.ring_overruns, 0u);
  EXPECT_EQ(stats.waiting, 0u);
  EXPECT_GT(stats.throttles, total / kRing / 2);  // the sender was held back
  // Throttling may cost one empty handler run per throttle, no more.
  EXPECT_LE(handler_runs_for_nothing, stats.throttles);
}

TEST(UartReceiverTest, CmsdkSlowConsumerLosesNothing) {
  RunLink<CmsdkModel, FakeCmsdk>(10'000, 3);
}

TEST(UartReceiverTest, CmsdkConsumerReadingWholeRingsLosesNothing) {
  RunLink<CmsdkModel, FakeCmsdk>(10'000, kRing);
}

TEST(UartReceiverTest, Pl011SlowConsumerLosesNothing) {
  RunLink<Pl011Model, FakePl011>(10'000, 3);
}

TEST(UartReceiverTest, Pl011ConsumerReadingWholeRingsLosesNothing) {
  RunLink<Pl011Model, FakePl011>(10'000, kRing);
}

// The ring fills while nobody reads: exactly kRing bytes are taken, the
// receive interrupt is masked, and the UART keeps the rest (no drop).
TEST(UartReceiverTest, FullRingThrottlesAndLeavesBytesInTheUart) {
  Sender sender{.next = 0, .total = 1000};
  Pl011Model model(&sender);
  const FakePl011 uart(&model);
  UartReceiver<FakePl011, kRing> receiver;
  model.Offer();
  receiver.Start(uart);
  model.Offer();
  for (int guard = 0; model.Line(); ++guard) {
    ASSERT_LT(guard, 1000);
    receiver.OnInterrupt(uart);
    model.Offer();
  }
  EXPECT_EQ(receiver.Stats().received, kRing);
  EXPECT_EQ(receiver.Stats().throttles, 1u);
  EXPECT_EQ(receiver.Stats().ring_overruns, 0u);
  EXPECT_FALSE(model.int_enabled);
  EXPECT_EQ(model.fifo.size(), Pl011Model::kFifo);
  // Reading down to half a ring resumes, and the waiting bytes follow on.
  for (std::size_t i = 0; i < kRing / 2; ++i) {
    ASSERT_EQ(receiver.TryRead(uart), static_cast<std::uint8_t>(i));
  }
  EXPECT_TRUE(model.int_enabled || receiver.Stats().throttles == 2u);
  EXPECT_EQ(receiver.Stats().received, kRing + kRing / 2);
}

}  // namespace
