// Tests that how the input is cut (into blocks read, chunks tokenized in parallel, batches) never
// shows in the result: quoted fields with newlines that straddle every possible boundary, random
// RFC 4180 files against the values they were written from, rows longer than a block, and a
// million rows read on four threads giving the very batches one thread gives.
#include <gtest/gtest.h>

#include <random>

#include "core/memory_pool.h"
#include "core/thread_pool.h"
#include "io/csv/csv_test_util.h"
#include "io/csv/tokenizer.h"

namespace sluice::io::csv {
namespace {

using sluice::test::TempDir;
using test::Rows;
using test::Scan;
using test::Tiny;

/// A random file of `columns` text columns, and the rows it holds (NULL for null).
struct RandomCsv {
  std::string text;
  Rows rows;
};

RandomCsv MakeRandomCsv(uint64_t seed, int rows, int columns, bool backslash = false) {
  std::mt19937_64 rng(seed);
  static const std::vector<std::string> kPieces = {"a", "bc",       ",", "\"",     "\n", "\r\n",
                                                   " ", "\xc3\xa9", "#", "x\"\"y", "\r", "\\"};
  RandomCsv out;
  auto line_end = [&] { return rng() % 3 == 0 ? "\r\n" : "\n"; };
  for (int c = 0; c < columns; ++c) out.text += (c > 0 ? "," : "") + ("c" + std::to_string(c));
  out.text += line_end();
  for (int r = 0; r < rows; ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < columns; ++c) {
      if (c > 0) out.text += ",";
      if (rng() % 6 == 0) {  // Null: an empty unquoted field.
        row.push_back("NULL");
        continue;
      }
      std::string value;
      for (uint64_t n = rng() % 6; n > 0; --n) value += kPieces[rng() % kPieces.size()];
      bool must_quote =
          value.empty() || value == "NULL" || value.find_first_of(",\"\r\n") != std::string::npos;
      if (must_quote || rng() % 4 == 0) {
        std::string quoted = "\"";
        for (char ch : value) {
          if (backslash && (ch == '"' || ch == '\\')) {
            quoted += std::string("\\") + ch;
          } else {
            quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
          }
        }
        out.text += quoted + "\"";
      } else {
        out.text += value;
      }
      row.push_back(value);
    }
    out.rows.push_back(std::move(row));
    out.text += line_end();
  }
  return out;
}

CsvReadOptions AllText(int columns) {
  CsvReadOptions options;
  options.delimiter = ',';
  for (int c = 0; c < columns; ++c)
    options.column_types.push_back({"c" + std::to_string(c), Utf8()});
  return options;
}

TEST(CsvChunkingTest, ReadsRandomQuotedFilesExactlyWhateverTheCuts) {
  TempDir dir;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const int columns = 1 + static_cast<int>(seed % 4) + 1;
    RandomCsv csv = MakeRandomCsv(seed, 200, columns);
    std::string path = dir.WriteFile("random" + std::to_string(seed) + ".csv", csv.text);
    for (CsvChunking chunking :
         {CsvChunking{}, Tiny(1, 1), Tiny(7, 3), Tiny(64, 1), Tiny(100, 40)}) {
      CsvReadOptions options = AllText(columns);
      options.batch_size = 1 + static_cast<int64_t>(seed % 7);
      options.sample_rows = 1;  // Or sniffing reads the whole small file as its first block.
      SCOPED_TRACE(testing::Message() << "seed " << seed << ", blocks of " << chunking.block_bytes
                                      << ", chunks of " << chunking.chunk_bytes);
      EXPECT_EQ(Scan({path}, options, chunking).rows, csv.rows);
    }
  }
}

TEST(CsvChunkingTest, ReadsRandomBackslashEscapedFilesWhateverTheCuts) {
  TempDir dir;
  for (uint64_t seed = 20; seed <= 26; ++seed) {
    RandomCsv csv = MakeRandomCsv(seed, 200, 3, /*backslash=*/true);
    std::string path = dir.WriteFile("escaped" + std::to_string(seed) + ".csv", csv.text);
    for (CsvChunking chunking : {CsvChunking{}, Tiny(1, 1), Tiny(9, 2), Tiny(70, 64)}) {
      CsvReadOptions options = AllText(3);
      options.escape = '\\';
      options.sample_rows = 1;
      SCOPED_TRACE(testing::Message() << "seed " << seed << ", blocks of " << chunking.block_bytes);
      EXPECT_EQ(Scan({path}, options, chunking).rows, csv.rows);
    }
  }
}

