// Constructors of logical plan nodes: each validates its arguments against the input schema and
// computes the output schema, so a mistake surfaces while the query is built.
#include "plan/logical_plan.h"

#include <map>
#include <set>

#include "core/error.h"
#include "expr/aggregate_function.h"
#include "expr/bound_expr.h"
#include "io/csv/reader.h"
#include "io/parquet/reader/scanner.h"
#include "plan/expr_util.h"

namespace sluice {

const char* JoinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kInner: return "inner";
    case JoinType::kLeft: return "left";
    case JoinType::kRight: return "right";
    case JoinType::kFull: return "full";
    case JoinType::kSemi: return "semi";
    case JoinType::kAnti: return "anti";
    case JoinType::kCross: return "cross";
  }
  return "?";
}

namespace {

std::shared_ptr<LogicalPlan> NewNode(PlanKind kind, std::vector<PlanPtr> inputs) {
  auto node = std::make_shared<LogicalPlan>();
  node->kind = kind;
  node->inputs = std::move(inputs);
  return node;
}

void CheckUniqueNames(const std::vector<Field>& fields, std::string_view where) {
  std::set<std::string_view> seen;
  for (const Field& field : fields) {
    if (!seen.insert(field.name).second)
      ThrowInvalid("duplicate column name \"{}\" in {}; give one of them another name with alias()",
                   field.name, where);
  }
}

SchemaPtr ProjectSchema(const Schema& input, const std::vector<Expr>& exprs) {
  std::vector<Field> fields;
  for (const Expr& expr : exprs) {
    if (ContainsAggregate(expr))
      ThrowInvalid("aggregate in `{}` outside of an aggregation; use group_by().agg() or select()",
                   expr.ToString());
    fields.push_back({expr.OutputName(), ResolveType(expr, input), true});
  }
  CheckUniqueNames(fields, "a projection");
  return std::make_shared<Schema>(std::move(fields));
}

}  // namespace

Field AggregateField(const Expr& aggregate, const Schema& input) {
  const Expr inner = StripAlias(aggregate);
  if (inner.kind() != ExprKind::kAggregate)
    ThrowInvalid("`{}` is not an aggregate; use sum(), mean(), count(), ... in agg()",
                 aggregate.ToString());
  const AggregateFunction* function = FindAggregateFunction(inner.node().name);
  if (function == nullptr) ThrowInvalid("unknown aggregate function {}", inner.node().name);
  DataType input_type = Int64();
  if (!inner.node().args.empty()) {
    Expr argument = inner.arg(0);
    if (ContainsAggregate(argument)) ThrowInvalid("nested aggregate in `{}`", aggregate.ToString());
    input_type = ResolveType(argument, input);
  }
  return {aggregate.OutputName(), function->result_type(input_type, inner.ToString()), true};
}

PlanPtr MakeScan(std::shared_ptr<const ScanSource> source, std::vector<std::string> columns,
                 std::vector<Expr> filters) {
  auto node = NewNode(PlanKind::kScan, {});
  std::vector<Field> fields;
  if (columns.empty()) {
    fields = source->file_schema->fields();
  } else {
    for (const std::string& name : columns)
      fields.push_back(
          source->file_schema->field(source->file_schema->FieldIndex(name, source->path)));
  }
  node->schema = std::make_shared<Schema>(fields);
  for (const Expr& filter : filters) {
    if (ResolveType(filter, *source->file_schema).id != TypeId::kBool)
      ThrowInvalid("scan filter `{}` is not a boolean", filter.ToString());
  }
  node->source = std::move(source);
  node->columns = std::move(columns);
  node->filters = std::move(filters);
  return node;
}

PlanPtr MakeFilter(PlanPtr input, Expr predicate) {
  if (ContainsAggregate(predicate))
    ThrowInvalid("aggregate in filter `{}`; filter after group_by().agg() instead",
                 predicate.ToString());
  DataType type = ResolveType(predicate, *input->schema);
  if (type.id != TypeId::kBool)
    ThrowInvalid("filter `{}` is {}, not a boolean", predicate.ToString(), type.ToString());
  auto node = NewNode(PlanKind::kFilter, {input});
  node->schema = input->schema;
  node->predicate = std::move(predicate);
  return node;
}

