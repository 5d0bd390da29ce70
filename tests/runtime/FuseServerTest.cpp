//===- FuseServerTest.cpp - File rules enforced by the FUSE layer ---------===//
//
// Real processes in peas (cgroups) on a real FUSE mount: allowed accesses
// succeed, denied ones fail with EACCES (docs/fuse.md, Decisions).
//
//===----------------------------------------------------------------------===//
#include "FuseServerFixture.h"
#include <catch2/catch.hpp>
#include <dirent.h>
#include <sys/sysmacros.h>

using namespace peapod::test;

TEST_CASE("FuseServer: reads follow the pea's rules", "[fuse]") {
  FuseFixture F;
  CHECK(F.runIn("alice", [] { return openErrno("/data/public.txt", O_RDONLY); }) == 0);
  CHECK(F.runIn("alice", [] { return openErrno("/data/secret/key", O_RDONLY); }) == EACCES);
  CHECK(F.runIn("bob", [] { return openErrno("/data/secret/key", O_RDONLY); }) == 0);
  CHECK(F.runIn("bob", [] { return openErrno("/data/public.txt", O_RDONLY); }) == EACCES);
  // Content is served through the daemon.
  RunResult Cat = F.exec("alice", {"/bin/cat", "/data/public.txt"});
  CHECK(Cat.Status == 0);
  CHECK(Cat.Output == "public\n");
  CHECK(F.Server->stats().Reads > 0);
  RunResult Denied = F.exec("alice", {"/bin/cat", "/data/secret/key"});
  CHECK(Denied.Status == 1);
  CHECK(Denied.Output.find("Permission denied") != std::string::npos);
}

TEST_CASE("FuseServer: writes follow the pea's rules", "[fuse]") {
  FuseFixture F;
  CHECK(F.runIn("alice", [] { return openErrno("/data/shared/notes", O_WRONLY); }) == 0);
  CHECK(F.runIn("alice", [] { return openErrno("/data/public.txt", O_WRONLY); }) == EACCES);
  CHECK(F.runIn("alice", [] { return openErrno("/data/public.txt", O_RDWR); }) == EACCES);
  CHECK(F.runIn("alice", [] { return openErrno("/data/public.txt", O_RDONLY | O_TRUNC); }) == EACCES);
  // Root's privileges never add to the pea's access (semantics 7).
  CHECK(F.runIn("alice", [] {
    return truncate("/data/public.txt", 0) == 0 ? 0 : errno;
  }) == EACCES);
  CHECK(F.runIn("alice", [] {
    return chmod("/data/public.txt", 0666) == 0 ? 0 : errno;
  }) == EACCES);
  RunResult Sh = F.exec("alice", {"/bin/sh", "-c", "echo hi > /data/shared/out && cat /data/shared/out"});
  CHECK(Sh.Status == 0);
  CHECK(Sh.Output == "hi\n");
  CHECK(readFile(F.Root + "/data/shared/out") == "hi\n");
}

TEST_CASE("FuseServer: exec is decided on the exec open", "[fuse]") {
  FuseFixture F;
  F.Server->setRecordExecOpens(true);
  uint64_t Before = F.Server->stats().ExecOpens;
  RunResult Ok = F.exec("alice", {"/data/run.sh"});
  CHECK(Ok.Status == 0);
  CHECK(Ok.Output == "ran\n");
  // The kernel marks the exec open with __FMODE_EXEC (0x20): measured here.
  CHECK(F.Server->stats().ExecOpens > Before);
  // What the exec tracer cross-checks: the script, then its interpreter
  // (/bin/sh -> dash), then dash's ELF interpreter, for the exec's thread.
  std::string Procs = F.Cgroup.peaDirectory("alice") + "/cgroup.procs";
  pid_t Child = fork();
  if (Child == 0) {
    F.enterPea(Procs);
    int Null = open("/tmp/out", O_WRONLY | O_CREAT, 0644);
    dup2(Null, 1);
    char *Argv[] = {const_cast<char *>("/data/run.sh"), nullptr};
    execve(Argv[0], Argv, nullptr);
    _exit(127);
  }
  CHECK(FuseFixture::waitFor(Child) == 0);
  std::vector<std::string> Opened = F.Server->takeExecOpens(Child);
  REQUIRE(Opened.size() >= 2);
  CHECK(Opened[0] == "/data/run.sh");
  CHECK(Opened[1] == "/usr/bin/dash");
  CHECK(F.Server->takeExecOpens(Child).empty());
  // noexec.sh is 0755 but alice has only read: execve fails, reading works.
  CHECK(F.runIn("alice", [] {
    char *Argv[] = {const_cast<char *>("/data/noexec.sh"), nullptr};
    execve(Argv[0], Argv, nullptr);
    return errno;
  }) == EACCES);
  CHECK(F.runIn("alice", [] { return openErrno("/data/noexec.sh", O_RDONLY); }) == 0);
  // Reading a file does not count as an exec open.
  uint64_t AfterExec = F.Server->stats().ExecOpens;
  CHECK(F.runIn("alice", [] { return openErrno("/usr/bin/true", O_RDONLY); }) == 0);
  CHECK(F.Server->stats().ExecOpens == AfterExec);
  // bob has no rule for /data/run.sh.
  RunResult Bob = F.exec("bob", {"/data/run.sh"});
  CHECK(Bob.Status == 127);
  // python3, a real interpreter, as each pea.
  RunResult Py = F.exec("alice", {"/usr/bin/python3", "-S", "-c",
                                  "print(open('/data/public.txt').read(), end='')"});
  CHECK(Py.Status == 0);
  CHECK(Py.Output == "public\n");
  RunResult PyDenied = F.exec("alice", {"/usr/bin/python3", "-S", "-c",
      "import sys\ntry:\n open('/data/secret/key')\nexcept PermissionError:\n sys.exit(3)"});
  CHECK(PyDenied.Status == 3);
}

