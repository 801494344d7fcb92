// Registration and checking of the CSV options.
#include "cli/csv_flags.h"

#include "cli/type_names.h"
#include "cli/usage_error.h"

namespace sluice::cli {

namespace {

bool AnyCounted(const std::vector<CLI::Option*>& options) {
  for (const CLI::Option* option : options) {
    if (option->count() > 0) return true;
  }
  return false;
}

bool ParseBoolFlag(std::string_view flag, std::string_view value) {
  if (value == "true" || value == "yes" || value == "1") return true;
  if (value == "false" || value == "no" || value == "0") return false;
  ThrowUsage("{} takes true or false, not '{}'", flag, value);
}

/// Splits `a=int64,b=decimal(15,2)` at the commas outside parentheses and brackets.
std::vector<std::string> SplitTypeList(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(' || c == '[') ++depth;
    if (c == ')' || c == ']') --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(std::move(current));
      current.clear();
      continue;
    }
    current += c;
  }
  parts.push_back(std::move(current));
  return parts;
}

std::string Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  const size_t last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

char ParseCharFlag(std::string_view flag, std::string_view value, bool allow_none) {
  if (value.size() == 1) return value[0];
  if (value == "\\t" || value == "tab") return '\t';
  if (allow_none && (value.empty() || value == "none")) return '\0';
  ThrowUsage("{} takes one character (or \\t for a tab), not '{}'", flag, value);
}

void AddCsvReadFlags(CLI::App* command, CsvReadFlags* flags) {
  auto& o = flags->options;
  o.push_back(command->add_option("--delim", flags->delimiter,
                                  "CSV input: field delimiter (default: sniffed; \\t for tab)"));
  o.push_back(command->add_option("--header", flags->header,
                                  "CSV input: true if the first line names the columns "
                                  "(default: sniffed)"));
  // One value per occurrence, so that `--null-string NA file.csv` leaves the file alone.
  o.push_back(command
                  ->add_option("--null-string", flags->null_strings,
                               "CSV input: text that reads as null (repeatable; default: empty "
                               "field)")
                  ->allow_extra_args(false));
  flags->quote_option = command->add_option(
      "--quote", flags->quote, "CSV input: quote character (default \"; none to turn off)");
  o.push_back(flags->quote_option);
  o.push_back(command->add_option("--escape", flags->escape,
                                  "CSV input: escape character inside quotes (default: the "
                                  "quote doubled)"));
  o.push_back(command->add_option("--comment", flags->comment,
                                  "CSV input: lines starting with this character are skipped"));
  o.push_back(command
                  ->add_option("--skip-rows", flags->skip_rows,
                               "CSV input: lines to skip before the header")
                  ->check(CLI::NonNegativeNumber));
  o.push_back(command
                  ->add_option("--ragged", flags->ragged,
                               "CSV input: rows with too few or many fields: error "
                               "(default), pad (with nulls) or skip")
                  ->check(CLI::IsMember({"error", "pad", "skip"})));
  o.push_back(command
                  ->add_option("--types", flags->types,
                               "CSV input: column types instead of inferred ones, col=type,... "
                               "(types as `sluice schema` prints them)")
                  ->allow_extra_args(false));
}

bool CsvReadFlags::AnyGiven() const {
  return AnyCounted(options);
}

io::csv::CsvReadOptions CsvReadFlags::ToReadOptions() const {
  io::csv::CsvReadOptions read;
  if (!delimiter.empty()) read.delimiter = ParseCharFlag("--delim", delimiter);
  if (!header.empty()) read.header = ParseBoolFlag("--header", header);
  if (!null_strings.empty()) read.null_strings = null_strings;
  if (quote_option != nullptr && quote_option->count() > 0)
    read.quote = ParseCharFlag("--quote", quote, true);
  if (!escape.empty()) read.escape = ParseCharFlag("--escape", escape);
  if (!comment.empty()) read.comment = ParseCharFlag("--comment", comment);
  read.skip_rows = skip_rows;
  read.ragged = ragged == "pad"    ? io::csv::CsvReadOptions::Ragged::kPad
                : ragged == "skip" ? io::csv::CsvReadOptions::Ragged::kSkip
                                   : io::csv::CsvReadOptions::Ragged::kError;
  if (read.delimiter && read.delimiter == read.quote) {
    ThrowUsage("--delim and --quote are both '{}'", *read.delimiter);
  }
  for (const std::string& list : types) {
    for (const std::string& entry : SplitTypeList(list)) {
      const size_t equals = entry.rfind('=', entry.find_first_of("(["));
      if (equals == std::string::npos || Trim(entry.substr(0, equals)).empty()) {
        ThrowUsage("--types takes column=type pairs separated by commas, not '{}'", entry);
      }
      std::string column = Trim(entry.substr(0, equals));
      for (const auto& [existing, type] : read.column_types) {
        if (existing == column) ThrowUsage("--types names column '{}' twice", column);
      }
      read.column_types.emplace_back(std::move(column),
                                     ParseTypeName(Trim(entry.substr(equals + 1))));
    }
  }
  return read;
}

void AddCsvWriteFlags(CLI::App* command, CsvWriteFlags* flags) {
  auto& o = flags->options;
  o.push_back(command->add_option("--out-delim", flags->delimiter,
                                  "CSV output: field delimiter (default , for .csv, tab for "
                                  ".tsv)"));
  o.push_back(
      command->add_option("--out-quote", flags->quote, "CSV output: quote character (default \")"));
  o.push_back(command->add_option("--out-header", flags->header,
                                  "CSV output: write the column names first (default true)"));
  o.push_back(command->add_option("--out-null-string", flags->null_string,
                                  "CSV output: text written for null (default: empty field)"));
}

bool CsvWriteFlags::AnyGiven() const {
  return AnyCounted(options);
}

io::csv::CsvWriteOptions CsvWriteFlags::ToWriteOptions() const {
  io::csv::CsvWriteOptions write;
  if (!delimiter.empty()) write.delimiter = ParseCharFlag("--out-delim", delimiter);
  if (!quote.empty()) write.quote = ParseCharFlag("--out-quote", quote);
  if (!header.empty()) write.header = ParseBoolFlag("--out-header", header);
  write.null_string = null_string;
  if (write.delimiter == write.quote) {
    ThrowUsage("the output delimiter and quote are both '{}'", write.delimiter);
  }
  if (write.delimiter == '\n' || write.delimiter == '\r' || write.quote == '\n' ||
      write.quote == '\r') {
    ThrowUsage("a line break cannot be the output delimiter or quote");
  }
  if (write.null_string.find_first_of(std::string{write.delimiter, write.quote, '\n', '\r'}) !=
      std::string::npos) {
    ThrowUsage(
        "--out-null-string '{}' holds the delimiter, the quote or a line break, so it "
        "would not read back as null",
        write.null_string);
  }
  return write;
}

}  // namespace sluice::cli
