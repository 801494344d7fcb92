// The Thrift compact protocol, the wire format of every Parquet metadata structure (footer, page
// headers, page index, bloom filter headers). CompactReader decodes untrusted bytes: it checks
// every length and count against the bytes left before anything is allocated, bounds nesting so a
// hostile input cannot exhaust the stack, and reports each failure as a sluice::Error naming what
// was being read and at which byte offset. CompactWriter encodes the same wire format into a
// std::string, using the short (delta) field headers that every Thrift implementation accepts.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace sluice::io::parquet {

/// Wire types of the compact protocol. The values are the 4-bit codes on the wire.
enum class CompactType : uint8_t {
  kStop = 0,       ///< Ends a struct; never a value type.
  kBoolTrue = 1,   ///< A bool field whose value (true) lives in the field header. Also the
                   ///< element type of bool lists, whatever the writer used (1 or 2).
  kBoolFalse = 2,  ///< A bool field whose value (false) lives in the field header.
  kI8 = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,  ///< Both `binary` and `string`.
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,  ///< Both structs and unions.
  kUuid = 13,    ///< 16 raw bytes; newer than Parquet, accepted only so Skip() knows its size.
};

/// Names a wire type for error messages ("i32", "list", ...).
const char* CompactTypeName(CompactType type);

/// Returns true for the two bool codes, which stand for one type with the value folded in.
inline bool IsBool(CompactType type) {
  return type == CompactType::kBoolTrue || type == CompactType::kBoolFalse;
}

/// Returns true for i8, i16, i32 and i64, which CompactReader::ReadInteger reads alike.
inline bool IsInteger(CompactType type) {
  return type >= CompactType::kI8 && type <= CompactType::kI64;
}

/// Deepest nesting of structs, lists and maps that a reader follows before it gives up. Parquet
/// metadata nests at most 6 levels; the limit only stops recursion on hostile input.
inline constexpr int kMaxThriftNesting = 64;

/// The header of one struct field.
struct FieldHeader {
  CompactType type = CompactType::kStop;
  int16_t id = 0;

  bool is_stop() const { return type == CompactType::kStop; }
  /// Returns the value of a bool field, which the compact protocol stores in the header itself.
  bool bool_value() const { return type == CompactType::kBoolTrue; }
};

/// The header of a list or a set.
struct ListHeader {
  CompactType element_type = CompactType::kStop;  ///< kBoolTrue for any bool list.
  uint32_t size = 0;  ///< At most INT32_MAX, and known to fit in the bytes left.
};

/// The header of a map; key and value types are kStop when the map is empty.
struct MapHeader {
  CompactType key_type = CompactType::kStop;
  CompactType value_type = CompactType::kStop;
  uint32_t size = 0;  ///< At most INT32_MAX, and known to fit in the bytes left.
};

/// Names a field that a struct must contain; see CompactReader::ReadStruct.
struct RequiredField {
  int16_t id;  ///< 1 to 31.
  const char* name;
};

/// Decodes compact-protocol values from a byte range that it does not own.
///
/// Typical use, for a struct: BeginStruct(); loop ReadFieldHeader() until is_stop(), reading the
/// fields it knows and Skip()ping the others; EndStruct(). Every method throws
/// sluice::Error(kInvalidInput) on malformed or truncated input, and never reads outside the range.
class CompactReader {
 public:
  CompactReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  /// Returns the offset of the next unread byte, counted from the start of the range.
  size_t position() const { return position_; }
  size_t remaining() const { return size_ - position_; }

  /// Enters a struct; `name` (a string literal, or nullptr) appears in error messages as context.
  void BeginStruct(const char* name = nullptr);
  /// Leaves the struct entered last, after its stop field has been read.
  void EndStruct();
  /// Reads a field header; a stop field comes back as type kStop.
  FieldHeader ReadFieldHeader();
  /// Reads a list or set header, checking that the elements can fit in the bytes left.
  ListHeader ReadListHeader();
  /// Reads a map header, checking that the entries can fit in the bytes left.
  MapHeader ReadMapHeader();

  /// Reads a bool element of a list, set or map (bool fields come from FieldHeader::bool_value).
  bool ReadBool();
  int8_t ReadI8();
  int16_t ReadI16();
  int32_t ReadI32();
  int64_t ReadI64();
  /// Reads an integer declared on the wire as any of i8, i16, i32 or i64, so that a field whose
  /// writer picked a different integer width than the IDL still reads (range is the caller's job).
  int64_t ReadInteger(CompactType type);
  double ReadDouble();
  /// Returns a view into the input, valid as long as the input is; copies nothing.
  std::string_view ReadBinary();
  uint32_t ReadVarint32();
  uint64_t ReadVarint64();

  /// Skips one value of any type, including nested structs, lists, sets and maps (of bool
  /// fields, which have no value bytes, nothing). Used for fields this reader does not know.
  void Skip(CompactType type);

