// Implements the Codec interface on top of the Debian codec libraries. Each codec gets one
// decompress and one compress function that checks every size against the page header's
// declared size and turns library failures into sluice::Error with the codec's name.
#include "io/compress/codec.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <lz4.h>
#include <lz4hc.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstring>
#include <memory>

#include "core/error.h"

namespace sluice::io {
namespace {

// Level 1, as Arrow writes Parquet: level 3 makes files about 10% smaller at 1.4x the CPU time
// (measured on the events benchmark); pass --compression-level 3 for that trade.
constexpr int kZstdDefaultLevel = 1;
constexpr int kGzipDefaultLevel = 6;
constexpr int kBrotliDefaultQuality = 5;
constexpr int kBrotliWindowBits = 22;  // BROTLI_DEFAULT_WINDOW, as Arrow writes.
/// Asks inflate to accept both gzip and zlib headers (15 window bits + 32 for auto-detection).
constexpr int kInflateAutoDetectWindowBits = 15 + 32;
/// Makes deflate write gzip framing (15 window bits + 16), the only GZIP form Parquet allows.
constexpr int kDeflateGzipWindowBits = 15 + 16;
/// Keeps each Hadoop LZ4 block within the 256 KiB buffer Hadoop's Lz4Decompressor allocates.
constexpr size_t kHadoopLz4BlockSize = 256 * 1024;
constexpr size_t kHadoopLz4PrefixSize = 4;
/// Largest uInt chunk handed to zlib at once; size_t lengths are fed to it in pieces.
constexpr size_t kZlibMaxChunk = UINT_MAX;

/// Gives zero-length buffers a valid address, because some libraries reject null pointers even
/// when the length is zero. Nothing is ever written to it (every length using it is zero).
uint8_t empty_buffer[1];

[[noreturn]] void ThrowCorrupt(Codec codec, std::string_view detail) {
  ThrowInvalid("{}: corrupt page data ({})", CodecName(codec), detail);
}

[[noreturn]] void ThrowWrongSize(Codec codec, size_t actual, size_t expected) {
  ThrowInvalid("{}: corrupt page data (decompressed to {} bytes, the page header says {})",
               CodecName(codec), actual, expected);
}

[[noreturn]] void ThrowTooLarge(Codec codec, size_t expected) {
  ThrowInvalid(
      "{}: corrupt page data (decompresses to more than the {} bytes the page header says)",
      CodecName(codec), expected);
}

uint32_t LoadBigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

void StoreBigEndian32(uint32_t value, uint8_t* p) {
  p[0] = static_cast<uint8_t>(value >> 24);
  p[1] = static_cast<uint8_t>(value >> 16);
  p[2] = static_cast<uint8_t>(value >> 8);
  p[3] = static_cast<uint8_t>(value);
}

/// Grows *out to at least capacity without shrinking it first, so a string reused across pages
/// is zero-filled only when it has to grow; returns the writable start.
uint8_t* PrepareOutput(std::string* out, size_t capacity) {
  if (out->size() < capacity) out->resize(capacity);
  return reinterpret_cast<uint8_t*>(out->data());
}

// ---------------------------------------------------------------------------------------------
// zstd: one decompression and one compression context per thread, reused across pages.

struct ZstdDCtxDeleter {
  void operator()(ZSTD_DCtx* ctx) const { ZSTD_freeDCtx(ctx); }
};
struct ZstdCCtxDeleter {
  void operator()(ZSTD_CCtx* ctx) const { ZSTD_freeCCtx(ctx); }
};

ZSTD_DCtx* ThreadZstdDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, ZstdDCtxDeleter> ctx(ZSTD_createDCtx());
  if (ctx == nullptr) ThrowOutOfMemory("zstd: cannot allocate a decompression context");
  return ctx.get();
}

ZSTD_CCtx* ThreadZstdCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, ZstdCCtxDeleter> ctx(ZSTD_createCCtx());
  if (ctx == nullptr) ThrowOutOfMemory("zstd: cannot allocate a compression context");
  return ctx.get();
}

