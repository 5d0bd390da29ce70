//===- NetworkRulesTest.cpp - Network and device rules in real pods -------===//
//
// Real processes in `--net none` pods through the built `peapod`: python3
// scripts bind, connect and send on loopback inside the pod's own network
// namespace (servers and clients both in the pod's peas), open devices and
// unix sockets, and print what each call returned; the cgroup BPF programs
// decide. Each test has its own state directory, checked empty at the end.
//
//===----------------------------------------------------------------------===//
#include "RuntimeFixture.h"
#include "peapod/runtime/CgroupPrograms.h"
#include <catch2/catch.hpp>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <sys/stat.h>
#include <sstream>

using namespace peapod::test;

namespace {

const char *const NetPolicy = R"(pod box {
  pea main {
    dir-default / read, execute
    dir-default /tmp read, write, execute
    dir-default /tmp/ro read
    path /dev/null read, write
    bind tcp/25, udp/5353
    outgoing tcp/25, udp/53
    transition /usr/bin/env other
  }
  pea other {
    dir-default / read, execute
    dir-default /tmp read, write, execute
    bind tcp/80
    outgoing tcp/80
  }
}
)";

/// Each `tr(NAME, FUNCTION)` line of a script prints "NAME ok" or "NAME
/// ERRNO-NAME".
const char *const Prelude =
    "import errno, os, socket, sys\n"
    "def tr(name, f):\n"
    "  try:\n"
    "    f(); print(name, 'ok')\n"
    "  except OSError as e:\n"
    "    print(name, errno.errorcode.get(e.errno, e.errno))\n"
    "def bind(family, kind, addr):\n"
    "  s = socket.socket(family, kind); s.bind(addr); return s\n"
    "T, U = socket.SOCK_STREAM, socket.SOCK_DGRAM\n"
    "V4, V6 = socket.AF_INET, socket.AF_INET6\n";

/// A state directory of the test's own, and whether runs were left in it.
struct OwnState {
  std::string Path;
  explicit OwnState(const Pod &P) : Path(P.Dir + "/state") {
    setenv("PEAPOD_STATE_DIR", Path.c_str(), 1);
  }
  ~OwnState() { unsetenv("PEAPOD_STATE_DIR"); }
  bool empty() const {
    DIR *D = opendir(Path.c_str());
    bool Empty = true;
    while (D && Empty)
      if (struct dirent *E = readdir(D))
        Empty = E->d_name[0] == '.';
      else
        break;
    if (D)
      closedir(D);
    return Empty;
  }
};

std::string fileText(const std::string &Path) {
  std::ifstream In(Path);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// Runs `Script` (after the prelude) with python3 in pea `Pea` of a
/// `--net none` pod.
Outcome runScript(const Pod &P, const std::string &Pea,
                  const std::string &Script,
                  std::vector<std::string> Extra = {}) {
  P.writeFile("/tmp/t.py", std::string(Prelude) + Script);
  Extra.insert(Extra.begin(), {"--net", "none"});
  return P.run(Pea, {"/usr/bin/python3", "/tmp/t.py"}, Extra);
}

bool has(const Outcome &O, const std::string &Line) {
  return O.Out.find(Line + "\n") != std::string::npos;
}

} // namespace

