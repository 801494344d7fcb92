// The syntax tree of sluice's SQL (DESIGN.md "Layers": sql/): what the parser produces and the
// binder turns into logical plans. It records what was written and where (for errors with a
// caret), and nothing about types or catalogs: those are the binder's.
//
// Nodes are plain structs with a kind and the fields that kind uses (as plan/logical_plan.h), held
// by shared_ptr so that the binder can reuse a subtree (a GROUP BY ordinal naming a select item).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::sql {

/// A place in the SQL text: 1-based line and column (in characters), 0-based byte offset.
struct SourcePos {
  int line = 1;
  int column = 1;
  int64_t offset = 0;
};

struct Query;
using QueryPtr = std::shared_ptr<Query>;
struct AstExpr;
using AstExprPtr = std::shared_ptr<AstExpr>;

/// A type as written: `DECIMAL(15, 2)`, `VARCHAR`, `TIMESTAMP`, `INTEGER[]` (later).
struct TypeName {
  std::string name;             ///< Upper-cased: "DECIMAL", "DOUBLE PRECISION", "TIMESTAMPTZ".
  std::vector<int64_t> params;  ///< (15, 2)
  SourcePos pos;
};

enum class AstExprKind : uint8_t {
  kColumnRef,     ///< names: [column] or [table, column] (or [schema, table, column]).
  kStar,          ///< `*` or `t.*` (names = [t]); `exclude` lists `* EXCLUDE (a, b)`.
  kLiteral,       ///< literal_kind + text.
  kTypedLiteral,  ///< `DATE '2024-01-01'`, `TIMESTAMP '...'`: type + text.
  kInterval,      ///< `INTERVAL '3' MONTH`, `INTERVAL '1 day'`, `INTERVAL 3 DAY`: text + unit.
  kUnary,         ///< op (kNot, kNegate, kPlus) of args[0].
  kBinary,        ///< op of args[0], args[1].
  kFunction,      ///< names (function), args (arg_names for `name := v` / `name = v` in FROM
                  ///< functions), distinct, star_arg (count(*)), filter, window.
  kCast,          ///< args[0] AS type; try_cast. `x::type` parses to this too.
  kCase,          ///< args: [operand?] then when,then pairs; has_operand; else_expr.
  kBetween,       ///< args[0] BETWEEN args[1] AND args[2]; negated.
  kInList,        ///< args[0] IN (args[1..]); negated.
  kInSubquery,    ///< args[0] IN (subquery); negated.
  kExists,        ///< EXISTS (subquery); negated.
  kSubquery,      ///< A scalar subquery `(SELECT ...)`.
  kIsNull,        ///< args[0] IS NULL; negated = IS NOT NULL.
  kIsBool,        ///< args[0] IS [NOT] TRUE/FALSE: literal_kind kTrue/kFalse; negated.
  kLike,          ///< args[0] [NOT] LIKE/ILIKE args[1] [ESCAPE args[2]]; case_insensitive; negated.
  kExtract,       ///< EXTRACT(field FROM args[0]): text = field, upper-cased ("YEAR").
  kParameter,     ///< `?` or `$1` (text = "1"); reserved, the binder rejects it for now.
};

enum class LiteralKind : uint8_t {
  kNull,
  kTrue,
  kFalse,
  kInteger,  ///< Digits only, as written ("42"); the binder picks the type.
  kDecimal,  ///< "0.2", ".5", "1e10": as written; the binder picks decimal or double.
  kString,   ///< The unescaped contents ('it''s' -> it's).
};

enum class AstOp : uint8_t {
  // Unary.
  kNot,
  kNegate,
  kPlus,
  // Binary.
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,     ///< `/`
  kIntDivide,  ///< `//` (DuckDB)
  kModulo,
  kConcat,  ///< `||`
  kEqual,
  kNotEqual,  ///< `<>` or `!=`
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kIsDistinctFrom,     ///< `IS DISTINCT FROM`
  kIsNotDistinctFrom,  ///< `IS NOT DISTINCT FROM`
  kAnd,
  kOr,
};

/// The SQL spelling of an operator (for messages): "+", "AND", "IS DISTINCT FROM".
const char* AstOpName(AstOp op);

struct OrderItem {
  AstExprPtr expr;  ///< An expression, an output alias, or an ordinal (a kInteger literal).
  bool descending = false;
  std::optional<bool> nulls_last;  ///< Unset: the engine's default (nulls last ascending).
};

