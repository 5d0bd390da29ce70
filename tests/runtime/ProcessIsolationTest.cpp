//===- ProcessIsolationTest.cpp - namespace rules on real processes -------===//
//
// Real pods through the built `peapod`: the probe (EscapeProbe.c) starts a
// target program whose exec moves it into another pea (or not), then tries
// every call that touches a process on it, with raw system calls; SysV
// objects are created in one pea and used from others; device nodes are
// made. Each expectation is the `namespace` rule of docs/language.md,
// semantics 10, as ppi_may_touch answers it.
//
//===----------------------------------------------------------------------===//
#include "RuntimeFixture.h"
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <unistd.h>
#include <fstream>
#include <map>
#include <sstream>

using namespace peapod::test;

namespace {

const char *const Policy = R"(pod box {
  pea main {
    dir-default / read, execute
    dir-default /tmp read, write, execute
    namespace friend
    transition /usr/bin/cat victim
    transition /usr/bin/tee friend
    transition /usr/bin/env boss
    transition /usr/bin/nice stranger
  }
  pea victim {
    dir-default / read, execute
  }
  pea friend {
    dir-default / read, execute
  }
  pea boss {
    dir-default / read, execute
    namespace global
    transition /usr/bin/cat victim
  }
  pea stranger {
    dir-default / read, execute
    transition /usr/bin/cat victim
  }
}
)";

/// Every call of the probe's `touch` but proc-mem (docs/runtime.md: not
/// covered yet).
const std::vector<std::string> Ops = {
    "kill",         "killpg",        "tkill",        "tgkill",
    "sigqueue",     "tgsigqueue",    "pidfd-signal", "pidfd-getfd",
    "vm-read",      "vm-write",      "kcmp",         "setown",
    "setown-ex",    "ptrace-attach", "ptrace-seize"};

/// The probe's "NAME VALUE" lines.
std::map<std::string, std::string> lines(const std::string &Out) {
  std::map<std::string, std::string> M;
  std::istringstream In(Out);
  std::string Line;
  while (std::getline(In, Line)) {
    size_t Space = Line.find(' ');
    if (Space != std::string::npos)
      M[Line.substr(0, Space)] = Line.substr(Space + 1);
  }
  return M;
}

struct IsolatedPod {
  Pod P{Policy};
  std::string Audit = P.Dir + "/audit.log";
  std::string State = P.Dir + "/state";
  IsolatedPod() { setenv("PEAPOD_STATE_DIR", State.c_str(), 1); }
  ~IsolatedPod() { unsetenv("PEAPOD_STATE_DIR"); }

  /// `touch OPS -- TARGET` run from pea main, through `Via` (a program
  /// whose exec moves the probe into another pea) if given.
  std::map<std::string, std::string>
  touch(const std::string &Target, const std::string &Via = "",
        const std::vector<std::string> &Extra = {},
        const std::vector<std::string> &Which = Ops) {
    std::vector<std::string> Cmd;
    if (!Via.empty())
      Cmd.push_back(Via);
    Cmd.push_back("/probe");
    Cmd.push_back("touch");
    Cmd.insert(Cmd.end(), Which.begin(), Which.end());
    Cmd.push_back("--");
    Cmd.push_back(Target);
    std::vector<std::string> Options = {"--audit", Audit};
    Options.insert(Options.end(), Extra.begin(), Extra.end());
    Outcome O = P.run("main", Cmd, Options);
    INFO(O.Err);
    REQUIRE(O.Status == 0);
    return lines(O.Out);
  }
  std::string auditText() const {
    std::ifstream In(Audit);
    std::stringstream S;
    S << In.rdbuf();
    return S.str();
  }
};

void expectAll(const std::map<std::string, std::string> &Got,
               const std::string &Errno) {
  for (const std::string &Op : Ops) {
    INFO(Op);
    // ptrace always fails: the pod's init traces every process already.
    bool Ptrace = Op.rfind("ptrace", 0) == 0;
    CHECK(Got.at(Op) == (Ptrace ? "1" : Errno));
  }
  // A parent waits for its child whatever pea the child is in.
  CHECK(Got.at("wait") == "0");
}

} // namespace

