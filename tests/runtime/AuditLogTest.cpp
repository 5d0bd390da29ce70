//===- AuditLogTest.cpp - The audit line format ---------------------------===//
#include "KmodTest.h"
#include "peapod/ImageWriter.h"
#include "peapod/runtime/AuditLog.h"
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace peapod;
using namespace peapod::runtime;

static AuditEvent sampleEvent() {
  AuditEvent E;
  E.Pod = "mail";
  E.Pea = "sendmail";
  E.Pid = 42;
  E.Program = "/usr/sbin/sendmail";
  E.Operation = "open";
  E.Access = "w";
  E.Path = "/etc/passwd";
  E.Errno = 13;
  E.Rule = AuditRule{"/etc", "r--", "dir-default", "mail.pea", 3, 5};
  return E;
}

TEST_CASE("an audit line has the documented fields in order",
          "[runtime][audit]") {
  std::string Line = formatAuditLine(sampleEvent(), 1764646000123456789);
  CHECK(Line ==
        "{\"time\":\"2025-12-02T03:26:40.123456Z\",\"pod\":\"mail\","
        "\"pea\":\"sendmail\",\"pid\":42,\"program\":\"/usr/sbin/sendmail\","
        "\"operation\":\"open\",\"access\":\"w\",\"path\":\"/etc/passwd\","
        "\"errno\":13,\"error\":\"EACCES\",\"outcome\":\"denied\","
        "\"rule\":{\"path\":\"/etc\",\"access\":\"r--\",\"kind\":"
        "\"dir-default\",\"file\":\"mail.pea\",\"line\":3,\"column\":5}}\n");
}

TEST_CASE("audit lines read back; bytes that are not UTF-8 are escaped",
          "[runtime][audit]") {
  AuditEvent E = sampleEvent();
  E.Path = std::string("/tmp/\xff\n");
  E.Complain = true;
  E.Errno = 0;
  E.Rule.reset();
  std::string Line = formatAuditLine(E, 0);
  CHECK(Line.find('\n') == Line.size() - 1); // one line, whatever the path
  auto Back = parseAuditLine(Line);
  REQUIRE(Back);
  CHECK(Back->Path == "/tmp/\\xff\n");
  CHECK(Back->Complain);
  CHECK(!Back->Rule);
  CHECK(Back->Pea == "sendmail");
  CHECK(!parseAuditLine("not json"));
  CHECK(!parseAuditLine("[1,2]"));
  CHECK(!parseAuditLine("{\"pod\":\"x\"}"));
}

TEST_CASE("the deciding rule comes from the image, with its location",
          "[runtime][audit]") {
  auto C = test::compile("pod p {\n  pea q {\n    path /etc read\n  }\n}\n",
                         "p.pea");
  REQUIRE(C);
  ImageWriteOptions Opts;
  Opts.Locations = true;
  test::AlignedBytes Bytes(writeImage(C->policy(), Opts));
  ppi_image Img;
  std::string Error;
  REQUIRE(test::openImage(Bytes, Img, Error) == PPI_OK);
  auto Rule = auditRuleOf(Img, 0);
  REQUIRE(Rule);
  CHECK(Rule->Path == "/etc");
  CHECK(Rule->Access == "r--");
  CHECK(Rule->Kind == "path");
  CHECK(Rule->File.find("p.pea") != std::string::npos);
  CHECK(Rule->Line == 3);
  CHECK(!auditRuleOf(Img, PPI_NONE));
}

TEST_CASE("the log appends whole lines", "[runtime][audit]") {
  char Path[] = "/tmp/peapod-audit-XXXXXX";
  int Fd = mkstemp(Path);
  REQUIRE(Fd >= 0);
  close(Fd);
  std::string Error;
  {
    auto Log = AuditLog::open(Path, Error);
    REQUIRE(Log);
    Log->record(sampleEvent());
    Log->record(sampleEvent());
  }
  std::ifstream In(Path);
  std::string Line;
  int Lines = 0;
  while (std::getline(In, Line)) {
    CHECK(parseAuditLine(Line));
    ++Lines;
  }
  CHECK(Lines == 2);
  unlink(Path);
  CHECK(!AuditLog::open("/nonexistent-dir/x.log", Error));
  CHECK(Error.find("/nonexistent-dir/x.log") != std::string::npos);
}
