// Implements the Thrift compact protocol reader and writer declared in thrift_compact.h. The
// reader's invariant: no byte outside [data, data + size) is touched, no loop runs without
// consuming input, and no count is trusted before it is compared with the bytes left.
#include "io/parquet/format/thrift_compact.h"

#include <cstring>
#include <limits>

namespace sluice::io::parquet {
namespace {

/// Returns the fewest bytes one value of `type` takes on the wire; lets a collection header's
/// count be checked against the bytes left before a single element is read or allocated.
size_t MinWireSize(CompactType type) {
  switch (type) {
    case CompactType::kDouble: return 8;
    case CompactType::kUuid: return 16;
    default: return 1;  // Every other value takes at least one byte (an empty struct: its stop).
  }
}

uint32_t ZigZag32(int32_t value) {
  return (static_cast<uint32_t>(value) << 1) ^ static_cast<uint32_t>(value >> 31);
}

uint64_t ZigZag64(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}

int32_t UnZigZag32(uint32_t value) {
  return static_cast<int32_t>((value >> 1) ^ (~(value & 1) + 1));
}

int64_t UnZigZag64(uint64_t value) {
  return static_cast<int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

/// Tells whether a value of wire type `actual` may be read as `expected`.
bool Compatible(CompactType actual, CompactType expected) {
  if (actual == expected) return true;
  if (IsInteger(expected)) return IsInteger(actual);
  if (IsBool(expected)) return IsBool(actual);
  return expected == CompactType::kList && actual == CompactType::kSet;
}

/// Names what a value of wire type `expected` may be, for messages.
const char* ExpectedName(CompactType expected) {
  return IsInteger(expected) ? "integer" : CompactTypeName(expected);
}

}  // namespace

const char* CompactTypeName(CompactType type) {
  switch (type) {
    case CompactType::kStop: return "stop";
    case CompactType::kBoolTrue:
    case CompactType::kBoolFalse: return "bool";
    case CompactType::kI8: return "i8";
    case CompactType::kI16: return "i16";
    case CompactType::kI32: return "i32";
    case CompactType::kI64: return "i64";
    case CompactType::kDouble: return "double";
    case CompactType::kBinary: return "binary";
    case CompactType::kList: return "list";
    case CompactType::kSet: return "set";
    case CompactType::kMap: return "map";
    case CompactType::kStruct: return "struct";
    case CompactType::kUuid: return "uuid";
  }
  return "invalid type";
}

// ---------------------------------------------------------------------------------------------
// CompactReader

void CompactReader::FailWith(const std::string& message) const {
  std::string context;
  for (int level = 0; level < depth_ && level < kMaxThriftNesting; ++level) {
    if (names_[level] == nullptr) continue;
    context += context.empty() ? " (in " : " > ";
    context += names_[level];
  }
  if (!context.empty()) context += ")";
  ThrowInvalid("corrupt Thrift metadata: {}{}", message, context);
}

void CompactReader::FailTruncated(const char* what, size_t start, size_t needed) const {
  Fail("{} at offset {} needs {} bytes but only {} are left", what, start, needed, size_ - start);
}

uint8_t CompactReader::ReadByte(const char* what) {
  if (position_ >= size_) FailTruncated(what, position_, 1);
  return data_[position_++];
}

void CompactReader::EnterNesting(const char* name) {
  if (depth_ >= kMaxThriftNesting) {
    Fail("values nest deeper than {} levels at offset {}", kMaxThriftNesting, position_);
  }
  saved_field_ids_[depth_] = last_field_id_;
  names_[depth_] = name;
  ++depth_;
  last_field_id_ = 0;
}

void CompactReader::LeaveNesting() {
  SLUICE_CHECK(depth_ > 0);
  --depth_;
  last_field_id_ = saved_field_ids_[depth_];
}

void CompactReader::BeginStruct(const char* name) {
  EnterNesting(name);
}

void CompactReader::EndStruct() {
  LeaveNesting();
}

FieldHeader CompactReader::ReadFieldHeader() {
  const size_t start = position_;
  const uint8_t byte = ReadByte("field header");
  if (byte == 0) return FieldHeader{};
  const uint8_t code = byte & 0x0F;
  const uint8_t delta = byte >> 4;
  if (code == 0 || code > static_cast<uint8_t>(CompactType::kUuid)) {
    Fail("field header at offset {} has unknown type code {}", start, code);
  }
  int16_t id;
  if (delta != 0) {
    const int32_t next = int32_t{last_field_id_} + delta;
    if (next > std::numeric_limits<int16_t>::max()) {
      Fail("field id {} at offset {} is out of range", next, start);
    }
    id = static_cast<int16_t>(next);
  } else {
    id = ReadI16();
  }
  last_field_id_ = id;
  return FieldHeader{static_cast<CompactType>(code), id};
}

CompactType CompactReader::ReadElementType(uint8_t code, size_t start, const char* what) {
  // Bool elements are declared as 2 by the spec and as 1 by Thrift C++ and Java; accept both.
  if (code == 1 || code == 2) return CompactType::kBoolTrue;
  if (code < 3 || code > static_cast<uint8_t>(CompactType::kUuid)) {
    Fail("{} at offset {} has unknown element type code {}", what, start, code);
  }
  return static_cast<CompactType>(code);
}

ListHeader CompactReader::ReadListHeader() {
  const size_t start = position_;
  const uint8_t byte = ReadByte("list header");
  ListHeader header;
  header.element_type = ReadElementType(byte & 0x0F, start, "list");
  header.size = byte >> 4;
  if (header.size == 15) {
    const uint32_t size = ReadVarint32();
    if (size > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
      Fail("list at offset {} has a negative size ({})", start, static_cast<int32_t>(size));
    }
    header.size = size;
  }
  const uint64_t needed = uint64_t{header.size} * MinWireSize(header.element_type);
  if (needed > remaining()) {
    Fail("list of {} elements at offset {} exceeds the {} bytes left", header.size, start,
         remaining());
  }
  return header;
}

MapHeader CompactReader::ReadMapHeader() {
  const size_t start = position_;
  const uint32_t size = ReadVarint32();
  if (size > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
    Fail("map at offset {} has a negative size ({})", start, static_cast<int32_t>(size));
  }
  MapHeader header;
  header.size = size;
  if (size == 0) return header;
  const uint8_t types = ReadByte("map header");
  header.key_type = ReadElementType(types >> 4, start, "map");
  header.value_type = ReadElementType(types & 0x0F, start, "map");
  const uint64_t needed =
      uint64_t{size} * (MinWireSize(header.key_type) + MinWireSize(header.value_type));
  if (needed > remaining()) {
    Fail("map of {} entries at offset {} exceeds the {} bytes left", size, start, remaining());
  }
  return header;
}

bool CompactReader::ReadBool() {
  const size_t start = position_;
  const uint8_t byte = ReadByte("bool");
  // Thrift C++ and Java write 1/2, the spec says 1/0: accept all three, reject anything else.
  if (byte == 1) return true;
  if (byte == 0 || byte == 2) return false;
  Fail("bool at offset {} has the invalid value {}", start, byte);
}

int8_t CompactReader::ReadI8() {
  return static_cast<int8_t>(ReadByte("i8"));
}

int16_t CompactReader::ReadI16() {
  const size_t start = position_;
  const int32_t value = ReadI32();
  if (value < std::numeric_limits<int16_t>::min() || value > std::numeric_limits<int16_t>::max()) {
    Fail("i16 at offset {} is out of range ({})", start, value);
  }
  return static_cast<int16_t>(value);
}

int32_t CompactReader::ReadI32() {
  return UnZigZag32(ReadVarint32());
}

int64_t CompactReader::ReadI64() {
  return UnZigZag64(ReadVarint64());
}

int64_t CompactReader::ReadInteger(CompactType type) {
  switch (type) {
    case CompactType::kI8: return ReadI8();
    case CompactType::kI16: return ReadI16();
    case CompactType::kI32: return ReadI32();
    case CompactType::kI64: return ReadI64();
    default: break;
  }
  Fail("expected an integer at offset {} but the wire type is {}", position_,
       CompactTypeName(type));
}

double CompactReader::ReadDouble() {
  if (remaining() < 8) FailTruncated("double", position_, 8);
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= uint64_t{data_[position_ + i]} << (8 * i);  // Little endian.
  position_ += 8;
  double value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

std::string_view CompactReader::ReadBinary() {
  const size_t start = position_;
  const uint32_t length = ReadVarint32();
  if (length > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
    Fail("binary at offset {} has a negative length ({})", start, static_cast<int32_t>(length));
  }
  if (length > remaining()) {
    Fail("binary of {} bytes at offset {} exceeds the {} bytes left", length, start, remaining());
  }
  const std::string_view value(reinterpret_cast<const char*>(data_ + position_), length);
  position_ += length;
  return value;
}

uint32_t CompactReader::ReadVarint32() {
  const size_t start = position_;
  uint32_t result = 0;
  for (int shift = 0;; shift += 7) {
    if (position_ >= size_) FailTruncated("varint", start, position_ - start + 1);
    const uint8_t byte = data_[position_++];
    if (shift == 28 && byte > 0x0F) Fail("varint at offset {} overflows 32 bits", start);
    result |= uint32_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) return result;
  }
}

uint64_t CompactReader::ReadVarint64() {
  const size_t start = position_;
  uint64_t result = 0;
  for (int shift = 0;; shift += 7) {
    if (position_ >= size_) FailTruncated("varint", start, position_ - start + 1);
    const uint8_t byte = data_[position_++];
    if (shift == 63 && byte > 0x01) Fail("varint at offset {} overflows 64 bits", start);
    result |= uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) return result;
  }
}

void CompactReader::Skip(CompactType type) {
  switch (type) {
    case CompactType::kBoolTrue:
    case CompactType::kBoolFalse: return;  // A bool field's value is in its header.
    case CompactType::kI8: ReadByte("i8"); return;
    case CompactType::kI16:
    case CompactType::kI32:
    case CompactType::kI64: ReadVarint64(); return;
    case CompactType::kDouble:
      if (remaining() < 8) FailTruncated("double", position_, 8);
      position_ += 8;
      return;
    case CompactType::kUuid:
      if (remaining() < 16) FailTruncated("uuid", position_, 16);
      position_ += 16;
      return;
    case CompactType::kBinary: ReadBinary(); return;
    case CompactType::kStruct: {
      EnterNesting(nullptr);
      for (FieldHeader field = ReadFieldHeader(); !field.is_stop(); field = ReadFieldHeader()) {
        Skip(field.type);
      }
      LeaveNesting();
      return;
    }
    case CompactType::kList:
    case CompactType::kSet: {
      EnterNesting(nullptr);
      const ListHeader header = ReadListHeader();
      for (uint32_t i = 0; i < header.size; ++i) SkipElement(header.element_type);
      LeaveNesting();
      return;
    }
    case CompactType::kMap: {
      EnterNesting(nullptr);
      const MapHeader header = ReadMapHeader();
      for (uint32_t i = 0; i < header.size; ++i) {
        SkipElement(header.key_type);
        SkipElement(header.value_type);
      }
      LeaveNesting();
      return;
    }
    case CompactType::kStop: break;
  }
  Fail("cannot skip a value of type {} at offset {}", CompactTypeName(type), position_);
}

void CompactReader::CheckRequired(const char* name, uint32_t seen,
                                  std::initializer_list<RequiredField> required) const {
  for (const RequiredField& field : required) {
    SLUICE_DCHECK(field.id > 0 && field.id < 32);
    if ((seen & (uint32_t{1} << field.id)) == 0) {
      Fail("{} ending at offset {} lacks the required field {} (id {})", name, position_,
           field.name, field.id);
    }
  }
}

void CompactReader::ExpectFieldType(const FieldHeader& header, CompactType expected,
                                    const char* field) const {
  if (!Compatible(header.type, expected)) {
    Fail("field {} (id {}) at offset {} has wire type {}, expected {}", field, header.id, position_,
         CompactTypeName(header.type), ExpectedName(expected));
  }
}

int64_t CompactReader::ReadIntegerIn(CompactType type, const char* field, int64_t min,
                                     int64_t max) {
  const size_t start = position_;
  const int64_t value = ReadInteger(type);
  if (value < min) {
    if (min == 0) Fail("{} is {} at offset {}; it must not be negative", field, value, start);
    Fail("{} is {} at offset {}, below its minimum {}", field, value, start, min);
  }
  if (value > max) Fail("{} is {} at offset {}, above its maximum {}", field, value, start, max);
  return value;
}

ListHeader CompactReader::ReadListField(const FieldHeader& header, const char* field,
                                        CompactType element_type) {
  ExpectFieldType(header, CompactType::kList, field);
  const size_t start = position_;
  const ListHeader list = ReadListHeader();
  if (!Compatible(list.element_type, element_type)) {
    Fail("{} at offset {} is a list of {}, expected a list of {}", field, start,
         CompactTypeName(list.element_type), ExpectedName(element_type));
  }
  return list;
}

void CompactReader::SkipElement(CompactType type) {
  if (type == CompactType::kBoolTrue) {
    ReadBool();  // A bool element, unlike a bool field, takes a byte.
  } else {
    Skip(type);
  }
}

// ---------------------------------------------------------------------------------------------
// CompactWriter

void CompactWriter::BeginStruct() {
  SLUICE_CHECK_LT(depth_, kMaxThriftNesting);
  saved_field_ids_[depth_++] = last_field_id_;
  last_field_id_ = 0;
}

void CompactWriter::EndStruct() {
  SLUICE_CHECK(depth_ > 0);
  out_->push_back('\0');
  last_field_id_ = saved_field_ids_[--depth_];
}

void CompactWriter::WriteFieldHeader(CompactType type, int16_t id) {
  const uint8_t code = static_cast<uint8_t>(type);
  const int32_t delta = int32_t{id} - last_field_id_;
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | code));
  } else {
    out_->push_back(static_cast<char>(code));
    WriteI16(id);
  }
  last_field_id_ = id;
}

