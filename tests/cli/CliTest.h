//===- CliTest.h - Running peapodc in tests --------------------*- C++ -*-===//
#ifndef PEAPOD_TESTS_CLI_CLITEST_H
#define PEAPOD_TESTS_CLI_CLITEST_H

#include "Driver.h"
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace peapod::cli_test {

namespace fs = std::filesystem;

struct Run {
  int Status;
  std::string Out, Err;
};

inline Run peapodc(std::vector<std::string> Args, bool Colors = false) {
  std::string Out, Err;
  llvm::raw_string_ostream OS(Out), ES(Err);
  int Status = driver::runPeapodc(Args, OS, ES, Colors);
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

inline std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

inline const char *const Mail = R"(# Rule 9, with the includes left out
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

inline const char *const Broken = R"(pod p {
  pea a {
    transition /bin/x procmal
    path relative read
  }
  pea procmail { }
}
)";

/// The built peapodc, for what needs a real process: shell redirections,
/// `<(...)`, a terminal.
inline const std::string Bin = PEAPOD_BINARY_DIR "/bin/peapodc";

/// Runs `Script` with bash in `T` (PEAPODC names the binary), under a
/// 60-second timeout so that a hang fails the test instead of the suite.
inline Run shell(const TempDir &T, const std::string &Script) {
  std::string Path =
      T.write("run.sh", "set -u\ncd " + T.Path.string() + "\nPEAPODC=" + Bin +
                            "\n" + Script + "\n");
  std::string Command = "timeout 60 bash " + Path + " >" + (T / "run.out") +
                        " 2>" + (T / "run.err");
  int Raw = std::system(Command.c_str());
  return {WIFEXITED(Raw) ? WEXITSTATUS(Raw) : -1, readFile(T / "run.out"),
          readFile(T / "run.err")};
}

} // namespace peapod::cli_test

#endif // PEAPOD_TESTS_CLI_CLITEST_H
