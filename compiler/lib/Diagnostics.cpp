//===- Diagnostics.cpp ----------------------------------------------------===//
#include "peapod/Diagnostics.h"

namespace peapod {

const char *severityName(Severity S) {
  switch (S) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  case Severity::Fatal:
    return "fatal";
  }
  return "error";
}

const std::vector<DiagInfo> &allDiagInfos() {
  static const std::vector<DiagInfo> Infos = {
#define DIAG(Enum, Code, Sev, Name, Format) {Code, Severity::Sev, Name, Format},
#include "peapod/DiagnosticIDs.def"
  };
  return Infos;
}

const DiagInfo *findDiagnosticByName(llvm::StringRef Name) {
  for (const DiagInfo &I : allDiagInfos())
    if (Name == I.Name)
      return &I;
  return nullptr;
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

static Diagnostic makeDiagnostic(const DiagInfo &Info, Severity Sev,
                                 llvm::SMRange Range,
                                 std::vector<std::string> Args) {
  Diagnostic D;
  D.Info = &Info;
  D.Sev = Sev;
  D.Range = Range;
  D.Message = formatDiagnostic(Info.Format, Args);
  D.Args = std::move(Args);
  return D;
}

std::optional<Severity> DiagnosticEngine::severityOf(const DiagInfo &Info) const {
  std::optional<Severity> Sev = Info.Sev;
  if (auto It = Opts.ByName.find(Info.Name); It != Opts.ByName.end())
    Sev = It->second;
  if (Sev == Severity::Warning && Opts.WarningsAsErrors)
    Sev = Severity::Error;
  // A fatal problem (an unreadable file) cannot be configured away.
  if (Info.Sev == Severity::Fatal)
    Sev = Severity::Fatal;
  return Sev;
}

DiagnosticBuilder DiagnosticEngine::report(const DiagInfo &Info,
                                           llvm::SMRange Range,
                                           std::vector<std::string> Args) {
  std::optional<Severity> Sev = severityOf(Info);
  if (!Sev || LimitReached)
    return DiagnosticBuilder(*this, Dropped);
  bool IsError = *Sev == Severity::Error || *Sev == Severity::Fatal;
  if (IsError && Opts.ErrorLimit && Errors >= Opts.ErrorLimit) {
    // As clang's -ferror-limit: say so once (not counted, and not at the
    // place of the error left out), then record nothing more.
    LimitReached = true;
    const DiagInfo &Limit = diagInfo(DiagID::TooManyErrors);
    Diags.push_back(makeDiagnostic(Limit, Limit.Sev, llvm::SMRange(),
                                   {std::to_string(Opts.ErrorLimit)}));
    return DiagnosticBuilder(*this, Dropped);
  }
  Diags.push_back(makeDiagnostic(Info, *Sev, Range, std::move(Args)));
  switch (*Sev) {
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

void DiagnosticEngine::replay(const Diagnostic &D) {
  DiagnosticBuilder B = report(*D.Info, D.Range, D.Args);
  for (const FixIt &F : D.Fixes)
    B.fix(F.Range, F.Replacement);
  for (const Diagnostic &N : D.Notes) {
    B.note(*N.Info, N.Range, N.Args);
    for (const FixIt &F : N.Fixes)
      B.noteFix(F.Range, F.Replacement);
  }
}

Diagnostic *DiagnosticBuilder::target() {
  return Index == DiagnosticEngine::Dropped ? nullptr : &Engine.Diags[Index];
}

bool DiagnosticBuilder::recorded() const {
  return Index != DiagnosticEngine::Dropped;
}

DiagnosticBuilder &DiagnosticBuilder::note(const DiagInfo &Info,
                                           llvm::SMRange Range,
                                           std::vector<std::string> Args) {
  if (Diagnostic *D = target())
    D->Notes.push_back(
        makeDiagnostic(Info, Severity::Note, Range, std::move(Args)));
  return *this;
}

DiagnosticBuilder &DiagnosticBuilder::fix(llvm::SMRange Range,
                                          std::string Replacement) {
  if (Diagnostic *D = target())
    D->Fixes.push_back({Range, std::move(Replacement)});
  return *this;
}

DiagnosticBuilder &DiagnosticBuilder::noteFix(llvm::SMRange Range,
                                              std::string Replacement) {
  if (Diagnostic *D = target(); D && !D->Notes.empty())
    D->Notes.back().Fixes.push_back({Range, std::move(Replacement)});
  return *this;
}

} // namespace peapod
