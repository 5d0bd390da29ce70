//===- FuseServerConfigTest.cpp - peapodc --target fuse and its consumer --===//
#include "peapod/Compilation.h"
#include "peapod/FuseConfig.h"
#include "peapod/ImageWriter.h"
#include "peapod/runtime/FuseSetup.h"
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <unistd.h>

using namespace peapod;

namespace {
struct Image {
  std::vector<uint64_t> Bytes;
  ppi_image Img{};
  explicit Image(const char *Policy) {
    Compilation C;
    REQUIRE(C.compileBuffer("config-test.pea", Policy));
    std::string Out = writeImage(C.policy());
    Bytes.assign((Out.size() + 7) / 8, 0);
    std::memcpy(Bytes.data(), Out.data(), Out.size());
    char Err[256];
    REQUIRE(ppi_open(&Img, Bytes.data(), Out.size(), Err, sizeof Err) == PPI_OK);
  }
};

const char *const TwoPods = R"(pod many {
  pea a { dir-default /tmp allow }
  pea b { dir-default /srv read }
}
pod single {
  pea only { dir-default / allow }
}
)";

std::string tempFile(const std::string &Text) {
  char Name[] = "/tmp/peapod-fuse-config-XXXXXX";
  int Fd = mkstemp(Name);
  REQUIRE(Fd >= 0);
  REQUIRE(write(Fd, Text.data(), Text.size()) == ssize_t(Text.size()));
  close(Fd);
  return Name;
}
} // namespace

TEST_CASE("FuseConfig: caching only where every caller gets the same answers",
          "[fuse][config]") {
  Image I(TwoPods);
  FuseConfig C = deriveFuseConfig(I.Img);
  REQUIRE(C.Pods.size() == 2);
  CHECK(C.Pods[0].Name == "many");
  CHECK(C.Pods[0].EntryTimeout == 0);
  CHECK(C.Pods[0].AttrTimeout == 0);
  CHECK(C.Pods[1].Name == "single");
  CHECK(C.Pods[1].EntryTimeout > 0);
  REQUIRE(C.Pods[0].Peas.size() == 2);
  CHECK(C.Pods[0].Peas[1].Cgroup == "pea.b");
  CHECK(C.ImageDigest.rfind("sha256:", 0) == 0);
  CHECK(C.ImageDigest.size() == 7 + 64);
}

TEST_CASE("FuseConfig: JSON round trip, checked against its image", "[fuse][config]") {
  Image I(TwoPods);
  std::string Text = fuseConfigToJSON(deriveFuseConfig(I.Img));
  std::string Error;
  auto Back = parseFuseConfig("c.json", Text, Error);
  REQUIRE(Back);
  CHECK(fuseConfigToJSON(*Back) == Text);
  CHECK(checkFuseConfig(*Back, I.Img, Error));
  // Another image (one rule different): refused by digest.
  Image Other(R"(pod many {
  pea a { dir-default /tmp read }
  pea b { dir-default /srv read }
}
pod single {
  pea only { dir-default / allow }
}
)");
  CHECK_FALSE(checkFuseConfig(*Back, Other.Img, Error));
  CHECK(Error.find("another image") != std::string::npos);
  // A hand-edited layout the runtime's labels would not match.
  Back->Pods[0].Peas[0].Cgroup = "a";
  CHECK_FALSE(checkFuseConfig(*Back, I.Img, Error));
  CHECK(Error.find("cgroup 'a'") != std::string::npos);
}

TEST_CASE("FuseConfig: bad files give a place and a reason", "[fuse][config]") {
  std::string Error;
  CHECK_FALSE(parseFuseConfig("c.json", "{\n  \"format\": ,\n}", Error));
  CHECK(Error.rfind("c.json:2:13: error: not JSON", 0) == 0);
  CHECK_FALSE(parseFuseConfig("c.json", "", Error));
  CHECK(Error.rfind("c.json:1:1: error", 0) == 0);
  CHECK_FALSE(parseFuseConfig("c.json", "[]", Error));
  CHECK(Error == "c.json: error: config: expected an object");
  CHECK_FALSE(parseFuseConfig("c.json", R"({"format":"peapod-fuse-config","version":2})", Error));
  CHECK(Error.find("config.version: 2") != std::string::npos);
  Image I(TwoPods);
  std::string Text = fuseConfigToJSON(deriveFuseConfig(I.Img));
  std::string Bad = Text;
  Bad.replace(Bad.find("\"threads\": 4"), 12, "\"threads\": \"4\"");
  CHECK_FALSE(parseFuseConfig("c.json", Bad, Error));
  CHECK(Error == "c.json: error: config.pods[0].io.threads: expected an unsigned integer");
  Bad = Text;
  Bad.replace(Bad.find("\"attr_timeout\": 0.0"), 19, "\"attr_timeout\": -1");
  CHECK_FALSE(parseFuseConfig("c.json", Bad, Error));
  CHECK(Error.find("attr_timeout: a timeout is 0 to 86400 seconds") != std::string::npos);
  // Not UTF-8.
  CHECK_FALSE(parseFuseConfig("c.json", "{\"format\": \"\xff\"}", Error));
  CHECK(Error.find("c.json:1:") == 0);
}

TEST_CASE("FuseSetup: the runtime reads the file or derives it", "[fuse][config]") {
  Image I(TwoPods);
  runtime::FuseMountOptions Opts;
  std::string Error;
  REQUIRE(runtime::fuseMountOptionsFor("", I.Img, 1, Opts, Error));
  CHECK(Opts.EntryTimeout > 0);
  FuseConfig C = deriveFuseConfig(I.Img);
  C.Pods[1].Threads = 7;
  C.Pods[1].Passthrough = false;
  std::string Path = tempFile(fuseConfigToJSON(C));
  REQUIRE(runtime::fuseMountOptionsFor(Path, I.Img, 1, Opts, Error));
  CHECK(Opts.MaxThreads == 7);
  CHECK_FALSE(Opts.Passthrough);
  std::string Third = TwoPods + std::string("pod third { pea p { } }\n");
  Image Other(Third.c_str());
  CHECK_FALSE(runtime::fuseMountOptionsFor(Path, Other.Img, 1, Opts, Error));
  CHECK(Error.rfind(Path + ": error: the FUSE configuration was made for another image", 0) == 0);
  unlink(Path.c_str());
  CHECK_FALSE(runtime::fuseMountOptionsFor("/nonexistent/c.json", I.Img, 0, Opts, Error));
  CHECK(Error.rfind("cannot read '/nonexistent/c.json'", 0) == 0);
}
