//===- ImageRoundTripTest.cpp - Each point of the semantics via an image --===//
//
// Policy text -> Compilation -> image -> ppi_open -> query. Every answer is
// checked twice: against the value the semantics prescribes (written out
// here) and, inside Subject, against the reference evaluator.
//
//===----------------------------------------------------------------------===//
#include "KmodTest.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <catch2/catch.hpp>
#include <fstream>

using namespace peapod;
using peapod::test::Subject;

namespace {

constexpr uint8_t R = AccessRead, W = AccessWrite, X = AccessExecute;

/// The expected answer: access, kind, rule path and rule line (0: none).
PathAnswer expect(uint8_t Access, DecisionKind K, std::string RulePath = "/",
                  uint32_t Line = 0, uint32_t Column = 5) {
  PathAnswer A;
  A.Access = Access;
  A.Why.Kind = K;
  A.Why.RulePath = std::move(RulePath);
  if (Line)
    A.Why.Loc = RuleLocation{"test.pea", Line, Column};
  return A;
}

const PathAnswer Default = expect(0, DecisionKind::Default);

/// One pea `p` of pod `d` with the given rules, one per line from line 3.
std::string pea(const std::string &Rules) {
  return "pod d {\n  pea p {\n" + Rules + "  }\n  pea q {\n  }\n}\n";
}

} // namespace

TEST_CASE("deny on a path dominates everything below it", "[kmod][semantics]") {
  Subject S(pea("    path /a deny\n"
                "    path /a/b read\n"
                "    dir-default /a/c allow\n"
                "    path /a/c/d/e read\n"));
  PeaHandle P = S.pea("d", "p");
  for (bool Dir : {false, true}) {
    CHECK(S.access(P, "/a", Dir) == expect(0, DecisionKind::Path, "/a", 3));
    CHECK(S.access(P, "/a/b", Dir) == expect(0, DecisionKind::Path, "/a", 3));
    CHECK(S.access(P, "/a/c/d", Dir) == expect(0, DecisionKind::Path, "/a", 3));
    CHECK(S.access(P, "/a/zz/y", Dir) ==
          expect(0, DecisionKind::Path, "/a", 3));
  }
  // Not on component boundaries: not covered.
  CHECK(S.access(P, "/ab", false) == Default);
  // Above the deny, rules below still grant search access, even denied ones.
  CHECK(S.access(P, "/", true) == expect(X, DecisionKind::Implicit, "/a/b", 4));
  CHECK(S.access(P, "/", false) == Default);
}

TEST_CASE("the shallowest deny explains, then the lowest index",
          "[kmod][semantics]") {
  Subject S(pea("    path /a/b deny\n"
                "    path /a deny\n"
                "    path /a deny\n"
                "    dir-default / allow\n"));
  PeaHandle P = S.pea("d", "p");
  CHECK(S.access(P, "/a/b/c", false) == expect(0, DecisionKind::Path, "/a", 4));
  CHECK(S.access(P, "/a/b", true) == expect(0, DecisionKind::Path, "/a", 4));
  CHECK(S.access(P, "/x", true) ==
        expect(R | W | X, DecisionKind::DirDefault, "/", 6));
}

TEST_CASE("path rules on the path itself merge by union", "[kmod][semantics]") {
  Subject S(pea("    path /a write\n"
                "    path /a read\n"
                "    dir-default / execute\n"
                "    path /a/b read\n"));
  PeaHandle P = S.pea("d", "p");
  CHECK(S.access(P, "/a", false) == expect(R | W, DecisionKind::Path, "/a", 3));
  // As a directory with a granting rule below: search access added.
  CHECK(S.access(P, "/a", true) ==
        expect(R | W | X, DecisionKind::Path, "/a", 3));
  // A non-deny path rule does not cover what is below it.
  CHECK(S.access(P, "/a/c", false) ==
        expect(X, DecisionKind::DirDefault, "/", 5));
  CHECK(S.access(P, "/a/b", true) == expect(R, DecisionKind::Path, "/a/b", 6));
}

