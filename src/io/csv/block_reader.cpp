// Read-ahead of planned CSV blocks on a background thread.
#include "io/csv/block_reader.h"

#include <algorithm>

#include "io/csv/messages.h"

namespace sluice::io::csv {

int64_t LineAt(const FileCursor& cursor, size_t offset) {
  return cursor.line() + CountNewlines(cursor.data(), cursor.begin(), offset);
}

ParseError DiagnoseOpenQuote(FileCursor& cursor, const Dialect& dialect, size_t from) {
  ParseError error = CheckRows(dialect, cursor.data(), from, cursor.PadWithNewline());
  return error ? error : ParseError{ParseErrorCode::kUnterminatedQuote, cursor.size(), 0};
}

ChunkPlan PlanBlock(FileCursor& cursor, const Dialect& dialect, size_t block_bytes,
                    size_t chunk_bytes, const RowContext* context) {
  while (true) {
    ChunkPlan plan = PlanChunks(dialect, cursor.data(), cursor.begin(), cursor.size(), chunk_bytes);
    if (cursor.eof()) {
      if (!plan.open_quote && plan.cuts.back() < cursor.size()) {
        cursor.AppendNewline();  // The last row has no newline; give it one and plan again.
        continue;
      }
      return plan;
    }
    if (plan.cuts.back() > cursor.begin()) return plan;
    // Not one complete row. A stray quote (`ab"c`) makes every later row look quoted: report
    // it now rather than buffer the rest of the file looking for the end of that "row".
    size_t open_quote_at = plan.open_quote_at;
    if (plan.open_quote && context != nullptr) {
      ParseError error = DiagnoseOpenQuote(cursor, dialect, cursor.begin());
      if (error.code != ParseErrorCode::kUnterminatedQuote) {
        ThrowInvalid("{}", ParseErrorMessage(cursor.path(), LineAt(cursor, error.offset), error,
                                             context->columns, context->ragged, cursor.data()));
      }
      open_quote_at = error.offset;
    }
    // The row is longer than the block. Read on, doubling the block.
    size_t unparsed = cursor.size() - cursor.begin();
    if (unparsed >= kMaxRowBytes) {
      if (plan.open_quote) {
        ThrowInvalid(
            "'{}', line {}: a quoted field runs on for more than {} MiB; is its closing "
            "quote missing?",
            cursor.path(), LineAt(cursor, open_quote_at), kMaxRowBytes >> 20);
      }
      ThrowInvalid("'{}', line {}: a row longer than {} MiB", cursor.path(), cursor.line(),
                   kMaxRowBytes >> 20);
    }
    cursor.ReadMore(std::max(block_bytes, unparsed));
  }
}

BlockReader::BlockReader(std::unique_ptr<FileCursor> cursor, Dialect dialect, RowContext context,
                         size_t block_bytes, size_t chunk_bytes)
    : cursor_(std::move(cursor)),
      path_(cursor_->path()),
      dialect_(dialect),
      context_(context),
      block_bytes_(block_bytes),
      chunk_bytes_(chunk_bytes) {
  thread_ = std::thread([this] { Loop(); });
}

BlockReader::~BlockReader() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool BlockReader::Produce(PlannedBlock* out) {
  FileCursor& cursor = *cursor_;
  if (ended_ || cursor.done()) return false;
  if (!cursor.eof() && cursor.size() - cursor.begin() < block_bytes_) cursor.ReadMore(block_bytes_);
  ChunkPlan plan = PlanBlock(cursor, dialect_, block_bytes_, chunk_bytes_, &context_);
  out->buffer = cursor.buffer();
  out->first_line = cursor.line();
  const size_t end = plan.cuts.back();
  out->cuts = std::move(plan.cuts);
  cursor.Consume(end, CountNewlines(cursor.data(), cursor.begin(), end));
  if (plan.open_quote && cursor.eof()) {
    // The file ends inside quotes. (A block that does not end the file may well end inside a
    // quoted field: that row is left for the next block.)
    ParseError error = DiagnoseOpenQuote(cursor, dialect_, cursor.begin());
    out->error.emplace(ErrorKind::kInvalidInput,
                       ParseErrorMessage(path_, LineAt(cursor, error.offset), error,
                                         context_.columns, context_.ragged, cursor.data()));
    ended_ = true;
  }
  return out->cuts.size() > 1 || out->error.has_value();
}

void BlockReader::Loop() {
  try {
    while (true) {
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || ready_.size() < kAhead; });
        if (stopping_) break;
      }
      PlannedBlock block;
      bool more = Produce(&block);
      std::lock_guard lock(mutex_);
      if (!more) break;
      ready_.push_back(std::move(block));
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
  }
  std::lock_guard lock(mutex_);
  done_ = true;
  changed_.notify_all();
}

bool BlockReader::Next(PlannedBlock* out) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !ready_.empty() || done_; });
  if (!ready_.empty()) {
    *out = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return true;
  }
  if (error_) {
    std::exception_ptr error = error_;
    error_ = nullptr;
    std::rethrow_exception(error);
  }
  return false;
}

}  // namespace sluice::io::csv
