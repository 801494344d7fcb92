// The binder's working state and its parts (internal to sql/): QueryBinder turns a Query into a
// plan, its methods spread over bind_*.cpp by clause (FROM, joins, SELECT, aggregation,
// subqueries, set operations, windows); ExprBinder turns one expression into an Expr.
//
// Plan columns are plain names, so the binder keeps a Scope beside each plan: which SQL names
// (qualifier, column) the query may use and which plan column each one is. Plan names are kept
// unique within a relation: before two relations are joined, the right one's clashing columns
// are renamed (a Project), so joins never suffix anything and every name means one column.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/schema.h"
#include "expr/expr.h"
#include "plan/logical_plan.h"
#include "sql/ast.h"
#include "sql/catalog.h"

namespace sluice::sql {

/// One name a query can use for a column.
struct ScopeColumn {
  std::string qualifier;  ///< Table name or alias as written; empty for none.
  std::string name;       ///< The SQL column name (case kept for output names).
  std::string plan_name;  ///< The column of the plan.
  DataType type;
  /// Not visible to `*` nor to unqualified names (the duplicate key of JOIN ... USING); still
  /// reachable as qualifier.name.
  bool hidden = false;
};

struct Scope {
  std::vector<ScopeColumn> columns;
};

/// A plan with the names the query may use for its columns. The plan may hold more columns than
/// the scope names (helper columns of decorrelated subqueries); a final Project drops them.
struct Relation {
  PlanPtr plan;
  Scope scope;
};

/// What a correlated subquery needs from the query around it, in names of the subquery's plan
/// (inner) and of the outer plan (outer).
struct Correlation {
  std::vector<std::string> inner_keys;  ///< Subquery columns equal to...
  std::vector<Expr> outer_keys;         ///< ...these outer expressions.
  /// Other correlated conjuncts (`l2.l_suppkey <> l1.l_suppkey`), over the subquery's columns
  /// and outer markers (OuterMarker; resolved once the subquery's columns are renamed).
  std::vector<Expr> others;
  /// For an aggregated scalar subquery: its value over no rows, as a constant expression (count
  /// gives 0, not null); invalid when it is null anyway.
  Expr empty_value;
  bool aggregated = false;
  bool limited = false;  ///< The subquery has LIMIT/OFFSET.
};

/// The query around a subquery being bound, for correlated column references.
struct OuterFrame {
  const Scope* scope = nullptr;  ///< Null: a barrier (a derived table or CTE body).
  SchemaPtr schema;              ///< The outer plan's columns (types of outer references).
  /// Outer columns the subquery used: marker name -> type.
  std::vector<Field> refs;
  /// The SelectCore whose WHERE may hold correlated conjuncts (the subquery's own body).
  const SelectCore* body = nullptr;
  /// The outer plan when known (null otherwise): an aggregated subquery with a non-equality
  /// correlation joins in the distinct outer values it references (a dependent join).
  PlanPtr plan;
};

/// A subquery met while binding an expression; the clause applies it to the relation its
/// expression runs over (a join), after which `column` holds the subquery's value.
struct PendingSubquery {
  enum class Kind : uint8_t { kScalar, kExists, kIn } kind = Kind::kScalar;
  const AstExpr* ast = nullptr;
  std::string column;  ///< The placeholder column of the value.
  DataType type;
  Expr probe;  ///< kIn: the left operand.
  Relation sub;
  Correlation correlation;
};

/// A window function met while binding an expression; `window.name` is its placeholder column.
struct PendingWindow {
  WindowExpr window;
  DataType type;
};

/// The marker name of an outer column reference inside a correlated subquery.
std::string OuterMarker(const std::string& plan_name);
/// The outer plan name of a marker, or nullopt when `name` is not one.
std::optional<std::string> FromOuterMarker(const std::string& name);
/// True when the expression reads an outer column.
bool HasOuterRef(const Expr& expr);
/// Replaces outer markers by the outer plan's column names.
Expr ResolveOuterRefs(const Expr& expr);

class QueryBinder {
 public:
  QueryBinder(const Catalog& catalog, std::string_view sql) : catalog_(catalog), sql_(sql) {}

  std::string_view sql() const { return sql_; }
  [[noreturn]] void Fail(SourcePos pos, std::string_view message) const;
  /// A plan column name no other column of this statement has.
  std::string Fresh(std::string_view base);

  // binder.cpp: a query (WITH, body, ORDER BY, LIMIT). The result's scope names the output
  // columns (no qualifier); the plan's first columns are the outputs.
  Relation BindQuery(const Query& query, Correlation* correlation = nullptr);
  Relation BindBody(const QueryBody& body, Correlation* correlation);
  /// Binds ORDER BY / LIMIT / OFFSET over the output columns of a relation (set operations).
  Relation BindOrderLimit(Relation rel, const Query& query);
  int64_t BindCount(const AstExprPtr& expr, const char* what);

