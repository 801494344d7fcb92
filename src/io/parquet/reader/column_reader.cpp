// Page decoding and physical-to-logical conversion for one column chunk.
#include "io/parquet/reader/column_reader.h"

#include <bit>
#include <cstring>

#include "core/column_builder.h"
#include "core/decimal.h"
#include "core/error.h"
#include "core/take.h"
#include "io/parquet/format/byte_stream_split.h"
#include "io/parquet/format/delta.h"
#include "io/parquet/format/plain.h"
#include "io/parquet/format/rle.h"

namespace sluice::io::parquet {

namespace {

/// ReadSelected emits run by run while the runs of selected rows average at least this many
/// rows of those read (a run costs a skip and an emit)...
constexpr int64_t kRowsPerRun = 32;
/// ...and otherwise gathers the selected rows page by page while they are fewer than one in
/// this many of those read.
constexpr int64_t kDenseShare = 4;

int PhysicalWidth(const LeafColumn& leaf) {
  switch (leaf.physical) {
    case Type::kBoolean: return 1;
    case Type::kInt32:
    case Type::kFloat: return 4;
    case Type::kInt64:
    case Type::kDouble: return 8;
    case Type::kInt96: return 12;
    case Type::kFixedLenByteArray: return leaf.type_length;
    case Type::kByteArray: return 0;
  }
  return 0;
}

template <typename From, typename To>
void Widen(const uint8_t* src, int64_t count, uint8_t* dst) {
  for (int64_t i = 0; i < count; ++i) {
    From value;
    std::memcpy(&value, src + i * int64_t{sizeof(From)}, sizeof(From));
    To converted = static_cast<To>(value);
    std::memcpy(dst + i * int64_t{sizeof(To)}, &converted, sizeof(To));
  }
}

// Copies values of a compile-time width, so each copy is a register move rather than a call.
template <int kWidth>
struct Fixed {
  uint8_t bytes[kWidth];
};

// dst[i] = dictionary[index[j++]] for valid rows, zero for null rows.
template <int kWidth>
void GatherRows(const uint8_t* dictionary, const uint32_t* index, const uint8_t* levels,
                bool all_valid, int64_t count, uint8_t* dst) {
  auto* out = reinterpret_cast<Fixed<kWidth>*>(dst);
  const auto* values = reinterpret_cast<const Fixed<kWidth>*>(dictionary);
  if (all_valid) {
    for (int64_t i = 0; i < count; ++i) std::memcpy(&out[i], &values[index[i]], kWidth);
    return;
  }
  for (int64_t i = 0; i < count; ++i) {
    if (levels[i]) {
      std::memcpy(&out[i], &values[*index++], kWidth);
    } else {
      std::memset(&out[i], 0, kWidth);
    }
  }
}

// Spreads dense values over the rows whose level says valid; null rows get zero.
template <int kWidth>
void ScatterRows(const uint8_t* dense, const uint8_t* levels, int64_t count, uint8_t* dst) {
  for (int64_t i = 0; i < count; ++i) {
    if (levels[i]) {
      std::memcpy(dst + i * kWidth, dense, kWidth);
      dense += kWidth;
    } else {
      std::memset(dst + i * kWidth, 0, kWidth);
    }
  }
}

/// Dictionary gather over one page slice, by value width.
struct Gather {
  const uint8_t* dictionary;
  const uint32_t* index;
  const uint8_t* levels;
  bool all_valid;
  int64_t count;
  uint8_t* dst;
  template <int kWidth>
  void operator()() const {
    GatherRows<kWidth>(dictionary, index, levels, all_valid, count, dst);
  }
  void Generic(int width) const {
    const uint32_t* next = index;
    for (int64_t i = 0; i < count; ++i) {
      if (all_valid || levels[i]) {
        std::memcpy(dst + i * width, dictionary + int64_t{*next++} * width,
                    static_cast<size_t>(width));
      } else {
        std::memset(dst + i * width, 0, static_cast<size_t>(width));
      }
    }
  }
};

/// Dense-to-rows scatter over one page slice, by value width.
struct Scatter {
  const uint8_t* dense;
  const uint8_t* levels;
  int64_t count;
  uint8_t* dst;
  template <int kWidth>
  void operator()() const {
    ScatterRows<kWidth>(dense, levels, count, dst);
  }
  void Generic(int width) const {
    const uint8_t* src = dense;
    for (int64_t i = 0; i < count; ++i) {
      if (levels[i]) {
        std::memcpy(dst + i * width, src, static_cast<size_t>(width));
        src += width;
      } else {
        std::memset(dst + i * width, 0, static_cast<size_t>(width));
      }
    }
  }
};

// Calls body.template operator()<W>() for the common widths, or body(width) otherwise.
template <typename Body>
void DispatchWidth(int width, Body&& body) {
  switch (width) {
    case 1: return body.template operator()<1>();
    case 2: return body.template operator()<2>();
    case 4: return body.template operator()<4>();
    case 8: return body.template operator()<8>();
    case 12: return body.template operator()<12>();
    case 16: return body.template operator()<16>();
    default: return body.Generic(width);
  }
}

}  // namespace

int64_t Int96ToNanos(const uint8_t* bytes) {
  constexpr int64_t kJulianEpochDay = 2440588;
  constexpr uint64_t kNanosPerDay = 86400ull * 1000000000ull;
  uint64_t nanos_of_day;
  int32_t julian_day;
  std::memcpy(&nanos_of_day, bytes, 8);
  std::memcpy(&julian_day, bytes + 8, 4);
  // Unsigned arithmetic: a corrupt value wraps instead of being undefined behaviour.
  uint64_t days = static_cast<uint64_t>(static_cast<int64_t>(julian_day) - kJulianEpochDay);
  return static_cast<int64_t>(days * kNanosPerDay + nanos_of_day);
}

float HalfToFloat(uint16_t half) {
  uint32_t sign = static_cast<uint32_t>(half & 0x8000) << 16;
  uint32_t exponent = (half >> 10) & 0x1f;
  uint32_t mantissa = half & 0x3ff;
  uint32_t bits;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else {  // Subnormal: normalize.
      int shift = std::countl_zero(mantissa) - 21;
      mantissa = (mantissa << shift) & 0x3ff;
      bits = sign | static_cast<uint32_t>(127 - 15 - shift + 1) << 23 | mantissa << 13;
    }
  } else if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | mantissa << 13;
  } else {
    bits = sign | (exponent + 127 - 15) << 23 | mantissa << 13;
  }
  return std::bit_cast<float>(bits);
}

