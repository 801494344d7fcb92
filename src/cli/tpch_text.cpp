// Word lists and the text pool of the TPC-H generator. The grammar (sentence -> noun phrase, verb
// phrase, prepositional phrase, terminator) and the word weights are dbgen's dists.dss.
#include "cli/tpch_text.h"

#include "cli/tpch_columns.h"
#include "cli/tpch_random.h"

namespace sluice::cli::tpch {

const std::array<NationInfo, 25> kNations = {
    {{"ALGERIA", 0},      {"ARGENTINA", 1}, {"BRAZIL", 1}, {"CANADA", 1},
     {"EGYPT", 4},        {"ETHIOPIA", 0},  {"FRANCE", 3}, {"GERMANY", 3},
     {"INDIA", 2},        {"INDONESIA", 2}, {"IRAN", 4},   {"IRAQ", 4},
     {"JAPAN", 2},        {"JORDAN", 4},    {"KENYA", 0},  {"MOROCCO", 0},
     {"MOZAMBIQUE", 0},   {"PERU", 1},      {"CHINA", 2},  {"ROMANIA", 3},
     {"SAUDI ARABIA", 4}, {"VIETNAM", 2},   {"RUSSIA", 3}, {"UNITED KINGDOM", 3},
     {"UNITED STATES", 1}}};

const std::array<std::string_view, 5> kRegions = {"AFRICA", "AMERICA", "ASIA", "EUROPE",
                                                  "MIDDLE EAST"};

const std::array<std::string_view, 92> kColors = {
    "almond",   "antique",   "aquamarine", "azure",      "beige",     "bisque",    "black",
    "blanched", "blue",      "blush",      "brown",      "burlywood", "burnished", "chartreuse",
    "chiffon",  "chocolate", "coral",      "cornflower", "cornsilk",  "cream",     "cyan",
    "dark",     "deep",      "dim",        "dodger",     "drab",      "firebrick", "floral",
    "forest",   "frosted",   "gainsboro",  "ghost",      "goldenrod", "green",     "grey",
    "honeydew", "hot",       "indian",     "ivory",      "khaki",     "lace",      "lavender",
    "lawn",     "lemon",     "light",      "lime",       "linen",     "magenta",   "maroon",
    "medium",   "metallic",  "midnight",   "mint",       "misty",     "moccasin",  "navajo",
    "navy",     "olive",     "orange",     "orchid",     "pale",      "papaya",    "peach",
    "peru",     "pink",      "plum",       "powder",     "puff",      "purple",    "red",
    "rose",     "rosy",      "royal",      "saddle",     "salmon",    "sandy",     "seashell",
    "sienna",   "sky",       "slate",      "smoke",      "snow",      "spring",    "steel",
    "tan",      "thistle",   "tomato",     "turquoise",  "violet",    "wheat",     "white",
    "yellow"};

const std::array<std::string_view, 5> kSegments = {"AUTOMOBILE", "BUILDING", "FURNITURE",
                                                   "HOUSEHOLD", "MACHINERY"};
const std::array<std::string_view, 5> kPriorities = {"1-URGENT", "2-HIGH", "3-MEDIUM",
                                                     "4-NOT SPECIFIED", "5-LOW"};
const std::array<std::string_view, 4> kInstructions = {"DELIVER IN PERSON", "COLLECT COD",
                                                       "TAKE BACK RETURN", "NONE"};
const std::array<std::string_view, 7> kShipModes = {"REG AIR", "AIR", "RAIL", "TRUCK",
                                                    "MAIL",    "FOB", "SHIP"};

namespace {

template <size_t A, size_t B, size_t C>
std::array<std::string, A * B * C> Combine(const std::array<std::string_view, A>& a,
                                           const std::array<std::string_view, B>& b,
                                           const std::array<std::string_view, C>& c) {
  std::array<std::string, A * B * C> out;
  size_t i = 0;
  for (auto x : a) {
    for (auto y : b) {
      for (auto z : c) {
        std::string word(x);
        if (!y.empty()) word.append(" ").append(y);
        word.append(" ").append(z);
        out[i++] = std::move(word);
      }
    }
  }
  return out;
}

constexpr std::array<std::string_view, 6> kTypeSize = {"STANDARD", "SMALL",   "MEDIUM",
                                                       "LARGE",    "ECONOMY", "PROMO"};
constexpr std::array<std::string_view, 5> kTypeFinish = {"ANODIZED", "BURNISHED", "PLATED",
                                                         "POLISHED", "BRUSHED"};
constexpr std::array<std::string_view, 5> kTypeMetal = {"TIN", "NICKEL", "BRASS", "STEEL",
                                                        "COPPER"};
constexpr std::array<std::string_view, 5> kContainerSize = {"SM", "LG", "MED", "JUMBO", "WRAP"};
constexpr std::array<std::string_view, 1> kNoWord = {""};
constexpr std::array<std::string_view, 8> kContainerKind = {"CASE", "BOX", "BAG", "JAR",
                                                            "PACK", "PKG", "CAN", "DRUM"};

// dists.dss weights.
constexpr WeightedWord kNouns[] = {
    {"packages", 40},     {"requests", 40},     {"accounts", 40},    {"deposits", 40},
    {"foxes", 20},        {"ideas", 20},        {"theodolites", 20}, {"pinto beans", 20},
    {"instructions", 20}, {"dependencies", 10}, {"excuses", 10},     {"platelets", 10},
    {"asymptotes", 10},   {"courts", 5},        {"dolphins", 5},     {"multipliers", 1},
    {"sauternes", 1},     {"warthogs", 1},      {"frets", 1},        {"dinos", 1},
    {"attainments", 1},   {"somas", 1},         {"Tiresias", 1},     {"patterns", 1},
    {"forges", 1},        {"braids", 1},        {"frays", 1},        {"warhorses", 1},
    {"dugouts", 1},       {"notornis", 1},      {"epitaphs", 1},     {"pearls", 1},
    {"tithes", 1},        {"waters", 1},        {"orbits", 1},       {"gifts", 1},
    {"sheaves", 1},       {"depths", 1},        {"sentiments", 1},   {"decoys", 1},
    {"realms", 1},        {"pains", 1},         {"grouches", 1},     {"escapades", 1},
    {"hockey players", 1}};
constexpr WeightedWord kVerbs[] = {
    {"sleep", 20},    {"wake", 20},    {"are", 20},   {"cajole", 20}, {"haggle", 20},
    {"nag", 10},      {"use", 10},     {"boost", 10}, {"affix", 5},   {"detect", 5},
    {"integrate", 5}, {"maintain", 1}, {"nod", 1},    {"was", 1},     {"lose", 1},
    {"sublate", 1},   {"solve", 1},    {"thrash", 1}, {"promise", 1}, {"engage", 1},
    {"hinder", 1},    {"print", 1},    {"x-ray", 1},  {"breach", 1},  {"eat", 1},
    {"grow", 1},      {"impress", 1},  {"mold", 1},   {"poach", 1},   {"serve", 1},
    {"run", 1},       {"dazzle", 1},   {"snooze", 1}, {"doze", 1},    {"unwind", 1},
    {"kindle", 1},    {"play", 1},     {"hang", 1},   {"believe", 1}, {"doubt", 1}};
constexpr WeightedWord kAdverbs[] = {
    {"sometimes", 1},  {"always", 1},     {"never", 1},      {"furiously", 50},  {"slyly", 50},
    {"carefully", 50}, {"blithely", 40},  {"quickly", 30},   {"fluffily", 20},   {"slowly", 1},
    {"quietly", 1},    {"ruthlessly", 1}, {"thinly", 1},     {"closely", 1},     {"doggedly", 1},
    {"daringly", 1},   {"bravely", 1},    {"stealthily", 1}, {"permanently", 1}, {"enticingly", 1},
    {"idly", 1},       {"busily", 1},     {"regularly", 1},  {"finally", 1},     {"ironically", 1},
    {"evenly", 1},     {"boldly", 1},     {"silently", 1}};
constexpr WeightedWord kPrepositions[] = {{"about", 50},
                                          {"above", 50},
                                          {"according to", 50},
                                          {"across", 50},
                                          {"after", 50},
                                          {"against", 40},
                                          {"along", 40},
                                          {"alongside of", 30},
                                          {"among", 30},
                                          {"around", 20},
                                          {"at", 10},
                                          {"atop", 1},
                                          {"before", 1},
                                          {"behind", 1},
                                          {"beneath", 1},
                                          {"beside", 1},
                                          {"besides", 1},
                                          {"between", 1},
                                          {"beyond", 1},
                                          {"by", 1},
                                          {"despite", 1},
                                          {"during", 1},
                                          {"except", 1},
                                          {"for", 1},
                                          {"from", 1},
                                          {"in place of", 1},
                                          {"inside", 1},
                                          {"instead of", 1},
                                          {"into", 1},
                                          {"near", 1},
                                          {"of", 1},
                                          {"on", 1},
                                          {"outside", 1},
                                          {"over", 1},
                                          {"past", 1},
                                          {"since", 1},
                                          {"through", 1},
                                          {"throughout", 1},
                                          {"to", 1},
                                          {"toward", 1},
                                          {"under", 1},
                                          {"until", 1},
                                          {"up", 1},
                                          {"upon", 1},
                                          {"without", 1},
                                          {"with", 1},
                                          {"within", 1}};
constexpr WeightedWord kAuxiliaries[] = {{"do", 1},
                                         {"may", 1},
                                         {"might", 1},
                                         {"shall", 1},
                                         {"will", 1},
                                         {"would", 1},
                                         {"can", 1},
                                         {"could", 1},
                                         {"should", 1},
                                         {"ought to", 1},
                                         {"must", 1},
                                         {"will have to", 1},
                                         {"shall have to", 1},
                                         {"could have to", 1},
                                         {"should have to", 1},
                                         {"must have to", 1},
                                         {"need to", 1},
                                         {"try to", 1}};
constexpr WeightedWord kTerminators[] = {{".", 50}, {";", 1}, {":", 1},
                                         {"?", 1},  {"!", 1}, {"--", 1}};
constexpr WeightedWord kAdjectives[] = {
    {"special", 20}, {"pending", 20}, {"unusual", 20}, {"express", 20}, {"furious", 1},
    {"sly", 1},      {"careful", 1},  {"blithe", 1},   {"quick", 1},    {"fluffy", 1},
    {"slow", 1},     {"quiet", 1},    {"ruthless", 1}, {"thin", 1},     {"close", 1},
    {"dogged", 1},   {"daring", 1},   {"brave", 1},    {"stealthy", 1}, {"permanent", 1},
    {"enticing", 1}, {"idle", 1},     {"busy", 1},     {"regular", 50}, {"final", 40},
    {"ironic", 40},  {"even", 30},    {"bold", 20},    {"silent", 10}};
// Sentence forms: N = noun phrase, V = verb phrase, P = prepositional phrase, T = terminator.
constexpr WeightedWord kGrammar[] = {
    {"NVT", 3}, {"NVPT", 3}, {"NVNT", 3}, {"NPVNT", 1}, {"NPVPT", 1}};
// Noun phrases: N = noun, J = adjective, ',' = comma after the previous word, D = adverb.
constexpr WeightedWord kNounPhrases[] = {{"N", 10}, {"JN", 20}, {"J,JN", 10}, {"DJN", 50}};
// Verb phrases: V = verb, X = auxiliary, D = adverb.
constexpr WeightedWord kVerbPhrases[] = {{"V", 30}, {"XV", 1}, {"VD", 40}, {"XVD", 1}};

/// Appends sentences of the grammar to a string, drawing from a sequential splitmix stream.
class SentenceWriter {
 public:
  SentenceWriter(uint64_t seed, std::string* out) : state_(seed), out_(out) {}

