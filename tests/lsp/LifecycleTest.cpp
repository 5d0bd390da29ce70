//===- LifecycleTest.cpp - initialize, shutdown, exit, cancel -------------===//
#include "LspHarness.h"
#include <catch2/catch.hpp>

using namespace peapod::lsp;
using namespace peapod::lsp::test;

TEST_CASE("initialize advertises exactly the implemented features",
          "[lsp][lifecycle]") {
  LspHarness H;
  json Caps = H.initialize()["capabilities"];
  std::vector<std::string> Keys;
  for (auto It = Caps.begin(); It != Caps.end(); ++It)
    Keys.push_back(It.key());
  std::vector<std::string> Expected = {
      "codeActionProvider",
      "completionProvider",
      "definitionProvider",
      "documentFormattingProvider",
      "documentRangeFormattingProvider",
      "documentSymbolProvider",
      "foldingRangeProvider",
      "hoverProvider",
      "inlayHintProvider",
      "positionEncoding",
      "referencesProvider",
      "renameProvider",
      "semanticTokensProvider",
      "textDocumentSync",
  };



  CHECK(Keys == Expected);
  CHECK(Caps["textDocumentSync"]["change"] == 2);
  CHECK(Caps["renameProvider"]["prepareProvider"] == true);
  CHECK(Caps["positionEncoding"] == "utf-16");
  // Every advertised request answers something other than MethodNotFound.
  const char *Methods[] = {
      "textDocument/hover",          "textDocument/definition",
      "textDocument/references",     "textDocument/rename",
      "textDocument/prepareRename",  "textDocument/documentSymbol",
      "textDocument/foldingRange",   "textDocument/formatting",
      "textDocument/rangeFormatting", "textDocument/inlayHint",
      "textDocument/completion",     "textDocument/semanticTokens/full",
      "textDocument/codeAction"};
  for (const char *M : Methods) {
    INFO(M);
    json R = H.response(H.request(M, {{"textDocument", {{"uri", "file:///x.pea"}}}}));
    CHECK(R["error"]["code"] == -32602); // unknown document, not unknown method
  }
}

TEST_CASE("positionEncoding: the client's first choice the server speaks",
          "[lsp][lifecycle]") {
  auto Negotiated = [](json Offered) {
    LspHarness H;
    return H.initialize(nullptr,
                        {{"general", {{"positionEncodings", Offered}}}})
        ["capabilities"]["positionEncoding"];
  };
  CHECK(Negotiated({"utf-8", "utf-16"}) == "utf-8");
  CHECK(Negotiated({"utf-32", "utf-8"}) == "utf-8");
  CHECK(Negotiated({"utf-16", "utf-8"}) == "utf-16");
  CHECK(Negotiated({"utf-32"}) == "utf-16");
  CHECK(Negotiated("not a list") == "utf-16");
}

TEST_CASE("before initialize requests are refused; after shutdown too",
          "[lsp][lifecycle]") {
  LspHarness H;
  json R = H.response(H.request("textDocument/hover", json::object()));
  CHECK(R["error"]["code"] == -32002);
  H.initialize();
  R = H.response(H.request("initialize", {{"capabilities", json::object()}}));
  CHECK(R["error"]["code"] == -32600);
  R = H.response(H.request("textDocument/unheardOf", json::object()));
  CHECK(R["error"]["code"] == -32601);
  CHECK(H.call("shutdown", nullptr).is_null());
  R = H.response(H.request("textDocument/hover", json::object()));
  CHECK(R["error"]["code"] == -32600);
  H.notify("exit", nullptr);
  CHECK(H.closeInput() == 0);
}

TEST_CASE("exit without shutdown, or the input closing, is status 1",
          "[lsp][lifecycle]") {
  {
    LspHarness H;
    H.initialize();
    H.notify("exit", nullptr);
    CHECK(H.closeInput() == 1);
  }
  {
    LspHarness H;
    H.initialize();
    CHECK(H.closeInput() == 1);
  }
}

TEST_CASE("$/cancelRequest: a cancelled request is answered once, with "
          "RequestCancelled", "[lsp][lifecycle]") {
  LspHarness H;
  H.initialize();
  // Cancelled before it arrives: always cancelled.
  H.notify("$/cancelRequest", {{"id", 1000}});
  H.send({{"jsonrpc", "2.0"}, {"id", 1000}, {"method", "shutdown"}});
  json R = H.response(1000);
  CHECK(R["error"]["code"] == -32800);
  // Cancelled while queued behind work: answered exactly once, either way.
  std::string Big = "pod p {\n  pea q {\n";
  for (int I = 0; I < 5000; ++I)
    Big += "    path /srv/f" + std::to_string(I) + " read\n";
  Big += "  }\n}\n";
  H.open("file:///tmp/peapod-lsp-big.pea", Big);
  int64_t Id = H.request("textDocument/documentSymbol",
                         {{"textDocument",
                           {{"uri", "file:///tmp/peapod-lsp-big.pea"}}}});
  H.notify("$/cancelRequest", {{"id", Id}});
  json First = H.response(Id);
  CHECK((First.contains("result") || First["error"]["code"] == -32800));
  H.call("shutdown", nullptr);
  CHECK(!H.waitFor([&](const json &M) { return M.value("id", json()) == Id; },
                   std::chrono::milliseconds(200)));
  // Cancelling what already finished, or never existed, does nothing.
  H.notify("$/cancelRequest", {{"id", "no-such"}});
  H.notify("exit", nullptr);
  CHECK(H.closeInput() == 0);
}
