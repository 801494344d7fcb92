// The hash aggregation and distinct sinks: bind the plan's expressions into a
// GroupedAggregationSpec and forward the sink protocol to a GroupedAggregation.
#include "exec/hash_aggregate.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "core/error.h"
#include "exec/grouped_aggregation.h"
#include "expr/bound_expr.h"

namespace sluice::exec {

namespace {

class GroupedAggregationSink final : public BreakerSink {
 public:
  GroupedAggregationSink(GroupedAggregationSpec spec, const ExecContext& context)
      : schema_(spec.output_schema), aggregation_(std::move(spec), context) {}

  void Consume(Batch batch) override { aggregation_.Consume(batch); }
  bool Backlogged() const override { return aggregation_.Backlogged(); }
  void Finish() override { aggregation_.Finish(); }
  std::unique_ptr<Source> TakeResult() override { return aggregation_.TakeResult(); }

 private:
  SchemaPtr schema_;
  GroupedAggregation aggregation_;
};

Expr StripAliases(Expr expr) {
  while (expr.kind() == ExprKind::kAlias) expr = expr.arg(0);
  return expr;
}

/// The value of a constant parameter (quantile's q, std's ddof) as a double.
double ParamValue(const Expr& aggregate, const Expr& param) {
  const Expr value = StripAliases(param);
  if (value.kind() == ExprKind::kLiteral && !value.node().literal.is_null()) {
    const Scalar& literal = value.node().literal;
    if (const auto* v = std::get_if<int64_t>(&literal.value)) return static_cast<double>(*v);
    if (const auto* v = std::get_if<uint64_t>(&literal.value)) return static_cast<double>(*v);
    if (const auto* v = std::get_if<double>(&literal.value)) return *v;
    if (const auto* v = std::get_if<int128_t>(&literal.value))
      return static_cast<double>(*v) / static_cast<double>(PowerOfTen(literal.type.scale));
  }
  ThrowInvalid("the second argument of `{}` must be a constant number, not `{}`",
               aggregate.ToString(), param.ToString());
}

AggregateSpec BindAggregate(const Expr& expr, const Schema& input) {
  const Expr aggregate = StripAliases(expr);
  if (aggregate.kind() != ExprKind::kAggregate)
    ThrowInvalid("`{}` is not an aggregate; use sum(), mean(), count(), ... in agg()",
                 expr.ToString());
  AggregateSpec spec;
  spec.display = aggregate.ToString();
  spec.function = FindAggregateFunction(aggregate.node().name);
  if (spec.function == nullptr)
    ThrowInvalid("unknown aggregate function {} in `{}`", aggregate.node().name, spec.display);
  spec.distinct = aggregate.node().distinct;
  spec.param = std::nan("");
  spec.input_type = Int64();
  const size_t args = aggregate.node().args.size();
  if (args > 2)
    ThrowInvalid("`{}` has {} arguments; aggregates take at most two", spec.display, args);
  if (args >= 1) {
    spec.argument = Bind(aggregate.arg(0), input);
    spec.argument_key = StripAliases(aggregate.arg(0)).ToString();
    spec.input_type = spec.argument->type;
  }
  if (args == 2) spec.param = ParamValue(aggregate, aggregate.arg(1));
  // Checks the input type (and names the aggregate when it does not fit).
  spec.function->result_type(spec.input_type, spec.display);
  return spec;
}

std::string JoinDisplays(const std::vector<Expr>& exprs) {
  std::string joined;
  for (const Expr& expr : exprs) {
    if (!joined.empty()) joined += ", ";
    joined += "`" + expr.ToString() + "`";
  }
  return joined;
}

}  // namespace

std::unique_ptr<BreakerSink> MakeHashAggregateSink(const Schema& input_schema,
                                                   const std::vector<Expr>& keys,
                                                   const std::vector<Expr>& aggregates,
                                                   SchemaPtr output_schema,
                                                   const ExecContext& context) {
  GroupedAggregationSpec spec;
  for (const Expr& key : keys) spec.keys.push_back(Bind(key, input_schema));
  for (const Expr& aggregate : aggregates)
    spec.aggregates.push_back(BindAggregate(aggregate, input_schema));
  spec.output_schema = std::move(output_schema);
  for (size_t c = 0; c < keys.size() + aggregates.size(); ++c)
    spec.output_columns.push_back(static_cast<int>(c));
  if (spec.output_schema->size() != spec.output_columns.size())
    ThrowInternal("the aggregation has {} columns but its output schema {}",
                  spec.output_columns.size(), spec.output_schema->size());
  spec.display = keys.empty() ? fmt::format("{}", JoinDisplays(aggregates))
                              : fmt::format("group by {}", JoinDisplays(keys));
  return std::make_unique<GroupedAggregationSink>(std::move(spec), context);
}

std::unique_ptr<BreakerSink> MakeDistinctSink(const Schema& input_schema,
                                              const std::vector<std::string>& subset,
                                              const ExecContext& context) {
  // Keys: the subset columns (all by default). Every other column takes its value from the first
  // row of the group.
  std::vector<size_t> key_columns;
  std::set<size_t> is_key;
  if (subset.empty()) {
    for (size_t i = 0; i < input_schema.size(); ++i) key_columns.push_back(i);
  } else {
    for (const std::string& name : subset) {
      size_t index = input_schema.FieldIndex(name, "distinct");
      if (is_key.insert(index).second) key_columns.push_back(index);
    }
  }
  is_key.insert(key_columns.begin(), key_columns.end());

  GroupedAggregationSpec spec;
  std::vector<int> internal_of_input(input_schema.size(), -1);
  for (size_t index : key_columns) {
    internal_of_input[index] = static_cast<int>(spec.keys.size());
    spec.keys.push_back(Bind(col(input_schema.field(index).name), input_schema));
  }
  const AggregateFunction* first = FindAggregateFunction("first");
  SLUICE_CHECK(first != nullptr);
  for (size_t i = 0; i < input_schema.size(); ++i) {
    if (is_key.count(i) > 0) continue;
    internal_of_input[i] = static_cast<int>(key_columns.size() + spec.aggregates.size());
    AggregateSpec aggregate;
    aggregate.function = first;
    aggregate.argument = Bind(col(input_schema.field(i).name), input_schema);
    aggregate.argument_key = col(input_schema.field(i).name).ToString();
    aggregate.input_type = aggregate.argument->type;
    aggregate.param = std::nan("");
    aggregate.display = fmt::format("first({})", input_schema.field(i).name);
    spec.aggregates.push_back(std::move(aggregate));
  }
  spec.output_columns = internal_of_input;
  spec.output_schema = std::make_shared<Schema>(input_schema.fields());
  std::string names;
  for (size_t index : key_columns) {
    if (!names.empty()) names += ", ";
    names += input_schema.field(index).name;
  }
  spec.display = fmt::format("distinct on ({})", names);
  return std::make_unique<GroupedAggregationSink>(std::move(spec), context);
}

}  // namespace sluice::exec
