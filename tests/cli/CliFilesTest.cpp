//===- CliFilesTest.cpp - peapodc's inputs and outputs, of every kind -----===//
//
// Inputs of every kind (short, empty, /dev/null, /dev/zero, FIFOs, pipes,
// standard input) and outputs of every kind (new, existing, symbolic links,
// devices, FIFOs, standard output, the input itself).
//
//===----------------------------------------------------------------------===//
#include "CliTest.h"
#include "SpecialFiles.h"
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace peapod::cli_test;
using peapod::test::Deadline;
using peapod::test::FifoReader;
using peapod::test::FifoWriter;
using peapod::test::StdinFrom;

namespace {

const std::vector<std::string> AskMail = {
    "--pod",  "mail-delivery",     "--pea",  "sendmail", "/etc/passwd", "/usr/",
    "--exec", "/usr/bin/procmail", "--bind", "tcp/25"};

std::vector<std::string> query(const std::string &Policy,
                               std::vector<std::string> Extra = {}) {
  std::vector<std::string> Args = {"query", Policy};
  Args.insert(Args.end(), AskMail.begin(), AskMail.end());
  Args.insert(Args.end(), Extra.begin(), Extra.end());
  return Args;
}

/// Compiles Mail to DIR/mail.bin; returns its bytes.
std::string compileMail(const TempDir &T) {
  std::string Policy = T.write("mail.pea", Mail);
  REQUIRE(peapodc({Policy, "-o", T / "mail.bin"}).Status == 0);
  return readFile(T / "mail.bin");
}

std::string makeFifo(const TempDir &T, const std::string &Name) {
  std::string Path = T / Name;
  fs::create_directories(fs::path(Path).parent_path());
  REQUIRE(::mkfifo(Path.c_str(), 0600) == 0);
  return Path;
}

bool contains(const std::string &S, const std::string &Part) {
  return S.find(Part) != std::string::npos;
}

std::vector<std::string> names(const TempDir &T) {
  std::vector<std::string> Out;
  for (const auto &E : fs::directory_iterator(T.Path))
    Out.push_back(E.path().filename().string());
  std::sort(Out.begin(), Out.end());
  return Out;
}

} // namespace

TEST_CASE("a policy shorter than an image header is a policy", "[cli][input]") {
  TempDir T;
  std::string Small = T.write("s.pea", "pod p { pea a { path /x read } }\n");
  REQUIRE(fs::file_size(Small) < 64);
  Run R = peapodc({"query", Small, "--pod", "p", "--pea", "a", "/x"});
  CHECK(R.Status == 0);
  CHECK(R.Err.empty());
  CHECK(R.Out == "pod p, pea a\n  r--  /x  [path /x (s.pea:1)]\n");
}

TEST_CASE("an empty file and /dev/null are (empty) policies", "[cli][input]") {
  TempDir T;
  std::string Empty = T.write("empty.pea", "");
  for (const std::string &P : {Empty, std::string("/dev/null")}) {
    INFO(P);
    Run Q = peapodc({"query", P, "--pod", "p", "--pea", "a", "/x"});
    CHECK(Q.Status == 2);
    CHECK(contains(Q.Err, "warning: policy defines no pods [W308]"));
    CHECK(contains(Q.Err, "peapodc: error: no pod 'p'"));
    CHECK_FALSE(contains(Q.Err, "image"));
    Run C = peapodc({"check", P});
    CHECK(C.Status == 0);
    CHECK(contains(C.Err, "[W308]"));
  }
}