TEST_CASE("FuseServer: listing directories needs read", "[fuse]") {
  FuseFixture F;
  auto List = [](const char *Dir) {
    DIR *D = opendir(Dir);
    if (!D)
      return errno;
    int N = 0;
    while (readdir(D))
      ++N;
    closedir(D);
    return N >= 2 ? 0 : 99;
  };
  CHECK(F.runIn("alice", [&] { return List("/data"); }) == 0);
  CHECK(F.runIn("alice", [&] { return List("/data/secret"); }) == EACCES);
  // bob may search /data (a rule below grants access) but not list it.
  CHECK(F.runIn("bob", [&] { return List("/data"); }) == EACCES);
  CHECK(F.runIn("bob", [&] { return List("/data/secret"); }) == 0);
  RunResult Ls = F.exec("alice", {"/bin/ls", "/data"});
  CHECK(Ls.Status == 0);
  CHECK(Ls.Output.find("public.txt") != std::string::npos);
}

TEST_CASE("FuseServer: creating and removing names", "[fuse]") {
  FuseFixture F;
  CHECK(F.runIn("alice", [] {
    return openErrno("/data/shared/new", O_WRONLY | O_CREAT | O_EXCL);
  }) == 0);
  CHECK(F.runIn("alice", [] {
    return openErrno("/data/new", O_WRONLY | O_CREAT | O_EXCL);
  }) == EACCES);
  CHECK(F.runIn("alice", [] { return mkdir("/data/shared/d", 0755) ? errno : 0; }) == 0);
  CHECK(F.runIn("alice", [] { return mkdir("/data/d", 0755) ? errno : 0; }) == EACCES);
  CHECK(F.runIn("alice", [] { return symlink("x", "/data/l") ? errno : 0; }) == EACCES);
  CHECK(F.runIn("alice", [] { return unlink("/data/public.txt") ? errno : 0; }) == EACCES);
  CHECK(F.runIn("alice", [] { return unlink("/data/shared/new") ? errno : 0; }) == 0);
  // Removing a denied name from a writable directory (then creating
  // another in its place) would be writing it.
  CHECK(F.runIn("alice", [] { return unlink("/data/shared/locked") ? errno : 0; }) == EACCES);
  CHECK(F.runIn("alice", [] { return rmdir("/data/shared/d") ? errno : 0; }) == 0);
  // Devices are never created; FIFOs follow the rules.
  CHECK(F.runIn("alice", [] {
    return mknod("/tmp/null", S_IFCHR | 0666, makedev(1, 3)) ? errno : 0;
  }) == EPERM);
  CHECK(F.runIn("alice", [] { return mkfifo("/tmp/fifo", 0644) ? errno : 0; }) == 0);
  CHECK(F.runIn("alice", [] { return mkfifo("/data/fifo", 0644) ? errno : 0; }) == EACCES);
  // A file created by a non-root caller is the caller's, with its mode.
  CHECK(F.runIn("alice", [] {
    if (setgid(1000) || setuid(1000))
      return 90;
    int Fd = open("/tmp/mine", O_WRONLY | O_CREAT | O_EXCL, 0640);
    if (Fd < 0)
      return errno;
    close(Fd);
    return 0;
  }) == 0);
  struct stat St;
  REQUIRE(stat((F.Root + "/tmp/mine").c_str(), &St) == 0);
  CHECK(St.st_uid == 1000);
  CHECK((St.st_mode & 07777) == 0640);
}

TEST_CASE("FuseServer: stat shows the pea's effective mode", "[fuse]") {
  FuseFixture F;
  // public.txt is 0644 with alice's r--: 0444 (semantics 7).
  CHECK(F.runIn("alice", [] {
    struct stat St;
    if (stat("/data/public.txt", &St) != 0)
      return errno;
    return int(St.st_mode & 0777) == 0444 ? 0 : 99;
  }) == 0);
  CHECK(F.runIn("alice", [] {
    struct stat St;
    if (stat("/data/shared/notes", &St) != 0)
      return errno;
    return int(St.st_mode & 0777) == 0644 ? 0 : 99;
  }) == 0);
  // alice cannot search /data/secret: no stat inside it.
  CHECK(F.runIn("alice", [] {
    struct stat St;
    return stat("/data/secret/key", &St) ? errno : 0;
  }) == EACCES);
  CHECK(F.runIn("alice", [] { return access("/data/public.txt", W_OK) ? errno : 0; }) == EACCES);
  CHECK(F.runIn("alice", [] { return access("/data/public.txt", R_OK) ? errno : 0; }) == 0);
}

