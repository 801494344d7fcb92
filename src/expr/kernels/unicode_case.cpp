// Simple case mapping: range rules, cached in tables for the 2-byte UTF-8 range (U+0080..U+07FF,
// where Latin, Greek, Cyrillic and Armenian live) so that the common non-ASCII case is one load.
#include "expr/kernels/unicode_case.h"

#include <array>
#include <bit>
#include <cstring>

namespace sluice::unicode {
namespace {

bool In(uint32_t cp, uint32_t low, uint32_t high) {
  return cp >= low && cp <= high;
}
// True when cp is in [low, high] at an even distance from low: the first of a case pair.
bool FirstOfPair(uint32_t cp, uint32_t low, uint32_t high) {
  return In(cp, low, high) && (cp - low) % 2 == 0;
}

uint32_t LowerRule(uint32_t cp) {
  if (In(cp, 'A', 'Z')) return cp + 32;
  if (cp < 0xC0) return cp;
  if (In(cp, 0xC0, 0xDE)) return cp == 0xD7 ? cp : cp + 32;
  if (cp < 0x530) {
    if (FirstOfPair(cp, 0x100, 0x12F) || FirstOfPair(cp, 0x132, 0x137) ||
        FirstOfPair(cp, 0x139, 0x148) || FirstOfPair(cp, 0x14A, 0x177) ||
        FirstOfPair(cp, 0x179, 0x17E) || FirstOfPair(cp, 0x1CD, 0x1DC) ||
        FirstOfPair(cp, 0x1DE, 0x1EF) || FirstOfPair(cp, 0x1F8, 0x21F) ||
        FirstOfPair(cp, 0x222, 0x233) || FirstOfPair(cp, 0x246, 0x24F) ||
        FirstOfPair(cp, 0x370, 0x373) || cp == 0x376 || cp == 0x1F4 ||
        FirstOfPair(cp, 0x3D8, 0x3EF) || cp == 0x3F7 || cp == 0x3FA ||
        FirstOfPair(cp, 0x460, 0x481) || FirstOfPair(cp, 0x48A, 0x4BF) ||
        FirstOfPair(cp, 0x4C1, 0x4CE) || FirstOfPair(cp, 0x4D0, 0x52F)) {
      return cp + 1;
    }
    switch (cp) {
      case 0x130: return 'i';
      case 0x178: return 0xFF;
      case 0x1C4:
      case 0x1C5: return 0x1C6;
      case 0x1C7:
      case 0x1C8: return 0x1C9;
      case 0x1CA:
      case 0x1CB: return 0x1CC;
      case 0x1F1:
      case 0x1F2: return 0x1F3;
      case 0x386: return 0x3AC;
      case 0x38C: return 0x3CC;
      case 0x38E:
      case 0x38F: return cp + 63;
      case 0x3F4: return 0x3B8;
      case 0x3F9: return 0x3F2;
      case 0x4C0: return 0x4CF;
      default: break;
    }
    if (In(cp, 0x388, 0x38A)) return cp + 37;
    if (In(cp, 0x391, 0x3A1) || In(cp, 0x3A3, 0x3AB)) return cp + 32;
    if (In(cp, 0x3FD, 0x3FF)) return cp - 0x3FD + 0x37B;
    if (In(cp, 0x400, 0x40F)) return cp + 80;
    if (In(cp, 0x410, 0x42F)) return cp + 32;
    return cp;
  }
  if (In(cp, 0x531, 0x556)) return cp + 48;
  if (In(cp, 0x10A0, 0x10C5)) return cp + 0x1C60;
  if (cp == 0x10C7 || cp == 0x10CD) return cp + 0x1C60;
  if (FirstOfPair(cp, 0x1E00, 0x1E95) || FirstOfPair(cp, 0x1EA0, 0x1EFF)) return cp + 1;
  if (cp == 0x1E9E) return 0xDF;
  if (cp == 0x2126) return 0x3C9;
  if (cp == 0x212A) return 'k';
  if (cp == 0x212B) return 0xE5;
  if (In(cp, 0x2160, 0x216F)) return cp + 16;
  if (In(cp, 0x24B6, 0x24CF)) return cp + 26;
  if (In(cp, 0x2C00, 0x2C2F)) return cp + 48;
  if (In(cp, 0xFF21, 0xFF3A)) return cp + 32;
  if (In(cp, 0x10400, 0x10427)) return cp + 40;
  return cp;
}

uint32_t UpperRule(uint32_t cp) {
  if (In(cp, 'a', 'z')) return cp - 32;
  if (cp < 0xB5) return cp;
  if (In(cp, 0xE0, 0xFE)) return cp == 0xF7 ? cp : cp - 32;
  if (cp < 0x590) {
    if (FirstOfPair(cp, 0x101, 0x130) || FirstOfPair(cp, 0x133, 0x137) ||
        FirstOfPair(cp, 0x13A, 0x148) || FirstOfPair(cp, 0x14B, 0x177) ||
        FirstOfPair(cp, 0x17A, 0x17E) || FirstOfPair(cp, 0x1CE, 0x1DC) ||
        FirstOfPair(cp, 0x1DF, 0x1EF) || FirstOfPair(cp, 0x1F9, 0x21F) ||
        FirstOfPair(cp, 0x223, 0x233) || FirstOfPair(cp, 0x247, 0x24F) ||
        FirstOfPair(cp, 0x371, 0x373) || cp == 0x377 || cp == 0x1F5 ||
        FirstOfPair(cp, 0x3D9, 0x3EF) || cp == 0x3F8 || cp == 0x3FB ||
        FirstOfPair(cp, 0x461, 0x481) || FirstOfPair(cp, 0x48B, 0x4BF) ||
        FirstOfPair(cp, 0x4C2, 0x4CE) || FirstOfPair(cp, 0x4D1, 0x52F)) {
      return cp - 1;
    }
    switch (cp) {
      case 0xB5: return 0x39C;
      case 0xDF: return 0x1E9E;
      case 0xFF: return 0x178;
      case 0x131: return 'I';
      case 0x17F: return 'S';
      case 0x1C5:
      case 0x1C6: return 0x1C4;
      case 0x1C8:
      case 0x1C9: return 0x1C7;
      case 0x1CB:
      case 0x1CC: return 0x1CA;
      case 0x1F2:
      case 0x1F3: return 0x1F1;
      case 0x3AC: return 0x386;
      case 0x3CC: return 0x38C;
      case 0x3CD:
      case 0x3CE: return cp - 63;
      case 0x3C2: return 0x3A3;
      case 0x3D0: return 0x392;
      case 0x3D1: return 0x398;
      case 0x3D5: return 0x3A6;
      case 0x3D6: return 0x3A0;
      case 0x3F0: return 0x39A;
      case 0x3F1: return 0x3A1;
      case 0x3F2: return 0x3F9;
      case 0x3F5: return 0x395;
      case 0x4CF: return 0x4C0;
      default: break;
    }
    if (In(cp, 0x37B, 0x37D)) return cp - 0x37B + 0x3FD;
    if (In(cp, 0x3AD, 0x3AF)) return cp - 37;
    if (In(cp, 0x3B1, 0x3C1) || In(cp, 0x3C3, 0x3CB)) return cp - 32;
    if (In(cp, 0x430, 0x44F)) return cp - 32;
    if (In(cp, 0x450, 0x45F)) return cp - 80;
    if (In(cp, 0x561, 0x586)) return cp - 48;
    return cp;
  }
  if (In(cp, 0x2D00, 0x2D25) || cp == 0x2D27 || cp == 0x2D2D) return cp - 0x1C60;
  if (FirstOfPair(cp, 0x1E01, 0x1E95) || FirstOfPair(cp, 0x1EA1, 0x1EFF)) return cp - 1;
  if (In(cp, 0x2170, 0x217F)) return cp - 16;
  if (In(cp, 0x24D0, 0x24E9)) return cp - 26;
  if (In(cp, 0x2C30, 0x2C5F)) return cp - 48;
  if (In(cp, 0xFF41, 0xFF5A)) return cp - 32;
  if (In(cp, 0x10428, 0x1044F)) return cp - 40;
  return cp;
}

// Case pairs that follow no range rule (Latin Extended-B/C/D, IPA letters with capitals).
struct CasePair {
  uint32_t upper;
  uint32_t lower;
};
constexpr CasePair kIrregularPairs[] = {
    {0x181, 0x253},   {0x182, 0x183},   {0x184, 0x185},   {0x186, 0x254},   {0x187, 0x188},
    {0x189, 0x256},   {0x18A, 0x257},   {0x18B, 0x18C},   {0x18E, 0x1DD},   {0x18F, 0x259},
    {0x190, 0x25B},   {0x191, 0x192},   {0x193, 0x260},   {0x194, 0x263},   {0x196, 0x269},
    {0x197, 0x268},   {0x198, 0x199},   {0x19C, 0x26F},   {0x19D, 0x272},   {0x19F, 0x275},
    {0x1A0, 0x1A1},   {0x1A2, 0x1A3},   {0x1A4, 0x1A5},   {0x1A6, 0x280},   {0x1A7, 0x1A8},
    {0x1A9, 0x283},   {0x1AC, 0x1AD},   {0x1AE, 0x288},   {0x1AF, 0x1B0},   {0x1B1, 0x28A},
    {0x1B2, 0x28B},   {0x1B3, 0x1B4},   {0x1B5, 0x1B6},   {0x1B7, 0x292},   {0x1B8, 0x1B9},
    {0x1BC, 0x1BD},   {0x1F6, 0x195},   {0x1F7, 0x1BF},   {0x220, 0x19E},   {0x23A, 0x2C65},
    {0x23B, 0x23C},   {0x23D, 0x19A},   {0x23E, 0x2C66},  {0x241, 0x242},   {0x243, 0x180},
    {0x244, 0x289},   {0x245, 0x28C},   {0x37F, 0x3F3},   {0x3CF, 0x3D7},   {0x2C6F, 0x250},
    {0x2C6D, 0x251},  {0x2C70, 0x252},  {0xA7AB, 0x25C},  {0xA7AC, 0x261},  {0xA78D, 0x265},
    {0xA7AA, 0x266},  {0xA7AE, 0x26A},  {0x2C62, 0x26B},  {0xA7AD, 0x26C},  {0x2C6E, 0x271},
    {0x2C64, 0x27D},  {0xA7B1, 0x287},  {0xA7B2, 0x29D},  {0xA7B0, 0x29E},  {0x2C7F, 0x240},
    {0x2C7E, 0x23F},  {0x2C60, 0x2C61}, {0x2C63, 0x1D7D}, {0x2C67, 0x2C68}, {0x2C69, 0x2C6A},
    {0x2C6B, 0x2C6C}, {0x2C72, 0x2C73}, {0x2C75, 0x2C76}, {0xA77D, 0x1D79}, {0xA78B, 0xA78C},
    {0xA7C6, 0x1D8E}, {0x2132, 0x214E}, {0x2183, 0x2184}, {0x2CEB, 0x2CEC}, {0x2CED, 0x2CEE},
    {0x2CF2, 0x2CF3},
};

// Greek Extended (polytonic Greek): capitals sit 8 above their small letters in most rows.
uint32_t GreekExtendedLower(uint32_t cp) {
  const uint32_t row = cp & ~0xFu;
  const uint32_t column = cp & 0xFu;
  if (column >= 8 && (row == 0x1F00 || row == 0x1F20 || row == 0x1F30 || row == 0x1F60 ||
                      row == 0x1F80 || row == 0x1F90 || row == 0x1FA0)) {
    return cp - 8;
  }
  if ((row == 0x1F10 || row == 0x1F40) && column >= 8 && column <= 13) return cp - 8;
  switch (cp) {
    case 0x1F59:
    case 0x1F5B:
    case 0x1F5D:
    case 0x1F5F:
    case 0x1FB8:
    case 0x1FB9:
    case 0x1FD8:
    case 0x1FD9:
    case 0x1FE8:
    case 0x1FE9: return cp - 8;
    case 0x1FBA:
    case 0x1FBB: return cp - 74;
    case 0x1FC8:
    case 0x1FC9:
    case 0x1FCA:
    case 0x1FCB: return cp - 86;
    case 0x1FDA:
    case 0x1FDB: return cp - 100;
    case 0x1FEA:
    case 0x1FEB: return cp - 112;
    case 0x1FF8:
    case 0x1FF9: return cp - 128;
    case 0x1FFA:
    case 0x1FFB: return cp - 126;
    case 0x1FBC: return 0x1FB3;
    case 0x1FCC: return 0x1FC3;
    case 0x1FEC: return 0x1FE5;
    case 0x1FFC: return 0x1FF3;
    default: return cp;
  }
}

uint32_t GreekExtendedUpper(uint32_t cp) {
  const uint32_t row = cp & ~0xFu;
  const uint32_t column = cp & 0xFu;
  if (column < 8 && (row == 0x1F00 || row == 0x1F20 || row == 0x1F30 || row == 0x1F60 ||
                     row == 0x1F80 || row == 0x1F90 || row == 0x1FA0)) {
    return cp + 8;
  }
  if ((row == 0x1F10 || row == 0x1F40) && column <= 5) return cp + 8;
  switch (cp) {
    case 0x1F51:
    case 0x1F53:
    case 0x1F55:
    case 0x1F57:
    case 0x1FB0:
    case 0x1FB1:
    case 0x1FD0:
    case 0x1FD1:
    case 0x1FE0:
    case 0x1FE1: return cp + 8;
    case 0x1F70:
    case 0x1F71: return cp + 74;
    case 0x1F72:
    case 0x1F73:
    case 0x1F74:
    case 0x1F75: return cp + 86;
    case 0x1F76:
    case 0x1F77: return cp + 100;
    case 0x1F7A:
    case 0x1F7B: return cp + 112;
    case 0x1F78:
    case 0x1F79: return cp + 128;
    case 0x1F7C:
    case 0x1F7D: return cp + 126;
    case 0x1FB3: return 0x1FBC;
    case 0x1FC3: return 0x1FCC;
    case 0x1FE5: return 0x1FEC;
    case 0x1FF3: return 0x1FFC;
    case 0x1FBE: return 0x399;
    default: return cp;
  }
}

// The scripts and blocks the main rules leave out.
uint32_t LowerExtra(uint32_t cp) {
  for (const CasePair& pair : kIrregularPairs) {
    if (pair.upper == cp) return pair.lower;
  }
  if (In(cp, 0x1F08, 0x1FFC)) return GreekExtendedLower(cp);
  if (In(cp, 0x13A0, 0x13EF)) return cp + 0x97D0;  // Cherokee.
  if (In(cp, 0x13F0, 0x13F5)) return cp + 8;
  if (In(cp, 0x1C90, 0x1CBA) || In(cp, 0x1CBD, 0x1CBF)) return cp - 0xBC0;  // Mtavruli.
  if (FirstOfPair(cp, 0x2C80, 0x2CE3) || FirstOfPair(cp, 0xA640, 0xA66D) ||
      FirstOfPair(cp, 0xA680, 0xA69B) || FirstOfPair(cp, 0xA722, 0xA72F) ||
      FirstOfPair(cp, 0xA732, 0xA76F) || FirstOfPair(cp, 0xA77E, 0xA787) ||
      FirstOfPair(cp, 0xA790, 0xA793) || FirstOfPair(cp, 0xA796, 0xA7A9) ||
      FirstOfPair(cp, 0xA779, 0xA77C)) {
    return cp + 1;
  }
  return cp;
}

uint32_t UpperExtra(uint32_t cp) {
  for (const CasePair& pair : kIrregularPairs) {
    if (pair.lower == cp) return pair.upper;
  }
  if (In(cp, 0x1F00, 0x1FF3)) return GreekExtendedUpper(cp);
  if (In(cp, 0xAB70, 0xABBF)) return cp - 0x97D0;  // Cherokee.
  if (In(cp, 0x13F8, 0x13FD)) return cp - 8;
  if (In(cp, 0x10D0, 0x10FA) || In(cp, 0x10FD, 0x10FF)) return cp + 0xBC0;  // Mkhedruli.
  if (FirstOfPair(cp, 0x2C81, 0x2CE3) || FirstOfPair(cp, 0xA641, 0xA66D) ||
      FirstOfPair(cp, 0xA681, 0xA69B) || FirstOfPair(cp, 0xA723, 0xA72F) ||
      FirstOfPair(cp, 0xA733, 0xA76F) || FirstOfPair(cp, 0xA77F, 0xA787) ||
      FirstOfPair(cp, 0xA791, 0xA793) || FirstOfPair(cp, 0xA797, 0xA7A9) ||
      FirstOfPair(cp, 0xA77A, 0xA77C)) {
    return cp - 1;
  }
  return cp;
}

// True for code points in blocks without case (CJK, Hangul, ...): the common fast exit.
bool Caseless(uint32_t cp) {
  return (cp >= 0x3000 && cp < 0xA640) || (cp >= 0xA800 && cp < 0xAB70) ||
         (cp >= 0xAC00 && cp < 0xFF21) || cp >= 0x10450;
}

constexpr uint32_t kTableSize = 0x800;

constexpr uint64_t kHighBits = 0x8080808080808080ULL;
constexpr uint64_t kOnes = 0x0101010101010101ULL;

// Maps the letters of eight ASCII bytes to upper or lower case without a branch: bit 7 of a
// byte of `above_first` is set when the byte is >= 'a' (or 'A'), of `above_last` when it is
// > 'z' (or 'Z'); no byte overflows into the next as every byte is below 0x80. Flipping bit 5
// (0x80 >> 2) switches the case of a letter.
uint64_t MapAsciiWord(uint64_t word, bool upper) {
  const uint64_t first = upper ? 'a' : 'A';
  const uint64_t last = upper ? 'z' : 'Z';
  const uint64_t above_first = word + (0x80 - first) * kOnes;
  const uint64_t above_last = word + (0x7F - last) * kOnes;
  const uint64_t letters = above_first & ~above_last & kHighBits;
  return word ^ (letters >> 2);
}

uint32_t Lower(uint32_t cp) {
  if (Caseless(cp)) return cp;
  uint32_t mapped = LowerRule(cp);
  return mapped != cp ? mapped : LowerExtra(cp);
}

uint32_t Upper(uint32_t cp) {
  if (Caseless(cp)) return cp;
  uint32_t mapped = UpperRule(cp);
  return mapped != cp ? mapped : UpperExtra(cp);
}

struct CaseTables {
  std::array<uint32_t, kTableSize> lower;
  std::array<uint32_t, kTableSize> upper;
  CaseTables() {
    for (uint32_t cp = 0; cp < kTableSize; ++cp) {
      lower[cp] = Lower(cp);
      upper[cp] = Upper(cp);
    }
  }
};

const CaseTables& Tables() {
  static const CaseTables tables;
  return tables;
}

}  // namespace

uint32_t ToLower(uint32_t cp) {
  return cp < kTableSize ? Tables().lower[cp] : Lower(cp);
}

uint32_t ToUpper(uint32_t cp) {
  return cp < kTableSize ? Tables().upper[cp] : Upper(cp);
}

bool IsAscii(const char* data, int64_t size) {
  int64_t i = 0;
  uint64_t any_high = 0;
  for (; i + 32 <= size; i += 32) {
    uint64_t words[4];
    std::memcpy(words, data + i, sizeof(words));
    any_high |= words[0] | words[1] | words[2] | words[3];
  }
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, sizeof(word));
    any_high |= word;
  }
  if ((any_high & 0x8080808080808080ULL) != 0) return false;
  for (; i < size; ++i) {
    if (static_cast<unsigned char>(data[i]) >= 0x80) return false;
  }
  return true;
}