  // bind_from.cpp: one FROM item.
  Relation BindTableRef(const TableRef& ref);
  Relation BindNamedTable(const TableRef& ref);
  Relation BindFileTable(const TableRef& ref);
  Relation BindTableFunction(const TableRef& ref);
  Relation BindDerivedTable(const TableRef& ref);
  Relation ApplyAlias(Relation rel, const TableRef& ref, std::string default_qualifier);
  /// A relation over `plan` whose scope names every plan column under `qualifier`.
  Relation RelationOf(PlanPtr plan, const std::string& qualifier);

  // bind_join.cpp
  Relation BindJoin(const TableRef& ref);
  /// Joins the relations of `FROM a, b, c` on the equalities of `conjuncts` (over the combined
  /// scope; others become filters where their relations meet).
  Relation JoinList(std::vector<Relation> items, std::vector<Expr> conjuncts);
  /// Renames the columns of `right` that clash with `left`'s plan names (a Project); `renamed`
  /// receives old -> new names.
  Relation MakeDisjoint(const Schema& left, Relation right,
                        std::map<std::string, std::string>* renamed = nullptr);
  /// FROM and WHERE of a SELECT: joins, filters and WHERE subqueries. Correlated conjuncts
  /// (those reading the outer query) are not applied but returned in `correlated`.
  Relation BindFromWhere(const SelectCore& core, std::vector<Expr>* correlated);

  // bind_select.cpp
  Relation BindSelect(const SelectCore& core, const Query* tail, Correlation* correlation);

  // bind_subquery.cpp
  /// Binds `query` as a subquery of the query whose columns are `scope` over `schema`
  /// (correlated references allowed in the subquery's WHERE).
  void BindSubquery(const Query& query, const Scope& scope, SchemaPtr schema,
                    PendingSubquery* pending, PlanPtr outer_plan = nullptr);
  /// For an aggregated subquery whose correlated conjuncts are not all `inner = outer`: joins
  /// the distinct values of the outer columns they read (from the outer plan) into `plan`, the
  /// subquery's rows before aggregation, applying every correlated conjunct there; then the
  /// correlation is equality on those columns, which `correlation_outputs` (group keys) carry.
  /// `uses` are other expressions of the subquery reading outer columns (its select list);
  /// `d_names` receives marker -> D column, to rewrite them. Returns false (nothing changed)
  /// when the outer plan is not known.
  bool DependentJoin(const std::vector<Expr>& correlated, const std::vector<Expr>& uses,
                     PlanPtr* plan, std::vector<Expr>* correlation_outputs,
                     Correlation* correlation, std::map<std::string, std::string>* d_names);
  /// Joins a pending subquery's value onto `rel` (its outer keys already in rel's names).
  void ApplySubquery(Relation* rel, PendingSubquery& pending);
  /// A WHERE conjunct `[NOT] EXISTS (...)` or `x [NOT] IN (SELECT ...)` as a semi/anti join.
  void ApplyWhereSubquery(Relation* rel, const AstExpr& conjunct, bool negated);
  /// Binds the correlated conjuncts of a subquery body and records them in `correlation`:
  /// returns the inner expressions the subquery must output (key and pass-through columns).
  std::vector<Expr> SplitCorrelation(const std::vector<Expr>& correlated, Correlation* correlation);

  // bind_setop.cpp
  Relation BindSetOp(const QueryBody& body);
  Relation BindValues(const std::vector<std::vector<AstExprPtr>>& rows, SourcePos pos);
  /// A relation of one row and no visible columns, for SELECT without FROM.
  Relation OneRow();

  const Catalog& catalog() const { return catalog_; }
  /// The WINDOW clause entry `name` of the SELECT being bound, or null.
  const WindowSpec* FindWindow(const std::string& name) const;

  const SelectCore* window_core_ = nullptr;

  /// Visible CTEs, innermost last; each binds in the scope of the CTEs before it.
  struct CteBinding {
    const CommonTableExpr* cte = nullptr;
    size_t visible = 0;  ///< How many entries of ctes_ its query may see.
  };
  std::vector<CteBinding> ctes_;
  std::vector<OuterFrame*> frames_;

 private:
  const Catalog& catalog_;
  std::string_view sql_;
  int next_name_ = 0;
};

/// How an expression may be bound where it stands.
struct ExprContext {
  const Scope* scope = nullptr;
  SchemaPtr schema;  ///< The columns the expression reads (for types).
  PlanPtr plan;      ///< The plan whose rows the expression runs over, when known.
  const char* clause = "this clause";
  bool allow_aggregates = false;
  bool allow_windows = false;
  /// Subqueries become pending placeholders here; null: they are not allowed.
  std::vector<PendingSubquery>* subqueries = nullptr;
  std::vector<PendingWindow>* windows = nullptr;
  /// Correlated references to the enclosing query are allowed (a subquery body's WHERE).
  bool allow_outer = false;
  /// Select-list aliases a bare name may mean when no column has it (HAVING n > 1).
  const std::vector<std::pair<std::string, Expr>>* aliases = nullptr;
  /// Where each plan column was first referenced (for GROUP BY errors).
  std::map<std::string, SourcePos>* column_positions = nullptr;
};

class ExprBinder {
 public:
  ExprBinder(QueryBinder& binder, ExprContext context)
      : binder_(binder), context_(std::move(context)) {}

