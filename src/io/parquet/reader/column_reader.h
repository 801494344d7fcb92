// Decodes one column chunk into sluice columns, a batch of rows at a time: definition levels
// become the validity bitmap, values are decoded page by page (every encoding of the spec), and
// physical values are converted to the column's logical type (narrow ints, decimals, INT96...).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/column.h"
#include "core/error.h"
#include "io/parquet/reader/page_reader.h"
#include "io/parquet/reader/schema_mapping.h"

namespace sluice::io::parquet {

class ColumnChunkReader {
 public:
  ColumnChunkReader(const RandomAccessFile& file, const ColumnChunk& chunk, const LeafColumn& leaf,
                    uint64_t limit, std::string context, MemoryPool* pool = MemoryPool::Default());
  ~ColumnChunkReader();

  /// Reads the next `rows` rows; returns fewer only when the chunk ends. Errors name the file,
  /// row group, column and page offset.
  Column Read(int64_t rows);

  /// Skips the next `rows` rows; whole pages are passed over without being read or
  /// decompressed, which is how a pushed-down predicate skips pages. Returns the rows skipped
  /// (fewer only when the chunk ends).
  int64_t Skip(int64_t rows);

  /// Reads the next `rows` rows but keeps only those at `selected` (ascending indexes below
  /// `rows`), as a filter that ran on other columns chose them: the rows between are skipped,
  /// whole pages without being decompressed, instead of converted and then dropped.
  Column ReadSelected(int64_t rows, std::span<const int64_t> selected);

  /// A test of the column's values (any number of rows of its type in, one bool per row out;
  /// null counts as false). Read then returns whether each row passes, as a bool column without
  /// nulls, instead of the values; dictionary-encoded pages test each distinct value once.
  using ValueTest = std::function<Column(const Column& values)>;
  void SetTest(ValueTest test) { test_ = std::move(test); }

 private:
  struct PageState;

  bool LoadPage();
  /// An empty column of the leaf's type sized for `rows` rows, and its final shape once
  /// `produced` of them are in.
  Column StartColumn(int64_t rows) const;
  void FinishColumn(Column& out, int64_t rows, int64_t produced) const;
  [[noreturn]] void ThrowShort(int64_t rows, int64_t have) const;
  /// Read for a tested column.
  Column ReadTested(int64_t rows);
  /// Whether each of `values` passes the test, as PassesOf gives it.
  Column Tested(const Column& values) const;
  [[noreturn]] void RethrowWithContext(const Error& error) const;
  /// Throws unless `size` bytes can hold `count` PLAIN values, before anything is sized by count.
  void CheckValuesFit(int64_t count, size_t size, const char* what) const;
  void LoadDictionary(const Page& page);
  void DecodeDataPage(const Page& page);
  /// Appends `count` rows of the current page to `out` at row `at`.
  void Emit(Column& out, int64_t at, int64_t count);
  /// Appends the current page's rows at offsets `rows` (ascending, below `span`) from the page
  /// row to `out` at row `at`, then moves `span` rows on.
  void EmitSelected(Column& out, int64_t at, std::span<const int64_t> rows, int64_t span);
  /// Converts `count` dense physical values starting at dense index `from` into `dst`.
  void ConvertFixed(int64_t from, int64_t count, uint8_t* dst) const;

  PageReader pages_;
  LeafColumn leaf_;
  MemoryPool* pool_;
  int physical_width_ = 0;  ///< Bytes per dense physical value (0 for BYTE_ARRAY, 1 for bool).
  int output_width_ = 0;    ///< Bytes per logical value (0 for bool and strings).

  // The current page, decoded whole when loaded (pages are small; batches cut across them).
  std::vector<uint8_t> definition_levels_;
  int64_t page_rows_ = 0;
  int64_t page_row_ = 0;
  int64_t dense_index_ = 0;
  bool dictionary_encoded_ = false;
  PageBytes dense_;                      ///< Fixed-width physical values (bool: one byte each).
  std::vector<std::string_view> views_;  ///< BYTE_ARRAY values.
  std::vector<uint32_t> indices_;        ///< Dictionary indices.
  std::vector<uint8_t> scratch_;
  std::vector<int64_t> selected_dense_;    ///< EmitSelected's dense index of each row.
  std::unique_ptr<PageState> page_state_;  ///< Decoders that own value storage.

  Column dictionary_;  ///< Converted dictionary values, when the chunk has a dictionary page.
  bool has_dictionary_ = false;

  ValueTest test_;
  Column dictionary_passes_;  ///< With a test: whether each dictionary entry passes.
  bool null_passes_ = false;  ///< With a test: whether a null passes.
};

/// A test's result as a bool column without nulls (a null result does not pass).
Column PassesOf(const Column& tested, MemoryPool* pool);

/// Converts an INT96 timestamp (nanoseconds of day + Julian day) to nanoseconds since the epoch.
int64_t Int96ToNanos(const uint8_t* bytes);
/// Converts an IEEE half-precision float to float32.
float HalfToFloat(uint16_t half);

}  // namespace sluice::io::parquet