void CompactWriter::WriteBoolField(int16_t id, bool value) {
  WriteFieldHeader(value ? CompactType::kBoolTrue : CompactType::kBoolFalse, id);
}

void CompactWriter::WriteListHeader(CompactType element_type, uint32_t size) {
  SLUICE_CHECK(size <= static_cast<uint32_t>(std::numeric_limits<int32_t>::max()));
  const uint8_t code =
      static_cast<uint8_t>(IsBool(element_type) ? CompactType::kBoolTrue : element_type);
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | code));
  } else {
    out_->push_back(static_cast<char>(0xF0 | code));
    WriteVarint(size);
  }
}

void CompactWriter::WriteMapHeader(CompactType key_type, CompactType value_type, uint32_t size) {
  SLUICE_CHECK(size <= static_cast<uint32_t>(std::numeric_limits<int32_t>::max()));
  WriteVarint(size);
  if (size == 0) return;
  const auto code = [](CompactType type) {
    return static_cast<uint8_t>(IsBool(type) ? CompactType::kBoolTrue : type);
  };
  out_->push_back(static_cast<char>((code(key_type) << 4) | code(value_type)));
}

void CompactWriter::WriteBool(bool value) {
  out_->push_back(value ? '\x01' : '\x02');
}

void CompactWriter::WriteI8(int8_t value) {
  out_->push_back(static_cast<char>(value));
}

