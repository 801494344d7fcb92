// Test helper: prints SQL syntax trees (src/sql/ast.h) as compact, fully parenthesized SQL, so
// that parser tests can state the shape of a tree in one line: `((a + (b * c)) = d)`.
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "sql/ast.h"

namespace sluice::sql::test {

std::string Dump(const AstExpr& e);
std::string Dump(const Query& q);
std::string Dump(const TableRef& t);

inline std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

inline std::string DumpList(const std::vector<AstExprPtr>& exprs) {
  std::vector<std::string> parts;
  for (const AstExprPtr& e : exprs) parts.push_back(Dump(*e));
  return Join(parts, ", ");
}

inline std::string DumpType(const TypeName& type) {
  if (type.params.empty()) return type.name;
  std::vector<std::string> params;
  for (int64_t p : type.params) params.push_back(std::to_string(p));
  return type.name + "(" + Join(params, ",") + ")";
}

inline std::string DumpOrder(const std::vector<OrderItem>& items) {
  std::vector<std::string> parts;
  for (const OrderItem& item : items) {
    std::string s = Dump(*item.expr);
    if (item.descending) s += " DESC";
    if (item.nulls_last) s += *item.nulls_last ? " NULLS LAST" : " NULLS FIRST";
    parts.push_back(s);
  }
  return Join(parts, ", ");
}

inline std::string DumpBound(const FrameBound& bound) {
  switch (bound.kind) {
    case FrameBound::Kind::kUnboundedPreceding: return "UNBOUNDED PRECEDING";
    case FrameBound::Kind::kPreceding: return Dump(*bound.offset) + " PRECEDING";
    case FrameBound::Kind::kCurrentRow: return "CURRENT ROW";
    case FrameBound::Kind::kFollowing: return Dump(*bound.offset) + " FOLLOWING";
    case FrameBound::Kind::kUnboundedFollowing: return "UNBOUNDED FOLLOWING";
  }
  return "?";
}

inline std::string DumpWindow(const WindowSpec& w) {
  std::vector<std::string> parts;
  if (!w.name.empty()) parts.push_back(w.name);
  if (!w.partition_by.empty()) parts.push_back("PARTITION BY " + DumpList(w.partition_by));
  if (!w.order_by.empty()) parts.push_back("ORDER BY " + DumpOrder(w.order_by));
  if (w.frame) {
    parts.push_back(fmt::format("{} BETWEEN {} AND {}",
                                w.frame->units == WindowFrameSpec::Units::kRows ? "ROWS" : "RANGE",
                                DumpBound(w.frame->start), DumpBound(w.frame->end)));
  }
  return "(" + Join(parts, " ") + ")";
}

inline std::string Dump(const AstExpr& e) {
  std::string neg = e.negated ? "NOT " : "";
  switch (e.kind) {
    case AstExprKind::kColumnRef: return Join(e.names, ".");
    case AstExprKind::kStar: {
      std::string s = e.names.empty() ? "*" : Join(e.names, ".") + ".*";
      if (!e.exclude.empty()) s += " EXCLUDE (" + Join(e.exclude, ", ") + ")";
      return s;
    }
    case AstExprKind::kLiteral:
      switch (e.literal_kind) {
        case LiteralKind::kNull: return "NULL";
        case LiteralKind::kTrue: return "TRUE";
        case LiteralKind::kFalse: return "FALSE";
        case LiteralKind::kInteger: return e.text;
        case LiteralKind::kDecimal: return "dec:" + e.text;
        case LiteralKind::kString: return "'" + e.text + "'";
      }
      return "?";
    case AstExprKind::kTypedLiteral: return e.type.name + " '" + e.text + "'";
    case AstExprKind::kInterval:
      return "INTERVAL '" + e.text + "'" + (e.unit.empty() ? "" : " " + e.unit);
    case AstExprKind::kUnary: return fmt::format("({} {})", AstOpName(e.op), Dump(*e.args[0]));
    case AstExprKind::kBinary:
      return fmt::format("({} {} {})", Dump(*e.args[0]), AstOpName(e.op), Dump(*e.args[1]));
    case AstExprKind::kFunction: {
      std::vector<std::string> args;
      for (size_t i = 0; i < e.args.size(); ++i) {
        std::string name = i < e.arg_names.size() ? e.arg_names[i] : "";
        args.push_back((name.empty() ? "" : name + " := ") + Dump(*e.args[i]));
      }
      std::string s = Join(e.names, ".") + "(" + (e.distinct ? "DISTINCT " : "") +
                      (e.star_arg ? "*" : Join(args, ", ")) + ")";
      if (e.filter) s += " FILTER (WHERE " + Dump(*e.filter) + ")";
      if (e.window) s += " OVER " + DumpWindow(*e.window);
      return s;
    }
    case AstExprKind::kCast:
      return fmt::format("{}({} AS {})", e.try_cast ? "TRY_CAST" : "CAST", Dump(*e.args[0]),
                         DumpType(e.type));
    case AstExprKind::kCase: {
      std::string s = "CASE";
      size_t i = 0;
      if (e.has_operand) s += " " + Dump(*e.args[i++]);
      for (; i + 1 < e.args.size(); i += 2) {
        s += " WHEN " + Dump(*e.args[i]) + " THEN " + Dump(*e.args[i + 1]);
      }
      if (e.else_expr) s += " ELSE " + Dump(*e.else_expr);
      return s + " END";
    }
    case AstExprKind::kBetween:
      return fmt::format("({} {}BETWEEN {} AND {})", Dump(*e.args[0]), neg, Dump(*e.args[1]),
                         Dump(*e.args[2]));
    case AstExprKind::kInList: {
      std::vector<AstExprPtr> rest(e.args.begin() + 1, e.args.end());
      return fmt::format("({} {}IN ({}))", Dump(*e.args[0]), neg, DumpList(rest));
    }
    case AstExprKind::kInSubquery:
      return fmt::format("({} {}IN ({}))", Dump(*e.args[0]), neg, Dump(*e.subquery));
    case AstExprKind::kExists: return fmt::format("{}EXISTS ({})", neg, Dump(*e.subquery));
    case AstExprKind::kSubquery: return "(" + Dump(*e.subquery) + ")";
    case AstExprKind::kIsNull: return fmt::format("({} IS {}NULL)", Dump(*e.args[0]), neg);
    case AstExprKind::kIsBool:
      return fmt::format("({} IS {}{})", Dump(*e.args[0]), neg,
                         e.literal_kind == LiteralKind::kTrue ? "TRUE" : "FALSE");
    case AstExprKind::kLike: {
      std::string s = fmt::format("({} {}{} {}", Dump(*e.args[0]), neg,
                                  e.case_insensitive ? "ILIKE" : "LIKE", Dump(*e.args[1]));
      if (e.args.size() > 2) s += " ESCAPE " + Dump(*e.args[2]);
      return s + ")";
    }
    case AstExprKind::kExtract: return fmt::format("EXTRACT({} FROM {})", e.text, Dump(*e.args[0]));
    case AstExprKind::kParameter: return e.text.empty() ? "?" : "$" + e.text;
  }
  return "?";
}

inline std::string DumpRows(const std::vector<std::vector<AstExprPtr>>& rows) {
  std::vector<std::string> parts;
  for (const auto& row : rows) parts.push_back("(" + DumpList(row) + ")");
  return "VALUES " + Join(parts, ", ");
}

inline std::string DumpAlias(const TableRef& t) {
  std::string s;
  if (!t.alias.empty()) s += " AS " + t.alias;
  if (!t.column_aliases.empty()) s += "(" + Join(t.column_aliases, ", ") + ")";
  return s;
}

inline std::string Dump(const TableRef& t) {
  switch (t.kind) {
    case TableRef::Kind::kName: return Join(t.names, ".") + DumpAlias(t);
    case TableRef::Kind::kFile: return "'" + t.path + "'" + DumpAlias(t);
    case TableRef::Kind::kFunction: return Dump(*t.function) + DumpAlias(t);
    case TableRef::Kind::kSubquery: return "(" + Dump(*t.subquery) + ")" + DumpAlias(t);
    case TableRef::Kind::kValues: return "(" + DumpRows(t.rows) + ")" + DumpAlias(t);
    case TableRef::Kind::kJoin: {
      static constexpr const char* kNames[] = {"JOIN",       "LEFT JOIN", "RIGHT JOIN", "FULL JOIN",
                                               "CROSS JOIN", "SEMI JOIN", "ANTI JOIN"};
      std::string s = "(" + Dump(*t.left) + (t.natural ? " NATURAL " : " ") +
                      kNames[static_cast<int>(t.join_type)] + " " + Dump(*t.right);
      if (t.on) s += " ON " + Dump(*t.on);
      if (!t.using_columns.empty()) s += " USING (" + Join(t.using_columns, ", ") + ")";
      return s + ")";
    }
  }
  return "?";
}

inline std::string Dump(const QueryBody& b) {
  switch (b.kind) {
    case QueryBody::Kind::kSelect: {
      const SelectCore& c = *b.select;
      std::vector<std::string> items;
      for (const SelectItem& item : c.items) {
        items.push_back(Dump(*item.expr) + (item.alias.empty() ? "" : " AS " + item.alias));
      }
      std::string s = std::string("SELECT ") + (c.distinct ? "DISTINCT " : "") + Join(items, ", ");
      if (c.from) s += " FROM " + Dump(*c.from);
      if (c.where) s += " WHERE " + Dump(*c.where);
      if (c.group_by_all) s += " GROUP BY ALL";
      if (!c.group_by.empty()) s += " GROUP BY " + DumpList(c.group_by);
      if (c.having) s += " HAVING " + Dump(*c.having);
      for (const auto& [name, spec] : c.windows) s += " WINDOW " + name + " AS " + DumpWindow(spec);
      if (c.qualify) s += " QUALIFY " + Dump(*c.qualify);
      return s;
    }
    case QueryBody::Kind::kQuery: return "(" + Dump(*b.query) + ")";
    case QueryBody::Kind::kValues: return DumpRows(b.rows);
    case QueryBody::Kind::kSetOp: {
      static constexpr const char* kOps[] = {"UNION", "INTERSECT", "EXCEPT"};
      return fmt::format("[{} {}{}{} {}]", Dump(*b.left), kOps[static_cast<int>(b.set_op)],
                         b.all ? " ALL" : "", b.by_name ? " BY NAME" : "", Dump(*b.right));
    }
  }
  return "?";
}

inline std::string Dump(const Query& q) {
  std::string s;
  if (!q.ctes.empty()) {
    std::vector<std::string> ctes;
    for (const CommonTableExpr& cte : q.ctes) {
      std::string cols =
          cte.column_aliases.empty() ? "" : "(" + Join(cte.column_aliases, ", ") + ")";
      ctes.push_back(cte.name + cols + " AS (" + Dump(*cte.query) + ")");
    }
    s += "WITH " + Join(ctes, ", ") + " ";
  }
  s += Dump(*q.body);
  if (!q.order_by.empty()) s += " ORDER BY " + DumpOrder(q.order_by);
  if (q.limit) s += " LIMIT " + Dump(*q.limit);
  if (q.offset) s += " OFFSET " + Dump(*q.offset);
  return s;
}

}  // namespace sluice::sql::test