TEST(CsvChunkingTest, KeepsNewlinesInQuotesAcrossEveryBoundary) {
  TempDir dir;
  std::string text = "id,note\n";
  Rows expected;
  for (int i = 0; i < 120; ++i) {
    std::string note = std::string(static_cast<size_t>(i % 5), 'x') + "\n" +
                       std::string(static_cast<size_t>(i % 3), '"') + "\r\nend";
    std::string escaped;
    for (char c : note) escaped += c == '"' ? std::string("\"\"") : std::string(1, c);
    text += std::to_string(i) + ",\"" + escaped + "\"\n";
    expected.push_back({std::to_string(i), note});
  }
  std::string path = dir.WriteFile("notes.csv", text);
  CsvReadOptions options;
  options.sample_rows = 1;  // Or sniffing reads the whole small file as its first block.
  for (int64_t block = 1; block <= 48; block += 3) {
    for (int64_t chunk = 1; chunk <= 9; chunk += 4) {
      SCOPED_TRACE(testing::Message() << "blocks of " << block << ", chunks of " << chunk);
      EXPECT_EQ(Scan({path}, options, Tiny(block, chunk)).rows, expected);
    }
  }
}

TEST(CsvChunkingTest, NumbersLinesAcrossBlocksAndChunks) {
  TempDir dir;
  std::string text = "a,b\n";
  for (int i = 0; i < 50; ++i) text += std::to_string(i) + ",\"two\nlines\"\n";
  text += "50,\"x\"y\n";  // Line 2 + 2 * 50 = 102.
  CsvReadOptions options;
  options.sample_rows = 1;
  for (CsvChunking chunking : {CsvChunking{}, Tiny(5, 1), Tiny(64, 16)}) {
    EXPECT_TRUE(test::Contains(test::ScanError(dir, text, options, chunking),
                               "line 102: 'y' after a closing quote"));
  }
}

TEST(CsvChunkingTest, ReadsARowLongerThanTheBlock) {
  TempDir dir;
  std::string big(100000, 'q');
  std::string text = "a,b\n";
  for (int i = 0; i < 30; ++i) text += "0,x\n";  // The sample; the long rows come after it.
  text += "1,\"" + big + "\n" + big + "\"\n2,short\n3," + big + "\n";
  CsvReadOptions options;
  options.sample_rows = 1;
  auto result = Scan({dir.WriteFile("long.csv", text)}, options, Tiny(1024, 256));
  ASSERT_EQ(result.rows.size(), 33u);
  EXPECT_EQ(result.rows[30][1], big + "\n" + big);
  EXPECT_EQ(result.rows[31][1], "short");
  EXPECT_EQ(result.rows[32][1], big);
}

TEST(CsvChunkingTest, AMillionRowsOnFourThreadsGiveTheBatchesOfOne) {
  TempDir dir;
  std::string text = "id,price,name,day,flag\n";
  std::mt19937_64 rng(5);
  for (int i = 0; i < 1000000; ++i) {
    text +=
        std::to_string(i) + "," + std::to_string(static_cast<double>(rng() % 100000) / 100) + ",";
    switch (rng() % 8) {
      case 0: text += "\"with, comma\""; break;
      case 1: text += "\"two\nlines\""; break;
      case 2: break;  // Null.
      default: text += "name" + std::to_string(rng() % 1000); break;
    }
    text += ",2024-01-" + std::to_string(10 + rng() % 20) + (rng() % 2 ? ",true\n" : ",false\n");
  }
  std::string path = dir.WriteFile("million.csv", text);
  CsvChunking chunking{int64_t{1} << 20, int64_t{64} << 10};
  ThreadPool four(4);
  ThreadPool one(1);
  CsvReadOptions options;
  options.threads = &four;
  CsvScanner parallel({path}, options, chunking);
  options.threads = &one;
  CsvScanner serial({path}, options, chunking);
  ASSERT_EQ(*parallel.schema(), *serial.schema());
  EXPECT_EQ(parallel.schema()->ToString(),
            "id: int64\nprice: float64\nname: utf8\nday: date32\nflag: bool\n");
  Batch a, b;
  int64_t rows = 0;
  while (parallel.Next(&a)) {
    ASSERT_TRUE(serial.Next(&b));
    ASSERT_EQ(a.seq, b.seq);
    ASSERT_TRUE(a.Equals(b)) << "batch " << a.seq;
    rows += a.num_rows;
  }
  EXPECT_FALSE(serial.Next(&b));
  EXPECT_EQ(rows, 1000000);
}

TEST(CsvChunkingTest, KeepsMemoryBoundedByTheBlockNotTheFile) {
  TempDir dir;
  std::string text = "id,name,price\n";
  for (int i = 0; text.size() < (size_t{40} << 20); ++i) {
    text += std::to_string(i) + ",\"name " + std::to_string(i % 977) + "\"," +
            std::to_string(i % 1000) + ".25\n";
  }
  std::string path = dir.WriteFile("big.csv", text);
  text.clear();
  text.shrink_to_fit();
  MemoryPool pool;
  {
    CsvReadOptions options;
    options.pool = &pool;
    options.batch_size = 8192;
    CsvScanner scanner({path}, options, CsvChunking{int64_t{1} << 20, int64_t{128} << 10});
    Batch batch;
    int64_t rows = 0;
    while (scanner.Next(&batch)) rows += batch.num_rows;
    EXPECT_GT(rows, 1000000);
  }
  // Blocks of 1 MiB: a few blocks, their field references and a block's worth of batches.
  EXPECT_LT(pool.peak(), int64_t{24} << 20);
  EXPECT_EQ(pool.used(), 0);
}

