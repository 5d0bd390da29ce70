//===- RunTest.cpp - peapod run on the real kernel, as root ---------------===//
//
// Every test starts real pods with the built `peapod` and checks from inside
// (the probe, shell, coreutils, python3) what the pod's processes can do and
// which pea they are in. Each test runs with its own state directory
// (PEAPOD_STATE_DIR) and checks that nothing is left behind.
//
//===----------------------------------------------------------------------===//
#include "RuntimeFixture.h"
#include "peapod/runtime/Cgroups.h"
#include "SpecialFiles.h"
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <cstring>
#include <functional>
#include <thread>
#include <unistd.h>

using namespace peapod::test;

namespace {

const char *const Policy = R"(pod box {
  pea main {
    dir-default / read, execute
    dir-default /tmp read, write, execute
    path /tmp/denied.sh read
    path /dev/null read, write
    path /dev/ptmx read, write
    dir-default /dev/pts read, write
    bind tcp/25
    outgoing tcp/25
    transition /usr/bin/env second
    transition /tmp/script.sh third
    transition /tmp/noexec.sh third
  }
  pea second {
    dir-default / read, execute
    dir-default /tmp read
    path /dev/null read, write
  }
  pea third {
    dir-default / read, execute
    path /dev/null read, write
  }
}
)";

const char *const Script = "#!/bin/sh\ngrep ^0:: /proc/self/cgroup\n";

std::vector<std::string> sh(const std::string &Command) {
  return {"/bin/sh", "-c", Command};
}

} // namespace

TEST_CASE("bad images, pods, peas, roots and options exit 2 with a message",
          "[runtime][run]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(Policy);
  StateDir S(P);
  std::ofstream(P.Dir + "/garbage.ppi") << "PEAPODIM not really an image";
  auto Expect = [&](const std::vector<std::string> &Argv,
                    const std::string &Message) {
    Outcome O = runProcess(Argv);
    INFO(O.Err);
    CHECK(O.Status == 2);
    CHECK(O.Err.find(Message) != std::string::npos);
    CHECK(O.Out.empty());
  };
  std::string B = peapodBinary();
  Expect({B, "run", P.Dir + "/garbage.ppi", "--pod", "box", "--pea", "main",
          "--root", P.Root, "--", "/bin/true"},
         "is not a valid policy image");
  // A source is not an image; neither is a missing file.
  Expect({B, "run", P.Dir + "/policy.pea", "--pod", "box", "--pea", "main",
          "--root", P.Root, "--", "/bin/true"},
         "is not a valid policy image");
  Expect({B, "run", P.Dir + "/none.ppi", "--pod", "box", "--pea", "main",
          "--root", P.Root, "--", "/bin/true"},
         "cannot read image");
  Expect({B, "run", P.Image, "--pod", "nobox", "--pea", "main", "--root",
          P.Root, "--", "/bin/true"},
         "has no pod 'nobox'");
  Expect({B, "run", P.Image, "--pod", "box", "--pea", "nopea", "--root",
          P.Root, "--", "/bin/true"},
         "has no pea 'nopea'");
  Expect({B, "run", P.Image, "--pod", "box", "--pea", "main", "--root",
          P.Dir + "/missing", "--", "/bin/true"},
         "cannot use root");
  Expect({B, "run", P.Image, "--pod", "box", "--pea", "main", "--root",
          P.Dir + "/policy.pea", "--", "/bin/true"},
         "is not a directory");
  Expect({B, "run", P.Image, "--pod", "box", "--pea", "main", "--root",
          P.Root},
         "no command given");
  Expect({B, "run", P.Image, "--pod", "box", "--pea", "main", "--root",
          P.Root, "--net", "maybe", "--", "/bin/true"},
         "--net takes");
  Expect({B, "run", P.Image, "--pod", "box", "--pea", "main", "--root",
          P.Root, "--mount", "relative", "--", "/bin/true"},
         "--mount takes");
  Expect({B, "run", P.Image, "--pod", "box", "--pea", "main", "--root",
          P.Root, "--mount", "/proc:/hostproc", "--", "/bin/true"},
         "is a kernel interface");
  Expect({B, "frobnicate"}, "unknown command");
  CHECK(S.runs().empty());
}

