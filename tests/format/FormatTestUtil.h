//===- FormatTestUtil.h - Helpers for the formatter's tests ----*- C++ -*-===//
#ifndef PEAPOD_TESTS_FORMAT_FORMATTESTUTIL_H
#define PEAPOD_TESTS_FORMAT_FORMATTESTUTIL_H

#include "peapod/Formatter.h"
#include "llvm/Support/SourceMgr.h"
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

namespace peapod::test {

/// `Text` with its edits applied, which must give the result's text.
inline std::string applyEdits(const std::string &Text,
                              const std::vector<TextEdit> &Edits) {
  std::string Out;
  size_t At = 0;
  for (const TextEdit &E : Edits) {
    REQUIRE(E.Offset >= At);
    REQUIRE(E.Offset + E.Length <= Text.size());
    Out += Text.substr(At, E.Offset - At) + E.Text;
    At = E.Offset + E.Length;
  }
  return Out + Text.substr(At);
}

/// Formats `Text` (whole, or the range), checking what every result must
/// satisfy: the edits give the text, and nothing changes for a formatted
/// text.
inline FormatResult formatChecked(const std::string &Text,
                                  std::optional<ByteRange> Range = {},
                                  const std::string &Name = "test.pea") {
  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(Text, Name), llvm::SMLoc());
  DiagnosticEngine Diags(SM);
  FormatResult R = formatBuffer(SM, ID, Diags, Range);
  if (!R.Formatted) {
    CHECK(R.Text == Text);
    CHECK(R.Edits.empty());
    CHECK(!R.Reason.empty());
    return R;
  }
  CHECK(applyEdits(Text, R.Edits) == R.Text);
  CHECK(R.changed() == (R.Text != Text));
  return R;
}

/// The formatted text, which must be a fixed point.
inline std::string fmt(const std::string &Text) {
  FormatResult R = formatChecked(Text);
  INFO("reason: " << R.Reason);
  REQUIRE(R.Formatted);
  FormatResult Again = formatChecked(R.Text);
  REQUIRE(Again.Formatted);
  CHECK(Again.Text == R.Text);
  CHECK(!Again.changed());
  return R.Text;
}

inline std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  REQUIRE(In);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

} // namespace peapod::test

#endif // PEAPOD_TESTS_FORMAT_FORMATTESTUTIL_H
