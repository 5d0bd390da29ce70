//===- DocumentStoreTest.cpp - Incremental edits and URIs -----------------===//
#include "peapod/lsp/DocumentStore.h"
#include <catch2/catch.hpp>

using namespace peapod::lsp;

namespace {
TextChange edit(unsigned L1, unsigned C1, unsigned L2, unsigned C2,
                std::string Text) {
  TextChange C;
  C.Whole = false;
  C.Start = {L1, C1};
  C.End = {L2, C2};
  C.Text = std::move(Text);
  return C;
}
} // namespace

TEST_CASE("ranged edits apply in order, in UTF-16 units", "[lsp][documents]") {
  // "é" is one UTF-16 unit (two bytes), "𝄞" two units (four bytes).
  std::string Text = "a\xC3\xA9" "b\n\xF0\x9D\x84\x9E" "cd\n";
  applyChanges(Text, {edit(0, 2, 0, 3, "X"), edit(1, 2, 1, 3, "Y")},
               PositionEncoding::UTF16);
  CHECK(Text == "a\xC3\xA9X\n\xF0\x9D\x84\x9EYd\n");
}

TEST_CASE("UTF-8 positions count bytes", "[lsp][documents]") {
  std::string Text = "a\xC3\xA9" "b\n";
  applyChanges(Text, {edit(0, 3, 0, 4, "X")}, PositionEncoding::UTF8);
  CHECK(Text == "a\xC3\xA9X\n");
}

TEST_CASE("positions past a line or the text are clamped", "[lsp][documents]") {
  std::string Text = "ab\ncd";
  applyChanges(Text, {edit(0, 99, 1, 0, "")}, PositionEncoding::UTF16);
  CHECK(Text == "abcd");
  applyChanges(Text, {edit(7, 0, 9, 9, "!")}, PositionEncoding::UTF16);
  CHECK(Text == "abcd!");
}

TEST_CASE("CR LF and lone CR end lines as the compiler counts them",
          "[lsp][documents]") {
  std::string Text = "a\r\nb\rc\n";
  applyChanges(Text, {edit(1, 0, 1, 1, "B"), edit(2, 0, 2, 1, "C")},
               PositionEncoding::UTF16);
  CHECK(Text == "a\r\nB\rC\n");
}

TEST_CASE("a whole-text change replaces everything; a reversed range is "
          "the same range", "[lsp][documents]") {
  std::string Text = "old";
  TextChange Whole;
  Whole.Text = "new text";
  applyChanges(Text, {Whole, edit(0, 8, 0, 3, "")}, PositionEncoding::UTF16);
  CHECK(Text == "new");
}

TEST_CASE("file URIs: percent-encoding both ways, other schemes refused",
          "[lsp][documents]") {
  std::string Path = "/tmp/m\xC3\xA4il dir/a#b%.pea";
  std::string Uri = pathToUri(Path);
  CHECK(Uri == "file:///tmp/m%C3%A4il%20dir/a%23b%25.pea");
  CHECK(uriToPath(Uri) == Path);
  CHECK(uriToPath("file://localhost/etc/x") == "/etc/x");
  CHECK(uriToPath("file:///a%2fb") == "/a/b");
  CHECK(!uriToPath("untitled:Untitled-1"));
  CHECK(!uriToPath("file://otherhost/etc/x"));
  CHECK(!uriToPath("file:///a%00b"));
}
