//===- FuseServer.cpp - The stacked file system that enforces file rules --===//
//
// Operation by operation, what each asks of the caller's pea is in
// docs/fuse.md ("Decisions"). The shape follows libfuse's passthrough_hp:
// nodes hold O_PATH descriptors, files are reopened through /proc/self/fd,
// reads are spliced from the file, writes spliced into it.
//
//===----------------------------------------------------------------------===//
#define FUSE_USE_VERSION 312
#include "peapod/runtime/FuseServer.h"
#include "FileDecisions.h"
#include "FusePassthrough.h"
#include "FuseNodes.h"

#include <fuse_lowlevel.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace peapod::runtime {

/// The kernel's __FMODE_EXEC: set in the flags of the open an execve makes
/// (include/linux/fs.h; measured on this kernel, docs/fuse.md).
constexpr int FmodeExec = 0x20;

constexpr uint8_t R = PPI_ACCESS_READ, W = PPI_ACCESS_WRITE,
                  X = PPI_ACCESS_EXECUTE;

struct FuseServer::State {
  const ppi_image &Img;
  const PeaLabels &Labels;
  AuditLog *Audit;
  FuseMountOptions Opts;
  std::string Mountpoint;
  std::unique_ptr<FuseNodeTable> Nodes;
  int ProcFd = -1; ///< /proc/self/fd, to reopen O_PATH descriptors
  mode_t Umask = 022;
  struct fuse_session *Session = nullptr;
  std::thread Loop;
  dev_t MountDev = 0;
  bool Stopped = false;
  FuseStats Stats;
  FusePassthrough Passthrough;
  /// pid -> pea, valid while the epoch it was read in is current.
  std::mutex LabelLock;
  std::unordered_map<pid_t, uint32_t> LabelCache;
  uint64_t LabelCacheEpoch = 0;
  /// Allowed exec opens by thread, for the exec tracer.
  std::atomic<bool> RecordExecOpens{false};
  std::mutex ExecLock;
  std::unordered_map<pid_t, std::vector<std::string>> ExecOpens;

  State(const ppi_image &Img, const PeaLabels &Labels, AuditLog *Audit,
        const FuseMountOptions &Opts)
      : Img(Img), Labels(Labels), Audit(Audit), Opts(Opts) {}
  ~State() {
    if (ProcFd >= 0)
      ::close(ProcFd);
  }
};

using State = FuseServer::State;

static State &stateOf(fuse_req_t Req) {
  return *static_cast<State *>(fuse_req_userdata(Req));
}

//===--- Callers and decisions ---------------------------------------------===//

static uint32_t peaOf(State &S, pid_t Pid) {
  if (!S.Opts.LabelEpoch || Pid <= 0) {
    ++S.Stats.LabelReads;
    return S.Labels.peaOfPid(Pid);
  }
  uint64_t Epoch = S.Opts.LabelEpoch->load(std::memory_order_acquire);
  {
    std::lock_guard<std::mutex> G(S.LabelLock);
    if (S.LabelCacheEpoch != Epoch) {
      S.LabelCache.clear();
      S.LabelCacheEpoch = Epoch;
    }
    auto It = S.LabelCache.find(Pid);
    if (It != S.LabelCache.end())
      return It->second;
  }
  ++S.Stats.LabelReads;
  uint32_t Pea = S.Labels.peaOfPid(Pid);
  std::lock_guard<std::mutex> G(S.LabelLock);
  // Only an answer read wholly within the current epoch is kept.
  if (S.LabelCacheEpoch == Epoch &&
      S.Opts.LabelEpoch->load(std::memory_order_acquire) == Epoch)
    S.LabelCache.emplace(Pid, Pea);
  return Pea;
}

static Caller callerOf(fuse_req_t Req) {
  State &S = stateOf(Req);
  const fuse_ctx *Ctx = fuse_req_ctx(Req);
  Caller C;
  C.Pid = Ctx->pid;
  C.Uid = Ctx->uid;
  C.Gid = Ctx->gid;
  // Pid 0: a caller outside the PID namespace the mount was made in, or a
  // request the kernel makes on its own. Neither is a process of the pod's
  // peas, so it has no pea and every decision denies (fail closed).
  C.Pea = peaOf(S, C.Pid);
  if (C.Pea == PPI_NONE && C.Pid > 0 && S.Opts.RuntimeReader &&
      S.Opts.RuntimeReader->load(std::memory_order_acquire) == C.Pid)
    C.Pea = RuntimeReaderPea;
  if (C.Pea == PPI_NONE)
    ++S.Stats.NoPea;
  return C;
}

/// Kernel cache lifetimes of an answer to `C`. The runtime reader's answers
/// are not cached: a pea walking a path after it would otherwise reuse
/// lookups it could not make (no search right on a directory).
static double entryTimeout(const State &S, const Caller &C) {
  return C.Pea == RuntimeReaderPea ? 0 : S.Opts.EntryTimeout;
}
static double attrTimeout(const State &S, const Caller &C) {
  return C.Pea == RuntimeReaderPea ? 0 : S.Opts.AttrTimeout;
}

static bool inGroup(fuse_req_t Req, const Caller &C, gid_t Gid) {
  if (C.Gid == Gid)
    return true;
  gid_t Groups[64];
  int N = fuse_req_getgroups(Req, 64, Groups);
  for (int I = 0; I < N && I < 64; ++I)
    if (Groups[I] == Gid)
      return true;
  return false;
}

static std::string programOf(pid_t Pid) {
  if (Pid <= 0)
    return {};
  char Buf[PATH_MAX];
  std::string Link = "/proc/" + std::to_string(Pid) + "/exe";
  ssize_t N = readlink(Link.c_str(), Buf, sizeof Buf);
  return N > 0 ? std::string(Buf, size_t(N)) : std::string();
}

