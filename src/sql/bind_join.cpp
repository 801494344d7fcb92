// Joins: explicit JOIN ... ON/USING/NATURAL, and `FROM a, b, c WHERE ...`, whose equalities
// between relations become hash-join keys in an order that follows them (no cross join when the
// relations are connected). Conjuncts over one relation become filters on it; ON conjuncts that
// are neither keys nor pushable become the join's residual condition.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "core/error.h"
#include "plan/column_estimate.h"
#include "plan/expr_util.h"
#include "plan/row_estimate.h"
#include "sql/bind_names.h"
#include "sql/bind_query.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {

std::set<std::string> PlanNames(const Schema& schema) {
  std::set<std::string> names;
  for (const Field& field : schema.fields()) names.insert(field.name);
  return names;
}

/// Which side each column of an expression comes from: 1 left, 2 right, 3 both, 0 none.
int Sides(const Expr& expr, const std::set<std::string>& left) {
  int sides = 0;
  for (const std::string& name : ReferencedColumns(expr)) sides |= left.count(name) ? 1 : 2;
  return sides;
}

JoinType ToJoinType(AstJoinType type) {
  switch (type) {
    case AstJoinType::kInner: return JoinType::kInner;
    case AstJoinType::kLeft: return JoinType::kLeft;
    case AstJoinType::kRight: return JoinType::kRight;
    case AstJoinType::kFull: return JoinType::kFull;
    case AstJoinType::kCross: return JoinType::kCross;
    case AstJoinType::kSemi: return JoinType::kSemi;
    case AstJoinType::kAnti: return JoinType::kAnti;
  }
  return JoinType::kInner;
}

Schema Concat(const Schema& a, const Schema& b) {
  std::vector<Field> fields = a.fields();
  fields.insert(fields.end(), b.fields().begin(), b.fields().end());
  return Schema(std::move(fields));
}

/// The visible scope column named `name` (unqualified), or null; throws when ambiguous.
const ScopeColumn* FindVisible(const Scope& scope, const std::string& name) {
  const ScopeColumn* found = nullptr;
  for (const ScopeColumn& column : scope.columns) {
    if (column.hidden || !NamesEqual(column.name, name)) continue;
    if (found != nullptr && found->plan_name != column.plan_name)
      ThrowInvalid("column \"{}\" is ambiguous in USING", name);
    found = &column;
  }
  return found;
}

bool IsCall(const Expr& e, const char* name) {
  return e.kind() == ExprKind::kCall && e.node().name == name;
}

std::vector<Expr> SplitDisjunction(const Expr& e) {
  if (!IsCall(e, "or")) return {e};
  std::vector<Expr> parts;
  for (size_t i = 0; i < e.node().args.size(); ++i) {
    std::vector<Expr> more = SplitDisjunction(e.arg(i));
    parts.insert(parts.end(), more.begin(), more.end());
  }
  return parts;
}

Expr JoinDisjunction(const std::vector<Expr>& parts) {
  Expr out = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) out = out || parts[i];
  return out;
}

/// `(a AND x) OR (a AND y)` is `a AND (x OR y)`: conjuncts common to every branch of a
/// disjunction come out of it, so that a join key hidden in each branch (TPC-H Q19's
/// p_partkey = l_partkey) becomes a key instead of a cross join.
std::vector<Expr> FactorDisjunctions(const std::vector<Expr>& conjuncts) {
  std::vector<Expr> out;
  for (const Expr& conjunct : conjuncts) {
    if (!IsCall(conjunct, "or")) {
      out.push_back(conjunct);
      continue;
    }
    std::vector<std::vector<Expr>> branches;
    for (const Expr& branch : SplitDisjunction(conjunct))
      branches.push_back(SplitConjunction(branch));
    std::vector<Expr> common;
    for (const Expr& candidate : branches[0]) {
      std::string text = candidate.ToString();
      bool everywhere = true;
      for (size_t b = 1; b < branches.size() && everywhere; ++b) {
        bool found = false;
        for (const Expr& e : branches[b]) found = found || e.ToString() == text;
        everywhere = found;
      }
      bool known = false;
      for (const Expr& e : common) known = known || e.ToString() == text;
      if (everywhere && !known) common.push_back(candidate);
    }
    if (common.empty()) {
      out.push_back(conjunct);
      continue;
    }
    out.insert(out.end(), common.begin(), common.end());
    std::vector<Expr> rests;
    bool always = false;
    for (const std::vector<Expr>& branch : branches) {
      std::vector<Expr> rest;
      for (const Expr& e : branch) {
        bool shared = false;
        for (const Expr& c : common) shared = shared || c.ToString() == e.ToString();
        if (!shared) rest.push_back(e);
      }
      if (rest.empty())
        always = true;  // This branch is only the common part: the OR holds.
      else
        rests.push_back(JoinConjunction(rest));
    }
    if (!always) out.push_back(JoinDisjunction(rests));
  }
  return out;
}

}  // namespace

