//===- FuseServerEscapeTest.cpp - File-rule escapes against the FUSE layer ---===//
//
// The file-rule part of the escape battery (issue 8): hard links and
// renames of denied files, `..` and symlinks out of the root, symlink-swap
// and RENAME_EXCHANGE races against an open, one pea warming the kernel's
// caches for another, complain mode and the audit log.
//
//===----------------------------------------------------------------------===//
#include "FuseServerFixture.h"
#include <catch2/catch.hpp>
#include <csignal>
#include <linux/fs.h>
#include <sys/syscall.h>

using namespace peapod::test;

namespace {
int linkErrno(const char *From, const char *To) {
  return link(From, To) == 0 ? 0 : errno;
}
int renameErrno(const char *From, const char *To) {
  return rename(From, To) == 0 ? 0 : errno;
}
/// 0 if `Path` opens and holds exactly `Text`, else errno or 99.
int contentIs(const char *Path, const char *Text) {
  int Fd = open(Path, O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return errno;
  char Buf[64];
  ssize_t N = read(Fd, Buf, sizeof Buf);
  close(Fd);
  size_t Len = strlen(Text);
  return N == ssize_t(Len) && memcmp(Buf, Text, Len) == 0 ? 0 : 99;
}
} // namespace

TEST_CASE("FuseServer: hard links never widen access", "[fuse][escape]") {
  FuseFixture F;
  // alice may look locked up (she can search /data/shared) but has no
  // access to it: a link to it is refused (the paper's rule).
  CHECK(F.runIn("alice", [] { return linkErrno("/data/shared/locked", "/data/shared/free"); }) == EACCES);
  CHECK(F.runIn("alice", [] { return contentIs("/data/shared/free", "locked\n"); }) == ENOENT);
  // A read-only file linked where alice may write: the new name would give
  // more than the old one.
  CHECK(F.runIn("alice", [] { return linkErrno("/data/public.txt", "/data/shared/pub"); }) == EACCES);
  // Links that give no more are made, and reach the same file.
  CHECK(F.runIn("alice", [] { return linkErrno("/data/shared/notes", "/data/shared/notes2"); }) == 0);
  CHECK(F.runIn("alice", [] { return contentIs("/data/shared/notes2", "notes\n"); }) == 0);
  CHECK(F.runIn("alice", [] { return linkErrno("/tmp/good", "/data/shared/good"); }) == 0);
  struct stat A, B;
  REQUIRE(stat((F.Root + "/tmp/good").c_str(), &A) == 0);
  REQUIRE(stat((F.Root + "/data/shared/good").c_str(), &B) == 0);
  CHECK(A.st_ino == B.st_ino);
  // Each name is decided by its own path: writing through the new name is
  // allowed where the old name allows it too.
  CHECK(F.runIn("alice", [] { return openErrno("/data/shared/good", O_WRONLY); }) == 0);
}

TEST_CASE("FuseServer: renames never carry a denied file out", "[fuse][escape]") {
  FuseFixture F;
  CHECK(F.runIn("alice", [] { return renameErrno("/data/shared/locked", "/data/shared/unlocked"); }) == EACCES);
  CHECK(F.runIn("alice", [] { return renameErrno("/data/public.txt", "/data/shared/pub"); }) == EACCES);
  CHECK(F.runIn("alice", [] { return renameErrno("/data/secret/key", "/tmp/key"); }) == EACCES);
  // Into a name that would give more (x in /tmp): refused; the other way,
  // allowed.
  CHECK(F.runIn("alice", [] { return renameErrno("/data/shared/notes", "/tmp/notes"); }) == EACCES);
  CHECK(F.runIn("alice", [] { return renameErrno("/tmp/good", "/data/shared/good"); }) == 0);
  CHECK(F.runIn("alice", [] { return contentIs("/data/shared/good", "good\n"); }) == 0);
  // A directory with a rule below it cannot be renamed: its denied file
  // would come out under the new name.
  CHECK(F.runIn("alice", [] { return contentIs("/tmp/jail/secret", "jailed\n"); }) == EACCES);
  CHECK(F.runIn("alice", [] { return renameErrno("/tmp/jail", "/tmp/free"); }) == EACCES);
  CHECK(F.runIn("alice", [] { return contentIs("/tmp/free/secret", "jailed\n"); }) == ENOENT);
  // Nor can a directory be renamed onto such a place.
  CHECK(F.runIn("alice", [] { return renameErrno("/tmp/plain", "/tmp/jail"); }) != 0);
  CHECK(F.runIn("alice", [] { return renameErrno("/tmp/plain", "/tmp/plain2"); }) == 0);
  // RENAME_EXCHANGE checks both directions.
  CHECK(F.runIn("alice", [] {
    return syscall(SYS_renameat2, AT_FDCWD, "/data/shared/notes", AT_FDCWD,
                   "/data/shared/locked", RENAME_EXCHANGE) == 0 ? 0 : errno;
  }) == EACCES);
  CHECK(readFile(F.Root + "/data/shared/locked") == "locked\n");
}

TEST_CASE("FuseServer: .. and symlinks stay inside the root", "[fuse][escape]") {
  FuseFixture F;
  // The host file is at <tmp>/outside, a sibling of the pod's root.
  CHECK(F.runIn("alice", [] { return contentIs("/../outside/host-secret", "host\n"); }) == ENOENT);
  CHECK(F.runIn("alice", [] { return contentIs("/../../../outside/host-secret", "host\n"); }) == ENOENT);
  CHECK(F.runIn("alice", [] {
    if (symlink("../../../../outside/host-secret", "/tmp/up"))
      return 98;
    return contentIs("/tmp/up", "host\n");
  }) == ENOENT);
  // A symlink is followed inside the pod and the target decided by its own
  // path.
  CHECK(F.runIn("alice", [] {
    if (symlink("/data/shared/locked", "/tmp/to-locked"))
      return 98;
    return contentIs("/tmp/to-locked", "locked\n");
  }) == EACCES);
  CHECK(F.runIn("alice", [] {
    if (symlink("../data/public.txt", "/tmp/to-public"))
      return 98;
    return contentIs("/tmp/to-public", "public\n");
  }) == 0);
  // Writing through a link to a read-only file.
  CHECK(F.runIn("alice", [] { return openErrno("/tmp/to-public", O_WRONLY); }) == EACCES);
}

namespace {
constexpr int RaceIterations = 3000;

/// Opens /tmp/link over and over in pea alice while a process of alice
/// runs `Swap` in a loop; 1 if the open ever read the locked file.
int raceOpens(FuseFixture &F, void (*Swap)()) {
  std::string Procs = F.Cgroup.peaDirectory("alice") + "/cgroup.procs";
  pid_t Swapper = fork();
  if (Swapper == 0) {
    F.enterPea(Procs);
    for (;;)
      Swap();
  }
  int Result = F.runIn("alice", [] {
    for (int I = 0; I < RaceIterations; ++I)
      if (contentIs("/tmp/link", "good\n") == 99)
        return 1; // read something else: the locked file
    return 0;
  });
  kill(Swapper, SIGKILL);
  FuseFixture::waitFor(Swapper);
  return Result;
}
} // namespace

TEST_CASE("FuseServer: a symlink swapped under an open is decided by its target",
          "[fuse][escape][race]") {
  FuseFixture F;
  CHECK(raceOpens(F, [] {
    (void)!symlink("/data/shared/locked", "/tmp/l.new");
    (void)!rename("/tmp/l.new", "/tmp/link");
    (void)!symlink("/tmp/good", "/tmp/l.new");
    (void)!rename("/tmp/l.new", "/tmp/link");
  }) == 0);
}

TEST_CASE("FuseServer: RENAME_EXCHANGE raced against an open", "[fuse][escape][race]") {
  FuseFixture F;
  REQUIRE(symlink("/tmp/good", (F.Root + "/tmp/link").c_str()) == 0);
  REQUIRE(symlink("/data/shared/locked", (F.Root + "/tmp/evil").c_str()) == 0);
  CHECK(raceOpens(F, [] {
    syscall(SYS_renameat2, AT_FDCWD, "/tmp/link", AT_FDCWD, "/tmp/evil",
            RENAME_EXCHANGE);
  }) == 0);
}

namespace {
/// 0 if stat(Path) shows permission bits `Mode`, errno if it fails, else
/// 99 (exit statuses hold 8 bits).
int modeIs(const char *Path, mode_t Mode) {
  struct stat St;
  if (stat(Path, &St) != 0)
    return errno;
  return (St.st_mode & 0777) == Mode ? 0 : 99;
}
} // namespace

TEST_CASE("FuseServer: one pea warming the caches gives another nothing",
          "[fuse][escape][cache]") {
  FuseFixture F;
  // bob reads the secret (dentries and attributes now in the kernel), then
  // alice asks for the same names.
  CHECK(F.runIn("bob", [] { return contentIs("/data/secret/key", "secret\n"); }) == 0);
  CHECK(F.runIn("bob", [] { return modeIs("/data/secret/key", 0444); }) == 0);
  CHECK(F.runIn("alice", [] { return modeIs("/data/secret/key", 0); }) == EACCES);
  CHECK(F.runIn("alice", [] { return contentIs("/data/secret/key", "secret\n"); }) == EACCES);
  // And the other way: alice's view of public.txt (0444) is not bob's
  // (no access: 0000), even right after alice's stat.
  CHECK(F.runIn("alice", [] { return modeIs("/data/public.txt", 0444); }) == 0);
  CHECK(F.runIn("bob", [] { return modeIs("/data/public.txt", 0); }) == 0);
  CHECK(F.runIn("bob", [] { return contentIs("/data/public.txt", "public\n"); }) == EACCES);
}

TEST_CASE("FuseServer: with kernel caching on, answers leak between peas "
          "(why the timeouts are 0)",
          "[fuse][escape][cache]") {
  peapod::runtime::FuseMountOptions Cached;
  Cached.EntryTimeout = Cached.AttrTimeout = 3600;
  FuseFixture F(FusePolicy, Cached);
  CHECK(F.runIn("bob", [] { return modeIs("/data/secret/key", 0444); }) == 0);
  // alice gets bob's cached lookup and attributes: the kernel never asks.
  CHECK(F.runIn("alice", [] { return modeIs("/data/secret/key", 0444); }) == 0);
  // The open still reaches the daemon and is refused.
  CHECK(F.runIn("alice", [] { return contentIs("/data/secret/key", "secret\n"); }) == EACCES);
  // bob may run noexec.sh, alice may only read it. With bob's 0555 cached
  // the kernel's own exec check passes for alice; the exec open
  // (__FMODE_EXEC) is what refuses.
  CHECK(F.runIn("bob", [] { return modeIs("/data/noexec.sh", 0555); }) == 0);
  CHECK(F.runIn("alice", [] {
    char *Argv[] = {const_cast<char *>("/data/noexec.sh"), nullptr};
    execve(Argv[0], Argv, nullptr);
    return errno;
  }) == EACCES);
}

TEST_CASE("FuseServer: denials are audited; complain mode allows and logs",
          "[fuse][audit]") {
  std::string Error;
  for (bool Complain : {false, true}) {
    char Log[] = "/tmp/peapod-fuse-audit-XXXXXX";
    int Fd = mkstemp(Log);
    REQUIRE(Fd >= 0);
    close(Fd);
    auto Audit = peapod::runtime::AuditLog::open(Log, Error);
    REQUIRE(Audit);
    peapod::runtime::FuseMountOptions Opts;
    Opts.Complain = Complain;
    {
      FuseFixture F(FusePolicy, Opts);
      F.Audit = Audit.get();
      F.start(Opts);
      int R = F.runIn("alice", [] { return contentIs("/data/shared/locked", "locked\n"); });
      CHECK(R == (Complain ? 0 : EACCES));
    }
    std::string Text = readFile(Log);
    unlink(Log);
    CHECK(Text.find("\"pea\":\"alice\"") != std::string::npos);
    CHECK(Text.find("\"path\":\"/data/shared/locked\"") != std::string::npos);
    CHECK(Text.find("\"operation\":\"open\"") != std::string::npos);
    CHECK(Text.find(Complain ? "\"outcome\":\"complain\"" : "\"outcome\":\"denied\"") != std::string::npos);
    CHECK(Text.find("\"path\":\"/data/shared/locked\",\"access\":\"---\"") != std::string::npos);
  }
}

TEST_CASE("FuseServer: names under a renamed directory are decided by the new path",
          "[fuse][escape]") {
  FuseFixture F;
  // A process keeps its cwd in /tmp/plain (rwx for alice) while the
  // directory moves to /data/shared/plain (rw: no execute for files).
  Handshake H;
  std::string Procs = F.Cgroup.peaDirectory("alice") + "/cgroup.procs";
  pid_t Pid = fork();
  if (Pid == 0) {
    F.enterPea(Procs);
    if (chdir("/tmp/plain") != 0)
      _exit(98);
    int Fd = open("before", O_WRONLY | O_CREAT, 0755);
    close(Fd);
    int Before = access("before", X_OK) == 0 ? 0 : errno;
    H.childSignal();
    H.childWait();
    int After = access("before", X_OK) == 0 ? 0 : errno;
    _exit(Before == 0 && After == EACCES ? 0 : 90 + (After == 0));
  }
  REQUIRE(H.parentWait());
  CHECK(F.runIn("alice", [] { return renameErrno("/tmp/plain", "/data/shared/plain"); }) == 0);
  REQUIRE(H.parentSignal());
  CHECK(FuseFixture::waitFor(Pid) == 0);
}
