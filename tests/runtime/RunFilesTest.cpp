//===- RunFilesTest.cpp - File rules enforced by peapod run ---------------===//
//
// Real pods through the built `peapod`: every file access of a pod's
// processes goes through the FUSE layer the supervisor mounts over the
// pod's tree (docs/runtime.md, "File rules"), bound host directories
// included; the escape battery of issue 8 run from inside a pod; what a
// killed supervisor leaves (nothing with access) and a FUSE layer that
// cannot start (no pod at all).
//
//===----------------------------------------------------------------------===//
#include "RuntimeFixture.h"
#include <catch2/catch.hpp>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <map>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace peapod::test;

namespace {

const char *const Policy = R"(pod box {
  pea main {
    dir-default / read, execute
    dir-default /tmp read, write, execute
    dir-default /data read
    path /data/secret deny
    dir-default /data/rw read, write, execute
    path /data/tool read, execute
    dir-default /data/nolist execute
    path /data/nolist/f read
    dir-default /bound read
    path /bound/secret deny
    dir-default /bound/rw read, write, execute
    transition /usr/bin/env second
  }
  pea second {
    dir-default / read, execute
    dir-default /tmp read, write, execute
    path /data/ro.txt deny
  }
}
)";

/// A pod of Policy with its /data tree and a host directory bound at /bound.
struct FilesPod {
  Pod P{Policy};
  std::string Bound = P.Dir + "/bound";

  FilesPod() {
    for (const char *Dir : {"/data", "/data/secret", "/data/rw",
                            "/data/nolist"})
      REQUIRE(mkdir(P.hostPath(Dir).c_str(), 0755) == 0);
    P.writeFile("/data/ro.txt", "ro\n");
    P.writeFile("/data/secret/key", "secret\n");
    P.writeFile("/data/rw/a", "a\n");
    P.writeFile("/data/rw/gone", "gone\n");
    P.writeFile("/data/nolist/f", "f\n");
    P.writeFile("/data/tool", "#!/bin/sh\nexit 0\n", 0755);
    P.writeFile("/data/noexec", "#!/bin/sh\nexit 0\n", 0755);
    REQUIRE(mkdir(Bound.c_str(), 0755) == 0);
    REQUIRE(mkdir((Bound + "/rw").c_str(), 0755) == 0);
    writeHost(Bound + "/public", "public\n");
    writeHost(Bound + "/secret", "secret\n");
  }
  static void writeHost(const std::string &Path, const std::string &Text) {
    int Fd = open(Path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(Fd >= 0);
    REQUIRE(write(Fd, Text.data(), Text.size()) ==
            static_cast<ssize_t>(Text.size()));
    close(Fd);
  }
  Outcome run(const std::string &Pea, const std::vector<std::string> &Cmd,
              std::vector<std::string> Extra = {}) const {
    Extra.insert(Extra.begin(), {"--mount", Bound + ":/bound"});
    Outcome O = P.run(Pea, Cmd, Extra);
    INFO(O.Err);
    return O;
  }
};

std::vector<std::string> sh(const std::string &Command) {
  return {"/bin/sh", "-c", Command};
}

/// python3 in the pod: `t(name, f)` prints "name ERRNO" (0 if f ran).
std::vector<std::string> python(const std::string &Body) {
  return {"/usr/bin/python3", "-c",
          "import os, subprocess\n"
          "def t(name, f):\n"
          "  try: f(); print(name, 0)\n"
          "  except OSError as e: print(name, e.errno)\n"
          "def read(p): open(p).read()\n"
          "def write(p): open(p, 'a').write('x')\n"
          "def create(p): open(p, 'x').close()\n"
          "def run(p): subprocess.run([p], check=True)\n" +
              Body};
}

/// "name ERRNO" lines into a map.
std::map<std::string, int> results(const std::string &Out) {
  std::map<std::string, int> R;
  std::istringstream In(Out);
  for (std::string Line; std::getline(In, Line);) {
    size_t Space = Line.rfind(' ');
    if (Space != std::string::npos)
      R[Line.substr(0, Space)] = std::stoi(Line.substr(Space + 1));
  }
  return R;
}

void expect(const std::map<std::string, int> &Got,
            const std::map<std::string, int> &Want) {
  for (const auto &[Name, Errno] : Want) {
    INFO(Name);
    auto It = Got.find(Name);
    REQUIRE(It != Got.end());
    CHECK(It->second == Errno);
  }
}

} // namespace

