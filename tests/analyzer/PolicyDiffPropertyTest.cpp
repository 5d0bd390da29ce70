//===- PolicyDiffPropertyTest.cpp - diff is exact, on random policy pairs -===//
//
// Thousands of pairs: a random policy (tests/support/RandomPolicy.h) and a
// mutation of it (rules deleted, re-accessed, copied into another pea, new
// rules added), or two unrelated random policies, in both directions. For
// each pair, "diff says NEW widens" must hold exactly when some question to
// the ReferenceEvaluator answers more under NEW than under OLD: access at
// every region path of both trees, a fresh child of each and the
// generator's own query paths and random paths, as file and as directory;
// exec there; bind
// and connect at every port boundary; touch of every pea. And every row the
// diff reports must show, at a path of its region, the accesses it claims.
//
//===----------------------------------------------------------------------===//
#include "DiffTestUtil.h"
#include "RandomPolicy.h"
#include "peapod/Evaluator.h"
#include "peapod/Workspace.h"
#include <random>
#include <set>

using namespace peapod;
using namespace peapod::analyzer;

namespace {

/// A component no random path uses: a child below a node that is in no tree.
constexpr const char *Fresh = "zz-fresh";

/// A policy's text and rule groups, compiled through the front end with
/// includes resolved as from files (editor buffers standing in for them, so
/// thousands of pairs cost no disk I/O).
struct Side {
  std::string Text;
  std::map<std::string, std::string> Groups;
  std::unique_ptr<Workspace> WS; ///< owns the groups' trees: before C
  std::unique_ptr<Compilation> C;