PlanPtr MakeProject(PlanPtr input, std::vector<Expr> exprs) {
  auto node = NewNode(PlanKind::kProject, {input});
  node->schema = ProjectSchema(*input->schema, exprs);
  node->exprs = std::move(exprs);
  return node;
}

PlanPtr MakeAggregate(PlanPtr input, std::vector<Expr> keys, std::vector<Expr> aggregates) {
  auto node = NewNode(PlanKind::kAggregate, {input});
  std::vector<Field> fields = ProjectSchema(*input->schema, keys)->fields();
  for (const Expr& aggregate : aggregates)
    fields.push_back(AggregateField(aggregate, *input->schema));
  CheckUniqueNames(fields, "an aggregation");
  node->schema = std::make_shared<Schema>(std::move(fields));
  node->keys = std::move(keys);
  node->aggregates = std::move(aggregates);
  return node;
}

namespace {

/// Which right columns a join drops: the right keys of plain-column key pairs, when coalescing.
std::vector<bool> DroppedRightColumns(const LogicalPlan& join) {
  const Schema& right = *join.inputs[1]->schema;
  std::vector<bool> dropped(right.size(), false);
  if (!join.coalesce_keys) return dropped;
  for (size_t i = 0; i < join.left_on.size(); ++i) {
    if (join.left_on[i].kind() == ExprKind::kColumn && join.right_on[i].kind() == ExprKind::kColumn)
      dropped[right.FieldIndex(join.right_on[i].node().name)] = true;
  }
  return dropped;
}

SchemaPtr JoinSchema(const LogicalPlan& join) {
  const Schema& left = *join.inputs[0]->schema;
  const Schema& right = *join.inputs[1]->schema;
  std::vector<Field> fields = left.fields();
  bool outer_left = join.join_type == JoinType::kRight || join.join_type == JoinType::kFull;
  bool outer_right = join.join_type == JoinType::kLeft || join.join_type == JoinType::kFull;
  for (Field& field : fields) field.nullable = field.nullable || outer_left;
  if (join.join_type == JoinType::kSemi || join.join_type == JoinType::kAnti)
    return std::make_shared<Schema>(std::move(fields));
  std::vector<bool> dropped = DroppedRightColumns(join);
  std::set<std::string> names;
  for (const Field& field : left.fields()) names.insert(field.name);
  for (size_t i = 0; i < right.size(); ++i) {
    if (dropped[i]) continue;
    Field field = right.field(i);
    if (names.count(field.name)) field.name += join.suffix;
    field.nullable = field.nullable || outer_right;
    names.insert(field.name);
    fields.push_back(std::move(field));
  }
  CheckUniqueNames(fields, "a join");
  return std::make_shared<Schema>(std::move(fields));
}

/// Checks that a join's residual is a boolean condition over the columns of both inputs.
void CheckResidual(const Expr& residual, const Schema& left, const Schema& right,
                   const std::string& suffix) {
  if (ContainsAggregate(residual))
    ThrowInvalid("aggregate in join condition `{}`", residual.ToString());
  SchemaPtr both = JoinResidualSchema(left, right, suffix);
  CheckUniqueNames(both->fields(), "the columns a join condition reads");
  DataType type = ResolveType(residual, *both);
  if (type.id != TypeId::kBool)
    ThrowInvalid("join condition `{}` is {}, not a boolean", residual.ToString(), type.ToString());
}

/// The residual of `join` renamed for new inputs: a right column's suffix depends on the left
/// names, so pruning an input can rename the other side's columns. Columns the new inputs lack
/// keep their names (and MakeJoin reports them).
Expr RebaseResidual(const LogicalPlan& join, const Schema& new_left, const Schema& new_right) {
  if (!join.residual.valid()) return join.residual;
  const Schema& old_left = *join.inputs[0]->schema;
  const Schema& old_right = *join.inputs[1]->schema;
  SchemaPtr before = JoinResidualSchema(old_left, old_right, join.suffix);
  SchemaPtr after = JoinResidualSchema(new_left, new_right, join.suffix);
  std::map<std::string, std::string> renames;
  bool changed = false;
  for (const std::string& name : ReferencedColumns(join.residual)) {
    std::optional<size_t> at = before->FindField(name);
    if (!at) continue;
    const bool is_left = *at < old_left.size();
    const std::string& input_name =
        is_left ? old_left.field(*at).name : old_right.field(*at - old_left.size()).name;
    std::optional<size_t> now =
        is_left ? new_left.FindField(input_name) : new_right.FindField(input_name);
    if (!now) continue;
    const std::string& new_name = after->field(is_left ? *now : new_left.size() + *now).name;
    renames[name] = new_name;
    changed = changed || new_name != name;
  }
  if (!changed) return join.residual;
  return RenameColumns(join.residual, [&](const std::string& name) {
    auto it = renames.find(name);
    return it == renames.end() ? name : it->second;
  });
}

}  // namespace

