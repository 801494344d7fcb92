// The TPC-H tables to Parquet: fixed-size chunks (their boundaries never depend on the thread
// count), generated ahead on the thread pool while the calling thread writes them in chunk order.
#include "cli/tpch_write.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>

#include "cli/progress.h"
#include "cli/tpch_gen.h"
#include "core/thread_pool.h"
#include "io/fs/atomic_file.h"
#include "io/parquet/writer/file_writer.h"

namespace sluice::cli {

namespace {
using tpch::Table;

constexpr int64_t kChunkRows = 32 * 1024;
constexpr int64_t kOrderChunkRows = 16 * 1024;  // about 64K lineitems

/// Generates chunks 0..chunks-1 on the pool, at most `window` ahead of the one being consumed, and
/// consumes them in order on the calling thread: writing overlaps generating, memory is bounded by
/// the window, and the output order never depends on which thread finished first.
template <typename Result>
void RunPipelined(ThreadPool& pool, int64_t chunks, size_t window,
                  const std::function<Result(int64_t)>& generate,
                  const std::function<void(Result&)>& consume) {
  struct Slot {
    std::mutex mutex;
    std::condition_variable ready;
    bool done = false;
    Result result;
    std::exception_ptr error;
  };
  std::deque<std::shared_ptr<Slot>> in_flight;
  auto wait = [](Slot& slot) {
    std::unique_lock lock(slot.mutex);
    slot.ready.wait(lock, [&] { return slot.done; });
  };
  // Tasks still running refer to `generate`: wait for them however this function is left.
  struct Drain {
    std::deque<std::shared_ptr<Slot>>& slots;
    decltype(wait)& wait_for;
    ~Drain() {
      for (auto& slot : slots) wait_for(*slot);
    }
  } drain{in_flight, wait};
  int64_t next = 0;
  auto launch = [&] {
    auto slot = std::make_shared<Slot>();
    int64_t chunk = next++;
    pool.Submit([slot, chunk, &generate] {
      try {
        slot->result = generate(chunk);
      } catch (...) {
        slot->error = std::current_exception();
      }
      std::lock_guard lock(slot->mutex);
      slot->done = true;
      slot->ready.notify_one();
    });
    in_flight.push_back(std::move(slot));
  };
  while (next < chunks && in_flight.size() < window) launch();
  while (!in_flight.empty()) {
    std::shared_ptr<Slot> slot = in_flight.front();
    wait(*slot);
    in_flight.pop_front();
    if (slot->error) std::rethrow_exception(slot->error);
    if (next < chunks) launch();
    consume(slot->result);
  }
}

class TpchWriter {
 public:
  TpchWriter(const TpchWriteOptions& options, ProgressBar* progress)
      : options_(options),
        context_(options.seed, options.scale_factor),
        pool_(ThreadPool::Default()),
        progress_(progress),
        window_(static_cast<size_t>(std::max(2, 2 * pool_.size()))) {}

  std::vector<TpchTableStats> Run() {
    io::CreateDirectories(options_.directory);
    const tpch::Scale& scale = context_.scale;
    WriteSimple(Table::kRegion, 5, 5,
                [&](int64_t, int64_t) { return tpch::GenerateRegion(context_); });
    WriteSimple(Table::kNation, 25, 25,
                [&](int64_t, int64_t) { return tpch::GenerateNation(context_); });
    WriteSimple(Table::kSupplier, scale.suppliers, kChunkRows, [&](int64_t first, int64_t n) {
      return tpch::GenerateSupplier(context_, first, n);
    });
    WriteSimple(Table::kCustomer, scale.customers, kChunkRows, [&](int64_t first, int64_t n) {
      return tpch::GenerateCustomer(context_, first, n);
    });
    WriteSimple(Table::kPart, scale.parts, kChunkRows,
                [&](int64_t first, int64_t n) { return tpch::GeneratePart(context_, first, n); });
    // Chunks of parts, four partsupp rows each.
    WriteSimple(Table::kPartSupp, scale.parts, kChunkRows / 4, [&](int64_t first, int64_t n) {
      return tpch::GeneratePartSupp(context_, first, n);
    });
    WriteOrders();
    return stats_;
  }

 private:
  std::string PathOf(Table table) const {
    return fmt::format("{}/{}.parquet", options_.directory, tpch::TableName(table));
  }

  void Advance(int64_t rows) {
    done_ += rows;
    if (progress_) progress_->Update(done_);
  }

  void WriteSimple(Table table, int64_t rows, int64_t chunk_rows,
                   const std::function<Batch(int64_t, int64_t)>& generate) {
    io::parquet::ParquetWriter writer(PathOf(table), *tpch::TableSchema(table), options_.writer,
                                      &pool_);
    int64_t chunks = (rows + chunk_rows - 1) / chunk_rows;
    RunPipelined<Batch>(
        pool_, chunks, window_,
        [&](int64_t chunk) {
          int64_t first = chunk * chunk_rows;
          return generate(first, std::min(chunk_rows, rows - first));
        },
        [&](Batch& batch) {
          writer.Write(batch);
          Advance(batch.num_rows);
          batch = Batch();
        });
    writer.Close();
    stats_.push_back({tpch::TableName(table), writer.rows_written(), writer.bytes_written()});
  }

  void WriteOrders() {
    const int64_t rows = context_.scale.orders;
    io::parquet::ParquetWriter orders(PathOf(Table::kOrders), *tpch::TableSchema(Table::kOrders),
                                      options_.writer, &pool_);
    io::parquet::ParquetWriter lineitem(
        PathOf(Table::kLineitem), *tpch::TableSchema(Table::kLineitem), options_.writer, &pool_);
    int64_t chunks = (rows + kOrderChunkRows - 1) / kOrderChunkRows;
    RunPipelined<tpch::OrderChunk>(
        pool_, chunks, window_,
        [&](int64_t chunk) {
          int64_t first = chunk * kOrderChunkRows;
          return tpch::GenerateOrders(context_, first, std::min(kOrderChunkRows, rows - first));
        },
        [&](tpch::OrderChunk& chunk) {
          orders.Write(chunk.orders);
          lineitem.Write(chunk.lineitem);
          Advance(chunk.orders.num_rows + chunk.lineitem.num_rows);
          chunk = tpch::OrderChunk();
        });
    orders.Close();
    lineitem.Close();
    stats_.push_back({"orders", orders.rows_written(), orders.bytes_written()});
    stats_.push_back({"lineitem", lineitem.rows_written(), lineitem.bytes_written()});
  }

  const TpchWriteOptions& options_;
  tpch::Context context_;
  ThreadPool& pool_;
  ProgressBar* progress_;
  size_t window_;  ///< Chunks generated ahead of the writer.
  int64_t done_ = 0;
  std::vector<TpchTableStats> stats_;
};
}  // namespace

int64_t TpchProgressTotal(double scale_factor) {
  tpch::Scale scale(scale_factor);
  return 30 + scale.suppliers + scale.customers + scale.parts * 5 + scale.orders * 5;
}

std::vector<TpchTableStats> WriteTpch(const TpchWriteOptions& options, ProgressBar* progress) {
  return TpchWriter(options, progress).Run();
}

}  // namespace sluice::cli