/// Records a denial; returns the errno the caller gets (0 in complain
/// mode, where the operation goes ahead).
static int deny(State &S, const Caller &C, const char *Operation,
                uint8_t Want, const std::string &Path, uint32_t Rule,
                int Errno = EACCES) {
  ++S.Stats.Denials;
  // Complain mode is for peas: no pea and the runtime reader stay refused.
  bool Complain = S.Opts.Complain && C.Pea < S.Img.pea_count;
  if (S.Audit) {
    AuditEvent E;
    if (S.Labels.pod() < S.Img.pod_count) {
      const ppi_pod &Pod = S.Img.pods[S.Labels.pod()];
      E.Pod.assign(ppi_string(&S.Img, Pod.name_off), Pod.name_len);
    }
    E.Pea = std::string(S.Labels.nameOf(C.Pea));
    E.Pid = C.Pid;
    E.Program = programOf(C.Pid);
    E.Operation = Operation;
    E.Access = std::string(accessLetters(Want));
    E.Path = Path;
    E.Errno = Complain ? 0 : Errno;
    E.Complain = Complain;
    E.Rule = auditRuleOf(S.Img, Rule);
    S.Audit->record(E);
  }
  return Complain ? 0 : Errno;
}

/// The pea's access to the file `St` at `Path`, masked by semantics 7 and
/// checked as UNIX would: 0 if `Want` is allowed, else the errno.
static int decide(fuse_req_t Req, const Caller &C, const char *Operation,
                  const std::string &Path, const struct stat &St,
                  uint8_t Want) {
  State &S = stateOf(Req);
  ++S.Stats.Requests;
  ppi_answer A = peaAnswer(S.Img, C.Pea, Path, S_ISDIR(St.st_mode));
  if (peaPermits(A.access, St.st_mode, St.st_uid,
                 inGroup(Req, C, St.st_gid), C.Uid, Want))
    return 0;
  return deny(S, C, Operation, Want, Path, A.rule);
}

/// The pea's access alone (no mode bits): for names that do not exist yet.
static int decideName(State &S, const Caller &C, const char *Operation,
                      const std::string &Path, bool IsDir, uint8_t Want) {
  ++S.Stats.Requests;
  ppi_answer A = peaAnswer(S.Img, C.Pea, Path, IsDir);
  if ((Want & ~A.access) == 0)
    return 0;
  return deny(S, C, Operation, Want, Path, A.rule);
}

static int statOf(int Fd, struct stat &St) {
  return fstatat(Fd, "", &St, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) == 0
             ? 0
             : errno;
}

/// The node's attributes as the caller's pea sees them (semantics 7).
static void maskedAttr(State &S, const Caller &C, const std::string &Path,
                       struct stat &St) {
  // Complain mode enforces nothing: the kernel's own checks on the masked
  // mode (exec's x bit) would refuse what the daemon would log and allow.
  if (S.Opts.Complain && C.Pea < S.Img.pea_count)
    return;
  ppi_answer A = peaAnswer(S.Img, C.Pea, Path, S_ISDIR(St.st_mode));
  St.st_mode = ppi_effective_mode(A.access, St.st_mode);
}

/// Search access to `Dir` (x), which every operation on a name in it needs.
static int decideSearch(fuse_req_t Req, const Caller &C, const char *Op,
                        FuseNode &Dir, const std::string &DirPath,
                        uint8_t Extra = 0) {
  struct stat St;
  if (int E = statOf(Dir.Fd, St))
    return E;
  return decide(Req, C, Op, DirPath, St, X | Extra);
}

static std::string fdName(int Fd) { return std::to_string(Fd); }

//===--- Replies ------------------------------------------------------------===//

static void replyEntry(fuse_req_t Req, State &S, const Caller &C,
                       FuseNode &Parent, const std::string &Name, int Fd) {
  struct stat St;
  if (int E = statOf(Fd, St)) {
    ::close(Fd);
    fuse_reply_err(Req, E);
    return;
  }
  FuseNode &N = S.Nodes->insert(Parent, Name, Fd, St);
  fuse_entry_param P{};
  P.ino = FuseNodeTable::idOf(N, S.Nodes->root());
  P.attr = St;
  maskedAttr(S, C, S.Nodes->pathOf(N), P.attr);
  P.attr_timeout = attrTimeout(S, C);
  P.entry_timeout = entryTimeout(S, C);
  fuse_reply_entry(Req, &P);
}

/// Files the pod creates belong to the caller, with exactly the mode asked
/// (the kernel applied the caller's umask; the daemon's must not apply).
static void settleNew(State &S, const Caller &C, int DirFd,
                      const std::string &Name, mode_t Mode, bool Symlink) {
  if (C.Uid != 0 || C.Gid != 0)
    (void)fchownat(DirFd, Name.c_str(), C.Uid, C.Gid, AT_SYMLINK_NOFOLLOW);
  if (!Symlink && (Mode & S.Umask & 07777))
    (void)fchmodat(DirFd, Name.c_str(), Mode & 07777, 0);
}

//===--- Operations ---------------------------------------------------------===//

static void opInit(void *User, struct fuse_conn_info *Conn) {
  State &S = *static_cast<State *>(User);
  // Splice both ways; no writeback cache (a write must carry its caller);
  // no export support (no open_by_handle_at through the mount).
  Conn->want |= (Conn->capable & FUSE_CAP_SPLICE_READ);
  Conn->want |= (Conn->capable & FUSE_CAP_SPLICE_WRITE);
  Conn->want |= (Conn->capable & FUSE_CAP_SPLICE_MOVE);
  Conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
  Conn->want &= ~FUSE_CAP_EXPORT_SUPPORT;
  Conn->want |= (Conn->capable & FUSE_CAP_ATOMIC_O_TRUNC);
  Conn->want |= (Conn->capable & FUSE_CAP_PARALLEL_DIROPS);
  Conn->max_write = S.Opts.MaxWrite;
}

static void opLookup(fuse_req_t Req, fuse_ino_t ParentId, const char *Name) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &Parent = S.Nodes->node(ParentId);
  if (int E = decideSearch(Req, C, "lookup", Parent, S.Nodes->pathOf(Parent)))
    return (void)fuse_reply_err(Req, E);
  int Fd = openat(Parent.Fd, Name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (Fd < 0 && errno == ENOENT && S.Opts.NegativeTimeout > 0 &&
      C.Pea != RuntimeReaderPea) {
    fuse_entry_param P{}; // node 0: the kernel caches the absence
    P.entry_timeout = S.Opts.NegativeTimeout;
    return (void)fuse_reply_entry(Req, &P);
  }
  if (Fd < 0)
    return (void)fuse_reply_err(Req, errno);
  replyEntry(Req, S, C, Parent, Name, Fd);
}

