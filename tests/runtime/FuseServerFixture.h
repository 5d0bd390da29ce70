//===- FuseServerFixture.h - A FuseServer on a temp dir, peas as cgroups -*- C++ -*-===//
//
// Standalone (no supervisor): the test binary enters a private mount
// namespace once, so every mount it makes (the pod tree's /usr bind, the
// FUSE mount) disappears with it whatever happens; each fixture builds a
// pod tree under a temp dir, compiles a policy, creates the pod's cgroups
// (P's PodCgroup) and mounts the server on <tmp>/mnt. Processes run in a pea
// by moving themselves into its cgroup and chroot-ing into the mount, so
// absolute symlinks and `..` resolve inside the pod as they would after
// pivot_root. The destructor unmounts, kills what is left in the cgroups,
// removes them and the temp dir, on every path (Catch2's REQUIRE throws).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_TESTS_RUNTIME_FUSESERVERFIXTURE_H
#define PEAPOD_TESTS_RUNTIME_FUSESERVERFIXTURE_H

#include "peapod/Compilation.h"
#include "peapod/ImageWriter.h"
#include "peapod/image.h"
#include "peapod/runtime/Cgroups.h"
#include "peapod/runtime/FuseServer.h"
#include "peapod/runtime/PeaLabels.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <sched.h>
#include <stdexcept>
#include <string>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace peapod::test {

/// The policy most tests use. alice reads /data, writes /data/shared, is
/// denied /data/secret, /data/shared/locked and /tmp/jail/secret; bob reads
/// only /data/secret and runs /data/noexec.sh. Both run /usr.
inline const char *const FusePolicy = R"(pod test {
  pea alice {
    dir-default /usr read, execute
    path /bin read
    path /lib read
    path /lib64 read
    dir-default /data read
    path /data/secret deny
    dir-default /data/shared read, write
    path /data/shared/locked deny
    path /data/run.sh read, execute
    dir-default /tmp allow
    path /tmp/jail/secret deny
  }
  pea bob {
    dir-default /usr read, execute
    path /bin read
    path /lib read
    path /lib64 read
    dir-default /data/secret read
    path /data/noexec.sh read, execute
    dir-default /tmp allow
  }
}
)";

inline void writeFile(const std::string &Path, const std::string &Text,
                      mode_t Mode = 0644) {
  int Fd = ::open(Path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, Mode);
  if (Fd < 0 || ::write(Fd, Text.data(), Text.size()) != ssize_t(Text.size()))
    throw std::runtime_error("cannot write " + Path);
  ::fchmod(Fd, Mode);
  ::close(Fd);
}

inline std::string readFile(const std::string &Path) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return "<" + std::string(strerror(errno)) + ">";
  std::string Text;
  char Buf[4096];
  for (ssize_t N; (N = ::read(Fd, Buf, sizeof Buf)) > 0;)
    Text.append(Buf, size_t(N));
  ::close(Fd);
  return Text;
}