void DecompressZstd(const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size) {
  const size_t result = ZSTD_decompressDCtx(ThreadZstdDCtx(), dst, dst_size, src, src_size);
  if (ZSTD_isError(result)) {
    if (ZSTD_getErrorCode(result) == ZSTD_error_dstSize_tooSmall)
      ThrowTooLarge(Codec::kZstd, dst_size);
    ThrowCorrupt(Codec::kZstd, ZSTD_getErrorName(result));
  }
  if (result != dst_size) ThrowWrongSize(Codec::kZstd, result, dst_size);
}

void CompressZstd(const uint8_t* src, size_t size, std::string* out, int level) {
  if (level == 0) level = kZstdDefaultLevel;
  if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
    ThrowInvalid("zstd: compression level {} is out of range ({} to {})", level, ZSTD_minCLevel(),
                 ZSTD_maxCLevel());
  }
  const size_t bound = ZSTD_compressBound(size);
  uint8_t* dst = PrepareOutput(out, bound);
  const size_t result = ZSTD_compressCCtx(ThreadZstdCCtx(), dst, bound, src, size, level);
  if (ZSTD_isError(result))
    ThrowInternal("zstd: compression failed ({})", ZSTD_getErrorName(result));
  out->resize(result);
}

// ---------------------------------------------------------------------------------------------
// snappy

void DecompressSnappy(const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size) {
  const char* in = reinterpret_cast<const char*>(src);
  size_t declared = 0;
  if (!snappy::GetUncompressedLength(in, src_size, &declared)) {
    ThrowCorrupt(Codec::kSnappy, "invalid length prefix");
  }
  // Checks the stream's own length first: RawUncompress writes exactly that many bytes.
  if (declared != dst_size) ThrowWrongSize(Codec::kSnappy, declared, dst_size);
  if (!snappy::RawUncompress(in, src_size, reinterpret_cast<char*>(dst))) {
    ThrowCorrupt(Codec::kSnappy, "invalid or truncated stream");
  }
}

void CompressSnappy(const uint8_t* src, size_t size, std::string* out) {
  uint8_t* dst = PrepareOutput(out, snappy::MaxCompressedLength(size));
  size_t written = 0;
  snappy::RawCompress(reinterpret_cast<const char*>(src), size, reinterpret_cast<char*>(dst),
                      &written);
  out->resize(written);
}

// ---------------------------------------------------------------------------------------------
// gzip: zlib streams fed in uInt-sized pieces so that sizes beyond 4 GiB stay correct.

/// Holds a z_stream initialised for inflate and reused per thread (inflateInit allocates).
struct Inflater {
  z_stream stream{};
  bool ready = false;
  ~Inflater() {
    if (ready) inflateEnd(&stream);
  }
};

z_stream* ThreadInflater() {
  thread_local Inflater inflater;
  if (!inflater.ready) {
    if (inflateInit2(&inflater.stream, kInflateAutoDetectWindowBits) != Z_OK) {
      ThrowOutOfMemory("gzip: cannot allocate a decompression stream");
    }
    inflater.ready = true;
  } else if (inflateReset(&inflater.stream) != Z_OK) {
    ThrowInternal("gzip: cannot reset the decompression stream");
  }
  return &inflater.stream;
}

