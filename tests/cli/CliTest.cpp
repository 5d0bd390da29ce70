//===- CliTest.cpp - peapodc's command line: exit codes, files, output ----===//
#include "Driver.h"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace fs = std::filesystem;
using peapod::driver::runPeapodc;

namespace {

struct Run {
  int Status;
  std::string Out, Err;
};

Run peapodc(std::vector<std::string> Args, bool Colors = false) {
  std::string Out, Err;
  llvm::raw_string_ostream OS(Out), ES(Err);
  int Status = runPeapodc(Args, OS, ES, Colors);
  OS.flush();
  ES.flush();
  return {Status, Out, Err};
}

/// A fresh directory per test, removed afterwards.
struct TempDir {
  fs::path Path;
  TempDir() {
    static int Counter = 0;
    Path = fs::temp_directory_path() /
           ("peapod-cli-" + std::to_string(::getpid()) + "-" +
            std::to_string(Counter++));
    fs::remove_all(Path);
    fs::create_directories(Path);
  }
  ~TempDir() { fs::remove_all(Path); }
  std::string write(const std::string &Name, const std::string &Text) const {
    std::ofstream(Path / Name) << Text;
    return (Path / Name).string();
  }
  std::string operator/(const std::string &Name) const {
    return (Path / Name).string();
  }
};

std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

const char *const Mail = R"(# Rule 9, with the includes left out
pod mail-delivery {
  pea sendmail {
    dir-default /etc read
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

const char *const Broken = R"(pod p {
  pea a {
    transition /bin/x procmal
    path relative read
  }
  pea procmail { }
}
)";

} // namespace

TEST_CASE("compiling writes an image and exits 0", "[cli]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  Run R = peapodc({Policy, "-o", T / "mail.bin"});
  CHECK(R.Status == 0);
  CHECK(R.Err.empty());
  REQUIRE(fs::exists(T / "mail.bin"));
  CHECK(fs::file_size(T / "mail.bin") > 0);
}

TEST_CASE("compiling is deterministic", "[cli]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  REQUIRE(peapodc({Policy, "-o", T / "a.bin"}).Status == 0);
  REQUIRE(peapodc({Policy, "-o", T / "b.bin"}).Status == 0);
  CHECK(readFile(T / "a.bin") == readFile(T / "b.bin"));
}

TEST_CASE("a policy with errors exits 1 and writes nothing", "[cli]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  Run R = peapodc({Policy, "-o", T / "out.bin"});
  CHECK(R.Status == 1);
  CHECK_FALSE(fs::exists(T / "out.bin"));
  CHECK(R.Err.find("broken.pea:3:23: error: unknown pea 'procmal' in pod 'p' "
                   "[E301]") != std::string::npos);
  CHECK(R.Err.find("did you mean 'procmail'?") != std::string::npos);
  CHECK(R.Err.find("broken.pea:4:10: error: path 'relative' is not absolute "
                   "[E101]") != std::string::npos);
  CHECK(R.Err.find("2 errors generated.") != std::string::npos);
  // No temporary file is left behind either.
  for (const auto &E : fs::directory_iterator(T.Path))
    CHECK(E.path().filename() == "broken.pea");
}

TEST_CASE("a policy with errors leaves an existing output untouched", "[cli]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  T.write("out.bin", "previous contents");
  CHECK(peapodc({Policy, "-o", T / "out.bin"}).Status == 1);
  CHECK(readFile(T / "out.bin") == "previous contents");
}

TEST_CASE("usage and I/O errors exit 2", "[cli]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  CHECK(peapodc({}).Status == 2);
  CHECK(peapodc({T / "missing.pea", "-o", T / "x.bin"}).Status == 2);
  CHECK_FALSE(fs::exists(T / "x.bin"));
  CHECK(peapodc({Policy, "--bogus"}).Status == 2);
  CHECK(peapodc({Policy, "-o"}).Status == 2);
  CHECK(peapodc({Policy, "--target", "elf"}).Status == 2);
  CHECK(peapodc({Policy, "-o", T / "no/such/dir/out.bin"}).Status == 2);
  CHECK(peapodc({"check"}).Status == 2);
  CHECK(peapodc({"check", Policy, "--format", "xml"}).Status == 2);
  CHECK(peapodc({"dump"}).Status == 2);
  CHECK(peapodc({"dump", Policy}).Status == 2);
  CHECK(peapodc({"query", Policy, "--pea", "sendmail"}).Status == 2);
}

