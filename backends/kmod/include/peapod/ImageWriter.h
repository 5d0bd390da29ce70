//===- ImageWriter.h - Compile a policy to the binary image ----*- C++ -*-===//
//
// The `--target kmod` backend: lays the IR out as the image that
// peapod/image.h reads (docs/image-format.md). The output depends only on
// the policy: same input, same bytes.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_IMAGEWRITER_H
#define PEAPOD_IMAGEWRITER_H

#include "peapod/OutputFile.h"
#include "peapod/Policy.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
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

/// The image of `P`, streamed to `OS` (which must support pwrite: the header,
/// holding the digest, is written last). Each table is freed once written,
/// so the tables and the image never both exist in memory.
void writeImage(const Policy &P, const ImageWriteOptions &Opts,
                llvm::raw_pwrite_stream &OS);

/// writeImage() to `Path` through an OutputFile (peapod/OutputFile.h): a
/// regular file atomically, a device or pipe directly, `-` to standard
/// output, never over one of `Output.Inputs`, never to a terminal. False on
/// failure, with the whole message ("cannot write 'PATH': ...") in `Error`;
/// a regular file is then neither created nor changed.
bool writeImageFile(llvm::StringRef Path, const Policy &P,
                    const ImageWriteOptions &Opts, std::string &Error,
                    OutputOptions Output = {});

} // namespace peapod

#endif // PEAPOD_IMAGEWRITER_H
