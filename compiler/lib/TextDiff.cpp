//===- TextDiff.cpp -------------------------------------------------------===//
//
// Myers, "An O(ND) Difference Algorithm and Its Variations" (1986): the
// linear-space variant, which finds the middle snake of an optimal path by
// searching forwards from the start and backwards from the end at once, then
// solves the two halves on either side of it. Lines are first numbered so
// that comparing two is comparing two integers.
//
//===----------------------------------------------------------------------===//
#include "peapod/TextDiff.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Twine.h"
#include <algorithm>

namespace peapod {

namespace {

class LineDiffer {
public:
  LineDiffer(std::vector<unsigned> A, std::vector<unsigned> B)
      : A(std::move(A)), B(std::move(B)), DeletedA(this->A.size()),
        InsertedB(this->B.size()) {}

  std::vector<DiffRun> run() {
    compare(0, A.size(), 0, B.size());
    return runs();
  }

private:
  /// Marks the lines of A[ALo, AHi) and B[BLo, BHi) that a shortest script
  /// deletes and inserts.
  void compare(size_t ALo, size_t AHi, size_t BLo, size_t BHi) {
    while (ALo < AHi && BLo < BHi && A[ALo] == B[BLo])
      ++ALo, ++BLo;
    while (ALo < AHi && BLo < BHi && A[AHi - 1] == B[BHi - 1])
      --AHi, --BHi;
    if (ALo == AHi || BLo == BHi) {
      std::fill(DeletedA.begin() + ALo, DeletedA.begin() + AHi, true);
      std::fill(InsertedB.begin() + BLo, InsertedB.begin() + BHi, true);
      return;
    }
    auto [X, Y] = middleSnake(ALo, AHi, BLo, BHi);
    if ((X == ALo && Y == BLo) || (X == AHi && Y == BHi)) {
      // Not a split (cannot happen for a real middle snake): replace the
      // whole range rather than recurse for ever.
      std::fill(DeletedA.begin() + ALo, DeletedA.begin() + AHi, true);
      std::fill(InsertedB.begin() + BLo, InsertedB.begin() + BHi, true);
      return;
    }
    compare(ALo, X, BLo, Y);
    compare(X, AHi, Y, BHi);
  }

  /// A point (X, Y) on a shortest path through A[ALo, AHi) × B[BLo, BHi):
  /// where the forward search from the top left first meets the backward
  /// search from the bottom right. Both ends of the ranges differ.
  std::pair<size_t, size_t> middleSnake(size_t ALo, size_t AHi, size_t BLo,
                                        size_t BHi) {
    const long N = long(AHi - ALo), M = long(BHi - BLo);
    const long MaxD = (N + M + 1) / 2;
    const long Offset = MaxD + 1;
    const long Size = 2 * MaxD + 3;
    // Forward[k]: the furthest x on diagonal k = x - y from the start;
    // Backward[k]: the same from the end (x counted from the end).
    std::vector<long> Forward(size_t(Size), -1), Backward(size_t(Size), -1);
    Forward[size_t(Offset + 1)] = 0;
    Backward[size_t(Offset + 1)] = 0;
    const long Delta = N - M;
    const bool Odd = Delta % 2 != 0;
    auto SameForward = [&](long X, long Y) {
      return A[ALo + size_t(X)] == B[BLo + size_t(Y)];
    };
    auto SameBackward = [&](long X, long Y) {
      return A[AHi - 1 - size_t(X)] == B[BHi - 1 - size_t(Y)];
    };
    // Diagonals that ran off an edge of the grid are not searched again.
    long FStart = 0, FEnd = 0, BStart = 0, BEnd = 0;
    for (long D = 0; D <= MaxD; ++D) {
      for (long K = -D + FStart; K <= D - FEnd; K += 2) {
        size_t I = size_t(Offset + K);
        long X = (K == -D || (K != D && Forward[I - 1] < Forward[I + 1]))
                     ? Forward[I + 1]
                     : Forward[I - 1] + 1;
        long Y = X - K;
        while (X < N && Y < M && SameForward(X, Y))
          ++X, ++Y;
        Forward[I] = X;
        if (X > N) {
          FEnd += 2;
        } else if (Y > M) {
          FStart += 2;
        } else if (Odd) {
          long J = Offset + Delta - K;
          if (J >= 0 && J < Size && Backward[size_t(J)] != -1 &&
              X >= N - Backward[size_t(J)])
            return {ALo + size_t(X), BLo + size_t(Y)};
        }
      }
      for (long K = -D + BStart; K <= D - BEnd; K += 2) {
        size_t I = size_t(Offset + K);
        long X = (K == -D || (K != D && Backward[I - 1] < Backward[I + 1]))
                     ? Backward[I + 1]
                     : Backward[I - 1] + 1;
        long Y = X - K;
        while (X < N && Y < M && SameBackward(X, Y))
          ++X, ++Y;
        Backward[I] = X;
        if (X > N) {
          BEnd += 2;
        } else if (Y > M) {
          BStart += 2;
        } else if (!Odd) {
          long J = Offset + Delta - K;
          if (J >= 0 && J < Size && Forward[size_t(J)] != -1) {
            long FX = Forward[size_t(J)];
            long FY = FX - (J - Offset);
            if (FX >= N - X)
              return {ALo + size_t(FX), BLo + size_t(FY)};
          }
        }
      }
    }
    return {ALo, BLo}; // unreachable: the searches always meet
  }

