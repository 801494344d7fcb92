// Finding repeated aggregates and keeping their rows (see the header).
#include "exec/shared_subplans.h"

#include <fmt/format.h>

#include <functional>

#include "plan/row_estimate.h"

namespace sluice::exec {

namespace {

/// Results of at most this many estimated rows are shared.
constexpr double kMostSharedRows = 1 << 20;

std::string List(const std::vector<Expr>& exprs) {
  std::string out = "[";
  for (const Expr& expr : exprs) out += expr.ToString() + ", ";
  return out + "]";
}

bool AppendKey(const PlanPtr& plan, std::string* out) {
  *out += plan->schema->ToString() + " ";
  switch (plan->kind) {
    case PlanKind::kScan:
      *out += fmt::format("scan {} {} {}", static_cast<const void*>(plan->source.get()),
                          fmt::join(plan->columns, ","), List(plan->filters));
      return true;
    case PlanKind::kFilter: *out += "filter " + plan->predicate.ToString(); break;
    case PlanKind::kProject: *out += "project " + List(plan->exprs); break;
    case PlanKind::kAggregate:
      *out += "aggregate " + List(plan->keys) + List(plan->aggregates);
      break;
    case PlanKind::kJoin:
      *out += fmt::format("join {} {} {} {}", static_cast<int>(plan->join_type),
                          List(plan->left_on), List(plan->right_on),
                          plan->residual.valid() ? plan->residual.ToString() : "");
      break;
    default: return false;
  }
  for (const PlanPtr& input : plan->inputs) {
    *out += " (";
    if (!AppendKey(input, out)) return false;
    *out += ")";
  }
  return true;
}

}  // namespace

std::string SubplanKey(const PlanPtr& plan) {
  std::string key;
  return AppendKey(plan, &key) ? key : std::string();
}

SharedSubplans::SharedSubplans(const PlanPtr& plan) {
  std::map<std::string, int> seen;
  std::function<void(const PlanPtr&)> visit = [&](const PlanPtr& node) {
    if (node->kind == PlanKind::kAggregate) {
      std::string key = SubplanKey(node);
      if (!key.empty() && ++seen[key] == 2 && EstimateRows(node).rows <= kMostSharedRows)
        shared_.insert(std::move(key));
    }
    for (const PlanPtr& input : node->inputs) visit(input);
  };
  visit(plan);
}

std::string SharedSubplans::KeyOf(const PlanPtr& plan) const {
  if (shared_.empty() || plan->kind != PlanKind::kAggregate) return {};
  std::string key = SubplanKey(plan);
  return shared_.count(key) ? key : std::string();
}

const std::vector<Batch>* SharedSubplans::Find(const std::string& key) const {
  auto it = results_.find(key);
  return it == results_.end() ? nullptr : &it->second;
}

void SharedSubplans::Store(const std::string& key, std::vector<Batch> batches) {
  results_[key] = std::move(batches);
}

}  // namespace sluice::exec
