// Hive-partitioned file output (SinkTarget::partition_by; SQL's COPY ... (PARTITION_BY (a, b))):
// the target is a folder of `a=1/b=x/` folders, one level per partition column in order, each
// holding data files without the partition columns. The layout follows DuckDB's: files are named
// data_0.parquet (data_1, ... when a partition's file was closed and reopened), values are written
// as DuckDB casts them to text and URL-encoded (every byte but letters, digits and "-._~" as %XX),
// a null is __HIVE_DEFAULT_PARTITION__ and an empty string an empty value.
//
// Deterministic: workers split their batches by partition in parallel, then one writer at a time
// takes them in seq order, so every file gets the same rows in the same order at any thread count.
// Bounded open files: at most `max_open_files` writers are open; when another partition needs one,
// the least recently written is finished (its file is complete) and that partition's later rows go
// to its next file. The choice depends only on row order, so it is deterministic too; buffering or
// sorting whole partitions instead would hold the output in memory or spill it.
// Bounded memory: a Parquet writer holds dictionaries and an unfinished page per column while a
// row group is open (a CSV writer, a text buffer), and a hundred open writers would hold a
// hundred of each. So a partition's rows wait here until they make a whole row group (or its file
// closes), and only then go to its writer, which encodes them at once and frees that state. The
// sink is a spillable consumer of the memory pool: under pressure the waiting rows go to spill
// files and come back in order, so the files are the same bytes, spilled or not.
// Atomic: everything is written into a hidden staging folder beside the target, which replaces
// the target only when every file is complete; a failed run removes it and leaves the previous
// output as it was. A target that exists must be empty or an earlier partitioned output (only
// `key=value` folders), so that a typo cannot replace an unrelated folder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "exec/pipeline.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

class PartitionedSink final : public Sink {
 public:
  /// DuckDB's default for partitioned_write_max_open_files.
  static constexpr int kDefaultMaxOpenFiles = 100;

  /// `schema` is the written rows' schema (partition columns included).
  PartitionedSink(const SinkTarget& target, const Schema& schema, const ExecContext& context,
                  int max_open_files = kDefaultMaxOpenFiles);
  ~PartitionedSink() override;

  void Consume(Batch batch) override;
  bool Backlogged() const override;
  /// Finishes every file and moves the staging folder into place.
  void Finish() override;
  int64_t rows_written() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// The folder name part of one partition value (`value` of `key=value`), as DuckDB writes it:
/// the value as text, URL-encoded; exposed for tests.
std::string PartitionValueText(const Column& column, int64_t row);

}  // namespace sluice::exec
