//===- Options.h - Small command-line cursor for peapodc -------*- C++ -*-===//
#ifndef PEAPOD_DRIVER_OPTIONS_H
#define PEAPOD_DRIVER_OPTIONS_H

#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace peapod::driver {

/// Walks argv accepting `--name VALUE`, `--name=VALUE` and, for one-letter
/// options, `-xVALUE`. Positional arguments are whatever is not an option;
/// `--` ends options; `-` alone is a positional argument (standard input or
/// output).
class ArgCursor {
public:
  /// `Help` is what an unknown option's message points to, e.g.
  /// "peapodc check --help".
  explicit ArgCursor(const std::vector<std::string> &Args,
                     std::string Help = "peapodc --help")
      : Args(Args), Help(std::move(Help)) {}

  bool done() const { return I >= Args.size(); }
  llvm::StringRef peek() const { return Args[I]; }

  /// If the next argument is `Name` (a flag without value), consumes it.
  bool flag(llvm::StringRef Name);
  /// If the next argument is option `Name` with a value, consumes both and
  /// returns the value. Without its value the option stays, and rest()
  /// reports it.
  std::optional<std::string> value(llvm::StringRef Name);
  /// Consumes a positional argument (or `--`, returning nullopt).
  std::optional<std::string> positional();
  /// For an argument no option of the command took: a positional argument,
  /// or nullopt with `Error` set (an option without its value, an unknown
  /// option). Nullopt with `Error` empty: `--` was consumed.
  std::optional<std::string> rest(std::string &Error);

private:
  const std::vector<std::string> &Args;
  std::string Help;
  size_t I = 0;
  bool NoMoreOptions = false;
  std::string MissingValue; ///< the option last seen without its value
};

} // namespace peapod::driver

#endif
