// Counter-based random values (splitmix64 of seed, column and row), so generation is parallel
// and reproducible.
#include "cli/datagen.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstring>

#include "core/column_builder.h"
#include "core/temporal.h"

namespace sluice::cli {

namespace {
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t Random(uint64_t seed, uint64_t column, int64_t row) {
  return Mix(Mix(seed ^ (column * 0x632be59bd9b4e019ull)) + static_cast<uint64_t>(row));
}

double Uniform(uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

constexpr std::array<const char*, 24> kCategories = {
    "electronics", "books", "clothing", "home",  "garden",  "toys",    "sports",   "beauty",
    "grocery",     "music", "movies",   "games", "health",  "auto",    "tools",    "office",
    "pets",        "baby",  "jewelry",  "shoes", "outdoor", "kitchen", "software", "crafts"};
constexpr std::array<const char*, 8> kRegions = {"north",   "south",     "east",      "west",
                                                 "central", "northeast", "southwest", "overseas"};
constexpr std::array<const char*, 12> kCountries = {"US", "DE", "FR", "GB", "JP", "BR",
                                                    "IN", "CA", "AU", "NL", "ES", "MX"};
constexpr std::array<const char*, 4> kTiers = {"free", "basic", "pro", "enterprise"};

int64_t UserCount(int64_t events) {
  return std::max<int64_t>(1, events / 50);
}
}  // namespace

SchemaPtr EventsSchema() {
  return std::make_shared<Schema>(
      std::vector<Field>{{"timestamp", Timestamp(TimeUnit::kMicro), false},
                         {"user_id", Int64(), false},
                         {"category", Utf8(), false},
                         {"region", Utf8(), false},
                         {"revenue", Float64(), false},
                         {"quantity", Int32(), false},
                         {"discount", Float64(), true},
                         {"sku", Utf8(), false}});
}

SchemaPtr UsersSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"user_id", Int64(), false},
                                                     {"country", Utf8(), false},
                                                     {"signup_date", Date32(), false},
                                                     {"tier", Utf8(), false}});
}

Batch GenerateEvents(uint64_t seed, int64_t first, int64_t count, int64_t total_rows) {
  const int64_t start_us = DaysFromCivil(2022, 1, 1) * 86'400'000'000LL;
  const int64_t span_us =
      (DaysFromCivil(2025, 1, 1) - DaysFromCivil(2022, 1, 1)) * 86'400'000'000LL;
  const int64_t users = UserCount(total_rows);
  Batch batch;
  batch.schema = EventsSchema();
  batch.num_rows = count;
  std::vector<ColumnBuilder> builders;
  for (const Field& field : batch.schema->fields()) builders.emplace_back(field.type);
  for (int64_t row = first; row < first + count; ++row) {
    // Timestamps rise with the row number (files are in time order, like real exports) with jitter.
    double position = (static_cast<double>(row) + Uniform(Random(seed, 0, row))) /
                      static_cast<double>(total_rows);
    builders[0].Append<int64_t>(start_us +
                                static_cast<int64_t>(position * static_cast<double>(span_us - 1)));
    builders[1].Append<int64_t>(
        1 + static_cast<int64_t>(Random(seed, 1, row) % static_cast<uint64_t>(users)));
    builders[2].AppendString(kCategories[Random(seed, 2, row) % kCategories.size()]);
    builders[3].AppendString(kRegions[Random(seed, 3, row) % kRegions.size()]);
    // Revenue: log-normal-ish, in cents.
    double revenue =
        std::round(std::exp(3.0 + 1.2 * (Uniform(Random(seed, 4, row)) * 2 - 1)) * 100) / 100;
    builders[4].Append<double>(revenue);
    builders[5].Append<int32_t>(1 + static_cast<int32_t>(Random(seed, 5, row) % 10));
    uint64_t discount = Random(seed, 6, row);
    if (discount % 100 < 5) {
      builders[6].AppendNull();
    } else {
      builders[6].Append<double>(static_cast<double>((discount >> 8) % 31) / 100.0);
    }
    builders[7].AppendString(fmt::format("SKU-{:08d}", Random(seed, 7, row) % 5'000'000));
  }
  for (auto& builder : builders) batch.columns.push_back(builder.Finish());
  return batch;
}

Batch GenerateUsers(uint64_t seed, int64_t first, int64_t count) {
  const int64_t start_day = DaysFromCivil(2018, 1, 1);
  const int64_t span_days = DaysFromCivil(2025, 1, 1) - start_day;
  Batch batch;
  batch.schema = UsersSchema();
  batch.num_rows = count;
  std::vector<ColumnBuilder> builders;
  for (const Field& field : batch.schema->fields()) builders.emplace_back(field.type);
  for (int64_t row = first; row < first + count; ++row) {
    builders[0].Append<int64_t>(row + 1);
    builders[1].AppendString(kCountries[Random(seed, 101, row) % kCountries.size()]);
    builders[2].Append<int32_t>(
        static_cast<int32_t>(start_day + static_cast<int64_t>(Random(seed, 102, row) % span_days)));
    builders[3].AppendString(kTiers[Random(seed, 103, row) % kTiers.size()]);
  }
  for (auto& builder : builders) batch.columns.push_back(builder.Finish());
  return batch;
}

}  // namespace sluice::cli
