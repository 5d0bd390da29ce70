//===- FeaturesTest.cpp - Hover, navigation, rename, outline, formatting --===//
#include "LspHarness.h"
#include <catch2/catch.hpp>

using namespace peapod::lsp;
using namespace peapod::lsp::test;

namespace {

// Line numbers (0-based) are given in the comments.
const char *Mail = "pod mail {\n"                               // 0
                   "  pea sendmail {\n"                         // 1
                   "    include \"base\"\n"                     // 2
                   "    dir-default /etc read\n"                // 3
                   "    path /etc/shadow read\n"                // 4
                   "    path /usr/bin/procmail read, execute\n" // 5
                   "    transition /usr/bin/procmail procmail\n" // 6
                   "    transition /usr/bin/nope helper\n"      // 7
                   "    bind tcp/25\n"                          // 8
                   "  }\n"                                      // 9
                   "  pea procmail {\n"                         // 10
                   "    dir-default / allow\n"                  // 11
                   "    namespace sendmail\n"                   // 12
                   "  }\n"                                      // 13
                   "  # two lines\n"                            // 14
                   "  # of comment\n"                           // 15
                   "  pea helper {\n"                           // 16
                   "  }\n"                                      // 17
                   "}\n";                                       // 18
// The group's deny of /etc/shadow is a path rule on the same path as line
// 4's: the two are merged into one answer (semantics 6).
const char *Base = "path /etc/hosts read\n"
                   "path /etc/shadow deny\n";

struct Fixture {
  TempDir Dir;
  LspHarness H;
  std::string Uri, GroupUri;
  Fixture() {
    Dir.write("base.rules", Base);
    Dir.write("mail.pea", Mail);
    Uri = Dir.uri("mail.pea");
    GroupUri = Dir.uri("base.rules");
    H.initialize();
    H.open(Uri, Mail);
    H.diagnostics(Uri);
  }
  json at(const char *Method, unsigned Line, unsigned Col, json Extra = {}) {
    json P = docPos(Uri, Line, Col);
    if (Extra.is_object())
      P.update(Extra);
    return H.call(Method, P);
  }
  std::string hoverText(unsigned Line, unsigned Col) {
    json R = at("textDocument/hover", Line, Col);
    INFO("hover at " << Line << ":" << Col << " = " << R.dump());
    REQUIRE(R.is_object());
    CHECK(R["contents"]["kind"] == "markdown");
    return R["contents"]["value"];
  }
};

bool has(const std::string &S, const std::string &Part) {
  return S.find(Part) != std::string::npos;
}

} // namespace

TEST_CASE("hover on a file rule: the effective access and what decides it",
          "[lsp][hover]") {
  Fixture F;
  std::string T = F.hoverText(3, 6); // dir-default /etc read
  INFO(T);
  CHECK(has(T, "Files below it: **r--**"));
  CHECK(has(T, "`dir-default /etc` (mail.pea:4)"));
  // path /etc/shadow read, but the included group's deny on the same path
  // is merged into the answer.
  T = F.hoverText(4, 10);
  INFO(T);
  CHECK(has(T, "written `r--`"));
  CHECK(has(T, "merged with 1 other rule"));
}

TEST_CASE("hover on a transition says whether the trigger is executable",
          "[lsp][hover]") {
  Fixture F;
  std::string T = F.hoverText(6, 8);
  CHECK(has(T, "The trigger is executable (`r-x`"));
  CHECK(has(T, "into pea `procmail`"));
  T = F.hoverText(7, 8);
  CHECK(has(T, "**The trigger is not executable**"));
  CHECK(has(T, "add `path /usr/bin/nope read, execute`"));
}

TEST_CASE("hover on a pea name summarises it; on an include, its file",
          "[lsp][hover]") {
  Fixture F;
  std::string T = F.hoverText(10, 8); // pea procmail
  INFO(T);
  CHECK(has(T, "**pea** `procmail` in pod `mail`"));
  CHECK(has(T, "transition in: from `sendmail` on `/usr/bin/procmail`"));
  CHECK(has(T, "namespace: `sendmail`"));
  T = F.hoverText(6, 35); // the target of the transition
  CHECK(has(T, "**pea** `procmail`"));
  T = F.hoverText(2, 6);
  INFO(T);
  CHECK(has(T, "Resolves to " + F.GroupUri));
  CHECK(has(T, "Grants 2 file rules"));
  CHECK(has(T, "`path /etc/shadow deny`"));
  // Nothing to say between rules.
  CHECK(F.at("textDocument/hover", 9, 1).is_null());
  CHECK(F.at("textDocument/hover", 500, 0).is_null());
}

TEST_CASE("definition and references of peas; definition of an include",
          "[lsp][navigation]") {
  Fixture F;
  json D = F.at("textDocument/definition", 6, 35);
  CHECK(D["uri"] == F.Uri);
  CHECK(D["range"]["start"] == pos(10, 6));
  D = F.at("textDocument/definition", 12, 16); // namespace sendmail
  CHECK(D["range"]["start"] == pos(1, 6));
  D = F.at("textDocument/definition", 2, 14);
  CHECK(D["uri"] == F.GroupUri);
  CHECK(F.at("textDocument/definition", 4, 10).is_null());
  json R = F.at("textDocument/references", 10, 8,
                {{"context", {{"includeDeclaration", true}}}});
  REQUIRE(R.size() == 2);
  CHECK(R[0]["range"]["start"] == pos(6, 33));
  CHECK(R[1]["range"]["start"] == pos(10, 6));
  R = F.at("textDocument/references", 6, 35,
           {{"context", {{"includeDeclaration", false}}}});
  CHECK(R.size() == 1);
}