void DecompressGzip(const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size) {
  z_stream* zs = ThreadInflater();
  const uint8_t* in = src;
  size_t in_left = src_size;
  uint8_t* out = dst;
  size_t out_left = dst_size;
  // Once dst is full, inflate into one scratch byte to learn whether the stream ends there.
  uint8_t scratch = 0;
  for (;;) {
    const auto in_chunk = static_cast<uInt>(std::min(in_left, kZlibMaxChunk));
    const auto out_chunk = static_cast<uInt>(out_left == 0 ? 1 : std::min(out_left, kZlibMaxChunk));
    zs->next_in = const_cast<Bytef*>(in_left == 0 ? empty_buffer : in);
    zs->avail_in = in_chunk;
    zs->next_out = out_left == 0 ? &scratch : out;
    zs->avail_out = out_chunk;
    const int ret = inflate(zs, Z_NO_FLUSH);
    const size_t consumed = in_chunk - zs->avail_in;
    const size_t produced = out_chunk - zs->avail_out;
    if (out_left == 0 && produced > 0) ThrowTooLarge(Codec::kGzip, dst_size);
    in += consumed;
    in_left -= consumed;
    if (out_left != 0) {
      out += produced;
      out_left -= produced;
    }
    if (ret == Z_STREAM_END) {
      // Bytes after a complete stream that filled dst are ignored, as parquet-cpp does; bytes
      // before that must be a further gzip member (concatenated members are valid gzip).
      if (in_left == 0 || out_left == 0) break;
      if (inflateReset(zs) != Z_OK) ThrowInternal("gzip: cannot reset the decompression stream");
      continue;
    }
    if (ret == Z_OK && (consumed > 0 || produced > 0)) continue;
    if (ret == Z_OK || ret == Z_BUF_ERROR) {
      ThrowCorrupt(Codec::kGzip, in_left == 0 ? "truncated stream" : "no progress");
    }
    ThrowCorrupt(Codec::kGzip, zs->msg != nullptr ? zs->msg : zError(ret));
  }
  if (out_left != 0) ThrowWrongSize(Codec::kGzip, dst_size - out_left, dst_size);
}

/// Holds a z_stream initialised for deflate at one level, reused per thread.
struct Deflater {
  z_stream stream{};
  int level = -1;
  ~Deflater() {
    if (level >= 0) deflateEnd(&stream);
  }
};

z_stream* ThreadDeflater(int level) {
  thread_local Deflater deflater;
  if (deflater.level == level) {
    if (deflateReset(&deflater.stream) != Z_OK) ThrowInternal("gzip: cannot reset the stream");
    return &deflater.stream;
  }
  if (deflater.level >= 0) deflateEnd(&deflater.stream);
  deflater.stream = z_stream{};
  deflater.level = -1;
  if (deflateInit2(&deflater.stream, level, Z_DEFLATED, kDeflateGzipWindowBits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    ThrowOutOfMemory("gzip: cannot allocate a compression stream");
  }
  deflater.level = level;
  return &deflater.stream;
}

void CompressGzip(const uint8_t* src, size_t size, std::string* out, int level) {
  if (level == 0) level = kGzipDefaultLevel;
  if (level < 1 || level > 9)
    ThrowInvalid("gzip: compression level {} is out of range (1 to 9)", level);
  z_stream* zs = ThreadDeflater(level);
  const size_t bound = deflateBound(zs, size);
  uint8_t* dst = PrepareOutput(out, bound);
  const uint8_t* in = src;
  size_t in_left = size;
  size_t written = 0;
  for (;;) {
    const auto in_chunk = static_cast<uInt>(std::min(in_left, kZlibMaxChunk));
    const auto out_chunk = static_cast<uInt>(std::min(bound - written, kZlibMaxChunk));
    zs->next_in = const_cast<Bytef*>(in_left == 0 ? empty_buffer : in);
    zs->avail_in = in_chunk;
    zs->next_out = dst + written;
    zs->avail_out = out_chunk;
    const bool last = in_chunk == in_left;
    const int ret = deflate(zs, last ? Z_FINISH : Z_NO_FLUSH);
    in += in_chunk - zs->avail_in;
    in_left -= in_chunk - zs->avail_in;
    written += out_chunk - zs->avail_out;
    if (ret == Z_STREAM_END) break;
    if (ret != Z_OK && ret != Z_BUF_ERROR)
      ThrowInternal("gzip: compression failed ({})", zError(ret));
    if (written == bound) ThrowInternal("gzip: compressed data exceeds deflateBound");
  }
  out->resize(written);
}

// ---------------------------------------------------------------------------------------------
// brotli

void DecompressBrotli(const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size) {
  std::unique_ptr<BrotliDecoderState, decltype(&BrotliDecoderDestroyInstance)> state(
      BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), &BrotliDecoderDestroyInstance);
  if (state == nullptr) ThrowOutOfMemory("brotli: cannot allocate a decoder");
  size_t in_left = src_size;
  const uint8_t* in = src_size == 0 ? empty_buffer : src;
  size_t out_left = dst_size;
  uint8_t* out = dst_size == 0 ? empty_buffer : dst;
  BrotliDecoderResult result =
      BrotliDecoderDecompressStream(state.get(), &in_left, &in, &out_left, &out, nullptr);
  if (result == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
    // dst is full; the stream may still hold only its end marker, so offer one scratch byte.
    uint8_t scratch = 0;
    uint8_t* scratch_out = &scratch;
    size_t scratch_left = 1;
    result = BrotliDecoderDecompressStream(state.get(), &in_left, &in, &scratch_left, &scratch_out,
                                           nullptr);
    if (scratch_left == 0) ThrowTooLarge(Codec::kBrotli, dst_size);
  }
  if (result == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT)
    ThrowCorrupt(Codec::kBrotli, "truncated stream");
  if (result != BROTLI_DECODER_RESULT_SUCCESS) {
    ThrowCorrupt(Codec::kBrotli, BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state.get())));
  }
  if (out_left != 0) ThrowWrongSize(Codec::kBrotli, dst_size - out_left, dst_size);
}

