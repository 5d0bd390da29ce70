//===- RobustnessTest.cpp - Every request at every position ---------------===//
//
// Each example and shipped rule group, and texts users do write (empty,
// CR line endings, invalid UTF-8, unterminated strings, half-typed rules),
// asked every positional request at every position: each is answered
// (never an internal error), and the server keeps serving.
//
//===----------------------------------------------------------------------===//
#include "LspHarness.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <catch2/catch.hpp>

using namespace peapod::lsp;
using namespace peapod::lsp::test;

namespace {

std::vector<std::pair<std::string, std::string>> inputs() {
  std::vector<std::pair<std::string, std::string>> In;
  for (const char *Dir : {"examples", "examples/diagnostics"}) {
    std::error_code EC;
    std::string Root = std::string(PEAPOD_SOURCE_DIR) + "/" + Dir;
    for (llvm::sys::fs::directory_iterator It(Root, EC), End; It != End && !EC;
         It.increment(EC)) {
      llvm::StringRef Ext = llvm::sys::path::extension(It->path());
      if (Ext != ".pea" && Ext != ".rules")
        continue;
      auto B = llvm::MemoryBuffer::getFile(It->path());
      if (B)
        In.push_back({It->path(), (*B)->getBuffer().str()});
    }
  }
  std::sort(In.begin(), In.end());
  In.push_back({"/tmp/peapod-lsp-empty.pea", ""});
  In.push_back({"/tmp/peapod-lsp-cr.pea",
                "pod p {\r  pea q {\r    path /a read\r    transition /b r\r  }\r}\r"});
  In.push_back({"/tmp/peapod-lsp-bad.pea",
                "pod p\xc3\xa9 {\n  pea q {\n    path /\xc3\xa9 read, allow\n"
                "    include \"unterminated\n    transition\n    path\n"
                "    namespace\n  pea {\n}\n}}}\n"});
  In.push_back({"/tmp/peapod-lsp-half.rules",
                "path /a\ndir-default\ninclude \"\"\n# c\xe2\x80\x94\n"});
  return In;
}

} // namespace

TEST_CASE("every request at every position is answered without an "
          "internal error", "[lsp][robust]") {
  LspHarness H;
  H.initialize();
  const char *Positional[] = {
      "textDocument/hover",      "textDocument/definition",
      "textDocument/references", "textDocument/prepareRename",
      "textDocument/completion"};
  for (const auto &[Path, Text] : inputs()) {
    INFO(Path);
    std::string Uri = pathToUri(Path);
    H.open(Uri, Text);
    H.diagnostics(Uri);
    unsigned Lines = unsigned(std::count(Text.begin(), Text.end(), '\n') +
                              std::count(Text.begin(), Text.end(), '\r') + 1);
    std::vector<int64_t> Ids;
    for (unsigned L = 0; L <= Lines; ++L)
      for (unsigned C = 0; C <= 45; C += 3) {
        for (const char *M : Positional)
          Ids.push_back(H.request(M, docPos(Uri, L, C)));
        Ids.push_back(H.request(
            "textDocument/codeAction",
            {{"textDocument", {{"uri", Uri}}},
             {"range", {{"start", pos(L, C)}, {"end", pos(L + 1, C)}}},
             {"context", {{"diagnostics", json::array()}}}}));
        Ids.push_back(H.request("textDocument/rename",
                                {{"textDocument", {{"uri", Uri}}},
                                 {"position", pos(L, C)},
                                 {"newName", "renamed"}}));
      }
    json Whole = {{"textDocument", {{"uri", Uri}}},
                  {"range", {{"start", pos(0, 0)}, {"end", pos(Lines, 0)}}},
                  {"options", json::object()}};
    for (const char *M :
         {"textDocument/documentSymbol", "textDocument/foldingRange",
          "textDocument/semanticTokens/full", "textDocument/inlayHint",
          "textDocument/formatting", "textDocument/rangeFormatting"})
      Ids.push_back(H.request(M, Whole));
    for (int64_t Id : Ids) {
      json R = H.response(Id);
      if (R.contains("error")) {
        INFO(R.dump());
        // Refusing a rename is an answer; nothing else fails.
        CHECK(R["error"]["code"] == -32803);
      }
    }
    H.notify("textDocument/didClose", {{"textDocument", {{"uri", Uri}}}});
    H.diagnostics(Uri);
  }
  CHECK(H.shutdownAndExit() == 0);
}

TEST_CASE("bytes that are not UTF-8 in a rule group on disk reach the "
          "client as U+FFFD, never as a broken message", "[lsp][robust]") {
  TempDir Dir;
  Dir.write("bad.rules", "path /etc/\xff\xfe read\npath rel\xff read\n");
  std::string Text = "pod p {\n  pea q {\n    include \"bad\"\n  }\n}\n";
  Dir.write("p.pea", Text);
  LspHarness H;
  H.initialize();
  std::string Uri = Dir.uri("p.pea");
  H.open(Uri, Text);
  json D = H.diagnostics(Uri)["diagnostics"];
  REQUIRE(D.size() == 1);
  CHECK(D[0]["message"] == "in bad.rules: path 'rel\xEF\xBF\xBD' is not absolute");
  std::string Hover =
      H.call("textDocument/hover", docPos(Uri, 2, 6))["contents"]["value"];
  CHECK(Hover.find("/etc/\xEF\xBF\xBD\xEF\xBF\xBD") != std::string::npos);
}
