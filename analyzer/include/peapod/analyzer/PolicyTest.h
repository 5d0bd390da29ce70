//===- PolicyTest.h - A policy's own unit tests ----------------*- C++ -*-===//
//
// `peapodc test`: a small line-based file (docs/policy-tests.md) next to a
// policy states what its peas may and may not do:
//
//   policy mail.pea
//   pod mail-delivery
//   pea sendmail
//   allow read /etc/mail/aliases
//   deny write /etc/passwd
//   allow exec /usr/bin/procmail -> procmail
//   allow bind tcp/25
//   deny touch procmail
//
// Parsing reports every malformed line at its file:line:col; running asks
// each expectation of a PolicyOracle (the reference evaluator over the
// source, or a compiled image) and reports each failure with the rule that
// decided the answer, as a Diagnostic of the engine the file was parsed
// with. With the source at hand, the runner also records which rules the
// answers used, for --coverage.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_POLICYTEST_H
#define PEAPOD_ANALYZER_POLICYTEST_H

#include "peapod/Access.h"
#include "peapod/Diagnostics.h"
#include "peapod/Oracle.h"
#include "peapod/Policy.h"
#include "llvm/Support/SMLoc.h"
#include <set>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
}

namespace peapod::analyzer {

enum class PolicyTestID : uint16_t {
#define POLICY_TEST_DIAG(Enum, Code, Sev, Name, Format) Enum,
#include "peapod/analyzer/PolicyTestIDs.def"
#undef POLICY_TEST_DIAG
};
const DiagInfo &diagInfo(PolicyTestID ID);
const std::vector<DiagInfo> &allPolicyTestDiagInfos();

/// One expectation: one line, one test.
struct Expectation {
  enum Kind : uint8_t { Access, Exec, Bind, Connect, Touch } K = Access;
  bool Allow = true;         ///< `allow` or `deny`
  llvm::SMRange Range;       ///< the whole line, for the diagnostic
  std::string Pod, Pea;      ///< the pea it is about
  llvm::SMRange PeaRange;    ///< where that pea was named
  uint8_t Ops = 0;           ///< Access: the permissions
  std::string Path;          ///< Access, Exec: normalised
  bool Directory = false;    ///< Access: asked as a directory (trailing '/')
  std::string After;         ///< Exec: the pea it must run in ("" any)
  llvm::SMRange AfterRange;
  PortRange Ports;           ///< Bind, Connect
  std::string Target;        ///< Touch
};

struct PolicyTestFile {
  std::string Policy;     ///< as written; relative to the test file
  llvm::SMRange PolicyRange;
  std::vector<Expectation> Expectations;
};

/// Parses the test file in buffer `BufferID` of the engine's SourceMgr,
/// reporting every malformed line. False if anything was reported.
bool parsePolicyTest(DiagnosticEngine &Diags, unsigned BufferID,
                     PolicyTestFile &Out);

/// Adds to `To` a view of every buffer of `From` (same bytes, same names,
/// not copied), so that locations into `From`'s buffers (a compiled
/// policy's rules) resolve in `To` as well: a failure in a test file can
/// point at the rule in the policy. `From` must outlive `To`'s use.
void mirrorBuffers(const llvm::SourceMgr &From, llvm::SourceMgr &To);

struct PolicyTestResults {
  unsigned Passed = 0, Failed = 0;
  /// Rules an answer used (the deciding and merged rules, transitions, the
  /// network and namespace rules that decided a port or a touch).
  std::set<const ast::Rule *> Exercised;
};

/// Runs every expectation against `Oracle`. `Source` (the oracle's policy,
/// when it is a source) locates the deciding rules in notes, whose buffers
/// must have been mirrored into the engine's SourceMgr, and records
/// coverage; without it, notes name rules by file and line.
void runPolicyTest(const PolicyTestFile &File, const PolicyOracle &Oracle,
                   const Policy *Source, DiagnosticEngine &Diags,
                   PolicyTestResults &Results);

/// Reports (T201) every rule of `P` not in `Exercised`, once per rule as
/// written (a rule of a group included by several peas counts once);
/// returns {exercised, total}.
std::pair<unsigned, unsigned>
reportCoverage(const Policy &P, const std::set<const ast::Rule *> &Exercised,
               DiagnosticEngine &Diags);

} // namespace peapod::analyzer

#endif
