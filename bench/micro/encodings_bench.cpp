// Decode throughput of every Parquet encoding on 1M values of fixed-seed data, the shape a
// scan sees: batches of 4096 values into a reused buffer. Items/s counts values; bytes/s counts
// encoded input bytes, so the numbers compare with disk and decompression speeds.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "io/parquet/format/byte_stream_split.h"
#include "io/parquet/format/delta.h"
#include "io/parquet/format/plain.h"
#include "io/parquet/format/rle.h"

namespace sluice::io::parquet {
namespace {

constexpr int64_t kValues = 1000000;
constexpr int64_t kBatch = 4096;

const uint8_t* Data(const std::string& s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

void Report(benchmark::State& state, size_t encoded_bytes) {
  state.SetItemsProcessed(state.iterations() * kValues);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(encoded_bytes));
}

/// Drives a decoder with a `Decode(T*, n)`-like call until kValues values are out.
template <typename T, typename Make, typename Call>
void DecodeLoop(benchmark::State& state, size_t encoded_bytes, Make make, Call call) {
  std::vector<T> out(kBatch);
  for (auto _ : state) {
    auto decoder = make();
    int64_t done = 0;
    while (done < kValues) done += call(decoder, out.data(), std::min(kBatch, kValues - done));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  Report(state, encoded_bytes);
}

std::vector<std::string> Strings(bool sorted) {
  std::mt19937_64 rng(11);
  std::vector<std::string> out(kValues);
  for (auto& s : out) {
    s = "https://example.com/item/" + std::to_string(rng() % 100000000);
    s.resize(s.size() - rng() % 8);
  }
  if (sorted) std::sort(out.begin(), out.end());
  return out;
}

template <typename Encoder>
std::string EncodeStrings(const std::vector<std::string>& strings) {
  std::vector<std::string_view> views(strings.begin(), strings.end());
  Encoder encoder;
  encoder.Put(views.data(), kValues);
  std::string out;
  encoder.Flush(&out);
  return out;
}

void BM_PlainInt32(benchmark::State& state) {
  std::vector<int32_t> values(kValues, 7);
  std::string enc;
  PlainEncode(values.data(), kValues, &enc);
  DecodeLoop<int32_t>(
      state, enc.size(), [&] { return PlainFixedDecoder(Data(enc), enc.size(), 4); },
      [](auto& d, int32_t* o, int64_t n) { return d.Decode(o, n); });
}

void BM_PlainDouble(benchmark::State& state) {
  std::vector<double> values(kValues, 1.5);
  std::string enc;
  PlainEncode(values.data(), kValues, &enc);
  DecodeLoop<double>(
      state, enc.size(), [&] { return PlainFixedDecoder(Data(enc), enc.size(), 8); },
      [](auto& d, double* o, int64_t n) { return d.Decode(o, n); });
}

void BM_PlainBoolToBytes(benchmark::State& state) {
  std::mt19937 rng(1);
  std::vector<uint8_t> values(kValues);
  for (auto& v : values) v = rng() & 1;
  PlainBoolEncoder encoder;
  encoder.Put(values.data(), kValues);
  std::string enc;
  encoder.Flush(&enc);
  DecodeLoop<uint8_t>(
      state, enc.size(), [&] { return PlainBoolDecoder(Data(enc), enc.size()); },
      [](auto& d, uint8_t* o, int64_t n) { return d.Decode(o, n); });
}

void BM_PlainByteArray(benchmark::State& state) {
  const auto strings = Strings(false);
  std::vector<std::string_view> views(strings.begin(), strings.end());
  std::string enc;
  PlainEncodeByteArray(views.data(), kValues, &enc);
  DecodeLoop<std::string_view>(
      state, enc.size(), [&] { return PlainByteArrayDecoder(Data(enc), enc.size()); },
      [](auto& d, std::string_view* o, int64_t n) { return d.Decode(o, n); });
}

/// Bit-packed dictionary indices of the given width (random, so almost no RLE runs).
void BM_RleDictionaryIndices(benchmark::State& state) {
  const int width = static_cast<int>(state.range(0));
  std::mt19937_64 rng(2);
  RleBitPackedEncoder encoder(width);
  for (int64_t i = 0; i < kValues; ++i) encoder.Put(rng() & ((uint64_t{1} << width) - 1));
  std::string enc(1, static_cast<char>(width));
  encoder.Flush(&enc);
  DecodeLoop<uint32_t>(
      state, enc.size(),
      [&] { return DictionaryIndexDecoder(Data(enc), enc.size(), int64_t{1} << width); },
      [](auto& d, uint32_t* o, int64_t n) { return d.GetBatch(o, n); });
}

/// Definition levels of a nullable column, 10% nulls in short runs: a mix of both run kinds.
void BM_RleDefinitionLevels(benchmark::State& state) {
  std::mt19937_64 rng(3);
  RleBitPackedEncoder encoder(1);
  for (int64_t i = 0; i < kValues; ++i) encoder.Put(rng() % 10 != 0);
  std::string enc;
  encoder.Flush(&enc);
  DecodeLoop<int16_t>(
      state, enc.size(), [&] { return RleBitPackedDecoder(Data(enc), enc.size(), 1); },
      [](auto& d, int16_t* o, int64_t n) { return d.GetBatch(o, n); });
}

template <typename T>
void BM_DeltaBinaryPacked(benchmark::State& state) {
  std::mt19937_64 rng(4);
  std::vector<T> values(kValues);
  T acc = 1000;
  for (auto& v : values) v = acc = static_cast<T>(acc + static_cast<T>(rng() % 1000));
  DeltaBinaryPackedEncoder<T> encoder;
  encoder.Put(values.data(), kValues);
  std::string enc;
  encoder.Flush(&enc);
  DecodeLoop<T>(
      state, enc.size(), [&] { return DeltaBinaryPackedDecoder<T>(Data(enc), enc.size()); },
      [](auto& d, T* o, int64_t n) { return d.Decode(o, n); });
}

void BM_DeltaLengthByteArray(benchmark::State& state) {
  const std::string enc = EncodeStrings<DeltaLengthByteArrayEncoder>(Strings(false));
  DecodeLoop<std::string_view>(
      state, enc.size(), [&] { return DeltaLengthByteArrayDecoder(Data(enc), enc.size()); },
      [](auto& d, std::string_view* o, int64_t n) { return d.Decode(o, n); });
}

void BM_DeltaByteArray(benchmark::State& state) {
  const std::string enc = EncodeStrings<DeltaByteArrayEncoder>(Strings(true));
  DecodeLoop<std::string_view>(
      state, enc.size(), [&] { return DeltaByteArrayDecoder(Data(enc), enc.size()); },
      [](auto& d, std::string_view* o, int64_t n) { return d.Decode(o, n); });
}

template <typename T>
void BM_ByteStreamSplit(benchmark::State& state) {
  std::mt19937_64 rng(5);
  std::vector<T> values(kValues);
  for (auto& v : values) v = static_cast<T>(rng() % 100000) / 100;
  std::string enc;
  ByteStreamSplitEncode(values.data(), kValues, &enc);
  DecodeLoop<T>(
      state, enc.size(), [&] { return ByteStreamSplitDecoder(Data(enc), enc.size(), sizeof(T)); },
      [](auto& d, T* o, int64_t n) { return d.Decode(o, n); });
}

BENCHMARK(BM_PlainInt32);
BENCHMARK(BM_PlainDouble);
BENCHMARK(BM_PlainBoolToBytes);
BENCHMARK(BM_PlainByteArray);
BENCHMARK(BM_RleDictionaryIndices)->Arg(1)->Arg(8)->Arg(12)->Arg(20);
BENCHMARK(BM_RleDefinitionLevels);
BENCHMARK(BM_DeltaBinaryPacked<int32_t>);
BENCHMARK(BM_DeltaBinaryPacked<int64_t>);
BENCHMARK(BM_DeltaLengthByteArray);
BENCHMARK(BM_DeltaByteArray);
BENCHMARK(BM_ByteStreamSplit<float>);
BENCHMARK(BM_ByteStreamSplit<double>);

}  // namespace
}  // namespace sluice::io::parquet
