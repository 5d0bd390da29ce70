//===- Supervisor.cpp - `peapod run` ---------------------------------------===//
//
// Validates everything it can before touching the system (image digest and
// bounds, pod, pea, root, --mount sources: exit 2), refuses to start when a
// mechanism is missing (exit 1), records the run's state under /run/peapod
// so that a killed supervisor's leftovers can be removed, creates the pod's
// cgroups, clones the pod's init into new namespaces, forwards signals to
// it, and on every exit path removes the cgroups (killing whatever is left)
// and the state. If the supervisor is killed, the pod's init dies with it
// (PR_SET_PDEATHSIG) and takes the PID namespace with it.
//
//===----------------------------------------------------------------------===//
#include "Pod.h"
#include "PodFileSystem.h"
#include "peapod/runtime/FuseSetup.h"
#include "peapod/InputFile.h"
#include "peapod/runtime/AuditLog.h"
#include "peapod/runtime/CgroupPrograms.h"
#include "peapod/runtime/Cgroups.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <random>
#include <sched.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace peapod::runtime {

const std::vector<int> &forwardedSignals() {
  static const std::vector<int> Signals = {SIGHUP,  SIGINT,  SIGQUIT,
                                           SIGTERM, SIGUSR1, SIGUSR2,
                                           SIGWINCH, SIGALRM, SIGCONT};
  return Signals;
}

