//===- DiagnosticsTest.cpp - Text sync and publishDiagnostics -------------===//
#include "LspHarness.h"
#include <catch2/catch.hpp>

using namespace peapod::lsp;
using namespace peapod::lsp::test;

namespace {
const char *Policy = "pod p {\n"
                     "  pea q {\n"
                     "    transition /usr/bin/x nosuch\n"
                     "  }\n"
                     "}\n";

json only(const json &Params) {
  REQUIRE(Params["diagnostics"].size() == 1);
  return Params["diagnostics"][0];
}
} // namespace

TEST_CASE("an error is published with its ID, link, range and version",
          "[lsp][diagnostics]") {
  LspHarness H;
  H.initialize();
  std::string Uri = "file:///tmp/peapod-lsp-a.pea";
  H.open(Uri, Policy, 3);
  json P = H.diagnostics(Uri);
  CHECK(P["version"] == 3);
  json D = only(P);
  CHECK(D["code"] == "E301");
  CHECK(D["severity"] == 1);
  CHECK(D["source"] == "peapod");
  CHECK(D["message"] == "unknown pea 'nosuch' in pod 'p'");
  CHECK(D["range"] == json{{"start", pos(2, 26)}, {"end", pos(2, 32)}});
  std::string Href = D["codeDescription"]["href"];
  CHECK(Href.rfind("file://", 0) == 0);
  CHECK(Href.find("/docs/diagnostics.md#e301-unknown-pea") != std::string::npos);
}

TEST_CASE("incremental edits: columns in UTF-16 units by default, in bytes "
          "with utf-8", "[lsp][diagnostics]") {
  // A comment and a path with "é" (1 unit, 2 bytes) and "𝄞" (2 units,
  // 4 bytes) before the error on its line.
  std::string Text = "pod p {\n"
                     "  pea q {  # caf\xC3\xA9 \xF0\x9D\x84\x9E\n"
                     "    transition /usr/bin/\xC3\xA9\xF0\x9D\x84\x9E nosuch\n"
                     "  }\n"
                     "}\n";
  for (const char *Encoding : {"utf-16", "utf-8"}) {
    INFO(Encoding);
    bool Utf8 = std::string(Encoding) == "utf-8";
    LspHarness H;
    H.initialize(nullptr, {{"general", {{"positionEncodings", {Encoding}}}}});
    std::string Uri = "file:///tmp/peapod-lsp-%C3%A9.pea";
    H.open(Uri, Text);
    json D = only(H.diagnostics(Uri));
    unsigned Col = Utf8 ? 4 + 11 + 9 + 6 + 1 : 4 + 11 + 9 + 3 + 1;
    CHECK(D["range"]["start"] == pos(2, Col));
    // Replace "nosuch" with "q" by a ranged edit in the same units.
    H.change(Uri, 2, 2, Col, 2, Col + 6, "q");
    json P = H.diagnostics(Uri);
    CHECK(P["version"] == 2);
    json E = only(P); // now a self-transition warning, faded
    CHECK(E["code"] == "W309");
    CHECK(E["tags"] == json{1});
  }
}

TEST_CASE("notes become related information; close clears the diagnostics",
          "[lsp][diagnostics]") {
  LspHarness H;
  H.initialize();
  std::string Uri = "file:///tmp/peapod-lsp-dup.pea";
  H.open(Uri, "pod p {\n  pea q {\n  }\n  pea q {\n  }\n}\n");
  json D = only(H.diagnostics(Uri));
  CHECK(D["code"] == "E302");
  REQUIRE(D["relatedInformation"].size() == 1);
  CHECK(D["relatedInformation"][0]["location"]["uri"] == Uri);
  CHECK(D["relatedInformation"][0]["location"]["range"]["start"] == pos(1, 6));
  CHECK(D["relatedInformation"][0]["message"] == "previous definition is here");
  H.notify("textDocument/didClose", {{"textDocument", {{"uri", Uri}}}});
  CHECK(H.diagnostics(Uri)["diagnostics"].empty());
}

TEST_CASE("an open rule group stands in for the file on disk; its errors "
          "show on the include, with the chain", "[lsp][diagnostics]") {
  TempDir Dir;
  // Non-ASCII directory and file names, percent-encoded in URIs.
  Dir.write("r\xC3\xA9gles/grp.rules", "path /etc/hosts read\n");
  std::string PolicyText = "pod p {\n  pea q {\n    include \"grp\"\n  }\n}\n";
  Dir.write("m\xC3\xA4il.pea", PolicyText);
  LspHarness H;
  H.initialize({{"includeDirs", {Dir.Path + "/r\xC3\xA9gles"}}});
  std::string PolicyUri = Dir.uri("m\xC3\xA4il.pea");
  std::string GroupUri = Dir.uri("r\xC3\xA9gles/grp.rules");
  CHECK(PolicyUri.find("m%C3%A4il.pea") != std::string::npos);
  H.open(PolicyUri, PolicyText);
  CHECK(H.diagnostics(PolicyUri)["diagnostics"].empty());
  // The editor's unsaved group has an error; the disk's has none.
  H.open(GroupUri, "path /etc/hosts read\npath etc/x read\n");
  json G = only(H.diagnostics(GroupUri));
  CHECK(G["code"] == "E101");
  json D = only(H.diagnostics(PolicyUri));
  CHECK(D["code"] == "E101");
  CHECK(D["message"] == "in grp.rules: path 'etc/x' is not absolute");
  CHECK(D["range"] == json{{"start", pos(2, 4)}, {"end", pos(2, 17)}});
  REQUIRE(D["relatedInformation"].size() >= 1);
  CHECK(D["relatedInformation"][0]["location"]["uri"] == GroupUri);
  CHECK(D["relatedInformation"][0]["location"]["range"]["start"] == pos(1, 5));
  // Fixing the group in the editor fixes the policy.
  H.change(GroupUri, 2, 1, 5, 1, 5, "/");
  CHECK(H.diagnostics(GroupUri)["diagnostics"].empty());
  CHECK(H.diagnostics(PolicyUri)["diagnostics"].empty());
  // Closing the group: the disk's version again (no error).
  H.change(GroupUri, 3, 0, 0, 0, 0, "bogus ");
  H.diagnostics(GroupUri);
  H.diagnostics(PolicyUri);
  H.notify("textDocument/didClose", {{"textDocument", {{"uri", GroupUri}}}});
  CHECK(H.diagnostics(PolicyUri)["diagnostics"].empty());
}

