//===- bench_fuse.cpp - The FUSE layer against no FUSE and Landlock -------===//
//
// The same workloads, as a process of pea alice of the tests' policy
// (tests/runtime/FuseServerFixture.h), chrooted into
//
//   native       the bare pod tree (no file rules at all)
//   landlock     the bare tree under a Landlock ruleset granting what alice's
//                rules grant (Landlock cannot express the denies below
//                granted directories; it enforces a superset)
//   fuse         the FuseServer mount, data copied through the daemon
//   passthrough  the FuseServer mount with FUSE_PASSTHROUGH
//   cached       the same with 1 s kernel caches (a pod of one pea)
//
// and prints one table row per workload: median of --runs wall times.
//
//   bench_fuse [--runs N] [--only WORKLOAD]   (as root)
//
//===----------------------------------------------------------------------===//
#include "FuseServerFixture.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <linux/landlock.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>

using namespace peapod::test;

namespace {

constexpr int Loops = 100000;
constexpr size_t GiB = size_t(1) << 30, Chunk = size_t(1) << 20;

double now() {
  timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  return double(T.tv_sec) + double(T.tv_nsec) * 1e-9;
}

/// Landlock for alice's grants, made in the child after chroot.
int applyLandlock() {
  int Abi = int(syscall(SYS_landlock_create_ruleset, nullptr, 0,
                        LANDLOCK_CREATE_RULESET_VERSION));
  if (Abi < 1)
    return 252;
  constexpr uint64_t Read = LANDLOCK_ACCESS_FS_READ_FILE |
                            LANDLOCK_ACCESS_FS_READ_DIR;
  uint64_t Write = LANDLOCK_ACCESS_FS_WRITE_FILE |
                   LANDLOCK_ACCESS_FS_REMOVE_DIR |
                   LANDLOCK_ACCESS_FS_REMOVE_FILE |
                   LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                   LANDLOCK_ACCESS_FS_MAKE_SOCK |
                   LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_SYM;
  if (Abi >= 3)
    Write |= 1ull << 14; // LANDLOCK_ACCESS_FS_TRUNCATE (Linux 6.2; Debian
                         // 12's headers predate it)
  uint64_t All = Read | Write | LANDLOCK_ACCESS_FS_EXECUTE |
                 LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_BLOCK;
  if (Abi >= 2)
    All |= LANDLOCK_ACCESS_FS_REFER;
  landlock_ruleset_attr Attr{};
  Attr.handled_access_fs = All;
  int Rs = int(syscall(SYS_landlock_create_ruleset, &Attr, sizeof Attr, 0));
  if (Rs < 0)
    return 253;
  struct Grant {
    const char *Path;
    uint64_t Access;
  } Grants[] = {{"/usr", Read | LANDLOCK_ACCESS_FS_EXECUTE},
                {"/data", Read},
                {"/data/shared", Read | Write},
                {"/tmp", All}};
  for (const Grant &G : Grants) {
    landlock_path_beneath_attr B{};
    B.allowed_access = G.Access;
    B.parent_fd = open(G.Path, O_PATH | O_CLOEXEC);
    if (B.parent_fd < 0 ||
        syscall(SYS_landlock_add_rule, Rs, LANDLOCK_RULE_PATH_BENEATH, &B, 0))
      return 254;
    close(B.parent_fd);
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
      syscall(SYS_landlock_restrict_self, Rs, 0))
    return 255;
  close(Rs);
  return 0;
}

int openClose() {
  for (int I = 0; I < Loops; ++I) {
    int Fd = open("/data/public.txt", O_RDONLY | O_CLOEXEC);
    if (Fd < 0)
      return 1;
    close(Fd);
  }
  return 0;
}

int statLoop() {
  struct stat St;
  for (int I = 0; I < Loops; ++I)
    if (stat("/data/public.txt", &St) != 0)
      return 1;
  return 0;
}

int writeGiB() {
  static char Buf[Chunk];
  memset(Buf, 'x', sizeof Buf);
  int Fd = open("/tmp/big", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (Fd < 0)
    return 1;
  for (size_t Done = 0; Done < GiB; Done += Chunk)
    if (write(Fd, Buf, Chunk) != ssize_t(Chunk))
      return 2;
  return close(Fd) == 0 ? 0 : 3;
}

int readGiB() {
  static char Buf[Chunk];
  int Fd = open("/tmp/big", O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return 1;
  size_t Total = 0;
  for (ssize_t N; (N = read(Fd, Buf, Chunk)) > 0;)
    Total += size_t(N);
  close(Fd);
  return Total == GiB ? 0 : 2;
}

int runProgram(const char *const *Argv) {
  pid_t Pid = fork();
  if (Pid == 0) {
    char Path[] = "PATH=/usr/bin";
    char Tmp[] = "TMPDIR=/tmp";
    char *Env[] = {Path, Tmp, nullptr};
    int Null = open("/tmp/out", O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(Null, 1);
    dup2(Null, 2);
    execve(Argv[0], const_cast<char *const *>(Argv), Env);
    _exit(127);
  }
  return FuseFixture::waitFor(Pid);
}

int tarExtract() {
  const char *Argv[] = {"/usr/bin/tar", "-xf", "/tmp/src.tar", "-C",
                        "/tmp/x", nullptr};
  if (mkdir("/tmp/x", 0755) != 0)
    return 1;
  return runProgram(Argv);
}

int makeProject() {
  const char *Argv[] = {"/usr/bin/make", "-s", "-j2", "-C", "/tmp/proj",
                        nullptr};
  return runProgram(Argv);
}

struct Workload {
  const char *Name, *What;
  int (*Run)();
  /// Run in the measured process before the clock starts, through the same
  /// view of the tree (a cached mount must see its own removals).
  int (*Reset)();
};

int noReset() { return 0; }
int resetTar() {
  const char *Argv[] = {"/usr/bin/rm", "-rf", "/tmp/x", nullptr};
  return runProgram(Argv);
}
int resetMake() {
  const char *Argv[] = {"/usr/bin/make", "-s", "-C", "/tmp/proj", "clean",
                        nullptr};
  return runProgram(Argv);
}

const Workload Workloads[] = {
    {"openclose", "open+close, 100k", openClose, noReset},
    {"stat", "stat, 100k", statLoop, noReset},
    {"write", "sequential write 1 GiB", writeGiB, noReset},
    {"read", "sequential read 1 GiB", readGiB, noReset},
    {"tar", "tar -x, 10k files", tarExtract, resetTar},
    {"make", "make -j2, 24 C files", makeProject, resetMake},
};

void prepare(const std::string &Root) {
  std::string Src = Root + "/tmp/srctree";
  std::string Cmd =
      "mkdir -p '" + Src + "' && cd '" + Src +
      "' && for d in $(seq 100); do mkdir -p d$d; for f in $(seq 100); do "
      "echo file $d $f > d$d/f$f; done; done && tar -cf '" + Root +
      "/tmp/src.tar' . && rm -rf '" + Src + "'";
  if (system(Cmd.c_str()) != 0)
    throw std::runtime_error("cannot build the tarball");
  std::string Proj = Root + "/tmp/proj";
  mkdir(Proj.c_str(), 0755);
  std::string Make = "OBJS := $(patsubst %.c,%.o,$(wildcard *.c))\n"
                     "prog: $(OBJS)\n\tgcc -o $@ $^\n"
                     "%.o: %.c\n\tgcc -O1 -c -o $@ $<\n"
                     "clean:\n\trm -f *.o prog\n";
  writeFile(Proj + "/Makefile", Make);
  std::string Main = "int main(void) { return 0; }\n";
  for (int I = 0; I < 24; ++I) {
    std::string Body;
    for (int F = 0; F < 40; ++F)
      Body += "int f" + std::to_string(I) + "_" + std::to_string(F) +
              "(int x) { int s = 0; for (int i = 0; i < x; ++i) s += i * " +
              std::to_string(F) + "; return s; }\n";
    if (I == 0)
      Body += Main;
    writeFile(Proj + "/u" + std::to_string(I) + ".c", Body);
  }
}

} // namespace

int main(int Argc, char **Argv) {
  int Runs = 3;
  std::string Only;
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    if (A == "--runs" && I + 1 < Argc)
      Runs = std::max(1, atoi(Argv[++I]));
    else if (A == "--only" && I + 1 < Argc)
      Only = Argv[++I];
    else {
      fprintf(stderr, "usage: bench_fuse [--runs N] [--only WORKLOAD]\n");
      return 2;
    }
  }
  auto *Shared = static_cast<double *>(mmap(nullptr, 4096,
                                            PROT_READ | PROT_WRITE,
                                            MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  const char *Modes[] = {"native", "landlock", "fuse", "passthrough",
                         "cached"};
  constexpr int ModeCount = 5;
  printf("| workload | native | landlock | fuse | fuse+passthrough | "
         "fuse+passthrough, 1 s caches |\n"
         "|---|---|---|---|---|---|\n");
  try {
    // The supervisor bumps the label epoch on moves and exits; nothing
    // moves here, so the daemon's pid -> pea cache stays valid (as in a
    // pod between transitions).
    static std::atomic<uint64_t> Epoch{1};
    peapod::runtime::FuseMountOptions Copy, Pass;
    Copy.LabelEpoch = &Epoch;
    Pass = Copy;
    Pass.Passthrough = true;
    // What a pod of one pea gets (docs/fuse-config.md): kernel caches on.
    peapod::runtime::FuseMountOptions Cached = Pass;
    Cached.EntryTimeout = Cached.AttrTimeout = Cached.NegativeTimeout = 1.0;
    FuseFixture F(FusePolicy, Copy);
    prepare(F.Root);
    for (const Workload &W : Workloads) {
      if (!Only.empty() && Only != W.Name)
        continue;
      double Median[ModeCount] = {};
      for (int M = 0; M < ModeCount; ++M) {
        F.Chroot = M < 2 ? F.Root : std::string();
        F.start(M == 4 ? Cached : M == 3 ? Pass : Copy);
        std::vector<double> Times;
        for (int R = 0; R < Runs; ++R) {
          // Write back what earlier runs left dirty (the 1 GiB file), so
          // it does not slow the next run's metadata writes.
          sync();
          bool Landlock = M == 1;
          int Status = F.runIn("alice", [&] {
            if (Landlock)
              if (int E = applyLandlock())
                return E;
            if (int E = W.Reset())
              return 200 + E % 50;
            double T0 = now();
            int Rc = W.Run();
            Shared[0] = now() - T0;
            return Rc;
          });
          if (Status != 0) {
            fprintf(stderr, "%s/%s failed: status %d\n%s", W.Name, Modes[M],
                    Status, readFile(F.Root + "/tmp/out").c_str());
            return 1;
          }
          Times.push_back(Shared[0]);
        }
        std::sort(Times.begin(), Times.end());
        Median[M] = Times[Times.size() / 2];
      }
      auto Cell = [&](int M) {
        char Buf[64];
        if (W.Run == openClose || W.Run == statLoop)
          snprintf(Buf, sizeof Buf, "%.2f µs (%.2f×)", Median[M] * 1e6 / Loops,
                   Median[M] / Median[0]);
        else if (W.Run == writeGiB || W.Run == readGiB)
          snprintf(Buf, sizeof Buf, "%.2f s, %.0f MiB/s (%.2f×)", Median[M],
                   1024 / Median[M], Median[M] / Median[0]);
        else
          snprintf(Buf, sizeof Buf, "%.2f s (%.2f×)", Median[M],
                   Median[M] / Median[0]);
        return std::string(Buf);
      };
      printf("| %s | %s | %s | %s | %s | %s |\n", W.What, Cell(0).c_str(),
             Cell(1).c_str(), Cell(2).c_str(), Cell(3).c_str(),
             Cell(4).c_str());
      fflush(stdout);
    }
    unlink((F.Root + "/tmp/big").c_str());
  } catch (const std::exception &E) {
    fprintf(stderr, "bench_fuse: %s\n", E.what());
    return 1;
  }
  return 0;
}