TEST_CASE("the exit status is the command's, 128+N for a signal",
          "[runtime][run]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(Policy);
  StateDir S(P);
  CHECK(P.run("main", {"/bin/true"}).Status == 0);
  CHECK(P.run("main", sh("exit 7")).Status == 7);
  CHECK(P.run("main", sh("kill -KILL $$")).Status == 137);
  CHECK(P.run("main", sh("kill -TERM $$")).Status == 143);
  Outcome Missing = P.run("main", {"/no/such/program"});
  CHECK(Missing.Status == 127);
  CHECK(Missing.Err.find("cannot execute '/no/such/program'") !=
        std::string::npos);
  CHECK(S.runs().empty());
}

TEST_CASE("a pod has its own namespaces, root, /dev and /proc",
          "[runtime][run]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(Policy);
  StateDir S(P);
  std::string Host;
  for (const char *Ns : {"mnt", "pid", "ipc", "uts", "cgroup", "net"}) {
    char Link[128] = "";
    ssize_t N = readlink((std::string("/proc/self/ns/") + Ns).c_str(), Link,
                         sizeof Link - 1);
    Host += std::string(Link, N > 0 ? static_cast<size_t>(N) : 0) + "\n";
  }
  Outcome O = P.run(
      "main", sh("hostname; echo pid $$; "
                 "for n in mnt pid ipc uts cgroup net; do readlink "
                 "/proc/self/ns/$n; done; ls /; ls /dev; "
                 "ls /proc | grep -c '^[0-9]'; "
                 "v=$(cat /proc/sys/vm/overcommit_ratio); "
                 "echo $v 2>/dev/null > /proc/sys/vm/overcommit_ratio && "
                 "echo sysctl-written; "
                 "touch /usr/x 2>/dev/null && echo usr-written; "
                 "echo end"));
  INFO(O.Out << O.Err);
  REQUIRE(O.Status == 0);
  std::istringstream Lines(O.Out);
  std::string Line;
  std::getline(Lines, Line);
  CHECK(Line == "box");
  std::getline(Lines, Line);
  CHECK(Line == "pid 2"); // PID 1 is the pod's init
  std::istringstream HostLines(Host);
  for (const char *Ns : {"mnt", "pid", "ipc", "uts", "cgroup", "net"}) {
    std::string Inside, Outside;
    std::getline(Lines, Inside);
    std::getline(HostLines, Outside);
    INFO(Ns);
    if (std::string(Ns) == "net")
      CHECK(Inside == Outside); // --net host
    else
      CHECK(Inside != Outside);
  }
  std::string Rest((std::istreambuf_iterator<char>(Lines)),
                   std::istreambuf_iterator<char>());
  // The pod's root: what the test put there, and nothing of the host's.
  CHECK(Rest.find("probe\n") != std::string::npos);
  CHECK(Rest.find("etc\n") == std::string::npos);
  CHECK(Rest.find("home\n") == std::string::npos);
  for (const char *Dev : {"null\n", "zero\n", "urandom\n", "pts\n", "shm\n"})
    CHECK(Rest.find(Dev) != std::string::npos);
  CHECK(Rest.find("sda") == std::string::npos);
  CHECK(Rest.find("kmsg") == std::string::npos);
  CHECK(Rest.find("sysctl-written") == std::string::npos);
  CHECK(Rest.find("usr-written") == std::string::npos);
  CHECK(O.Out.find("end\n") != std::string::npos);
  CHECK(S.runs().empty());
}

TEST_CASE("--net none: a network namespace with loopback up",
          "[runtime][run]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(Policy);
  StateDir S(P);
  Outcome O = P.run(
      "main",
      {"/usr/bin/python3", "-c",
       "import socket\n"
       "s = socket.socket(); s.bind(('127.0.0.1', 25)); s.listen()\n"
       "c = socket.create_connection(s.getsockname())\n"
       "print('loopback', s.accept()[1][0])\n"
       "print(sorted(l.split(':')[0].strip() for l in "
       "open('/proc/net/dev').readlines()[2:]))\n"},
      {"--net", "none"});
  INFO(O.Err);
  CHECK(O.Status == 0);
  CHECK(O.Out == "loopback 127.0.0.1\n['lo']\n");
}

