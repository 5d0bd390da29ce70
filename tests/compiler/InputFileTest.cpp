//===- InputFileTest.cpp - Inputs read once, whatever they are ------------===//
#include "peapod/InputFile.h"
#include "SpecialFiles.h"
#include "TestUtil.h"
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

using namespace peapod;
using test::Deadline;
using test::FifoWriter;
using test::TempDir;

namespace {

/// The buffer's bytes, or "error: REASON".
std::string read(const std::string &Path, uint64_t Max = MaxInputBytes) {
  auto B = readInputFile(Path, Max);
  if (!B)
    return "error: " + llvm::toString(B.takeError());
  const llvm::MemoryBuffer &M = **B;
  // What every client relies on: NUL after the end, 8-byte alignment.
  CHECK(M.getBufferEnd()[0] == '\0');
  CHECK(reinterpret_cast<uintptr_t>(M.getBufferStart()) % 8 == 0);
  return M.getBuffer().str();
}

std::string bytes(size_t N, unsigned Seed = 1) {
  std::string S(N, '\0');
  for (size_t I = 0; I < N; ++I)
    S[I] = char((I * 131 + Seed * 7) % 251);
  return S;
}

} // namespace

TEST_CASE("a regular file is read whole, at any size", "[input]") {
  TempDir T;
  // Around the 64-byte header the old sniffing read, LLVM's mmap threshold
  // (16 KiB) and page multiples (no room for the terminator in a mapping).
  for (size_t N : {0, 1, 7, 8, 42, 63, 64, 65, 4095, 4096, 16383, 16384, 16385,
                   65536, 1 << 20}) {
    INFO(N);
    std::string Path = T.write("f" + std::to_string(N), bytes(N));
    CHECK(read(Path) == bytes(N));
  }
}

TEST_CASE("the buffer is named by the path, or <stdin>", "[input]") {
  TempDir T;
  std::string Path = T.write("p.pea", "pod p { }\n");
  auto B = readInputFile(Path);
  REQUIRE(bool(B));
  CHECK((*B)->getBufferIdentifier() == Path);
  test::StdinFrom In(Path);
  auto S = readInputFile("-");
  REQUIRE(bool(S));
  CHECK((*S)->getBufferIdentifier() == "<stdin>");
  CHECK((*S)->getBuffer() == "pod p { }\n");
}

TEST_CASE("standard input is read from where it stands", "[input]") {
  TempDir T;
  std::string Path = T.write("p.pea", "# skipped\npod p { }\n");
  test::StdinFrom In(Path);
  REQUIRE(::lseek(STDIN_FILENO, 10, SEEK_SET) == 10);
  CHECK(read("-") == "pod p { }\n");
}

TEST_CASE("/dev/null and an empty file are empty inputs", "[input]") {
  TempDir T;
  CHECK(read("/dev/null").empty());
  CHECK(read(T.write("empty.pea", "")).empty());
}

TEST_CASE("a FIFO is read once, to its end", "[input][fifo]") {
  TempDir T;
  std::string Fifo = T.path("fifo");
  REQUIRE(::mkfifo(Fifo.c_str(), 0600) == 0);
  Deadline D(30, "reading a FIFO");
  for (size_t N : {0, 5, 100000}) {
    INFO(N);
    FifoWriter W(Fifo, bytes(N, 3));
    CHECK(read(Fifo) == bytes(N, 3));
  }
}

TEST_CASE("a pipe behind /dev/fd is read to its end", "[input][fifo]") {
  int P[2];
  REQUIRE(::pipe(P) == 0);
  Deadline D(30, "reading a pipe");
  std::string Data = bytes(200000, 5);
  std::thread Writer([&] {
    for (size_t Off = 0; Off < Data.size();) {
      ssize_t W = ::write(P[1], Data.data() + Off,
                          std::min<size_t>(1000, Data.size() - Off));
      if (W <= 0)
        break;
      Off += size_t(W);
    }
    ::close(P[1]);
  });
  // What `peapodc query <(cat net.bin)` is given.
  std::string Got = read("/dev/fd/" + std::to_string(P[0]));
  Writer.join();
  ::close(P[0]);
  CHECK(Got == Data);
}

