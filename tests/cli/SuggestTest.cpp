//===- SuggestTest.cpp - peapodc suggest ----------------------------------===//
#include "CliTest.h"
#include "peapod/runtime/AuditLog.h"
#include <catch2/catch.hpp>
#include <cstdlib>

using namespace peapod::cli_test;

namespace {
const char *const Policy = "pod box {\n"
                           "  pea main {\n"
                           "    dir-default / read, execute\n"
                           "    path /etc/shadow read\n"
                           "  }\n"
                           "  pea other { }\n"
                           "}\n";

std::string line(const std::string &Pea, const std::string &Access,
                 const std::string &Path, bool Complain = false) {
  peapod::runtime::AuditEvent E;
  E.Pod = "box";
  E.Pea = Pea;
  E.Pid = 3;
  E.Operation = Access == "x" ? "exec" : "open";
  E.Access = Access;
  E.Path = Path;
  E.Errno = Complain ? 0 : 13;
  E.Complain = Complain;
  return peapod::runtime::formatAuditLine(E, 0);
}
} // namespace

TEST_CASE("suggest: the narrowest rules that allow the log, as a patch",
          "[cli][suggest]") {
  TempDir D;
  std::string Pea = D.write("box.pea", Policy);
  std::string Log = D.write(
      "audit.log", line("main", "w", "/tmp/out") +
                       line("main", "w", "/tmp/out/file.txt", true) +
                       line("main", "w", "/etc/shadow") +
                       line("main", "r", "/usr/lib/x") + // already allowed
                       line("other", "x", "/usr/bin/true") +
                       line("other", "r", "/usr/bin/true") + "not json\n" +
                       line("nopea", "r", "/x"));
  Run R = peapodc({"suggest", Log, Pea});
  INFO(R.Err);
  CHECK(R.Status == 0);
  CHECK(R.Out == "--- a/" + Pea + "\n+++ b/" + Pea +
                     "\n"
                     "@@ -1,7 +1,11 @@\n"
                     " pod box {\n"
                     "   pea main {\n"
                     "     dir-default / read, execute\n"
                     "-    path /etc/shadow read\n"
                     "+    path /etc/shadow read, write\n"
                     "+    path /tmp/out/file.txt read, write, execute\n"
                     "+    path /tmp/out read, write, execute\n"
                     "   }\n"
                     "-  pea other { }\n"
                     "+  pea other {\n"
                     "+    path /usr/bin/true read, execute\n"
                     "+  }\n"
                     " }\n");
  CHECK(R.Err.find("audit.log:7: not an audit line") != std::string::npos);
  CHECK(R.Err.find("no pea 'nopea'") != std::string::npos);

  // The patch applies, and then nothing is left to suggest.
  std::string Patch = D.write("fix.patch", R.Out);
  // a/PATH: PATH is absolute, so the patch applies from / with -p1.
  std::string Command = "cd / && patch -s -p1 < '" + Patch + "' >/dev/null";
  REQUIRE(std::system(Command.c_str()) == 0);
  Run Again = peapodc({"suggest", Log, Pea});
  CHECK(Again.Status == 0);
  CHECK(Again.Out.empty());
}

TEST_CASE("suggest: usage errors and bad policies", "[cli][suggest]") {
  TempDir D;
  std::string Pea = D.write("box.pea", Policy);
  std::string Log = D.write("audit.log", "");
  CHECK(peapodc({"suggest", Log}).Status == 2);
  CHECK(peapodc({"suggest", Log, D / "missing.pea"}).Status == 2);
  CHECK(peapodc({"suggest", D / "missing.log", Pea}).Status == 2);
  CHECK(peapodc({"suggest", Log, D.write("bad.pea", "pod {")}).Status == 1);
  Run Empty = peapodc({"suggest", Log, Pea});
  CHECK(Empty.Status == 0);
  CHECK(Empty.Out.empty());
  Run Help = peapodc({"suggest", "--help"});
  CHECK(Help.Status == 0);
  CHECK(Help.Out.find("peapodc suggest - ") != std::string::npos);
}
