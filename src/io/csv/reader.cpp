// The CSV scanner: sniffing the first file, then block by block: plan chunks (sequential),
// tokenize them (parallel), cut the rows into batches and convert them (parallel, per column).
#include "io/csv/reader.h"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <optional>

#include "core/error.h"
#include "core/take.h"
#include "io/csv/block_reader.h"
#include "io/csv/column_convert.h"
#include "io/csv/file_cursor.h"
#include "io/csv/messages.h"
#include "io/csv/sniffer.h"
#include "io/csv/tokenizer.h"
#include "io/fs/glob.h"

namespace sluice::io::csv {

std::vector<std::string> ResolveCsvPaths(const std::string& path) {
  if (HasGlob(path)) return ExpandGlob(path);
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    std::string base = path;
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    std::vector<std::string> files;
    for (std::string& file : ExpandGlob(base + "/**")) {
      if (IsCsvPath(file)) files.push_back(std::move(file));
    }
    if (files.empty()) ThrowInvalid("no CSV files (.csv, .tsv, .txt) in '{}'", path);
    return files;
  }
  return {path};
}

bool IsCsvPath(std::string_view path) {
  std::string lower(path);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::string_view name = lower;
  for (std::string_view compressed : {".gz", ".zst"}) {
    if (name.ends_with(compressed)) {
      name.remove_suffix(compressed.size());
      break;
    }
  }
  return name.ends_with(".csv") || name.ends_with(".tsv") || name.ends_with(".txt");
}

namespace {

/// The first rows of a file are read until they hold this many bytes at most, for sniffing.
constexpr size_t kMaxSampleBytes = size_t{64} << 20;
/// Lines of a sample beyond its rows, for blank and comment lines among them.
constexpr int64_t kSampleSlackLines = 16;

/// Tokenized rows not yet in a batch, with the block their fields point into.
struct PendingChunk {
  std::shared_ptr<Buffer> block;
  std::shared_ptr<ChunkRows> chunk;
  int64_t next_row = 0;
  size_t file = 0;
};

/// One batch to convert: its rows as slices of pending chunks (kept alive by `chunks`).
struct BatchJob {
  std::vector<RowSlice> slices;
  std::vector<PendingChunk> chunks;  ///< Parallel to slices.
  int64_t rows = 0;
  std::vector<Column> columns;
  std::vector<ValueError> errors;  ///< Rows of the slices (not of the kept rows).
  std::vector<int64_t> selection;  ///< With a row filter: the rows it keeps.
  int64_t kept = -1;               ///< selection's size, once filtered.
};

}  // namespace

struct CsvScanner::State {
  CsvReadOptions options;
  CsvChunking chunking;
  ThreadPool* threads = nullptr;
  std::vector<std::string> paths;
  Dialect dialect;
  bool header = false;
  std::vector<std::string> header_row;  ///< The first file's, which every file must repeat.
  RowLayout layout;
  ConvertOptions convert;
  std::vector<std::string> names;  ///< Of the projected columns, in output order.
  std::vector<DataType> types;
  SchemaPtr schema;
  std::vector<uint32_t> filter_slots;  ///< The slots row_filter reads, in its batch's order.
  std::vector<uint32_t> other_slots;   ///< The rest, converted for the rows it keeps.
  SchemaPtr filter_schema;

  RowContext context;
  size_t next_file = 0;
  size_t file = 0;  ///< Index of the file the reader reads.
  std::unique_ptr<BlockReader> reader;
  std::deque<PendingChunk> pending;
  int64_t pending_rows = 0;
  std::vector<std::shared_ptr<ChunkRows>> chunk_pool;  ///< Reused once no batch reads them.
  std::deque<Batch> ready;
  std::optional<Error> deferred;  ///< Thrown once the batches before it have been returned.
  bool finished = false;
  uint64_t next_seq = 0;
  int64_t rows_skipped = 0;

