//===- TreePagesTest.cpp - docs/rules/A1xx.md are executable --------------===//
//
// Every A1xx check has a page docs/rules/ID.md with a bad and a fixed
// example, each a policy (```pea bad NAME, ```pea fixed NAME, as
// RulesCatalogueTest reads them), the pod's tree as shell commands (```sh,
// built here with the system calls, see TreeScript.h) and the transcript of
// peapodc run on them (```text starting with `$ peapodc`). The Bad example
// must report the ID (as a diagnostic or a note), the Fixed one must not,
// and each transcript must be what peapodc prints. Regenerate the
// transcripts after changing a message with
//
//   PEAPOD_UPDATE_DOCS=1 build/tests/analyzer/TreePagesTest
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "TreeScript.h"
#include "peapod/Compilation.h"
#include "peapod/analyzer/Analyzer.h"
#include "llvm/ADT/StringExtras.h"
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
using namespace peapod;

namespace {

struct Example {
  std::string PolicyName, Policy, Tree, Command, Output;
  size_t OutputLine = 0, OutputEnd = 0; ///< line span of the transcript output
};

struct Page {
  std::vector<std::string> Lines;
  std::map<std::string, Example> Sections; ///< "bad", "fixed"
};

std::string pagePath(const char *Code) {
  return std::string(PEAPOD_SOURCE_DIR "/docs/rules/") + Code + ".md";
}

Page readPage(const std::string &Path) {
  Page P;
  std::ifstream In(Path);
  for (std::string L; std::getline(In, L);)
    P.Lines.push_back(L);
  // The ```sh and ```text blocks after a ```pea KIND NAME fence belong to
  // that example.
  Example *Current = nullptr;
  auto Block = [&](size_t &I) {
    std::string Text;
    while (++I < P.Lines.size() && P.Lines[I] != "```")
      Text += P.Lines[I] + "\n";
    return Text;
  };
  for (size_t I = 0; I < P.Lines.size(); ++I) {
    llvm::StringRef L = P.Lines[I];
    if (L.consume_front("```pea ")) {
      auto [Kind, Name] = L.split(' ');
      Current = &P.Sections[Kind.str()];
      Current->PolicyName = Name.str();
      Current->Policy = Block(I);
    } else if (!Current) {
      continue;
    } else if (L == "```sh") {
      Current->Tree = Block(I);
    } else if (L == "```text" && I + 1 < P.Lines.size() &&
               P.Lines[I + 1].rfind("$ peapodc ", 0) == 0) {
      Current->Command = P.Lines[++I].substr(2);
      Current->OutputLine = I + 1;
      Current->Output = Block(I);
      Current->OutputEnd = I;
    }
  }
  return P;
}

/// The example's files in a fresh directory, made the current one for as
/// long as it lives; the tree is read as by a user without root's bypass.
struct ExampleDir {
  fs::path Dir, Here = fs::current_path();
  explicit ExampleDir(const Example &E) {
    Dir = fs::temp_directory_path() /
          ("peapod-tree-pages-" + std::to_string(::getpid()));
    fs::remove_all(Dir);
    fs::create_directories(Dir);
    std::ofstream(Dir / E.PolicyName) << E.Policy;
    test::buildTree(Dir.string(), E.Tree);
    fs::current_path(Dir);
  }
  ~ExampleDir() {
    fs::current_path(Here);
    test::reopenTree(Dir.string());
    fs::remove_all(Dir);
  }
};

/// Every code the analyzer reports on the example, notes included.
std::vector<std::string> codes(const Example &E) {
  ExampleDir D(E);
  Compilation C;
  C.compileFile(E.PolicyName);
  REQUIRE(!C.diags().hasErrors());
  analyzer::AnalyzerOptions Opts;
  Opts.Root = "tree";
  {
    test::WithoutDacOverride AsAnyUser;
    analyzer::analyze(C, Opts);
  }
  std::vector<std::string> Out;
  for (const Diagnostic &Dg : C.diags().diagnostics()) {
    Out.push_back(Dg.code());
    for (const Diagnostic &N : Dg.Notes)
      Out.push_back(N.code());
  }
  return Out;
}

std::string transcript(const Example &E) {
  ExampleDir D(E);
  llvm::SmallVector<llvm::StringRef, 8> Words;
  llvm::StringRef(E.Command).split(Words, ' ', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Args(Words.begin() + 1, Words.end());
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  {
    test::WithoutDacOverride AsAnyUser;
    driver::runPeapodc(Args, OS, OS);
  }
  OS.flush();
  return Text;
}

bool contains(const std::vector<std::string> &V, const std::string &S) {
  return std::find(V.begin(), V.end(), S) != V.end();
}

} // namespace

TEST_CASE("every A1xx page's bad example reports its ID and the fixed one "
          "does not, as the transcripts show",
          "[docs][hardlinks]") {
  bool Update = std::getenv("PEAPOD_UPDATE_DOCS") != nullptr;
  for (const DiagInfo &Info : analyzer::allAnalyzerDiagInfos()) {
    // Notes (note-NAME) come with the finding they explain: no page.
    if (Info.Code[1] != '1' || llvm::StringRef(Info.Name).startswith("note-"))
      continue;
    INFO(Info.Code);
    std::string Path = pagePath(Info.Code);
    Page P = readPage(Path);
    REQUIRE(!P.Lines.empty());
    CHECK(P.Lines.front() ==
          std::string("# ") + Info.Code + " " + Info.Name);
    REQUIRE(P.Sections.count("bad"));
    REQUIRE(P.Sections.count("fixed"));
    CHECK(contains(codes(P.Sections["bad"]), Info.Code));
    CHECK(!contains(codes(P.Sections["fixed"]), Info.Code));
    std::vector<std::pair<const Example *, std::string>> Got;
    for (const char *Which : {"fixed", "bad"}) { // later lines first
      const Example &E = P.Sections[Which];
      REQUIRE(!E.Command.empty());
      Got.emplace_back(&E, transcript(E));
      if (!Update)
        CHECK(Got.back().second == E.Output);
    }
    if (!Update)
      continue;
    for (const auto &[E, Text] : Got) {
      std::vector<std::string> New;
      llvm::SmallVector<llvm::StringRef, 16> Lines;
      llvm::StringRef(Text).split(Lines, '\n');
      for (llvm::StringRef L : Lines)
        New.push_back(L.str());
      if (!New.empty() && New.back().empty())
        New.pop_back();
      P.Lines.erase(P.Lines.begin() + E->OutputLine,
                    P.Lines.begin() + E->OutputEnd);
      P.Lines.insert(P.Lines.begin() + E->OutputLine, New.begin(), New.end());
    }
    std::ofstream Out(Path);
    for (const std::string &L : P.Lines)
      Out << L << "\n";
  }
}