TEST_CASE("no-new-privileges, a reduced bounding set, the seccomp filter",
          "[runtime][run][seccomp]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(Policy);
  StateDir S(P);
  Outcome Status = P.run("main", {"/probe", "status"});
  INFO(Status.Out << Status.Err);
  CHECK(Status.Out.find("NoNewPrivs:\t1") != std::string::npos);
  CHECK(Status.Out.find("Seccomp:\t2") != std::string::npos);
  // CAP_SYS_ADMIN (21) is out of the bounding and effective sets.
  for (const char *Set : {"CapBnd:\t", "CapEff:\t"}) {
    size_t At = Status.Out.find(Set);
    REQUIRE(At != std::string::npos);
    unsigned long long Mask =
        std::stoull(Status.Out.substr(At + strlen(Set), 16), nullptr, 16);
    CHECK((Mask & (1ull << 21)) == 0);
    CHECK((Mask & (1ull << 16)) == 0); // CAP_SYS_MODULE
    CHECK((Mask & 1ull) != 0);         // CAP_CHOWN stays
  }
  // Calls root could make without any capability: only the filter stops
  // them (EPERM = 1).
  Outcome Calls = P.run("main", {"/probe", "syscalls"});
  INFO(Calls.Out << Calls.Err);
  CHECK(Calls.Out.find("unshare 1\n") != std::string::npos);
  CHECK(Calls.Out.find("io_uring_setup 1\n") != std::string::npos);
  CHECK(Calls.Out.find("mount 1\n") != std::string::npos);
  CHECK(Calls.Out.find("init_module 1\n") != std::string::npos);
  // The i386 entry point kills (SIGSYS = 31).
  CHECK(P.run("main", {"/probe", "i386"}).Status == 128 + SIGSYS);
  // Terminal injection.
  Outcome Tty = P.run("main", {"/probe", "tiocsti"});
  INFO(Tty.Out);
  CHECK(Tty.Out == "tiocsti 1\n");
  CHECK(S.runs().empty());
}

TEST_CASE("exec moves a process into the pea of the longest transition",
          "[runtime][run][transition]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(Policy);
  StateDir S(P);
  P.writeFile("/tmp/script.sh", Script, 0755);
  P.writeFile("/tmp/noexec.sh", Script, 0644);
  P.writeFile("/tmp/denied.sh", Script, 0755);
  const std::string Grep = "/usr/bin/grep ^0:: /proc/self/cgroup";
  auto InPea = [&](const std::string &Pea,
                   const std::vector<std::string> &Cmd) {
    Outcome O = P.run(Pea, Cmd);
    INFO(O.Err);
    CHECK(O.Status == 0);
    return O.Out;
  };
  SECTION("no transition rule: the pea stays") {
    CHECK(InPea("main", sh(Grep)) == "0::/pea.main\n");
  }
  SECTION("a binary with a transition rule") {
    CHECK(InPea("main", sh("/usr/bin/env " + Grep)) == "0::/pea.second\n");
  }
  SECTION("a script transitions by its own path, not its interpreter's") {
    CHECK(InPea("main", {"/tmp/script.sh"}) == "0::/pea.third\n");
    CHECK(InPea("main", sh("/bin/sh /tmp/script.sh")) == "0::/pea.main\n");
  }
  SECTION("transitions are one way") {
    CHECK(InPea("second", sh("/usr/bin/env /usr/bin/env " + Grep)) ==
          "0::/pea.second\n");
  }
  SECTION("a failed exec changes nothing") {
    Outcome O = P.run(
        "main", {"/usr/bin/python3", "-c",
                 "import os\n"
                 "for f in ['/tmp/noexec.sh', '/tmp/missing']:\n"
                 "  try: os.execv(f, [f])\n"
                 "  except OSError as e: print(e.errno)\n"
                 "print(open('/proc/self/cgroup').read().splitlines()[-1])\n"});
    INFO(O.Err);
    CHECK(O.Out == "13\n2\n0::/pea.main\n");
  }
  SECTION("an exec the pea may not make fails with EACCES, and is logged") {
    std::string Log = P.Dir + "/audit.log";
    Outcome O = P.run("main",
                      {"/usr/bin/python3", "-c",
                       "import os\n"
                       "try: os.execv('/tmp/denied.sh', ['x'])\n"
                       "except OSError as e: print(e.errno)\n"},
                      {"--audit", Log});
    CHECK(O.Out == "13\n");
    std::string Line = readFile(Log);
    INFO(Line);
    CHECK(Line.find("\"pea\":\"main\"") != std::string::npos);
    CHECK(Line.find("\"operation\":\"exec\"") != std::string::npos);
    CHECK(Line.find("\"path\":\"/tmp/denied.sh\"") != std::string::npos);
    CHECK(Line.find("\"errno\":13") != std::string::npos);
    CHECK(Line.find("\"rule\":{\"path\":\"/tmp/denied.sh\",\"access\":\"r--\"") !=
          std::string::npos);
    CHECK(Line.find("\"line\":5") != std::string::npos);
    // From second, /tmp has no execute: denied too.
    CHECK(P.run("second", {"/tmp/script.sh"}).Status == 127);
  }
  SECTION("--complain allows the exec and logs it") {
    std::string Log = P.Dir + "/audit.log";
    Outcome O = P.run("main", {"/tmp/denied.sh"}, {"--audit", Log,
                                                   "--complain"});
    CHECK(O.Out == "0::/pea.main\n");
    CHECK(readFile(Log).find("\"outcome\":\"complain\"") != std::string::npos);
  }
  CHECK(S.runs().empty());
}

