//===- bench_lsp.cpp - The language server as an editor sees it -----------===//
//
// Starts `peapodc lsp` as a process, opens POLICY, and measures over the
// protocol what a user waits for:
//   - diagnostics: from sending a one-character edit (a digit in a trailing
//     comment, changed each time) to receiving the publishDiagnostics of
//     that version, with the server's default debounce delay;
//   - hover: request to response, on a rule in the middle of the file;
//   - memory: the server's peak RSS (VmHWM) afterwards.
//
//   bench_lsp POLICY [--server PEAPODC] [--edits N] [--hovers N]
//
//===----------------------------------------------------------------------===//
#include "peapod/lsp/Protocol.h"
#include "peapod/lsp/Transport.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace peapod::lsp;
using Clock = std::chrono::steady_clock;

namespace {

struct Client {
  pid_t Pid = -1;
  int In = -1, Out = -1;
  std::unique_ptr<MessageReader> Reader;
  std::unique_ptr<MessageWriter> Writer;
  int64_t NextId = 1;

  bool start(const std::string &Server) {
    int ToServer[2], FromServer[2];
    if (pipe(ToServer) || pipe(FromServer))
      return false;
    Pid = fork();
    if (Pid == 0) {
      dup2(ToServer[0], 0);
      dup2(FromServer[1], 1);
      close(ToServer[1]);
      close(FromServer[0]);
      execl(Server.c_str(), Server.c_str(), "lsp", nullptr);
      _exit(127);
    }
    close(ToServer[0]);
    close(FromServer[1]);
    In = ToServer[1];
    Out = FromServer[0];
    Reader = std::make_unique<MessageReader>(Out);
    Writer = std::make_unique<MessageWriter>(In);
    return Pid > 0;
  }
  int64_t request(const std::string &Method, json Params) {
    int64_t Id = NextId++;
    Writer->send({{"jsonrpc", "2.0"}, {"id", Id}, {"method", Method},
                  {"params", std::move(Params)}});
    return Id;
  }
  void notify(const std::string &Method, json Params) {
    Writer->send({{"jsonrpc", "2.0"}, {"method", Method},
                  {"params", std::move(Params)}});
  }
  /// Reads until a message `Match` accepts.
  template <typename F> json until(F Match) {
    for (;;) {
      MessageReader::Frame Fr = Reader->next();
      if (Fr.K != MessageReader::Frame::Message) {
        llvm::errs() << "bench_lsp: the server stopped\n";
        exit(1);
      }
      json M = json::parse(Fr.Body);
      if (Match(M))
        return M;
    }
  }
  json response(int64_t Id) {
    return until([&](const json &M) {
      return M.contains("id") && M["id"] == Id && !M.contains("method");
    });
  }
  json diagnostics(int64_t Version) {
    return until([&](const json &M) {
      return M.value("method", "") == "textDocument/publishDiagnostics" &&
             M["params"].value("version", int64_t(-1)) == Version;
    });
  }
};

double ms(Clock::duration D) {
  return std::chrono::duration<double, std::milli>(D).count();
}

struct Stats {
  double Median, P90, Max;
};
Stats stats(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  return {V[V.size() / 2], V[V.size() * 9 / 10], V.back()};
}

std::string peakRss(pid_t Pid) {
  std::ifstream S("/proc/" + std::to_string(Pid) + "/status");
  std::string Line;
  while (std::getline(S, Line))
    if (Line.rfind("VmHWM:", 0) == 0)
      return llvm::StringRef(Line).drop_front(6).trim().str();
  return "?";
}

} // namespace

