//===- Compilation.cpp - Include resolution, checks and lowering ----------===//
#include "peapod/Compilation.h"
#include "peapod/InputFile.h"
#include "peapod/Parser.h"
#include "peapod/Path.h"
#include "peapod/Workspace.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include <algorithm>
#include <set>
#include <tuple>

namespace peapod {

std::string defaultStdRulesDir() {
  if (const char *Env = std::getenv("PEAPOD_STDRULES"); Env && *Env)
    return Env;
  // Installed layout: PREFIX/bin/peapodc and PREFIX/share/peapod/stdrules.
  std::string Exe = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  if (!Exe.empty()) {
    llvm::SmallString<256> Installed(llvm::sys::path::parent_path(
        llvm::sys::path::parent_path(Exe)));
    llvm::sys::path::append(Installed, "share", "peapod", "stdrules");
    if (llvm::sys::fs::is_directory(Installed))
      return std::string(Installed);
  }
  return PEAPOD_SOURCE_STDRULES_DIR;
}

/// Lowers the ASTs to the IR, expanding includes as it goes. Every check
/// that needs more than one rule lives here.
class Compilation::Lowering {
public:
  explicit Lowering(Compilation &C) : C(C), Diags(*C.Diags) {}

  void lowerPolicy(const ast::File &Main);
  void lowerRuleGroup(const ast::File &Group, llvm::StringRef Path);
  /// Checks a freshly parsed rule group's form and remembers it by path.
  void adoptRuleGroup(const ast::File &Group, llvm::StringRef RealPath);

private:
  struct IncludeFrame {
    std::string RealPath;
    std::string Name;
  };

  void declarePods(const ast::File &Main);
  void lowerPea(Pod &Pod, Pea &Pea);
  void expand(const std::vector<ast::Rule> &Rules, unsigned Buffer,
              std::vector<PeaRule> &Out, std::vector<IncludeSite> *Sites,
              uint32_t Via);
  const ast::File *include(const ast::Rule &R, unsigned FromBuffer,
                          std::string &RealPath);
  struct GroupSearch {
    std::string Found;                 ///< "" if none
    std::vector<std::string> Searched; ///< the directories tried, in order
    bool NotAFile = false;             ///< found, not a file (E404 said so)
  };
  GroupSearch findRuleGroup(const ast::Rule &R, unsigned FromBuffer);
  const ast::File *readRuleGroup(const ast::Rule &R, const std::string &Path);
  void resolveTransitions(const Pod &Pod, Pea &Pea,
                          const std::vector<PeaRule> &Rules);
  void resolveNamespaces(const Pod &Pod, Pea &Pea);
  std::optional<uint32_t> resolvePea(const Pod &Pod, const Pea &From,
                                     const ast::Name &N);
  bool reserved(const ast::Name &N, const char *What);
  bool firstReport(DiagID ID, llvm::SMRange Range,
                   const std::vector<std::string> &Args = {});

