//===- Analysis.cpp - Compile, analyse, and locate ------------------------===//
#include "Analysis.h"
#include "peapod/Workspace.h"
#include "peapod/analyzer/Lint.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

namespace peapod::lsp {

TextPosition positionParam(const json &Params) {
  return positionFrom(Params.at("position"));
}

TextPosition positionFrom(const json &P) {
  int64_t Line = P.at("line").get<int64_t>();
  int64_t Char = P.at("character").get<int64_t>();
  if (Line < 0 || Char < 0)
    throw RpcError(ErrorCode::InvalidParams, "a position is never negative");
  return {unsigned(std::min<int64_t>(Line, UINT32_MAX)),
          unsigned(std::min<int64_t>(Char, UINT32_MAX))};
}

Analysis::Analysis(const Document &D, Workspace &WS,
                   const ServerConfig &Config, const analyzer::LintConfig &Lint,
                   PositionEncoding Encoding)
    : Uri(D.Uri), Path(D.Path), Version(D.Version), Encoding(Encoding) {
  analyzer::LintOptions Opts;
  Opts.Compile = Config.Compile;
  Opts.Config = Lint;
  Opts.Files = &WS;
  analyzer::LintResult R = analyzer::lintBuffer(Path, D.Text, Opts);
  C = std::move(R.C);
  for (const analyzer::LintFinding &F : R.Findings)
    Shown.push_back(&C->diags().diagnostics()[F.Index]);
  const ast::File *Main = C->mainFile();
  MainBuffer = Main ? C->bufferOf(*Main) : 1;
  Text = C->sourceMgr().getMemoryBuffer(MainBuffer)->getBuffer();
  RuleGroup = llvm::StringRef(Path).endswith(".rules");
  const llvm::SourceMgr &SM = C->sourceMgr();
  for (unsigned ID = 1; ID <= SM.getNumBuffers(); ++ID)
    if (ID != MainBuffer)
      Groups.push_back(
          Workspace::key(SM.getMemoryBuffer(ID)->getBufferIdentifier()));
  const Policy &P = C->policy();
  for (uint32_t Pod = 0; Pod < P.Pods.size(); ++Pod)
    for (uint32_t Pea = 0; Pea < P.Pods[Pod].Peas.size(); ++Pea)
      if (const ast::PeaDecl *Decl = P.Pods[Pod].Peas[Pea].Decl)
        PeaOfDecl[Decl] = PeaHandle{Pod, Pea};
}

size_t Analysis::offset(TextPosition P) const {
  const LineTable &Lines = C->diags().positions().lines(MainBuffer);
  if (P.Line >= Lines.lineCount())
    return Text.size();
  return Encoding == PositionEncoding::UTF8
             ? Lines.offsetOfByteColumn(P.Line + 1, P.Character)
             : Lines.offsetOfUtf16(P.Line + 1, P.Character);
}

std::pair<size_t, size_t> Analysis::offsets(const json &Range) const {
  size_t Begin = offset(positionFrom(Range.at("start")));
  size_t End = offset(positionFrom(Range.at("end")));
  return Begin <= End ? std::make_pair(Begin, End) : std::make_pair(End, Begin);
}

json Analysis::position(llvm::SMLoc L) const {
  LineColumn LC = C->diags().positions().lineColumn(L);
  if (LC.Line == 0)
    return {{"line", 0}, {"character", 0}};
  unsigned Col = Encoding == PositionEncoding::UTF8 ? LC.Column : LC.Utf16Column;
  return {{"line", LC.Line - 1}, {"character", Col - 1}};
}

json Analysis::range(llvm::SMRange R) const {
  json Start = position(R.Start);
  return {{"start", Start},
          {"end", R.End.isValid() ? position(R.End) : Start}};
}

std::string Analysis::uriOf(llvm::SMLoc L) const {
  unsigned Buffer = C->diags().positions().bufferOf(L);
  if (Buffer == 0 || Buffer == MainBuffer)
    return Uri;
  llvm::StringRef Name =
      C->sourceMgr().getMemoryBuffer(Buffer)->getBufferIdentifier();
  return pathToUri(Workspace::key(Name));
}

json Analysis::location(llvm::SMRange R) const {
  return {{"uri", uriOf(R.Start)}, {"range", range(R)}};
}

llvm::StringRef Analysis::lineText(unsigned Line) const {
  const LineTable &Lines = C->diags().positions().lines(MainBuffer);
  return Line < Lines.lineCount() ? Lines.lineText(Line + 1) : "";
}

unsigned Analysis::lineOf(size_t Offset) const {
  return C->diags().positions().lines(MainBuffer).lineOf(Offset) - 1;
}

static const ast::Name *nameIn(const Analysis &A, const ast::Name &N,
                               size_t Offset) {
  return !N.Text.empty() && contains(A, N.Range, Offset) ? &N : nullptr;
}

static const ast::Rule *ruleAt(const Analysis &A,
                               const std::vector<ast::Rule> &Rules,
                               size_t Offset) {
  // A linear scan: broken rules may have no range, so the list is not
  // sorted by one, and ten thousand comparisons take microseconds.
  for (const ast::Rule &R : Rules)
    if (contains(A, R.Range, Offset))
      return &R;
  return nullptr;
}

Cursor Analysis::at(size_t Offset) const {
  Cursor K;
  const ast::File *F = tree();
  if (!F)
    return K;
  if (const ast::Rule *R = ruleAt(*this, F->BareRules, Offset)) {
    K.Rule = R;
    K.Name = nameIn(*this, R->Target, Offset);
    return K;
  }
  for (const ast::PodDecl &Pod : F->Pods) {
    if (!contains(*this, Pod.Range, Offset))
      continue;
    K.PodDecl = &Pod;
    K.Name = nameIn(*this, Pod.PodName, Offset);
    if (auto I = policy().findPod(Pod.PodName.Text);
        I && policy().Pods[*I].Decl == &Pod) {
      K.InPod = &policy().Pods[*I];
      K.PodIndex = *I;
    }
    for (const ast::PeaDecl &Pea : Pod.Peas) {
      if (!contains(*this, Pea.Range, Offset))
        continue;
      K.PeaDecl = &Pea;
      K.Name = nameIn(*this, Pea.PeaName, Offset);
      if (std::optional<PeaHandle> H = peaOf(Pea)) {
        K.InPod = &policy().Pods[H->Pod];
        K.PodIndex = H->Pod;
        K.InPea = &K.InPod->Peas[H->Pea];
        K.PeaIndex = H->Pea;
      }
      if ((K.Rule = ruleAt(*this, Pea.Rules, Offset)))
        K.Name = nameIn(*this, K.Rule->Target, Offset);
      return K;
    }
    return K;
  }
  return K;
}

std::optional<PeaHandle> Analysis::peaOf(const ast::PeaDecl &D) const {
  auto It = PeaOfDecl.find(&D);
  if (It == PeaOfDecl.end())
    return std::nullopt;
  return It->second;
}

const PeaRegions &Analysis::regions(PeaHandle H) const {
  auto Key = std::make_pair(H.Pod, H.Pea);
  auto It = Regions.find(Key);
  if (It == Regions.end())
    It = Regions
             .emplace(Key, PeaRegions::build(policy().Pods[H.Pod].Peas[H.Pea]))
             .first;
  return It->second;
}

} // namespace peapod::lsp