TEST_CASE("no process escapes the tracer or its transition",
          "[runtime][run][transition][escape]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(Policy);
  StateDir S(P);
  const std::vector<std::string> EnvGrep = {"/usr/bin/env", "/usr/bin/grep",
                                            "^0::", "/proc/self/cgroup"};
  auto With = [&](std::vector<std::string> Probe) {
    Probe.insert(Probe.end(), EnvGrep.begin(), EnvGrep.end());
    Outcome O = P.run("main", Probe);
    INFO(O.Err);
    return O.Out;
  };
  SECTION("vfork") {
    CHECK(With({"/probe", "vfork-exec"}) == "0::/pea.second\n");
  }
  SECTION("exec from a thread that is not the leader") {
    CHECK(With({"/probe", "thread-exec"}) == "0::/pea.second\n");
  }
  SECTION("many threads forking and executing at once") {
    Outcome O = P.run(
        "main",
        {"/usr/bin/python3", "-c",
         "import concurrent.futures as f, subprocess\n"
         "def run(i): return subprocess.run(['/usr/bin/env', '/usr/bin/grep',"
         " '^0::', '/proc/self/cgroup'], capture_output=True).stdout\n"
         "with f.ThreadPoolExecutor(8) as e: r = set(e.map(run, range(64)))\n"
         "print(r)\n"
         "print(open('/proc/self/cgroup').read().splitlines()[-1])\n"});
    CHECK(O.Out == "{b'0::/pea.second\\n'}\n0::/pea.main\n");
  }
  SECTION("clone3 (flags out of seccomp's sight) is refused: ENOSYS") {
    CHECK(P.run("main", {"/probe", "clone3"}).Out == "clone3 -1 38\n");
  }
  SECTION("CLONE_UNTRACED is refused") {
    CHECK(With({"/probe", "untraced"}) == "untraced -1 1\n");
  }
  SECTION("a memfd cannot be executed: no name in the pod decides it") {
    CHECK(P.run("main", {"/probe", "memfd-exec"}).Out == "memfd-exec 13\n");
  }
  SECTION("no cgroup.procs is reachable: no cgroup file system to mount") {
    Outcome O = P.run("main", {"/probe", "cgroup-mount"});
    CHECK(O.Out == "cgroup-mount 1\ncgroup-procs 2\n");
  }
  SECTION("the pod's init (the tracer) cannot be reached from the pod") {
    Outcome O = P.run(
        // Its descriptors include every pea's cgroup.procs: the names can be
        // listed (procfs allows that), but none can be opened.
        "main", sh("for f in /proc/1/fd/* /proc/1/root/x; do "
                   "echo $$ 2>/dev/null > $f && echo wrote $f; done; "
                   "grep ^0:: /proc/self/cgroup; "
                   "cat /proc/1/environ >/dev/null 2>&1 && echo environ; "
                   "kill -KILL 1 2>/dev/null; "
                   "/usr/bin/python3 -c 'import os; os.kill(1, 9)' 2>/dev/null; "
                   "echo alive"));
    CHECK(O.Out == "0::/pea.main\nalive\n");
    CHECK(O.Status == 0);
  }
  SECTION("descriptors of the caller do not reach the pod") {
    int Fd = open(P.Image.c_str(), O_RDONLY); // inherited: no O_CLOEXEC
    REQUIRE(Fd > 2);
    Outcome O = P.run("main", {"/probe", "fds"});
    close(Fd);
    CHECK(O.Out == "extra-fds 0\n");
  }
  CHECK(S.runs().empty());
}

