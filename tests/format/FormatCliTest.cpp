//===- FormatCliTest.cpp - peapodc fmt on real files ----------------------===//
#include "Driver.h"
#include "../compiler/TestUtil.h"
#include "FormatTestUtil.h"
#include "peapod/TextDiff.h"
#include <filesystem>
#include <fstream>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using peapod::driver::runPeapodc;
using peapod::test::readFile;
using peapod::test::TempDir;

namespace {

struct Run {
  int Status;
  std::string Out, Err;
};

Run peapodc(std::vector<std::string> Args) {
  std::string Out, Err;
  llvm::raw_string_ostream OS(Out), ES(Err);
  int Status = runPeapodc(Args, OS, ES);
  OS.flush();
  ES.flush();
  return {Status, Out, Err};
}

/// The binary, with standard input from `Stdin` (a file).
Run peapodcProcess(const std::string &Args, const std::string &Stdin,
                   const fs::path &Dir) {
  std::string Bin = PEAPOD_BINARY_DIR "/bin/peapodc";
  std::string Cmd = Bin + " " + Args + " < '" + Stdin + "' > '" +
                    (Dir / "stdout").string() + "' 2> '" +
                    (Dir / "stderr").string() + "'";
  int Raw = std::system(Cmd.c_str());
  return {WIFEXITED(Raw) ? WEXITSTATUS(Raw) : -1,
          readFile((Dir / "stdout").string()),
          readFile((Dir / "stderr").string())};
}


const std::string Messy = "pod p { pea a { path /a read,write\n"
                          "bind tcp/25 } }\n";
const std::string Tidy = "pod p {\n"
                         "  pea a {\n"
                         "    path /a read, write\n"
                         "    bind    tcp/25\n"
                         "  }\n"
                         "}\n";
const std::string Broken = "pod p { pea a { path /a } }\n";

struct stat statOf(const std::string &Path) {
  struct stat S {};
  REQUIRE(::lstat(Path.c_str(), &S) == 0);
  return S;
}

} // namespace

TEST_CASE("fmt rewrites files in place") {
  TempDir T;
  std::string A = T.write("a.pea", Messy), B = T.write("b.rules", "path /x  read\n");
  Run R = peapodc({"fmt", A, B});
  CHECK(R.Status == 0);
  CHECK(R.Out.empty());
  CHECK(R.Err.empty());
  CHECK(readFile(A) == Tidy);
  CHECK(readFile(B) == "path /x read\n");
}

TEST_CASE("fmt leaves a formatted file alone: same inode, same time") {
  TempDir T;
  std::string A = T.write("a.pea", Tidy);
  struct timespec Old[2] = {{1000000000, 0}, {1000000000, 0}};
  REQUIRE(::utimensat(AT_FDCWD, A.c_str(), Old, 0) == 0);
  struct stat Before = statOf(A);
  CHECK(peapodc({"fmt", A}).Status == 0);
  struct stat After = statOf(A);
  CHECK(After.st_ino == Before.st_ino);
  CHECK(After.st_mtim.tv_sec == 1000000000);
}

TEST_CASE("fmt keeps the file's mode and writes through a symbolic link") {
  TempDir T;
  std::string A = T.write("a.pea", Messy);
  REQUIRE(::chmod(A.c_str(), 0604) == 0);
  fs::create_symlink("a.pea", T.path("link.pea"));
  Run R = peapodc({"fmt", T.path("link.pea")});
  CHECK(R.Status == 0);
  CHECK(fs::is_symlink(T.path("link.pea")));
  CHECK(fs::read_symlink(T.path("link.pea")) == "a.pea");
  CHECK(readFile(A) == Tidy);
  CHECK((statOf(A).st_mode & 07777) == 0604);
  // Nothing is left behind: no temporary file beside it.
  CHECK(std::distance(fs::directory_iterator(T.path("")), fs::directory_iterator()) ==
        2);
}

TEST_CASE("fmt --check prints a unified diff and exits 1") {
  TempDir T;
  std::string A = T.write("a.pea", Messy), B = T.write("b.pea", Tidy);
  Run R = peapodc({"fmt", "--check", A, B});
  CHECK(R.Status == 1);
  CHECK(R.Out == peapod::unifiedDiff(Messy, Tidy, "a/" + A, "b/" + A));
  CHECK(R.Out.rfind("--- a/" + A + "\n+++ b/" + A + "\n@@ ", 0) == 0);
  CHECK(R.Err.empty());
  CHECK(readFile(A) == Messy); // nothing written
  R = peapodc({"fmt", "--check", B});
  CHECK(R.Status == 0);
  CHECK(R.Out.empty());
}