TEST_CASE("the size limit stops a file or an endless stream", "[input]") {
  TempDir T;
  std::string Ten = T.write("ten", "0123456789");
  CHECK(read(Ten, 10) == "0123456789");
  CHECK(read(Ten, 9) == "error: input exceeds 9 bytes");
  CHECK(read("/dev/zero", 4096) == "error: input exceeds 4096 bytes");
  CHECK(read("/dev/zero", 3 << 20) ==
        "error: input exceeds 3145728 bytes (3 MiB)");
  // A stream of exactly the limit is fine.
  std::string Fifo = T.path("fifo");
  REQUIRE(::mkfifo(Fifo.c_str(), 0600) == 0);
  Deadline D(30, "reading a FIFO");
  {
    FifoWriter W(Fifo, "0123456789");
    CHECK(read(Fifo, 10) == "0123456789");
  }
  {
    FifoWriter W(Fifo, "0123456789");
    CHECK(read(Fifo, 9) == "error: input exceeds 9 bytes");
  }
  CHECK(MaxInputBytes == uint64_t(1) << 30);
}

TEST_CASE("unreadable inputs say why", "[input]") {
  TempDir T;
  CHECK(read(T.path("missing")) == "error: No such file or directory");
  CHECK(read(T.dir("dir")) == "error: Is a directory");
  CHECK(read(std::string("a\0b", 3)) == "error: Invalid argument");
}

TEST_CASE("an image is told by its magic, not by its bytes", "[input]") {
  CHECK(isImage("PEAPODIM"));
  CHECK(isImage(std::string("PEAPODIM\0\0\0", 11)));
  CHECK_FALSE(isImage("PEAPODI"));
  CHECK_FALSE(isImage(""));
  CHECK_FALSE(isImage(std::string("pod\0p", 5)));
  CHECK_FALSE(isImage("pod p { pea a { path /PEAPODIM read } }"));
  CHECK(isRuleGroupPath("stdrules/stdlibs.rules"));
  CHECK_FALSE(isRuleGroupPath("mail.pea"));
  CHECK_FALSE(isRuleGroupPath("-"));
}

TEST_CASE("file identity sees through links", "[input]") {
  TempDir T;
  std::string A = T.write("a", "x"), B = T.write("b", "x");
  std::string Hard = T.path("hard"), Sym = T.path("sym");
  REQUIRE(::link(A.c_str(), Hard.c_str()) == 0);
  REQUIRE(::symlink(A.c_str(), Sym.c_str()) == 0);
  REQUIRE(fileIdentity(A));
  CHECK(fileIdentity(Hard) == fileIdentity(A));
  CHECK(fileIdentity(Sym) == fileIdentity(A));
  CHECK(fileIdentity(B) != fileIdentity(A));
  CHECK_FALSE(fileIdentity(T.path("missing")));
  test::StdinFrom In(A);
  CHECK(fileIdentity("-") == fileIdentity(A));
  CHECK(fileIdentity("<stdin>") == fileIdentity(A));
}

TEST_CASE("compileFile reads through the same reader", "[input][compile]") {
  TempDir T;
  // Shorter than an image header: once taken for a truncated image.
  std::string Small = T.write("s.pea", "pod p { pea a { path /x read } }\n");
  Compilation C;
  CHECK(C.compileFile(Small));
  CHECK(test::summary(C).empty());

  std::string Fifo = T.path("policy-fifo");
  REQUIRE(::mkfifo(Fifo.c_str(), 0600) == 0);
  Deadline D(30, "compiling a FIFO");
  FifoWriter W(Fifo, "pod p { pea a { path relative read } }\n");
  Compilation F;
  CHECK_FALSE(F.compileFile(Fifo));
  CHECK(test::summary(F) ==
        std::vector<std::string>{"E101 1:22 path 'relative' is not absolute"});
}