  /// Sniffs the first file with rows and starts reading it; throws when there is none.
  void Setup();
  /// Opens a file and passes over its byte-order mark and skip_rows lines.
  std::unique_ptr<FileCursor> OpenFile(size_t index);
  /// Plans the cursor's block; while sniffing, without diagnosing stray quotes (no delimiter yet).
  ChunkPlan PlanBlock(FileCursor& cursor, bool sniffing = false) {
    return csv::PlanBlock(cursor, dialect, static_cast<size_t>(chunking.block_bytes),
                          static_cast<size_t>(chunking.chunk_bytes), sniffing ? nullptr : &context);
  }
  /// Hands a cursor at its first row to a read-ahead BlockReader.
  void StartReading(std::unique_ptr<FileCursor> cursor) {
    reader = std::make_unique<BlockReader>(std::move(cursor), dialect, context,
                                           static_cast<size_t>(chunking.block_bytes),
                                           static_cast<size_t>(chunking.chunk_bytes));
  }
  /// Reads the first lines of a file for sniffing and returns the end of the sample.
  size_t FillSample(FileCursor& cursor, const Dialect& plan_dialect);
  /// Applies overrides and the projection to the sniffed columns: layout, types and schema.
  void ResolveColumns(const SniffedSchema& sniffed, const std::string& path);
  /// Reads a later file's header, which must repeat the first file's; false for an empty file.
  bool ReadHeader(FileCursor& cursor);
  /// Moves the scan on by a block (or a file), leaving any complete batches in `ready`.
  void Advance();
  void ParseBlock();
  /// Tokenizes a block's chunks in parallel and queues their rows; records the first error.
  void TokenizeBlock(const PlannedBlock& block);
  /// Returns a chunk no batch refers to any more, or a new one.
  std::shared_ptr<ChunkRows> AcquireChunk();
  /// Converts pending rows into batches of batch_size rows (and the rest too when `final`),
  /// (batch, column) pairs in parallel; the first bad value becomes the deferred error.
  void FlushPending(bool final);
  /// With a row filter: converts the filter columns, asks the filter, and converts the other
  /// columns of the rows it keeps; the jobs' columns end up holding only those rows.
  void ConvertFiltered(std::vector<BatchJob>& jobs);
  /// Keeps the first error to throw once the batches before it are out, and stops reading.
  void Defer(Error error);
  /// The line of a byte in a tokenized chunk.
  int64_t LineOf(const ChunkRows& chunk, const uint8_t* data, size_t offset) const {
    return chunk.first_line + CountNewlines(data, chunk.begin, offset);
  }
};

void CsvScanner::State::Defer(Error error) {
  if (!deferred) deferred.emplace(std::move(error));
  finished = true;
  reader.reset();
}

std::unique_ptr<FileCursor> CsvScanner::State::OpenFile(size_t index) {
  auto cursor = std::make_unique<FileCursor>(paths[index], options.pool);
  cursor->ReadMore(static_cast<size_t>(chunking.block_bytes));
  cursor->SkipByteOrderMark();
  cursor->SkipLines(options.skip_rows, static_cast<size_t>(chunking.block_bytes));
  return cursor;
}

size_t CsvScanner::State::FillSample(FileCursor& cursor, const Dialect& plan_dialect) {
  // The header, sample_rows rows, and room for blank and comment lines among them.
  const int64_t lines = options.sample_rows + 1 + kSampleSlackLines;
  auto plan = [&](size_t limit, int64_t max_lines) {
    return PlanChunks(plan_dialect, cursor.data(), cursor.begin(), limit, SIZE_MAX, max_lines);
  };
  while (!cursor.eof() && cursor.size() - cursor.begin() < kMaxSampleBytes) {
    if (plan(cursor.size(), lines).lines >= lines) break;
    cursor.ReadMore(static_cast<size_t>(chunking.block_bytes));
  }
  if (cursor.eof()) {
    ChunkPlan whole = plan(cursor.size(), INT64_MAX);
    if (!whole.open_quote && whole.cuts.back() < cursor.size()) cursor.AppendNewline();
  }
  size_t end = plan(std::min(cursor.size(), cursor.begin() + kMaxSampleBytes), lines).cuts.back();
  if (end > cursor.begin() || cursor.begin() == cursor.size()) return end;
  // Not one line within the cap: the sample is the first row, however long.
  dialect = plan_dialect;
  PlanBlock(cursor, /*sniffing=*/true);
  return plan(cursor.size(), 1).cuts.back();
}