Relation QueryBinder::MakeDisjoint(const Schema& left, Relation right,
                                   std::map<std::string, std::string>* renamed) {
  std::set<std::string> taken = PlanNames(left);
  std::set<std::string> right_names = PlanNames(*right.plan->schema);
  std::map<std::string, std::string> mapping;
  std::vector<Expr> exprs;
  for (const Field& field : right.plan->schema->fields()) {
    if (!taken.count(field.name)) {
      exprs.push_back(col(field.name));
      continue;
    }
    std::string name;
    for (int i = 1;; ++i) {
      name = fmt::format("{}_{}", field.name, i);
      if (!taken.count(name) && !right_names.count(name)) break;
    }
    taken.insert(name);
    mapping[field.name] = name;
    exprs.push_back(col(field.name).alias(name));
  }
  if (mapping.empty()) return right;
  right.plan = MakeProject(right.plan, std::move(exprs));
  for (ScopeColumn& column : right.scope.columns) {
    auto it = mapping.find(column.plan_name);
    if (it != mapping.end()) column.plan_name = it->second;
  }
  if (renamed != nullptr) *renamed = std::move(mapping);
  return right;
}

Relation QueryBinder::BindJoin(const TableRef& ref) {
  Relation left = BindTableRef(*ref.left);
  Relation right = MakeDisjoint(*left.plan->schema, BindTableRef(*ref.right));
  JoinType type = ToJoinType(ref.join_type);
  Relation out;
  out.scope = left.scope;
  if (type != JoinType::kSemi && type != JoinType::kAnti)
    out.scope.columns.insert(out.scope.columns.end(), right.scope.columns.begin(),
                             right.scope.columns.end());
  if (type == JoinType::kCross) {
    out.plan = MakeJoin(left.plan, right.plan, JoinType::kCross, {}, {}, "_right", false);
    return out;
  }
  const std::set<std::string> left_names = PlanNames(*left.plan->schema);
  std::vector<Expr> left_keys, right_keys, residual, left_filters, right_filters, after;

  // USING / NATURAL: pairs of same-named columns, shown once.
  std::vector<std::string> using_columns = ref.using_columns;
  if (ref.natural) {
    for (const ScopeColumn& column : left.scope.columns) {
      if (column.hidden) continue;
      if (FindVisible(right.scope, column.name) != nullptr) using_columns.push_back(column.name);
    }
  }
  struct UsingPair {
    std::string name;
    std::string left_plan, right_plan;
  };
  std::vector<UsingPair> pairs;
  for (const std::string& name : using_columns) {
    const ScopeColumn* l = FindVisible(left.scope, name);
    const ScopeColumn* r = FindVisible(right.scope, name);
    if (l == nullptr || r == nullptr) {
      Fail(ref.pos, fmt::format("column \"{}\" of USING is not on the {} side of the join", name,
                                l == nullptr ? "left" : "right"));
    }
    pairs.push_back({l->name, l->plan_name, r->plan_name});
    left_keys.push_back(col(l->plan_name));
    right_keys.push_back(col(r->plan_name));
  }

  if (ref.on) {
    ExprContext context;
    Scope both = left.scope;
    both.columns.insert(both.columns.end(), right.scope.columns.begin(), right.scope.columns.end());
    context.scope = &both;
    context.schema = std::make_shared<Schema>(Concat(*left.plan->schema, *right.plan->schema));
    context.clause = "a join condition";
    ExprBinder binder(*this, context);
    Expr condition = binder.BindTyped(*ref.on);
    if (binder.TypeOf(condition).id != TypeId::kBool)
      Fail(ref.on->pos,
           fmt::format("the join condition `{}` is not a boolean", condition.ToString()));
    for (const Expr& conjunct : SplitConjunction(condition)) {
      if (conjunct.kind() == ExprKind::kCall && conjunct.node().name == "equal") {
        int a = Sides(conjunct.arg(0), left_names);
        int b = Sides(conjunct.arg(1), left_names);
        if (a == 1 && b == 2) {
          left_keys.push_back(conjunct.arg(0));
          right_keys.push_back(conjunct.arg(1));
          continue;
        }
        if (a == 2 && b == 1) {
          left_keys.push_back(conjunct.arg(1));
          right_keys.push_back(conjunct.arg(0));
          continue;
        }
      }
      int sides = Sides(conjunct, left_names);
      // A conjunct over one input may filter that input first when the join does not keep its
      // unmatched rows; otherwise it decides matches (the residual).
      bool left_kept = type == JoinType::kLeft || type == JoinType::kFull ||
                       type == JoinType::kSemi || type == JoinType::kAnti;
      bool right_kept = type == JoinType::kRight || type == JoinType::kFull;
      if (sides == 1 && !left_kept) {
        left_filters.push_back(conjunct);
      } else if (sides == 2 && !right_kept) {
        right_filters.push_back(conjunct);
      } else if (type == JoinType::kInner) {
        after.push_back(conjunct);
      } else {
        residual.push_back(conjunct);
      }
    }
  }
  if (!left_filters.empty()) left.plan = MakeFilter(left.plan, JoinConjunction(left_filters));
  if (!right_filters.empty()) right.plan = MakeFilter(right.plan, JoinConjunction(right_filters));
  if (left_keys.empty()) {
    if (type == JoinType::kInner) {
      out.plan = MakeJoin(left.plan, right.plan, JoinType::kCross, {}, {}, "_right", false);
    } else {
      // No equality: every pair is a candidate and the residual decides (a constant key).
      out.plan = MakeJoin(left.plan, right.plan, type, {lit(true)}, {lit(true)}, "_right", false,
                          JoinConjunction(residual));
    }
  } else {
    out.plan = MakeJoin(left.plan, right.plan, type, left_keys, right_keys, "_right", false,
                        JoinConjunction(residual));
  }
  if (!after.empty()) out.plan = MakeFilter(out.plan, JoinConjunction(after));

  // USING columns appear once: the left key (the right one for a right join, the first
  // non-null of both for a full join); the per-side columns stay reachable qualified.
  if (!pairs.empty() && type != JoinType::kSemi && type != JoinType::kAnti) {
    std::vector<Expr> merged_exprs;
    for (const Field& field : out.plan->schema->fields()) merged_exprs.push_back(col(field.name));
    bool project = false;
    for (const UsingPair& pair : pairs) {
      std::string merged = pair.left_plan;
      if (type == JoinType::kRight) merged = pair.right_plan;
      if (type == JoinType::kFull) {
        merged = Fresh(pair.name + "_");
        merged_exprs.push_back(coalesce({col(pair.left_plan), col(pair.right_plan)}).alias(merged));
        project = true;
      }
      for (ScopeColumn& column : out.scope.columns) {
        if (column.plan_name == pair.left_plan || column.plan_name == pair.right_plan)
          column.hidden = true;
      }
      auto left_entry =
          std::find_if(out.scope.columns.begin(), out.scope.columns.end(),
                       [&](const ScopeColumn& c) { return c.plan_name == pair.left_plan; });
      if (left_entry == out.scope.columns.end()) continue;
      ScopeColumn shown{"", pair.name, merged, left_entry->type, false};
      out.scope.columns.insert(left_entry, shown);
    }
    if (project) out.plan = MakeProject(out.plan, std::move(merged_exprs));
    // The merged column's type: the key's (a full join's coalesce takes the common type).
    for (ScopeColumn& column : out.scope.columns) {
      if (!column.qualifier.empty() || column.hidden) continue;
      auto index = out.plan->schema->FindField(column.plan_name);
      if (index) column.type = out.plan->schema->field(*index).type;
    }
  }
  return out;
}

