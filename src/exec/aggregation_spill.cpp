// Partition spill blocks and the merge of result files (see the header).
#include "exec/aggregation_spill.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/narrowed_ints.h"
#include "exec/position_merge.h"

namespace sluice::exec {

namespace {

template <typename T>
void Put(std::vector<uint8_t>* out, T value) {
  const size_t at = out->size();
  out->resize(at + sizeof(T));
  std::memcpy(out->data() + at, &value, sizeof(T));
}

template <typename T>
void PutArray(std::vector<uint8_t>* out, const T* values, size_t count) {
  const size_t at = out->size();
  out->resize(at + count * sizeof(T));
  if (count > 0) std::memcpy(out->data() + at, values, count * sizeof(T));
}

/// Reads what Put wrote, checking every length against the bytes left.
class BytesReader {
 public:
  BytesReader(std::span<const uint8_t> bytes, const std::string& path)
      : bytes_(bytes), path_(path) {}

  template <typename T>
  T Get() {
    T value;
    std::memcpy(&value, Take(1, sizeof(T)), sizeof(T));
    return value;
  }
  template <typename T>
  void GetArray(std::vector<T>* out, uint64_t count) {
    const uint8_t* from = Take(count, sizeof(T));
    out->resize(count);
    if (count > 0) std::memcpy(out->data(), from, count * sizeof(T));
  }
  /// Values written by narrowed::Append (at least a byte each).
  template <typename T>
  void GetNarrowed(std::vector<T>* out, uint64_t count) {
    if (count > bytes_.size() - at_) Fail("a length runs past the end of a record");
    out->resize(count);
    const int64_t read =
        narrowed::Read<T>(bytes_.subspan(at_), static_cast<int64_t>(count), out->data());
    if (read < 0) Fail("narrowed values that cannot be");
    at_ += static_cast<size_t>(read);
  }
  void ExpectEnd() const {
    if (at_ != bytes_.size()) Fail("bytes after the end of a record");
  }
  [[noreturn]] void Fail(const char* what) const {
    ThrowIo("spill file \"{}\" of an aggregation is damaged: {}", path_, what);
  }

 private:
  const uint8_t* Take(uint64_t count, size_t size) {
    if (count > (bytes_.size() - at_) / size) Fail("a length runs past the end of a record");
    const uint8_t* from = bytes_.data() + at_;
    at_ += count * size;
    return from;
  }