TEST_CASE("FuseServer: a caller with no pea is refused", "[fuse]") {
  FuseFixture F;
  // A process in no pea of the pod (here: the test's own cgroup) is
  // refused everything: fail closed. (A child: the test process never waits
  // on its own server.)
  std::string Path = F.Mnt + "/data/public.txt";
  pid_t Pid = fork();
  if (Pid == 0)
    _exit(openErrno(Path.c_str(), O_RDONLY));
  CHECK(FuseFixture::waitFor(Pid) == EACCES);
  CHECK(F.Server->stats().NoPea > 0);
}

TEST_CASE("FuseServer: the mount fails closed when the daemon stops", "[fuse]") {
  FuseFixture F;
  Handshake H;
  std::string Procs = F.Cgroup.peaDirectory("alice") + "/cgroup.procs";
  std::string Data = F.Mnt + "/data";
  pid_t Pid = fork();
  if (Pid == 0) {
    int Fd = open(Procs.c_str(), O_WRONLY);
    if (Fd < 0 || write(Fd, "0", 1) != 1)
      _exit(250);
    if (chdir(Data.c_str()) != 0)
      _exit(251);
    int First = openErrno("public.txt", O_RDONLY);
    H.childSignal();
    H.childWait();
    int Second = openErrno("public.txt", O_RDONLY);
    _exit(First == 0 ? Second : 99);
  }
  REQUIRE(H.parentWait());
  F.Server->stop();
  REQUIRE(H.parentSignal());
  CHECK(FuseFixture::waitFor(Pid) == ENOTCONN);
}

TEST_CASE("FuseServer: passthrough hands opened files to the kernel", "[fuse][passthrough]") {
  peapod::runtime::FuseMountOptions Opts;
  Opts.Passthrough = true;
  FuseFixture F(FusePolicy, Opts);
  // The decision is still made at open.
  CHECK(F.runIn("alice", [] { return openErrno("/data/secret/key", O_RDONLY); }) == EACCES);
  RunResult Cat = F.exec("alice", {"/bin/cat", "/data/public.txt"});
  CHECK(Cat.Status == 0);
  CHECK(Cat.Output == "public\n");
  RunResult Sh = F.exec("alice", {"/bin/sh", "-c", "echo pt > /data/shared/pt; cat /data/shared/pt"});
  CHECK(Sh.Output == "pt\n");
  CHECK(readFile(F.Root + "/data/shared/pt") == "pt\n");
  INFO("passthrough negotiated: " << F.Server->stats().PassthroughEnabled.load());
  CHECK(F.Server->stats().PassthroughEnabled);
  CHECK(F.Server->stats().PassthroughOpens > 0);
  // Two opens of one file at once share its backing file (the kernel
  // refuses a second backing file for an inode with EIO).
  CHECK(F.runIn("alice", [] {
    int A = open("/data/shared/notes", O_RDONLY);
    int B = open("/data/shared/notes", O_RDWR);
    char Buf[8];
    int Rc = A < 0 || B < 0 ? errno : read(B, Buf, 5) == 5 ? 0 : 99;
    close(A);
    close(B);
    return Rc;
  }) == 0);
  // Reads and writes went to the backing files, not through the daemon.
  CHECK(F.Server->stats().Reads == 0);
  CHECK(F.Server->stats().Writes == 0);
}

TEST_CASE("FuseServer: the pid -> pea cache follows the label epoch", "[fuse][labels]") {
  std::atomic<uint64_t> Epoch{1};
  peapod::runtime::FuseMountOptions Opts;
  Opts.LabelEpoch = &Epoch;
  FuseFixture F(FusePolicy, Opts);
  Handshake H;
  std::string Procs = F.Cgroup.peaDirectory("alice") + "/cgroup.procs";
  pid_t Pid = fork();
  if (Pid == 0) {
    F.enterPea(Procs);
    int First = 0;
    for (int I = 0; I < 50; ++I)
      First |= openErrno("/data/public.txt", O_RDONLY);
    H.childSignal();
    H.childWait();
    // Now in bob: public.txt is denied, secret/key allowed.
    int Second = openErrno("/data/public.txt", O_RDONLY);
    _exit(First == 0 && Second == EACCES ? 0 : 99);
  }
  REQUIRE(H.parentWait());
  // One cgroup read served many requests of the same process.
  CHECK(F.Server->stats().LabelReads < 10);
  // The supervisor's part: move the process, then bump the epoch.
  std::string Error;
  REQUIRE(F.Cgroup.movePid(Pid, "bob", Error));
  ++Epoch;
  REQUIRE(H.parentSignal());
  CHECK(FuseFixture::waitFor(Pid) == 0);
}
