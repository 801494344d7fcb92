// Writing and reading spill blocks (format in the header).
#include "exec/spill_file.h"

#include <fcntl.h>
#include <lz4.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <type_traits>

#include "core/decimal.h"
#include "core/error.h"
#include "core/narrowed_ints.h"
#include "io/fs/spill_directory.h"
#include "plan/plan_profile.h"

namespace sluice::exec {

namespace {

constexpr uint32_t kMagic = 0x42534C53;  // "SLSB"
constexpr uint16_t kVersion = 4;         // 3: core/narrowed_ints; 4: blocks stored raw or as LZ4
constexpr uint16_t kCodecNone = 0;
constexpr uint16_t kCodecLz4 = 1;
constexpr size_t kHeaderSize = 32;

template <typename T>
void Put(std::vector<uint8_t>* out, T value) {
  const size_t at = out->size();
  out->resize(at + sizeof(T));
  std::memcpy(out->data() + at, &value, sizeof(T));
}

void PutBytes(std::vector<uint8_t>* out, const void* data, size_t size) {
  Put<uint64_t>(out, size);
  const size_t at = out->size();
  out->resize(at + size);
  if (size > 0) std::memcpy(out->data() + at, data, size);
}

/// Bytes of the values buffer of `rows` rows of `type`.
int64_t ValuesBytes(const DataType& type, int64_t rows) {
  if (type.IsVariableWidth()) return (rows + 1) * 8;
  if (type.id == TypeId::kBool) return (rows + 7) / 8;
  return rows * type.FixedWidth();
}

/// Integer-like values (ints of 4 and 8 bytes, dates and times, decimals, which sluice holds in
/// 16 bytes whatever their precision) are stored narrowed (core/narrowed_ints.h).
bool IsNarrowable(const DataType& type) {
  switch (type.id) {
    case TypeId::kInt32:
    case TypeId::kUInt32:
    case TypeId::kDate32:
    case TypeId::kInt64:
    case TypeId::kUInt64:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
    case TypeId::kDuration:
    case TypeId::kDecimal: return true;
    default: return false;
  }
}

template <typename T>
void PutNarrowed(const uint8_t* values, int64_t rows, std::vector<uint8_t>* raw) {
  narrowed::Append<T>(
      rows,
      [values](int64_t i) {
        T value;
        std::memcpy(&value, values + i * int64_t{sizeof(T)}, sizeof(T));
        return value;
      },
      raw);
}

void AppendColumn(const Column& column, int64_t rows, std::vector<uint8_t>* raw) {
  Put<uint64_t>(raw, static_cast<uint64_t>(column.null_count));
  const bool has_validity = column.null_count > 0 && column.validity != nullptr;
  PutBytes(raw, has_validity ? column.validity->data() : nullptr,
           has_validity ? static_cast<size_t>((rows + 7) / 8) : 0);
  if (IsNarrowable(column.type)) {
    const uint8_t* values = rows > 0 ? column.values->data() : nullptr;
    switch (column.type.FixedWidth()) {
      case 4: PutNarrowed<int32_t>(values, rows, raw); break;
      case 8: PutNarrowed<int64_t>(values, rows, raw); break;
      default: PutNarrowed<int128_t>(values, rows, raw); break;
    }
    return;
  }
  if (!column.type.IsVariableWidth()) {
    const int64_t bytes = ValuesBytes(column.type, rows);
    PutBytes(raw, bytes > 0 ? column.values->data() : nullptr, static_cast<size_t>(bytes));
    PutBytes(raw, nullptr, 0);
    return;
  }
  // Offsets rebased to start at 0, in 4 bytes (a block is under LZ4's 2 GB), and only the bytes
  // they cover.
  const int64_t* offsets = column.Offsets();
  const int64_t first = offsets[0];
  Put<uint64_t>(raw, static_cast<uint64_t>((rows + 1) * 4));
  const size_t at = raw->size();
  raw->resize(at + static_cast<size_t>(rows + 1) * 4);
  uint8_t* rebased = raw->data() + at;
  for (int64_t i = 0; i <= rows; ++i) {
    const auto value = static_cast<uint32_t>(offsets[i] - first);
    std::memcpy(rebased + i * 4, &value, 4);
  }
  const int64_t data_bytes = offsets[rows] - first;
  PutBytes(raw, data_bytes > 0 ? column.data->data() + first : nullptr,
           static_cast<size_t>(data_bytes));
}

/// Reads the raw payload of one block, checking every length against what is left.
class PayloadReader {
 public:
  PayloadReader(std::span<const uint8_t> bytes, const std::string& path, int64_t offset)
      : bytes_(bytes), path_(path), offset_(offset) {}

