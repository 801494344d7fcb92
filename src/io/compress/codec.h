// One interface over the compression codecs a Parquet file may use (snappy, gzip, brotli, lz4 in
// both its Hadoop-framed and raw forms, zstd), so that page readers and writers call a single
// Decompress/Compress pair and never include a codec library. Every length read from a file is
// checked: corrupt or truncated data gives a sluice::Error, never a crash or an overrun, and a
// page that decompresses to any size other than the one its header declares is rejected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::io {

/// Names a compression codec; the numbers are Parquet's CompressionCodec ids, so a value read
/// from a file converts with CodecFromParquetId and a value written to one with a plain cast.
enum class Codec : uint8_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,  ///< Never written by modern tools; recognised only to report it as unsupported.
  kBrotli = 4,
  kLz4 = 5,  ///< Deprecated by Parquet: Hadoop-framed LZ4 blocks (raw blocks in old parquet-cpp).
  kZstd = 6,
  kLz4Raw = 7,  ///< A single raw LZ4 block; what "lz4" means when sluice writes.
};

/// Returns the lower-case Parquet name of a codec ("zstd", "lz4_raw", "lz4" for the Hadoop form),
/// or "unknown" for a value outside the enum, so messages can always print it.
const char* CodecName(Codec codec);

/// Converts a Parquet CompressionCodec id read from a file, throwing ThrowUnsupported for ids
/// this build does not know (rather than letting an unchecked cast reach a switch).
Codec CodecFromParquetId(int32_t id);

/// Parses a command-line codec name, case-insensitively: "zstd", "snappy", "gzip", "brotli",
/// "lz4_raw", "none" or "uncompressed", and "lz4", which means kLz4Raw as in DuckDB and Polars
/// because the Hadoop form is deprecated. Throws ThrowInvalid listing the valid names otherwise.
Codec ParseCodec(std::string_view name);

/// Decompresses one page into dst, whose size is the exact uncompressed size from the page header.
/// Throws ThrowInvalid ("zstd: corrupt page data (...)") on a library error, on truncated input
/// or when the data decompresses to any other size; ThrowUnsupported for LZO. Thread-safe: zstd
/// contexts are cached per thread because this runs once per page.
void Decompress(Codec codec, const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size);

/// Compresses size bytes into *out, replacing its contents. Reusing one string across pages
/// avoids reallocation. level 0 picks the codec default: zstd 3 (the zstd, DuckDB and parquet-mr
/// default), gzip 6, brotli 5 (fast enough for a writer, unlike brotli's own 11); lz4 uses the
/// fast compressor at 0 or 1 and LZ4HC at that level above 1; snappy has no levels. kGzip writes
/// gzip framing, kLz4 writes Hadoop framing in 256 KiB blocks (what Hadoop's reader can buffer)
/// and kLz4Raw one raw block, so that other Parquet readers accept the output. Output is
/// deterministic for a given input, codec, level and library version.
void Compress(Codec codec, const uint8_t* src, size_t size, std::string* out, int level = 0);

}  // namespace sluice::io
