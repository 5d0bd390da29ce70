//===- BpfConfig.cpp - What `peapodc --target bpf` emits ------------------===//
#include "peapod/BpfConfig.h"
#include "peapod/Access.h"
#include "peapod/BackendConfig.h"
#include "peapod/FuseConfig.h" // FusePeaCgroupPrefix: one cgroup layout
#include <cstring>
#include <nlohmann/json.hpp>

namespace peapod {

using nlohmann::json;

static std::string stringAt(const ppi_image &Img, uint32_t Off, uint32_t Len) {
  return std::string(ppi_string(&Img, Off), Len);
}

static BpfNetRules netRulesOf(const ppi_image &Img, const ppi_net &Net) {
  BpfNetRules R;
  if (Net.flags & PPI_NET_DENY_ALL)
    return R; // wins over everything
  if (Net.flags & PPI_NET_ALLOW_ALL) {
    R.Allow = true;
    return R;
  }
  for (uint32_t I = 0; I < Net.port_count; ++I) {
    const ppi_port_range &P = Img.ports[Net.first_port + I];
    R.Ranges.push_back({P.proto, P.low, P.high});
  }
  return R;
}

BpfConfig deriveBpfConfig(const ppi_image &Img) {
  BpfConfig C;
  C.ImageDigest = imageDigestText(Img);
  C.ImageSize = Img.size;
  for (uint32_t P = 0; P < Img.pod_count; ++P) {
    const ppi_pod &Pod = Img.pods[P];
    BpfPodRules Out;
    Out.Name = stringAt(Img, Pod.name_off, Pod.name_len);
    for (uint32_t I = 0; I < Pod.pea_count; ++I) {
      const ppi_pea &Pea = Img.peas[Pod.first_pea + I];
      BpfPeaRules R;
      R.Name = stringAt(Img, Pea.name_off, Pea.name_len);
      R.Index = I;
      R.Cgroup = std::string(FusePeaCgroupPrefix) + R.Name;
      R.Bind = netRulesOf(Img, Pea.bind);
      R.Connect = netRulesOf(Img, Pea.outgoing);
      Out.Peas.push_back(std::move(R));
    }
    C.Pods.push_back(std::move(Out));
  }
  return C;
}

// The image's protocol numbers are the language's (image.h, ppi_proto).
static_assert(PPI_PROTO_TCP == uint8_t(Protocol::TCP) &&
              PPI_PROTO_UDP == uint8_t(Protocol::UDP));

std::string portRangeText(const BpfPortRange &R) {
  return portRangeString({Protocol(R.Proto), R.Low, R.High});
}

std::string netRulesText(const BpfNetRules &R) {
  if (R.Allow)
    return "allow";
  if (R.Ranges.empty())
    return "deny";
  std::string T;
  for (const BpfPortRange &P : R.Ranges)
    T += (T.empty() ? "" : ", ") + portRangeText(P);
  return T;
}

static json netRulesJSON(const BpfNetRules &R) {
  json Ports = json::array();
  for (const BpfPortRange &P : R.Ranges)
    Ports.push_back(portRangeText(P));
  return {{"allow", R.Allow}, {"ports", Ports}};
}

std::string bpfConfigToJSON(const BpfConfig &C) {
  json Pods = json::array();
  for (const BpfPodRules &P : C.Pods) {
    json Peas = json::array();
    for (const BpfPeaRules &R : P.Peas)
      Peas.push_back({{"name", R.Name},
                      {"index", R.Index},
                      {"cgroup", R.Cgroup},
                      {"bind", netRulesJSON(R.Bind)},
                      {"connect", netRulesJSON(R.Connect)}});
    Pods.push_back({{"name", P.Name}, {"peas", Peas}});
  }
  json Doc = {{"format", "peapod-bpf-config"},
              {"version", BpfConfigVersion},
              {"image", {{"digest", C.ImageDigest}, {"size", C.ImageSize}}},
              {"pods", Pods}};
  return Doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

/// "tcp/25" or "udp/1000-2000" as the language writes them; nullopt if not.
static std::optional<BpfPortRange> parsePortRange(llvm::StringRef T) {
  PortRange R;
  if (parsePortSpec(T, R))
    return std::nullopt;
  return BpfPortRange{uint8_t(R.Proto), R.Low, R.High};
}

static BpfNetRules readRules(ConfigReader &R, const json &O, const char *K,
                             const std::string &At) {
  BpfNetRules Rules;
  const json *Net = R.field(O, K, At, json::value_t::object);
  if (!Net)
    return Rules;
  std::string In = At + "." + K;
  if (const json *A = R.field(*Net, "allow", In, json::value_t::boolean))
    Rules.Allow = A->get<bool>();
  const json *Ports = R.field(*Net, "ports", In, json::value_t::array);
  for (size_t I = 0; Ports && I < Ports->size() && R.Problem.empty(); ++I) {
    std::string Where = In + ".ports[" + std::to_string(I) + "]";
    const json &P = (*Ports)[I];
    std::optional<BpfPortRange> Range;
    if (P.is_string())
      Range = parsePortRange(P.get_ref<const std::string &>());
    if (!Range) {
      R.Problem = Where + ": expected \"tcp/PORT\", \"udp/PORT\" or "
                          "\"PROTO/LOW-HIGH\" with ports 1 to 65535";
      break;
    }
    Rules.Ranges.push_back(*Range);
  }
  if (R.Problem.empty() && Rules.Allow && !Rules.Ranges.empty())
    R.Problem = In + ": \"allow\" permits every port: \"ports\" must be empty";
  return Rules;
}

std::optional<BpfConfig> parseBpfConfig(std::string_view Name,
                                        std::string_view Text,
                                        std::string &Error) {
  std::optional<json> Doc = parseConfigJSON(Name, Text, Error);
  if (!Doc)
    return std::nullopt;
  ConfigReader R;
  BpfConfig C;
  ConfigImage Image =
      readConfigHeader(R, *Doc, "peapod-bpf-config", BpfConfigVersion);
  C.ImageDigest = std::move(Image.Digest);
  C.ImageSize = Image.Size;
  const json *Pods = R.field(*Doc, "pods", "config", json::value_t::array);
  for (size_t P = 0; Pods && P < Pods->size() && R.Problem.empty(); ++P) {
    std::string At = "config.pods[" + std::to_string(P) + "]";
    BpfPodRules Pod;
    Pod.Name = R.string((*Pods)[P], "name", At);
    const json *Peas = R.field((*Pods)[P], "peas", At, json::value_t::array);
    for (size_t I = 0; Peas && I < Peas->size() && R.Problem.empty(); ++I) {
      std::string In = At + ".peas[" + std::to_string(I) + "]";
      const json &E = (*Peas)[I];
      BpfPeaRules Pea;
      Pea.Name = R.string(E, "name", In);
      Pea.Index = uint32_t(R.unsignedInt(E, "index", In));
      Pea.Cgroup = R.string(E, "cgroup", In);
      Pea.Bind = readRules(R, E, "bind", In);
      Pea.Connect = readRules(R, E, "connect", In);
      Pod.Peas.push_back(std::move(Pea));
    }
    C.Pods.push_back(std::move(Pod));
  }
  if (!R.Problem.empty()) {
    Error = std::string(Name) + ": error: " + R.Problem;
    return std::nullopt;
  }
  return C;
}

const BpfPodRules *findBpfPod(const BpfConfig &C, std::string_view Pod) {
  for (const BpfPodRules &P : C.Pods)
    if (P.Name == Pod)
      return &P;
  return nullptr;
}

bool checkBpfConfig(const BpfConfig &C, const ppi_image &Img,
                    std::string &Error) {
  if (!madeForImage({C.ImageDigest, C.ImageSize}, Img, "BPF", "bpf", Error))
    return false;
  // Same digest: the rules were derived from this image, but a hand-edited
  // file must still say what the image says (a file never widens a policy).
  BpfConfig Want = deriveBpfConfig(Img);
  if (C.Pods.size() != Want.Pods.size()) {
    Error = "the BPF configuration has " + std::to_string(C.Pods.size()) +
            " pods, the image " + std::to_string(Want.Pods.size());
    return false;
  }
  for (size_t P = 0; P < Want.Pods.size(); ++P) {
    const BpfPodRules &Got = C.Pods[P], &Pod = Want.Pods[P];
    if (Got.Name != Pod.Name || Got.Peas.size() != Pod.Peas.size()) {
      Error = "the BPF configuration's pod " + std::to_string(P) + " ('" +
              Got.Name + "') is not the image's ('" + Pod.Name + "')";
      return false;
    }
    for (size_t I = 0; I < Pod.Peas.size(); ++I) {
      const BpfPeaRules &G = Got.Peas[I], &W = Pod.Peas[I];
      if (G == W)
        continue;
      Error = "pod '" + Pod.Name + "': the BPF configuration's pea " +
              std::to_string(I) + " ('" + G.Name + "', cgroup '" + G.Cgroup +
              "', bind " + netRulesText(G.Bind) + ", connect " +
              netRulesText(G.Connect) + ") is not the image's ('" + W.Name +
              "', cgroup '" + W.Cgroup + "', bind " + netRulesText(W.Bind) +
              ", connect " + netRulesText(W.Connect) + ")";
      return false;
    }
  }
  return true;
}

bool netRulesPermit(const BpfNetRules &R, uint8_t Proto, uint16_t Port) {
  if (R.Allow)
    return true;
  for (const BpfPortRange &P : R.Ranges)
    if (P.Proto == Proto && P.Low <= Port && Port <= P.High)
      return true;
  return false;
}

static void putPea(uint8_t *Data, uint32_t Pea);

static peapod_net_key netKey(uint32_t Pea, uint8_t Dir, uint8_t Proto,
                             uint16_t Port, uint32_t PrefixLen) {
  peapod_net_key K;
  std::memset(&K, 0, sizeof K);
  K.prefixlen = PrefixLen;
  putPea(K.data, Pea);
  K.data[4] = Dir;
  K.data[5] = Proto;
  K.data[6] = uint8_t(Port >> 8);
  K.data[7] = uint8_t(Port);
  return K;
}

std::vector<peapod_net_key> netMapKeys(uint32_t Pea, uint8_t Dir,
                                       const BpfNetRules &R) {
  std::vector<peapod_net_key> Keys;
  if (R.Allow) {
    Keys.push_back(netKey(Pea, Dir, 0, 0, 40)); // pea and direction
    return Keys;
  }
  // A range is the aligned power-of-two blocks that tile it: at most 30.
  for (const BpfPortRange &P : R.Ranges) {
    uint32_t Low = P.Low, High = P.High;
    while (Low <= High) {
      unsigned Bits = 0; // the block is 2^Bits ports
      while (Bits < 16 && (Low & ((2u << Bits) - 1)) == 0 &&
             Low + (2u << Bits) - 1 <= High)
        ++Bits;
      Keys.push_back(netKey(Pea, Dir, P.Proto, uint16_t(Low), 64 - Bits));
      Low += 1u << Bits;
    }
  }
  return Keys;
}

peapod_net_key netMapQuery(uint32_t Pea, uint8_t Dir, uint8_t Proto,
                           uint16_t Port) {
  return netKey(Pea, Dir, Proto, Port, PEAPOD_BPF_NET_KEY_BITS);
}

bool netMapMatches(const std::vector<peapod_net_key> &Keys,
                   const peapod_net_key &Q) {
  for (const peapod_net_key &K : Keys) {
    bool Match = true;
    for (uint32_t Bit = 0; Bit < K.prefixlen && Match; ++Bit) {
      unsigned Mask = 0x80u >> (Bit % 8);
      Match = (K.data[Bit / 8] & Mask) == (Q.data[Bit / 8] & Mask);
    }
    if (Match)
      return true;
  }
  return false;
}

static void putPea(uint8_t *Data, uint32_t Pea) {
  Data[0] = uint8_t(Pea >> 24);
  Data[1] = uint8_t(Pea >> 16);
  Data[2] = uint8_t(Pea >> 8);
  Data[3] = uint8_t(Pea);
}

/// Key for pea `Pea` and the bytes `Bytes` (already including a NUL or '/'
/// as the last byte); false if they do not fit.
static bool unixKey(uint32_t Pea, std::string_view Bytes, peapod_unix_key &K) {
  std::memset(&K, 0, sizeof K);
  if (Bytes.size() > PEAPOD_BPF_UNIX_PATH_MAX + 1)
    return false;
  putPea(K.data, Pea);
  std::memcpy(K.data + 4, Bytes.data(), Bytes.size());
  K.prefixlen = uint32_t(4 + Bytes.size()) * 8;
  return true;
}

std::vector<UnixMapEntry> unixMapEntries(const ppi_image &Img, uint32_t Pea) {
  std::vector<UnixMapEntry> Out;
  if (Pea >= Img.pea_count)
    return Out;
  struct Pending {
    uint32_t Node;
    std::string Path; // "" for the root, else "/a/b"
  };
  std::vector<Pending> Stack = {{Img.peas[Pea].first_node, ""}};
  while (!Stack.empty()) {
    Pending P = std::move(Stack.back());
    Stack.pop_back();
    const ppi_node &N = Img.nodes[P.Node];
    UnixMapEntry At, Below;
    // The root's own answer is for "/" itself, which is no socket; below it
    // is every absolute path.
    if (!P.Path.empty() &&
        unixKey(Pea, P.Path + std::string(1, '\0'), At.Key)) {
      At.Access = N.answer[PPI_AT_FILE].access;
      Out.push_back(At);
    }
    if (!unixKey(Pea, P.Path + "/", Below.Key))
      continue; // too long for a socket path: so is everything below
    Below.Access = N.answer[PPI_BELOW_FILE].access;
    Out.push_back(Below);
    for (uint32_t S = 0; S < N.slot_count; ++S) {
      const ppi_slot &Slot = Img.slots[N.first_slot + S];
      if (Slot.child != PPI_NONE)
        Stack.push_back({Slot.child, P.Path + "/" +
                                         std::string(ppi_string(&Img, Slot.name_off),
                                                     Slot.name_len)});
    }
  }
  return Out;
}

peapod_unix_key unixMapQuery(uint32_t Pea, std::string_view Path) {
  peapod_unix_key K;
  std::string Bytes(Path.substr(0, PEAPOD_BPF_UNIX_PATH_MAX));
  Bytes += '\0';
  unixKey(Pea, Bytes, K);
  return K;
}

} // namespace peapod
