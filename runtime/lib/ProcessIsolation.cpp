//===- ProcessIsolation.cpp - Signals, ptrace and IPC across peas ----------===//
//
// Which calls reach the listener, and how it answers (docs/runtime.md,
// "Processes and IPC"):
//
//  - the calls whose target is a pid or a SysV IPC id in a register (kill,
//    tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo, ptrace ATTACH and
//    SEIZE, process_vm_readv/writev, kcmp, fcntl F_SETOWN, shmat, shmctl,
//    semop, semtimedop, semctl, msgsnd, msgrcv, msgctl): the listener reads
//    the target from the notification (registers, not memory), decides, and
//    answers EPERM or SECCOMP_USER_NOTIF_FLAG_CONTINUE. The caller cannot
//    change a register of a blocked call; what is left is the reuse of the
//    target's pid or id between the answer and the kernel's lookup (bounded:
//    see the docs);
//  - the calls whose target is a descriptor or a structure in memory
//    (pidfd_send_signal, pidfd_getfd, fcntl F_SETOWN_EX): another thread
//    could swap the descriptor or rewrite the structure after the check, so
//    the listener never continues them: it takes its own copy of the
//    descriptor (pidfd_getfd) or of the structure (process_vm_readv), decides
//    on the copy and makes the call itself, answering with its result (or
//    the descriptor, SECCOMP_IOCTL_NOTIF_ADDFD + SECCOMP_ADDFD_FLAG_SEND);
//  - shmget, semget, msgget: the listener makes the call itself (it shares
//    the pod's IPC namespace), so that it knows the id of what it creates
//    and labels it with the caller's pea; an existing key is checked
//    against its object's label. An id without a label (not created
//    through the listener) is refused: fail closed.
//
// In the kernel, without a notification: signal 0 (it reveals what the
// pod's /proc shows anyway), every other ptrace request (they need a tracer,
// and the pod's init traces every process), FIOSETOWN/SIOCSPGRP (EPERM: the
// owner is in memory; fcntl does the same), mknod of character and block
// devices (EPERM) while FIFOs, sockets and regular files pass.
//
//===----------------------------------------------------------------------===//
#include "ProcessIsolation.h"
#include "Files.h"
#include "Pod.h"
#include "peapod/runtime/AuditLog.h"
#include "peapod/runtime/PeaLabels.h"
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <map>
#include <sstream>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