/// Decoders whose values point into storage they own (DELTA_BYTE_ARRAY rebuilds each value).
struct ColumnChunkReader::PageState {
  std::unique_ptr<DeltaByteArrayDecoder> delta_byte_array;
};

ColumnChunkReader::ColumnChunkReader(const RandomAccessFile& file, const ColumnChunk& chunk,
                                     const LeafColumn& leaf, uint64_t limit, std::string context,
                                     MemoryPool* pool)
    : pages_(file, *chunk.meta_data, leaf.max_definition_level, limit, std::move(context), pool),
      leaf_(leaf),
      pool_(pool),
      physical_width_(PhysicalWidth(leaf)),
      output_width_(leaf.type.FixedWidth()),
      page_state_(std::make_unique<PageState>()) {
  // The schema mapping pairs types with physical types; a corrupt footer must not get past it.
  SLUICE_CHECK(!leaf.type.IsVariableWidth() || leaf.physical == Type::kByteArray);
  if (chunk.meta_data->type != leaf.physical) {
    ThrowInvalid("{}: the column chunk says {} but the schema says {}", pages_.context(),
                 EnumName(chunk.meta_data->type), EnumName(leaf.physical));
  }
}

ColumnChunkReader::~ColumnChunkReader() = default;

void ColumnChunkReader::ConvertFixed(int64_t from, int64_t count, uint8_t* dst) const {
  if (count == 0) return;  // Buffers may be empty (null) then.
  const uint8_t* src = dense_.data() + from * physical_width_;
  const DataType& type = leaf_.type;
  switch (leaf_.physical) {
    case Type::kInt32:
      switch (type.id) {
        case TypeId::kInt8: return Widen<int32_t, int8_t>(src, count, dst);
        case TypeId::kUInt8: return Widen<int32_t, uint8_t>(src, count, dst);
        case TypeId::kInt16: return Widen<int32_t, int16_t>(src, count, dst);
        case TypeId::kUInt16: return Widen<int32_t, uint16_t>(src, count, dst);
        case TypeId::kTime64: return Widen<int32_t, int64_t>(src, count, dst);
        case TypeId::kDecimal: return Widen<int32_t, int128_t>(src, count, dst);
        default: break;
      }
      break;
    case Type::kInt64:
      if (type.id == TypeId::kDecimal) return Widen<int64_t, int128_t>(src, count, dst);
      break;
    case Type::kInt96:
      for (int64_t i = 0; i < count; ++i) {
        int64_t nanos = Int96ToNanos(src + i * 12);
        std::memcpy(dst + i * 8, &nanos, 8);
      }
      return;
    case Type::kFixedLenByteArray:
      if (type.id == TypeId::kDecimal) {
        for (int64_t i = 0; i < count; ++i) {
          int128_t value = DecimalFromBigEndian(src + i * physical_width_, physical_width_);
          std::memcpy(dst + i * 16, &value, 16);
        }
        return;
      }
      if (type.id == TypeId::kFloat32) {  // FLOAT16
        for (int64_t i = 0; i < count; ++i) {
          uint16_t half;
          std::memcpy(&half, src + i * 2, 2);
          float value = HalfToFloat(half);
          std::memcpy(dst + i * 4, &value, 4);
        }
        return;
      }
      break;
    default: break;
  }
  // Same width and representation: INT32 -> int32/uint32/date32, INT64 -> int64/uint64/
  // timestamp/time64, FLOAT, DOUBLE, FIXED_LEN_BYTE_ARRAY -> uuid/fixed_size_binary.
  SLUICE_CHECK(physical_width_ == output_width_);
  std::memcpy(dst, src, static_cast<size_t>(count * physical_width_));
}