void CsvScanner::State::ResolveColumns(const SniffedSchema& sniffed, const std::string& path) {
  std::vector<Field> all;
  for (uint32_t c = 0; c < sniffed.columns; ++c)
    all.push_back({sniffed.names[c], sniffed.types[c]});
  Schema file_schema(all);
  std::string where = fmt::format("'{}'", path);
  for (const auto& [name, type] : options.column_types) {
    all[file_schema.FieldIndex(name, where)].type = type;
  }
  std::vector<size_t> projection;
  if (options.columns.empty()) {
    for (size_t c = 0; c < all.size(); ++c) projection.push_back(c);
  } else {
    for (const std::string& name : options.columns) {
      size_t index = file_schema.FieldIndex(name, where);
      if (std::find(projection.begin(), projection.end(), index) != projection.end()) {
        ThrowInvalid("column \"{}\" is selected twice", name);
      }
      projection.push_back(index);
    }
  }
  layout.columns = sniffed.columns;
  layout.slot_of.assign(sniffed.columns, -1);
  layout.slots = static_cast<uint32_t>(projection.size());
  layout.ragged = options.ragged;
  context = {layout.columns, options.ragged};
  std::vector<Field> fields;
  for (size_t slot = 0; slot < projection.size(); ++slot) {
    const Field& field = all[projection[slot]];
    CheckConvertible(field.type, field.name);
    layout.slot_of[projection[slot]] = static_cast<int32_t>(slot);
    names.push_back(field.name);
    types.push_back(field.type);
    fields.push_back(field);
  }
  if (options.row_filter) {
    std::vector<Field> filter_fields;
    for (const std::string& name : options.filter_columns) {
      auto found = std::find(names.begin(), names.end(), name);
      if (found == names.end())
        ThrowInvalid("the pushed filter reads column \"{}\", which is not read", name);
      filter_slots.push_back(static_cast<uint32_t>(found - names.begin()));
      filter_fields.push_back(fields[filter_slots.back()]);
    }
    for (uint32_t slot = 0; slot < fields.size(); ++slot) {
      if (std::find(filter_slots.begin(), filter_slots.end(), slot) == filter_slots.end())
        other_slots.push_back(slot);
    }
    filter_schema = std::make_shared<const Schema>(std::move(filter_fields));
  }
  schema = std::make_shared<const Schema>(std::move(fields));
  convert.dialect = dialect;
  convert.null_strings = options.null_strings;
  convert.empty_is_null = IsNullString("", options.null_strings);
  convert.other_nulls = std::any_of(options.null_strings.begin(), options.null_strings.end(),
                                    [](const std::string& null) { return !null.empty(); });
  convert.slots = layout.slots;
  convert.pool = options.pool;
}

