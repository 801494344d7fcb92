// libFuzzer target: any bytes given to the Parquet reader as a file must either read or fail with
// a sluice::Error — never crash, hang, read out of bounds or allocate without limit.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "core/error.h"
#include "io/parquet/reader/file_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The reader works on files: hand it an in-memory one.
  int fd = memfd_create("parquet", 0);
  if (fd < 0) return 0;
  if (size > 0 && write(fd, data, size) != static_cast<ssize_t>(size)) {
    close(fd);
    return 0;
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  try {
    auto file = sluice::io::parquet::ParquetFile::Open(path);
    for (int group = 0; group < file->num_row_groups(); ++group) {
      for (size_t column = 0; column < file->schema().columns.size(); ++column) {
        file->Statistics(group, column);
        file->ReadColumnIndex(group, column);
        file->ReadOffsetIndex(group, column);
        file->BloomFilterMightContain(group, column, "x");
        auto reader = file->OpenColumn(group, column);
        int64_t left = file->RowGroupRows(group);
        // Bound the work per input: a footer may declare billions of rows.
        for (int batches = 0; left > 0 && batches < 64; ++batches) {
          auto values = reader->Read(std::min<int64_t>(left, 4096));
          if (values.length == 0) break;
          left -= values.length;
        }
      }
    }
  } catch (const sluice::Error&) {
  }
  close(fd);
  return 0;
}
