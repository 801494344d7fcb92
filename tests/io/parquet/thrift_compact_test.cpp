// Tests of the Thrift compact protocol: byte-exact encodings from the spec, round trips of every
// wire type, skipping of every type, and hostile input (lying counts, overlong varints, deep
// nesting, truncation) that must throw sluice::Error without reading outside the buffer. Inputs
// are copied into exactly sized heap buffers so that ASan sees any overread.
#include "io/parquet/format/thrift_compact.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"

namespace sluice::io::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes ToBytes(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

/// Encodes whatever `write` writes into an exactly sized buffer.
Bytes Encode(const std::function<void(CompactWriter&)>& write) {
  std::string out;
  CompactWriter writer(&out);
  write(writer);
  return ToBytes(out);
}

/// Runs `read` over `bytes` and returns the message of the sluice::Error it must throw.
std::string ErrorOf(const Bytes& bytes, const std::function<void(CompactReader&)>& read) {
  CompactReader reader(bytes.data(), bytes.size());
  try {
    read(reader);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    return error.what();
  }
  ADD_FAILURE() << "no sluice::Error was thrown";
  return "";
}

TEST(CompactWriterTest, EncodesVarintsAsInTheSpecExample) {
  // thrift-compact-protocol.md: 50399 = 0xDF 0x89 0x03.
  EXPECT_EQ(Encode([](CompactWriter& w) { w.WriteVarint(50399); }), (Bytes{0xDF, 0x89, 0x03}));
}

TEST(CompactWriterTest, EncodesSignedIntegersAsZigZag) {
  EXPECT_EQ(Encode([](CompactWriter& w) { w.WriteI32(0); }), (Bytes{0x00}));
  EXPECT_EQ(Encode([](CompactWriter& w) { w.WriteI32(-1); }), (Bytes{0x01}));
  EXPECT_EQ(Encode([](CompactWriter& w) { w.WriteI32(1); }), (Bytes{0x02}));
  EXPECT_EQ(Encode([](CompactWriter& w) { w.WriteI64(-2); }), (Bytes{0x03}));
  EXPECT_EQ(Encode([](CompactWriter& w) { w.WriteI32(std::numeric_limits<int32_t>::min()); }),
            (Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}));
  EXPECT_EQ(Encode([](CompactWriter& w) { w.WriteI64(std::numeric_limits<int64_t>::min()); }),
            (Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}));
}

TEST(CompactWriterTest, UsesDeltaFieldHeadersForIncreasingIdsAndLongFormOtherwise) {
  const Bytes bytes = Encode([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 5);      // Delta 1: 0x15, then zigzag(5) = 10.
    w.WriteI64Field(16, 1);     // Delta 15: 0xF6, then 2.
    w.WriteI32Field(40, 0);     // Delta 24: long form 0x05, zigzag(40) = 80, then 0.
    w.WriteBoolField(3, true);  // Backwards: long form 0x01, zigzag(3) = 6.
    w.EndStruct();
  });
  EXPECT_EQ(bytes, (Bytes{0x15, 0x0A, 0xF6, 0x02, 0x05, 0x50, 0x00, 0x01, 0x06, 0x00}));
}

TEST(CompactWriterTest, EncodesBoolFieldsInTheHeaderAndBoolElementsAsOneOrTwo) {
  const Bytes bytes = Encode([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteBoolField(1, true);
    w.WriteBoolField(2, false);
    w.WriteFieldHeader(CompactType::kList, 3);
    w.WriteListHeader(CompactType::kBoolTrue, 2);
    w.WriteBool(true);
    w.WriteBool(false);
    w.EndStruct();
  });
  EXPECT_EQ(bytes, (Bytes{0x11, 0x12, 0x19, 0x21, 0x01, 0x02, 0x00}));
}

TEST(CompactWriterTest, UsesLongListHeadersFromFifteenElements) {
  EXPECT_EQ(Encode([](CompactWriter& w) { w.WriteListHeader(CompactType::kI32, 14); }),
            (Bytes{0xE5}));
  EXPECT_EQ(Encode([](CompactWriter& w) { w.WriteListHeader(CompactType::kI32, 15); }),
            (Bytes{0xF5, 0x0F}));
  EXPECT_EQ(Encode([](CompactWriter& w) { w.WriteListHeader(CompactType::kStruct, 300); }),
            (Bytes{0xFC, 0xAC, 0x02}));
}