  std::span<const uint8_t> bytes_;
  const std::string& path_;
  size_t at_ = 0;
};

GroupKeys ReadGroupKeys(std::span<const uint8_t> bytes, const std::string& path) {
  BytesReader in(bytes, path);
  GroupKeys keys;
  const uint64_t count = in.Get<uint64_t>();
  const uint8_t has_fixed = in.Get<uint8_t>();
  const uint8_t has_bytes = in.Get<uint8_t>();
  const uint8_t has_nulls = in.Get<uint8_t>();
  const uint32_t null_group = in.Get<uint32_t>();
  if (count >= kNoGroup) in.Fail("an impossible group count");
  if (null_group != kNoGroup && null_group >= count) in.Fail("a null group past the groups");
  if (has_fixed) in.GetNarrowed(&keys.fixed, count);
  if (has_bytes) {
    in.GetNarrowed(&keys.offsets, count + 1);
    const uint64_t size = in.Get<uint64_t>();
    if (keys.offsets[0] != 0 || static_cast<uint64_t>(keys.offsets[count]) != size)
      in.Fail("key offsets that do not cover the key bytes");
    for (uint64_t i = 0; i < count; ++i) {
      if (keys.offsets[i] > keys.offsets[i + 1]) in.Fail("key offsets out of order");
    }
    in.GetArray(&keys.bytes, size);
  }
  if (has_nulls) {
    in.GetArray(&keys.nulls, count);
  }
  in.ExpectEnd();
  keys.null_group = null_group;
  keys.ComputeHashes(static_cast<uint32_t>(count));
  return keys;
}

}  // namespace

void WriteGroupKeys(const GroupKeys& keys, const uint32_t* entries, uint32_t first, int64_t count,
                    std::vector<uint8_t>* out) {
  auto entry = [&](int64_t i) { return entries != nullptr ? entries[i] : first + uint32_t(i); };
  const bool has_fixed = !keys.fixed.empty();
  const bool has_bytes = keys.offsets.size() > 1;
  const bool has_nulls = !keys.nulls.empty();
  uint32_t null_group = kNoGroup;
  if (keys.null_group != kNoGroup) {
    for (int64_t i = 0; i < count && null_group == kNoGroup; ++i) {
      if (entry(i) == keys.null_group) null_group = static_cast<uint32_t>(i);
    }
  }
  // The arrays are sized once and filled in place: this runs for every partition of every
  // morsel once a partition spilled.
  int64_t key_bytes = 0;
  if (has_bytes) {
    for (int64_t i = 0; i < count; ++i)
      key_bytes += keys.offsets[entry(i) + 1] - keys.offsets[entry(i)];
  }
  out->reserve(out->size() + 15 + 2 * 17 +
               static_cast<size_t>(count) *
                   ((has_fixed ? 8 : 0) + (has_bytes ? 8 : 0) + has_nulls) +
               (has_bytes ? 16 : 0) + static_cast<size_t>(key_bytes));
  Put<uint64_t>(out, static_cast<uint64_t>(count));
  Put<uint8_t>(out, has_fixed);
  Put<uint8_t>(out, has_bytes);
  Put<uint8_t>(out, has_nulls);
  Put<uint32_t>(out, null_group);
  // No hashes: the reader computes them from the keys (GroupKeys::ComputeHashes).
  if (has_fixed)
    narrowed::Append<uint64_t>(
        count, [&](int64_t i) { return keys.fixed[entry(i)]; }, out);
  if (has_bytes) {
    // Offsets from 0, each the running total of the lengths before.
    std::vector<int64_t> offsets(static_cast<size_t>(count) + 1, 0);
    for (int64_t i = 0; i < count; ++i) {
      const uint32_t e = entry(i);
      offsets[i + 1] = offsets[i] + keys.offsets[e + 1] - keys.offsets[e];
    }
    narrowed::Append(offsets.data(), count + 1, out);
    Put<uint64_t>(out, static_cast<uint64_t>(offsets[count]));
    for (int64_t i = 0; i < count; ++i) {
      const uint32_t e = entry(i);
      PutArray(out, keys.bytes.data() + keys.offsets[e],
               static_cast<size_t>(keys.offsets[e + 1] - keys.offsets[e]));
    }
  }
  if (has_nulls) {
    for (int64_t i = 0; i < count; ++i) Put<uint8_t>(out, keys.nulls[entry(i)]);
  }
}

void WritePartitionBlock(SpillFile* file, PartitionBlockKind kind, uint64_t seq,
                         std::vector<uint8_t> keys, std::span<const uint64_t> first,
                         std::vector<std::vector<uint8_t>> states, const Batch& arguments) {
  std::vector<std::vector<uint8_t>> extras;
  extras.reserve(3 + states.size());
  std::vector<uint8_t> header;
  Put<uint8_t>(&header, static_cast<uint8_t>(kind));
  Put<uint64_t>(&header, seq);
  Put<uint32_t>(&header, static_cast<uint32_t>(states.size()));
  extras.push_back(std::move(header));
  extras.push_back(std::move(keys));
  std::vector<uint8_t> firsts;
  narrowed::Append(first.data(), static_cast<int64_t>(first.size()), &firsts);
  extras.push_back(std::move(firsts));
  for (std::vector<uint8_t>& state : states) extras.push_back(std::move(state));
  file->Append(arguments, extras);
}

PartitionReader::PartitionReader(std::shared_ptr<const SpillFile> file, SchemaPtr arguments,
                                 size_t aggregates, MemoryPool* pool)
    : file_(file), reader_(std::move(file), std::move(arguments), pool), aggregates_(aggregates) {}

bool PartitionReader::Next(PartitionBlock* block) {
  if (!reader_.Next(&block->arguments, &extras_)) return false;
  const std::string& path = file_->path();
  if (extras_.size() < 3) BytesReader({}, path).Fail("a block without its groups");
  BytesReader header(extras_[0], path);
  const uint8_t kind = header.Get<uint8_t>();
  block->seq = header.Get<uint64_t>();
  const uint32_t states = header.Get<uint32_t>();
  header.ExpectEnd();
  if (kind < 1 || kind > 3) header.Fail("an unknown block kind");
  block->kind = static_cast<PartitionBlockKind>(kind);
  const bool raw = block->kind == PartitionBlockKind::kRaw;
  if (states != (raw ? 0 : aggregates_) || extras_.size() != 3 + states)
    header.Fail("the wrong number of aggregate states");
  block->keys = ReadGroupKeys(extras_[1], path);
  const uint64_t count = block->keys.size();
  BytesReader firsts(extras_[2], path);
  firsts.GetNarrowed(&block->first, count);
  firsts.ExpectEnd();
  if (raw ? block->arguments.num_rows != static_cast<int64_t>(count)
          : block->arguments.num_rows != 0)
    header.Fail("arguments that do not match the groups");
  block->states.clear();
  for (uint32_t a = 0; a < states; ++a) block->states.push_back(std::move(extras_[3 + a]));
  return true;
}

std::shared_ptr<SpillFile> WriteResultFile(const SchemaPtr& schema,
                                           const std::vector<Column>& columns,
                                           const std::vector<uint64_t>& first_seen,
                                           int64_t block_rows, MemoryPool* pool,
                                           SpillCounters* counters) {
  auto file = std::make_shared<SpillFile>("aggregate-result", size_t{1} << 20, counters);
  const int64_t total = static_cast<int64_t>(first_seen.size());
  for (int64_t start = 0; start < total; start += block_rows) {
    const int64_t rows = std::min(block_rows, total - start);
    Batch block;
    block.schema = schema;
    block.num_rows = rows;
    for (const Column& column : columns) block.columns.push_back(column.Slice(start, rows, pool));
    const std::vector<uint8_t> positions = EncodePositions(first_seen.data() + start, rows);
    file->Append(block, {&positions, 1});
  }
  file->Finish();
  return file;
}

}  // namespace sluice::exec
