//===- LintRulesCatalogueTest.cpp - docs/rules/A6xx and A9xx run ----------===//
//
// The pages of lint's own findings (assertions A6xx, suppressions A9xx) are
// executable like the checks' pages (RulesCatalogueTest.cpp): each has a
// bad example (```pea bad) and a fixed one (```pea fixed), linted with the
// page's configuration (```json config, if any). The bad one reports
// exactly its ID (plus "Also reported by the bad example: ..."), the fixed
// one nothing (plus "Also reported by the fixed example: ..."), and the
// page's ```text transcript is exactly the diagnostic lines lint prints
// (PEAPOD_UPDATE_DOCS=1 rewrites the transcripts; review the diff).
//
//===----------------------------------------------------------------------===//
#include "LintTestUtil.h"
#include "peapod/analyzer/AnalyzerDiagnostics.h"
#include "peapod/analyzer/LintOutput.h"
#include "llvm/Support/raw_ostream.h"
#include <filesystem>
#include <fstream>
#include <cstdlib>
#include <iterator>
#include <regex>
#include <set>

namespace fs = std::filesystem;
using namespace peapod;
using namespace peapod::lint_test;

namespace {

struct LintPage {
  std::string Heading, Config = "{}", Bad, Fixed, Transcript;
  std::set<std::string> AlsoBad, AlsoFixed;
};

std::set<std::string> codesIn(const std::string &Line) {
  std::set<std::string> Out;
  static const std::regex Code(R"(\b[AEWN][0-9]{3}\b)");
  for (std::sregex_iterator It(Line.begin(), Line.end(), Code), End; It != End;
       ++It)
    Out.insert(It->str());
  return Out;
}

LintPage readPage(const fs::path &Path) {
  LintPage P;
  std::ifstream In(Path);
  std::string Line;
  while (std::getline(In, Line)) {
    llvm::StringRef L(Line);
    if (L.startswith("# ") && P.Heading.empty())
      P.Heading = L.drop_front(2).str();
    if (L.consume_front("Also reported by the bad example:"))
      P.AlsoBad = codesIn(L.str());
    if (L.consume_front("Also reported by the fixed example:"))
      P.AlsoFixed = codesIn(L.str());
    std::string *Block = Line == "```json config" ? &P.Config
                         : Line == "```pea bad"   ? &P.Bad
                         : Line == "```pea fixed" ? &P.Fixed
                         : Line == "```text"      ? &P.Transcript
                                                  : nullptr;
    if (!Block)
      continue;
    Block->clear();
    while (std::getline(In, Line) && Line != "```")
      *Block += Line + "\n";
  }
  return P;
}

std::set<std::string> codeSet(const LintResult &R) {
  std::vector<std::string> C = codes(R);
  return std::set<std::string>(C.begin(), C.end());
}

/// The lines of lint's text output that start with a location.
std::string diagnosticLines(const LintResult &R) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printLintText(llvm::makeArrayRef(R), OS);
  std::string Out;
  for (llvm::StringRef Rest = OS.str(); !Rest.empty();) {
    auto [Line, Tail] = Rest.split('\n');
    if (Line.startswith("bad.pea:"))
      Out += Line.str() + "\n";
    Rest = Tail;
  }
  return Out;
}

/// Replaces the page's first ```text block with `Lines`.
void updateTranscript(const fs::path &Path, const std::string &Lines) {
  std::ifstream In(Path);
  std::string Text((std::istreambuf_iterator<char>(In)),
                   std::istreambuf_iterator<char>());
  size_t Start = Text.find("```text\n");
  REQUIRE(Start != std::string::npos);
  Start += 8;
  size_t End = Text.find("```", Start);
  Text.replace(Start, End - Start, Lines);
  std::ofstream(Path) << Text;
}

bool isLintsOwn(llvm::StringRef Code) {
  return Code.startswith("A6") || Code.startswith("A9");
}

} // namespace

TEST_CASE("lint's findings have executable pages", "[lint][catalogue]") {
  unsigned Pages = 0;
  for (const DiagInfo &I : analyzer::allAnalyzerDiagInfos()) {
    if (!isLintsOwn(I.Code) || I.Sev == Severity::Note)
      continue;
    fs::path Path = fs::path(PEAPOD_SOURCE_DIR) / "docs" / "rules" /
                    (std::string(I.Code) + ".md");
    INFO(Path.string());
    REQUIRE(fs::exists(Path));
    LintPage P = readPage(Path);
    ++Pages;
    CHECK(P.Heading == std::string(I.Code) + " " + I.Name);
    REQUIRE(!P.Bad.empty());
    REQUIRE(!P.Fixed.empty());

    LintOptions Opts;
    Opts.Config = config(P.Config);
    LintResult Bad = lintBuffer("bad.pea", P.Bad, Opts);
    std::set<std::string> Expected = P.AlsoBad;
    Expected.insert(I.Code);
    CHECK(codeSet(Bad) == Expected);
    if (std::getenv("PEAPOD_UPDATE_DOCS"))
      updateTranscript(Path, diagnosticLines(Bad));
    else
      CHECK(diagnosticLines(Bad) == P.Transcript);

    LintResult Fixed = lintBuffer("fixed.pea", P.Fixed, Opts);
    CHECK(codeSet(Fixed) == P.AlsoFixed);
  }
  CHECK(Pages == 8);
}
