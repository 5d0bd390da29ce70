//===- TreeScript.h - Real trees for the A1xx tests ------------*- C++ -*-===//
//
// Builds a file-system tree from the few shell commands the docs/rules/A1xx
// pages use to describe one (`mkdir -p`, `touch`, `ln`, `ln -s`, `chmod`),
// with the system calls themselves (mkdir(2), open(2), link(2), symlink(2),
// chmod(2)): no shell is started. A page's block can be pasted into a shell and gives the same
// tree.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_TESTS_ANALYZER_TREESCRIPT_H
#define PEAPOD_TESTS_ANALYZER_TREESCRIPT_H

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <linux/capability.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace peapod::test {

inline void checkCall(int Result, const std::string &What) {
  if (Result != 0)
    throw std::runtime_error(What + ": " + strerror(errno));
}

/// Gives every directory and file under `Dir` mode 0755 again, so that a
/// `chmod 000` of a script cannot stop the directory's removal.
inline void reopenTree(const std::string &Dir) {
  std::error_code EC;
  for (auto It = std::filesystem::recursive_directory_iterator(Dir, EC);
       !EC && It != std::filesystem::recursive_directory_iterator();
       It.increment(EC))
    if (!It->is_symlink())
      ::chmod(It->path().c_str(), 0755);
}

/// While alive, root's permission-bypass capabilities are out of this
/// thread's effective set (kept in the permitted set, and restored), so a
/// mode-000 directory is unreadable to the test as to any user.
class WithoutDacOverride {
public:
  WithoutDacOverride() {
    Header.version = _LINUX_CAPABILITY_VERSION_3;
    ::syscall(SYS_capget, &Header, Saved);
    __user_cap_data_struct Reduced[2] = {Saved[0], Saved[1]};
    Reduced[0].effective &=
        ~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
    ::syscall(SYS_capset, &Header, Reduced);
  }
  ~WithoutDacOverride() { ::syscall(SYS_capset, &Header, Saved); }
  WithoutDacOverride(const WithoutDacOverride &) = delete;
  WithoutDacOverride &operator=(const WithoutDacOverride &) = delete;

private:
  __user_cap_header_struct Header{};
  __user_cap_data_struct Saved[2]{};
};

/// Runs `Script` (one command a line; `#` comments) in directory `Dir`.
inline void buildTree(const std::string &Dir, const std::string &Script) {
  std::istringstream Lines(Script);
  std::string Line;
  while (std::getline(Lines, Line)) {
    std::istringstream Words(Line);
    std::vector<std::string> W;
    for (std::string Word; Words >> Word;)
      W.push_back(Word);
    if (W.empty() || W[0][0] == '#')
      continue;
    auto At = [&](const std::string &P) { return Dir + "/" + P; };
    if (W[0] == "mkdir" && W.size() > 2 && W[1] == "-p") {
      for (size_t I = 2; I < W.size(); ++I)
        for (size_t Slash = 0; Slash != std::string::npos;) {
          Slash = W[I].find('/', Slash + 1);
          std::string Prefix = At(W[I].substr(0, Slash));
          if (::mkdir(Prefix.c_str(), 0755) != 0 && errno != EEXIST)
            checkCall(-1, "mkdir " + Prefix);
        }
    } else if (W[0] == "touch") {
      for (size_t I = 1; I < W.size(); ++I) {
        int FD = ::open(At(W[I]).c_str(), O_CREAT | O_WRONLY, 0644);
        checkCall(FD < 0 ? -1 : ::close(FD), "touch " + W[I]);
      }
    } else if (W[0] == "chmod" && W.size() == 3) {
      checkCall(::chmod(At(W[2]).c_str(), std::stoul(W[1], nullptr, 8)), Line);
    } else if (W[0] == "ln" && W.size() == 4 && W[1] == "-s") {
      checkCall(::symlink(W[2].c_str(), At(W[3]).c_str()), Line);
    } else if (W[0] == "ln" && W.size() == 3) {
      checkCall(::link(At(W[1]).c_str(), At(W[2]).c_str()), Line);
    } else {
      throw std::runtime_error("unsupported tree command: " + Line);
    }
  }
}

} // namespace peapod::test

#endif