TEST_CASE("rename a pea everywhere; refuse a name that exists or is bad",
          "[lsp][rename]") {
  Fixture F;
  json P = F.at("textDocument/prepareRename", 6, 35);
  CHECK(P["placeholder"] == "procmail");
  CHECK(P["range"] == json{{"start", pos(6, 33)}, {"end", pos(6, 41)}});
  CHECK(F.at("textDocument/prepareRename", 4, 10).is_null());
  json E = F.at("textDocument/rename", 10, 8, {{"newName", "deliver"}});
  json Edits = E["changes"][F.Uri];
  REQUIRE(Edits.size() == 2);
  for (const json &Edit : Edits)
    CHECK(Edit["newText"] == "deliver");
  json R = F.H.response(F.H.request(
      "textDocument/rename", {{"textDocument", {{"uri", F.Uri}}},
                              {"position", pos(10, 8)},
                              {"newName", "helper"}}));
  CHECK(R["error"]["code"] == -32803);
  CHECK(has(R["error"]["message"], "already has a pea 'helper'"));
  for (const char *Bad : {"global", "9lives", "a b", ""}) {
    R = F.H.response(F.H.request("textDocument/rename",
                                 {{"textDocument", {{"uri", F.Uri}}},
                                  {"position", pos(10, 8)},
                                  {"newName", Bad}}));
    CHECK(R["error"]["code"] == -32602);
  }
}

TEST_CASE("document symbols outline pods and peas; folding ranges",
          "[lsp][symbols]") {
  Fixture F;
  json S = F.H.call("textDocument/documentSymbol",
                    {{"textDocument", {{"uri", F.Uri}}}});
  REQUIRE(S.size() == 1);
  CHECK(S[0]["name"] == "mail");
  REQUIRE(S[0]["children"].size() == 3);
  CHECK(S[0]["children"][0]["name"] == "sendmail");
  CHECK(S[0]["children"][0]["range"]["start"] == pos(1, 2));
  CHECK(S[0]["children"][0]["range"]["end"] == pos(9, 3));
  CHECK(S[0]["children"][0]["selectionRange"]["start"] == pos(1, 6));
  json Folds = F.H.call("textDocument/foldingRange",
                        {{"textDocument", {{"uri", F.Uri}}}});
  auto Has = [&](unsigned A, unsigned B) {
    for (const json &R : Folds)
      if (R["startLine"] == A && R["endLine"] == B)
        return true;
    return false;
  };
  CHECK(Has(0, 18));
  CHECK(Has(1, 9));
  CHECK(Has(10, 13));
  CHECK(Has(14, 15));
  CHECK(Has(16, 17));
}

TEST_CASE("formatting and rangeFormatting use the formatter; a syntax "
          "error leaves the text alone", "[lsp][formatting]") {
  LspHarness H;
  H.initialize();
  std::string Uri = "file:///tmp/peapod-lsp-fmt.pea";
  std::string Text = "pod p {\npea q {\n path /a read\n      path /bb write,read\n}\n}\n";
  H.open(Uri, Text);
  H.diagnostics(Uri);
  json Edits = H.call("textDocument/formatting",
                      {{"textDocument", {{"uri", Uri}}},
                       {"options", {{"tabSize", 2}, {"insertSpaces", true}}}});
  REQUIRE(!Edits.empty());
  // Applying the edits (last first) gives the canonical text.
  std::string Out = Text;
  std::vector<json> Es(Edits.begin(), Edits.end());
  auto Offset = [&](const json &P) {
    size_t O = 0;
    for (int L = 0; L < P["line"].get<int>(); ++L)
      O = Out.find('\n', O) + 1;
    return O + P["character"].get<size_t>();
  };
  for (auto It = Es.rbegin(); It != Es.rend(); ++It) {
    size_t B = Offset((*It)["range"]["start"]), E = Offset((*It)["range"]["end"]);
    Out.replace(B, E - B, (*It)["newText"].get<std::string>());
  }
  CHECK(Out == "pod p {\n  pea q {\n    path /a  read\n    path /bb read, write\n  }\n}\n");
  // Only the range's lines change.
  json R = H.call("textDocument/rangeFormatting",
                  {{"textDocument", {{"uri", Uri}}},
                   {"range", {{"start", pos(3, 0)}, {"end", pos(3, 5)}}},
                   {"options", json::object()}});
  REQUIRE(R.size() == 1);
  CHECK(R[0]["range"]["start"]["line"] == 3);
  H.change(Uri, 2, 0, 0, 0, 0, "pod {{ ");
  H.diagnostics(Uri);
  CHECK(H.call("textDocument/formatting", {{"textDocument", {{"uri", Uri}}},
                                           {"options", json::object()}})
            .empty());
}
