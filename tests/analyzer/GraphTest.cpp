//===- GraphTest.cpp - What peapodc graph draws, and how it renders -------===//
#include "TestUtil.h"
#include "peapod/analyzer/GraphRender.h"
#include <catch2/catch.hpp>

using namespace peapod;
using namespace peapod::analyzer;

namespace {

const char *const Web = R"(pod web {
  pea httpd {
    dir-default /var/www read, write
    path /var/www/cgi-bin read, execute
    transition /var/www/cgi-bin cgi
    transition /usr/bin/php php
    path /usr/bin/php read, execute
    bind tcp/80, tcp/443
  }
  pea cgi {
    dir-default /var/www allow
    dir-default /srv/db read, write
    outgoing tcp/5432
    path /usr/sbin/sendmail read, execute
    transition /usr/sbin/sendmail mailer
  }
  pea php {
    dir-default /var/www read
  }
  pea mailer {
    dir-default /var/spool/mail allow
  }
  pea orphan {
    path /etc/motd read
  }
}
)";

std::vector<PodPicture> describe(const std::string &Policy,
                                 GraphOptions Opts = {}) {
  auto C = test::compile(Policy);
  REQUIRE(!C->diags().hasErrors());
  auto Pods = describePolicy(C->policy(), Opts);
  REQUIRE(bool(Pods));
  return std::move(*Pods);
}

const PictureNode &pea(const PodPicture &P, const std::string &Name) {
  for (const PictureNode &N : P.Peas)
    if (N.Name == Name)
      return N;
  FAIL("no pea " << Name);
  return P.Peas.front();
}

const PictureEdge &edge(const PodPicture &P, const std::string &Trigger) {
  for (const PictureEdge &E : P.Edges)
    if (E.Trigger == Trigger)
      return E;
  FAIL("no edge " << Trigger);
  return P.Edges.front();
}

std::string render(const std::vector<PodPicture> &Pods, GraphFormat F) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  llvm::Error E = renderGraph(Pods, "web.pea", F, OS);
  REQUIRE(!E);
  OS.flush();
  return Out;
}

size_t count(const std::string &S, const std::string &Part) {
  size_t N = 0;
  for (size_t At = S.find(Part); At != std::string::npos;
       At = S.find(Part, At + 1))
    ++N;
  return N;
}

} // namespace

TEST_CASE("nodes summarise network and access; edges carry triggers",
          "[graph]") {
  auto Pods = describe(Web);
  REQUIRE(Pods.size() == 1);
  const PodPicture &P = Pods[0];
  CHECK(P.Pod == "web");
  CHECK(P.Peas.size() == 5);
  CHECK(P.Edges.size() == 3);
  CHECK(pea(P, "httpd").Network ==
        std::vector<std::string>{"bind tcp/80 tcp/443"});
  CHECK(pea(P, "httpd").Access ==
        std::vector<std::string>{"rw- /var/www",
                                 "r-x /usr/bin/php, /var/www/cgi-bin"});
  CHECK(pea(P, "cgi").Network ==
        std::vector<std::string>{"outgoing tcp/5432"});
  CHECK(pea(P, "cgi").Access ==
        std::vector<std::string>{"rwx /var/www", "rw- /srv/db",
                                 "r-x /usr/sbin/sendmail"});
  const PictureEdge &Php = edge(P, "/usr/bin/php");
  CHECK(P.Peas[Php.From].Name == "httpd");
  CHECK(P.Peas[Php.To].Name == "php");
}

TEST_CASE("the access summary shows the topmost paths, and includes by name",
          "[graph]") {
  auto Pods = describe(R"(pod p {
  pea a {
    include "stdlibs"
    dir-default /srv read
    path /srv/a read
    path /srv/b/c read
    path /etc/x read
    path /etc/y read
    path /opt/z read
  }
}
)");
  // /srv covers /srv/a and /srv/b/c; shallowest first; three shown, and
  // the rules of the group are left to its name.
  CHECK(Pods[0].Peas[0].Access ==
        std::vector<std::string>{"r-- /srv, /etc/x, /etc/y +1",
                                 "include stdlibs"});
}

TEST_CASE("entries default to peas without incoming transitions", "[graph]") {
  auto Pods = describe(Web);
  const PodPicture &P = Pods[0];
  CHECK(pea(P, "httpd").Entry);
  CHECK(pea(P, "orphan").Entry); // nothing leads to it either
  CHECK(!pea(P, "cgi").Entry);
  for (const PictureNode &N : P.Peas)
    CHECK(!N.Unreachable);
}