TEST_CASE("signals reach the command", "[runtime][run][signals]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(Policy);
  StateDir S(P);
  Deadline Guard(120, "a signal the pod never got");
  // Job control inside the pod: a stopped child stays stopped, then resumes.
  Outcome Stop = P.run(
      "main", sh("/bin/sleep 0.3 & p=$!; kill -STOP $p; /bin/sleep 0.2; "
                 "grep -c 'State:.*t' /proc/$p/status; kill -CONT $p; "
                 "wait $p; echo waited $?"));
  CHECK(Stop.Out == "1\nwaited 0\n");
  for (int Sig : {SIGTERM, SIGINT, SIGHUP}) {
    unlink(P.hostPath("/tmp/ready").c_str());
    pid_t Pid = startProcess(P.runArgv(
        "main", sh("trap 'exit 42' TERM INT HUP; touch /tmp/ready; "
                   "while :; do /bin/sleep 0.05; done")));
    REQUIRE(waitFor([&] { return exists(P.hostPath("/tmp/ready")); }));
    kill(Pid, Sig);
    CHECK(waitProcess(Pid) == 42);
  }
  CHECK(S.runs().empty());
}

TEST_CASE("a killed supervisor takes the pod with it; cleanup removes the "
          "rest",
          "[runtime][run][cleanup]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(Policy);
  StateDir S(P);
  pid_t Pid = startProcess(
      P.runArgv("main", sh("touch /tmp/ready; exec /bin/sleep 1000")));
  REQUIRE(waitFor([&] { return exists(P.hostPath("/tmp/ready")); }));
  std::string Cgroup = S.podCgroup();
  REQUIRE(exists(Cgroup + "/pea.main"));
  CHECK(!allProcs(Cgroup).empty());
  kill(Pid, SIGKILL);
  CHECK(waitProcess(Pid) == 137);
  // Fail closed: nothing keeps running without its supervisor.
  CHECK(waitFor([&] { return allProcs(Cgroup).empty(); }));
  CHECK(exists(Cgroup)); // left behind, until...
  Outcome C = runProcess({peapodBinary(), "cleanup"});
  CHECK(C.Status == 0);
  CHECK(C.Out.find("1 dead run removed") != std::string::npos);
  CHECK(!exists(Cgroup));
  CHECK(S.runs().empty());
}

TEST_CASE("a killed pod init ends the run", "[runtime][run][cleanup]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(Policy);
  StateDir S(P);
  pid_t Pid = startProcess(
      P.runArgv("main", sh("touch /tmp/ready; exec /bin/sleep 1000")));
  REQUIRE(waitFor([&] { return exists(P.hostPath("/tmp/ready")); }));
  std::string Cgroup = S.podCgroup();
  std::string Init = readFile(Cgroup + "/cgroup.procs");
  REQUIRE(!Init.empty());
  kill(std::stoi(Init), SIGKILL);
  CHECK(waitProcess(Pid) == 137);
  CHECK(!exists(Cgroup));
  CHECK(S.runs().empty());
}

TEST_CASE("doctor: one line per mechanism, each a check and its result",
          "[runtime][doctor]") {
  if (!canMakePods()) {
    WARN("peapod doctor's probes need root: skipped");
    return;
  }
  Outcome O = runProcess({peapodBinary(), "doctor"});
  INFO(O.Out << O.Err);
  CHECK(O.Status == 0);
  std::istringstream Lines(O.Out);
  int Checks = 0;
  for (std::string Line; std::getline(Lines, Line);) {
    if (Line == "peapod run can work here")
      continue;
    size_t Colon = Line.find(": ");
    REQUIRE(Colon != std::string::npos);
    std::string Result = Line.substr(Line.find_first_not_of(' ', Colon + 1));
    CHECK((Result.rfind("ok", 0) == 0 || Result.rfind("absent", 0) == 0));
    ++Checks;
  }
  CHECK(Checks >= 15);
  for (const char *Check : {"cgroup v2 hierarchy:", "PID namespace:",
                            "seccomp filter (libseccomp):",
                            "exec tracing (RET_TRACE + ptrace):"})
    CHECK(O.Out.find(Check) != std::string::npos);
}