  Compilation &C;
  DiagnosticEngine &Diags;
  std::vector<IncludeFrame> Chain;
  /// Rule groups already parsed, by real path: each is parsed once, however
  /// many peas include it.
  llvm::StringMap<const ast::File *> Parsed;
  /// Diagnostics of rule-group rules already reported (see firstReport).
  std::set<std::tuple<unsigned, const char *, std::string>> Reported;
};

/// Whether this exact diagnostic (ID, place, message) is new. A rule group is
/// parsed once but expanded, and checked, at every include of it, by several
/// peas or twice in one: its problems are reported once, not once per use.
bool Compilation::Lowering::firstReport(DiagID ID, llvm::SMRange Range,
                                        const std::vector<std::string> &Args) {
  return Reported
      .insert({unsigned(ID), Range.Start.getPointer(),
               formatDiagnostic(diagInfo(ID).Format, Args)})
      .second;
}

bool Compilation::Lowering::reserved(const ast::Name &N, const char *What) {
  if (N.Text != "global")
    return false;
  Diags.report(DiagID::ReservedName, N.Range, {What});
  return true;
}

void Compilation::Lowering::declarePods(const ast::File &Main) {
  Policy &IR = C.IR;
  for (const ast::PodDecl &PodDecl : Main.Pods) {
    if (reserved(PodDecl.PodName, "pod"))
      continue;
    auto [It, New] = IR.PodIndex.try_emplace(PodDecl.PodName.Text,
                                             uint32_t(IR.Pods.size()));
    if (!New) {
      Diags.report(DiagID::DuplicatePod, PodDecl.PodName.Range,
                   {PodDecl.PodName.Text})
          .note(DiagID::NotePreviousDefinition,
                IR.Pods[It->second].Decl->PodName.Range);
      continue;
    }
    Pod &Pod = IR.Pods.emplace_back();
    Pod.Name = PodDecl.PodName.Text; // the AST never moves; see below
    Pod.Decl = &PodDecl;
    for (const ast::PeaDecl &PeaDecl : PodDecl.Peas) {
      if (reserved(PeaDecl.PeaName, "pea"))
        continue;
      auto [PIt, PNew] = Pod.PeaIndex.try_emplace(PeaDecl.PeaName.Text,
                                                  uint32_t(Pod.Peas.size()));
      if (!PNew) {
        Diags.report(DiagID::DuplicatePea, PeaDecl.PeaName.Range,
                     {PeaDecl.PeaName.Text, Pod.Name.str()})
            .note(DiagID::NotePreviousDefinition,
                  Pod.Peas[PIt->second].Decl->PeaName.Range);
        continue;
      }
      Pea &Pea = Pod.Peas.emplace_back();
      // Not PIt->first(): that key lives in this Pod's PeaIndex, and when a
      // later pod makes IR.Pods reallocate, the vector copies each Pod
      // (StringMap's move is not noexcept) and frees the old keys.
      Pea.Name = PeaDecl.PeaName.Text;
      Pea.Decl = &PeaDecl;
    }
  }
}

void Compilation::Lowering::lowerPolicy(const ast::File &Main) {
  for (const ast::Rule &R : Main.BareRules)
    if (!R.Broken) // a broken one has its own error already
      Diags.report(DiagID::RuleOutsidePea, R.Range);
  declarePods(Main);
  if (Main.Pods.empty() && Main.BareRules.empty()) {
    llvm::SMLoc Start = llvm::SMLoc::getFromPointer(
        C.SM->getMemoryBuffer(Main.BufferID)->getBufferStart());
    Diags.report(DiagID::EmptyPolicy, llvm::SMRange(Start, Start));
  }
  for (Pod &Pod : C.IR.Pods)
    for (Pea &Pea : Pod.Peas)
      lowerPea(Pod, Pea);
}

/// The file's canonical path, which identifies a rule group however it was
/// reached; the path as given if it cannot be resolved.
static std::string canonicalPath(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return Path.str();
  return std::string(Real);
}

void Compilation::Lowering::adoptRuleGroup(const ast::File &Group,
                                           llvm::StringRef RealPath) {
  for (const ast::PodDecl &P : Group.Pods)
    Diags.report(DiagID::PodInRuleGroup, P.Range);
  Parsed[RealPath] = &Group;
}

void Compilation::Lowering::lowerRuleGroup(const ast::File &Group,
                                           llvm::StringRef Path) {
  std::string Real = canonicalPath(Path);
  adoptRuleGroup(Group, Real);
  Chain.push_back({Real, llvm::sys::path::filename(Path).str()});
  std::vector<PeaRule> Rules;
  expand(Group.BareRules, Group.BufferID, Rules, nullptr, NotIncluded);
  Chain.pop_back();
}

void Compilation::Lowering::lowerPea(Pod &Pod, Pea &Pea) {
  std::vector<PeaRule> Rules;
  expand(Pea.Decl->Rules, C.MainBuffer, Rules, &Pea.Includes, NotIncluded);
  for (const PeaRule &PR : Rules) {
    const ast::Rule *R = PR.Rule;
    switch (R->Kind) {
    case ast::RuleKind::Path:
    case ast::RuleKind::DirDefault:
      Pea.FileRules.push_back(R);
      Pea.FileRuleVia.push_back(PR.Via);
      break;
    case ast::RuleKind::Bind:
    case ast::RuleKind::Outgoing: {
      NetPolicy &Net = R->Kind == ast::RuleKind::Bind ? Pea.Bind : Pea.Outgoing;
      Net.AllowAll |= R->NetAllowAll;
      Net.DenyAll |= R->NetDenyAll;
      Net.add(R->Ports);
      Pea.NetRules.push_back(PR);
      break;
    }
    case ast::RuleKind::Namespace:
      Pea.NamespaceRules.push_back(PR);
      break;
    default:
      break;
    }
  }
  resolveTransitions(Pod, Pea, Rules);
  resolveNamespaces(Pod, Pea);
}

/// Appends `Rules` to `Out`, replacing each include by the rules of the group
/// it names (recursively, in place). `Sites` (null when only checking a
/// rule group) records each include expanded; `Via` is the site the rules
/// came through.
void Compilation::Lowering::expand(const std::vector<ast::Rule> &Rules,
                                   unsigned Buffer, std::vector<PeaRule> &Out,
                                   std::vector<IncludeSite> *Sites,
                                   uint32_t Via) {
  for (const ast::Rule &R : Rules) {
    if (R.Broken)
      continue;
    if (R.Kind != ast::RuleKind::Include) {
      Out.push_back({&R, Via});
      continue;
    }
    std::string RealPath;
    const ast::File *Group = include(R, Buffer, RealPath);
    if (!Group)
      continue;
    uint32_t Site = NotIncluded;
    if (Sites) {
      Site = static_cast<uint32_t>(Sites->size());
      Sites->push_back({&R, Via});
    }
    Chain.push_back({std::move(RealPath), R.Target.Text + ".rules"});
    expand(Group->BareRules, C.bufferOf(*Group), Out, Sites, Site);
    Chain.pop_back();
  }
}

/// What kind of thing is at `Path` that is not a regular file, for E404.
static const char *fileKind(llvm::StringRef Path) {
  llvm::sys::fs::file_status S;
  if (llvm::sys::fs::status(Path, S))
    return nullptr;
  switch (S.type()) {
  case llvm::sys::fs::file_type::directory_file:
    return "a directory";
  case llvm::sys::fs::file_type::fifo_file:
    return "a FIFO";
  case llvm::sys::fs::file_type::character_file:
    return "a character device";
  case llvm::sys::fs::file_type::block_file:
    return "a block device";
  case llvm::sys::fs::file_type::socket_file:
    return "a socket";
  case llvm::sys::fs::file_type::regular_file:
    return nullptr;
  default:
    return "not a regular file";
  }
}

/// The first NAME.rules in the search order (the including file's
/// directory, each -I, the stdrules directory). Something that is not a
/// file under that name is an error (E404), not a reason to look further:
/// reading a FIFO or a device would hang or never end, and skipping it would
/// silently pick another group than the one the user sees.
Compilation::Lowering::GroupSearch
Compilation::Lowering::findRuleGroup(const ast::Rule &R, unsigned FromBuffer) {
  GroupSearch S;
  std::vector<std::string> &Searched = S.Searched;
  llvm::StringRef Name = R.Target.Text;
  std::vector<std::string> Dirs;
  llvm::StringRef From =
      C.SM->getMemoryBuffer(FromBuffer)->getBufferIdentifier();
  llvm::StringRef FromDir = llvm::sys::path::parent_path(From);
  Dirs.push_back(FromDir.empty() ? "." : FromDir.str());
  Dirs.insert(Dirs.end(), C.Opts.IncludeDirs.begin(), C.Opts.IncludeDirs.end());
  Dirs.push_back(C.Opts.StdRulesDir.empty() ? defaultStdRulesDir()
                                            : C.Opts.StdRulesDir);
  for (const std::string &Dir : Dirs) {
    if (std::find(Searched.begin(), Searched.end(), Dir) != Searched.end())
      continue; // e.g. -I names the including file's directory again
    // Beside a file named without a directory, the group is named without
    // one too: "cycle-a.rules", not "./cycle-a.rules".
    llvm::SmallString<256> Candidate(Dir == "." && FromDir.empty() ? "" : Dir);
    llvm::sys::path::append(Candidate, Name + ".rules");
    Searched.push_back(Dir);
    if (C.WS ? C.WS->isFile(Candidate)
             : llvm::sys::fs::is_regular_file(Candidate)) {
      S.Found = std::string(Candidate);
      return S;
    }
    if (const char *Kind = fileKind(Candidate)) {
      std::vector<std::string> Args = {Name.str(), Kind,
                                       std::string(Candidate)};
      if (firstReport(DiagID::IncludeNotAFile, R.Target.Range, Args))
        Diags.report(DiagID::IncludeNotAFile, R.Target.Range, Args);
      S.NotAFile = true;
      return S;
    }
  }
  return S;
}

/// The rule group in `Dirs` whose name is closest to `Name`, for a hint.
static std::string closestRuleGroup(llvm::StringRef Name,
                                    const std::vector<std::string> &Dirs) {
  std::vector<std::string> Names;
  for (const std::string &Dir : Dirs) {
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
         It.increment(EC))
      if (llvm::sys::path::extension(It->path()) == ".rules")
        Names.push_back(llvm::sys::path::stem(It->path()).str());
  }
  std::sort(Names.begin(), Names.end()); // directory order is not stable
  std::vector<llvm::StringRef> Refs(Names.begin(), Names.end());
  return closestName(Name, Refs);
}