TEST_CASE("bind follows the pea's bind rules, IPv4 and IPv6",
          "[runtime][bpf]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(NetPolicy);
  OwnState S(P);
  Outcome O = runScript(
      P, "main",
      "tr('tcp4 25', lambda: bind(V4, T, ('127.0.0.1', 25)))\n"
      "tr('tcp4 80', lambda: bind(V4, T, ('127.0.0.1', 80)))\n"
      "tr('tcp6 25', lambda: bind(V6, T, ('::1', 25)))\n"
      "tr('tcp6 80', lambda: bind(V6, T, ('::1', 80)))\n"
      "tr('mapped 25', lambda: bind(V6, T, ('::ffff:127.0.0.1', 25)))\n"
      "tr('mapped 80', lambda: bind(V6, T, ('::ffff:127.0.0.1', 80)))\n"
      "tr('udp4 5353', lambda: bind(V4, U, ('127.0.0.1', 5353)))\n"
      "tr('udp4 25', lambda: bind(V4, U, ('127.0.0.1', 25)))\n"
      "tr('tcp4 0', lambda: bind(V4, T, ('127.0.0.1', 0)))\n");
  INFO(O.Out << O.Err);
  CHECK(O.Status == 0);
  CHECK(has(O, "tcp4 25 ok"));
  CHECK(has(O, "tcp4 80 EPERM"));
  CHECK(has(O, "tcp6 25 ok"));
  CHECK(has(O, "tcp6 80 EPERM"));
  CHECK(has(O, "mapped 25 ok"));
  CHECK(has(O, "mapped 80 EPERM"));
  CHECK(has(O, "udp4 5353 ok"));
  CHECK(has(O, "udp4 25 EPERM")); // tcp/25 is not udp/25
  CHECK(has(O, "tcp4 0 EPERM"));  // a free port: only `bind allow`
  CHECK(S.empty());
}

TEST_CASE("connect and UDP sends follow outgoing, to servers in the pod",
          "[runtime][bpf]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(NetPolicy);
  OwnState S(P);
  // A server on 25 (main may bind and connect to it); nothing listens on
  // 26, so without the rules a connect to it is ECONNREFUSED, with them
  // EPERM.
  Outcome O = runScript(
      P, "main",
      "srv = bind(V4, T, ('127.0.0.1', 25)); srv.listen()\n"
      "srv6 = bind(V6, T, ('::1', 25)); srv6.listen()\n"
      "tr('tcp4 25', lambda: socket.create_connection(('127.0.0.1', 25)))\n"
      "tr('tcp4 26', lambda: socket.create_connection(('127.0.0.1', 26)))\n"
      "tr('tcp6 25', lambda: socket.socket(V6).connect(('::1', 25)))\n"
      "tr('tcp6 26', lambda: socket.socket(V6).connect(('::1', 26)))\n"
      "tr('mapped 25', lambda: socket.socket(V6).connect(('::ffff:127.0.0.1', 25)))\n"
      "tr('mapped 26', lambda: socket.socket(V6).connect(('::ffff:127.0.0.1', 26)))\n"
      "rx = bind(V4, U, ('127.0.0.1', 5353))\n"
      "u = socket.socket(V4, U)\n"
      "tr('sendto 53', lambda: u.sendto(b'x', ('127.0.0.1', 53)))\n"
      "tr('sendto 5353', lambda: u.sendto(b'x', ('127.0.0.1', 5353)))\n"
      "u6 = socket.socket(V6, U)\n"
      "tr('sendto6 53', lambda: u6.sendto(b'x', ('::1', 53)))\n"
      "tr('sendto6 54', lambda: u6.sendto(b'x', ('::1', 54)))\n"
      "tr('sendto mapped 54', lambda: u6.sendto(b'x', ('::ffff:127.0.0.1', 54)))\n"
      "tr('udp connect 53', lambda: socket.socket(V4, U).connect(('127.0.0.1', 53)))\n"
      "tr('udp connect 54', lambda: socket.socket(V4, U).connect(('127.0.0.1', 54)))\n");
  INFO(O.Out << O.Err);
  CHECK(O.Status == 0);
  CHECK(has(O, "tcp4 25 ok"));
  CHECK(has(O, "tcp4 26 EPERM"));
  CHECK(has(O, "tcp6 25 ok"));
  CHECK(has(O, "tcp6 26 EPERM"));
  CHECK(has(O, "mapped 25 ok"));
  CHECK(has(O, "mapped 26 EPERM"));
  CHECK(has(O, "sendto 53 ok"));
  CHECK(has(O, "sendto 5353 EPERM")); // bind udp/5353 is not outgoing
  CHECK(has(O, "sendto6 53 ok"));
  CHECK(has(O, "sendto6 54 EPERM"));
  CHECK(has(O, "sendto mapped 54 EPERM"));
  CHECK(has(O, "udp connect 53 ok"));
  CHECK(has(O, "udp connect 54 EPERM"));
  CHECK(S.empty());
}