  // Typed reading: the checks that every reader of an IDL-defined struct needs, with messages
  // that name the field (`field` is a string literal such as "RowGroup.num_rows").

  /// Reads one struct, from its first field header through its stop field. `read_field(header)`
  /// reads a field it knows and returns true, or returns false to have the field skipped (which
  /// is how fields of newer writers are ignored). Fails when a `required` field is missing.
  template <typename ReadField>
  void ReadStruct(const char* name, std::initializer_list<RequiredField> required,
                  ReadField&& read_field) {
    uint32_t seen = 0;
    BeginStruct(name);
    for (FieldHeader field = ReadFieldHeader(); !field.is_stop(); field = ReadFieldHeader()) {
      if (read_field(static_cast<const FieldHeader&>(field))) {
        if (field.id > 0 && field.id < 32) seen |= uint32_t{1} << field.id;
      } else {
        Skip(field.type);
      }
    }
    CheckRequired(name, seen, required);
    EndStruct();
  }
  /// Fails unless a field of wire type `header.type` can be read as `expected`: integers of any
  /// width stand for each other (ReadIntegerIn checks the range), and a set for a list.
  void ExpectFieldType(const FieldHeader& header, CompactType expected, const char* field) const;
  /// Reads an integer of any width that must lie in [min, max].
  int64_t ReadIntegerIn(CompactType type, const char* field, int64_t min, int64_t max);
  /// Reads the header of a list field whose elements must be of `element_type`.
  ListHeader ReadListField(const FieldHeader& header, const char* field, CompactType element_type);

  /// Throws kInvalidInput with "corrupt Thrift metadata: <message>", followed by the names of
  /// the structs being read, if any were given to BeginStruct.
  template <typename... Args>
  [[noreturn]] void Fail(fmt::format_string<Args...> format, Args&&... args) const {
    FailWith(fmt::format(format, std::forward<Args>(args)...));
  }

 private:
  [[noreturn]] void FailWith(const std::string& message) const;
  [[noreturn]] void FailTruncated(const char* what, size_t start, size_t needed) const;
  void CheckRequired(const char* name, uint32_t seen,
                     std::initializer_list<RequiredField> required) const;
  uint8_t ReadByte(const char* what);
  /// Skips one element of a list, set or map, where a bool takes a byte of its own.
  void SkipElement(CompactType type);
  void EnterNesting(const char* name);
  void LeaveNesting();
  CompactType ReadElementType(uint8_t code, size_t start, const char* what);

  const uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
  int depth_ = 0;
  int16_t last_field_id_ = 0;
  /// Saves the enclosing struct's last field id, since field ids are deltas within a struct.
  std::array<int16_t, kMaxThriftNesting> saved_field_ids_{};
  /// Names the struct at each nesting level (nullptr for lists and unnamed structs).
  std::array<const char*, kMaxThriftNesting> names_{};
};

/// Encodes compact-protocol values by appending them to a std::string it does not own.
///
/// Typical use, for a struct: BeginStruct(); one Write*Field per present field, in increasing
/// id order so that every header takes the one-byte delta form; EndStruct() writes the stop field.
class CompactWriter {
 public:
  explicit CompactWriter(std::string* out) : out_(out) {}

  void BeginStruct();
  /// Writes the stop field and returns to the enclosing struct.
  void EndStruct();
  /// Writes a field header: one byte when the id is 1..15 above the previous field, else 2-4.
  void WriteFieldHeader(CompactType type, int16_t id);
  /// Writes a bool field, whose value goes into the header.
  void WriteBoolField(int16_t id, bool value);
  /// Writes a list header; bool lists pass kBoolTrue (written as 1, as Thrift C++ and Java do).
  void WriteListHeader(CompactType element_type, uint32_t size);
  void WriteMapHeader(CompactType key_type, CompactType value_type, uint32_t size);

  /// Writes a bool element of a list, set or map: 1 for true, 2 for false (what every Thrift
  /// implementation reads back; some reject 0).
  void WriteBool(bool value);
  void WriteI8(int8_t value);
  void WriteI16(int16_t value);
  void WriteI32(int32_t value);
  void WriteI64(int64_t value);
  void WriteDouble(double value);
  void WriteBinary(std::string_view value);
  void WriteVarint(uint64_t value);

  void WriteI8Field(int16_t id, int8_t value);
  void WriteI16Field(int16_t id, int16_t value);
  void WriteI32Field(int16_t id, int32_t value);
  void WriteI64Field(int16_t id, int64_t value);
  void WriteDoubleField(int16_t id, double value);
  void WriteBinaryField(int16_t id, std::string_view value);

 private:
  std::string* out_;
  int depth_ = 0;
  int16_t last_field_id_ = 0;
  std::array<int16_t, kMaxThriftNesting> saved_field_ids_{};
};

}  // namespace sluice::io::parquet