/// One bound of a window frame: UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING,
/// UNBOUNDED FOLLOWING.
struct FrameBound {
  enum class Kind : uint8_t {
    kUnboundedPreceding,
    kPreceding,
    kCurrentRow,
    kFollowing,
    kUnboundedFollowing,
  } kind = Kind::kCurrentRow;
  AstExprPtr offset;  ///< kPreceding / kFollowing: a constant expression.
};

struct WindowFrameSpec {
  enum class Units : uint8_t { kRows, kRange } units = Units::kRange;
  FrameBound start;
  FrameBound end;  ///< `ROWS n PRECEDING` alone means BETWEEN n PRECEDING AND CURRENT ROW.
};

/// OVER (PARTITION BY ... ORDER BY ... frame), or OVER name (a WINDOW clause entry).
struct WindowSpec {
  std::string name;  ///< OVER w: the WINDOW clause's definition (may be refined by the rest).
  std::vector<AstExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  std::optional<WindowFrameSpec> frame;
};

struct AstExpr {
  AstExprKind kind = AstExprKind::kLiteral;
  SourcePos pos;  ///< Where the expression starts (for an operator: where the operator is).

  std::vector<std::string> names;  ///< kColumnRef / kStar qualifier / kFunction name parts.
  LiteralKind literal_kind = LiteralKind::kNull;
  std::string text;  ///< kLiteral / kTypedLiteral / kInterval value; kExtract field.
  std::string unit;  ///< kInterval: "YEAR", "MONTH", "DAY", "HOUR", ... (upper-cased, singular);
                     ///< empty when the unit is inside the string (`INTERVAL '1 day'`).
  TypeName type;     ///< kCast, kTypedLiteral.
  AstOp op = AstOp::kAdd;

  std::vector<AstExprPtr> args;
  std::vector<std::string> arg_names;  ///< kFunction: parallel to args, empty for positional.
  AstExprPtr else_expr;                ///< kCase.
  AstExprPtr filter;                   ///< kFunction: aggregate FILTER (WHERE ...).
  QueryPtr subquery;                   ///< kInSubquery, kExists, kSubquery.
  std::shared_ptr<WindowSpec> window;  ///< kFunction with OVER.
  std::vector<std::string> exclude;    ///< kStar: EXCLUDE (...).
  std::vector<SourcePos> exclude_pos;  ///< kStar: where each EXCLUDE name is written.

  bool distinct = false;          ///< kFunction: count(DISTINCT x).
  bool star_arg = false;          ///< kFunction: count(*).
  bool try_cast = false;          ///< kCast.
  bool negated = false;           ///< NOT BETWEEN / NOT IN / NOT EXISTS / IS NOT / NOT LIKE.
  bool has_operand = false;       ///< kCase: CASE x WHEN ...
  bool case_insensitive = false;  ///< kLike: ILIKE.
  bool parenthesized = false;     ///< Written inside parentheses (for messages only).
};

struct SelectItem {
  AstExprPtr expr;
  std::string alias;  ///< Empty when none was given.
};

struct TableRef;
using TableRefPtr = std::shared_ptr<TableRef>;

enum class AstJoinType : uint8_t { kInner, kLeft, kRight, kFull, kCross, kSemi, kAnti };

struct TableRef {
  enum class Kind : uint8_t {
    kName,      ///< A view, table or CTE: names = [name] (or [schema, name]).
    kFile,      ///< `FROM 'data/*.parquet'`: path.
    kFunction,  ///< `read_parquet('...', hive_partitioning = true)`: function (kFunction expr).
    kSubquery,  ///< `(SELECT ...) AS t`.
    kValues,    ///< `(VALUES (1, 'a'), (2, 'b')) AS t(x, y)`: rows.
    kJoin,      ///< left JOIN right ON/USING; `FROM a, b` is a kCross join.
  } kind = Kind::kName;
  SourcePos pos;

  std::vector<std::string> names;             ///< kName.
  std::string path;                           ///< kFile.
  AstExprPtr function;                        ///< kFunction.
  QueryPtr subquery;                          ///< kSubquery.
  std::vector<std::vector<AstExprPtr>> rows;  ///< kValues.

  std::string alias;                        ///< Empty when none.
  std::vector<std::string> column_aliases;  ///< `AS t(a, b)`.

