//===- TransportTest.cpp - Malformed input never crashes or stalls --------===//
#include "LspHarness.h"
#include <catch2/catch.hpp>

using namespace peapod::lsp;
using namespace peapod::lsp::test;

namespace {
/// The next error response (with any id).
json nextError(LspHarness &H) {
  std::optional<json> M =
      H.waitFor([](const json &M) { return M.contains("error"); });
  REQUIRE(M);
  return *M;
}

/// The server still answers: a request after the bad input gets its reply.
void stillServes(LspHarness &H) {
  json R = H.response(H.request("no/such-method", json::object()));
  CHECK(R["error"]["code"] == -32601);
}
} // namespace

TEST_CASE("bad headers get a parse error and reading resumes at the next "
          "message", "[lsp][transport]") {
  LspHarness H;
  H.initialize();
  const char *Bad[] = {
      "Content-Length: twelve\r\n\r\n{\"a\": 1}",
      "Content-Type: application/json\r\n\r\n{}",
      "no colon here\r\n\r\n{}",
      "Content-Length: 99999999999999\r\n\r\n",
  };
  for (const char *B : Bad) {
    INFO(B);
    H.sendRaw(B);
    json E = nextError(H);
    CHECK(E["error"]["code"] == -32700);
    CHECK(E["id"].is_null());
    stillServes(H);
  }
  // A header line of a megabyte.
  H.sendRaw("X-Junk: " + std::string(1 << 20, 'x') + "\r\n\r\n");
  CHECK(nextError(H)["error"]["code"] == -32700);
  stillServes(H);
}

TEST_CASE("a body that is not JSON, or not a request, gets the JSON-RPC "
          "error", "[lsp][transport]") {
  LspHarness H;
  H.initialize();
  auto Framed = [](const std::string &Body) {
    return "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" +
           Body;
  };
  H.sendRaw(Framed("{not json"));
  CHECK(nextError(H)["error"]["code"] == -32700);
  H.sendRaw(Framed("[1, 2]"));
  CHECK(nextError(H)["error"]["code"] == -32600);
  H.sendRaw(Framed("42"));
  CHECK(nextError(H)["error"]["code"] == -32600);
  H.send({{"jsonrpc", "2.0"}, {"id", 7}});
  json E = nextError(H);
  CHECK(E["error"]["code"] == -32600);
  CHECK(E["id"] == 7);
  H.send({{"jsonrpc", "1.0"}, {"id", 8}, {"method", "shutdown"}});
  CHECK(nextError(H)["error"]["code"] == -32600);
  H.send({{"jsonrpc", "2.0"}, {"id", 9}, {"method", 12}});
  CHECK(nextError(H)["error"]["code"] == -32600);
  H.send({{"jsonrpc", "2.0"}, {"id", {{"an", "object"}}}, {"method", "x"}});
  CHECK(nextError(H)["error"]["code"] == -32600);
  H.send({{"jsonrpc", "2.0"}, {"id", 10}, {"method", "textDocument/hover"},
          {"params", "a string"}});
  CHECK(nextError(H)["error"]["code"] == -32602);
  // A response from the client to nothing is ignored.
  H.send({{"jsonrpc", "2.0"}, {"id", 11}, {"result", nullptr}});
  stillServes(H);
  // JSON text must be UTF-8: a message that is not is a parse error.
  H.sendRaw(Framed("{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"x\xff\"}"));
  CHECK(nextError(H)["error"]["code"] == -32700);
  stillServes(H);
}

TEST_CASE("wrong parameter types and unknown documents are InvalidParams",
          "[lsp][transport]") {
  LspHarness H;
  H.initialize();
  std::string Uri = "file:///tmp/peapod-lsp-none.pea";
  json R = H.response(H.request(
      "textDocument/formatting",
      {{"textDocument", {{"uri", Uri}}}, {"options", json::object()}}));
  CHECK(R["error"]["code"] == -32602);
  // Notifications with bad params are logged, never answered.
  H.notify("textDocument/didChange", {{"textDocument", {{"uri", Uri}}},
                                      {"contentChanges", json::array()}});
  H.notify("textDocument/didOpen", {{"textDocument", 5}});
  H.notify("textDocument/didOpen",
           {{"textDocument", {{"uri", "untitled:1"}, {"text", ""}}}});
  auto Log = H.waitFor([](const json &M) {
    return M.value("method", "") == "window/logMessage";
  });
  CHECK(Log);
  H.open(Uri, "pod p {\n}\n");
  H.diagnostics(Uri);
  json Negative = {{"range", {{"start", {{"line", -1}, {"character", 0}}},
                              {"end", pos(0, 0)}}},
                   {"text", "x"}};
  H.notify("textDocument/didChange",
           {{"textDocument", {{"uri", Uri}, {"version", 2}}},
            {"contentChanges", json::array({Negative})}});
  stillServes(H);
  CHECK(H.shutdownAndExit() == 0);
}

TEST_CASE("the input ending mid-message ends the server without a hang",
          "[lsp][transport]") {
  LspHarness H;
  H.initialize();
  H.sendRaw("Content-Length: 100\r\n\r\n{\"jsonrpc\"");
  CHECK(H.closeInput() == 1);
}
