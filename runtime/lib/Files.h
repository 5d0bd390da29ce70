//===- Files.h - Small file helpers of the runtime --------------*- C++ -*-===//
//
// Kernel interface files (cgroupfs, procfs, sysfs) are read and written
// whole with one call each; these are not inputs of the user's (those go
// through InputFile.h).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_FILES_H
#define PEAPOD_RUNTIME_FILES_H

#include <string>

namespace peapod::runtime {

bool readWholeFile(const std::string &Path, std::string &Text,
                   std::string &Error);
/// One write(2) of `Text` (cgroupfs takes one value a write).
bool writeWholeFile(const std::string &Path, const std::string &Text,
                    std::string &Error);
/// mountinfo's octal escapes (\040 for a space) undone.
std::string unescapeMountInfo(const std::string &Field);

} // namespace peapod::runtime

#endif
