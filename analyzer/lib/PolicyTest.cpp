//===- PolicyTest.cpp - Running a policy's unit tests ---------------------===//
//
// Each expectation is one question to the oracle. A failure is an error at
// the expectation's line, with notes that say why the policy answered as it
// did: the deciding rule (and the rules merged into it, and the includes it
// came through) for a path, the transition for an exec, the network or
// namespace rules for a port or a touch. Over a source, notes point at the
// rules themselves; over an image, they name them by file and line.
//
//===----------------------------------------------------------------------===//
#include "peapod/analyzer/PolicyTest.h"
#include "peapod/TextEscape.h"
#include "peapod/analyzer/PeaProfile.h"

namespace peapod::analyzer {

namespace {

std::string permissionsText(uint8_t Ops) {
  std::string S;
  for (auto [Bit, Name] : {std::pair{AccessRead, "read"},
                           std::pair{AccessWrite, "write"},
                           std::pair{AccessExecute, "execute"}})
    if (Ops & Bit)
      S += (S.empty() ? "" : ", ") + std::string(Name);
  return S;
}

std::string asked(const Expectation &E) {
  return quotePathForDisplay(E.Path) + (E.Directory && E.Path != "/" ? "/" : "");
}

class Runner {
public:
  Runner(const PolicyOracle &O, const Policy *Source, DiagnosticEngine &Diags,
         PolicyTestResults &Results)
      : O(O), Source(Source), Diags(Diags), Results(Results) {}

  void run(const Expectation &E) {
    std::optional<PeaHandle> H = O.findPea(E.Pod, E.Pea);
    if (!H) {
      fail(PolicyTestID::UnknownPea, E.PeaRange,
           "no pea '" + E.Pea + "' in pod '" + E.Pod + "'" + hint(E));
      return;
    }
    bool Passed = false;
    switch (E.K) {
    case Expectation::Access:
      Passed = access(E, *H);
      break;
    case Expectation::Exec:
      Passed = exec(E, *H);
      break;
    case Expectation::Bind:
    case Expectation::Connect:
      Passed = net(E, *H);
      break;
    case Expectation::Touch:
      Passed = touch(E, *H);
      break;
    }
    if (Passed)
      ++Results.Passed;
  }

private:
  const Pea *pea(PeaHandle H) const {
    return Source ? &Source->Pods[H.Pod].Peas[H.Pea] : nullptr;
  }

  std::string hint(const Expectation &E) const {
    std::vector<std::string> Pods = O.podNames();
    auto It = std::find(Pods.begin(), Pods.end(), E.Pod);
    if (It == Pods.end())
      return " (the policy has no pod '" + E.Pod + "')";
    std::vector<std::string> Names = O.peaNames(uint32_t(It - Pods.begin()));
    std::vector<llvm::StringRef> Refs(Names.begin(), Names.end());
    std::string Near = closestName(E.Pea, Refs);
    return Near.empty() ? "" : "; did you mean '" + Near + "'?";
  }

  DiagnosticBuilder fail(PolicyTestID ID, llvm::SMRange R, std::string Message) {
    ++Results.Failed;
    return Diags.report(diagInfo(ID), R, {std::move(Message)});
  }

  void note(DiagnosticBuilder &B, llvm::SMRange R, std::string Message) {
    B.note(diagInfo(PolicyTestID::Note), R, {std::move(Message)});
  }

  /// Records a rule as exercised and, for a failure, points at it.
  void ruleNote(DiagnosticBuilder *B, const Pea &P, const ast::Rule &R,
                uint32_t Via, const std::string &Message) {
    Results.Exercised.insert(&R);
    if (!B)
      return;
    note(*B, R.Range, Message);
    std::vector<const ast::Rule *> Chain = P.includeChain(Via);
    for (auto It = Chain.rbegin(); It != Chain.rend(); ++It)
      note(*B, (*It)->Range, "included from here");
  }

  /// Why a path has the access it has; records the rules used.
  void explain(DiagnosticBuilder *B, PeaHandle H, const Explanation &Why) {
    const Pea *P = pea(H);
    if (Why.Kind == DecisionKind::Default) {
      if (B)
        note(*B, {}, "no rule covers it: the default deny");
      return;
    }
    if (!P || !Why.Rule) {
      if (B)
        note(*B, {}, std::string("decided by ") +
                         (Why.Kind == DecisionKind::Implicit
                              ? "implicit search access, for "
                              : std::string(decisionKindName(Why.Kind)) + " ") +
                         quotePathForDisplay(Why.RulePath) +
                         locationSuffix(Why.Loc));
      return;
    }
    const char *What = Why.Kind == DecisionKind::Implicit
                           ? "only implicit search access: a rule below grants something"
                           : "decided by this rule";
    ruleNote(B, *P, *P->FileRules[*Why.Rule], P->FileRuleVia[*Why.Rule], What);
    for (uint32_t M : Why.Merged)
      if (M != *Why.Rule)
        ruleNote(B, *P, *P->FileRules[M], P->FileRuleVia[M], "merged with this rule");
  }

