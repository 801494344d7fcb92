// CSV rendering: per-type formatters that write digits straight into the output buffer (no
// allocation per value), RFC 4180 quoting decided per column where a type's text can never need
// it, and per value for text.
#include "io/csv/writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "core/decimal.h"
#include "core/error.h"
#include "core/temporal.h"

namespace sluice::io::csv {

namespace {

/// Formatted text is handed to the file in pieces of about this size: large enough that the
/// AtomicFileWriter writes it without copying it into its own buffer, small enough to stay in
/// cache.
constexpr size_t kFlushBytes = size_t{1} << 20;
/// The widest text any fixed-width formatter below produces (a decimal(38,s), a duration).
constexpr size_t kMaxFixedText = 64;

/// Writes two decimal digits of `value` (0..99).
inline char* Write2(unsigned value, char* out) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

template <typename T>
inline char* WriteInteger(T value, char* out) {
  return std::to_chars(out, out + 24, value).ptr;
}

/// Writes a year as four digits when it has at most four, else with its sign and all its digits
/// (-1, 10000): the forms DuckDB's date parser reads back.
inline char* WriteYear(int64_t year, char* out) {
  if (year >= 0 && year <= 9999) {
    const auto y = static_cast<unsigned>(year);
    out = Write2(y / 100, out);
    return Write2(y % 100, out);
  }
  return WriteInteger(year, out);
}

inline char* WriteDate(int64_t days, char* out) {
  const CivilDate date = CivilFromDays(days);
  out = WriteYear(date.year, out);
  *out++ = '-';
  out = Write2(date.month, out);
  *out++ = '-';
  return Write2(date.day, out);
}

int FractionDigits(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kSecond: return 0;
    case TimeUnit::kMilli: return 3;
    case TimeUnit::kMicro: return 6;
    case TimeUnit::kNano: return 9;
  }
  return 0;
}

/// Writes `.fff`, `.ffffff` or `.fffffffff` for a fraction of a second in `unit`, dropping trailing
/// groups of three zeros (core/temporal.h renders fractions the same way); nothing for zero.
inline char* WriteFraction(uint64_t fraction, TimeUnit unit, char* out) {
  const int digits = FractionDigits(unit);
  if (digits == 0 || fraction == 0) return out;
  *out++ = '.';
  char* start = out;
  for (int i = digits - 1; i >= 0; --i) {
    start[i] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  int kept = digits;
  while (kept > 3 && std::memcmp(start + kept - 3, "000", 3) == 0) kept -= 3;
  return start + kept;
}

/// Writes HH:MM:SS[.f] for a non-negative count of seconds (hours may exceed 23 in durations).
inline char* WriteClock(uint64_t seconds, uint64_t fraction, TimeUnit unit, char* out) {
  const uint64_t hours = seconds / 3600;
  if (hours < 100) {
    out = Write2(static_cast<unsigned>(hours), out);
  } else {
    out = WriteInteger(hours, out);
  }
  *out++ = ':';
  out = Write2(static_cast<unsigned>(seconds / 60 % 60), out);
  *out++ = ':';
  out = Write2(static_cast<unsigned>(seconds % 60), out);
  return WriteFraction(fraction, unit, out);
}

/// Divides rounding toward minus infinity (b > 0) and sets `*remainder` in [0, b). Adjusts the
/// truncated quotient rather than computing quotient * b, which overflows near INT64_MIN
/// (DuckDB's -infinity timestamp).
inline int64_t FloorDivMod(int64_t a, int64_t b, int64_t* remainder) {
  int64_t quotient = a / b;
  *remainder = a % b;
  if (*remainder < 0) {
    quotient -= 1;
    *remainder += b;
  }
  return quotient;
}

inline uint64_t Magnitude(int64_t value) {
  return value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
}

/// Writes the unscaled 128-bit value with `scale` digits after the point.
inline char* WriteDecimal(int128_t unscaled, int scale, char* out) {
  char digits[40];
  int count = 0;
  unsigned __int128 magnitude = unscaled < 0 ? -static_cast<unsigned __int128>(unscaled)
                                             : static_cast<unsigned __int128>(unscaled);
  // 128-bit division is a library call: divide in 64 bits once the value fits.
  while (magnitude > UINT64_MAX) {
    digits[count++] = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  }
  auto small = static_cast<uint64_t>(magnitude);
  do {
    digits[count++] = static_cast<char>('0' + small % 10);
    small /= 10;
  } while (small != 0);
  while (count <= scale) digits[count++] = '0';
  if (unscaled < 0) *out++ = '-';
  for (int i = count - 1; i >= scale; --i) *out++ = digits[i];
  if (scale > 0) {
    *out++ = '.';
    for (int i = scale - 1; i >= 0; --i) *out++ = digits[i];
  }
  return out;
}

/// Integral floats print as bare digits ("2", "-0"); adds ".0" so that a reader inferring types
/// reads a float column back as floats, as DuckDB and Polars write them.
inline char* AppendPointZeroIfIntegral(const char* text, char* end) {
  for (const char* c = text; c != end; ++c) {
    if (*c == '.' || *c == 'e') return end;
  }
  end[0] = '.';
  end[1] = '0';
  return end + 2;
}

constexpr double kPowersOfTen[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
constexpr uint64_t kIntegerPowersOfTen[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

/// Writes the text std::to_chars would write for a non-negative double that is a decimal of at
/// most 6 fraction digits (a price, a measurement), about four times faster; returns nullptr for
/// any other value, which then goes to std::to_chars.
///
/// Why the result is to_chars's shortest round-trip text: `value` is k-digit decimal n / 10^k when
/// the correctly rounded quotient n / 10^k (one IEEE division) equals it, i.e. the text reads
/// back as `value`. Trying k = 0, 1, 2, ... finds the fewest digits. Below 2^50 once scaled, a
/// step of 10^-k exceeds the spacing of doubles near `value`, so no other k-digit decimal reads
/// back as it, and value * 10^k lies within 1/4 of n, so rounding the product finds n. Fixed
/// notation is what to_chars picks for these except for integers with trailing zeros (1e+05)
/// and for small fractions with more leading zeros than "e-0N" costs (1e-04); those fall back.
/// Checked against to_chars on millions of values near powers of ten and of every digit count.
inline char* WriteShortDecimal(double value, char* out) {
  for (int k = 0; k <= 6; ++k) {
    const double scaled = value * kPowersOfTen[k];
    if (!(scaled < 0x1p50)) return nullptr;
    const double rounded = std::nearbyint(scaled);
    // The distance test skips the division for most values that are no short decimals.
    if (std::fabs(scaled - rounded) > scaled * 0x1p-50 || rounded / kPowersOfTen[k] != value) {
      continue;
    }
    const auto digits = static_cast<uint64_t>(rounded);
    if (k == 0) {
      if (digits % 10 == 0 && digits != 0) return nullptr;
      return WriteInteger(digits, out);
    }
    const uint64_t whole = digits / kIntegerPowersOfTen[k];
    uint64_t fraction = digits % kIntegerPowersOfTen[k];
    if (whole == 0) {
      int significant = 1;
      while (significant < k && fraction >= kIntegerPowersOfTen[significant]) ++significant;
      if (k - significant > 2 + (significant > 1)) return nullptr;
    }
    out = WriteInteger(whole, out);
    *out++ = '.';
    for (int i = k - 1; i >= 0; --i) {
      out[i] = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    return out + k;
  }
  return nullptr;
}

template <typename T>
inline char* WriteFloat(T value, char* out) {
  if (std::isnan(value)) return static_cast<char*>(std::memcpy(out, "nan", 3)) + 3;
  if (std::isinf(value)) {
    if (value < 0) *out++ = '-';
    return static_cast<char*>(std::memcpy(out, "inf", 3)) + 3;
  }
  if constexpr (std::is_same_v<T, double>) {
    char* digits = out;
    if (std::signbit(value)) *digits++ = '-';
    if (char* end = WriteShortDecimal(std::fabs(value), digits)) {
      return AppendPointZeroIfIntegral(out, end);
    }
  }
  char* end = std::to_chars(out, out + 32, value).ptr;
  return AppendPointZeroIfIntegral(out, end);
}

/// Writes bytes as DuckDB writes BLOB text: printable ASCII as is except the backslash, every
/// other byte as \xNN.
char* WriteHex(std::string_view bytes, char* out) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (unsigned char byte : bytes) {
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      *out++ = static_cast<char>(byte);
    } else {
      out[0] = '\\';
      out[1] = 'x';
      out[2] = kDigits[byte >> 4];
      out[3] = kDigits[byte & 15];
      out += 4;
    }
  }
  return out;
}

}  // namespace

/// Binds a column's buffers for one batch and says how its values become text.
struct CsvWriter::ColumnFormat {
  /// How values reach the buffer.
  enum class Mode : uint8_t {
    kDirect,   ///< `append` writes them; its text can never need quotes.
    kChecked,  ///< `append` writes them to scratch, then they are quoted if they must be.
    kText,     ///< utf8: the bytes, quoted if they must be.
    kHex,      ///< binary and fixed_size_binary: \xNN escapes, quoted if they must be.
  };
  using AppendFn = char* (*)(const ColumnFormat& format, int64_t row, char* out);

  DataType type;
  Mode mode = Mode::kDirect;
  AppendFn append = nullptr;
  /// Widest text `append` writes.
  size_t max_width = 0;

  // Bound per batch.
  const uint8_t* validity = nullptr;  ///< Null when the column has no nulls.
  const uint8_t* values = nullptr;
  const int64_t* offsets = nullptr;
  const char* data = nullptr;

  template <typename T>
  T Load(int64_t row) const {
    T value;
    std::memcpy(&value, values + row * int64_t{sizeof(T)}, sizeof(T));
    return value;
  }
  std::string_view Bytes(int64_t row) const {
    if (offsets != nullptr) {
      return {data + offsets[row], static_cast<size_t>(offsets[row + 1] - offsets[row])};
    }
    const auto width = static_cast<size_t>(type.byte_width > 0 ? type.byte_width : 16);
    return {reinterpret_cast<const char*>(values) + static_cast<size_t>(row) * width, width};
  }
};

namespace {

using ColumnFormat = CsvWriter::ColumnFormat;

template <typename T>
char* AppendInteger(const ColumnFormat& format, int64_t row, char* out) {
  return WriteInteger(format.Load<T>(row), out);
}

template <typename T>
char* AppendFloat(const ColumnFormat& format, int64_t row, char* out) {
  return WriteFloat(format.Load<T>(row), out);
}

char* AppendBool(const ColumnFormat& format, int64_t row, char* out) {
  if (bits::Get(format.values, row)) return static_cast<char*>(std::memcpy(out, "true", 4)) + 4;
  return static_cast<char*>(std::memcpy(out, "false", 5)) + 5;
}

char* AppendDecimal(const ColumnFormat& format, int64_t row, char* out) {
  return WriteDecimal(format.Load<int128_t>(row), format.type.scale, out);
}

char* AppendDate(const ColumnFormat& format, int64_t row, char* out) {
  return WriteDate(format.Load<int32_t>(row), out);
}

char* AppendTimestamp(const ColumnFormat& format, int64_t row, char* out) {
  const int64_t value = format.Load<int64_t>(row);
  const int64_t per_second = UnitsPerSecond(format.type.unit);
  int64_t fraction = 0;
  const int64_t seconds = FloorDivMod(value, per_second, &fraction);
  int64_t second_of_day = 0;
  const int64_t days = FloorDivMod(seconds, 86400, &second_of_day);
  out = WriteDate(days, out);
  *out++ = ' ';
  out = WriteClock(static_cast<uint64_t>(second_of_day), static_cast<uint64_t>(fraction),
                   format.type.unit, out);
  // A zoned timestamp holds a UTC instant whatever its zone's name: say so with Z (RFC 3339),
  // which DuckDB reads back as TIMESTAMPTZ.
  if (!format.type.timezone.empty()) *out++ = 'Z';
  return out;
}

char* AppendTime(const ColumnFormat& format, int64_t row, char* out) {
  const int64_t value = format.Load<int64_t>(row);
  // Times outside a day are corrupt data, but still get a sign and all their digits.
  if (value < 0) *out++ = '-';
  const uint64_t magnitude = Magnitude(value);
  const auto per_second = static_cast<uint64_t>(UnitsPerSecond(format.type.unit));
  out = WriteClock(magnitude / per_second, magnitude % per_second, format.type.unit, out);
  if (!format.type.timezone.empty()) out = static_cast<char*>(std::memcpy(out, "+00", 3)) + 3;
  return out;
}

/// Renders like core FormatDuration: `-1 days 02:03:04.5`, which DuckDB reads as an INTERVAL.
char* AppendDuration(const ColumnFormat& format, int64_t row, char* out) {
  const int64_t value = format.Load<int64_t>(row);
  if (value < 0) *out++ = '-';
  const uint64_t magnitude = Magnitude(value);
  const auto per_second = static_cast<uint64_t>(UnitsPerSecond(format.type.unit));
  const uint64_t seconds = magnitude / per_second;
  if (seconds >= 86400) {
    out = WriteInteger(seconds / 86400, out);
    out = static_cast<char*>(std::memcpy(out, " days ", 6)) + 6;
  }
  return WriteClock(seconds % 86400, magnitude % per_second, format.type.unit, out);
}

char* AppendUuid(const ColumnFormat& format, int64_t row, char* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const std::string_view bytes = format.Bytes(row);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *out++ = '-';
    const auto byte = static_cast<unsigned char>(bytes[i]);
    *out++ = kDigits[byte >> 4];
    *out++ = kDigits[byte & 15];
  }
  return out;
}

/// A type's formatter, how wide its text gets, and every character that text can contain: a
/// column needs no quoting checks when none of those is special for the chosen options.
struct TypeFormat {
  ColumnFormat::AppendFn append = nullptr;
  size_t max_width = 0;
  std::string_view alphabet;
};

constexpr std::string_view kIntegerAlphabet = "0123456789-";

TypeFormat FormatFor(const DataType& type) {
  switch (type.id) {
    case TypeId::kBool: return {&AppendBool, 5, "truefals"};
    case TypeId::kInt8: return {&AppendInteger<int8_t>, 4, kIntegerAlphabet};
    case TypeId::kInt16: return {&AppendInteger<int16_t>, 6, kIntegerAlphabet};
    case TypeId::kInt32: return {&AppendInteger<int32_t>, 11, kIntegerAlphabet};
    case TypeId::kInt64: return {&AppendInteger<int64_t>, 20, kIntegerAlphabet};
    case TypeId::kUInt8: return {&AppendInteger<uint8_t>, 3, kIntegerAlphabet};
    case TypeId::kUInt16: return {&AppendInteger<uint16_t>, 5, kIntegerAlphabet};
    case TypeId::kUInt32: return {&AppendInteger<uint32_t>, 10, kIntegerAlphabet};
    case TypeId::kUInt64: return {&AppendInteger<uint64_t>, 20, kIntegerAlphabet};
    case TypeId::kFloat32: return {&AppendFloat<float>, 32, "0123456789-+.einaf"};
    case TypeId::kFloat64: return {&AppendFloat<double>, 32, "0123456789-+.einaf"};
    case TypeId::kDecimal: return {&AppendDecimal, 42, "0123456789-."};
    case TypeId::kDate32: return {&AppendDate, 16, kIntegerAlphabet};
    case TypeId::kTimestamp: return {&AppendTimestamp, 48, "0123456789-: .Z"};
    case TypeId::kTime64: return {&AppendTime, 40, "0123456789-:.+"};
    case TypeId::kDuration: return {&AppendDuration, 48, "0123456789-: .days"};
    case TypeId::kUuid: return {&AppendUuid, 36, "0123456789abcdef-"};
    case TypeId::kUtf8:
    case TypeId::kBinary:
    case TypeId::kFixedSizeBinary: return {};
  }
  ThrowUnsupported("cannot write a {} column to CSV", type.ToString());
}

bool IsLineBreak(char c) {
  return c == '\n' || c == '\r';
}

}  // namespace

CsvWriter::CsvWriter(const std::string& path, const Schema& schema, CsvWriteOptions options)
    : schema_(schema), options_(std::move(options)), file_(AtomicFileWriter::Open(path)) {
  const char delimiter = options_.delimiter;
  const char quote = options_.quote;
  if (delimiter == quote) {
    ThrowInvalid("cannot write '{}': the CSV delimiter and quote are both '{}'", path, delimiter);
  }
  if (IsLineBreak(delimiter) || IsLineBreak(quote)) {
    ThrowInvalid("cannot write '{}': a line break cannot be the CSV delimiter or quote", path);
  }
  for (char c : options_.null_string) {
    if (c == delimiter || c == quote || IsLineBreak(c)) {
      ThrowInvalid(
          "cannot write '{}': the null string '{}' contains the delimiter, the quote or a line "
          "break, so it would have to be quoted and would no longer read back as null",
          path, options_.null_string);
    }
  }
  const size_t null_width = options_.null_string.size();
  max_fixed_row_bytes_ = schema_.size() + 1;  // Delimiters and the newline.
  for (const Field& field : schema_.fields()) {
    ColumnFormat format;
    format.type = field.type;
    const TypeFormat type_format = FormatFor(field.type);
    if (type_format.append == nullptr) {
      format.mode =
          field.type.id == TypeId::kUtf8 ? ColumnFormat::Mode::kText : ColumnFormat::Mode::kHex;
      max_fixed_row_bytes_ += null_width;
    } else {
      const std::string_view alphabet = type_format.alphabet;
      const bool may_need_quotes =
          alphabet.find(delimiter) != std::string_view::npos ||
          alphabet.find(quote) != std::string_view::npos ||
          (!options_.null_string.empty() &&
           options_.null_string.find_first_not_of(alphabet) == std::string::npos);
      format.mode = may_need_quotes ? ColumnFormat::Mode::kChecked : ColumnFormat::Mode::kDirect;
      format.append = type_format.append;
      format.max_width = type_format.max_width;
      max_fixed_row_bytes_ +=
          std::max(may_need_quotes ? 2 * format.max_width + 2 : format.max_width, null_width);
    }
    formats_.push_back(std::move(format));
  }
  reservation_.Set(static_cast<int64_t>(2 * kFlushBytes));
  buffer_.resize(2 * kFlushBytes);
  if (options_.header) WriteHeader();
}

CsvWriter::~CsvWriter() = default;  // An unclosed AtomicFileWriter removes its temporary file.

char* CsvWriter::Reserve(char* out, size_t bytes) {
  const auto used = static_cast<size_t>(out - buffer_.data());
  if (buffer_.size() - used >= bytes) return out;
  const size_t size = std::max(2 * buffer_.size(), used + bytes);
  reservation_.Set(static_cast<int64_t>(size));
  buffer_.resize(size);
  return buffer_.data() + used;
}

char* CsvWriter::Flush(char* out) {
  file_.Write(buffer_.data(), static_cast<size_t>(out - buffer_.data()));
  buffer_used_ = 0;
  return buffer_.data();
}

namespace {

/// Decides, per value, whether a field must be quoted: it holds the delimiter, the quote or a
/// line break (RFC 4180); it starts or ends with a space or tab (which many readers trim); or it
/// would read back as null (the null string, and the empty string, which would otherwise turn a
/// one-column row into a blank line that readers skip).
class FieldQuoter {
 public:
  FieldQuoter(char delimiter, char quote, const std::string& null_string)
      : quote_(quote), null_string_(null_string) {
    special_.fill(false);
    special_[static_cast<unsigned char>(delimiter)] = true;
    special_[static_cast<unsigned char>(quote)] = true;
    special_['\n'] = true;
    special_['\r'] = true;
  }