TEST_CASE("the longest dir-default decides, deny winning on its path",
          "[kmod][semantics]") {
  Subject S(pea("    dir-default / read\n"
                "    dir-default /a write\n"
                "    dir-default /a execute\n"
                "    dir-default /a/b read\n"
                "    dir-default /a/b deny\n"
                "    dir-default /a/b read\n"));
  PeaHandle P = S.pea("d", "p");
  CHECK(S.access(P, "/z/y", false) ==
        expect(R, DecisionKind::DirDefault, "/", 3));
  CHECK(S.access(P, "/z/y", true) ==
        expect(R | X, DecisionKind::DirDefault, "/", 3));
  // Applies to its own path, asked either way.
  CHECK(S.access(P, "/a", false) ==
        expect(W | X, DecisionKind::DirDefault, "/a", 4));
  CHECK(S.access(P, "/a/q", true) ==
        expect(W | X, DecisionKind::DirDefault, "/a", 4));
  CHECK(S.access(P, "/a/b", false) ==
        expect(0, DecisionKind::DirDefault, "/a/b", 7));
  CHECK(S.access(P, "/a/b/c/d", true) ==
        expect(0, DecisionKind::DirDefault, "/a/b", 7));
  CHECK(S.access(P, "/a/bc", false) ==
        expect(W | X, DecisionKind::DirDefault, "/a", 4));
}

TEST_CASE("a path rule on the path beats a dir-default above it",
          "[kmod][semantics]") {
  Subject S(pea("    dir-default /a allow\n"
                "    path /a/b read\n"));
  PeaHandle P = S.pea("d", "p");
  CHECK(S.access(P, "/a/b", false) == expect(R, DecisionKind::Path, "/a/b", 4));
  CHECK(S.access(P, "/a/b", true) == expect(R, DecisionKind::Path, "/a/b", 4));
  CHECK(S.access(P, "/a/b/c", false) ==
        expect(R | W | X, DecisionKind::DirDefault, "/a", 3));
}

TEST_CASE("nothing matching gives the default deny", "[kmod][semantics]") {
  Subject S(pea("    path /a/b deny\n"));
  PeaHandle P = S.pea("d", "p");
  CHECK(S.access(P, "/", false) == Default);
  CHECK(S.access(P, "/", true) == Default);
  CHECK(S.access(P, "/a", true) == Default); // a deny below grants nothing
  CHECK(S.access(P, "/c/d/e", true) == Default);
  PeaHandle Q = S.pea("d", "q"); // no rules at all: a root-only tree
  CHECK(S.access(Q, "/a/b", true) == Default);
}

TEST_CASE("directories get search access from granting rules below",
          "[kmod][semantics]") {
  Subject S(pea("    path /a/z/f read\n"
                "    path /a/b/c write\n"
                "    dir-default /m deny\n"
                "    path /m/n/o read\n"
                "    path /s read\n"
                "    path /s/t/u write\n"));
  PeaHandle P = S.pea("d", "p");
  // The lowest-index granting rule below explains, not the first in order.
  CHECK(S.access(P, "/", true) ==
        expect(X, DecisionKind::Implicit, "/a/z/f", 3));
  CHECK(S.access(P, "/a", true) ==
        expect(X, DecisionKind::Implicit, "/a/z/f", 3));
  CHECK(S.access(P, "/a/b", true) ==
        expect(X, DecisionKind::Implicit, "/a/b/c", 4));
  // Never for non-directories, nor for the granting path itself.
  CHECK(S.access(P, "/a", false) == Default);
  CHECK(S.access(P, "/a/b/c", true) ==
        expect(W, DecisionKind::Path, "/a/b/c", 4));
  // Not for siblings or paths that merely share a prefix.
  CHECK(S.access(P, "/a/bb", true) == Default);
  CHECK(S.access(P, "/a/b/d", true) == Default);
  // Under a denying dir-default: implicit replaces it for directories.
  CHECK(S.access(P, "/m/n", true) ==
        expect(X, DecisionKind::Implicit, "/m/n/o", 6));
  CHECK(S.access(P, "/m/n", false) ==
        expect(0, DecisionKind::DirDefault, "/m", 5));
  CHECK(S.access(P, "/m/x", true) ==
        expect(0, DecisionKind::DirDefault, "/m", 5));
  // On top of a path rule's access, the kind stays Path.
  CHECK(S.access(P, "/s", true) == expect(R | X, DecisionKind::Path, "/s", 7));
  CHECK(S.access(P, "/s", false) == expect(R, DecisionKind::Path, "/s", 7));
}

