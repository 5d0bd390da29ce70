//===- DiffTestCliTest.cpp - peapodc diff and peapodc test, end to end ----===//
#include "CliTest.h"
#include "RandomPolicy.h"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace peapod::cli_test;

namespace {

const char *const Wider = R"(pod mail-delivery {
  pea sendmail {
    dir-default /etc read, write
    dir-default /var/spool/mqueue allow
    path /usr/bin/procmail read, execute
    transition /usr/bin/procmail procmail
    bind tcp/25
    outgoing allow
  }
  pea procmail {
    dir-default / allow
    outgoing allow
    namespace sendmail
  }
}
)";

} // namespace

TEST_CASE("diff: a policy and its own image do not differ", "[cli][diff]") {
  TempDir T;
  std::string Pea = T.write("mail.pea", Mail);
  for (const char *Flag : {"--no-locations", "--target=kmod"}) {
    REQUIRE(peapodc({Pea, "-o", T / "mail.bin", Flag}).Status == 0);
    Run R = peapodc({"diff", T / "mail.bin", Pea});
    INFO(R.Err);
    CHECK(R.Status == 0);
    CHECK(R.Out.find("no semantic difference") != std::string::npos);
  }
}

TEST_CASE("diff: a deployed image against a wider source exits 1", "[cli][diff]") {
  TempDir T;
  std::string Old = T.write("mail.pea", Mail), New = T.write("new.pea", Wider);
  REQUIRE(peapodc({Old, "-o", T / "mail.bin"}).Status == 0);
  Run R = peapodc({"diff", T / "mail.bin", New});
  INFO(R.Out << R.Err);
  CHECK(R.Status == 1);
  CHECK(R.Out.find("+ /etc/**  r-- -> rw-  dir-default /etc (mail.pea:4) -> "
                   "dir-default /etc (new.pea:3)") != std::string::npos);
  Run Back = peapodc({"diff", New, T / "mail.bin", "--format", "json"});
  CHECK(Back.Status == 0);
  nlohmann::json J = nlohmann::json::parse(Back.Out);
  CHECK(J["widens"] == false);
  CHECK(J["peas"][0]["regions"][0]["lost"] == "-w-");
  CHECK(J["peas"][0]["regions"][0]["new"]["rule"]["file"] == "mail.pea");
}

TEST_CASE("diff: usage and bad inputs", "[cli][diff]") {
  TempDir T;
  std::string Old = T.write("mail.pea", Mail), Bad = T.write("bad.pea", Broken);
  std::string Empty = T.write("empty.pea", "");
  CHECK(peapodc({"diff", Old}).Status == 2);
  CHECK(peapodc({"diff", "-", "-"}).Status == 2);
  CHECK(peapodc({"diff", Old, Old, "--format", "xml"}).Status == 2);
  Run Missing = peapodc({"diff", Old, T / "missing.pea"});
  CHECK(Missing.Status == 2);
  CHECK(Missing.Err.find("cannot read") != std::string::npos);
  Run Errors = peapodc({"diff", Old, Bad});
  CHECK(Errors.Status == 2);
  CHECK(Errors.Err.find("bad.pea:3:") != std::string::npos);
  Run Pod = peapodc({"diff", Old, Old, "--pod", "mail-delivry"});
  CHECK(Pod.Status == 2);
  CHECK(Pod.Err.find("did you mean 'mail-delivery'") != std::string::npos);
  CHECK(peapodc({"diff", Old, Old, "--pod", "mail-delivery"}).Status == 0);
  Run FromEmpty = peapodc({"diff", Empty, Old});
  CHECK(FromEmpty.Status == 1);
  CHECK(FromEmpty.Out.find("pod mail-delivery: added") != std::string::npos);
  CHECK(peapodc({"diff", Old, Empty}).Status == 0);
  CHECK(peapodc({"diff", T / "x.rules", Old}).Status == 2);
}

TEST_CASE("diff: help and the table of commands", "[cli][diff]") {
  Run R = peapodc({"diff", "--help"});
  CHECK(R.Status == 0);
  CHECK(R.Out.find("EXIT STATUS") != std::string::npos);
  CHECK(peapodc({"help", "test"}).Out.find("--coverage") != std::string::npos);
}