TEST_CASE("an edit storm is debounced into few compiles, the last one of "
          "the final text", "[lsp][diagnostics]") {
  LspHarness H;
  H.initialize({{"diagnosticsDelay", 200}});
  std::string Uri = "file:///tmp/peapod-lsp-storm.pea";
  H.open(Uri, "pod p {\n  pea q {\n    path /a read\n  }\n}\n");
  H.diagnostics(Uri);
  // 300 edits sent at once: type "x" then delete it, then finally break it.
  for (int I = 0; I < 300; ++I)
    if (I % 2 == 0)
      H.change(Uri, 2 + I, 2, 11, 2, 11, "x");
    else
      H.change(Uri, 2 + I, 2, 11, 2, 12, "");
  H.change(Uri, 1000, 2, 9, 2, 10, "");
  // Every publish until the final version's: few, not one per edit.
  int Publishes = 1;
  json Last = H.diagnostics(Uri);
  for (; Last["version"] != 1000; ++Publishes)
    Last = H.diagnostics(Uri);
  CHECK(Publishes < 20);
  // "path /a read" lost its "/": the final text's error.
  REQUIRE(Last["diagnostics"].size() == 1);
  CHECK(Last["diagnostics"][0]["code"] == "E101");
  CHECK(H.shutdownAndExit() == 0);
}

namespace {
bool hasCode(const json &Params, const std::string &Code) {
  for (const json &D : Params["diagnostics"])
    if (D.value("code", "") == Code)
      return true;
  return false;
}
} // namespace

TEST_CASE("the .peapod-lint.json above a document applies as in peapodc "
          "lint, and is read again when it changes; a bad one is reported",
          "[lsp][diagnostics][lint-config]") {
  TempDir Dir;
  std::string Text = "pod p {\n  pea q {\n    path /opt/x read, write, "
                     "execute\n  }\n}\n";
  std::string Uri = Dir.uri("sub/p.pea");
  Dir.write("sub/p.pea", Text);
  LspHarness H;
  H.initialize();
  H.open(Uri, Text);
  CHECK(hasCode(H.diagnostics(Uri), "A301"));

  Dir.write(".peapod-lint.json", R"({"checks": {"write-and-execute": "off"}})");
  H.change(Uri, 2, 4, 0, 4, 0, "");
  CHECK_FALSE(hasCode(H.diagnostics(Uri), "A301"));

  Dir.write(".peapod-lint.json", "{\"checks\": {\"no-such-check\": \"off\"}}");
  H.change(Uri, 3, 4, 0, 4, 0, "");
  auto Shown = H.waitFor([](const json &M) {
    return M.value("method", "") == "window/showMessage";
  });
  REQUIRE(Shown);
  std::string Msg = (*Shown)["params"]["message"];
  CHECK(Msg.find(".peapod-lint.json:1:") != std::string::npos);
  CHECK(Msg.find("no-such-check") != std::string::npos);
  // The defaults apply until the file is fixed.
  CHECK(hasCode(H.diagnostics(Uri), "A301"));
}

TEST_CASE("a `# peapod: ignore[ID] reason` comment hides the finding it "
          "suppresses, as the Suppress quick fix promises",
          "[lsp][diagnostics][suppressions]") {
  TempDir Dir;
  std::string Text = "pod p {\n  pea q {\n    path /opt/x read, write, "
                     "execute\n  }\n}\n";
  std::string Uri = Dir.uri("p.pea");
  LspHarness H;
  H.initialize();
  H.open(Uri, Text);
  json Before = H.diagnostics(Uri);
  REQUIRE(hasCode(Before, "A301"));
  json Actions = H.call(
      "textDocument/codeAction",
      {{"textDocument", {{"uri", Uri}}},
       {"range", {{"start", pos(2, 4)}, {"end", pos(2, 4)}}},
       {"context", {{"diagnostics", Before["diagnostics"]}}}});
  std::string Insert;
  for (const json &A : Actions)
    if (A.value("title", "") == "Suppress A301 here")
      Insert = A["edit"]["changes"][Uri][0]["newText"];
  REQUIRE(Insert == "    # peapod: ignore[A301] reason\n");
  H.change(Uri, 2, 2, 0, 2, 0, Insert);
  json After = H.diagnostics(Uri);
  CHECK_FALSE(hasCode(After, "A301"));
  CHECK_FALSE(hasCode(After, "A901"));
  // An ignore that matches nothing is itself a finding, as in lint.
  H.change(Uri, 3, 2, 21, 2, 25, "A302");
  json Unused = H.diagnostics(Uri);
  CHECK(hasCode(Unused, "A301"));
  CHECK(hasCode(Unused, "A901"));
}
