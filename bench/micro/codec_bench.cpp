// Decompression and compression throughput of every Parquet codec on a 1 MiB page of
// fixed-seed, realistically compressible data (PLAIN int64s with small deltas and repeated
// strings), the unit a scan decompresses. Bytes/s counts uncompressed bytes.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "io/compress/codec.h"

namespace sluice::io {
namespace {

constexpr size_t kPageBytes = 1 << 20;

std::string MakePage() {
  std::mt19937_64 rng(7);
  std::string page;
  int64_t value = 1'000'000;
  const char* words[] = {"electronics", "books", "garden", "north", "south", "SKU-0042"};
  while (page.size() < kPageBytes) {
    value += static_cast<int64_t>(rng() % 100);
    page.append(reinterpret_cast<const char*>(&value), sizeof(value));
    page.append(words[rng() % 6]);
  }
  page.resize(kPageBytes);
  return page;
}

const std::string& Page() {
  static const std::string page = MakePage();
  return page;
}

void BM_Decompress(benchmark::State& state, Codec codec) {
  const std::string& page = Page();
  std::string compressed;
  Compress(codec, reinterpret_cast<const uint8_t*>(page.data()), page.size(), &compressed);
  std::vector<uint8_t> out(page.size());
  for (auto _ : state) {
    Decompress(codec, reinterpret_cast<const uint8_t*>(compressed.data()), compressed.size(),
               out.data(), out.size());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(page.size()));
  state.counters["ratio"] =
      static_cast<double>(page.size()) / static_cast<double>(compressed.size());
}

void BM_Compress(benchmark::State& state, Codec codec) {
  const std::string& page = Page();
  std::string compressed;
  for (auto _ : state) {
    compressed.clear();
    Compress(codec, reinterpret_cast<const uint8_t*>(page.data()), page.size(), &compressed);
    benchmark::DoNotOptimize(compressed.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(page.size()));
}

#define SLUICE_CODEC_BENCH(name, codec)                 \
  BENCHMARK_CAPTURE(BM_Decompress, name, Codec::codec); \
  BENCHMARK_CAPTURE(BM_Compress, name, Codec::codec);

SLUICE_CODEC_BENCH(snappy, kSnappy)
SLUICE_CODEC_BENCH(zstd, kZstd)
SLUICE_CODEC_BENCH(lz4_raw, kLz4Raw)
SLUICE_CODEC_BENCH(lz4_hadoop, kLz4)
SLUICE_CODEC_BENCH(gzip, kGzip)
SLUICE_CODEC_BENCH(brotli, kBrotli)

}  // namespace
}  // namespace sluice::io