TEST_CASE("fmt leaves a file with syntax errors unchanged and says why") {
  TempDir T;
  std::string Bad = T.write("bad.pea", Broken), Good = T.write("good.pea", Messy);
  Run R = peapodc({"fmt", Bad, Good});
  CHECK(R.Status == 1);
  CHECK(readFile(Bad) == Broken);
  CHECK(readFile(Good) == Tidy); // the other file is still formatted
  CHECK(R.Err.find("bad.pea:1:25: error: expected 'read'") != std::string::npos);
  CHECK(R.Err.find("[E001]") != std::string::npos);
  CHECK(R.Err.find("peapodc: error: " + Bad +
                   " left unchanged: it has a syntax error\n") !=
        std::string::npos);
  R = peapodc({"fmt", "--check", Bad});
  CHECK(R.Status == 1);
  CHECK(R.Out.empty());
}

TEST_CASE("fmt DIR formats the policies and rule groups below it") {
  TempDir T;
  T.write("d/a.pea", Messy);
  T.write("d/sub/b.rules", "path /x  read\n");
  T.write("d/.hidden/c.pea", Messy);
  T.write("d/.dot.pea", Messy);
  T.write("d/notes.txt", Messy);
  T.write("elsewhere.pea", Messy);
  fs::create_symlink(T.path("elsewhere.pea"), T.path("d/link.pea"));
  Run R = peapodc({"fmt", "--check", T.path("d")});
  CHECK(R.Status == 1);
  CHECK(R.Out.find("a/" + (T.path("d/a.pea"))) != std::string::npos);
  CHECK(R.Out.find("a/" + (T.path("d/sub/b.rules"))) < std::string::npos);
  CHECK(R.Out.find("a/" + (T.path("d/a.pea"))) <
        R.Out.find("a/" + (T.path("d/sub/b.rules"))));
  CHECK(peapodc({"fmt", T.path("d")}).Status == 0);
  CHECK(readFile(T.path("d/a.pea")) == Tidy);
  CHECK(readFile(T.path("d/sub/b.rules")) == "path /x read\n");
  CHECK(readFile(T.path("d/.hidden/c.pea")) == Messy);
  CHECK(readFile(T.path("d/.dot.pea")) == Messy);
  CHECK(readFile(T.path("d/notes.txt")) == Messy);
  CHECK(readFile(T.path("elsewhere.pea")) == Messy);
  CHECK(peapodc({"fmt", "--check", T.path("d")}).Status == 0);
}

TEST_CASE("fmt - is a filter") {
  TempDir T;
  std::string In = T.write("in.pea", Messy);
  Run R = peapodcProcess("fmt -", In, T.path(""));
  CHECK(R.Status == 0);
  CHECK(R.Out == Tidy);
  // A syntax error: the input comes back as it was, and the errors on stderr.
  std::string Bad = T.write("bad.pea", Broken);
  R = peapodcProcess("fmt -", Bad, T.path(""));
  CHECK(R.Status == 1);
  CHECK(R.Out == Broken);
  CHECK(R.Err.find("<stdin>:1:25: error") != std::string::npos);
  CHECK(R.Err.find("<stdin> left unchanged") != std::string::npos);
  R = peapodcProcess("fmt --check -", In, T.path(""));
  CHECK(R.Status == 1);
  CHECK(R.Out.rfind("--- a/<stdin>\n+++ b/<stdin>\n", 0) == 0);
  CHECK(readFile(In) == Messy);
}

TEST_CASE("fmt refuses what it cannot format in place") {
  TempDir T;
  std::string Fifo = T.path("fifo.pea");
  REQUIRE(::mkfifo(Fifo.c_str(), 0600) == 0);
  // Refused before it is opened: opening a FIFO with no writer would block.
  Run R = peapodc({"fmt", Fifo});
  CHECK(R.Status == 2);
  CHECK(R.Err.find("not a regular file") != std::string::npos);

  std::string Policy = T.write("p.pea", Tidy);
  REQUIRE(peapodc({Policy, "-o", T.path("p.bin")}).Status == 0);
  R = peapodc({"fmt", T.path("p.bin")});
  CHECK(R.Status == 2);
  CHECK(R.Err.find("compiled image") != std::string::npos);

  R = peapodc({"fmt", T.path("missing.pea")});
  CHECK(R.Status == 2);
  CHECK(R.Err.find("cannot read") != std::string::npos);
}

TEST_CASE("fmt usage errors exit 2") {
  CHECK(peapodc({"fmt"}).Status == 2);
  CHECK(peapodc({"fmt", "-", "-"}).Status == 2);
  Run R = peapodc({"fmt", "--frobnicate", "x.pea"});
  CHECK(R.Status == 2);
  CHECK(R.Err.find("unknown option '--frobnicate'") != std::string::npos);
}

TEST_CASE("fmt has a manual") {
  Run R = peapodc({"fmt", "--help"});
  CHECK(R.Status == 0);
  CHECK(R.Out.rfind("NAME\n    peapodc fmt - ", 0) == 0);
  CHECK(R.Out.find("--check") != std::string::npos);
  CHECK(R.Out.find("EXIT STATUS") != std::string::npos);
  CHECK(peapodc({"help", "fmt"}).Out == R.Out);
  CHECK(peapodc({"--help"}).Out.find("peapodc fmt [--check]") !=
        std::string::npos);
}