void CompressBrotli(const uint8_t* src, size_t size, std::string* out, int level) {
  if (level == 0) level = kBrotliDefaultQuality;
  if (level < BROTLI_MIN_QUALITY || level > BROTLI_MAX_QUALITY) {
    ThrowInvalid("brotli: compression level {} is out of range (1 to {})", level,
                 BROTLI_MAX_QUALITY);
  }
  const size_t bound = BrotliEncoderMaxCompressedSize(size);
  if (bound == 0) ThrowUnsupported("brotli: cannot compress a page of {} bytes", size);
  uint8_t* dst = PrepareOutput(out, bound);
  size_t written = bound;
  if (!BrotliEncoderCompress(level, kBrotliWindowBits, BROTLI_MODE_GENERIC, size,
                             size == 0 ? empty_buffer : src, &written, dst)) {
    ThrowInternal("brotli: compression failed");
  }
  out->resize(written);
}

// ---------------------------------------------------------------------------------------------
// lz4: raw blocks (LZ4_RAW) and Hadoop-framed blocks (the deprecated LZ4).

void CheckLz4Size(Codec codec, size_t size) {
  if (size > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
    ThrowUnsupported("{}: a page of {} bytes exceeds the LZ4 block limit of {} bytes",
                     CodecName(codec), size, LZ4_MAX_INPUT_SIZE);
  }
}

/// Decodes one raw LZ4 block; returns the number of bytes written or a negative value on error.
int DecodeLz4Block(const uint8_t* src, size_t src_size, uint8_t* dst, size_t capacity) {
  return LZ4_decompress_safe(reinterpret_cast<const char*>(src),
                             reinterpret_cast<char*>(capacity == 0 ? empty_buffer : dst),
                             static_cast<int>(src_size), static_cast<int>(capacity));
}

void DecompressLz4Raw(const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size) {
  CheckLz4Size(Codec::kLz4Raw, src_size);
  CheckLz4Size(Codec::kLz4Raw, dst_size);
  const int result = DecodeLz4Block(src, src_size, dst, dst_size);
  if (result < 0)
    ThrowCorrupt(Codec::kLz4Raw, "invalid or truncated block, or larger than declared");
  if (static_cast<size_t>(result) != dst_size) {
    ThrowWrongSize(Codec::kLz4Raw, static_cast<size_t>(result), dst_size);
  }
}

