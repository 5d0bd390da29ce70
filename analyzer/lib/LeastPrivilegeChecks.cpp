//===- LeastPrivilegeChecks.cpp - A3xx: least privilege -------------------===//
//
// Each check reads one pea's region tree: the regions of a subtree (a
// system tree, /dev, a sensitive file) or every region, and reports once
// per deciding rule, at that rule.
//
//===----------------------------------------------------------------------===//
#include "Checks.h"
#include "peapod/Path.h"
#include <map>
#include <set>
#include <tuple>

namespace peapod::analyzer {
namespace {

/// The system trees of the issue; /dev is left to A307 (unsafe-device),
/// which knows the safe devices. "/" alone means the root directory itself.
const char *const SystemTrees[] = {"/etc",  "/usr",   "/bin",   "/sbin",
                                   "/lib",  "/lib32", "/lib64", "/libx32",
                                   "/boot", "/proc",  "/sys"};

/// Directories that hold programs: an executable fresh file in one of them
/// could be any interpreter.
const char *const ProgramDirs[] = {"/bin",           "/sbin",
                                   "/usr/bin",       "/usr/sbin",
                                   "/usr/local/bin", "/usr/local/sbin"};

bool matchesPattern(llvm::StringRef Name, llvm::StringRef Pattern) {
  if (Pattern.endswith("*"))
    return Name.startswith(Pattern.drop_back());
  return Name == Pattern;
}

class LeastPrivilegeChecker {
public:
  LeastPrivilegeChecker(CheckContext &Ctx, uint32_t Pod, uint32_t PeaIndex)
      : Ctx(Ctx), ThePod(Ctx.policy().Pods[Pod]), P(ThePod.Peas[PeaIndex]),
        T(Ctx.access(Pod).tree(PeaIndex)) {}

  void run() {
    if (Ctx.enabled(AnalyzerID::WriteAndExecute))
      checkWriteAndExecute();
    if (Ctx.enabled(AnalyzerID::SystemTreeWrite))
      checkSystemTrees();
    bool Network = isNetworkFacing(P);
    if (Network && Ctx.enabled(AnalyzerID::NetworkInterpreter))
      checkInterpreters();
    if (Ctx.enabled(AnalyzerID::SensitiveWrite))
      checkSensitive();
    if (Network && Ctx.enabled(AnalyzerID::NetworkNamespaceGlobal))
      checkNamespaceGlobal();
    if (Ctx.enabled(AnalyzerID::NetworkAllowAll))
      checkAllowAll();
    if (Ctx.enabled(AnalyzerID::UnsafeDevice))
      checkDevices();
  }

private:
  /// Reports `ID` at the rule deciding `D`, once per rule, check and `Key`
  /// (the arguments are made only then: a rule decides many regions).
  void reportOnce(AnalyzerID ID, const Decision &D,
                  llvm::function_ref<std::vector<std::string>()> Args,
                  llvm::StringRef Key = "") {
    if (D.Rule == NoRule ||
        !Seen.insert({unsigned(ID), D.Rule, Key.str()}).second)
      return;
    DiagnosticBuilder B = Ctx.report(ID, P.FileRules[D.Rule]->Range, Args());
    Ctx.noteInclude(B, P, P.FileRuleVia[D.Rule]);
  }

  std::string name() const { return P.Name.str(); }

  void checkWriteAndExecute() {
    // Below regions first, so a dir-default is reported for the files
    // under its directory rather than for the directory's own name.
    for (bool Below : {true, false})
      forEachRegionUnder(T, "/",
                         [&](uint32_t N, RegionSlot S, const Decision &D) {
                           uint8_t A = countedAccess(D);
                           if (S == (Below ? BelowFile : AtFile) &&
                               (A & AccessWrite) && (A & AccessExecute))
                             reportOnce(AnalyzerID::WriteAndExecute, D, [&] {
                               return std::vector<std::string>{
                                   name(), regionText(T.path(N), S)};
                             });
                         });
  }

  void checkSystemTrees() {
    auto Check = [&](llvm::StringRef Tree, uint32_t N, RegionSlot S,
                     const Decision &D) {
      if (!(countedAccess(D) & AccessWrite))
        return;
      reportOnce(AnalyzerID::SystemTreeWrite, D, [&] {
        return std::vector<std::string>{name(), regionText(T.path(N), S),
                                        Tree.str()};
      });
    };
    // The root directory itself: writing it creates top-level entries.
    Check("/", 0, AtDir, T.node(0).Answers[AtDir]);
    std::vector<std::string> Trees(std::begin(SystemTrees),
                                   std::end(SystemTrees));
    // "/lib*": every top-level lib directory the pea names.
    for (uint32_t C : T.children(0))
      if (T.node(C).Name.startswith("lib"))
        Trees.push_back(("/" + T.node(C).Name).str());
    for (const std::string &Tree : Trees)
      forEachRegionUnder(T, Tree,
                         [&](uint32_t N, RegionSlot S, const Decision &D) {
                           Check(Tree, N, S, D);
                         });
  }

