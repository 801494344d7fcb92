// Names of the Parquet metadata enums (for error messages and `sluice schema`) and the
// constructors of LogicalType; the Thrift reading and writing live in metadata_read.cpp and
// metadata_write.cpp.
#include "io/parquet/format/metadata.h"

namespace sluice::io::parquet {

const char* EnumName(Type value) {
  switch (value) {
    case Type::kBoolean: return "BOOLEAN";
    case Type::kInt32: return "INT32";
    case Type::kInt64: return "INT64";
    case Type::kInt96: return "INT96";
    case Type::kFloat: return "FLOAT";
    case Type::kDouble: return "DOUBLE";
    case Type::kByteArray: return "BYTE_ARRAY";
    case Type::kFixedLenByteArray: return "FIXED_LEN_BYTE_ARRAY";
  }
  return "unknown";
}

const char* EnumName(ConvertedType value) {
  switch (value) {
    case ConvertedType::kUtf8: return "UTF8";
    case ConvertedType::kMap: return "MAP";
    case ConvertedType::kMapKeyValue: return "MAP_KEY_VALUE";
    case ConvertedType::kList: return "LIST";
    case ConvertedType::kEnum: return "ENUM";
    case ConvertedType::kDecimal: return "DECIMAL";
    case ConvertedType::kDate: return "DATE";
    case ConvertedType::kTimeMillis: return "TIME_MILLIS";
    case ConvertedType::kTimeMicros: return "TIME_MICROS";
    case ConvertedType::kTimestampMillis: return "TIMESTAMP_MILLIS";
    case ConvertedType::kTimestampMicros: return "TIMESTAMP_MICROS";
    case ConvertedType::kUint8: return "UINT_8";
    case ConvertedType::kUint16: return "UINT_16";
    case ConvertedType::kUint32: return "UINT_32";
    case ConvertedType::kUint64: return "UINT_64";
    case ConvertedType::kInt8: return "INT_8";
    case ConvertedType::kInt16: return "INT_16";
    case ConvertedType::kInt32: return "INT_32";
    case ConvertedType::kInt64: return "INT_64";
    case ConvertedType::kJson: return "JSON";
    case ConvertedType::kBson: return "BSON";
    case ConvertedType::kInterval: return "INTERVAL";
  }
  return "unknown";
}

const char* EnumName(FieldRepetitionType value) {
  switch (value) {
    case FieldRepetitionType::kRequired: return "REQUIRED";
    case FieldRepetitionType::kOptional: return "OPTIONAL";
    case FieldRepetitionType::kRepeated: return "REPEATED";
  }
  return "unknown";
}

const char* EnumName(Encoding value) {
  switch (value) {
    case Encoding::kPlain: return "PLAIN";
    case Encoding::kPlainDictionary: return "PLAIN_DICTIONARY";
    case Encoding::kRle: return "RLE";
    case Encoding::kBitPacked: return "BIT_PACKED";
    case Encoding::kDeltaBinaryPacked: return "DELTA_BINARY_PACKED";
    case Encoding::kDeltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::kDeltaByteArray: return "DELTA_BYTE_ARRAY";
    case Encoding::kRleDictionary: return "RLE_DICTIONARY";
    case Encoding::kByteStreamSplit: return "BYTE_STREAM_SPLIT";
  }
  return "unknown";
}

const char* EnumName(CompressionCodec value) {
  switch (value) {
    case CompressionCodec::kUncompressed: return "UNCOMPRESSED";
    case CompressionCodec::kSnappy: return "SNAPPY";
    case CompressionCodec::kGzip: return "GZIP";
    case CompressionCodec::kLzo: return "LZO";
    case CompressionCodec::kBrotli: return "BROTLI";
    case CompressionCodec::kLz4: return "LZ4";
    case CompressionCodec::kZstd: return "ZSTD";
    case CompressionCodec::kLz4Raw: return "LZ4_RAW";
  }
  return "unknown";
}

const char* EnumName(PageType value) {
  switch (value) {
    case PageType::kDataPage: return "DATA_PAGE";
    case PageType::kIndexPage: return "INDEX_PAGE";
    case PageType::kDictionaryPage: return "DICTIONARY_PAGE";
    case PageType::kDataPageV2: return "DATA_PAGE_V2";
  }
  return "unknown";
}

const char* EnumName(BoundaryOrder value) {
  switch (value) {
    case BoundaryOrder::kUnordered: return "UNORDERED";
    case BoundaryOrder::kAscending: return "ASCENDING";
    case BoundaryOrder::kDescending: return "DESCENDING";
  }
  return "unknown";
}

LogicalType LogicalType::Simple(Kind kind) {
  LogicalType type;
  type.kind = kind;
  return type;
}

LogicalType LogicalType::Decimal(int32_t scale, int32_t precision) {
  LogicalType type;
  type.kind = Kind::kDecimal;
  type.scale = scale;
  type.precision = precision;
  return type;
}

LogicalType LogicalType::Time(bool is_adjusted_to_utc, TimeUnit unit) {
  LogicalType type;
  type.kind = Kind::kTime;
  type.is_adjusted_to_utc = is_adjusted_to_utc;
  type.unit = unit;
  return type;
}

LogicalType LogicalType::Timestamp(bool is_adjusted_to_utc, TimeUnit unit) {
  LogicalType type;
  type.kind = Kind::kTimestamp;
  type.is_adjusted_to_utc = is_adjusted_to_utc;
  type.unit = unit;
  return type;
}

LogicalType LogicalType::Integer(int8_t bit_width, bool is_signed) {
  LogicalType type;
  type.kind = Kind::kInteger;
  type.bit_width = bit_width;
  type.is_signed = is_signed;
  return type;
}

}  // namespace sluice::io::parquet
