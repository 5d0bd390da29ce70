//===- AnalyzerCliTest.cpp - peapodc graph and compile --root -------------===//
#include "CliTest.h"
#include "TreeScript.h"
#include <catch2/catch.hpp>

using namespace peapod::cli_test;

namespace {

const char *const Web = R"(pod web {
  pea httpd {
    dir-default /var/www read, write
    path /var/www/cgi-bin read, execute
    transition /var/www/cgi-bin cgi
    bind tcp/80
  }
  pea cgi {
    dir-default /var/www allow
    outgoing tcp/5432
  }
}
)";

/// No transitions, so no findings but the tree's (A1xx).
const char *const Files = R"(pod web {
  pea httpd {
    path /etc/shadow deny
    dir-default /var/www read, write
  }
}
)";

bool startsWith(const std::string &S, const std::string &Prefix) {
  return S.rfind(Prefix, 0) == 0;
}

} // namespace

TEST_CASE("graph writes each format by the output's extension", "[graph]") {
  TempDir T;
  std::string P = T.write("web.pea", Web);
  for (auto [Ext, Magic] : {std::pair{"png", "\x89PNG\r\n\x1a\n"},
                            std::pair{"pdf", "%PDF-"},
                            std::pair{"svg", "<?xml"},
                            std::pair{"dot", "digraph"}}) {
    INFO(Ext);
    std::string Out = T / (std::string("web.") + Ext);
    Run R = peapodc({"graph", P, "-o", Out});
    CHECK(R.Status == 0);
    CHECK(R.Err == "");
    CHECK(startsWith(readFile(Out), Magic));
  }
}

TEST_CASE("graph -o - writes dot, or the --format asked for", "[graph]") {
  TempDir T;
  std::string P = T.write("web.pea", Web);
  Run Dot = peapodc({"graph", P, "-o", "-"});
  CHECK(Dot.Status == 0);
  CHECK(startsWith(Dot.Out, "digraph"));
  Run Svg = peapodc({"graph", P, "--format", "svg", "-o", "-"});
  CHECK(Svg.Status == 0);
  CHECK(Svg.Out.find("</svg>") != std::string::npos);
  // --format wins over the extension.
  std::string Out = T / "pic.png";
  CHECK(peapodc({"graph", P, "--format", "dot", "-o", Out}).Status == 0);
  CHECK(startsWith(readFile(Out), "digraph"));
}

TEST_CASE("graph --pod and --entry select what is drawn", "[graph]") {
  TempDir T;
  std::string P = T.write("web.pea", std::string(Web) + "pod two {\n  pea x {\n  }\n}\n");
  Run All = peapodc({"graph", P, "-o", "-"});
  Run One = peapodc({"graph", P, "--pod", "two", "-o", "-"});
  REQUIRE(All.Status == 0);
  REQUIRE(One.Status == 0);
  CHECK(All.Out.find("<B>httpd</B>") != std::string::npos);
  CHECK(One.Out.find("<B>httpd</B>") == std::string::npos);
  CHECK(One.Out.find("<B>x</B>") != std::string::npos);
  Run Entry = peapodc({"graph", P, "--entry", "web/cgi", "-o", "-"});
  REQUIRE(Entry.Status == 0);
  // httpd is no longer an entry, and cgi does not reach it.
  CHECK(Entry.Out.find("<I>unreachable</I>") != std::string::npos);
}

TEST_CASE("graph refuses bad usage with exit 2 and writes nothing",
          "[graph]") {
  TempDir T;
  std::string P = T.write("web.pea", Web);
  std::string Out = T / "out.png";
  struct Case {
    std::vector<std::string> Args;
    std::string Message;
  };
  for (const Case &C : std::vector<Case>{
           {{"graph", P}, "graph needs an output: -o FILE.dot, .svg, .png or "
                          ".pdf (or -o - for dot on standard output)"},
           {{"graph", "-o", Out}, "no input policy (see peapodc graph --help)"},
           {{"graph", P, P, "-o", Out}, "graph draws one policy at a time"},
           {{"graph", P, "-o", T / "out.jpg"},
            "cannot tell the picture format of '" + T / "out.jpg" +
                "': name it .dot, .svg, .png or .pdf, or give --format"},
           {{"graph", P, "--format", "gif", "-o", Out},
            "unknown format 'gif' (dot, svg, png or pdf)"},
           {{"graph", P, "--pod", "mail", "-o", Out},
            "no pod 'mail' in the policy"},
           {{"graph", P, "--entry", "sendmail", "-o", Out},
            "--entry 'sendmail' names no pea of the policy"},
           {{"graph", T / "missing.pea", "-o", Out},
            "cannot read '" + T / "missing.pea" +
                "': No such file or directory"},
           {{"graph", P, "--frobnicate", "-o", Out}, ""},
       }) {
    INFO(C.Args.back());
    Run R = peapodc(C.Args);
    CHECK(R.Status == 2);
    if (!C.Message.empty())
      CHECK(R.Err == "peapodc: error: " + C.Message + "\n");
    CHECK(!fs::exists(Out));
    CHECK(!fs::exists(T / "out.jpg"));
  }
}