TEST_CASE("peas no named entry reaches are unreachable", "[graph]") {
  GraphOptions Opts;
  Opts.Entries = {"web/httpd"};
  auto Pods = describe(Web, Opts);
  const PodPicture &P = Pods[0];
  CHECK(pea(P, "httpd").Entry);
  CHECK(!pea(P, "orphan").Entry);
  CHECK(pea(P, "orphan").Unreachable);
  CHECK(!pea(P, "mailer").Unreachable); // httpd -> cgi -> mailer
}

TEST_CASE("an escalation: the source can replace the trigger program",
          "[graph]") {
  auto Pods = describe(Web);
  const PictureEdge &Cgi = edge(Pods[0], "/var/www/cgi-bin");
  REQUIRE(Cgi.Planted);
  // cgi-bin itself is r-x, but its directory is writable.
  CHECK(*Cgi.Planted == "/var/www");
  CHECK(Cgi.PlantedBy == "httpd");
  // php has less privilege than httpd: no escalation, whoever writes.
  CHECK(!edge(Pods[0], "/usr/bin/php").Planted);
  // mailer is stronger than cgi, but no one reaching cgi can write
  // /usr/sbin/sendmail or a directory above it.
  CHECK(!edge(Pods[0], "/usr/sbin/sendmail").Planted);
}

TEST_CASE("an escalation planted by a pea further up the chain", "[graph]") {
  const char *Chain = R"(pod p {
  pea a {
    dir-default /opt/tools read, write
    path /usr/bin/b read, execute
    transition /usr/bin/b b
  }
  pea b {
    path /opt/tools/run read, execute
    transition /opt/tools/run c
  }
  pea c {
    dir-default /etc read, write
  }
}
)";
  auto Pods = describe(Chain);
  const PictureEdge &E = edge(Pods[0], "/opt/tools/run");
  REQUIRE(E.Planted);
  CHECK(*E.Planted == "/opt/tools/run");
  CHECK(E.PlantedBy == "a");
  // Near miss: a and b cannot write /usr/bin/b or above.
  CHECK(!edge(Pods[0], "/usr/bin/b").Planted);
}

TEST_CASE("a directory above the trigger is a place to plant", "[graph]") {
  auto Pods = describe(R"(pod p {
  pea a {
    dir-default /usr/local read, write
    path /usr/local/bin/tool read, execute
    transition /usr/local/bin/tool b
  }
  pea b {
    bind tcp/22
  }
}
)");
  const PictureEdge &E = Pods[0].Edges[0];
  REQUIRE(E.Planted);
  // The program itself is r-x; /usr/local/bin as a directory is writable.
  CHECK(*E.Planted == "/usr/local/bin");
}

TEST_CASE("a fresh name below a directory trigger is a place to plant",
          "[graph]") {
  auto Pods = describe(R"(pod p {
  pea a {
    dir-default /srv/cgi read, write
    path /srv/cgi read, execute
    transition /srv/cgi b
  }
  pea b {
    outgoing allow
  }
}
)");
  const PictureEdge &E = Pods[0].Edges[0];
  REQUIRE(E.Planted);
  CHECK(*E.Planted == "/srv/cgi/*");
}

TEST_CASE("a transition the source cannot execute is ineffective",
          "[graph]") {
  auto Pods = describe(R"(pod p {
  pea a {
    transition /usr/bin/procmail b
    dir-default /srv/cgi read, execute
    transition /srv/cgi b
  }
  pea b {
    dir-default / allow
  }
}
)");
  CHECK(edge(Pods[0], "/usr/bin/procmail").Ineffective);
  CHECK(!edge(Pods[0], "/usr/bin/procmail").Planted); // never taken
  CHECK(!edge(Pods[0], "/srv/cgi").Ineffective);      // programs below it
  CHECK(!edge(describe(Web)[0], "/var/www/cgi-bin").Ineffective);
}

TEST_CASE("an ineffective transition reaches nothing", "[graph]") {
  const char *Policy = R"(pod p {
  pea a {
    transition /usr/bin/procmail b
  }
  pea b {
  }
}
)";
  // By default b is an entry itself: nothing that can fire leads to it.
  auto Pods = describe(Policy);
  CHECK(Pods[0].Peas[0].Entry);
  CHECK(Pods[0].Peas[1].Entry);
  GraphOptions FromA;
  FromA.Entries = {"a"};
  auto Named = describe(Policy, FromA);
  CHECK(!Named[0].Peas[1].Entry);
  CHECK(Named[0].Peas[1].Unreachable);
}