int64_t CountCodePoints(const char* data, int64_t size) {
  // Eight bytes at a time: a continuation byte is 10xxxxxx, i.e. bit 7 set and bit 6 clear.
  int64_t continuations = 0;
  int64_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, sizeof(word));
    continuations += std::popcount(word & ~(word << 1) & kHighBits);
  }
  for (; i < size; ++i) continuations += (static_cast<unsigned char>(data[i]) & 0xC0) == 0x80;
  return size - continuations;
}

void MapAsciiCase(const char* in, int64_t size, bool upper, char* out) {
  int64_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, in + i, sizeof(word));
    word = MapAsciiWord(word, upper);
    std::memcpy(out + i, &word, sizeof(word));
  }
  for (; i < size; ++i) {
    auto c = static_cast<unsigned char>(in[i]);
    out[i] = static_cast<char>(upper ? c - (static_cast<unsigned char>(c - 'a') < 26) * 32
                                     : c + (static_cast<unsigned char>(c - 'A') < 26) * 32);
  }
}

int64_t MapCase(std::string_view in, bool upper, char* out) {
  const CaseTables& tables = Tables();
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const auto* end = p + in.size();
  char* start = out;
  while (p < end) {
    if (end - p >= 8) {  // A run of ASCII: eight bytes at a time.
      uint64_t word;
      std::memcpy(&word, p, sizeof(word));
      if ((word & kHighBits) == 0) {
        word = MapAsciiWord(word, upper);
        std::memcpy(out, &word, sizeof(word));
        p += 8;
        out += 8;
        continue;
      }
    }
    unsigned char c = *p;
    if (c < 0x80) {
      *out++ = static_cast<char>(upper ? c - (static_cast<unsigned char>(c - 'a') < 26) * 32
                                       : c + (static_cast<unsigned char>(c - 'A') < 26) * 32);
      ++p;
      continue;
    }
    const unsigned char* before = p;
    uint32_t cp = DecodeCodePoint(p, end);
    if (p - before == 1) {  // A stray byte, not a character: keep it as it is.
      *out++ = static_cast<char>(c);
      continue;
    }
    uint32_t mapped = cp < kTableSize ? (upper ? tables.upper[cp] : tables.lower[cp])
                                      : (upper ? Upper(cp) : Lower(cp));
    out += EncodeCodePoint(mapped, out);
  }
  return out - start;
}

}  // namespace sluice::unicode
