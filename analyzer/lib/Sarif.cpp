//===- Sarif.cpp - SARIF 2.1.0 --------------------------------------------===//
#include "peapod/analyzer/Sarif.h"
#include "peapod/TextEscape.h"
#include "peapod/analyzer/AnalyzerDiagnostics.h"
#include "peapod/analyzer/LintConfig.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include <map>

namespace peapod::analyzer {

std::string uriPath(llvm::StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || C == '-' || C == '.' || C == '_' || C == '~' ||
        C == '/') {
      Out += char(C);
    } else {
      Out += '%';
      Out += llvm::hexdigit(C >> 4);
      Out += llvm::hexdigit(C & 15);
    }
  }
  return Out;
}

std::string helpUri(const DiagInfo &Info) {
  std::string Base = ProjectHomepage.str() + "/blob/main/docs/";
  if (llvm::StringRef(Info.Code).startswith("A"))
    return Base + "rules/" + Info.Code + ".md";
  return Base + "diagnostics.md#" + llvm::StringRef(Info.Code).lower() + "-" +
         Info.Name;
}

namespace {

using nlohmann::json;

const char *level(Severity S) {
  switch (S) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  default:
    return "error";
  }
}

/// The catalogue entry's message with its placeholders shown as "...".
std::string template_(const DiagInfo &Info) {
  std::string Out;
  for (const char *P = Info.Format; *P; ++P) {
    if (*P == '%' && llvm::isDigit(P[1])) {
      Out += "...";
      while (llvm::isDigit(P[1]))
        ++P;
    } else {
      Out += *P;
    }
  }
  return Out;
}

json ruleJSON(const DiagInfo &Info) {
  std::string Uri = helpUri(Info);
  std::string Short = template_(Info);
  std::string Full = std::string(Info.Code) + " " + Info.Name + ": " + Short +
                     " (default: " + severityName(Info.Sev) + ").";
  return {{"id", Info.Code},
          {"name", Info.Name},
          {"shortDescription", {{"text", Short}}},
          {"fullDescription", {{"text", Full}}},
          {"help",
           {{"text", Full + " A bad and a fixed example: " + Uri},
            {"markdown", "**" + std::string(Info.Code) + "** `" + Info.Name +
                             "`: " + Short + "\n\nSee [" + Info.Code +
                             "](" + Uri + ") for a bad and a fixed example."}}},
          {"helpUri", Uri},
          {"defaultConfiguration", {{"level", level(Info.Sev)}}},
          {"properties",
           {{"tags", llvm::StringRef(Info.Code).startswith("A")
                         ? json::array({"security", "policy"})
                         : json::array({"policy"})}}}};
}

class SarifWriter {
public:
  explicit SarifWriter(const OutputContext &Ctx) : Ctx(Ctx) {
    Rules = json::array();
    for (const auto *Catalogue : {&allDiagInfos(), &allAnalyzerDiagInfos()})
      for (const DiagInfo &Info : *Catalogue) {
        if (isAttachedNote(Info))
          continue; // related locations, never results
        RuleIndex[&Info] = Rules.size();
        Rules.push_back(ruleJSON(Info));
      }
  }

  json log(llvm::ArrayRef<LintResult> Results) {
    json Out = json::array();
    for (const LintResult &R : Results)
      for (const LintFinding &F : R.Findings)
        Out.push_back(result(R, F));
    json Run = {
        {"tool",
         {{"driver",
           {{"name", "peapodc"},
            {"semanticVersion", Ctx.ToolVersion},
            {"version", Ctx.ToolVersion},
            {"informationUri", ProjectHomepage.str()},
            {"rules", Rules}}}}},
        {"originalUriBaseIds",
         {{"%SRCROOT%", {{"uri", "file://" + uriPath(rootWithSlash())}}}}},
        {"columnKind", "utf16CodeUnits"},
        {"results", Out}};
    return {{"$schema", SarifSchema.str()},
            {"version", "2.1.0"},
            {"runs", json::array({Run})}};
  }

private:
  std::string rootWithSlash() const {
    std::string Root = Ctx.SourceRoot;
    if (Root.empty() || Root.back() != '/')
      Root += '/';
    return Root;
  }