/// Decodes Hadoop's framing: blocks of [big-endian uncompressed size] followed by one or more
/// [big-endian compressed size][raw LZ4 chunk] until the block is complete. Arrow and parquet-mr
/// write one chunk per block; Hadoop splits a single large write into several. Returns false
/// when the data does not fit this framing exactly, so the caller can try a raw block instead.
bool TryDecompressHadoopLz4(const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size) {
  const uint8_t* in = src;
  size_t in_left = src_size;
  uint8_t* out = dst;
  size_t out_left = dst_size;
  while (in_left > 0) {
    if (in_left < kHadoopLz4PrefixSize) return false;
    const size_t block_size = LoadBigEndian32(in);
    in += kHadoopLz4PrefixSize;
    in_left -= kHadoopLz4PrefixSize;
    if (block_size > out_left) return false;
    if (block_size == 0 && in_left == 0) break;
    size_t block_left = block_size;
    do {  // Every block holds at least one chunk (Arrow writes one even for an empty page).
      if (in_left < kHadoopLz4PrefixSize) return false;
      const size_t chunk_size = LoadBigEndian32(in);
      in += kHadoopLz4PrefixSize;
      in_left -= kHadoopLz4PrefixSize;
      if (chunk_size > in_left || chunk_size > static_cast<size_t>(LZ4_MAX_INPUT_SIZE))
        return false;
      const int produced = DecodeLz4Block(in, chunk_size, out, block_left);
      if (produced < 0) return false;
      in += chunk_size;
      in_left -= chunk_size;
      out += produced;
      out_left -= static_cast<size_t>(produced);
      block_left -= static_cast<size_t>(produced);
    } while (block_left > 0);
  }
  return out_left == 0;
}

void DecompressHadoopLz4(const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size) {
  CheckLz4Size(Codec::kLz4, dst_size);
  if (TryDecompressHadoopLz4(src, src_size, dst, dst_size)) return;
  // Old parquet-cpp wrote codec LZ4 as a bare raw block; parquet-cpp still falls back to it.
  if (src_size <= static_cast<size_t>(LZ4_MAX_INPUT_SIZE) &&
      DecodeLz4Block(src, src_size, dst, dst_size) == static_cast<int>(dst_size)) {
    return;
  }
  ThrowCorrupt(Codec::kLz4,
               fmt::format("neither Hadoop-framed LZ4 nor a raw LZ4 block of {} bytes", dst_size));
}

/// Compresses one raw block into dst (capacity LZ4_compressBound(size)); returns its length.
size_t EncodeLz4Block(Codec codec, const uint8_t* src, size_t size, uint8_t* dst, int capacity,
                      int level) {
  const char* in = reinterpret_cast<const char*>(size == 0 ? empty_buffer : src);
  char* out = reinterpret_cast<char*>(dst);
  const int written = level <= 1
                          ? LZ4_compress_default(in, out, static_cast<int>(size), capacity)
                          : LZ4_compress_HC(in, out, static_cast<int>(size), capacity, level);
  if (written <= 0) ThrowInternal("{}: compression failed", CodecName(codec));
  return static_cast<size_t>(written);
}

void CheckLz4Level(Codec codec, int level) {
  if (level < 0 || level > LZ4HC_CLEVEL_MAX) {
    ThrowInvalid("{}: compression level {} is out of range (1 to {})", CodecName(codec), level,
                 LZ4HC_CLEVEL_MAX);
  }
}

void CompressLz4Raw(const uint8_t* src, size_t size, std::string* out, int level) {
  CheckLz4Level(Codec::kLz4Raw, level);
  CheckLz4Size(Codec::kLz4Raw, size);
  const int bound = LZ4_compressBound(static_cast<int>(size));
  uint8_t* dst = PrepareOutput(out, static_cast<size_t>(bound));
  out->resize(EncodeLz4Block(Codec::kLz4Raw, src, size, dst, bound, level));
}

void CompressHadoopLz4(const uint8_t* src, size_t size, std::string* out, int level) {
  CheckLz4Level(Codec::kLz4, level);
  CheckLz4Size(Codec::kLz4, size);
  const size_t block_count =
      std::max<size_t>(1, (size + kHadoopLz4BlockSize - 1) / kHadoopLz4BlockSize);
  const int block_bound = LZ4_compressBound(static_cast<int>(kHadoopLz4BlockSize));
  uint8_t* dst = PrepareOutput(
      out, block_count * (2 * kHadoopLz4PrefixSize + static_cast<size_t>(block_bound)));
  size_t written = 0;
  size_t offset = 0;
  do {  // An empty page still gets one (empty) block, as Arrow writes it.
    const size_t block_size = std::min(size - offset, kHadoopLz4BlockSize);
    uint8_t* header = dst + written;
    const size_t chunk_size = EncodeLz4Block(Codec::kLz4, src + offset, block_size,
                                             header + 2 * kHadoopLz4PrefixSize, block_bound, level);
    StoreBigEndian32(static_cast<uint32_t>(block_size), header);
    StoreBigEndian32(static_cast<uint32_t>(chunk_size), header + kHadoopLz4PrefixSize);
    written += 2 * kHadoopLz4PrefixSize + chunk_size;
    offset += block_size;
  } while (offset < size);
  out->resize(written);
}

