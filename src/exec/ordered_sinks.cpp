// Order-restoring sinks.
#include "exec/ordered_sinks.h"

#include <algorithm>
#include <atomic>

#include "core/error.h"
#include "io/csv/writer.h"
#include "io/parquet/writer/file_writer.h"

namespace sluice::exec {

void CollectSink::Consume(Batch batch) {
  std::lock_guard lock(mutex_);
  received_.push_back(std::move(batch));
}

void CollectSink::Finish() {
  std::sort(received_.begin(), received_.end(),
            [](const Batch& a, const Batch& b) { return a.seq < b.seq; });
  for (Batch& batch : received_) {
    if (batch.num_rows == 0) continue;
    batch.schema = schema_;
    ordered_.push_back(std::move(batch));
  }
  received_.clear();
}

std::unique_ptr<Source> CollectSink::TakeResult() {
  return MakeBatchSource(schema_, TakeBatches());
}

void OrderedSink::Consume(Batch batch) {
  std::unique_lock lock(mutex_);
  pending_.emplace(batch.seq, std::move(batch));
  if (writing_) return;  // The writing worker will pick this one up.
  writing_ = true;
  while (!pending_.empty() && pending_.begin()->first == next_seq_) {
    Batch next = std::move(pending_.begin()->second);
    pending_.erase(pending_.begin());
    ++next_seq_;
    lock.unlock();
    try {
      write_(std::move(next));
    } catch (...) {
      lock.lock();
      writing_ = false;
      throw;
    }
    lock.lock();
  }
  writing_ = false;
}

bool OrderedSink::Backlogged() const {
  std::lock_guard lock(mutex_);
  return writing_ && pending_.size() > kMaxBacklog;
}

void OrderedSink::Finish() {
  SLUICE_CHECK(pending_.empty());
}

namespace {

class LimitSink final : public BreakerSink {
 public:
  LimitSink(SchemaPtr schema, int64_t offset, int64_t count)
      : schema_(std::move(schema)), offset_(offset), count_(count) {}

  void Consume(Batch batch) override {
    std::lock_guard lock(mutex_);
    if (done_) return;
    pending_.emplace(batch.seq, std::move(batch));
    // Take batches in order while the wanted rows are not complete.
    while (!pending_.empty() && pending_.begin()->first == next_seq_) {
      Batch next = std::move(pending_.begin()->second);
      pending_.erase(pending_.begin());
      ++next_seq_;
      int64_t start = std::max<int64_t>(0, offset_ - seen_);
      seen_ += next.num_rows;
      int64_t available = next.num_rows - start;
      if (available > 0) {
        int64_t wanted = count_ < 0 ? available : std::min(available, count_ - taken_);
        if (wanted > 0) {
          out_.push_back(start == 0 && wanted == next.num_rows ? next : next.Slice(start, wanted));
          taken_ += wanted;
        }
      }
      if (count_ >= 0 && taken_ >= count_) {
        done_ = true;
        pending_.clear();
        break;
      }
    }
  }
  bool Done() const override { return done_.load(); }
  void Finish() override {}
  std::unique_ptr<Source> TakeResult() override {
    for (Batch& batch : out_) batch.schema = schema_;
    return MakeBatchSource(schema_, std::move(out_));
  }

 private:
  SchemaPtr schema_;
  int64_t offset_, count_;
  std::mutex mutex_;
  std::map<uint64_t, Batch> pending_;
  uint64_t next_seq_ = 0;
  int64_t seen_ = 0, taken_ = 0;
  std::vector<Batch> out_;
  std::atomic<bool> done_{false};
};

}  // namespace

std::unique_ptr<BreakerSink> MakeLimitSink(SchemaPtr schema, int64_t offset, int64_t count) {
  return std::make_unique<LimitSink>(std::move(schema), offset, count);
}

struct FileSink::Writer {
  std::unique_ptr<io::parquet::ParquetWriter> parquet;
  std::unique_ptr<io::csv::CsvWriter> csv;
};

FileSink::FileSink(const SinkTarget& target, const Schema& schema, const ExecContext& context)
    : writer_(std::make_unique<Writer>()) {
  if (target.format == SinkTarget::Format::kParquet) {
    writer_->parquet = std::make_unique<io::parquet::ParquetWriter>(
        target.path, schema, target.parquet, context.threads, context.pool);
  } else {
    writer_->csv = std::make_unique<io::csv::CsvWriter>(target.path, schema, target.csv);
  }
  ordered_ = std::make_unique<OrderedSink>([this](Batch batch) {
    if (batch.num_rows == 0) return;
    rows_written_ += batch.num_rows;
    if (writer_->parquet)
      writer_->parquet->Write(batch);
    else
      writer_->csv->Write(batch);
  });
}

FileSink::~FileSink() = default;

void FileSink::Finish() {
  ordered_->Finish();
  if (writer_->parquet)
    writer_->parquet->Close();
  else
    writer_->csv->Close();
}

}  // namespace sluice::exec
