//===- FormatGoldenTest.cpp - The canonical style of the paper's listings -===//
//
// examples/ holds the paper's listings (Rules 1-11, some exactly as
// printed) and the diagnostics examples; tests/format/golden/ holds each
// formatted, reviewed by hand. PEAPOD_UPDATE_GOLDEN=1 rewrites the golden
// files from the formatter (review the diff before committing it).
//
//===----------------------------------------------------------------------===//
#include "FormatTestUtil.h"
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;
using namespace peapod;
using namespace peapod::test;

TEST_CASE("the examples format to the golden files") {
  const fs::path Examples = PEAPOD_SOURCE_DIR "/examples";
  const fs::path Golden = PEAPOD_SOURCE_DIR "/tests/format/golden";
  bool Update = std::getenv("PEAPOD_UPDATE_GOLDEN") != nullptr;
  unsigned Checked = 0;
  for (const auto &E : fs::recursive_directory_iterator(Examples)) {
    if (!E.is_regular_file() || (E.path().extension() != ".pea" &&
                                 E.path().extension() != ".rules"))
      continue;
    fs::path Rel = fs::relative(E.path(), Examples);
    INFO(Rel.string());
    FormatResult R = formatChecked(readFile(E.path().string()));
    fs::path Expected = Golden / Rel;
    if (!R.Formatted) {
      // Left untouched: there is no golden file, and a note says why.
      CHECK(Rel == fs::path("diagnostics/relative-path.pea"));
      CHECK_FALSE(fs::exists(Expected));
      continue;
    }
    if (Update) {
      fs::create_directories(Expected.parent_path());
      std::ofstream(Expected, std::ios::binary) << R.Text;
    }
    REQUIRE(fs::exists(Expected));
    CHECK(R.Text == readFile(Expected.string()));
    ++Checked;
  }
  CHECK(Checked >= 16);
}

TEST_CASE("the golden files are formatted") {
  for (const auto &E : fs::recursive_directory_iterator(
           PEAPOD_SOURCE_DIR "/tests/format/golden")) {
    if (!E.is_regular_file())
      continue;
    INFO(E.path().string());
    std::string Text = readFile(E.path().string());
    CHECK(fmt(Text) == Text);
  }
}
