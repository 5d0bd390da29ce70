//===- EditingTest.cpp - Inlay hints, completion, tokens, quick fixes -----===//
#include "LspHarness.h"
#include <catch2/catch.hpp>

using namespace peapod::lsp;
using namespace peapod::lsp::test;

namespace {

struct Doc {
  LspHarness H;
  std::string Uri;
  Doc(const std::string &Text, json Init = nullptr,
      std::string U = "file:///tmp/peapod-lsp-edit.pea")
      : Uri(std::move(U)) {
    H.initialize(std::move(Init));
    H.open(Uri, Text);
    H.diagnostics(Uri);
  }
  json at(const char *Method, unsigned Line, unsigned Col) {
    return H.call(Method, docPos(Uri, Line, Col));
  }
  std::vector<std::string> labels(unsigned Line, unsigned Col) {
    std::vector<std::string> L;
    for (const json &I : at("textDocument/completion", Line, Col))
      L.push_back(I["label"]);
    return L;
  }
  json actions(unsigned Line, unsigned Col) {
    return H.call("textDocument/codeAction",
                  {{"textDocument", {{"uri", Uri}}},
                   {"range", {{"start", pos(Line, Col)}, {"end", pos(Line, Col)}}},
                   {"context", {{"diagnostics", json::array()}}}});
  }
};

bool contains(const std::vector<std::string> &V, const std::string &S) {
  return std::find(V.begin(), V.end(), S) != V.end();
}

json titled(const json &Actions, const std::string &Title) {
  for (const json &A : Actions)
    if (A["title"] == Title)
      return A;
  FAIL("no action '" << Title << "' in " << Actions.dump());
  return nullptr;
}

} // namespace

TEST_CASE("inlay hints: the access the pea ends up with after each file "
          "rule", "[lsp][inlay]") {
  Doc D("pod p {\n"
        "  pea q {\n"
        "    path /a read\n"         // 2: merged with line 3
        "    path /a write\n"        // 3
        "    dir-default /d read\n"  // 4
        "    path /d/x execute\n"    // 5
        "    outgoing allow\n"       // 6: no hint
        "  }\n"
        "}\n");
  json Hints = D.H.call("textDocument/inlayHint",
                        {{"textDocument", {{"uri", D.Uri}}},
                         {"range", {{"start", pos(0, 0)}, {"end", pos(9, 0)}}}});
  REQUIRE(Hints.size() == 4);
  CHECK(Hints[0]["position"] == pos(2, 16));
  CHECK(Hints[0]["label"] == "→ rw-");
  CHECK(Hints[1]["label"] == "→ rw-");
  CHECK(Hints[2]["position"] == pos(4, 23));
  CHECK(Hints[2]["label"] == "→ r--");
  CHECK(Hints[3]["label"] == "→ --x");
  std::string Tip = Hints[0]["tooltip"];
  CHECK(Tip.find("decided by `path /a`") != std::string::npos);
  // Only the hints in the range asked for.
  Hints = D.H.call("textDocument/inlayHint",
                   {{"textDocument", {{"uri", D.Uri}}},
                    {"range", {{"start", pos(4, 0)}, {"end", pos(4, 30)}}}});
  CHECK(Hints.size() == 1);
}