namespace peapod::runtime {

// The notification ioctls directly: libseccomp's wrappers refuse to work in
// a process that did not load the filter itself (it probes the kernel's
// support lazily, per process), and the listener lives in the pod's init.
static int notifyReceive(int Fd, struct seccomp_notif *Req) {
  memset(Req, 0, sizeof *Req);
  return ioctl(Fd, SECCOMP_IOCTL_NOTIF_RECV, Req) == 0 ? 0 : -errno;
}
static int notifyRespond(int Fd, struct seccomp_notif_resp *Resp) {
  return ioctl(Fd, SECCOMP_IOCTL_NOTIF_SEND, Resp) == 0 ? 0 : -errno;
}
static int notifyIdValid(int Fd, uint64_t Id) {
  return ioctl(Fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &Id) == 0 ? 0 : -errno;
}

namespace {
constexpr long PtraceAttach = 16, PtraceSeize = 0x4206;
constexpr uint64_t Low32 = 0xFFFFFFFFu;

struct Notified {
  const char *Name;
  int SignalArg; ///< the argument holding the signal (0 is let through), -1
};
const Notified SignalCalls[] = {{"kill", 1},
                                {"tkill", 1},
                                {"tgkill", 2},
                                {"rt_sigqueueinfo", 1},
                                {"rt_tgsigqueueinfo", 2},
                                {"pidfd_send_signal", 1}};
const char *const WholeCalls[] = {
    "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
    "shmget",           "shmat",             "shmctl",      "semget",
    "semop",            "semtimedop",        "semctl",      "msgget",
    "msgsnd",           "msgrcv",            "msgctl"};
} // namespace

const std::vector<const char *> &notifiedSyscalls() {
  static const std::vector<const char *> Names = [] {
    std::vector<const char *> N;
    for (const Notified &S : SignalCalls)
      N.push_back(S.Name);
    N.push_back("ptrace");
    N.push_back("fcntl");
    for (const char *W : WholeCalls)
      N.push_back(W);
    return N;
  }();
  return Names;
}

static bool check(int Rc, const char *What, std::string &Error) {
  if (Rc == 0)
    return true;
  Error = std::string("seccomp rule for ") + What + ": " + strerror(-Rc);
  return false;
}

bool addProcessIsolationRules(scmp_filter_ctx Ctx, std::string &Error) {
  bool Ok = true;
  for (const Notified &S : SignalCalls) {
    int Nr = seccomp_syscall_resolve_name(S.Name);
    Ok = Ok && check(seccomp_rule_add(Ctx, SCMP_ACT_NOTIFY, Nr, 1,
                                      SCMP_CMP(static_cast<unsigned>(
                                                   S.SignalArg),
                                               SCMP_CMP_NE, 0)),
                     S.Name, Error);
  }
  for (long Request : {PtraceAttach, PtraceSeize})
    Ok = Ok && check(seccomp_rule_add(Ctx, SCMP_ACT_NOTIFY, SCMP_SYS(ptrace),
                                      1, SCMP_A0(SCMP_CMP_EQ,
                                                 static_cast<uint64_t>(
                                                     Request))),
                     "ptrace", Error);
  // fcntl's command is an unsigned int: compare its low 32 bits only, as
  // the kernel reads it.
  for (uint64_t Cmd : {uint64_t(F_SETOWN), uint64_t(F_SETOWN_EX)})
    Ok = Ok && check(seccomp_rule_add(Ctx, SCMP_ACT_NOTIFY, SCMP_SYS(fcntl),
                                      1, SCMP_A1(SCMP_CMP_MASKED_EQ, Low32,
                                                 Cmd)),
                     "fcntl", Error);
  for (const char *Name : WholeCalls)
    Ok = Ok && check(seccomp_rule_add(Ctx, SCMP_ACT_NOTIFY,
                                      seccomp_syscall_resolve_name(Name), 0),
                     Name, Error);
  for (uint64_t Request : {uint64_t(FIOSETOWN), uint64_t(SIOCSPGRP)})
    Ok = Ok && check(seccomp_rule_add(Ctx, SCMP_ACT_ERRNO(EPERM),
                                      SCMP_SYS(ioctl), 1,
                                      SCMP_A1(SCMP_CMP_MASKED_EQ, Low32,
                                              Request)),
                     "ioctl", Error);
  // The paper's device class: no character or block device is created
  // (CAP_MKNOD is gone too; this is the second layer).
  for (uint64_t Type : {uint64_t(S_IFCHR), uint64_t(S_IFBLK)}) {
    Ok = Ok && check(seccomp_rule_add(Ctx, SCMP_ACT_ERRNO(EPERM),
                                      SCMP_SYS(mknod), 1,
                                      SCMP_A1(SCMP_CMP_MASKED_EQ, S_IFMT,
                                              Type)),
                     "mknod", Error);
    Ok = Ok && check(seccomp_rule_add(Ctx, SCMP_ACT_ERRNO(EPERM),
                                      SCMP_SYS(mknodat), 1,
                                      SCMP_A2(SCMP_CMP_MASKED_EQ, S_IFMT,
                                              Type)),
                     "mknodat", Error);
  }
  return Ok;
}

//===----------------------------------------------------------------------===//
// What /proc says about a process
//===----------------------------------------------------------------------===//

namespace {
struct ProcStatus {
  bool Valid = false;
  pid_t Tgid = 0;
  unsigned Uid[3] = {0, 0, 0}, Gid[3] = {0, 0, 0}; ///< real, effective, saved
  uint64_t CapEff = 0, CapPrm = 0;
};
} // namespace

static ProcStatus statusOf(pid_t Pid) {
  ProcStatus S;
  std::ifstream In("/proc/" + std::to_string(Pid) + "/status");
  std::string Line;
  while (std::getline(In, Line)) {
    std::istringstream L(Line.substr(Line.find(':') + 1));
    if (Line.rfind("Tgid:", 0) == 0)
      L >> S.Tgid;
    else if (Line.rfind("Uid:", 0) == 0)
      L >> S.Uid[0] >> S.Uid[1] >> S.Uid[2];
    else if (Line.rfind("Gid:", 0) == 0)
      L >> S.Gid[0] >> S.Gid[1] >> S.Gid[2];
    else if (Line.rfind("CapEff:", 0) == 0)
      L >> std::hex >> S.CapEff;
    else if (Line.rfind("CapPrm:", 0) == 0)
      L >> std::hex >> S.CapPrm;
  }
  S.Valid = S.Tgid > 0;
  return S;
}

static bool processExists(pid_t Pid) {
  return Pid > 0 && access(("/proc/" + std::to_string(Pid)).c_str(), F_OK) == 0;
}

/// Process group (field 5 of /proc/PID/stat, after the command's ')').
static pid_t processGroupOf(pid_t Pid) {
  std::ifstream In("/proc/" + std::to_string(Pid) + "/stat");
  std::string Text((std::istreambuf_iterator<char>(In)),
                   std::istreambuf_iterator<char>());
  size_t Close = Text.rfind(')');
  if (Close == std::string::npos)
    return -1;
  std::istringstream L(Text.substr(Close + 1));
  std::string State;
  pid_t Parent = 0, Group = -1;
  L >> State >> Parent >> Group;
  return Group;
}

/// The processes (thread groups) of the pod, pid 1 included.
static std::vector<pid_t> podProcesses() {
  std::vector<pid_t> Pids;
  if (DIR *D = opendir("/proc")) {
    while (struct dirent *E = readdir(D)) {
      char *End = nullptr;
      long Pid = strtol(E->d_name, &End, 10);
      if (*E->d_name && *End == '\0' && Pid > 0)
        Pids.push_back(static_cast<pid_t>(Pid));
    }
    closedir(D);
  }
  return Pids;
}

//===----------------------------------------------------------------------===//
// The listener
//===----------------------------------------------------------------------===//

namespace {

enum class IpcKind : char { Shm = 'm', Sem = 's', Msg = 'q' };

struct Verdict {
  enum Kind { Continue, Fail, Value, AddFd } K = Fail;
  int64_t Number = EPERM; ///< the errno (Fail) or the value (Value)
  int Fd = -1;            ///< AddFd: ours, closed after
  static Verdict cont() { return {Continue, 0, -1}; }
  static Verdict fail(int Errno) { return {Fail, Errno, -1}; }
  static Verdict value(int64_t V) { return {Value, V, -1}; }
  static Verdict result(long Rc) {
    return Rc < 0 ? fail(errno) : value(Rc);
  }
};

/// A descriptor closed at the end of its scope.
struct OwnedFd {
  int Fd = -1;
  explicit OwnedFd(int Fd) : Fd(Fd) {}
  ~OwnedFd() {
    if (Fd >= 0)
      close(Fd);
  }
  OwnedFd(const OwnedFd &) = delete;
  OwnedFd &operator=(const OwnedFd &) = delete;
  int release() {
    int F = Fd;
    Fd = -1;
    return F;
  }
};

class Listener {
public:
  Listener(const ProcessListenerConfig &C, int Fd)
      : C(C), Fd(Fd), Labels(*C.Image, C.Pod, "/") {}
  void run();

private:
  ProcessListenerConfig C;
  int Fd;
  PeaLabels Labels;
  std::map<std::pair<IpcKind, int>, uint32_t> IpcLabels;

