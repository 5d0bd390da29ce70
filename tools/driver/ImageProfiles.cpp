//===- ImageProfiles.cpp - A compiled image's peas as profiles ------------===//
//
// The adaptor that lets everything built on analyzer::PeaProfile (`show`,
// `diff`) read a compiled image exactly as a source policy: the analyzer
// does not depend on the backends, so the driver does the reading.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "peapod/ImageRegions.h"

namespace peapod::driver {

namespace {

class ImageProfiles final : public analyzer::ProfileSource {
public:
  explicit ImageProfiles(const ImageOracle &O) : O(O), Img(O.image()) {}
  std::vector<std::string> pods() const override { return O.podNames(); }
  std::vector<std::string> peas(uint32_t Pod) const override {
    return O.peaNames(Pod);
  }
  analyzer::PeaProfile profile(uint32_t PodIndex,
                               uint32_t PeaIndex) const override {
    const ppi_pod &D = Img.pods[PodIndex];
    uint32_t Global = D.first_pea + PeaIndex;
    const ppi_pea &E = Img.peas[Global];
    analyzer::PeaProfile Out;
    Out.Pod = str(D.name_off, D.name_len);
    Out.Pea = str(E.name_off, E.name_len);
    Out.Regions = imageRegions(Img, Global);
    static const char *const Kinds[] = {"path", "dir-default", "transition"};
    for (uint32_t I = E.first_rule; I < E.first_rule + E.rule_count; ++I) {
      const ppi_rule &R = Img.rules[I];
      analyzer::RuleInfo Info{Kinds[R.kind], str(R.path_off, R.path_len),
                              std::nullopt};
      if (O.hasLocations())
        Info.Loc = RuleLocation{str(R.file_off, R.file_len), R.line, R.column};
      if (R.kind == PPI_RULE_TRANSITION) {
        const ppi_pea &T = Img.peas[D.first_pea + R.target];
        Out.Transitions.push_back({Info, str(T.name_off, T.name_len)});
      } else {
        Out.FileRules.push_back(Info);
      }
    }
    Out.Bind = net(E.bind);
    Out.Outgoing = net(E.outgoing);
    Out.NamespaceGlobal = E.touch_flags & PPI_TOUCH_GLOBAL;
    for (uint32_t I = E.first_touch; I < E.first_touch + E.touch_count; ++I) {
      const ppi_pea &T = Img.peas[Img.touch[I]];
      Out.Namespace.push_back(str(T.name_off, T.name_len));
    }
    return Out;
  }

private:
  std::string str(uint32_t Off, uint32_t Len) const {
    return std::string(ppi_string(&Img, Off), Len);
  }
  NetPolicy net(const ppi_net &N) const {
    NetPolicy Out;
    Out.AllowAll = N.flags & PPI_NET_ALLOW_ALL;
    Out.DenyAll = N.flags & PPI_NET_DENY_ALL;
    for (uint32_t I = N.first_port; I < N.first_port + N.port_count; ++I)
      Out.Ranges.push_back({static_cast<Protocol>(Img.ports[I].proto),
                            Img.ports[I].low, Img.ports[I].high});
    return Out;
  }
  const ImageOracle &O;
  const ppi_image &Img;
};

} // namespace

std::unique_ptr<analyzer::ProfileSource> profilesOf(const PolicyInput &In) {
  if (In.Image)
    return std::make_unique<ImageProfiles>(*In.Image);
  return std::make_unique<analyzer::SourceProfiles>(In.Source->policy());
}

} // namespace peapod::driver
