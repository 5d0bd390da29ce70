//===- FuseConfig.cpp - What `peapodc --target fuse` emits ----------------===//
#include "peapod/FuseConfig.h"
#include "peapod/BackendConfig.h"
#include <cmath>
#include <nlohmann/json.hpp>

namespace peapod {

using nlohmann::json;

static std::string nameOf(const ppi_image &Img, uint32_t Off, uint32_t Len) {
  return std::string(ppi_string(&Img, Off), Len);
}

FuseConfig deriveFuseConfig(const ppi_image &Img) {
  FuseConfig C;
  C.ImageDigest = imageDigestText(Img);
  C.ImageSize = Img.size;
  for (uint32_t P = 0; P < Img.pod_count; ++P) {
    const ppi_pod &Pod = Img.pods[P];
    FusePodConfig Out;
    Out.Name = nameOf(Img, Pod.name_off, Pod.name_len);
    // The kernel's dentry and attribute caches are per mount, shared by
    // every caller; a cached answer is only right for another caller if
    // every caller gets the same answers: one pea (its transitions can only
    // lead back to itself).
    if (Pod.pea_count == 1) {
      Out.EntryTimeout = Out.AttrTimeout = Out.NegativeTimeout = 1.0;
      Out.CacheReason = "one pea: every caller gets the same answers";
    } else {
      Out.CacheReason = "several peas: answers differ between callers, so "
                        "every lookup and stat reaches the daemon";
    }
    for (uint32_t I = 0; I < Pod.pea_count; ++I) {
      const ppi_pea &Pea = Img.peas[Pod.first_pea + I];
      FusePeaCgroup G;
      G.Name = nameOf(Img, Pea.name_off, Pea.name_len);
      G.Index = I;
      G.Cgroup = std::string(FusePeaCgroupPrefix) + G.Name;
      Out.Peas.push_back(std::move(G));
    }
    C.Pods.push_back(std::move(Out));
  }
  return C;
}

std::string fuseConfigToJSON(const FuseConfig &C) {
  json Pods = json::array();
  for (const FusePodConfig &P : C.Pods) {
    json Peas = json::array();
    for (const FusePeaCgroup &G : P.Peas)
      Peas.push_back({{"name", G.Name}, {"index", G.Index}, {"cgroup", G.Cgroup}});
    Pods.push_back(
        {{"name", P.Name},
         {"mount",
          {{"type", "fuse.peapod"},
           {"options", {"nosuid", "nodev", "allow_other"}}}},
         {"cache",
          {{"entry_timeout", P.EntryTimeout},
           {"attr_timeout", P.AttrTimeout},
           {"negative_timeout", P.NegativeTimeout},
           {"reason", P.CacheReason}}},
         {"io",
          {{"passthrough", P.Passthrough},
           {"max_write", P.MaxWrite},
           {"threads", P.Threads}}},
         {"cgroups",
          {{"layout", std::string(FusePeaCgroupPrefix) + "<pea>"},
           {"peas", Peas}}}});
  }
  json Doc = {{"format", "peapod-fuse-config"},
              {"version", FuseConfigVersion},
              {"image", {{"digest", C.ImageDigest}, {"size", C.ImageSize}}},
              {"pods", Pods}};
  // Names come from policies: bytes that are not UTF-8 are replaced, not
  // thrown about.
  return Doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

/// A cache lifetime: 0 to 86400 seconds.
static double seconds(ConfigReader &R, const json &O, const char *K,
                      const std::string &At) {
  const json *V = R.field(O, K, At, json::value_t::number_float);
  double D = V ? V->get<double>() : 0;
  if (V && (!std::isfinite(D) || D < 0 || D > 86400))
    R.Problem = At + "." + K + ": a timeout is 0 to 86400 seconds";
  return D;
}

static FusePodConfig readPod(ConfigReader &R, const json &P,
                             const std::string &At) {
  FusePodConfig Pod;
  Pod.Name = R.string(P, "name", At);
  if (const json *Cache = R.field(P, "cache", At, json::value_t::object)) {
    std::string In = At + ".cache";
    Pod.EntryTimeout = seconds(R, *Cache, "entry_timeout", In);
    Pod.AttrTimeout = seconds(R, *Cache, "attr_timeout", In);
    Pod.NegativeTimeout = seconds(R, *Cache, "negative_timeout", In);
    if (Cache->contains("reason"))
      Pod.CacheReason = R.string(*Cache, "reason", In);
  }
  if (const json *Io = R.field(P, "io", At, json::value_t::object)) {
    std::string In = At + ".io";
    Pod.Passthrough = R.boolean(*Io, "passthrough", In);
    uint64_t MaxWrite = R.unsignedInt(*Io, "max_write", In);
    uint64_t Threads = R.unsignedInt(*Io, "threads", In);
    if (R.Problem.empty() && (MaxWrite < 4096 || MaxWrite > (16u << 20)))
      R.Problem = In + ".max_write: 4096 to 16777216 bytes";
    if (R.Problem.empty() && (Threads < 1 || Threads > 64))
      R.Problem = In + ".threads: 1 to 64";
    Pod.MaxWrite = unsigned(MaxWrite);
    Pod.Threads = unsigned(Threads);
  }
  const json *Groups = R.field(P, "cgroups", At, json::value_t::object);
  const json *Peas =
      Groups ? R.field(*Groups, "peas", At + ".cgroups", json::value_t::array)
             : nullptr;
  for (size_t I = 0; Peas && I < Peas->size(); ++I) {
    std::string In = At + ".cgroups.peas[" + std::to_string(I) + "]";
    FusePeaCgroup G;
    G.Name = R.string((*Peas)[I], "name", In);
    G.Index = uint32_t(R.unsignedInt((*Peas)[I], "index", In));
    G.Cgroup = R.string((*Peas)[I], "cgroup", In);
    Pod.Peas.push_back(std::move(G));
  }
  return Pod;
}

std::optional<FuseConfig> parseFuseConfig(std::string_view Name,
                                          std::string_view Text,
                                          std::string &Error) {
  std::optional<json> Doc = parseConfigJSON(Name, Text, Error);
  if (!Doc)
    return std::nullopt;
  ConfigReader R;
  FuseConfig C;
  ConfigImage Image =
      readConfigHeader(R, *Doc, "peapod-fuse-config", FuseConfigVersion);
  C.ImageDigest = std::move(Image.Digest);
  C.ImageSize = Image.Size;
  const json *Pods = R.field(*Doc, "pods", "config", json::value_t::array);
  for (size_t I = 0; Pods && I < Pods->size() && R.Problem.empty(); ++I)
    C.Pods.push_back(
        readPod(R, (*Pods)[I], "config.pods[" + std::to_string(I) + "]"));
  if (!R.Problem.empty()) {
    Error = std::string(Name) + ": error: " + R.Problem;
    return std::nullopt;
  }
  return C;
}

const FusePodConfig *findPod(const FuseConfig &C, std::string_view Pod) {
  for (const FusePodConfig &P : C.Pods)
    if (P.Name == Pod)
      return &P;
  return nullptr;
}

bool checkFuseConfig(const FuseConfig &C, const ppi_image &Img,
                     std::string &Error) {
  if (!madeForImage({C.ImageDigest, C.ImageSize}, Img, "FUSE", "fuse", Error))
    return false;
  // Same digest: the configuration was derived from this image, but a
  // hand-edited file must still match it pod by pod.
  if (C.Pods.size() != Img.pod_count) {
    Error = "the FUSE configuration has " + std::to_string(C.Pods.size()) +
            " pods, the image " + std::to_string(Img.pod_count);
    return false;
  }
  for (uint32_t P = 0; P < Img.pod_count; ++P) {
    const ppi_pod &Pod = Img.pods[P];
    const FusePodConfig &Cfg = C.Pods[P];
    std::string PodName = nameOf(Img, Pod.name_off, Pod.name_len);
    if (Cfg.Name != PodName || Cfg.Peas.size() != Pod.pea_count) {
      Error = "the FUSE configuration's pod " + std::to_string(P) + " ('" +
              Cfg.Name + "') is not the image's ('" + PodName + "')";
      return false;
    }
    for (uint32_t I = 0; I < Pod.pea_count; ++I) {
      const ppi_pea &Pea = Img.peas[Pod.first_pea + I];
      std::string PeaName = nameOf(Img, Pea.name_off, Pea.name_len);
      const FusePeaCgroup &G = Cfg.Peas[I];
      if (G.Name != PeaName || G.Index != I ||
          G.Cgroup != std::string(FusePeaCgroupPrefix) + PeaName) {
        Error = "pod '" + PodName + "': the FUSE configuration's pea " +
                std::to_string(I) + " ('" + G.Name + "', cgroup '" +
                G.Cgroup + "') is not the image's ('" + PeaName +
                "', cgroup '" + std::string(FusePeaCgroupPrefix) + PeaName +
                "')";
        return false;
      }
    }
  }
  return true;
}

} // namespace peapod
