// Tree utilities over expressions that planning and optimizing need: which columns an
// expression reads, whether it aggregates, and rewriting of subtrees.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "expr/expr.h"

namespace sluice {

/// The expression without its outer aliases.
Expr StripAlias(const Expr& expr);
/// True when any node is a kAggregate.
bool ContainsAggregate(const Expr& expr);
/// The names of the columns the expression reads.
std::set<std::string> ReferencedColumns(const Expr& expr);
void AddReferencedColumns(const Expr& expr, std::set<std::string>* out);
/// Rebuilds the tree bottom-up: `rewrite` sees each node after its arguments were rewritten and
/// returns the replacement (or the node itself).
Expr Transform(const Expr& expr, const std::function<Expr(const Expr&)>& rewrite);
/// Replaces every column reference by name through `mapping` (names not in it stay).
Expr RenameColumns(const Expr& expr, const std::function<std::string(const std::string&)>& mapping);
/// Splits a predicate into its AND-ed parts; joins parts back with AND (null for none).
std::vector<Expr> SplitConjunction(const Expr& predicate);
Expr JoinConjunction(const std::vector<Expr>& parts);

}  // namespace sluice
