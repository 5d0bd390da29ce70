//===- LspHarness.cpp -----------------------------------------------------===//
#include "LspHarness.h"
#include "peapod/lsp/Server.h"
#include "peapod/lsp/Transport.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <unistd.h>

namespace peapod::lsp::test {

LspHarness::LspHarness() {
  std::signal(SIGPIPE, SIG_IGN);
  REQUIRE(pipe(ToServer) == 0);
  REQUIRE(pipe(FromServer) == 0);
  Server = std::thread([this] {
    Status = runLanguageServer(ToServer[0], FromServer[1]);
    // The server is gone: its output ends here.
    close(FromServer[1]);
  });
  Reader = std::thread([this] { readLoop(); });
}

LspHarness::~LspHarness() {
  join();
  close(ToServer[0]);
  close(FromServer[0]);
}

int LspHarness::join() {
  if (!InputClosed) {
    InputClosed = true;
    close(ToServer[1]);
  }
  if (Server.joinable())
    Server.join();
  if (Reader.joinable())
    Reader.join();
  Exited = true;
  return Status;
}

void LspHarness::readLoop() {
  MessageReader R(FromServer[0]);
  for (;;) {
    MessageReader::Frame F = R.next();
    if (F.K != MessageReader::Frame::Message)
      break;
    json M = json::parse(F.Body, nullptr, false);
    std::lock_guard<std::mutex> G(Lock);
    Received.push_back(M.is_discarded() ? json{{"unparsable", F.Body}} : M);
    Arrived.notify_all();
  }
  std::lock_guard<std::mutex> G(Lock);
  ReaderDone = true;
  Arrived.notify_all();
}

void LspHarness::sendRaw(const std::string &Bytes) {
  size_t Done = 0;
  while (Done < Bytes.size()) {
    ssize_t N = write(ToServer[1], Bytes.data() + Done, Bytes.size() - Done);
    if (N <= 0)
      return; // the server stopped reading: the test's checks say why
    Done += size_t(N);
  }
}

void LspHarness::send(const json &Message) {
  std::string Body = Message.dump();
  sendRaw("Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" +
          Body);
}

int64_t LspHarness::request(const std::string &Method, json Params) {
  int64_t Id = NextId++;
  send({{"jsonrpc", "2.0"},
        {"id", Id},
        {"method", Method},
        {"params", std::move(Params)}});
  return Id;
}

void LspHarness::notify(const std::string &Method, json Params) {
  send({{"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}});
}

std::optional<json>
LspHarness::waitFor(const std::function<bool(const json &)> &Match,
                    std::chrono::milliseconds Timeout) {
  auto Deadline = std::chrono::steady_clock::now() + Timeout;
  std::unique_lock<std::mutex> L(Lock);
  size_t Seen = 0;
  for (;;) {
    for (; Seen < Received.size(); ++Seen)
      if (Match(Received[Seen])) {
        json M = std::move(Received[Seen]);
        Received.erase(Received.begin() + Seen);
        return M;
      }
    if (ReaderDone)
      return std::nullopt;
    if (Arrived.wait_until(L, Deadline) == std::cv_status::timeout &&
        Seen == Received.size())
      return std::nullopt;
  }
}

json LspHarness::response(int64_t Id) {
  std::optional<json> M = waitFor([&](const json &M) {
    return M.contains("id") && M["id"] == Id && !M.contains("method");
  });
  INFO("no response to request " << Id);
  REQUIRE(M);
  return *M;
}

json LspHarness::call(const std::string &Method, json Params) {
  json R = response(request(Method, std::move(Params)));
  INFO(Method << " answered " << R.dump());
  REQUIRE(R.contains("result"));
  return R["result"];
}

json LspHarness::diagnostics(const std::string &Uri,
                             std::chrono::milliseconds Timeout) {
  std::optional<json> M = waitFor(
      [&](const json &M) {
        return M.value("method", "") == "textDocument/publishDiagnostics" &&
               M["params"]["uri"] == Uri;
      },
      Timeout);
  INFO("no diagnostics for " << Uri);
  REQUIRE(M);
  return (*M)["params"];
}

std::deque<json> LspHarness::drain() {
  std::lock_guard<std::mutex> G(Lock);
  std::deque<json> All;
  All.swap(Received);
  return All;
}

json LspHarness::initialize(json InitOptions, json Capabilities) {
  if (InitOptions.is_null())
    InitOptions = json::object();
  if (!InitOptions.contains("diagnosticsDelay"))
    InitOptions["diagnosticsDelay"] = 0;
  json R = call("initialize", {{"processId", nullptr},
                               {"rootUri", nullptr},
                               {"capabilities", Capabilities},
                               {"initializationOptions", InitOptions}});
  notify("initialized", json::object());
  return R;
}

void LspHarness::open(const std::string &Uri, const std::string &Text,
                      int64_t Version) {
  notify("textDocument/didOpen", {{"textDocument",
                                   {{"uri", Uri},
                                    {"languageId", "peapod"},
                                    {"version", Version},
                                    {"text", Text}}}});
}

void LspHarness::change(const std::string &Uri, int64_t Version,
                        unsigned Line1, unsigned Col1, unsigned Line2,
                        unsigned Col2, const std::string &Text) {
  notify("textDocument/didChange",
         {{"textDocument", {{"uri", Uri}, {"version", Version}}},
          {"contentChanges",
           {{{"range", {{"start", pos(Line1, Col1)}, {"end", pos(Line2, Col2)}}},
             {"text", Text}}}}});
}

int LspHarness::shutdownAndExit() {
  call("shutdown", nullptr);
  notify("exit", nullptr);
  if (Server.joinable())
    Server.join();
  Exited = true;
  return Status;
}

int LspHarness::closeInput() { return join(); }

TempDir::TempDir() {
  llvm::SmallString<128> P;
  REQUIRE(!llvm::sys::fs::createUniqueDirectory("peapod-lsp", P));
  // The canonical path: the server reports canonical paths of rule groups.
  llvm::SmallString<128> Real;
  REQUIRE(!llvm::sys::fs::real_path(P, Real));
  Path = std::string(Real);
}

TempDir::~TempDir() { llvm::sys::fs::remove_directories(Path); }

std::string TempDir::write(const std::string &Name,
                           const std::string &Text) const {
  llvm::SmallString<256> P(Path);
  llvm::sys::path::append(P, Name);
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
  std::ofstream(std::string(P), std::ios::binary) << Text;
  return std::string(P);
}

std::string TempDir::uri(const std::string &Name) const {
  llvm::SmallString<256> P(Path);
  llvm::sys::path::append(P, Name);
  return pathToUri(P);
}

} // namespace peapod::lsp::test
