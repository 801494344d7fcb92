// Reads COPY's options; see copy_options.h.
#include "sql/copy_options.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/error.h"
#include "core/schema.h"
#include "io/compress/codec.h"
#include "sql/option_value.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// The format a path's extension names, if it names one.
std::optional<CopyRequest::Format> FormatFromPath(std::string_view path) {
  std::string lower = Lower(path);
  if (EndsWith(lower, ".parquet") || EndsWith(lower, ".pq")) return CopyRequest::Format::kParquet;
  if (EndsWith(lower, ".csv") || EndsWith(lower, ".tsv") || EndsWith(lower, ".txt"))
    return CopyRequest::Format::kCsv;
  if (EndsWith(lower, ".json") || EndsWith(lower, ".ndjson") || EndsWith(lower, ".jsonl"))
    return CopyRequest::Format::kJson;
  return std::nullopt;
}

/// One character of a CSV dialect (DELIMITER ';', QUOTE '"'); `\t` is accepted for a tab.
char DialectChar(const CopyOption& option, std::string_view sql) {
  std::string text = OptionText(*option.value, option.name, sql);
  if (text == "\\t") return '\t';
  if (text.size() != 1) {
    ThrowSqlError(sql, option.value->pos,
                  fmt::format("{} must be a single character, not '{}'", option.name, text));
  }
  return text[0];
}

// Every option COPY knows, for "did you mean".
const std::vector<std::string> kOptionNames = {"FORMAT",
                                               "COMPRESSION",
                                               "COMPRESSION_LEVEL",
                                               "ROW_GROUP_SIZE",
                                               "PARTITION_BY",
                                               "HEADER",
                                               "DELIMITER",
                                               "DELIM",
                                               "SEP",
                                               "QUOTE",
                                               "NULL",
                                               "NULLSTR",
                                               "OVERWRITE",
                                               "OVERWRITE_OR_IGNORE"};

bool IsCsvOption(std::string_view name) {
  return name == "HEADER" || name == "DELIMITER" || name == "DELIM" || name == "SEP" ||
         name == "QUOTE" || name == "NULL" || name == "NULLSTR";
}

bool IsParquetOption(std::string_view name) {
  return name == "COMPRESSION_LEVEL" || name == "ROW_GROUP_SIZE";
}

const char* FormatName(CopyRequest::Format format) {
  switch (format) {
    case CopyRequest::Format::kParquet: return "parquet";
    case CopyRequest::Format::kCsv: return "csv";
    case CopyRequest::Format::kJson: return "json";
  }
  return "?";
}

}  // namespace

CopyRequest ParseCopyOptions(const Statement& statement, std::string_view sql) {
  CopyRequest request;
  request.target.path = statement.path;

  // The format first, since it decides which options apply.
  std::optional<CopyRequest::Format> format = FormatFromPath(statement.path);
  for (const CopyOption& option : statement.options) {
    if (option.name != "FORMAT") continue;
    if (option.value == nullptr) ThrowSqlError(sql, option.pos, "FORMAT needs a value");
    std::string name = Lower(OptionText(*option.value, "FORMAT", sql));
    if (name == "parquet") {
      format = CopyRequest::Format::kParquet;
    } else if (name == "csv") {
      format = CopyRequest::Format::kCsv;
    } else if (name == "json" || name == "ndjson") {
      format = CopyRequest::Format::kJson;
    } else {
      ThrowSqlError(sql, option.value->pos,
                    fmt::format("unknown FORMAT '{}'; use parquet, csv or json", name),
                    ErrorKind::kUnsupported);
    }
  }
  if (!format) {
    ThrowSqlError(sql, statement.pos,
                  fmt::format("cannot tell the format of '{}' from its extension; add (FORMAT "
                              "parquet), (FORMAT csv) or (FORMAT json)",
                              statement.path));
  }
  request.format = *format;
  request.target.format = request.format == CopyRequest::Format::kCsv
                              ? SinkTarget::Format::kCsv
                              : SinkTarget::Format::kParquet;
  if (request.format == CopyRequest::Format::kCsv && EndsWith(Lower(statement.path), ".tsv")) {
    request.target.csv.delimiter = '\t';
  }

  const bool csv = request.format == CopyRequest::Format::kCsv;
  const bool parquet = request.format == CopyRequest::Format::kParquet;
  for (const CopyOption& option : statement.options) {
    const std::string& name = option.name;
    if (name == "FORMAT") continue;
    auto known = std::find(kOptionNames.begin(), kOptionNames.end(), name);
    if (known == kOptionNames.end()) {
      std::string message = fmt::format("unknown COPY option {}", name);
      if (auto closest = ClosestName(name, kOptionNames)) {
        message += fmt::format("; did you mean {}?", *closest);
      } else {
        message += fmt::format("; the options are {}", fmt::join(kOptionNames, ", "));
      }
      ThrowSqlError(sql, option.pos, message);
    }
    if ((IsCsvOption(name) && !csv) || (IsParquetOption(name) && !parquet)) {
      ThrowSqlError(sql, option.pos,
                    fmt::format("{} applies to {} output, and '{}' is written as {}", name,
                                IsCsvOption(name) ? "CSV" : "Parquet", statement.path,
                                FormatName(request.format)));
    }
    bool needs_value = name != "HEADER" && name != "OVERWRITE" && name != "OVERWRITE_OR_IGNORE";
    if (needs_value && option.value == nullptr) {
      ThrowSqlError(sql, option.pos, fmt::format("{} needs a value", name));
    }
    const AstExpr* value = option.value.get();

    if (name == "COMPRESSION") {
      std::string codec = Lower(OptionText(*value, name, sql));
      if (parquet) {
        try {
          request.target.parquet.compression = io::ParseCodec(codec);
        } catch (const Error& error) {
          ThrowSqlError(sql, value->pos, error.what(), error.kind());
        }
      } else if (codec != "none" && codec != "uncompressed" && codec != "auto") {
        ThrowSqlError(sql, value->pos,
                      fmt::format("compressed {} output is not supported yet; write it "
                                  "uncompressed or as Parquet",
                                  FormatName(request.format)),
                      ErrorKind::kUnsupported);
      }
    } else if (name == "COMPRESSION_LEVEL") {
      request.target.parquet.compression_level =
          static_cast<int>(OptionInteger(*value, name, sql, 0));
    } else if (name == "ROW_GROUP_SIZE") {
      request.target.parquet.row_group_size = OptionInteger(*value, name, sql, 1);
    } else if (name == "PARTITION_BY") {
      if (request.format == CopyRequest::Format::kJson) {
        ThrowSqlError(sql, option.pos, "PARTITION_BY applies to Parquet and CSV output",
                      ErrorKind::kUnsupported);
      }
      request.target.partition_by = OptionNames(*value, name, sql);
    } else if (name == "HEADER") {
      request.target.csv.header = OptionBool(value, name, sql);
    } else if (name == "DELIMITER" || name == "DELIM" || name == "SEP") {
      request.target.csv.delimiter = DialectChar(option, sql);
    } else if (name == "QUOTE") {
      request.target.csv.quote = DialectChar(option, sql);
    } else if (name == "NULL" || name == "NULLSTR") {
      request.target.csv.null_string = OptionText(*value, name, sql);
    } else if (name == "OVERWRITE" || name == "OVERWRITE_OR_IGNORE") {
      // Outputs are always replaced atomically, so there is nothing to choose.
      OptionBool(value, name, sql);
    }
  }
  return request;
}

}  // namespace sluice::sql
