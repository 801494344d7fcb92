// Chunk planning, the one sequential pass over CSV input: where rows end, tracked 64 bytes at a
// time as bitmasks of newlines, quotes and escapes, so that a block is cut into chunks for the
// parallel tokenizer at several GB/s.
#include <algorithm>
#include <cstring>

#include "io/csv/tokenizer.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sluice::io::csv {

namespace {

using Byte = unsigned char;

/// Returns the first byte in [p, end) equal to a or b, or end.
const Byte* FindEither(const Byte* p, const Byte* end, Byte a, Byte b) {
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(static_cast<char>(a));
  const __m128i vb = _mm_set1_epi8(static_cast<char>(b));
  while (end - p >= 16) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    int mask =
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(bytes, va), _mm_cmpeq_epi8(bytes, vb)));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < end && *p != a && *p != b) ++p;
  return p;
}

const Byte* FindByte(const Byte* p, const Byte* end, Byte a) {
  const void* found = std::memchr(p, a, static_cast<size_t>(end - p));
  return found != nullptr ? static_cast<const Byte*>(found) : end;
}

/// Bit i set where p[i] == c, for the 64 bytes at p.
inline uint64_t Mask64(const Byte* p, Byte c) {
#if defined(__SSE2__)
  const __m128i v = _mm_set1_epi8(static_cast<char>(c));
  uint64_t mask = 0;
  for (int i = 0; i < 4; ++i) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    mask |=
        static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, v))))
        << (16 * i);
  }
  return mask;
#else
  uint64_t mask = 0;
  for (int i = 0; i < 64; ++i) mask |= static_cast<uint64_t>(p[i] == c) << i;
  return mask;
#endif
}

/// Bit i set when an odd number of bits at or below i are set in x.
inline uint64_t PrefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

/// Bit i set where p[i] == c, for the n < 64 bytes at p.
inline uint64_t MaskTail(const Byte* p, size_t n, Byte c) {
  uint64_t mask = 0;
  for (size_t i = 0; i < n; ++i) mask |= static_cast<uint64_t>(p[i] == c) << i;
  return mask;
}

/// Plans byte by special byte: for dialects with comment lines, which only count at row starts.
ChunkPlan PlanWithComments(const Dialect& dialect, const uint8_t* data, size_t begin, size_t size,
                           size_t chunk_bytes, int64_t max_lines) {
  ChunkPlan plan;
  plan.cuts.push_back(begin);
  const Byte* p = data + begin;
  const Byte* const end = data + size;
  const bool quoting = dialect.quote != '\0';
  const Byte quote = static_cast<Byte>(dialect.quote);
  // Inside quotes only the quote and the escape matter; a doubled quote is two toggles.
  const Byte escape = static_cast<Byte>(dialect.escape != '\0' ? dialect.escape : dialect.quote);
  const Byte comment = static_cast<Byte>(dialect.comment);
  const bool has_comment = dialect.comment != '\0';
  size_t row_end = begin;
  size_t next_cut = begin + std::max<size_t>(chunk_bytes, 1);
  bool at_row_start = true;
  while (p < end && plan.lines < max_lines) {
    if (at_row_start && has_comment && *p == comment) {
      const Byte* line_end = FindByte(p, end, '\n');
      if (line_end == end) break;
      p = line_end + 1;
      row_end = static_cast<size_t>(p - data);
      ++plan.lines;
      if (row_end >= next_cut) {
        plan.cuts.push_back(row_end);
        next_cut = row_end + chunk_bytes;
      }
      continue;
    }
    at_row_start = false;
    const Byte* special = quoting ? FindEither(p, end, '\n', quote) : FindByte(p, end, '\n');
    if (special == end) break;
    if (*special == '\n') {
      p = special + 1;
      row_end = static_cast<size_t>(p - data);
      ++plan.lines;
      at_row_start = true;
      if (row_end >= next_cut) {
        plan.cuts.push_back(row_end);
        next_cut = row_end + chunk_bytes;
      }
      continue;
    }
    // An opening quote: skip to its closing quote, stepping over escaped bytes.
    const Byte* open = special;
    p = special + 1;
    while (true) {
      const Byte* stop = FindEither(p, end, quote, escape);
      if (stop == end) {
        plan.open_quote = true;
        plan.open_quote_at = static_cast<size_t>(open - data);
        p = end;
        break;
      }
      if (*stop == escape && escape != quote) {
        p = stop + 2;
        if (p >= end) {
          plan.open_quote = true;
          plan.open_quote_at = static_cast<size_t>(open - data);
          p = end;
          break;
        }
        continue;
      }
      p = stop + 1;
      break;
    }
  }
  if (row_end > plan.cuts.back()) plan.cuts.push_back(row_end);
  return plan;
}

}  // namespace