TEST_CASE("query and dump read an image through a pipe",
          "[cli][input][process]") {
  TempDir T;
  compileMail(T);
  std::string Expected = peapodc(query(T / "mail.bin")).Out;
  REQUIRE_FALSE(Expected.empty());
  std::string Ask;
  for (const std::string &A : AskMail)
    Ask += " " + A;
  for (const std::string &Script :
       {"$PEAPODC query /dev/stdin" + Ask + " < mail.bin",
        "cat mail.bin | $PEAPODC query /dev/stdin" + Ask,
        "$PEAPODC query <(cat mail.bin)" + Ask,
        "cat mail.bin | $PEAPODC query -" + Ask}) {
    INFO(Script);
    Run R = shell(T, Script);
    CHECK(R.Status == 0);
    CHECK(R.Err.empty());
    CHECK(R.Out == Expected);
  }
  std::string Dump = peapodc({"dump", T / "mail.bin"}).Out;
  for (const std::string &Script :
       {std::string("$PEAPODC dump <(cat mail.bin)"),
        std::string("cat mail.bin | $PEAPODC dump -")}) {
    INFO(Script);
    Run R = shell(T, Script);
    CHECK(R.Status == 0);
    CHECK(R.Out == Dump);
  }
  // And a policy source through a pipe is a source (named as the shell
  // named it: /dev/fd/63).
  Run S = shell(T, "$PEAPODC query <(cat mail.pea)" + Ask);
  CHECK(S.Status == 0);
  CHECK(S.Err.empty());
  CHECK(contains(S.Out, "[dir-default /etc ("));
}

TEST_CASE("a FIFO is read once, to its end", "[cli][input][fifo]") {
  TempDir T;
  std::string Image = compileMail(T);
  // Named as the policy, so that the answers name the same file.
  std::string Fifo = makeFifo(T, "fifo/mail.pea");
  std::string Expected = peapodc(query(T / "mail.pea")).Out;
  Deadline D(60, "peapodc reading a FIFO");
  {
    FifoWriter W(Fifo, Mail);
    Run R = peapodc(query(Fifo));
    CHECK(R.Status == 0);
    CHECK(R.Out == Expected);
  }
  {
    FifoWriter W(Fifo, Image);
    Run R = peapodc(query(Fifo));
    CHECK(R.Status == 0);
    CHECK(R.Out == Expected);
  }
  {
    FifoWriter W(Fifo, Image);
    Run R = peapodc({"dump", Fifo});
    CHECK(R.Status == 0);
    CHECK(R.Out == peapodc({"dump", T / "mail.bin"}).Out);
  }
  {
    FifoWriter W(Fifo, Broken);
    Run R = peapodc({"check", Fifo});
    CHECK(R.Status == 1);
    CHECK(contains(R.Err, "mail.pea:3:23: error: unknown pea 'procmal'"));
  }
  {
    FifoWriter W(Fifo, Mail);
    CHECK(peapodc({Fifo, "-o", T / "fromfifo.bin"}).Status == 0);
    CHECK(fs::file_size(T / "fromfifo.bin") > 0);
  }
}

TEST_CASE("an endless input stops at the size limit", "[cli][input]") {
  Run C = peapodc({"check", "/dev/zero"});
  CHECK(C.Status == 2);
  CHECK(C.Err ==
        "fatal error: cannot read '/dev/zero': input exceeds 1073741824 "
        "bytes (1 GiB) [E901]\n1 error generated.\n");
  Run Q = peapodc({"query", "/dev/zero", "--pod", "p", "--pea", "a", "/x"});
  CHECK(Q.Status == 2);
  CHECK(Q.Err == "peapodc: error: cannot read '/dev/zero': input exceeds "
                 "1073741824 bytes (1 GiB)\n");
}

TEST_CASE("an image is not a policy, and a policy is not an image",
          "[cli][input]") {
  TempDir T;
  compileMail(T);
  // The name says nothing: the magic does.
  fs::copy_file(T / "mail.bin", T / "image.pea");
  for (const std::string &Image : {T / "mail.bin", T / "image.pea"}) {
    INFO(Image);
    Run C = peapodc({"check", Image});
    CHECK(C.Status == 2);
    CHECK(contains(C.Err, "error: '" + Image +
                              "' is a compiled image, not a policy source "
                              "[E903]"));
    Run O = peapodc({Image, "-o", T / "out.bin"});
    CHECK(O.Status == 2);
    CHECK(contains(O.Err, "[E903]"));
    CHECK_FALSE(fs::exists(T / "out.bin"));
  }
  Run D = peapodc({"dump", T / "mail.pea"});
  CHECK(D.Status == 2);
  CHECK(D.Err == "peapodc: error: '" + (T / "mail.pea") +
                     "' is a policy source, not a compiled image: compile it "
                     "first (peapodc " +
                     (T / "mail.pea") +
                     " -o IMAGE), or ask it directly with peapodc query\n");
}

