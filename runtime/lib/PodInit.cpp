//===- PodInit.cpp - PID 1 of a pod: its file system, then CMD -------------===//
//
// Cloned by the supervisor into new mount, PID, IPC, UTS (and with --net
// none, network) namespaces. In the order bubblewrap uses, each step
// checked:
//   1. die with the supervisor (PR_SET_PDEATHSIG), wait for its go;
//   2. enter the pod's cgroup, then a cgroup namespace rooted there (the
//      pod sees its peas as /pea.NAME and nothing above);
//   3. make every mount private, bind the root onto itself, add the
//      --mount binds (targets resolved inside the root, no symbolic links),
//      a tmpfs /dev with a minimal device set, devpts, /dev/shm, mqueue, and
//      the pod's own /proc (its /proc/sys and sysrq-trigger read-only);
//   4. pivot_root into it and detach the old root;
//   5. fork CMD: new session (no controlling terminal: no TIOCSTI), reduced
//      capability bounding set, no-new-privileges, descriptors closed, seized
//      by the tracer, then the seccomp filter, then exec.
// It then traces CMD (ExecTracer.cpp), forwards signals to it, reaps
// orphans, and exits with CMD's status; its exit ends the PID namespace,
// which kills whatever is left.
//
//===----------------------------------------------------------------------===//
#include "Pod.h"
#include "PodFileSystem.h"
#include "peapod/runtime/CgroupPrograms.h"
#include "peapod/runtime/AuditLog.h"
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/ptrace.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