TEST_CASE("the root path", "[kmod][semantics]") {
  Subject S(pea("    path / read\n") + "pod e {\n  pea r {\n    path / deny\n"
                                       "    path /a allow\n  }\n}\n");
  PeaHandle P = S.pea("d", "p");
  CHECK(S.access(P, "/", false) == expect(R, DecisionKind::Path, "/", 3));
  CHECK(S.access(P, "/", true) == expect(R, DecisionKind::Path, "/", 3));
  CHECK(S.access(P, "/a", false) == Default);
  PeaHandle D = S.pea("e", "r");
  CHECK(S.access(D, "/a", true) == expect(0, DecisionKind::Path, "/", 10));
  CHECK(S.access(D, "/", true) == expect(0, DecisionKind::Path, "/", 10));
}

TEST_CASE("unusual component bytes", "[kmod][semantics]") {
  Subject S(pea("    path \"/a b/c,d\" read\n"
                "    path \"/a b/\xc3\xa9t\xc3\xa9\" write\n"
                "    path /a-b/c execute\n"));
  PeaHandle P = S.pea("d", "p");
  CHECK(S.access(P, "/a b/c,d", false) ==
        expect(R, DecisionKind::Path, "/a b/c,d", 3));
  CHECK(S.access(P, "/a b/\xc3\xa9t\xc3\xa9", false).Access == W);
  CHECK(S.access(P, "/a b", true) ==
        expect(X, DecisionKind::Implicit, "/a b/c,d", 3));
  CHECK(S.access(P, "/a-b/c", false).Access == X);
  CHECK(S.access(P, "/a", true) == Default);
}

TEST_CASE("hash tables of every size and the walk through them",
          "[kmod][semantics]") {
  // Directory /wN has N children /wN/cK, each with one child /wN/cK/f
  // (a table of one slot); the walk reads each level's table from the slot
  // of the level above. N = 1..40 covers tables of 1 to 64 slots at their
  // fullest and emptiest, with colliding names.
  std::string Rules;
  for (unsigned N = 1; N <= 40; ++N)
    for (unsigned K = 0; K < N; ++K)
      Rules += "    path /w" + std::to_string(N) + "/c" + std::to_string(K) +
               "/f read\n";
  Subject S(pea(Rules));
  PeaHandle P = S.pea("d", "p");
  uint32_t Line = 3;
  for (unsigned N = 1; N <= 40; ++N) {
    std::string Dir = "/w" + std::to_string(N);
    INFO(Dir);
    CHECK(S.access(P, Dir + "/missing", false) == Default);
    CHECK(S.access(P, Dir + "/c" + std::to_string(N), true) == Default);
    for (unsigned K = 0; K < N; ++K, ++Line) {
      std::string Child = Dir + "/c" + std::to_string(K);
      CHECK(S.access(P, Child + "/f", false) ==
            expect(R, DecisionKind::Path, Child + "/f", Line));
      CHECK(S.access(P, Child, true).Access == X);
      CHECK(S.access(P, Child + "/g", false) == Default);
      CHECK(S.access(P, Child + "/f/g", false) == Default);
    }
  }
}