TEST_CASE("'-' reads the policy from standard input", "[cli][input][stdin]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  std::string BrokenPolicy = T.write("broken.pea", Broken);
  {
    StdinFrom In(Policy);
    Run R = peapodc({"-", "-o", T / "stdin.bin"});
    CHECK(R.Status == 0);
  }
  // The same image as from the file, but for the name of the rules' file.
  REQUIRE(peapodc({Policy, "--no-locations", "-o", T / "a.bin"}).Status == 0);
  {
    StdinFrom In(Policy);
    REQUIRE(peapodc({"-", "--no-locations", "-o", T / "b.bin"}).Status == 0);
  }
  CHECK(readFile(T / "a.bin") == readFile(T / "b.bin"));
  {
    StdinFrom In(T / "stdin.bin");
    Run R = peapodc({"query", "-", "--pod", "mail-delivery", "--pea",
                     "sendmail", "/etc/passwd"});
    CHECK(R.Out == "pod mail-delivery, pea sendmail\n  r--  /etc/passwd  "
                   "[dir-default /etc (<stdin>:4)]\n");
  }
  {
    StdinFrom In(BrokenPolicy);
    Run R = peapodc({"check", "-"});
    CHECK(R.Status == 1);
    CHECK(contains(R.Err, "<stdin>:3:23: error: unknown pea 'procmal'"));
  }
  {
    StdinFrom In(BrokenPolicy);
    Run R = peapodc({"check", "--format", "json", "-"});
    CHECK(nlohmann::json::parse(R.Out)["files"][0]["file"] == "<stdin>");
  }
  {
    StdinFrom In(Policy);
    Run R = peapodc({"query", "-", "--pod", "mail-delivery", "--pea",
                     "sendmail", "/etc/passwd"});
    CHECK(R.Status == 0);
    CHECK(contains(R.Out, "(<stdin>:4)"));
  }
  Run NoOut = peapodc({"-"});
  CHECK(NoOut.Status == 2);
  CHECK(NoOut.Err == "peapodc: error: a policy read from standard input needs "
                     "an output: -o FILE, or -o - for standard output\n");
  CHECK(peapodc({"check", "-", "-"}).Status == 2);
}

TEST_CASE("'-o -' writes the image to standard output",
          "[cli][output][stdout]") {
  TempDir T;
  std::string Image = compileMail(T);
  Run R = peapodc({T / "mail.pea", "-o", "-"});
  CHECK(R.Status == 0);
  CHECK(R.Out == Image);
  CHECK(names(T) == std::vector<std::string>{"mail.bin", "mail.pea"});
  // On errors nothing goes down the pipe.
  std::string BrokenPolicy = T.write("broken.pea", Broken);
  Run B = peapodc({BrokenPolicy, "-o", "-"});
  CHECK(B.Status == 1);
  CHECK(B.Out.empty());
}

