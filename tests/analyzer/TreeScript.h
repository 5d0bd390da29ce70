//===- TreeScript.h - Real trees for the A1xx tests ------------*- C++ -*-===//
//
// Builds a file-system tree from the few shell commands the docs/rules/A1xx
// pages use to describe one (`mkdir -p`, `touch`, `ln`, `ln -s`), with the
// system calls themselves (mkdir(2), open(2), link(2), symlink(2)): no shell
// is started. A page's block can be pasted into a shell and gives the same
// tree.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_TESTS_ANALYZER_TREESCRIPT_H
#define PEAPOD_TESTS_ANALYZER_TREESCRIPT_H

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace peapod::test {

inline void checkCall(int Result, const std::string &What) {
  if (Result != 0)
    throw std::runtime_error(What + ": " + strerror(errno));
}

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