void ColumnChunkReader::CheckValuesFit(int64_t count, size_t size, const char* what) const {
  // PLAIN needs at least this much per value: its width, 4 length bytes, or one bit for bools.
  uint64_t needed = leaf_.physical == Type::kBoolean ? (static_cast<uint64_t>(count) + 7) / 8
                    : leaf_.physical == Type::kByteArray
                        ? static_cast<uint64_t>(count) * 4
                        : static_cast<uint64_t>(count) * static_cast<uint64_t>(physical_width_);
  if (count < 0 || needed > size) {
    ThrowInvalid("{}: {} declares {} values but holds only {} bytes", pages_.context(), what, count,
                 size);
  }
}

void ColumnChunkReader::LoadDictionary(const Page& page) {
  if (has_dictionary_)
    ThrowInvalid("{}: a second dictionary page in one column chunk", pages_.context());
  if (page.encoding != Encoding::kPlain && page.encoding != Encoding::kPlainDictionary) {
    ThrowUnsupported("{}: dictionary page encoded as {}", pages_.context(),
                     EnumName(page.encoding));
  }
  int64_t count = page.num_values;
  CheckValuesFit(count, page.values_size, "dictionary page");
  // Decode like a PLAIN data page without nulls, then convert once to the logical type.
  Page plain = page;
  plain.encoding = Encoding::kPlain;
  plain.definition_levels = nullptr;
  plain.definition_levels_size = 0;
  int16_t max_level = leaf_.max_definition_level;
  leaf_.max_definition_level = 0;
  Column dictionary = MakeEmptyColumn(leaf_.type, pool_);
  if (leaf_.type.IsVariableWidth()) {
    dictionary.values->Resize((count + 1) * 8);
    dictionary.values->as<int64_t>()[0] = 0;
  } else if (leaf_.type.id == TypeId::kBool) {
    dictionary.values = Buffer::MakeZeroed(bits::BytesFor(count), pool_);
  } else {
    dictionary.values->Resize(count * output_width_);
  }
  try {
    DecodeDataPage(plain);
    Emit(dictionary, 0, count);
  } catch (...) {
    leaf_.max_definition_level = max_level;
    throw;
  }
  leaf_.max_definition_level = max_level;
  dictionary.length = count;
  dictionary_ = std::move(dictionary);
  has_dictionary_ = true;
  if (test_) {
    dictionary_passes_ = Tested(dictionary_);
    ColumnBuilder nulls(leaf_.type, pool_);
    nulls.AppendNull();
    null_passes_ = Tested(nulls.Finish()).BoolAt(0);
  }
  page_rows_ = 0;
  page_row_ = 0;
}

