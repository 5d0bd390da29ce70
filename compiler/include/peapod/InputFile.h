//===- InputFile.h - Read a policy or an image, once, whatever it is -*- C++
//-*-===//
//
// Every input the toolchain reads (a policy, a rule group, a compiled image)
// comes through readInputFile: from a regular file, standard input, a FIFO,
// a character device, `/dev/stdin` or a shell's `<(...)`. Each is opened
// once and read once, to its end, so a pipe is never drained by a first look
// and then found empty; whether the bytes are an image or a policy source is
// then decided from the bytes themselves (isImage), never from the name.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_INPUTFILE_H
#define PEAPOD_INPUTFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem/UniqueID.h"
#include "llvm/Support/MemoryBuffer.h"
#include <cstdint>
#include <memory>
#include <optional>

namespace peapod {

/// The largest input read: 1 GiB. A policy of a million rules is about
/// 56 MB and its image about 320 MB (docs/performance.md), so this leaves
/// room while stopping `peapodc check /dev/zero` after a second instead of
/// reading until memory runs out.
inline constexpr uint64_t MaxInputBytes = uint64_t(1) << 30;

/// The first 8 bytes of every compiled image (PPI_MAGIC in peapod/image.h,
/// which the kmod backend checks against this at compile time).
inline constexpr char ImageMagic[] = "PEAPODIM"; // without its NUL

/// What `-` reads; also the name its buffer (and its diagnostics) carry.
inline constexpr llvm::StringLiteral StdinName = "<stdin>";

/// Whether `Bytes` are a compiled image: they begin with ImageMagic. Anything
/// else, an empty or a binary file included, is a policy source (whose
/// parser then says what is wrong with it).
bool isImage(llvm::StringRef Bytes);

/// Whether `Path` names a rule group (NAME.rules), which is checked as one
/// but is not a policy.
bool isRuleGroupPath(llvm::StringRef Path);

/// Reads all of `Path` (`-`: standard input) into a buffer named `Path`
/// (StdinName for `-`), null-terminated (as llvm::SourceMgr needs) and 8-byte
/// aligned (as ppi_open needs). A regular file may be mapped; anything else
/// is read to its end. Fails, with the reason alone (the caller names the
/// path), if the file cannot be opened or read, is a directory, or holds
/// more than `MaxBytes` bytes ("input exceeds N bytes"): no more than
/// MaxBytes + 1 bytes are ever read.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef Path, uint64_t MaxBytes = MaxInputBytes);

/// The file `Path` is (symbolic links followed), by device and inode, so
/// that an output can be told apart from the inputs whatever they are called
/// (a hard link, a symbolic link). `-` and StdinName: standard input. None
/// if it does not exist.
std::optional<llvm::sys::fs::UniqueID> fileIdentity(llvm::StringRef Path);

} // namespace peapod

#endif // PEAPOD_INPUTFILE_H