static void opForget(fuse_req_t Req, fuse_ino_t Id, uint64_t Count) {
  State &S = stateOf(Req);
  S.Nodes->forget(S.Nodes->node(Id), Count);
  fuse_reply_none(Req);
}

static void opForgetMulti(fuse_req_t Req, size_t Count,
                          struct fuse_forget_data *Forgets) {
  State &S = stateOf(Req);
  for (size_t I = 0; I < Count; ++I)
    S.Nodes->forget(S.Nodes->node(Forgets[I].ino), Forgets[I].nlookup);
  fuse_reply_none(Req);
}

static void opGetattr(fuse_req_t Req, fuse_ino_t Id, fuse_file_info *) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &N = S.Nodes->node(Id);
  struct stat St;
  if (int E = statOf(N.Fd, St))
    return (void)fuse_reply_err(Req, E);
  maskedAttr(S, C, S.Nodes->pathOf(N), St);
  fuse_reply_attr(Req, &St, attrTimeout(S, C));
}

static void opSetattr(fuse_req_t Req, fuse_ino_t Id, struct stat *Attr,
                      int Valid, fuse_file_info *Fi) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &N = S.Nodes->node(Id);
  std::string Path = S.Nodes->pathOf(N);
  struct stat St;
  if (int E = statOf(N.Fd, St))
    return (void)fuse_reply_err(Req, E);
  // Every attribute change writes the file's metadata: the pea needs write
  // on it. Ownership rules are UNIX's (the daemon runs as root).
  ++S.Stats.Requests;
  ppi_answer A = peaAnswer(S.Img, C.Pea, Path, S_ISDIR(St.st_mode));
  if (!(A.access & W))
    if (int E = deny(S, C, "setattr", W, Path, A.rule))
      return (void)fuse_reply_err(Req, E);
  bool Owner = C.Uid == 0 || C.Uid == St.st_uid;
  if ((Valid & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) &&
      !Owner)
    return (void)fuse_reply_err(Req, EPERM);
  if ((Valid & FUSE_SET_ATTR_UID) && C.Uid != 0 && Attr->st_uid != St.st_uid)
    return (void)fuse_reply_err(Req, EPERM);
  if (Valid & FUSE_SET_ATTR_SIZE)
    if (int E = decide(Req, C, "truncate", Path, St, W))
      return (void)fuse_reply_err(Req, E);
  if ((Valid & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME)) && !Owner)
    if (int E = decide(Req, C, "utimes", Path, St, W))
      return (void)fuse_reply_err(Req, E);

  std::string Proc = fdName(N.Fd);
  int Res = 0;
  if (Valid & FUSE_SET_ATTR_MODE)
    Res = Fi ? fchmod(int(Fi->fh), Attr->st_mode)
             : fchmodat(S.ProcFd, Proc.c_str(), Attr->st_mode, 0);
  if (Res == 0 && (Valid & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID))) {
    uid_t U = (Valid & FUSE_SET_ATTR_UID) ? Attr->st_uid : uid_t(-1);
    gid_t G = (Valid & FUSE_SET_ATTR_GID) ? Attr->st_gid : gid_t(-1);
    Res = fchownat(N.Fd, "", U, G, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
  }
  if (Res == 0 && (Valid & FUSE_SET_ATTR_SIZE)) {
    if (Fi) {
      Res = ftruncate(int(Fi->fh), Attr->st_size);
    } else {
      int Fd = openat(S.ProcFd, Proc.c_str(), O_WRONLY | O_CLOEXEC);
      Res = Fd < 0 ? -1 : ftruncate(Fd, Attr->st_size);
      if (Fd >= 0)
        ::close(Fd);
    }
  }
  if (Res == 0 && (Valid & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME))) {
    struct timespec Times[2];
    Times[0].tv_nsec = Times[1].tv_nsec = UTIME_OMIT;
    if (Valid & FUSE_SET_ATTR_ATIME_NOW)
      Times[0].tv_nsec = UTIME_NOW;
    else if (Valid & FUSE_SET_ATTR_ATIME)
      Times[0] = Attr->st_atim;
    if (Valid & FUSE_SET_ATTR_MTIME_NOW)
      Times[1].tv_nsec = UTIME_NOW;
    else if (Valid & FUSE_SET_ATTR_MTIME)
      Times[1] = Attr->st_mtim;
    Res = Fi ? futimens(int(Fi->fh), Times)
         : S_ISLNK(St.st_mode)
             ? 0 // symlink times: not through /proc/self/fd
             : utimensat(S.ProcFd, Proc.c_str(), Times, 0);
  }
  if (Res != 0)
    return (void)fuse_reply_err(Req, errno);
  if (statOf(N.Fd, St) != 0)
    return (void)fuse_reply_err(Req, errno);
  maskedAttr(S, C, Path, St);
  fuse_reply_attr(Req, &St, attrTimeout(S, C));
}

/// What an open with `Flags` asks for. An exec open asks only execute.
static uint8_t wantOfOpen(int Flags) {
  if (Flags & FmodeExec)
    return X;
  uint8_t Want = 0;
  switch (Flags & O_ACCMODE) {
  case O_RDONLY:
    Want = R;
    break;
  case O_WRONLY:
    Want = W;
    break;
  default:
    Want = R | W;
  }
  if (Flags & O_TRUNC)
    Want |= W;
  return Want;
}

static int reopenFlags(int Flags) {
  return (Flags & ~(O_NOFOLLOW | O_CREAT | O_EXCL | O_NOCTTY | FmodeExec)) |
         O_CLOEXEC;
}

static void finishOpen(State &S, FuseNode &N, int Fd, fuse_file_info *Fi) {
  Fi->fh = uint64_t(Fd);
  S.Passthrough.prepareOpen(Fd, &N);
}