  bool NeedsQuotes(std::string_view text) const {
    if (text.empty()) return true;
    const char first = text.front(), last = text.back();
    if (first == ' ' || first == '\t' || last == ' ' || last == '\t') return true;
    for (char c : text) {
      if (special_[static_cast<unsigned char>(c)]) return true;
    }
    return !null_string_.empty() && text == null_string_;
  }

  /// Writes `text` as one field; `out` must have room for 2 * size + 2 bytes.
  char* Append(std::string_view text, char* out) const {
    if (!NeedsQuotes(text)) {
      if (!text.empty()) std::memcpy(out, text.data(), text.size());
      return out + text.size();
    }
    *out++ = quote_;
    for (char c : text) {
      if (c == quote_) *out++ = quote_;
      *out++ = c;
    }
    *out++ = quote_;
    return out;
  }

 private:
  std::array<bool, 256> special_;
  char quote_;
  const std::string& null_string_;
};

}  // namespace

void CsvWriter::WriteHeader() {
  const FieldQuoter quoter(options_.delimiter, options_.quote, options_.null_string);
  char* out = buffer_.data() + buffer_used_;
  for (size_t c = 0; c < schema_.size(); ++c) {
    const std::string& name = schema_.field(c).name;
    out = Reserve(out, 2 * name.size() + 3);
    if (c != 0) *out++ = options_.delimiter;
    out = quoter.Append(name, out);
  }
  out = Reserve(out, 1);
  *out++ = '\n';
  buffer_used_ = static_cast<size_t>(out - buffer_.data());
}

void CsvWriter::Write(const Batch& batch) {
  if (closed_) ThrowInternal("write to the CSV file '{}' after Close", file_.target_path());
  if (batch.columns.size() != formats_.size()) {
    ThrowInternal("batch of {} columns written to a CSV file of {} columns", batch.columns.size(),
                  formats_.size());
  }
  for (size_t c = 0; c < formats_.size(); ++c) {
    const Column& column = batch.columns[c];
    ColumnFormat& format = formats_[c];
    if (column.type != format.type || column.length != batch.num_rows) {
      ThrowInternal("column '{}' of type {} with {} rows written as {} in a batch of {} rows",
                    schema_.field(c).name, column.type.ToString(), column.length,
                    format.type.ToString(), batch.num_rows);
    }
    format.validity =
        column.null_count > 0 && column.validity != nullptr ? column.validity->data() : nullptr;
    format.values = column.values != nullptr ? column.values->data() : nullptr;
    const bool variable = column.type.IsVariableWidth();
    format.offsets = variable ? column.Offsets() : nullptr;
    format.data = variable && column.data != nullptr
                      ? reinterpret_cast<const char*>(column.data->data())
                      : nullptr;
  }

  const FieldQuoter quoter(options_.delimiter, options_.quote, options_.null_string);
  const char delimiter = options_.delimiter;
  const std::string& null_string = options_.null_string;
  const size_t columns = formats_.size();
  char* out = buffer_.data() + buffer_used_;
  for (int64_t row = 0; row < batch.num_rows; ++row) {
    out = Reserve(out, max_fixed_row_bytes_);
    for (size_t c = 0; c < columns; ++c) {
      const ColumnFormat& format = formats_[c];
      if (c != 0) *out++ = delimiter;
      if (format.validity != nullptr && !bits::Get(format.validity, row)) {
        out = std::copy(null_string.begin(), null_string.end(), out);
        continue;
      }
      switch (format.mode) {
        case ColumnFormat::Mode::kDirect: out = format.append(format, row, out); break;
        case ColumnFormat::Mode::kChecked: {
          char text[kMaxFixedText];
          char* end = format.append(format, row, text);
          out = quoter.Append({text, static_cast<size_t>(end - text)}, out);
          break;
        }
        case ColumnFormat::Mode::kText: {
          const std::string_view text = format.Bytes(row);
          out = Reserve(out, 2 * text.size() + 2 + max_fixed_row_bytes_);
          out = quoter.Append(text, out);
          break;
        }
        case ColumnFormat::Mode::kHex: {
          const std::string_view bytes = format.Bytes(row);
          // Escape into the buffer's spare room beyond where the quoted field may reach, then
          // quote from there: 4 bytes per byte escaped, twice that once quotes are doubled.
          out = Reserve(out, 12 * bytes.size() + 2 + max_fixed_row_bytes_);
          char* scratch = out + 8 * bytes.size() + 2;
          char* scratch_end = WriteHex(bytes, scratch);
          const std::string_view text(scratch, static_cast<size_t>(scratch_end - scratch));
          out = quoter.Append(text, out);
          break;
        }
      }
    }
    *out++ = '\n';
    if (static_cast<size_t>(out - buffer_.data()) >= kFlushBytes) out = Flush(out);
  }
  buffer_used_ = static_cast<size_t>(out - buffer_.data());
  rows_written_ += batch.num_rows;
}

void CsvWriter::ReleaseBuffer() {
  Flush(buffer_.data() + buffer_used_);
  std::string().swap(buffer_);  // Frees it (assigning an empty string keeps the capacity).
  reservation_.Set(0);
  file_.ReleaseBuffer();
}

void CsvWriter::Close() {
  if (closed_) return;
  Flush(buffer_.data() + buffer_used_);
  file_.Commit();
  closed_ = true;
  std::string().swap(buffer_);  // Frees it (assigning an empty string keeps the capacity).
  reservation_.Set(0);
}

}  // namespace sluice::io::csv