void CsvScanner::State::Setup() {
  if (paths.empty()) ThrowInvalid("no CSV files to read");
  if (options.batch_size <= 0)
    ThrowInvalid("batch size must be positive, not {}", options.batch_size);
  if (options.sample_rows <= 0) {
    ThrowInvalid("the CSV sample must have at least one row, not {}", options.sample_rows);
  }
  if (options.skip_rows < 0) ThrowInvalid("cannot skip {} rows", options.skip_rows);
  if (chunking.block_bytes <= 0 || chunking.chunk_bytes <= 0 ||
      static_cast<uint64_t>(chunking.block_bytes) > kMaxRowBytes) {
    ThrowInvalid("bad CSV chunking: blocks of {} bytes, chunks of {}", chunking.block_bytes,
                 chunking.chunk_bytes);
  }
  // Row ends do not depend on the delimiter, so any one that does not clash plans the sample.
  char plan_delimiter = options.delimiter.value_or('\0');
  for (char candidate : kDelimiterCandidates) {
    if (plan_delimiter != '\0') break;
    if (candidate != options.quote && candidate != options.escape.value_or('\0') &&
        candidate != options.comment.value_or('\0')) {
      plan_delimiter = candidate;
    }
  }
  const Dialect plan_dialect = MakeDialect(options, plan_delimiter != '\0' ? plan_delimiter : ',');

  for (size_t index = 0; index < paths.size(); ++index) {
    std::unique_ptr<FileCursor> candidate = OpenFile(index);
    SniffedRows rows;
    size_t end;
    while (true) {
      // The sample ends where the file says, not where a block ends: what is sniffed from it
      // must not depend on the block size.
      end = FillSample(*candidate, plan_dialect);
      const uint8_t* data = candidate->data();
      size_t begin = candidate->begin();
      const int64_t sample = options.sample_rows + 1;  // With a header.
      dialect = MakeDialect(options, options.delimiter.has_value()
                                         ? *options.delimiter
                                         : SniffDelimiter(options, data, begin, end, sample));
      SniffRows(dialect, data, begin, end, sample, &rows);
      if (rows.rows() > 0 || rows.error || end == begin) break;
      // Only blank and comment lines so far: pass over them and sample what follows.
      candidate->Consume(end, CountNewlines(data, begin, end));
    }
    const uint8_t* data = candidate->data();
    size_t begin = candidate->begin();
    if (rows.rows() == 0) {
      if (rows.error) {
        int64_t line = candidate->line() + CountNewlines(data, begin, rows.error.offset);
        ThrowInvalid(
            "{}", ParseErrorMessage(candidate->path(), line, rows.error, 0, options.ragged, data));
      }
      if (begin < candidate->size()) {  // Bytes that are no complete row: an open quote.
        ParseError error = DiagnoseOpenQuote(*candidate, dialect, begin);
        ThrowInvalid("{}", ParseErrorMessage(candidate->path(), LineAt(*candidate, error.offset),
                                             error, 0, options.ragged, data));
      }
      continue;  // An empty file: the schema comes from the next one.
    }
    SniffedSchema found =
        SniffSchema(dialect, options, data, rows, candidate->path(),
                    candidate->line() + CountNewlines(data, begin, rows.row_starts[0]));
    header = found.header;
    header_row = found.header_row;
    if (header) {
      candidate->Consume(rows.row_ends[0], CountNewlines(data, begin, rows.row_ends[0]));
    }
    ResolveColumns(found, candidate->path());
    StartReading(std::move(candidate));
    file = index;
    next_file = index + 1;
    return;
  }
  if (paths.size() == 1) ThrowInvalid("'{}' is empty: no header and no rows", paths[0]);
  ThrowInvalid("all {} CSV files are empty: no header and no rows", paths.size());
}

bool CsvScanner::State::ReadHeader(FileCursor& cursor) {
  ChunkPlan plan = PlanBlock(cursor);
  SniffedRows rows;
  SniffRows(dialect, cursor.data(), cursor.begin(), plan.cuts.back(), 1, &rows);
  if (rows.rows() == 0) {
    if (rows.error || plan.open_quote) {
      ParseError error =
          rows.error ? rows.error : DiagnoseOpenQuote(cursor, dialect, cursor.begin());
      ThrowInvalid("{}", ParseErrorMessage(cursor.path(), LineAt(cursor, error.offset), error,
                                           layout.columns, options.ragged, cursor.data()));
    }
    return false;  // Empty: nothing to read.
  }
  std::vector<std::string> fields = HeaderFields(dialect, cursor.data(), rows);
  if (fields != header_row) {
    ThrowInvalid(
        "'{}' has the columns ({}) but '{}' has ({}); all CSV files of a scan must have "
        "the same columns",
        cursor.path(), fmt::join(fields, ", "), paths[file], fmt::join(header_row, ", "));
  }
  cursor.Consume(rows.row_ends[0], CountNewlines(cursor.data(), cursor.begin(), rows.row_ends[0]));
  return true;
}

std::shared_ptr<ChunkRows> CsvScanner::State::AcquireChunk() {
  for (auto& chunk : chunk_pool) {
    if (chunk.use_count() == 1) return chunk;
  }
  chunk_pool.push_back(std::make_shared<ChunkRows>(options.pool));
  return chunk_pool.back();
}

