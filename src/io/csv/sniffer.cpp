// Delimiter, header and type sniffing over a sample of tokenized rows.
#include "io/csv/sniffer.h"

#include <algorithm>
#include <map>

#include "core/error.h"
#include "io/csv/value_parse.h"

namespace sluice::io::csv {

namespace {

/// Rows tokenized per delimiter candidate: enough to see a pattern, cheap for four candidates.
constexpr int64_t kDelimiterSniffRows = 1000;

std::string FieldText(const Dialect& dialect, const uint8_t* data, const FieldRef& ref) {
  std::string_view raw = ref.View(data);
  if (!ref.escaped()) return std::string(raw);
  std::string out(raw.size(), '\0');
  out.resize(Unescape(dialect, raw, out.data()));
  return out;
}

/// A field that does not vote in inference: missing, empty, blank or an unquoted null string.
bool IsNullField(const FieldRef& ref, std::string_view raw, const CsvReadOptions& options) {
  if (ref.missing()) return true;
  if (!ref.quoted() && IsNullString(raw, options.null_strings)) return true;
  return TrimSpaces(raw).empty();
}

/// The candidate bit of an inferred type: a value fits the type when its candidates include it.
uint32_t CandidateBit(const DataType& type) {
  switch (type.id) {
    case TypeId::kBool: return kInferBool;
    case TypeId::kInt64: return kInferInt64;
    case TypeId::kFloat64: return kInferFloat64;
    case TypeId::kDate32: return kInferDate;
    case TypeId::kTimestamp: return type.timezone.empty() ? kInferTimestamp : kInferTimestampTz;
    default: return kInferUtf8;
  }
}

}  // namespace

bool IsNullString(std::string_view value, const std::vector<std::string>& null_strings) {
  for (const std::string& null : null_strings) {
    if (value == null) return true;
  }
  return false;
}

char SniffDelimiter(const CsvReadOptions& options, const uint8_t* data, size_t begin, size_t end,
                    int64_t max_rows) {
  char best = kDelimiterCandidates[0];
  // (splits into more than one field, rows with the modal field count, the modal count)
  std::tuple<bool, int64_t, uint32_t> best_score{false, -1, 0};
  for (char candidate : kDelimiterCandidates) {
    if (candidate == options.quote || candidate == options.escape.value_or('\0') ||
        candidate == options.comment.value_or('\0')) {
      continue;
    }
    Dialect dialect = MakeDialect(options, candidate);
    SniffedRows rows;
    SniffRows(dialect, data, begin, end, std::min(kDelimiterSniffRows, max_rows), &rows);
    std::map<uint32_t, int64_t> counts;
    for (int64_t row = 0; row < rows.rows(); ++row) ++counts[rows.FieldCount(row)];
    uint32_t mode = 0;
    int64_t consistent = 0;
    for (auto [fields, count] : counts) {
      if (count >= consistent) {  // Ties go to the larger field count.
        mode = fields;
        consistent = count;
      }
    }
    std::tuple<bool, int64_t, uint32_t> score{mode > 1, consistent, mode};
    if (score > best_score) {
      best_score = score;
      best = candidate;
    }
  }
  return best;
}

std::vector<std::string> HeaderFields(const Dialect& dialect, const uint8_t* data,
                                      const SniffedRows& rows) {
  std::vector<std::string> fields;
  if (rows.rows() == 0) return fields;
  for (uint32_t i = 0; i < rows.FieldCount(0); ++i) {
    fields.emplace_back(TrimSpaces(FieldText(dialect, data, rows.Field(0, i))));
  }
  return fields;
}

std::vector<std::string> MakeColumnNames(const std::vector<std::string>& raw, uint32_t columns) {
  // Generated names are zero-padded to a common width (column00 .. column11), as in DuckDB.
  size_t width = std::to_string(columns > 0 ? columns - 1 : 0).size();
  auto generated = [&](uint32_t i) {
    std::string digits = std::to_string(i);
    return "column" + std::string(width - digits.size(), '0') + digits;
  };
  std::vector<std::string> names;
  std::map<std::string, int> seen;
  for (uint32_t i = 0; i < columns; ++i) {
    std::string name = i < raw.size() && !raw[i].empty() ? raw[i] : generated(i);
    while (seen.count(name) != 0) {
      int suffix = ++seen[name];
      name = name + "_" + std::to_string(suffix);
    }
    seen[name] = 0;
    names.push_back(std::move(name));
  }
  return names;
}

SniffedSchema SniffSchema(const Dialect& dialect, const CsvReadOptions& options,
                          const uint8_t* data, const SniffedRows& rows, const std::string& path,
                          int64_t first_line) {
  SniffedSchema schema;
  SLUICE_CHECK(rows.rows() > 0);
  const int64_t total = rows.rows();

  // Candidate masks per column over rows [from, total).
  auto infer = [&](int64_t from, uint32_t columns) {
    std::vector<uint32_t> masks(columns, kInferAll);
    std::vector<bool> voted(columns, false);
    for (int64_t row = from; row < total; ++row) {
      uint32_t count = std::min(rows.FieldCount(row), columns);
      for (uint32_t c = 0; c < count; ++c) {
        const FieldRef& ref = rows.Field(row, c);
        std::string_view raw = ref.View(data);
        if (IsNullField(ref, raw, options)) continue;
        if (masks[c] == kInferUtf8) continue;  // Nothing left to rule out.
        std::string text = ref.escaped() ? FieldText(dialect, data, ref) : std::string();
        masks[c] &= InferCandidates(ref.escaped() ? std::string_view(text) : raw);
        voted[c] = true;
      }
    }
    std::vector<DataType> types;
    for (uint32_t c = 0; c < columns; ++c) {
      types.push_back(voted[c] ? TypeOfCandidates(masks[c]) : Utf8());
    }
    return types;
  };

  uint32_t first_count = rows.FieldCount(0);
  if (options.header.has_value()) {
    schema.header = *options.header;
  } else {
    std::vector<DataType> body = infer(1, first_count);
    bool all_text = true;
    bool first_row_null = true;
    bool first_row_fits = true;
    for (uint32_t c = 0; c < first_count; ++c) {
      const FieldRef& ref = rows.Field(0, c);
      std::string_view raw = ref.View(data);
      bool is_null = IsNullField(ref, raw, options);
      if (!is_null) first_row_null = false;
      if (body[c].id == TypeId::kUtf8) continue;
      all_text = false;
      if (is_null) continue;
      uint32_t mask = InferCandidates(FieldText(dialect, data, ref));
      if ((mask & CandidateBit(body[c])) == 0) first_row_fits = false;
    }
    schema.header = all_text || first_row_null || !first_row_fits;
  }

  uint32_t columns = first_count;
  if (!schema.header && options.ragged == CsvReadOptions::Ragged::kPad) {
    for (int64_t row = 0; row < total; ++row) columns = std::max(columns, rows.FieldCount(row));
  }
  schema.columns = columns;
  if (schema.header) {
    schema.header_row = HeaderFields(dialect, data, rows);
    for (size_t c = 0; c < schema.header_row.size(); ++c) {
      size_t bad = FindInvalidUtf8(schema.header_row[c]);
      if (bad != schema.header_row[c].size()) {
        ThrowInvalid("'{}', line {}: the name of column {} is not valid UTF-8 (byte {:#04x})", path,
                     first_line, c + 1,
                     static_cast<unsigned>(static_cast<uint8_t>(schema.header_row[c][bad])));
      }
    }
    schema.names = MakeColumnNames(schema.header_row, columns);
  } else {
    schema.names = MakeColumnNames({}, columns);
  }
  schema.types = infer(schema.header ? 1 : 0, columns);
  return schema;
}

}  // namespace sluice::io::csv