TEST(CompactWriterTest, EncodesEmptyMapsAsOneZeroByte) {
  EXPECT_EQ(Encode([](CompactWriter& w) {
              w.WriteMapHeader(CompactType::kBinary, CompactType::kI32, 0);
            }),
            (Bytes{0x00}));
  EXPECT_EQ(Encode([](CompactWriter& w) {
              w.WriteMapHeader(CompactType::kBinary, CompactType::kI32, 2);
            }),
            (Bytes{0x02, 0x85}));
}

TEST(CompactReaderTest, RoundTripsIntegersAtTheirLimits) {
  const std::vector<int64_t> values = {0,
                                       1,
                                       -1,
                                       63,
                                       -64,
                                       64,
                                       std::numeric_limits<int16_t>::min(),
                                       std::numeric_limits<int16_t>::max(),
                                       std::numeric_limits<int32_t>::min(),
                                       std::numeric_limits<int32_t>::max(),
                                       std::numeric_limits<int64_t>::min(),
                                       std::numeric_limits<int64_t>::max()};
  for (int64_t value : values) {
    const Bytes bytes = Encode([&](CompactWriter& w) {
      w.WriteI64(value);
      if (value >= INT32_MIN && value <= INT32_MAX) w.WriteI32(static_cast<int32_t>(value));
      if (value >= INT16_MIN && value <= INT16_MAX) w.WriteI16(static_cast<int16_t>(value));
      if (value >= INT8_MIN && value <= INT8_MAX) w.WriteI8(static_cast<int8_t>(value));
    });
    CompactReader reader(bytes.data(), bytes.size());
    EXPECT_EQ(reader.ReadI64(), value);
    if (value >= INT32_MIN && value <= INT32_MAX) {
      EXPECT_EQ(reader.ReadI32(), value);
    }
    if (value >= INT16_MIN && value <= INT16_MAX) {
      EXPECT_EQ(reader.ReadI16(), value);
    }
    if (value >= INT8_MIN && value <= INT8_MAX) {
      EXPECT_EQ(reader.ReadI8(), value);
    }
    EXPECT_EQ(reader.remaining(), 0u) << value;
  }
}

TEST(CompactReaderTest, RoundTripsDoublesBitForBit) {
  const std::vector<double> values = {0.0,
                                      -0.0,
                                      1.5,
                                      -3.25e300,
                                      5e-324,
                                      std::numeric_limits<double>::infinity(),
                                      std::numeric_limits<double>::quiet_NaN()};
  const Bytes bytes = Encode([&](CompactWriter& w) {
    for (double value : values) w.WriteDouble(value);
  });
  ASSERT_EQ(bytes.size(), 8 * values.size());
  EXPECT_EQ(bytes[8 * 2 + 6], 0xF8);  // 1.5 = 0x3FF8000000000000, little endian.
  EXPECT_EQ(bytes[8 * 2 + 7], 0x3F);
  CompactReader reader(bytes.data(), bytes.size());
  for (double value : values) {
    const double read = reader.ReadDouble();
    EXPECT_EQ(std::memcmp(&read, &value, sizeof(double)), 0) << value;
  }
}