TEST_CASE("peapod run: every file access is decided by the caller's pea",
          "[runtime][run][files]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  FilesPod F;
  StateDir S(F.P);
  Outcome O = F.run(
      "main",
      python("t('read ro', lambda: read('/data/ro.txt'))\n"
             "t('write ro', lambda: write('/data/ro.txt'))\n"
             "t('read secret', lambda: read('/data/secret/key'))\n"
             "t('list data', lambda: os.listdir('/data'))\n"
             "t('list secret', lambda: os.listdir('/data/secret'))\n"
             "t('list nolist', lambda: os.listdir('/data/nolist'))\n"
             "t('read nolist/f', lambda: read('/data/nolist/f'))\n"
             "t('create rw', lambda: create('/data/rw/new'))\n"
             "t('write rw', lambda: write('/data/rw/new'))\n"
             "t('create data', lambda: create('/data/new'))\n"
             "t('mkdir rw', lambda: os.mkdir('/data/rw/d'))\n"
             "t('mkdir data', lambda: os.mkdir('/data/d'))\n"
             "t('unlink rw', lambda: os.unlink('/data/rw/gone'))\n"
             "t('unlink ro', lambda: os.unlink('/data/ro.txt'))\n"
             "t('rename rw', lambda: os.rename('/data/rw/a', '/data/rw/b'))\n"
             "t('rename ro into rw', lambda: os.rename('/data/ro.txt', "
             "'/data/rw/ro.txt'))\n"
             "t('rename secret into tmp', lambda: os.rename("
             "'/data/secret/key', '/tmp/key'))\n"
             "t('link secret into tmp', lambda: os.link('/data/secret/key', "
             "'/tmp/key'))\n"
             "t('link ro into tmp', lambda: os.link('/data/ro.txt', "
             "'/tmp/ro'))\n"
             "t('link rw', lambda: os.link('/data/rw/b', '/data/rw/b2'))\n"
             "t('write rw link', lambda: write('/data/rw/b2'))\n"
             "t('exec tool', lambda: run('/data/tool'))\n"
             "t('exec noexec', lambda: run('/data/noexec'))\n"
             "t('read bound', lambda: read('/bound/public'))\n"
             "t('read bound secret', lambda: read('/bound/secret'))\n"
             "t('write bound', lambda: write('/bound/public'))\n"
             "t('create bound rw', lambda: create('/bound/rw/new'))\n"));
  CHECK(O.Status == 0);
  expect(results(O.Out), {{"read ro", 0},
                          {"write ro", EACCES},
                          {"read secret", EACCES},
                          {"list data", 0},
                          {"list secret", EACCES},
                          {"list nolist", EACCES},
                          {"read nolist/f", 0},
                          {"create rw", 0},
                          {"write rw", 0},
                          {"create data", EACCES},
                          {"mkdir rw", 0},
                          {"mkdir data", EACCES},
                          {"unlink rw", 0},
                          {"unlink ro", EACCES},
                          {"rename rw", 0},
                          {"rename ro into rw", EACCES},
                          {"rename secret into tmp", EACCES},
                          {"link secret into tmp", EACCES},
                          // The new name would give write: refused.
                          {"link ro into tmp", EACCES},
                          {"link rw", 0},
                          {"write rw link", 0},
                          {"exec tool", 0},
                          {"exec noexec", EACCES},
                          {"read bound", 0},
                          {"read bound secret", EACCES},
                          {"write bound", EACCES},
                          {"create bound rw", 0}});
  // What was allowed happened on the real tree, and nothing else did.
  CHECK(exists(F.P.hostPath("/data/rw/d")));
  CHECK(exists(F.P.hostPath("/data/rw/b2")));
  CHECK(!exists(F.P.hostPath("/data/rw/gone")));
  CHECK(exists(F.P.hostPath("/data/ro.txt")));
  CHECK(readFile(F.P.hostPath("/data/secret/key")) == "secret\n");
  CHECK(!exists(F.P.hostPath("/tmp/key")));
  CHECK(exists(F.Bound + "/rw/new"));
  CHECK(readFile(F.Bound + "/public") == "public\n");
  CHECK(S.runs().empty());
}