TEST_CASE("a server in one pea, a client in another", "[runtime][bpf]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(NetPolicy);
  OwnState S(P);
  // main starts a server in `other` (through the env transition), which
  // binds 80 (other's rule) and answers; main may not connect to 80, other
  // may.
  P.writeFile("/tmp/server.py",
              "import socket, sys\n"
              "s = socket.socket(); s.bind(('127.0.0.1', 80)); s.listen()\n"
              "print('listening', flush=True)\n"
              "c, _ = s.accept(); c.sendall(b'hello'); c.close()\n");
  Outcome O = runScript(
      P, "main",
      "import subprocess\n"
      "srv = subprocess.Popen(['/usr/bin/env', 'python3', '/tmp/server.py'],"
      " stdout=subprocess.PIPE)\n"
      "print(srv.stdout.readline().decode().strip())\n"
      "tr('main 80', lambda: socket.create_connection(('127.0.0.1', 80)))\n"
      "subprocess.run(['/usr/bin/env', 'python3', '-c', "
      "'import socket; print(\"other got\", "
      "socket.create_connection((\"127.0.0.1\", 80)).recv(5).decode())'])\n"
      "srv.wait()\n");
  INFO(O.Out << O.Err);
  CHECK(O.Status == 0);
  CHECK(has(O, "listening"));
  CHECK(has(O, "main 80 EPERM"));
  CHECK(has(O, "other got hello"));
  CHECK(S.empty());
}

TEST_CASE("a socket created before a transition keeps its pea's rules",
          "[runtime][bpf]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(NetPolicy);
  OwnState S(P);
  // Created in main, used in other after the exec of env: the programs
  // that run are those of the socket's cgroup (main's).
  P.writeFile("/tmp/after.py",
              std::string(Prelude) +
                  "print('pea', open('/proc/self/cgroup').read().strip())\n"
                  "a = socket.socket(fileno=int(sys.argv[1]))\n"
                  "b = socket.socket(fileno=int(sys.argv[2]))\n"
                  "tr('old 25', lambda: a.bind(('127.0.0.1', 25)))\n"
                  "tr('old 80', lambda: b.bind(('127.0.0.1', 80)))\n"
                  "tr('new 25', lambda: bind(V4, T, ('127.0.0.1', 25)))\n"
                  "tr('new 80', lambda: bind(V4, T, ('127.0.0.1', 80)))\n");
  Outcome O = runScript(
      P, "main",
      "a = socket.socket(); b = socket.socket()\n"
      "os.set_inheritable(a.fileno(), True)\n"
      "os.set_inheritable(b.fileno(), True)\n"
      "sys.stdout.flush()\n"
      "os.execv('/usr/bin/env', ['env', 'python3', '/tmp/after.py', "
      "str(a.fileno()), str(b.fileno())])\n");
  INFO(O.Out << O.Err);
  CHECK(O.Status == 0);
  CHECK(O.Out.find("\n0::/pea.other\n") != std::string::npos);
  CHECK(has(O, "old 25 ok"));     // main's rule, on main's socket
  CHECK(has(O, "old 80 EPERM"));  // other's rule does not apply to it
  CHECK(has(O, "new 25 EPERM"));  // other's own sockets: other's rules
  CHECK(has(O, "new 80 ok"));
  CHECK(S.empty());
}

