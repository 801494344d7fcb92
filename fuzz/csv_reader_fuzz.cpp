// libFuzzer target: any bytes given to the CSV reader as a file must either read or fail with a
// sluice::Error — never crash, hang, read out of bounds or allocate without limit — and how the
// input is cut must not show: the file is read twice, in one block and in blocks and chunks of a
// few bytes, and both reads must give the same batches, or the same first error. The input's
// size picks among dialect, header, ragged-row, null and batch options, so that every seed is a
// plain CSV file and mutations still reach every option.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"
#include "io/csv/reader.h"

namespace {

/// The batches of one read, or the message of its error.
struct Outcome {
  std::vector<sluice::Batch> batches;
  std::string error;
};

Outcome Read(const std::string& path, const sluice::io::csv::CsvReadOptions& options,
             sluice::io::csv::CsvChunking chunking) {
  Outcome outcome;
  try {
    sluice::io::csv::CsvScanner scanner({path}, options, chunking);
    sluice::Batch batch;
    while (scanner.Next(&batch)) outcome.batches.push_back(std::move(batch));
  } catch (const sluice::Error& error) {
    outcome.error = error.what();
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The reader works on files: hand it an in-memory one.
  int fd = memfd_create("csv", 0);
  if (fd < 0) return 0;
  if (size > 0 && write(fd, data, size) != static_cast<ssize_t>(size)) {
    close(fd);
    return 0;
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  static sluice::ThreadPool threads(2);
  using sluice::io::csv::CsvReadOptions;
  CsvReadOptions options;
  options.threads = &threads;
  const size_t pick = size % 16;
  if (pick & 1) options.header = (pick & 2) != 0;
  options.ragged = pick % 3 == 0   ? CsvReadOptions::Ragged::kError
                   : pick % 3 == 1 ? CsvReadOptions::Ragged::kPad
                                   : CsvReadOptions::Ragged::kSkip;
  if (pick & 4) options.escape = '\\';
  if (pick & 8) options.comment = '#';
  if (size % 5 == 0) options.null_strings = {"", "NA"};
  options.sample_rows = 1 + static_cast<int64_t>(size % 7);
  options.batch_size = 1 + static_cast<int64_t>(size % 13);

  Outcome whole = Read(path, options, {});
  Outcome pieces = Read(path, options,
                        {static_cast<int64_t>(1 + size % 61), static_cast<int64_t>(1 + size % 17)});
  bool same = whole.error == pieces.error && whole.batches.size() == pieces.batches.size();
  for (size_t i = 0; same && i < whole.batches.size(); ++i) {
    same = whole.batches[i].Equals(pieces.batches[i]);
  }
  if (!same) {
    std::fprintf(stderr, "reads differ: %zu batches ('%s') vs %zu batches ('%s')\n",
                 whole.batches.size(), whole.error.c_str(), pieces.batches.size(),
                 pieces.error.c_str());
    std::abort();
  }
  close(fd);
  return 0;
}
