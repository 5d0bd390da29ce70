//===- LspHarness.h - Drives the language server over pipes ----*- C++ -*-===//
//
// The server runs in-process on a thread (runLanguageServer on two pipes),
// exactly as `peapodc lsp` runs it on stdin and stdout. The harness sends
// framed messages (or any bytes), and collects what the server writes on a
// reader thread, so a test can wait for a response or a notification with a
// time limit instead of hanging when the server misbehaves.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_TESTS_LSP_HARNESS_H
#define PEAPOD_TESTS_LSP_HARNESS_H

#include "peapod/lsp/Protocol.h"
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace peapod::lsp::test {

class LspHarness {
public:
  LspHarness();
  ~LspHarness();

  /// Sends bytes as they are (for malformed frames).
  void sendRaw(const std::string &Bytes);
  /// Sends one framed message.
  void send(const json &Message);
  /// Sends a request and returns its id.
  int64_t request(const std::string &Method, json Params);
  void notify(const std::string &Method, json Params);

  /// The next message the server wrote that `Match` accepts (messages
  /// before it that it does not accept stay queued); nullopt after
  /// `Timeout`.
  std::optional<json>
  waitFor(const std::function<bool(const json &)> &Match,
          std::chrono::milliseconds Timeout = std::chrono::seconds(10));
  /// The response to request `Id` (the whole message: result or error).
  json response(int64_t Id);
  /// The result of a request, failing the test if it was an error.
  json call(const std::string &Method, json Params);
  /// The next publishDiagnostics for `Uri`.
  json diagnostics(const std::string &Uri,
                   std::chrono::milliseconds Timeout = std::chrono::seconds(10));
  /// Messages received so far and not yet taken.
  std::deque<json> drain();

  /// initialize (with `InitOptions` and `Capabilities`) and initialized.
  json initialize(json InitOptions = nullptr, json Capabilities = json::object());
  void open(const std::string &Uri, const std::string &Text,
            int64_t Version = 1);
  /// One ranged edit: lines and columns as the client counts them.
  void change(const std::string &Uri, int64_t Version, unsigned Line1,
              unsigned Col1, unsigned Line2, unsigned Col2,
              const std::string &Text);
  /// shutdown then exit; returns the server's exit status.
  int shutdownAndExit();
  /// Closes the server's input and returns its exit status.
  int closeInput();
  bool serverExited() const { return Exited; }

private:
  void readLoop();
  int join();
  int ToServer[2], FromServer[2];
  std::thread Server, Reader;
  int Status = -1;
  bool Exited = false, InputClosed = false;
  std::mutex Lock;
  std::condition_variable Arrived;
  std::deque<json> Received;
  bool ReaderDone = false;
  int64_t NextId = 1;
};

/// A temporary directory removed with everything in it at the end.
struct TempDir {
  TempDir();
  ~TempDir();
  std::string write(const std::string &Name, const std::string &Text) const;
  std::string uri(const std::string &Name) const;
  std::string Path;
};

/// A position as JSON.
inline json pos(unsigned Line, unsigned Character) {
  return {{"line", Line}, {"character", Character}};
}
inline json docPos(const std::string &Uri, unsigned Line, unsigned Character) {
  return {{"textDocument", {{"uri", Uri}}}, {"position", pos(Line, Character)}};
}

} // namespace peapod::lsp::test

#endif
