//===- OutputFileTest.cpp - Outputs that never damage a file --------------===//
#include "peapod/OutputFile.h"
#include "SpecialFiles.h"
#include "TestUtil.h"
#include "peapod/InputFile.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace peapod;
using test::Deadline;
using test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

/// Writes `Bytes` to `Path`; "" on success, else the message.
std::string put(const std::string &Path, llvm::StringRef Bytes,
                const OutputOptions &Opts = {}) {
  auto Out = OutputFile::create(Path, Opts);
  if (!Out)
    return llvm::toString(Out.takeError());
  (*Out)->os() << Bytes;
  if (llvm::Error E = (*Out)->commit())
    return llvm::toString(std::move(E));
  return "";
}

/// The names in `Dir` (to see that no temporary is left behind).
std::vector<std::string> names(const std::string &Dir) {
  std::vector<std::string> Out;
  for (const auto &E : fs::directory_iterator(Dir))
    Out.push_back(E.path().filename().string());
  std::sort(Out.begin(), Out.end());
  return Out;
}

OutputOptions::Input input(const std::string &Path) {
  std::optional<llvm::sys::fs::UniqueID> ID = fileIdentity(Path);
  REQUIRE(ID);
  return {*ID, Path};
}

/// A tmpfs mounted for the test (needs root, as CI is); unmounted on every
/// path.
struct Tmpfs {
  std::string Dir;
  bool Mounted = false;
  Tmpfs(const std::string &Dir, const char *Options, unsigned long Flags = 0)
      : Dir(Dir) {
    fs::create_directories(Dir);
    Mounted = ::mount("tmpfs", Dir.c_str(), "tmpfs", Flags, Options) == 0;
    if (!Mounted)
      WARN("cannot mount a tmpfs (not root?): " << std::strerror(errno)
                                                << "; part skipped");
  }
  ~Tmpfs() {
    if (Mounted)
      ::umount2(Dir.c_str(), MNT_DETACH);
  }
};

/// A stream that says it is a terminal.
class FakeTerminal : public llvm::raw_string_ostream {
public:
  using raw_string_ostream::raw_string_ostream;
  bool is_displayed() const override { return true; }
};

} // namespace

TEST_CASE("a new file is created whole, with no temporary left", "[output]") {
  TempDir T;
  CHECK(put(T.path("out.bin"), "image") == "");
  CHECK(slurp(T.path("out.bin")) == "image");
  CHECK(names(T.path("")) == std::vector<std::string>{"out.bin"});
}

TEST_CASE("a regular file is replaced atomically and keeps its mode",
          "[output]") {
  TempDir T;
  std::string Path = T.write("out.bin", "old");
  REQUIRE(::chmod(Path.c_str(), 0640) == 0);
  struct stat Before;
  REQUIRE(::stat(Path.c_str(), &Before) == 0);
  CHECK(put(Path, "new") == "");
  struct stat After;
  REQUIRE(::stat(Path.c_str(), &After) == 0);
  CHECK(slurp(Path) == "new");
  CHECK((After.st_mode & 07777) == 0640);
  CHECK(After.st_ino != Before.st_ino); // renamed over, not rewritten
  CHECK(names(T.path("")) == std::vector<std::string>{"out.bin"});
}

TEST_CASE("an output not committed leaves the old file", "[output]") {
  TempDir T;
  std::string Path = T.write("out.bin", "old");
  {
    auto Out = OutputFile::create(Path);
    REQUIRE(bool(Out));
    (*Out)->os() << "half an ima";
  } // destroyed without commit: an error happened
  CHECK(slurp(Path) == "old");
  CHECK(names(T.path("")) == std::vector<std::string>{"out.bin"});
  {
    auto Out = OutputFile::create(T.path("new.bin"));
    REQUIRE(bool(Out));
    (*Out)->os() << "half";
    (*Out)->discard();
  }
  CHECK_FALSE(fs::exists(T.path("new.bin")));
  CHECK(names(T.path("")) == std::vector<std::string>{"out.bin"});
}