void CsvScanner::State::ParseBlock() {
  PlannedBlock block;
  if (!reader->Next(&block)) {
    reader.reset();
    return;
  }
  TokenizeBlock(block);
}

void CsvScanner::State::TokenizeBlock(const PlannedBlock& block) {
  const uint8_t* data = block.buffer->data();
  const size_t count = block.cuts.size() - 1;
  std::vector<std::shared_ptr<ChunkRows>> chunks;
  for (size_t i = 0; i < count; ++i) chunks.push_back(AcquireChunk());
  threads->ParallelFor(static_cast<int64_t>(count), [&](int64_t i) {
    TokenizeChunk(dialect, layout, data, block.cuts[i], block.cuts[i + 1], chunks[i].get());
  });
  int64_t line = block.first_line;
  for (size_t i = 0; i < count; ++i) {
    ChunkRows& chunk = *chunks[i];
    chunk.first_line = line;
    line += chunk.newlines;
    rows_skipped += chunk.skipped;
    if (chunk.rows > 0) {
      pending.push_back({block.buffer, chunks[i], 0, file});
      pending_rows += chunk.rows;
    }
    if (chunk.error) {
      Defer(Error(ErrorKind::kInvalidInput,
                  ParseErrorMessage(paths[file], LineOf(chunk, data, chunk.error.offset),
                                    chunk.error, layout.columns, options.ragged, data)));
      FlushPending(true);
      return;
    }
  }
  if (block.error) {
    Defer(*block.error);
    FlushPending(true);
  }
}

void CsvScanner::State::FlushPending(bool final) {
  const int64_t batch_size = options.batch_size;
  std::vector<BatchJob> jobs;
  while (pending_rows >= batch_size || (final && pending_rows > 0)) {
    BatchJob job;
    int64_t want = std::min(batch_size, pending_rows);
    while (job.rows < want) {
      PendingChunk& front = pending.front();
      int64_t take = std::min(want - job.rows, front.chunk->rows - front.next_row);
      job.slices.push_back(
          {front.chunk.get(), front.block->data(), front.next_row, front.next_row + take});
      job.chunks.push_back(front);
      front.next_row += take;
      job.rows += take;
      pending_rows -= take;
      if (front.next_row == front.chunk->rows) pending.pop_front();
    }
    job.columns.resize(layout.slots);
    job.errors.resize(layout.slots);
    jobs.push_back(std::move(job));
  }
  if (jobs.empty()) return;
  if (options.row_filter) {
    ConvertFiltered(jobs);
  } else {
    const int64_t slots = layout.slots;
    threads->ParallelFor(static_cast<int64_t>(jobs.size()) * slots, [&](int64_t task) {
      BatchJob& job = jobs[task / slots];
      uint32_t slot = static_cast<uint32_t>(task % slots);
      job.columns[slot] =
          ConvertColumn(convert, job.slices, job.rows, slot, types[slot], &job.errors[slot]);
    });
  }
  for (BatchJob& job : jobs) {
    const ValueError* first = nullptr;
    uint32_t first_slot = 0;
    for (uint32_t slot = 0; slot < layout.slots; ++slot) {
      const ValueError& error = job.errors[slot];
      if (error && (first == nullptr || error.row < first->row)) {
        first = &error;
        first_slot = slot;
      }
    }
    if (first != nullptr) {
      // Find the slice, and hence the chunk and the byte offset, of the bad row.
      int64_t row = first->row;
      size_t i = 0;
      for (; row >= job.slices[i].end - job.slices[i].begin; ++i) {
        row -= job.slices[i].end - job.slices[i].begin;
      }
      const RowSlice& slice = job.slices[i];
      const ChunkRows& chunk = *slice.chunk;
      int64_t line = LineOf(chunk, slice.data, chunk.row_offsets[slice.begin + row]);
      deferred.reset();  // An earlier structural error cannot exist: this row comes before it.
      Defer(Error(ErrorKind::kInvalidInput,
                  ValueErrorMessage(paths[job.chunks[i].file], line, names[first_slot],
                                    types[first_slot], *first)));
      pending.clear();
      pending_rows = 0;
      return;
    }
    Batch batch;
    batch.schema = schema;
    batch.columns = std::move(job.columns);
    batch.num_rows = job.kept < 0 ? job.rows : job.kept;
    batch.seq = next_seq++;
    ready.push_back(std::move(batch));
  }
}