static bool validGroupName(llvm::StringRef Name) {
  if (Name.empty() || Name.startswith("/") || Name.contains('\0'))
    return false;
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Name.split(Parts, '/');
  return std::none_of(Parts.begin(), Parts.end(), [](llvm::StringRef P) {
    return P.empty() || P == "." || P == "..";
  });
}

const ast::File *Compilation::Lowering::include(const ast::Rule &R,
                                                unsigned FromBuffer,
                                                std::string &RealPath) {
  llvm::StringRef Name = R.Target.Text;
  if (!validGroupName(Name)) {
    if (firstReport(DiagID::IncludeEmptyName, R.Target.Range, {Name.str()}))
      Diags.report(DiagID::IncludeEmptyName, R.Target.Range, {Name.str()});
    return nullptr;
  }
  GroupSearch Search = findRuleGroup(R, FromBuffer);
  const std::string &Found = Search.Found;
  const std::vector<std::string> &Searched = Search.Searched;
  if (Search.NotAFile)
    return nullptr; // E404 said why
  if (Found.empty()) {
    if (!firstReport(DiagID::IncludeNotFound, R.Target.Range, {Name.str()}))
      return nullptr;
    auto D = Diags.report(DiagID::IncludeNotFound, R.Target.Range, {Name.str()});
    D.note(DiagID::NoteSearchedIn, R.Target.Range, {llvm::join(Searched, ", ")});
    std::string Hint = closestRuleGroup(Name, Searched);
    if (!Hint.empty())
      D.note(DiagID::NoteDidYouMean, R.Target.Range, {Hint})
          .noteFix(R.Target.Range, "\"" + Hint + "\"");
    return nullptr;
  }
  RealPath = canonicalPath(Found);
  const std::string &Real = RealPath;
  auto InChain = std::find_if(Chain.begin(), Chain.end(),
                              [&](const IncludeFrame &F) {
                                return F.RealPath == Real;
                              });
  if (InChain != Chain.end()) {
    std::string Cycle;
    for (auto It = InChain; It != Chain.end(); ++It)
      Cycle += It->Name + " -> ";
    Cycle += Name.str() + ".rules";
    if (firstReport(DiagID::IncludeCycle, R.Target.Range, {Cycle}))
      Diags.report(DiagID::IncludeCycle, R.Target.Range, {Cycle});
    return nullptr;
  }
  if (auto It = Parsed.find(Real); It != Parsed.end())
    return It->second;
  const ast::File *Group = readRuleGroup(R, Found);
  if (Group)
    adoptRuleGroup(*Group, Real);
  return Group;
}

