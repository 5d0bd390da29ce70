//===- Diagnostics.cpp - publishDiagnostics from the compiler's engine ----===//
//
// Every diagnostic of the compilation (syntax, semantics, analyzer findings)
// becomes an LSP Diagnostic: the ID as `code` with a link to its page, the
// notes as related information, and the unnecessary tag for rules that do
// nothing. A diagnostic inside an included rule group is shown on the
// include in this document (an editor shows only this document's), with
// the chain of includes and the real location as related information.
//
//===----------------------------------------------------------------------===//
#include "Features.h"
#include "llvm/Support/SourceMgr.h"

namespace peapod::lsp {

namespace {

int lspSeverity(Severity S) {
  switch (S) {
  case Severity::Fatal:
  case Severity::Error:
    return 1;
  case Severity::Warning:
    return 2;
  case Severity::Note:
    return 3;
  }
  return 1;
}

/// Findings about rules that have no effect: dead and redundant rules (the
/// analyzer's A4xx family) and the compiler's no-effect warnings.
bool isUnnecessary(const Diagnostic &D) {
  llvm::StringRef Code = D.code();
  return Code.startswith("A4") || Code == "W309" || Code == "W310";
}

/// The include rule of the document that starts at `Site`.
llvm::SMRange includeRuleAt(const Analysis &A, llvm::SMLoc Site) {
  auto Find = [&](const std::vector<ast::Rule> &Rules) -> const ast::Rule * {
    for (const ast::Rule &R : Rules)
      if (R.Kind == ast::RuleKind::Include && R.Range.Start == Site)
        return &R;
    return nullptr;
  };
  if (const ast::File *F = A.tree()) {
    if (const ast::Rule *R = Find(F->BareRules))
      return R->Range;
    for (const ast::PodDecl &Pod : F->Pods)
      for (const ast::PeaDecl &Pea : Pod.Peas)
        if (const ast::Rule *R = Find(Pea.Rules))
          return R->Range;
  }
  return {Site, Site};
}

} // namespace

json diagnostics(const Analysis &A, const ServerConfig &Config) {
  json Out = json::array();
  const Compilation &C = A.compilation();
  const DiagnosticEngine &E = C.diags();
  const llvm::SourceMgr &SM = C.sourceMgr();
  for (const Diagnostic *Each : A.shown()) {
    const Diagnostic &D = *Each;
    json Related = json::array();
    std::string Message = D.Message;
    llvm::SMRange Shown = D.Range;
    if (!D.Range.Start.isValid()) {
      Shown = {A.loc(0), A.loc(0)};
    } else if (!A.inMain(D.Range.Start)) {
      // Up the include chain to the include written in this document.
      unsigned Buffer = E.positions().bufferOf(D.Range.Start);
      llvm::SMLoc Site;
      Related.push_back({{"location", A.location(D.Range)},
                         {"message", D.Message}});
      while (Buffer && !A.inMain(Site)) {
        Site = SM.getBufferInfo(Buffer).IncludeLoc;
        if (!Site.isValid())
          break;
        if (!A.inMain(Site))
          Related.push_back({{"location", A.location({Site, Site})},
                             {"message", "included from here"}});
        Buffer = E.positions().bufferOf(Site);
      }
      Shown = A.inMain(Site) ? includeRuleAt(A, Site)
                             : llvm::SMRange(A.loc(0), A.loc(0));
      Message = "in " +
                C.displayName(E.positions().bufferOf(D.Range.Start)).str() +
                ": " + D.Message;
    }
    for (const Diagnostic &N : D.Notes) {
      if (N.Range.Start.isValid())
        Related.push_back(
            {{"location", A.location(N.Range)}, {"message", N.Message}});
      else
        Message += "\n" + N.Message;
    }
    json J = {{"range", A.range(Shown)},
              {"severity", lspSeverity(D.Sev)},
              {"source", "peapod"},
              {"message", Message}};
    if (D.Info) {
      J["code"] = D.code();
      std::string Href = docsHref(*D.Info, Config);
      if (!Href.empty())
        J["codeDescription"] = {{"href", Href}};
    }
    if (!Related.empty())
      J["relatedInformation"] = Related;
    if (isUnnecessary(D))
      J["tags"] = {1};
    Out.push_back(std::move(J));
  }
  return Out;
}

} // namespace peapod::lsp
