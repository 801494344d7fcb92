// The word lists of TPC-H (specification v3.0.1, clause 4.2.2.13 and dbgen's dists.dss) and the
// text pool comments are cut from (clause 4.2.2.10): a pool of sentences from the spec's grammar,
// each comment a slice of it at a random offset with a random length, as dbgen does (dbgen's pool
// is 300 MB; ours is smaller, which only makes slices repeat sooner).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::cli::tpch {

struct NationInfo {
  std::string_view name;
  int32_t region;
};
extern const std::array<NationInfo, 25> kNations;
extern const std::array<std::string_view, 5> kRegions;
extern const std::array<std::string_view, 92> kColors;
extern const std::array<std::string_view, 5> kSegments;
extern const std::array<std::string_view, 5> kPriorities;
extern const std::array<std::string_view, 4> kInstructions;
extern const std::array<std::string_view, 7> kShipModes;

constexpr int kPartTypes = 150;
constexpr int kContainers = 40;
/// p_type number t in [0, 150): syllables STANDARD..PROMO x ANODIZED..BRUSHED x TIN..COPPER.
std::string_view PartType(int t);
/// p_container number c in [0, 40): SM..WRAP x CASE..DRUM.
std::string_view Container(int c);

/// The text pool comments are sliced from; built once per run from the seed.
class TextPool {
 public:
  static constexpr int64_t kDefaultSize = 8 << 20;
  explicit TextPool(uint64_t seed, int64_t size = kDefaultSize);

  /// A comment of length uniform in [min_length, max_length] at a uniform offset of the pool.
  std::string_view Slice(uint64_t length_bits, uint64_t offset_bits, int min_length,
                         int max_length) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

/// A random string of length uniform in [10, 40] over [0-9a-zA-Z, ] (the spec's V-string of
/// mean 25, used for addresses), written to `out` (at least 40 bytes); returns its length.
int RandomVString(uint64_t bits, char* out);

/// "CC-LLL-LLL-LLLL" with country code nation + 10 (clause 4.2.2.9), written to `out` (15 bytes).
void WritePhone(uint64_t bits, int32_t nation, char* out);

}  // namespace sluice::cli::tpch
