//===- fuzz_query.cpp - Differential libFuzzer target: image == reference -===//
//
// Any bytes as a policy; when they compile, the image the writer makes from
// them must answer every question exactly as the reference evaluator does:
// at every rule path, each of its ancestors, a fresh child and a sibling, as
// file and as directory, for access and exec; every port the policy names
// (and its neighbours) for bind and connect; every pea for touch. The unit
// differential test (tests/kmod/DifferentialTest.cpp) draws policies from a
// generator; this target lets coverage guidance find the policies the
// generator never writes.
//
//===----------------------------------------------------------------------===//
#include "peapod/Compilation.h"
#include "peapod/Evaluator.h"
#include "peapod/ImageOracle.h"
#include "peapod/ImageWriter.h"
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

using namespace peapod;

namespace {

[[noreturn]] void disagree(const std::string &What) {
  std::fprintf(stderr, "fuzz_query: image and reference disagree: %s\n",
               What.c_str());
  std::abort();
}

/// Equal but for the include chain, which only the source knows.
bool samePath(const PathAnswer &A, const PathAnswer &B) {
  return A.Access == B.Access && A.Why.Kind == B.Why.Kind &&
         A.Why.RulePath == B.Why.RulePath && A.Why.Rule == B.Why.Rule &&
         A.Why.Merged == B.Why.Merged && A.Why.Loc == B.Why.Loc;
}

bool sameExec(const ExecAnswer &A, const ExecAnswer &B) {
  return A.Allowed == B.Allowed && A.PeaAfter == B.PeaAfter &&
         samePath(A.Access, B.Access) && A.Transition == B.Transition;
}

/// Every rule path, its ancestors, a child and a sibling of each.
std::set<std::string> queryPaths(const Pea &P) {
  std::set<std::string> Paths = {"/", "/fuzz-fresh"};
  auto Add = [&](llvm::StringRef Path) {
    for (size_t Slash = Path.find('/', 1); Slash != llvm::StringRef::npos;
         Slash = Path.find('/', Slash + 1))
      Paths.insert(Path.substr(0, Slash).str());
    Paths.insert(Path.str());
    Paths.insert((Path == "/" ? "" : Path.str()) + "/fuzz-child");
    Paths.insert(Path.str() + "x");
  };
  for (const ast::Rule *R : P.FileRules)
    Add(R->Path);
  for (const Transition &T : P.Transitions)
    Add(T.Source->Path);
  return Paths;
}

void compareNetwork(const ReferenceEvaluator &Ref, const ImageOracle &Img,
                    PeaHandle H, const Pea &P) {
  std::set<uint16_t> Ports = {1, 25, 80, 65535};
  for (const NetPolicy *N : {&P.Bind, &P.Outgoing})
    for (const PortRange &R : N->Ranges)
      for (int D : {-1, 0, 1})
        for (int End : {int(R.Low), int(R.High)})
          Ports.insert(static_cast<uint16_t>(std::clamp(End + D, 1, 65535)));
  for (Protocol Proto : {Protocol::TCP, Protocol::UDP})
    for (uint16_t Port : Ports) {
      if (Ref.bind(H, Proto, Port) != Img.bind(H, Proto, Port))
        disagree("bind " + std::to_string(Port));
      if (Ref.connect(H, Proto, Port) != Img.connect(H, Proto, Port))
        disagree("connect " + std::to_string(Port));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  CompileOptions Opts;
  Opts.StdRulesDir = "/nonexistent/peapod-fuzz-stdrules";
  Compilation C(Opts);
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  if (!C.compileBuffer("/nonexistent/fuzz.pea", Text))
    return 0;
  const Policy &P = C.policy();
  std::string Bytes = writeImage(P);
  std::string Error;
  std::unique_ptr<ImageOracle> Img = ImageOracle::fromBuffer(Bytes, Error);
  if (!Img)
    disagree("the loader rejects the writer's image: " + Error);
  ReferenceEvaluator Ref(P);
  for (uint32_t Pod = 0; Pod < P.Pods.size(); ++Pod)
    for (uint32_t PeaIndex = 0; PeaIndex < P.Pods[Pod].Peas.size(); ++PeaIndex) {
      PeaHandle H{Pod, PeaIndex};
      const Pea &ThePea = P.Pods[Pod].Peas[PeaIndex];
      for (const std::string &Path : queryPaths(ThePea)) {
        for (bool Dir : {false, true})
          if (!samePath(Ref.access(H, Path, Dir), Img->access(H, Path, Dir)))
            disagree("access " + Path);
        if (!sameExec(Ref.exec(H, Path), Img->exec(H, Path)))
          disagree("exec " + Path);
      }
      compareNetwork(Ref, *Img, H, ThePea);
      for (const Pea &Target : P.Pods[Pod].Peas)
        if (Ref.touch(H, Target.Name) != Img->touch(H, Target.Name))
          disagree("touch " + Target.Name.str());
    }
  return 0;
}