static void recordExecOpen(State &S, pid_t Tid, std::string Path) {
  std::lock_guard<std::mutex> G(S.ExecLock);
  std::vector<std::string> &Paths = S.ExecOpens[Tid];
  if (Paths.size() >= 8) // a thread that never execs keeps no history
    Paths.erase(Paths.begin());
  Paths.push_back(std::move(Path));
}

static void abandonOpen(State &S, int Fd) {
  S.Passthrough.abandon(Fd);
  ::close(Fd);
}

static void opOpen(fuse_req_t Req, fuse_ino_t Id, fuse_file_info *Fi) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  if (Fi->flags & FmodeExec)
    ++S.Stats.ExecOpens;
  std::string Proc;
  {
    std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
    FuseNode &N = S.Nodes->node(Id);
    struct stat St;
    if (int E = statOf(N.Fd, St))
      return (void)fuse_reply_err(Req, E);
    const char *Op = (Fi->flags & FmodeExec) ? "exec" : "open";
    std::string Path = S.Nodes->pathOf(N);
    if (int E = decide(Req, C, Op, Path, St, wantOfOpen(Fi->flags)))
      return (void)fuse_reply_err(Req, E);
    if ((Fi->flags & FmodeExec) && S.RecordExecOpens)
      recordExecOpen(S, C.Pid, std::move(Path));
    Proc = fdName(N.Fd);
    int Fd = openat(S.ProcFd, Proc.c_str(), reopenFlags(Fi->flags));
    if (Fd < 0)
      return (void)fuse_reply_err(Req, errno);
    finishOpen(S, N, Fd, Fi);
  }
  if (fuse_reply_open(Req, Fi) != 0)
    abandonOpen(S, int(Fi->fh)); // the caller is gone: no RELEASE will come
}

static void opCreate(fuse_req_t Req, fuse_ino_t ParentId, const char *Name,
                     mode_t Mode, fuse_file_info *Fi) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &Parent = S.Nodes->node(ParentId);
  std::string DirPath = S.Nodes->pathOf(Parent);
  std::string Path = S.Nodes->childPath(Parent, Name);
  struct stat Existing;
  int Fd;
  if (fstatat(Parent.Fd, Name, &Existing, AT_SYMLINK_NOFOLLOW) == 0) {
    // The kernel may send CREATE for a name it had no dentry for: then
    // this is an open of the existing file.
    if (Fi->flags & O_EXCL)
      return (void)fuse_reply_err(Req, EEXIST);
    if (int E = decideSearch(Req, C, "open", Parent, DirPath))
      return (void)fuse_reply_err(Req, E);
    if (int E = decide(Req, C, "open", Path, Existing, wantOfOpen(Fi->flags)))
      return (void)fuse_reply_err(Req, E);
    Fd = openat(Parent.Fd, Name, reopenFlags(Fi->flags) | O_NOFOLLOW);
  } else {
    if (int E = decideSearch(Req, C, "create", Parent, DirPath, W))
      return (void)fuse_reply_err(Req, E);
    if (int E = decideName(S, C, "create", Path, false,
                           wantOfOpen(Fi->flags) | W))
      return (void)fuse_reply_err(Req, E);
    Fd = openat(Parent.Fd, Name,
                reopenFlags(Fi->flags) | O_CREAT | O_EXCL | O_NOFOLLOW,
                Mode & 07777);
    if (Fd >= 0)
      settleNew(S, C, Parent.Fd, Name, Mode, false);
  }
  if (Fd < 0)
    return (void)fuse_reply_err(Req, errno);
  int PathFd = openat(Parent.Fd, Name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  struct stat St;
  if (PathFd < 0 || statOf(PathFd, St) != 0) {
    int E = errno;
    ::close(Fd);
    if (PathFd >= 0)
      ::close(PathFd);
    return (void)fuse_reply_err(Req, E);
  }
  FuseNode &N = S.Nodes->insert(Parent, Name, PathFd, St);
  fuse_entry_param P{};
  P.ino = FuseNodeTable::idOf(N, S.Nodes->root());
  P.attr = St;
  maskedAttr(S, C, Path, P.attr);
  P.attr_timeout = attrTimeout(S, C);
  P.entry_timeout = entryTimeout(S, C);
  finishOpen(S, N, Fd, Fi);
  Names.unlock();
  if (fuse_reply_create(Req, &P, Fi) != 0)
    abandonOpen(S, Fd);
}

/// mkdir, mknod and symlink: search and write on the parent, write on the
/// new name.
static int decideNewName(fuse_req_t Req, const Caller &C, const char *Op,
                         FuseNode &Parent, const char *Name, bool IsDir) {
  State &S = stateOf(Req);
  if (int E = decideSearch(Req, C, Op, Parent, S.Nodes->pathOf(Parent), W))
    return E;
  return decideName(S, C, Op, S.Nodes->childPath(Parent, Name), IsDir, W);
}

static void replyNewName(fuse_req_t Req, State &S, const Caller &C,
                         FuseNode &Parent, const char *Name) {
  int Fd = openat(Parent.Fd, Name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (Fd < 0)
    return (void)fuse_reply_err(Req, errno);
  replyEntry(Req, S, C, Parent, Name, Fd);
}

static void opMkdir(fuse_req_t Req, fuse_ino_t ParentId, const char *Name,
                    mode_t Mode) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &Parent = S.Nodes->node(ParentId);
  if (int E = decideNewName(Req, C, "mkdir", Parent, Name, true))
    return (void)fuse_reply_err(Req, E);
  if (mkdirat(Parent.Fd, Name, Mode & 07777) != 0)
    return (void)fuse_reply_err(Req, errno);
  settleNew(S, C, Parent.Fd, Name, Mode, false);
  replyNewName(Req, S, C, Parent, Name);
}

