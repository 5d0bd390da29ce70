//===- Capabilities.cpp - The capabilities a pod keeps ---------------------===//
//
// A pod's processes run as root in their namespaces but keep only the
// capabilities a container runtime keeps by default (those of docker's
// default set, less CAP_MKNOD and CAP_SYS_CHROOT: devices come from the pod's
// /dev, and the tracer resolves exec paths against one root). Everything
// else, CAP_SYS_ADMIN first, leaves the bounding set before CMD is executed,
// so no exec can give it back; no-new-privileges stops set-id and file
// capabilities.
//
//===----------------------------------------------------------------------===//
#include "Pod.h"
#include <cerrno>
#include <cstring>
#include <linux/capability.h>
#include <sys/prctl.h>

namespace peapod::runtime {

namespace {
struct Kept {
  int Cap;
  const char *Name;
};
const Kept KeptCapabilities[] = {
    {CAP_CHOWN, "CAP_CHOWN"},
    {CAP_DAC_OVERRIDE, "CAP_DAC_OVERRIDE"},
    {CAP_FOWNER, "CAP_FOWNER"},
    {CAP_FSETID, "CAP_FSETID"},
    {CAP_KILL, "CAP_KILL"},
    {CAP_SETGID, "CAP_SETGID"},
    {CAP_SETUID, "CAP_SETUID"},
    {CAP_SETFCAP, "CAP_SETFCAP"},
    {CAP_NET_BIND_SERVICE, "CAP_NET_BIND_SERVICE"},
    {CAP_NET_RAW, "CAP_NET_RAW"},
    {CAP_AUDIT_WRITE, "CAP_AUDIT_WRITE"},
};
} // namespace

const std::vector<const char *> &podCapabilityNames() {
  static const std::vector<const char *> Names = [] {
    std::vector<const char *> N;
    for (const Kept &K : KeptCapabilities)
      N.push_back(K.Name);
    return N;
  }();
  return Names;
}

static bool isKept(int Cap) {
  for (const Kept &K : KeptCapabilities)
    if (K.Cap == Cap)
      return true;
  return false;
}

bool reducePodCapabilities(std::string &Error) {
  for (int Cap = 0; Cap <= 63; ++Cap) {
    if (isKept(Cap))
      continue;
    if (prctl(PR_CAPBSET_DROP, Cap, 0, 0, 0) != 0) {
      if (errno == EINVAL)
        break; // past the last capability of this kernel
      Error = "cannot drop capability " + std::to_string(Cap) +
              " from the bounding set: " + strerror(errno);
      return false;
    }
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 &&
      errno != EINVAL) {
    Error = std::string("cannot clear ambient capabilities: ") +
            strerror(errno);
    return false;
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    Error = std::string("cannot set no-new-privileges: ") + strerror(errno);
    return false;
  }
  return true;
}

} // namespace peapod::runtime
