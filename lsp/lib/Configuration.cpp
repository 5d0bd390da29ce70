//===- Configuration.cpp - Settings and documentation links ---------------===//
#include "Configuration.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace peapod::lsp {

ServerConfig defaultConfig() {
  ServerConfig C;
  C.Compile.Diagnostics.ErrorLimit = 0;
  // The documentation sits beside the stdrules directory: in the source
  // tree (docs/ and stdrules/) and installed (share/peapod/).
  llvm::SmallString<256> Docs(
      llvm::sys::path::parent_path(defaultStdRulesDir()));
  llvm::sys::path::append(Docs, "docs");
  C.DocsDir = std::string(Docs);
  return C;
}

static std::string absolute(llvm::StringRef Path, const ServerConfig &C) {
  if (llvm::sys::path::is_absolute(Path) || C.RootPath.empty())
    return Path.str();
  llvm::SmallString<256> P(C.RootPath);
  llvm::sys::path::append(P, Path);
  return std::string(P);
}

std::vector<std::string> applySettings(const json &Settings,
                                       ServerConfig &Config) {
  std::vector<std::string> Problems;
  if (Settings.is_null())
    return Problems;
  if (!Settings.is_object())
    return {"settings must be an object"};
  // Some clients nest the section under its name.
  if (Settings.contains("peapod") && Settings["peapod"].is_object())
    return applySettings(Settings["peapod"], Config);
  auto Str = [&](const char *Key, std::string &Into, std::string Default) {
    if (!Settings.contains(Key))
      return;
    const json &V = Settings[Key];
    if (V.is_null() || (V.is_string() && V.get<std::string>().empty()))
      Into = std::move(Default);
    else if (V.is_string())
      Into = absolute(V.get<std::string>(), Config);
    else
      Problems.push_back(std::string(Key) + " must be a string");
  };
  if (Settings.contains("includeDirs")) {
    const json &V = Settings["includeDirs"];
    if (V.is_null()) {
      Config.Compile.IncludeDirs.clear();
    } else if (V.is_array() &&
               std::all_of(V.begin(), V.end(),
                           [](const json &E) { return E.is_string(); })) {
      Config.Compile.IncludeDirs.clear();
      for (const json &E : V)
        Config.Compile.IncludeDirs.push_back(
            absolute(E.get<std::string>(), Config));
    } else {
      Problems.push_back("includeDirs must be a list of strings");
    }
  }
  Str("stdrulesDir", Config.Compile.StdRulesDir, "");
  Str("lintConfig", Config.LintConfig, "");
  if (!Config.LintConfig.empty() &&
      !llvm::sys::fs::is_regular_file(Config.LintConfig))
    Problems.push_back("lintConfig '" + Config.LintConfig +
                       "' is not a readable file");
  if (Settings.contains("diagnosticsDelay")) {
    const json &V = Settings["diagnosticsDelay"];
    if (V.is_number_unsigned() && V.get<uint64_t>() <= 10000)
      Config.DiagnosticsDelay = std::chrono::milliseconds(V.get<uint64_t>());
    else
      Problems.push_back("diagnosticsDelay must be a number of milliseconds "
                         "from 0 to 10000");
  }
  return Problems;
}

std::string docsHref(const DiagInfo &Info, const ServerConfig &Config) {
  llvm::StringRef Code = Info.Code;
  if (Code.empty())
    return "";
  llvm::SmallString<256> Page(Config.DocsDir);
  std::string Anchor;
  if (Code.front() == 'A') {
    llvm::sys::path::append(Page, "rules", Code + ".md");
  } else {
    llvm::sys::path::append(Page, "diagnostics.md");
    // GitHub's anchor of the heading "## E301 unknown-pea".
    Anchor = "#" + Code.lower() + "-" + llvm::StringRef(Info.Name).lower();
  }
  std::string Uri = pathToUri(Page);
  return Uri + Anchor;
}

} // namespace peapod::lsp