void ColumnChunkReader::DecodeDataPage(const Page& page) {
  const std::string& context = pages_.context();
  int64_t n = page.num_values;
  definition_levels_.resize(static_cast<size_t>(n));
  int64_t non_null = n;
  if (leaf_.max_definition_level > 0) {
    RleBitPackedDecoder levels(page.definition_levels, page.definition_levels_size, 1);
    if (levels.GetBatch(definition_levels_.data(), n) != n) {
      ThrowInvalid("{}: page has fewer definition levels than its {} values", context, n);
    }
    non_null = 0;
    for (uint8_t level : definition_levels_) non_null += level;  // Levels are 0 or 1 (1-bit).
  }
  page_rows_ = n;
  page_row_ = 0;
  dense_index_ = 0;
  dictionary_encoded_ = false;
  const uint8_t* data = page.values;
  size_t size = page.values_size;
  Type physical = leaf_.physical;
  auto need_fixed = [&]() { dense_.Resize(static_cast<size_t>(non_null * physical_width_)); };
  if (page.encoding == Encoding::kPlain || page.encoding == Encoding::kByteStreamSplit) {
    CheckValuesFit(non_null, size, "page");
  }

  switch (page.encoding) {
    case Encoding::kPlain: {
      int64_t got;
      if (physical == Type::kByteArray) {
        views_.resize(static_cast<size_t>(non_null));
        got = PlainByteArrayDecoder(data, size).Decode(views_.data(), non_null);
      } else if (physical == Type::kBoolean) {
        need_fixed();
        got = PlainBoolDecoder(data, size).Decode(dense_.data(), non_null);
      } else {
        need_fixed();
        got = PlainFixedDecoder(data, size, physical_width_).Decode(dense_.data(), non_null);
      }
      if (got != non_null)
        ThrowInvalid("{}: PLAIN page holds {} of its {} values", context, got, non_null);
      return;
    }
    case Encoding::kRle: {
      if (physical != Type::kBoolean) break;
      need_fixed();
      size_t consumed = 0;
      auto decoder = RleBitPackedDecoder::WithLengthPrefix(data, size, 1, &consumed);
      if (decoder.GetBatch(dense_.data(), non_null) != non_null) {
        ThrowInvalid("{}: RLE boolean page holds fewer than its {} values", context, non_null);
      }
      return;
    }
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary: {
      if (!has_dictionary_)
        ThrowInvalid("{}: dictionary-encoded page without a dictionary page", context);
      dictionary_encoded_ = true;
      indices_.resize(static_cast<size_t>(non_null));
      if (non_null == 0) return;
      DictionaryIndexDecoder decoder(data, size, dictionary_.length);
      if (decoder.GetBatch(indices_.data(), non_null) != non_null) {
        ThrowInvalid("{}: dictionary page holds fewer indices than its {} values", context,
                     non_null);
      }
      return;
    }
    case Encoding::kDeltaBinaryPacked: {
      need_fixed();
      int64_t got = 0;
      if (physical == Type::kInt32) {
        DeltaBinaryPackedDecoder<int32_t> decoder(data, size);
        got = decoder.Decode(reinterpret_cast<int32_t*>(dense_.data()), non_null);
      } else if (physical == Type::kInt64) {
        DeltaBinaryPackedDecoder<int64_t> decoder(data, size);
        got = decoder.Decode(reinterpret_cast<int64_t*>(dense_.data()), non_null);
      } else {
        break;
      }
      if (got != non_null)
        ThrowInvalid("{}: DELTA_BINARY_PACKED page holds {} of its {} values", context, got,
                     non_null);
      return;
    }
    case Encoding::kDeltaLengthByteArray: {
      if (physical != Type::kByteArray) break;
      views_.resize(static_cast<size_t>(non_null));
      DeltaLengthByteArrayDecoder decoder(data, size);
      if (decoder.Decode(views_.data(), non_null) != non_null) {
        ThrowInvalid("{}: DELTA_LENGTH_BYTE_ARRAY page holds fewer than its {} values", context,
                     non_null);
      }
      return;
    }
    case Encoding::kDeltaByteArray: {
      if (physical != Type::kByteArray && physical != Type::kFixedLenByteArray) break;
      views_.resize(static_cast<size_t>(non_null));
      page_state_->delta_byte_array = std::make_unique<DeltaByteArrayDecoder>(data, size);
      if (page_state_->delta_byte_array->Decode(views_.data(), non_null) != non_null) {
        ThrowInvalid("{}: DELTA_BYTE_ARRAY page holds fewer than its {} values", context, non_null);
      }
      if (physical == Type::kFixedLenByteArray) {
        need_fixed();
        for (int64_t i = 0; i < non_null; ++i) {
          if (views_[i].size() != static_cast<size_t>(physical_width_)) {
            ThrowInvalid("{}: value {} has {} bytes in a FIXED_LEN_BYTE_ARRAY({}) column", context,
                         i, views_[i].size(), physical_width_);
          }
          std::memcpy(dense_.data() + i * physical_width_, views_[i].data(), views_[i].size());
        }
      }
      return;
    }
    case Encoding::kByteStreamSplit: {
      if (physical == Type::kByteArray || physical == Type::kBoolean || physical == Type::kInt96)
        break;
      need_fixed();
      if (size != static_cast<size_t>(non_null * physical_width_)) {
        ThrowInvalid("{}: BYTE_STREAM_SPLIT page has {} bytes for {} values of {} bytes", context,
                     size, non_null, physical_width_);
      }
      ByteStreamSplitDecoder decoder(data, size, physical_width_);
      decoder.Decode(dense_.data(), non_null);
      return;
    }
    default: break;
  }
  ThrowUnsupported("{}: encoding {} is not supported for {} columns", context,
                   EnumName(page.encoding), EnumName(physical));
}