SchemaPtr JoinResidualSchema(const Schema& left, const Schema& right, const std::string& suffix) {
  std::vector<Field> fields = left.fields();
  std::set<std::string> names;
  for (const Field& field : fields) names.insert(field.name);
  for (Field field : right.fields()) {
    if (names.count(field.name)) field.name += suffix;
    names.insert(field.name);
    fields.push_back(std::move(field));
  }
  return std::make_shared<Schema>(std::move(fields));
}

PlanPtr MakeJoin(PlanPtr left, PlanPtr right, JoinType type, std::vector<Expr> left_on,
                 std::vector<Expr> right_on, std::string suffix, bool coalesce_keys,
                 Expr residual) {
  if (left_on.size() != right_on.size())
    ThrowInvalid("join needs as many left keys as right keys, not {} and {}", left_on.size(),
                 right_on.size());
  if (type == JoinType::kCross && !left_on.empty()) ThrowInvalid("a cross join takes no keys");
  if (type != JoinType::kCross && left_on.empty())
    ThrowInvalid("a {} join needs at least one key; use a cross join for all pairs",
                 JoinTypeName(type));
  for (size_t i = 0; i < left_on.size(); ++i) {
    DataType l = ResolveType(left_on[i], *left->schema);
    DataType r = ResolveType(right_on[i], *right->schema);
    // The keys must be comparable: binding an equality of the two settles it with a clear error.
    Schema both({{"__left", l, true}, {"__right", r, true}});
    try {
      ResolveType(col("__left") == col("__right"), both);
    } catch (const Error&) {
      ThrowInvalid("join keys `{}` ({}) and `{}` ({}) cannot be compared", left_on[i].ToString(),
                   l.ToString(), right_on[i].ToString(), r.ToString());
    }
  }
  if (residual.valid()) CheckResidual(residual, *left->schema, *right->schema, suffix);
  auto node = NewNode(PlanKind::kJoin, {std::move(left), std::move(right)});
  node->join_type = type;
  node->left_on = std::move(left_on);
  node->right_on = std::move(right_on);
  node->suffix = std::move(suffix);
  node->coalesce_keys = coalesce_keys;
  node->residual = std::move(residual);
  node->schema = JoinSchema(*node);
  return node;
}

PlanPtr MakeSort(PlanPtr input, std::vector<SortKey> keys, std::optional<int64_t> limit) {
  if (keys.empty()) ThrowInvalid("sort needs at least one key");
  for (const SortKey& key : keys) {
    DataType type = ResolveType(key.expr, *input->schema);
    if (type.id == TypeId::kBinary || type.id == TypeId::kFixedSizeBinary)
      ThrowInvalid("cannot sort by `{}` of type {}", key.expr.ToString(), type.ToString());
  }
  if (limit && *limit < 0) ThrowInvalid("sort limit must not be negative, not {}", *limit);
  auto node = NewNode(PlanKind::kSort, {input});
  node->schema = input->schema;
  node->sort_keys = std::move(keys);
  node->limit = limit;
  return node;
}

PlanPtr MakeLimit(PlanPtr input, int64_t offset, int64_t count) {
  if (offset < 0) ThrowInvalid("slice offset must not be negative, not {}", offset);
  auto node = NewNode(PlanKind::kLimit, {input});
  node->schema = input->schema;
  node->offset = offset;
  node->count = count;
  return node;
}

PlanPtr MakeUnion(std::vector<PlanPtr> inputs) {
  if (inputs.empty()) ThrowInvalid("concat needs at least one input");
  const Schema& first = *inputs[0]->schema;
  for (size_t i = 1; i < inputs.size(); ++i) {
    const Schema& other = *inputs[i]->schema;
    bool same = other.size() == first.size();
    for (size_t c = 0; same && c < first.size(); ++c)
      same =
          other.field(c).name == first.field(c).name && other.field(c).type == first.field(c).type;
    if (!same)
      ThrowInvalid("concat inputs differ: input 1 has ({}) but input {} has ({})", first.ToString(),
                   i + 1, other.ToString());
  }
  auto node = NewNode(PlanKind::kUnion, std::move(inputs));
  node->schema = node->inputs[0]->schema;
  return node;
}

