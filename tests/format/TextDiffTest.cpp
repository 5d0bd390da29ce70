//===- TextDiffTest.cpp - Shortest line diffs and GNU unified output ------===//
//
// diffLines must find a shortest script (held to a dynamic-programming LCS
// on random small inputs), and unifiedDiff must be what `diff -u` prints:
// exact output on small cases, and on random ones, a diff that GNU patch
// (when installed) and our own reading of the format both apply to give
// the new text back.
//
//===----------------------------------------------------------------------===//
#include "peapod/TextDiff.h"
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace peapod;

namespace {

/// Applies a unified diff to `Old`, as patch would (hunks in order, no
/// fuzz); fails the test on a malformed diff or a context mismatch.
std::string applyUnified(const std::string &Old, const std::string &Diff) {
  if (Diff.empty())
    return Old;
  std::vector<llvm::StringRef> A = splitLines(Old);
  std::vector<llvm::StringRef> D = splitLines(Diff);
  REQUIRE(D.size() >= 2);
  REQUIRE(D[0].startswith("--- "));
  REQUIRE(D[1].startswith("+++ "));
  std::string Out;
  size_t Next = 0; // the next line of A to copy
  for (size_t I = 2; I < D.size();) {
    llvm::StringRef H = D[I++];
    REQUIRE(H.startswith("@@ -"));
    unsigned Start = 0, Count = 1;
    llvm::StringRef Range = H.drop_front(4).split(' ').first;
    auto [S, C] = Range.split(',');
    REQUIRE_FALSE(S.getAsInteger(10, Start));
    if (!C.empty())
      REQUIRE_FALSE(C.getAsInteger(10, Count));
    size_t First = Count ? Start - 1 : Start;
    REQUIRE(First >= Next);
    for (; Next < First; ++Next)
      Out += A[Next];
    for (; I < D.size() && !D[I].startswith("@@"); ++I) {
      llvm::StringRef L = D[I];
      std::string Body = L.drop_front().str();
      bool NoNewline = I + 1 < D.size() && D[I + 1].startswith("\\");
      if (NoNewline) {
        REQUIRE(llvm::StringRef(Body).endswith("\n"));
        Body.pop_back();
      }
      if (L[0] == ' ' || L[0] == '-') {
        REQUIRE(Next < A.size());
        REQUIRE(A[Next] == Body);
        ++Next;
      }
      if (L[0] == ' ' || L[0] == '+')
        Out += Body;
      if (NoNewline)
        ++I;
    }
  }
  for (; Next < A.size(); ++Next)
    Out += A[Next];
  return Out;
}

size_t lcsLength(const std::vector<llvm::StringRef> &A,
                 const std::vector<llvm::StringRef> &B) {
  std::vector<std::vector<size_t>> L(A.size() + 1,
                                     std::vector<size_t>(B.size() + 1));
  for (size_t I = A.size(); I-- > 0;)
    for (size_t J = B.size(); J-- > 0;)
      L[I][J] = A[I] == B[J] ? L[I + 1][J + 1] + 1
                             : std::max(L[I + 1][J], L[I][J + 1]);
  return L[0][0];
}

std::string randomText(std::mt19937 &Rng, unsigned MaxLines) {
  static const char *const Lines[] = {"a\n", "b\n", "c\n", "d\n", "a\r\n",
                                      "\n", "pod p {\n", "}\n"};
  std::string S;
  for (unsigned N = Rng() % (MaxLines + 1); N; --N)
    S += Lines[Rng() % std::size(Lines)];
  if (!S.empty() && Rng() % 4 == 0)
    S.pop_back(); // no final newline
  return S;
}

bool hasCommand(const char *Name) {
  std::string Probe = std::string("command -v ") + Name + " >/dev/null 2>&1";
  return std::system(Probe.c_str()) == 0;
}

} // namespace

TEST_CASE("unified diffs as diff -u prints them") {
  CHECK(unifiedDiff("a\n", "a\n", "a/x", "b/x") == "");
  CHECK(unifiedDiff("a\nb\nc\n", "a\nB\nc\n", "a/x", "b/x") ==
        "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  CHECK(unifiedDiff("a", "b", "a/x", "b/x") ==
        "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n"
        "+b\n\\ No newline at end of file\n");
  CHECK(unifiedDiff("a", "a\n", "a/x", "b/x") ==
        "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n"
        "+a\n");
  CHECK(unifiedDiff("", "a\n", "a/x", "b/x") ==
        "--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+a\n");
  CHECK(unifiedDiff("a\nb\n", "", "a/x", "b/x") ==
        "--- a/x\n+++ b/x\n@@ -1,2 +0,0 @@\n-a\n-b\n");
  // An insertion after line 4 of 8: three lines of context each side.
  CHECK(unifiedDiff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nX\n5\n6\n7\n8\n",
                    "a/x", "b/x") ==
        "--- a/x\n+++ b/x\n@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+X\n 5\n 6\n 7\n");
  // CRLF lines are lines ending in "\r\n": the "\r" is part of the line.
  CHECK(unifiedDiff("a\r\nb\r\n", "a\nb\r\n", "a/x", "b/x") ==
        "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\r\n+a\n b\r\n");
}