bool ColumnChunkReader::LoadPage() {
  Page page;
  while (pages_.Next(&page)) {
    if (page.type == PageType::kDictionaryPage) {
      LoadDictionary(page);
      continue;
    }
    DecodeDataPage(page);
    return true;
  }
  return false;
}

void ColumnChunkReader::Emit(Column& out, int64_t at, int64_t count) {
  // Validity of rows [page_row_, page_row_ + count) -> bits [at, at + count).
  int64_t valid = count;
  const uint8_t* levels = definition_levels_.data() + page_row_;
  if (leaf_.max_definition_level > 0) {
    // Count first (a loop that vectorizes): columns declared nullable mostly hold no null, and
    // then the bits are set a byte at a time.
    valid = 0;
    int64_t i = 0;
    if (leaf_.max_definition_level == 1) {
      for (; i + 8 <= count; i += 8) {  // Levels of 0 or 1: 8 added with one multiply.
        uint64_t word;
        std::memcpy(&word, levels + i, 8);
        valid += static_cast<int64_t>((word * 0x0101010101010101ULL) >> 56);
      }
    }
    for (; i < count; ++i) valid += levels[i] != 0;
    uint8_t* bitmap = out.validity->data();
    if (valid == count) {
      bits::SetRange(bitmap, at, count);
    } else {
      for (int64_t k = 0; k < count; ++k) bits::SetTo(bitmap, at + k, levels[k] != 0);
    }
    out.null_count += count - valid;
  }
  bool all_valid = valid == count;
  auto is_valid = [&](int64_t i) { return all_valid || levels[i] != 0; };
  const DataType& type = leaf_.type;

  if (type.IsVariableWidth()) {
    // Size the bytes once, then copy each value without growth checks.
    auto value_at = [&](int64_t j) {
      return dictionary_encoded_ ? dictionary_.StringAt(indices_[j]) : views_[j];
    };
    int64_t bytes = 0;
    for (int64_t j = dense_index_; j < dense_index_ + valid; ++j) {
      bytes += static_cast<int64_t>(value_at(j).size());
    }
    int64_t end = out.data->size();
    out.data->Resize(end + bytes);
    char* data = reinterpret_cast<char*>(out.data->data());
    int64_t* offsets = out.values->as<int64_t>();
    int64_t j = dense_index_;
    for (int64_t i = 0; i < count; ++i) {
      if (is_valid(i)) {
        std::string_view value = value_at(j++);
        if (!value.empty())
          std::memcpy(data + end, value.data(), value.size());  // data may be null
        end += static_cast<int64_t>(value.size());
      }
      offsets[at + i + 1] = end;
    }
  } else if (type.id == TypeId::kBool) {
    uint8_t* bitmap = out.values->data();
    int64_t j = dense_index_;
    for (int64_t i = 0; i < count; ++i) {
      bool value = false;
      if (is_valid(i)) {
        value = dictionary_encoded_ ? dictionary_.BoolAt(indices_[j]) : dense_[j] != 0;
        ++j;
      }
      bits::SetTo(bitmap, at + i, value);
    }
  } else {
    int width = output_width_;
    uint8_t* dst = out.values->data() + at * width;
    if (dictionary_encoded_) {
      DispatchWidth(width, Gather{dictionary_.values->data(), indices_.data() + dense_index_,
                                  levels, all_valid, count, dst});
    } else if (leaf_.physical == Type::kByteArray) {  // decimal stored as BYTE_ARRAY
      int64_t j = dense_index_;
      for (int64_t i = 0; i < count; ++i) {
        int128_t value = 0;
        if (is_valid(i)) {
          std::string_view bytes = views_[j++];
          if (bytes.size() > 16) {
            ThrowInvalid("{}: decimal value of {} bytes does not fit in 128 bits", pages_.context(),
                         bytes.size());
          }
          value = DecimalFromBigEndian(reinterpret_cast<const uint8_t*>(bytes.data()),
                                       static_cast<int>(bytes.size()));
        }
        std::memcpy(dst + i * 16, &value, 16);
      }
    } else if (all_valid) {
      ConvertFixed(dense_index_, count, dst);
    } else {
      scratch_.resize(static_cast<size_t>(valid * width));
      ConvertFixed(dense_index_, valid, scratch_.data());
      DispatchWidth(width, Scatter{scratch_.data(), levels, count, dst});
    }
  }
  dense_index_ += valid;
  page_row_ += count;
}

