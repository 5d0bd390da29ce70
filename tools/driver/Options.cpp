//===- Options.cpp --------------------------------------------------------===//
#include "Options.h"

namespace peapod::driver {

bool ArgCursor::flag(llvm::StringRef Name) {
  if (NoMoreOptions || done() || peek() != Name)
    return false;
  ++I;
  return true;
}

std::optional<std::string> ArgCursor::value(llvm::StringRef Name) {
  if (NoMoreOptions || done())
    return std::nullopt;
  llvm::StringRef Arg = peek();
  if (Arg == Name) {
    if (I + 1 >= Args.size()) {
      MissingValue = Name.str();
      return std::nullopt;
    }
    I += 2;
    return Args[I - 1];
  }
  if (Name.startswith("--") && Arg.startswith(Name) &&
      Arg.substr(Name.size()).startswith("=")) {
    ++I;
    return Arg.substr(Name.size() + 1).str();
  }
  if (Name.size() == 2 && Name[0] == '-' && Name[1] != '-' &&
      Arg.startswith(Name) && Arg.size() > 2) {
    ++I;
    return Arg.substr(2).str();
  }
  return std::nullopt;
}

std::optional<std::string> ArgCursor::positional() {
  if (done())
    return std::nullopt;
  if (!NoMoreOptions && peek() == "--") {
    NoMoreOptions = true;
    ++I;
    return std::nullopt;
  }
  return Args[I++];
}

std::optional<std::string> ArgCursor::rest(std::string &Error) {
  if (!MissingValue.empty()) {
    Error = "option '" + MissingValue + "' requires a value";
    return std::nullopt;
  }
  if (!NoMoreOptions && peek().startswith("-") && peek() != "-" &&
      peek() != "--") {
    Error = "unknown option '" + peek().str() + "' (see " + Help + ")";
    return std::nullopt;
  }
  return positional();
}

} // namespace peapod::driver
