//===- BpfMapsTest.cpp - The BPF maps == the image == the reference -------===//
//
// Seeded random policies (tests/support/RandomPolicy) through the real front
// end. For every pea, every port of a list around the policies' ranges and
// both protocols, these must agree: the generator's model, the reference
// evaluator (what `peapodc query --bind/--connect` prints), the image
// (ppi_net_permits), the BPF backend's rules (netRulesPermit), their trie
// encoding (netMapMatches) and, as root, the kernel's own longest-prefix
// match in the loaded programs' map: the one lookup the programs make. The
// unix socket trie is held to ppi_lookup_path the same way.
//
//===----------------------------------------------------------------------===//
#include "KmodTest.h"
#include "RandomPolicy.h"
#include "peapod/BpfConfig.h"
#include "peapod/runtime/CgroupPrograms.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include <bpf/bpf.h>
#include <catch2/catch.hpp>
#include <fstream>
#include <unistd.h>

using namespace peapod;
using test::ModelRule;
using test::RandomPolicy;

namespace {

/// The policy compiled with its rule groups in a directory of their own
/// (found through -I), which is removed again.
std::unique_ptr<Compilation> compileWithGroups(const RandomPolicy &G) {
  llvm::SmallString<128> Dir;
  REQUIRE(!llvm::sys::fs::createUniqueDirectory("peapod-bpf-diff", Dir));
  for (const auto &[Name, Body] : G.groups())
    std::ofstream((Dir + "/" + Name).str()) << Body;
  CompileOptions Opts;
  Opts.IncludeDirs.push_back(Dir.str().str());
  std::unique_ptr<Compilation> C = test::compile(G.text(), "test.pea", Opts);
  for (const auto &[Name, Body] : G.groups())
    llvm::sys::fs::remove(Dir + "/" + Name);
  llvm::sys::fs::remove(Dir);
  return C;
}

bool kernelHas(int Fd, const void *Key, void *Value) {
  return Fd >= 0 && bpf_map_lookup_elem(Fd, Key, Value) == 0;
}

} // namespace

TEST_CASE("BPF maps, image, reference and model agree on random policies",
          "[runtime][bpf][differential]") {
  bool Kernel = geteuid() == 0;
  if (!Kernel)
    WARN("not root: the kernel's maps are not asked");
  const uint16_t Ports[] = {0,    1,    2,    3,    21,    22,    23,
                            79,   80,   81,   443,  999,   1000,  1004,
                            1005, 1006, 1023, 1024, 30000, 65534, 65535};
  unsigned Mismatches = 0;
  auto Agree = [&](bool Same, const std::string &What) {
    if (!Same) {
      UNSCOPED_INFO(What);
      ++Mismatches;
    }
  };
  for (uint32_t Seed = 1; Seed <= 60 && Mismatches == 0; ++Seed) {
    RandomPolicy G(Seed);
    INFO("seed " << Seed << ", policy:\n" << G.text());
    test::Subject S(compileWithGroups(G));
    const ppi_image &Img = S.FromImage->image();
    BpfConfig Config = deriveBpfConfig(Img);
    std::string Error;
    std::optional<BpfConfig> Back =
        parseBpfConfig("t.json", bpfConfigToJSON(Config), Error);
    INFO(Error);
    REQUIRE(Back);
    REQUIRE(checkBpfConfig(*Back, Img, Error));
    std::set<std::string> Queries = G.queryPaths();
    for (uint32_t Pod = 0; Pod < Img.pod_count; ++Pod) {
      std::unique_ptr<runtime::CgroupPrograms> Maps;
      if (Kernel) {
        runtime::CgroupPrograms::Plan Plan;
        Plan.Image = &Img;
        Plan.Pod = Pod;
        Plan.Rules = &Back->Pods[Pod];
        Maps = runtime::CgroupPrograms::attach(Plan, Error);
        INFO(Error);
        REQUIRE(Maps);
      }
      int NetFd = Maps ? Maps->netMapFd() : -1;
      int UnixFd = Maps ? Maps->unixMapFd() : -1;
      for (uint32_t Pea = 0; Pea < Img.pods[Pod].pea_count; ++Pea) {
        PeaHandle H{Pod, Pea};
        const test::ModelPea &M = G.pods()[Pod].Peas[Pea];
        uint32_t Global = Img.pods[Pod].first_pea + Pea;
        const BpfPeaRules &R = Back->Pods[Pod].Peas[Pea];
        for (bool Out : {false, true}) {
          const BpfNetRules &Rules = Out ? R.Connect : R.Bind;
          uint8_t Dir = Out ? PEAPOD_BPF_CONNECT : PEAPOD_BPF_BIND;
          std::vector<peapod_net_key> Keys = netMapKeys(Global, Dir, Rules);
          for (uint16_t Port : Ports)
            for (Protocol Proto : {Protocol::TCP, Protocol::UDP}) {
              std::string What = M.Name + (Out ? " connect " : " bind ") +
                                 protocolName(Proto) + "/" +
                                 std::to_string(Port);
              bool Ref = Out ? S.connect(H, Proto, Port)
                             : S.bind(H, Proto, Port);
              bool Model = G.permits(
                  M, Out ? ModelRule::Outgoing : ModelRule::Bind, Proto, Port);
              uint8_t P = uint8_t(Proto);
              bool Image = ppi_net_permits(&Img, Global, Out, P, Port);
              peapod_net_key Q = netMapQuery(Global, Dir, P, Port);
              uint8_t V;
              Agree(Ref == Model, "model: " + What);
              Agree(Image == Ref, "image: " + What);
              Agree(netRulesPermit(Rules, P, Port) == Ref, "rules: " + What);
              Agree(netMapMatches(Keys, Q) == Ref, "encoding: " + What);
              if (Kernel)
                Agree(kernelHas(NetFd, &Q, &V) == Ref, "kernel map: " + What);
            }
          // Any other protocol: only `allow`.
          peapod_net_key Other =
              netMapQuery(Global, Dir, PEAPOD_BPF_OTHER, 7);
          uint8_t V;
          Agree(netMapMatches(Keys, Other) == Rules.Allow, "other protocol");
          if (Kernel)
            Agree(kernelHas(NetFd, &Other, &V) == Rules.Allow,
                  "kernel map: other protocol");
        }
        if (!Kernel)
          continue;
        for (const std::string &Q : Queries) {
          if (Q == "/" || Q.size() > PEAPOD_BPF_UNIX_PATH_MAX)
            continue;
          ppi_lookup L =
              ppi_lookup_path(&Img, Global, Q.data(), Q.size(), false);
          peapod_unix_key K = unixMapQuery(Global, Q);
          uint8_t Access = 0xff;
          Agree(kernelHas(UnixFd, &K, &Access) && Access == L.access.access,
                M.Name + " unix socket " + Q + ": kernel map " +
                    std::to_string(Access) + ", image " +
                    std::to_string(L.access.access));
        }
      }
    }
  }
  CHECK(Mismatches == 0);
}