TEST_CASE("peapod run: a process that transitions is decided by its new "
          "pea at once",
          "[runtime][run][files][transition]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  FilesPod F;
  StateDir S(F.P);
  // The shell (main) reads ro.txt; the same process then executes env
  // (-> second) and cat: the daemon saw it as main a moment before, and
  // must not answer from that.
  Outcome O = F.run("main", sh("cat /data/ro.txt; "
                               "exec /usr/bin/env /bin/cat /data/ro.txt"));
  CHECK(O.Out == "ro\n");
  CHECK(O.Err.find("Permission denied") != std::string::npos);
  CHECK(O.Status == 1);
  CHECK(S.runs().empty());
}

TEST_CASE("peapod run: escapes from the file rules",
          "[runtime][run][files][escape]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  FilesPod F;
  StateDir S(F.P);
  SECTION(".. and symbolic links stay inside the root and are decided by "
          "their target") {
    REQUIRE(symlink("../../../../../../etc/hostname",
                    F.P.hostPath("/tmp/up").c_str()) == 0);
    REQUIRE(symlink("/data/secret/key", F.P.hostPath("/tmp/to-secret").c_str()) ==
            0);
    REQUIRE(symlink("../data/ro.txt", F.P.hostPath("/tmp/to-ro").c_str()) == 0);
    Outcome O = F.run(
        "main",
        python("t('dotdot', lambda: read('/../../../../etc/hostname'))\n"
               "t('up', lambda: read('/tmp/up'))\n"
               "t('to-secret', lambda: read('/tmp/to-secret'))\n"
               "t('to-ro', lambda: read('/tmp/to-ro'))\n"
               "t('write to-ro', lambda: write('/tmp/to-ro'))\n"
               "t('bound dotdot', lambda: read('/bound/../data/secret/key'))\n"));
    expect(results(O.Out), {{"dotdot", ENOENT},
                            {"up", ENOENT},
                            {"to-secret", EACCES},
                            {"to-ro", 0},
                            {"write to-ro", EACCES},
                            {"bound dotdot", EACCES}});
  }
  SECTION("/proc/self/root, /proc/self/cwd, /proc/1/root") {
    Outcome O = F.run(
        "main",
        python("t('root', lambda: read('/proc/self/root/data/secret/key'))\n"
               "t('root ro', lambda: read('/proc/self/root/data/ro.txt'))\n"
               "os.chdir('/data')\n"
               "t('cwd', lambda: read('/proc/self/cwd/secret/key'))\n"
               "t('relative', lambda: read('secret/key'))\n"
               "t('init root', lambda: os.listdir('/proc/1/root'))\n"
               "t('init cwd', lambda: os.listdir('/proc/1/cwd'))\n"));
    expect(results(O.Out), {{"root", EACCES},
                            {"root ro", 0},
                            {"cwd", EACCES},
                            {"relative", EACCES},
                            {"init root", EACCES},
                            {"init cwd", EACCES}});
  }
  SECTION("/proc/self/fd/N: the caller's descriptors never arrive; a "
          "descriptor reopened is decided again") {
    int Secret = open(F.P.hostPath("/data/secret/key").c_str(), O_RDONLY);
    int Outside = open(F.P.Dir.c_str(), O_RDONLY | O_DIRECTORY);
    REQUIRE(Secret > 2);
    REQUIRE(Outside > 2);
    std::vector<std::string> Probe = {"/probe", "read"};
    for (int Fd : {Secret, Outside})
      Probe.push_back("/proc/self/fd/" + std::to_string(Fd));
    Outcome Leaked = F.run("main", Probe);
    close(Secret);
    close(Outside);
    CHECK(Leaked.Out == "/proc/self/fd/" + std::to_string(Secret) +
                            " 2\n/proc/self/fd/" + std::to_string(Outside) +
                            " 2\n");
    // main opens ro.txt and hands the descriptor to a process that moves to
    // second: reading it goes on (descriptors are kept, as in the paper);
    // reopening it by /proc/self/fd asks the daemon, for second.
    Outcome Kept = F.run(
        "main", sh("exec 3</data/ro.txt; /usr/bin/env /bin/cat <&3; "
                   "/usr/bin/env /bin/cat /proc/self/fd/3"));
    CHECK(Kept.Out == "ro\n");
    CHECK(Kept.Err.find("Permission denied") != std::string::npos);
  }
  SECTION("open_by_handle_at") {
    CHECK(F.run("main", {"/probe", "handle", "/data/secret/key"}).Out ==
          "name_to_handle_at 1\nopen_by_handle_at 1\n");
  }
  SECTION("a symbolic link swapped under an open, RENAME_EXCHANGE raced "
          "against an open") {
    REQUIRE(mkdir(F.P.hostPath("/tmp/race").c_str(), 0777) == 0);
    F.P.writeFile("/tmp/race/good", "good\n");
    for (const char *Kind : {"symlink", "exchange"}) {
      INFO(Kind);
      // Each race starts from link -> good, evil -> the denied file.
      for (const char *Name : {"/tmp/race/link", "/tmp/race/evil",
                               "/tmp/race/l.new"})
        unlink(F.P.hostPath(Name).c_str());
      REQUIRE(symlink("/tmp/race/good",
                      F.P.hostPath("/tmp/race/link").c_str()) == 0);
      REQUIRE(symlink("/data/secret/key",
                      F.P.hostPath("/tmp/race/evil").c_str()) == 0);
      CHECK(F.run("main", {"/probe", "race", Kind, "2000"}).Out ==
            "race leaks 0 good 1\n");
    }
  }
  SECTION("one pea warming the kernel's caches gives another nothing") {
    // main stats and reads ro.txt (dentries and attributes in the kernel);
    // the same names asked right after from second.
    Outcome O = F.run(
        "main", sh("stat -c %a /data/ro.txt; cat /data/ro.txt; "
                   "/usr/bin/env /usr/bin/stat -c %a /data/ro.txt; "
                   "/usr/bin/env /bin/cat /data/ro.txt"));
    // main sees ro.txt as 0444 (its access masks the mode, semantics 7),
    // second as 0 (no access).
    CHECK(O.Out == "444\nro\n0\n");
    CHECK(O.Err.find("Permission denied") != std::string::npos);
  }
  CHECK(S.runs().empty());
}

