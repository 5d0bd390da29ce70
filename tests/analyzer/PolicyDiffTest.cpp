//===- PolicyDiffTest.cpp - peapodc diff's semantics, case by case --------===//
#include "DiffTestUtil.h"

using namespace peapod;
using namespace peapod::analyzer;
using test::diffTexts;

namespace {

std::string pod(const std::string &Peas) { return "pod d {\n" + Peas + "}\n"; }

const PeaDiff *find(const PolicyDiff &D, const std::string &Pea) {
  for (const PeaDiff &P : D.Peas)
    if (P.Pea == Pea)
      return &P;
  return nullptr;
}

std::string rows(const PeaDiff &P) {
  std::string S;
  for (const RegionChange &R : P.Regions)
    S += R.Path + (R.Scope == RegionScope::At ? "" : R.Scope == RegionScope::Below ? "/*" : "/**") +
         (R.Directory ? "/" : "") + (R.Both ? "[/]" : "") + " " + accessString(R.Old.Access) + ">" +
         accessString(R.New.Access) + ";";
  return S;
}

} // namespace

TEST_CASE("a policy compared with itself, reordered and reformatted, has no difference", "[diff]") {
  PolicyDiff D = diffTexts(pod("pea a { path /x read dir-default /y allow bind tcp/25 }\n"),
                           pod("pea a {\n bind tcp/25\n  dir-default /y allow\n path /x read\n"
                               " path /x read\n}\n"));
  CHECK(D.Peas.empty());
  CHECK(!D.widens());
}

TEST_CASE("a widened dir-default is one row per kind, not one per node below it", "[diff]") {
  PolicyDiff D = diffTexts(
      pod("pea a { dir-default /usr read path /usr/bin/ls read, execute path /usr/lib/x/y read }\n"),
      pod("pea a { dir-default /usr read, write path /usr/bin/ls read, execute path /usr/lib/x/y read }\n"));
  REQUIRE(D.Peas.size() == 1);
  CHECK(D.widens());
  // /usr/bin/ls and /usr/lib/x/y keep their own rules: unchanged, not listed.
  CHECK(rows(D.Peas[0]) == "/usr/** r-->rw-;/usr/**/ r-x>rwx;");
  CHECK(D.Peas[0].Regions[0].Old.Rule->Path == "/usr");
  CHECK(D.Peas[0].Regions[0].New.Rule->Loc->File == "new.pea");
}

TEST_CASE("narrowing only is not widening; mixed changes are", "[diff]") {
  PolicyDiff Narrow = diffTexts(pod("pea a { path /x read, write }\n"),
                                pod("pea a { path /x read }\n"));
  CHECK(!Narrow.widens());
  REQUIRE(Narrow.Peas.size() == 1);
  CHECK(Narrow.Peas[0].Regions.front().Lost == AccessWrite);
  PolicyDiff Mixed = diffTexts(pod("pea a { path /x read }\n"),
                               pod("pea a { path /x write }\n"));
  CHECK(Mixed.widens());
}

TEST_CASE("a deny above a grant takes the whole subtree", "[diff]") {
  PolicyDiff D = diffTexts(pod("pea a { dir-default /srv allow path /srv/pub/x read }\n"),
                           pod("pea a { dir-default /srv allow path /srv/pub/x read path /srv/pub deny }\n"));
  CHECK(!D.widens());
  REQUIRE(D.Peas.size() == 1);
  CHECK(rows(D.Peas[0]) == "/srv/pub/**[/] rwx>---;/srv/pub/x[/] r-->---;");
}

TEST_CASE("an exec that moves into another pea is a widening, the rule change is listed", "[diff]") {
  PolicyDiff D = diffTexts(
      pod("pea a { path /bin/t read, execute transition /bin/t b }\npea b { }\npea c { }\n"),
      pod("pea a { path /bin/t read, execute transition /bin/t c }\npea b { }\npea c { }\n"));
  const PeaDiff *A = find(D, "a");
  REQUIRE(A);
  CHECK(A->Widens);
  CHECK(A->Regions.empty());
  REQUIRE(A->Execs.size() >= 1);
  CHECK(A->Execs[0].Path == "/bin/t");
  CHECK(*A->Execs[0].OldPea == "b");
  CHECK(*A->Execs[0].NewPea == "c");
  REQUIRE(A->Transitions.size() == 1);
  CHECK(A->Transitions[0].New->Target == "c");
}

