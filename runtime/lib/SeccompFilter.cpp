//===- SeccompFilter.cpp - What the pod's processes may not call -----------===//
//
// The filter of every process of a pod (libseccomp):
//  - execve and execveat stop in the tracer (SECCOMP_RET_TRACE) so that it
//    can decide the exec and the pea after it; without a tracer they fail
//    with ENOSYS, which fails closed;
//  - host-only calls (modules, reboot, mounts, swap, kexec, clocks, BPF,
//    perf, handles, keyrings, namespaces, io_uring, ...) fail with EPERM;
//  - clone with CLONE_UNTRACED or a namespace flag fails with EPERM, and
//    clone3 (whose flags seccomp cannot read) with ENOSYS, so that the C
//    library falls back to clone and no child escapes the tracer;
//  - ioctl TIOCSTI and TIOCLINUX (terminal input injection) fail with EPERM;
//  - any other architecture (i386 `int 0x80`, x32) kills the process.
//
//===----------------------------------------------------------------------===//
#include "Pod.h"
#include <cerrno>
#include <cstring>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>

namespace peapod::runtime {

const std::vector<const char *> &hostOnlySyscalls() {
  static const std::vector<const char *> Names = {
      // modules, reboot, kexec, swap
      "init_module", "finit_module", "delete_module", "reboot", "kexec_load",
      "kexec_file_load", "swapon", "swapoff",
      // the mount family and root changes
      "mount", "umount", "umount2", "pivot_root", "chroot", "fsopen",
      "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
      "mount_setattr",
      // clocks
      "clock_settime", "clock_adjtime", "settimeofday", "adjtimex", "stime",
      // kernel interfaces a pod has no business with
      "bpf", "perf_event_open", "open_by_handle_at", "name_to_handle_at",
      "acct", "iopl", "ioperm", "syslog", "quotactl", "quotactl_fd",
      "lookup_dcookie", "nfsservctl", "vhangup", "uselib", "userfaultfd",
      "kcmp", "process_vm_writev", "add_key", "request_key", "keyctl",
      // namespaces (a new user namespace would give back capabilities)
      "unshare", "setns",
      // io_uring runs operations outside the calling task's seccomp filter
      "io_uring_setup", "io_uring_enter", "io_uring_register"};
  return Names;
}

static bool ruleOrError(int Rc, const char *What, std::string &Error) {
  if (Rc == 0)
    return true;
  Error = std::string("seccomp rule for ") + What + ": " + strerror(-Rc);
  return false;
}

bool loadPodSeccompFilter(std::string &Error) {
  scmp_filter_ctx Ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!Ctx) {
    Error = "seccomp_init failed";
    return false;
  }
  bool Ok = true;
  // Other architectures: killed (the default bad-arch action; said again so
  // that a libseccomp default never changes it).
  Ok = Ok && ruleOrError(seccomp_attr_set(Ctx, SCMP_FLTATR_ACT_BADARCH,
                                          SCMP_ACT_KILL_PROCESS),
                         "bad arch", Error);
  Ok = Ok && ruleOrError(seccomp_attr_set(Ctx, SCMP_FLTATR_CTL_NNP, 1), "nnp",
                         Error);
  for (const char *Name : {"execve", "execveat"}) {
    int Nr = seccomp_syscall_resolve_name(Name);
    Ok = Ok && ruleOrError(seccomp_rule_add(Ctx, SCMP_ACT_TRACE(0), Nr, 0),
                           Name, Error);
  }
  for (const char *Name : hostOnlySyscalls()) {
    int Nr = seccomp_syscall_resolve_name(Name);
    if (Nr == __NR_SCMP_ERROR)
      continue; // not a call of this architecture
    Ok = Ok && ruleOrError(seccomp_rule_add(Ctx, SCMP_ACT_ERRNO(EPERM), Nr, 0),
                           Name, Error);
  }
  Ok = Ok && ruleOrError(seccomp_rule_add(Ctx, SCMP_ACT_ERRNO(ENOSYS),
                                          SCMP_SYS(clone3), 0),
                         "clone3", Error);
  const uint64_t CloneFlags[] = {CLONE_UNTRACED,  CLONE_NEWNS,
                                 CLONE_NEWUSER,   CLONE_NEWPID,
                                 CLONE_NEWNET,    CLONE_NEWIPC,
                                 CLONE_NEWUTS,    CLONE_NEWCGROUP,
                                 CLONE_NEWTIME};
  for (uint64_t Flag : CloneFlags)
    Ok = Ok && ruleOrError(seccomp_rule_add(Ctx, SCMP_ACT_ERRNO(EPERM),
                                            SCMP_SYS(clone), 1,
                                            SCMP_A0(SCMP_CMP_MASKED_EQ, Flag,
                                                    Flag)),
                           "clone", Error);
  for (uint64_t Request : {uint64_t(TIOCSTI), uint64_t(TIOCLINUX)})
    Ok = Ok && ruleOrError(seccomp_rule_add(Ctx, SCMP_ACT_ERRNO(EPERM),
                                            SCMP_SYS(ioctl), 1,
                                            SCMP_A1(SCMP_CMP_MASKED_EQ,
                                                    0xFFFFFFFFu, Request)),
                           "ioctl", Error);
  if (Ok) {
    int Rc = seccomp_load(Ctx);
    if (Rc != 0) {
      Error = std::string("cannot load the seccomp filter: ") + strerror(-Rc);
      Ok = false;
    }
  }
  seccomp_release(Ctx);
  return Ok;
}

} // namespace peapod::runtime