  void Sentence() {
    for (char part : PickWeighted(kGrammar, Next())) {
      switch (part) {
        case 'N': NounPhrase(); break;
        case 'V': VerbPhrase(); break;
        case 'P':
          Word(PickWeighted(kPrepositions, Next()));
          Word("the");
          NounPhrase();
          break;
        default:  // 'T': the terminator follows the last word directly.
          if (!out_->empty() && out_->back() == ' ') out_->pop_back();
          out_->append(PickWeighted(kTerminators, Next()));
          out_->push_back(' ');
          break;
      }
    }
  }

 private:
  uint64_t Next() { return Mix64(state_++); }
  void Word(std::string_view word) {
    out_->append(word);
    out_->push_back(' ');
  }
  void NounPhrase() {
    for (char part : PickWeighted(kNounPhrases, Next())) {
      switch (part) {
        case 'N': Word(PickWeighted(kNouns, Next())); break;
        case 'J': Word(PickWeighted(kAdjectives, Next())); break;
        case 'D': Word(PickWeighted(kAdverbs, Next())); break;
        default:  // ',' after the adjective just written.
          out_->back() = ',';
          out_->push_back(' ');
          break;
      }
    }
  }
  void VerbPhrase() {
    for (char part : PickWeighted(kVerbPhrases, Next())) {
      switch (part) {
        case 'V': Word(PickWeighted(kVerbs, Next())); break;
        case 'X': Word(PickWeighted(kAuxiliaries, Next())); break;
        default: Word(PickWeighted(kAdverbs, Next())); break;
      }
    }
  }

