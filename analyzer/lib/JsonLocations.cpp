//===- JsonLocations.cpp --------------------------------------------------===//
#include "JsonLocations.h"
#include <nlohmann/json.hpp>

namespace peapod::analyzer {

namespace {

class JsonWalker {
public:
  explicit JsonWalker(llvm::StringRef Text) : T(Text) {}

  size_t find(const JsonPointer &At) {
    space();
    for (size_t S = 0; S < At.Steps.size(); ++S) {
      const JsonPointer::Step &Step = At.Steps[S];
      bool Last = S + 1 == At.Steps.size();
      size_t KeyAt = 0;
      if (!(Step.IsIndex ? enterIndex(Step.Index) : enterKey(Step.Key, KeyAt)))
        return I;
      if (Last && At.AtKey && !Step.IsIndex)
        return KeyAt;
    }
    return I;
  }

private:
  void space() {
    while (I < T.size() && (T[I] == ' ' || T[I] == '\t' || T[I] == '\n' ||
                            T[I] == '\r'))
      ++I;
  }
  /// At a '"': past the string; returns its text with the quotes.
  llvm::StringRef string() {
    size_t Start = I++;
    while (I < T.size() && T[I] != '"')
      I += T[I] == '\\' ? 2 : 1;
    I = std::min(I + 1, T.size());
    return T.slice(Start, I);
  }
  void value() {
    space();
    if (I >= T.size())
      return;
    if (T[I] == '"') {
      string();
    } else if (T[I] == '{' || T[I] == '[') {
      // Nested brackets: strings are skipped whole, so no bracket inside
      // one is counted.
      unsigned Depth = 0;
      do {
        if (T[I] == '"') {
          string();
          continue;
        }
        if (T[I] == '{' || T[I] == '[')
          ++Depth;
        else if (T[I] == '}' || T[I] == ']')
          --Depth;
        ++I;
      } while (Depth && I < T.size());
    } else {
      while (I < T.size() && !llvm::StringRef(",]} \t\r\n").contains(T[I]))
        ++I;
    }
    space();
  }
  /// Past a value and the comma after it.
  void skipMember() {
    value();
    if (I < T.size() && T[I] == ',')
      ++I;
    space();
  }
  bool enterKey(const std::string &Key, size_t &KeyAt) {
    if (I >= T.size() || T[I] != '{')
      return false;
    ++I;
    for (space(); I < T.size() && T[I] == '"';) {
      KeyAt = I;
      std::string Name =
          nlohmann::json::parse(string().str()).get<std::string>();
      space();
      ++I; // ':'
      space();
      if (Name == Key)
        return true;
      skipMember();
    }
    return false;
  }
  bool enterIndex(size_t Index) {
    if (I >= T.size() || T[I] != '[')
      return false;
    ++I;
    space();
    for (size_t N = 0; I < T.size() && T[I] != ']'; ++N) {
      if (N == Index)
        return true;
      skipMember();
    }
    return false;
  }

  llvm::StringRef T;
  size_t I = 0;
};

} // namespace

size_t locateJsonValue(llvm::StringRef Text, const JsonPointer &At) {
  return JsonWalker(Text).find(At);
}

} // namespace peapod::analyzer