  // The notification being decided.
  const seccomp_notif *N = nullptr;
  uint32_t CallerPea = PPI_NONE;
  const char *Call = "";

  Verdict decide();
  void answer(const Verdict &V);
  int64_t arg(int I) const { return static_cast<int64_t>(N->data.args[I]); }
  int intArg(int I) const { return static_cast<int>(N->data.args[I]); }

  /// Whether the caller may touch `Target` (a pid of the pod): allowed
  /// (and audited in complain mode) or false after an audit line.
  bool mayTouchPid(pid_t Target);
  bool mayTouchAll(const std::vector<pid_t> &Targets);
  bool allowOrAudit(bool Allowed, uint32_t TargetPea, const std::string &What);
  std::vector<pid_t> signalTargets(pid_t Pid);
  Verdict touchThen(const std::vector<pid_t> &Targets, Verdict Allowed);

  int callerFd(int TheirFd);
  Verdict pidfdSendSignal();
  Verdict pidfdGetfd();
  Verdict setOwnerEx();
  bool readCaller(uint64_t Address, void *Out, size_t Size);

  Verdict ipcGet(IpcKind Kind);
  Verdict ipcUse(IpcKind Kind, int Id, int Cmd);
};

} // namespace

bool Listener::allowOrAudit(bool Allowed, uint32_t TargetPea,
                            const std::string &What) {
  if (Allowed)
    return true;
  if (C.Audit) {
    AuditEvent E;
    E.Pod = C.PodName;
    E.Pea = std::string(Labels.nameOf(CallerPea));
    E.Pid = static_cast<pid_t>(N->pid);
    E.Program = readLink("/proc/" + std::to_string(N->pid) + "/exe");
    E.Operation = Call;
    std::string Target = TargetPea == PPI_NONE
                             ? std::string("(none)")
                             : std::string(Labels.nameOf(TargetPea));
    E.Path = "pea:" + Target + " " + What;
    E.Errno = C.Complain ? 0 : EPERM;
    E.Complain = C.Complain;
    C.Audit->record(E);
  }
  return C.Complain;
}

bool Listener::mayTouchPid(pid_t Target) {
  if (!processExists(Target))
    return true; // the kernel answers ESRCH
  uint32_t Pea = Labels.peaOfPid(Target);
  // The pod's init is in no pea (PPI_NONE): nothing may touch it.
  bool Allowed = CallerPea != PPI_NONE && Pea != PPI_NONE &&
                 ppi_may_touch(C.Image, CallerPea, Pea);
  return allowOrAudit(Allowed, Pea, "pid:" + std::to_string(Target));
}

bool Listener::mayTouchAll(const std::vector<pid_t> &Targets) {
  for (pid_t T : Targets)
    if (!mayTouchPid(T))
      return false;
  return true;
}

/// Who kill(Pid, ...) reaches: one process, a process group (0: the
/// caller's), or every process but the pod's init and the caller (-1).
std::vector<pid_t> Listener::signalTargets(pid_t Pid) {
  if (Pid > 0)
    return {Pid};
  if (Pid == INT_MIN)
    return {}; // the kernel answers ESRCH
  pid_t Self = statusOf(static_cast<pid_t>(N->pid)).Tgid;
  pid_t Group = Pid == 0 ? processGroupOf(static_cast<pid_t>(N->pid))
                : Pid == -1 ? 0
                            : -Pid;
  std::vector<pid_t> Targets;
  for (pid_t P : podProcesses()) {
    if (Pid == -1 ? (P != 1 && P != Self) : processGroupOf(P) == Group)
      Targets.push_back(P);
  }
  return Targets;
}

Verdict Listener::touchThen(const std::vector<pid_t> &Targets,
                            Verdict Allowed) {
  return mayTouchAll(Targets) ? Allowed : Verdict::fail(EPERM);
}

/// Our own copy of the caller's descriptor `TheirFd` (-1 and errno).
int Listener::callerFd(int TheirFd) {
  pid_t Tid = static_cast<pid_t>(N->pid);
  int Pidfd = static_cast<int>(syscall(SYS_pidfd_open, Tid, PIDFD_THREAD));
  if (Pidfd < 0)
    Pidfd = static_cast<int>(syscall(SYS_pidfd_open, Tid, 0));
  if (Pidfd < 0)
    return -1;
  int Copy = static_cast<int>(syscall(SYS_pidfd_getfd, Pidfd, TheirFd, 0));
  int Saved = errno;
  close(Pidfd);
  // The pid may have been reused by now: the copy counts only if the
  // notification (so its caller) is still there.
  if (Copy >= 0 && notifyIdValid(Fd, N->id) != 0) {
    close(Copy);
    Saved = ESRCH;
    Copy = -1;
  }
  errno = Saved;
  return Copy;
}

bool Listener::readCaller(uint64_t Address, void *Out, size_t Size) {
  struct iovec Local = {Out, Size};
  struct iovec Remote = {reinterpret_cast<void *>(Address), Size};
  return process_vm_readv(static_cast<pid_t>(N->pid), &Local, 1, &Remote, 1,
                          0) == static_cast<ssize_t>(Size) &&
         notifyIdValid(Fd, N->id) == 0;
}

/// The pid a pidfd names, from our copy's fdinfo; 0 if it is not a pidfd.
static pid_t pidOfPidfd(int Copy) {
  std::ifstream In("/proc/self/fdinfo/" + std::to_string(Copy));
  std::string Line;
  while (std::getline(In, Line))
    if (Line.rfind("Pid:", 0) == 0)
      return static_cast<pid_t>(std::stol(Line.substr(4)));
  return 0;
}

/// kill_ok_by_cred: CAP_KILL, or the caller's real or effective uid is the
/// target's real or saved uid.
static bool mayKillByCredentials(const ProcStatus &Caller,
                                 const ProcStatus &Target) {
  if (Caller.CapEff & (1ull << CAP_KILL))
    return true;
  for (unsigned U : {Caller.Uid[0], Caller.Uid[1]})
    if (U == Target.Uid[0] || U == Target.Uid[2])
      return true;
  return false;
}

Verdict Listener::pidfdSendSignal() {
  OwnedFd Copy(callerFd(intArg(0)));
  if (Copy.Fd < 0)
    return Verdict::fail(errno == ESRCH ? ESRCH : EBADF);
  pid_t Target = pidOfPidfd(Copy.Fd);
  if (Target > 0 && !mayTouchPid(Target))
    return Verdict::fail(EPERM);
  if (Target > 0 && !mayKillByCredentials(statusOf(static_cast<pid_t>(N->pid)),
                                          statusOf(Target)))
    return Verdict::fail(EPERM);
  siginfo_t Info;
  siginfo_t *InfoArg = nullptr;
  if (arg(2) != 0) {
    if (!readCaller(N->data.args[2], &Info, sizeof Info))
      return Verdict::fail(EFAULT);
    InfoArg = &Info;
  }
  return Verdict::result(syscall(SYS_pidfd_send_signal, Copy.Fd, intArg(1),
                                 InfoArg, static_cast<unsigned>(arg(3))));
}

Verdict Listener::pidfdGetfd() {
  if (arg(2) != 0)
    return Verdict::fail(EINVAL);
  OwnedFd Copy(callerFd(intArg(0)));
  if (Copy.Fd < 0)
    return Verdict::fail(errno == ESRCH ? ESRCH : EBADF);
  pid_t Target = pidOfPidfd(Copy.Fd);
  if (Target > 0 && !mayTouchPid(Target))
    return Verdict::fail(EPERM);
  if (Target > 0) {
    // ptrace_may_access's credential part (its dumpable part is the
    // kernel's: this thread has no CAP_SYS_PTRACE either).
    ProcStatus Caller = statusOf(static_cast<pid_t>(N->pid)),
               T = statusOf(Target);
    bool Same = true;
    for (int I = 0; I < 3; ++I)
      Same = Same && Caller.Uid[0] == T.Uid[I] && Caller.Gid[0] == T.Gid[I];
    if (!Same || (T.CapPrm & ~Caller.CapPrm) != 0)
      return Verdict::fail(EPERM);
  }
  int Got = static_cast<int>(
      syscall(SYS_pidfd_getfd, Copy.Fd, intArg(1), 0));
  if (Got < 0)
    return Verdict::fail(errno);
  Verdict V;
  V.K = Verdict::AddFd;
  V.Fd = Got;
  return V;
}

Verdict Listener::setOwnerEx() {
  struct f_owner_ex Owner;
  if (!readCaller(N->data.args[2], &Owner, sizeof Owner))
    return Verdict::fail(EFAULT);
  std::vector<pid_t> Targets;
  if (Owner.type == F_OWNER_PGRP)
    Targets = signalTargets(-Owner.pid);
  else if (Owner.pid > 0)
    Targets = {Owner.pid};
  if (!mayTouchAll(Targets))
    return Verdict::fail(EPERM);
  OwnedFd Copy(callerFd(intArg(0)));
  if (Copy.Fd < 0)
    return Verdict::fail(EBADF);
  return Verdict::result(fcntl(Copy.Fd, F_SETOWN_EX, &Owner));
}

//===----------------------------------------------------------------------===//
// SysV IPC
//===----------------------------------------------------------------------===//

static const char *ipcName(IpcKind Kind) {
  return Kind == IpcKind::Shm ? "shm" : Kind == IpcKind::Sem ? "sem" : "msg";
}

Verdict Listener::ipcGet(IpcKind Kind) {
  key_t Key = static_cast<key_t>(intArg(0));
  int Flags = Kind == IpcKind::Msg ? intArg(1) : intArg(2);
  auto Get = [&](int F, bool Lookup) -> int {
    switch (Kind) {
    case IpcKind::Shm:
      return shmget(Key, Lookup ? 0 : static_cast<size_t>(arg(1)), F);
    case IpcKind::Sem:
      return semget(Key, Lookup ? 0 : intArg(1), F);
    case IpcKind::Msg:
      return msgget(Key, F);
    }
    return -1;
  };
  for (int Attempt = 0; Attempt < 4; ++Attempt) {
    if (Key != IPC_PRIVATE) {
      int Id = Get(0, true);
      if (Id >= 0) {
        if ((Flags & IPC_CREAT) && (Flags & IPC_EXCL))
          return Verdict::fail(EEXIST);
        Verdict Use = ipcUse(Kind, Id, -1);
        if (Use.K == Verdict::Fail)
          return Use;
        // The caller's own mode and size checks, by the kernel.
        return Verdict::result(Get(Flags & ~(IPC_CREAT | IPC_EXCL), false));
      }
      if (errno != ENOENT)
        return Verdict::fail(errno);
      if (!(Flags & IPC_CREAT))
        return Verdict::fail(ENOENT);
    }
    int Id = Get(Flags | IPC_CREAT | (Key != IPC_PRIVATE ? IPC_EXCL : 0),
                 false);
    if (Id >= 0) {
      IpcLabels[{Kind, Id}] = CallerPea;
      return Verdict::value(Id);
    }
    if (errno != EEXIST || (Flags & IPC_EXCL))
      return Verdict::fail(errno);
    // Created meanwhile (only the listener creates: not expected): again.
  }
  return Verdict::fail(EAGAIN);
}

/// Commands that name no object (IPC_INFO and the *_INFO), those that take
/// an index instead of an id (*_STAT, *_STAT_ANY), and the rest.
enum class IpcCommand { Info, ByIndex, ById };

static IpcCommand classify(IpcKind Kind, int Cmd) {
  Cmd &= ~0x100; // IPC_64
  if (Cmd == IPC_INFO)
    return IpcCommand::Info;
  switch (Kind) {
  case IpcKind::Shm:
    return Cmd == SHM_INFO ? IpcCommand::Info
           : Cmd == SHM_STAT || Cmd == SHM_STAT_ANY ? IpcCommand::ByIndex
                                                    : IpcCommand::ById;
  case IpcKind::Sem:
    return Cmd == SEM_INFO ? IpcCommand::Info
           : Cmd == SEM_STAT || Cmd == SEM_STAT_ANY ? IpcCommand::ByIndex
                                                    : IpcCommand::ById;
  case IpcKind::Msg:
    return Cmd == MSG_INFO ? IpcCommand::Info
           : Cmd == MSG_STAT || Cmd == MSG_STAT_ANY ? IpcCommand::ByIndex
                                                    : IpcCommand::ById;
  }
  return IpcCommand::ById;
}

/// `Cmd` -1: an operation on the object (shmat, semop, msgsnd, ...).
Verdict Listener::ipcUse(IpcKind Kind, int Id, int Cmd) {
  IpcCommand Class = Cmd < 0 ? IpcCommand::ById : classify(Kind, Cmd);
  if (Class == IpcCommand::Info)
    return Verdict::cont();
  std::string What = std::string(ipcName(Kind)) + ":" + std::to_string(Id);
  if (Class == IpcCommand::ByIndex) // an index names no label: fail closed
    return allowOrAudit(false, PPI_NONE, What + " (by index)")
               ? Verdict::cont()
               : Verdict::fail(EPERM);
  auto It = IpcLabels.find({Kind, Id});
  uint32_t Pea = It == IpcLabels.end() ? PPI_NONE : It->second;
  bool Allowed = Pea != PPI_NONE && CallerPea != PPI_NONE &&
                 ppi_may_touch(C.Image, CallerPea, Pea);
  return allowOrAudit(Allowed, Pea, What) ? Verdict::cont()
                                          : Verdict::fail(EPERM);
}

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

Verdict Listener::decide() {
  long Nr = N->data.nr;
  CallerPea = Labels.peaOfPid(static_cast<pid_t>(N->pid));
  char *Name = seccomp_syscall_resolve_num_arch(N->data.arch,
                                                static_cast<int>(Nr));
  static thread_local std::string NameText;
  NameText = Name ? Name : "syscall";
  free(Name);
  Call = NameText.c_str();
  switch (Nr) {
  case SYS_kill:
    return touchThen(signalTargets(intArg(0)), Verdict::cont());
  case SYS_tkill:
  case SYS_ptrace:
  case SYS_process_vm_readv:
  case SYS_process_vm_writev:
  case SYS_rt_sigqueueinfo:
    return touchThen({static_cast<pid_t>(intArg(Nr == SYS_ptrace ? 1 : 0))},
                     Verdict::cont());
  case SYS_tgkill:
  case SYS_rt_tgsigqueueinfo:
  case SYS_kcmp:
    return touchThen({intArg(0), intArg(1)}, Verdict::cont());
  case SYS_pidfd_send_signal:
    return pidfdSendSignal();
  case SYS_pidfd_getfd:
    return pidfdGetfd();
  case SYS_fcntl:
    if ((arg(1) & Low32) == F_SETOWN_EX)
      return setOwnerEx();
    return touchThen(intArg(2) == 0 ? std::vector<pid_t>{}
                                    : signalTargets(intArg(2)),
                     Verdict::cont());
  case SYS_shmget:
    return ipcGet(IpcKind::Shm);
  case SYS_semget:
    return ipcGet(IpcKind::Sem);
  case SYS_msgget:
    return ipcGet(IpcKind::Msg);
  case SYS_shmat:
  case SYS_semop:
  case SYS_semtimedop:
  case SYS_msgsnd:
  case SYS_msgrcv:
    return ipcUse(Nr == SYS_shmat   ? IpcKind::Shm
                  : Nr == SYS_semop || Nr == SYS_semtimedop ? IpcKind::Sem
                                                            : IpcKind::Msg,
                  intArg(0), -1);
  case SYS_shmctl:
    return ipcUse(IpcKind::Shm, intArg(0), intArg(1));
  case SYS_semctl:
    return ipcUse(IpcKind::Sem, intArg(0), intArg(2));
  case SYS_msgctl:
    return ipcUse(IpcKind::Msg, intArg(0), intArg(1));
  default:
    return Verdict::fail(EPERM); // a notified call this code does not know
  }
}

void Listener::answer(const Verdict &V) {
  if (V.K == Verdict::AddFd) {
    struct seccomp_notif_addfd Add;
    memset(&Add, 0, sizeof Add);
    Add.id = N->id;
    Add.flags = SECCOMP_ADDFD_FLAG_SEND;
    Add.srcfd = static_cast<uint32_t>(V.Fd);
    Add.newfd_flags = O_CLOEXEC; // what pidfd_getfd gives
    ioctl(Fd, SECCOMP_IOCTL_NOTIF_ADDFD, &Add);
    close(V.Fd);
    return;
  }
  struct seccomp_notif_resp Resp;
  memset(&Resp, 0, sizeof Resp);
  Resp.id = N->id;
  if (V.K == Verdict::Continue)
    Resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  else if (V.K == Verdict::Fail)
    Resp.error = -static_cast<int32_t>(V.Number);
  else
    Resp.val = V.Number;
  // ENOENT: the caller is gone (killed while we decided): nothing to do.
  notifyRespond(Fd, &Resp);
}

void Listener::run() {
  for (;;) {
    struct seccomp_notif Req;
    memset(&Req, 0, sizeof Req);
    int Rc = notifyReceive(Fd, &Req);
    if (Rc != 0) {
      if (Rc == -ENOENT || Rc == -EINTR || Rc == -ECANCELED)
        continue;
      break;
    }
    N = &Req;
    Verdict V = decide();
    if (notifyIdValid(Fd, Req.id) == 0)
      answer(V);
    else if (V.Fd >= 0)
      close(V.Fd);
    N = nullptr;
  }
  // Never leave callers waiting for an answer: without the listener every
  // notified call fails with ENOSYS.
  close(Fd);
}

/// The pod's capabilities as this thread's permitted and effective sets
/// (capabilities are per thread): what the listener does for a caller
/// needs no more privilege than the caller has.
static bool dropToPodCapabilities() {
  struct __user_cap_header_struct Header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct Data[2];
  memset(Data, 0, sizeof Data);
  uint64_t Mask = podCapabilityMask();
  for (int I = 0; I < 2; ++I) {
    Data[I].effective = Data[I].permitted = static_cast<uint32_t>(Mask >> (32 * I));
  }
  return syscall(SYS_capset, &Header, Data) == 0;
}

static int receiveFd(int Socket) {
  char Byte;
  struct iovec Io = {&Byte, 1};
  alignas(struct cmsghdr) char Control[CMSG_SPACE(sizeof(int))];
  struct msghdr Msg;
  memset(&Msg, 0, sizeof Msg);
  Msg.msg_iov = &Io;
  Msg.msg_iovlen = 1;
  Msg.msg_control = Control;
  Msg.msg_controllen = sizeof Control;
  ssize_t N;
  do
    N = recvmsg(Socket, &Msg, MSG_CMSG_CLOEXEC);
  while (N < 0 && errno == EINTR);
  struct cmsghdr *C = N > 0 ? CMSG_FIRSTHDR(&Msg) : nullptr;
  if (!C || C->cmsg_level != SOL_SOCKET || C->cmsg_type != SCM_RIGHTS)
    return -1;
  int Fd;
  memcpy(&Fd, CMSG_DATA(C), sizeof Fd);
  return Fd;
}

bool sendListenerFd(int Socket, int Fd) {
  char Byte = 'l';
  struct iovec Io = {&Byte, 1};
  alignas(struct cmsghdr) char Control[CMSG_SPACE(sizeof(int))];
  memset(Control, 0, sizeof Control);
  struct msghdr Msg;
  memset(&Msg, 0, sizeof Msg);
  Msg.msg_iov = &Io;
  Msg.msg_iovlen = 1;
  Msg.msg_control = Control;
  Msg.msg_controllen = sizeof Control;
  struct cmsghdr *C = CMSG_FIRSTHDR(&Msg);
  C->cmsg_level = SOL_SOCKET;
  C->cmsg_type = SCM_RIGHTS;
  C->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(C), &Fd, sizeof Fd);
  return sendmsg(Socket, &Msg, MSG_NOSIGNAL) == 1;
}