TEST_CASE("peapod run: in a pod of one pea (kernel caching on) the tracer's "
          "lookups give the pea nothing",
          "[runtime][run][files][cache]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P("pod box {\n  pea main {\n    dir-default / read, execute\n"
        "    dir-default /tmp read, write, execute\n"
        "    path /tmp/hidden deny\n  }\n}\n");
  StateDir S(P);
  REQUIRE(mkdir(P.hostPath("/tmp/hidden").c_str(), 0755) == 0);
  P.writeFile("/tmp/hidden/prog", "#!/bin/sh\necho ran\n", 0755);
  // The exec makes the tracer (the pod's init, which may look everywhere)
  // resolve /tmp/hidden/prog; the stat that follows must not find its
  // answers in the kernel's caches.
  Outcome O = P.run("main", sh("/tmp/hidden/prog; "
                               "stat -c %a /tmp/hidden/prog; "
                               "stat -c %a /tmp/hidden/prog"));
  CHECK(O.Out.empty());
  CHECK(O.Err.find("stat: cannot statx '/tmp/hidden/prog': Permission "
                   "denied") != std::string::npos);
  // The pod had the single-pea caching (one pea: every caller gets the
  // same answers), which is what the runtime derives, as peapodc does.
  std::string Config = P.Dir + "/fuse.json";
  REQUIRE(runProcess({peapodcBinary(), "--target", "fuse", P.Image, "-o",
                      Config})
              .Status == 0);
  CHECK(readFile(Config).find("\"entry_timeout\": 1") != std::string::npos);
  CHECK(S.runs().empty());
}

TEST_CASE("peapod run: --complain logs file denials and allows them; "
          "--fuse-config",
          "[runtime][run][files][audit]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  FilesPod F;
  StateDir S(F.P);
  std::string Log = F.P.Dir + "/audit.log";
  Outcome Denied = F.run("main", {"/bin/cat", "/data/secret/key"},
                         {"--audit", Log});
  CHECK(Denied.Status == 1);
  std::string Line = readFile(Log);
  INFO(Line);
  CHECK(Line.find("\"pea\":\"main\"") != std::string::npos);
  CHECK(Line.find("\"program\":\"/usr/bin/cat\"") != std::string::npos);
  // The first refusal on the way: searching the denied directory.
  CHECK(Line.find("\"operation\":\"lookup\"") != std::string::npos);
  CHECK(Line.find("\"path\":\"/data/secret\"") != std::string::npos);
  CHECK(Line.find("\"outcome\":\"denied\"") != std::string::npos);
  unlink(Log.c_str());
  Outcome Complain = F.run("main", {"/bin/cat", "/data/secret/key"},
                           {"--audit", Log, "--complain"});
  CHECK(Complain.Status == 0);
  CHECK(Complain.Out == "secret\n");
  CHECK(readFile(Log).find("\"outcome\":\"complain\"") != std::string::npos);

  // The configuration peapodc --target fuse writes for this image is taken;
  // one made for another image is refused before anything starts.
  std::string Config = F.P.Dir + "/fuse.json";
  REQUIRE(runProcess({peapodcBinary(), "--target", "fuse", F.P.Image, "-o",
                      Config})
              .Status == 0);
  CHECK(F.run("main", {"/bin/cat", "/data/ro.txt"}, {"--fuse-config", Config})
            .Out == "ro\n");
  Pod Other("pod box { pea main { dir-default / allow } }\n");
  std::string OtherConfig = F.P.Dir + "/other.json";
  REQUIRE(runProcess({peapodcBinary(), "--target", "fuse", Other.Image, "-o",
                      OtherConfig})
              .Status == 0);
  Outcome Wrong = F.run("main", {"/bin/true"}, {"--fuse-config", OtherConfig});
  CHECK(Wrong.Status == 2);
  CHECK(Wrong.Err.find("made for another image") != std::string::npos);
  Outcome Missing =
      F.run("main", {"/bin/true"}, {"--fuse-config", F.P.Dir + "/none"});
  CHECK(Missing.Status == 2);
  CHECK(S.runs().empty());
}

TEST_CASE("peapod run: no pod starts without its FUSE layer",
          "[runtime][run][files][failclosed]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  Pod P(Policy);
  StateDir S(P);
  // In a mount namespace of its own, /dev/fuse is /dev/null: the FUSE mount
  // cannot be made.
  std::string Command = "mount --bind /dev/null /dev/fuse && exec";
  for (const std::string &A : P.runArgv("main", {"/bin/true"}))
    Command += " '" + A + "'";
  Outcome O = runProcess({"/usr/bin/unshare", "--mount", "--propagation",
                          "private", "/bin/sh", "-c", Command});
  INFO(O.Err);
  CHECK(O.Status == 1);
  CHECK(O.Err.find("the FUSE layer that enforces the file rules cannot "
                   "start") != std::string::npos);
  CHECK(O.Out.empty());
  CHECK(S.runs().empty());
}

TEST_CASE("peapod run: a killed supervisor leaves nothing with access to the "
          "tree; cleanup removes the rest",
          "[runtime][run][files][failclosed]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  FilesPod F;
  StateDir S(F.P);
  pid_t Pid = startProcess(F.P.runArgv(
      "main", sh("touch /tmp/ready; exec /bin/sleep 1000")));
  REQUIRE(waitFor([&] { return exists(F.P.hostPath("/tmp/ready")); }));
  std::string Cgroup = S.podCgroup();
  // The FUSE mount lives in the supervisor's mount namespace only: the
  // host sees an empty directory; through the supervisor's root the test
  // holds the mount itself.
  std::string Run = S.Path + "/" + S.runs()[0];
  std::string Through = "/proc/" + std::to_string(Pid) + "/root" + Run + "/fs";
  int Fd = open(Through.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(Fd >= 0);
  struct stat St;
  CHECK(fstatat(Fd, "", &St, AT_EMPTY_PATH) == 0);
  // The test is in no pea: the daemon refuses it everything.
  CHECK((faccessat(Fd, "data", F_OK, 0) == 0 ? 0 : errno) == EACCES);
  kill(Pid, SIGKILL);
  CHECK(waitProcess(Pid) == 137);
  CHECK(waitFor([&] { return allProcs(Cgroup).empty(); }));
  // The daemon died with its process: the connection is aborted.
  CHECK((fstatat(Fd, "", &St, AT_EMPTY_PATH) == 0 ? 0 : errno) == ENOTCONN);
  close(Fd);
  Outcome C = runProcess({peapodBinary(), "cleanup"});
  CHECK(C.Status == 0);
  CHECK(C.Out.find("1 dead run removed") != std::string::npos);
  CHECK(!exists(Cgroup));
  CHECK(S.runs().empty());
}

TEST_CASE("peapod run: a binary renamed while it is executed takes no "
          "transition of the new name",
          "[runtime][run][files][transition][escape]") {
  if (!canMakePods()) {
    WARN("peapod run needs root: skipped");
    return;
  }
  // main may execute /tmp/a, not /tmp/b, and rename a to b (b gives less);
  // /tmp/b's transition would put the process in third.
  Pod P(R"(pod box {
  pea main {
    dir-default / read, execute
    dir-default /tmp read, write, execute
    path /tmp/b read, write
    transition /tmp/b third
  }
  pea third {
    dir-default / read, execute
  }
}
)");
  StateDir S(P);
  // A renamer moves fresh copies of the probe from a to b while the shell
  // executes /tmp/a again and again: some execs open a and run as b. The
  // tracer names the program by /proc/PID/exe, so such a process is named
  // /tmp/b; a name the pea may not execute has no transition
  // (ppi_lookup_exec), and one it may execute it could have executed
  // directly.
  Outcome O = P.run(
      "main",
      sh("/usr/bin/python3 -c '\n"
         "import os\n"
         "data = open(\"/probe\", \"rb\").read()\n"
         "while True:\n"
         "  with open(\"/tmp/a.new\", \"wb\") as f: f.write(data)\n"
         "  os.chmod(\"/tmp/a.new\", 0o755)\n"
         "  os.rename(\"/tmp/a.new\", \"/tmp/a\")\n"
         "  os.rename(\"/tmp/a\", \"/tmp/b\")\n"
         "' & r=$!; while [ ! -e /tmp/b ]; do :; done; "
         "i=0; while [ $i -lt 300 ]; do /tmp/a cgroup 2>/dev/null; "
         "i=$((i+1)); done; kill $r"));
  INFO(O.Out);
  CHECK(O.Out.find("pea.third") == std::string::npos);
  CHECK(S.runs().empty());
}
