//===- DiagnosticsTest.cpp - Positions, rendering and engine options ------===//
#include "TestUtil.h"
#include "peapod/DiagnosticRender.h"
#include "peapod/FixIts.h"
#include "peapod/SourcePositions.h"
#include "peapod/TextEscape.h"
#include "llvm/Support/SourceMgr.h"
#include <catch2/catch.hpp>

using namespace peapod;

TEST_CASE("lines end at LF, CRLF and a lone CR", "[positions]") {
  LineTable T("a\nbb\r\nccc\rdddd");
  REQUIRE(T.lineCount() == 4);
  CHECK(T.lineText(1) == "a");
  CHECK(T.lineText(2) == "bb");
  CHECK(T.lineText(3) == "ccc");
  CHECK(T.lineText(4) == "dddd");
  CHECK(T.position(0) == LineColumn{1, 1, 1});
  CHECK(T.position(3) == LineColumn{2, 2, 2});
  CHECK(T.position(7) == LineColumn{3, 2, 2}); // 'c' after CRLF
  CHECK(T.position(11) == LineColumn{4, 2, 2}); // 'd' after a lone CR
  CHECK(T.position(14) == LineColumn{4, 5, 5}); // the buffer's end
  LineTable Empty("");
  CHECK(Empty.lineCount() == 1);
  CHECK(Empty.position(0) == LineColumn{1, 1, 1});
  LineTable Trailing("x\n");
  CHECK(Trailing.lineCount() == 2);
  CHECK(Trailing.position(2) == LineColumn{2, 1, 1});
}

TEST_CASE("UTF-16 columns count code units, both ways", "[positions]") {
  // /été: 'é' is 2 bytes, 1 UTF-16 unit; U+1F600 is 4 bytes, 2 units; an
  // invalid byte counts as one unit (an editor shows U+FFFD).
  std::string Line = "path /\xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80 \xFF x";
  LineTable T(Line);
  size_t X = Line.rfind('x');
  LineColumn P = T.position(X);
  CHECK(P.Column == X + 1);
  CHECK(P.Utf16Column == 16);
  CHECK(T.offsetOfUtf16(1, 15) == X);
  CHECK(T.offsetOfUtf16(1, 6) == 6);     // before 'é'
  CHECK(T.offsetOfUtf16(1, 7) == 8);     // after it
  CHECK(T.offsetOfUtf16(1, 1000) == Line.size()); // clamped
  CHECK(T.offsetOfByteColumn(1, 8) == 8);
  CHECK(utf16Length("\xF0\x9F\x98\x80") == 2);
}

TEST_CASE("diagnostic positions come from the line table", "[positions]") {
  // CR-only line endings: every rule on its own line, not all on line 1.
  auto C = test::compile("pod p {\r  pea a {\r    path /x red\r  }\r}\r");
  std::vector<test::Diag> D = test::diags(*C);
  REQUIRE(D.size() == 1);
  CHECK(D[0].Line == 3);
  CHECK(D[0].Column == 13);
  CHECK(test::render(*C).find("    path /x red\n            ^~~") !=
        std::string::npos);
}

TEST_CASE("source lines are shown safely", "[render]") {
  SECTION("control characters and invalid bytes are escaped, the caret "
          "follows") {
    RenderedSource R = renderSourceLine("a\x1b[2Jb c", 7, 8, 120);
    CHECK(R.Text == "a\\x1b[2Jb c");
    CHECK(R.Caret == "          ^");
    R = renderSourceLine("\xFF" "x", 1, 2, 120);
    CHECK(R.Text == "\\xffx");
    CHECK(R.Caret == "    ^");
  }
  SECTION("valid UTF-8 keeps the caret under its character") {
    RenderedSource R = renderSourceLine("path /\xC3\xA9t\xC3\xA9 red", 12, 15, 120);
    CHECK(R.Text == "path /\xC3\xA9t\xC3\xA9 red");
    CHECK(R.Caret == "          ^~~");
  }
  SECTION("tabs expand to the next tab stop") {
    RenderedSource R = renderSourceLine("\tpath /x red", 9, 12, 120);
    CHECK(R.Text == "        path /x red");
    CHECK(R.Caret == "                ^~~");
  }
  SECTION("a long line is a window around the caret") {
    std::string Line = "path /" + std::string(1000, 'a') + " red";
    RenderedSource R = renderSourceLine(Line, Line.size() - 3, Line.size(), 80);
    CHECK(R.Text.size() <= 86);
    CHECK(R.Text.rfind("...", 0) == 0);
    CHECK(R.Text.substr(R.Text.size() - 4) == " red");
    CHECK(R.Caret.substr(R.Caret.size() - 3) == "^~~");
    CHECK(R.Caret.size() == R.Text.size());
    // Cut on both sides when the caret is in the middle.
    R = renderSourceLine(Line, 500, 501, 80);
    CHECK(R.Text.rfind("...", 0) == 0);
    CHECK(R.Text.substr(R.Text.size() - 3) == "...");
    CHECK(R.Text.size() <= 86);
  }
  SECTION("a caret at the end of the line") {
    RenderedSource R = renderSourceLine("abc", 3, 3, 120);
    CHECK(R.Caret == "   ^");
  }
}

TEST_CASE("messages quoting untrusted bytes are escaped in text and valid in "
          "JSON",
          "[render]") {
  auto C = test::compile("pod p { pea a { path \"/e\\\\\x1b]0;x\x07\xff\" bad } }");
  std::string Text = test::render(*C);
  CHECK(Text.find('\x1b') == std::string::npos);
  CHECK(Text.find('\x07') == std::string::npos);
  CHECK(Text.find("\\x1b]0;x\\x07\\xff") != std::string::npos);
  nlohmann::json J = diagnosticsToJSON(C->diags());
  CHECK_NOTHROW(J.dump());
}

