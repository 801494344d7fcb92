// The counting and timing wrappers of profile.h.
#include "exec/profile.h"

#include <chrono>

namespace sluice::exec {

namespace {

using Clock = std::chrono::steady_clock;

/// Adds the time from construction to destruction to a node's counter.
class ScopedTimer {
 public:
  explicit ScopedTimer(NodeProfile* profile) : profile_(profile), start_(Clock::now()) {}
  ~ScopedTimer() {
    auto nanos =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_).count();
    profile_->nanos.fetch_add(nanos, std::memory_order_relaxed);
  }

 private:
  NodeProfile* profile_;
  Clock::time_point start_;
};

class TimedOperator final : public Operator {
 public:
  TimedOperator(std::shared_ptr<Operator> inner, NodeProfile* profile)
      : inner_(std::move(inner)), profile_(profile) {}
  const SchemaPtr& schema() const override { return inner_->schema(); }
  Batch Process(Batch input) override {
    ScopedTimer timer(profile_);
    return inner_->Process(std::move(input));
  }

 private:
  std::shared_ptr<Operator> inner_;
  NodeProfile* profile_;
};

class RowCounter final : public Operator {
 public:
  RowCounter(SchemaPtr schema, NodeProfile* profile)
      : schema_(std::move(schema)), profile_(profile) {}
  const SchemaPtr& schema() const override { return schema_; }
  Batch Process(Batch input) override {
    profile_->rows.fetch_add(input.num_rows, std::memory_order_relaxed);
    return input;
  }

 private:
  SchemaPtr schema_;
  NodeProfile* profile_;
};

class TimedSource final : public Source {
 public:
  TimedSource(std::unique_ptr<Source> inner, NodeProfile* profile)
      : inner_(std::move(inner)), profile_(profile) {}
  const SchemaPtr& schema() const override { return inner_->schema(); }
  bool Next(Batch* out) override {
    ScopedTimer timer(profile_);
    return inner_->Next(out);
  }
  bool FilterRows(const std::vector<std::string>& columns, RowFilter filter) override {
    return inner_->FilterRows(columns, std::move(filter));
  }

 private:
  std::unique_ptr<Source> inner_;
  NodeProfile* profile_;
};

class TimedSink final : public BreakerSink {
 public:
  TimedSink(std::unique_ptr<BreakerSink> inner, NodeProfile* profile)
      : inner_(std::move(inner)), profile_(profile) {}
  void Consume(Batch batch) override {
    ScopedTimer timer(profile_);
    inner_->Consume(std::move(batch));
  }
  bool Done() const override { return inner_->Done(); }
  bool Backlogged() const override { return inner_->Backlogged(); }
  void Finish() override {
    ScopedTimer timer(profile_);
    inner_->Finish();
  }
  std::unique_ptr<Source> TakeResult() override { return inner_->TakeResult(); }

 private:
  std::unique_ptr<BreakerSink> inner_;
  NodeProfile* profile_;
};

}  // namespace

void TimeStream(Stream* stream, size_t first_own_op, bool own_source, NodeProfile* profile) {
  for (size_t i = first_own_op; i < stream->ops.size(); ++i) {
    stream->ops[i] = std::make_shared<TimedOperator>(stream->ops[i], profile);
  }
  if (own_source)
    stream->source = std::make_unique<TimedSource>(std::move(stream->source), profile);
}

void CountRows(Stream* stream, NodeProfile* profile) {
  SchemaPtr schema = stream->schema();
  stream->ops.push_back(std::make_shared<RowCounter>(std::move(schema), profile));
}

std::unique_ptr<BreakerSink> ProfileSink(std::unique_ptr<BreakerSink> sink, NodeProfile* profile) {
  return std::make_unique<TimedSink>(std::move(sink), profile);
}

}  // namespace sluice::exec
