//===- PodFileSystem.cpp - The pod's tree under the FUSE layer ------------===//
//
// Why the supervisor and not the pod's init composes the tree: the FUSE
// daemon must see its callers' pids in the host's PID namespace (PeaLabels
// reads /proc/PID/cgroup) and it must serve a tree that already holds the
// --mount binds, so that the file rules cover bound host directories too.
// So the supervisor, still in the host's PID namespace, takes a private
// mount namespace (nothing it mounts is seen by the host, and all of it
// goes when the last process in it exits), binds the root there, binds the
// --mount sources inside it, and mounts FUSE over it. The pod's init gets a
// copy of that namespace at clone and pivots onto the FUSE mount.
//
//===----------------------------------------------------------------------===//
#include "PodFileSystem.h"
#include "peapod/runtime/PeaLabels.h"
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/openat2.h>
#include <new>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace peapod::runtime {

std::string fdPath(int Fd) { return "/proc/self/fd/" + std::to_string(Fd); }

int openInRoot(int Dir, const char *Path, uint64_t Flags, uint64_t Resolve) {
  struct open_how How;
  memset(&How, 0, sizeof How);
  How.flags = Flags | O_CLOEXEC;
  How.resolve = Resolve;
  return static_cast<int>(syscall(SYS_openat2, Dir, Path, &How, sizeof How));
}

static std::string errnoText(const std::string &What) {
  return What + ": " + strerror(errno);
}

int makeMountPoint(int Root, const std::string &Path, bool Directory,
                   std::string &Error) {
  int Current = fcntl(Root, F_DUPFD_CLOEXEC, 0);
  size_t Start = 0;
  while (Current >= 0 && Start < Path.size()) {
    while (Start < Path.size() && Path[Start] == '/')
      ++Start;
    if (Start >= Path.size())
      break;
    size_t End = Path.find('/', Start);
    if (End == std::string::npos)
      End = Path.size();
    std::string Name = Path.substr(Start, End - Start);
    Start = End;
    bool Last = Path.find_first_not_of('/', Start) == std::string::npos;
    if (Name == "..") {
      close(Current);
      Error = "mount point '" + Path + "' has '..'";
      return -1;
    }
    if (Last && !Directory) {
      int Fd = openat(Current, Name.c_str(),
                      O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
                      0644);
      if (Fd >= 0)
        close(Fd);
    } else if (mkdirat(Current, Name.c_str(), 0755) != 0 && errno != EEXIST) {
      Error = errnoText("cannot create mount point '" + Path + "'");
      close(Current);
      return -1;
    }
    int Next = openInRoot(Current, Name.c_str(), O_PATH | O_NOFOLLOW,
                          RESOLVE_NO_SYMLINKS);
    close(Current);
    Current = Next;
  }
  if (Current < 0)
    Error = errnoText("cannot open mount point '" + Path + "'");
  return Current;
}

/// Binds `M.Host` at `M.Pod` under `Root`; a read-only bind is remounted
/// through a fresh descriptor (the first one names the directory below).
static bool bindInto(int Root, const BindMount &M, std::string &Error) {
  struct stat St;
  if (stat(M.Host.c_str(), &St) != 0) {
    Error = errnoText("cannot use --mount source '" + M.Host + "'");
    return false;
  }
  bool Directory = S_ISDIR(St.st_mode);
  for (int Step = 0; Step < (M.ReadOnly ? 2 : 1); ++Step) {
    int Target = makeMountPoint(Root, M.Pod, Directory, Error);
    if (Target < 0)
      return false;
    std::string T = fdPath(Target);
    int Rc = Step == 0
                 ? ::mount(M.Host.c_str(), T.c_str(), nullptr, MS_BIND, nullptr)
                 : ::mount(nullptr, T.c_str(), nullptr,
                           MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
                               MS_NODEV,
                           nullptr);
    close(Target);
    if (Rc != 0) {
      Error = errnoText(Step == 0 ? "cannot bind '" + M.Host + "'"
                                  : "cannot make '" + M.Host + "' read-only");
      return false;
    }
  }
  return true;
}

/// The pod's tree in a new private mount namespace: a descriptor of its
/// root, or -1 and `Error`.
static int composeTree(const RunOptions &O, std::string &Error) {
  if (unshare(CLONE_NEWNS) != 0 ||
      ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    Error = errnoText("cannot make a private mount namespace");
    return -1;
  }
  // Not recursive: what is mounted below the root on the host stays out
  // (compose the pod's tree with --mount).
  if (::mount(O.Root.c_str(), O.Root.c_str(), nullptr, MS_BIND, nullptr) !=
      0) {
    Error = errnoText("cannot bind the root '" + O.Root + "'");
    return -1;
  }
  int Root = open(O.Root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (Root < 0) {
    Error = errnoText("cannot open the root '" + O.Root + "'");
    return -1;
  }
  for (const BindMount &M : O.Mounts)
    if (!bindInto(Root, M, Error)) {
      close(Root);
      return -1;
    }
  // Where the pod's init mounts /dev and /proc: made here, so that init
  // (a reader of the FUSE tree, never a writer) only has to find them.
  for (const char *Dir : {"dev", "proc"}) {
    int Fd = makeMountPoint(Root, Dir, true, Error);
    if (Fd < 0) {
      close(Root);
      return -1;
    }
    close(Fd);
  }
  return Root;
}

int PodFileSystem::mount(const RunOptions &O, const ppi_image &Img,
                         uint32_t Pod, const std::string &PodCgroupPath,
                         FuseMountOptions Options, const std::string &StateDir,
                         AuditLog *Audit) {
  std::string Error;
  void *Shared = mmap(nullptr, sizeof(SharedLabelEpoch),
                      PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
                      0);
  if (Shared == MAP_FAILED) {
    fprintf(stderr, "peapod: error: %s\n", errnoText("mmap").c_str());
    return ExitSetup;
  }
  Epoch = new (Shared) SharedLabelEpoch;
  int Root = composeTree(O, Error);
  if (Root < 0) {
    fprintf(stderr, "peapod: error: %s\n", Error.c_str());
    return ExitSetup;
  }
  Mountpoint = StateDir + "/fs";
  if (::mkdir(Mountpoint.c_str(), 0700) != 0) {
    fprintf(stderr, "peapod: error: %s\n",
            errnoText("cannot create '" + Mountpoint + "'").c_str());
    close(Root);
    return ExitSetup;
  }
  Labels = std::make_unique<PeaLabels>(Img, Pod, PodCgroupPath);
  Options.LabelEpoch = &Epoch->Value;
  Options.RuntimeReader = &Reader;
  Server = FuseServer::mount(Mountpoint, Root, Img, *Labels, Options, Audit,
                             Error);
  close(Root);
  if (!Server) {
    fprintf(stderr,
            "peapod: error: the FUSE layer that enforces the file rules "
            "cannot start: %s; refusing to run the pod without its file "
            "rules (see 'peapod doctor')\n",
            Error.c_str());
    return ExitRefused;
  }
  return 0;
}

void PodFileSystem::serve(pid_t Init) {
  Reader.store(Init, std::memory_order_release);
  if (Server)
    Server->serve();
}

void PodFileSystem::stop() {
  initReaped();
  if (Server)
    Server->stop();
  Server.reset();
}

PodFileSystem::~PodFileSystem() {
  stop();
  if (Epoch) {
    Epoch->~SharedLabelEpoch();
    munmap(Epoch, sizeof(SharedLabelEpoch));
  }
}

} // namespace peapod::runtime