  json artifact(const std::string &File) const {
    if (std::optional<std::string> Rel = pathUnderRoot(File, Ctx.SourceRoot))
      return {{"uri", uriPath(escapeInvalidUtf8(*Rel))},
              {"uriBaseId", "%SRCROOT%"}};
    return {{"uri", llvm::StringRef(File).startswith("/")
                        ? "file://" + uriPath(File)
                        : uriPath(File)}};
  }

  json region(const DiagnosticEngine &E, llvm::SMRange R) const {
    Position Start = E.position(R.Start);
    Position End = E.position(R.End.isValid() ? R.End : R.Start);
    return {{"startLine", Start.Line},
            {"startColumn", Start.Utf16Column},
            {"endLine", End.Line},
            {"endColumn", End.Utf16Column}};
  }

  json physical(const DiagnosticEngine &E, llvm::SMRange R) const {
    return {{"artifactLocation", artifact(E.position(R.Start).File)},
            {"region", region(E, R)}};
  }

  json result(const LintResult &LR, const LintFinding &F) const {
    const DiagnosticEngine &E = LR.C->diags();
    const Diagnostic &D = LR.diagnostic(F);
    json J = {{"ruleId", D.code()},
              {"level", level(D.Sev)},
              {"message", {{"text", escapeInvalidUtf8(D.Message)}}},
              {"partialFingerprints",
               {{"primaryLocationLineHash", F.Print.LineHash},
                {"peapodFinding/v1", F.Print.Finding}}}};
    if (auto It = RuleIndex.find(D.Info); It != RuleIndex.end())
      J["ruleIndex"] = It->second;
    if (D.Range.Start.isValid())
      J["locations"] = json::array({{{"physicalLocation", physical(E, D.Range)}}});
    json Related = json::array();
    for (const Diagnostic &N : D.Notes) {
      if (!N.Range.Start.isValid())
        continue;
      Related.push_back({{"id", Related.size() + 1},
                         {"physicalLocation", physical(E, N.Range)},
                         {"message", {{"text", escapeInvalidUtf8(N.Message)}}}});
    }
    if (!Related.empty()) {
      J["relatedLocations"] = Related;
      J["codeFlows"] = json::array({codeFlow(E, D)});
    }
    if (!D.Fixes.empty())
      J["fixes"] = json::array({fix(E, D)});
    return J;
  }

  /// The finding and its notes as one path (code scanning's "show paths"):
  /// for a chain, each hop in order, ending at the rule that grants.
  json codeFlow(const DiagnosticEngine &E, const Diagnostic &D) const {
    json Steps = json::array();
    auto Step = [&](const Diagnostic &At) {
      if (At.Range.Start.isValid())
        Steps.push_back(
            {{"location",
              {{"physicalLocation", physical(E, At.Range)},
               {"message", {{"text", escapeInvalidUtf8(At.Message)}}}}}});
    };
    Step(D);
    for (const Diagnostic &N : D.Notes)
      Step(N);
    return {{"threadFlows", json::array({{{"locations", Steps}}})}};
  }

  json fix(const DiagnosticEngine &E, const Diagnostic &D) const {
    // One SARIF fix holds every edit of the diagnostic, by file.
    std::map<std::string, json> ByFile;
    for (const FixIt &Fix : D.Fixes) {
      std::string File = E.position(Fix.Range.Start).File;
      json &Change = ByFile[File];
      if (Change.is_null())
        Change = {{"artifactLocation", artifact(File)},
                  {"replacements", json::array()}};
      Change["replacements"].push_back(
          {{"deletedRegion", region(E, Fix.Range)},
           {"insertedContent",
            {{"text", escapeInvalidUtf8(Fix.Replacement)}}}});
    }
    json Changes = json::array();
    for (auto &Entry : ByFile)
      Changes.push_back(std::move(Entry.second));
    return {{"description", {{"text", "peapodc fix"}}},
            {"artifactChanges", Changes}};
  }

  const OutputContext &Ctx;
  json Rules;
  llvm::DenseMap<const DiagInfo *, size_t> RuleIndex;
};

} // namespace

nlohmann::json sarifLog(llvm::ArrayRef<LintResult> Results,
                        const OutputContext &Ctx) {
  return SarifWriter(Ctx).log(Results);
}

} // namespace peapod::analyzer
