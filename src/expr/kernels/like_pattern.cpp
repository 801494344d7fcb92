// Compiling and matching SQL LIKE patterns. The general matcher places the pieces between '%'s
// left to right at their leftmost match: every piece matches a fixed number of characters, so the
// leftmost placement leaves the most room for the rest and no backtracking is needed.
#include "expr/kernels/like_pattern.h"

#include <cstring>

#include "expr/kernels/unicode_case.h"

namespace sluice::kernels {
namespace {

// Bytes of the UTF-8 character whose first byte is `c` (1 for a stray byte).
size_t CharBytes(unsigned char c) {
  return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

}  // namespace

bool LikePattern::Compile(std::string_view pattern, std::optional<uint32_t> escape, bool fold_case,
                          std::string* error) {
  literals_.clear();
  segments_.clear();
  pieces_.clear();
  needle_.clear();
  leading_percent_ = false;
  trailing_percent_ = false;
  bool has_wildcard = false;
  bool piece_open = false;
  bool any_token = false;

  auto open_piece = [&] {
    if (!piece_open) {
      pieces_.push_back({static_cast<uint32_t>(segments_.size()), 0});
      piece_open = true;
    }
  };
  auto add_literal = [&](const unsigned char* bytes, size_t size) {
    std::string_view literal(reinterpret_cast<const char*>(bytes), size);
    char lowered[8];  // One code point: at most 4 bytes, lowercased too.
    if (fold_case) {
      literal = {lowered, static_cast<size_t>(unicode::MapCase(literal, false, lowered))};
    }
    open_piece();
    Piece& piece = pieces_.back();
    if (piece.count > 0 && segments_.back().wildcards == 0) {
      segments_.back().size += static_cast<uint32_t>(literal.size());  // Contiguous.
    } else {
      segments_.push_back(
          {static_cast<uint32_t>(literals_.size()), static_cast<uint32_t>(literal.size()), 0});
      ++piece.count;
    }
    literals_.append(literal);
  };
  auto add_wildcard = [&] {
    open_piece();
    has_wildcard = true;
    Piece& piece = pieces_.back();
    if (piece.count > 0 && segments_.back().wildcards > 0) {
      ++segments_.back().wildcards;
    } else {
      segments_.push_back({0, 0, 1});
      ++piece.count;
    }
  };

  const auto* p = reinterpret_cast<const unsigned char*>(pattern.data());
  const auto* end = p + pattern.size();
  while (p < end) {
    const unsigned char* start = p;
    uint32_t cp = unicode::DecodeCodePoint(p, end);
    bool percent = false;
    if (escape.has_value() && cp == *escape) {
      if (p == end) {
        *error = "the pattern ends with the escape character";
        return false;
      }
      const unsigned char* literal = p;
      unicode::DecodeCodePoint(p, end);
      add_literal(literal, static_cast<size_t>(p - literal));
    } else if (cp == '%') {
      percent = true;
      if (!any_token) leading_percent_ = true;
      piece_open = false;
    } else if (cp == '_') {
      add_wildcard();
    } else {
      add_literal(start, static_cast<size_t>(p - start));
    }
    trailing_percent_ = percent;
    any_token = true;
  }

  if (has_wildcard || pieces_.size() > 1) {
    shape_ = Shape::kGeneral;
  } else if (pieces_.empty()) {
    shape_ = leading_percent_ ? Shape::kAny : Shape::kExact;  // "%...%" or "".
  } else {
    needle_ = literals_;
    shape_ = !leading_percent_ ? (trailing_percent_ ? Shape::kPrefix : Shape::kExact)
                               : (trailing_percent_ ? Shape::kContains : Shape::kSuffix);
  }
  return true;
}

bool LikePattern::Matches(std::string_view text) const {
  switch (shape_) {
    case Shape::kExact: return text == needle_;
    case Shape::kPrefix: return text.starts_with(needle_);
    case Shape::kSuffix: return text.ends_with(needle_);
    case Shape::kContains:
      return memmem(text.data(), text.size(), needle_.data(), needle_.size()) != nullptr;
    case Shape::kAny: return true;
    case Shape::kGeneral: break;
  }
  size_t pos = 0;
  const size_t count = pieces_.size();
  for (size_t i = 0; i < count; ++i) {
    const Piece& piece = pieces_[i];
    const bool last = i + 1 == count;
    size_t end = 0;
    if (i == 0 && !leading_percent_) {
      if (!MatchAt(piece, text, 0, &end)) return false;
      if (last && !trailing_percent_) return end == text.size();
      pos = end;
      continue;
    }
    if (last && !trailing_percent_) return MatchEndingAtEnd(piece, text, pos);
    if (!FindFrom(piece, text, pos, &end)) return false;
    pos = end;
  }
  return true;
}

bool LikePattern::MatchAt(const Piece& piece, std::string_view text, size_t at, size_t* end) const {
  size_t p = at;
  for (uint32_t s = piece.first; s < piece.first + piece.count; ++s) {
    const Segment& segment = segments_[s];
    if (segment.wildcards == 0) {
      if (text.size() - p < segment.size ||
          std::memcmp(text.data() + p, literals_.data() + segment.begin, segment.size) != 0) {
        return false;
      }
      p += segment.size;
      continue;
    }
    for (uint32_t n = 0; n < segment.wildcards; ++n) {
      if (p >= text.size()) return false;
      p += CharBytes(static_cast<unsigned char>(text[p]));
      if (p > text.size()) p = text.size();
    }
  }
  *end = p;
  return true;
}

bool LikePattern::MatchEndingAtEnd(const Piece& piece, std::string_view text,
                                   size_t min_start) const {
  size_t e = text.size();
  for (uint32_t s = piece.first + piece.count; s-- > piece.first;) {
    const Segment& segment = segments_[s];
    if (segment.wildcards == 0) {
      if (e < min_start + segment.size ||
          std::memcmp(text.data() + e - segment.size, literals_.data() + segment.begin,
                      segment.size) != 0) {
        return false;
      }
      e -= segment.size;
      continue;
    }
    for (uint32_t n = 0; n < segment.wildcards; ++n) {
      if (e <= min_start) return false;
      --e;
      while (e > min_start && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) --e;
    }
  }
  return true;
}

bool LikePattern::FindFrom(const Piece& piece, std::string_view text, size_t from,
                           size_t* end) const {
  const Segment& first = segments_[piece.first];
  if (first.wildcards == 0) {
    // Only positions where the first literal occurs can start a match: find them with memmem.
    const char* needle = literals_.data() + first.begin;
    size_t p = from;
    while (p + first.size <= text.size()) {
      const void* hit = memmem(text.data() + p, text.size() - p, needle, first.size);
      if (hit == nullptr) return false;
      size_t at = static_cast<size_t>(static_cast<const char*>(hit) - text.data());
      if (MatchAt(piece, text, at, end)) return true;
      p = at + 1;
    }
    return false;
  }
  for (size_t p = from; p < text.size(); p += CharBytes(static_cast<unsigned char>(text[p]))) {
    if (MatchAt(piece, text, p, end)) return true;
  }
  return false;
}

}  // namespace sluice::kernels
