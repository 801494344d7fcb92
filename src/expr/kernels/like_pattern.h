// SQL LIKE patterns: '%' matches any run of characters, '_' exactly one character (a UTF-8 code
// point), an optional escape character makes the next character literal. A pattern is compiled
// once into pieces (the text between '%'s), and the common shapes get fast paths: 'abc' is an
// equality, 'abc%' a prefix test, '%abc' a suffix test, '%abc%' a substring search.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::kernels {

class LikePattern {
 public:
  /// What the pattern reduces to; kGeneral needs the piece-by-piece matcher.
  enum class Shape : uint8_t { kExact, kPrefix, kSuffix, kContains, kAny, kGeneral };

  /// Compiles `pattern`, reusing this object's storage (a pattern column compiles per row).
  /// `escape` is the escape code point, if any. `fold_case` (ilike) lowercases the pattern's
  /// literal characters: the caller then matches lowercased text. Returns false, with `error`
  /// set, when the pattern ends with the escape character.
  bool Compile(std::string_view pattern, std::optional<uint32_t> escape, bool fold_case,
               std::string* error);

  /// True when all of `text` matches the pattern.
  bool Matches(std::string_view text) const;

  Shape shape() const { return shape_; }
  /// The literal text of the kExact, kPrefix, kSuffix and kContains shapes.
  std::string_view needle() const { return needle_; }

 private:
  /// A run of literal bytes, or (`wildcards` > 0) that many '_'.
  struct Segment {
    uint32_t begin = 0;  ///< Into literals_.
    uint32_t size = 0;
    uint32_t wildcards = 0;
  };
  /// The segments between two '%'.
  struct Piece {
    uint32_t first = 0;  ///< Into segments_.
    uint32_t count = 0;
  };

  bool MatchAt(const Piece& piece, std::string_view text, size_t at, size_t* end) const;
  bool MatchEndingAtEnd(const Piece& piece, std::string_view text, size_t min_start) const;
  bool FindFrom(const Piece& piece, std::string_view text, size_t from, size_t* end) const;

  Shape shape_ = Shape::kExact;
  bool leading_percent_ = false;
  bool trailing_percent_ = false;
  std::string needle_;
  std::string literals_;
  std::vector<Segment> segments_;
  std::vector<Piece> pieces_;
};

}  // namespace sluice::kernels