TEST_CASE("changes closer than twice the context share a hunk") {
  std::string Old, Close, Far;
  for (int I = 1; I <= 20; ++I)
    Old += std::to_string(I) + "\n";
  Close = Old, Far = Old;
  // Lines 3 and 10 changed: 6 unchanged lines between, one hunk.
  Close.replace(Close.find("3\n"), 2, "C\n");
  Close.replace(Close.find("\n10\n") + 1, 3, "T\n");
  CHECK(unifiedDiff(Old, Close, "a", "b") ==
        "--- a\n+++ b\n@@ -1,13 +1,13 @@\n 1\n 2\n-3\n+C\n 4\n 5\n 6\n 7\n 8\n"
        " 9\n-10\n+T\n 11\n 12\n 13\n");
  // Lines 3 and 11: 7 unchanged lines between, two hunks.
  Far.replace(Far.find("3\n"), 2, "C\n");
  Far.replace(Far.find("\n11\n") + 1, 3, "E\n");
  CHECK(unifiedDiff(Old, Far, "a", "b") ==
        "--- a\n+++ b\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+C\n 4\n 5\n 6\n"
        "@@ -8,7 +8,7 @@\n 8\n 9\n 10\n-11\n+E\n 12\n 13\n 14\n");
}

TEST_CASE("diffLines finds a shortest script") {
  std::mt19937 Rng(7);
  for (int Round = 0; Round < 3000; ++Round) {
    std::string Old = randomText(Rng, 14), New = randomText(Rng, 14);
    std::vector<llvm::StringRef> A = splitLines(Old), B = splitLines(New);
    size_t Changed = 0, Kept = 0, AtA = 0, AtB = 0;
    for (const DiffRun &R : diffLines(A, B)) {
      INFO(Round);
      if (R.K == DiffRun::Equal) {
        for (size_t I = 0; I < R.Length; ++I)
          REQUIRE(A[R.AStart + I] == B[R.BStart + I]);
        Kept += R.Length;
      } else {
        Changed += R.Length;
      }
      // Runs are contiguous in both texts.
      CHECK(R.AStart == AtA);
      CHECK(R.BStart == AtB);
      AtA += R.K == DiffRun::Insert ? 0 : R.Length;
      AtB += R.K == DiffRun::Delete ? 0 : R.Length;
    }
    CHECK(AtA == A.size());
    CHECK(AtB == B.size());
    CHECK(Kept == lcsLength(A, B));
    CHECK(Changed == A.size() + B.size() - 2 * Kept);
    CHECK(applyUnified(Old, unifiedDiff(Old, New, "a/x", "b/x")) == New);
  }
}

TEST_CASE("large inputs diff in linear space") {
  std::string Old, New;
  for (int I = 0; I < 20000; ++I) {
    Old += "line " + std::to_string(I) + "\n";
    New += "line " + std::to_string(I % 3 ? I : -I) + "\n";
  }
  std::string D = unifiedDiff(Old, New, "a", "b");
  CHECK(applyUnified(Old, D) == New);
}

TEST_CASE("GNU patch applies our diffs") {
  // patch comes with build-essential (through dpkg-dev).
  REQUIRE(hasCommand("patch"));
  std::mt19937 Rng(11);
  std::filesystem::path Dir = std::filesystem::temp_directory_path() /
                              ("peapod-diff-" + std::to_string(getpid()));
  std::filesystem::create_directories(Dir);
  for (int Round = 0; Round < 40; ++Round) {
    std::string Old = randomText(Rng, 30), New = randomText(Rng, 30);
    std::string D = unifiedDiff(Old, New, "a/f", "b/f");
    if (D.empty())
      continue;
    std::ofstream(Dir / "f", std::ios::binary) << Old;
    std::ofstream(Dir / "d", std::ios::binary) << D;
    std::string Cmd = "cd '" + Dir.string() +
                      "' && patch -s -p1 --binary < d >/dev/null 2>&1";
    INFO(D);
    REQUIRE(std::system(Cmd.c_str()) == 0);
    std::ifstream In(Dir / "f", std::ios::binary);
    std::stringstream SS;
    SS << In.rdbuf();
    CHECK(SS.str() == New);
  }
  std::filesystem::remove_all(Dir);
}