namespace peapod::lsp {

const ast::PeaDecl *peaDeclNamed(const ast::PodDecl &Pod,
                                 llvm::StringRef Name) {
  for (const ast::PeaDecl &Pea : Pod.Peas)
    if (Pea.PeaName.Text == Name)
      return &Pea;
  return nullptr;
}

std::optional<uint32_t> includeSite(const Pea &P, const ast::Rule &R) {
  for (uint32_t I = 0; I < P.Includes.size(); ++I)
    if (P.Includes[I].Include == &R)
      return I;
  return std::nullopt;
}

bool withinSite(const Pea &P, uint32_t Via, uint32_t Site) {
  for (; Via != NotIncluded; Via = P.Includes[Via].Parent)
    if (Via == Site)
      return true;
  return false;
}

std::vector<uint32_t> rulesOfSite(const Pea &P, uint32_t Site) {
  std::vector<uint32_t> Rules;
  for (uint32_t I = 0; I < P.FileRules.size(); ++I)
    if (withinSite(P, P.FileRuleVia[I], Site))
      Rules.push_back(I);
  return Rules;
}

std::string describeDecision(const Explanation &E) {
  std::string Where;
  if (E.Loc)
    Where = " (" + E.Loc->File + ":" + std::to_string(E.Loc->Line) + ")";
  switch (E.Kind) {
  case DecisionKind::Default:
    return "default deny: no rule covers it";
  case DecisionKind::Implicit:
    return "implicit search access: a rule below grants access, `" +
           E.RulePath + "`" + Where;
  case DecisionKind::Path:
    return "`path " + E.RulePath + "`" + Where;
  case DecisionKind::DirDefault:
    return "`dir-default " + E.RulePath + "`" + Where;
  }
  return "";
}

bool isValidPeaName(llvm::StringRef Name) {
  if (Name.empty() || Name == "global")
    return false;
  auto Start = [](char C) { return llvm::isAlpha(C) || C == '_'; };
  auto Rest = [](char C) {
    return llvm::isAlnum(C) || C == '_' || C == '.' || C == '-';
  };
  return Start(Name.front()) &&
         std::all_of(Name.begin() + 1, Name.end(), Rest);
}

} // namespace peapod::lsp