int64_t CountNewlines(const uint8_t* data, size_t begin, size_t end) {
  const Byte* p = data + begin;
  const Byte* const stop = data + end;
  int64_t count = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  while (stop - p >= 16 * 255) {  // Byte counters would overflow past 255 rounds.
    __m128i sums = _mm_setzero_si128();
    for (int round = 0; round < 255; ++round, p += 16) {
      __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      sums = _mm_sub_epi8(sums, _mm_cmpeq_epi8(bytes, newline));
    }
    __m128i wide = _mm_sad_epu8(sums, _mm_setzero_si128());
    count += _mm_cvtsi128_si64(wide) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(wide, wide));
  }
  while (stop - p >= 16) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    count += __builtin_popcount(
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline))));
    p += 16;
  }
#endif
  for (; p < stop; ++p) count += *p == '\n';
  return count;
}

ChunkPlan PlanChunks(const Dialect& dialect, const uint8_t* data, size_t begin, size_t size,
                     size_t chunk_bytes, int64_t max_lines) {
  chunk_bytes = std::clamp<size_t>(chunk_bytes, 1, size_t{1} << 40);  // No overflow below.
  if (dialect.comment != '\0') {
    return PlanWithComments(dialect, data, begin, size, chunk_bytes, max_lines);
  }
  ChunkPlan plan;
  plan.cuts.push_back(begin);
  const bool quoting = dialect.quote != '\0';
  const bool has_escape = dialect.escape != '\0';
  const Byte quote = static_cast<Byte>(dialect.quote);
  const Byte escape = static_cast<Byte>(dialect.escape);
  size_t row_end = begin;
  size_t next_cut = begin + chunk_bytes;
  bool inside = false;  // In a quoted field.
  size_t skip_to = 0;   // Bytes before this were escaped: they mean nothing.

  // Takes the row ends of a block: bit i of `ends` set for a newline outside quotes at block + i.
  auto take_row_ends = [&](size_t block, uint64_t ends) {
    if (ends == 0) return;
    if (plan.lines + __builtin_popcountll(ends) >= max_lines) {
      uint64_t kept = 0;  // The first row ends up to max_lines.
      for (int64_t room = max_lines - plan.lines; room > 0; --room, ends &= ends - 1) {
        kept |= ends & (~ends + 1);
      }
      ends = kept;
    }
    plan.lines += __builtin_popcountll(ends);
    while (true) {  // The cuts: the first row end at or past next_cut, maybe several.
      int64_t first = static_cast<int64_t>(next_cut) - 1 - static_cast<int64_t>(block);
      if (first >= 64) break;
      uint64_t candidates = first <= 0 ? ends : ends & (~uint64_t{0} << first);
      if (candidates == 0) break;
      size_t cut = block + static_cast<size_t>(__builtin_ctzll(candidates)) + 1;
      plan.cuts.push_back(cut);
      next_cut = cut + chunk_bytes;
    }
    row_end = block + 64 - static_cast<size_t>(__builtin_clzll(ends));
  };

  for (size_t block = begin; block < size && plan.lines < max_lines; block += 64) {
    const Byte* p = data + block;
    const size_t n = std::min<size_t>(64, size - block);
    uint64_t newlines = n == 64 ? Mask64(p, '\n') : MaskTail(p, n, '\n');
    uint64_t quotes = !quoting ? 0 : n == 64 ? Mask64(p, quote) : MaskTail(p, n, quote);
    if (!has_escape) {
      // The quote state is the parity of the quotes so far (a doubled quote toggles twice): a
      // prefix XOR of the quote bits marks the bytes inside quotes, newlines elsewhere end rows.
      uint64_t quoted = PrefixXor(quotes) ^ (inside ? ~uint64_t{0} : 0);
      bool inside_after = ((quoted >> (n - 1)) & 1) != 0;
      if (inside_after && quotes != 0) {
        plan.open_quote_at = block + 63 - static_cast<size_t>(__builtin_clzll(quotes));
      }
      inside = inside_after;
      take_row_ends(block, newlines & ~quoted);
      continue;
    }
    uint64_t escapes = n == 64 ? Mask64(p, escape) : MaskTail(p, n, escape);
    if (!inside && quotes == 0 && skip_to <= block) {
      take_row_ends(block, newlines);  // Escapes outside quotes are plain bytes.
      continue;
    }
    // Quotes and escapes: walk the special bytes in order.
    for (uint64_t bits = newlines | quotes | escapes; bits != 0 && plan.lines < max_lines;
         bits &= bits - 1) {
      size_t at = block + static_cast<size_t>(__builtin_ctzll(bits));
      if (at < skip_to) continue;
      Byte c = data[at];
      if (inside) {
        if (c == escape) {
          skip_to = at + 2;
        } else if (c == quote) {
          inside = false;  // A doubled quote reopens at once: two toggles.
        }
      } else if (c == quote) {
        inside = true;
        plan.open_quote_at = at;
      } else if (c == '\n') {
        take_row_ends(block, uint64_t{1} << (at - block));
      }
    }
  }
  plan.open_quote = inside && plan.lines < max_lines;
  if (row_end > plan.cuts.back()) plan.cuts.push_back(row_end);
  return plan;
}

}  // namespace sluice::io::csv