TEST_CASE("completion: keywords by place, access values, pea names",
          "[lsp][completion]") {
  Doc D("\n"                              // 0
        "pod p {\n"                       // 1
        "  \n"                            // 2
        "  pea q {\n"                     // 3
        "    \n"                          // 4
        "    path /etc/x \n"              // 5
        "    transition /bin/y \n"        // 6
        "    namespace \n"                // 7
        "    outgoing \n"                 // 8
        "    path /a read, \n"            // 9
        "  }\n"
        "  pea other {\n"
        "  }\n"
        "}\n");
  CHECK(D.labels(0, 0) == std::vector<std::string>{"pod"});
  CHECK(D.labels(2, 2) == std::vector<std::string>{"pea"});
  auto Rule = D.labels(4, 4);
  CHECK(contains(Rule, "path"));
  CHECK(contains(Rule, "dir-default"));
  CHECK(contains(Rule, "include"));
  CHECK(!contains(Rule, "pod"));
  auto Access = D.labels(5, 17);
  CHECK(Access == std::vector<std::string>{"read", "write", "execute", "allow", "deny"});
  CHECK(contains(D.labels(9, 19), "write"));
  CHECK(D.labels(6, 22) == std::vector<std::string>{"q", "other"});
  CHECK(D.labels(7, 14) == std::vector<std::string>{"q", "other", "global"});
  CHECK(contains(D.labels(8, 13), "allow"));
  // Typing a keyword: still keywords.
  D.H.change(D.Uri, 2, 4, 4, 4, 4, "pa");
  CHECK(contains(D.labels(4, 6), "path"));
}

TEST_CASE("completion: rule groups in include \"...\" and the machine's "
          "paths under a typed prefix", "[lsp][completion]") {
  TempDir Dir;
  Dir.write("groups/mine.rules", "path /x read\n");
  Dir.write("tree/alpha/file", "");
  Dir.write("tree/alps", "");
  Dir.write("tree/beta", "");
  std::string Text = "pod p {\n  pea q {\n    include \"\n    path " +
                     Dir.Path + "/tree/al\n  }\n}\n";
  Doc D(Text, {{"includeDirs", {Dir.Path + "/groups"}}});
  auto Groups = D.labels(2, 13);
  CHECK(contains(Groups, "mine"));
  CHECK(contains(Groups, "stdlibs")); // from the stdrules directory
  unsigned Col = unsigned(9 + Dir.Path.size() + 8);
  json Items = D.at("textDocument/completion", 3, Col);
  REQUIRE(Items.size() == 2);
  CHECK(Items[0]["label"] == Dir.Path + "/tree/alpha");
  CHECK(Items[0]["kind"] == 19); // a folder
  CHECK(Items[1]["label"] == Dir.Path + "/tree/alps");
  CHECK(Items[0]["textEdit"]["range"]["start"] == pos(3, 9));
  CHECK(Items[0]["textEdit"]["range"]["end"] == pos(3, Col));
  // Nothing in a comment.
  D.H.change(D.Uri, 2, 1, 0, 1, 0, "# pa\n");
  CHECK(D.labels(1, 4).empty());
}

TEST_CASE("semantic tokens: keywords, names, paths and values, in UTF-16 "
          "columns", "[lsp][tokens]") {
  Doc D("pod p {  # \xC3\xA9\n  pea q {\n    path /\xF0\x9D\x84\x9E read\n"
        "    transition /t q\n  }\n}\n");
  json Data = D.H.call("textDocument/semanticTokens/full",
                       {{"textDocument", {{"uri", D.Uri}}}})["data"];
  // Decoded into (line, column, length, type).
  std::vector<std::array<unsigned, 4>> T;
  unsigned Line = 0, Col = 0;
  for (size_t I = 0; I + 4 < Data.size() + 1; I += 5) {
    unsigned DL = Data[I], DC = Data[I + 1];
    Col = DL ? DC : Col + DC;
    Line += DL;
    T.push_back({Line, Col, Data[I + 2].get<unsigned>(), Data[I + 3].get<unsigned>()});
  }
  std::vector<std::array<unsigned, 4>> Expected = {
      {0, 0, 3, 0}, {0, 4, 1, 4}, {0, 9, 3, 5}, // pod p # é
      {1, 2, 3, 0}, {1, 6, 1, 3},               // pea q
      {2, 4, 4, 0}, {2, 9, 3, 1}, {2, 13, 4, 2}, // path /𝄞 read
      {3, 4, 10, 0}, {3, 15, 2, 1}, {3, 18, 1, 3}};
  CHECK(T == Expected);
}