Relation QueryBinder::JoinList(std::vector<Relation> items, std::vector<Expr> conjuncts) {
  Scope scope;
  for (const Relation& item : items)
    scope.columns.insert(scope.columns.end(), item.scope.columns.begin(), item.scope.columns.end());
  // Which relation supplies each plan column (names are disjoint across items).
  std::map<std::string, size_t> owner;
  for (size_t i = 0; i < items.size(); ++i)
    for (const Field& field : items[i].plan->schema->fields()) owner[field.name] = i;
  auto relations_of = [&](const Expr& e) {
    std::set<size_t> rels;
    for (const std::string& name : ReferencedColumns(e)) {
      auto it = owner.find(name);
      if (it != owner.end()) rels.insert(it->second);
    }
    return rels;
  };
  struct Conjunct {
    Expr expr;
    std::set<size_t> rels;
    bool edge = false;
    std::set<size_t> a_rels, b_rels;
    bool done = false;
  };
  std::vector<Conjunct> parts;
  std::vector<std::vector<Expr>> item_filters(items.size());
  std::vector<Expr> constant;
  conjuncts = FactorDisjunctions(conjuncts);
  for (const Expr& e : conjuncts) {
    // A disjunction over several relations implies, for each relation that every branch
    // restricts, the disjunction of those restrictions: a filter on that relation before the join
    // (the disjunction itself still applies after it).
    if (IsCall(e, "or") && items.size() > 1) {
      std::vector<Expr> branches = SplitDisjunction(e);
      for (size_t r = 0; r < items.size(); ++r) {
        std::vector<Expr> implied;
        for (const Expr& branch : branches) {
          std::vector<Expr> own;
          for (const Expr& part : SplitConjunction(branch)) {
            std::set<size_t> rels = relations_of(part);
            if (rels.size() == 1 && *rels.begin() == r) own.push_back(part);
          }
          if (own.empty()) break;
          implied.push_back(JoinConjunction(own));
        }
        if (implied.size() == branches.size() && relations_of(e).size() > 1)
          item_filters[r].push_back(JoinDisjunction(implied));
      }
    }
    Conjunct part;
    part.expr = e;
    part.rels = relations_of(e);
    if (part.rels.empty()) {
      constant.push_back(e);
      continue;
    }
    if (part.rels.size() == 1) {
      item_filters[*part.rels.begin()].push_back(e);
      continue;
    }
    if (e.kind() == ExprKind::kCall && e.node().name == "equal") {
      part.a_rels = relations_of(e.arg(0));
      part.b_rels = relations_of(e.arg(1));
      std::vector<size_t> common;
      std::set_intersection(part.a_rels.begin(), part.a_rels.end(), part.b_rels.begin(),
                            part.b_rels.end(), std::back_inserter(common));
      part.edge = !part.a_rels.empty() && !part.b_rels.empty() && common.empty();
    }
    parts.push_back(std::move(part));
  }
  for (size_t i = 0; i < items.size(); ++i) {
    if (!item_filters[i].empty())
      items[i].plan = MakeFilter(items[i].plan, JoinConjunction(item_filters[i]));
  }
  // Rows of each relation (from the files' footers and a guess per filter) and the share of its
  // rows its filters keep (plan/row_estimate).
  std::vector<double> sizes;
  std::vector<double> kept;
  for (const Relation& item : items) {
    const RowEstimate estimate = EstimateRows(item.plan);
    sizes.push_back(estimate.rows);
    kept.push_back(estimate.fraction);
  }

  // Greedy order: the biggest relation probes; each step joins, among the relations that an
  // equality connects to what is joined so far, the most filtered, counting the filtered
  // relations that hang off it (a join on its key keeps that share of the rows: TPC-H Q2's few
  // parts before all suppliers), then the smallest; it becomes the build side.
  size_t start = 0;
  for (size_t i = 1; i < items.size(); ++i)
    if (sizes[i] > sizes[start]) start = i;
  std::set<size_t> joined = {start};
  PlanPtr plan = items[start].plan;
  auto subset = [](const std::set<size_t>& a, const std::set<size_t>& b) {
    return std::includes(b.begin(), b.end(), a.begin(), a.end());
  };
  // Whether relation r would join on a key of its own (o_orderkey, not c_nationkey): such a join
  // keeps the row count, while one on a column with few values can multiply it by millions, so
  // key joins go first. Unknown (a computed column, no statistics) counts as a key.
  std::map<std::pair<size_t, std::string>, bool> key_cache;
  auto is_key = [&](size_t r, const Expr& side) {
    if (side.kind() != ExprKind::kColumn) return true;
    auto [it, fresh] = key_cache.try_emplace({r, side.node().name}, true);
    if (fresh) {
      std::optional<ColumnEstimate> estimate = EstimateColumn(items[r].plan, side.node().name);
      it->second = !estimate || estimate->distinct >= 0.5 * estimate->rows;
    }
    return it->second;
  };
  // A simple equality between relations a and b alone (`s_nationkey = n_nationkey`).
  auto links = [](const Conjunct& part, size_t a, size_t b) {
    return !part.done && part.edge && part.rels == std::set<size_t>{a, b} &&
           part.a_rels.size() == 1 && part.b_rels.size() == 1;
  };
  // The filtered relations that hang off relation r alone: groups of relations not joined yet
  // that no pending equality links to anything but r and each other, reached from r through
  // simple equalities (the nations and region behind TPC-H Q5's suppliers). They join r before
  // it becomes the build side, and their filters count as r's: joined on their keys, they keep
  // that share of r's rows.
  auto hanging = [&](size_t r) {
    std::vector<std::set<size_t>> out;
    std::set<size_t> seen;
    for (size_t start = 0; start < items.size(); ++start) {
      if (start == r || joined.count(start) || seen.count(start)) continue;
      std::set<size_t> group = {start};
      std::vector<size_t> todo = {start};
      bool alone = true;
      while (!todo.empty()) {
        const size_t d = todo.back();
        todo.pop_back();
        for (const Conjunct& part : parts) {
          // Equalities link relations; any other condition over several of them is applied
          // once they are all joined, wherever they are (TPC-H Q7's pair of nations).
          if (part.done || !part.edge || !part.rels.count(d)) continue;
          for (size_t other : part.rels) {
            if (other == r || group.count(other)) continue;
            if (joined.count(other)) {
              alone = false;
            } else {
              group.insert(other);
              todo.push_back(other);
            }
          }
        }
      }
      seen.insert(group.begin(), group.end());
      double share = 1;
      for (size_t d : group) share *= kept[d];
      // Every member reachable from r through simple equalities.
      std::set<size_t> reached = {r};
      for (bool grew = true; grew;) {
        grew = false;
        for (size_t d : group) {
          if (reached.count(d)) continue;
          for (size_t from : reached) {
            if (std::any_of(parts.begin(), parts.end(),
                            [&](const Conjunct& part) { return links(part, from, d); })) {
              reached.insert(d);
              grew = true;
              break;
            }
          }
        }
      }
      if (alone && share < 1 && reached.size() == group.size() + 1) out.push_back(group);
    }
    return out;
  };
  // Joins to `plan` (holding relation `at`) the members of `left` it links to, each first joined
  // with the members further out; removes them from `left`.
  std::function<PlanPtr(PlanPtr, size_t, std::set<size_t>&)> join_branch =
      [&](PlanPtr plan, size_t at, std::set<size_t>& left) {
        for (size_t d : std::vector<size_t>(left.begin(), left.end())) {
          if (!left.count(d)) continue;
          std::vector<Expr> at_keys, d_keys;
          for (Conjunct& part : parts) {
            if (!links(part, at, d)) continue;
            const bool a_is_at = part.a_rels.count(at) > 0;
            at_keys.push_back(a_is_at ? part.expr.arg(0) : part.expr.arg(1));
            d_keys.push_back(a_is_at ? part.expr.arg(1) : part.expr.arg(0));
            part.done = true;
          }
          if (at_keys.empty()) continue;
          left.erase(d);
          PlanPtr branch = join_branch(items[d].plan, d, left);
          plan = MakeJoin(plan, branch, JoinType::kInner, at_keys, d_keys, "_right", false);
        }
        return plan;
      };
  while (joined.size() < items.size()) {
    std::optional<size_t> best;
    bool best_on_key = false;
    std::vector<double> share(items.size(), 1);  // kept, with what hangs off the relation
    for (size_t r = 0; r < items.size(); ++r) {
      if (joined.count(r)) continue;
      bool connected = false, on_key = false;
      for (const Conjunct& part : parts) {
        if (!part.edge || part.done) continue;
        std::set<size_t> only = {r};
        if (subset(part.a_rels, joined) && part.b_rels == only) {
          connected = true;
          on_key = on_key || is_key(r, part.expr.arg(1));
        } else if (subset(part.b_rels, joined) && part.a_rels == only) {
          connected = true;
          on_key = on_key || is_key(r, part.expr.arg(0));
        }
      }
      if (!connected) continue;
      share[r] = kept[r];
      for (const std::set<size_t>& group : hanging(r)) {
        for (size_t d : group) share[r] *= kept[d];
      }
      const bool better =
          !best || (on_key && !best_on_key) ||
          (on_key == best_on_key &&
           (share[r] < share[*best] || (share[r] == share[*best] && sizes[r] < sizes[*best])));
      if (better) {
        best = r;
        best_on_key = on_key;
      }
    }
    bool cross = !best;
    if (cross) {
      for (size_t r = 0; r < items.size(); ++r)
        if (!joined.count(r) && (!best || sizes[r] < sizes[*best])) best = r;
    }
    size_t r = *best;
    PlanPtr build = items[r].plan;
    std::vector<size_t> absorbed;
    if (!cross) {
      for (std::set<size_t> group : hanging(r)) {
        absorbed.insert(absorbed.end(), group.begin(), group.end());
        build = join_branch(build, r, group);
      }
    }
    std::vector<Expr> left_keys, right_keys;
    std::set<size_t> only = {r};
    for (Conjunct& part : parts) {
      if (!part.edge || part.done) continue;
      if (subset(part.a_rels, joined) && part.b_rels == only) {
        left_keys.push_back(part.expr.arg(0));
        right_keys.push_back(part.expr.arg(1));
        part.done = true;
      } else if (subset(part.b_rels, joined) && part.a_rels == only) {
        left_keys.push_back(part.expr.arg(1));
        right_keys.push_back(part.expr.arg(0));
        part.done = true;
      }
    }
    plan = MakeJoin(plan, build, cross ? JoinType::kCross : JoinType::kInner, left_keys, right_keys,
                    "_right", false);
    joined.insert(r);
    joined.insert(absorbed.begin(), absorbed.end());
    std::vector<Expr> now;
    for (Conjunct& part : parts) {
      if (!part.done && subset(part.rels, joined)) {
        now.push_back(part.expr);
        part.done = true;
      }
    }
    if (!now.empty()) plan = MakeFilter(plan, JoinConjunction(now));
  }
  if (!constant.empty()) plan = MakeFilter(plan, JoinConjunction(constant));
  return {plan, std::move(scope)};
}

}  // namespace sluice::sql