std::string LowerCase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace

const char* CodecName(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return "uncompressed";
    case Codec::kSnappy: return "snappy";
    case Codec::kGzip: return "gzip";
    case Codec::kLzo: return "lzo";
    case Codec::kBrotli: return "brotli";
    case Codec::kLz4: return "lz4";
    case Codec::kZstd: return "zstd";
    case Codec::kLz4Raw: return "lz4_raw";
  }
  return "unknown";
}

Codec CodecFromParquetId(int32_t id) {
  if (id < 0 || id > static_cast<int32_t>(Codec::kLz4Raw)) {
    ThrowUnsupported("unknown compression codec id {}", id);
  }
  return static_cast<Codec>(id);
}

Codec ParseCodec(std::string_view name) {
  const std::string lower = LowerCase(name);
  if (lower == "zstd") return Codec::kZstd;
  if (lower == "snappy") return Codec::kSnappy;
  if (lower == "gzip") return Codec::kGzip;
  if (lower == "lz4" || lower == "lz4_raw") return Codec::kLz4Raw;
  if (lower == "brotli") return Codec::kBrotli;
  if (lower == "none" || lower == "uncompressed") return Codec::kUncompressed;
  ThrowInvalid("unknown compression '{}' (valid: zstd, snappy, gzip, lz4, lz4_raw, brotli, none)",
               name);
}

void Decompress(Codec codec, const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size) {
  // Some writers store an empty page as zero bytes whatever the codec; there is nothing to check.
  if (src_size == 0 && dst_size == 0 && codec != Codec::kLzo) return;
  if (src_size == 0) src = empty_buffer;
  if (dst_size == 0) dst = empty_buffer;
  switch (codec) {
    case Codec::kUncompressed:
      if (src_size != dst_size) ThrowWrongSize(codec, src_size, dst_size);
      std::memcpy(dst, src, dst_size);
      return;
    case Codec::kSnappy: return DecompressSnappy(src, src_size, dst, dst_size);
    case Codec::kGzip: return DecompressGzip(src, src_size, dst, dst_size);
    case Codec::kLzo:
      ThrowUnsupported("lzo: LZO-compressed pages are not supported (rewrite with zstd or snappy)");
    case Codec::kBrotli: return DecompressBrotli(src, src_size, dst, dst_size);
    case Codec::kLz4: return DecompressHadoopLz4(src, src_size, dst, dst_size);
    case Codec::kZstd: return DecompressZstd(src, src_size, dst, dst_size);
    case Codec::kLz4Raw: return DecompressLz4Raw(src, src_size, dst, dst_size);
  }
  ThrowUnsupported("unknown compression codec id {}", static_cast<int>(codec));
}

void Compress(Codec codec, const uint8_t* src, size_t size, std::string* out, int level) {
  if (size == 0) src = empty_buffer;
  switch (codec) {
    case Codec::kUncompressed: out->assign(reinterpret_cast<const char*>(src), size); return;
    case Codec::kSnappy: return CompressSnappy(src, size, out);
    case Codec::kGzip: return CompressGzip(src, size, out, level);
    case Codec::kLzo: ThrowUnsupported("lzo: the LZO codec is not supported for writing");
    case Codec::kBrotli: return CompressBrotli(src, size, out, level);
    case Codec::kLz4: return CompressHadoopLz4(src, size, out, level);
    case Codec::kZstd: return CompressZstd(src, size, out, level);
    case Codec::kLz4Raw: return CompressLz4Raw(src, size, out, level);
  }
  ThrowUnsupported("unknown compression codec id {}", static_cast<int>(codec));
}

}  // namespace sluice::io
