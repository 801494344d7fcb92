// The TPC-H tables other than orders and lineitem: nation, region, part, partsupp, supplier and
// customer, by the rules of clause 4.2.3.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "cli/tpch_columns.h"
#include "cli/tpch_gen.h"
#include "cli/tpch_random.h"

namespace sluice::cli::tpch {

namespace {
Batch MakeBatch(Table table, int64_t rows, std::vector<Column> columns) {
  Batch batch;
  batch.schema = TableSchema(table);
  batch.num_rows = rows;
  batch.columns = std::move(columns);
  return batch;
}

uint64_t RowKey(Table table, int64_t row) {
  return tpch::RowKey(static_cast<uint64_t>(table), row);
}

// The "bad press" supplier comments Q16 looks for (clause 4.2.3): SF * 5 suppliers (at least one)
// hold "Customer ... Complaints" and as many others "Customer ... Recommends", written over the
// comment at a random position with random text between the two words. The suppliers are chosen
// by a random affine permutation of the supplier rows, so the counts are exact whatever the
// chunking (dbgen picks about 1 in 1,000 suppliers by chance instead).
class BadPress {
 public:
  BadPress(uint64_t seed, int64_t suppliers, double factor) : suppliers_(suppliers) {
    auto per_kind = std::max<int64_t>(1, std::llround(factor * 5));
    complaints_ = std::min(per_kind, suppliers);
    recommends_ = std::min(per_kind, suppliers - complaints_);
    uint64_t bits = Mix64(seed ^ Mix64(kSuppBbb));
    multiplier_ = static_cast<int64_t>(bits % static_cast<uint64_t>(suppliers)) | 1;
    while (std::gcd(multiplier_, suppliers) != 1) ++multiplier_;
    shift_ = static_cast<int64_t>(Mix64(bits) % static_cast<uint64_t>(suppliers));
  }

  void Apply(int64_t row, const RowRandom& random, char* comment, int64_t length) const {
    constexpr std::string_view kBase = "Customer ";
    constexpr int64_t kWordLength = 10;  // "Complaints" and "Recommends"
    auto rank = static_cast<int64_t>(
        (static_cast<unsigned __int128>(multiplier_) * static_cast<uint64_t>(row) +
         static_cast<uint64_t>(shift_)) %
        static_cast<uint64_t>(suppliers_));
    if (rank >= complaints_ + recommends_) return;
    uint64_t bits = random.Bits(kSuppBbb);
    int64_t used = static_cast<int64_t>(kBase.size()) + kWordLength;
    int64_t noise = RowRandom::Scale(bits, 0, length - used);
    int64_t offset = RowRandom::Scale(Mix64(bits), 0, length - used - noise);
    std::memcpy(comment + offset, kBase.data(), kBase.size());
    std::memcpy(comment + offset + static_cast<int64_t>(kBase.size()) + noise,
                rank < complaints_ ? "Complaints" : "Recommends", kWordLength);
  }

