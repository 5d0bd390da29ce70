//===- PolicyTestCommand.cpp - peapodc test: a policy's unit tests --------===//
//
// For each test file: parse it (analyzer/PolicyTest.h), load the policy it
// names (relative to the test file; a source or a compiled image), run its
// expectations, print the failures clang-style, and end with one line for
// all files: "N passed, N failed".
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "peapod/DiagnosticRender.h"
#include "peapod/Evaluator.h"
#include "peapod/InputFile.h"
#include "peapod/analyzer/PolicyTest.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

namespace peapod::driver {

namespace {

struct TestRequest {
  std::vector<std::string> Files;
  bool Coverage = false;
  CompileOptions Opts = defaultCompileOptions();
};

/// The policy a test file names: relative to the test file's directory.
std::string policyPath(llvm::StringRef TestFile, llvm::StringRef Policy) {
  if (llvm::sys::path::is_absolute(Policy) || TestFile == "-")
    return Policy.str();
  llvm::SmallString<256> P(llvm::sys::path::parent_path(TestFile));
  llvm::sys::path::append(P, Policy);
  return std::string(P);
}

struct Totals {
  unsigned Passed = 0, Failed = 0;
  int Status = ExitOK;
};

/// Runs one test file; adds to `T`.
void runFile(const std::string &Path, const TestRequest &Q, const Context &Ctx,
             Totals &T) {
  std::unique_ptr<llvm::MemoryBuffer> Bytes = readInput(Path, Ctx);
  if (!Bytes) {
    T.Status = std::max<int>(T.Status, ExitUsage);
    return;
  }
  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(std::move(Bytes), llvm::SMLoc());
  DiagnosticEngine Diags(SM);
  TextStyle Style;
  Style.Colors = Ctx.Colors;
  auto Finish = [&](int Status) {
    peapod::printDiagnostics(Diags, Ctx.Err, Style);
    T.Status = std::max(T.Status, Status);
  };
  analyzer::PolicyTestFile File;
  if (!analyzer::parsePolicyTest(Diags, ID, File))
    return Finish(ExitPolicyError);

  PolicyInput In;
  std::string PolicyFile = policyPath(Path, File.Policy);
  if (int Status = readPolicyOrImage(PolicyFile, Q.Opts, Ctx, In)) {
    Diags.report(diagInfo(analyzer::PolicyTestID::MalformedLine),
                 File.PolicyRange,
                 {"cannot use the policy '" + PolicyFile + "' (see above)"});
    return Finish(Status);
  }
  const Policy *Source = In.Source ? &In.Source->policy() : nullptr;
  if (Q.Coverage && !Source) {
    Diags.report(diagInfo(analyzer::PolicyTestID::MalformedLine),
                 File.PolicyRange,
                 {"--coverage needs the policy's source, not a compiled image"});
    return Finish(ExitUsage);
  }
  if (Source)
    analyzer::mirrorBuffers(In.Source->sourceMgr(), SM);
  std::unique_ptr<ReferenceEvaluator> Reference;
  if (Source)
    Reference = std::make_unique<ReferenceEvaluator>(*Source);
  const PolicyOracle &Oracle =
      Source ? static_cast<const PolicyOracle &>(*Reference) : *In.Image;

  analyzer::PolicyTestResults R;
  analyzer::runPolicyTest(File, Oracle, Source, Diags, R);
  T.Passed += R.Passed;
  T.Failed += R.Failed;
  if (Q.Coverage) {
    auto [Covered, Total] = analyzer::reportCoverage(*Source, R.Exercised, Diags);
    Finish(R.Failed ? ExitPolicyError : ExitOK);
    Ctx.Out << "coverage of " << PolicyFile << ": " << Covered << " of " << Total
            << " rules exercised\n";
    return;
  }
  Finish(R.Failed ? ExitPolicyError : ExitOK);
}

} // namespace

int runTest(const std::vector<std::string> &Args, const Context &Ctx) {
  TestRequest Q;
  ArgCursor Cursor(Args, "peapodc test --help");
  while (!Cursor.done()) {
    std::string Error;
    if (parseCompileOption(Cursor, Q.Opts, Error)) {
      if (!Error.empty())
        return Ctx.usage(Error);
      continue;
    }
    if (Cursor.flag("--coverage"))
      Q.Coverage = true;
    else if (auto P = Cursor.rest(Error))
      Q.Files.push_back(*P);
    else if (!Error.empty())
      return Ctx.usage(Error);
  }
  if (Q.Files.empty())
    return Ctx.usage("no test file (see peapodc test --help)");
  if (std::count(Q.Files.begin(), Q.Files.end(), "-") > 1)
    return Ctx.usage("standard input ('-') can be read only once");
  Totals T;
  for (const std::string &F : Q.Files)
    runFile(F, Q, Ctx, T);
  Ctx.Out << T.Passed << " passed, " << T.Failed << " failed\n";
  return T.Status;
}

} // namespace peapod::driver
