//===- Diagnostics.cpp ----------------------------------------------------===//
#include "peapod/Diagnostics.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

namespace peapod {

const std::vector<DiagInfo> &allDiagInfos() {
  static const std::vector<DiagInfo> Infos = {
#define DIAG(Enum, Code, Sev, Name, Format) {Code, Severity::Sev, Name, Format},
#include "peapod/DiagnosticIDs.def"
  };
  return Infos;
}

const DiagInfo &diagInfo(DiagID ID) {
  return allDiagInfos()[static_cast<size_t>(ID)];
}

std::string formatDiagnostic(llvm::StringRef Format,
                             const std::vector<std::string> &Args) {
  std::string Out;
  Out.reserve(Format.size() + 32);
  for (size_t I = 0; I < Format.size(); ++I) {
    if (Format[I] == '%' && I + 1 < Format.size() && Format[I + 1] >= '0' &&
        Format[I + 1] <= '9') {
      size_t Arg = static_cast<size_t>(Format[I + 1] - '0');
      if (Arg < Args.size())
        Out += Args[Arg];
      ++I;
      continue;
    }
    Out += Format[I];
  }
  return Out;
}

std::string closestName(llvm::StringRef Name,
                        const std::vector<llvm::StringRef> &Candidates) {
  constexpr unsigned MaxDistance = 2;
  std::string Best;
  unsigned BestDistance = MaxDistance + 1;
  for (llvm::StringRef C : Candidates) {
    unsigned D = Name.edit_distance(C, /*AllowReplacements=*/true, MaxDistance);
    if (D < BestDistance && C != Name) {
      BestDistance = D;
      Best = C.str();
    }
  }
  return Best;
}

static Diagnostic makeDiagnostic(DiagID ID, llvm::SMRange Range,
                                 const std::vector<std::string> &Args) {
  const DiagInfo &Info = diagInfo(ID);
  return Diagnostic{ID, Info.Sev, Range, formatDiagnostic(Info.Format, Args), {}};
}

DiagnosticBuilder DiagnosticEngine::report(DiagID ID, llvm::SMRange Range,
                                           std::vector<std::string> Args) {
  Diags.push_back(makeDiagnostic(ID, Range, Args));
  switch (Diags.back().Sev) {
  case Severity::Fatal:
    ++Fatals;
    [[fallthrough]];
  case Severity::Error:
    ++Errors;
    break;
  case Severity::Warning:
    ++Warnings;
    break;
  case Severity::Note:
    break;
  }
  return DiagnosticBuilder(*this, Diags.size() - 1);
}

DiagnosticBuilder &DiagnosticBuilder::note(DiagID ID, llvm::SMRange Range,
                                           std::vector<std::string> Args) {
  Engine.Diags[Index].Notes.push_back(makeDiagnostic(ID, Range, Args));
  return *this;
}

Position DiagnosticEngine::position(llvm::SMLoc Loc) const {
  Position P;
  if (!Loc.isValid())
    return P;
  unsigned Buffer = SM.FindBufferContainingLoc(Loc);
  if (!Buffer)
    return P;
  P.File = SM.getMemoryBuffer(Buffer)->getBufferIdentifier().str();
  auto [Line, Column] = SM.getLineAndColumn(Loc, Buffer);
  P.Line = Line;
  P.Column = Column;
  return P;
}

static llvm::SourceMgr::DiagKind diagKind(Severity S) {
  switch (S) {
  case Severity::Note:
    return llvm::SourceMgr::DK_Note;
  case Severity::Warning:
    return llvm::SourceMgr::DK_Warning;
  case Severity::Error:
  case Severity::Fatal:
    break;
  }
  return llvm::SourceMgr::DK_Error;
}

void DiagnosticEngine::print(const Diagnostic &D, llvm::raw_ostream &OS,
                             bool Colors) const {
  std::string Message = D.Message;
  if (D.Sev != Severity::Note)
    Message += std::string(" [") + diagInfo(D.ID).Code + "]";
  if (!D.Range.Start.isValid()) {
    llvm::SMDiagnostic(/*Filename=*/"", diagKind(D.Sev), Message)
        .print(nullptr, OS, Colors);
  } else {
    llvm::SmallVector<llvm::SMRange, 1> Ranges;
    if (D.Range.End.isValid() && D.Range.End.getPointer() > D.Range.Start.getPointer())
      Ranges.push_back(D.Range);
    llvm::SMDiagnostic Diag =
        SM.GetMessage(D.Range.Start, diagKind(D.Sev), Message, Ranges);
    // Notes never repeat the include stack of their diagnostic.
    if (D.Sev == Severity::Note)
      Diag.print(nullptr, OS, Colors);
    else
      SM.PrintMessage(OS, Diag, Colors);
  }
  for (const Diagnostic &N : D.Notes)
    print(N, OS, Colors);
}

namespace {
/// Passes output through to another stream and claims to be a colour
/// terminal: LLVM colours only streams that are, and `--color=always` must
/// colour a pipe too.
class ColourStream final : public llvm::raw_ostream {
public:
  explicit ColourStream(llvm::raw_ostream &Inner) : Inner(Inner) {
    enable_colors(true);
    SetUnbuffered();
  }
  bool has_colors() const override { return true; }

private:
  void write_impl(const char *Ptr, size_t Size) override {
    Inner.write(Ptr, Size);
  }
  uint64_t current_pos() const override { return Inner.tell(); }
  llvm::raw_ostream &Inner;
};
} // namespace

void DiagnosticEngine::print(llvm::raw_ostream &OS, bool Colors) const {
  if (Colors && !OS.has_colors()) {
    ColourStream Coloured(OS);
    print(Coloured, true);
    return;
  }
  for (const Diagnostic &D : Diags)
    print(D, OS, Colors);
}

} // namespace peapod