  void checkInterpreters() {
    const std::vector<std::string> &Patterns = Ctx.options().Interpreters;
    auto Report = [&](const Decision &D, const std::string &Program) {
      reportOnce(AnalyzerID::NetworkInterpreter, D, [&] {
        return std::vector<std::string>{name(), Program};
      });
    };
    // A program the pea names, anywhere.
    for (uint32_t N = 1; N < T.nodes().size(); ++N) {
      const Decision &D = T.node(N).Answers[AtFile];
      if (!(countedAccess(D) & AccessExecute))
        continue;
      for (const std::string &Pat : Patterns)
        if (matchesPattern(T.node(N).Name, Pat)) {
          Report(D, T.path(N));
          break;
        }
    }
    // A fresh file in a program directory: any interpreter not named.
    for (const char *Dir : ProgramDirs) {
      PeaRegions::Place Pl = T.find(Dir);
      const Decision &D = T.node(Pl.Node).Answers[BelowFile];
      if (!(countedAccess(D) & AccessExecute))
        continue;
      for (const std::string &Pat : Patterns) {
        std::string Program =
            std::string(Dir) + "/" + llvm::StringRef(Pat).rtrim('*').str();
        PeaRegions::Place Q = T.find(Program);
        if (!Q.Exact) {
          Report(D, Program);
          break;
        }
      }
    }
  }

  void checkSensitive() {
    // Per deciding rule, every sensitive path it lets the pea write.
    std::map<uint32_t, std::vector<std::string>> ByRule;
    for (const std::string &Path : Ctx.sensitivePaths())
      forEachRegionUnder(
          T, Path, [&](uint32_t N, RegionSlot S, const Decision &D) {
            if (!(countedAccess(D) & AccessWrite) || D.Rule == NoRule)
              return;
            // Regions strictly below Path are named as such; the one holding
            // Path (its node, or an ancestor's Below region) is Path itself.
            std::string NodePath = T.path(N);
            bool Inside =
                isProperAncestor(Path, NodePath) ||
                (NodePath == Path && (S == BelowFile || S == BelowDir));
            std::string Where = Inside ? regionText(NodePath, S) : quote(Path);
            std::vector<std::string> &List = ByRule[D.Rule];
            if (std::find(List.begin(), List.end(), Where) == List.end())
              List.push_back(Where);
          });
    for (const auto &[Rule, Paths] : ByRule) {
      std::string Text = Paths.size() == 1 ? "file " : "files ";
      for (size_t I = 0; I < Paths.size() && I < 4; ++I)
        Text += (I ? ", " : "") + Paths[I];
      if (Paths.size() > 4)
        Text += " and " + std::to_string(Paths.size() - 4) + " more";
      DiagnosticBuilder B = Ctx.report(
          AnalyzerID::SensitiveWrite, P.FileRules[Rule]->Range, {name(), Text});
      Ctx.noteInclude(B, P, P.FileRuleVia[Rule]);
    }
  }

  void checkNamespaceGlobal() {
    for (const PeaRule &R : P.NamespaceRules)
      if (!R.Rule->Broken && R.Rule->Target.Text == "global") {
        DiagnosticBuilder B =
            Ctx.report(AnalyzerID::NetworkNamespaceGlobal, R.Rule->Range,
                       {name(), ThePod.Name.str()});
        Ctx.noteInclude(B, P, R.Via);
        return;
      }
  }

  void checkAllowAll() {
    for (const PeaRule &R : P.NetRules) {
      const NetPolicy &Net =
          R.Rule->Kind == ast::RuleKind::Bind ? P.Bind : P.Outgoing;
      if (R.Rule->Broken || !R.Rule->NetAllowAll || Net.DenyAll)
        continue;
      DiagnosticBuilder B =
          Ctx.report(AnalyzerID::NetworkAllowAll, R.Rule->Range,
                     {ast::ruleKeyword(R.Rule->Kind), name()});
      Ctx.noteInclude(B, P, R.Via);
    }
  }

  void checkDevices() {
    const std::vector<std::string> &Safe = Ctx.options().SafeDevices;
    auto IsSafe = [&](llvm::StringRef Path) {
      for (const std::string &S : Safe)
        if (pathCovers(S, Path))
          return true;
      return false;
    };
    forEachRegionUnder(
        T, "/dev", [&](uint32_t N, RegionSlot S, const Decision &D) {
          if (countedAccess(D) == AccessNone)
            return;
          std::string Path = T.path(N);
          bool Below = S == BelowFile || S == BelowDir;
          if (!pathCovers("/dev", Path)) // a region above /dev holding it
            Path = "/dev", Below = true;
          if (Path == "/dev" && !Below)
            return; // the directory itself is no device
          if (IsSafe(Path))
            return;
          std::string Where = Below ? Path + "/*" : Path;
          reportOnce(AnalyzerID::UnsafeDevice, D, [&] {
            return std::vector<std::string>{
                name(), accessString(countedAccess(D)), Where};
          });
        });
  }

  CheckContext &Ctx;
  const Pod &ThePod;
  const Pea &P;
  const PeaRegions &T;
  std::set<std::tuple<unsigned, uint32_t, std::string>> Seen;
};

} // namespace

void checkLeastPrivilege(CheckContext &Ctx) {
  const Policy &Pol = Ctx.policy();
  for (uint32_t Pod = 0; Pod < Pol.Pods.size(); ++Pod)
    for (uint32_t P = 0; P < Pol.Pods[Pod].Peas.size(); ++P)
      LeastPrivilegeChecker(Ctx, Pod, P).run();
}

} // namespace peapod::analyzer
