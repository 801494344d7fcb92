// Output throughput of the CSV writer on one core, per kind of column: fixed-seed batches of
// 64K rows written to a file under /tmp that is never published (no fsync), so the number is the
// cost of formatting plus the write calls. Bytes/s counts CSV bytes produced.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <random>
#include <string>

#include "core/column_builder.h"
#include "io/csv/writer.h"

namespace sluice::io::csv {
namespace {

constexpr int64_t kRows = 64 * 1024;

enum class Kind { kNumeric, kTemporal, kText };

Batch MakeBatch(Kind kind) {
  std::mt19937_64 rng(42);
  std::vector<Field> fields;
  std::vector<Column> columns;
  auto add = [&](std::string name, DataType type, auto&& append) {
    ColumnBuilder builder(type);
    for (int64_t i = 0; i < kRows; ++i) append(builder, i);
    fields.push_back({std::move(name), std::move(type), true});
    columns.push_back(builder.Finish());
  };
  if (kind == Kind::kNumeric) {
    add("id", Int64(), [&](ColumnBuilder& b, int64_t i) { b.Append<int64_t>(1000000 + i); });
    add("user", Int32(), [&](ColumnBuilder& b, int64_t) {
      b.Append<int32_t>(static_cast<int32_t>(rng() % 100000));
    });
    add("revenue", Float64(), [&](ColumnBuilder& b, int64_t) {
      b.Append<double>(static_cast<double>(rng() % 1000000) / 100);
    });
    add("ratio", Float64(), [&](ColumnBuilder& b, int64_t) {
      b.Append<double>(static_cast<double>(rng()) / static_cast<double>(rng() | 1));
    });
    add("quantity", Int16(),
        [&](ColumnBuilder& b, int64_t) { b.Append<int16_t>(static_cast<int16_t>(rng() % 50)); });
  } else if (kind == Kind::kTemporal) {
    add("day", Date32(), [&](ColumnBuilder& b, int64_t) {
      b.Append<int32_t>(static_cast<int32_t>(18000 + rng() % 2000));
    });
    add("at", Timestamp(TimeUnit::kMicro), [&](ColumnBuilder& b, int64_t) {
      b.Append<int64_t>(static_cast<int64_t>(1700000000000000 + rng() % 100000000000000));
    });
    add("price", Decimal(15, 2), [&](ColumnBuilder& b, int64_t) {
      b.Append<__int128>(static_cast<__int128>(rng() % 10000000));
    });
  } else {
    const char* words[] = {"electronics", "books", "garden, home", "north", "say \"hi\"", ""};
    add("category", Utf8(), [&](ColumnBuilder& b, int64_t) { b.AppendString(words[rng() % 6]); });
    add("sku", Utf8(),
        [&](ColumnBuilder& b, int64_t i) { b.AppendString("SKU-" + std::to_string(i % 9973)); });
    add("note", Utf8(), [&](ColumnBuilder& b, int64_t i) {
      if (i % 3 == 0) {
        b.AppendNull();
      } else {
        b.AppendString("a longer free-text note of some forty bytes");
      }
    });
  }
  Batch batch;
  batch.schema = std::make_shared<Schema>(std::move(fields));
  batch.columns = std::move(columns);
  batch.num_rows = kRows;
  return batch;
}

void BM_CsvWrite(benchmark::State& state, Kind kind) {
  const Batch batch = MakeBatch(kind);
  const std::string path = "/tmp/sluice-csv-writer-bench-" + std::to_string(::getpid()) + ".csv";
  uint64_t bytes = 0;
  for (auto _ : state) {
    CsvWriter writer(path, *batch.schema);  // Never closed: the temporary file is removed.
    for (int i = 0; i < 16; ++i) writer.Write(batch);
    bytes += writer.bytes_written();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["rows/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * 16 * kRows, benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_CsvWrite, numeric, Kind::kNumeric)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvWrite, temporal, Kind::kTemporal)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvWrite, text, Kind::kText)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice::io::csv