  bool access(const Expectation &E, PeaHandle H) {
    PathAnswer A = O.access(H, E.Path, E.Directory);
    bool Passed = E.Allow ? (A.Access & E.Ops) == E.Ops : (A.Access & E.Ops) == 0;
    if (Passed) {
      explain(nullptr, H, A.Why);
      return true;
    }
    DiagnosticBuilder B = fail(
        PolicyTestID::Failed, E.Range,
        "expected pea " + E.Pea + (E.Allow ? " to have " : " not to have ") +
            permissionsText(E.Ops) + " on " + asked(E) + ", but it has " +
            accessString(A.Access));
    explain(&B, H, A.Why);
    return false;
  }

  void transitionNote(DiagnosticBuilder *B, PeaHandle H, const ExecAnswer &X) {
    const Pea *P = pea(H);
    if (X.Transition && P) {
      const Transition &T = P->Transitions[X.Transition->Rule];
      ruleNote(B, *P, *T.Source, T.Via, "this transition decides where it runs");
    } else if (X.Transition && B) {
      note(*B, {}, "transition " + quotePathForDisplay(X.Transition->RulePath) +
                       locationSuffix(X.Transition->Loc) + " decides where it runs");
    } else if (B && X.Allowed) {
      note(*B, {}, "no transition rule covers it: the process stays in pea " +
                       X.PeaAfter);
    }
  }

  bool exec(const Expectation &E, PeaHandle H) {
    if (!E.After.empty() && !O.touch(H, E.After)) {
      fail(PolicyTestID::UnknownPea, E.AfterRange,
           "no pea '" + E.After + "' in pod '" + E.Pod + "'");
      return false;
    }
    ExecAnswer X = O.exec(H, E.Path);
    std::string Program = quotePathForDisplay(E.Path);
    std::string Message;
    if (E.Allow && !X.Allowed)
      Message = "expected pea " + E.Pea + " to exec " + Program +
                ", but it has no execute access (" + accessString(X.Access.Access) + ")";
    else if (E.Allow && !E.After.empty() && X.PeaAfter != E.After)
      Message = "expected exec of " + Program + " to run in pea " + E.After +
                ", but it runs in pea " + X.PeaAfter;
    else if (!E.Allow && X.Allowed)
      Message = "expected pea " + E.Pea + " not to exec " + Program +
                ", but it may (and runs in pea " + X.PeaAfter + ")";
    if (Message.empty()) {
      explain(nullptr, H, X.Access.Why);
      transitionNote(nullptr, H, X);
      return true;
    }
    DiagnosticBuilder B = fail(PolicyTestID::Failed, E.Range, Message);
    bool WrongPea = E.Allow && X.Allowed;
    if (!WrongPea)
      explain(&B, H, X.Access.Why);
    transitionNote(WrongPea || !E.Allow ? &B : nullptr, H, X);
    return false;
  }

  /// The network rules of the kind asked whose ports include `Port`: what
  /// decided it.
  void netRules(DiagnosticBuilder *B, PeaHandle H, const Expectation &E,
                uint16_t Port) {
    const Pea *P = pea(H);
    ast::RuleKind Kind = E.K == Expectation::Bind ? ast::RuleKind::Bind
                                                  : ast::RuleKind::Outgoing;
    bool Any = false, Matched = false;
    if (P)
      for (const PeaRule &R : P->NetRules) {
        if (R.Rule->Kind != Kind)
          continue;
        Any = true;
        bool Matches = R.Rule->NetAllowAll || R.Rule->NetDenyAll ||
                       llvm::any_of(R.Rule->Ports, [&](const PortRange &Range) {
                         return Range.contains(E.Ports.Proto, Port);
                       });
        Matched |= Matches;
        if (Matches)
          ruleNote(B, *P, *R.Rule, R.Via,
                   R.Rule->NetDenyAll ? "this rule denies every port"
                                      : "this rule permits it");
      }
    if (B && P && !Any)
      note(*B, {}, std::string("pea ") + E.Pea + " has no " +
                       ast::ruleKeyword(Kind) + " rule: every port is denied");
    if (B && P && Any && !Matched)
      note(*B, {}, std::string("the ") + ast::ruleKeyword(Kind) +
                       " rules of pea " + E.Pea + " permit only " +
                       netPolicyString(Kind == ast::RuleKind::Bind ? P->Bind
                                                                 : P->Outgoing));
  }