TEST_CASE("exec: execute access, then the longest transition",
          "[kmod][semantics]") {
  Subject S("pod d {\n"                      // 1
            "  pea p {\n"                    // 2
            "    dir-default /bin execute\n" // 3
            "    path /bin/cat read\n"       // 4
            "    transition /bin q\n"        // 5
            "    transition /bin/sh r\n"     // 6
            "    transition /bin/sh r\n"     // 7
            "    path /opt/tool execute\n"   // 8
            "    transition /opt/tool/x q\n" // 9
            "  }\n"
            "  pea q {\n  }\n"
            "  pea r {\n  }\n"
            "}\n");
  PeaHandle P = S.pea("d", "p");
  ExecAnswer Sh = S.exec(P, "/bin/sh");
  CHECK(Sh.Allowed);
  CHECK(Sh.PeaAfter == "r");
  REQUIRE(Sh.Transition);
  CHECK(*Sh.Transition ==
        TransitionAnswer{"/bin/sh", "r", RuleLocation{"test.pea", 6, 5}});
  CHECK(Sh.Access == expect(X, DecisionKind::DirDefault, "/bin", 3));

  // A directory transition covers what is below it.
  ExecAnswer Ls = S.exec(P, "/bin/ls");
  CHECK(Ls.PeaAfter == "q");
  REQUIRE(Ls.Transition);
  CHECK(Ls.Transition->RulePath == "/bin");

  // No execute: denied, no transition, the pea stays.
  ExecAnswer Cat = S.exec(P, "/bin/cat");
  CHECK(!Cat.Allowed);
  CHECK(Cat.PeaAfter == "p");
  CHECK(!Cat.Transition);
  CHECK(Cat.Access == expect(R, DecisionKind::Path, "/bin/cat", 4));

  // Allowed without a covering transition: the pea stays.
  ExecAnswer Tool = S.exec(P, "/opt/tool");
  CHECK(Tool.Allowed);
  CHECK(Tool.PeaAfter == "p");
  CHECK(!Tool.Transition);

  // Search access of a directory never makes it executable.
  ExecAnswer Opt = S.exec(P, "/opt");
  CHECK(!Opt.Allowed);
  CHECK(Opt.Access == Default);
}

TEST_CASE("bind and outgoing port tables", "[kmod][semantics]") {
  Subject S("pod d {\n"
            "  pea p {\n"
            "    bind tcp/80, udp/1000-2000\n"
            "    bind tcp/79-81, tcp/443\n"
            "    outgoing tcp/25\n"
            "  }\n"
            "  pea all {\n    bind allow\n    outgoing allow\n  }\n"
            "  pea none {\n    bind allow\n    bind deny\n"
            "    outgoing tcp/1-65535\n    outgoing deny\n  }\n"
            "}\n");
  PeaHandle P = S.pea("d", "p");
  for (uint16_t Port : {78, 79, 80, 81, 82, 442, 443, 444}) {
    bool Listed = (Port >= 79 && Port <= 81) || Port == 443;
    CHECK(S.bind(P, Protocol::TCP, Port) == Listed);
  }
  CHECK(!S.bind(P, Protocol::UDP, 80));
  CHECK(S.bind(P, Protocol::UDP, 1000));
  CHECK(S.bind(P, Protocol::UDP, 2000));
  CHECK(!S.bind(P, Protocol::UDP, 2001));
  CHECK(!S.bind(P, Protocol::TCP, 1500));
  CHECK(S.connect(P, Protocol::TCP, 25));
  CHECK(!S.connect(P, Protocol::TCP, 80));
  CHECK(!S.connect(P, Protocol::UDP, 25));

  PeaHandle All = S.pea("d", "all"), None = S.pea("d", "none");
  for (uint16_t Port : {0, 1, 80, 65535})
    for (Protocol Proto : {Protocol::TCP, Protocol::UDP}) {
      CHECK(S.bind(All, Proto, Port));
      CHECK(S.connect(All, Proto, Port));
      CHECK(!S.bind(None, Proto, Port));
      CHECK(!S.connect(None, Proto, Port));
    }
}

TEST_CASE("namespace matrix", "[kmod][semantics]") {
  Subject S("pod d {\n"
            "  pea a {\n    namespace b\n  }\n"
            "  pea b {\n  }\n"
            "  pea g {\n    namespace global\n  }\n"
            "}\n"
            "pod e {\n  pea x {\n  }\n}\n");
  PeaHandle A = S.pea("d", "a"), B = S.pea("d", "b"), G = S.pea("d", "g");
  CHECK(S.touch(A, "a") == true);
  CHECK(S.touch(A, "b") == true);
  CHECK(S.touch(A, "g") == false);
  CHECK(S.touch(B, "a") == false);
  CHECK(S.touch(B, "b") == true);
  for (const char *Q : {"a", "b", "g"})
    CHECK(S.touch(G, Q) == true);
  CHECK(S.touch(A, "x") == std::nullopt); // another pod's pea
  CHECK(S.touch(A, "nope") == std::nullopt);
  CHECK(S.touch(S.pea("e", "x"), "x") == true);
}