  uint64_t state_;
  std::string* out_;
};

constexpr char kVStringChars[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, ";
static_assert(sizeof(kVStringChars) == 65);

}  // namespace

std::string_view PartType(int t) {
  static const auto kTypes = Combine(kTypeSize, kTypeFinish, kTypeMetal);
  return kTypes[static_cast<size_t>(t)];
}

std::string_view Container(int c) {
  static const auto kAll = Combine(kContainerSize, kNoWord, kContainerKind);
  return kAll[static_cast<size_t>(c)];
}

TextPool::TextPool(uint64_t seed, int64_t size) {
  text_.reserve(static_cast<size_t>(size) + 256);
  SentenceWriter writer(Mix64(seed ^ Mix64(kTextPool)), &text_);
  while (static_cast<int64_t>(text_.size()) < size) writer.Sentence();
  text_.resize(static_cast<size_t>(size));
}

std::string_view TextPool::Slice(uint64_t length_bits, uint64_t offset_bits, int min_length,
                                 int max_length) const {
  int64_t length = RowRandom::Scale(length_bits, min_length, max_length);
  int64_t offset = RowRandom::Scale(offset_bits, 0, static_cast<int64_t>(text_.size()) - length);
  return std::string_view(text_).substr(static_cast<size_t>(offset), static_cast<size_t>(length));
}

int RandomVString(uint64_t bits, char* out) {
  int length = static_cast<int>(RowRandom::Scale(bits, 10, 40));
  uint64_t chars = 0;
  for (int i = 0; i < length; ++i) {
    if (i % 10 == 0) chars = Mix64(bits + static_cast<uint64_t>(i));
    out[i] = kVStringChars[chars & 63];
    chars >>= 6;
  }
  return length;
}

void WritePhone(uint64_t bits, int32_t nation, char* out) {
  WriteDigits(out, nation + 10, 2);
  out[2] = '-';
  WriteDigits(out + 3, RowRandom::Scale(Mix64(bits + 1), 100, 999), 3);
  out[6] = '-';
  WriteDigits(out + 7, RowRandom::Scale(Mix64(bits + 2), 100, 999), 3);
  out[10] = '-';
  WriteDigits(out + 11, RowRandom::Scale(Mix64(bits + 3), 1000, 9999), 4);
}

}  // namespace sluice::cli::tpch