  std::vector<DiffRun> runs() const {
    std::vector<DiffRun> Out;
    auto Add = [&](DiffRun::Kind K, size_t I, size_t J) {
      if (!Out.empty() && Out.back().K == K)
        ++Out.back().Length;
      else
        Out.push_back({K, I, J, 1});
    };
    size_t I = 0, J = 0;
    while (I < A.size() || J < B.size()) {
      if (I < A.size() && DeletedA[I]) {
        Add(DiffRun::Delete, I++, J);
      } else if (J < B.size() && InsertedB[J]) {
        Add(DiffRun::Insert, I, J++);
      } else {
        Add(DiffRun::Equal, I++, J++);
      }
    }
    return Out;
  }

  std::vector<unsigned> A, B;
  std::vector<bool> DeletedA, InsertedB;
};

} // namespace

std::vector<DiffRun> diffLines(llvm::ArrayRef<llvm::StringRef> A,
                               llvm::ArrayRef<llvm::StringRef> B) {
  llvm::DenseMap<llvm::StringRef, unsigned> Numbers;
  auto Number = [&](llvm::ArrayRef<llvm::StringRef> Lines) {
    std::vector<unsigned> Out;
    Out.reserve(Lines.size());
    for (llvm::StringRef L : Lines)
      Out.push_back(
          Numbers.try_emplace(L, unsigned(Numbers.size())).first->second);
    return Out;
  };
  std::vector<unsigned> NA = Number(A);
  std::vector<unsigned> NB = Number(B);
  return LineDiffer(std::move(NA), std::move(NB)).run();
}

std::vector<llvm::StringRef> splitLines(llvm::StringRef Text) {
  std::vector<llvm::StringRef> Lines;
  while (!Text.empty()) {
    size_t End = Text.find('\n');
    End = End == llvm::StringRef::npos ? Text.size() : End + 1;
    Lines.push_back(Text.take_front(End));
    Text = Text.drop_front(End);
  }
  return Lines;
}

namespace {

/// One line of the script: ' ', '-' or '+', and where it stands in A and B
/// (for '+', A is the line it is inserted before; for '-', B likewise).
struct ScriptLine {
  char Op;
  size_t A, B;
};

std::string range(size_t Start, size_t Count) {
  // GNU: "start,count", without ",1"; an empty range starts at the line
  // before it.
  // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on
  // chains of std::string operator+.
  std::string S = std::to_string(Count ? Start + 1 : Start);
  if (Count != 1) {
    S += ',';
    S += std::to_string(Count);
  }
  return S;
}

} // namespace

std::string unifiedDiff(llvm::StringRef Old, llvm::StringRef New,
                        llvm::StringRef OldLabel, llvm::StringRef NewLabel,
                        unsigned Context) {
  if (Old == New)
    return "";
  std::vector<llvm::StringRef> A = splitLines(Old), B = splitLines(New);
  std::vector<ScriptLine> Script;
  for (const DiffRun &R : diffLines(A, B))
    for (size_t I = 0; I < R.Length; ++I)
      Script.push_back({R.K == DiffRun::Equal    ? ' '
                        : R.K == DiffRun::Delete ? '-'
                                                 : '+',
                        R.K == DiffRun::Insert ? R.AStart : R.AStart + I,
                        R.K == DiffRun::Delete ? R.BStart : R.BStart + I});

  std::string Out =
      (llvm::Twine("--- ") + OldLabel + "\n+++ " + NewLabel + "\n").str();
  auto Line = [&](char Op, llvm::StringRef Text) {
    Out += Op;
    Out += Text;
    if (!Text.endswith("\n"))
      Out += "\n\\ No newline at end of file\n";
  };
  size_t I = 0;
  while (I < Script.size()) {
    if (Script[I].Op == ' ') {
      ++I;
      continue;
    }
    // A hunk: from Context lines before this change to Context lines after
    // the last change that follows within 2 * Context unchanged lines.
    size_t Begin = I >= Context ? I - Context : 0;
    size_t LastChange = I;
    for (size_t J = I + 1;
         J < Script.size() && J - LastChange - 1 <= 2 * size_t(Context); ++J)
      if (Script[J].Op != ' ')
        LastChange = J;
    size_t End = std::min(Script.size(), LastChange + 1 + Context);
    size_t CountA = 0, CountB = 0;
    for (size_t J = Begin; J < End; ++J) {
      CountA += Script[J].Op != '+';
      CountB += Script[J].Op != '-';
    }
    Out += "@@ -";
    Out += range(Script[Begin].A, CountA);
    Out += " +";
    Out += range(Script[Begin].B, CountB);
    Out += " @@\n";
    for (size_t J = Begin; J < End; ++J)
      Line(Script[J].Op, Script[J].Op == '+' ? B[Script[J].B] : A[Script[J].A]);
    I = End;
  }
  return Out;
}

} // namespace peapod