  template <typename T>
  T Get() {
    Need(sizeof(T));
    T value;
    std::memcpy(&value, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return value;
  }

  /// A length-prefixed byte run.
  std::span<const uint8_t> Bytes() {
    const uint64_t size = Get<uint64_t>();
    Need(size);
    std::span<const uint8_t> out = bytes_.subspan(at_, size);
    at_ += size;
    return out;
  }

  [[noreturn]] void Fail(const std::string& what) const {
    ThrowIo(
        "spill file \"{}\" is damaged in the block at offset {}: {}; the disk under "
        "--temp-dir may be failing",
        path_, offset_, what);
  }

  bool AtEnd() const { return at_ == bytes_.size(); }
  /// The bytes not read yet, for a reader that finds its own length (narrowed values).
  std::span<const uint8_t> Rest() const { return bytes_.subspan(at_); }
  /// Skips `size` bytes of Rest().
  void Skip(size_t size) {
    Need(size);
    at_ += size;
  }

 private:
  void Need(uint64_t size) const {
    if (size > bytes_.size() - at_) Fail("a length runs past the end of the block");
  }

  std::span<const uint8_t> bytes_;
  const std::string& path_;
  int64_t offset_;
  size_t at_ = 0;
};

std::shared_ptr<Buffer> CopyToBuffer(std::span<const uint8_t> bytes, MemoryPool* pool) {
  std::shared_ptr<Buffer> buffer = Buffer::Make(static_cast<int64_t>(bytes.size()), pool);
  if (!bytes.empty()) std::memcpy(buffer->data(), bytes.data(), bytes.size());
  return buffer;
}

template <typename T>
std::shared_ptr<Buffer> ReadNarrowed(PayloadReader& in, int64_t rows, MemoryPool* pool) {
  std::shared_ptr<Buffer> buffer = Buffer::Make(rows * int64_t{sizeof(T)}, pool);
  const int64_t read = narrowed::Read<T>(in.Rest(), rows, reinterpret_cast<T*>(buffer->data()));
  if (read < 0) in.Fail("narrowed values that cannot be");
  in.Skip(static_cast<size_t>(read));
  return buffer;
}

/// Offsets stored in 4 bytes, widened back to 8 and checked: from 0, ascending, up to `data`.
std::shared_ptr<Buffer> ReadOffsets(PayloadReader& in, int64_t rows, size_t data_bytes,
                                    std::span<const uint8_t> offsets, MemoryPool* pool) {
  if (offsets.size() != static_cast<size_t>((rows + 1) * 4)) in.Fail("offsets of the wrong size");
  std::shared_ptr<Buffer> buffer = Buffer::Make((rows + 1) * 8, pool);
  uint32_t previous = 0;
  for (int64_t i = 0; i <= rows; ++i) {
    uint32_t offset;
    std::memcpy(&offset, offsets.data() + i * 4, 4);
    if (offset < previous || (i == 0 && offset != 0)) in.Fail("offsets out of order");
    previous = offset;
    const auto wide = static_cast<int64_t>(offset);
    std::memcpy(buffer->data() + i * 8, &wide, 8);
  }
  if (previous != data_bytes) in.Fail("offsets past the data");
  return buffer;
}

Column ReadColumn(PayloadReader& in, const DataType& type, int64_t rows, MemoryPool* pool) {
  Column column;
  column.type = type;
  column.length = rows;
  const uint64_t null_count = in.Get<uint64_t>();
  std::span<const uint8_t> validity = in.Bytes();
  if (null_count > static_cast<uint64_t>(rows)) in.Fail("more nulls than rows");
  if (validity.empty() != (null_count == 0) ||
      (!validity.empty() && validity.size() != static_cast<size_t>((rows + 7) / 8)))
    in.Fail("a validity bitmap of the wrong size");
  column.null_count = static_cast<int64_t>(null_count);
  if (!validity.empty()) column.validity = CopyToBuffer(validity, pool);
  if (IsNarrowable(type)) {
    switch (type.FixedWidth()) {
      case 4: column.values = ReadNarrowed<int32_t>(in, rows, pool); break;
      case 8: column.values = ReadNarrowed<int64_t>(in, rows, pool); break;
      default: column.values = ReadNarrowed<int128_t>(in, rows, pool); break;
    }
    return column;
  }
  std::span<const uint8_t> values = in.Bytes();
  std::span<const uint8_t> data = in.Bytes();
  if (type.IsVariableWidth()) {
    column.values = ReadOffsets(in, rows, data.size(), values, pool);
    column.data = CopyToBuffer(data, pool);
    return column;
  }
  if (values.size() != static_cast<size_t>(ValuesBytes(type, rows)))
    in.Fail("a values buffer of the wrong size");
  if (!data.empty()) in.Fail("data bytes in a fixed-width column");
  column.values = CopyToBuffer(values, pool);
  return column;
}

/// Lays `batch` and `extras` out as a block's raw payload, then, when `compress` is set,
/// compresses it into `block` (header included) if LZ4 makes it smaller, else copies it.
/// Returns the raw payload's size and sets `compress` to whether the block holds LZ4.
uint64_t EncodeBlock(const Batch& batch, std::span<const std::vector<uint8_t>> extras,
                     std::vector<uint8_t>* raw, std::vector<uint8_t>* block, bool* compress) {
  raw->clear();
  Put<uint64_t>(raw, static_cast<uint64_t>(batch.num_rows));
  Put<uint32_t>(raw, static_cast<uint32_t>(batch.columns.size()));
  Put<uint32_t>(raw, static_cast<uint32_t>(extras.size()));
  for (const Column& column : batch.columns) AppendColumn(column, batch.num_rows, raw);
  for (const std::vector<uint8_t>& extra : extras) PutBytes(raw, extra.data(), extra.size());
  if (raw->size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE))
    ThrowUnsupported("a spill block of {} bytes is larger than LZ4 takes", raw->size());

