// The join build sink: per-batch key encoding on the workers, then (on Finish) seq order,
// concatenation and the parallel table build.
#include "exec/join_build.h"

#include <algorithm>
#include <mutex>

#include "core/error.h"
#include "exec/profile.h"
#include "exec/row_gather.h"
#include "expr/evaluate.h"

namespace sluice::exec {

std::vector<Column> BoundJoinKeys::Evaluate(const Batch& batch, MemoryPool* pool) const {
  std::vector<Column> columns;
  columns.reserve(exprs.size());
  for (const BoundExprPtr& expr : exprs) {
    if (expr->kind == BoundExpr::Kind::kColumn) {
      columns.push_back(batch.columns[static_cast<size_t>(expr->column)]);
    } else {
      columns.push_back(sluice::Evaluate(*expr, batch, /*expand=*/true, pool));
    }
  }
  return columns;
}

namespace {

class JoinBuildSink final : public Sink {
 public:
  JoinBuildSink(SchemaPtr schema, const BoundJoinKeys& keys, const JoinKeySpec& spec,
                std::string join_name, const ExecContext& context,
                std::shared_ptr<JoinBuildSide> side)
      : schema_(std::move(schema)),
        keys_(keys),
        spec_(spec),
        join_name_(std::move(join_name)),
        context_(context),
        side_(std::move(side)),
        pieces_memory_(context.pool) {
    SLUICE_CHECK(context.pool != nullptr && context.threads != nullptr);
  }

  void Consume(Batch batch) override {
    Guarded([&] {
      Piece piece;
      if (!keys_.exprs.empty()) {
        EncodeJoinKeys(spec_, keys_.Evaluate(batch, context_.pool), &piece.keys);
      }
      const int64_t row_bytes = context_.counters != nullptr ? BatchBytes(batch) : 0;
      piece.rows = std::move(batch);
      std::lock_guard lock(mutex_);
      pieces_memory_.Set(pieces_memory_.bytes() + piece.keys.MemoryBytes());
      pieces_.push_back(std::move(piece));
      if (context_.counters != nullptr) {
        row_bytes_ += row_bytes;
        context_.counters->NotePeak(row_bytes_ + pieces_memory_.bytes());
      }
    });
  }

  void Finish() override {
    Guarded([&] {
      std::sort(pieces_.begin(), pieces_.end(),
                [](const Piece& a, const Piece& b) { return a.rows.seq < b.rows.seq; });
      std::vector<Batch> batches;
      std::vector<EncodedKeys> keys;
      batches.reserve(pieces_.size());
      keys.reserve(pieces_.size());
      for (Piece& piece : pieces_) {
        batches.push_back(std::move(piece.rows));
        keys.push_back(std::move(piece.keys));
      }
      pieces_.clear();
      if (batches.size() == 1) {
        side_->rows = std::move(batches[0]);
        side_->rows.schema = schema_;
      } else {
        side_->rows = ConcatenateBatches(schema_, batches, context_.pool, context_.threads);
      }
      side_->rows.seq = 0;
      batches.clear();
      if (keys_.exprs.empty()) return;
      if (keys.size() == 1) {
        side_->keys = std::move(keys[0]);
      } else {
        side_->keys = ConcatenateKeys(spec_, keys);
      }
      keys.clear();
      side_->keys_memory.Set(side_->keys.MemoryBytes());
      pieces_memory_.Set(0);
      side_->table.Build(side_->keys, spec_.packed, context_.threads, &side_->table_memory);
      if (context_.counters != nullptr) {
        context_.counters->NotePeak(BatchBytes(side_->rows) + side_->keys_memory.bytes() +
                                    side_->table_memory.bytes());
      }
    });
  }

 private:
  struct Piece {
    Batch rows;
    EncodedKeys keys;
  };

  /// Runs `body`, naming the join in an out-of-memory error.
  template <typename Body>
  void Guarded(Body&& body) {
    try {
      body();
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kOutOfMemory) throw;
      ThrowOutOfMemory("{}: its build side does not fit in memory: {}", join_name_, error.what());
    }
  }

  SchemaPtr schema_;
  const BoundJoinKeys& keys_;
  const JoinKeySpec& spec_;
  std::string join_name_;
  ExecContext context_;
  std::shared_ptr<JoinBuildSide> side_;
  std::mutex mutex_;
  std::vector<Piece> pieces_;
  MemoryReservation pieces_memory_;
  int64_t row_bytes_ = 0;  ///< Of the pieces' rows, in a profiled run; guarded by mutex_.
};

/// Full joins: a matched flag per build row, all clear.
void AddMatchFlags(JoinBuildSide* side, const ExecContext& context) {
  const int64_t rows = side->rows.num_rows;
  side->matched = std::make_unique<std::atomic<uint8_t>[]>(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) side->matched[i].store(0, std::memory_order_relaxed);
  side->table_memory.Set(side->table_memory.bytes() + rows);
  if (context.counters != nullptr) {
    context.counters->NotePeak(BatchBytes(side->rows) + side->keys_memory.bytes() +
                               side->table_memory.bytes());
  }
}

}  // namespace

std::shared_ptr<JoinBuildSide> BuildJoinSide(Stream build, const BoundJoinKeys& keys,
                                             const JoinKeySpec& spec, bool track_matches,
                                             const std::string& join_name,
                                             const ExecContext& context) {
  auto side = std::make_shared<JoinBuildSide>(context.pool);
  SchemaPtr schema = build.schema();
  JoinBuildSink sink(schema, keys, spec, join_name, context, side);
  RunPipeline(std::move(build), sink, context);
  if (track_matches) AddMatchFlags(side.get(), context);
  return side;
}

std::shared_ptr<JoinBuildSide> BuildJoinSideFromRows(Batch rows, const BoundJoinKeys& keys,
                                                     const JoinKeySpec& spec, bool track_matches,
                                                     const ExecContext& context) {
  auto side = std::make_shared<JoinBuildSide>(context.pool);
  side->rows = std::move(rows);
  EncodeJoinKeys(spec, keys.Evaluate(side->rows, context.pool), &side->keys);
  side->keys_memory.Set(side->keys.MemoryBytes());
  side->table.Build(side->keys, spec.packed, context.threads, &side->table_memory);
  if (track_matches) AddMatchFlags(side.get(), context);
  return side;
}

}  // namespace sluice::exec
