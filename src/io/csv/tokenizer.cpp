// The CSV state machine that splits rows into fields, shared by the scanner (which keeps the
// projected fields in slots) and the sniffer (which keeps every field).
#include "io/csv/tokenizer.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sluice::io::csv {

Dialect MakeDialect(const CsvReadOptions& options, char delimiter) {
  Dialect dialect;
  dialect.delimiter = delimiter;
  dialect.quote = options.quote;
  dialect.escape = options.escape.value_or('\0');
  if (dialect.escape == dialect.quote) dialect.escape = '\0';  // Escaping by doubling.
  dialect.comment = options.comment.value_or('\0');
  auto name = [](char c) -> std::string {
    if (c == '\t') return "tab";
    if (c == '\n') return "newline";
    if (c == '\r') return "carriage return";
    return fmt::format("'{}'", c);
  };
  if (delimiter == '\n' || delimiter == '\r' || delimiter == '\0') {
    ThrowInvalid("the CSV delimiter cannot be {}", delimiter == '\0' ? "NUL" : name(delimiter));
  }
  for (char c : {dialect.quote, dialect.escape, dialect.comment}) {
    if (c == '\n' || c == '\r')
      ThrowInvalid("a CSV quote, escape or comment cannot be {}", name(c));
  }
  if (dialect.quote != '\0' && dialect.quote == delimiter) {
    ThrowInvalid("the CSV delimiter and quote are both {}", name(delimiter));
  }
  if (dialect.escape != '\0' && dialect.escape == delimiter) {
    ThrowInvalid("the CSV delimiter and escape are both {}", name(delimiter));
  }
  if (dialect.comment != '\0' &&
      (dialect.comment == delimiter || dialect.comment == dialect.quote)) {
    ThrowInvalid("the CSV comment character {} is also the delimiter or quote",
                 name(dialect.comment));
  }
  if (dialect.quote == '\0') dialect.escape = '\0';  // Escapes only mean something in quotes.
  return dialect;
}

namespace {

using Byte = unsigned char;

const Byte* FindByte(const Byte* p, const Byte* end, Byte a) {
  const void* found = std::memchr(p, a, static_cast<size_t>(end - p));
  return found != nullptr ? static_cast<const Byte*>(found) : end;
}

enum : uint8_t { kPlain = 0, kDelimiterByte, kNewlineByte, kQuoteByte, kNulByte };

/// Classifies bytes for the two scanning loops, so each step is one table load.
struct ByteClasses {
  uint8_t unquoted[256] = {};  ///< What ends an unquoted field.
  uint8_t quoted[256] = {};    ///< Non-zero for what interrupts a quoted field: quote, escape, NUL.

  explicit ByteClasses(const Dialect& dialect) {
    unquoted[static_cast<Byte>(dialect.delimiter)] = kDelimiterByte;
    unquoted[Byte{'\n'}] = kNewlineByte;
    if (dialect.quote != '\0') {
      unquoted[static_cast<Byte>(dialect.quote)] = kQuoteByte;
      quoted[static_cast<Byte>(dialect.quote)] = 1;
    }
    if (dialect.escape != '\0') quoted[static_cast<Byte>(dialect.escape)] = 1;
    unquoted[0] = kNulByte;
    quoted[0] = 1;
  }
};

/// Finds the end of an unquoted field 16 bytes at a time: the SSE2 constants of the scan.
struct PlainScan {
#if defined(__SSE2__)
  __m128i delimiter, newline, quote, nul;
#endif
  explicit PlainScan(const Dialect& dialect) {
#if defined(__SSE2__)
    delimiter = _mm_set1_epi8(dialect.delimiter);
    newline = _mm_set1_epi8('\n');
    // Without quoting, the quote lane looks for the delimiter again.
    quote = _mm_set1_epi8(dialect.quote != '\0' ? dialect.quote : dialect.delimiter);
    nul = _mm_setzero_si128();
#else
    (void)dialect;
#endif
  }
};

/// Returns the first byte at or after p that ends an unquoted field. There is one before stop:
/// the chunk's final newline.
inline const Byte* SkipPlain(const Byte* p, const Byte* stop, const ByteClasses& classes,
                             const PlainScan& scan) {
#if defined(__SSE2__)
  while (stop - p >= 16) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(bytes, scan.delimiter), _mm_cmpeq_epi8(bytes, scan.newline)),
        _mm_or_si128(_mm_cmpeq_epi8(bytes, scan.quote), _mm_cmpeq_epi8(bytes, scan.nul)));
    int mask = _mm_movemask_epi8(hits);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#else
  (void)stop;
  (void)scan;