  int stored_size = 0;
  if (*compress) {
    const int bound = LZ4_compressBound(static_cast<int>(raw->size()));
    block->resize(kHeaderSize + static_cast<size_t>(bound));
    stored_size = LZ4_compress_default(reinterpret_cast<const char*>(raw->data()),
                                       reinterpret_cast<char*>(block->data() + kHeaderSize),
                                       static_cast<int>(raw->size()), bound);
    if (stored_size <= 0) ThrowInternal("LZ4 failed to compress a spill block");
    *compress = static_cast<size_t>(stored_size) < raw->size();
  }
  if (!*compress) {
    stored_size = static_cast<int>(raw->size());
    block->resize(kHeaderSize + raw->size());
    std::memcpy(block->data() + kHeaderSize, raw->data(), raw->size());
  }
  const uint64_t checksum =
      XXH3_64bits(block->data() + kHeaderSize, static_cast<size_t>(stored_size));
  block->resize(kHeaderSize + static_cast<size_t>(stored_size));
  const uint64_t raw_size = raw->size();
  const uint64_t stored_bytes = static_cast<uint64_t>(stored_size);
  const uint16_t codec = *compress ? kCodecLz4 : kCodecNone;
  std::memcpy(block->data(), &kMagic, 4);
  std::memcpy(block->data() + 4, &kVersion, 2);
  std::memcpy(block->data() + 6, &codec, 2);
  std::memcpy(block->data() + 8, &raw_size, 8);
  std::memcpy(block->data() + 16, &stored_bytes, 8);
  std::memcpy(block->data() + 24, &checksum, 8);
  return raw_size;
}
}  // namespace

SpillFile::SpillFile(const std::string& purpose, size_t flush_bytes, SpillCounters* counters)
    : path_(io::SpillDirectory::Get().NewFilePath(purpose)),
      counters_(counters),
      flush_bytes_(flush_bytes) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) ThrowIo("cannot create the spill file \"{}\": {}", path_, std::strerror(errno));
}