TEST_CASE("an option without its value is named", "[cli]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  for (const char *Option : {"-o", "-I", "--stdrules", "--target"}) {
    Run R = peapodc({Policy, Option});
    CHECK(R.Status == 2);
    CHECK(R.Err == std::string("peapodc: error: option '") + Option +
                       "' requires a value\n");
  }
  CHECK(peapodc({"query", Policy, "--pod"}).Err ==
        "peapodc: error: option '--pod' requires a value\n");
}

TEST_CASE("an unreadable file reports the path and the reason", "[cli]") {
  TempDir T;
  Run R = peapodc({"check", T / "missing.pea"});
  CHECK(R.Status == 2);
  CHECK(R.Err.find("cannot read '" + (T / "missing.pea") +
                   "': No such file or directory [E901]") != std::string::npos);
}

TEST_CASE("help and version", "[cli]") {
  for (std::vector<std::string> Args :
       {std::vector<std::string>{"--help"}, {"-h"}, {"help"}}) {
    Run R = peapodc(Args);
    CHECK(R.Status == 0);
    CHECK(R.Out.find("SYNOPSIS") != std::string::npos);
    CHECK(R.Out.find("EXIT STATUS") != std::string::npos);
  }
  for (const char *Command : {"check", "query", "dump"}) {
    Run R = peapodc({Command, "--help"});
    CHECK(R.Status == 0);
    CHECK(R.Out.find(std::string("peapodc ") + Command) != std::string::npos);
    CHECK(peapodc({"help", Command}).Out == R.Out);
  }
  Run V = peapodc({"--version"});
  CHECK(V.Status == 0);
  CHECK(V.Out.rfind("peapodc ", 0) == 0);
}

TEST_CASE("check prints diagnostics as JSON", "[cli]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  Run R = peapodc({"check", Policy, "--format", "json"});
  CHECK(R.Status == 1);
  nlohmann::json J = nlohmann::json::parse(R.Out);
  REQUIRE(J["files"].size() == 1);
  const auto &F = J["files"][0];
  CHECK(F["errors"] == 2);
  // Parse errors come first, then the checks after lowering.
  REQUIRE(F["diagnostics"].size() == 2);
  CHECK(F["diagnostics"][0]["id"] == "E101");
  const auto &D = F["diagnostics"][1];
  CHECK(D["id"] == "E301");
  CHECK(D["name"] == "unknown-pea");
  CHECK(D["severity"] == "error");
  CHECK(D["line"] == 3);
  CHECK(D["column"] == 23);
  CHECK(D["endColumn"] == 30);
  REQUIRE(D["notes"].size() == 1);
  CHECK(D["notes"][0]["message"] == "did you mean 'procmail'?");
}

TEST_CASE("colours only when asked or on a terminal", "[cli]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  CHECK(peapodc({"check", Policy}).Err.find('\x1b') == std::string::npos);
  CHECK(peapodc({"check", Policy, "--color=always"}).Err.find('\x1b') !=
        std::string::npos);
  CHECK(peapodc({"check", Policy}, /*Colors=*/true).Err.find('\x1b') !=
        std::string::npos);
  CHECK(peapodc({"check", Policy, "--color", "never"}, true).Err.find('\x1b') ==
        std::string::npos);
}

TEST_CASE("query answers identically from source and from the image",
          "[cli][query]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  REQUIRE(peapodc({Policy, "-o", T / "mail.bin"}).Status == 0);
  std::vector<std::string> Ask = {
      "--pod",     "mail-delivery", "--pea",           "sendmail",
      "/etc/passwd", "/etc/",       "/",               "/usr/",
      "/usr/bin/procmail", "/var/spool/mqueue/x/", "/root/.ssh/id_rsa",
      "--exec",    "/usr/bin/procmail", "--exec",       "/bin/sh",
      "--bind",    "tcp/25",        "--bind",          "tcp/26",
      "--connect", "udp/53",        "--touch",         "procmail",
      "--touch",   "sendmail"};
  for (const char *Format : {"json", "text"}) {
    std::vector<std::string> FromSource = {"query", Policy, "--format", Format};
    std::vector<std::string> FromImage = {"query", T / "mail.bin", "--format",
                                          Format};
    FromSource.insert(FromSource.end(), Ask.begin(), Ask.end());
    FromImage.insert(FromImage.end(), Ask.begin(), Ask.end());
    Run S = peapodc(FromSource), I = peapodc(FromImage);
    CHECK(S.Status == 0);
    CHECK(I.Status == 0);
    CHECK(S.Out == I.Out);
  }
}

