// Box-table, CSV and JSON Lines rendering of small results.
#include "core/table_printer.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/value_format.h"

namespace sluice {

namespace {

// Counts display columns of UTF-8 text as code points (good enough for a terminal table).
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

std::string Truncate(std::string text, size_t max_width) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (DisplayWidth(text) <= max_width) return text;
  size_t width = 0, cut = 0;
  while (cut < text.size() && width < max_width - 1) {
    ++cut;
    while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
    ++width;
  }
  return text.substr(0, cut) + "…";
}

bool RightAligned(const DataType& type) {
  return type.IsInteger() || type.IsFloating() || type.id == TypeId::kDecimal;
}

std::string Repeat(std::string_view piece, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += piece;
  return out;
}

std::string Pad(const std::string& text, size_t width, bool right) {
  size_t fill = width - std::min(width, DisplayWidth(text));
  return right ? std::string(fill, ' ') + text : text + std::string(fill, ' ');
}

// The cells of one row, rendered.
using Row = std::vector<std::string>;

std::vector<Row> CollectRows(const std::vector<Batch>& batches, size_t columns, int64_t limit,
                             size_t max_cell_width, bool from_end) {
  std::vector<Row> rows;
  auto take = [&](const Batch& batch, int64_t r) {
    Row row;
    for (size_t c = 0; c < columns; ++c) {
      const Column& column = batch.columns[c];
      row.push_back(column.IsNull(r) ? "NULL" : Truncate(FormatValue(column, r), max_cell_width));
    }
    rows.push_back(std::move(row));
  };
  if (!from_end) {
    for (const auto& batch : batches) {
      for (int64_t r = 0; r < batch.num_rows && static_cast<int64_t>(rows.size()) < limit; ++r)
        take(batch, r);
    }
    return rows;
  }
  for (auto it = batches.rbegin(); it != batches.rend(); ++it) {
    for (int64_t r = it->num_rows - 1; r >= 0 && static_cast<int64_t>(rows.size()) < limit; --r)
      take(*it, r);
  }
  std::reverse(rows.begin(), rows.end());
  return rows;
}

}  // namespace

std::string RenderTable(const Schema& schema, const std::vector<Batch>& batches, int64_t total_rows,
                        const TableOptions& options) {
  size_t columns = schema.size();
  int64_t shown = 0;
  for (const auto& batch : batches) shown += batch.num_rows;
  bool elide = shown > options.max_rows;
  int64_t head_count = elide ? options.max_rows / 2 : shown;
  auto head = CollectRows(batches, columns, head_count, options.max_cell_width, false);
  auto tail = elide ? CollectRows(batches, columns, options.max_rows - head_count,
                                  options.max_cell_width, true)
                    : std::vector<Row>{};

  std::vector<size_t> widths(columns, 1);
  std::vector<std::string> names, types;
  for (size_t c = 0; c < columns; ++c) {
    names.push_back(Truncate(schema.field(c).name, options.max_cell_width));
    types.push_back(schema.field(c).type.ToString());
    widths[c] = std::max({DisplayWidth(names[c]), DisplayWidth(types[c]), size_t{1}});
  }
  for (const auto* part : {&head, &tail}) {
    for (const auto& row : *part) {
      for (size_t c = 0; c < columns; ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }

  auto rule = [&](std::string_view left, std::string_view mid, std::string_view right) {
    std::string line(left);
    for (size_t c = 0; c < columns; ++c) {
      line += Repeat("─", widths[c] + 2);
      line += c + 1 < columns ? mid : right;
    }
    return line + "\n";
  };
  auto line = [&](const std::vector<std::string>& cells, bool numeric_right, bool center) {
    std::string out = "│";
    for (size_t c = 0; c < columns; ++c) {
      std::string cell = cells[c];
      if (center) {
        size_t fill = widths[c] - DisplayWidth(cell);
        cell = std::string(fill / 2, ' ') + cell + std::string(fill - fill / 2, ' ');
      } else {
        cell = Pad(cell, widths[c], numeric_right && RightAligned(schema.field(c).type));
      }
      out += " " + cell + " │";
    }
    return out + "\n";
  };

  std::string out;
  if (columns == 0) return fmt::format("(no columns, {} rows)\n", total_rows);
  out += rule("┌", "┬", "┐");
  out += line(names, false, true);
  out += line(types, false, true);
  out += rule("├", "┼", "┤");
  for (const auto& row : head) out += line(row, true, false);
  if (elide) {
    for (int dot = 0; dot < 3; ++dot)
      out += line(std::vector<std::string>(columns, "·"), false, true);
    for (const auto& row : tail) out += line(row, true, false);
  }
  if (head.empty()) out += line(std::vector<std::string>(columns, ""), false, false);
  out += rule("└", "┴", "┘");
  std::string footer = fmt::format("{} row{}", total_rows, total_rows == 1 ? "" : "s");
  if (total_rows > static_cast<int64_t>(head.size() + tail.size())) {
    footer += fmt::format(" ({} shown)", head.size() + tail.size());
  }
  out += footer + "  " + fmt::format("{} column{}", columns, columns == 1 ? "" : "s") + "\n";
  return out;
}

namespace {
std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

bool JsonNumber(const DataType& type) {
  return type.IsInteger() || type.IsFloating() || type.id == TypeId::kBool;
}
}  // namespace

std::string RenderCsv(const Schema& schema, const std::vector<Batch>& batches) {
  std::string out;
  for (size_t c = 0; c < schema.size(); ++c) {
    out += (c ? "," : "") + CsvField(schema.field(c).name);
  }
  out += "\n";
  for (const auto& batch : batches) {
    for (int64_t r = 0; r < batch.num_rows; ++r) {
      for (size_t c = 0; c < batch.columns.size(); ++c) {
        if (c) out += ",";
        if (batch.columns[c].IsValid(r)) out += CsvField(FormatValue(batch.columns[c], r));
      }
      out += "\n";
    }
  }
  return out;
}

std::string RenderJsonLines(const Schema& schema, const std::vector<Batch>& batches) {
  std::string out;
  for (const auto& batch : batches) {
    for (int64_t r = 0; r < batch.num_rows; ++r) {
      out += "{";
      for (size_t c = 0; c < batch.columns.size(); ++c) {
        const Column& column = batch.columns[c];
        out += (c ? "," : "") + JsonString(schema.field(c).name) + ":";
        if (column.IsNull(r)) {
          out += "null";
          continue;
        }
        std::string value = FormatValue(column, r);
        bool finite = value != "nan" && value != "inf" && value != "-inf";
        out += JsonNumber(column.type) && finite ? value : JsonString(value);
      }
      out += "}\n";
    }
  }
  return out;
}

}  // namespace sluice
