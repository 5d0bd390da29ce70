//===- LintConfigs.h - The lint configuration of each document -*- C++ -*-===//
//
// An editor must report what CI reports, so a document is checked with the
// configuration `peapodc lint` would use for it: the `lintConfig` setting if
// the client gives one, else the nearest .peapod-lint.json at or above the
// document's directory (analyzer::findLintConfig). A file is read again when
// its size or modification time changes; one that does not load is reported
// once (until it changes) and the built-in defaults apply meanwhile.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_LSP_LINTCONFIGS_H
#define PEAPOD_LSP_LINTCONFIGS_H

#include "peapod/analyzer/LintConfig.h"
#include <map>
#include <string>
#include <vector>

namespace peapod::lsp {

class LintConfigs {
public:
  /// The configuration for the document at `DocumentPath`: `Explicit` if
  /// not empty, else the one found above the document. What went wrong
  /// reading a file is appended to `Problems` the first time it is seen.
  const analyzer::LintConfig &forDocument(const std::string &DocumentPath,
                                          const std::string &Explicit,
                                          std::vector<std::string> &Problems);

private:
  struct Entry {
    uint64_t Size = 0;
    int64_t ModTime = 0;
    bool Loaded = false; ///< false: the file was bad; Config = defaults
    analyzer::LintConfig Config;
  };
  const analyzer::LintConfig &load(const std::string &Path,
                                   std::vector<std::string> &Problems);

  std::map<std::string, Entry> Files;
  const analyzer::LintConfig Defaults{};
};

} // namespace peapod::lsp

#endif
