//===- Server.cpp - Lifecycle, dispatch, documents and scheduling ---------===//
//
// The protocol side of the server (clangd's ClangdLSPServer and TUScheduler
// in one small file): message validation and JSON-RPC errors, the
// initialize/shutdown/exit lifecycle, the methods table (which is also what
// `initialize` advertises), document synchronisation into the Workspace,
// and when each document is compiled and its diagnostics published.
//
//===----------------------------------------------------------------------===//
#include "peapod/lsp/Server.h"
#include "Analysis.h"
#include "Features.h"
#include "LintConfigs.h"
#include "peapod/Workspace.h"
#include "peapod/lsp/Transport.h"
#include "llvm/ADT/StringRef.h"
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unistd.h>

namespace peapod::lsp {

namespace {

using Clock = std::chrono::steady_clock;

/// What the reader thread hands the server: a parsed message, or what was
/// wrong with one.
struct Incoming {
  json Message;
  std::optional<ErrorCode> Error;
  std::string ErrorText;
};

/// Shared by the reader thread and the server thread.
struct Inbox {
  std::mutex Lock;
  std::condition_variable Ready;
  std::deque<Incoming> Queue;
  std::set<std::string> Cancelled; ///< request ids, as JSON text
  bool Ended = false;

  void push(Incoming I) {
    std::lock_guard<std::mutex> G(Lock);
    Queue.push_back(std::move(I));
    Ready.notify_one();
  }
  bool takeCancelled(const json &Id) {
    std::lock_guard<std::mutex> G(Lock);
    return Cancelled.erase(Id.dump()) != 0;
  }
};

/// Reads and parses frames until the input ends or the server wakes it.
void readMessages(int Fd, int WakeFd, Inbox &In) {
  MessageReader Reader(Fd, WakeFd);
  for (;;) {
    MessageReader::Frame F = Reader.next();
    if (F.K == MessageReader::Frame::End)
      break;
    if (F.K == MessageReader::Frame::BadFrame) {
      In.push({json(), ErrorCode::ParseError, F.Error});
      continue;
    }
    json M = json::parse(F.Body, nullptr, /*allow_exceptions=*/false);
    if (M.is_discarded()) {
      In.push({json(), ErrorCode::ParseError, "the message is not JSON"});
      continue;
    }
    // A cancellation must reach requests already queued behind it.
    if (M.is_object() && M.value("method", json()) == "$/cancelRequest" &&
        M.contains("params") && M["params"].is_object() &&
        M["params"].contains("id")) {
      std::lock_guard<std::mutex> G(In.Lock);
      In.Cancelled.insert(M["params"]["id"].dump());
    }
    In.push({std::move(M), std::nullopt, ""});
  }
  std::lock_guard<std::mutex> G(In.Lock);
  In.Ended = true;
  In.Ready.notify_one();
}

class Server;

/// A request method: what it does, and the capability it is advertised by.
struct Method {
  const char *Name;
  json (*Run)(Server &, const json &Params);
  const char *Capability; ///< null: nothing to advertise
  json (*CapabilityValue)();
};

class Server {
public:
  Server(MessageWriter &Out, Inbox &In) : Out(Out), In(In) {}
  int run();

  // Used by the method table.
  json initialize(const json &Params);
  json shutdown();
  std::shared_ptr<const Analysis> analysisFor(const json &Params);
  const ServerConfig &config() const { return Config; }

private:
  void handle(Incoming &I);
  void handleRequest(const json &Id, const std::string &Name,
                     const json &Params);
  void handleNotification(const std::string &Name, const json &Params);
  void reply(const json &Id, json Result);
  void replyError(const json &Id, ErrorCode Code, const std::string &Message);
  void notify(const char *Name, json Params);
  void logMessage(int Type, const std::string &Message);

  void didOpen(const json &Params);
  void didChange(const json &Params);
  void didClose(const json &Params);
  void didChangeConfiguration(const json &Params);
  void applyConfiguration(const json &Settings);

  Document &document(const json &Params);
  void bufferChanged(const Document &D);
  void invalidateDependents(const std::string &Path);
  std::shared_ptr<const Analysis> analyse(const std::string &Uri);
  void schedule(const std::string &Uri, Clock::duration Delay);
  void scheduleAll();
  void publish(const std::string &Uri);
  void publishDue();
  std::optional<Clock::time_point> nextDeadline() const;

