//===- ExecTracer.cpp - Transitions on exec, race-free ---------------------===//
//
// The pod's init traces CMD and, through PTRACE_O_TRACEFORK/VFORK/CLONE,
// every process and thread it creates (CLONE_UNTRACED is refused by the
// seccomp filter). Only execve/execveat stop (SECCOMP_RET_TRACE); nothing
// else pays for the tracer.
//
// At the seccomp stop of an exec the tracer resolves the file the call
// names, as the caller would (its cwd or directory descriptor, the pod's
// root), opens it, and keeps its identity (device, inode), its path as the
// kernel names the opened file, and, for a `#!` script, its interpreter's
// identity. An exec the pea may not make fails there with EACCES.
//
// At PTRACE_EVENT_EXEC (the new program is loaded and has not run one
// instruction) the tracer compares /proc/PID/exe with what it saw: the same
// inode is a binary, named by /proc/PID/exe (the kernel's name for it); the
// interpreter's inode is the script, named by its own path (which must
// still lead to the same inode); anything else means the path changed
// between the two stops (another thread rewrote it, a file was swapped), and
// the process is killed: fail closed. Then the process moves into the pea
// the transition rules choose, before it is resumed. A failed exec never
// reaches PTRACE_EVENT_EXEC, so it changes nothing.
//
//===----------------------------------------------------------------------===//
#include "Pod.h"
#include "PodFileSystem.h"
#include "peapod/runtime/AuditLog.h"
#include "peapod/runtime/PeaLabels.h"
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/ptrace.h>
#include <map>
#include <set>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <poll.h>
// <sys/ptrace.h> clashes with <linux/ptrace.h>; the calls go through syscall.
#include <sys/syscall.h>

namespace peapod::runtime {

static long ptraceCall(long Request, pid_t Pid, unsigned long Addr,
                       unsigned long Data) {
  return syscall(SYS_ptrace, Request, Pid, Addr, Data);
}

namespace {

struct FileIdentity {
  dev_t Dev = 0;
  ino_t Ino = 0;
  bool operator==(const FileIdentity &O) const {
    return Dev == O.Dev && Ino == O.Ino;
  }
};

/// What the seccomp stop of an exec saw.
struct ExecCandidate {
  std::string Path;          ///< the opened file's name in the pod
  FileIdentity File;
  bool IsScript = false;
  std::vector<FileIdentity> Interpreters; ///< `#!` chain, outermost first
};

class Tracer {
public:
  explicit Tracer(const ExecTracerConfig &C)
      : C(C), Labels(*C.Image, C.Pod, "/") {}
  int run(pid_t Main);

private:
  const ExecTracerConfig &C;
  PeaLabels Labels;
  std::map<pid_t, ExecCandidate> Candidates; ///< by thread id
  std::set<pid_t> Seen;                      ///< tracees past their first stop

