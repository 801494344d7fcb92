// Plain, gzip and zstd byte sources over io::RandomAccessFile.
#include "io/csv/byte_source.h"

#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "io/fs/file.h"

namespace sluice::io::csv {

CsvCompression CompressionFromPath(std::string_view path) {
  auto ends_with = [&](std::string_view suffix) {
    if (path.size() < suffix.size()) return false;
    std::string_view tail = path.substr(path.size() - suffix.size());
    for (size_t i = 0; i < suffix.size(); ++i) {
      char c = tail[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != suffix[i]) return false;
    }
    return true;
  };
  if (ends_with(".gz")) return CsvCompression::kGzip;
  if (ends_with(".zst")) return CsvCompression::kZstd;
  return CsvCompression::kNone;
}

namespace {

/// Compressed input is read in pieces of this size.
constexpr size_t kInputBytes = size_t{1} << 20;

class PlainSource final : public ByteSource {
 public:
  explicit PlainSource(RandomAccessFile file) : file_(std::move(file)) {}

  size_t Read(uint8_t* dst, size_t size) override {
    size_t count = static_cast<size_t>(std::min<uint64_t>(size, file_.size() - offset_));
    if (count > 0) file_.ReadAt(offset_, count, dst);
    offset_ += count;
    return count;
  }
  std::optional<uint64_t> Remaining() const override { return file_.size() - offset_; }

 private:
  RandomAccessFile file_;
  uint64_t offset_ = 0;
};

/// Reads the compressed file piece by piece for the decompressors below.
class CompressedInput {
 public:
  explicit CompressedInput(RandomAccessFile file) : file_(std::move(file)), buffer_(kInputBytes) {}

  /// Refills when everything was consumed; false at the end of the file.
  bool Refill() {
    if (position_ < size_) return true;
    size_t count = static_cast<size_t>(std::min<uint64_t>(kInputBytes, file_.size() - offset_));
    if (count == 0) return false;
    file_.ReadAt(offset_, count, buffer_.data());
    offset_ += count;
    position_ = 0;
    size_ = count;
    return true;
  }
  bool AtEnd() { return position_ == size_ && offset_ == file_.size(); }
  const std::string& path() const { return file_.path(); }
  uint8_t* data() { return buffer_.data() + position_; }
  size_t available() const { return size_ - position_; }
  void Consume(size_t count) { position_ += count; }

 private:
  RandomAccessFile file_;
  std::vector<uint8_t> buffer_;
  uint64_t offset_ = 0;
  size_t position_ = 0;
  size_t size_ = 0;
};

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(RandomAccessFile file) : input_(std::move(file)) {
    // 15 + 32: a window of 32 KiB, and either a gzip or a zlib header, detected.
    if (inflateInit2(&stream_, 15 + 32) != Z_OK) ThrowOutOfMemory("zlib: cannot start inflate");
  }
  ~GzipSource() override { inflateEnd(&stream_); }

  size_t Read(uint8_t* dst, size_t size) override {
    size_t produced = 0;
    while (produced < size && !done_) {
      // Without input left, inflate is still called: it may hold output it could not write.
      bool have_input = input_.Refill();
      stream_.next_in = have_input ? input_.data() : nullptr;
      stream_.avail_in = have_input ? static_cast<uInt>(input_.available()) : 0;
      stream_.next_out = dst + produced;
      stream_.avail_out = static_cast<uInt>(std::min<size_t>(size - produced, 1u << 30));
      uInt before_in = stream_.avail_in;
      uInt before_out = stream_.avail_out;
      int status = inflate(&stream_, Z_NO_FLUSH);
      input_.Consume(before_in - stream_.avail_in);
      produced += before_out - stream_.avail_out;
      bool progress = before_in != stream_.avail_in || before_out != stream_.avail_out;
      if (progress) in_member_ = true;
      if (status == Z_STREAM_END) {
        // Several gzip members in a row (as `cat a.gz b.gz` makes) are one stream.
        in_member_ = false;
        if (input_.AtEnd()) {
          done_ = true;
        } else if (inflateReset(&stream_) != Z_OK) {
          ThrowInvalid("'{}': corrupt gzip data", input_.path());
        }
      } else if (status != Z_OK && status != Z_BUF_ERROR) {
        ThrowInvalid("'{}': corrupt gzip data ({})", input_.path(),
                     stream_.msg != nullptr ? stream_.msg : zError(status));
      } else if (!have_input && !progress) {
        if (in_member_) ThrowInvalid("'{}': truncated gzip data", input_.path());
        done_ = true;
      }
    }
    return produced;
  }

 private:
  CompressedInput input_;
  z_stream stream_{};
  bool in_member_ = false;  ///< Inside a member whose end has not been seen.
  bool done_ = false;
};

class ZstdSource final : public ByteSource {
 public:
  explicit ZstdSource(RandomAccessFile file)
      : input_(std::move(file)), context_(ZSTD_createDCtx()) {
    if (context_ == nullptr) ThrowOutOfMemory("zstd: cannot create a decompression context");
    // Bounds the window a frame may ask for (zstd's default limit, 128 MiB), against bombs.
    ZSTD_DCtx_setParameter(context_, ZSTD_d_windowLogMax, 27);
  }
  ~ZstdSource() override { ZSTD_freeDCtx(context_); }

  size_t Read(uint8_t* dst, size_t size) override {
    ZSTD_outBuffer out{dst, size, 0};
    while (out.pos < out.size && !done_) {
      // Without input left, zstd is still called: it may hold output it could not write.
      bool have_input = input_.Refill();
      ZSTD_inBuffer in{have_input ? input_.data() : nullptr, have_input ? input_.available() : 0,
                       0};
      size_t before = out.pos;
      size_t status = ZSTD_decompressStream(context_, &out, &in);
      input_.Consume(in.pos);
      if (ZSTD_isError(status)) {
        if (ZSTD_getErrorCode(status) == ZSTD_error_frameParameter_windowTooLarge) {
          ThrowUnsupported("'{}': the zstd data needs a window above 128 MiB (made with --long?)",
                           input_.path());
        }
        ThrowInvalid("'{}': corrupt zstd data ({})", input_.path(), ZSTD_getErrorName(status));
      }
      bool progress = in.pos > 0 || out.pos > before;
      // 0 means a frame was completely decoded and flushed; anything else, that it was not.
      if (progress) frame_open_ = status != 0;
      if (!have_input && !progress) {
        if (frame_open_) ThrowInvalid("'{}': truncated zstd data", input_.path());
        done_ = true;
      }
    }
    return out.pos;
  }

 private:
  CompressedInput input_;
  ZSTD_DCtx* context_;
  bool frame_open_ = false;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> OpenByteSource(const std::string& path) {
  RandomAccessFile file = RandomAccessFile::Open(path);
  switch (CompressionFromPath(path)) {
    case CsvCompression::kGzip: return std::make_unique<GzipSource>(std::move(file));
    case CsvCompression::kZstd: return std::make_unique<ZstdSource>(std::move(file));
    case CsvCompression::kNone: break;
  }
  return std::make_unique<PlainSource>(std::move(file));
}

}  // namespace sluice::io::csv
