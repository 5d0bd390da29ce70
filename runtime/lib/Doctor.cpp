//===- Doctor.cpp - `peapod doctor`: what this kernel offers ---------------===//
//
// One line per mechanism: "CHECK: RESULT" with RESULT "ok (...)" or
// "missing (...)". Each probe runs in a child process where it changes
// anything (namespaces, filters), so doctor leaves nothing behind. Exit 0
// when everything `peapod run` needs is there, 1 otherwise.
//
//===----------------------------------------------------------------------===//
#include "Files.h"
#include "Pod.h"
#include "peapod/runtime/CgroupPrograms.h"
#include "peapod/runtime/Cgroups.h"
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <linux/landlock.h>
#include <linux/ptrace.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

namespace peapod::runtime {

/// Runs `Probe` in a child; true if it exits 0.
static bool inChild(const std::function<bool()> &Probe) {
  pid_t Pid = fork();
  if (Pid < 0)
    return false;
  if (Pid == 0)
    _exit(Probe() ? 0 : 1);
  int Status = 0;
  while (waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(Status) && WEXITSTATUS(Status) == 0;
}

static bool tracedExecStops() {
  // A seized child under a RET_TRACE filter on execve: the tracer must see
  // the seccomp stop and then the exec event.
  return inChild([] {
    int Go[2];
    if (pipe(Go) != 0)
      return false;
    pid_t Child = fork();
    if (Child == 0) {
      char B;
      if (read(Go[0], &B, 1) != 1)
        _exit(1);
      std::string Error;
      prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
      scmp_filter_ctx Ctx = seccomp_init(SCMP_ACT_ALLOW);
      seccomp_rule_add(Ctx, SCMP_ACT_TRACE(0), SCMP_SYS(execve), 0);
      if (seccomp_load(Ctx) != 0)
        _exit(1);
      execl("/bin/true", "true", nullptr);
      _exit(1);
    }
    if (syscall(SYS_ptrace, PTRACE_SEIZE, Child, 0,
                PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEEXEC |
                    PTRACE_O_EXITKILL) != 0)
      return false;
    if (write(Go[1], "g", 1) != 1)
      return false;
    bool SawSeccomp = false, SawExec = false;
    for (;;) {
      int Status;
      if (waitpid(Child, &Status, __WALL) < 0)
        return false;
      if (!WIFSTOPPED(Status))
        return SawSeccomp && SawExec && WIFEXITED(Status) &&
               WEXITSTATUS(Status) == 0;
      int Event = Status >> 16;
      SawSeccomp |= Event == PTRACE_EVENT_SECCOMP;
      SawExec |= Event == PTRACE_EVENT_EXEC;
      int Sig = Event == 0 ? WSTOPSIG(Status) : 0;
      syscall(SYS_ptrace, PTRACE_CONT, Child, 0, Sig);
    }
  });
}

int runDoctor() {
  int Missing = 0;
  auto Line = [&](const char *Check, bool Ok, const std::string &Detail,
                  bool Needed = true) {
    printf("%-34s %s%s%s%s\n", (std::string(Check) + ":").c_str(),
           Ok ? "ok" : (Needed ? "missing" : "absent (not needed)"),
           Detail.empty() ? "" : " (", Detail.c_str(),
           Detail.empty() ? "" : ")");
    if (!Ok && Needed)
      ++Missing;
  };
  struct utsname U;
  uname(&U);
  Line("kernel", true, std::string(U.sysname) + " " + U.release + " " +
                           U.machine);
  Line("running as root", geteuid() == 0, "peapod run needs it");
  Cgroup2Mount Mount;
  std::string Error;
  bool HaveCgroup = findCgroup2Mount(Mount, Error);
  Line("cgroup v2 hierarchy", HaveCgroup,
       HaveCgroup ? Mount.Directory : Error);
  if (HaveCgroup) {
    std::string Text;
    bool Kill = access((Mount.Directory + "/cgroup.procs").c_str(), F_OK) ==
                    0 &&
                inChild([&] {
                  std::string Dir = Mount.Directory + "/peapod-doctor." +
                                    std::to_string(getpid());
                  if (mkdir(Dir.c_str(), 0755) != 0)
                    return false;
                  bool Has = access((Dir + "/cgroup.kill").c_str(), F_OK) == 0;
                  rmdir(Dir.c_str());
                  return Has;
                });
    Line("cgroup.kill", Kill, "kills a pod's processes at once", false);
  }
  struct {
    const char *Name;
    int Flag;
  } Namespaces[] = {{"mount namespace", CLONE_NEWNS},
                    {"PID namespace", CLONE_NEWPID},
                    {"IPC namespace", CLONE_NEWIPC},
                    {"UTS namespace", CLONE_NEWUTS},
                    {"network namespace", CLONE_NEWNET},
                    {"cgroup namespace", CLONE_NEWCGROUP}};
  for (const auto &N : Namespaces)
    Line(N.Name, inChild([&] { return unshare(N.Flag) == 0; }), "unshare");
  Line("no-new-privileges", inChild([] {
         return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0;
       }),
       "");
  Line("capability bounding set", inChild([] {
         std::string E;
         return reducePodCapabilities(E);
       }),
       "keeps " + std::to_string(podCapabilityNames().size()) +
           " capabilities");
  const struct scmp_version *V = seccomp_version();
  Line("seccomp filter (libseccomp)", inChild([] {
         std::string E;
         return loadPodSeccompFilter(E);
       }),
       "libseccomp " + std::to_string(V->major) + "." +
           std::to_string(V->minor) + "." + std::to_string(V->micro) + ", " +
           std::to_string(hostOnlySyscalls().size()) +
           " host-only calls denied");
  Line("exec tracing (RET_TRACE + ptrace)", tracedExecStops(),
       "seccomp stop and exec event seen");
  Line("openat2", inChild([] {
         return syscall(SYS_openat2, AT_FDCWD, "/", nullptr, 0) < 0 &&
                errno != ENOSYS;
       }),
       "mount points resolved inside the root");
  Line("/dev/fuse", access("/dev/fuse", R_OK | W_OK) == 0,
       "the file rules' FUSE layer");
  CgroupBpfSupport Bpf = probeCgroupBpf(); // loads, attaches nothing
  Line("cgroup BPF (network, devices)", Bpf.Loads, Bpf.Detail);
  Line("cgroup BPF unix socket hooks", Bpf.UnixHooks,
       Bpf.UnixHooks ? "connect_unix, sendmsg_unix: socket paths by file rules"
                     : "connect_unix/sendmsg_unix need Linux 6.7",
       false);
  long Landlock = syscall(SYS_landlock_create_ruleset, nullptr, 0,
                          LANDLOCK_CREATE_RULESET_VERSION);
  Line("Landlock", Landlock > 0,
       Landlock > 0 ? "ABI " + std::to_string(Landlock) : strerror(errno),
       false);
  std::string Lsm;
  bool BpfLsm = readWholeFile("/sys/kernel/security/lsm", Lsm, Error) &&
                Lsm.find("bpf") != std::string::npos;
  Line("BPF LSM", BpfLsm, "", false);
  printf("%s\n", Missing ? "peapod run cannot work here" : "peapod run can "
                                                           "work here");
  return Missing ? ExitRefused : 0;
}

} // namespace peapod::runtime
