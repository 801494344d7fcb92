// The spill form of the aggregate states: header, strings, flags and the errors of malformed bytes.
#include "expr/aggregates/state_bytes.h"

#include <algorithm>
#include <limits>

namespace sluice::aggregates {

StateBytesWriter::StateBytesWriter(std::vector<uint8_t>* out, uint32_t tag, const uint32_t* groups,
                                   int64_t count, int64_t state_groups)
    : out_(out), groups_(groups), count_(count) {
  SLUICE_CHECK(count >= 0);
  if (groups == nullptr) {
    SLUICE_CHECK(count <= state_groups);
  } else if (count > 0) {
    uint32_t max = *std::max_element(groups, groups + count);
    SLUICE_CHECK_LT(int64_t{max}, state_groups);
  }
  Put(tag);
  Put(count);
}

void StateBytesWriter::PutGatheredStrings(const std::vector<std::string>& values) {
  std::vector<uint32_t> lengths(static_cast<size_t>(count_));
  size_t total = 0;
  for (int64_t i = 0; i < count_; ++i) {
    const std::string& value = values[group(i)];
    if (value.size() > std::numeric_limits<uint32_t>::max())
      ThrowUnsupported("cannot spill an aggregate state holding a value of 4 GiB or more");
    lengths[i] = static_cast<uint32_t>(value.size());
    total += value.size();
  }
  PutBytes(lengths.data(), lengths.size() * sizeof(uint32_t));
  uint8_t* to = Extend(total);
  for (int64_t i = 0; i < count_; ++i) {
    const std::string& value = values[group(i)];
    if (!value.empty()) std::memcpy(to, value.data(), value.size());
    to += value.size();
  }
}

StateBytesReader::StateBytesReader(std::span<const uint8_t> bytes, uint32_t tag, const char* state)
    : bytes_(bytes), state_(state) {
  uint32_t found = Get<uint32_t>();
  if (found != tag)
    Fail(fmt::format("the header's tag is {:#010x}, not {:#010x}: the bytes are of another state",
                     found, tag));
  groups_ = Get<int64_t>();
  if (groups_ < 0) Fail(fmt::format("the group count is negative ({})", groups_));
}

void StateBytesReader::GetFlags(std::vector<uint8_t>* out, int64_t count) {
  GetArray(out, count);
  uint8_t any_other = 0;
  for (uint8_t flag : *out) any_other |= flag;
  if (any_other > 1) Fail("a flag is neither 0 nor 1");
}

void StateBytesReader::GetStrings(std::vector<std::string>* out, int64_t count) {
  std::vector<uint32_t> lengths;
  GetArray(&lengths, count);
  uint64_t total = 0;
  for (uint32_t length : lengths) total += length;
  if (total > static_cast<uint64_t>(remaining()))
    Fail(fmt::format("the strings need {} bytes but {} are left", total, remaining()));
  out->clear();
  out->resize(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    std::string_view value = GetBytes(lengths[i]);
    (*out)[i].assign(value.data(), value.size());
  }
}

void StateBytesReader::ExpectEnd() const {
  if (remaining() != 0) Fail(fmt::format("{} bytes are left over", remaining()));
}

void StateBytesReader::Fail(std::string_view what) const {
  ThrowInternal("corrupt spilled state of {} (at byte {} of {}): {}", state_, at_, bytes_.size(),
                what);
}

void StateBytesReader::FailTake(int64_t count, size_t size, const char* what) const {
  Fail(fmt::format("{} of {} items of {} bytes runs past the end ({} bytes left)", what, count,
                   size, remaining()));
}

}  // namespace sluice::aggregates