SpillFile::~SpillFile() {
  if (fd_ >= 0) ::close(fd_);
  ::unlink(path_.c_str());
}

bool SpillFile::TryCompressing() {
  int skips = raw_blocks_left_.load(std::memory_order_relaxed);
  while (skips > 0) {
    if (raw_blocks_left_.compare_exchange_weak(skips, skips - 1, std::memory_order_relaxed))
      return false;
  }
  return true;
}

void SpillFile::NoteCompression(bool tried, int64_t raw_size, int64_t block_size) {
  // Under 1.25:1, LZ4 costs more time than the bytes it saves take to write and read: narrowed
  // integers (join keys, positions, partial aggregates) mostly compress less than that.
  if (tried && (block_size - static_cast<int64_t>(kHeaderSize)) * 5 > raw_size * 4)
    raw_blocks_left_.store(kRawBlocksAfterPoorCompression, std::memory_order_relaxed);
}

SpillFile::EncodedBlock SpillFile::Encode(const Batch& batch,
                                          std::span<const std::vector<uint8_t>> extras) {
  // Scratch shared by every file a thread writes: an aggregation holds a hundred files open, and
  // a scratch each, as big as their largest block, would add up to more than the budget. It is
  // let go after a block much larger than this file's flushes.
  thread_local std::vector<uint8_t> raw;
  EncodedBlock encoded;
  encoded.rows = batch.num_rows;
  const bool tried = TryCompressing();
  bool compress = tried;
  encoded.raw_size =
      static_cast<int64_t>(EncodeBlock(batch, extras, &raw, &encoded.bytes, &compress));
  NoteCompression(tried, encoded.raw_size, static_cast<int64_t>(encoded.bytes.size()));
  if (raw.capacity() > 4 * flush_bytes_) raw = std::vector<uint8_t>();
  return encoded;
}

void SpillFile::Append(const EncodedBlock& block) {
  AppendBlock(block.bytes, block.rows, block.raw_size);
}

void SpillFile::Append(const Batch& batch, std::span<const std::vector<uint8_t>> extras) {
  Append(Encode(batch, extras));
}

void SpillFile::AppendBlock(const std::vector<uint8_t>& block, int64_t rows, int64_t raw_size) {
  if (finished_) ThrowInternal("append to the finished spill file \"{}\"", path_);
  ++blocks_;
  rows_ += rows;
  max_block_bytes_ = std::max(max_block_bytes_, raw_size);
  raw_bytes_ += raw_size;
  // Small blocks gather in the buffer; a big one goes straight to the file.
  if (buffer_.size() + block.size() > flush_bytes_) Flush();
  if (block.size() >= flush_bytes_) {
    WriteAt(block.data(), block.size());
  } else {
    buffer_.insert(buffer_.end(), block.begin(), block.end());
  }
}

void SpillFile::Flush() {
  WriteAt(buffer_.data(), buffer_.size());
  buffer_.clear();
}

void SpillFile::WriteAt(const uint8_t* data, size_t size) {
  io::WriteSpillBytes(fd_, data, size, size_, path_);
  size_ += static_cast<int64_t>(size);
  io::SpillDirectory::Get().AddWritten(static_cast<int64_t>(size));
  if (counters_ != nullptr)
    counters_->spilled_bytes.fetch_add(static_cast<int64_t>(size), std::memory_order_relaxed);
}

void SpillFile::Finish() {
  if (finished_) return;
  Flush();
  buffer_ = std::vector<uint8_t>();
  finished_ = true;
}

SpillReader::SpillReader(std::shared_ptr<const SpillFile> file, SchemaPtr schema, MemoryPool* pool)
    : file_(std::move(file)), schema_(std::move(schema)), pool_(pool) {
  if (!file_->finished_) ThrowInternal("reading the unfinished spill file \"{}\"", file_->path_);
}

