//===- PathTest.cpp - Path normalisation and ancestry ---------------------===//
#include "TestUtil.h"
#include "peapod/AST.h"
#include "peapod/Path.h"
#include <catch2/catch.hpp>

using namespace peapod;

namespace {
std::string norm(llvm::StringRef Raw) {
  NormalisedPath N = normalisePath(Raw);
  REQUIRE(N.Error == PathError::None);
  CHECK(N.BadComponent.empty());
  return N.Path;
}
} // namespace

TEST_CASE("normalisePath collapses slashes and drops the trailing one",
          "[path]") {
  CHECK(norm("/") == "/");
  CHECK(norm("//") == "/");
  CHECK(norm("///") == "/");
  CHECK(norm("/etc") == "/etc");
  CHECK(norm("/etc/") == "/etc");
  CHECK(norm("/etc//") == "/etc");
  CHECK(norm("//etc") == "/etc");
  CHECK(norm("/etc//mail///aliases") == "/etc/mail/aliases");
  CHECK(norm("/usr/local/src/") == "/usr/local/src");
  CHECK(norm("/a//b///c/") == "/a/b/c");
}

TEST_CASE("normalisePath keeps names that merely contain dots", "[path]") {
  CHECK(norm("/a/...") == "/a/...");
  CHECK(norm("/...") == "/...");
  CHECK(norm("/a/.b") == "/a/.b");
  CHECK(norm("/a/b.") == "/a/b.");
  CHECK(norm("/a/..b/c") == "/a/..b/c");
  CHECK(norm("/home/spotter/.mozilla/") == "/home/spotter/.mozilla");
}

TEST_CASE("normalisePath keeps spaces and other characters", "[path]") {
  CHECK(norm("/a b/c d") == "/a b/c d");
  CHECK(norm("/a b//c d/") == "/a b/c d");
  CHECK(norm("/x\"y") == "/x\"y");
  CHECK(norm("/tab\there") == "/tab\there");
}

TEST_CASE("normalisePath rejects relative paths", "[path]") {
  for (llvm::StringRef Raw : {"", "etc", "etc/passwd", "./x", "../x", "a/",
                              " /etc", "~/x"}) {
    INFO("raw: '" << Raw.str() << "'");
    NormalisedPath N = normalisePath(Raw);
    CHECK(N.Error == PathError::Relative);
    CHECK(N.Path.empty());
  }
}

TEST_CASE("normalisePath rejects . and .. components", "[path]") {
  struct Case {
    const char *Raw;
    const char *Bad;
  } Cases[] = {
      {"/.", "."},         {"/..", ".."},       {"/a/.", "."},
      {"/a/..", ".."},     {"/a/./b", "."},     {"/a/../b", ".."},
      {"/./", "."},        {"/a//..//", ".."},  {"/a/b/c/../d/", ".."},
      {"/x/./../y", "."}, // the first offending component is named
  };
  for (const Case &C : Cases) {
    INFO("raw: " << C.Raw);
    NormalisedPath N = normalisePath(C.Raw);
    CHECK(N.Error == PathError::DotComponent);
    CHECK(N.BadComponent == C.Bad);
  }
}

TEST_CASE("normalisePath rejects NUL characters", "[path]") {
  NormalisedPath N = normalisePath(llvm::StringRef("/a\0b", 4));
  CHECK(N.Error == PathError::Nul);
  // NUL is checked before anything else, even in a relative path.
  CHECK(normalisePath(llvm::StringRef("a\0", 2)).Error == PathError::Nul);
}

TEST_CASE("pathCovers works on component boundaries", "[path]") {
  CHECK(pathCovers("/var/www/cgi-bin", "/var/www/cgi-bin/x"));
  CHECK(pathCovers("/var/www/cgi-bin", "/var/www/cgi-bin/x/y.pl"));
  CHECK(pathCovers("/var/www/cgi-bin", "/var/www/cgi-bin"));
  CHECK_FALSE(pathCovers("/var/www/cgi-bin", "/var/www/cgi-binx"));
  CHECK_FALSE(pathCovers("/var/www/cgi-bin", "/var/www/cgi-bi"));
  CHECK_FALSE(pathCovers("/var/www/cgi-bin", "/var/www"));
  CHECK_FALSE(pathCovers("/var/www/cgi-bin/x", "/var/www/cgi-bin"));
  CHECK_FALSE(pathCovers("/a", "/ab"));
  CHECK_FALSE(pathCovers("/a", "/b/a"));
  CHECK_FALSE(pathCovers("/a/b", "/a.b"));
  CHECK(pathCovers("/a", "/a/b/c"));
  CHECK(pathCovers("/", "/"));
  CHECK(pathCovers("/", "/anything/below"));
  CHECK_FALSE(pathCovers("/etc", "/"));
}

TEST_CASE("isProperAncestor excludes the path itself", "[path]") {
  CHECK(isProperAncestor("/", "/bin"));
  CHECK(isProperAncestor("/bin", "/bin/ls"));
  CHECK(isProperAncestor("/usr", "/usr/bin/procmail"));
  CHECK_FALSE(isProperAncestor("/", "/"));
  CHECK_FALSE(isProperAncestor("/bin", "/bin"));
  CHECK_FALSE(isProperAncestor("/bin", "/binx/ls"));
  CHECK_FALSE(isProperAncestor("/bin/ls", "/bin"));
  CHECK_FALSE(isProperAncestor("/var/www/cgi-bin", "/var/www/cgi-binx"));
}

TEST_CASE("policy paths are normalised by the parser", "[path]") {
  auto C = test::compile("pod p { pea a {\n"
                         "  path //etc//mail/ read\n"
                         "  path \"/a b//c d/\" write\n"
                         "  dir-default / allow\n"
                         "  dir-default \"//\" deny\n"
                         "  path /x/... read\n"
                         "} }\n");
  REQUIRE(test::codes(*C).empty());
  const auto &Rules = C->mainFile()->Pods.at(0).Peas.at(0).Rules;
  REQUIRE(Rules.size() == 5);
  CHECK(Rules[0].Path == "/etc/mail");
  CHECK(Rules[1].Path == "/a b/c d");
  CHECK(Rules[2].Path == "/");
  CHECK(Rules[3].Path == "/");
  CHECK(Rules[4].Path == "/x/...");
}
