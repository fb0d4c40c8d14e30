#include "wire/cobs.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "gtest/gtest.h"
#include "wire/frame_reader.h"

namespace wire {
namespace {

std::vector<std::uint8_t> Encode(const std::vector<std::uint8_t>& payload) {
  std::vector<std::uint8_t> out(CobsMaxEncodedSize(payload.size()));
  const base::Result<std::size_t> r = CobsEncode(payload, out);
  EXPECT_TRUE(r.ok()) << base::StatusName<CobsCode>(r.status());
  out.resize(r.value());
  return out;
}

std::vector<std::uint8_t> Range(int first, int last) {
  std::vector<std::uint8_t> v;
  for (int b = first; b <= last; ++b) v.push_back(static_cast<std::uint8_t>(b));
  return v;
}

// The published examples of the COBS encoding (Cheshire and Baker's scheme).
TEST(CobsTest, KnownEncodings) {
  using V = std::vector<std::uint8_t>;
  EXPECT_EQ(Encode(V{0x00}), (V{0x01, 0x01}));
  EXPECT_EQ(Encode(V{0x00, 0x00}), (V{0x01, 0x01, 0x01}));
  EXPECT_EQ(Encode(V{0x00, 0x11, 0x00}), (V{0x01, 0x02, 0x11, 0x01}));
  EXPECT_EQ(Encode(V{0x11, 0x22, 0x00, 0x33}),
            (V{0x03, 0x11, 0x22, 0x02, 0x33}));
  EXPECT_EQ(Encode(V{0x11, 0x22, 0x33, 0x44}),
            (V{0x05, 0x11, 0x22, 0x33, 0x44}));
  EXPECT_EQ(Encode(V{0x11, 0x00, 0x00, 0x00}),
            (V{0x02, 0x11, 0x01, 0x01, 0x01}));

  V expected = {0xff};
  for (std::uint8_t b : Range(0x01, 0xfe)) expected.push_back(b);
  EXPECT_EQ(Encode(Range(0x01, 0xfe)), expected);

  V leading_zero = Range(0x00, 0xfe);
  V expected_leading = {0x01, 0xff};
  for (std::uint8_t b : Range(0x01, 0xfe)) expected_leading.push_back(b);
  EXPECT_EQ(Encode(leading_zero), expected_leading);

  V expected_255 = {0xff};
  for (std::uint8_t b : Range(0x01, 0xfe)) expected_255.push_back(b);
  expected_255.push_back(0x02);
  expected_255.push_back(0xff);
  EXPECT_EQ(Encode(Range(0x01, 0xff)), expected_255);
}

TEST(CobsTest, EmptyPayloadIsOneCodeByte) {
  EXPECT_EQ(Encode({}), std::vector<std::uint8_t>{0x01});
  std::uint8_t out[4];
  const std::uint8_t encoded[] = {0x01};
  const base::Result<std::size_t> r = CobsDecode(encoded, out);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.value(), 0u);
}

TEST(CobsTest, RoundTripsRandomPayloads) {
  std::mt19937 rng(7);
#if defined(__arm__)
  constexpr int kCases = 60;
#else
  constexpr int kCases = 2000;
#endif
  for (int i = 0; i < kCases; ++i) {
    const std::size_t size = rng() % 4200;
    const int zero_percent = static_cast<int>(rng() % 101);
    std::vector<std::uint8_t> payload(size);
    for (auto& b : payload) {
      b = static_cast<int>(rng() % 100) < zero_percent
              ? 0
              : static_cast<std::uint8_t>(1 + rng() % 255);
    }
    const std::vector<std::uint8_t> encoded = Encode(payload);
    EXPECT_LE(encoded.size(), CobsMaxEncodedSize(size));
    for (std::uint8_t b : encoded) ASSERT_NE(b, 0);
    std::vector<std::uint8_t> decoded(size + 1);
    const base::Result<std::size_t> r = CobsDecode(encoded, decoded);
    ASSERT_TRUE(r.ok()) << base::StatusName<CobsCode>(r.status());
    decoded.resize(r.value());
    ASSERT_EQ(decoded, payload) << "size " << size;
  }
}

TEST(CobsTest, DecodesInPlace) {
  const std::vector<std::uint8_t> payload = {0, 1, 2, 0, 0, 3, 0};
  std::vector<std::uint8_t> buffer = Encode(payload);
  const base::Result<std::size_t> r = CobsDecode(buffer, buffer);
  ASSERT_TRUE(r.ok());
  buffer.resize(r.value());
  EXPECT_EQ(buffer, payload);
}

// What CobsEncodeTo handed out: the bytes, and whether every piece was a
// one-byte code or a span into the payload itself (no copied payload).
struct Emitted {
  std::vector<std::uint8_t> bytes;
  std::size_t code_bytes = 0;
  std::size_t payload_bytes = 0;  // emitted as spans into the payload
  bool pieces_ok = true;
};

Emitted EncodeTo(const std::vector<std::uint8_t>& payload) {
  Emitted e;
  const auto first = reinterpret_cast<std::uintptr_t>(payload.data());
  const auto last = first + payload.size();
  CobsEncodeTo(payload, [&](std::span<const std::uint8_t> piece) {
    e.bytes.insert(e.bytes.end(), piece.begin(), piece.end());
    const auto at = reinterpret_cast<std::uintptr_t>(piece.data());
    if (!piece.empty() && at >= first && at + piece.size() <= last) {
      e.payload_bytes += piece.size();
    } else if (piece.size() == 1) {
      ++e.code_bytes;
    } else {
      e.pieces_ok = false;
    }
  });
  return e;
}

// The streamed encoding is CobsEncode's, byte for byte, and every payload
// byte in it was handed out where it lies in the payload.
void ExpectStreamedEqualsEncoded(const std::vector<std::uint8_t>& payload) {
  const Emitted e = EncodeTo(payload);
  ASSERT_EQ(e.bytes, Encode(payload)) << "size " << payload.size();
  EXPECT_TRUE(e.pieces_ok) << "size " << payload.size();
  const auto non_zero = static_cast<std::size_t>(std::count_if(
      payload.begin(), payload.end(), [](std::uint8_t b) { return b != 0; }));
  EXPECT_EQ(e.payload_bytes, non_zero) << "size " << payload.size();
  EXPECT_EQ(e.code_bytes + e.payload_bytes, e.bytes.size());
}

TEST(CobsEncodeToTest, EqualsCobsEncodeAtThePieceBoundaries) {
  using V = std::vector<std::uint8_t>;
  auto non_zero = [](std::size_t n) {
    V v(n);
    for (std::size_t i = 0; i < n; ++i)
      v[i] = static_cast<std::uint8_t>(1 + i % 255);
    return v;
  };
  auto join = [](V a, const V& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  const V zero = {0};
  const std::vector<V> cases = {
      {},
      {0},
      {0, 0},
      {0x11, 0x00},
      non_zero(1),
      non_zero(253),
      non_zero(254),
      non_zero(255),
      non_zero(256),
      non_zero(508),
      non_zero(509),
      join(non_zero(254), zero),
      join(zero, non_zero(254)),
      join(join(non_zero(254), zero), non_zero(254)),
      join(non_zero(253), zero),
      V(4132, 0),
      non_zero(4132),
  };
  for (const V& payload : cases) ExpectStreamedEqualsEncoded(payload);
}

TEST(CobsEncodeToTest, EqualsCobsEncodeOnRandomPayloads) {
  std::mt19937 rng(23);
#if defined(__arm__)
  constexpr int kCases = 60;
#else
  constexpr int kCases = 2000;
#endif
  for (int i = 0; i < kCases; ++i) {
    // Every fourth a full-size link frame; zeros from none to all.
    const std::size_t size = i % 4 == 0 ? 4132 : rng() % 4200;
    const int zero_percent = static_cast<int>(rng() % 101);
    std::vector<std::uint8_t> payload(size);
    for (auto& b : payload) {
      b = static_cast<int>(rng() % 100) < zero_percent
              ? 0
              : static_cast<std::uint8_t>(1 + rng() % 255);
    }
    ExpectStreamedEqualsEncoded(payload);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// The receive side: each random frame decodes where it lies.
TEST(CobsDecodeInPlaceTest, RoundTripsRandomPayloads) {
  std::mt19937 rng(29);
#if defined(__arm__)
  constexpr int kCases = 60;
#else
  constexpr int kCases = 2000;
#endif
  for (int i = 0; i < kCases; ++i) {
    const std::size_t size = i % 4 == 0 ? 4132 : rng() % 4200;
    const int zero_percent = static_cast<int>(rng() % 101);
    std::vector<std::uint8_t> payload(size);
    for (auto& b : payload) {
      b = static_cast<int>(rng() % 100) < zero_percent
              ? 0
              : static_cast<std::uint8_t>(1 + rng() % 255);
    }
    std::vector<std::uint8_t> frame = Encode(payload);
    const base::Result<std::size_t> r = CobsDecodeInPlace(frame);
    ASSERT_TRUE(r.ok()) << base::StatusName<CobsCode>(r.status());
    ASSERT_EQ(r.value(), size);
    ASSERT_TRUE(std::equal(payload.begin(), payload.end(), frame.begin()))
        << "size " << size;
  }
}

// On any input at all, well-formed or not, decoding in place gives what
// decoding into a separate buffer of the same size gives: the same refusal
// or the same payload. And in place the output always fits.
TEST(CobsDecodeInPlaceTest, AgreesWithASeparateOutputOnArbitraryInput) {
  std::mt19937 rng(31);
#if defined(__arm__)
  constexpr int kCases = 300;
#else
  constexpr int kCases = 20000;
#endif
  std::size_t accepted = 0;
  for (int i = 0; i < kCases; ++i) {
    // Half are encodings with a byte or two overwritten (often still well
    // formed, decoding to something else), half are arbitrary bytes.
    std::vector<std::uint8_t> frame;
    if (i % 2 == 0) {
      std::vector<std::uint8_t> payload(rng() % 600);
      for (auto& b : payload)
        b = rng() % 8 == 0 ? 0 : static_cast<std::uint8_t>(rng());
      frame = Encode(payload);
      for (unsigned hits = rng() % 3; hits != 0; --hits)
        frame[rng() % frame.size()] = static_cast<std::uint8_t>(rng());
    } else {
      frame.resize(rng() % 600);
      for (auto& b : frame) b = static_cast<std::uint8_t>(rng());
    }
    std::vector<std::uint8_t> separate(frame.size());
    const base::Result<std::size_t> expected = CobsDecode(frame, separate);
    std::vector<std::uint8_t> in_place = frame;
    const base::Result<std::size_t> r = CobsDecodeInPlace(in_place);
    ASSERT_EQ(r.status(), expected.status()) << "case " << i;
    ASSERT_NE(r.status(), CobsCode::kOutputTooSmall) << "case " << i;
    if (!r.ok()) continue;
    ++accepted;
    ASSERT_EQ(r.value(), expected.value());
    ASSERT_TRUE(std::equal(separate.begin(), separate.begin() + r.value(),
                           in_place.begin()))
        << "case " << i;
  }
  EXPECT_GT(accepted, static_cast<std::size_t>(kCases) / 8);
}

TEST(CobsDecodeInPlaceTest, RefusesMalformedFrames) {
  std::vector<std::uint8_t> zero_inside = {0x03, 0x11, 0x00};
  EXPECT_EQ(CobsDecodeInPlace(zero_inside).status(), CobsCode::kZeroByte);
  std::vector<std::uint8_t> zero_code = {0x02, 0x11, 0x00, 0x22};
  EXPECT_EQ(CobsDecodeInPlace(zero_code).status(), CobsCode::kZeroByte);
  std::vector<std::uint8_t> overrun = {0x05, 0x11, 0x22};
  EXPECT_EQ(CobsDecodeInPlace(overrun).status(), CobsCode::kTruncated);
  std::vector<std::uint8_t> late_overrun = {0x02, 0x11, 0xff, 0x22};
  EXPECT_EQ(CobsDecodeInPlace(late_overrun).status(), CobsCode::kTruncated);
  EXPECT_EQ(CobsDecodeInPlace({}).status(), CobsCode::kEmpty);
}

TEST(CobsTest, RejectsMalformedFrames) {
  std::uint8_t out[16];
  const std::uint8_t zero_inside[] = {0x03, 0x11, 0x00};
  EXPECT_EQ(CobsDecode(zero_inside, out).status(), CobsCode::kZeroByte);
  const std::uint8_t zero_code[] = {0x00};
  EXPECT_EQ(CobsDecode(zero_code, out).status(), CobsCode::kZeroByte);
  const std::uint8_t overrun[] = {0x05, 0x11, 0x22};
  EXPECT_EQ(CobsDecode(overrun, out).status(), CobsCode::kTruncated);
  EXPECT_EQ(CobsDecode({}, out).status(), CobsCode::kEmpty);
  std::uint8_t tiny[1];
  const std::uint8_t three[] = {0x04, 0x11, 0x22, 0x33};
  EXPECT_EQ(CobsDecode(three, tiny).status(), CobsCode::kOutputTooSmall);
  std::uint8_t enc[2];
  const std::uint8_t payload[] = {1, 2, 3};
  EXPECT_EQ(CobsEncode(payload, enc).status(), CobsCode::kOutputTooSmall);
}

// Each refusal has its own "cobs.<code>" name.
TEST(CobsTest, RefusalsHaveDistinctNames) {
  constexpr CobsCode kCodes[] = {CobsCode::kOutputTooSmall, CobsCode::kZeroByte,
                                 CobsCode::kTruncated, CobsCode::kEmpty};
  for (const CobsCode a : kCodes) {
    const base::Status status = a;
    EXPECT_EQ(status.domain(), base::Domain::kCobs);
    EXPECT_TRUE(base::StatusName<CobsCode>(status).starts_with("cobs."));
    for (const CobsCode b : kCodes) {
      if (a != b) {
        EXPECT_NE(CodeName(a), CodeName(b));
      }
    }
  }
  EXPECT_EQ(base::StatusName<CobsCode>(CobsCode::kTruncated), "cobs.truncated");
}

// The stream recovers at the next delimiter whatever happened before it.
TEST(FrameReaderTest, ResynchronisesAfterDropsFlipsAndOverflow) {
  FrameReader<8> reader;
  std::vector<std::vector<std::uint8_t>> frames;
  auto feed = [&](std::initializer_list<std::uint8_t> bytes) {
    for (std::uint8_t b : bytes) {
      if (auto frame = reader.Feed(b))
        frames.emplace_back(frame->begin(), frame->end());
    }
  };
  feed({0x11, 0x22, 0x00});  // a frame
  EXPECT_EQ(reader.bytes_fed(), 3u);
  feed({0x00, 0x00});  // empty frames: ignored
  EXPECT_EQ(reader.bytes_fed(), 5u);
  feed({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});  // too long: being discarded
  EXPECT_EQ(reader.bytes_fed(), 15u);
  feed({0x00});  // ...until its delimiter
  EXPECT_EQ(reader.bytes_fed(), 16u);
  feed({0x33});  // next frame, in progress
  EXPECT_EQ(reader.bytes_fed(), 17u);
  feed({0x00});
  EXPECT_EQ(reader.bytes_fed(), 18u);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], (std::vector<std::uint8_t>{0x11, 0x22}));
  EXPECT_EQ(frames[1], (std::vector<std::uint8_t>{0x33}));
  EXPECT_EQ(reader.stats().frames, 2u);
  EXPECT_EQ(reader.stats().overflows, 1u);
  EXPECT_EQ(reader.stats().empty, 2u);
}

// Random damage to an encoded stream of frames: every frame whose bytes
// were untouched is still delivered exactly as sent.
TEST(FrameReaderTest, UndamagedFramesSurviveRandomByteDropsAndFlips) {
  std::mt19937 rng(11);
  constexpr std::size_t kFrames = 200;
  std::vector<std::vector<std::uint8_t>> sent;
  std::vector<std::uint8_t> stream;
  std::vector<bool> damaged;
  for (std::size_t i = 0; i < kFrames; ++i) {
    std::vector<std::uint8_t> payload(1 + rng() % 300);
    for (auto& b : payload) b = static_cast<std::uint8_t>(rng());
    payload[0] = static_cast<std::uint8_t>(i);  // frames are distinguishable
    std::vector<std::uint8_t> encoded = Encode(payload);
    bool hit = false;
    if (rng() % 4 == 0) {  // drop a byte
      encoded.erase(encoded.begin() +
                    static_cast<long>(rng() % encoded.size()));
      hit = true;
    }
    if (rng() % 4 == 0 && !encoded.empty()) {  // flip a bit
      encoded[rng() % encoded.size()] ^=
          static_cast<std::uint8_t>(1u << (rng() % 8));
      hit = true;
    }
    stream.insert(stream.end(), encoded.begin(), encoded.end());
    stream.push_back(kFrameDelimiter);
    sent.push_back(payload);
    damaged.push_back(hit);
  }
  FrameReader<CobsMaxEncodedSize(400)> reader;
  std::vector<std::vector<std::uint8_t>> received;
  for (std::uint8_t b : stream) {
    if (auto frame = reader.Feed(b)) {
      std::vector<std::uint8_t> decoded(frame->size());
      const base::Result<std::size_t> r = CobsDecode(*frame, decoded);
      if (!r.ok()) continue;
      decoded.resize(r.value());
      received.push_back(decoded);
    }
  }
  std::size_t intact = 0;
  for (std::size_t i = 0; i < kFrames; ++i) {
    if (damaged[i]) continue;
    ++intact;
    bool found = false;
    for (const auto& r : received) found = found || r == sent[i];
    EXPECT_TRUE(found) << "undamaged frame " << i << " lost";
  }
  EXPECT_GT(intact, kFrames / 3);
}

}  // namespace
}  // namespace wire