  bool compile() {
    const std::string Dir = "/nonexistent-peapod-diff-property";
    WS = std::make_unique<Workspace>();
    WS->setBuffer(Dir + "/test.pea", Text);
    for (const auto &[Name, Body] : Groups)
      WS->setBuffer(Dir + "/" + Name, Body);
    C = std::make_unique<Compilation>(CompileOptions{}, WS.get());
    C->compileFile(Dir + "/test.pea");
    return !C->diags().hasErrors();
  }
};

std::vector<std::string> lines(const std::string &Text) {
  std::vector<std::string> L;
  size_t Start = 0;
  for (size_t End; (End = Text.find('\n', Start)) != std::string::npos;
       Start = End + 1)
    L.push_back(Text.substr(Start, End - Start));
  return L;
}

/// The policy with a few random edits to its rules.
std::string mutate(const std::string &Text, std::mt19937 &Rng) {
  std::vector<std::string> L = lines(Text);
  auto Pick = [&](size_t N) { return N ? Rng() % N : 0; };
  const char *const Access[] = {"read", "write", "execute", "read, write",
                                "read, execute", "allow", "deny"};
  const char *const Extra[] = {
      "    dir-default \"/a\" read", "    path \"/a/b\" deny",
      "    path \"/ab\" allow",      "    dir-default \"/\" execute",
      "    transition \"/a\" p0",    "    namespace global",
      "    bind tcp/80",             "    outgoing udp/1-1000",
      "    path \"/bin/a b\" read, execute", "    namespace p1"};
  for (unsigned Edits = 1 + Pick(3); Edits; --Edits) {
    std::vector<size_t> Rules, Peas;
    for (size_t I = 0; I < L.size(); ++I) {
      if (L[I].rfind("    ", 0) == 0)
        Rules.push_back(I);
      if (L[I].rfind("  pea ", 0) == 0)
        Peas.push_back(I);
    }
    switch (Pick(4)) {
    case 0: // delete a rule
      if (!Rules.empty())
        L.erase(L.begin() + Rules[Pick(Rules.size())]);
      break;
    case 1: { // give a file rule another access
      if (Rules.empty())
        break;
      std::string &R = L[Rules[Pick(Rules.size())]];
      size_t Quote = R.rfind('"');
      if ((R.find("path") != std::string::npos ||
           R.find("dir-default") != std::string::npos) &&
          Quote != std::string::npos)
        R = R.substr(0, Quote + 1) + " " + Access[Pick(std::size(Access))];
      break;
    }
    case 2: // copy a rule into another pea
      if (!Rules.empty() && !Peas.empty()) {
        std::string R = L[Rules[Pick(Rules.size())]];
        L.insert(L.begin() + Peas[Pick(Peas.size())] + 1, R);
      }
      break;
    default: // a new rule
      if (!Peas.empty())
        L.insert(L.begin() + Peas[Pick(Peas.size())] + 1,
                 Extra[Pick(std::size(Extra))]);
    }
  }
  std::string Out;
  for (const std::string &S : L)
    Out += S + "\n";
  return Out;
}

Side fromGenerator(const test::RandomPolicy &G) {
  return Side{G.text(), G.groups(), nullptr, nullptr};
}

/// Every port worth asking about: both ends of every range of either side
/// and their neighbours.
std::set<uint16_t> portsOf(const Pea *A, const Pea *B) {
  std::set<uint16_t> Ports = {1, 2, 65534, 65535};
  for (const Pea *P : {A, B}) {
    if (!P)
      continue;
    for (const NetPolicy *N : {&P->Bind, &P->Outgoing})
      for (const PortRange &R : N->Ranges)
        for (uint32_t Port : {uint32_t(R.Low) - 1, uint32_t(R.Low),
                              uint32_t(R.High), uint32_t(R.High) + 1})
          if (Port >= 1 && Port <= 65535)
            Ports.insert(uint16_t(Port));
  }
  return Ports;
}

/// The paths to ask about: every node of both trees and a fresh child of
/// each, and the generator's own query paths.
std::set<std::string> pathsOf(const Pea *A, const Pea *B,
                              const std::set<std::string> &More) {
  std::set<std::string> Paths = More;
  for (const Pea *P : {A, B}) {
    if (!P)
      continue;
    PeaRegions R = PeaRegions::build(*P);
    for (uint32_t N = 0; N < R.nodes().size(); ++N) {
      std::string Path = R.path(N);
      Paths.insert(Path);
      Paths.insert((Path == "/" ? "" : Path) + "/" + Fresh);
    }
  }
  return Paths;
}

/// Whether some query answers more under New than under Old; the first
/// such answer in `Why`.
bool queriesWiden(const Policy &Old, const Policy &New,
                  const std::set<std::string> &Extra, std::string &Why) {
  ReferenceEvaluator O(Old), N(New);
  for (uint32_t D = 0; D < New.Pods.size(); ++D) {
    const Pod &NewPod = New.Pods[D];
    for (uint32_t E = 0; E < NewPod.Peas.size(); ++E) {
      const Pea &Is = NewPod.Peas[E];
      PeaHandle HN{D, E};
      std::optional<PeaHandle> HO = O.findPea(NewPod.Name, Is.Name);
      const Pea *Was = HO ? &Old.Pods[HO->Pod].Peas[HO->Pea] : nullptr;
      std::string Who = NewPod.Name.str() + "/" + Is.Name.str() + ": ";
      for (const std::string &Path : pathsOf(Was, &Is, Extra)) {
        for (bool Dir : {false, true}) {
          uint8_t A = N.access(HN, Path, Dir).Access;
          uint8_t B = HO ? O.access(*HO, Path, Dir).Access : 0;
          if (A & ~B) {
            Why = Who + "access " + Path + (Dir ? "/" : "");
            return true;
          }
        }
        ExecAnswer X = N.exec(HN, Path);
        if (X.Allowed) {
          std::optional<ExecAnswer> Y;
          if (HO)
            Y = O.exec(*HO, Path);
          if (!Y || !Y->Allowed || Y->PeaAfter != X.PeaAfter) {
            Why = Who + "exec " + Path;
            return true;
          }
        }
      }
      for (uint16_t Port : portsOf(Was, &Is))
        for (Protocol P : {Protocol::TCP, Protocol::UDP}) {
          if (N.bind(HN, P, Port) && !(HO && O.bind(*HO, P, Port))) {
            Why = Who + "bind " + std::to_string(Port);
            return true;
          }
          if (N.connect(HN, P, Port) && !(HO && O.connect(*HO, P, Port))) {
            Why = Who + "connect " + std::to_string(Port);
            return true;
          }
        }
      for (const Pea &Target : NewPod.Peas) {
        if (Target.Name == Is.Name || !*N.touch(HN, Target.Name))
          continue;
        std::optional<bool> Before;
        if (HO)
          Before = O.touch(*HO, Target.Name);
        if (!Before || !*Before) {
          Why = Who + "touch " + Target.Name.str();
          return true;
        }
      }
    }
  }
  return false;
}

/// A path inside a reported region (its own path, or a fresh child).
std::string witness(const RegionChange &R) {
  if (R.Scope == RegionScope::At)
    return R.Path;
  return (R.Path == "/" ? "" : R.Path) + "/" + Fresh;
}

/// Random paths over the generator's alphabet (and one it never uses).
std::set<std::string> randomPaths(std::mt19937 &Rng, unsigned N) {
  const char *const Parts[] = {"a", "b", "ab", "bin", "a b", "x.y", "q"};
  std::set<std::string> Out;
  while (N--) {
    std::string P;
    for (unsigned Depth = 1 + Rng() % 5; Depth; --Depth)
      P += "/" + std::string(Parts[Rng() % std::size(Parts)]);
    Out.insert(P);
  }
  return Out;
}

/// A path inside a reported exec region.
std::string witness(const ExecChange &E) {
  if (E.Scope == RegionScope::At)
    return E.Path;
  return (E.Path == "/" ? "" : E.Path) + "/" + Fresh;
}

/// Every reported row is true at a path of its region.
void checkRows(const PolicyDiff &D, const Policy &Old, const Policy &New) {
  ReferenceEvaluator O(Old), N(New);
  for (const PeaDiff &P : D.Peas) {
    if (P.Status == PeaDiff::Presence::Removed)
      continue;
    std::optional<PeaHandle> HN = N.findPea(P.Pod, P.Pea);
    std::optional<PeaHandle> HO = O.findPea(P.Pod, P.Pea);
    REQUIRE(HN);
    for (const RegionChange &R : P.Regions) {
      std::string W = witness(R);
      for (bool Dir : {R.Directory, R.Directory || R.Both}) {
        INFO(P.Pea << " " << W << (Dir ? "/" : ""));
        CHECK(N.access(*HN, W, Dir).Access == R.New.Access);
        CHECK((HO ? O.access(*HO, W, Dir).Access : 0) == R.Old.Access);
      }
      CHECK(R.Old.Access != R.New.Access);
    }
    for (const ExecChange &E : P.Execs) {
      std::string W = witness(E);
      INFO(P.Pea << " exec " << W);
      ExecAnswer Is = N.exec(*HN, W);
      CHECK(Is.Allowed == E.NewPea.has_value());
      if (E.NewPea)
        CHECK(Is.PeaAfter == *E.NewPea);
      std::optional<ExecAnswer> Was;
      if (HO)
        Was = O.exec(*HO, W);
      CHECK((Was && Was->Allowed) == E.OldPea.has_value());
      if (E.OldPea && Was)
        CHECK(Was->PeaAfter == *E.OldPea);
    }
  }
}

/// Runs one pair; false if a side did not compile (a mutation can make two
/// transitions on one path conflict).
bool checkPair(Side &Old, Side &New, const std::set<std::string> &Extra,
               unsigned &Widening) {
  if (!Old.compile() || !New.compile())
    return false;
  const Policy &A = Old.C->policy(), &B = New.C->policy();
  PolicyDiff D = diffPolicies(SourceProfiles(A), SourceProfiles(B));
  std::string Why;
  bool Expected = queriesWiden(A, B, Extra, Why);
  INFO("OLD:\n" << Old.Text << "NEW:\n" << New.Text << "witness: " << Why);
  CHECK(D.widens() == Expected);
  checkRows(D, A, B);
  Widening += Expected;
  return true;
}

} // namespace