/// Enters a private mount namespace the first time (the process must be
/// single-threaded then: before any server starts).
inline void enterPrivateMounts() {
  static bool Done = false;
  if (Done)
    return;
  if (unshare(CLONE_NEWNS) != 0 ||
      mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    throw std::runtime_error(std::string("private mount namespace: ") +
                             strerror(errno));
  Done = true;
}

/// Two pipes for a parent and a forked child to take turns: each side
/// signals the other and waits for it (system calls only).
struct Handshake {
  int ToChild[2] = {-1, -1}, ToParent[2] = {-1, -1};
  Handshake() {
    if (pipe(ToChild) != 0 || pipe(ToParent) != 0)
      throw std::runtime_error("pipe");
  }
  ~Handshake() {
    for (int Fd : {ToChild[0], ToChild[1], ToParent[0], ToParent[1]})
      ::close(Fd);
  }
  void childSignal() { (void)!::write(ToParent[1], "x", 1); }
  void childWait() {
    char C;
    (void)!::read(ToChild[0], &C, 1);
  }
  bool parentWait() {
    char C;
    return ::read(ToParent[0], &C, 1) == 1;
  }
  bool parentSignal() { return ::write(ToChild[1], "x", 1) == 1; }
};

struct RunResult {
  int Status = -1; ///< exit code, or 128+N for a signal
  std::string Output;
};

class FuseFixture {
public:
  explicit FuseFixture(const char *Policy = FusePolicy,
                       runtime::FuseMountOptions Opts = {}) {
    enterPrivateMounts();
    char Dir[] = "/tmp/peapod-fuse-test-XXXXXX";
    if (!mkdtemp(Dir))
      throw std::runtime_error("mkdtemp");
    Tmp = Dir;
    Root = Tmp + "/root";
    Mnt = Tmp + "/mnt";
    buildTree();
    compile(Policy);
    std::string Error;
    runtime::Cgroup2Mount CgMount;
    if (!runtime::findCgroup2Mount(CgMount, Error))
      throw std::runtime_error(Error);
    static int Serial = 0;
    if (!Cgroup.create(CgMount,
                       "fuse-test-" + std::to_string(getpid()) + "-" +
                           std::to_string(++Serial),
                       Error))
      throw std::runtime_error(Error);
    Labels = std::make_unique<runtime::PeaLabels>(Img, 0, Cgroup.path());
    for (const char *Pea : {"alice", "bob"})
      Cgroup.createPea(Pea, Error);
    start(Opts);
  }

  ~FuseFixture() {
    Server.reset();
    Cgroup.remove();
    umount2((Root + "/usr").c_str(), MNT_DETACH);
    umount2(Mnt.c_str(), MNT_DETACH);
    std::string Cmd = "rm -rf '" + Tmp + "'";
    (void)!system(Cmd.c_str());
  }

  void start(const runtime::FuseMountOptions &Opts) {
    Server.reset();
    std::string Error;
    int RootFd = ::open(Root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    Server = runtime::FuseServer::start(Mnt, RootFd, Img, *Labels, Opts,
                                        Audit, Error);
    ::close(RootFd);
    if (!Server)
      throw std::runtime_error("FuseServer::start: " + Error);
  }

  /// Runs `Body` in a child process in pea `Pea`, chrooted into the mount;
  /// its return value is the exit status. `Body` must only make system
  /// calls (the parent has threads).
  int runIn(const std::string &Pea, const std::function<int()> &Body) {
    std::string Procs = Cgroup.peaDirectory(Pea) + "/cgroup.procs";
    pid_t Pid = fork();
    if (Pid == 0) {
      enterPea(Procs);
      _exit(Body());
    }
    return waitFor(Pid);
  }

  /// Runs a program in pea `Pea` (chrooted), capturing stdout and stderr.
  RunResult exec(const std::string &Pea, std::vector<std::string> Argv) {
    int Pipe[2];
    if (pipe2(Pipe, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe");
    std::vector<char *> Args;
    for (std::string &A : Argv)
      Args.push_back(A.data());
    Args.push_back(nullptr);
    char Path[] = "PATH=/usr/bin:/bin";
    char *Env[] = {Path, nullptr};
    std::string Procs = Cgroup.peaDirectory(Pea) + "/cgroup.procs";
    pid_t Pid = fork();
    if (Pid == 0) {
      enterPea(Procs);
      dup2(Pipe[1], 1);
      dup2(Pipe[1], 2);
      execve(Args[0], Args.data(), Env);
      _exit(127);
    }
    ::close(Pipe[1]);
    RunResult R;
    char Buf[4096];
    for (ssize_t N; (N = ::read(Pipe[0], Buf, sizeof Buf)) > 0;)
      R.Output.append(Buf, size_t(N));
    ::close(Pipe[0]);
    R.Status = waitFor(Pid);
    return R;
  }

  /// In a child: moves itself into the pea's cgroup and chroots into the
  /// mount or `Chroot` (exit 250/251 if it cannot). System calls only.
  void enterPea(const std::string &Procs) {
    int Fd = ::open(Procs.c_str(), O_WRONLY | O_CLOEXEC);
    if (Fd < 0 || ::write(Fd, "0", 1) != 1)
      _exit(250);
    ::close(Fd);
    const std::string &Dir = Chroot.empty() ? Mnt : Chroot;
    if (chroot(Dir.c_str()) != 0 || chdir("/") != 0)
      _exit(251);
  }

  static int waitFor(pid_t Pid) {
    int Status = 0;
    while (waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
  }

  std::string Tmp, Root, Mnt;
  /// Where processes are chrooted: the mount unless set (the benchmarks
  /// run the same workloads on the bare tree).
  std::string Chroot;
  std::vector<uint64_t> ImageBytes;
  ppi_image Img{};
  runtime::PodCgroup Cgroup;
  std::unique_ptr<runtime::PeaLabels> Labels;
  runtime::AuditLog *Audit = nullptr;
  std::unique_ptr<runtime::FuseServer> Server;

private:
  void buildTree() {
    for (const std::string &D :
         {Root, Mnt, Root + "/usr", Root + "/data", Root + "/data/secret",
          Root + "/data/shared", Root + "/tmp", Root + "/tmp/jail",
          Root + "/tmp/plain", Tmp + "/outside"})
      ::mkdir(D.c_str(), 0755);
    ::chmod((Root + "/tmp").c_str(), 01777);
    for (const char *L : {"bin", "lib", "lib64", "sbin"}) {
      std::string Target = std::string("usr/") + L;
      (void)!symlink(Target.c_str(), (Root + "/" + L).c_str());
    }
    if (mount("/usr", (Root + "/usr").c_str(), nullptr, MS_BIND | MS_REC,
              nullptr) != 0 ||
        mount(nullptr, (Root + "/usr").c_str(), nullptr,
              MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0)
      throw std::runtime_error("bind /usr");
    writeFile(Root + "/data/public.txt", "public\n");
    writeFile(Root + "/data/secret/key", "secret\n");
    writeFile(Root + "/data/shared/notes", "notes\n");
    writeFile(Root + "/data/shared/locked", "locked\n");
    writeFile(Root + "/tmp/jail/secret", "jailed\n");
    writeFile(Root + "/tmp/good", "good\n");
    writeFile(Root + "/data/run.sh", "#!/bin/sh\necho ran\n", 0755);
    writeFile(Root + "/data/noexec.sh", "#!/bin/sh\necho ran\n", 0755);
    writeFile(Tmp + "/outside/host-secret", "host\n");
  }

  void compile(const char *Policy) {
    CompileOptions Opts;
    Compilation C(Opts);
    if (!C.compileBuffer("fuse-test.pea", Policy) || C.diags().hasErrors())
      throw std::runtime_error("test policy does not compile");
    std::string Bytes = writeImage(C.policy());
    ImageBytes.assign((Bytes.size() + 7) / 8, 0);
    std::memcpy(ImageBytes.data(), Bytes.data(), Bytes.size());
    char Err[256];
    if (ppi_open(&Img, ImageBytes.data(), Bytes.size(), Err, sizeof Err) !=
        PPI_OK)
      throw std::runtime_error(Err);
  }
};

/// errno of open(Path, Flags) in the calling process: 0 on success.
inline int openErrno(const char *Path, int Flags) {
  int Fd = ::open(Path, Flags | O_CLOEXEC, 0644);
  if (Fd < 0)
    return errno;
  ::close(Fd);
  return 0;
}

} // namespace peapod::test

#endif