TEST_CASE("the C API takes and returns global pea indices",
          "[kmod][semantics]") {
  // Pod e comes second, so its peas' global indices differ from their
  // indices within the pod: a mixed-up convention answers wrongly here.
  Subject S("pod d {\n  pea a {\n  }\n  pea b {\n  }\n}\n"
            "pod e {\n"
            "  pea x {\n    namespace y\n"
            "    transition /bin/y y\n    path /bin/y execute\n  }\n"
            "  pea y {\n  }\n"
            "  pea g {\n    namespace global\n  }\n"
            "}\n");
  const ppi_image &Img = S.FromImage->image();
  uint32_t E = ppi_find_pod(&Img, "e", 1);
  uint32_t X = ppi_find_pea(&Img, E, "x", 1), Y = ppi_find_pea(&Img, E, "y", 1),
           G = ppi_find_pea(&Img, E, "g", 1);
  REQUIRE((X == 2 && Y == 3 && G == 4));
  CHECK(ppi_lookup_exec(&Img, X, "/bin/y", 6).pea_after == Y);
  CHECK(ppi_may_touch(&Img, X, Y));
  CHECK(ppi_may_touch(&Img, X, X));
  CHECK(!ppi_may_touch(&Img, Y, X));
  CHECK(!ppi_may_touch(&Img, X, 1)); // y's index within its pod: pea b
  CHECK(!ppi_may_touch(&Img, X, G));
  for (uint32_t Q : {X, Y, G})
    CHECK(ppi_may_touch(&Img, G, Q));
  for (uint32_t Q : {0u, 1u, 5u, PPI_NONE}) // other pods, out of range
    CHECK(!ppi_may_touch(&Img, G, Q));
  CHECK(!ppi_may_touch(&Img, PPI_NONE, X));
}

TEST_CASE("namespace targets of a large pod", "[kmod][semantics]") {
  // Every third pea named by pea 0, in descending source order: the sorted
  // run and its binary search against the reference, pea by pea.
  std::string Text = "pod big {\n  pea p0 {\n";
  for (int I = 299; I > 0; --I)
    if (I % 3 == 0)
      Text += "    namespace p" + std::to_string(I) + "\n";
  Text += "  }\n";
  for (int I = 1; I < 300; ++I)
    Text += "  pea p" + std::to_string(I) + " {\n  }\n";
  Text += "}\n";
  Subject S(Text);
  PeaHandle P0 = S.pea("big", "p0"), P3 = S.pea("big", "p3");
  for (int I = 0; I < 300; ++I) {
    std::string Q = "p" + std::to_string(I);
    CHECK(S.touch(P0, Q) == (I % 3 == 0));
    CHECK(S.touch(P3, Q) == (I == 3));
  }
}

TEST_CASE("ppi_effective_mode is effectiveMode", "[kmod][semantics]") {
  // Semantics 7 in C (for the runtime) and in C++ (for the compiler): the
  // same function of every access mask and every 12-bit mode, with a file
  // type on top.
  for (uint8_t Access = 0; Access < 8; ++Access)
    for (uint32_t Mode = 0; Mode < 4096; ++Mode) {
      INFO("access " << int(Access) << " mode " << Mode);
      REQUIRE(ppi_effective_mode(Access, Mode) == effectiveMode(Access, Mode));
      REQUIRE(ppi_effective_mode(Access, 0100000 | Mode) ==
              effectiveMode(Access, 0100000 | Mode));
    }
  CHECK(ppi_effective_mode(AccessRead | AccessExecute, 0100755) == 0100555);
  CHECK(ppi_effective_mode(AccessRead | AccessWrite, 0755) == 0644);
  CHECK(ppi_effective_mode(AccessAll, 0640) == 0640);
  CHECK(ppi_effective_mode(AccessNone, 04755) == 04000);
}