bool startProcessListener(const ProcessListenerConfig &Config, int Socket) {
  try {
    std::thread([Config, Socket] {
      int Fd = receiveFd(Socket);
      close(Socket);
      if (Fd < 0)
        return; // CMD never got its filter: nothing to serve
      // Test hook (docs/runtime.md): no listener, so that the tests see the
      // notified calls fail closed with ENOSYS.
      if (getenv("PEAPOD_TEST_DROP_LISTENER") || !dropToPodCapabilities()) {
        close(Fd);
        return;
      }
      Listener L(Config, Fd);
      L.run();
    }).detach();
  } catch (...) {
    close(Socket);
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// doctor
//===----------------------------------------------------------------------===//

bool probeUserNotification(std::string &Detail) {
  int Pipe[2];
  if (pipe(Pipe) != 0)
    return false;
  pid_t Child = fork();
  if (Child < 0)
    return false;
  if (Child == 0) {
    // A thread makes the notified calls; this one answers them. A kernel
    // that never answers must not hang doctor.
    alarm(5);
    close(Pipe[0]);
    char Result = 'n';
    pid_t Expected = getppid(); // before the filter: getppid is notified
    scmp_filter_ctx Ctx = seccomp_init(SCMP_ACT_ALLOW);
    int Fd = -1;
    if (Ctx && seccomp_rule_add(Ctx, SCMP_ACT_NOTIFY, SCMP_SYS(getppid), 0) ==
                   0 &&
        seccomp_rule_add(Ctx, SCMP_ACT_NOTIFY, SCMP_SYS(dup), 0) == 0 &&
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && seccomp_load(Ctx) == 0)
      Fd = seccomp_notify_fd(Ctx);
    if (Fd >= 0) {
      pid_t Parent = 0;
      int Dup = -1;
      std::thread T([&] {
        Parent = static_cast<pid_t>(syscall(SYS_getppid));
        Dup = static_cast<int>(syscall(SYS_dup, 0));
      });
      Result = 'r'; // receive
      struct seccomp_notif Req;
      memset(&Req, 0, sizeof Req);
      if (notifyReceive(Fd, &Req) == 0) {
        struct seccomp_notif_resp Resp;
        memset(&Resp, 0, sizeof Resp);
        Resp.id = Req.id;
        Resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        Result = notifyRespond(Fd, &Resp) == 0 ? 'a' : 'c';
        memset(&Req, 0, sizeof Req);
        if (Result == 'a' && notifyReceive(Fd, &Req) == 0) {
          struct seccomp_notif_addfd Add;
          memset(&Add, 0, sizeof Add);
          Add.id = Req.id;
          Add.flags = SECCOMP_ADDFD_FLAG_SEND;
          Add.srcfd = 1;
          if (ioctl(Fd, SECCOMP_IOCTL_NOTIF_ADDFD, &Add) < 0) {
            // Answer anyway so that the thread ends.
            struct seccomp_notif_resp R2;
            memset(&R2, 0, sizeof R2);
            R2.id = Req.id;
            R2.error = -EPERM;
            notifyRespond(Fd, &R2);
          }
        }
      }
      T.join();
      if (Result == 'a')
        Result = Parent == Expected ? (Dup >= 0 ? 'y' : 'a') : 'c';
    }
    if (write(Pipe[1], &Result, 1) != 1)
      _exit(1);
    _exit(0);
  }
  close(Pipe[1]);
  char Result = 'n';
  if (read(Pipe[0], &Result, 1) != 1)
    Result = 'n';
  close(Pipe[0]);
  int Status;
  waitpid(Child, &Status, 0);
  switch (Result) {
  case 'y':
    Detail = "SECCOMP_USER_NOTIF_FLAG_CONTINUE and NOTIF_ADDFD work; " +
             std::to_string(notifiedSyscalls().size()) + " calls decided";
    return true;
  case 'a':
    Detail = "SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND fails";
    return false;
  case 'c':
    Detail = "SECCOMP_USER_NOTIF_FLAG_CONTINUE fails";
    return false;
  case 'r':
    Detail = "no notification received";
    return false;
  default:
    Detail = "no listener (SECCOMP_FILTER_FLAG_NEW_LISTENER)";
    return false;
  }
}

} // namespace peapod::runtime