  // kJoin.
  AstJoinType join_type = AstJoinType::kInner;
  bool natural = false;
  TableRefPtr left, right;
  AstExprPtr on;                           ///< ON condition, or null.
  std::vector<std::string> using_columns;  ///< USING (a, b).
};

/// One SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ... (without ORDER BY / LIMIT, which
/// belong to the Query around it).
struct SelectCore {
  SourcePos pos;
  bool distinct = false;
  std::vector<SelectItem> items;
  TableRefPtr from;  ///< Null for `SELECT 1`.
  AstExprPtr where;
  std::vector<AstExprPtr> group_by;  ///< Expressions, aliases or ordinals.
  bool group_by_all = false;         ///< GROUP BY ALL.
  AstExprPtr having;
  AstExprPtr qualify;  ///< QUALIFY (filter on window results), as DuckDB.
  std::vector<std::pair<std::string, WindowSpec>> windows;  ///< WINDOW w AS (...).
};

struct QueryBody;
using QueryBodyPtr = std::shared_ptr<QueryBody>;

/// A SELECT, a parenthesized query, VALUES, or a set operation of two bodies.
struct QueryBody {
  enum class Kind : uint8_t { kSelect, kQuery, kValues, kSetOp } kind = Kind::kSelect;
  SourcePos pos;
  std::shared_ptr<SelectCore> select;         ///< kSelect.
  QueryPtr query;                             ///< kQuery: `(SELECT ... ORDER BY ... LIMIT)`.
  std::vector<std::vector<AstExprPtr>> rows;  ///< kValues.
  enum class SetOp : uint8_t { kUnion, kIntersect, kExcept } set_op = SetOp::kUnion;
  bool all = false;      ///< UNION ALL / INTERSECT ALL / EXCEPT ALL.
  bool by_name = false;  ///< UNION BY NAME (DuckDB).
  QueryBodyPtr left, right;
};

struct CommonTableExpr {
  std::string name;
  std::vector<std::string> column_aliases;
  QueryPtr query;
  SourcePos pos;
};

/// WITH ... body ORDER BY ... LIMIT ... OFFSET ...
struct Query {
  SourcePos pos;
  std::vector<CommonTableExpr> ctes;
  QueryBodyPtr body;
  std::vector<OrderItem> order_by;
  AstExprPtr limit;   ///< A constant expression; null for none (`LIMIT ALL` too).
  AstExprPtr offset;  ///< Null for none.
};

/// `KEY value` options of COPY and `name = value` arguments: `FORMAT parquet`,
/// `COMPRESSION 'zstd'`, `PARTITION_BY (a, b)`, `HEADER`, `DELIMITER ';'`.
struct CopyOption {
  std::string name;  ///< Upper-cased.
  AstExprPtr value;  ///< Null for a bare flag (`HEADER`); a list is a kFunction named "list".
  SourcePos pos;
};

enum class StatementKind : uint8_t {
  kQuery,        ///< SELECT / WITH / VALUES / set operations / TABLE name.
  kCreateView,   ///< CREATE [OR REPLACE] [TEMP] VIEW name [(cols)] AS query.
  kCreateTable,  ///< CREATE [OR REPLACE] [TEMP] TABLE name AS query.
  kDrop,         ///< DROP VIEW|TABLE [IF EXISTS] name.
  kCopy,         ///< COPY (query) | name TO 'path' (options).
  kExplain,      ///< EXPLAIN [ANALYZE] statement.
  kSet,          ///< SET name = value (SET memory_limit = '1GB', SET threads = 4).
};

struct Statement {
  StatementKind kind = StatementKind::kQuery;
  SourcePos pos;
  std::string text;  ///< This statement's own text (without the `;`).

  QueryPtr query;  ///< kQuery, kCreateView, kCreateTable, kCopy (query form), kExplain of one.

  // kCreateView / kCreateTable / kDrop / kCopy (table form): the object's name.
  std::string name;
  std::vector<std::string> column_aliases;  ///< CREATE VIEW v(a, b).
  bool or_replace = false;
  bool if_exists = false;      ///< DROP ... IF EXISTS.
  bool if_not_exists = false;  ///< CREATE ... IF NOT EXISTS.
  bool is_view = true;         ///< kDrop: VIEW (or TABLE).

  // kCopy.
  std::string path;
  std::vector<CopyOption> options;

  // kExplain: the explained statement.
  std::shared_ptr<Statement> explained;
  bool analyze = false;

  // kSet.
  AstExprPtr value;
};

}  // namespace sluice::sql