TEST_CASE("signals, ptrace, pidfds and process_vm across peas follow the "
          "namespace rules",
          "[runtime][run][isolation]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  IsolatedPod I;
  SECTION("main may not touch victim (no namespace rule)") {
    expectAll(I.touch("/bin/cat"), "1");
    std::string Log = I.auditText();
    CHECK(Log.find("\"operation\":\"kill\"") != std::string::npos);
    CHECK(Log.find("\"operation\":\"pidfd_getfd\"") != std::string::npos);
    CHECK(Log.find("\"operation\":\"process_vm_writev\"") !=
          std::string::npos);
    CHECK(Log.find("\"pea\":\"main\"") != std::string::npos);
    CHECK(Log.find("\"path\":\"pea:victim pid:") != std::string::npos);
    CHECK(Log.find("\"outcome\":\"denied\"") != std::string::npos);
  }
  SECTION("main may touch friend (namespace friend) and itself") {
    expectAll(I.touch("/usr/bin/tee"), "0");
    expectAll(I.touch("/usr/bin/head"), "0");
    CHECK(I.auditText().find("\"operation\":\"kill\"") == std::string::npos);
  }
  SECTION("namespace global reaches every pea; no rule reaches none") {
    expectAll(I.touch("/bin/cat", "/usr/bin/env"), "0");
    expectAll(I.touch("/bin/cat", "/usr/bin/nice"), "1");
  }
  SECTION("nothing signals the pod's init") {
    auto Got = I.touch("/usr/bin/head", "", {}, {"kill-init"});
    CHECK(Got.at("kill-init") == "1");
  }
  SECTION("--complain allows and logs") {
    expectAll(I.touch("/bin/cat", "", {"--complain"}), "0");
    std::string Log = I.auditText();
    CHECK(Log.find("\"operation\":\"tgkill\"") != std::string::npos);
    CHECK(Log.find("\"outcome\":\"complain\"") != std::string::npos);
  }
}

TEST_CASE("a notified call whose listener is gone fails with ENOSYS",
          "[runtime][run][isolation]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  IsolatedPod I;
  setenv("PEAPOD_TEST_DROP_LISTENER", "1", 1);
  auto Got = I.touch("/usr/bin/head", "", {}, {"kill", "pidfd-getfd"});
  unsetenv("PEAPOD_TEST_DROP_LISTENER");
  CHECK(Got.at("kill") == "38");
  CHECK(Got.at("pidfd-getfd") == "38");
  CHECK(Got.at("wait") == "0");
}

TEST_CASE("SysV shared memory, semaphores and queues carry their creator's "
          "pea",
          "[runtime][run][isolation]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  IsolatedPod I;
  for (const char *Kind : {"shm", "sem", "msg"}) {
    INFO(Kind);
    std::string K = Kind;
    // Created in main, by key (77) and private; used from main, boss
    // (namespace global) and stranger (no rule); 12345 was never created.
    std::string Script =
        "ID=$(/probe ipc-create " + K + " 77 | cut -d' ' -f3); "
        "P=$(/probe ipc-create " + K + " 0 | cut -d' ' -f3); "
        "echo same $(/probe ipc-use " + K + " 77 $ID); "
        "echo global $(/usr/bin/env /probe ipc-use " + K + " 77 $ID); "
        "echo stranger $(/usr/bin/nice /probe ipc-use " + K + " 77 $ID); "
        "echo private-same $(/probe ipc-use " + K + " 0 $P); "
        "echo private-stranger $(/usr/bin/nice /probe ipc-use " + K +
        " 0 $P); "
        "echo unknown $(/probe ipc-use " + K + " 0 12345)";
    Outcome O = I.P.run("main", {"/bin/sh", "-c", Script},
                        {"--audit", I.Audit});
    INFO(O.Err);
    REQUIRE(O.Status == 0);
    auto Got = lines(O.Out);
    CHECK(Got["same"] == "get 0 use 0 stat 0");
    CHECK(Got["global"] == "get 0 use 0 stat 0");
    CHECK(Got["stranger"] == "get 1 use 1 stat 1");
    CHECK(Got["private-same"] == "use 0 stat 0");
    CHECK(Got["private-stranger"] == "use 1 stat 1");
    CHECK(Got["unknown"] == "use 1 stat 1"); // no label: fail closed
  }
  CHECK(I.auditText().find("\"path\":\"pea:main shm:") != std::string::npos);
}