 private:
  int64_t suppliers_;
  int64_t complaints_;
  int64_t recommends_;
  int64_t multiplier_;
  int64_t shift_;
};
}  // namespace

Batch GenerateNation(const Context& context) {
  constexpr int64_t kRows = 25;
  FixedOut<int32_t> key(Int32(), kRows), region(Int32(), kRows);
  StringOut name(kRows, 256), comment(kRows, 25 * 115);
  for (int64_t row = 0; row < kRows; ++row) {
    RowRandom random(context.seed, RowKey(Table::kNation, row));
    key.data()[row] = static_cast<int32_t>(row);
    name.Append(kNations[static_cast<size_t>(row)].name);
    region.data()[row] = kNations[static_cast<size_t>(row)].region;
    comment.Append(context.text.Slice(random.Bits(kNationComment),
                                      Mix64(random.Bits(kNationComment)), 31, 114));
  }
  return MakeBatch(Table::kNation, kRows,
                   {key.Finish(), name.Finish(), region.Finish(), comment.Finish()});
}

Batch GenerateRegion(const Context& context) {
  constexpr int64_t kRows = 5;
  FixedOut<int32_t> key(Int32(), kRows);
  StringOut name(kRows, 64), comment(kRows, 5 * 116);
  for (int64_t row = 0; row < kRows; ++row) {
    RowRandom random(context.seed, RowKey(Table::kRegion, row));
    key.data()[row] = static_cast<int32_t>(row);
    name.Append(kRegions[static_cast<size_t>(row)]);
    comment.Append(context.text.Slice(random.Bits(kRegionComment),
                                      Mix64(random.Bits(kRegionComment)), 31, 115));
  }
  return MakeBatch(Table::kRegion, kRows, {key.Finish(), name.Finish(), comment.Finish()});
}

Batch GeneratePart(const Context& context, int64_t first, int64_t count) {
  FixedOut<int32_t> key(Int32(), count), size(Int32(), count);
  FixedOut<int128_t> price(Money(), count);
  StringOut name(count, count * 36), mfgr(count, count * 14), brand(count, count * 8),
      type(count, count * 22), container(count, count * 8), comment(count, count * 14);
  for (int64_t i = 0; i < count; ++i) {
    int64_t partkey = first + i + 1;
    RowRandom random(context.seed, RowKey(Table::kPart, first + i));
    key.data()[i] = static_cast<int32_t>(partkey);
    // p_name: five distinct colours of the 92, in draw order.
    int chosen[5];
    int sorted[5];
    uint64_t name_bits = random.Bits(kPartName);
    char* out = nullptr;
    int64_t name_length = 0;
    for (int k = 0; k < 5; ++k) {
      int pick = static_cast<int>(
          RowRandom::Scale(Mix64(name_bits + static_cast<uint64_t>(k)), 0, 91 - k));
      for (int j = 0; j < k && sorted[j] <= pick; ++j) ++pick;  // skip colours already taken
      chosen[k] = pick;
      sorted[k] = pick;
      std::sort(sorted, sorted + k + 1);
      name_length += static_cast<int64_t>(kColors[static_cast<size_t>(pick)].size()) + (k > 0);
    }
    out = name.Extend(name_length);
    for (int k = 0; k < 5; ++k) {
      if (k > 0) *out++ = ' ';
      std::string_view colour = kColors[static_cast<size_t>(chosen[k])];
      std::memcpy(out, colour.data(), colour.size());
      out += colour.size();
    }
    name.End();
    int64_t manufacturer = random.Uniform(kPartMfgr, 1, 5);
    char* m = mfgr.Extend(14);
    std::memcpy(m, "Manufacturer#", 13);
    m[13] = static_cast<char>('0' + manufacturer);
    mfgr.End();
    char* b = brand.Extend(8);
    std::memcpy(b, "Brand#", 6);
    b[6] = static_cast<char>('0' + manufacturer);
    b[7] = static_cast<char>('0' + random.Uniform(kPartBrand, 1, 5));
    brand.End();
    type.Append(PartType(static_cast<int>(random.Uniform(kPartType, 0, kPartTypes - 1))));
    size.data()[i] = static_cast<int32_t>(random.Uniform(kPartSize, 1, 50));
    container.Append(Container(static_cast<int>(random.Uniform(kPartContainer, 0, 39))));
    price.data()[i] = RetailPriceCents(partkey);
    uint64_t comment_bits = random.Bits(kPartComment);
    comment.Append(context.text.Slice(comment_bits, Mix64(comment_bits), 5, 22));
  }
  return MakeBatch(Table::kPart, count,
                   {key.Finish(), name.Finish(), mfgr.Finish(), brand.Finish(), type.Finish(),
                    size.Finish(), container.Finish(), price.Finish(), comment.Finish()});
}

Batch GeneratePartSupp(const Context& context, int64_t first_part, int64_t parts) {
  int64_t count = parts * 4;
  FixedOut<int32_t> partkey(Int32(), count), suppkey(Int32(), count), availqty(Int32(), count);
  FixedOut<int128_t> cost(Money(), count);
  StringOut comment(count, count * 124);
  for (int64_t i = 0; i < count; ++i) {
    int64_t part = first_part + i / 4 + 1;
    RowRandom random(context.seed, RowKey(Table::kPartSupp, first_part * 4 + i));
    partkey.data()[i] = static_cast<int32_t>(part);
    suppkey.data()[i] = static_cast<int32_t>(PartSupplier(part, i % 4, context.scale.suppliers));
    availqty.data()[i] = static_cast<int32_t>(random.Uniform(kPsAvailQty, 1, 9999));
    cost.data()[i] = random.Uniform(kPsSupplyCost, 100, 100'000);
    uint64_t comment_bits = random.Bits(kPsComment);
    comment.Append(context.text.Slice(comment_bits, Mix64(comment_bits), 49, 198));
  }
  return MakeBatch(
      Table::kPartSupp, count,
      {partkey.Finish(), suppkey.Finish(), availqty.Finish(), cost.Finish(), comment.Finish()});
}

Batch GenerateSupplier(const Context& context, int64_t first, int64_t count) {
  FixedOut<int32_t> key(Int32(), count), nation(Int32(), count);
  FixedOut<int128_t> balance(Money(), count);
  StringOut name(count, count * 18), address(count, count * 25), phone(count, count * 15),
      comment(count, count * 63);
  const BadPress bad_press(context.seed, context.scale.suppliers, context.scale.factor);
  for (int64_t i = 0; i < count; ++i) {
    int64_t suppkey = first + i + 1;
    RowRandom random(context.seed, RowKey(Table::kSupplier, first + i));
    key.data()[i] = static_cast<int32_t>(suppkey);
    AppendKeyName(name, "Supplier#", suppkey);
    char buffer[40];
    address.Append({buffer, static_cast<size_t>(RandomVString(random.Bits(kSuppAddress), buffer))});
    auto nation_key = static_cast<int32_t>(random.Uniform(kSuppNation, 0, 24));
    nation.data()[i] = nation_key;
    WritePhone(random.Bits(kSuppPhone), nation_key, phone.Extend(15));
    phone.End();
    balance.data()[i] = random.Uniform(kSuppAcctbal, -99'999, 999'999);
    uint64_t comment_bits = random.Bits(kSuppComment);
    std::string_view text = context.text.Slice(comment_bits, Mix64(comment_bits), 25, 100);
    char* out = comment.Extend(static_cast<int64_t>(text.size()));
    std::memcpy(out, text.data(), text.size());
    bad_press.Apply(first + i, random, out, static_cast<int64_t>(text.size()));
    comment.End();
  }
  return MakeBatch(Table::kSupplier, count,
                   {key.Finish(), name.Finish(), address.Finish(), nation.Finish(), phone.Finish(),
                    balance.Finish(), comment.Finish()});
}

Batch GenerateCustomer(const Context& context, int64_t first, int64_t count) {
  FixedOut<int32_t> key(Int32(), count), nation(Int32(), count);
  FixedOut<int128_t> balance(Money(), count);
  StringOut name(count, count * 18), address(count, count * 25), phone(count, count * 15),
      segment(count, count * 10), comment(count, count * 73);
  for (int64_t i = 0; i < count; ++i) {
    int64_t custkey = first + i + 1;
    RowRandom random(context.seed, RowKey(Table::kCustomer, first + i));
    key.data()[i] = static_cast<int32_t>(custkey);
    AppendKeyName(name, "Customer#", custkey);
    char buffer[40];
    address.Append({buffer, static_cast<size_t>(RandomVString(random.Bits(kCustAddress), buffer))});
    auto nation_key = static_cast<int32_t>(random.Uniform(kCustNation, 0, 24));
    nation.data()[i] = nation_key;
    WritePhone(random.Bits(kCustPhone), nation_key, phone.Extend(15));
    phone.End();
    balance.data()[i] = random.Uniform(kCustAcctbal, -99'999, 999'999);
    segment.Append(kSegments[static_cast<size_t>(random.Uniform(kCustSegment, 0, 4))]);
    uint64_t comment_bits = random.Bits(kCustComment);
    comment.Append(context.text.Slice(comment_bits, Mix64(comment_bits), 29, 116));
  }
  return MakeBatch(Table::kCustomer, count,
                   {key.Finish(), name.Finish(), address.Finish(), nation.Finish(), phone.Finish(),
                    balance.Finish(), segment.Finish(), comment.Finish()});
}

}  // namespace sluice::cli::tpch