TEST_CASE("'-o -' refuses a terminal", "[cli][output][process]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  int Master = ::posix_openpt(O_RDWR | O_NOCTTY);
  REQUIRE(Master >= 0);
  REQUIRE(::grantpt(Master) == 0);
  REQUIRE(::unlockpt(Master) == 0);
  std::string Slave = ::ptsname(Master);
  Deadline D(60, "peapodc on a terminal");
  pid_t Child = ::fork();
  REQUIRE(Child >= 0);
  if (Child == 0) {
    int FD = ::open(Slave.c_str(), O_RDWR);
    ::dup2(FD, STDOUT_FILENO);
    int Err = ::open((T / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(Err, STDERR_FILENO);
    ::execl(Bin.c_str(), Bin.c_str(), Policy.c_str(), "-o", "-",
            "--no-analyze", nullptr);
    ::_exit(127);
  }
  std::string Seen;
  int Status = 0;
  for (;;) {
    // Drain the terminal (an image written there would fill it), until the
    // child is gone.
    char Buf[4096];
    pollfd P{Master, POLLIN, 0};
    if (::poll(&P, 1, 100) > 0 && (P.revents & POLLIN)) {
      ssize_t N = ::read(Master, Buf, sizeof Buf);
      if (N > 0)
        Seen.append(Buf, size_t(N));
    }
    if (::waitpid(Child, &Status, WNOHANG) == Child)
      break;
  }
  ::close(Master);
  CHECK(WIFEXITED(Status));
  CHECK(WEXITSTATUS(Status) == 2);
  CHECK(Seen.find("PEAPODIM") == std::string::npos);
  CHECK(readFile(T / "err") ==
        "peapodc: error: refusing to write binary output to a terminal "
        "(redirect standard output, or write a file with -o FILE)\n");
}

TEST_CASE("'-o /dev/null' leaves the device a device", "[cli][output][root]") {
  // Our own /dev/null and /dev/full (a regression must not replace the
  // system's).
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  std::string Null = T / "null", Full = T / "full";
  if (!peapod::test::makeDevNull(Null) || !peapod::test::makeDevFull(Full)) {
    WARN("cannot make device nodes (not root?); skipped");
    return;
  }
  Run R = peapodc({Policy, "-o", Null});
  CHECK(R.Status == 0);
  struct stat St;
  REQUIRE(::stat(Null.c_str(), &St) == 0);
  CHECK(S_ISCHR(St.st_mode));
  Run F = peapodc({Policy, "-o", Full, "--no-analyze"});
  CHECK(F.Status == 2);
  CHECK(F.Err == "peapodc: error: cannot write '" + Full +
                     "': No space left on device\n");
  REQUIRE(::stat(Full.c_str(), &St) == 0);
  CHECK(S_ISCHR(St.st_mode));
  CHECK(names(T) == std::vector<std::string>{"full", "mail.pea", "null"});
}

TEST_CASE("an output FIFO is written directly", "[cli][output][fifo]") {
  TempDir T;
  std::string Image = compileMail(T);
  std::string Fifo = makeFifo(T, "out.fifo");
  Deadline D(60, "peapodc writing a FIFO");
  FifoReader Reader(Fifo);
  CHECK(peapodc({T / "mail.pea", "-o", Fifo}).Status == 0);
  CHECK(Reader.bytes() == Image);
  struct stat St;
  REQUIRE(::stat(Fifo.c_str(), &St) == 0);
  CHECK(S_ISFIFO(St.st_mode));
}

TEST_CASE("an output that is an input is refused, the input untouched",
          "[cli][output]") {
  TempDir T;
  std::string Policy = T.write("p.pea", "pod p { pea a {\n  include \"g\"\n"
                                        "  path /x read\n} }\n");
  std::string Group = T.write("g.rules", "path /g read\n");
  std::string Hard = T / "hard.pea", Sym = T / "sym.pea";
  REQUIRE(::link(Policy.c_str(), Hard.c_str()) == 0);
  REQUIRE(::symlink("p.pea", Sym.c_str()) == 0);
  const std::string Before = readFile(Policy);
  for (const std::string &Out : {Policy, Hard, Sym}) {
    INFO(Out);
    Run R = peapodc({Policy, "-o", Out});
    CHECK(R.Status == 2);
    CHECK(R.Err == "peapodc: error: refusing to write '" + Out +
                       "': it is the same file as the input '" + Policy +
                       "'\n");
    CHECK(readFile(Policy) == Before);
    CHECK(fs::is_symlink(Sym));
  }
  // An included rule group is an input too.
  Run G = peapodc({Policy, "-o", Group});
  CHECK(G.Status == 2);
  CHECK(contains(G.Err, "it is the same file as the input"));
  CHECK(readFile(Group) == "path /g read\n");
  // So is standard input.
  std::string Plain = T.write("plain.pea", "pod p { pea a { } }\n");
  {
    StdinFrom In(Plain);
    Run S = peapodc({"-", "-o", Plain});
    CHECK(S.Status == 2);
    CHECK(contains(S.Err, "the same file as the input '<stdin>'"));
  }
  CHECK(readFile(Plain) == "pod p { pea a { } }\n");
  CHECK(names(T) == std::vector<std::string>{"g.rules", "hard.pea", "p.pea",
                                             "plain.pea", "sym.pea"});
}

TEST_CASE("a symbolic link output writes its target and stays a link",
          "[cli][output][symlink]") {
  TempDir T;
  std::string Image = compileMail(T);
  fs::create_directories(T.Path / "images");
  std::string Target = T.write("images/current.bin", "old image");
  std::string Link = T / "link.bin";
  REQUIRE(::symlink("images/current.bin", Link.c_str()) == 0);
  CHECK(peapodc({T / "mail.pea", "-o", Link}).Status == 0);
  CHECK(fs::is_symlink(Link));
  CHECK(readFile(Target) == Image);
}

TEST_CASE("a full disk fails cleanly", "[cli][output][root]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  std::string Dir = T / "small";
  fs::create_directories(Dir);
  // One page: the old file takes it, the new image finds no room.
  if (::mount("tmpfs", Dir.c_str(), "tmpfs", 0, "size=4k") != 0) {
    WARN("cannot mount a tmpfs (not root?); skipped");
    return;
  }
  std::ofstream(Dir + "/mail.bin") << "old";
  Run R = peapodc({Policy, "-o", Dir + "/mail.bin", "--no-analyze"});
  std::vector<std::string> Left;
  for (const auto &E : fs::directory_iterator(Dir))
    Left.push_back(E.path().filename().string());
  std::string Kept = readFile(Dir + "/mail.bin");
  ::umount2(Dir.c_str(), MNT_DETACH);
  CHECK(R.Status == 2);
  CHECK(R.Err == "peapodc: error: cannot write '" + Dir +
                     "/mail.bin': No space left on device\n");
  CHECK(Kept == "old");
  CHECK(Left == std::vector<std::string>{"mail.bin"});
}

TEST_CASE("show reads its input as query does", "[cli][input][show]") {
  TempDir T;
  compileMail(T);
  std::vector<std::string> Ask = {"--pod", "mail-delivery", "--pea",
                                  "sendmail"};
  std::vector<std::string> FromFile = {"show", T / "mail.bin"};
  FromFile.insert(FromFile.end(), Ask.begin(), Ask.end());
  Run Expected = peapodc(FromFile);
  REQUIRE(Expected.Status == 0);
  {
    StdinFrom In(T / "mail.bin");
    std::vector<std::string> FromStdin = {"show", "-"};
    FromStdin.insert(FromStdin.end(), Ask.begin(), Ask.end());
    Run R = peapodc(FromStdin);
    CHECK(R.Status == 0);
    CHECK(R.Out == Expected.Out);
  }
  std::string Fifo = makeFifo(T, "fifo/mail.bin");
  Deadline D(60, "peapodc show reading a FIFO");
  {
    FifoWriter W(Fifo, readFile(T / "mail.bin"));
    std::vector<std::string> FromFifo = {"show", Fifo};
    FromFifo.insert(FromFifo.end(), Ask.begin(), Ask.end());
    Run R = peapodc(FromFifo);
    CHECK(R.Status == 0);
    CHECK(R.Out == Expected.Out);
  }
  std::string Group = T.write("g.rules", "path /x read\n");
  Run G = peapodc({"show", Group});
  CHECK(G.Status == 2);
  CHECK(contains(G.Err, "is a rule group, not a policy"));
}