  MessageWriter &Out;
  Inbox &In;
  bool Initialized = false, ShuttingDown = false, Exited = false;
  int ExitStatus = 1;
  PositionEncoding Encoding = PositionEncoding::UTF16;
  ServerConfig Config = defaultConfig();
  Workspace WS;
  LintConfigs Lint;
  DocumentStore Docs;
  std::map<std::string, std::shared_ptr<const Analysis>> Analyses;
  std::map<std::string, Clock::time_point> Pending;
};

/// A feature over one document: finds its analysis, then runs it.
template <json (*F)(const Analysis &, const json &)>
json onDocument(Server &S, const json &Params) {
  return F(*S.analysisFor(Params), Params);
}

json onCompletion(Server &S, const json &Params) {
  return completion(*S.analysisFor(Params), Params, S.config());
}

json yes() { return true; }
json withPrepare() { return {{"prepareProvider", true}}; }
json completionOptions() { return {{"triggerCharacters", {"/", "\""}}}; }
json semanticTokensOptions() {
  return {{"legend", semanticTokensLegend()}, {"full", true}};
}
json quickFixes() { return {{"codeActionKinds", {"quickfix"}}}; }

const Method Methods[] = {
    {"initialize", [](Server &S, const json &P) { return S.initialize(P); },
     nullptr, nullptr},
    {"shutdown", [](Server &S, const json &) { return S.shutdown(); }, nullptr,
     nullptr},
    {"textDocument/hover", onDocument<hover>, "hoverProvider", yes},
    {"textDocument/definition", onDocument<definition>, "definitionProvider",
     yes},
    {"textDocument/references", onDocument<references>, "referencesProvider",
     yes},
    {"textDocument/prepareRename", onDocument<prepareRename>, nullptr, nullptr},
    {"textDocument/rename", onDocument<rename>, "renameProvider", withPrepare},
    {"textDocument/documentSymbol", onDocument<documentSymbols>,
     "documentSymbolProvider", yes},
    {"textDocument/foldingRange", onDocument<foldingRanges>,
     "foldingRangeProvider", yes},
    {"textDocument/formatting", onDocument<formatting>,
     "documentFormattingProvider", yes},
    {"textDocument/rangeFormatting", onDocument<rangeFormatting>,
     "documentRangeFormattingProvider", yes},
    {"textDocument/inlayHint", onDocument<inlayHints>, "inlayHintProvider",
     yes},
    {"textDocument/completion", onCompletion, "completionProvider",
     completionOptions},
    {"textDocument/semanticTokens/full", onDocument<semanticTokens>,
     "semanticTokensProvider", semanticTokensOptions},
    {"textDocument/codeAction", onDocument<codeActions>, "codeActionProvider",
     quickFixes},
};

const Method *findMethod(llvm::StringRef Name) {
  for (const Method &M : Methods)
    if (Name == M.Name)
      return &M;
  return nullptr;
}

json Server::initialize(const json &Params) {
  if (Initialized)
    throw RpcError(ErrorCode::InvalidRequest, "initialize was already called");
  if (!Params.is_object())
    throw RpcError(ErrorCode::InvalidParams, "initialize takes an object");
  // The first encoding the client prefers that the server speaks; UTF-16,
  // the protocol's mandatory one, otherwise.
  const json *Encodings = nullptr;
  if (auto C = Params.find("capabilities"); C != Params.end() && C->is_object())
    if (auto G = C->find("general"); G != C->end() && G->is_object())
      if (auto E = G->find("positionEncodings");
          E != G->end() && E->is_array())
        Encodings = &*E;
  if (Encodings)
    for (const json &E : *Encodings) {
      if (E == "utf-16")
        break;
      if (E == "utf-8") {
        Encoding = PositionEncoding::UTF8;
        break;
      }
    }
  if (auto R = Params.find("rootUri"); R != Params.end() && R->is_string())
    if (std::optional<std::string> Root = uriToPath(R->get<std::string>()))
      Config.RootPath = *Root;
  if (auto O = Params.find("initializationOptions"); O != Params.end())
    applyConfiguration(*O);
  Initialized = true;

  json Caps = {{"positionEncoding", encodingName(Encoding)},
               {"textDocumentSync",
                {{"openClose", true},
                 {"change", 2}, // incremental
                 {"save", {{"includeText", false}}}}}};
  for (const Method &M : Methods)
    if (M.Capability)
      Caps[M.Capability] = M.CapabilityValue();
  return {{"capabilities", Caps},
          {"serverInfo", {{"name", "peapodc lsp"}, {"version", "0.1.0"}}}};
}

json Server::shutdown() {
  ShuttingDown = true;
  Pending.clear();
  return nullptr;
}

void Server::reply(const json &Id, json Result) {
  Out.send({{"jsonrpc", "2.0"}, {"id", Id}, {"result", std::move(Result)}});
}

void Server::replyError(const json &Id, ErrorCode Code,
                        const std::string &Message) {
  Out.send({{"jsonrpc", "2.0"},
            {"id", Id},
            {"error", {{"code", int(Code)}, {"message", Message}}}});
}

void Server::notify(const char *Name, json Params) {
  Out.send({{"jsonrpc", "2.0"}, {"method", Name}, {"params", std::move(Params)}});
}

void Server::logMessage(int Type, const std::string &Message) {
  notify("window/logMessage", {{"type", Type}, {"message", Message}});
}

void Server::handle(Incoming &I) {
  if (I.Error)
    return replyError(nullptr, *I.Error, I.ErrorText);
  json &M = I.Message;
  if (!M.is_object())
    return replyError(nullptr, ErrorCode::InvalidRequest,
                      M.is_array() ? "batches are not part of LSP"
                                   : "a message is a JSON object");
  json Id = M.contains("id") ? M["id"] : json();
  bool HasId = M.contains("id");
  if (HasId && !Id.is_string() && !Id.is_number_integer())
    return replyError(nullptr, ErrorCode::InvalidRequest,
                      "an id is a string or an integer");
  if (!M.contains("method")) {
    if (HasId && (M.contains("result") || M.contains("error")))
      return; // a response to a request the server never sends
    return replyError(Id, ErrorCode::InvalidRequest, "a request has a method");
  }
  if (M.value("jsonrpc", json()) != "2.0")
    return HasId ? replyError(Id, ErrorCode::InvalidRequest,
                              "jsonrpc must be \"2.0\"")
                 : logMessage(1, "ignored a notification without "
                                 "\"jsonrpc\": \"2.0\"");
  if (!M["method"].is_string())
    return HasId ? replyError(Id, ErrorCode::InvalidRequest,
                              "method must be a string")
                 : logMessage(1, "ignored a notification whose method is "
                                 "not a string");
  json Params = M.contains("params") ? M["params"] : json();
  std::string Name = M["method"].get<std::string>();
  if (!Params.is_null() && !Params.is_object() && !Params.is_array())
    return HasId ? replyError(Id, ErrorCode::InvalidParams,
                              "params must be an object or an array")
                 : logMessage(1, "ignored " + Name + ": bad params");
  if (HasId)
    handleRequest(Id, Name, Params);
  else
    handleNotification(Name, Params);
}

void Server::handleRequest(const json &Id, const std::string &Name,
                           const json &Params) {
  if (In.takeCancelled(Id))
    return replyError(Id, ErrorCode::RequestCancelled, "cancelled");
  if (!Initialized && Name != "initialize")
    return replyError(Id, ErrorCode::ServerNotInitialized,
                      "the server is not initialized");
  if (ShuttingDown)
    return replyError(Id, ErrorCode::InvalidRequest,
                      "the server is shutting down");
  const Method *M = findMethod(Name);
  if (!M)
    return replyError(Id, ErrorCode::MethodNotFound,
                      "unknown method '" + Name + "'");
  try {
    reply(Id, M->Run(*this, Params));
  } catch (const RpcError &E) {
    replyError(Id, E.Code, E.what());
  } catch (const json::exception &E) {
    // A field missing or of the wrong type in the params.
    replyError(Id, ErrorCode::InvalidParams, E.what());
  } catch (const std::exception &E) {
    replyError(Id, ErrorCode::InternalError, E.what());
  }
}

void Server::handleNotification(const std::string &Name, const json &Params) {
  if (Name == "exit") {
    Exited = true;
    ExitStatus = ShuttingDown ? 0 : 1;
    return;
  }
  if (!Initialized || ShuttingDown)
    return; // LSP: notifications before initialize are dropped
  try {
    if (Name == "textDocument/didOpen")
      didOpen(Params);
    else if (Name == "textDocument/didChange")
      didChange(Params);
    else if (Name == "textDocument/didClose")
      didClose(Params);
    else if (Name == "textDocument/didSave")
      document(Params); // the buffer is already what was saved
    else if (Name == "workspace/didChangeConfiguration")
      didChangeConfiguration(Params);
    // initialized, $/cancelRequest (taken by the reader), $/setTrace and
    // other notifications need nothing.
  } catch (const RpcError &E) {
    logMessage(1, Name + ": " + E.what());
  } catch (const std::exception &E) {
    logMessage(1, Name + ": " + E.what());
  }
}

std::string uriParam(const json &Params) {
  return Params.at("textDocument").at("uri").get<std::string>();
}

Document &Server::document(const json &Params) {
  std::string Uri = uriParam(Params);
  Document *D = Docs.find(Uri);
  if (!D)
    throw RpcError(ErrorCode::InvalidParams, "unknown document " + Uri);
  return *D;
}

void Server::didOpen(const json &Params) {
  const json &TD = Params.at("textDocument");
  std::string Uri = TD.at("uri").get<std::string>();
  std::optional<std::string> Path = uriToPath(Uri);
  if (!Path)
    throw RpcError(ErrorCode::InvalidParams,
                   "only local file: URIs are served, not " + Uri);
  Document &D = Docs.open(Uri, *Path, TD.at("text").get<std::string>(),
                          TD.value("version", int64_t(0)));
  bufferChanged(D);
  schedule(Uri, Clock::duration::zero());
}

void Server::didChange(const json &Params) {
  Document &D = document(Params);
  std::vector<TextChange> Changes;
  for (const json &C : Params.at("contentChanges")) {
    TextChange T;
    T.Text = C.at("text").get<std::string>();
    if (C.contains("range")) {
      T.Whole = false;
      T.Start = positionFrom(C["range"].at("start"));
      T.End = positionFrom(C["range"].at("end"));
    }
    Changes.push_back(std::move(T));
  }
  // Everything is checked before anything changes.
  applyChanges(D.Text, Changes, Encoding);
  D.Version = Params.at("textDocument").value("version", D.Version + 1);
  bufferChanged(D);
  schedule(D.Uri, Config.DiagnosticsDelay);
}

void Server::didClose(const json &Params) {
  Document &D = document(Params);
  std::string Uri = D.Uri;
  WS.removeBuffer(D.Path);
  // Policies that include it read the disk again.
  invalidateDependents(D.Path);
  Docs.close(Uri);
  Analyses.erase(Uri);
  Pending.erase(Uri);
  notify("textDocument/publishDiagnostics",
         {{"uri", Uri}, {"diagnostics", json::array()}});
}

void Server::didChangeConfiguration(const json &Params) {
  applyConfiguration(Params.value("settings", json()));
  Analyses.clear();
  scheduleAll();
}

void Server::applyConfiguration(const json &Settings) {
  for (const std::string &Problem : applySettings(Settings, Config))
    notify("window/showMessage",
           {{"type", 2}, {"message", "peapodc lsp: " + Problem}});
}

/// The document's text now stands in for its file; compilations that read
/// it are out of date.
void Server::bufferChanged(const Document &D) {
  WS.setBuffer(D.Path, D.Text);
  Analyses.erase(D.Uri);
  invalidateDependents(D.Path);
}

/// Drops (and schedules again) the analyses that included `Path`.
void Server::invalidateDependents(const std::string &Path) {
  std::string Key = Workspace::key(Path);
  for (auto It = Analyses.begin(); It != Analyses.end();) {
    const auto &Groups = It->second->includedGroups();
    if (std::find(Groups.begin(), Groups.end(), Key) == Groups.end()) {
      ++It;
      continue;
    }
    schedule(It->first, Config.DiagnosticsDelay);
    It = Analyses.erase(It);
  }
}

std::shared_ptr<const Analysis> Server::analyse(const std::string &Uri) {
  if (auto It = Analyses.find(Uri); It != Analyses.end())
    return It->second;
  const Document *D = Docs.find(Uri);
  if (!D)
    throw RpcError(ErrorCode::InvalidParams, "unknown document " + Uri);
  unsigned ParsesBefore = WS.parses();
  std::vector<std::string> Problems;
  const analyzer::LintConfig &LC =
      Lint.forDocument(D->Path, Config.LintConfig, Problems);
  for (const std::string &Problem : Problems)
    notify("window/showMessage",
           {{"type", 1}, {"message", "peapodc lsp: " + Problem}});
  auto A = std::make_shared<const Analysis>(*D, WS, Config, LC, Encoding);
  if (WS.parses() != ParsesBefore) {
    // A rule group was parsed again and the old tree freed: analyses that
    // point into rule groups are rebuilt when next needed.
    for (auto It = Analyses.begin(); It != Analyses.end();)
      It = It->second->includedGroups().empty() ? std::next(It)
                                                : Analyses.erase(It);
  }
  Analyses[Uri] = A;
  return A;
}

std::shared_ptr<const Analysis> Server::analysisFor(const json &Params) {
  return analyse(document(Params).Uri);
}

void Server::schedule(const std::string &Uri, Clock::duration Delay) {
  Pending[Uri] = Clock::now() + Delay;
}

void Server::scheduleAll() {
  for (const Document *D : Docs.all())
    schedule(D->Uri, Clock::duration::zero());
}

void Server::publish(const std::string &Uri) {
  std::shared_ptr<const Analysis> A = analyse(Uri);
  notify("textDocument/publishDiagnostics",
         {{"uri", Uri},
          {"version", A->version()},
          {"diagnostics", diagnostics(*A, Config)}});
}

void Server::publishDue() {
  Clock::time_point Now = Clock::now();
  for (auto It = Pending.begin(); It != Pending.end();) {
    if (It->second > Now) {
      ++It;
      continue;
    }
    std::string Uri = It->first;
    It = Pending.erase(It);
    try {
      publish(Uri);
    } catch (const std::exception &E) {
      logMessage(1, "diagnostics for " + Uri + ": " + E.what());
    }
  }
}

std::optional<Clock::time_point> Server::nextDeadline() const {
  std::optional<Clock::time_point> Next;
  for (const auto &[Uri, When] : Pending)
    if (!Next || When < *Next)
      Next = When;
  return Next;
}

int Server::run() {
  while (!Exited) {
    std::optional<Incoming> Next;
    {
      std::unique_lock<std::mutex> L(In.Lock);
      auto Ready = [&] { return !In.Queue.empty() || In.Ended; };
      if (std::optional<Clock::time_point> Deadline = nextDeadline())
        In.Ready.wait_until(L, *Deadline, Ready);
      else
        In.Ready.wait(L, Ready);
      if (!In.Queue.empty()) {
        Next = std::move(In.Queue.front());
        In.Queue.pop_front();
      } else if (In.Ended) {
        break; // the client went away without `exit`
      }
    }
    if (Next)
      handle(*Next);
    // Due even while messages keep coming (a stream of hovers must not
    // hold diagnostics back); an edit moves its document's deadline on.
    publishDue();
    if (Out.failed())
      break;
  }
  return Exited ? ExitStatus : 1;
}

} // namespace

int runLanguageServer(int InFd, int OutFd) {
  int Wake[2];
  if (pipe(Wake) != 0)
    return 1;
  auto In = std::make_unique<Inbox>();
  std::thread Reader(readMessages, InFd, Wake[0], std::ref(*In));
  int Status;
  {
    MessageWriter Out(OutFd);
    Server S(Out, *In);
    Status = S.run();
  }
  // Stop the reader (it may be waiting for input that never comes).
  char Byte = 0;
  while (write(Wake[1], &Byte, 1) < 0 && errno == EINTR) {
  }
  Reader.join();
  close(Wake[0]);
  close(Wake[1]);
  return Status;
}

} // namespace peapod::lsp
