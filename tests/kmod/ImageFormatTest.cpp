//===- ImageFormatTest.cpp - Determinism and the documented bytes ---------===//
#include "KmodTest.h"

#include "peapod/ImageDump.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace peapod;

namespace {

/// The worked example of docs/image-format.md.
const char *const Tiny = "pod web {\n"
                         "  pea httpd {\n"
                         "    path /srv read\n"
                         "    transition /srv/cgi cgi\n"
                         "    bind tcp/80\n"
                         "    namespace cgi\n"
                         "  }\n"
                         "  pea cgi {\n"
                         "  }\n"
                         "}\n";

std::string hexDump(llvm::StringRef Bytes) {
  std::string S;
  char Buf[4];
  for (size_t I = 0; I < Bytes.size(); ++I) {
    std::snprintf(Buf, sizeof Buf, "%02x", uint8_t(Bytes[I]));
    S += Buf;
    S += (I % 16 == 15) ? '\n' : ' ';
  }
  return S;
}

/// tiny-image.inc: the hex dump as a C string literal, line by line.
std::string includeFile(const std::string &Hex) {
  std::string S = "// The worked example of docs/image-format.md (tiny.pea, no "
                  "locations),\n"
                  "// as ImageFormatTest.cpp's hexDump prints it. Generated; "
                  "see that test.\n";
  for (size_t At = 0; At < Hex.size();) {
    size_t End = std::min(Hex.find('\n', At), Hex.size());
    S += "\"" + Hex.substr(At, End - At) + (End < Hex.size() ? "\\n" : "") +
         "\"\n";
    At = End + 1;
  }
  return S;
}

/// The bytes of the `xxd -g1` dump in docs/image-format.md's worked example
/// (lines "OFFSET: HH HH ...  ASCII"); empty if a line is out of place.
std::string documentedBytes() {
  std::ifstream Doc(PEAPOD_SOURCE_DIR "/docs/image-format.md");
  std::string Line, Bytes;
  bool InExample = false;
  while (std::getline(Doc, Line)) {
    if (Line.rfind("## ", 0) == 0)
      InExample = Line.rfind("## 10. Worked example", 0) == 0;
    if (!InExample || Line.size() < 12 || Line[8] != ':' ||
        !std::all_of(Line.begin(), Line.begin() + 8, ::isxdigit))
      continue;
    if (std::strtoul(Line.substr(0, 8).c_str(), nullptr, 16) != Bytes.size())
      return ""; // an offset that does not follow the previous line
    std::istringstream Hex(Line.substr(10, 47)); // 16 × "HH " less one
    for (std::string Byte; Hex >> Byte;)
      Bytes += char(std::stoul(Byte, nullptr, 16));
  }
  return Bytes;
}

std::string compileFileImage(const std::string &Path) {
  Compilation C;
  REQUIRE(C.compileFile(Path));
  return writeImage(C.policy());
}

} // namespace

TEST_CASE("same policy, same bytes", "[kmod][format]") {
  auto A = test::compile(Tiny), B = test::compile(Tiny);
  REQUIRE(A);
  REQUIRE(B);
  CHECK(writeImage(A->policy()) == writeImage(B->policy()));
  CHECK(writeImage(A->policy()) == writeImage(A->policy()));
}

TEST_CASE("the image does not depend on where the policy was compiled",
          "[kmod][format]") {
  llvm::SmallString<128> One, Two, Cwd;
  REQUIRE(!llvm::sys::fs::createUniqueDirectory("peapod-kmod-a", One));
  REQUIRE(!llvm::sys::fs::createUniqueDirectory("peapod-kmod-b", Two));
  REQUIRE(!llvm::sys::fs::current_path(Cwd));
  std::string InOne = (One + "/policy.pea").str();
  std::string InTwo = (Two + "/policy.pea").str();
  std::ofstream(InOne) << Tiny;
  std::ofstream(InTwo) << Tiny;

  std::string Absolute = compileFileImage(InOne);
  CHECK(compileFileImage(InTwo) == Absolute);
  REQUIRE(::chdir(Two.c_str()) == 0);
  std::string Relative = compileFileImage("policy.pea");
  REQUIRE(::chdir(Cwd.c_str()) == 0);
  CHECK(Relative == Absolute);
  // compileBuffer with another directory in the name, too.
  auto C = test::compile(Tiny, "/some/where/else/policy.pea");
  REQUIRE(C);
  CHECK(writeImage(C->policy()) == Absolute);

  for (const std::string &F : {InOne, InTwo})
    llvm::sys::fs::remove(F);
  llvm::sys::fs::remove(One);
  llvm::sys::fs::remove(Two);
}

TEST_CASE("the worked example's bytes", "[kmod][format]") {
  // docs/image-format.md shows this image byte for byte. A change here is a
  // format change: bump PPI_VERSION and update the document.
  auto C = test::compile(Tiny, "tiny.pea");
  REQUIRE(C);
  ImageWriteOptions NoLocations;
  NoLocations.Locations = false;
  std::string Image = writeImage(C->policy(), NoLocations);
  const char *const Expected =
#include "tiny-image.inc"
      ;
  CHECK(hexDump(Image) == Expected);
  // And the document shows exactly these bytes.
  CHECK(hexDump(documentedBytes()) == hexDump(Image));
  // After a deliberate format change: PEAPOD_WRITE_TINY_IMAGE=path/to/
  // tests/kmod/tiny-image.inc kmod_image_test "the worked example's bytes"
  // rewrites the expected bytes (then update the document to match).
  if (const char *Out = std::getenv("PEAPOD_WRITE_TINY_IMAGE"))
    std::ofstream(Out) << includeFile(hexDump(Image));
  // What the document shows the dump of.
  std::string Error;
  auto O = ImageOracle::fromBuffer(Image, Error);
  REQUIRE(O);
  nlohmann::json Dump = dumpImage(*O);
  CHECK(Dump["header"]["image_size"] == Image.size());
  CHECK(Dump["peas"][0]["tree"][2]["path"] == "/srv/cgi");
  CHECK(Dump["peas"][0]["tree"][2]["transition"] == 1);
  CHECK(Dump["rules"][1]["target"] == "cgi");
  CHECK(Dump["peas"][0]["namespace"]["peas"] == nlohmann::json{"cgi"});
  CHECK(Dump["peas"][1]["namespace"]["global"] == false);
  CHECK(Dump["peas"][0]["bind"]["ranges"][0] == "tcp/80");
}

TEST_CASE("the dump is valid JSON whatever bytes the names hold",
          "[kmod][format]") {
  auto C = test::compile(Tiny);
  REQUIRE(C);
  test::AlignedBytes Bytes(writeImage(C->policy()));
  auto *Strings = reinterpret_cast<const ppi_section *>(
      Bytes.data() + PPI_SECTION_TABLE_OFFSET);
  char *Web = Bytes.data() + Strings[0].offset; // "web", the first string
  REQUIRE(llvm::StringRef(Web, 3) == "web");
  Web[0] = '\xff'; // never valid in UTF-8
  Web[1] = '\xc3'; // a lead byte...
  Web[2] = '\xa9'; // ...and its continuation: "é", kept
  test::reseal(Bytes);
  ppi_image Img;
  std::string Error;
  REQUIRE(test::openImage(Bytes, Img, Error) == PPI_OK);
  nlohmann::json Dump = dumpImage(Img);
  CHECK(Dump["pods"][0]["name"] == "\\xff\xc3\xa9");
  CHECK_NOTHROW(Dump.dump());
}