TEST_CASE("a symbolic link's target is written; the link stays",
          "[output][symlink]") {
  TempDir T;
  std::string Target = T.write("real/target.bin", "old");
  std::string Link = T.path("link.bin");
  REQUIRE(::symlink("real/target.bin", Link.c_str()) == 0);
  CHECK(put(Link, "new") == "");
  CHECK(fs::is_symlink(Link));
  CHECK(slurp(Target) == "new");
  CHECK(names(T.path("real")) == std::vector<std::string>{"target.bin"});

  // A link to a link; a dangling link creates its target.
  std::string Chain = T.path("chain.bin");
  REQUIRE(::symlink("link.bin", Chain.c_str()) == 0);
  CHECK(put(Chain, "newer") == "");
  CHECK(slurp(Target) == "newer");
  std::string Dangling = T.path("dangling.bin");
  REQUIRE(::symlink("real/created.bin", Dangling.c_str()) == 0);
  CHECK(put(Dangling, "made") == "");
  CHECK(fs::is_symlink(Dangling));
  CHECK(slurp(T.path("real/created.bin")) == "made");

  std::string Loop = T.path("loop");
  REQUIRE(::symlink("loop", Loop.c_str()) == 0);
  CHECK(put(Loop, "x") ==
        "cannot write '" + Loop + "': Too many levels of symbolic links");
}

TEST_CASE("a device is written in place and stays a device",
          "[output][device][root]") {
  // Our own /dev/null and /dev/full: a regression must not replace the
  // system's.
  TempDir T;
  std::string Null = T.path("null"), Full = T.path("full");
  if (!test::makeDevNull(Null) || !test::makeDevFull(Full)) {
    WARN("cannot make device nodes (not root?); skipped");
    return;
  }
  CHECK(put(Null, "image") == "");
  struct stat St;
  REQUIRE(::stat(Null.c_str(), &St) == 0);
  CHECK(S_ISCHR(St.st_mode));
  CHECK(put(Full, "image") ==
        "cannot write '" + Full + "': No space left on device");
  REQUIRE(::stat(Full.c_str(), &St) == 0);
  CHECK(S_ISCHR(St.st_mode));
  CHECK(names(T.path("")) == std::vector<std::string>{"full", "null"});
}

TEST_CASE("a FIFO is written in place, all of it", "[output][fifo]") {
  TempDir T;
  std::string Fifo = T.path("fifo");
  REQUIRE(::mkfifo(Fifo.c_str(), 0600) == 0);
  Deadline D(30, "writing a FIFO");
  std::string Bytes(300000, 'x');
  test::FifoReader Reader(Fifo);
  CHECK(put(Fifo, Bytes) == "");
  CHECK(Reader.bytes() == Bytes);
  struct stat St;
  REQUIRE(::stat(Fifo.c_str(), &St) == 0);
  CHECK(S_ISFIFO(St.st_mode));
  CHECK(names(T.path("")) == std::vector<std::string>{"fifo"});
}

TEST_CASE("every output can be patched at offset 0 (pwrite)", "[output]") {
  TempDir T;
  std::string Fifo = T.path("fifo");
  REQUIRE(::mkfifo(Fifo.c_str(), 0600) == 0);
  Deadline D(30, "writing a FIFO");
  test::FifoReader Reader(Fifo);
  std::string Stdout;
  llvm::raw_string_ostream S(Stdout);
  OutputOptions ToString;
  ToString.Stdout = &S;
  for (const std::string &Path : {T.path("file.bin"), Fifo, std::string("-")}) {
    INFO(Path);
    auto Out = OutputFile::create(Path, ToString);
    REQUIRE(bool(Out));
    (*Out)->os() << "....body";
    (*Out)->os().pwrite("HEAD", 4, 0);
    REQUIRE(!(*Out)->commit());
  }
  CHECK(slurp(T.path("file.bin")) == "HEADbody");
  CHECK(Reader.bytes() == "HEADbody");
  CHECK(S.str() == "HEADbody");
}

