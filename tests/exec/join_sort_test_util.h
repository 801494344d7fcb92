// Helpers for the hash join and sort tests: columns from literal vectors, batches split into
// streams, a collecting sink that restores seq order, and rows rendered as "a|b|NULL" text.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/column_builder.h"
#include "core/value_format.h"
#include "exec/pipeline.h"

namespace sluice::test {

template <typename T>
Column MakeColumn(const DataType& type, const std::vector<std::optional<T>>& values) {
  ColumnBuilder builder(type);
  for (const auto& value : values) {
    if (!value) {
      builder.AppendNull();
    } else if constexpr (std::is_same_v<T, bool>) {
      builder.AppendBool(*value);
    } else if constexpr (std::is_same_v<T, std::string>) {
      builder.AppendString(*value);
    } else {
      builder.Append<T>(*value);
    }
  }
  return builder.Finish();
}

inline Column Int64s(const std::vector<std::optional<int64_t>>& values) {
  return MakeColumn<int64_t>(Int64(), values);
}
inline Column Strings(const std::vector<std::optional<std::string>>& values) {
  return MakeColumn<std::string>(Utf8(), values);
}

inline SchemaPtr MakeSchema(std::vector<Field> fields) {
  return std::make_shared<Schema>(std::move(fields));
}

inline Batch MakeBatch(SchemaPtr schema, std::vector<Column> columns, uint64_t seq = 0) {
  Batch batch;
  batch.schema = std::move(schema);
  batch.num_rows = columns.empty() ? 0 : columns[0].length;
  batch.columns = std::move(columns);
  batch.seq = seq;
  return batch;
}

/// Cuts `batch` into batches of `rows` rows (at least one batch, possibly empty).
inline std::vector<Batch> Split(const Batch& batch, int64_t rows) {
  std::vector<Batch> out;
  for (int64_t at = 0; at < batch.num_rows; at += rows) {
    out.push_back(batch.Slice(at, std::min(rows, batch.num_rows - at)));
  }
  if (out.empty()) out.push_back(batch);
  return out;
}

inline exec::Stream StreamOf(const Batch& batch, int64_t rows_per_batch) {
  return exec::Stream{exec::MakeBatchSource(batch.schema, Split(batch, rows_per_batch)), {}};
}

/// Collects batches from any thread; Ordered() gives them in seq order.
class CollectingSink final : public exec::Sink {
 public:
  void Consume(Batch batch) override {
    std::lock_guard lock(mutex_);
    batches_.push_back(std::move(batch));
  }
  void Finish() override {
    std::sort(batches_.begin(), batches_.end(),
              [](const Batch& a, const Batch& b) { return a.seq < b.seq; });
  }
  const std::vector<Batch>& Ordered() const { return batches_; }

 private:
  std::mutex mutex_;
  std::vector<Batch> batches_;
};

inline std::string RenderValue(const Column& column, int64_t row) {
  return column.IsNull(row) ? "NULL" : FormatValue(column, row);
}

/// Every row of `batches` as "v1|v2|...", in order.
inline std::vector<std::string> Rows(const std::vector<Batch>& batches) {
  std::vector<std::string> rows;
  for (const Batch& batch : batches) {
    for (int64_t i = 0; i < batch.num_rows; ++i) {
      std::string row;
      for (size_t c = 0; c < batch.columns.size(); ++c) {
        if (c > 0) row += '|';
        row += RenderValue(batch.columns[c], i);
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

/// Runs `stream` to the end and returns its rows in order.
/// Renders batches to rows as they arrive (holding no batch: under a tiny budget the output
/// itself would not fit), in seq order at the end.
class RenderingSink final : public exec::Sink {
 public:
  void Consume(Batch batch) override {
    std::vector<std::string> rows = Rows({batch});
    std::lock_guard lock(mutex_);
    rendered_[batch.seq] = std::move(rows);
  }
  void Finish() override {}
  std::vector<std::string> Ordered() const {
    std::vector<std::string> all;
    for (const auto& [seq, rows] : rendered_) all.insert(all.end(), rows.begin(), rows.end());
    return all;
  }

 private:
  std::mutex mutex_;
  std::map<uint64_t, std::vector<std::string>> rendered_;
};

inline std::vector<std::string> RunRows(exec::Stream stream, const exec::ExecContext& context) {
  CollectingSink sink;
  exec::RunPipeline(std::move(stream), sink, context);
  return Rows(sink.Ordered());
}

/// Pulls every batch of a source.
inline std::vector<Batch> Drain(exec::Source& source) {
  std::vector<Batch> batches;
  Batch batch;
  while (source.Next(&batch)) batches.push_back(std::move(batch));
  return batches;
}

}  // namespace sluice::test