TEST_CASE("names in declaration order", "[kmod][semantics]") {
  Subject S("pod zz {\n  pea y {\n  }\n  pea b {\n  }\n}\n"
            "pod aa {\n  pea m {\n  }\n}\n");
  CHECK(S.FromImage->podNames() == std::vector<std::string>{"zz", "aa"});
  CHECK(S.FromImage->peaNames(0) == std::vector<std::string>{"y", "b"});
  CHECK(S.FromImage->peaNames(1) == std::vector<std::string>{"m"});
  PeaHandle M = S.pea("aa", "m");
  CHECK((M.Pod == 1 && M.Pea == 0));
  CHECK(!S.FromImage->findPea("aa", "y"));
  CHECK(!S.FromImage->findPea("nope", "y"));
  CHECK(!S.FromImage->findPea("", ""));
}

TEST_CASE("without locations every other answer is the same",
          "[kmod][semantics]") {
  std::string Text = pea("    dir-default /a read\n"
                         "    path /a/b deny\n"
                         "    path /c/d write\n"
                         "    transition /a q\n");
  ImageWriteOptions NoLocations;
  NoLocations.Locations = false;
  Subject S(Text, NoLocations);
  CHECK(!S.FromImage->hasLocations());
  PeaHandle P = S.pea("d", "p");
  // Subject compares with the reference minus locations; spot-check here.
  CHECK(S.access(P, "/a/x", true) == expect(R | X, DecisionKind::DirDefault, "/a"));
  CHECK(S.access(P, "/c", true) == expect(X, DecisionKind::Implicit, "/c/d"));
  S.access(P, "/a/b/c", false);
  S.exec(P, "/a/x");
  // And the image is smaller: no file names.
  Subject WithLocations(Text);
  CHECK(S.Image.size() < WithLocations.Image.size());
}

TEST_CASE("locations of rules from included rule groups", "[kmod][semantics]") {
  llvm::SmallString<128> Dir;
  REQUIRE(!llvm::sys::fs::createUniqueDirectory("peapod-kmod", Dir));
  std::string Group = (Dir + "/grp.rules").str();
  std::ofstream(Group) << "# a group\npath /etc/x read\n";
  CompileOptions Opts;
  Opts.IncludeDirs.push_back(Dir.str().str());
  auto C = test::compile(pea("    include \"grp\"\n"), "main.pea", Opts);
  llvm::sys::fs::remove(Group);
  llvm::sys::fs::remove(Dir);
  REQUIRE(C);
  std::string Image = writeImage(C->policy());
  std::string Error;
  auto O = ImageOracle::fromBuffer(Image, Error);
  REQUIRE(O);
  PathAnswer A = O->access({0, 0}, "/etc/x", false);
  PathAnswer Want = ReferenceEvaluator(C->policy()).access({0, 0}, "/etc/x", false);
  // The source knows the include that brought the rule in; the image not.
  CHECK(Want.Why.IncludeChain ==
        std::vector<RuleLocation>{RuleLocation{"main.pea", 3, 5}});
  test::asFromImage(Want, true);
  CHECK(A == Want);
  REQUIRE(A.Why.Loc);
  CHECK(*A.Why.Loc == RuleLocation{"grp.rules", 2, 1});
}

TEST_CASE("an image file maps and answers", "[kmod]") {
  auto C = test::compile(pea("    path /a read\n"));
  REQUIRE(C);
  llvm::SmallString<128> Path;
  REQUIRE(!llvm::sys::fs::createTemporaryFile("peapod-kmod", "img", Path));
  std::string Error;
  REQUIRE(writeImageFile(Path, C->policy(), {}, Error));
  auto O = ImageOracle::fromFile(Path, Error);
  INFO(Error);
  REQUIRE(O);
  CHECK(O->access({0, 0}, "/a", false).Access == R);

  std::ofstream(Path.str().str(), std::ios::trunc); // now empty
  CHECK(!ImageOracle::fromFile(Path, Error));
  CHECK_THAT(Error, Catch::Contains("truncated"));
  llvm::sys::fs::remove(Path);
  CHECK(!ImageOracle::fromFile(Path, Error));
  CHECK(!Error.empty());
}