/// Reads and parses (or, with a workspace, reuses) the rule group at
/// `Path`, included by R, as a new buffer of this compilation.
const ast::File *Compilation::Lowering::readRuleGroup(const ast::Rule &R,
                                                      const std::string &Path) {
  llvm::StringRef Name = R.Target.Text;
  auto CannotRead = [&](const std::string &Why) -> const ast::File * {
    std::vector<std::string> Args = {Path, Why};
    if (firstReport(DiagID::CannotReadFile, R.Target.Range, Args))
      Diags.report(DiagID::CannotReadFile, R.Target.Range, Args);
    return nullptr;
  };
  if (C.WS) {
    std::string Error;
    const Workspace::ParsedGroup *G = C.WS->group(Path, Error);
    if (!G)
      return CannotRead(Error);
    // The workspace owns the text; this compilation sees it as a buffer of
    // its own, so locations in the shared tree resolve here.
    unsigned ID = C.SM->AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBuffer(G->Text, Path,
                                         /*RequiresNullTerminator=*/false),
        R.Range.Start);
    C.DisplayNames.push_back(Name.str() + ".rules");
    C.Files.push_back(G->AST.get());
    C.BufferOf[G->AST.get()] = ID;
    for (const Diagnostic &D : G->Diags->diagnostics())
      Diags.replay(D);
    return G->AST.get();
  }
  auto Buffer = readInputFile(Path);
  if (!Buffer)
    return CannotRead(llvm::toString(Buffer.takeError()));
  unsigned ID = C.SM->AddNewSourceBuffer(std::move(*Buffer), R.Range.Start);
  C.DisplayNames.push_back(Name.str() + ".rules");
  C.Owned.push_back(parseBuffer(*C.SM, ID, Diags));
  C.Files.push_back(C.Owned.back().get());
  C.BufferOf[C.Owned.back().get()] = ID;
  return C.Owned.back().get();
}

