// Spill files: sluice's own columnar format for batches written to disk under memory pressure
// and read back once, in order. A file is a sequence of blocks; a block is one batch (plus
// optional byte arrays its operator needs back, such as a sort run's normalized keys), laid out
// column by column, compressed with LZ4 (fast enough to keep up with a disk) where that pays,
// and guarded by an XXH3 checksum. Reading checks the checksum and every length against the schema
// before building a column, so a damaged file is an error naming the file and offset, never a
// crash.
//
// Block: magic u32 "SLSB", version u16, codec u16 (0: raw, 1: LZ4), raw size u64, stored size
// u64, XXH3-64 of the stored bytes u64, then the stored bytes. A file stores a block raw when LZ4
// would not shrink it, and the next 32 raw when LZ4 shrinks one by less than 1.25:1.
// Raw payload: rows u64, columns u32, extras u32; per column: null count u64, validity length u64 +
// bytes (0 = no nulls), then the values: for integers, dates, times and decimals, narrowed
// (core/narrowed_ints.h); for strings and binary, rows + 1 offsets from 0 (length u64 + u32 each)
// and the data (length u64 + bytes); otherwise values length u64 + bytes and an empty data length
// u64. Per extra: length u64 + bytes.
//
// A SpillFile lives in the process's spill folder (io/fs/spill_directory.h) and is removed when
// the last reference to it goes. Given an operator's SpillCounters (plan/plan_profile.h), a file
// counts the bytes it writes, and its readers the bytes they read back, for EXPLAIN ANALYZE.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/memory_pool.h"

namespace sluice {
struct SpillCounters;
}  // namespace sluice

namespace sluice::exec {

class SpillFile {
 public:
  /// Creates an empty file in the spill folder; `purpose` names it ("sort", "aggregate"). Blocks
  /// are written once `flush_bytes` of them are buffered: owners of many files at once (an
  /// aggregation's partitions) buffer less. `counters` (may be null) receive the bytes written
  /// and, by readers of this file, read back; they must outlive the file.
  explicit SpillFile(const std::string& purpose, size_t flush_bytes = size_t{1} << 20,
                     SpillCounters* counters = nullptr);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  /// Appends a block. Not thread-safe; only before Finish.
  void Append(const Batch& batch, std::span<const std::vector<uint8_t>> extras = {});

  /// A block laid out, compressed and checksummed, ready to append. Encoding is the costly
  /// part of appending and may run on any thread, so that several blocks of one file can be
  /// encoded at once and appended in order.
  struct EncodedBlock {
    std::vector<uint8_t> bytes;
    int64_t rows = 0;
    int64_t raw_size = 0;
  };
  EncodedBlock Encode(const Batch& batch, std::span<const std::vector<uint8_t>> extras = {});
  void Append(const EncodedBlock& block);
  /// Flushes what Append buffered; afterwards the file can be read (by several readers at once).
  void Finish();

  const std::string& path() const { return path_; }
  int64_t size() const { return size_; }  ///< Bytes on disk.
  int64_t blocks() const { return blocks_; }
  int64_t rows() const { return rows_; }
  /// The largest block's decoded payload: about what reading it back takes in memory.
  int64_t max_block_bytes() const { return max_block_bytes_; }
  /// Every block's decoded payload: about what reading the whole file back takes in memory.
  int64_t raw_bytes() const { return raw_bytes_; }

 private:
  friend class SpillReader;
  void AppendBlock(const std::vector<uint8_t>& block, int64_t rows, int64_t raw_size);
  /// Whether to try LZ4 on the next block (see NoteCompression).
  bool TryCompressing();
  /// After a block that LZ4 shrank by less than 1.25:1, the next few are stored raw.
  void NoteCompression(bool tried, int64_t raw_size, int64_t block_size);
  void Flush();
  void WriteAt(const uint8_t* data, size_t size);  ///< At the end of the file.

  std::string path_;
  SpillCounters* counters_;
  int fd_ = -1;
  size_t flush_bytes_;
  std::vector<uint8_t> buffer_;  ///< Small blocks not yet written.
  int64_t size_ = 0;
  int64_t blocks_ = 0;
  int64_t rows_ = 0;
  int64_t max_block_bytes_ = 0;
  int64_t raw_bytes_ = 0;
  bool finished_ = false;
  static constexpr int kRawBlocksAfterPoorCompression = 32;
  std::atomic<int> raw_blocks_left_{0};
};

/// Reads a finished file's blocks in order (counting the bytes into the file's counters).
class SpillReader {
 public:
  SpillReader(std::shared_ptr<const SpillFile> file, SchemaPtr schema, MemoryPool* pool);

  /// The next block's batch (seq 0) and extras; false at the end. Throws an I/O error naming the
  /// file and offset when a block is damaged.
  bool Next(Batch* batch, std::vector<std::vector<uint8_t>>* extras = nullptr);

 private:
  std::shared_ptr<const SpillFile> file_;
  SchemaPtr schema_;
  MemoryPool* pool_;
  int64_t offset_ = 0;
  std::vector<uint8_t> stored_;
  std::vector<uint8_t> raw_;
};

}  // namespace sluice::exec