  void onSeccompStop(pid_t Tid);
  void onExec(pid_t Pid);
  void onStop(pid_t Pid, int Status);
  void deny(pid_t Tid, int Errno);
  void audit(pid_t Pid, uint32_t Pea, const char *Operation,
             const std::string &Path, int Errno, uint32_t Rule);
  uint32_t localIndex(uint32_t Pea) const {
    return Pea - C.Image->pods[C.Pod].first_pea;
  }
};

} // namespace

static bool identityOf(int Fd, FileIdentity &Id, mode_t *Mode = nullptr) {
  struct stat St;
  if (fstat(Fd, &St) != 0)
    return false;
  Id.Dev = St.st_dev;
  Id.Ino = St.st_ino;
  if (Mode)
    *Mode = St.st_mode;
  return true;
}

static bool identityOfPath(const std::string &Path, FileIdentity &Id) {
  struct stat St;
  if (stat(Path.c_str(), &St) != 0)
    return false;
  Id.Dev = St.st_dev;
  Id.Ino = St.st_ino;
  return true;
}

static std::string readLink(const std::string &Path) {
  char Buffer[PATH_MAX + 1];
  ssize_t N = readlink(Path.c_str(), Buffer, PATH_MAX);
  return N < 0 ? std::string() : std::string(Buffer, static_cast<size_t>(N));
}

/// A NUL-terminated string of the tracee at `Address` (at most PATH_MAX).
static bool readTraceeString(pid_t Pid, unsigned long Address,
                             std::string &Out) {
  Out.clear();
  char Chunk[256];
  while (Out.size() < PATH_MAX) {
    // Never cross a page boundary in one read: the next page may not exist.
    size_t Room = 4096 - (Address % 4096);
    size_t Want = Room < sizeof Chunk ? Room : sizeof Chunk;
    struct iovec Local = {Chunk, Want};
    struct iovec Remote = {reinterpret_cast<void *>(Address), Want};
    ssize_t N = process_vm_readv(Pid, &Local, 1, &Remote, 1, 0);
    if (N <= 0)
      return false;
    for (ssize_t I = 0; I < N; ++I) {
      if (Chunk[I] == '\0')
        return true;
      Out += Chunk[I];
    }
    Address += static_cast<unsigned long>(N);
  }
  return false;
}

/// The interpreter path of a `#!` file open at `Fd`, or "".
static std::string scriptInterpreter(int PathFd) {
  std::string Proc = "/proc/self/fd/" + std::to_string(PathFd);
  int Fd = open(Proc.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (Fd < 0)
    return {};
  char Head[256];
  ssize_t N = pread(Fd, Head, sizeof Head - 1, 0);
  close(Fd);
  if (N < 3 || Head[0] != '#' || Head[1] != '!')
    return {};
  Head[N] = '\0';
  const char *P = Head + 2;
  while (*P == ' ' || *P == '\t')
    ++P;
  const char *End = P;
  while (*End && *End != ' ' && *End != '\t' && *End != '\n')
    ++End;
  return std::string(P, End);
}

/// Opens what exec would: `Path` relative to `Base` (a descriptor of the
/// tracer), following symbolic links unless `NoFollow`.
static int openExecTarget(int Base, const std::string &Path, bool NoFollow,
                          bool EmptyPath) {
  if (EmptyPath && Path.empty())
    return fcntl(Base, F_DUPFD_CLOEXEC, 0);
  return openat(Base, Path.c_str(),
                O_PATH | O_CLOEXEC | (NoFollow ? O_NOFOLLOW : 0));
}

static bool fillCandidate(int Fd, ExecCandidate &Cand) {
  mode_t Mode = 0;
  if (!identityOf(Fd, Cand.File, &Mode) || !S_ISREG(Mode))
    return false;
  Cand.Path = readLink("/proc/self/fd/" + std::to_string(Fd));
  // A `#!` chain (the kernel allows a few levels; so do we).
  int Current = Fd;
  for (int Depth = 0; Depth < 4; ++Depth) {
    std::string Interp = scriptInterpreter(Current);
    if (Current != Fd)
      close(Current);
    if (Interp.empty())
      break;
    Cand.IsScript = true;
    Current = open(Interp.c_str(), O_PATH | O_CLOEXEC);
    FileIdentity Id;
    if (Current < 0 || !identityOf(Current, Id)) {
      if (Current >= 0)
        close(Current);
      break;
    }
    Cand.Interpreters.push_back(Id);
  }
  return !Cand.Path.empty();
}

void Tracer::audit(pid_t Pid, uint32_t Pea, const char *Operation,
                   const std::string &Path, int Errno, uint32_t Rule) {
  if (!C.Audit)
    return;
  AuditEvent E;
  E.Pod = C.PodName;
  E.Pea = std::string(Labels.nameOf(Pea));
  E.Pid = Pid; // the pod's PID namespace: the tracer lives in it
  E.Program = readLink("/proc/" + std::to_string(Pid) + "/exe");
  E.Operation = Operation;
  E.Access = "x";
  E.Path = Path;
  E.Errno = C.Complain ? 0 : Errno;
  E.Complain = C.Complain;
  E.Rule = auditRuleOf(*C.Image, Rule);
  C.Audit->record(E);
}

void Tracer::deny(pid_t Tid, int Errno) {
#if defined(__x86_64__)
  // Skip the call (number -1) and make it return -Errno.
  struct user_regs_struct Regs;
  struct iovec Io = {&Regs, sizeof Regs};
  if (ptraceCall(PTRACE_GETREGSET, Tid, 1 /*NT_PRSTATUS*/,
                 reinterpret_cast<unsigned long>(&Io)) == 0) {
    Regs.orig_rax = static_cast<unsigned long long>(-1);
    Regs.rax = static_cast<unsigned long long>(-Errno);
    if (ptraceCall(PTRACE_SETREGSET, Tid, 1,
                   reinterpret_cast<unsigned long>(&Io)) == 0)
      return;
  }
#endif
  (void)Errno;
  kill(Tid, SIGKILL); // cannot refuse the call: fail closed
}

void Tracer::onSeccompStop(pid_t Tid) {
  Candidates.erase(Tid);
  struct ptrace_syscall_info Info;
  memset(&Info, 0, sizeof Info);
  long Size = ptraceCall(PTRACE_GET_SYSCALL_INFO, Tid, sizeof Info,
                         reinterpret_cast<unsigned long>(&Info));
  if (Size <= 0 || Info.op != PTRACE_SYSCALL_INFO_SECCOMP)
    return; // nothing recorded: an exec event without a candidate kills
  bool IsExecveat = Info.seccomp.nr == SYS_execveat;
  unsigned long PathArg = IsExecveat ? Info.seccomp.args[1]
                                     : Info.seccomp.args[0];
  std::string Path;
  if (!readTraceeString(Tid, PathArg, Path))
    return; // the kernel will fail with EFAULT (or we kill at the event)
  int Flags = IsExecveat ? static_cast<int>(Info.seccomp.args[4]) : 0;
  std::string Proc = "/proc/" + std::to_string(Tid);
  int Base = -1;
  if (IsExecveat && static_cast<int>(Info.seccomp.args[0]) != AT_FDCWD &&
      (Path.empty() || Path[0] != '/'))
    Base = open((Proc + "/fd/" +
                 std::to_string(static_cast<int>(Info.seccomp.args[0])))
                    .c_str(),
                O_PATH | O_CLOEXEC);
  else
    Base = open((Proc + "/cwd").c_str(), O_PATH | O_CLOEXEC | O_DIRECTORY);
  if (Base < 0)
    return;
  int Fd = openExecTarget(Base, Path, Flags & AT_SYMLINK_NOFOLLOW,
                          Flags & AT_EMPTY_PATH);
  close(Base);
  if (Fd < 0)
    return; // the exec fails in the kernel too
  ExecCandidate Cand;
  bool Ok = fillCandidate(Fd, Cand);
  close(Fd);
  if (!Ok)
    return;
  uint32_t Pea = Labels.peaOfPid(Tid);
  // Only a file the pod's tree names can be decided by its name: a memfd,
  // a deleted file or one outside the root (an inherited descriptor) is
  // refused.
  FileIdentity Named;
  if (!identityOfPath(Cand.Path, Named) || !(Named == Cand.File)) {
    audit(Tid, Pea, "exec", Cand.Path, EACCES, PPI_NONE);
    if (!C.Complain) {
      deny(Tid, EACCES);
      return;
    }
  }
  struct ppi_exec Exec =
      ppi_lookup_exec(C.Image, Pea, Cand.Path.data(), Cand.Path.size());
  if (!Exec.allowed) {
    audit(Tid, Pea, "exec", Cand.Path, EACCES, Exec.access.rule);
    if (!C.Complain) {
      deny(Tid, EACCES);
      return;
    }
  }
  Candidates[Tid] = std::move(Cand);
}

void Tracer::onExec(pid_t Pid) {
  unsigned long FormerTid = 0;
  ptraceCall(PTRACE_GETEVENTMSG, Pid, 0,
             reinterpret_cast<unsigned long>(&FormerTid));
  auto It = Candidates.find(static_cast<pid_t>(FormerTid));
  std::string Exe = "/proc/" + std::to_string(Pid) + "/exe";
  FileIdentity ExeId;
  std::string Path;
  if (It != Candidates.end() && identityOfPath(Exe, ExeId)) {
    const ExecCandidate &Cand = It->second;
    if (ExeId == Cand.File) {
      Path = readLink(Exe);
    } else if (Cand.IsScript && !Cand.Interpreters.empty() &&
               ExeId == Cand.Interpreters.back()) {
      FileIdentity Now;
      if (identityOfPath(Cand.Path, Now) && Now == Cand.File)
        Path = Cand.Path;
    }
  }
  uint32_t Pea = Labels.peaOfPid(Pid);
  if (It != Candidates.end())
    Candidates.erase(It);
  Candidates.erase(Pid);
  if (Path.empty() || Pea == PPI_NONE) {
    // What ran is not what was checked: never let it run one instruction.
    audit(Pid, Pea, "exec-mismatch", readLink(Exe), EPERM, PPI_NONE);
    kill(Pid, SIGKILL);
    return;
  }
  struct ppi_exec Exec = ppi_lookup_exec(C.Image, Pea, Path.data(), Path.size());
  if (Exec.pea_after != Pea && Exec.pea_after != PPI_NONE) {
    uint32_t Local = localIndex(Exec.pea_after);
    std::string Text = std::to_string(Pid);
    if (Local >= C.PeaProcsFds.size() ||
        write(C.PeaProcsFds[Local], Text.data(), Text.size()) !=
            static_cast<ssize_t>(Text.size())) {
      kill(Pid, SIGKILL); // the transition failed: it must not run
      return;
    }
    // Before it resumes: the FUSE daemon must not answer it from the pea
    // it has left.
    if (C.LabelEpoch)
      C.LabelEpoch->bump();
  }
}

void Tracer::onStop(pid_t Pid, int Status) {
  int Sig = WSTOPSIG(Status);
  int Event = Status >> 16;
  if (Event == PTRACE_EVENT_SECCOMP) {
    onSeccompStop(Pid);
    ptraceCall(PTRACE_CONT, Pid, 0, 0);
    return;
  }
  if (Event == PTRACE_EVENT_EXEC) {
    onExec(Pid);
    ptraceCall(PTRACE_CONT, Pid, 0, 0);
    return;
  }
  if (Event == PTRACE_EVENT_STOP) {
    // A group stop (a stop signal was delivered) stays stopped, listening
    // for SIGCONT; a seized child's first stop and the end of a group stop
    // resume.
    bool First = Seen.insert(Pid).second;
    bool GroupStop = Sig == SIGSTOP || Sig == SIGTSTP || Sig == SIGTTIN ||
                     Sig == SIGTTOU;
    ptraceCall(GroupStop && !First ? PTRACE_LISTEN : PTRACE_CONT, Pid, 0, 0);
    return;
  }
  if (Event != 0) { // fork, vfork, clone, vfork-done
    Seen.insert(Pid);
    ptraceCall(PTRACE_CONT, Pid, 0, 0);
    return;
  }
  // A signal for the tracee: deliver it.
  Seen.insert(Pid);
  ptraceCall(PTRACE_CONT, Pid, 0, static_cast<unsigned long>(Sig));
}

int Tracer::run(pid_t Main) {
  int MainStatus = -1;
  for (;;) {
    struct pollfd P = {C.SignalFd, POLLIN, 0};
    if (poll(&P, 1, -1) < 0 && errno != EINTR)
      break;
    struct signalfd_siginfo Info;
    while (read(C.SignalFd, &Info, sizeof Info) == sizeof Info) {
      if (Info.ssi_signo != SIGCHLD)
        kill(Main, static_cast<int>(Info.ssi_signo));
    }
    for (;;) {
      int Status = 0;
      pid_t Pid = waitpid(-1, &Status, WNOHANG | __WALL);
      if (Pid <= 0)
        break;
      if (WIFSTOPPED(Status)) {
        onStop(Pid, Status);
        continue;
      }
      // Its pid may be reused, in another pea: before anything else runs.
      if (C.LabelEpoch)
        C.LabelEpoch->bump();
      Candidates.erase(Pid);
      Seen.erase(Pid);
      if (Pid == Main)
        MainStatus = WIFEXITED(Status) ? WEXITSTATUS(Status)
                                       : 128 + WTERMSIG(Status);
    }
    if (MainStatus >= 0)
      return MainStatus;
  }
  return 125;
}

int traceExecs(const ExecTracerConfig &Config, pid_t Main) {
  Tracer T(Config);
  return T.run(Main);
}

} // namespace peapod::runtime
