// Row-group assembly, page-index and bloom-filter layout, and the footer.
#include "io/parquet/writer/file_writer.h"

#include "core/error.h"
#include "io/parquet/reader/schema_mapping.h"

namespace sluice::io::parquet {

namespace {
constexpr char kMagic[4] = {'P', 'A', 'R', '1'};
}  // namespace

ParquetWriter::ParquetWriter(const std::string& path, const Schema& schema, WriterOptions options,
                             ThreadPool* threads)
    : schema_(schema),
      options_(std::move(options)),
      threads_(threads ? threads : &ThreadPool::Default()),
      file_(AtomicFileWriter::Open(path)) {
  if (options_.row_group_size <= 0)
    ThrowInvalid("row group size must be positive, not {}", options_.row_group_size);
  if (options_.data_page_version != 1 && options_.data_page_version != 2) {
    ThrowInvalid("data page version must be 1 or 2, not {}", options_.data_page_version);
  }
  for (const std::string& name : options_.bloom_filter_columns)
    schema_.FieldIndex(name, "the bloom filter columns");
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema_.size());
  metadata_.schema.push_back(root);
  for (const Field& field : schema_.fields()) {
    SchemaElement element = LeafElementFor(field);
    metadata_.schema.push_back(element);
    bool bloom =
        std::find(options_.bloom_filter_columns.begin(), options_.bloom_filter_columns.end(),
                  field.name) != options_.bloom_filter_columns.end();
    columns_.push_back(std::make_unique<ColumnChunkWriter>(field, element, options_, bloom));
    metadata_.column_orders.push_back(ColumnOrder{ColumnOrder::Kind::kTypeDefinedOrder});
  }
  metadata_.version = options_.data_page_version == 2 ? 2 : 1;
  metadata_.created_by = options_.created_by;
  file_.Write(kMagic, 4);
}

ParquetWriter::~ParquetWriter() = default;  // An unclosed AtomicFileWriter removes its temp file.

void ParquetWriter::Write(const Batch& batch) {
  if (batch.columns.size() != columns_.size()) {
    ThrowInternal("batch of {} columns written to a Parquet file of {} columns",
                  batch.columns.size(), columns_.size());
  }
  int64_t offset = 0;
  while (offset < batch.num_rows) {
    int64_t take = std::min(batch.num_rows - offset, options_.row_group_size - row_group_rows_);
    threads_->ParallelFor(static_cast<int64_t>(columns_.size()),
                          [&](int64_t c) { columns_[c]->Write(batch.columns[c], offset, take); });
    offset += take;
    row_group_rows_ += take;
    rows_written_ += take;
    if (row_group_rows_ == options_.row_group_size) FlushRowGroup();
  }
}

void ParquetWriter::FlushRowGroup() {
  if (row_group_rows_ == 0) return;
  std::vector<EncodedChunk> chunks(columns_.size());
  threads_->ParallelFor(static_cast<int64_t>(columns_.size()),
                        [&](int64_t c) { chunks[c] = columns_[c]->Finish(); });
  RowGroup group;
  group.num_rows = row_group_rows_;
  group.file_offset = static_cast<int64_t>(file_.bytes_written());
  group.ordinal = static_cast<int16_t>(std::min<size_t>(metadata_.row_groups.size(), 32767));
  int64_t compressed = 0;
  for (auto& chunk : chunks) {
    int64_t base = static_cast<int64_t>(file_.bytes_written());
    file_.Write(chunk.bytes.data(), chunk.bytes.size());
    ColumnChunk column;
    column.file_offset = base;
    column.meta_data = chunk.metadata;
    column.meta_data->data_page_offset += base;
    if (column.meta_data->dictionary_page_offset) *column.meta_data->dictionary_page_offset += base;
    for (auto& location : chunk.offset_index.page_locations) location.offset += base;
    group.total_byte_size += chunk.metadata.total_uncompressed_size;
    compressed += chunk.metadata.total_compressed_size;
    group.columns.push_back(std::move(column));
    chunk.bytes.clear();
    chunk.bytes.shrink_to_fit();
  }
  group.total_compressed_size = compressed;
  metadata_.row_groups.push_back(std::move(group));
  metadata_.num_rows += row_group_rows_;
  pending_indexes_.push_back(std::move(chunks));
  row_group_rows_ = 0;
}

void ParquetWriter::Close() {
  if (closed_) return;
  FlushRowGroup();
  // Bloom filters, then column indexes, then offset indexes, each for every chunk in order.
  for (size_t g = 0; g < pending_indexes_.size(); ++g) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      auto& filter = pending_indexes_[g][c].bloom_filter;
      if (!filter) continue;
      auto& meta = *metadata_.row_groups[g].columns[c].meta_data;
      std::string bytes;
      WriteBloomFilterHeader(
          BloomFilterHeader{static_cast<int32_t>(filter->bitset().size()), {}, {}, {}}, &bytes);
      bytes.append(reinterpret_cast<const char*>(filter->bitset().data()), filter->bitset().size());
      meta.bloom_filter_offset = static_cast<int64_t>(file_.bytes_written());
      meta.bloom_filter_length = static_cast<int32_t>(bytes.size());
      file_.Write(bytes.data(), bytes.size());
    }
  }
  for (size_t g = 0; g < pending_indexes_.size(); ++g) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      auto& index = pending_indexes_[g][c].column_index;
      if (!index) continue;
      std::string bytes;
      WriteColumnIndex(*index, &bytes);
      auto& column = metadata_.row_groups[g].columns[c];
      column.column_index_offset = static_cast<int64_t>(file_.bytes_written());
      column.column_index_length = static_cast<int32_t>(bytes.size());
      file_.Write(bytes.data(), bytes.size());
    }
  }
  if (options_.page_index) {
    for (size_t g = 0; g < pending_indexes_.size(); ++g) {
      for (size_t c = 0; c < columns_.size(); ++c) {
        std::string bytes;
        WriteOffsetIndex(pending_indexes_[g][c].offset_index, &bytes);
        auto& column = metadata_.row_groups[g].columns[c];
        column.offset_index_offset = static_cast<int64_t>(file_.bytes_written());
        column.offset_index_length = static_cast<int32_t>(bytes.size());
        file_.Write(bytes.data(), bytes.size());
      }
    }
  }
  std::string footer;
  WriteFileMetaData(metadata_, &footer);
  file_.Write(footer.data(), footer.size());
  uint32_t footer_size = static_cast<uint32_t>(footer.size());
  file_.Write(&footer_size, 4);
  file_.Write(kMagic, 4);
  file_.Commit();
  closed_ = true;
}

}  // namespace sluice::io::parquet
