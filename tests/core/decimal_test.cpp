// Decimal byte conversions: Parquet stores decimals as big-endian two's complement of any width
// from 1 to 16 bytes; reading sign-extends, writing keeps the low bytes.
#include "core/decimal.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace sluice {
namespace {

/// The conversion by definition, a byte at a time.
int128_t ReferenceFromBigEndian(const uint8_t* bytes, int length) {
  unsigned __int128 value = (bytes[0] & 0x80) ? ~static_cast<unsigned __int128>(0) : 0;
  for (int i = 0; i < length; ++i) value = (value << 8) | bytes[i];
  return static_cast<int128_t>(value);
}

TEST(DecimalTest, BigEndianBytesOfEveryWidthReadAsTheSignExtendedNumber) {
  std::mt19937_64 random(7);
  for (int length = 1; length <= 16; ++length) {
    for (int trial = 0; trial < 200; ++trial) {
      std::vector<uint8_t> bytes(static_cast<size_t>(length));
      for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(random());
      if (trial == 0) std::fill(bytes.begin(), bytes.end(), 0xff);  // -1
      if (trial == 1) std::fill(bytes.begin(), bytes.end(), 0);
      if (trial == 2) bytes[0] = 0x80;  // the most negative top byte
      const int128_t value = DecimalFromBigEndian(bytes.data(), length);
      ASSERT_TRUE(value == ReferenceFromBigEndian(bytes.data(), length)) << "length " << length;
      std::vector<uint8_t> written(static_cast<size_t>(length));
      DecimalToBigEndian(value, written.data(), length);
      ASSERT_EQ(written, bytes) << "length " << length;
    }
  }
}

TEST(DecimalTest, WritingKeepsTheLowBytesAndWiderThanSixteenSignExtends) {
  uint8_t two[2];
  DecimalToBigEndian(-2, two, 2);
  EXPECT_EQ(two[0], 0xff);
  EXPECT_EQ(two[1], 0xfe);
  DecimalToBigEndian(0x1234, two, 2);
  EXPECT_EQ(two[0], 0x12);
  EXPECT_EQ(two[1], 0x34);

  std::vector<uint8_t> wide(20);
  DecimalToBigEndian(-5, wide.data(), 20);
  for (int i = 0; i < 19; ++i) EXPECT_EQ(wide[static_cast<size_t>(i)], 0xff) << i;
  EXPECT_EQ(wide[19], 0xfb);
  EXPECT_TRUE(DecimalFromBigEndian(wide.data(), 20) == -5);
  EXPECT_TRUE(DecimalFromBigEndian(wide.data(), 0) == 0);
}

}  // namespace
}  // namespace sluice
