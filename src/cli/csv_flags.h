// The CSV options of `convert`, `head` and `schema` (--delim, --header, --null-string, --quote,
// --escape, --comment, --skip-rows, --ragged, --types), registered once so that every command
// spells and checks them the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "io/csv/read_options.h"
#include "io/csv/writer.h"

namespace sluice::cli {

/// The CSV reading options as typed; turned into CsvReadOptions after parsing.
struct CsvReadFlags {
  std::string delimiter;
  std::string header;
  std::vector<std::string> null_strings;
  std::string quote;
  std::string escape;
  std::string comment;
  int64_t skip_rows = 0;
  std::string ragged = "error";
  std::vector<std::string> types;
  /// The registered options, to tell after parsing which were given.
  std::vector<CLI::Option*> options;
  /// --quote, whose empty value means "no quoting" and so is told apart from "not given".
  CLI::Option* quote_option = nullptr;

  /// True when any of the options was given.
  bool AnyGiven() const;
  /// Checks the values and builds the reader options; throws UsageError for a bad character,
  /// header value or type name.
  io::csv::CsvReadOptions ToReadOptions() const;
};

/// Registers the reading options on `command`.
void AddCsvReadFlags(CLI::App* command, CsvReadFlags* flags);

/// The CSV writing options of `convert` (--out-delim, --out-quote, --out-header,
/// --out-null-string): separate from the reading ones so that a CSV-to-CSV convert can change
/// the dialect.
struct CsvWriteFlags {
  std::string delimiter;
  std::string quote;
  std::string header;
  std::string null_string;
  std::vector<CLI::Option*> options;

  bool AnyGiven() const;
  bool DelimiterGiven() const { return !delimiter.empty(); }
  io::csv::CsvWriteOptions ToWriteOptions() const;
};

void AddCsvWriteFlags(CLI::App* command, CsvWriteFlags* flags);

/// Reads a one-character option value: the character itself, or `\t` / `tab` for a tab.
/// `allow_none` lets an empty value (or `none`) mean "no such character" ('\0').
char ParseCharFlag(std::string_view flag, std::string_view value, bool allow_none = false);

}  // namespace sluice::cli
