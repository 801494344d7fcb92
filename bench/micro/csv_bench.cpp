// Parse throughput of the CSV reader on a generated 50 MB file of mixed columns (integers, floats,
// dates, timestamps, booleans, text with some quoted commas and newlines): a whole scan from the
// file to batches, on one thread and on the default pool, with every column or two projected,
// and from gzip. Bytes/s counts uncompressed CSV bytes, so MB/s compares with DuckDB and Polars.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "core/thread_pool.h"
#include "io/compress/codec.h"
#include "io/csv/reader.h"

namespace sluice::io::csv {
namespace {

constexpr size_t kTargetBytes = size_t{50} << 20;

/// A fixed-seed mixed-type CSV of about kTargetBytes.
std::string MakeCsv() {
  std::mt19937_64 rng(7);
  const char* words[] = {"electronics",        "books", "\"garden, home\"", "north",
                         "\"say \"\"hi\"\"\"", "",      "\"two\nlines\"",   "kitchen"};
  std::string text = "id,user,price,day,at,flag,category,sku\n";
  text.reserve(kTargetBytes + 1024);
  char line[256];
  for (int64_t i = 0; text.size() < kTargetBytes; ++i) {
    int64_t seconds = 1700000000 + static_cast<int64_t>(rng() % 100000000);
    int day = static_cast<int>(rng() % 28) + 1;
    int length = std::snprintf(
        line, sizeof(line),
        "%lld,%u,%u.%02u,2024-%02u-%02d,2024-01-%02d %02lld:%02lld:%02lld.%06u,%s,",
        static_cast<long long>(i), static_cast<unsigned>(rng() % 100000),
        static_cast<unsigned>(rng() % 10000), static_cast<unsigned>(rng() % 100),
        static_cast<unsigned>(rng() % 12) + 1, day, day,
        static_cast<long long>(seconds / 3600 % 24), static_cast<long long>(seconds / 60 % 60),
        static_cast<long long>(seconds % 60), static_cast<unsigned>(rng() % 1000000),
        rng() % 2 ? "true" : "false");
    text.append(line, static_cast<size_t>(length));
    text += words[rng() % 8];
    text += ",SKU-" + std::to_string(rng() % 99991) + "\n";
  }
  return text;
}

/// The generated file (and its gzip form), written once per process under /tmp.
struct Files {
  std::string plain;
  std::string gzip;
  size_t bytes = 0;

  Files() {
    std::string base = (std::filesystem::temp_directory_path() /
                        ("sluice-csv-bench-" + std::to_string(::getpid())))
                           .string();
    plain = base + ".csv";
    gzip = base + ".csv.gz";
    std::string text = MakeCsv();
    bytes = text.size();
    std::ofstream(plain, std::ios::binary).write(text.data(), static_cast<std::streamsize>(bytes));
    std::string compressed;
    io::Compress(io::Codec::kGzip, reinterpret_cast<const uint8_t*>(text.data()), text.size(),
                 &compressed, 6);
    std::ofstream(gzip, std::ios::binary)
        .write(compressed.data(), static_cast<std::streamsize>(compressed.size()));
  }
  ~Files() {
    std::remove(plain.c_str());
    std::remove(gzip.c_str());
  }
};

const Files& TheFiles() {
  static Files files;
  return files;
}

void RunScan(benchmark::State& state, const std::string& path, CsvReadOptions options) {
  const Files& files = TheFiles();
  int threads = static_cast<int>(state.range(0));
  ThreadPool pool(threads);
  options.threads = &pool;
  int64_t rows = 0;
  for (auto _ : state) {
    CsvScanner scanner({path}, options);
    Batch batch;
    rows = 0;
    while (scanner.Next(&batch)) rows += batch.num_rows;
    benchmark::DoNotOptimize(rows);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(files.bytes));
  state.SetItemsProcessed(state.iterations() * rows);
  state.counters["threads"] = pool.size();
}

void BM_CsvScanAllColumns(benchmark::State& state) {
  RunScan(state, TheFiles().plain, {});
}

void BM_CsvScanTwoColumns(benchmark::State& state) {
  CsvReadOptions options;
  options.columns = {"price", "category"};
  RunScan(state, TheFiles().plain, options);
}

void BM_CsvScanAllText(benchmark::State& state) {
  CsvReadOptions options;
  for (const char* name : {"id", "user", "price", "day", "at", "flag", "category", "sku"}) {
    options.column_types.push_back({name, Utf8()});
  }
  RunScan(state, TheFiles().plain, options);
}

void BM_CsvScanGzip(benchmark::State& state) {
  RunScan(state, TheFiles().gzip, {});
}

// Argument: worker threads (0 = one per core).
BENCHMARK(BM_CsvScanAllColumns)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CsvScanTwoColumns)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CsvScanAllText)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CsvScanGzip)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace sluice::io::csv