void ColumnChunkReader::RethrowWithContext(const Error& error) const {
  // Decoders know nothing of files: name the file, row group and column unless already named.
  const std::string& context = pages_.context();
  if (std::string_view(error.what()).find(context) != std::string_view::npos) throw error;
  throw Error(error.kind(), fmt::format("{}: {}", context, error.what()));
}

int64_t ColumnChunkReader::Skip(int64_t rows) {
  int64_t skipped = 0;
  try {
    while (skipped < rows) {
      if (page_row_ < page_rows_) {
        // Inside a decoded page: step over its levels and values.
        int64_t count = std::min(rows - skipped, page_rows_ - page_row_);
        int64_t valid = count;
        if (leaf_.max_definition_level > 0) {
          valid = 0;
          for (int64_t i = 0; i < count; ++i) valid += definition_levels_[page_row_ + i];
        }
        dense_index_ += valid;
        page_row_ += count;
        skipped += count;
        continue;
      }
      // Flat columns have one value per row, so a page's value count is its row count.
      int64_t whole = pages_.TrySkipDataPage(rows - skipped);
      if (whole > 0) {
        skipped += whole;
        continue;
      }
      if (!LoadPage()) break;
    }
  } catch (const Error& error) {
    RethrowWithContext(error);
  }
  return skipped;
}

Column ColumnChunkReader::StartColumn(int64_t rows) const {
  Column out = MakeEmptyColumn(leaf_.type, pool_);
  const DataType& type = leaf_.type;
  if (type.IsVariableWidth()) {
    out.values->Resize((rows + 1) * 8);
    out.values->as<int64_t>()[0] = 0;
  } else if (type.id == TypeId::kBool) {
    out.values = Buffer::MakeZeroed(bits::BytesFor(rows), pool_);
  } else {
    out.values->Resize(rows * output_width_);
  }
  if (leaf_.max_definition_level > 0)
    out.validity = Buffer::MakeZeroed(bits::BytesFor(rows), pool_);
  return out;
}

void ColumnChunkReader::FinishColumn(Column& out, int64_t rows, int64_t produced) const {
  const DataType& type = leaf_.type;
  out.length = produced;
  if (produced < rows) {
    if (type.IsVariableWidth())
      out.values->Resize((produced + 1) * 8);
    else if (type.id != TypeId::kBool)
      out.values->Resize(produced * output_width_);
  }
  if (out.null_count == 0) out.validity.reset();
}

Column ColumnChunkReader::Read(int64_t rows) {
  if (test_) return ReadTested(rows);
  Column out = StartColumn(rows);
  int64_t produced = 0;
  try {
    while (produced < rows) {
      if (page_row_ >= page_rows_ && !LoadPage()) break;
      int64_t count = std::min(rows - produced, page_rows_ - page_row_);
      Emit(out, produced, count);
      produced += count;
    }
  } catch (const Error& error) {
    RethrowWithContext(error);
  }
  FinishColumn(out, rows, produced);
  return out;
}