TEST_CASE("a unix socket's path follows the pea's file rules",
          "[runtime][bpf]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(NetPolicy);
  OwnState S(P);
  REQUIRE(mkdir(P.hostPath("/tmp/ro").c_str(), 0755) == 0);
  Outcome O = runScript(
      P, "main",
      "AU = socket.AF_UNIX\n"
      "def serve(path, kind=T):\n"
      "  s = socket.socket(AU, kind); s.bind(path)\n"
      "  if kind == T: s.listen()\n"
      "  return s\n"
      "a = serve('/tmp/ok.sock'); d = serve('/tmp/ok.dgram', U)\n"
      // Since the FUSE layer enforces the file rules, a socket cannot even
      // be created where the pea may not write.
      "tr('bind ro', lambda: serve('/tmp/ro/no.sock'))\n"
      "tr('connect ok', lambda: socket.socket(AU).connect('/tmp/ok.sock'))\n"
      "tr('connect unnormalised', lambda: socket.socket(AU).connect('/tmp//ok.sock'))\n"
      "os.chdir('/tmp')\n"
      "tr('connect relative', lambda: socket.socket(AU).connect('ok.sock'))\n"
      "tr('sendto ok', lambda: socket.socket(AU, U).sendto(b'x', '/tmp/ok.dgram'))\n"
      "ab = socket.socket(AU); ab.bind('\\0peapod-test'); ab.listen()\n"
      "tr('abstract', lambda: socket.socket(AU).connect('\\0peapod-test'))\n");
  INFO(O.Out << O.Err);
  CHECK(O.Status == 0);
  if (!peapod::runtime::probeCgroupBpf().UnixHooks) {
    WARN("no connect_unix/sendmsg_unix in this kernel: unix socket paths "
         "are left to the file rules");
    return;
  }
  CHECK(has(O, "connect ok ok"));
  CHECK(has(O, "bind ro EACCES"));
  CHECK(has(O, "connect unnormalised EPERM"));
  CHECK(has(O, "connect relative EPERM"));
  CHECK(has(O, "sendto ok ok"));
  CHECK(has(O, "abstract ok"));
  CHECK(S.empty());
}

TEST_CASE("devices open as the file rules say (cgroup/dev)", "[runtime][bpf]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(NetPolicy);
  OwnState S(P);
  // main: /dev/null rw (path rule), every other device read only (the
  // dir-default of /); other: read only, /dev/null included.
  const char *Script =
      "def op(path, mode):\n"
      "  return lambda: os.close(os.open(path, mode))\n"
      "tr('null rw', op('/dev/null', os.O_RDWR))\n"
      "tr('zero r', op('/dev/zero', os.O_RDONLY))\n"
      "tr('zero w', op('/dev/zero', os.O_WRONLY))\n"
      "tr('full w', op('/dev/full', os.O_WRONLY))\n"
      "tr('ptmx rw', op('/dev/ptmx', os.O_RDWR | os.O_NOCTTY))\n";
  Outcome Main = runScript(P, "main", Script);
  INFO(Main.Out << Main.Err);
  CHECK(Main.Status == 0);
  CHECK(has(Main, "null rw ok"));
  CHECK(has(Main, "zero r ok"));
  CHECK(has(Main, "zero w EPERM"));
  CHECK(has(Main, "full w EPERM"));
  CHECK(has(Main, "ptmx rw EPERM"));
  Outcome Other =
      P.run("other",
            {"/usr/bin/python3", "-c",
             std::string(Prelude) + Script},
            {"--net", "none"});
  INFO(Other.Out << Other.Err);
  CHECK(has(Other, "null rw EPERM"));
  CHECK(has(Other, "zero r ok"));
  CHECK(S.empty());
}