TEST_CASE("a cycle nothing enters gets its first pea as an entry",
          "[graph]") {
  auto Pods = describe(R"(pod p {
  pea a {
    path /bin/b read, execute
    transition /bin/b b
  }
  pea b {
    path /bin/a read, execute
    transition /bin/a a
    path /bin/c read, execute
    transition /bin/c c
  }
  pea c {
  }
}
)");
  const PodPicture &P = Pods[0];
  CHECK(P.Peas[0].Entry);
  CHECK(!P.Peas[1].Entry);
  CHECK(!P.Peas[2].Entry);
  for (const PictureNode &N : P.Peas)
    CHECK(!N.Unreachable);
}

TEST_CASE("--pod and --entry are checked", "[graph]") {
  auto C = test::compile(Web);
  GraphOptions NoPod;
  NoPod.Pod = "mail";
  auto A = describePolicy(C->policy(), NoPod);
  REQUIRE(!bool(A));
  CHECK(llvm::toString(A.takeError()) == "no pod 'mail' in the policy");
  GraphOptions NoPea;
  NoPea.Entries = {"web/sendmail"};
  auto B = describePolicy(C->policy(), NoPea);
  REQUIRE(!bool(B));
  CHECK(llvm::toString(B.takeError()) ==
        "--entry 'web/sendmail' names no pea of the policy");
}

TEST_CASE("dot output: a cluster per pod, a node per pea, an edge per "
          "transition, styled by role",
          "[graph]") {
  GraphOptions Opts;
  Opts.Entries = {"httpd"};
  std::string Dot = render(describe(Web, Opts), GraphFormat::Dot);
  CHECK(Dot.rfind("digraph", 0) == 0);
  CHECK(count(Dot, "subgraph cluster") == 1);
  CHECK(count(Dot, " -> ") == 3);
  CHECK(count(Dot, "peripheries=2") == 1);         // the entry
  CHECK(count(Dot, "fillcolor=\"#eeeeee\"") == 1); // orphan, unreachable
  CHECK(count(Dot, "fontcolor=\"#c62828\"") == 1); // the escalation edge
  for (const char *Name : {"httpd", "cgi", "php", "mailer", "orphan"})
    CHECK(Dot.find(std::string("<B>") + Name + "</B>") != std::string::npos);
  CHECK(Dot.find("/usr/bin/php") != std::string::npos);
  CHECK(Dot.find("escalation: plant at /var/www<BR/>(writable by httpd)") !=
        std::string::npos);
  // Laid out: positions are in the output.
  CHECK(Dot.find("pos=") != std::string::npos);
}

TEST_CASE("several pods are several clusters", "[graph]") {
  std::string Two = std::string(Web) + "pod other {\n  pea x {\n  }\n}\n";
  std::string Dot = render(describe(Two), GraphFormat::Dot);
  CHECK(count(Dot, "subgraph cluster") == 2);
  GraphOptions Only;
  Only.Pod = "other";
  CHECK(count(render(describe(Two, Only), GraphFormat::Dot),
              "subgraph cluster") == 1);
}

TEST_CASE("every format writes a file of its kind", "[graph]") {
  auto Pods = describe(Web);
  CHECK(render(Pods, GraphFormat::Png).rfind("\x89PNG\r\n\x1a\n", 0) == 0);
  CHECK(render(Pods, GraphFormat::Pdf).rfind("%PDF-", 0) == 0);
  std::string Svg = render(Pods, GraphFormat::Svg);
  CHECK(Svg.rfind("<?xml", 0) == 0);
  CHECK(Svg.find("<svg") != std::string::npos);
  CHECK(Svg.find("</svg>") != std::string::npos);
}

TEST_CASE("paths with markup and bytes that are not UTF-8 are escaped",
          "[graph]") {
  auto Pods = describe("pod p {\n  pea a {\n    transition \"/bin/<a&b>\" b\n"
                       "    path \"/x\xff\" read\n  }\n  pea b {\n  }\n}\n");
  std::string Dot = render(Pods, GraphFormat::Dot);
  CHECK(Dot.find("/bin/&lt;a&amp;b&gt;") != std::string::npos);
  CHECK(Dot.find("\xff") == std::string::npos);
  CHECK(Dot.find("/x\\xff") != std::string::npos);
  // And the picture renders.
  CHECK(render(Pods, GraphFormat::Svg).find("</svg>") != std::string::npos);
}

TEST_CASE("the format follows the output's extension", "[graph]") {
  CHECK(graphFormatOf("a.dot") == GraphFormat::Dot);
  CHECK(graphFormatOf("a.gv") == GraphFormat::Dot);
  CHECK(graphFormatOf("dir/a.SVG") == GraphFormat::Svg);
  CHECK(graphFormatOf("a.png") == GraphFormat::Png);
  CHECK(graphFormatOf("a.pdf") == GraphFormat::Pdf);
  CHECK(!graphFormatOf("a.jpg"));
  CHECK(!graphFormatOf("png"));
}