bool SpillReader::Next(Batch* batch, std::vector<std::vector<uint8_t>>* extras) {
  if (offset_ >= file_->size_) return false;
  const std::string& path = file_->path_;
  auto read_at = [&](uint8_t* into, size_t size, int64_t at) {
    size_t done = 0;
    while (done < size) {
      const ssize_t n = ::pread(file_->fd_, into + done, size - done,
                                static_cast<off_t>(at + static_cast<int64_t>(done)));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) ThrowIo("cannot read the spill file \"{}\": {}", path, std::strerror(errno));
      if (n == 0) ThrowIo("the spill file \"{}\" ends early at offset {}", path, at + done);
      done += static_cast<size_t>(n);
    }
  };
  uint8_t header[kHeaderSize];
  if (file_->size_ - offset_ < static_cast<int64_t>(kHeaderSize))
    ThrowIo("the spill file \"{}\" ends inside a block header at offset {}", path, offset_);
  read_at(header, kHeaderSize, offset_);
  uint32_t magic;
  uint16_t version, codec;
  uint64_t raw_size, stored_size, checksum;
  std::memcpy(&magic, header, 4);
  std::memcpy(&version, header + 4, 2);
  std::memcpy(&codec, header + 6, 2);
  std::memcpy(&raw_size, header + 8, 8);
  std::memcpy(&stored_size, header + 16, 8);
  std::memcpy(&checksum, header + 24, 8);
  PayloadReader fail({}, path, offset_);
  if (magic != kMagic || version != kVersion || (codec != kCodecLz4 && codec != kCodecNone))
    fail.Fail("not a spill block header");
  if (codec == kCodecNone && stored_size != raw_size) fail.Fail("a raw block of the wrong size");
  if (stored_size > static_cast<uint64_t>(file_->size_ - offset_) - kHeaderSize)
    fail.Fail("the block runs past the end of the file");
  if (raw_size > static_cast<uint64_t>(LZ4_MAX_INPUT_SIZE)) fail.Fail("an impossible block size");
  stored_.resize(stored_size);
  read_at(stored_.data(), stored_size, offset_ + static_cast<int64_t>(kHeaderSize));
  if (XXH3_64bits(stored_.data(), stored_.size()) != checksum) fail.Fail("checksum mismatch");
  if (codec == kCodecNone) {
    raw_.swap(stored_);
  } else {
    raw_.resize(raw_size);
    const int decoded = LZ4_decompress_safe(
        reinterpret_cast<const char*>(stored_.data()), reinterpret_cast<char*>(raw_.data()),
        static_cast<int>(stored_size), static_cast<int>(raw_size));
    if (decoded < 0 || static_cast<uint64_t>(decoded) != raw_size)
      fail.Fail("LZ4 data does not decode");
  }

  PayloadReader in(raw_, path, offset_);
  const uint64_t rows = in.Get<uint64_t>();
  const uint32_t columns = in.Get<uint32_t>();
  const uint32_t extra_count = in.Get<uint32_t>();
  if (columns != schema_->size()) in.Fail("a block with the wrong number of columns");
  if (rows > raw_size) in.Fail("an impossible row count");
  batch->schema = schema_;
  batch->columns.clear();
  batch->num_rows = static_cast<int64_t>(rows);
  batch->seq = 0;
  for (uint32_t c = 0; c < columns; ++c)
    batch->columns.push_back(ReadColumn(in, schema_->field(c).type, batch->num_rows, pool_));
  if (extras != nullptr) extras->clear();
  for (uint32_t e = 0; e < extra_count; ++e) {
    std::span<const uint8_t> bytes = in.Bytes();
    if (extras != nullptr) extras->emplace_back(bytes.begin(), bytes.end());
  }
  if (!in.AtEnd()) in.Fail("bytes after the last column");
  offset_ += static_cast<int64_t>(kHeaderSize + stored_size);
  if (file_->counters_ != nullptr) {
    file_->counters_->read_back_bytes.fetch_add(static_cast<int64_t>(kHeaderSize + stored_size),
                                                std::memory_order_relaxed);
  }
  return true;
}

}  // namespace sluice::exec
