// Rendering of scalars, through the same code as column values.
#include "core/scalar.h"

#include <cstring>

#include "core/column_builder.h"
#include "core/value_format.h"

namespace sluice {

std::string Scalar::ToString() const {
  if (is_null()) return "NULL";
  ColumnBuilder builder(type);
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, bool>) {
          builder.AppendBool(v);
        } else if constexpr (std::is_same_v<V, std::string>) {
          if (type.IsVariableWidth()) {
            builder.AppendString(v);
          } else {
            std::string padded = v;
            padded.resize(static_cast<size_t>(type.FixedWidth()));
            builder.AppendFixed(padded.data(), type.FixedWidth());
          }
        } else if constexpr (!std::is_same_v<V, std::monostate>) {
          // Narrow the wide holder to the column's own width (little-endian low bytes).
          uint8_t bytes[16] = {};
          std::memcpy(bytes, &v, sizeof(v) < 16 ? sizeof(v) : 16);
          if (type.id == TypeId::kFloat32) {
            float f = static_cast<float>(v);
            std::memcpy(bytes, &f, sizeof(f));
          }
          builder.AppendFixed(bytes, type.FixedWidth());
        }
      },
      value);
  return FormatValue(builder.Finish(), 0);
}

}  // namespace sluice
