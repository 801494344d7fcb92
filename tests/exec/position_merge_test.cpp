// The merge of spill files by position: whatever the files' interleaving, block sizes, seqs and
// gaps, the rows come out in position order, a file's repeats of a position (a join's matches
// of one probe row) in file order, in batches of the size asked for; a position in two files is
// an internal error, not a silently dropped row.
#include "exec/position_merge.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/error.h"
#include "exec/join_sort_test_util.h"
#include "exec/sorted_run.h"

namespace sluice::exec {
namespace {

struct Row {
  uint64_t position;
  int64_t value;  ///< file * 1'000'000 + index in the file: which row this is.
};

/// Writes each file's rows (ascending positions) in blocks of block_rows.
std::vector<std::shared_ptr<SpillFile>> WriteFiles(const std::vector<std::vector<Row>>& files,
                                                   int64_t block_rows, const SchemaPtr& schema) {
  std::vector<std::shared_ptr<SpillFile>> out;
  for (const std::vector<Row>& rows : files) {
    auto file = std::make_shared<SpillFile>("test");
    for (size_t start = 0; start < rows.size(); start += static_cast<size_t>(block_rows)) {
      const size_t end = std::min(rows.size(), start + static_cast<size_t>(block_rows));
      std::vector<std::optional<int64_t>> values;
      std::vector<uint64_t> positions;
      for (size_t i = start; i < end; ++i) {
        values.push_back(rows[i].value);
        positions.push_back(rows[i].position);
      }
      const std::vector<uint8_t> extra =
          EncodePositions(positions.data(), static_cast<int64_t>(positions.size()));
      file->Append(test::MakeBatch(schema, {test::Int64s(values)}), {&extra, 1});
    }
    file->Finish();
    out.push_back(std::move(file));
  }
  return out;
}

/// Merges the files and returns the values in output order, checking batch sizes.
std::vector<int64_t> Merge(const std::vector<std::vector<Row>>& files, int64_t block_rows,
                           int64_t batch_size) {
  const SchemaPtr schema = test::MakeSchema({{"v", Int64()}});
  auto source = MakePositionMergeSource(schema, schema, {0}, WriteFiles(files, block_rows, schema),
                                        batch_size, MemoryPool::Default());
  std::vector<int64_t> values;
  std::vector<Batch> batches = test::Drain(*source);
  for (size_t b = 0; b < batches.size(); ++b) {
    if (b + 1 < batches.size()) {
      EXPECT_EQ(batches[b].num_rows, batch_size);
    }
    const int64_t* v = batches[b].columns[0].Values<int64_t>();
    values.insert(values.end(), v, v + batches[b].num_rows);
  }
  return values;
}

/// The expected order: by position, equal positions (one file's) in file order.
std::vector<int64_t> Expected(const std::vector<std::vector<Row>>& files) {
  std::vector<Row> all;
  for (const auto& file : files) all.insert(all.end(), file.begin(), file.end());
  std::stable_sort(all.begin(), all.end(),
                   [](const Row& a, const Row& b) { return a.position < b.position; });
  std::vector<int64_t> values;
  for (const Row& row : all) values.push_back(row.value);
  return values;
}

/// Spreads positions of `seqs` seqs of `rows_per_seq` rows over `count` files at random (each
/// position kept with probability `density`, repeated up to `repeats` times in its file).
std::vector<std::vector<Row>> RandomFiles(int count, int seqs, uint32_t rows_per_seq,
                                          double density, int repeats, std::mt19937_64& random) {
  std::vector<std::vector<Row>> files(static_cast<size_t>(count));
  std::uniform_real_distribution<double> keep(0, 1);
  for (int seq = 0; seq < seqs; ++seq) {
    for (uint32_t row = 0; row < rows_per_seq; ++row) {
      if (keep(random) >= density) continue;
      const size_t f = random() % static_cast<uint64_t>(count);
      const int copies = 1 + static_cast<int>(random() % static_cast<uint64_t>(repeats));
      for (int c = 0; c < copies; ++c) {
        const auto value = static_cast<int64_t>(f * 1'000'000 + files[f].size());
        files[f].push_back({MakeOrd(static_cast<uint64_t>(seq * 3 + 1), row), value});
      }
    }
  }
  return files;
}

TEST(PositionMergeTest, RowsComeOutInPositionOrderWhateverTheLayout) {
  std::mt19937_64 random(5);
  struct Case {
    int files, seqs;
    uint32_t rows_per_seq;
    double density;
    int repeats;
    int64_t block_rows, batch_size;
  };
  for (const Case& c : {Case{1, 3, 1000, 0.5, 1, 64, 100},       // one file
                        Case{7, 5, 5000, 0.3, 1, 100, 1024},     // dense: the table
                        Case{64, 4, 20000, 0.25, 1, 256, 4096},  // many files
                        Case{5, 6, 200000, 0.001, 1, 16, 50},    // sparse: sorted
                        Case{6, 3, 3000, 0.4, 4, 7, 333},        // a join's repeats
                        Case{3, 40, 50, 0.9, 1, 1000, 77}}) {    // blocks across many seqs
    const auto files = RandomFiles(c.files, c.seqs, c.rows_per_seq, c.density, c.repeats, random);
    EXPECT_EQ(Merge(files, c.block_rows, c.batch_size), Expected(files))
        << c.files << " files, density " << c.density << ", repeats " << c.repeats;
  }
  // Files that end at once, empty files, and positions at the extremes of a seq's rows.
  std::vector<std::vector<Row>> edges = {
      {}, {{MakeOrd(0, 0), 1}, {MakeOrd(0, 0xFFFFFFFF), 2}}, {}, {{MakeOrd(0, 5), 3}}, {}};
  EXPECT_EQ(Merge(edges, 1, 2), Expected(edges));
  EXPECT_TRUE(Merge({{}, {}}, 4, 4).empty());
}

TEST(PositionMergeTest, AFileThatStaysOnOneBlockDoesNotHoldTheOthers) {
  // File 0: one row per seq, all in one block; file 1: 500 rows per seq, in 2000 blocks
  // (about 8 MB read back in all). The merge holds file 0's block throughout, and only the
  // current blocks of file 1: a budget of 2 MB is plenty.
  std::vector<std::vector<Row>> files(2);
  for (uint64_t seq = 0; seq < 1000; ++seq) {
    files[0].push_back({MakeOrd(seq, 0), static_cast<int64_t>(files[0].size())});
    for (int64_t row = 1; row <= 500; ++row)
      files[1].push_back({MakeOrd(seq, row), 1'000'000 + static_cast<int64_t>(files[1].size())});
  }
  MemoryPool pool(2'000'000);
  const SchemaPtr schema = test::MakeSchema({{"v", Int64()}});
  std::vector<std::shared_ptr<SpillFile>> written = WriteFiles({files[0]}, 1000, schema);
  for (auto& file : WriteFiles({files[1]}, 250, schema)) written.push_back(std::move(file));
  auto source = MakePositionMergeSource(schema, schema, {0}, std::move(written), 1000, &pool);
  int64_t rows = 0;
  Batch batch;
  while (source->Next(&batch)) rows += batch.num_rows;  // Each batch dropped at the next.
  EXPECT_EQ(rows, 501'000);
}

TEST(PositionMergeTest, APositionInTwoFilesIsAnInternalError) {
  const std::vector<std::vector<Row>> files = {{{MakeOrd(2, 3), 1}}, {{MakeOrd(2, 3), 2}}};
  try {
    Merge(files, 4, 4);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInternal);
  }
}

}  // namespace
}  // namespace sluice::exec