  Expr Bind(const AstExpr& expr);
  /// Bind, then checks the types: a type error (`cannot add utf8 and int32`) points at `expr`.
  Expr BindTyped(const AstExpr& expr);
  /// The type of a bound expression (aggregates and placeholders included).
  DataType TypeOf(const Expr& expr);
  /// The plan column of a column reference, or nullopt (no error) when nothing matches.
  std::optional<std::string> TryResolveColumn(const AstExpr& expr);
  QueryBinder& binder() { return binder_; }
  void set_clause(const char* clause) { context_.clause = clause; }
  void set_aliases(const std::vector<std::pair<std::string, Expr>>* aliases) {
    context_.aliases = aliases;
  }
  void set_allow_aggregates(bool allow) { context_.allow_aggregates = allow; }
  void set_allow_outer(bool allow) { context_.allow_outer = allow; }
  const ExprContext& context() const { return context_; }

 private:
  Expr BindColumn(const AstExpr& expr);
  Expr BindBinary(const AstExpr& expr);
  Expr BindUnary(const AstExpr& expr);
  Expr BindCase(const AstExpr& expr);
  Expr BindCast(const AstExpr& expr);
  Expr BindExtract(const AstExpr& expr);
  Expr BindLike(const AstExpr& expr);
  Expr BindSubqueryExpr(const AstExpr& expr);
  Expr BindInterval(const AstExpr& expr);
  // bind_function.cpp
  Expr BindFunction(const AstExpr& expr);
  Expr BindAggregate(const AstExpr& expr, const std::string& name);
  Expr BindWindow(const AstExpr& expr, const std::string& name);
  Expr BindScalarFunction(const AstExpr& expr, const std::string& name);
  std::vector<Expr> BindArgs(const AstExpr& expr);
  /// Date/timestamp plus or minus an interval (months fold or become add_months).
  Expr BindIntervalArithmetic(const AstExpr& expr, const AstExpr& point, const AstExpr& interval,
                              bool subtract);

  QueryBinder& binder_;
  ExprContext context_;
  std::vector<Field> extra_fields_;  ///< Placeholders and outer references, for TypeOf.
  /// Set while binding an aggregate used as a window function in a grouped query: its
  /// arguments may be aggregates (`sum(sum(x)) OVER ()`).
  bool window_over_aggregates_ = false;
};

/// The aggregation of a grouped SELECT: its keys and aggregates, and the rewrite of expressions
/// over the input (bound with aggregates inline) to expressions over the aggregation's output.
struct Grouping {
  std::vector<Expr> keys;  ///< For MakeAggregate; each outputs key_columns[i].
  std::vector<std::string> key_texts;
  std::vector<std::string> key_columns;
  std::vector<Expr> aggregates;                          ///< Aliased.
  std::map<std::string, std::string> aggregate_columns;  ///< Aggregate text -> column.
  std::set<std::string> count_columns;                   ///< Columns of count aggregates.
  std::set<std::string> passthrough;  ///< Placeholder columns (subqueries, windows).

  /// Adds a key (deduplicated); plain columns keep their name, others get `fresh`.
  void AddKey(const Expr& key, const std::string& fresh);
  /// Collects the aggregates of `expr`, naming new ones through `binder`.
  void CollectAggregates(const Expr& expr, QueryBinder& binder);
  /// `expr` over the aggregation's output; sets *ungrouped to a column that is neither grouped
  /// nor aggregated (and returns an invalid Expr).
  Expr Rewrite(const Expr& expr, std::string* ungrouped) const;
};

/// The output name DuckDB gives an unaliased select item (`sum(revenue)`, `(a + b)`,
/// `count_star()`); `resolved` is the column name of a plain column reference.
std::string OutputNameOf(const AstExpr& expr);

/// A SQL interval: months, days and microseconds kept apart, as months have no fixed length.
struct Interval {
  int64_t months = 0;
  int64_t days = 0;
  int64_t micros = 0;
};
/// Parses `INTERVAL '3' MONTH`, `INTERVAL '1 day 2 hours'`; throws a positioned error.
Interval ParseInterval(const AstExpr& expr, std::string_view sql);
/// A literal of a SQL literal (integer, decimal, string, bool, null, typed literal).
Expr BindLiteralExpr(const AstExpr& expr, std::string_view sql);
/// Adds `months` to a date/timestamp value (days since the epoch or microseconds), clamping the
/// day of month as SQL does (Jan 31 + 1 month = Feb 28/29).
int64_t AddMonthsToDays(int64_t days, int64_t months);
/// Names of the aggregate functions SQL knows (for detecting aggregates): canonical name or "".
std::string SqlAggregateName(const std::string& lower_name);

}  // namespace sluice::sql