static void opMknod(fuse_req_t Req, fuse_ino_t ParentId, const char *Name,
                    mode_t Mode, dev_t Rdev) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  // Devices are never created in a pod (the paper's device class); FIFOs,
  // sockets and regular files follow the file rules.
  if (S_ISCHR(Mode) || S_ISBLK(Mode))
    return (void)fuse_reply_err(Req, EPERM);
  std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &Parent = S.Nodes->node(ParentId);
  if (int E = decideNewName(Req, C, "mknod", Parent, Name, false))
    return (void)fuse_reply_err(Req, E);
  if (mknodat(Parent.Fd, Name, Mode, Rdev) != 0)
    return (void)fuse_reply_err(Req, errno);
  settleNew(S, C, Parent.Fd, Name, Mode, false);
  replyNewName(Req, S, C, Parent, Name);
}

static void opSymlink(fuse_req_t Req, const char *Target, fuse_ino_t ParentId,
                      const char *Name) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &Parent = S.Nodes->node(ParentId);
  if (int E = decideNewName(Req, C, "symlink", Parent, Name, false))
    return (void)fuse_reply_err(Req, E);
  if (symlinkat(Target, Parent.Fd, Name) != 0)
    return (void)fuse_reply_err(Req, errno);
  settleNew(S, C, Parent.Fd, Name, 0, true);
  replyNewName(Req, S, C, Parent, Name);
}

static void opReadlink(fuse_req_t Req, fuse_ino_t Id) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &N = S.Nodes->node(Id);
  std::string Path = S.Nodes->pathOf(N);
  // Following a link is reading it; a link on the way to a granted path
  // (/lib -> usr/lib above a rule for /lib/x) may be followed as a
  // directory would be searched.
  ++S.Stats.Requests;
  ppi_answer AsFile = peaAnswer(S.Img, C.Pea, Path, false);
  ppi_answer AsDir = peaAnswer(S.Img, C.Pea, Path, true);
  if (!(AsFile.access & (R | X)) && !(AsDir.access & X))
    if (int E = deny(S, C, "readlink", R, Path, AsFile.rule))
      return (void)fuse_reply_err(Req, E);
  char Buf[PATH_MAX + 1];
  ssize_t Len = readlinkat(N.Fd, "", Buf, sizeof Buf);
  if (Len < 0)
    return (void)fuse_reply_err(Req, errno);
  if (size_t(Len) >= sizeof Buf)
    return (void)fuse_reply_err(Req, ENAMETOOLONG);
  Buf[Len] = '\0';
  fuse_reply_readlink(Req, Buf);
}

/// unlink and rmdir: search and write on the parent, and write on the name
/// itself (removing a read-only file and creating another in its place
/// would be writing it).
static void removeName(fuse_req_t Req, fuse_ino_t ParentId, const char *Name,
                       bool Dir) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  const char *Op = Dir ? "rmdir" : "unlink";
  std::unique_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &Parent = S.Nodes->node(ParentId);
  if (int E = decideSearch(Req, C, Op, Parent, S.Nodes->pathOf(Parent), W))
    return (void)fuse_reply_err(Req, E);
  struct stat St;
  if (fstatat(Parent.Fd, Name, &St, AT_SYMLINK_NOFOLLOW) != 0)
    return (void)fuse_reply_err(Req, errno);
  if (int E = decideName(S, C, Op, S.Nodes->childPath(Parent, Name),
                         S_ISDIR(St.st_mode), W))
    return (void)fuse_reply_err(Req, E);
  if (unlinkat(Parent.Fd, Name, Dir ? AT_REMOVEDIR : 0) != 0)
    return (void)fuse_reply_err(Req, errno);
  S.Nodes->detach(Parent, Name);
  fuse_reply_err(Req, 0);
}

static void opUnlink(fuse_req_t Req, fuse_ino_t Parent, const char *Name) {
  removeName(Req, Parent, Name, false);
}
static void opRmdir(fuse_req_t Req, fuse_ino_t Parent, const char *Name) {
  removeName(Req, Parent, Name, true);
}

/// Moving or linking a file from `From` to `To` must not give the pea more
/// than it had: the access at the new name is within the access at the
/// old one. A directory carries a whole subtree: neither name may have any
/// rule at or below it in the pea's tree (else names inside would change
/// answers), FileDecisions.h.
static int decideCarry(State &S, const Caller &C, const char *Op,
                       const std::string &From, const std::string &To,
                       bool IsDir) {
  ++S.Stats.Requests;
  ppi_answer Old = peaAnswer(S.Img, C.Pea, From, IsDir);
  ppi_answer New = peaAnswer(S.Img, C.Pea, To, IsDir);
  if (New.access & ~Old.access)
    return deny(S, C, Op, New.access & ~Old.access, To, New.rule);
  if (IsDir && (hasRulesAtOrBelow(S.Img, C.Pea, From) ||
                hasRulesAtOrBelow(S.Img, C.Pea, To)))
    return deny(S, C, Op, W, To, New.rule);
  return 0;
}

static void opRename(fuse_req_t Req, fuse_ino_t ParentId, const char *Name,
                     fuse_ino_t NewParentId, const char *NewName,
                     unsigned int Flags) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  std::unique_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &Parent = S.Nodes->node(ParentId);
  FuseNode &NewParent = S.Nodes->node(NewParentId);
  std::string From = S.Nodes->childPath(Parent, Name);
  std::string To = S.Nodes->childPath(NewParent, NewName);
  if (int E = decideSearch(Req, C, "rename", Parent, S.Nodes->pathOf(Parent),
                           W))
    return (void)fuse_reply_err(Req, E);
  if (int E = decideSearch(Req, C, "rename", NewParent,
                           S.Nodes->pathOf(NewParent), W))
    return (void)fuse_reply_err(Req, E);
  struct stat Src, Dst;
  if (fstatat(Parent.Fd, Name, &Src, AT_SYMLINK_NOFOLLOW) != 0)
    return (void)fuse_reply_err(Req, errno);
  bool DstExists =
      fstatat(NewParent.Fd, NewName, &Dst, AT_SYMLINK_NOFOLLOW) == 0;
  bool SrcDir = S_ISDIR(Src.st_mode);
  if (int E = decideName(S, C, "rename", From, SrcDir, W))
    return (void)fuse_reply_err(Req, E);
  if (DstExists)
    if (int E = decideName(S, C, "rename", To, S_ISDIR(Dst.st_mode), W))
      return (void)fuse_reply_err(Req, E);
  if (int E = decideCarry(S, C, "rename", From, To, SrcDir))
    return (void)fuse_reply_err(Req, E);
  if ((Flags & RENAME_EXCHANGE) && DstExists)
    if (int E = decideCarry(S, C, "rename", To, From, S_ISDIR(Dst.st_mode)))
      return (void)fuse_reply_err(Req, E);
  if (renameat2(Parent.Fd, Name, NewParent.Fd, NewName, Flags) != 0)
    return (void)fuse_reply_err(Req, errno);
  if (Flags & RENAME_EXCHANGE)
    S.Nodes->exchange(Parent, Name, NewParent, NewName);
  else
    S.Nodes->move(Parent, Name, NewParent, NewName);
  fuse_reply_err(Req, 0);
}