TEST(CsvTokenizerTest, PlansCutsOnlyAtRowStartsOutsideQuotes) {
  const std::string text = "a,\"x\ny\"\nb,c\n\"\"\"\n\",d\ne,f\n";
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  Dialect dialect;
  ChunkPlan plan = PlanChunks(dialect, data, 0, text.size(), 1);
  EXPECT_EQ(plan.cuts, (std::vector<size_t>{0, 8, 12, 20, 24}));
  EXPECT_FALSE(plan.open_quote);
  plan = PlanChunks(dialect, data, 0, 10, 1);  // Ends inside nothing, after "b" of row two.
  EXPECT_EQ(plan.cuts, (std::vector<size_t>{0, 8}));
  plan = PlanChunks(dialect, data, 0, 14, 100);  // Ends after a doubled quote: outside.
  EXPECT_EQ(plan.cuts, (std::vector<size_t>{0, 12}));
  EXPECT_FALSE(plan.open_quote);
  plan = PlanChunks(dialect, data, 0, 15, 100);  // Ends inside the quote reopened at 14.
  EXPECT_EQ(plan.cuts, (std::vector<size_t>{0, 12}));
  EXPECT_TRUE(plan.open_quote);
  EXPECT_EQ(plan.open_quote_at, 14u);
}

/// The row ends a plain byte-at-a-time state machine finds, as PlanChunks should with chunks of
/// one byte (a cut after every row), and whether the bytes end inside quotes.
std::pair<std::vector<size_t>, bool> ReferencePlan(const Dialect& dialect,
                                                   const std::string& text) {
  std::vector<size_t> cuts = {0};
  bool inside = false, row_start = true, in_comment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_comment) {
      if (c == '\n') {
        in_comment = false;
        row_start = true;
        cuts.push_back(i + 1);
      }
      continue;
    }
    if (inside) {
      if (dialect.escape != '\0' && c == dialect.escape) {
        ++i;
      } else if (c == dialect.quote) {
        inside = false;
      }
      continue;
    }
    if (row_start && dialect.comment != '\0' && c == dialect.comment) {
      in_comment = true;
      row_start = false;
      continue;
    }
    row_start = false;
    if (dialect.quote != '\0' && c == dialect.quote) {
      inside = true;
    } else if (c == '\n') {
      cuts.push_back(i + 1);
      row_start = true;
    }
  }
  return {cuts, inside};
}

TEST(CsvTokenizerTest, PlansLikeAByteAtATimeStateMachine) {
  std::mt19937_64 rng(3);
  const std::string alphabet = "a,\"\\\n#";
  std::vector<Dialect> dialects(4);
  dialects[1].escape = '\\';
  dialects[2].quote = '\0';
  dialects[3].comment = '#';
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (uint64_t n = rng() % 300; n > 0; --n) text += alphabet[rng() % alphabet.size()];
    for (const Dialect& dialect : dialects) {
      auto [cuts, inside] = ReferencePlan(dialect, text);
      ChunkPlan plan =
          PlanChunks(dialect, reinterpret_cast<const uint8_t*>(text.data()), 0, text.size(), 1);
      ASSERT_EQ(plan.cuts, cuts) << "round " << round << " escape " << int{dialect.escape};
      ASSERT_EQ(plan.open_quote, inside) << "round " << round;
      ASSERT_EQ(plan.lines, static_cast<int64_t>(cuts.size()) - 1);
    }
  }
}

TEST(CsvTokenizerTest, KeepsOnlyTheSlotsOfTheLayout) {
  const std::string text = "1,\"a\"\"b\",x\n2,,y\n";
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  RowLayout layout;
  layout.columns = 3;
  layout.slot_of = {-1, 0, -1};
  layout.slots = 1;
  ChunkRows rows;
  TokenizeChunk(Dialect{}, layout, data, 0, text.size(), &rows);
  ASSERT_EQ(rows.rows, 2);
  EXPECT_FALSE(rows.error);
  EXPECT_EQ(rows.fields[0].View(data), "a\"\"b");
  EXPECT_TRUE(rows.fields[0].quoted() && rows.fields[0].escaped());
  EXPECT_EQ(rows.fields[1].View(data), "");
  EXPECT_FALSE(rows.fields[1].quoted());
  EXPECT_EQ(rows.row_offsets, (std::vector<uint32_t>{0, 11}));
  EXPECT_EQ(rows.newlines, 2);
  char out[8];
  EXPECT_EQ(std::string(out, Unescape(Dialect{}, rows.fields[0].View(data), out)), "a\"b");
}

}  // namespace
}  // namespace sluice::io::csv