std::optional<uint32_t> Compilation::Lowering::resolvePea(const Pod &Pod,
                                                          const Pea &From,
                                                          const ast::Name &N) {
  if (std::optional<uint32_t> Index = Pod.findPea(N.Text))
    return Index;
  if (!firstReport(DiagID::UnknownPea, N.Range, {N.Text, Pod.Name.str()}))
    return std::nullopt;
  std::vector<llvm::StringRef> Names;
  // The pea the rule is in is never a useful suggestion: a transition or
  // namespace naming it has no effect (W309, W310).
  for (const Pea &P : Pod.Peas)
    if (&P != &From)
      Names.push_back(P.Name);
  auto D = Diags.report(DiagID::UnknownPea, N.Range, {N.Text, Pod.Name.str()});
  std::string Suggestion = closestName(N.Text, Names);
  if (!Suggestion.empty())
    D.note(DiagID::NoteDidYouMean, N.Range, {Suggestion})
        .noteFix(N.Range, Suggestion);
  return std::nullopt;
}

void Compilation::Lowering::resolveTransitions(
    const Pod &Pod, Pea &Pea, const std::vector<PeaRule> &Rules) {
  llvm::StringMap<const Transition *> ByPath;
  for (const PeaRule &PR : Rules) {
    const ast::Rule *R = PR.Rule;
    if (R->Kind != ast::RuleKind::Transition)
      continue;
    std::optional<uint32_t> Target = resolvePea(Pod, Pea, R->Target);
    if (!Target)
      continue;
    if (&Pod.Peas[*Target] == &Pea &&
        firstReport(DiagID::SelfTransition, R->Target.Range))
      Diags.report(DiagID::SelfTransition, R->Target.Range);
    Pea.Transitions.push_back({R, *Target, PR.Via});
  }
  for (const Transition &T : Pea.Transitions) {
    auto [It, New] = ByPath.try_emplace(T.Source->Path, &T);
    if (New || It->second->TargetPea == T.TargetPea)
      continue;
    std::vector<std::string> Args = {
        T.Source->Path, Pod.Peas[It->second->TargetPea].Name.str()};
    if (!firstReport(DiagID::ConflictingTransition, T.Source->Target.Range,
                     Args))
      continue;
    Diags.report(DiagID::ConflictingTransition, T.Source->Target.Range, Args)
        .note(DiagID::NotePreviousDefinition, It->second->Source->Range);
  }
}