int main(int Argc, char **Argv) {
  if (Argc < 2) {
    llvm::errs() << "usage: bench_lsp POLICY [--server PEAPODC] [--edits N] "
                    "[--hovers N]\n";
    return 2;
  }
  std::string Policy = Argv[1];
  std::string Server =
      (llvm::sys::path::parent_path(Argv[0]) + "/peapodc").str();
  unsigned Edits = 51, Hovers = 201;
  for (int I = 2; I + 1 < Argc; I += 2) {
    if (!std::strcmp(Argv[I], "--server"))
      Server = Argv[I + 1];
    else if (!std::strcmp(Argv[I], "--edits"))
      Edits = unsigned(std::atoi(Argv[I + 1]));
    else if (!std::strcmp(Argv[I], "--hovers"))
      Hovers = unsigned(std::atoi(Argv[I + 1]));
  }
  auto Buffer = llvm::MemoryBuffer::getFile(Policy);
  if (!Buffer) {
    llvm::errs() << "bench_lsp: cannot read " << Policy << "\n";
    return 2;
  }
  llvm::SmallString<256> Abs(Policy);
  llvm::sys::fs::make_absolute(Abs);
  std::string Uri = pathToUri(Abs);
  std::string Text = (*Buffer)->getBuffer().str();
  if (!Text.empty() && Text.back() != '\n')
    Text += "\n";
  unsigned Lines = unsigned(std::count(Text.begin(), Text.end(), '\n'));
  Text += "# edit 0\n";
  // The rule to hover: the `path` rule nearest the middle.
  unsigned HoverLine = 0;
  {
    unsigned L = 0;
    size_t At = 0;
    while (At < Text.size()) {
      size_t End = Text.find('\n', At);
      if (L >= Lines / 2 && Text.compare(At, 9, "    path ") == 0) {
        HoverLine = L;
        break;
      }
      At = End + 1;
      ++L;
    }
  }

  signal(SIGPIPE, SIG_IGN);
  Client C;
  if (!C.start(Server)) {
    llvm::errs() << "bench_lsp: cannot start " << Server << "\n";
    return 2;
  }
  C.response(C.request("initialize", {{"processId", getpid()},
                                      {"rootUri", nullptr},
                                      {"capabilities", json::object()}}));
  C.notify("initialized", json::object());
  auto T0 = Clock::now();
  C.notify("textDocument/didOpen",
           {{"textDocument",
             {{"uri", Uri}, {"languageId", "peapod"}, {"version", 1},
              {"text", Text}}}});
  json First = C.diagnostics(1);
  double Open = ms(Clock::now() - T0);

  std::vector<double> Edit;
  for (unsigned I = 0; I < Edits; ++I) {
    int64_t Version = 2 + I;
    std::string Digit = std::to_string((I + 1) % 10);
    auto T = Clock::now();
    json Change = {{"range", {{"start", {{"line", Lines}, {"character", 7}}},
                              {"end", {{"line", Lines}, {"character", 8}}}}},
                   {"text", Digit}};
    C.notify("textDocument/didChange",
             {{"textDocument", {{"uri", Uri}, {"version", Version}}},
              {"contentChanges", json::array({Change})}});
    C.diagnostics(Version);
    Edit.push_back(ms(Clock::now() - T));
  }
  std::vector<double> Hover;
  size_t HoverBytes = 0;
  for (unsigned I = 0; I < Hovers; ++I) {
    auto T = Clock::now();
    json R = C.response(C.request(
        "textDocument/hover",
        {{"textDocument", {{"uri", Uri}}},
         {"position", {{"line", HoverLine}, {"character", 6}}}}));
    Hover.push_back(ms(Clock::now() - T));
    HoverBytes = R.dump().size();
  }
  std::string Rss = peakRss(C.Pid);
  C.response(C.request("shutdown", nullptr));
  C.notify("exit", nullptr);
  int Status = 0;
  waitpid(C.Pid, &Status, 0);

  Stats E = stats(Edit), H = stats(Hover);
  llvm::outs() << "policy: " << Policy << " (" << Lines << " lines, "
               << First["params"]["diagnostics"].size() << " diagnostics)\n";
  llvm::outs() << llvm::format("open -> diagnostics: %.1f ms\n", Open);
  llvm::outs() << llvm::format(
      "one-char edit -> diagnostics (%u edits): median %.1f ms, p90 %.1f, "
      "max %.1f\n",
      Edits, E.Median, E.P90, E.Max);
  llvm::outs() << llvm::format(
      "hover (line %u, %zu-byte answer, %u requests): median %.2f ms, p90 "
      "%.2f, max %.2f\n",
      HoverLine + 1, HoverBytes, Hovers, H.Median, H.P90, H.Max);
  llvm::outs() << "server peak RSS (VmHWM): " << Rss << "\n";
  llvm::outs() << "server exit status: " << WEXITSTATUS(Status) << "\n";
  return 0;
}
