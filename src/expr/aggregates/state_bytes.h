// The spill form of the aggregate states (GroupedAggregateState::Serialize and Deserialize):
// a header (a tag naming the state's kind, then the number of groups) followed by the state's
// per-group arrays, gathered by the list of groups written. Values are PODs copied by memcpy in
// the machine's byte order (spill files never leave the process that wrote them), the hot
// integer arrays narrowed (core/narrowed_ints.h); strings are a uint32 length per group, then
// their bytes. Every read checks the bytes left before it copies
// or allocates, and throws an internal error naming the state, so corrupt spill bytes never read
// out of bounds or allocate by a garbled count.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/error.h"
#include "core/narrowed_ints.h"

namespace sluice::aggregates {

/// Names a state's spill form: three letters for its kind and a variant byte (e.g. the width of
/// its values), so that bytes of another kind of state fail at the header, not in the middle.
constexpr uint32_t SpillTag(char a, char b, char c, unsigned variant) {
  return static_cast<uint32_t>(static_cast<uint8_t>(a)) |
         static_cast<uint32_t>(static_cast<uint8_t>(b)) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(c)) << 16 | (variant & 0xFFu) << 24;
}

/// Appends a state's groups to a byte vector: the header at construction, then arrays gathered by
/// the groups written (groups[0..count), or 0..count when `groups` is null).
class StateBytesWriter {
 public:
  /// Writes the header. `state_groups` is the state's group count: every group written must be
  /// below it (a caller's bug otherwise, checked once here rather than in the gathers).
  StateBytesWriter(std::vector<uint8_t>* out, uint32_t tag, const uint32_t* groups, int64_t count,
                   int64_t state_groups);

  int64_t count() const { return count_; }
  /// The i-th group written.
  uint32_t group(int64_t i) const {
    return groups_ == nullptr ? static_cast<uint32_t>(i) : groups_[i];
  }

  template <typename T>
  void Put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    PutBytes(&value, sizeof(T));
  }
  void PutBytes(const void* data, size_t size) {
    if (size > 0) std::memcpy(Extend(size), data, size);
  }
  /// Appends `size` bytes for the caller to fill; the pointer is valid until the next append.
  uint8_t* Extend(size_t size) {
    size_t at = out_->size();
    out_->resize(at + size);
    return out_->data() + at;
  }
  /// Appends values[group(i)] for each group written.
  template <typename T>
  void PutGathered(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint8_t* to = Extend(static_cast<size_t>(count_) * sizeof(T));
    if (groups_ == nullptr) {
      if (count_ > 0) std::memcpy(to, values.data(), static_cast<size_t>(count_) * sizeof(T));
      return;
    }
    for (int64_t i = 0; i < count_; ++i)
      std::memcpy(to + i * sizeof(T), &values[groups_[i]], sizeof(T));
  }
  /// Like PutGathered, narrowing integers (core/narrowed_ints.h): sums, counts and keys mostly
  /// need a few of their bytes. Read back with StateBytesReader::GetNarrowed.
  template <typename T>
  void PutNarrowedGathered(const std::vector<T>& values) {
    narrowed::Append<T>(
        count_, [&](int64_t i) { return values[group(i)]; }, out_);
  }
  /// Appends the string of each group written: all lengths (uint32), then all bytes.
  void PutGatheredStrings(const std::vector<std::string>& values);

 private:
  std::vector<uint8_t>* out_;
  const uint32_t* groups_;
  int64_t count_;
};

/// Reads back what a StateBytesWriter wrote, checking each length against the bytes left.
class StateBytesReader {
 public:
  /// Reads the header; throws unless it carries `tag`. `state` names the state in errors.
  StateBytesReader(std::span<const uint8_t> bytes, uint32_t tag, const char* state);

  /// The number of groups in the header (0 or more).
  int64_t groups() const { return groups_; }

  template <typename T>
  T Get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    std::memcpy(&value, Take(1, sizeof(T), "a value"), sizeof(T));
    return value;
  }
  /// Replaces `out` with `count` values.
  template <typename T>
  void GetArray(std::vector<T>* out, int64_t count) {
    static_assert(std::is_trivially_copyable_v<T>);
    const uint8_t* from = Take(count, sizeof(T), "an array");
    out->resize(static_cast<size_t>(count));
    if (count > 0) std::memcpy(out->data(), from, static_cast<size_t>(count) * sizeof(T));
  }
  /// Replaces `out` with `count` values written by PutNarrowedGathered.
  template <typename T>
  void GetNarrowed(std::vector<T>* out, int64_t count) {
    if (count < 0 || count > remaining()) Fail("more values than bytes");  // A byte each at least.
    out->resize(static_cast<size_t>(count));
    const int64_t read =
        narrowed::Read<T>(bytes_.subspan(static_cast<size_t>(at_)), count, out->data());
    if (read < 0) Fail("narrowed values that cannot be");
    at_ += read;
  }
  /// Replaces `out` with `count` flags (bytes that are 0 or 1).
  void GetFlags(std::vector<uint8_t>* out, int64_t count);
  /// Returns the next `size` bytes.
  std::string_view GetBytes(int64_t size) {
    return {reinterpret_cast<const char*>(Take(size, 1, "bytes")), static_cast<size_t>(size)};
  }
  /// Replaces `out` with `count` strings written by PutGatheredStrings.
  void GetStrings(std::vector<std::string>* out, int64_t count);

  /// The bytes not read yet.
  int64_t remaining() const { return static_cast<int64_t>(bytes_.size()) - at_; }
  /// Throws unless every byte was read (trailing bytes mean the reader and writer disagree).
  void ExpectEnd() const;
  /// Throws the internal error for malformed bytes, saying what was wrong.
  [[noreturn]] void Fail(std::string_view what) const;

 private:
  /// Returns the next count * size bytes, after checking they are there (and count >= 0).
  const uint8_t* Take(int64_t count, size_t size, const char* what) {
    if (count < 0 || static_cast<uint64_t>(count) > static_cast<uint64_t>(remaining()) / size)
      FailTake(count, size, what);
    const uint8_t* from = bytes_.data() + at_;
    at_ += count * static_cast<int64_t>(size);
    return from;
  }
  [[noreturn]] void FailTake(int64_t count, size_t size, const char* what) const;

  std::span<const uint8_t> bytes_;
  const char* state_;
  int64_t at_ = 0;
  int64_t groups_ = 0;
};

}  // namespace sluice::aggregates
