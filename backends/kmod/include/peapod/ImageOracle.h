//===- ImageOracle.h - Policy questions answered from an image -*- C++ -*-===//
//
// The same questions as the reference evaluator, answered by the C lookups
// of peapod/image.h over a validated image: what the kernel module would
// decide. The differential tests hold the two to identical answers.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_IMAGEORACLE_H
#define PEAPOD_IMAGEORACLE_H

#include "peapod/Oracle.h"
#include "peapod/image.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <string>

namespace llvm {
class MemoryBuffer;
}

namespace peapod {

class ImageOracle final : public PolicyOracle {
public:
  /// Validates `Bytes` (which must stay alive and 8-byte aligned) and
  /// answers from them in place. Null with the reason in `Error` if the
  /// image is malformed.
  static std::unique_ptr<ImageOracle> fromBuffer(llvm::StringRef Bytes,
                                                 std::string &Error);
  /// The same for a buffer it keeps: as readInputFile (peapod/InputFile.h)
  /// returns them, aligned.
  static std::unique_ptr<ImageOracle>
  fromBuffer(std::unique_ptr<llvm::MemoryBuffer> Buffer, std::string &Error);
  /// Reads the file with readInputFile (a regular file is mapped; `-` is
  /// standard input) and validates it. Null with the reason (I/O or format;
  /// the path is the caller's to mention) in `Error`.
  static std::unique_ptr<ImageOracle> fromFile(llvm::StringRef Path,
                                               std::string &Error);
  ~ImageOracle() override;

  const ppi_image &image() const { return Img; }
  bool hasLocations() const { return Img.flags & PPI_FLAG_LOCATIONS; }

  std::vector<std::string> podNames() const override;
  std::vector<std::string> peaNames(uint32_t Pod) const override;
  std::optional<PeaHandle> findPea(llvm::StringRef Pod,
                                   llvm::StringRef Pea) const override;
  PathAnswer access(PeaHandle H, llvm::StringRef Path,
                    bool IsDirectory) const override;
  ExecAnswer exec(PeaHandle H, llvm::StringRef Program) const override;
  bool bind(PeaHandle H, Protocol Proto, uint16_t Port) const override;
  bool connect(PeaHandle H, Protocol Proto, uint16_t Port) const override;
  std::optional<bool> touch(PeaHandle H, llvm::StringRef Target) const override;

private:
  ImageOracle() = default;
  uint32_t globalPea(PeaHandle H) const;
  llvm::StringRef string(uint32_t Off, uint32_t Len) const;
  llvm::StringRef peaName(uint32_t GlobalPea) const;
  llvm::StringRef rulePath(uint32_t Rule) const;
  std::optional<RuleLocation> location(uint32_t Rule) const;
  PathAnswer pathAnswer(uint32_t GlobalPea, const ppi_answer &A) const;

  ppi_image Img{};
  std::unique_ptr<llvm::MemoryBuffer> Owned; ///< the bytes, if kept here
};

} // namespace peapod

#endif // PEAPOD_IMAGEORACLE_H
