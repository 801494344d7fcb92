// Tests of the spill form of the aggregate states (GroupedAggregateState::Serialize and
// Deserialize): for every aggregate function over several input types, a state read back from its
// bytes finalizes, takes updates and merges, and is merged from exactly like the original (float
// results to the bit), subsets of groups come back in the order written, and malformed bytes
// throw sluice::Error instead of reading out of bounds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/column_builder.h"
#include "core/decimal.h"
#include "expr/aggregate_function.h"

namespace sluice {
namespace {

constexpr int64_t kGroups = 9;  ///< Group 7 gets only nulls, group 8 no rows at all.

/// One aggregate call: function, input type, parameter, DISTINCT.
struct Case {
  std::string function;
  DataType type;
  double param;
  bool distinct;

  std::string Name() const {
    std::string name = function + "(" + (distinct ? "DISTINCT " : "") + type.ToString();
    if (!std::isnan(param)) name += ", " + std::to_string(param);
    return name + ")";
  }
};

/// Every function over every type it takes, with and without DISTINCT where that makes a
/// different state, and with its parameters.
std::vector<Case> AllCases() {
  const std::vector<DataType> types = {Int32(),
                                       Int64(),
                                       UInt8(),
                                       Float32(),
                                       Float64(),
                                       Decimal(10, 2),
                                       Utf8(),
                                       Bool(),
                                       Date32(),
                                       Timestamp(TimeUnit::kMicro),
                                       FixedSizeBinary(3),
                                       Uuid()};
  std::vector<Case> cases;
  for (const std::string& name : AggregateFunctionNames()) {
    const AggregateFunction* function = FindAggregateFunction(name);
    std::vector<double> params = {std::nan("")};
    if (name == "quantile") params = {0.0, 0.3, 0.5, 1.0};
    if (name == "std" || name == "var") params = {std::nan(""), 0.0};
    for (const DataType& type : types) {
      try {
        function->result_type(type, name);
        for (double param : params) {
          for (bool distinct : {false, true}) {
            function->make_state(type, param, distinct);  // Throws for what it does not take.
            cases.push_back({name, type, param, distinct});
          }
        }
      } catch (const Error&) {
      }
    }
  }
  return cases;
}

uint64_t Next(uint64_t* x) {
  *x = *x * 6364136223846793005ull + 1442695040888963407ull;
  return *x >> 17;
}

/// `rows` values of `type` from `seed`: repeats (for DISTINCT), nulls, mixed float magnitudes
/// (for the compensated sums), 0.0 and -0.0, empty and long strings.
Column MakeInput(const DataType& type, uint64_t seed, int64_t rows) {
  ColumnBuilder builder(type);
  uint64_t x = seed;
  for (int64_t i = 0; i < rows; ++i) {
    uint64_t r = Next(&x);
    if (r % 7 == 0) {
      builder.AppendNull();
      continue;
    }
    int64_t small = static_cast<int64_t>(r % 23) - 8;
    switch (type.id) {
      case TypeId::kBool: builder.AppendBool(r % 3 == 0); break;
      case TypeId::kInt32: builder.Append<int32_t>(static_cast<int32_t>(small * 1000003)); break;
      case TypeId::kDate32: builder.Append<int32_t>(static_cast<int32_t>(18000 + small)); break;
      case TypeId::kInt64:
      case TypeId::kTimestamp: builder.Append<int64_t>(small * 1000000007LL); break;
      case TypeId::kUInt8: builder.Append<uint8_t>(static_cast<uint8_t>(r % 200)); break;
      case TypeId::kFloat32:
        builder.Append<float>(small == 0 ? -0.0f : static_cast<float>(small) * 0.37f);
        break;
      case TypeId::kFloat64: {
        const double magnitudes[] = {1e16, 1.0, 0.1, 1e-7, 3.0};
        double value = static_cast<double>(small) * magnitudes[(r >> 5) % 5];
        if (small == 0) value = (r >> 9) % 2 ? -0.0 : 0.0;
        builder.Append<double>(value);
        break;
      }
      case TypeId::kDecimal: builder.Append<int128_t>(int128_t{small} * 12345); break;
      case TypeId::kUtf8: {
        std::string value(static_cast<size_t>((r >> 3) % 4 == 0 ? 0 : (r >> 3) % 24), 'a');
        if (!value.empty()) value[0] = static_cast<char>('a' + r % 5);
        builder.AppendString(value);
        break;
      }
      default: {  // Fixed-size binary and uuid.
        std::vector<uint8_t> bytes(static_cast<size_t>(type.FixedWidth()), 0);
        bytes[0] = static_cast<uint8_t>(r % 5);
        bytes.back() = static_cast<uint8_t>(r % 3);
        builder.AppendFixed(bytes.data(), static_cast<int>(bytes.size()));
      }
    }
  }
  return builder.Finish();
}

/// Group ids over groups 0..6 (and 7 where the input is null); groups 7 and 8 stay empty of
/// values.
std::vector<uint32_t> MakeGroups(const Column& input, uint64_t seed) {
  std::vector<uint32_t> groups(static_cast<size_t>(input.length));
  uint64_t x = seed ^ 0x9e3779b97f4a7c15ull;
  for (int64_t i = 0; i < input.length; ++i) {
    groups[i] = static_cast<uint32_t>(Next(&x) % 7);
    if (!input.IsValid(i) && i % 3 == 0) groups[i] = 7;
  }
  return groups;
}

/// An empty state of the case's function.
std::unique_ptr<GroupedAggregateState> MakeState(const Case& c) {
  return FindAggregateFunction(c.function)->make_state(c.type, c.param, c.distinct);
}

/// Adds rows from `seed` to the groups of `state` (which has `groups` groups), in an Update and an
/// UpdateRange, as the hash aggregation feeds a morsel; `shift` moves the rows to other groups.
void Feed(const Case& c, GroupedAggregateState* state, uint64_t seed, int64_t groups,
          uint32_t shift = 0) {
  Column input = MakeInput(c.type, seed, 300);
  std::vector<uint32_t> ids = MakeGroups(input, seed);
  for (uint32_t& id : ids) id = static_cast<uint32_t>((id + shift) % groups);
  const Column* column = c.function == "count_star" ? nullptr : &input;
  state->Update(column, ids.data(), 100);
  state->UpdateRange(column, 100, 300, ids.data() + 100);
}

/// A state of `kGroups` groups fed from `seed`, sealed or not.
std::unique_ptr<GroupedAggregateState> Build(const Case& c, uint64_t seed, bool seal) {
  auto state = MakeState(c);
  state->Resize(kGroups);
  Feed(c, state.get(), seed, kGroups);
  if (seal) state->Seal();
  return state;
}

std::vector<uint8_t> Serialize(const GroupedAggregateState& state, int64_t count,
                               const std::vector<uint32_t>* groups = nullptr) {
  std::vector<uint8_t> bytes;
  state.Serialize(groups != nullptr ? groups->data() : nullptr, count, &bytes);
  return bytes;
}

/// A fresh state of the case read from `bytes`.
std::unique_ptr<GroupedAggregateState> ReadBack(const Case& c, const std::vector<uint8_t>& bytes) {
  auto state = MakeState(c);
  state->Deserialize(bytes);
  return state;
}

/// True when row i of `a` and row j of `b` hold the same bits (or are both null).
bool SameRow(const Column& a, int64_t i, const Column& b, int64_t j) {
  if (a.IsValid(i) != b.IsValid(j)) return false;
  if (!a.IsValid(i)) return true;
  if (a.type.id == TypeId::kBool) return a.BoolAt(i) == b.BoolAt(j);
  if (a.type.IsVariableWidth()) return a.StringAt(i) == b.StringAt(j);
  int width = a.type.FixedWidth();
  return std::memcmp(a.values->data() + i * width, b.values->data() + j * width,
                     static_cast<size_t>(width)) == 0;
}

Column Final(GroupedAggregateState* state) {
  return state->Finalize(MemoryPool::Default());
}

TEST(AggregateSpillTest, TheCasesCoverEveryFunction) {
  std::vector<Case> cases = AllCases();
  for (const std::string& name : AggregateFunctionNames()) {
    int seen = 0;
    for (const Case& c : cases) seen += c.function == name;
    EXPECT_GE(seen, 2) << name;
  }
}

TEST(AggregateSpillTest, AllGroupsReadBackFinalizeToTheSameBits) {
  for (const Case& c : AllCases()) {
    for (bool seal : {false, true}) {
      SCOPED_TRACE(c.Name() + (seal ? " sealed" : " unsealed"));
      auto original = Build(c, 1, seal);
      std::vector<uint8_t> bytes = Serialize(*original, kGroups);
      auto copy = ReadBack(c, bytes);
      // Writing the copy again gives the same bytes: nothing is lost or reordered.
      EXPECT_EQ(Serialize(*copy, kGroups), bytes);
      Column expected = Final(original.get());
      Column actual = Final(copy.get());
      EXPECT_EQ(actual.length, kGroups);
      EXPECT_TRUE(actual.Equals(expected));
    }
  }
}

TEST(AggregateSpillTest, ASubsetOfGroupsComesBackInTheOrderWritten) {
  const std::vector<uint32_t> groups = {5, 0, 8, 3, 7, 1};
  for (const Case& c : AllCases()) {
    for (bool seal : {false, true}) {
      SCOPED_TRACE(c.Name() + (seal ? " sealed" : " unsealed"));
      auto original = Build(c, 2, seal);
      auto copy = ReadBack(c, Serialize(*original, static_cast<int64_t>(groups.size()), &groups));
      Column expected = Final(original.get());
      Column actual = Final(copy.get());
      ASSERT_EQ(actual.length, static_cast<int64_t>(groups.size()));
      for (size_t i = 0; i < groups.size(); ++i) {
        EXPECT_TRUE(SameRow(actual, static_cast<int64_t>(i), expected, groups[i]))
            << "row " << i << " (group " << groups[i] << ")";
      }
      // No groups at all is a valid (empty) state too.
      EXPECT_EQ(Final(ReadBack(c, Serialize(*Build(c, 2, seal), 0)).get()).length, 0);
    }
  }
}

TEST(AggregateSpillTest, AStateReadBackTakesUpdatesAndMergesLikeTheOriginal) {
  const std::vector<uint32_t> targets = {4, 2, 0, 6, 1, 3, 5, 8, 7};
  for (const Case& c : AllCases()) {
    for (bool seal : {false, true}) {
      SCOPED_TRACE(c.Name() + (seal ? " sealed" : " unsealed"));
      auto original = Build(c, 3, seal);
      auto copy = ReadBack(c, Serialize(*original, kGroups));
      for (GroupedAggregateState* state : {original.get(), copy.get()}) {
        // A later morsel merged in (whole, then a part), then more rows into grown groups.
        auto later = Build(c, 4, /*seal=*/true);
        state->Merge(*later, targets.data(), kGroups);
        auto part = Build(c, 5, /*seal=*/true);
        const std::vector<uint32_t> from = {2, 6, 0};
        const std::vector<uint32_t> to = {1, 1, 7};
        state->MergeGroups(*part, from.data(), to.data(), 1);
        state->MergeGroups(*part, from.data() + 1, to.data() + 1, 2);
        state->Resize(kGroups + 2);
        Feed(c, state, 6, kGroups + 2, /*shift=*/4);
      }
      EXPECT_TRUE(Final(copy.get()).Equals(Final(original.get())));
    }
  }
}

TEST(AggregateSpillTest, AStateReadBackIsMergedFromLikeTheOriginal) {
  const std::vector<uint32_t> from = {8, 3, 0, 7, 5, 1};
  const std::vector<uint32_t> to = {0, 2, 3, 1, 4, 5};
  for (const Case& c : AllCases()) {
    for (bool seal_before : {false, true}) {
      SCOPED_TRACE(c.Name() + (seal_before ? " sealed before writing" : " unsealed"));
      auto original = Build(c, 7, seal_before);
      auto copy = ReadBack(c, Serialize(*original, kGroups));
      original->Seal();
      copy->Seal();
      std::vector<Column> results;
      for (GroupedAggregateState* source : {original.get(), copy.get()}) {
        auto target = MakeState(c);
        target->Resize(6);
        Feed(c, target.get(), 8, 6);  // Earlier rows, so that order matters (first, last).
        target->MergeGroups(*source, from.data(), to.data(), 3);
        target->MergeGroups(*source, from.data() + 3, to.data() + 3, 3);
        results.push_back(Final(target.get()));
      }
      EXPECT_TRUE(results[1].Equals(results[0]));
    }
  }
}

TEST(AggregateSpillTest, EveryTruncationThrows) {
  for (const Case& c : AllCases()) {
    SCOPED_TRACE(c.Name());
    auto original = MakeState(c);
    original->Resize(3);
    Column input = MakeInput(c.type, 9, 12);
    std::vector<uint32_t> ids = MakeGroups(input, 9);
    for (uint32_t& id : ids) id %= 3;
    original->Update(c.function == "count_star" ? nullptr : &input, ids.data(), 12);
    std::vector<uint8_t> bytes = Serialize(*original, 3);
    for (size_t size = 0; size < bytes.size(); ++size) {
      auto state = MakeState(c);
      EXPECT_THROW(state->Deserialize(std::span<const uint8_t>(bytes.data(), size)), Error)
          << "truncated to " << size << " of " << bytes.size();
    }
    std::vector<uint8_t> longer = bytes;
    longer.push_back(0);
    EXPECT_THROW(MakeState(c)->Deserialize(longer), Error);
  }
}

TEST(AggregateSpillTest, GarbledCountsThrowInsteadOfAllocating) {
  for (const Case& c : AllCases()) {
    SCOPED_TRACE(c.Name());
    std::vector<uint8_t> bytes = Serialize(*Build(c, 10, false), kGroups);
    // The group count follows the 4-byte tag.
    for (int64_t count :
         {int64_t{-1}, int64_t{1} << 40, std::numeric_limits<int64_t>::max(), kGroups + 1}) {
      std::vector<uint8_t> garbled = bytes;
      std::memcpy(garbled.data() + 4, &count, sizeof(count));
      EXPECT_THROW(MakeState(c)->Deserialize(garbled), Error) << count;
    }
    // A per-group count or length after the header, set huge.
    if (bytes.size() >= 24) {
      std::vector<uint8_t> garbled = bytes;
      std::memset(garbled.data() + 12, 0xFF, 8);
      try {
        auto state = MakeState(c);
        state->Deserialize(garbled);
        Final(state.get());  // Garbled values may read back as other values, never crash.
      } catch (const Error&) {
      }
    }
  }
}

TEST(AggregateSpillTest, FlippedBytesThrowOrReadBackAsAWorkingState) {
  for (const Case& c : AllCases()) {
    SCOPED_TRACE(c.Name());
    std::vector<uint8_t> bytes = Serialize(*Build(c, 10, false), kGroups);
    // A byte flipped (each of the header and the counts after it, then every 13th): an error or
    // a state that works, never a crash.
    for (size_t at = 0; at < bytes.size(); at += at < 64 ? 1 : 13) {
      std::vector<uint8_t> garbled = bytes;
      garbled[at] ^= 0xA5;
      try {
        auto state = MakeState(c);
        state->Deserialize(garbled);
        state->Seal();
        auto probe = MakeState(c);
        probe->Deserialize(garbled);
        int64_t groups = Final(probe.get()).length;
        auto target = MakeState(c);
        target->Resize(groups);
        std::vector<uint32_t> all(static_cast<size_t>(groups));
        for (int64_t g = 0; g < groups; ++g) all[g] = static_cast<uint32_t>(g);
        target->MergeGroups(*state, all.data(), all.data(), groups);
        Final(target.get());
        Final(state.get());
      } catch (const Error&) {
      }
    }
  }
}

TEST(AggregateSpillTest, BytesOfAnotherFunctionAreRejected) {
  auto sum = FindAggregateFunction("sum")->make_state(Int64(), std::nan(""), false);
  sum->Resize(2);
  std::vector<uint8_t> bytes;
  sum->Serialize(nullptr, 2, &bytes);
  auto min = FindAggregateFunction("min")->make_state(Int64(), std::nan(""), false);
  try {
    min->Deserialize(bytes);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInternal);
    EXPECT_NE(std::string(error.what()).find("min"), std::string::npos) << error.what();
  }
}

TEST(AggregateSpillTest, SerializeAppendsSoStatesCanShareABuffer) {
  // A spilled partition holds one state per aggregate back to back.
  Case sum{"sum", Float64(), std::nan(""), false};
  Case median{"median", Int64(), std::nan(""), false};
  auto a = Build(sum, 13, false);
  auto b = Build(median, 14, false);
  std::vector<uint8_t> buffer = {0xEE};
  a->Serialize(nullptr, kGroups, &buffer);
  size_t middle = buffer.size();
  b->Serialize(nullptr, kGroups, &buffer);
  std::span<const uint8_t> all(buffer);
  auto a_copy = MakeState(sum);
  a_copy->Deserialize(all.subspan(1, middle - 1));
  auto b_copy = MakeState(median);
  b_copy->Deserialize(all.subspan(middle));
  EXPECT_TRUE(Final(a_copy.get()).Equals(Final(a.get())));
  EXPECT_TRUE(Final(b_copy.get()).Equals(Final(b.get())));
}

TEST(AggregateSpillTest, DeserializeReplacesTheGroupsAStateHad) {
  Case c{"sum", Float64(), std::nan(""), false};
  auto small = Build(c, 11, false);
  std::vector<uint32_t> one = {4};
  std::vector<uint8_t> bytes = Serialize(*small, 1, &one);
  auto state = Build(c, 12, false);  // Has kGroups groups of its own.
  state->Deserialize(bytes);
  Column result = Final(state.get());
  ASSERT_EQ(result.length, 1);
  EXPECT_TRUE(SameRow(result, 0, Final(small.get()), 4));
}

}  // namespace
}  // namespace sluice