  bool net(const Expectation &E, PeaHandle H) {
    const char *Verb = E.K == Expectation::Bind ? "bind" : "connect to";
    for (uint32_t Port = E.Ports.Low; Port <= E.Ports.High; ++Port) {
      bool Permitted = E.K == Expectation::Bind
                           ? O.bind(H, E.Ports.Proto, uint16_t(Port))
                           : O.connect(H, E.Ports.Proto, uint16_t(Port));
      netRules(nullptr, H, E, uint16_t(Port));
      if (Permitted == E.Allow)
        continue;
      PortRange One{E.Ports.Proto, uint16_t(Port), uint16_t(Port)};
      DiagnosticBuilder B = fail(
          PolicyTestID::Failed, E.Range,
          "expected pea " + E.Pea + (E.Allow ? " to " : " not to ") + Verb +
              " " + portRangeString(E.Ports) + ", but " + portRangeString(One) +
              (Permitted ? " is permitted" : " is denied"));
      netRules(&B, H, E, uint16_t(Port));
      return false;
    }
    return true;
  }

  void namespaceRules(DiagnosticBuilder *B, PeaHandle H, const Expectation &E) {
    const Pea *P = pea(H);
    if (!P)
      return;
    bool Any = false;
    for (const PeaRule &R : P->NamespaceRules)
      if (R.Rule->Target.Text == "global" || R.Rule->Target.Text == E.Target) {
        ruleNote(B, *P, *R.Rule, R.Via, "this rule lets it touch " + E.Target);
        Any = true;
      }
    if (B && !Any)
      note(*B, {}, E.Target == E.Pea
                       ? "a pea may always touch its own processes"
                       : "no namespace rule of pea " + E.Pea + " names " +
                             E.Target + " (nor global)");
  }

  bool touch(const Expectation &E, PeaHandle H) {
    std::optional<bool> Allowed = O.touch(H, E.Target);
    if (!Allowed) {
      fail(PolicyTestID::UnknownPea, E.Range,
           "no pea '" + E.Target + "' in pod '" + E.Pod + "'");
      return false;
    }
    namespaceRules(nullptr, H, E);
    if (*Allowed == E.Allow)
      return true;
    DiagnosticBuilder B = fail(PolicyTestID::Failed, E.Range,
                               "expected pea " + E.Pea + (E.Allow ? " to" : " not to") +
                                   " touch pea " + E.Target + ", but it " +
                                   (*Allowed ? "may" : "may not"));
    namespaceRules(&B, H, E);
    return false;
  }

  const PolicyOracle &O;
  const Policy *Source;
  DiagnosticEngine &Diags;
  PolicyTestResults &Results;
};

} // namespace

void runPolicyTest(const PolicyTestFile &File, const PolicyOracle &Oracle,
                   const Policy *Source, DiagnosticEngine &Diags,
                   PolicyTestResults &Results) {
  Runner R(Oracle, Source, Diags, Results);
  for (const Expectation &E : File.Expectations)
    R.run(E);
}

std::pair<unsigned, unsigned>
reportCoverage(const Policy &P, const std::set<const ast::Rule *> &Exercised,
               DiagnosticEngine &Diags) {
  std::set<const ast::Rule *> Seen;
  unsigned Covered = 0;
  auto Visit = [&](const ast::Rule *R, const Pea &In) {
    if (!Seen.insert(R).second)
      return;
    if (Exercised.count(R)) {
      ++Covered;
      return;
    }
    // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on
    // the chain of operator+ this would otherwise be.
    std::string What = ast::ruleKeyword(R->Kind);
    if (R->isFileRule() || R->Kind == ast::RuleKind::Transition)
      What.append(" ").append(quotePathForDisplay(R->Path));
    What.append(" (in pea ").append(In.Name.str()).append(")");
    Diags.report(diagInfo(PolicyTestID::NotExercised), R->Range, {What});
  };
  for (const Pod &D : P.Pods)
    for (const Pea &E : D.Peas) {
      for (const ast::Rule *R : E.FileRules)
        Visit(R, E);
      for (const Transition &T : E.Transitions)
        Visit(T.Source, E);
      for (const PeaRule &R : E.NetRules)
        Visit(R.Rule, E);
      for (const PeaRule &R : E.NamespaceRules)
        Visit(R.Rule, E);
    }
  return {Covered, unsigned(Seen.size())};
}

} // namespace peapod::analyzer
