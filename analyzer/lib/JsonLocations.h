//===- JsonLocations.h - Where a value is in a JSON text -------*- C++ -*-===//
//
// nlohmann::json forgets where each value was written; a configuration
// error must still point at it. locateJsonValue walks the text (already
// known to be valid JSON) to the value a pointer names.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_JSONLOCATIONS_H
#define PEAPOD_ANALYZER_JSONLOCATIONS_H

#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace peapod::analyzer {

/// A path from the root to a value: object keys and array indices.
struct JsonPointer {
  struct Step {
    bool IsIndex = false;
    size_t Index = 0;
    std::string Key;
  };
  std::vector<Step> Steps;
  /// Point at the last step's key ("unknown key") rather than its value.
  bool AtKey = false;

  JsonPointer key(std::string K) const {
    JsonPointer P = *this;
    P.Steps.push_back({false, 0, std::move(K)});
    return P;
  }
  JsonPointer index(size_t I) const {
    JsonPointer P = *this;
    P.Steps.push_back({true, I, ""});
    return P;
  }
  JsonPointer asKey() const {
    JsonPointer P = *this;
    P.AtKey = true;
    return P;
  }
};

/// The byte offset in `Text` (valid JSON) of the value (or key) `At` names;
/// as far as the walk got if it names none.
size_t locateJsonValue(llvm::StringRef Text, const JsonPointer &At);

} // namespace peapod::analyzer

#endif