TEST_CASE("network denials are audited; --complain allows and logs them",
          "[runtime][bpf][audit]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(NetPolicy);
  OwnState S(P);
  const char *Script =
      "tr('bind 80', lambda: bind(V4, T, ('127.0.0.1', 80)))\n"
      "tr('sendto 54', lambda: socket.socket(V4, U).sendto(b'x', "
      "('127.0.0.1', 54)))\n"
      "tr('zero w', lambda: os.open('/dev/zero', os.O_WRONLY))\n";
  std::string Log = P.Dir + "/audit.log";
  Outcome Denied = runScript(P, "main", Script, {"--audit", Log});
  INFO(Denied.Out << Denied.Err);
  CHECK(has(Denied, "bind 80 EPERM"));
  std::string Lines = fileText(Log);
  INFO(Lines);
  CHECK(Lines.find("\"pea\":\"main\"") != std::string::npos);
  CHECK(Lines.find("\"operation\":\"bind\",\"access\":\"\",\"path\":"
                   "\"tcp/80\",\"errno\":1,\"error\":\"EPERM\","
                   "\"outcome\":\"denied\"") != std::string::npos);
  CHECK(Lines.find("\"operation\":\"sendmsg\",\"access\":\"\",\"path\":"
                   "\"udp/54\"") != std::string::npos);
  CHECK(Lines.find("\"operation\":\"device\",\"access\":\"w\",\"path\":"
                   "\"/dev/zero\"") != std::string::npos);
  CHECK(Lines.find("python3") != std::string::npos); // the program

  std::string Learn = P.Dir + "/learn.log";
  Outcome Allowed =
      runScript(P, "main", Script, {"--audit", Learn, "--complain"});
  INFO(Allowed.Out << Allowed.Err);
  CHECK(has(Allowed, "bind 80 ok"));
  CHECK(has(Allowed, "sendto 54 ok"));
  CHECK(has(Allowed, "zero w ok"));
  std::string Complained = fileText(Learn);
  INFO(Complained);
  CHECK(Complained.find("\"path\":\"tcp/80\",\"errno\":0,\"error\":\"\","
                        "\"outcome\":\"complain\"") != std::string::npos);
  CHECK(Complained.find("\"path\":\"udp/54\"") != std::string::npos);
  CHECK(S.empty());
}

TEST_CASE("--bpf-config: the backend's file is enforced, another image's "
          "or an edited one refused",
          "[runtime][bpf][config]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(NetPolicy);
  OwnState S(P);
  std::string Config = P.Dir + "/net.bpf.json";
  Outcome Made = runProcess(
      {peapodcBinary(), "--target", "bpf", P.Image, "-o", Config});
  INFO(Made.Err);
  REQUIRE(Made.Status == 0);
  Outcome O = runScript(P, "main",
                        "tr('bind 25', lambda: bind(V4, T, ('127.0.0.1', 25)))\n"
                        "tr('bind 80', lambda: bind(V4, T, ('127.0.0.1', 80)))\n",
                        {"--bpf-config", Config});
  INFO(O.Out << O.Err);
  CHECK(has(O, "bind 25 ok"));
  CHECK(has(O, "bind 80 EPERM"));

  // Widened by hand: refused before anything is set up.
  std::string Text = fileText(Config);
  std::string Wide = Text;
  size_t At = Wide.find("\"tcp/25\"");
  REQUIRE(At != std::string::npos);
  Wide.replace(At, 8, "\"tcp/1-1000\"");
  std::ofstream(P.Dir + "/wide.json") << Wide;
  Outcome Refused = runScript(P, "main", "print('ran')\n",
                              {"--bpf-config", P.Dir + "/wide.json"});
  CHECK(Refused.Status == 2);
  CHECK(Refused.Out.empty());
  CHECK(Refused.Err.find("is not the image's") != std::string::npos);

  // Another image's.
  Pod Q("pod box { pea main { bind allow } pea other { } }\n");
  std::string QConfig = Q.Dir + "/q.bpf.json";
  REQUIRE(runProcess({peapodcBinary(), "--target", "bpf", Q.Image, "-o",
                      QConfig})
              .Status == 0);
  Outcome Foreign =
      runScript(P, "main", "print('ran')\n", {"--bpf-config", QConfig});
  CHECK(Foreign.Status == 2);
  CHECK(Foreign.Err.find("made for another image") != std::string::npos);
  Outcome Garbage = runScript(P, "main", "print('ran')\n",
                              {"--bpf-config", P.Image});
  CHECK(Garbage.Status == 2);
  CHECK(Garbage.Err.find("not JSON") != std::string::npos);
  CHECK(S.empty());
}
