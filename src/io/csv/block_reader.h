// The sequential half of CSV scanning, run ahead on its own thread: read (and decompress) the
// next block, plan its chunks at row starts, and hand it over, while the thread pool tokenizes
// and converts the block before it. Blocks come out in file order and are the same whatever the
// timing, so the batches built from them do not depend on threads either.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/buffer.h"
#include "core/error.h"
#include "io/csv/file_cursor.h"
#include "io/csv/tokenizer.h"

namespace sluice::io::csv {

/// What messages about a file's rows need besides the bytes.
struct RowContext {
  uint32_t columns = 0;  ///< Fields per row, for ragged-row messages.
  CsvReadOptions::Ragged ragged = CsvReadOptions::Ragged::kError;
};

/// Plans the unparsed bytes of `cursor` into chunks of about chunk_bytes, reading blocks of
/// block_bytes (doubling for a row longer than that, up to kMaxRowBytes) until there is at least
/// one complete row or the file ends, where a last row without a newline gets one. With a
/// `context` (once the delimiter is known), a stray quote that would make the rest of the file
/// look quoted is reported at once (ThrowInvalid) instead of being buffered.
ChunkPlan PlanBlock(FileCursor& cursor, const Dialect& dialect, size_t block_bytes,
                    size_t chunk_bytes, const RowContext* context);

/// Finds the first structural error in the cursor's bytes from `from`, which end inside quotes:
/// a stray quote before the open one, say, or else the unterminated quote itself.
ParseError DiagnoseOpenQuote(FileCursor& cursor, const Dialect& dialect, size_t from);

/// Returns the line of an unparsed byte of the cursor's block.
int64_t LineAt(const FileCursor& cursor, size_t offset);

/// A block ready for the tokenizer.
struct PlannedBlock {
  std::shared_ptr<Buffer> buffer;  ///< Holds the bytes; chunks keep it alive.
  std::vector<size_t> cuts;        ///< Chunk boundaries: cuts[0] is the first row's start.
  int64_t first_line = 0;          ///< The line number at cuts[0].
  /// A malformed last row (an unterminated quote), to report after the rows before it.
  std::optional<Error> error;
};

class BlockReader {
 public:
  /// Takes over a cursor positioned at a row start (after any header) and starts reading ahead.
  BlockReader(std::unique_ptr<FileCursor> cursor, Dialect dialect, RowContext context,
              size_t block_bytes, size_t chunk_bytes);
  ~BlockReader();
  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;

  const std::string& path() const { return path_; }

  /// Produces the next block; false after the last. Rethrows an error of reading or planning
  /// (I/O, corrupt compressed data, a stray quote, an over-long row) in its place in the order.
  bool Next(PlannedBlock* out);

 private:
  /// Reads and plans one block on the background thread; false at the end of the file.
  bool Produce(PlannedBlock* out);
  void Loop();

  static constexpr size_t kAhead = 1;  ///< Planned blocks waiting at most.

  std::unique_ptr<FileCursor> cursor_;
  std::string path_;
  Dialect dialect_;
  RowContext context_;
  size_t block_bytes_;
  size_t chunk_bytes_;
  bool ended_ = false;  ///< Produce saw the end, or an error after which nothing follows.

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<PlannedBlock> ready_;
  bool done_ = false;      ///< The thread has produced its last block (or failed).
  bool stopping_ = false;  ///< The reader is being destroyed.
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace sluice::io::csv
