//===- RulesCatalogueTest.cpp - docs/rules/ is executable -----------------===//
//
// Every entry of AnalyzerIDs.def (notes aside) has a page docs/rules/CODE.md
// headed "# CODE name", with a bad example (```pea bad [--entry PEA]...) and
// a fixed one (```pea fixed ...). For the checks that need nothing beyond
// the policy (A2xx-A5xx), both examples are compiled and analyzed with the
// real checks: the bad one must report exactly its ID (plus the IDs the page
// lists on a line "Also reported by the bad example: ..."), the fixed one
// must not report it (and nothing else but what "Also reported by the fixed
// example: ..." lists).
//
//===----------------------------------------------------------------------===//
#include "AnalyzerTestUtil.h"
#include "peapod/analyzer/AnalyzerDiagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace peapod;

namespace {

struct Example {
  std::string Text;
  std::vector<std::string> Entries;
  std::set<std::string> Also;
  bool Found = false;
};

struct Page {
  std::string Heading;
  Example Bad, Fixed;
};

/// The codes (A and three digits) a line names; the rest is prose.
std::set<std::string> parseCodes(llvm::StringRef List) {
  std::set<std::string> Out;
  static const std::regex Code(R"(\bA[0-9]{3}\b)");
  std::string Text = List.str();
  for (std::sregex_iterator It(Text.begin(), Text.end(), Code), End; It != End;
       ++It)
    Out.insert(It->str());
  return Out;
}

Page readPage(const fs::path &Path) {
  Page Out;
  std::ifstream In(Path);
  std::string Line;
  while (std::getline(In, Line)) {
    llvm::StringRef L(Line);
    if (L.startswith("# ") && Out.Heading.empty())
      Out.Heading = L.drop_front(2).str();
    if (L.consume_front("Also reported by the bad example:"))
      Out.Bad.Also = parseCodes(L);
    if (L.consume_front("Also reported by the fixed example:"))
      Out.Fixed.Also = parseCodes(L);
    if (!L.consume_front("```pea "))
      continue;
    llvm::SmallVector<llvm::StringRef, 4> Words;
    L.split(Words, ' ', -1, false);
    Example *E = Words.empty()         ? nullptr
                 : Words[0] == "bad"   ? &Out.Bad
                 : Words[0] == "fixed" ? &Out.Fixed
                                       : nullptr;
    REQUIRE(E);
    E->Found = true;
    for (size_t I = 1; I + 1 < Words.size(); I += 2)
      if (Words[I] == "--entry")
        E->Entries.push_back(Words[I + 1].str());
    while (std::getline(In, Line) && Line != "```")
      E->Text += Line + "\n";
  }
  return Out;
}

std::set<std::string> analyzedCodes(const Example &E) {
  auto C = std::make_unique<Compilation>();
  INFO(E.Text);
  REQUIRE(C->compileBuffer("example.pea", E.Text));
  CHECK(C->diags().diagnostics().empty()); // no compiler warnings either
  analyzer::AnalyzerOptions Opts;
  Opts.Entries = E.Entries;
  std::vector<std::string> Codes = test::analyzerCodes(*C, Opts);
  return std::set<std::string>(Codes.begin(), Codes.end());
}

bool runsWithoutInputs(llvm::StringRef Code) {
  return Code.size() == 4 && Code[0] == 'A' && Code[1] >= '2' && Code[1] <= '5';
}

} // namespace

TEST_CASE("every analyzer check has a page with a bad and a fixed example",
          "[analyzer][catalogue]") {
  for (const DiagInfo &I : analyzer::allAnalyzerDiagInfos()) {
    if (llvm::StringRef(I.Name).startswith("note-"))
      continue;
    fs::path Path = fs::path(PEAPOD_SOURCE_DIR) / "docs" / "rules" /
                    (std::string(I.Code) + ".md");
    INFO(Path.string());
    REQUIRE(fs::exists(Path));
    Page P = readPage(Path);
    CHECK(P.Heading == std::string(I.Code) + " " + I.Name);
    CHECK(P.Bad.Found);
    CHECK(P.Fixed.Found);
    if (!runsWithoutInputs(I.Code))
      continue;
    std::set<std::string> Expected = P.Bad.Also;
    Expected.insert(I.Code);
    CHECK(analyzedCodes(P.Bad) == Expected);
    std::set<std::string> Fixed = analyzedCodes(P.Fixed);
    CHECK(Fixed.count(I.Code) == 0);
    CHECK(Fixed == P.Fixed.Also);
  }
}

TEST_CASE("every page is of a check in the catalogue",
          "[analyzer][catalogue]") {
  for (const auto &E :
       fs::directory_iterator(fs::path(PEAPOD_SOURCE_DIR) / "docs" / "rules")) {
    std::string Stem = E.path().stem().string();
    if (E.path().extension() != ".md" || Stem == "README")
      continue;
    bool Known = false;
    for (const DiagInfo &I : analyzer::allAnalyzerDiagInfos())
      Known |= Stem == I.Code;
    INFO(E.path().string());
    CHECK(Known);
  }
}