TEST_CASE("graph of a policy with errors exits 1 and writes nothing",
          "[graph]") {
  TempDir T;
  std::string P = T.write("broken.pea", Broken);
  Run R = peapodc({"graph", P, "-o", T / "out.svg"});
  CHECK(R.Status == 1);
  CHECK(R.Err.find("error:") != std::string::npos);
  CHECK(!fs::exists(T / "out.svg"));
}

TEST_CASE("graph never overwrites its input and refuses an image",
          "[graph]") {
  TempDir T;
  std::string P = T.write("web.dot", Web);
  Run Same = peapodc({"graph", P, "-o", P});
  CHECK(Same.Status == 2);
  CHECK(Same.Err.find("refusing to write") != std::string::npos);
  CHECK(readFile(P) == Web);
  std::string Image = T / "web.bin";
  REQUIRE(peapodc({P, "--no-analyze", "-o", Image}).Status == 0);
  Run FromImage = peapodc({"graph", Image, "-o", T / "x.dot"});
  CHECK(FromImage.Status == 2);
  CHECK(FromImage.Err == "peapodc: error: '" + Image +
                             "' is a compiled image; graph draws a policy "
                             "source\n");
}

TEST_CASE("graph of an empty policy is an empty picture", "[graph]") {
  TempDir T;
  std::string P = T.write("empty.pea", "");
  Run R = peapodc({"graph", P, "-o", T / "empty.png"});
  CHECK(R.Status == 0);
  CHECK(startsWith(readFile(T / "empty.png"), "\x89PNG"));
}

TEST_CASE("compile --root runs the A1xx checks; warnings do not fail",
          "[hardlinks]") {
  TempDir T;
  std::string P = T.write("web.pea", Files);
  peapod::test::buildTree(T.Path.string(), R"(
    mkdir -p tree/var/www/cgi-bin tree/etc
    touch tree/etc/shadow
    ln tree/etc/shadow tree/var/www/shadow
  )");
  Run R = peapodc({P, "--root", T / "tree", "-o", T / "web.bin"});
  CHECK(R.Status == 0);
  CHECK(R.Err.find("warning: pea 'httpd' of pod 'web' gets different access "
                   "to one file through its names: '/etc/shadow' ---, "
                   "'/var/www/shadow' rw- [A101]") != std::string::npos);
  CHECK(fs::exists(T / "web.bin"));
  Run Werror =
      peapodc({P, "--root", T / "tree", "--Werror", "-o", T / "w.bin"});
  CHECK(Werror.Status == 1);
  CHECK(!fs::exists(T / "w.bin"));
  CHECK(peapodc({P, "--root", T / "tree", "--cross-devices", "-o",
                 T / "x.bin"})
            .Status == 0);
}

TEST_CASE("compile --root on a missing or non-directory root exits 2",
          "[hardlinks]") {
  TempDir T;
  std::string P = T.write("web.pea", Files);
  T.write("file", "");
  Run Missing = peapodc({P, "--root", T / "nope", "-o", T / "web.bin"});
  CHECK(Missing.Status == 2);
  CHECK(Missing.Err == "fatal error: cannot read the root '" + T / "nope" +
                           "': No such file or directory [A105]\n1 error "
                           "generated.\n");
  CHECK(!fs::exists(T / "web.bin"));
  Run File = peapodc({P, "--root", T / "file", "-o", T / "web.bin"});
  CHECK(File.Status == 2);
  CHECK(File.Err.find("Not a directory [A105]") != std::string::npos);
  Run Empty = peapodc({P, "--root", "", "-o", T / "web.bin"});
  CHECK(Empty.Status == 2);
  CHECK(Empty.Err == "peapodc: error: --root needs a directory (the pod's "
                     "file-system tree)\n");
  CHECK(!fs::exists(T / "web.bin"));
}
