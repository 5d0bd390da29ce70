//===- AnalyzeCliTest.cpp - peapodc POLICY -o IMAGE runs the analyzer -----===//
#include "CliTest.h"
#include <catch2/catch.hpp>

using namespace peapod::cli_test;

namespace {

const char *const WriteExec = R"(pod p {
  pea build {
    dir-default /srv/out read, write, execute
  }
}
)";

const char *const Escalation = R"(pod web {
  pea httpd {
    dir-default /srv/www/cgi-bin read, write, execute
    transition /srv/www/cgi-bin cgi
  }
  pea cgi {
    dir-default /srv/www/cgi-bin read, execute
    path /srv/db read, write
  }
}
)";

} // namespace

TEST_CASE("compiling prints the analyzer's warnings and still succeeds",
          "[cli][analyzer]") {
  TempDir T;
  std::string Policy = T.write("p.pea", WriteExec);
  Run R = peapodc({Policy, "-o", T / "p.bin"});
  CHECK(R.Status == 0);
  CHECK(R.Err.find("can both write and execute files under '/srv/out/' "
                   "[A301]") != std::string::npos);
  CHECK(R.Err.find("1 warning generated.") != std::string::npos);
  CHECK(fs::exists(T / "p.bin"));
}

TEST_CASE("--no-analyze skips the analyzer", "[cli][analyzer]") {
  TempDir T;
  std::string Policy = T.write("p.pea", WriteExec);
  Run R = peapodc({Policy, "-o", T / "p.bin", "--no-analyze"});
  CHECK(R.Status == 0);
  CHECK(R.Err.empty());
}

TEST_CASE("-Wno-NAME and -WNAME toggle analyzer checks by name",
          "[cli][analyzer]") {
  TempDir T;
  std::string Policy = T.write("p.pea", WriteExec);
  Run Off = peapodc({Policy, "-o", T / "p.bin", "-Wno-write-and-execute"});
  CHECK(Off.Status == 0);
  CHECK(Off.Err.empty());
  Run On = peapodc({Policy, "-o", T / "p.bin", "-Wno-write-and-execute",
                    "-Wwrite-and-execute"});
  CHECK(On.Err.find("[A301]") != std::string::npos);
}

TEST_CASE("--Werror makes analyzer warnings fail the compile",
          "[cli][analyzer]") {
  TempDir T;
  std::string Policy = T.write("p.pea", WriteExec);
  Run R = peapodc({Policy, "-o", T / "p.bin", "--Werror"});
  CHECK(R.Status == 1);
  CHECK(R.Err.find("error: pea 'build' can both write and execute") !=
        std::string::npos);
  CHECK(!fs::exists(T / "p.bin"));
}

TEST_CASE("an escalation path is an error: no image", "[cli][analyzer]") {
  TempDir T;
  std::string Policy = T.write("web.pea", Escalation);
  Run R = peapodc({Policy, "-o", T / "web.bin"});
  CHECK(R.Status == 1);
  CHECK(R.Err.find("error: escalation: pea 'httpd' can write") !=
        std::string::npos);
  CHECK(!fs::exists(T / "web.bin"));
  // Turned off by name like any check.
  Run Off = peapodc({Policy, "-o", T / "web.bin", "-Wno-escalation-path"});
  CHECK(Off.Status == 0);
  CHECK(fs::exists(T / "web.bin"));
}

TEST_CASE("an unknown check name is a usage error", "[cli][analyzer]") {
  TempDir T;
  std::string Policy = T.write("p.pea", WriteExec);
  Run R = peapodc({Policy, "-o", T / "p.bin", "-Wno-write-and-exec"});
  CHECK(R.Status == 2);
  CHECK(R.Err.find("unknown warning 'write-and-exec'") != std::string::npos);
  Run Note = peapodc({Policy, "-o", T / "p.bin", "-Wno-note-exec-hop"});
  CHECK(Note.Status == 2);
}

TEST_CASE("the image being written is a sensitive file", "[cli][analyzer]") {
  TempDir T;
  std::string Policy = T.write("p.pea", R"(pod p {
  pea w {
    dir-default /tmp read, write
  }
}
)");
  std::string Image = T / "p.bin";
  Run R = peapodc({Policy, "-o", Image});
  CHECK(R.Status == 0);
  CHECK(R.Err.find("can write the sensitive") != std::string::npos);
}

TEST_CASE("check prints the analyzer's findings too, unless --no-analyze",
          "[cli][analyzer]") {
  TempDir T;
  std::string Policy = T.write("p.pea", WriteExec);
  Run R = peapodc({"check", Policy});
  CHECK(R.Status == 0);
  CHECK(R.Err.find("[A301]") != std::string::npos);
  Run Quiet = peapodc({"check", Policy, "--no-analyze"});
  CHECK(Quiet.Status == 0);
  CHECK(Quiet.Err.empty());
}
