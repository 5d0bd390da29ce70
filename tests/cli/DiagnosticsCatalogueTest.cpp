//===- DiagnosticsCatalogueTest.cpp - docs/diagnostics.md is executable ---===//
//
// Every ID in DiagnosticIDs.def has a section in docs/diagnostics.md; each
// section's example files, compiled, produce that ID; and each transcript in
// the doc (a ```text block starting with `$ peapodc ...`) is exactly what
// peapodc prints when run on the example's files. The transcripts come from
// the tool, so they cannot drift: after changing a message, regenerate them
// with
//
//   PEAPOD_UPDATE_DOCS=1 build/tests/cli/diagnostics_catalogue_test
//
// and review the diff. The stdrules directory of the source tree is shown as
// its installed location, /usr/share/peapod/stdrules.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "peapod/Compilation.h"
#include "llvm/ADT/StringExtras.h"
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

const char *const DocPath = PEAPOD_SOURCE_DIR "/docs/diagnostics.md";
const char *const SourceStdRules = PEAPOD_SOURCE_DIR "/stdrules";
const char *const ShownStdRules = "/usr/share/peapod/stdrules";

struct Transcript {
  size_t FirstLine = 0; ///< index of the `$ peapodc` line in the doc
  std::string Command;  ///< without "$ "
  std::string Output;
};

struct Entry {
  std::string Name;
  std::vector<std::pair<std::string, std::string>> Files; ///< name, text
  std::vector<Transcript> Transcripts;
};

std::vector<std::string> readLines() {
  std::ifstream In(DocPath);
  std::vector<std::string> Lines;
  for (std::string L; std::getline(In, L);)
    Lines.push_back(L);
  return Lines;
}

std::map<std::string, Entry> readCatalogue(const std::vector<std::string> &Lines) {
  std::map<std::string, Entry> Entries;
  static const std::regex Heading(R"(^## ([EWN][0-9]{3}) ([a-z-]+)$)");
  std::string Current;
  for (size_t I = 0; I < Lines.size(); ++I) {
    std::smatch M;
    if (std::regex_match(Lines[I], M, Heading)) {
      Current = M[1];
      Entries[Current].Name = M[2];
      continue;
    }
    if (Current.empty())
      continue;
    if (Lines[I].rfind("```pea ", 0) == 0) {
      std::string File = Lines[I].substr(7), Text;
      while (++I < Lines.size() && Lines[I] != "```")
        Text += Lines[I] + "\n";
      Entries[Current].Files.emplace_back(File, Text);
    } else if (Lines[I] == "```text" && I + 1 < Lines.size() &&
               Lines[I + 1].rfind("$ peapodc ", 0) == 0) {
      Transcript T;
      T.FirstLine = ++I;
      T.Command = Lines[I].substr(2);
      while (++I < Lines.size() && Lines[I] != "```")
        T.Output += Lines[I] + "\n";
      Entries[Current].Transcripts.push_back(T);
    }
  }
  return Entries;
}

/// Runs a transcript's command in a directory holding the entry's files.
std::string run(const Entry &E, const std::string &Command) {
  fs::path Dir = fs::temp_directory_path() /
                 ("peapod-catalogue-" + std::to_string(::getpid()));
  fs::remove_all(Dir);
  fs::create_directories(Dir);
  // A block named `NAME/` stands for a directory of that name.
  for (const auto &[Name, Text] : E.Files)
    if (llvm::StringRef(Name).endswith("/"))
      fs::create_directories(Dir / Name);
    else
      std::ofstream(Dir / Name) << Text;
  llvm::SmallVector<llvm::StringRef, 8> Words;
  llvm::StringRef(Command).split(Words, ' ', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Args(Words.begin() + 1, Words.end()); // no "peapodc"
  fs::path Here = fs::current_path();
  fs::current_path(Dir);
  ::setenv("PEAPOD_STDRULES", SourceStdRules, 1);
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  peapod::driver::runPeapodc(Args, OS, OS);
  OS.flush();
  fs::current_path(Here);
  fs::remove_all(Dir);
  for (size_t At; (At = Text.find(SourceStdRules)) != std::string::npos;)
    Text.replace(At, std::strlen(SourceStdRules), ShownStdRules);
  return Text;
}

} // namespace

TEST_CASE("every diagnostic ID is documented with its name", "[docs]") {
  auto Entries = readCatalogue(readLines());
  REQUIRE(Entries.size() == peapod::allDiagInfos().size());
  for (const peapod::DiagInfo &Info : peapod::allDiagInfos()) {
    INFO(Info.Code);
    REQUIRE(Entries.count(Info.Code));
    CHECK(Entries[Info.Code].Name == Info.Name);
  }
}

TEST_CASE("every documented example shows its diagnostic, as the tool prints "
          "it",
          "[docs]") {
  std::vector<std::string> Lines = readLines();
  bool Update = std::getenv("PEAPOD_UPDATE_DOCS") != nullptr;
  // Notes are shown with the diagnostics that carry them; E103 needs a NUL
  // byte and E104 a path of 4 KB, which a doc cannot show well
  // (tests/compiler covers them).
  const std::set<std::string> NoExample = {"E103", "E104", "N001", "N002",
                                           "N003"};
  std::map<size_t, std::string> Rewrites; ///< first line -> new output
  std::string All;
  for (const auto &[Code, E] : readCatalogue(Lines)) {
    INFO(Code);
    if (E.Transcripts.empty()) {
      CHECK(NoExample.count(Code));
      continue;
    }
    std::string Shown;
    for (const Transcript &T : E.Transcripts) {
      std::string Got = run(E, T.Command);
      Shown += Got;
      if (Update)
        Rewrites[T.FirstLine] = Got;
      else
        CHECK(Got == T.Output);
    }
    CHECK(Shown.find("[" + Code + "]") != std::string::npos);
    All += Shown;
  }
  for (const char *Note : {"note: did you mean 'procmail'?",
                           "note: previous definition is here",
                           "note: searched: "})
    CHECK(All.find(Note) != std::string::npos);
  if (!Update)
    return;
  std::ofstream Out(DocPath);
  for (size_t I = 0; I < Lines.size(); ++I) {
    Out << Lines[I] << "\n";
    if (!Rewrites.count(I))
      continue;
    Out << Rewrites[I];
    while (I + 1 < Lines.size() && Lines[I + 1] != "```")
      ++I;
  }
}