PlanPtr MakeDistinct(PlanPtr input, std::vector<std::string> subset) {
  for (const std::string& name : subset) input->schema->FieldIndex(name, "unique()");
  auto node = NewNode(PlanKind::kDistinct, {input});
  node->schema = input->schema;
  node->subset = std::move(subset);
  return node;
}

PlanPtr MakeSink(PlanPtr input, std::shared_ptr<const SinkTarget> target) {
  if (!target->partition_by.empty()) {
    std::set<std::string> seen;
    for (const std::string& name : target->partition_by) {
      input->schema->FieldIndex(name, "PARTITION_BY");
      if (!seen.insert(name).second) ThrowInvalid("PARTITION_BY names column \"{}\" twice", name);
    }
    if (seen.size() == input->schema->size())
      ThrowInvalid("PARTITION_BY cannot take every column: the files would hold no column");
  }
  auto node = NewNode(PlanKind::kSink, {input});
  node->schema = input->schema;
  node->target = std::move(target);
  return node;
}

PlanPtr MakeMemoryScan(std::shared_ptr<const DataFrame> data) {
  if (data == nullptr || data->schema == nullptr) ThrowInvalid("a memory scan needs rows");
  auto source = std::make_shared<ScanSource>();
  source->format = ScanSource::Format::kMemory;
  source->path = "memory";
  source->file_schema = data->schema;
  source->data = std::move(data);
  return MakeScan(std::move(source));
}

std::shared_ptr<const ScanSource> OpenScanSource(ScanSource source) {
  if (source.format == ScanSource::Format::kMemory) {
    // Rows in memory have nothing to open.
    if (source.file_schema == nullptr && source.data != nullptr)
      source.file_schema = source.data->schema;
  } else if (source.format == ScanSource::Format::kParquet) {
    source.files = io::parquet::ResolveParquetPaths(source.path);
    if (source.files.empty()) ThrowInvalid("no Parquet files match {}", source.path);
    io::parquet::ScanOptions options;
    options.hive = static_cast<io::parquet::ScanOptions::Hive>(source.hive);
    options.union_by_name = source.union_by_name;
    io::parquet::ParquetScanner scanner(source.files, options);
    source.file_schema = scanner.schema();
  } else {
    source.files = io::csv::ResolveCsvPaths(source.path);
    if (source.files.empty()) ThrowInvalid("no CSV files match {}", source.path);
    io::csv::CsvScanner scanner(source.files, source.csv);
    source.file_schema = scanner.schema();
  }
  return std::make_shared<const ScanSource>(std::move(source));
}

PlanPtr WithInputs(const PlanPtr& plan, std::vector<PlanPtr> inputs) {
  switch (plan->kind) {
    case PlanKind::kScan: return plan;
    case PlanKind::kFilter: return MakeFilter(inputs[0], plan->predicate);
    case PlanKind::kProject: return MakeProject(inputs[0], plan->exprs);
    case PlanKind::kAggregate: return MakeAggregate(inputs[0], plan->keys, plan->aggregates);
    case PlanKind::kJoin:
      return MakeJoin(inputs[0], inputs[1], plan->join_type, plan->left_on, plan->right_on,
                      plan->suffix, plan->coalesce_keys,
                      RebaseResidual(*plan, *inputs[0]->schema, *inputs[1]->schema));
    case PlanKind::kSort: return MakeSort(inputs[0], plan->sort_keys, plan->limit);
    case PlanKind::kLimit: return MakeLimit(inputs[0], plan->offset, plan->count);
    case PlanKind::kUnion: return MakeUnion(std::move(inputs));
    case PlanKind::kDistinct: return MakeDistinct(inputs[0], plan->subset);
    case PlanKind::kSink: return MakeSink(inputs[0], plan->target);
    case PlanKind::kWindow: return MakeWindow(inputs[0], plan->windows);
  }
  ThrowInternal("unknown plan kind");
}

}  // namespace sluice