TEST_CASE("test: passing, failing and malformed files", "[cli][test]") {
  TempDir T;
  T.write("mail.pea", Mail);
  std::string Pass = T.write("pass.peatest", "policy mail.pea\npod mail-delivery\n"
                                             "pea sendmail\nallow read /etc/motd\n"
                                             "allow exec /usr/bin/procmail -> procmail\n"
                                             "allow bind tcp/25\n");
  Run R = peapodc({"test", Pass});
  INFO(R.Err);
  CHECK(R.Status == 0);
  CHECK(R.Out == "3 passed, 0 failed\n");

  std::string Fail = T.write("fail.peatest", "policy mail.pea\npod mail-delivery\n"
                                             "pea sendmail\ndeny read /etc/motd\n");
  Run F = peapodc({"test", Pass, Fail});
  CHECK(F.Status == 1);
  CHECK(F.Out == "3 passed, 1 failed\n");
  CHECK(F.Err.find("fail.peatest:4:1: error: expected pea sendmail not to have read "
                   "on /etc/motd, but it has r-- [T101]") != std::string::npos);
  CHECK(F.Err.find("mail.pea:4:5: note: decided by this rule") != std::string::npos);

  std::string Bad = T.write("bad.peatest", "policy mail.pea\npod mail-delivery\n"
                                           "pea sendmail\nallow frobnicate /x\n");
  Run B = peapodc({"test", Bad});
  CHECK(B.Status == 1);
  CHECK(B.Err.find("bad.peatest:4:7: error: unknown operation 'frobnicate'") !=
        std::string::npos);
  CHECK(B.Out == "0 passed, 0 failed\n");

  std::string NoPolicy = T.write("nopolicy.peatest", "policy missing.pea\n");
  Run N = peapodc({"test", NoPolicy});
  CHECK(N.Status == 2);
  CHECK(N.Err.find("nopolicy.peatest:1:8: error: cannot use the policy") !=
        std::string::npos);
  CHECK(peapodc({"test"}).Status == 2);
  CHECK(peapodc({"test", T / "absent.peatest"}).Status == 2);
  std::string Binary = T.write("binary.peatest", std::string("\x00\xff\x01policy", 9));
  CHECK(peapodc({"test", Binary}).Status == 1);
}

TEST_CASE("test: against an image, and coverage", "[cli][test]") {
  TempDir T;
  std::string Pea = T.write("mail.pea", Mail);
  REQUIRE(peapodc({Pea, "-o", T / "mail.bin"}).Status == 0);
  std::string OnImage = T.write("image.peatest", "policy mail.bin\npod mail-delivery\n"
                                                 "pea sendmail\ndeny read /etc/motd\n");
  Run R = peapodc({"test", OnImage});
  CHECK(R.Status == 1);
  CHECK(R.Err.find("note: decided by dir-default /etc (mail.pea:4)") != std::string::npos);
  CHECK(peapodc({"test", OnImage, "--coverage"}).Status == 2);

  std::string Cov = T.write("cov.peatest", "policy mail.pea\npod mail-delivery\n"
                                           "pea sendmail\nallow read /etc/motd\n");
  Run C = peapodc({"test", Cov, "--coverage"});
  CHECK(C.Status == 0);
  CHECK(C.Out.find("coverage of ") != std::string::npos);
  CHECK(C.Out.find(": 1 of 9 rules exercised") != std::string::npos);
  CHECK(C.Err.find("mail.pea:5:5: warning: dir-default /var/spool/mqueue (in pea "
                   "sendmail) is not exercised by any test [T201]") != std::string::npos);
}

TEST_CASE("diff: images give the same report as their sources", "[cli][diff]") {
  // Random pairs compiled to images: the JSON report of image against image,
  // and of image against source, equals that of source against source.
  for (uint32_t Seed = 1; Seed <= 60; ++Seed) {
    TempDir T;
    std::string Files[2];
    for (int Side = 0; Side < 2; ++Side) {
      peapod::test::RandomPolicy G(Seed + Side * 7919);
      std::string Dir = T / ("side" + std::to_string(Side));
      fs::create_directories(Dir);
      for (const auto &[Name, Body] : G.groups())
        std::ofstream(Dir + "/" + Name) << Body;
      Files[Side] = Dir + "/test.pea";
      std::ofstream(Files[Side]) << G.text();
      Run C = peapodc({Files[Side], "--no-analyze", "-o", Dir + "/test.bin"});
      INFO(C.Err);
      REQUIRE(C.Status == 0);
    }
    auto Report = [&](const std::string &A, const std::string &B) {
      Run R = peapodc({"diff", A, B, "--format", "json"});
      REQUIRE(R.Status <= 1);
      nlohmann::json J = nlohmann::json::parse(R.Out);
      J.erase("old");
      J.erase("new");
      return J;
    };
    std::string Image0 = T / "side0/test.bin", Image1 = T / "side1/test.bin";
    nlohmann::json FromSources = Report(Files[0], Files[1]);
    INFO("seed " << Seed);
    CHECK(Report(Image0, Image1) == FromSources);
    CHECK(Report(Image0, Files[1]) == FromSources);
    CHECK(Report(Files[1], Image1)["peas"].empty());
  }
}

TEST_CASE("test: the shipped example's tests pass", "[cli][test]") {
  std::string File = PEAPOD_SOURCE_DIR "/examples/mail.peatest";
  Run R = peapodc({"test", File, "--stdrules", PEAPOD_SOURCE_DIR "/stdrules"});
  INFO(R.Err);
  CHECK(R.Status == 0);
  CHECK(R.Out == "18 passed, 0 failed\n");
}