void ColumnChunkReader::ThrowShort(int64_t rows, int64_t have) const {
  ThrowInvalid("{}: holds {} rows where the row group declares {}", pages_.context(), have, rows);
}

Column ColumnChunkReader::ReadSelected(int64_t rows, std::span<const int64_t> selected) {
  const auto count = static_cast<int64_t>(selected.size());
  int64_t runs = 0;
  for (int64_t i = 0; i < count; ++i) runs += i == 0 || selected[i] != selected[i - 1] + 1;
  // Long runs are emitted as they are and the rows between skipped; rows in short runs are
  // gathered page by page where they are few, and where they are many, every row is converted
  // and the selected ones taken (that costs less per row than one gather each).
  const bool long_runs = runs * kRowsPerRun <= rows;
  if (test_ || (!long_runs && count * kDenseShare > rows)) {
    Column all = Read(rows);
    if (all.length != rows) ThrowShort(rows, all.length);
    return Take(all, selected.data(), count, pool_);
  }
  Column out = StartColumn(count);
  int64_t row = 0;  // Rows of the `rows` passed so far.
  int64_t produced = 0;
  auto skip_to = [&](int64_t target) {
    const int64_t skipped = Skip(target - row);
    if (skipped != target - row) ThrowShort(rows, row + skipped);
    row = target;
  };
  std::vector<int64_t> in_page;
  try {
    for (int64_t i = 0; i < count;) {
      if (selected[i] < row || selected[count - 1] >= rows)
        ThrowInternal("rows selected out of order or beyond the {} read", rows);
      skip_to(selected[i]);
      if (page_row_ >= page_rows_ && !LoadPage()) ThrowShort(rows, row);
      if (long_runs) {  // Emitted run by run, across pages.
        int64_t end = i + 1;
        while (end < count && selected[end] == selected[end - 1] + 1) ++end;
        for (int64_t want = end - i; want > 0;) {
          if (page_row_ >= page_rows_ && !LoadPage()) ThrowShort(rows, row);
          const int64_t take = std::min(want, page_rows_ - page_row_);
          Emit(out, produced, take);
          produced += take;
          row += take;
          want -= take;
        }
        i = end;
        continue;
      }
      // Scattered rows: those in this page are gathered in one pass over it.
      const int64_t page_end = row + (page_rows_ - page_row_);
      in_page.clear();
      int64_t end = i;
      for (; end < count && selected[end] < page_end; ++end) in_page.push_back(selected[end] - row);
      const int64_t span = in_page.back() + 1;
      EmitSelected(out, produced, in_page, span);
      produced += end - i;
      row += span;
      i = end;
    }
    skip_to(rows);
  } catch (const Error& error) {
    RethrowWithContext(error);
  }
  FinishColumn(out, count, produced);
  return out;
}