#endif
  while (classes.unquoted[*p] == kPlain) ++p;
  return p;
}

FieldRef MakeRef(const Byte* data, const Byte* begin, const Byte* end, uint32_t flags) {
  return {static_cast<uint32_t>(begin - data), static_cast<uint32_t>(end - begin) | flags};
}

/// The one row/field state machine, shared by the scanner's and the sniffer's sinks. A Sink has
/// BeginRow(), Field(index, ref) and EndRow(fields, row_start, row_end, &error) -> keep going.
template <typename Sink>
ParseError Tokenize(const Dialect& dialect, const Byte* data, size_t begin, size_t end,
                    Sink& sink) {
  if (begin >= end) return {};
  // Every scan below stops at a newline without checking bounds; this one keeps them in range.
  SLUICE_CHECK(data[end - 1] == '\n');
  const ByteClasses classes(dialect);
  const Byte delimiter = static_cast<Byte>(dialect.delimiter);
  const Byte quote = static_cast<Byte>(dialect.quote);
  const Byte escape = static_cast<Byte>(dialect.escape);
  const bool has_escape = dialect.escape != '\0';
  const bool has_comment = dialect.comment != '\0';
  const Byte comment = static_cast<Byte>(dialect.comment);
  const Byte* p = data + begin;
  const Byte* const stop = data + end;
  auto at = [&](const Byte* where) { return static_cast<size_t>(where - data); };
  const PlainScan scan(dialect);

  while (p < stop) {
    const Byte* row = p;
    if (has_comment && *p == comment) {
      const Byte* line_end = FindByte(p, stop, '\n');
      const Byte* nul = FindByte(p, line_end, 0);
      if (nul != line_end) return {ParseErrorCode::kNulByte, at(nul)};
      p = line_end + 1;
      continue;
    }
    if (*p == '\n') {  // Blank line.
      ++p;
      continue;
    }
    if (*p == '\r' && p[1] == '\n') {  // In range: *p is not the final newline.
      p += 2;
      continue;
    }
    sink.BeginRow();
    uint32_t field = 0;
    while (true) {
      if (classes.unquoted[*p] == kQuoteByte) {
        const Byte* open = p++;
        const Byte* start = p;
        uint32_t flags = FieldRef::kQuoted;
        while (true) {
          while (p < stop && classes.quoted[*p] == 0) ++p;
          if (p >= stop) return {ParseErrorCode::kUnterminatedQuote, at(open)};
          if (*p == 0) return {ParseErrorCode::kNulByte, at(p)};
          if (has_escape && *p == escape) {
            flags |= FieldRef::kEscaped;
            p += 2;
            continue;
          }
          if (p[1] == quote) {  // In range: the chunk ends with a newline, not a quote.
            flags |= FieldRef::kEscaped;
            p += 2;
            continue;
          }
          break;
        }
        if (static_cast<size_t>(p - start) > FieldRef::kSizeMask) {
          return {ParseErrorCode::kUnterminatedQuote, at(open)};
        }
        FieldRef ref = MakeRef(data, start, p, flags);
        ++p;  // The closing quote; *p is in range because the chunk ends with a newline.
        if (*p == delimiter) {
          sink.Field(field++, ref);
          ++p;
          continue;
        }
        if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
          sink.Field(field++, ref);
          p += *p == '\n' ? 1 : 2;
          break;
        }
        return {ParseErrorCode::kCharAfterClosingQuote, at(p)};
      }
      const Byte* start = p;
      p = SkipPlain(p, stop, classes, scan);
      switch (classes.unquoted[*p]) {
        case kDelimiterByte:
          sink.Field(field++, MakeRef(data, start, p, 0));
          ++p;
          continue;
        case kNewlineByte: {
          const Byte* field_end = p > start && p[-1] == '\r' ? p - 1 : p;
          sink.Field(field++, MakeRef(data, start, field_end, 0));
          ++p;
          break;
        }
        case kQuoteByte: return {ParseErrorCode::kQuoteInUnquotedField, at(p)};
        default: return {ParseErrorCode::kNulByte, at(p)};
      }
      break;
    }
    ParseError error;
    if (!sink.EndRow(field, at(row), at(p), &error)) return error;
  }
  return {};
}

/// Keeps the fields a RowLayout asks for, in slots, and applies its ragged-row policy.
class LayoutSink {
 public:
  LayoutSink(const RowLayout& layout, ChunkRows* out) : layout_(layout), out_(out) {}