TEST_CASE("the paper's mail pod: sendmail -> procmail on exec of procmail",
          "[runtime][run][transition][mail]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(readFile(PEAPOD_SOURCE_DIR "/examples/mail.pea"));
  StateDir S(P);
  // A root whose programs are the probe under the policy's names, with the
  // host's libraries.
  REQUIRE(mkdir(P.hostPath("/usr").c_str(), 0755) == 0);
  auto Run = [&](const std::string &Pea, std::vector<std::string> Cmd) {
    std::vector<std::string> Argv = {
        peapodBinary(), "run",     P.Image,      "--pod",
        "mail-delivery", "--pea",  Pea,          "--root",
        P.Root,          "--mount", "/usr/lib:/usr/lib:ro",
        "--mount",       "/usr/lib64:/usr/lib64:ro"};
    for (const char *Program :
         {"/usr/sbin/sendmail", "/usr/bin/procmail", "/usr/bin/other"}) {
      Argv.push_back("--mount");
      Argv.push_back(std::string(PEAPOD_PROBE) + ":" + Program + ":ro");
    }
    Argv.push_back("--");
    Argv.insert(Argv.end(), Cmd.begin(), Cmd.end());
    Outcome O = runProcess(Argv);
    INFO(O.Err);
    return O;
  };
  CHECK(Run("sendmail", {"/usr/sbin/sendmail", "cgroup"}).Out ==
        "0::/pea.sendmail\n");
  CHECK(Run("sendmail", {"/usr/sbin/sendmail", "vfork-exec",
                         "/usr/bin/procmail", "cgroup"})
            .Out == "0::/pea.procmail\n");
  // Anything else sendmail may not execute (no rule gives it execute).
  Outcome Other = Run("sendmail", {"/usr/sbin/sendmail", "vfork-exec",
                                   "/usr/bin/other", "cgroup"});
  INFO(Other.Err);
  // 127 from the probe's vfork child; an ASan build's probe fails its
  // child differently, so only "it did not run" is asserted.
  CHECK(Other.Status != 0);
  CHECK(Other.Out.empty());
  // The transition changes what the process may read (file rules through
  // the FUSE layer): /srv is nothing to sendmail, everything to procmail;
  // /etc/mail is sendmail's.
  REQUIRE(mkdir(P.hostPath("/srv").c_str(), 0755) == 0);
  REQUIRE(mkdir(P.hostPath("/etc").c_str(), 0755) == 0);
  REQUIRE(mkdir(P.hostPath("/etc/mail").c_str(), 0755) == 0);
  P.writeFile("/srv/letter", "dear pea\n");
  P.writeFile("/etc/mail/sendmail.cf", "cf\n");
  CHECK(Run("sendmail", {"/usr/sbin/sendmail", "read", "/srv/letter",
                         "/etc/mail/sendmail.cf"})
            .Out == "/srv/letter 13\n/etc/mail/sendmail.cf 0\n");
  CHECK(Run("sendmail", {"/usr/sbin/sendmail", "vfork-exec",
                         "/usr/bin/procmail", "read", "/srv/letter"})
            .Out == "/srv/letter 0\n");
  // One way: procmail running sendmail stays procmail.
  CHECK(Run("procmail", {"/usr/bin/procmail", "vfork-exec",
                         "/usr/sbin/sendmail", "cgroup"})
            .Out == "0::/pea.procmail\n");
  CHECK(S.runs().empty());
}

TEST_CASE("cleanup removes pod cgroups whose supervisor is gone and that no "
          "state names",
          "[runtime][cleanup]") {
  if (!canMakePods()) {
    WARN("peapod cleanup needs root: skipped");
    return;
  }
  Pod P("pod box { pea main { } }\n");
  StateDir S(P);
  std::string Mountinfo = readFile("/proc/self/mountinfo");
  peapod::runtime::Cgroup2Mount Mount;
  REQUIRE(peapod::runtime::findCgroup2MountIn(Mountinfo, Mount));
  mkdir((Mount.Directory + "/peapod").c_str(), 0755);
  // No pid is this large (pid_max is at most 2^22): a dead supervisor.
  std::string Orphan = Mount.Directory + "/peapod/box.999999999.0badc0de";
  std::string Live = Mount.Directory + "/peapod/box." +
                     std::to_string(getpid()) + ".0badc0de";
  REQUIRE(mkdir(Orphan.c_str(), 0755) == 0);
  REQUIRE(mkdir((Orphan + "/pea.main").c_str(), 0755) == 0);
  REQUIRE(mkdir(Live.c_str(), 0755) == 0);
  Outcome C = runProcess({peapodBinary(), "cleanup", "-v"});
  CHECK(C.Status == 0);
  CHECK(C.Out.find("removed orphan cgroup " + Orphan) != std::string::npos);
  CHECK(!exists(Orphan));
  CHECK(exists(Live)); // its supervisor (this test) is alive
  rmdir(Live.c_str());
}