int blockForwardedSignals(sigset_t &OldMask) {
  sigset_t Mask;
  sigemptyset(&Mask);
  sigaddset(&Mask, SIGCHLD);
  for (int Sig : forwardedSignals())
    sigaddset(&Mask, Sig);
  sigprocmask(SIG_BLOCK, &Mask, &OldMask);
  return signalfd(-1, &Mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

void closeDescriptorsExcept(const std::vector<int> &Keep) {
  unsigned Next = 3;
  std::vector<int> Sorted = Keep;
  std::sort(Sorted.begin(), Sorted.end());
  for (int Fd : Sorted) {
    if (Fd < static_cast<int>(Next))
      continue;
    if (static_cast<unsigned>(Fd) > Next)
      syscall(SYS_close_range, Next, static_cast<unsigned>(Fd) - 1, 0);
    Next = static_cast<unsigned>(Fd) + 1;
  }
  syscall(SYS_close_range, Next, ~0u, 0);
}

static int usage(const std::string &Message) {
  fprintf(stderr, "peapod: error: %s\n", Message.c_str());
  return ExitUsage;
}

namespace {
/// The verified image and the pod and pea asked for.
struct LoadedImage {
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  ppi_image Image;
  uint32_t Pod = PPI_NONE, Pea = PPI_NONE;
};
} // namespace

static int loadImage(const RunOptions &O, LoadedImage &L) {
  auto Buffer = readInputFile(O.Image);
  if (!Buffer)
    return usage("cannot read image '" + O.Image +
                 "': " + llvm::toString(Buffer.takeError()));
  L.Buffer = std::move(*Buffer);
  char Error[256] = "";
  if (ppi_open(&L.Image, L.Buffer->getBufferStart(),
               L.Buffer->getBufferSize(), Error, sizeof Error) != PPI_OK)
    return usage("'" + O.Image + "' is not a valid policy image: " + Error +
                 " (compile it with 'peapodc --target kmod')");
  L.Pod = ppi_find_pod(&L.Image, O.Pod.data(), O.Pod.size());
  if (L.Pod == PPI_NONE)
    return usage("image '" + O.Image + "' has no pod '" + O.Pod + "'");
  L.Pea = ppi_find_pea(&L.Image, L.Pod, O.Pea.data(), O.Pea.size());
  if (L.Pea == PPI_NONE)
    return usage("pod '" + O.Pod + "' has no pea '" + O.Pea + "'");
  return 0;
}

/// Sources whose bind would hand the pod the host's kernel interfaces (a
/// cgroup.procs to write, /proc of the host, sysfs).
static bool isKernelInterface(const std::string &Path) {
  struct statfs S;
  if (statfs(Path.c_str(), &S) != 0)
    return false;
  switch (static_cast<unsigned long>(S.f_type)) {
  case CGROUP_SUPER_MAGIC:
  case CGROUP2_SUPER_MAGIC:
  case SYSFS_MAGIC:
  case PROC_SUPER_MAGIC:
  case DEBUGFS_MAGIC:
  case SECURITYFS_MAGIC:
  case BPF_FS_MAGIC:
    return true;
  default:
    return false;
  }
}

static int checkPaths(const RunOptions &O) {
  struct stat St;
  if (stat(O.Root.c_str(), &St) != 0)
    return usage("cannot use root '" + O.Root + "': " + strerror(errno));
  if (!S_ISDIR(St.st_mode))
    return usage("root '" + O.Root + "' is not a directory");
  for (const BindMount &M : O.Mounts) {
    if (stat(M.Host.c_str(), &St) != 0)
      return usage("cannot use --mount source '" + M.Host +
                   "': " + strerror(errno));
    if (!S_ISDIR(St.st_mode) && !S_ISREG(St.st_mode))
      return usage("--mount source '" + M.Host +
                   "' is neither a directory nor a regular file");
    if (isKernelInterface(M.Host))
      return usage("--mount source '" + M.Host +
                   "' is a kernel interface (cgroup, proc, sys, bpf, "
                   "debug or security file system): a pod never gets one");
  }
  return 0;
}

static std::string newRunId(const std::string &Pod) {
  std::random_device Random;
  char Suffix[16];
  snprintf(Suffix, sizeof Suffix, "%08x", Random());
  std::string Safe;
  for (char Ch : Pod)
    Safe += (isalnum(static_cast<unsigned char>(Ch)) || Ch == '-' ||
             Ch == '_' || Ch == '.')
                ? Ch
                : '_';
  return Safe + "." + std::to_string(getpid()) + "." + Suffix;
}

/// Waits for the pod's init, forwarding signals; its exit status as CMD's.
static int superviseInit(pid_t Init, int SignalFd) {
  for (;;) {
    struct pollfd P = {SignalFd, POLLIN, 0};
    if (poll(&P, 1, -1) < 0 && errno != EINTR)
      return ExitSetup;
    struct signalfd_siginfo Info;
    while (read(SignalFd, &Info, sizeof Info) == sizeof Info)
      if (Info.ssi_signo != SIGCHLD)
        kill(Init, static_cast<int>(Info.ssi_signo));
    int Status = 0;
    pid_t Pid = waitpid(Init, &Status, WNOHANG | __WALL);
    if (Pid == Init)
      return WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
  }
}

int runPod(const RunOptions &O) {
  LoadedImage L;
  if (int Rc = loadImage(O, L))
    return Rc;
  if (int Rc = checkPaths(O))
    return Rc;
  FuseMountOptions FuseOptions;
  FuseOptions.Complain = O.Complain;
  std::string FuseError;
  if (!fuseMountOptionsFor(O.FuseConfig, L.Image, L.Pod, FuseOptions,
                           FuseError))
    return usage(FuseError);
  std::string NetError;
  std::optional<BpfPodRules> NetRules =
      podNetworkRules(L.Image, L.Pod, O.BpfConfigFile, NetError);
  if (!NetRules)
    return usage(NetError);
  if (geteuid() != 0) {
    fprintf(stderr, "peapod: error: run needs root (namespaces, cgroups, "
                    "pivot_root)\n");
    return ExitRefused;
  }
  std::string Error;
  Cgroup2Mount Mount;
  if (!findCgroup2Mount(Mount, Error)) {
    fprintf(stderr, "peapod: error: %s: pea labels need cgroup v2\n",
            Error.c_str());
    return ExitRefused;
  }
  std::unique_ptr<AuditLog> Audit;
  if (!O.AuditFile.empty() && !(Audit = AuditLog::open(O.AuditFile, Error)))
    return usage(Error);
  cleanupDeadRuns(false);

  std::string RunId = newRunId(O.Pod);
  if (!createRunState(RunId, Error)) {
    fprintf(stderr, "peapod: error: %s\n", Error.c_str());
    return ExitSetup;
  }
  PodCgroup Cgroup;
  PodFileSystem Files;
  std::unique_ptr<CgroupPrograms> Programs; // network and device rules
  int Status = ExitSetup;
  auto Teardown = [&] {
    Files.stop();
    Cgroup.remove();
    Programs.reset(); // after the pod's processes are gone
    removeRunState(RunId);
  };
  bool Ready = Cgroup.create(Mount, RunId, Error) &&
               writeRunCgroup(RunId, Cgroup.directory(), Error);
  const ppi_pod &P = L.Image.pods[L.Pod];
  for (uint32_t I = 0; Ready && I < P.pea_count; ++I) {
    const ppi_pea &Pea = L.Image.peas[P.first_pea + I];
    Ready = Cgroup.createPea(
        std::string(ppi_string(&L.Image, Pea.name_off), Pea.name_len), Error);
  }
  if (!Ready) {
    fprintf(stderr, "peapod: error: %s\n", Error.c_str());
    Teardown();
    return ExitSetup;
  }
  Programs = attachPodPrograms(L.Image, L.Pod, O.Pod, *NetRules, Cgroup,
                               O.Complain, Audit.get(), Error);
  if (!Programs) { // fail closed: no pod without its network rules
    fprintf(stderr, "peapod: error: network and device rules cannot be "
                    "enforced: %s\n", Error.c_str());
    Teardown();
    return ExitRefused;
  }

  // The file rules: the pod's tree under the FUSE layer, before the clone
  // (the pod's init inherits the mount). Never a pod without it.
  if (int Rc = Files.mount(O, L.Image, L.Pod, Cgroup.path(), FuseOptions,
                           stateRoot() + "/" + RunId, Audit.get())) {
    Teardown();
    return Rc;
  }

  sigset_t OldMask;
  int SignalFd = blockForwardedSignals(OldMask);
  int Sync[2] = {-1, -1};
  if (SignalFd < 0 || pipe2(Sync, O_CLOEXEC) != 0) {
    fprintf(stderr, "peapod: error: %s\n", strerror(errno));
    Teardown();
    return ExitSetup;
  }

  unsigned long Flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC |
                        CLONE_NEWUTS | SIGCHLD;
  if (O.Net == NetMode::None)
    Flags |= CLONE_NEWNET;
  fflush(nullptr);
  pid_t Init = static_cast<pid_t>(syscall(SYS_clone, Flags, 0, 0, 0, 0));
  if (Init == 0) {
    close(Sync[1]);
    close(SignalFd);
    PodPlan Plan;
    Plan.Options = &O;
    Plan.Image = &L.Image;
    Plan.Pod = L.Pod;
    Plan.Pea = L.Pea;
    Plan.PodName = O.Pod;
    Plan.PodCgroupDir = Cgroup.directory();
    Plan.SyncFd = Sync[0];
    Plan.Audit = Audit.get();
    Plan.CallerMask = OldMask;
    Plan.TreeMountpoint = Files.mountpoint();
    Plan.LabelEpoch = Files.labelEpoch();
    // Keep the sync pipe: it is closed by runPodInit once read.
    runPodInit(Plan);
  }
  close(Sync[0]);
  if (Init < 0) {
    fprintf(stderr, "peapod: error: cannot create the pod's namespaces: %s\n",
            strerror(errno));
  } else {
    // The request loop's threads start after the clone, with the
    // forwarded signals blocked (they go to the signalfd).
    Files.serve(Init);
    Programs->startReporting(); // a thread: only after the clone
    if (write(Sync[1], "g", 1) != 1)
      kill(Init, SIGKILL);
    close(Sync[1]);
    Status = superviseInit(Init, SignalFd);
    Files.initReaped();
  }
  close(SignalFd);
  sigprocmask(SIG_SETMASK, &OldMask, nullptr);
  Teardown();
  return Status;
}

} // namespace peapod::runtime