static void opLink(fuse_req_t Req, fuse_ino_t Id, fuse_ino_t NewParentId,
                   const char *NewName) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &N = S.Nodes->node(Id);
  FuseNode &NewParent = S.Nodes->node(NewParentId);
  std::string From = S.Nodes->pathOf(N);
  std::string To = S.Nodes->childPath(NewParent, NewName);
  // A link to a name the pea cannot access is refused (the paper), and the
  // new name may not give more than the old one (decideCarry).
  ++S.Stats.Requests;
  ppi_answer Old = peaAnswer(S.Img, C.Pea, From, N.isDir());
  if (Old.access == 0)
    if (int E = deny(S, C, "link", R, From, Old.rule))
      return (void)fuse_reply_err(Req, E);
  if (int E = decideNewName(Req, C, "link", NewParent, NewName, false))
    return (void)fuse_reply_err(Req, E);
  if (int E = decideCarry(S, C, "link", From, To, false))
    return (void)fuse_reply_err(Req, E);
  std::string Proc = fdName(N.Fd);
  if (linkat(S.ProcFd, Proc.c_str(), NewParent.Fd, NewName,
             AT_SYMLINK_FOLLOW) != 0)
    return (void)fuse_reply_err(Req, errno);
  replyNewName(Req, S, C, NewParent, NewName);
}

static void opAccess(fuse_req_t Req, fuse_ino_t Id, int Mask) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &N = S.Nodes->node(Id);
  struct stat St;
  if (int E = statOf(N.Fd, St))
    return (void)fuse_reply_err(Req, E);
  uint8_t Want = ((Mask & R_OK) ? R : 0) | ((Mask & W_OK) ? W : 0) |
                 ((Mask & X_OK) ? X : 0);
  if (Want == 0)
    return (void)fuse_reply_err(Req, 0);
  fuse_reply_err(Req, decide(Req, C, "access", S.Nodes->pathOf(N), St, Want));
}

static void opStatfs(fuse_req_t Req, fuse_ino_t Id) {
  State &S = stateOf(Req);
  struct statvfs Sv;
  if (fstatvfs(S.Nodes->node(Id).Fd, &Sv) != 0)
    return (void)fuse_reply_err(Req, errno);
  fuse_reply_statfs(Req, &Sv);
}

//--- Files -------------------------------------------------------------------

static void opRead(fuse_req_t Req, fuse_ino_t, size_t Size, off_t Off,
                   fuse_file_info *Fi) {
  ++stateOf(Req).Stats.Reads;
  fuse_bufvec Buf = FUSE_BUFVEC_INIT(Size);
  Buf.buf[0].flags = fuse_buf_flags(FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK);
  Buf.buf[0].fd = int(Fi->fh);
  Buf.buf[0].pos = Off;
  fuse_reply_data(Req, &Buf, FUSE_BUF_SPLICE_MOVE);
}

static void opWriteBuf(fuse_req_t Req, fuse_ino_t, fuse_bufvec *In, off_t Off,
                       fuse_file_info *Fi) {
  ++stateOf(Req).Stats.Writes;
  fuse_bufvec Out = FUSE_BUFVEC_INIT(fuse_buf_size(In));
  Out.buf[0].flags = fuse_buf_flags(FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK);
  Out.buf[0].fd = int(Fi->fh);
  Out.buf[0].pos = Off;
  ssize_t N = fuse_buf_copy(&Out, In, FUSE_BUF_SPLICE_NONBLOCK);
  if (N < 0)
    fuse_reply_err(Req, int(-N));
  else
    fuse_reply_write(Req, size_t(N));
}

static void opFlush(fuse_req_t Req, fuse_ino_t, fuse_file_info *Fi) {
  // Closing a duplicate reports the errors a close(2) of the caller should
  // see (NFS-like underlying file systems), as passthrough_hp does.
  int Res = ::close(dup(int(Fi->fh)));
  fuse_reply_err(Req, Res == 0 ? 0 : errno);
}

static void opRelease(fuse_req_t Req, fuse_ino_t, fuse_file_info *Fi) {
  State &S = stateOf(Req);
  S.Passthrough.release(int(Fi->fh));
  ::close(int(Fi->fh));
  fuse_reply_err(Req, 0);
}

static void opFsync(fuse_req_t Req, fuse_ino_t, int DataOnly,
                    fuse_file_info *Fi) {
  int Fd = int(Fi->fh);
  int Res = DataOnly ? fdatasync(Fd) : fsync(Fd);
  fuse_reply_err(Req, Res == 0 ? 0 : errno);
}

static void opFallocate(fuse_req_t Req, fuse_ino_t, int Mode, off_t Off,
                        off_t Len, fuse_file_info *Fi) {
  int Res = fallocate(int(Fi->fh), Mode, Off, Len);
  fuse_reply_err(Req, Res == 0 ? 0 : errno);
}

//--- Directories -------------------------------------------------------------

struct DirHandle {
  DIR *Dir = nullptr;
  off_t Offset = 0;
  dirent *Entry = nullptr;
};