TEST_CASE("a transition the pea cannot use changes no answer", "[diff]") {
  PolicyDiff D = diffTexts(pod("pea a { }\npea b { }\n"),
                           pod("pea a { transition /bin/t b }\npea b { }\n"));
  REQUIRE(D.Peas.size() == 1);
  CHECK(!D.widens());
  CHECK(D.Peas[0].Execs.empty());
  CHECK(D.Peas[0].Transitions.size() == 1);
}

TEST_CASE("ports are compared as exact sets", "[diff]") {
  NetPolicy A, B;
  A.add({{Protocol::TCP, 1, 65535}});
  B.AllowAll = true;
  std::vector<PortRange> Gained = portsMinus(B, A);
  REQUIRE(Gained.size() == 1);
  CHECK(Gained[0] == PortRange{Protocol::UDP, 1, 65535});
  CHECK(portsMinus(A, B).empty());
  NetPolicy C;
  C.add({{Protocol::TCP, 80, 80}, {Protocol::TCP, 8000, 8080}});
  std::vector<PortRange> Hole = portsMinus(A, C);
  CHECK(Hole == std::vector<PortRange>{{Protocol::TCP, 1, 79},
                                       {Protocol::TCP, 81, 7999},
                                       {Protocol::TCP, 8081, 65535}});
  PolicyDiff D = diffTexts(pod("pea a { bind tcp/80, tcp/8000-8080 }\n"),
                           pod("pea a { bind tcp/80 bind tcp/8000-8080 }\n"));
  CHECK(D.Peas.empty());
  PolicyDiff Denied = diffTexts(pod("pea a { bind tcp/80 }\n"),
                                pod("pea a { bind tcp/80, tcp/81 bind deny }\n"));
  CHECK(!Denied.widens());
}

TEST_CASE("namespace global covers a pea added to the pod", "[diff]") {
  PolicyDiff D = diffTexts(pod("pea a { namespace global }\npea b { }\n"),
                           pod("pea a { namespace global }\npea b { }\npea c { }\n"));
  const PeaDiff *A = find(D, "a");
  REQUIRE(A);
  REQUIRE(A->Namespace);
  CHECK(A->Namespace->Gained == std::vector<std::string>{"c"});
  CHECK(A->Widens);
  const PeaDiff *C = find(D, "c");
  REQUIRE(C);
  CHECK(C->Status == PeaDiff::Presence::Added);
  CHECK(!C->Widens); // an empty pea grants nothing
}

TEST_CASE("peas and pods added and removed", "[diff]") {
  PolicyDiff D = diffTexts("pod d { pea a { path /x read } }\npod gone { pea g { } }\n",
                           "pod d { }\npod fresh { pea f { path /y read } }\n");
  CHECK(D.PodsAdded == std::vector<std::string>{"fresh"});
  CHECK(D.PodsRemoved == std::vector<std::string>{"gone"});
  const PeaDiff *A = find(D, "a");
  REQUIRE(A);
  CHECK(A->Status == PeaDiff::Presence::Removed);
  const PeaDiff *F = find(D, "f");
  REQUIRE(F);
  CHECK(F->Widens);
  CHECK(D.widens());
  PolicyDiff OnlyD = diffTexts("pod d { pea a { path /x read } }\npod gone { pea g { } }\n",
                               "pod d { }\npod fresh { pea f { path /y read } }\n",
                               DiffOptions{"d"});
  CHECK(OnlyD.PodsAdded.empty());
  CHECK(!OnlyD.widens());
}

TEST_CASE("the text and JSON reports", "[diff]") {
  PolicyDiff D = diffTexts(pod("pea a { path \"/a b\" read }\n"),
                           pod("pea a { path \"/a b\" read, write bind udp/53 }\n"));
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  printDiff(D, "old.pea", "new.pea", OS);
  OS.flush();
  CHECK(Text.find("+ \"/a b\"") != std::string::npos);
  CHECK(Text.find("bind: none -> udp/53; now also udp/53") != std::string::npos);
  CHECK(Text.find("1 pea changed, 1 widened") != std::string::npos);
  nlohmann::json J = diffToJSON(D, "old.pea", "new.pea");
  CHECK(J["widens"] == true);
  CHECK(J["peas"][0]["regions"][0]["gained"] == "-w-");
  CHECK(J["peas"][0]["regions"][0]["old"]["rule"]["line"] == 2);
  CHECK(J["peas"][0]["network"][0]["gained"][0] == "udp/53");
}