TEST_CASE("mknod of devices fails, of FIFOs and sockets works",
          "[runtime][run][isolation]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  IsolatedPod I;
  Outcome O = I.P.run("main", {"/probe", "mknod"});
  INFO(O.Err);
  REQUIRE(O.Status == 0);
  auto Got = lines(O.Out);
  CHECK(Got["chr"] == "1");
  CHECK(Got["blk"] == "1");
  CHECK(Got["fifo"] == "0");
  CHECK(Got["sock"] == "0");
}

TEST_CASE("peapod ps lists the running pods, the pea and both pids of "
          "every process",
          "[runtime][run][ps]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  IsolatedPod I;
  Outcome Empty = runProcess({peapodBinary(), "ps", "--json"});
  CHECK(Empty.Status == 0);
  CHECK(nlohmann::json::parse(Empty.Out)["pods"].empty());
  CHECK(runProcess({peapodBinary(), "ps"}).Out == "no pods are running\n");
  pid_t Supervisor = startProcess(
      I.P.runArgv("main", {"/bin/sh", "-c", "/usr/bin/sleep 30 | /bin/cat"}));
  nlohmann::json Pod;
  auto Ready = [&] {
    Outcome O = runProcess({peapodBinary(), "ps", "--json"});
    auto J = nlohmann::json::parse(O.Out);
    if (J["pods"].size() != 1 || J["pods"][0]["processes"].size() != 4)
      return false;
    // Both children past their exec (and its transition).
    Pod = J["pods"][0];
    int Execed = 0;
    for (const auto &P : Pod["processes"])
      Execed += P["program"] == "/usr/bin/sleep" ||
                (P["program"] == "/usr/bin/cat" && P["pea"] == "victim");
    return Execed == 2;
  };
  bool Seen = false;
  for (int Try = 0; Try < 500 && !(Seen = Ready()); ++Try)
    usleep(10000);
  Outcome Table = runProcess({peapodBinary(), "ps"});
  kill(Supervisor, SIGTERM);
  CHECK(waitProcess(Supervisor) == 128 + SIGTERM);
  REQUIRE(Seen);
  CHECK(Pod["pod"] == "box");
  CHECK(Pod["supervisor"] == Supervisor);
  std::map<std::string, std::string> PeaOf; // program -> pea
  for (const auto &P : Pod["processes"]) {
    PeaOf[P["program"]] = P["pea"].is_null() ? "(init)" : P["pea"];
    CHECK(P["pid"].get<int>() > 0);
    if (P["pea"].is_null())
      CHECK(P["pod_pid"] == 1);
    else
      CHECK(P["pod_pid"].get<int>() > 1);
  }
  CHECK(PeaOf["/usr/bin/sleep"] == "main");
  CHECK(PeaOf["/usr/bin/cat"] == "victim");
  CHECK(PeaOf[peapodBinary()] == "(init)");
  CHECK(Table.Out.rfind("POD  RUN", 0) == 0);
  CHECK(Table.Out.find(" victim ") != std::string::npos);
  CHECK(runProcess({peapodBinary(), "ps", "--help"}).Status == 0);
  CHECK(runProcess({peapodBinary(), "ps", "--bogus"}).Status == 2);
}
