// The join probe operator: encode the batch's keys, find every row's matches in one pass over
// the table, turn the matches into row lists for the join type, then gather the output columns.
// When every probe row yields exactly one output row (a foreign-key join), the probe columns are
// passed on without copying.
#include "exec/join_probe.h"

#include "core/error.h"
#include "exec/join_residual.h"
#include "exec/row_gather.h"
#include "expr/evaluate.h"

namespace sluice::exec {
namespace {

Column CastColumn(const BoundExpr& cast, Column column, MemoryPool* pool) {
  Batch one;
  one.num_rows = column.length;
  one.columns.push_back(std::move(column));
  return Evaluate(cast, one, /*expand=*/true, pool);
}

class JoinProbe final : public Operator {
 public:
  JoinProbe(JoinProbeSpec spec, std::shared_ptr<JoinBuildSide> build)
      : spec_(std::move(spec)), build_(std::move(build)) {}

  const SchemaPtr& schema() const override { return spec_.output_schema; }

  Batch Process(Batch input) override {
    const int64_t n = input.num_rows;
    EncodedKeys keys;
    EncodeJoinKeys(spec_.key_spec, spec_.keys.Evaluate(input, spec_.pool), &keys);
    std::vector<JoinHashTable::Match> matches(static_cast<size_t>(n));
    FindMatches(keys, matches.data());
    if (spec_.residual != nullptr) return ProcessWithResidual(std::move(input), matches);
    if (spec_.mode == ProbeMode::kMark) {
      std::atomic<uint8_t>* flags = build_->matched.get();
      for (const JoinHashTable::Match& match : matches) {
        for (uint32_t k = 0; k < match.count; ++k) Mark(flags, match.rows[k]);
      }
      return NoRows(input.seq);
    }
    if (spec_.mode == ProbeMode::kSemi || spec_.mode == ProbeMode::kAnti) {
      return Filter(std::move(input), matches);
    }

    const bool outer = spec_.mode == ProbeMode::kOuter;
    int64_t total = 0;
    bool identity = true;
    for (int64_t i = 0; i < n; ++i) {
      const uint32_t count = matches[i].count;
      total += count > 0 ? count : (outer ? 1 : 0);
      identity &= count == 1 || (outer && count == 0);
    }
    std::vector<uint32_t> probe_rows;
    std::vector<uint32_t> build_rows(static_cast<size_t>(total));
    if (!identity) probe_rows.resize(static_cast<size_t>(total));
    int64_t at = 0;
    for (int64_t i = 0; i < n; ++i) {
      const JoinHashTable::Match& match = matches[i];
      if (match.count == 0) {
        if (!outer) continue;
        if (!identity) probe_rows[at] = static_cast<uint32_t>(i);
        build_rows[at++] = kNullRow;
        continue;
      }
      for (uint32_t k = 0; k < match.count; ++k) {
        if (!identity) probe_rows[at] = static_cast<uint32_t>(i);
        build_rows[at++] = match.rows[k];
      }
    }
    if (spec_.track_matches) MarkMatched(build_rows);
    Batch out = AssembleJoinOutput(spec_.output_schema, spec_.columns, &input, probe_rows, identity,
                                   build_->rows, build_rows, total, spec_.pool);
    out.seq = input.seq;
    return out;
  }

 private:
  /// Looks the rows up, through the table's Bloom filter while it keeps out most of them: a
  /// probe whose keys are mostly there (a foreign-key join) stops using it after a few batches.
  void FindMatches(const EncodedKeys& keys, JoinHashTable::Match* matches) {
    const int64_t looked_up = build_->table.FindAll(keys, matches, use_filter_);
    if (!use_filter_) return;
    filter_rows_ += keys.rows;
    filter_passed_ += looked_up;
    constexpr int64_t kTrialRows = 256 * 1024;
    if (filter_rows_ >= kTrialRows && filter_passed_ * 2 > filter_rows_) use_filter_ = false;
  }

  /// Key matches become candidate pairs; the residual keeps some; the join type decides the rest
  /// from the kept pairs alone.
  Batch ProcessWithResidual(Batch input, const std::vector<JoinHashTable::Match>& matches) {
    const int64_t n = input.num_rows;
    size_t candidates = 0;
    for (int64_t i = 0; i < n; ++i) candidates += matches[i].count;
    std::vector<uint32_t> probe_rows;
    std::vector<uint32_t> build_rows;
    probe_rows.reserve(candidates);
    build_rows.reserve(candidates);
    for (int64_t i = 0; i < n; ++i) {
      const JoinHashTable::Match& match = matches[i];
      for (uint32_t k = 0; k < match.count; ++k) {
        probe_rows.push_back(static_cast<uint32_t>(i));
        build_rows.push_back(match.rows[k]);
      }
    }
    spec_.residual->Filter(input, build_->rows, &probe_rows, &build_rows, spec_.pool);
    if (spec_.mode == ProbeMode::kMark) {
      MarkMatched(build_rows);
      return NoRows(input.seq);
    }

    if (spec_.mode == ProbeMode::kSemi || spec_.mode == ProbeMode::kAnti) {
      std::vector<uint8_t> matched(static_cast<size_t>(n), 0);
      for (uint32_t row : probe_rows) matched[row] = 1;
      const uint8_t wanted = spec_.mode == ProbeMode::kSemi ? 1 : 0;
      std::vector<uint32_t> kept;
      for (int64_t i = 0; i < n; ++i) {
        if (matched[i] == wanted) kept.push_back(static_cast<uint32_t>(i));
      }
      return KeepRows(std::move(input), kept);
    }
    if (spec_.mode == ProbeMode::kOuter) {
      // Kept pairs are in probe row order: merge in one null-extended row per probe row that
      // kept none.
      std::vector<uint32_t> all_probe;
      std::vector<uint32_t> all_build;
      all_probe.reserve(probe_rows.size() + static_cast<size_t>(n));
      all_build.reserve(probe_rows.size() + static_cast<size_t>(n));
      size_t at = 0;
      for (int64_t i = 0; i < n; ++i) {
        const uint32_t row = static_cast<uint32_t>(i);
        if (at < probe_rows.size() && probe_rows[at] == row) {
          while (at < probe_rows.size() && probe_rows[at] == row) {
            all_probe.push_back(row);
            all_build.push_back(build_rows[at++]);
          }
        } else {
          all_probe.push_back(row);
          all_build.push_back(kNullRow);
        }
      }
      probe_rows = std::move(all_probe);
      build_rows = std::move(all_build);
    }
    if (spec_.track_matches) MarkMatched(build_rows);
    const int64_t total = static_cast<int64_t>(build_rows.size());
    // Every probe row exactly once, in order (a foreign-key join): pass probe columns through.
    bool identity = total == n;
    for (int64_t i = 0; identity && i < n; ++i) identity = probe_rows[i] == i;
    Batch out = AssembleJoinOutput(spec_.output_schema, spec_.columns, &input, probe_rows, identity,
                                   build_->rows, build_rows, total, spec_.pool);
    out.seq = input.seq;
    return out;
  }

