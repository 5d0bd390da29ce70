//===- KmodTest.cpp - Shared helpers of the image tests -------------------===//
#include "KmodTest.h"

#include "peapod/Access.h"
#include "peapod/DiagnosticRender.h"
#include "llvm/Support/raw_ostream.h"
#include <catch2/catch.hpp>
#include <cstring>

namespace peapod {

std::ostream &operator<<(std::ostream &OS, const RuleLocation &L) {
  return OS << L.File << ":" << L.Line << ":" << L.Column;
}

std::ostream &operator<<(std::ostream &OS, const Explanation &E) {
  OS << decisionKindName(E.Kind) << " " << E.RulePath;
  if (E.Loc)
    OS << " @" << *E.Loc;
  if (E.Rule)
    OS << " #" << *E.Rule;
  for (size_t I = 0; I < E.Merged.size(); ++I)
    OS << (I ? "," : " merged ") << E.Merged[I];
  for (const RuleLocation &L : E.IncludeChain)
    OS << " via " << L;
  return OS;
}

std::ostream &operator<<(std::ostream &OS, const PathAnswer &A) {
  return OS << "{" << accessString(A.Access) << " " << A.Why << "}";
}

std::ostream &operator<<(std::ostream &OS, const ExecAnswer &A) {
  OS << "{" << (A.Allowed ? "allowed" : "denied") << " -> " << A.PeaAfter << " "
     << A.Access;
  if (A.Transition) {
    OS << " via " << A.Transition->RulePath << " to "
       << A.Transition->TargetPea;
    if (A.Transition->Loc)
      OS << " @" << *A.Transition->Loc;
  }
  return OS << "}";
}

} // namespace peapod

namespace peapod::test {

std::string diagnosticsText(const Compilation &C) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  printDiagnostics(C.diags(), OS);
  return OS.str();
}

std::unique_ptr<Compilation>
compile(const std::string &Text, const std::string &Name, CompileOptions Opts) {
  auto C = std::make_unique<Compilation>(std::move(Opts));
  if (!C->compileBuffer(Name, Text) || C->diags().hasErrors()) {
    UNSCOPED_INFO("policy:\n"
                  << Text << "\ndiagnostics:\n"
                  << diagnosticsText(*C));
    return nullptr;
  }
  return C;
}

AlignedBytes::AlignedBytes(llvm::StringRef Bytes)
    : Words((Bytes.size() + 7) / 8), Size(Bytes.size()) {
  if (Size)
    std::memcpy(Words.data(), Bytes.data(), Size);
}

ppi_status openImage(const AlignedBytes &Bytes, ppi_image &Img,
                     std::string &Error) {
  char Reason[256];
  ppi_status S =
      ppi_open(&Img, Bytes.data(), Bytes.size(), Reason, sizeof Reason);
  Error = Reason;
  return S;
}

void reseal(AlignedBytes &Bytes) {
  ppi_header *H = reinterpret_cast<ppi_header *>(Bytes.data());
  ppi_payload_digest(Bytes.data(), Bytes.size(), H->digest);
}

Subject::Subject(const std::string &PolicyText, ImageWriteOptions Opts)
    : Subject(compile(PolicyText), Opts) {}

Subject::Subject(std::unique_ptr<Compilation> Compiled, ImageWriteOptions Opts)
    : C(std::move(Compiled)) {
  REQUIRE(C);
  Image = writeImage(C->policy(), Opts);
  std::string Error;
  FromImage = ImageOracle::fromBuffer(Image, Error);
  INFO(Error);
  REQUIRE(FromImage);
  Reference = std::make_unique<ReferenceEvaluator>(C->policy());
}

PeaHandle Subject::pea(llvm::StringRef Pod, llvm::StringRef Pea) const {
  std::optional<PeaHandle> H = FromImage->findPea(Pod, Pea);
  REQUIRE(H);
  std::optional<PeaHandle> R = Reference->findPea(Pod, Pea);
  REQUIRE(R);
  CHECK((H->Pod == R->Pod && H->Pea == R->Pea));
  return *H;
}

void asFromImage(PathAnswer &A, bool Locations) {
  A.Why.IncludeChain.clear(); // only the source knows it
  if (!Locations)
    A.Why.Loc.reset();
}

void asFromImage(ExecAnswer &A, bool Locations) {
  asFromImage(A.Access, Locations);
  if (A.Transition && !Locations)
    A.Transition->Loc.reset();
}

PathAnswer portable(PathAnswer A) {
  A.Why.Rule.reset();
  A.Why.Merged.clear();
  A.Why.IncludeChain.clear();
  return A;
}

ExecAnswer portable(ExecAnswer A) {
  A.Access = portable(A.Access);
  if (A.Transition)
    A.Transition->Rule = 0;
  return A;
}

template <typename T> void Subject::agree(const T &Got, const T &Want) const {
  if (Got == Want)
    return; // a passing CHECK per answer would dominate the differential test
  CHECK(Got == Want);
  ++Mismatches;
}

PathAnswer Subject::access(PeaHandle H, llvm::StringRef Path,
                           bool IsDir) const {
  PathAnswer Got = FromImage->access(H, Path, IsDir);
  PathAnswer Want = Reference->access(H, Path, IsDir);
  asFromImage(Want, FromImage->hasLocations());
  INFO("access " << Path.str() << (IsDir ? " (dir)" : ""));
  agree(Got, Want);
  return portable(Got);
}

ExecAnswer Subject::exec(PeaHandle H, llvm::StringRef Program) const {
  ExecAnswer Got = FromImage->exec(H, Program);
  ExecAnswer Want = Reference->exec(H, Program);
  asFromImage(Want, FromImage->hasLocations());
  INFO("exec " << Program.str());
  agree(Got, Want);
  return portable(Got);
}

bool Subject::bind(PeaHandle H, Protocol P, uint16_t Port) const {
  bool Got = FromImage->bind(H, P, Port);
  INFO("bind " << protocolName(P) << "/" << Port);
  agree(Got, Reference->bind(H, P, Port));
  return Got;
}

bool Subject::connect(PeaHandle H, Protocol P, uint16_t Port) const {
  bool Got = FromImage->connect(H, P, Port);
  INFO("connect " << protocolName(P) << "/" << Port);
  agree(Got, Reference->connect(H, P, Port));
  return Got;
}

std::optional<bool> Subject::touch(PeaHandle H, llvm::StringRef Target) const {
  std::optional<bool> Got = FromImage->touch(H, Target);
  INFO("touch " << Target.str());
  agree(Got, Reference->touch(H, Target));
  return Got;
}

} // namespace peapod::test