TEST_CASE("quick fixes: did-you-mean, fix-its, allow with others, the "
          "missing execute of a transition", "[lsp][codeaction]") {
  Doc D("pod p {\n"
        "  pea q {\n"
        "    transition /bin/x procmal\n"   // 2: did you mean procmail
        "    path etc/y read\n"             // 3: not absolute
        "    path /a allow, read\n"         // 4
        "  }\n"
        "  pea procmail {\n"
        "  }\n"
        "}\n");
  json A = titled(D.actions(2, 24), "Replace with procmail");
  CHECK(A["kind"] == "quickfix");
  json Edit = A["edit"]["changes"][D.Uri][0];
  CHECK(Edit["newText"] == "procmail");
  CHECK(Edit["range"]["start"] == pos(2, 22));
  // The transition's trigger is not executable either.
  A = titled(D.actions(2, 6), "Add `path /bin/x read, execute` so the transition can happen");
  Edit = A["edit"]["changes"][D.Uri][0];
  CHECK(Edit["range"]["start"] == pos(2, 0));
  CHECK(Edit["newText"] == "    path /bin/x read, execute\n");
  A = titled(D.actions(3, 10), "Fix: path 'etc/y' is not absolute");
  CHECK(A["edit"]["changes"][D.Uri][0]["newText"] == "/");
  A = titled(D.actions(4, 12), "Keep only 'allow'");
  Edit = A["edit"]["changes"][D.Uri][0];
  CHECK(Edit["range"] == json{{"start", pos(4, 12)}, {"end", pos(4, 23)}});
  CHECK(Edit["newText"] == "allow");
  A = titled(D.actions(4, 12), "Keep only 'read'");
  CHECK(A["edit"]["changes"][D.Uri][0]["newText"] == "read");
  CHECK(D.actions(6, 4).empty());
}

TEST_CASE("the added execute rule quotes a path a bare word cannot hold",
          "[lsp][codeaction]") {
  Doc D("pod p {\n  pea q {\n    transition \"/opt/my app/run\" q2\n  }\n"
        "  pea q2 {\n  }\n}\n");
  json A = titled(D.actions(2, 6), "Add `path \"/opt/my app/run\" read, "
                                   "execute` so the transition can happen");
  CHECK(A["edit"]["changes"][D.Uri][0]["newText"] ==
        "    path \"/opt/my app/run\" read, execute\n");
}

TEST_CASE("configuration: initializationOptions and didChangeConfiguration "
          "set include dirs and stdrules; bad settings are reported",
          "[lsp][configuration]") {
  TempDir Dir;
  Dir.write("one/g.rules", "path /x read\n");
  Dir.write("std/stdlibs.rules", "path /only-here read\n");
  std::string Text = "pod p {\n  pea q {\n    include \"g\"\n"
                     "    include \"stdlibs\"\n  }\n}\n";
  Doc D(Text, {{"stdrulesDir", Dir.Path + "/std"}});
  D.H.drain();
  D.H.change(D.Uri, 2, 0, 0, 0, 0, "");
  json P = D.H.diagnostics(D.Uri);
  REQUIRE(P["diagnostics"].size() == 1);
  CHECK(P["diagnostics"][0]["code"] == "E401");
  D.H.notify("workspace/didChangeConfiguration",
             {{"settings", {{"includeDirs", {Dir.Path + "/one"}},
                            {"stdrulesDir", Dir.Path + "/std"},
                            {"lintConfig", nullptr}}}});
  CHECK(D.H.diagnostics(D.Uri)["diagnostics"].empty());
  std::string Hover = D.H.call("textDocument/hover", docPos(D.Uri, 3, 6))
                          ["contents"]["value"];
  CHECK(Hover.find("/only-here") != std::string::npos);
  D.H.notify("workspace/didChangeConfiguration",
             {{"settings", {{"includeDirs", "not a list"},
                            {"lintConfig", Dir.Path + "/missing.json"}}}});
  auto Shown = D.H.waitFor([](const json &M) {
    return M.value("method", "") == "window/showMessage";
  });
  REQUIRE(Shown);
  std::string Msg = (*Shown)["params"]["message"];
  CHECK(Msg.find("includeDirs must be a list of strings") != std::string::npos);
}