  void BeginRow() {
    size_t used = static_cast<size_t>(out_->rows) * layout_.slots;
    if (used + layout_.slots > out_->field_capacity) Grow(used + layout_.slots);
    row_ = out_->fields.get() + used;
  }

  void Field(uint32_t index, FieldRef ref) {
    if (index < layout_.columns) {
      int32_t slot = layout_.slot_of[index];
      if (slot >= 0) row_[slot] = ref;
    }
  }

  bool EndRow(uint32_t fields, size_t row_offset, size_t, ParseError* error) {
    if (fields != layout_.columns) {
      bool short_row = fields < layout_.columns;
      if (layout_.ragged == CsvReadOptions::Ragged::kSkip) {
        ++out_->skipped;
        return true;
      }
      if (short_row && layout_.ragged == CsvReadOptions::Ragged::kPad) {
        for (uint32_t i = fields; i < layout_.columns; ++i) {
          int32_t slot = layout_.slot_of[i];
          if (slot >= 0) row_[slot] = FieldRef::Missing();
        }
      } else {
        *error = {short_row ? ParseErrorCode::kTooFewFields : ParseErrorCode::kTooManyFields,
                  row_offset, fields};
        return false;
      }
    }
    out_->row_offsets.push_back(static_cast<uint32_t>(row_offset));
    ++out_->rows;
    return true;
  }

 private:
  void Grow(size_t need) {
    size_t capacity = std::max({need, out_->field_capacity * 2, size_t{4096}});
    if (out_->pool != nullptr) {
      out_->pool->Reserve(
          static_cast<int64_t>((capacity - out_->field_capacity) * sizeof(FieldRef)));
    }
    auto bigger = std::make_unique_for_overwrite<FieldRef[]>(capacity);
    size_t used = static_cast<size_t>(out_->rows) * layout_.slots;
    if (used > 0) std::memcpy(bigger.get(), out_->fields.get(), used * sizeof(FieldRef));
    out_->fields = std::move(bigger);
    out_->field_capacity = capacity;
  }

  const RowLayout& layout_;
  ChunkRows* out_;
  FieldRef* row_ = nullptr;
};

/// Keeps every field of every row, up to a number of rows.
class SniffSink {
 public:
  SniffSink(SniffedRows* out, int64_t max_rows) : out_(out), max_rows_(max_rows) {}

  void BeginRow() {}
  void Field(uint32_t, FieldRef ref) { out_->fields.push_back(ref); }
  bool EndRow(uint32_t, size_t row_offset, size_t row_end, ParseError*) {
    out_->row_begin.push_back(static_cast<uint32_t>(out_->fields.size()));
    out_->row_starts.push_back(row_offset);
    out_->row_ends.push_back(row_end);
    return out_->rows() < max_rows_;
  }

 private:
  SniffedRows* out_;
  int64_t max_rows_;
};

/// Keeps nothing: for finding the first error.
class NullSink {
 public:
  void BeginRow() {}
  void Field(uint32_t, FieldRef) {}
  bool EndRow(uint32_t, size_t, size_t, ParseError*) { return true; }
};

}  // namespace

ParseError CheckRows(const Dialect& dialect, const uint8_t* data, size_t begin, size_t end) {
  NullSink sink;
  return Tokenize(dialect, data, begin, end, sink);
}

void TokenizeChunk(const Dialect& dialect, const RowLayout& layout, const uint8_t* data,
                   size_t begin, size_t end, ChunkRows* out) {
  out->begin = begin;
  out->end = end;
  out->rows = 0;
  out->skipped = 0;
  out->row_offsets.clear();
  // A guess of the row count that saves most regrowing; the vectors grow as needed anyway.
  out->row_offsets.reserve((end - begin) / 32 + 1);
  LayoutSink sink(layout, out);
  out->error = Tokenize(dialect, data, begin, end, sink);
  out->newlines = CountNewlines(data, begin, end);
}

void SniffRows(const Dialect& dialect, const uint8_t* data, size_t begin, size_t end,
               int64_t max_rows, SniffedRows* out) {
  *out = SniffedRows();
  out->row_begin.push_back(0);
  if (max_rows <= 0) return;
  SniffSink sink(out, max_rows);
  out->error = Tokenize(dialect, data, begin, end, sink);
}

size_t Unescape(const Dialect& dialect, std::string_view raw, char* dst) {
  size_t out = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if ((dialect.escape != '\0' && c == dialect.escape) || c == dialect.quote) {
      // An escape takes the next byte literally; a quote here is the first of a doubled pair.
      if (i + 1 < raw.size()) c = raw[++i];
    }
    dst[out++] = c;
  }
  return out;
}

}  // namespace sluice::io::csv