  Batch Filter(Batch input, const std::vector<JoinHashTable::Match>& matches) {
    const bool keep_matched = spec_.mode == ProbeMode::kSemi;
    std::vector<uint32_t> kept;
    kept.reserve(matches.size());
    for (size_t i = 0; i < matches.size(); ++i) {
      if ((matches[i].count > 0) == keep_matched) kept.push_back(static_cast<uint32_t>(i));
    }
    return KeepRows(std::move(input), kept);
  }

  /// The probe rows `kept` (semi and anti joins output the probe columns only).
  Batch KeepRows(Batch input, const std::vector<uint32_t>& kept) {
    if (static_cast<int64_t>(kept.size()) == input.num_rows) {
      input.schema = spec_.output_schema;
      return input;
    }
    Batch out;
    out.schema = spec_.output_schema;
    out.seq = input.seq;
    out.num_rows = static_cast<int64_t>(kept.size());
    out.columns.reserve(input.columns.size());
    for (const Column& column : input.columns) {
      out.columns.push_back(GatherRows(column, kept, spec_.pool));
    }
    return out;
  }

  void MarkMatched(const std::vector<uint32_t>& build_rows) {
    std::atomic<uint8_t>* flags = build_->matched.get();
    for (uint32_t row : build_rows) {
      if (row != kNullRow) Mark(flags, row);
    }
  }

  static void Mark(std::atomic<uint8_t>* flags, uint32_t row) {
    // Read first: most rows are already marked, and a store would bounce the cache line.
    if (flags[row].load(std::memory_order_relaxed) == 0)
      flags[row].store(1, std::memory_order_relaxed);
  }

  /// The empty output of a kMark probe.
  Batch NoRows(uint64_t seq) const {
    Batch out;
    out.schema = spec_.output_schema;
    out.seq = seq;
    for (const Field& field : spec_.output_schema->fields())
      out.columns.push_back(MakeEmptyColumn(field.type, spec_.pool));
    return out;
  }

  const JoinProbeSpec spec_;
  const std::shared_ptr<JoinBuildSide> build_;
  bool use_filter_ = true;
  int64_t filter_rows_ = 0;    ///< Rows checked against the filter so far.
  int64_t filter_passed_ = 0;  ///< Of those, the rows it let through.
};

}  // namespace

std::shared_ptr<Operator> MakeJoinProbe(JoinProbeSpec spec, std::shared_ptr<JoinBuildSide> build) {
  return std::make_shared<JoinProbe>(std::move(spec), std::move(build));
}

Batch AssembleJoinOutput(const SchemaPtr& schema, const std::vector<JoinOutputColumn>& columns,
                         const Batch* probe, std::span<const uint32_t> probe_rows,
                         bool probe_identity, const Batch& build,
                         std::span<const uint32_t> build_rows, int64_t num_rows, MemoryPool* pool) {
  Batch out;
  out.schema = schema;
  out.num_rows = num_rows;
  out.columns.reserve(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) {
    const JoinOutputColumn& spec = columns[c];
    Column column;
    switch (spec.from) {
      case JoinOutputColumn::From::kProbe: {
        const Column& source = probe->columns[static_cast<size_t>(spec.index)];
        column = probe_identity ? source : GatherRows(source, probe_rows, pool);
        break;
      }
      case JoinOutputColumn::From::kBuild:
        column = GatherRows(build.columns[static_cast<size_t>(spec.index)], build_rows, pool);
        break;
      case JoinOutputColumn::From::kNull:
        column = MakeNullColumn(schema->field(c).type, num_rows, pool);
        break;
    }
    if (spec.cast != nullptr) column = CastColumn(*spec.cast, std::move(column), pool);
    out.columns.push_back(std::move(column));
  }
  return out;
}

BoundExprPtr MakeColumnCast(const DataType& from, const DataType& to, const std::string& name) {
  auto input = std::make_shared<BoundExpr>();
  input->kind = BoundExpr::Kind::kColumn;
  input->type = from;
  input->column = 0;
  input->display = name;
  return BindCast(std::move(input), to, /*try_cast=*/false, name);
}

}  // namespace sluice::exec
