//===- Suppressions.cpp ---------------------------------------------------===//
#include "peapod/analyzer/Suppressions.h"
#include "peapod/Compilation.h"
#include "peapod/analyzer/AnalyzerDiagnostics.h"
#include "peapod/analyzer/LintConfig.h"
#include "llvm/Support/SourceMgr.h"

namespace peapod::analyzer {

namespace {

constexpr llvm::StringLiteral Marker = "peapod:";
constexpr llvm::StringLiteral Ignore = "ignore[";

bool isBlank(char C) { return C == ' ' || C == '\t' || C == '\r'; }

llvm::SMLoc at(const char *P) { return llvm::SMLoc::getFromPointer(P); }
llvm::SMRange span(const char *B, const char *E) { return {at(B), at(E)}; }

} // namespace

const char *Suppressions::whyUnsuppressible(const DiagInfo &Info) {
  llvm::StringRef Code = Info.Code;
  if (Code.startswith("E"))
    return "the policy has an error, which a comment cannot make right";
  if (isAttachedNote(Info))
    return "it is a note of another finding; suppress that finding";
  if (Code.startswith("A6"))
    return "assertions hold for every version of the policy; change the "
           "assertion's 'except' list in the lint configuration instead";
  return nullptr;
}

Suppressions Suppressions::collect(const Compilation &C) {
  Suppressions S;
  for (const ast::File *F : C.files())
    for (llvm::SMRange Comment : F->Comments)
      S.add(C.diags(), Comment);
  return S;
}

void Suppressions::add(const DiagnosticEngine &E, llvm::SMRange Range) {
  const char *Begin = Range.Start.getPointer(), *End = Range.End.getPointer();
  while (End > Begin && isBlank(End[-1]))
    --End;
  llvm::StringRef Text(Begin, End - Begin);
  llvm::StringRef Rest = Text.drop_front(1).ltrim(" \t"); // past '#'
  if (!Rest.consume_front(Marker))
    return;
  Rest = Rest.ltrim(" \t");

  Comment C;
  C.Range = span(Begin, End);
  C.Buffer = E.positions().bufferOf(Range.Start);
  if (!C.Buffer)
    return;
  const LineTable &Lines = E.positions().lines(C.Buffer);
  const char *BufStart =
      E.sourceMgr().getMemoryBuffer(C.Buffer)->getBufferStart();
  size_t Offset = Begin - BufStart;
  C.Line = Lines.lineOf(Offset);
  const char *LineStart = BufStart + Lines.lineStart(C.Line);
  llvm::StringRef Before(LineStart, Begin - LineStart);
  C.OwnLine = Before.ltrim(" \t").empty();
  if (C.OwnLine) {
    // The whole line goes, its line break too.
    llvm::StringRef Line = Lines.lineText(C.Line);
    const char *LineEnd = LineStart + Line.size();
    const char *BufEnd = E.sourceMgr().getMemoryBuffer(C.Buffer)->getBufferEnd();
    if (LineEnd < BufEnd && *LineEnd == '\r')
      ++LineEnd;
    if (LineEnd < BufEnd && *LineEnd == '\n')
      ++LineEnd;
    C.RemoveRange = span(LineStart, LineEnd);
  } else {
    const char *From = Begin;
    while (From > LineStart && isBlank(From[-1]))
      --From;
    C.RemoveRange = span(From, End);
  }

  if (!Rest.startswith(Ignore) || !Rest.contains(']')) {
    // "# peapod: something else": a suppression written wrong.
    Entry Bad;
    Bad.Written = Rest.str();
    Bad.Range = span(Rest.begin(), Rest.end());
    C.Entries.push_back(Bad);
    Comments.push_back(std::move(C));
    return;
  }
  Rest = Rest.drop_front(Ignore.size());
  size_t Close = Rest.find(']');
  llvm::StringRef List = Rest.take_front(Close);
  C.HasReason = !Rest.drop_front(Close + 1).trim(" \t").empty();
  // Each ID, with the comma after it (or, for the last, before it) as what
  // removing it takes.
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  List.split(Parts, ',');
  for (size_t I = 0; I < Parts.size(); ++I) {
    llvm::StringRef Part = Parts[I].trim(" \t");
    if (Part.empty())
      continue;
    Entry En;
    En.Written = Part.str();
    En.Range = span(Part.begin(), Part.end());
    En.Info = findCheck(Part);
    const char *RB = Parts[I].begin(), *RE = Parts[I].end();
    if (I + 1 < Parts.size())
      ++RE; // the comma after it
    else if (I > 0)
      --RB; // the comma before it
    En.RemoveRange = span(RB, RE);
    C.Entries.push_back(En);
  }
  unsigned Index = static_cast<unsigned>(Comments.size());
  ByLine[key(C.Buffer, C.OwnLine ? C.Line + 1 : C.Line)].push_back(Index);
  Comments.push_back(std::move(C));
}

bool Suppressions::suppresses(const DiagnosticEngine &E, const Diagnostic &D) {
  if (!D.Info || whyUnsuppressible(*D.Info))
    return false;
  unsigned Buffer = 0;
  LineColumn P = E.positions().lineColumn(D.Range.Start, &Buffer);
  if (!Buffer)
    return false;
  auto It = ByLine.find(key(Buffer, P.Line));
  if (It == ByLine.end())
    return false;
  bool Found = false;
  for (unsigned Index : It->second)
    for (Entry &En : Comments[Index].Entries)
      if (En.Info == D.Info) {
        En.Used = true;
        Found = true;
      }
  return Found;
}

void Suppressions::reportProblems(DiagnosticEngine &E) const {
  for (const Comment &C : Comments) {
    bool AnyUsed = false, AllUnused = true;
    unsigned Usable = 0;
    for (const Entry &En : C.Entries) {
      AnyUsed |= En.Used;
      if (En.Info && !whyUnsuppressible(*En.Info)) {
        ++Usable;
        AllUnused &= !En.Used;
      }
    }
    for (const Entry &En : C.Entries) {
      if (!En.Info) {
        E.report(diagInfo(AnalyzerID::UnknownSuppression), En.Range,
                 {En.Written});
      } else if (const char *Why = whyUnsuppressible(*En.Info)) {
        E.report(diagInfo(AnalyzerID::Unsuppressible), En.Range,
                 {En.Written, Why});
      } else if (!En.Used && E.isEnabled(*En.Info)) {
        // (A check the configuration turned off matches nothing, but the
        // suppression is not wrong: it will match when the check is on.)
        // Removing the last ID the comment has left removes the comment.
        bool Whole = AllUnused && Usable == C.Entries.size();
        auto B = E.report(diagInfo(AnalyzerID::UnusedSuppression), En.Range,
                          {En.Written});
        if (Whole && &En == &C.Entries.front())
          B.fix(C.RemoveRange, "");
        else if (!Whole)
          B.fix(En.RemoveRange, "");
      }
    }
    if (AnyUsed && !C.HasReason)
      E.report(diagInfo(AnalyzerID::SuppressionNoReason), C.Range,
               {C.Entries.front().Written});
  }
}

} // namespace peapod::analyzer
