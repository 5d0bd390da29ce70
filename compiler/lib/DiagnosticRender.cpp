//===- DiagnosticRender.cpp -----------------------------------------------===//
#include "peapod/DiagnosticRender.h"
#include "peapod/TextEscape.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Unicode.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>

namespace peapod {

namespace {

/// How one piece of a source line shows: its text and width in cells.
struct Cell {
  size_t Offset; ///< first byte in the line
  std::string Shown;
  unsigned Width;
};

constexpr unsigned TabStop = 8;

std::vector<Cell> cellsOf(llvm::StringRef Line) {
  std::vector<Cell> Cells;
  unsigned Column = 0;
  for (size_t I = 0; I < Line.size();) {
    llvm::StringRef Rest = Line.substr(I);
    size_t N = utf8SequenceLength(Rest);
    llvm::StringRef Seq = Rest.take_front(N ? N : 1);
    Cell C{I, "", 0};
    int Width = N && !isUnsafeForTerminal(utf8Decode(Rest, N))
                    ? llvm::sys::unicode::columnWidthUTF8(Seq)
                    : -1;
    if (Seq == "\t") {
      C.Width = TabStop - Column % TabStop;
      C.Shown.assign(C.Width, ' ');
    } else if (Width >= 0) {
      C.Shown = Seq.str();
      C.Width = static_cast<unsigned>(Width);
    } else { // a control character, an invalid byte, or no known glyph
      C.Shown = hexEscapeBytes(Seq);
      C.Width = static_cast<unsigned>(C.Shown.size());
    }
    Column += C.Width;
    Cells.push_back(std::move(C));
    I += Seq.size();
  }
  return Cells;
}

/// The index of the cell holding byte `Offset` of the line, or
/// Cells.size() at or past its end.
size_t cellAt(const std::vector<Cell> &Cells, size_t Offset, size_t LineSize) {
  if (Offset >= LineSize)
    return Cells.size();
  auto It = std::upper_bound(
      Cells.begin(), Cells.end(), Offset,
      [](size_t O, const Cell &C) { return O < C.Offset; });
  return size_t(It - Cells.begin()) - 1;
}

} // namespace

RenderedSource renderSourceLine(llvm::StringRef Line, size_t CaretStart,
                                size_t CaretEnd, unsigned MaxWidth) {
  std::vector<Cell> Cells = cellsOf(Line);
  size_t Total = 0;
  for (const Cell &C : Cells)
    Total += C.Width;
  size_t First = cellAt(Cells, CaretStart, Line.size());
  size_t Last = CaretEnd <= CaretStart ? First + 1
                : CaretEnd > Line.size()
                    ? Cells.size()
                    : cellAt(Cells, CaretEnd - 1, Line.size()) + 1;

  // The window: the whole line if it fits, else about MaxWidth columns
  // starting a third of the way before the caret, "..." where cut.
  size_t Begin = 0, End = Cells.size();
  if (Total > MaxWidth && MaxWidth > 8) {
    size_t Budget = MaxWidth - 6, Lead = 0, Width = 0;
    Begin = First;
    while (Begin > 0 && Lead + Cells[Begin - 1].Width <= Budget / 3)
      Lead += Cells[--Begin].Width;
    for (End = Begin; End < Cells.size() && Width + Cells[End].Width <= Budget;
         ++End)
      Width += Cells[End].Width;
    End = std::max(End, std::min(First + 1, Cells.size()));
  }
  RenderedSource R;
  if (Begin > 0) {
    R.Text = "...";
    R.Caret = "   ";
  }
  for (size_t I = Begin; I < End; ++I) {
    R.Text += Cells[I].Shown;
    if (I == First) {
      R.Caret += '^';
      R.Caret.append(std::max(Cells[I].Width, 1u) - 1, '~');
    } else {
      R.Caret.append(Cells[I].Width, I > First && I < Last ? '~' : ' ');
    }
  }
  if (End < Cells.size())
    R.Text += "...";
  if (First >= Cells.size())
    R.Caret += '^'; // at the end of the line
  while (!R.Caret.empty() && R.Caret.back() == ' ')
    R.Caret.pop_back();
  return R;
}

namespace {

void printIncludeStack(const llvm::SourceMgr &SM, unsigned Buffer,
                       llvm::raw_ostream &OS) {
  llvm::SMLoc IncludeLoc = SM.getParentIncludeLoc(Buffer);
  if (!IncludeLoc.isValid())
    return;
  unsigned Parent = SM.FindBufferContainingLoc(IncludeLoc);
  printIncludeStack(SM, Parent, OS);
  OS << "Included from "
     << escapeForTerminal(SM.getMemoryBuffer(Parent)->getBufferIdentifier())
     << ":" << SM.FindLineNumber(IncludeLoc, Parent) << ":\n";
}

llvm::raw_ostream::Colors severityColour(Severity S) {
  switch (S) {
  case Severity::Note:
    return llvm::raw_ostream::BLACK;
  case Severity::Warning:
    return llvm::raw_ostream::MAGENTA;
  default:
    return llvm::raw_ostream::RED;
  }
}

void printOne(const DiagnosticEngine &E, const Diagnostic &D,
              llvm::raw_ostream &OS, const TextStyle &Style) {
  auto Colour = [&](llvm::raw_ostream::Colors C, bool Bold) {
    if (Style.Colors)
      OS.changeColor(C, Bold);
  };
  auto Reset = [&] {
    if (Style.Colors)
      OS.resetColor();
  };
  const SourcePositions &Pos = E.positions();
  unsigned Buffer = Pos.bufferOf(D.Range.Start);
  if (Buffer && D.Sev != Severity::Note)
    printIncludeStack(E.sourceMgr(), Buffer, OS);
  Colour(llvm::raw_ostream::SAVEDCOLOR, true);
  if (Buffer) {
    Position P = Pos.resolve(D.Range.Start);
    OS << escapeForTerminal(P.File) << ":" << P.Line << ":" << P.Column << ": ";
  }
  Colour(severityColour(D.Sev), true);
  OS << (D.Sev == Severity::Fatal ? "fatal error" : severityName(D.Sev))
     << ": ";
  Colour(llvm::raw_ostream::SAVEDCOLOR, true);
  OS << escapeForTerminal(D.Message);
  if (D.Sev != Severity::Note)
    OS << " [" << D.code() << "]";
  Reset();
  OS << "\n";
  if (!Buffer)
    return;

  const LineTable &Lines = Pos.lines(Buffer);
  const char *BufStart = E.sourceMgr().getMemoryBuffer(Buffer)->getBufferStart();
  size_t Offset = D.Range.Start.getPointer() - BufStart;
  unsigned Line = Lines.lineOf(Offset);
  size_t LineStart = Lines.lineStart(Line);
  size_t End = D.Range.End.isValid() && D.Range.End.getPointer() > D.Range.Start.getPointer()
                   ? size_t(D.Range.End.getPointer() - BufStart)
                   : Offset;
  // A blank line (an empty file, the end of input) shows nothing a caret
  // could point at.
  if (Lines.lineText(Line).trim().empty())
    return;
  RenderedSource R = renderSourceLine(Lines.lineText(Line), Offset - LineStart,
                                      End - LineStart, Style.MaxSourceWidth);
  OS << R.Text << "\n";
  Colour(llvm::raw_ostream::GREEN, true);
  OS << R.Caret;
  Reset();
  OS << "\n";
}

} // namespace

void printDiagnostic(const DiagnosticEngine &E, const Diagnostic &D,
                     llvm::raw_ostream &OS, const TextStyle &Style) {
  // --color=always colours a pipe too; LLVM colours only terminals unless
  // told.
  if (Style.Colors)
    OS.enable_colors(true);
  printOne(E, D, OS, Style);
  for (const Diagnostic &N : D.Notes)
    printOne(E, N, OS, Style);
}

void printDiagnostics(const DiagnosticEngine &E, llvm::raw_ostream &OS,
                      const TextStyle &Style) {
  for (const Diagnostic &D : E.diagnostics())
    printDiagnostic(E, D, OS, Style);
}

std::string diagnosticSummary(const DiagnosticEngine &E) {
  unsigned Err = E.errorCount(), W = E.warningCount();
  if (!Err && !W)
    return "";
  std::string S;
  if (W)
    S = std::to_string(W) + " warning" + (W == 1 ? "" : "s");
  if (Err && W)
    S += " and ";
  if (Err)
    S += std::to_string(Err) + " error" + (Err == 1 ? "" : "s");
  return S + " generated.";
}

namespace {

nlohmann::json positionJSON(const Position &P) {
  return {{"file", escapeInvalidUtf8(P.File)},
          {"line", P.Line},
          {"column", P.Column}};
}

void addRange(nlohmann::json &J, const DiagnosticEngine &E, llvm::SMRange R) {
  Position Start = E.position(R.Start);
  Position End = E.position(R.End.isValid() ? R.End : R.Start);
  J["file"] = escapeInvalidUtf8(Start.File);
  J["line"] = Start.Line;
  J["column"] = Start.Column;
  J["endLine"] = End.Line;
  J["endColumn"] = End.Column;
}

} // namespace

nlohmann::json diagnosticToJSON(const DiagnosticEngine &E,
                                const Diagnostic &D) {
  nlohmann::json J = {{"id", D.code()},
                      {"name", D.Info->Name},
                      {"severity", severityName(D.Sev)},
                      {"message", escapeInvalidUtf8(D.Message)}};
  if (D.Range.Start.isValid()) {
    addRange(J, E, D.Range);
    const llvm::SourceMgr &SM = E.sourceMgr();
    nlohmann::json Chain = nlohmann::json::array();
    unsigned Buffer = E.positions().bufferOf(D.Range.Start);
    for (llvm::SMLoc Inc = SM.getParentIncludeLoc(Buffer); Inc.isValid();
         Inc = SM.getParentIncludeLoc(SM.FindBufferContainingLoc(Inc)))
      Chain.push_back(positionJSON(E.position(Inc)));
    if (!Chain.empty())
      J["includedFrom"] = Chain;
  }
  nlohmann::json Notes = nlohmann::json::array();
  for (const Diagnostic &N : D.Notes)
    Notes.push_back(diagnosticToJSON(E, N));
  J["notes"] = Notes;
  if (!D.Fixes.empty()) {
    nlohmann::json Fixes = nlohmann::json::array();
    for (const FixIt &F : D.Fixes) {
      nlohmann::json FJ = {{"replacement", escapeInvalidUtf8(F.Replacement)}};
      addRange(FJ, E, F.Range);
      Fixes.push_back(FJ);
    }
    J["fixes"] = Fixes;
  }
  return J;
}

nlohmann::json diagnosticsToJSON(const DiagnosticEngine &E) {
  nlohmann::json All = nlohmann::json::array();
  for (const Diagnostic &D : E.diagnostics())
    All.push_back(diagnosticToJSON(E, D));
  return All;
}

} // namespace peapod
