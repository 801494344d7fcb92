// Maps a Parquet schema tree (physical type + logical/converted annotations) to sluice's flat
// schema: one Field per top-level column, each backed by one leaf. Nested groups (LIST, MAP,
// STRUCT) are recorded by name so that selecting one gives a clear "unsupported" error while the
// other columns of the file read normally.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/schema.h"
#include "io/parquet/format/metadata.h"

namespace sluice::io::parquet {

/// How a top-level column is stored: its leaf, levels and the conversion to its logical type.
struct LeafColumn {
  std::string name;
  int leaf_index = 0;  ///< Index into RowGroup::columns.
  Type physical = Type::kInt32;
  int32_t type_length = 0;  ///< FIXED_LEN_BYTE_ARRAY width.
  int16_t max_definition_level = 0;
  DataType type;  ///< The logical type sluice reads it as.
  /// True when statistics' min/max are ordered as unsigned bytes/integers (strings, unsigned
  /// integers, decimals stored as bytes), so the deprecated signed min/max must not be trusted.
  bool unsigned_order = false;
};

/// A top-level column sluice cannot read yet, with why.
struct UnsupportedColumn {
  std::string name;
  std::string reason;  ///< "nested LIST column", "logical type INTERVAL", ...
};

struct FileSchema {
  Schema schema;                    ///< The readable top-level columns, in file order.
  std::vector<LeafColumn> columns;  ///< Parallel to schema.fields().
  std::vector<UnsupportedColumn> unsupported;
  int num_leaves = 0;  ///< Leaves in the whole tree (= columns per row group).
  /// Position of every top-level column (readable or not) in file order, for listing.
  std::vector<std::string> top_level_order;
};

/// Builds the flat schema of a file, validating the tree (child counts, leaf types, levels).
/// `path` is used in error messages only.
FileSchema MapSchema(const FileMetaData& metadata, const std::string& path);

/// The Parquet leaf description sluice writes for `type` (physical type, width, annotations).
SchemaElement LeafElementFor(const Field& field);

}  // namespace sluice::io::parquet