void ColumnChunkReader::EmitSelected(Column& out, int64_t at, std::span<const int64_t> rows,
                                     int64_t span) {
  const auto count = static_cast<int64_t>(rows.size());
  const uint8_t* levels = definition_levels_.data() + page_row_;
  const bool nullable = leaf_.max_definition_level > 0;
  // The dense index of each selected row's value (-1: null), and the rows' validity bits.
  std::vector<int64_t>& dense = selected_dense_;
  dense.resize(static_cast<size_t>(count));
  int64_t valid_before = 0;  // Values in rows [0, scanned) of the span.
  int64_t scanned = 0;
  for (int64_t k = 0; k < count; ++k) {
    const int64_t r = rows[k];
    if (!nullable) {
      dense[k] = dense_index_ + r;
      continue;
    }
    for (; scanned < r; ++scanned) valid_before += levels[scanned] != 0;
    const bool valid = levels[r] != 0;
    dense[k] = valid ? dense_index_ + valid_before : -1;
    bits::SetTo(out.validity->data(), at + k, valid);
    out.null_count += !valid;
  }
  for (; nullable && scanned < span; ++scanned) valid_before += levels[scanned] != 0;

  const DataType& type = leaf_.type;
  if (type.IsVariableWidth()) {
    auto value_at = [&](int64_t j) {
      return dictionary_encoded_ ? dictionary_.StringAt(indices_[j]) : views_[j];
    };
    int64_t bytes = 0;
    for (int64_t j : dense)
      if (j >= 0) bytes += static_cast<int64_t>(value_at(j).size());
    int64_t end = out.data->size();
    out.data->Resize(end + bytes);
    char* data = reinterpret_cast<char*>(out.data->data());
    int64_t* offsets = out.values->as<int64_t>();
    for (int64_t k = 0; k < count; ++k) {
      if (dense[k] >= 0) {
        const std::string_view value = value_at(dense[k]);
        if (!value.empty()) std::memcpy(data + end, value.data(), value.size());
        end += static_cast<int64_t>(value.size());
      }
      offsets[at + k + 1] = end;
    }
  } else if (type.id == TypeId::kBool) {
    for (int64_t k = 0; k < count; ++k) {
      const int64_t j = dense[k];
      const bool value =
          j >= 0 && (dictionary_encoded_ ? dictionary_.BoolAt(indices_[j]) : dense_[j] != 0);
      bits::SetTo(out.values->data(), at + k, value);
    }
  } else {
    const int width = output_width_;
    uint8_t* dst = out.values->data() + at * width;
    for (int64_t k = 0; k < count; ++k, dst += width) {
      const int64_t j = dense[k];
      if (j < 0) {
        std::memset(dst, 0, static_cast<size_t>(width));
      } else if (dictionary_encoded_) {
        std::memcpy(dst, dictionary_.values->data() + int64_t{indices_[j]} * width,
                    static_cast<size_t>(width));
      } else if (leaf_.physical == Type::kByteArray) {  // decimal stored as BYTE_ARRAY
        const std::string_view bytes = views_[j];
        if (bytes.size() > 16) {
          ThrowInvalid("{}: decimal value of {} bytes does not fit in 128 bits", pages_.context(),
                       bytes.size());
        }
        const int128_t value = DecimalFromBigEndian(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                    static_cast<int>(bytes.size()));
        std::memcpy(dst, &value, 16);
      } else {
        ConvertFixed(j, 1, dst);
      }
    }
  }
  dense_index_ += nullable ? valid_before : span;
  page_row_ += span;
}

Column ColumnChunkReader::Tested(const Column& values) const {
  Column passes = PassesOf(test_(values), pool_);
  if (passes.length != values.length)
    ThrowInternal("a column test gave {} results for {} values", passes.length, values.length);
  return passes;
}

Column PassesOf(const Column& tested, MemoryPool* pool) {
  Column out = MakeEmptyColumn(Bool(), pool);
  out.values = Buffer::MakeZeroed(bits::BytesFor(tested.length), pool);
  for (int64_t i = 0; i < tested.length; ++i)
    if (tested.IsValid(i) && tested.BoolAt(i)) bits::Set(out.values->data(), i);
  out.length = tested.length;
  return out;
}

Column ColumnChunkReader::ReadTested(int64_t rows) {
  Column out = MakeEmptyColumn(Bool(), pool_);
  out.values = Buffer::MakeZeroed(bits::BytesFor(rows), pool_);
  uint8_t* bitmap = out.values->data();
  int64_t produced = 0;
  try {
    while (produced < rows) {
      if (page_row_ >= page_rows_ && !LoadPage()) break;
      const int64_t count = std::min(rows - produced, page_rows_ - page_row_);
      if (dictionary_encoded_) {
        const uint8_t* levels = definition_levels_.data() + page_row_;
        const bool nullable = leaf_.max_definition_level > 0;
        int64_t j = dense_index_;
        for (int64_t i = 0; i < count; ++i) {
          const bool valid = !nullable || levels[i] != 0;
          const bool pass = valid ? dictionary_passes_.BoolAt(indices_[j]) : null_passes_;
          j += valid;
          if (pass) bits::Set(bitmap, produced + i);
        }
        dense_index_ = j;
        page_row_ += count;
      } else {
        Column values = StartColumn(count);
        Emit(values, 0, count);
        FinishColumn(values, count, count);
        bits::Copy(Tested(values).values->data(), 0, bitmap, produced, count);
      }
      produced += count;
    }
  } catch (const Error& error) {
    RethrowWithContext(error);
  }
  out.length = produced;
  return out;
}

}  // namespace sluice::io::parquet