TEST_CASE("diff widens exactly when a query shows it, on random pairs", "[diff][property]") {
  std::mt19937 Rng(20261202);
  unsigned Pairs = 0, Widening = 0, Skipped = 0;
  for (uint32_t Seed = 1; Seed <= 700; ++Seed) {
    test::RandomPolicy G(Seed);
    std::set<std::string> Extra = G.queryPaths();
    for (const std::string &P : randomPaths(Rng, 20))
      Extra.insert(P);
    Side Base = fromGenerator(G);
    // Identical; mutated, both ways; an unrelated policy.
    Side Same{Base.Text, Base.Groups, nullptr, nullptr};
    Side Mutated{mutate(G.text(), Rng), G.groups(), nullptr, nullptr};
    test::RandomPolicy H(Seed + 100000);
    Side Other = fromGenerator(H);
    for (const std::string &P : H.queryPaths())
      Extra.insert(P);
    std::pair<Side *, Side *> Cases[] = {
        {&Base, &Same}, {&Base, &Mutated}, {&Mutated, &Base}, {&Base, &Other}};
    for (auto [Old, New] : Cases) {
      bool Ran = checkPair(*Old, *New, Extra, Widening);
      Pairs += Ran;
      Skipped += !Ran;
    }
  }
  // Enough of both outcomes for the property to mean something.
  CHECK(Pairs >= 2000);
  CHECK(Widening > Pairs / 4);
  CHECK(Pairs - Widening > Pairs / 4);
  WARN(Pairs << " pairs (" << Skipped << " mutations did not compile), "
             << Widening << " widening");
}
