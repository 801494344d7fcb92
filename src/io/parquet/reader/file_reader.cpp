// Footer validation, statistics decoding, page-index and bloom-filter access for one file.
#include "io/parquet/reader/file_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "io/parquet/format/bloom_filter.h"

namespace sluice::io::parquet {

namespace {
constexpr char kMagic[4] = {'P', 'A', 'R', '1'};
constexpr char kEncryptedMagic[4] = {'P', 'A', 'R', 'E'};
// Index structures are small; a length beyond this is a corrupt footer, not a big index.
constexpr int64_t kMaxIndexSize = 64 << 20;
}  // namespace

std::shared_ptr<ParquetFile> ParquetFile::Open(const std::string& path) {
  RandomAccessFile file = RandomAccessFile::Open(path);
  uint64_t size = file.size();
  if (size < 12) {
    ThrowInvalid("'{}' is not a Parquet file: it has {} bytes, fewer than the 12 of an empty one",
                 path, size);
  }
  uint8_t head[4], tail[8];
  file.ReadAt(0, 4, head);
  file.ReadAt(size - 8, 8, tail);
  if (std::memcmp(tail + 4, kEncryptedMagic, 4) == 0) {
    ThrowUnsupported("'{}' is an encrypted Parquet file, which sluice cannot read", path);
  }
  if (std::memcmp(head, kMagic, 4) != 0 || std::memcmp(tail + 4, kMagic, 4) != 0) {
    ThrowInvalid("'{}' is not a Parquet file: the magic number 'PAR1' is missing at its {}", path,
                 std::memcmp(head, kMagic, 4) != 0 ? "start" : "end");
  }
  uint32_t footer_size;
  std::memcpy(&footer_size, tail, 4);
  if (footer_size == 0 || footer_size > size - 12) {
    ThrowInvalid("'{}': corrupt Parquet footer: it declares {} bytes but the file has room for {}",
                 path, footer_size, size - 12);
  }
  uint64_t footer_at = size - 8 - footer_size;
  std::vector<uint8_t> footer(footer_size);
  file.ReadAt(footer_at, footer_size, footer.data());
  FileMetaData metadata;
  try {
    metadata = ReadFileMetaData(footer.data(), footer.size());
  } catch (const Error& error) {
    ThrowInvalid("'{}': corrupt Parquet footer: {}", path, error.what());
  }
  FileSchema schema = MapSchema(metadata, path);
  std::shared_ptr<ParquetFile> parquet(
      new ParquetFile(std::move(file), std::move(metadata), std::move(schema), footer_at));
  parquet->Validate();
  return parquet;
}

ParquetFile::ParquetFile(RandomAccessFile file, FileMetaData metadata, FileSchema schema,
                         uint64_t data_end)
    : file_(std::move(file)),
      metadata_(std::move(metadata)),
      schema_(std::move(schema)),
      data_end_(data_end) {}

void ParquetFile::Validate() const {
  if (metadata_.num_rows < 0)
    ThrowInvalid("'{}': corrupt Parquet footer: negative row count", path());
  for (size_t g = 0; g < metadata_.row_groups.size(); ++g) {
    const RowGroup& group = metadata_.row_groups[g];
    if (group.num_rows < 0) ThrowInvalid("'{}': row group {} has a negative row count", path(), g);
    if (static_cast<int>(group.columns.size()) != schema_.num_leaves) {
      ThrowInvalid("'{}': row group {} has {} column chunks but the schema has {} columns", path(),
                   g, group.columns.size(), schema_.num_leaves);
    }
    for (const LeafColumn& leaf : schema_.columns) {
      const ColumnChunk& chunk = group.columns[leaf.leaf_index];
      if (!chunk.meta_data) {
        ThrowUnsupported(
            "'{}': column '{}' in row group {} has no metadata (encrypted columns are not "
            "supported)",
            path(), leaf.name, g);
      }
      if (chunk.file_path) {
        ThrowUnsupported("'{}': column '{}' refers to data in another file ('{}')", path(),
                         leaf.name, *chunk.file_path);
      }
      try {
        CodecFromParquetId(static_cast<int32_t>(chunk.meta_data->codec));
      } catch (const Error& error) {
        throw Error(error.kind(), fmt::format("'{}': column '{}' in row group {}: {}", path(),
                                              leaf.name, g, error.what()));
      }
      if (chunk.meta_data->num_values < 0) {
        ThrowInvalid("'{}': column '{}' in row group {} has a negative value count", path(),
                     leaf.name, g);
      }
    }
  }
}

size_t ParquetFile::ColumnIndexOf(const std::string& name) const {
  if (auto index = schema_.schema.FindField(name)) return *index;
  for (const auto& unsupported : schema_.unsupported) {
    if (unsupported.name == name) {
      ThrowUnsupported("'{}': column '{}' is a {}, which sluice cannot read yet", path(), name,
                       unsupported.reason);
    }
  }
  return schema_.schema.FieldIndex(name, fmt::format("'{}'", path()));
}

const ColumnChunk& ParquetFile::Chunk(int row_group, size_t column) const {
  SLUICE_CHECK(row_group >= 0 && row_group < num_row_groups() && column < schema_.columns.size());
  return metadata_.row_groups[row_group].columns[schema_.columns[column].leaf_index];
}

std::string ParquetFile::Context(int row_group, size_t column) const {
  return fmt::format("'{}', row group {}, column '{}'", path(), row_group,
                     schema_.columns[column].name);
}

std::unique_ptr<ColumnChunkReader> ParquetFile::OpenColumn(int row_group, size_t column,
                                                           MemoryPool* pool) const {
  return std::make_unique<ColumnChunkReader>(file_, Chunk(row_group, column),
                                             schema_.columns[column], data_end_,
                                             Context(row_group, column), pool);
}

bool ParquetFile::DictionaryEncoded(int row_group, size_t column) const {
  const auto& meta = Chunk(row_group, column).meta_data;
  if (!meta) return false;
  return std::any_of(meta->encodings.begin(), meta->encodings.end(), [](Encoding encoding) {
    return encoding == Encoding::kRleDictionary || encoding == Encoding::kPlainDictionary;
  });
}

std::optional<Scalar> DecodeStatisticsValue(const LeafColumn& leaf, std::string_view bytes) {
  const DataType& type = leaf.type;
  Scalar scalar{type, {}};
  auto load = [&](auto zero) -> std::optional<decltype(zero)> {
    if (bytes.size() != sizeof(zero)) return std::nullopt;
    decltype(zero) value;
    std::memcpy(&value, bytes.data(), sizeof(value));
    return value;
  };
  switch (leaf.physical) {
    case Type::kBoolean:
      if (bytes.size() != 1) return std::nullopt;
      scalar.value = bytes[0] != 0;
      return scalar;
    case Type::kInt32: {
      auto value = load(int32_t{});
      if (!value) return std::nullopt;
      if (type.id == TypeId::kDecimal)
        scalar.value = int128_t{*value};
      else if (type.IsInteger() && !type.IsSignedInteger())
        scalar.value = uint64_t{static_cast<uint32_t>(*value)};
      else
        scalar.value = int64_t{*value};
      return scalar;
    }
    case Type::kInt64: {
      auto value = load(int64_t{});
      if (!value) return std::nullopt;
      if (type.id == TypeId::kDecimal)
        scalar.value = int128_t{*value};
      else if (type.id == TypeId::kUInt64)
        scalar.value = static_cast<uint64_t>(*value);
      else
        scalar.value = *value;
      return scalar;
    }
    case Type::kFloat: {
      auto value = load(float{});
      if (!value || std::isnan(*value)) return std::nullopt;
      scalar.value = double{*value};
      return scalar;
    }
    case Type::kDouble: {
      auto value = load(double{});
      if (!value || std::isnan(*value)) return std::nullopt;
      scalar.value = *value;
      return scalar;
    }
    case Type::kInt96: return std::nullopt;  // No defined sort order.
    case Type::kFixedLenByteArray:
    case Type::kByteArray:
      if (type.id == TypeId::kDecimal) {
        if (bytes.empty() || bytes.size() > 16) return std::nullopt;
        scalar.value = DecimalFromBigEndian(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
        return scalar;
      }
      if (type.id == TypeId::kFloat32) return std::nullopt;  // FLOAT16 bounds: not used.
      scalar.value = std::string(bytes);
      return scalar;
  }
  return std::nullopt;
}

ColumnStatistics ParquetFile::Statistics(int row_group, size_t column) const {
  ColumnStatistics out;
  const ColumnMetaData& meta = *Chunk(row_group, column).meta_data;
  if (!meta.statistics) return out;
  const auto& stats = *meta.statistics;
  const LeafColumn& leaf = schema_.columns[column];
  out.null_count = stats.null_count;
  out.distinct_count = stats.distinct_count;
  // Bounds under a column order sluice does not know must be ignored (parquet.thrift).
  const auto& orders = metadata_.column_orders;
  if (!orders.empty() && (static_cast<size_t>(leaf.leaf_index) >= orders.size() ||
                          orders[leaf.leaf_index].kind == ColumnOrder::Kind::kUnrecognized)) {
    return out;
  }
  if (stats.min_value && stats.max_value) {
    out.min = DecodeStatisticsValue(leaf, *stats.min_value);
    out.max = DecodeStatisticsValue(leaf, *stats.max_value);
  } else if (stats.min && stats.max && !leaf.unsigned_order) {
    // The deprecated fields used signed comparison, right only for signed numeric types.
    out.min = DecodeStatisticsValue(leaf, *stats.min);
    out.max = DecodeStatisticsValue(leaf, *stats.max);
  }
  if (!out.min || !out.max) out.min = out.max = std::nullopt;
  return out;
}

namespace {
template <typename Index, typename ReadFn>
std::optional<Index> ReadIndex(const RandomAccessFile& file, std::optional<int64_t> offset,
                               std::optional<int32_t> length, uint64_t limit,
                               const std::string& what, ReadFn read) {
  if (!offset || !length) return std::nullopt;
  if (*offset < 0 || *length <= 0 || *length > kMaxIndexSize ||
      static_cast<uint64_t>(*offset) > limit ||
      static_cast<uint64_t>(*length) > limit - static_cast<uint64_t>(*offset)) {
    ThrowInvalid("{}: lies outside the file (offset {}, {} bytes)", what, *offset, *length);
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(*length));
  file.ReadAt(static_cast<uint64_t>(*offset), bytes.size(), bytes.data());
  try {
    return read(bytes.data(), bytes.size(), nullptr);
  } catch (const Error& error) {
    ThrowInvalid("{}: {}", what, error.what());
  }
}
}  // namespace

std::optional<ColumnIndex> ParquetFile::ReadColumnIndex(int row_group, size_t column) const {
  const ColumnChunk& chunk = Chunk(row_group, column);
  return ReadIndex<ColumnIndex>(file_, chunk.column_index_offset, chunk.column_index_length,
                                data_end_, Context(row_group, column) + ": column index",
                                parquet::ReadColumnIndex);
}

std::optional<OffsetIndex> ParquetFile::ReadOffsetIndex(int row_group, size_t column) const {
  const ColumnChunk& chunk = Chunk(row_group, column);
  return ReadIndex<OffsetIndex>(file_, chunk.offset_index_offset, chunk.offset_index_length,
                                data_end_, Context(row_group, column) + ": offset index",
                                parquet::ReadOffsetIndex);
}

bool ParquetFile::BloomFilterMightContain(int row_group, size_t column,
                                          std::string_view plain_value) const {
  const ColumnMetaData& meta = *Chunk(row_group, column).meta_data;
  if (!meta.bloom_filter_offset) return true;
  int64_t offset = *meta.bloom_filter_offset;
  std::string context = Context(row_group, column) + ": bloom filter";
  if (offset < 0 || static_cast<uint64_t>(offset) >= data_end_) {
    ThrowInvalid("{} at offset {} lies outside the file", context, offset);
  }
  // The header is small; read it with a window, then the bitset it announces.
  size_t window =
      static_cast<size_t>(std::min<uint64_t>(256, data_end_ - static_cast<uint64_t>(offset)));
  std::vector<uint8_t> head(window);
  file_.ReadAt(static_cast<uint64_t>(offset), window, head.data());
  size_t header_size = 0;
  BloomFilterHeader header;
  try {
    header = ReadBloomFilterHeader(head.data(), head.size(), &header_size);
  } catch (const Error& error) {
    ThrowInvalid("{}: {}", context, error.what());
  }
  if (header.algorithm != BloomFilterAlgorithm::kBlock || header.hash != BloomFilterHash::kXxHash ||
      header.compression != BloomFilterCompression::kUncompressed) {
    return true;  // A filter sluice cannot evaluate rules nothing out.
  }
  uint64_t bitset_at = static_cast<uint64_t>(offset) + header_size;
  if (header.num_bytes <= 0 || header.num_bytes > kMaxIndexSize * 2 || bitset_at > data_end_ ||
      static_cast<uint64_t>(header.num_bytes) > data_end_ - bitset_at) {
    ThrowInvalid("{}: bitset of {} bytes lies outside the file", context, header.num_bytes);
  }
  std::vector<uint8_t> bitset(static_cast<size_t>(header.num_bytes));
  file_.ReadAt(bitset_at, bitset.size(), bitset.data());
  SplitBlockBloomFilter filter(std::move(bitset));
  return filter.MightContain(SplitBlockBloomFilter::Hash(plain_value));
}

}  // namespace sluice::io::parquet
