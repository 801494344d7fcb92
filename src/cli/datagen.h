// Deterministic example data: the `events` and `users` tables of the seed ETL workload (README,
// bench/). Every value is a pure function of (seed, table, row, column), so the same arguments
// give the same bytes whatever the thread count or batch boundaries.
#pragma once

#include <cstdint>

#include "core/batch.h"

namespace sluice::cli {

/// Schema of events(timestamp, user_id, category, region, revenue, quantity, discount, sku).
SchemaPtr EventsSchema();
/// Schema of users(user_id, country, signup_date, tier).
SchemaPtr UsersSchema();

/// Rows [first, first + count) of the events table for a dataset of `total_rows` events.
Batch GenerateEvents(uint64_t seed, int64_t first, int64_t count, int64_t total_rows);
/// Rows [first, first + count) of the users table (user ids 1..users).
Batch GenerateUsers(uint64_t seed, int64_t first, int64_t count);

}  // namespace sluice::cli
