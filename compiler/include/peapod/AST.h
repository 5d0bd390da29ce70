//===- AST.h - The PeaPod syntax tree --------------------------*- C++ -*-===//
//
// What the parser produces for one file: pods, peas and rules, each with the
// exact source range it came from (the language server's hover, go-to and
// formatting need them). Paths are already normalised and checked. A rule
// the parser could not make sense of is kept as a broken rule (its keyword
// and range only), which lowering skips: a tree built from a file with
// syntax errors is still usable, and an editor still knows what the cursor
// is in.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_AST_H
#define PEAPOD_AST_H

#include "peapod/Access.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/SMLoc.h"
#include <string>
#include <type_traits>
#include <vector>

namespace peapod::ast {

enum class RuleKind : uint8_t {
  Path,       ///< path PATH ACCESS
  DirDefault, ///< dir-default PATH ACCESS
  Transition, ///< transition PATH PEA
  Outgoing,   ///< outgoing NET
  Bind,       ///< bind NET
  Namespace,  ///< namespace PEA | namespace global
  Include,    ///< include "NAME"
};

const char *ruleKeyword(RuleKind K);

struct Name {
  std::string Text;
  llvm::SMRange Range;
};

struct Rule {
  RuleKind Kind = RuleKind::Path;
  uint8_t Access = AccessNone;      ///< Path, DirDefault: 0 means deny
  bool NetAllowAll = false;         ///< Outgoing, Bind: `allow`
  bool NetDenyAll = false;          ///< Outgoing, Bind: `deny`
  /// The rule has an error: only Kind and Range (and what was read before
  /// the error) are meaningful, and nothing after the parser uses it.
  bool Broken = false;
  llvm::SMRange Range;              ///< keyword to last token
  std::string Path;                 ///< Path, DirDefault, Transition: normalised
  llvm::SMRange PathRange;
  Name Target;                      ///< Transition/Namespace pea, Include group
  std::vector<PortRange> Ports;     ///< Outgoing, Bind
  // The range of each access or network word: valueRanges() in Parser.h.

  Rule() = default;
  Rule(const Rule &) = default;
  Rule &operator=(const Rule &) = default;
  // Moves must not throw, or every std::vector<Rule> that grows would copy
  // its rules, strings and all (checked below).
  Rule(Rule &&) noexcept = default;
  Rule &operator=(Rule &&) noexcept = default;

  bool isFileRule() const {
    return Kind == RuleKind::Path || Kind == RuleKind::DirDefault;
  }
  /// A file rule that gives some access (language rule 5).
  bool grants() const {
    return !Broken && isFileRule() && Access != AccessNone;
  }
};

static_assert(std::is_nothrow_move_constructible_v<Rule>,
              "vectors of rules must move them, not copy them");

struct PeaDecl {
  Name PeaName;
  llvm::SMRange Range; ///< `pea` to the closing brace
  std::vector<Rule> Rules;
};

struct PodDecl {
  Name PodName;
  llvm::SMRange Range;
  std::vector<PeaDecl> Peas;
};

/// One parsed buffer: a policy file (pods) or a rule group (bare rules). The
/// parser keeps whatever it finds; the compiler reports the wrong form.
struct File {
  unsigned BufferID = 0;
  std::vector<PodDecl> Pods;
  std::vector<Rule> BareRules;
  /// Every `#` comment, in order, from the `#` to the end of its line.
  std::vector<llvm::SMRange> Comments;
};

} // namespace peapod::ast

#endif // PEAPOD_AST_H
