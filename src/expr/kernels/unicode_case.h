// UTF-8 decoding and simple (one code point to one code point) case mapping for lower, upper
// and ilike. No Unicode library is linked, so the mapping is hand-written range rules and pair
// tables for the cased scripts of the Basic Multilingual Plane: Latin (Latin-1, Extended-A to
// -D, Extended Additional, IPA capitals, fullwidth), Greek with polytonic Greek Extended,
// Coptic, Cyrillic (with Supplement and Extended-B), Armenian, Georgian (Asomtavruli, Nuskhuri,
// Mtavruli), Glagolitic, Cherokee, Roman numerals, circled letters, and Deseret. Checked against
// DuckDB (utf8proc) over U+0080..U+2FFF and the other cased blocks: no mapping differs; some 40
// rarely used letters (late Latin Extended-D additions, Cyrillic Extended-C) keep their case.
// There is no special casing (no 'ß' -> "SS", no final sigma): like DuckDB, upper('ß') is 'ẞ'
// and lower('Σ') is 'σ'.
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice::unicode {

/// Returns the code point starting at `p` and advances `p` past it. Columns hold valid UTF-8;
/// a stray byte (binary data) decodes as itself so that nothing reads past `end`.
inline uint32_t DecodeCodePoint(const unsigned char*& p, const unsigned char* end) {
  uint32_t c = *p;
  if (c < 0x80) {
    ++p;
    return c;
  }
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (extra == 0 || end - p <= extra) {
    ++p;
    return c;
  }
  uint32_t cp = c & (0x3F >> extra);
  for (int i = 1; i <= extra; ++i) cp = (cp << 6) | (p[i] & 0x3F);
  p += extra + 1;
  return cp;
}

/// Writes `cp` as UTF-8 at `out` (room for 4 bytes) and returns the bytes written.
inline int EncodeCodePoint(uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

/// The lowercase / uppercase of one code point (itself when it has none in the table).
uint32_t ToLower(uint32_t cp);
uint32_t ToUpper(uint32_t cp);

/// True when every byte of [data, data + size) is ASCII; checks 8 bytes at a time.
bool IsAscii(const char* data, int64_t size);

/// Counts the code points of valid UTF-8 (bytes that are not continuation bytes).
int64_t CountCodePoints(const char* data, int64_t size);

/// Maps the ASCII letters of `size` ASCII bytes to upper (or lower) case, 8 bytes at a time.
void MapAsciiCase(const char* in, int64_t size, bool upper, char* out);

/// Maps every code point of `in` to lower (`upper` false) or upper case, writing at `out`,
/// which has room for 2 * in.size() bytes (a 2-byte character can map to a 3-byte one).
/// Returns the bytes written.
int64_t MapCase(std::string_view in, bool upper, char* out);

}  // namespace sluice::unicode
