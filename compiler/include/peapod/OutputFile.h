//===- OutputFile.h - Write an output without ever damaging a file -*- C++
//-*-===//
//
// Every file the toolchain writes (an image, a FUSE configuration, a
// reformatted policy) goes through OutputFile, which picks how by what the
// path is:
//
//   - a regular file, or a path that does not exist yet: written to a
//     temporary file in the same directory, then renamed over the path, so
//     that a failure at any point (an error, a full disk, a signal) leaves
//     the old file, or no file, and never a partial one. The old file's mode
//     (and, as root, owner) carry over.
//   - a symbolic link: its target, the same way (the link stays a link).
//   - a character or block device, a FIFO or a socket: opened and written
//     directly (`-o /dev/null` leaves /dev/null a device).
//   - `-`: standard output.
//
// Whatever the target, the stream supports pwrite (a writer may patch a
// header last): outputs that cannot seek get the bytes when commit() is
// called, so a failed write sends nothing down a pipe either. An output that
// is the same regular file as one of the inputs (by device and inode: the
// same name, a hard link, a symbolic link) is refused before anything is
// written.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_OUTPUTFILE_H
#define PEAPOD_OUTPUTFILE_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem/UniqueID.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <string>
#include <vector>

struct stat;

namespace peapod {

struct OutputOptions {
  /// A file the output was made from, which it must never overwrite.
  struct Input {
    llvm::sys::fs::UniqueID ID;
    std::string Name; ///< for the message
  };
  std::vector<Input> Inputs;
  /// Binary output (an image): a terminal is refused, as gzip does.
  bool Binary = false;
  /// Where `-` goes. Null: llvm::outs().
  llvm::raw_ostream *Stdout = nullptr;
};

class OutputFile {
public:
  /// Prepares to write `Path`. Fails, with a whole message ("cannot write
  /// 'PATH': REASON", "refusing to write 'PATH': it is the input 'IN'"),
  /// when the path is a directory, cannot be created or opened, is an
  /// input, or is a terminal for binary output. Nothing is changed then.
  static llvm::Expected<std::unique_ptr<OutputFile>>
  create(llvm::StringRef Path, const OutputOptions &Opts = {});
  /// Discards the output unless committed.
  ~OutputFile();

  llvm::raw_pwrite_stream &os() { return *Stream; }
  /// Finishes the output: the temporary is renamed over the path, or the
  /// bytes are written to the device, pipe or standard output. On failure
  /// the message says why and a regular target is left as it was.
  llvm::Error commit();
  /// Drops everything written; a regular target is left as it was.
  void discard();

private:
  enum class Kind { Atomic, Direct, Stdout };
  OutputFile(Kind K, std::string Path) : K(K), Path(std::move(Path)) {}
  static llvm::Expected<std::unique_ptr<OutputFile>>
  toStdout(const OutputOptions &Opts);
  static llvm::Expected<std::unique_ptr<OutputFile>>
  inPlace(llvm::StringRef Path, const std::string &Target,
          const OutputOptions &Opts);
  /// `Existing`: the file replaced, if there is one.
  static llvm::Expected<std::unique_ptr<OutputFile>>
  viaTemporary(llvm::StringRef Path, const std::string &Target,
               const struct ::stat *Existing);
  llvm::Error fail(const llvm::Twine &Reason);

  Kind K;
  std::string Path;   ///< as given, for messages
  std::string Target; ///< Atomic: the file renamed over (links resolved)
  std::string Temp;   ///< Atomic: the temporary file
  int FD = -1;        ///< Direct: the open device or FIFO
  llvm::raw_ostream *Stdout = nullptr;
  llvm::SmallVector<char, 0> Held; ///< Direct and Stdout: the bytes so far
  std::unique_ptr<llvm::raw_pwrite_stream> Stream;
  bool StreamClosed = false; ///< Atomic: the temporary's stream
  bool Done = false;
};

} // namespace peapod

#endif // PEAPOD_OUTPUTFILE_H