namespace peapod::runtime {

[[noreturn]] static void fail(const std::string &Message) {
  fprintf(stderr, "peapod: error: %s\n", Message.c_str());
  _exit(ExitSetup);
}

static std::string errnoText(const std::string &What) {
  return What + ": " + strerror(errno);
}

/// makeMountPoint (PodFileSystem.h), or the end of the pod's set-up.
static int mountPointIn(int Root, const std::string &Path) {
  std::string Error;
  int Fd = makeMountPoint(Root, Path, true, Error);
  if (Fd < 0)
    fail(Error);
  return Fd;
}

static void mountFs(const char *Type, int Target, unsigned long Flags,
                    const char *Data) {
  std::string T = fdPath(Target);
  if (mount(Type, T.c_str(), Type, Flags, Data) != 0)
    fail(errnoText(std::string("cannot mount ") + Type));
}

/// A fresh view of a directory just mounted over (the old descriptor still
/// names the directory below the mount).
static int reopen(int Parent, const char *Name) {
  int Fd = openInRoot(Parent, Name, O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS);
  if (Fd < 0)
    fail(errnoText(std::string("cannot open /") + Name));
  return Fd;
}

static void buildDev(int Root) {
  close(mountPointIn(Root, "dev"));
  int Dev = reopen(Root, "dev");
  mountFs("tmpfs", Dev, MS_NOSUID | MS_NOEXEC, "mode=755,size=1m");
  close(Dev);
  Dev = reopen(Root, "dev");
  std::string D = fdPath(Dev);
  int DevFd = open(D.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (DevFd < 0)
    fail(errnoText("cannot open /dev"));
  for (const PodDevice &Device : podDevices()) // the device rules' list
    if (mknodat(DevFd, Device.Name, S_IFCHR | 0666,
                makedev(Device.Major, Device.Minor)) != 0)
      fail(errnoText(std::string("cannot create /dev/") + Device.Name));
  struct {
    const char *Target, *Name;
  } Links[] = {{"/proc/self/fd", "fd"},
               {"/proc/self/fd/0", "stdin"},
               {"/proc/self/fd/1", "stdout"},
               {"/proc/self/fd/2", "stderr"},
               {"pts/ptmx", "ptmx"}};
  for (const auto &Link : Links)
    if (symlinkat(Link.Target, DevFd, Link.Name) != 0)
      fail(errnoText(std::string("cannot create /dev/") + Link.Name));
  for (const char *Dir : {"pts", "shm", "mqueue"})
    if (mkdirat(DevFd, Dir, 0755) != 0)
      fail(errnoText(std::string("cannot create /dev/") + Dir));
  int Pts = reopen(DevFd, "pts");
  mountFs("devpts", Pts, MS_NOSUID | MS_NOEXEC,
          "newinstance,ptmxmode=0666,mode=620");
  close(Pts);
  int Shm = reopen(DevFd, "shm");
  mountFs("tmpfs", Shm, MS_NOSUID | MS_NODEV, "mode=1777");
  close(Shm);
  int Mq = reopen(DevFd, "mqueue");
  mountFs("mqueue", Mq, MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
  close(Mq);
  close(DevFd);
  close(Dev);
}

static void buildProc(int Root) {
  close(mountPointIn(Root, "proc"));
  int Proc = reopen(Root, "proc");
  mountFs("proc", Proc, MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
  close(Proc);
  // Global kernel settings a root process could write: read-only.
  std::string P = fdPath(reopen(Root, "proc"));
  for (const char *Entry : {"sys", "sysrq-trigger", "irq", "bus"}) {
    std::string Path = P + "/" + Entry;
    if (access(Path.c_str(), F_OK) != 0)
      continue;
    if (mount(Path.c_str(), Path.c_str(), nullptr, MS_BIND | MS_REC,
              nullptr) != 0 ||
        mount(nullptr, Path.c_str(), nullptr,
              MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV |
                  MS_NOEXEC,
              nullptr) != 0)
      fail(errnoText("cannot make /proc/" + std::string(Entry) +
                     " read-only"));
  }
}

static void loopbackUp() {
  int S = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (S < 0)
    fail(errnoText("socket"));
  struct ifreq Req;
  memset(&Req, 0, sizeof Req);
  strncpy(Req.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(S, SIOCGIFFLAGS, &Req) != 0)
    fail(errnoText("cannot read the flags of lo"));
  Req.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl(S, SIOCSIFFLAGS, &Req) != 0)
    fail(errnoText("cannot bring lo up"));
  close(S);
}

static void buildFileSystem(const PodPlan &Plan) {
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    fail(errnoText("cannot make the mounts private"));
  // The pod's / is the FUSE mount the supervisor made over the tree it
  // composed (root and --mount binds, PodFileSystem.cpp); /dev and /proc go
  // on top of it, so only they bypass the file rules.
  const char *Tree = Plan.TreeMountpoint.c_str();
  int Root = open(Tree, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (Root < 0)
    fail(errnoText("cannot open the pod's tree"));
  buildDev(Root);
  buildProc(Root);
  close(Root);
  if (chdir(Tree) != 0)
    fail(errnoText("cannot enter the root"));
  if (syscall(SYS_pivot_root, ".", ".") != 0)
    fail(errnoText("pivot_root"));
  if (umount2(".", MNT_DETACH) != 0)
    fail(errnoText("cannot detach the old root"));
  if (chdir("/") != 0)
    fail(errnoText("chdir /"));
}

static void enterPodCgroup(const PodPlan &Plan) {
  std::string Procs = Plan.PodCgroupDir + "/cgroup.procs";
  int Fd = open(Procs.c_str(), O_WRONLY | O_CLOEXEC);
  if (Fd < 0 || write(Fd, "0", 1) != 1)
    fail(errnoText("cannot enter the pod's cgroup"));
  close(Fd);
  if (unshare(CLONE_NEWCGROUP) != 0)
    fail(errnoText("cannot create the cgroup namespace"));
}

static std::vector<int> openPeaProcs(const PodPlan &Plan) {
  const ppi_pod &P = Plan.Image->pods[Plan.Pod];
  std::vector<int> Fds;
  for (uint32_t I = 0; I < P.pea_count; ++I) {
    const ppi_pea &Pea = Plan.Image->peas[P.first_pea + I];
    std::string Name(ppi_string(Plan.Image, Pea.name_off), Pea.name_len);
    std::string Path = Plan.PodCgroupDir + "/pea." + Name + "/cgroup.procs";
    int Fd = open(Path.c_str(), O_WRONLY | O_CLOEXEC);
    if (Fd < 0)
      fail(errnoText("cannot open '" + Path + "'"));
    Fds.push_back(Fd);
  }
  return Fds;
}

/// The child that becomes CMD. `Go` is read once the tracer has seized it.
[[noreturn]] static void runCommandChild(const PodPlan &Plan, int Go) {
  const RunOptions &O = *Plan.Options;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  char Byte;
  if (read(Go, &Byte, 1) != 1)
    _exit(ExitSetup); // the tracer is gone
  close(Go);
  std::string Error;
  if (setsid() < 0)
    fail(errnoText("setsid"));
  if (!reducePodCapabilities(Error))
    fail(Error);
  closeDescriptorsExcept({});
  sigprocmask(SIG_SETMASK, &Plan.CallerMask, nullptr);
  if (!loadPodSeccompFilter(Error))
    fail(Error);
  std::vector<char *> Argv;
  for (const std::string &A : O.Command)
    Argv.push_back(const_cast<char *>(A.c_str()));
  Argv.push_back(nullptr);
  execvp(Argv[0], Argv.data());
  fprintf(stderr, "peapod: error: cannot execute '%s': %s\n", Argv[0],
          strerror(errno));
  _exit(ExitNoExec);
}

void runPodInit(const PodPlan &Plan) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  char Byte;
  if (read(Plan.SyncFd, &Byte, 1) != 1)
    _exit(ExitSetup); // the supervisor died before we could notice
  close(Plan.SyncFd);
  // Nobody in the pod may read our memory or descriptors.
  prctl(PR_SET_DUMPABLE, 0);
  std::vector<int> Keep;
  if (Plan.Audit)
    Keep.push_back(Plan.Audit->fd());
  closeDescriptorsExcept(Keep);
  umask(0);

  enterPodCgroup(Plan);
  std::vector<int> PeaProcs = openPeaProcs(Plan);
  if (sethostname(Plan.PodName.data(), Plan.PodName.size()) != 0)
    fail(errnoText("sethostname"));
  if (Plan.Options->Net == NetMode::None)
    loopbackUp();
  buildFileSystem(Plan);
  umask(022);

  sigset_t Blocked;
  int SignalFd = blockForwardedSignals(Blocked);
  if (SignalFd < 0)
    fail(errnoText("signalfd"));

  int GoPipe[2];
  if (pipe2(GoPipe, O_CLOEXEC) != 0)
    fail(errnoText("pipe"));
  pid_t Child = fork();
  if (Child < 0)
    fail(errnoText("fork"));
  if (Child == 0) {
    close(GoPipe[1]);
    runCommandChild(Plan, GoPipe[0]);
  }
  close(GoPipe[0]);
  // The command starts in its pea, seized before it can run anything.
  const ppi_pod &P = Plan.Image->pods[Plan.Pod];
  std::string Pid = std::to_string(Child);
  if (write(PeaProcs[Plan.Pea - P.first_pea], Pid.data(), Pid.size()) !=
      static_cast<ssize_t>(Pid.size()))
    fail(errnoText("cannot move the command into its pea"));
  if (Plan.LabelEpoch)
    Plan.LabelEpoch->bump();
  long Options = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEEXEC |
                 PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
                 PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL;
  if (syscall(SYS_ptrace, PTRACE_SEIZE, Child, 0, Options) != 0)
    fail(errnoText("cannot trace the command"));
  if (write(GoPipe[1], "g", 1) != 1)
    fail(errnoText("cannot start the command"));
  close(GoPipe[1]);

  ExecTracerConfig Config;
  Config.Image = Plan.Image;
  Config.Pod = Plan.Pod;
  Config.PodName = Plan.PodName;
  Config.PeaProcsFds = std::move(PeaProcs);
  Config.Audit = Plan.Audit;
  Config.Complain = Plan.Options->Complain;
  Config.SignalFd = SignalFd;
  Config.LabelEpoch = Plan.LabelEpoch;
  _exit(traceExecs(Config, Child));
}

} // namespace peapod::runtime
