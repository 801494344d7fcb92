// One source after another (see the header).
#include "exec/concat_source.h"

namespace sluice::exec {

namespace {

class ConcatSource final : public Source {
 public:
  ConcatSource(SchemaPtr schema, std::vector<std::unique_ptr<Source>> inputs)
      : schema_(std::move(schema)), inputs_(std::move(inputs)) {}
  const SchemaPtr& schema() const override { return schema_; }
  bool Next(Batch* out) override {
    while (current_ < inputs_.size()) {
      if (inputs_[current_]->Next(out)) {
        out->seq = next_seq_++;
        out->schema = schema_;
        return true;
      }
      inputs_[current_].reset();  // Free the finished input's resources early.
      ++current_;
    }
    return false;
  }

 private:
  SchemaPtr schema_;
  std::vector<std::unique_ptr<Source>> inputs_;
  size_t current_ = 0;
  uint64_t next_seq_ = 0;
};

}  // namespace

std::unique_ptr<Source> MakeConcatSource(SchemaPtr schema,
                                         std::vector<std::unique_ptr<Source>> sources) {
  return std::make_unique<ConcatSource>(std::move(schema), std::move(sources));
}

}  // namespace sluice::exec
