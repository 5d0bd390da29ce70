//===- Diff.cpp - peapodc diff: what a policy change grants and takes -----===//
//
// Reads both sides (each a source or a compiled image), hands their
// profiles to analyzer::diffPolicies and prints the result. The exit status
// is the CI gate: 1 when NEW grants anything OLD did not.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "peapod/InputFile.h"
#include "peapod/analyzer/PolicyDiff.h"

namespace peapod::driver {

namespace {

struct DiffRequest {
  std::vector<std::string> Inputs;
  analyzer::DiffOptions Opts;
  bool JSON = false;
  CompileOptions Compile = defaultCompileOptions();
};

std::optional<int> parseDiff(const std::vector<std::string> &Args,
                             DiffRequest &Q, const Context &Ctx) {
  ArgCursor Cursor(Args, "peapodc diff --help");
  while (!Cursor.done()) {
    std::string Error;
    if (parseCompileOption(Cursor, Q.Compile, Error)) {
      if (!Error.empty())
        return Ctx.usage(Error);
      continue;
    }
    if (auto V = Cursor.value("--pod")) {
      Q.Opts.Pod = *V;
    } else if (auto V = Cursor.value("--format")) {
      if (*V != "text" && *V != "json")
        return Ctx.usage("unknown format '" + *V + "' (text or json)");
      Q.JSON = *V == "json";
    } else if (auto P = Cursor.rest(Error)) {
      Q.Inputs.push_back(*P);
    } else if (!Error.empty()) {
      return Ctx.usage(Error);
    }
  }
  if (Q.Inputs.size() != 2)
    return Ctx.usage("diff compares two policies: peapodc diff OLD NEW (see "
                     "peapodc diff --help)");
  if (Q.Inputs[0] == "-" && Q.Inputs[1] == "-")
    return Ctx.usage("standard input ('-') can be only one side of a diff");
  return std::nullopt;
}

/// The display name of an input: standard input by its usual name.
std::string nameOf(const std::string &Input) {
  return Input == "-" ? std::string(StdinName) : Input;
}

} // namespace

int runDiff(const std::vector<std::string> &Args, const Context &Ctx) {
  DiffRequest Q;
  if (std::optional<int> Status = parseDiff(Args, Q, Ctx))
    return *Status;
  PolicyInput Old, New;
  // A side that does not compile cannot be compared: that is not "does not
  // widen", so it is never exit 0, and not "widens" (1) either.
  if (readPolicyOrImage(Q.Inputs[0], Q.Compile, Ctx, Old) ||
      readPolicyOrImage(Q.Inputs[1], Q.Compile, Ctx, New))
    return ExitUsage;
  std::unique_ptr<analyzer::ProfileSource> Was = profilesOf(Old),
                                           Is = profilesOf(New);
  if (!Q.Opts.Pod.empty() && !analyzer::hasPod(*Was, Q.Opts.Pod) &&
      !analyzer::hasPod(*Is, Q.Opts.Pod)) {
    std::vector<std::string> Pods = Is->pods();
    std::vector<llvm::StringRef> Refs(Pods.begin(), Pods.end());
    std::string Hint = closestName(Q.Opts.Pod, Refs);
    return Ctx.usage("no pod '" + Q.Opts.Pod + "' in either policy" +
                     (Hint.empty() ? "" : "; did you mean '" + Hint + "'?"));
  }
  analyzer::PolicyDiff D = analyzer::diffPolicies(*Was, *Is, Q.Opts);
  std::string OldName = nameOf(Q.Inputs[0]), NewName = nameOf(Q.Inputs[1]);
  if (Q.JSON)
    Ctx.Out << analyzer::diffToJSON(D, OldName, NewName).dump(2) << "\n";
  else
    analyzer::printDiff(D, OldName, NewName, Ctx.Out);
  return D.widens() ? ExitPolicyError : ExitOK;
}

} // namespace peapod::driver
