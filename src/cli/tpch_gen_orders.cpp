// TPC-H orders and lineitem (clause 4.2.3), generated together: an order's status and total price
// come from its 1..7 lines.
#include <cstring>

#include "cli/tpch_columns.h"
#include "cli/tpch_gen.h"
#include "cli/tpch_random.h"
#include "core/temporal.h"

namespace sluice::cli::tpch {

namespace {
const int32_t kStartDate = static_cast<int32_t>(DaysFromCivil(1992, 1, 1));
const int32_t kEndDate = static_cast<int32_t>(DaysFromCivil(1998, 12, 31));
/// Lines shipped after this date are open ('O'); received on or before it, returned or not.
const int32_t kCurrentDate = static_cast<int32_t>(DaysFromCivil(1995, 6, 17));
/// Orders end 151 days before the end date: the longest ship (121) plus receipt (30) delay.
const int32_t kLastOrderDate = kEndDate - 151;

Batch MakeBatch(Table table, int64_t rows, std::vector<Column> columns) {
  Batch batch;
  batch.schema = TableSchema(table);
  batch.num_rows = rows;
  batch.columns = std::move(columns);
  return batch;
}

/// o_custkey: uniform over the customers, but never a multiple of 3 (a third of the customers
/// place no orders, which Q13 and Q22 see), nudged as dbgen does.
int64_t OrderCustomer(int64_t drawn, int64_t customers) {
  int64_t key = drawn;
  int64_t delta = 1;
  while (key % 3 == 0) {
    key = std::min(key + delta, customers);
    delta = -delta;
  }
  return key;
}
}  // namespace

OrderChunk GenerateOrders(const Context& context, int64_t first, int64_t count) {
  const uint64_t seed = context.seed;
  const Scale& scale = context.scale;
  // The line counts first, to size the lineitem columns.
  std::vector<uint8_t> lines(static_cast<size_t>(count));
  int64_t total_lines = 0;
  for (int64_t i = 0; i < count; ++i) {
    RowRandom random(seed, RowKey(static_cast<uint64_t>(Table::kOrders), first + i));
    lines[static_cast<size_t>(i)] = static_cast<uint8_t>(random.Uniform(kOrderLines, 1, 7));
    total_lines += lines[static_cast<size_t>(i)];
  }

  FixedOut<int32_t> o_key(Int32(), count), o_cust(Int32(), count), o_date(Date32(), count),
      o_shippriority(Int32(), count);
  FixedOut<int128_t> o_total(Money(), count);
  StringOut o_status(count, count), o_priority(count, count * 9), o_clerk(count, count * 15),
      o_comment(count, count * 49);

  const int64_t n = total_lines;
  FixedOut<int32_t> l_order(Int32(), n), l_part(Int32(), n), l_supp(Int32(), n),
      l_number(Int32(), n), l_ship(Date32(), n), l_commit(Date32(), n), l_receipt(Date32(), n);
  FixedOut<int128_t> l_quantity(Money(), n), l_price(Money(), n), l_discount(Money(), n),
      l_tax(Money(), n);
  StringOut l_flag(n, n), l_status(n, n), l_instruct(n, n * 12), l_mode(n, n * 5),
      l_comment(n, n * 27);

  int64_t line = 0;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t row = first + i;
    const int64_t orderkey = OrderKey(row);
    RowRandom random(seed, RowKey(static_cast<uint64_t>(Table::kOrders), row));
    const int32_t order_date =
        static_cast<int32_t>(random.Uniform(kOrderDate, kStartDate, kLastOrderDate));
    int64_t total_cents = 0;
    int open_lines = 0;
    const int line_count = lines[static_cast<size_t>(i)];
    for (int j = 0; j < line_count; ++j, ++line) {
      RowRandom draw(seed, RowKey(static_cast<uint64_t>(Table::kLineitem), row * 8 + j));
      const int64_t partkey = draw.Uniform(kLinePartkey, 1, scale.parts);
      const int64_t quantity = draw.Uniform(kLineQuantity, 1, 50);
      const int64_t discount = draw.Uniform(kLineDiscount, 0, 10);  // hundredths
      const int64_t tax = draw.Uniform(kLineTax, 0, 8);             // hundredths
      const int64_t extended = quantity * RetailPriceCents(partkey);
      // dbgen's integer arithmetic in cents, truncating at each step.
      total_cents += extended * (100 - discount) / 100 * (100 + tax) / 100;
      const int32_t ship = order_date + static_cast<int32_t>(draw.Uniform(kLineShipDays, 1, 121));
      const int32_t commit =
          order_date + static_cast<int32_t>(draw.Uniform(kLineCommitDays, 30, 90));
      const int32_t receipt = ship + static_cast<int32_t>(draw.Uniform(kLineReceiptDays, 1, 30));

      l_order.data()[line] = static_cast<int32_t>(orderkey);
      l_part.data()[line] = static_cast<int32_t>(partkey);
      l_supp.data()[line] = static_cast<int32_t>(
          PartSupplier(partkey, draw.Uniform(kLineSuppNum, 0, 3), scale.suppliers));
      l_number.data()[line] = j + 1;
      l_quantity.data()[line] = quantity * 100;
      l_price.data()[line] = extended;
      l_discount.data()[line] = discount;
      l_tax.data()[line] = tax;
      l_ship.data()[line] = ship;
      l_commit.data()[line] = commit;
      l_receipt.data()[line] = receipt;
      if (receipt <= kCurrentDate) {
        l_flag.Append(draw.Uniform(kLineReturnFlag, 0, 1) == 0 ? "R" : "A");
      } else {
        l_flag.Append("N");
      }
      const bool open = ship > kCurrentDate;
      open_lines += open;
      l_status.Append(open ? "O" : "F");
      l_instruct.Append(kInstructions[static_cast<size_t>(draw.Uniform(kLineInstruct, 0, 3))]);
      l_mode.Append(kShipModes[static_cast<size_t>(draw.Uniform(kLineMode, 0, 6))]);
      const uint64_t comment_bits = draw.Bits(kLineComment);
      l_comment.Append(context.text.Slice(comment_bits, Mix64(comment_bits), 10, 43));
    }

    o_key.data()[i] = static_cast<int32_t>(orderkey);
    o_cust.data()[i] = static_cast<int32_t>(
        OrderCustomer(random.Uniform(kOrderCustkey, 1, scale.customers), scale.customers));
    o_status.Append(open_lines == 0 ? "F" : open_lines == line_count ? "O" : "P");
    o_total.data()[i] = total_cents;
    o_date.data()[i] = order_date;
    o_priority.Append(kPriorities[static_cast<size_t>(random.Uniform(kOrderPriority, 0, 4))]);
    AppendKeyName(o_clerk, "Clerk#", random.Uniform(kOrderClerk, 1, scale.clerks));
    o_shippriority.data()[i] = 0;
    const uint64_t comment_bits = random.Bits(kOrderComment);
    o_comment.Append(context.text.Slice(comment_bits, Mix64(comment_bits), 19, 78));
  }

  OrderChunk chunk;
  chunk.orders = MakeBatch(
      Table::kOrders, count,
      {o_key.Finish(), o_cust.Finish(), o_status.Finish(), o_total.Finish(), o_date.Finish(),
       o_priority.Finish(), o_clerk.Finish(), o_shippriority.Finish(), o_comment.Finish()});
  chunk.lineitem =
      MakeBatch(Table::kLineitem, n,
                {l_order.Finish(), l_part.Finish(), l_supp.Finish(), l_number.Finish(),
                 l_quantity.Finish(), l_price.Finish(), l_discount.Finish(), l_tax.Finish(),
                 l_flag.Finish(), l_status.Finish(), l_ship.Finish(), l_commit.Finish(),
                 l_receipt.Finish(), l_instruct.Finish(), l_mode.Finish(), l_comment.Finish()});
  return chunk;
}

}  // namespace sluice::cli::tpch
