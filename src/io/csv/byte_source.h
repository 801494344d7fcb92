// The bytes of a CSV file in order, decompressed when its name says so (`.gz` through zlib's
// streaming inflate, `.zst` through ZSTD_decompressStream). The CSV parser reads them in blocks
// of a few MB, so a file of any size, compressed or not, is never held in memory whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::io::csv {

/// How a CSV file is compressed, from its name.
enum class CsvCompression : uint8_t { kNone, kGzip, kZstd };

/// `.gz` gives kGzip, `.zst` kZstd (case-insensitive), anything else kNone.
CsvCompression CompressionFromPath(std::string_view path);

/// A sequential reader. Not thread-safe: one scanner reads one file at a time.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Fills dst with up to size bytes and returns how many; fewer than size only at the end of
  /// the input, and 0 once it is reached. Throws ThrowInvalid for corrupt or truncated
  /// compressed data (naming the file) and ThrowIo when a read fails.
  virtual size_t Read(uint8_t* dst, size_t size) = 0;
  /// Bytes left to read when known (a plain file), so that a small file gets a small buffer.
  virtual std::optional<uint64_t> Remaining() const { return std::nullopt; }
};

/// Opens a file for sequential reading, decompressing by extension. Throws ThrowIo when the file
/// cannot be opened.
std::unique_ptr<ByteSource> OpenByteSource(const std::string& path);

}  // namespace sluice::io::csv
