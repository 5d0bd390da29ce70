//===- DiagnosticsCatalogueTest.cpp - docs/diagnostics.md is executable ---===//
//
// Every ID in DiagnosticIDs.def has a section in docs/diagnostics.md, and each
// section's example, compiled, produces that ID.
//
//===----------------------------------------------------------------------===//
#include "peapod/Compilation.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace {

struct Entry {
  std::string Name;
  std::vector<std::pair<std::string, std::string>> Files; ///< name, text
};

std::map<std::string, Entry> readCatalogue() {
  std::ifstream In(PEAPOD_SOURCE_DIR "/docs/diagnostics.md");
  std::map<std::string, Entry> Entries;
  std::string Line, Current;
  static const std::regex Heading(R"(^## ([EWN][0-9]{3}) ([a-z-]+)$)");
  while (std::getline(In, Line)) {
    std::smatch M;
    if (std::regex_match(Line, M, Heading)) {
      Current = M[1];
      Entries[Current].Name = M[2];
      continue;
    }
    if (Current.empty() || Line.rfind("```pea ", 0) != 0)
      continue;
    std::string File = Line.substr(7), Text;
    while (std::getline(In, Line) && Line != "```")
      Text += Line + "\n";
    Entries[Current].Files.emplace_back(File, Text);
  }
  return Entries;
}

bool produces(const peapod::Compilation &C, const std::string &Code) {
  for (const peapod::Diagnostic &D : C.diags().diagnostics()) {
    if (peapod::diagInfo(D.ID).Code == Code)
      return true;
    for (const peapod::Diagnostic &N : D.Notes)
      if (peapod::diagInfo(N.ID).Code == Code)
        return true;
  }
  return false;
}

} // namespace

TEST_CASE("every diagnostic ID is documented with its name", "[docs]") {
  auto Entries = readCatalogue();
  REQUIRE(Entries.size() == peapod::allDiagInfos().size());
  for (const peapod::DiagInfo &Info : peapod::allDiagInfos()) {
    INFO(Info.Code);
    REQUIRE(Entries.count(Info.Code));
    CHECK(Entries[Info.Code].Name == Info.Name);
  }
}

TEST_CASE("every documented example produces its diagnostic", "[docs]") {
  // Only these cannot be shown as a policy file; tests/cli covers E901 and
  // E902.
  const std::set<std::string> NoExample = {"E103", "E901", "E902", "N002", "N003",
                                           "N001"};
  fs::path Dir = fs::temp_directory_path() /
                 ("peapod-catalogue-" + std::to_string(::getpid()));
  for (const auto &[Code, E] : readCatalogue()) {
    INFO(Code);
    if (E.Files.empty()) {
      CHECK(NoExample.count(Code));
      continue;
    }
    fs::remove_all(Dir);
    fs::create_directories(Dir);
    for (const auto &[Name, Text] : E.Files)
      std::ofstream(Dir / Name) << Text;
    peapod::CompileOptions Opts;
    Opts.StdRulesDir = PEAPOD_SOURCE_DIR "/stdrules";
    peapod::Compilation C(Opts);
    C.compileFile((Dir / E.Files.front().first).string());
    CHECK(produces(C, Code));
  }
  fs::remove_all(Dir);
}

TEST_CASE("the notes appear in documented examples", "[docs]") {
  // Each note is shown attached to the diagnostic that uses it.
  std::ifstream In(PEAPOD_SOURCE_DIR "/docs/diagnostics.md");
  std::stringstream SS;
  SS << In.rdbuf();
  std::string Doc = SS.str();
  CHECK(Doc.find("note: did you mean 'procmail'?") != std::string::npos);
  CHECK(Doc.find("note: previous definition is here") != std::string::npos);
  CHECK(Doc.find("note: searched: ") != std::string::npos);
}