static void opOpendir(fuse_req_t Req, fuse_ino_t Id, fuse_file_info *Fi) {
  State &S = stateOf(Req);
  Caller C = callerOf(Req);
  std::shared_lock<std::shared_mutex> Names(S.Nodes->Names);
  FuseNode &N = S.Nodes->node(Id);
  struct stat St;
  if (int E = statOf(N.Fd, St))
    return (void)fuse_reply_err(Req, E);
  if (int E = decide(Req, C, "readdir", S.Nodes->pathOf(N), St, R))
    return (void)fuse_reply_err(Req, E);
  std::string Proc = fdName(N.Fd);
  int Fd = openat(S.ProcFd, Proc.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (Fd < 0)
    return (void)fuse_reply_err(Req, errno);
  auto *H = new DirHandle;
  H->Dir = fdopendir(Fd);
  if (!H->Dir) {
    int E = errno;
    ::close(Fd);
    delete H;
    return (void)fuse_reply_err(Req, E);
  }
  Fi->fh = reinterpret_cast<uint64_t>(H);
  Fi->cache_readdir = 0;
  if (fuse_reply_open(Req, Fi) != 0) {
    closedir(H->Dir);
    delete H;
  }
}

static void opReaddir(fuse_req_t Req, fuse_ino_t, size_t Size, off_t Offset,
                      fuse_file_info *Fi) {
  auto *H = reinterpret_cast<DirHandle *>(Fi->fh);
  std::vector<char> Buf(Size);
  if (Offset != H->Offset) {
    seekdir(H->Dir, Offset);
    H->Entry = nullptr;
    H->Offset = Offset;
  }
  size_t Used = 0;
  for (;;) {
    if (!H->Entry) {
      errno = 0;
      H->Entry = readdir(H->Dir);
      if (!H->Entry) {
        if (errno && Used == 0)
          return (void)fuse_reply_err(Req, errno);
        break;
      }
    }
    struct stat St{};
    St.st_ino = H->Entry->d_ino;
    St.st_mode = mode_t(H->Entry->d_type) << 12;
    off_t Next = H->Entry->d_off;
    size_t Len = fuse_add_direntry(Req, Buf.data() + Used, Size - Used,
                                   H->Entry->d_name, &St, Next);
    if (Len > Size - Used)
      break;
    Used += Len;
    H->Entry = nullptr;
    H->Offset = Next;
  }
  fuse_reply_buf(Req, Buf.data(), Used);
}

static void opReleasedir(fuse_req_t Req, fuse_ino_t, fuse_file_info *Fi) {
  auto *H = reinterpret_cast<DirHandle *>(Fi->fh);
  closedir(H->Dir);
  delete H;
  fuse_reply_err(Req, 0);
}

static void opFsyncdir(fuse_req_t Req, fuse_ino_t, int DataOnly,
                       fuse_file_info *Fi) {
  auto *H = reinterpret_cast<DirHandle *>(Fi->fh);
  int Fd = dirfd(H->Dir);
  int Res = DataOnly ? fdatasync(Fd) : fsync(Fd);
  fuse_reply_err(Req, Res == 0 ? 0 : errno);
}

// The session's I/O: libfuse passes the hooks the session's user data.
static ssize_t ioRead(int Fd, void *Buf, size_t Len, void *User) {
  return static_cast<State *>(User)->Passthrough.readRequest(Fd, Buf, Len);
}
static ssize_t ioWritev(int Fd, struct iovec *Iov, int Count, void *User) {
  return static_cast<State *>(User)->Passthrough.writeReply(Fd, Iov, Count);
}
static ssize_t ioSplice(int In, off_t *OffIn, int Out, off_t *OffOut,
                        size_t Len, unsigned Flags, void *) {
  return splice(In, OffIn, Out, OffOut, Len, Flags);
}
static const fuse_custom_io SessionIo = {ioWritev, ioRead, ioSplice,
                                         ioSplice};

static fuse_lowlevel_ops makeOps() {
  fuse_lowlevel_ops Ops{};
  Ops.init = opInit;
  Ops.lookup = opLookup;
  Ops.forget = opForget;
  Ops.forget_multi = opForgetMulti;
  Ops.getattr = opGetattr;
  Ops.setattr = opSetattr;
  Ops.readlink = opReadlink;
  Ops.mknod = opMknod;
  Ops.mkdir = opMkdir;
  Ops.unlink = opUnlink;
  Ops.rmdir = opRmdir;
  Ops.symlink = opSymlink;
  Ops.rename = opRename;
  Ops.link = opLink;
  Ops.open = opOpen;
  Ops.read = opRead;
  Ops.write_buf = opWriteBuf;
  Ops.flush = opFlush;
  Ops.release = opRelease;
  Ops.fsync = opFsync;
  Ops.opendir = opOpendir;
  Ops.readdir = opReaddir;
  Ops.releasedir = opReleasedir;
  Ops.fsyncdir = opFsyncdir;
  Ops.statfs = opStatfs;
  Ops.access = opAccess;
  Ops.create = opCreate;
  Ops.fallocate = opFallocate;
  return Ops;
}

//===--- Mount and loop -----------------------------------------------------===//

FuseServer::FuseServer(std::unique_ptr<State> S) : S(std::move(S)) {}

FuseServer::~FuseServer() { stop(); }

const FuseStats &FuseServer::stats() const { return S->Stats; }

std::vector<std::string> FuseServer::takeExecOpens(pid_t Tid) {
  std::lock_guard<std::mutex> G(S->ExecLock);
  auto It = S->ExecOpens.find(Tid);
  if (It == S->ExecOpens.end())
    return {};
  std::vector<std::string> Paths = std::move(It->second);
  S->ExecOpens.erase(It);
  return Paths;
}

void FuseServer::setRecordExecOpens(bool On) { S->RecordExecOpens = On; }
const std::string &FuseServer::mountpoint() const { return S->Mountpoint; }

static bool mountFuse(State &S, int DevFd, std::string &Error) {
  struct stat St;
  if (stat(S.Mountpoint.c_str(), &St) != 0 || !S_ISDIR(St.st_mode)) {
    Error = "mount point '" + S.Mountpoint + "' is not a directory";
    return false;
  }
  std::string Data = "fd=" + std::to_string(DevFd) +
                     ",rootmode=40000,user_id=0,group_id=0,allow_other";
  // nosuid and nodev: the pod gains no privilege and no device through the
  // stacked tree (its /dev is a separate mount).
  if (mount("peapod", S.Mountpoint.c_str(), "fuse.peapod",
            MS_NOSUID | MS_NODEV, Data.c_str()) != 0) {
    Error = "cannot mount FUSE on '" + S.Mountpoint +
            "': " + std::strerror(errno);
    return false;
  }
  return true;
}

/// The device of the newest mount on `Dir` in /proc/self/mountinfo.
static dev_t mountDevice(const std::string &Dir) {
  FILE *F = fopen("/proc/self/mountinfo", "re");
  if (!F)
    return 0;
  dev_t Dev = 0;
  char *Line = nullptr;
  size_t Cap = 0;
  while (getline(&Line, &Cap, F) > 0) {
    unsigned Major, Minor;
    char Point[PATH_MAX];
    // ID PARENT MAJ:MIN ROOT MOUNTPOINT ... (octal escapes in MOUNTPOINT:
    // a mount point with a space never matches, and stop() then relies on
    // the unmount alone).
    if (sscanf(Line, "%*u %*u %u:%u %*s %4095s", &Major, &Minor, Point) == 3 &&
        Dir == Point)
      Dev = makedev(Major, Minor);
  }
  free(Line);
  fclose(F);
  return Dev;
}

std::unique_ptr<FuseServer>
FuseServer::mount(const std::string &Mountpoint, int RootFd,
                  const ppi_image &Img, const PeaLabels &Labels,
                  const FuseMountOptions &Options, AuditLog *Audit,
                  std::string &Error) {
  auto S = std::make_unique<State>(Img, Labels, Audit, Options);
  S->Mountpoint = Mountpoint;
  int Root = openat(RootFd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (Root < 0) {
    Error = std::string("cannot open the pod's root: ") + std::strerror(errno);
    return nullptr;
  }
  S->Nodes = std::make_unique<FuseNodeTable>(Root);
  S->ProcFd = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (S->ProcFd < 0) {
    Error = "cannot open /proc/self/fd (the daemon needs /proc)";
    return nullptr;
  }
  S->Umask = umask(022);
  umask(S->Umask);

  static const fuse_lowlevel_ops Ops = makeOps();
  const char *Argv[] = {"peapod-fuse", nullptr};
  fuse_args Args = FUSE_ARGS_INIT(1, const_cast<char **>(Argv));
  S->Session = fuse_session_new(&Args, &Ops, sizeof Ops, S.get());
  // fuse_session_new parses the arguments into a list of its own making,
  // which is ours to free.
  fuse_opt_free_args(&Args);
  if (!S->Session) {
    Error = "cannot create the FUSE session";
    return nullptr;
  }
  int DevFd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
  if (DevFd < 0) {
    Error = std::string("cannot open /dev/fuse: ") + std::strerror(errno);
    fuse_session_destroy(S->Session);
    S->Session = nullptr;
    return nullptr;
  }
  S->Passthrough.configure(Options.Passthrough, DevFd);
  if (fuse_session_custom_io(S->Session, &SessionIo, DevFd) != 0) {
    Error = "cannot attach the FUSE device";
    ::close(DevFd);
    fuse_session_destroy(S->Session);
    S->Session = nullptr;
    return nullptr;
  }
  if (!mountFuse(*S, DevFd, Error)) {
    fuse_session_destroy(S->Session); // closes DevFd
    S->Session = nullptr;
    return nullptr;
  }
  // The connection's number in fusectl is the mount's device, recorded so
  // stop() can abort a busy mount. Not by stat(): the starting thread never
  // waits on its own mount (a crashed server would hang it for good).
  S->MountDev = mountDevice(Mountpoint);
  S->Passthrough.bindStats(S->Stats);
  return std::unique_ptr<FuseServer>(new FuseServer(std::move(S)));
}

void FuseServer::serve() {
  if (S->Loop.joinable() || S->Stopped)
    return;
  State *Raw = S.get();
  S->Loop = std::thread([Raw] {
    fuse_loop_config *Cfg = fuse_loop_cfg_create();
    fuse_loop_cfg_set_max_threads(Cfg, Raw->Opts.MaxThreads);
    fuse_loop_cfg_set_idle_threads(Cfg, Raw->Opts.MaxThreads);
    fuse_loop_cfg_set_clone_fd(Cfg, 0);
    fuse_session_loop_mt(Raw->Session, Cfg);
    fuse_loop_cfg_destroy(Cfg);
  });
}

std::unique_ptr<FuseServer>
FuseServer::start(const std::string &Mountpoint, int RootFd,
                  const ppi_image &Img, const PeaLabels &Labels,
                  const FuseMountOptions &Options, AuditLog *Audit,
                  std::string &Error) {
  auto Server = mount(Mountpoint, RootFd, Img, Labels, Options, Audit, Error);
  if (Server)
    Server->serve();
  return Server;
}

/// Aborts the connection through a private fusectl mount: every waiting
/// and future request fails with ENOTCONN and the loop's reads return.
static void abortConnection(dev_t Dev) {
  char Dir[] = "/tmp/peapod-fusectl-XXXXXX";
  if (!mkdtemp(Dir))
    return;
  if (mount("fusectl", Dir, "fusectl", 0, nullptr) == 0) {
    unsigned Id = major(Dev) ? unsigned((major(Dev) << 20) | minor(Dev))
                             : unsigned(minor(Dev));
    std::string Abort = std::string(Dir) + "/" + std::to_string(Id) + "/abort";
    int Fd = open(Abort.c_str(), O_WRONLY | O_CLOEXEC);
    if (Fd >= 0) {
      (void)!write(Fd, "1", 1);
      ::close(Fd);
    }
    umount2(Dir, MNT_DETACH);
  }
  rmdir(Dir);
}

void FuseServer::stop() {
  if (!S || S->Stopped)
    return;
  S->Stopped = true;
  fuse_session_exit(S->Session);
  if (S->MountDev)
    abortConnection(S->MountDev);
  umount2(S->Mountpoint.c_str(), MNT_DETACH);
  if (S->Loop.joinable())
    S->Loop.join();
  fuse_session_destroy(S->Session);
  S->Session = nullptr;
}

} // namespace peapod::runtime