TEST_CASE("a 100 KB one-line file does not flood the output", "[render]") {
  CompileOptions O;
  O.Diagnostics.ErrorLimit = 20;
  std::string Garbage;
  for (int I = 0; I < 20000; ++I)
    Garbage += "pod { ";
  auto C = test::compile(Garbage, "flood.pea", O);
  std::string Text = test::render(*C);
  CHECK(Text.size() < 20 * 3 * 200);
  CHECK(C->diags().limitReached());
}

TEST_CASE("options leave warnings out, or make them errors", "[engine]") {
  const std::string Source = "pod p { pea a { path /x read, read } }";
  {
    CompileOptions O;
    O.Diagnostics.ByName["duplicate-access"] = std::nullopt;
    auto C = test::compile(Source, "t.pea", O);
    CHECK(test::codes(*C).empty());
  }
  {
    CompileOptions O;
    O.Diagnostics.WarningsAsErrors = true;
    auto C = test::compile(Source, "t.pea", O);
    REQUIRE(test::codes(*C) == std::vector<std::string>{"W205"});
    CHECK(C->diags().diagnostics()[0].Sev == Severity::Error);
    CHECK(C->diags().hasErrors());
  }
  {
    // A fatal problem cannot be configured away.
    DiagnosticOptions O;
    O.ByName["cannot-read-file"] = std::nullopt;
    llvm::SourceMgr SM;
    DiagnosticEngine E(SM);
    E.setOptions(O);
    E.report(DiagID::CannotReadFile, {"x", "gone"});
    CHECK(E.hasFatal());
  }
}

TEST_CASE("fix-its are kept on diagnostics and notes, and rendered in JSON",
          "[engine]") {
  llvm::SourceMgr SM;
  SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy("abc def", "f.pea"),
                        llvm::SMLoc());
  const char *Start = SM.getMemoryBuffer(1)->getBufferStart();
  auto Loc = [&](int I) { return llvm::SMLoc::getFromPointer(Start + I); };
  DiagnosticEngine E(SM);
  E.report(DiagID::UnknownPea, {Loc(4), Loc(7)}, {"def", "p"})
      .fix({Loc(4), Loc(7)}, "deaf")
      .note(DiagID::NoteDidYouMean, {Loc(4), Loc(7)}, {"deaf"})
      .noteFix({Loc(4), Loc(7)}, "deaf");
  const Diagnostic &D = E.diagnostics().at(0);
  CHECK(D.Args == std::vector<std::string>{"def", "p"});
  CHECK(D.Message == "unknown pea 'def' in pod 'p'");
  REQUIRE(D.Fixes.size() == 1);
  CHECK(D.Fixes[0].Replacement == "deaf");
  REQUIRE(D.Notes.size() == 1);
  CHECK(D.Notes[0].Fixes.size() == 1);
  nlohmann::json J = diagnosticToJSON(E, D);
  CHECK(J["fixes"][0]["replacement"] == "deaf");
  CHECK(J["fixes"][0]["column"] == 5);
  CHECK(J["fixes"][0]["endColumn"] == 8);
}

namespace {
/// The main buffer after applying the fix-its of every diagnostic and note.
std::string fixed(const Compilation &C) {
  std::vector<FixIt> All;
  for (const Diagnostic &D : C.diags().diagnostics()) {
    All.insert(All.end(), D.Fixes.begin(), D.Fixes.end());
    for (const Diagnostic &N : D.Notes)
      All.insert(All.end(), N.Fixes.begin(), N.Fixes.end());
  }
  return applyFixIts(C.sourceMgr(), 1, All).Text;
}
} // namespace

TEST_CASE("compiler diagnostics carry their mechanical fixes", "[fixits]") {
  CHECK(fixed(*test::compile("pod p { pea a { path etc/x read } }")) ==
        "pod p { pea a { path /etc/x read } }");
  CHECK(fixed(*test::compile("pod p { pea a { path \"etc/x\" read } }")) ==
        "pod p { pea a { path \"/etc/x\" read } }");
  CHECK(fixed(*test::compile("pod p { pea a { path /x read, write ,read } }")) ==
        "pod p { pea a { path /x read, write } }");
  CHECK(fixed(*test::compile(
            "pod p { pea procmail { } pea a { transition /x procmal } }")) ==
        "pod p { pea procmail { } pea a { transition /x procmail } }");
}

TEST_CASE("fix-its apply in order; overlapping ones are left out",
          "[fixits]") {
  llvm::SourceMgr SM;
  SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy("0123456789", "f"),
                        llvm::SMLoc());
  const char *S = SM.getMemoryBuffer(1)->getBufferStart();
  auto R = [&](int A, int B) {
    return llvm::SMRange(llvm::SMLoc::getFromPointer(S + A),
                         llvm::SMLoc::getFromPointer(S + B));
  };
  AppliedFixes A = applyFixIts(
      SM, 1,
      {{R(8, 9), "X"}, {R(1, 3), "ab"}, {R(2, 4), "no"}, {R(5, 5), "+"},
       {R(5, 5), "-"}, {R(3, 3), "^"}});
  CHECK(A.Text == "0ab^34+-567X9");
  CHECK(A.Applied == 5);
  CHECK(A.Skipped == 1);
}