TEST_CASE("standard output gets the bytes only on commit", "[output]") {
  std::string Stdout;
  llvm::raw_string_ostream S(Stdout);
  OutputOptions Opts;
  Opts.Stdout = &S;
  {
    auto Out = OutputFile::create("-", Opts);
    REQUIRE(bool(Out));
    (*Out)->os() << "partial";
  } // an error: nothing reaches the pipe
  CHECK(S.str().empty());
  CHECK(put("-", "whole", Opts) == "");
  CHECK(S.str() == "whole");
}

TEST_CASE("binary output to a terminal is refused", "[output]") {
  std::string Text;
  FakeTerminal Term(Text);
  OutputOptions Opts;
  Opts.Stdout = &Term;
  CHECK(put("-", "text is fine", Opts) == "");
  Opts.Binary = true;
  CHECK(put("-", "PEAPODIM", Opts) ==
        "refusing to write binary output to a terminal (redirect standard "
        "output, or write a file with -o FILE)");
  CHECK(Term.str() == "text is fine");
}

TEST_CASE("an output that is an input is refused, by any name",
          "[output][input]") {
  TempDir T;
  std::string Policy = T.write("p.pea", "pod p { }\n");
  std::string Hard = T.path("hard.pea"), Sym = T.path("sym.pea");
  REQUIRE(::link(Policy.c_str(), Hard.c_str()) == 0);
  REQUIRE(::symlink("p.pea", Sym.c_str()) == 0);
  OutputOptions Opts;
  Opts.Inputs.push_back(input(Policy));
  for (const std::string &Out : {Policy, Hard, Sym}) {
    INFO(Out);
    CHECK(put(Out, "image", Opts) == "refusing to write '" + Out +
                                         "': it is the same file as the "
                                         "input '" +
                                         Policy + "'");
    CHECK(slurp(Policy) == "pod p { }\n");
  }
  CHECK(names(T.path("")) ==
        std::vector<std::string>{"hard.pea", "p.pea", "sym.pea"});
  // A device that is also an input destroys nothing.
  std::string Null = T.path("null");
  if (test::makeDevNull(Null)) {
    Opts.Inputs.push_back(input(Null));
    CHECK(put(Null, "image", Opts) == "");
  }
}

TEST_CASE("paths that cannot be written say why", "[output]") {
  TempDir T;
  CHECK(put(T.dir("dir"), "x") ==
        "cannot write '" + T.path("dir") + "': Is a directory");
  CHECK(put(T.path("no/such/out.bin"), "x") ==
        "cannot write '" + T.path("no/such/out.bin") +
            "': No such file or directory");
  CHECK(put("", "x") == "cannot write '': No such file or directory");
}

TEST_CASE("a full disk leaves the old file and no temporary",
          "[output][root]") {
  TempDir T;
  Tmpfs Small(T.path("small"), "size=64k");
  if (!Small.Mounted)
    return;
  std::string Path = Small.Dir + "/out.bin";
  CHECK(put(Path, "old") == "");
  std::string Huge(1 << 20, 'x');
  CHECK(put(Path, Huge) ==
        "cannot write '" + Path + "': No space left on device");
  CHECK(slurp(Path) == "old");
  CHECK(names(Small.Dir) == std::vector<std::string>{"out.bin"});
}

TEST_CASE("a read-only directory is an error, not a partial file",
          "[output][root]") {
  TempDir T;
  Tmpfs ReadOnly(T.path("ro"), "size=64k", MS_RDONLY);
  if (!ReadOnly.Mounted)
    return;
  std::string Path = ReadOnly.Dir + "/out.bin";
  CHECK(put(Path, "x") == "cannot write '" + Path + "': Read-only file system");
  CHECK(names(ReadOnly.Dir).empty());
}