TEST(CompactReaderTest, ReadsFieldHeadersWithDeltaAndLongFormIds) {
  const Bytes bytes = Bytes{0x15, 0x0A, 0xF6, 0x02, 0x05, 0x50, 0x00, 0x01, 0x06, 0x00};
  CompactReader reader(bytes.data(), bytes.size());
  reader.BeginStruct();
  FieldHeader field = reader.ReadFieldHeader();
  EXPECT_EQ(field.type, CompactType::kI32);
  EXPECT_EQ(field.id, 1);
  EXPECT_EQ(reader.ReadI32(), 5);
  field = reader.ReadFieldHeader();
  EXPECT_EQ(field.type, CompactType::kI64);
  EXPECT_EQ(field.id, 16);
  EXPECT_EQ(reader.ReadI64(), 1);
  field = reader.ReadFieldHeader();
  EXPECT_EQ(field.id, 40);
  EXPECT_EQ(reader.ReadI32(), 0);
  field = reader.ReadFieldHeader();
  EXPECT_EQ(field.id, 3);
  EXPECT_TRUE(IsBool(field.type));
  EXPECT_TRUE(field.bool_value());
  EXPECT_TRUE(reader.ReadFieldHeader().is_stop());
  reader.EndStruct();
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(CompactReaderTest, RestoresTheEnclosingFieldIdAfterANestedStruct) {
  const Bytes bytes = Encode([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(5, 1);
    w.WriteFieldHeader(CompactType::kStruct, 6);
    w.BeginStruct();
    w.WriteI32Field(1, 2);
    w.EndStruct();
    w.WriteI32Field(7, 3);  // Delta 1 from 6, not from the nested 1.
    w.EndStruct();
  });
  CompactReader reader(bytes.data(), bytes.size());
  reader.BeginStruct();
  EXPECT_EQ(reader.ReadFieldHeader().id, 5);
  reader.ReadI32();
  EXPECT_EQ(reader.ReadFieldHeader().id, 6);
  reader.BeginStruct();
  EXPECT_EQ(reader.ReadFieldHeader().id, 1);
  reader.ReadI32();
  EXPECT_TRUE(reader.ReadFieldHeader().is_stop());
  reader.EndStruct();
  EXPECT_EQ(reader.ReadFieldHeader().id, 7);
  EXPECT_EQ(reader.ReadI32(), 3);
  EXPECT_TRUE(reader.ReadFieldHeader().is_stop());
}

TEST(CompactReaderTest, ReadsShortAndLongListHeaders) {
  for (uint32_t size : {0u, 1u, 14u, 15u, 16u, 1000u}) {
    const Bytes bytes = Encode([&](CompactWriter& w) {
      w.WriteListHeader(CompactType::kI32, size);
      for (uint32_t i = 0; i < size; ++i) w.WriteI32(static_cast<int32_t>(i) - 7);
    });
    CompactReader reader(bytes.data(), bytes.size());
    const ListHeader header = reader.ReadListHeader();
    EXPECT_EQ(header.element_type, CompactType::kI32);
    ASSERT_EQ(header.size, size);
    for (uint32_t i = 0; i < size; ++i) EXPECT_EQ(reader.ReadI32(), static_cast<int32_t>(i) - 7);
    EXPECT_EQ(reader.remaining(), 0u);
  }
}

TEST(CompactReaderTest, AcceptsBoolListsDeclaredEitherWayAndValuesZeroOneOrTwo) {
  for (uint8_t element_type : {uint8_t{1}, uint8_t{2}}) {
    const Bytes bytes = {static_cast<uint8_t>(0x40 | element_type), 0x01, 0x02, 0x00, 0x01};
    CompactReader reader(bytes.data(), bytes.size());
    const ListHeader header = reader.ReadListHeader();
    EXPECT_EQ(header.element_type, CompactType::kBoolTrue);
    ASSERT_EQ(header.size, 4u);
    EXPECT_TRUE(reader.ReadBool());
    EXPECT_FALSE(reader.ReadBool());
    EXPECT_FALSE(reader.ReadBool());
    EXPECT_TRUE(reader.ReadBool());
  }
}

TEST(CompactReaderTest, RejectsABoolElementThatIsNeitherZeroOneNorTwo) {
  const std::string message = ErrorOf(Bytes{0x07}, [](CompactReader& r) { r.ReadBool(); });
  EXPECT_NE(message.find("bool at offset 0 has the invalid value 7"), std::string::npos) << message;
}

TEST(CompactReaderTest, RoundTripsMapsAndBinaries) {
  const Bytes bytes = Encode([](CompactWriter& w) {
    w.WriteMapHeader(CompactType::kBinary, CompactType::kI64, 2);
    w.WriteBinary("a");
    w.WriteI64(-9);
    w.WriteBinary(std::string(300, 'x'));
    w.WriteI64(1LL << 40);
    w.WriteMapHeader(CompactType::kI32, CompactType::kI32, 0);
    w.WriteBinary("");
  });
  CompactReader reader(bytes.data(), bytes.size());
  const MapHeader map = reader.ReadMapHeader();
  EXPECT_EQ(map.key_type, CompactType::kBinary);
  EXPECT_EQ(map.value_type, CompactType::kI64);
  ASSERT_EQ(map.size, 2u);
  EXPECT_EQ(reader.ReadBinary(), "a");
  EXPECT_EQ(reader.ReadI64(), -9);
  EXPECT_EQ(reader.ReadBinary(), std::string(300, 'x'));
  EXPECT_EQ(reader.ReadI64(), 1LL << 40);
  EXPECT_EQ(reader.ReadMapHeader().size, 0u);
  EXPECT_EQ(reader.ReadBinary(), "");
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(CompactReaderTest, ReadsAnyIntegerWidthAsOneInteger) {
  const Bytes bytes = Encode([](CompactWriter& w) {
    w.WriteI8(-5);
    w.WriteI16(300);
    w.WriteI32(-70000);
    w.WriteI64(1LL << 50);
  });
  CompactReader reader(bytes.data(), bytes.size());
  EXPECT_EQ(reader.ReadInteger(CompactType::kI8), -5);
  EXPECT_EQ(reader.ReadInteger(CompactType::kI16), 300);
  EXPECT_EQ(reader.ReadInteger(CompactType::kI32), -70000);
  EXPECT_EQ(reader.ReadInteger(CompactType::kI64), 1LL << 50);
  EXPECT_THROW(reader.ReadInteger(CompactType::kBinary), Error);
}

/// Writes one value of every type as fields 1..n of a struct, then field 100 = 42.
Bytes StructWithEveryType() {
  return Encode([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteBoolField(1, true);
    w.WriteBoolField(2, false);
    w.WriteI8Field(3, -1);
    w.WriteI16Field(4, -300);
    w.WriteI32Field(5, 1 << 30);
    w.WriteI64Field(6, -(1LL << 60));
    w.WriteDoubleField(7, 2.5);
    w.WriteBinaryField(8, "hello");
    w.WriteFieldHeader(CompactType::kList, 9);  // list<list<bool>>
    w.WriteListHeader(CompactType::kList, 2);
    w.WriteListHeader(CompactType::kBoolTrue, 3);
    w.WriteBool(true);
    w.WriteBool(false);
    w.WriteBool(true);
    w.WriteListHeader(CompactType::kBoolTrue, 0);
    w.WriteFieldHeader(CompactType::kSet, 10);  // set<double>
    w.WriteListHeader(CompactType::kDouble, 2);
    w.WriteDouble(1.0);
    w.WriteDouble(2.0);
    w.WriteFieldHeader(CompactType::kMap, 11);  // map<bool, struct>
    w.WriteMapHeader(CompactType::kBoolTrue, CompactType::kStruct, 2);
    w.WriteBool(false);
    w.BeginStruct();
    w.WriteBinaryField(1, "nested");
    w.EndStruct();
    w.WriteBool(true);
    w.BeginStruct();
    w.EndStruct();
    w.WriteFieldHeader(CompactType::kStruct, 12);  // struct { list<struct> }
    w.BeginStruct();
    w.WriteFieldHeader(CompactType::kList, 20);
    w.WriteListHeader(CompactType::kStruct, 16);
    for (int i = 0; i < 16; ++i) {
      w.BeginStruct();
      w.WriteI32Field(1, i);
      w.EndStruct();
    }
    w.EndStruct();
    w.WriteFieldHeader(CompactType::kUuid, 13);
    for (int i = 0; i < 16; ++i) w.WriteI8(static_cast<int8_t>(i));
    w.WriteFieldHeader(CompactType::kMap, 14);  // An empty map.
    w.WriteMapHeader(CompactType::kI32, CompactType::kI32, 0);
    w.WriteI32Field(100, 42);
    w.EndStruct();
  });
}

TEST(CompactReaderTest, SkipsEveryTypeAndLandsOnTheNextField) {
  const Bytes bytes = StructWithEveryType();
  CompactReader reader(bytes.data(), bytes.size());
  reader.BeginStruct();
  int skipped = 0;
  for (FieldHeader field = reader.ReadFieldHeader(); !field.is_stop();
       field = reader.ReadFieldHeader()) {
    if (field.id == 100) {
      EXPECT_EQ(reader.ReadI32(), 42);
      continue;
    }
    EXPECT_EQ(field.id, skipped + 1);
    reader.Skip(field.type);
    ++skipped;
  }
  reader.EndStruct();
  EXPECT_EQ(skipped, 14);
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(CompactReaderTest, SkipsAWholeStructInOneCall) {
  const Bytes bytes = StructWithEveryType();
  CompactReader reader(bytes.data(), bytes.size());
  reader.Skip(CompactType::kStruct);
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(CompactReaderTest, ThrowsOnEveryTruncationOfAStructWhileSkipping) {
  const Bytes full = StructWithEveryType();
  for (size_t size = 0; size < full.size(); ++size) {
    const Bytes truncated(full.begin(), full.begin() + static_cast<ptrdiff_t>(size));
    CompactReader reader(truncated.data(), truncated.size());
    EXPECT_THROW(reader.Skip(CompactType::kStruct), Error) << "size " << size;
  }
}

TEST(CompactReaderTest, RejectsListLongerThanRemainingBytes) {
  // A list<i32> header claiming 2^31 - 1 elements, followed by 3 bytes.
  const Bytes bytes = {0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x02, 0x04, 0x06};
  const std::string message = ErrorOf(bytes, [](CompactReader& r) { r.ReadListHeader(); });
  EXPECT_EQ(message,
            "corrupt Thrift metadata: list of 2147483647 elements at offset 0 exceeds the 3 "
            "bytes left");
}

TEST(CompactReaderTest, RejectsListOfDoublesThatCannotFitEvenIfTheCountFitsInBytes) {
  // 4 doubles need 32 bytes; 10 are left.
  Bytes bytes = {0x47};
  bytes.resize(11, 0);
  EXPECT_NE(ErrorOf(bytes, [](CompactReader& r) { r.ReadListHeader(); }).find("exceeds"),
            std::string::npos);
}

TEST(CompactReaderTest, RejectsListWithNegativeSize) {
  const Bytes bytes = {0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};  // Varint 2^32 - 1, i.e. -1.
  EXPECT_NE(ErrorOf(bytes, [](CompactReader& r) { r.ReadListHeader(); }).find("negative size"),
            std::string::npos);
}

TEST(CompactReaderTest, RejectsMapLongerThanRemainingBytes) {
  const Bytes bytes = {0x80, 0x80, 0x80, 0x80, 0x04, 0x88, 0x00, 0x00};  // 2^30 entries.
  const std::string message = ErrorOf(bytes, [](CompactReader& r) { r.ReadMapHeader(); });
  EXPECT_EQ(message,
            "corrupt Thrift metadata: map of 1073741824 entries at offset 0 exceeds the 2 bytes "
            "left");
}

TEST(CompactReaderTest, RejectsBinaryLongerThanRemainingBytes) {
  const Bytes bytes = {0x00, 0x0A, 'a', 'b'};
  const std::string message = ErrorOf(bytes, [](CompactReader& r) {
    r.ReadI8();
    r.ReadBinary();
  });
  EXPECT_EQ(message,
            "corrupt Thrift metadata: binary of 10 bytes at offset 1 exceeds the 2 bytes left");
}

TEST(CompactReaderTest, RejectsVarintsThatOverflow) {
  const Bytes too_big_for_32 = {0xFF, 0xFF, 0xFF, 0xFF, 0x1F};
  EXPECT_NE(ErrorOf(too_big_for_32, [](CompactReader& r) { r.ReadVarint32(); })
                .find("varint at offset 0 overflows 32 bits"),
            std::string::npos);
  const Bytes eleven_bytes = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  EXPECT_NE(
      ErrorOf(eleven_bytes, [](CompactReader& r) { r.ReadVarint64(); }).find("overflows 64 bits"),
      std::string::npos);
  const Bytes top_bit_too_high = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
  EXPECT_NE(ErrorOf(top_bit_too_high, [](CompactReader& r) { r.ReadVarint64(); })
                .find("overflows 64 bits"),
            std::string::npos);
}

TEST(CompactReaderTest, RejectsI16OutOfRange) {
  const Bytes bytes = Encode([](CompactWriter& w) { w.WriteI32(40000); });
  EXPECT_NE(ErrorOf(bytes, [](CompactReader& r) { r.ReadI16(); }).find("i16 at offset 0"),
            std::string::npos);
}

TEST(CompactReaderTest, RejectsTruncatedValuesWithTheOffset) {
  EXPECT_EQ(ErrorOf(Bytes{0x80, 0x80}, [](CompactReader& r) { r.ReadVarint64(); }),
            "corrupt Thrift metadata: varint at offset 0 needs 3 bytes but only 2 are left");
  EXPECT_EQ(ErrorOf(Bytes{0, 1, 2}, [](CompactReader& r) { r.ReadDouble(); }),
            "corrupt Thrift metadata: double at offset 0 needs 8 bytes but only 3 are left");
  EXPECT_THROW(
      {
        CompactReader reader(nullptr, 0);
        reader.ReadFieldHeader();
      },
      Error);
}

TEST(CompactReaderTest, RejectsUnknownTypeCodes) {
  EXPECT_NE(ErrorOf(Bytes{0x1E}, [](CompactReader& r) { r.ReadFieldHeader(); })
                .find("unknown type code 14"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Bytes{0x10}, [](CompactReader& r) { r.ReadFieldHeader(); })
                .find("unknown type code 0"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Bytes{0x10}, [](CompactReader& r) { r.ReadListHeader(); })
                .find("unknown element type code 0"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Bytes{0x01, 0xF3, 0x00}, [](CompactReader& r) { r.ReadMapHeader(); })
                .find("unknown element type code 15"),
            std::string::npos);
}

TEST(CompactReaderTest, RejectsFieldIdsThatOverflowThroughDeltas) {
  // Long form id 32767, then a delta header that would make it 32768.
  const Bytes bytes = {0x05, 0xFE, 0xFF, 0x03, 0x00, 0x15, 0x00};
  const std::string message = ErrorOf(bytes, [](CompactReader& r) {
    r.BeginStruct();
    r.ReadFieldHeader();
    r.ReadI32();
    r.ReadFieldHeader();
  });
  EXPECT_NE(message.find("field id 32768 at offset 5 is out of range"), std::string::npos)
      << message;
}

TEST(CompactReaderTest, RejectsStructsNestedDeeperThanTheLimit) {
  // Field 1 of type struct, 10000 times: each level costs one byte, no stop anywhere.
  const Bytes bytes(10000, 0x1C);
  const std::string message =
      ErrorOf(bytes, [](CompactReader& r) { r.Skip(CompactType::kStruct); });
  EXPECT_NE(message.find("values nest deeper than 64 levels"), std::string::npos) << message;
}

TEST(CompactReaderTest, RejectsListsNestedDeeperThanTheLimit) {
  // list<list<list<...>>> with one element each: 0x19 = size 1, element type list.
  const Bytes bytes(10000, 0x19);
  const std::string message = ErrorOf(bytes, [](CompactReader& r) { r.Skip(CompactType::kList); });
  EXPECT_NE(message.find("deeper than 64"), std::string::npos) << message;
}

TEST(CompactReaderTest, SkipsNestingUpToTheLimit) {
  // 63 nested structs inside the outer one: 64 levels in all.
  Bytes bytes(kMaxThriftNesting - 1, 0x1C);
  bytes.insert(bytes.end(), kMaxThriftNesting, 0x00);
  CompactReader reader(bytes.data(), bytes.size());
  reader.Skip(CompactType::kStruct);
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(CompactReaderTest, RejectsSkippingAStop) {
  const Bytes bytes = {0x00};
  EXPECT_THROW(
      {
        CompactReader reader(bytes.data(), bytes.size());
        reader.Skip(CompactType::kStop);
      },
      Error);
}

TEST(CompactReaderTest, NamesTheStructsBeingReadInErrors) {
  const Bytes bytes = {0x1C, 0x18, 0x05};  // Field 1: struct { field 1: binary of 5 bytes }.
  const std::string message = ErrorOf(bytes, [](CompactReader& r) {
    r.BeginStruct("Outer");
    r.ReadFieldHeader();
    r.BeginStruct("Inner");
    r.ReadFieldHeader();
    r.ReadBinary();
  });
  EXPECT_EQ(message,
            "corrupt Thrift metadata: binary of 5 bytes at offset 2 exceeds the 0 bytes left "
            "(in Outer > Inner)");
}

TEST(CompactReaderTest, NeverReadsOutsideTheBufferOnRandomInput) {
  // Random bytes, skipped as a struct: only sluice::Error may come out, and ASan watches reads.
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  for (int round = 0; round < 3000; ++round) {
    const size_t size = 1 + round % 64;
    Bytes bytes(size);
    for (uint8_t& byte : bytes) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      byte = static_cast<uint8_t>(state >> 56);
    }
    CompactReader reader(bytes.data(), bytes.size());
    try {
      reader.Skip(CompactType::kStruct);
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    }
  }
}

}  // namespace
}  // namespace sluice::io::parquet
