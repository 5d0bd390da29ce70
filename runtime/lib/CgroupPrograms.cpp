//===- CgroupPrograms.cpp - The pod's cgroup BPF programs -----------------===//
//
// One skeleton instance per pea: the pea's global index and the complain
// flag are read-only data fixed at load, the maps and the ring buffer are
// the first instance's, reused by the others. Programs are attached with
// BPF links, which go when the supervisor's descriptors do (so a killed
// supervisor leaves nothing attached) and when the pea's cgroup is removed.
//
//===----------------------------------------------------------------------===//
#include "peapod/runtime/CgroupPrograms.h"
#include "peapod/InputFile.h"
#include "peapod/runtime/AuditLog.h"
#include "peapod/runtime/Cgroups.h"
#include "pod.skel.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <linux/bpf.h>
#include <sys/socket.h>
#include <unistd.h>

namespace peapod::runtime {

const std::vector<PodDevice> &podDevices() {
  static const std::vector<PodDevice> Devices = {
      {"null", 1, 3},   {"zero", 1, 5},    {"full", 1, 7},
      {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
  return Devices;
}

static uint32_t devAccess(const ppi_image &Img, uint32_t Pea,
                          std::string_view Path) {
  ppi_lookup L = ppi_lookup_path(&Img, Pea, Path.data(), Path.size(), false);
  return (L.access.access & PPI_ACCESS_READ ? BPF_DEVCG_ACC_READ : 0) |
         (L.access.access & PPI_ACCESS_WRITE ? BPF_DEVCG_ACC_WRITE : 0);
}

std::vector<DeviceMapEntry> deviceMapEntries(const ppi_image &Img,
                                             uint32_t Pea) {
  std::vector<DeviceMapEntry> Out;
  auto Add = [&](unsigned Major, unsigned Minor, std::string_view Path) {
    uint32_t Access = devAccess(Img, Pea, Path);
    if (Access)
      Out.push_back({{Pea, BPF_DEVCG_DEV_CHAR, Major, Minor}, Access});
  };
  for (const PodDevice &D : podDevices())
    Add(D.Major, D.Minor, std::string("/dev/") + D.Name);
  Add(5, 2, "/dev/ptmx"); // devpts' ptmx, which /dev/ptmx links to
  for (unsigned Major = 136; Major < 144; ++Major) // UNIX98 pty slaves
    Add(Major, PEAPOD_BPF_ANY_MINOR, "/dev/pts/0");
  return Out;
}

// libbpf's messages: kept (the last one explains a failure), not printed.
static std::string &lastLibbpfMessage() {
  static std::string Message;
  return Message;
}
static int keepLibbpfMessage(enum libbpf_print_level Level, const char *Format,
                             va_list Args) {
  if (getenv("PEAPOD_BPF_DEBUG")) { // the verifier's log, for developers
    va_list Copy;
    va_copy(Copy, Args);
    vfprintf(stderr, Format, Copy);
    va_end(Copy);
  }
  if (Level == LIBBPF_DEBUG)
    return 0;
  char Line[512];
  vsnprintf(Line, sizeof Line, Format, Args);
  std::string &M = lastLibbpfMessage();
  M = Line;
  while (!M.empty() && M.back() == '\n')
    M.pop_back();
  return 0;
}

/// The kernel's value of `enum bpf_attach_type` member `Name` (from its
/// BTF: Debian's headers and libbpf predate the unix socket hooks), or -1.
static int kernelAttachType(const char *Name) {
  struct btf *B = btf__load_vmlinux_btf();
  if (!B)
    return -1;
  int Value = -1;
  int Id = btf__find_by_name_kind(B, "bpf_attach_type", BTF_KIND_ENUM);
  if (Id > 0) {
    const struct btf_type *T = btf__type_by_id(B, Id);
    const struct btf_enum *E = btf_enum(T);
    for (unsigned I = 0; I < btf_vlen(T); ++I)
      if (strcmp(btf__name_by_offset(B, E[I].name_off), Name) == 0)
        Value = int(E[I].val);
  }
  btf__free(B);
  return Value;
}

static std::string loadFailure(const char *What, int Err) {
  std::string M = std::string(What) + ": " + strerror(Err < 0 ? -Err : Err);
  if (!lastLibbpfMessage().empty())
    M += " (libbpf: " + lastLibbpfMessage() + ")";
  return M;
}

/// A loaded instance for pea `Pea`, sharing `First`'s maps if given.
static pod_bpf *loadInstance(uint32_t Pea, bool Complain, pod_bpf *First,
                             int UnixConnect, int UnixSendmsg,
                             std::string &Error) {
  libbpf_set_print(keepLibbpfMessage);
  lastLibbpfMessage().clear();
  pod_bpf *S = pod_bpf__open();
  if (!S) {
    Error = loadFailure("cannot open the BPF programs", errno);
    return nullptr;
  }
  *const_cast<volatile uint32_t *>(&S->rodata->pea) = Pea;
  *const_cast<volatile uint32_t *>(&S->rodata->complain) = Complain;
  if (First) {
    bpf_map__reuse_fd(S->maps.net_rules, bpf_map__fd(First->maps.net_rules));
    bpf_map__reuse_fd(S->maps.unix_rules, bpf_map__fd(First->maps.unix_rules));
    bpf_map__reuse_fd(S->maps.dev_rules, bpf_map__fd(First->maps.dev_rules));
    bpf_map__reuse_fd(S->maps.events, bpf_map__fd(First->maps.events));
  }
  if (UnixConnect >= 0 && UnixSendmsg >= 0) {
    bpf_program__set_autoload(S->progs.connect_unix, true);
    bpf_program__set_autoload(S->progs.sendmsg_unix, true);
    bpf_program__set_expected_attach_type(
        S->progs.connect_unix, static_cast<bpf_attach_type>(UnixConnect));
    bpf_program__set_expected_attach_type(
        S->progs.sendmsg_unix, static_cast<bpf_attach_type>(UnixSendmsg));
  }
  if (int Err = pod_bpf__load(S)) {
    Error = loadFailure("cannot load the cgroup BPF programs", Err);
    pod_bpf__destroy(S);
    return nullptr;
  }
  return S;
}

CgroupBpfSupport probeCgroupBpf() {
  CgroupBpfSupport Support;
  int Connect = kernelAttachType("BPF_CGROUP_UNIX_CONNECT");
  int Sendmsg = kernelAttachType("BPF_CGROUP_UNIX_SENDMSG");
  std::string Error;
  pod_bpf *S = loadInstance(0, false, nullptr, Connect, Sendmsg, Error);
  if (!S && Connect >= 0) { // the kernel names the hooks but refuses them
    Connect = Sendmsg = -1;
    S = loadInstance(0, false, nullptr, -1, -1, Error);
  }
  Support.Loads = S != nullptr;
  Support.UnixHooks = S && Connect >= 0;
  Support.Detail = S ? "bind4/6, connect4/6, sendmsg4/6, dev load" : Error;
  if (S)
    pod_bpf__destroy(S);
  return Support;
}

std::optional<BpfPodRules> podNetworkRules(const ppi_image &Img, uint32_t Pod,
                                           const std::string &ConfigFile,
                                           std::string &Error) {
  std::optional<BpfConfig> Config;
  if (ConfigFile.empty()) {
    Config = deriveBpfConfig(Img);
  } else {
    auto Buffer = readInputFile(ConfigFile);
    if (!Buffer) {
      Error = "cannot read BPF configuration '" + ConfigFile +
              "': " + llvm::toString(Buffer.takeError());
      return std::nullopt;
    }
    std::string_view Text((*Buffer)->getBufferStart(),
                          (*Buffer)->getBufferSize());
    Config = parseBpfConfig(ConfigFile, Text, Error);
    if (!Config)
      return std::nullopt;
    if (!checkBpfConfig(*Config, Img, Error)) {
      Error = ConfigFile + ": error: " + Error;
      return std::nullopt;
    }
  }
  const ppi_pod &P = Img.pods[Pod];
  const BpfPodRules *Rules =
      findBpfPod(*Config, std::string_view(ppi_string(&Img, P.name_off),
                                           P.name_len));
  if (!Rules) { // checkBpfConfig saw every pod: only a derived one can miss
    Error = "no network rules for the pod";
    return std::nullopt;
  }
  return *Rules;
}

/// Fills the shared maps for every pea of the pod.
static bool fillMaps(const CgroupPrograms::Plan &P, pod_bpf *S,
                     std::string &Error) {
  const ppi_pod &Pod = P.Image->pods[P.Pod];
  int Net = bpf_map__fd(S->maps.net_rules);
  int Unix = bpf_map__fd(S->maps.unix_rules);
  int Dev = bpf_map__fd(S->maps.dev_rules);
  uint8_t One = 1;
  auto Put = [&](int Fd, const void *Key, const void *Value, const char *Map) {
    if (bpf_map_update_elem(Fd, Key, Value, BPF_ANY) == 0)
      return true;
    Error = std::string("cannot fill the ") + Map + " map: " + strerror(errno);
    return false;
  };
  for (uint32_t I = 0; I < Pod.pea_count; ++I) {
    uint32_t Global = Pod.first_pea + I;
    const BpfPeaRules &R = P.Rules->Peas[I];
    for (auto [Dir, Rules] : {std::pair{PEAPOD_BPF_BIND, &R.Bind},
                              std::pair{PEAPOD_BPF_CONNECT, &R.Connect}})
      for (const peapod_net_key &K : netMapKeys(Global, uint8_t(Dir), *Rules))
        if (!Put(Net, &K, &One, "network rules"))
          return false;
    for (const UnixMapEntry &E : unixMapEntries(*P.Image, Global))
      if (!Put(Unix, &E.Key, &E.Access, "unix socket"))
        return false;
    for (const DeviceMapEntry &E : deviceMapEntries(*P.Image, Global))
      if (!Put(Dev, &E.Key, &E.Access, "device"))
        return false;
  }
  return true;
}

/// Attaches every loaded program of `S` to the cgroup at `Dir`; the links
/// live in the skeleton (destroyed with it).
static bool attachInstance(pod_bpf *S, const std::string &Dir, bool Unix,
                           std::string &Error) {
  int Fd = open(Dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (Fd < 0) {
    Error = "cannot open cgroup '" + Dir + "': " + strerror(errno);
    return false;
  }
  struct {
    bpf_program *Prog;
    bpf_link **Link;
  } All[] = {{S->progs.bind4, &S->links.bind4},
             {S->progs.bind6, &S->links.bind6},
             {S->progs.connect4, &S->links.connect4},
             {S->progs.connect6, &S->links.connect6},
             {S->progs.sendmsg4, &S->links.sendmsg4},
             {S->progs.sendmsg6, &S->links.sendmsg6},
             {S->progs.dev, &S->links.dev},
             {S->progs.connect_unix, &S->links.connect_unix},
             {S->progs.sendmsg_unix, &S->links.sendmsg_unix}};
  bool Ok = true;
  for (auto &A : All) {
    if (!Unix && (A.Prog == S->progs.connect_unix ||
                  A.Prog == S->progs.sendmsg_unix))
      continue;
    *A.Link = bpf_program__attach_cgroup(A.Prog, Fd);
    if (!*A.Link) {
      Error = "cannot attach " + std::string(bpf_program__name(A.Prog)) +
              " to '" + Dir + "': " + strerror(errno);
      Ok = false;
      break;
    }
  }
  close(Fd);
  return Ok;
}

std::unique_ptr<CgroupPrograms> CgroupPrograms::attach(const Plan &P,
                                                       std::string &Error) {
  std::unique_ptr<CgroupPrograms> C(new CgroupPrograms());
  C->P = P;
  const ppi_pod &Pod = P.Image->pods[P.Pod];
  if (P.Rules->Peas.size() != Pod.pea_count) {
    Error = "the network rules do not have the pod's peas";
    return nullptr;
  }
  int Connect = kernelAttachType("BPF_CGROUP_UNIX_CONNECT");
  int Sendmsg = kernelAttachType("BPF_CGROUP_UNIX_SENDMSG");
  C->UnixHooks = Connect >= 0 && Sendmsg >= 0;
  for (uint32_t I = 0; I < Pod.pea_count; ++I) {
    pod_bpf *First = C->Instances.empty() ? nullptr : C->Instances.front();
    pod_bpf *S = loadInstance(Pod.first_pea + I, P.Complain, First,
                              C->UnixHooks ? Connect : -1,
                              C->UnixHooks ? Sendmsg : -1, Error);
    if (!S && I == 0 && C->UnixHooks) { // named by BTF, refused by the kernel
      C->UnixHooks = false;
      S = loadInstance(Pod.first_pea, P.Complain, nullptr, -1, -1, Error);
    }
    if (!S)
      return nullptr;
    C->Instances.push_back(S);
    if (I == 0 && !fillMaps(P, S, Error))
      return nullptr;
    if (P.PeaCgroups.empty())
      break; // the maps alone (tests): one instance holds them
  }
  for (size_t I = 0; I < P.PeaCgroups.size() && I < C->Instances.size(); ++I)
    if (!attachInstance(C->Instances[I], P.PeaCgroups[I], C->UnixHooks, Error))
      return nullptr;
  C->Events = ring_buffer__new(bpf_map__fd(C->Instances.front()->maps.events),
                               onEvent, C.get(), nullptr);
  if (!C->Events) {
    Error = loadFailure("cannot read the BPF programs' reports", errno);
    return nullptr;
  }
  return C;
}

CgroupPrograms::~CgroupPrograms() {
  Stop = true;
  if (Reporter.joinable())
    Reporter.join();
  if (Events) {
    ring_buffer__consume(Events); // the last reports before the pod ended
    ring_buffer__free(Events);
  }
  for (pod_bpf *S : Instances)
    pod_bpf__destroy(S);
}

void CgroupPrograms::startReporting() {
  if (!P.Audit || Reporter.joinable())
    return;
  Reporter = std::thread([this] {
    while (!Stop)
      ring_buffer__poll(Events, 100);
  });
}

int CgroupPrograms::netMapFd() const {
  return bpf_map__fd(Instances.front()->maps.net_rules);
}
int CgroupPrograms::unixMapFd() const {
  return bpf_map__fd(Instances.front()->maps.unix_rules);
}
int CgroupPrograms::devMapFd() const {
  return bpf_map__fd(Instances.front()->maps.dev_rules);
}

int CgroupPrograms::onEvent(void *Self, void *Data, size_t Size) {
  if (Size >= sizeof(peapod_bpf_event)) {
    peapod_bpf_event E;
    memcpy(&E, Data, sizeof E);
    static_cast<const CgroupPrograms *>(Self)->report(E);
  }
  return 0;
}

static std::string programOf(pid_t Pid) {
  char Buf[PATH_MAX];
  std::string Link = "/proc/" + std::to_string(Pid) + "/exe";
  ssize_t N = readlink(Link.c_str(), Buf, sizeof Buf);
  return N > 0 ? std::string(Buf, size_t(N)) : std::string();
}

/// The object of a reported decision, as a rule would name it.
static std::string objectOf(const peapod_bpf_event &E) {
  switch (E.op) {
  case PEAPOD_OP_CONNECT_UNIX:
  case PEAPOD_OP_SENDMSG_UNIX:
    return std::string(E.path, strnlen(E.path, sizeof E.path));
  case PEAPOD_OP_DEVICE: {
    for (const PodDevice &D : podDevices())
      if (D.Major == E.dev_major && D.Minor == E.dev_minor &&
          E.dev_type == BPF_DEVCG_DEV_CHAR)
        return std::string("/dev/") + D.Name;
    return std::string(E.dev_type == BPF_DEVCG_DEV_BLOCK ? "block" : "char") +
           ":" + std::to_string(E.dev_major) + ":" +
           std::to_string(E.dev_minor);
  }
  default: {
    const char *Proto = E.proto == PEAPOD_BPF_TCP   ? "tcp"
                        : E.proto == PEAPOD_BPF_UDP ? "udp"
                                                    : "other";
    return std::string(Proto) + "/" + std::to_string(E.port);
  }
  }
}

void CgroupPrograms::report(const peapod_bpf_event &E) const {
  const ppi_image &Img = *P.Image;
  if (!P.Audit || E.pea >= Img.pea_count)
    return;
  static const char *const Ops[] = {"bind",         "connect",
                                    "sendmsg",      "connect-unix",
                                    "sendmsg-unix", "device"};
  const ppi_pea &Pea = Img.peas[E.pea];
  AuditEvent A;
  A.Pod = P.PodName;
  A.Pea = std::string(ppi_string(&Img, Pea.name_off), Pea.name_len);
  A.Pid = pid_t(E.pid);
  A.Program = programOf(A.Pid);
  A.Operation = E.op < 6 ? Ops[E.op] : "network";
  if (E.op == PEAPOD_OP_DEVICE)
    A.Access = std::string(E.dev_access & BPF_DEVCG_ACC_READ ? "r" : "") +
               (E.dev_access & BPF_DEVCG_ACC_WRITE ? "w" : "") +
               (E.dev_access & BPF_DEVCG_ACC_MKNOD ? "m" : "");
  else if (E.op == PEAPOD_OP_CONNECT_UNIX || E.op == PEAPOD_OP_SENDMSG_UNIX)
    A.Access = "w";
  A.Path = objectOf(E);
  A.Errno = E.denied ? EPERM : 0;
  A.Complain = !E.denied;
  P.Audit->record(A);
}

std::unique_ptr<CgroupPrograms>
attachPodPrograms(const ppi_image &Img, uint32_t Pod, const std::string &PodName,
                  const BpfPodRules &Rules, const PodCgroup &Cgroup,
                  bool Complain, AuditLog *Audit, std::string &Error) {
  CgroupPrograms::Plan P;
  P.Image = &Img;
  P.Pod = Pod;
  P.PodName = PodName;
  P.Rules = &Rules;
  for (const BpfPeaRules &R : Rules.Peas)
    P.PeaCgroups.push_back(Cgroup.peaDirectory(R.Name));
  P.Complain = Complain;
  P.Audit = Audit;
  return CgroupPrograms::attach(P, Error);
}

} // namespace peapod::runtime