void CsvScanner::State::ConvertFiltered(std::vector<BatchJob>& jobs) {
  const int64_t filtered = static_cast<int64_t>(filter_slots.size());
  threads->ParallelFor(static_cast<int64_t>(jobs.size()) * filtered, [&](int64_t task) {
    BatchJob& job = jobs[task / filtered];
    uint32_t slot = filter_slots[task % filtered];
    job.columns[slot] =
        ConvertColumn(convert, job.slices, job.rows, slot, types[slot], &job.errors[slot]);
  });
  threads->ParallelFor(static_cast<int64_t>(jobs.size()), [&](int64_t index) {
    BatchJob& job = jobs[index];
    for (uint32_t slot : filter_slots) {
      if (job.errors[slot]) return;  // Reported by the caller; nothing to filter.
    }
    Batch input;
    input.schema = filter_schema;
    input.num_rows = job.rows;
    for (uint32_t slot : filter_slots) input.columns.push_back(job.columns[slot]);
    job.selection = options.row_filter(input);
    job.kept = static_cast<int64_t>(job.selection.size());
    if (job.kept < job.rows) {
      for (uint32_t slot : filter_slots) {
        job.columns[slot] = Take(job.columns[slot], job.selection.data(), job.kept, options.pool);
      }
    }
  });
  const int64_t others = static_cast<int64_t>(other_slots.size());
  threads->ParallelFor(static_cast<int64_t>(jobs.size()) * others, [&](int64_t task) {
    BatchJob& job = jobs[task / others];
    if (job.kept < 0) return;
    uint32_t slot = other_slots[task % others];
    const std::vector<int64_t>* selection = job.kept < job.rows ? &job.selection : nullptr;
    ValueError& error = job.errors[slot];
    job.columns[slot] =
        ConvertColumn(convert, job.slices, job.rows, slot, types[slot], &error, selection);
    if (error && selection != nullptr)
      error.row = job.selection[error.row];  // Back to a slice row.
  });
}

void CsvScanner::State::Advance() {
  try {
    if (reader == nullptr) {
      if (next_file >= paths.size()) {
        FlushPending(true);
        finished = true;
        return;
      }
      file = next_file++;
      std::unique_ptr<FileCursor> next = OpenFile(file);
      if (header && !ReadHeader(*next)) return;
      StartReading(std::move(next));
    }
    ParseBlock();
  } catch (const Error& error) {
    // Reading failed (a corrupt file, a stray quote, another header, ...). The rows before it
    // still count: their batches come first, and a bad value among them is the first error.
    Defer(error);
  }
  FlushPending(finished);
}

CsvScanner::CsvScanner(const std::vector<std::string>& paths, CsvReadOptions options)
    : CsvScanner(paths, std::move(options), CsvChunking{}) {}

CsvScanner::CsvScanner(const std::vector<std::string>& paths, CsvReadOptions options,
                       CsvChunking chunking)
    : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  state_->chunking = chunking;
  state_->threads =
      state_->options.threads != nullptr ? state_->options.threads : &ThreadPool::Default();
  state_->paths = paths;
  state_->Setup();
  schema_ = state_->schema;
}

CsvScanner::~CsvScanner() = default;

bool CsvScanner::Next(Batch* out) {
  State& state = *state_;
  while (state.ready.empty()) {
    if (state.deferred) {
      Error error = std::move(*state.deferred);
      state.deferred.reset();
      throw error;
    }
    if (state.finished) return false;
    try {
      state.Advance();
    } catch (...) {
      state.finished = true;
      state.reader.reset();
      throw;
    }
  }
  *out = std::move(state.ready.front());
  state.ready.pop_front();
  return true;
}

int64_t CsvScanner::rows_skipped() const {
  return state_->rows_skipped;
}

}  // namespace sluice::io::csv