TEST_CASE("query JSON has the documented shape", "[cli][query]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  Run R = peapodc({"query", Policy, "--pod", "mail-delivery", "--pea",
                   "sendmail", "--format", "json", "/etc/passwd", "/usr/",
                   "--exec", "/usr/bin/procmail", "--bind", "tcp/25",
                   "--connect", "tcp/80", "--touch", "procmail"});
  REQUIRE(R.Status == 0);
  nlohmann::json J = nlohmann::json::parse(R.Out);
  CHECK(J["pod"] == "mail-delivery");
  CHECK(J["pea"] == "sendmail");
  CHECK(J["paths"][0] == nlohmann::json::parse(
                             R"({"path":"/etc/passwd","kind":"file","access":"r--",
          "rule":{"kind":"dir-default","path":"/etc","file":"mail.pea","line":4}})"));
  CHECK(J["paths"][1]["kind"] == "directory");
  CHECK(J["paths"][1]["access"] == "--x");
  CHECK(J["paths"][1]["rule"]["kind"] == "implicit");
  CHECK(J["exec"][0]["allowed"] == true);
  CHECK(J["exec"][0]["pea"] == "procmail");
  CHECK(J["exec"][0]["transition"]["line"] == 7);
  CHECK(J["bind"][0] == nlohmann::json::parse(R"({"spec":"tcp/25","allowed":true})"));
  CHECK(J["connect"][0]["allowed"] == true);
  CHECK(J["touch"][0] == nlohmann::json::parse(R"({"pea":"procmail","allowed":false})"));
}

TEST_CASE("query rejects unknown names and relative paths", "[cli][query]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  Run R = peapodc({"query", Policy, "--pod", "mail-delivery", "--pea",
                   "sendmial", "/etc/passwd"});
  CHECK(R.Status == 2);
  CHECK(R.Err.find("did you mean 'sendmail'?") != std::string::npos);
  CHECK(peapodc({"query", Policy, "--pod", "mail", "--pea", "sendmail"})
            .Status == 2);
  CHECK(peapodc({"query", Policy, "--pod", "mail-delivery", "--pea",
                 "sendmail", "etc/passwd"})
            .Status == 2);
  CHECK(peapodc({"query", Policy, "--pod", "mail-delivery", "--pea",
                 "sendmail", "--bind", "tcp/0"})
            .Status == 2);
  CHECK(peapodc({"query", Policy, "--pod", "mail-delivery", "--pea",
                 "sendmail", "--touch", "nobody"})
            .Status == 2);
}

TEST_CASE("query of a policy with errors exits 1", "[cli][query]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  CHECK(peapodc({"query", Policy, "--pod", "p", "--pea", "a", "/x"}).Status ==
        1);
}

TEST_CASE("dump prints a verified image as JSON", "[cli]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  REQUIRE(peapodc({Policy, "-o", T / "mail.bin"}).Status == 0);
  Run R = peapodc({"dump", T / "mail.bin"});
  REQUIRE(R.Status == 0);
  CHECK_NOTHROW(nlohmann::json::parse(R.Out));
  CHECK(R.Out.find("procmail") != std::string::npos);
  // One flipped byte: the digest no longer matches.
  std::string Bytes = readFile(T / "mail.bin");
  Bytes[Bytes.size() - 1] ^= 0x40;
  std::ofstream(T / "bad.bin", std::ios::binary) << Bytes;
  Run Bad = peapodc({"dump", T / "bad.bin"});
  CHECK(Bad.Status == 2);
  CHECK_FALSE(Bad.Err.empty());
}

TEST_CASE("the installed binary's exit codes", "[cli][process]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  std::string Bin = PEAPOD_BINARY_DIR "/bin/peapodc";
  auto Status = [&](const std::string &Args) {
    int Raw = std::system((Bin + " " + Args + " >/dev/null 2>&1").c_str());
    return WIFEXITED(Raw) ? WEXITSTATUS(Raw) : -1;
  };
  CHECK(Status("--version") == 0);
  CHECK(Status(Policy + " -o " + (T / "o.bin")) == 1);
  CHECK(Status("") == 2);
  CHECK_FALSE(fs::exists(T / "o.bin"));
}
