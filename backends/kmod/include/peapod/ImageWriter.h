//===- ImageWriter.h - Compile a policy to the binary image ----*- C++ -*-===//
//
// The `--target kmod` backend: lays the IR out as the image that
// peapod/image.h reads (docs/image-format.md). The output depends only on
// the policy: same input, same bytes.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_IMAGEWRITER_H
#define PEAPOD_IMAGEWRITER_H

#include "peapod/Policy.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace peapod {

struct ImageWriteOptions {
  /// Store each rule's file, line and column (Policy::locate). Without them
  /// the image answers everything but the `Loc` of explanations.
  bool Locations = true;
};

/// The image of `P`. Aborts (llvm::report_fatal_error) only if the policy is
/// too large for the format's 32-bit counts (4 GiB of strings, 2^32-1
/// rules or nodes).
std::string writeImage(const Policy &P, const ImageWriteOptions &Opts = {});

/// writeImage() to `Path`, atomically (a temporary file renamed over it).
/// False on I/O failure, with the reason in `Error`.
bool writeImageFile(llvm::StringRef Path, const Policy &P,
                    const ImageWriteOptions &Opts, std::string &Error);

} // namespace peapod

#endif // PEAPOD_IMAGEWRITER_H
