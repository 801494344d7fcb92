// FROM items: CTEs and catalog views/tables by name, files as tables (`FROM 'x.parquet'`,
// `'*.csv'`), table functions (read_parquet, read_csv, range/generate_series), derived tables
// and VALUES, each with its alias and column alias list.
#include <fmt/format.h>

#include <filesystem>

#include "core/column_builder.h"
#include "core/error.h"
#include "sql/bind_names.h"
#include "sql/bind_query.h"
#include "sql/binder.h"
#include "sql/sql_error.h"
#include "sql/sql_types.h"

namespace sluice::sql {

namespace {

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         NamesEqual(std::string_view(text).substr(text.size() - suffix.size()), suffix);
}

bool IsCsvPath(const std::string& path) {
  for (std::string_view ext : {".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".csv.zst", ".dat"})
    if (EndsWith(path, ext)) return true;
  return false;
}

/// The file's name without folders and extensions: what `FROM 'data/sales.parquet'` is called.
std::string FileQualifier(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  size_t dot = name.find('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

/// A constant argument as text / bool / integer, with positioned errors.
std::string TextArg(const AstExpr& arg, std::string_view sql, const std::string& what) {
  Scalar value = BindConstant(arg, sql);
  if (const std::string* s = std::get_if<std::string>(&value.value)) return *s;
  ThrowSqlError(sql, arg.pos, fmt::format("{} must be a string", what));
}

bool BoolArg(const AstExpr& arg, std::string_view sql, const std::string& what) {
  Scalar value = BindConstant(arg, sql);
  if (const bool* b = std::get_if<bool>(&value.value)) return *b;
  if (const int64_t* i = std::get_if<int64_t>(&value.value)) return *i != 0;
  ThrowSqlError(sql, arg.pos, fmt::format("{} must be true or false", what));
}

int64_t IntArg(const AstExpr& arg, std::string_view sql, const std::string& what) {
  Scalar value = BindConstant(arg, sql);
  if (const int64_t* i = std::get_if<int64_t>(&value.value)) return *i;
  ThrowSqlError(sql, arg.pos, fmt::format("{} must be an integer", what));
}

char CharArg(const AstExpr& arg, std::string_view sql, const std::string& what) {
  std::string text = TextArg(arg, sql, what);
  if (text == "\\t") return '\t';
  if (text.size() > 1) ThrowSqlError(sql, arg.pos, fmt::format("{} must be one character", what));
  return text.empty() ? '\0' : text[0];
}

std::shared_ptr<const ScanSource> Open(ScanSource source, std::string_view sql, SourcePos pos) {
  try {
    return OpenScanSource(std::move(source));
  } catch (const Error& e) {
    ThrowSqlError(sql, pos, e.what(), e.kind());
  }
}

}  // namespace

Relation QueryBinder::RelationOf(PlanPtr plan, const std::string& qualifier) {
  Relation rel;
  for (const Field& field : plan->schema->fields())
    rel.scope.columns.push_back({qualifier, field.name, field.name, field.type, false});
  rel.plan = std::move(plan);
  return rel;
}

Relation QueryBinder::ApplyAlias(Relation rel, const TableRef& ref, std::string default_qualifier) {
  std::string qualifier = ref.alias.empty() ? std::move(default_qualifier) : ref.alias;
  size_t visible = 0;
  for (const ScopeColumn& column : rel.scope.columns) visible += column.hidden ? 0 : 1;
  if (ref.column_aliases.size() > visible) {
    Fail(ref.pos, fmt::format("{} has {} columns but {} column names were given", qualifier,
                              visible, ref.column_aliases.size()));
  }
  size_t next = 0;
  for (ScopeColumn& column : rel.scope.columns) {
    column.qualifier = qualifier;
    if (!column.hidden && next < ref.column_aliases.size())
      column.name = ref.column_aliases[next++];
  }
  return rel;
}

Relation QueryBinder::BindTableRef(const TableRef& ref) {
  switch (ref.kind) {
    case TableRef::Kind::kName: return BindNamedTable(ref);
    case TableRef::Kind::kFile: return BindFileTable(ref);
    case TableRef::Kind::kFunction: return BindTableFunction(ref);
    case TableRef::Kind::kSubquery: return BindDerivedTable(ref);
    case TableRef::Kind::kValues:
      return ApplyAlias(BindValues(ref.rows, ref.pos), ref, "valueslist");
    case TableRef::Kind::kJoin: return BindJoin(ref);
  }
  Fail(ref.pos, "unknown FROM item");
}

Relation QueryBinder::BindNamedTable(const TableRef& ref) {
  const std::string& name = ref.names.back();
  if (ref.names.size() == 1) {
    for (size_t i = ctes_.size(); i-- > 0;) {
      const CommonTableExpr* cte = ctes_[i].cte;
      if (!NamesEqual(cte->name, name)) continue;
      // A CTE binds where it was defined: it sees only the CTEs before it, and no outer query.
      std::vector<CteBinding> saved = ctes_;
      ctes_.resize(ctes_[i].visible);
      OuterFrame barrier;
      frames_.push_back(&barrier);
      Relation rel;
      try {
        rel = BindQuery(*cte->query);
      } catch (...) {
        ctes_ = std::move(saved);
        frames_.pop_back();
        throw;
      }
      ctes_ = std::move(saved);
      frames_.pop_back();
      TableRef aliased;
      aliased.pos = ref.pos;
      aliased.alias = cte->name;
      aliased.column_aliases = cte->column_aliases;
      rel = ApplyAlias(std::move(rel), aliased, cte->name);
      return ApplyAlias(std::move(rel), ref, cte->name);
    }
  }
  if (const Catalog::Entry* entry = catalog_.Find(name))
    return ApplyAlias(RelationOf(entry->plan, entry->name), ref, entry->name);
  std::vector<std::string> names = catalog_.Names();
  for (const CteBinding& binding : ctes_) names.push_back(binding.cte->name);
  std::string message = fmt::format("table \"{}\" not found", name);
  if (auto suggestion = ClosestName(name, names))
    message += fmt::format("; did you mean \"{}\"?", *suggestion);
  else
    message += "; to read a file, quote its path: FROM 'data.parquet'";
  Fail(ref.pos, message);
}

Relation QueryBinder::BindFileTable(const TableRef& ref) {
  ScanSource source;
  source.path = ref.path;
  source.format = IsCsvPath(ref.path) ? ScanSource::Format::kCsv : ScanSource::Format::kParquet;
  PlanPtr plan = MakeScan(Open(std::move(source), sql_, ref.pos));
  return ApplyAlias(RelationOf(plan, FileQualifier(ref.path)), ref, FileQualifier(ref.path));
}

Relation QueryBinder::BindTableFunction(const TableRef& ref) {
  const AstExpr& function = *ref.function;
  std::string name = LowerName(function.names.back());
  std::vector<const AstExpr*> positional;
  std::vector<std::pair<std::string, const AstExpr*>> named;
  for (size_t i = 0; i < function.args.size(); ++i) {
    std::string arg_name = i < function.arg_names.size() ? function.arg_names[i] : "";
    if (arg_name.empty())
      positional.push_back(function.args[i].get());
    else
      named.emplace_back(LowerName(arg_name), function.args[i].get());
  }
  if (name == "read_parquet" || name == "parquet_scan" || name == "read_csv" ||
      name == "read_csv_auto" || name == "csv_scan") {
    if (positional.size() != 1)
      Fail(function.pos, fmt::format("{}() takes one path (a string)", name));
    ScanSource source;
    source.path = TextArg(*positional[0], sql_, "the path");
    bool parquet = name == "read_parquet" || name == "parquet_scan";
    source.format = parquet ? ScanSource::Format::kParquet : ScanSource::Format::kCsv;
    io::csv::CsvReadOptions& csv = source.csv;
    for (const auto& [key, arg] : named) {
      if (parquet && key == "hive_partitioning") {
        source.hive = BoolArg(*arg, sql_, key) ? ScanSource::Hive::kOn : ScanSource::Hive::kOff;
      } else if (parquet && key == "union_by_name") {
        source.union_by_name = BoolArg(*arg, sql_, key);
      } else if (parquet && (key == "binary_as_string" || key == "filename")) {
        Fail(arg->pos, fmt::format("read_parquet option {} is not supported", key));
      } else if (!parquet && (key == "delim" || key == "sep" || key == "delimiter")) {
        csv.delimiter = CharArg(*arg, sql_, key);
      } else if (!parquet && key == "header") {
        csv.header = BoolArg(*arg, sql_, key);
      } else if (!parquet && key == "quote") {
        csv.quote = CharArg(*arg, sql_, key);
      } else if (!parquet && key == "escape") {
        csv.escape = CharArg(*arg, sql_, key);
      } else if (!parquet && key == "comment") {
        csv.comment = CharArg(*arg, sql_, key);
      } else if (!parquet && (key == "nullstr" || key == "null")) {
        csv.null_strings = {TextArg(*arg, sql_, key)};
      } else if (!parquet && key == "skip") {
        csv.skip_rows = IntArg(*arg, sql_, key);
      } else if (!parquet && key == "sample_size") {
        csv.sample_rows = IntArg(*arg, sql_, key);
      } else if (!parquet && key == "null_padding") {
        if (BoolArg(*arg, sql_, key)) csv.ragged = io::csv::CsvReadOptions::Ragged::kPad;
      } else if (!parquet && key == "ignore_errors") {
        if (BoolArg(*arg, sql_, key)) csv.ragged = io::csv::CsvReadOptions::Ragged::kSkip;
      } else if (!parquet && key == "auto_detect") {
        // Sniffing is always on for what is not given.
      } else if (!parquet && (key == "types" || key == "dtypes" || key == "column_types")) {
        // types = {'col': 'TYPE', ...}: a struct literal the parser gives as a `struct_pack`
        // call with named arguments.
        if (arg->kind != AstExprKind::kFunction || arg->arg_names.size() != arg->args.size())
          Fail(arg->pos, fmt::format("{} takes {{'column': 'TYPE', ...}}", key));
        for (size_t i = 0; i < arg->args.size(); ++i) {
          std::string type = TextArg(*arg->args[i], sql_, "a column type");
          csv.column_types.emplace_back(arg->arg_names[i], SqlTypeFromName(type));
        }
      } else {
        Fail(arg->pos, fmt::format("unknown {} option \"{}\"", name, key));
      }
    }
    PlanPtr plan = MakeScan(Open(std::move(source), sql_, function.pos));
    std::string qualifier = FileQualifier(plan->source->path);
    return ApplyAlias(RelationOf(plan, qualifier), ref, qualifier);
  }
  if (name == "range" || name == "generate_series") {
    if (positional.empty() || positional.size() > 3)
      Fail(function.pos,
           fmt::format("{}() takes (stop), (start, stop) or (start, stop, step)", name));
    int64_t start = 0, stop = 0, step = 1;
    if (positional.size() == 1) {
      stop = IntArg(*positional[0], sql_, "the stop");
    } else {
      start = IntArg(*positional[0], sql_, "the start");
      stop = IntArg(*positional[1], sql_, "the stop");
      if (positional.size() == 3) step = IntArg(*positional[2], sql_, "the step");
    }
    if (step == 0) Fail(function.pos, fmt::format("{}() step must not be 0", name));
    // generate_series includes its stop; range does not.
    bool inclusive = name == "generate_series";
    ColumnBuilder builder(Int64());
    int64_t rows = 0;
    for (int64_t v = start;
         step > 0 ? (inclusive ? v <= stop : v < stop) : (inclusive ? v >= stop : v > stop);
         v += step) {
      builder.Append<int64_t>(v);
      if (++rows > (int64_t{1} << 32)) Fail(function.pos, "range() is too large");
      if (__builtin_add_overflow(v, step, &v)) break;
      v -= step;
    }
    auto data = std::make_shared<DataFrame>();
    data->schema = std::make_shared<Schema>(std::vector<Field>{{name, Int64(), false}});
    Batch batch;
    batch.schema = data->schema;
    batch.columns.push_back(builder.Finish());
    batch.num_rows = rows;
    if (rows > 0) data->batches.push_back(std::move(batch));
    return ApplyAlias(RelationOf(MakeMemoryScan(data), name), ref, name);
  }
  Fail(function.pos, fmt::format("unknown table function {}(); use read_parquet, read_csv, range "
                                 "or generate_series",
                                 name));
}

Relation QueryBinder::BindDerivedTable(const TableRef& ref) {
  OuterFrame barrier;
  frames_.push_back(&barrier);
  Relation rel;
  try {
    rel = BindQuery(*ref.subquery);
  } catch (...) {
    frames_.pop_back();
    throw;
  }
  frames_.pop_back();
  return ApplyAlias(std::move(rel), ref, ref.alias.empty() ? "unnamed_subquery" : ref.alias);
}

}  // namespace sluice::sql
