// Renders query results for the terminal and for pipes; see result_format.h.
#include "cli/result_format.h"

#include "cli/usage_error.h"
#include "core/value_format.h"

namespace sluice::cli {

ResultFormat ParseResultFormat(std::string_view name) {
  if (name == "box" || name == "table") return ResultFormat::kBox;
  if (name == "csv") return ResultFormat::kCsv;
  if (name == "json") return ResultFormat::kJson;
  if (name == "jsonl" || name == "ndjson") return ResultFormat::kJsonLines;
  if (name == "markdown" || name == "md") return ResultFormat::kMarkdown;
  ThrowUsage("unknown --format '{}'; use box, csv, json, jsonl or markdown", name);
}

std::string RenderMarkdown(const Schema& schema, const std::vector<Batch>& batches) {
  auto cell = [](std::string text) {
    std::string out;
    for (char c : text) {
      if (c == '|') {
        out += "\\|";
      } else if (c == '\n' || c == '\r') {
        out += ' ';
      } else {
        out += c;
      }
    }
    return out;
  };
  std::string out = "|";
  for (const Field& field : schema.fields()) out += " " + cell(field.name) + " |";
  out += "\n|";
  for (const Field& field : schema.fields()) {
    bool numeric =
        field.type.IsInteger() || field.type.IsFloating() || field.type.id == TypeId::kDecimal;
    out += numeric ? "---:|" : "---|";
  }
  out += "\n";
  for (const Batch& batch : batches) {
    for (int64_t r = 0; r < batch.num_rows; ++r) {
      out += "|";
      for (const Column& column : batch.columns) {
        out += " " + (column.IsNull(r) ? std::string("NULL") : cell(FormatValue(column, r))) + " |";
      }
      out += "\n";
    }
  }
  return out;
}

std::string RenderJsonArray(const Schema& schema, const std::vector<Batch>& batches) {
  std::string lines = RenderJsonLines(schema, batches);
  if (lines.empty()) return "[]\n";
  // One object per line: join the lines with commas inside the brackets.
  std::string out = "[";
  size_t begin = 0;
  while (begin < lines.size()) {
    size_t end = lines.find('\n', begin);
    if (begin > 0) out += ",\n";
    out.append(lines, begin, end - begin);
    begin = end + 1;
  }
  return out + "]\n";
}

std::string RenderResult(const DataFrame& rows, ResultFormat format, const TableOptions& table) {
  const Schema& schema = *rows.schema;
  switch (format) {
    case ResultFormat::kBox: return RenderTable(schema, rows.batches, rows.num_rows(), table);
    case ResultFormat::kCsv: return RenderCsv(schema, rows.batches);
    case ResultFormat::kJson: return RenderJsonArray(schema, rows.batches);
    case ResultFormat::kJsonLines: return RenderJsonLines(schema, rows.batches);
    case ResultFormat::kMarkdown: return RenderMarkdown(schema, rows.batches);
  }
  return {};
}

}  // namespace sluice::cli