void CompactWriter::WriteI16(int16_t value) {
  WriteVarint(ZigZag32(value));
}

void CompactWriter::WriteI32(int32_t value) {
  WriteVarint(ZigZag32(value));
}

void CompactWriter::WriteI64(int64_t value) {
  WriteVarint(ZigZag64(value));
}

void CompactWriter::WriteDouble(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(bits >> (8 * i));  // Little endian.
  out_->append(bytes, sizeof(bytes));
}

void CompactWriter::WriteBinary(std::string_view value) {
  SLUICE_CHECK(value.size() <= static_cast<size_t>(std::numeric_limits<int32_t>::max()));
  WriteVarint(value.size());
  out_->append(value);
}

void CompactWriter::WriteVarint(uint64_t value) {
  char bytes[10];
  int length = 0;
  while (value >= 0x80) {
    bytes[length++] = static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  bytes[length++] = static_cast<char>(value);
  out_->append(bytes, length);
}

void CompactWriter::WriteI8Field(int16_t id, int8_t value) {
  WriteFieldHeader(CompactType::kI8, id);
  WriteI8(value);
}

void CompactWriter::WriteI16Field(int16_t id, int16_t value) {
  WriteFieldHeader(CompactType::kI16, id);
  WriteI16(value);
}

void CompactWriter::WriteI32Field(int16_t id, int32_t value) {
  WriteFieldHeader(CompactType::kI32, id);
  WriteI32(value);
}

void CompactWriter::WriteI64Field(int16_t id, int64_t value) {
  WriteFieldHeader(CompactType::kI64, id);
  WriteI64(value);
}

void CompactWriter::WriteDoubleField(int16_t id, double value) {
  WriteFieldHeader(CompactType::kDouble, id);
  WriteDouble(value);
}

void CompactWriter::WriteBinaryField(int16_t id, std::string_view value) {
  WriteFieldHeader(CompactType::kBinary, id);
  WriteBinary(value);
}

}  // namespace sluice::io::parquet