void Compilation::Lowering::resolveNamespaces(const Pod &Pod, Pea &Pea) {
  for (const PeaRule &PR : Pea.NamespaceRules) {
    const ast::Rule *R = PR.Rule;
    if (R->Target.Text == "global") {
      Pea.NamespaceGlobal = true;
      continue;
    }
    std::optional<uint32_t> Target = resolvePea(Pod, Pea, R->Target);
    if (!Target)
      continue;
    if (&Pod.Peas[*Target] == &Pea) {
      if (firstReport(DiagID::SelfNamespace, R->Target.Range,
                      {R->Target.Text}))
        Diags.report(DiagID::SelfNamespace, R->Target.Range, {R->Target.Text});
      continue;
    }
    Pea.NamespacePeas.push_back(*Target);
  }
  std::sort(Pea.NamespacePeas.begin(), Pea.NamespacePeas.end());
  Pea.NamespacePeas.erase(
      std::unique(Pea.NamespacePeas.begin(), Pea.NamespacePeas.end()),
      Pea.NamespacePeas.end());
}

Compilation::Compilation(CompileOptions Opts, Workspace *WS)
    : Opts(std::move(Opts)), WS(WS) {
  reset();
  IR.Locate = [this](const ast::Rule &R) { return locate(R.Range.Start); };
}

Compilation::~Compilation() = default;

void Compilation::reset() {
  IR.Pods.clear();
  IR.PodIndex.clear();
  Diags.reset(); // before the SourceMgr it refers to
  Files.clear();
  Owned.clear();
  BufferOf.clear();
  DisplayNames.clear();
  MainBuffer = 0;
  SM = std::make_unique<llvm::SourceMgr>();
  Diags = std::make_unique<DiagnosticEngine>(*SM);
  Diags->setOptions(Opts.Diagnostics);
}

const ast::File *Compilation::mainFile() const {
  return Files.empty() ? nullptr : Files.front();
}

unsigned Compilation::bufferOf(const ast::File &F) const {
  auto It = BufferOf.find(&F);
  return It == BufferOf.end() ? 0 : It->second;
}

llvm::StringRef Compilation::displayName(unsigned BufferID) const {
  if (BufferID == 0 || BufferID > DisplayNames.size())
    return {};
  return DisplayNames[BufferID - 1];
}

RuleLocation Compilation::locate(llvm::SMLoc Loc) const {
  RuleLocation L;
  unsigned Buffer = 0;
  LineColumn P = Diags->positions().lineColumn(Loc, &Buffer);
  if (!Buffer)
    return L;
  L.File = displayName(Buffer).str();
  L.Line = P.Line;
  L.Column = P.Column;
  return L;
}

bool Compilation::compileFile(llvm::StringRef Path) {
  if (const std::string *Text = WS ? WS->buffer(Path) : nullptr)
    return compileBuffer(Path, *Text);
  reset();
  auto Buffer = readInputFile(Path);
  if (!Buffer) {
    Diags->report(DiagID::CannotReadFile,
                  {Path.str(), llvm::toString(Buffer.takeError())});
    return false;
  }
  if (isImage((*Buffer)->getBuffer())) {
    Diags->report(DiagID::InputIsImage, {Path.str()});
    return false;
  }
  llvm::StringRef Name = (*Buffer)->getBufferIdentifier();
  return compile(std::move(*Buffer), llvm::sys::path::filename(Name).str());
}

bool Compilation::compileBuffer(llvm::StringRef Name, llvm::StringRef Text) {
  reset();
  return compile(llvm::MemoryBuffer::getMemBufferCopy(Text, Name),
                 llvm::sys::path::filename(Name).str());
}

bool Compilation::compile(std::unique_ptr<llvm::MemoryBuffer> Buffer,
                          std::string DisplayName) {
  std::string Identifier = Buffer->getBufferIdentifier().str();
  MainBuffer = SM->AddNewSourceBuffer(std::move(Buffer), llvm::SMLoc());
  DisplayNames.push_back(std::move(DisplayName));
  Owned.push_back(parseBuffer(*SM, MainBuffer, *Diags));
  Files.push_back(Owned.back().get());
  BufferOf[Owned.back().get()] = MainBuffer;
  Lowering L(*this);
  // A rule group (NAME.rules) is checked as one: bare rules, includes.
  if (llvm::StringRef(Identifier).endswith(".rules"))
    L.lowerRuleGroup(*Files.front(), Identifier);
  else
    L.lowerPolicy(*Files.front());
  return !Diags->hasErrors();
}

} // namespace peapod
