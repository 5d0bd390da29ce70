//===- CommandLine.cpp - `peapod`'s commands and options ------------------===//
#include "peapod/runtime/CommandLine.h"
#include "peapod/runtime/Run.h"
#include <cstdio>
#include <cstring>

namespace peapod::runtime {

int runDoctor();
int runCleanup(bool Verbose);

static const char RunHelp[] =
    "usage: peapod run IMAGE --pod POD --pea PEA --root DIR [options] -- CMD "
    "[ARGS...]\n"
    "\n"
    "Runs CMD in pod POD, pea PEA of the compiled policy IMAGE (peapodc\n"
    "--target kmod), with DIR as the pod's root file system. The exit\n"
    "status is CMD's (128+N if a signal N killed it).\n"
    "\n"
    "options:\n"
    "  --pod POD              the pod (required)\n"
    "  --pea PEA              the pea CMD starts in (required)\n"
    "  --root DIR             the pod's root directory (required)\n"
    "  --mount HOST:POD[:ro]  bind HOST (a directory or file) at POD inside\n"
    "                         the pod, read-only with :ro; repeatable\n"
    "  --net host|none        share the host's network (default) or get a\n"
    "                         network namespace with only loopback up\n"
    "  --audit FILE           append one JSON line per denial to FILE\n"
    "  --complain             allow what the policy denies (exec and file\n"
    "                         accesses), and log it\n"
    "  --fuse-config FILE     the FUSE layer's settings (peapodc --target\n"
    "                         fuse); default: derived from IMAGE\n"
    "  --bpf-config FILE      the network rules to enforce (peapodc --target\n"
    "                         bpf); refused unless made for IMAGE and equal\n"
    "                         to its rules. Without it they come from IMAGE.\n"
    "\n"
    "Every file access of the pod (but /dev and /proc) goes through a FUSE\n"
    "file system that decides it for the caller's pea; if it cannot be\n"
    "mounted (no /dev/fuse), the pod does not start (exit 1).\n"
    "\n"
    "Network and device rules: cgroup BPF programs on every pea's cgroup\n"
    "(bind, connect and UDP sends by port, unix socket paths, devices);\n"
    "denied calls get EPERM. peapod run refuses (exit 1) where they cannot\n"
    "be loaded. See docs/bpf.md.\n"
    "\n"
    "exit status: CMD's; 1 if the kernel lacks a mechanism the policy\n"
    "needs (FUSE included); 2 for a usage error, a bad image or FUSE\n"
    "configuration, an unknown pod or pea or a missing root; 125 if the pod could not be set up; 127 if CMD could\n"
    "not be executed. See docs/runtime.md.\n";

static const char ToolHelp[] =
    "usage: peapod COMMAND [ARGS...]\n"
    "\n"
    "commands:\n"
    "  run       run a program in a pod (peapod run --help)\n"
    "  doctor    report which enforcement mechanisms this kernel offers\n"
    "  cleanup   remove what killed `peapod run`s left (cgroups, state)\n"
    "  help      this text\n";

static const char DoctorHelp[] =
    "usage: peapod doctor\n"
    "\n"
    "Prints one line per mechanism peapod uses (namespaces, cgroup v2,\n"
    "capabilities, seccomp, the exec tracer, openat2, FUSE) and optional\n"
    "ones (Landlock, BPF LSM): the check and its result. Every probe runs\n"
    "in a child process and leaves nothing behind. Exit 0 if peapod run can\n"
    "work here, 1 if something it needs is missing.\n";

static const char CleanupHelp[] =
    "usage: peapod cleanup [-v]\n"
    "\n"
    "Removes what runs whose supervisor is gone (killed) left behind: the\n"
    "processes still in their cgroups (killed), the cgroups, mounts under\n"
    "their state directory in /run/peapod, and the directory; also pod\n"
    "cgroups no state directory names whose supervisor pid is gone. Runs\n"
    "that are still alive are left alone. peapod run does the same before\n"
    "it starts. -v names each removed run.\n";

static int usageError(const std::string &Message) {
  fprintf(stderr, "peapod: error: %s\n(see 'peapod run --help')\n",
          Message.c_str());
  return ExitUsage;
}

static bool parseMount(const std::string &Spec, BindMount &Mount) {
  // HOST:POD[:ro]; paths with ':' are not supported (said in the help).
  size_t First = Spec.find(':');
  if (First == std::string::npos || First == 0)
    return false;
  Mount.Host = Spec.substr(0, First);
  std::string Rest = Spec.substr(First + 1);
  size_t Second = Rest.find(':');
  if (Second != std::string::npos) {
    if (Rest.substr(Second + 1) != "ro")
      return false;
    Mount.ReadOnly = true;
    Rest.resize(Second);
  }
  if (Rest.empty() || Rest[0] != '/')
    return false;
  Mount.Pod = Rest;
  return true;
}

static int runCommand(const std::vector<std::string> &Args) {
  RunOptions O;
  size_t I = 0;
  auto Value = [&](const std::string &Option, std::string &Out) {
    if (I + 1 >= Args.size())
      return false;
    Out = Args[++I];
    (void)Option;
    return true;
  };
  bool SawDashDash = false;
  for (; I < Args.size(); ++I) {
    const std::string &A = Args[I];
    if (A == "--") {
      SawDashDash = true;
      O.Command.assign(Args.begin() + static_cast<long>(I) + 1, Args.end());
      break;
    }
    if (A == "--help" || A == "-h") {
      fputs(RunHelp, stdout);
      return 0;
    }
    std::string V;
    if (A == "--pod" || A == "--pea" || A == "--root" || A == "--mount" ||
        A == "--net" || A == "--audit" || A == "--fuse-config" ||
        A == "--bpf-config") {
      if (!Value(A, V))
        return usageError("option '" + A + "' needs a value");
      if (A == "--pod")
        O.Pod = V;
      else if (A == "--pea")
        O.Pea = V;
      else if (A == "--root")
        O.Root = V;
      else if (A == "--audit")
        O.AuditFile = V;
      else if (A == "--fuse-config")
        O.FuseConfig = V;
      else if (A == "--bpf-config")
        O.BpfConfigFile = V;
      else if (A == "--net") {
        if (V == "host")
          O.Net = NetMode::Host;
        else if (V == "none")
          O.Net = NetMode::None;
        else
          return usageError("--net takes 'host' or 'none', not '" + V + "'");
      } else {
        BindMount M;
        if (!parseMount(V, M))
          return usageError("--mount takes HOST:POD[:ro] with an absolute "
                            "POD path, not '" + V + "'");
        O.Mounts.push_back(M);
      }
      continue;
    }
    if (A == "--complain") {
      O.Complain = true;
      continue;
    }
    if (A.size() > 1 && A[0] == '-')
      return usageError("unknown option '" + A + "'");
    if (!O.Image.empty())
      return usageError("unexpected argument '" + A +
                        "' (the command goes after '--')");
    O.Image = A;
  }
  if (O.Image.empty())
    return usageError("no image given");
  if (O.Pod.empty() || O.Pea.empty() || O.Root.empty())
    return usageError("--pod, --pea and --root are required");
  if (!SawDashDash || O.Command.empty())
    return usageError("no command given (put it after '--')");
  return runPod(O);
}

int runPeapodTool(const std::vector<std::string> &Args) {
  if (Args.empty()) {
    fputs(ToolHelp, stderr);
    return ExitUsage;
  }
  const std::string &Command = Args[0];
  std::vector<std::string> Rest(Args.begin() + 1, Args.end());
  if (Command == "run")
    return runCommand(Rest);
  bool Help = !Rest.empty() && (Rest[0] == "--help" || Rest[0] == "-h");
  if (Command == "doctor" || Command == "cleanup") {
    if (Help) {
      fputs(Command == "doctor" ? DoctorHelp : CleanupHelp, stdout);
      return 0;
    }
    bool Verbose = !Rest.empty() && Rest[0] == "-v";
    if (Rest.size() > (Verbose ? 1u : 0u) || (Command == "doctor" && Verbose))
      return usageError("unexpected argument '" + Rest.back() + "'");
    return Command == "doctor" ? runDoctor() : runCleanup(Verbose);
  }
  if (Command == "help" || Command == "--help" || Command == "-h") {
    fputs(ToolHelp, stdout);
    return 0;
  }
  fprintf(stderr, "peapod: error: unknown command '%s'\n", Command.c_str());
  fputs(ToolHelp, stderr);
  return ExitUsage;
}

} // namespace peapod::runtime
