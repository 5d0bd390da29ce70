//===- KmodTest.h - Shared helpers of the image tests ----------*- C++ -*-===//
#ifndef PEAPOD_TESTS_KMODTEST_H
#define PEAPOD_TESTS_KMODTEST_H

#include "peapod/Compilation.h"
#include "peapod/Evaluator.h"
#include "peapod/ImageOracle.h"
#include "peapod/ImageWriter.h"
#include "peapod/image.h"
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace peapod {

// Printers, so that Catch shows answers that differ.
std::ostream &operator<<(std::ostream &OS, const RuleLocation &L);
std::ostream &operator<<(std::ostream &OS, const Explanation &E);
std::ostream &operator<<(std::ostream &OS, const PathAnswer &A);
std::ostream &operator<<(std::ostream &OS, const ExecAnswer &A);

} // namespace peapod

namespace peapod::test {

/// Compiles `Text` as a policy called `Name`; the diagnostics are in the
/// result. Null if the policy has errors.
std::unique_ptr<Compilation> compile(const std::string &Text,
                                     const std::string &Name = "test.pea",
                                     CompileOptions Opts = {});
/// All diagnostics of `C`, rendered.
std::string diagnosticsText(const Compilation &C);

/// Bytes at an 8-byte-aligned address, as the loader requires.
class AlignedBytes {
public:
  explicit AlignedBytes(llvm::StringRef Bytes);
  char *data() { return reinterpret_cast<char *>(Words.data()); }
  const char *data() const {
    return reinterpret_cast<const char *>(Words.data());
  }
  size_t size() const { return Size; }
  llvm::StringRef str() const { return {data(), Size}; }

private:
  std::vector<uint64_t> Words;
  size_t Size;
};

/// ppi_open over `Bytes`; the status, with the reason in `Error`.
ppi_status openImage(const AlignedBytes &Bytes, ppi_image &Img,
                     std::string &Error);
/// Recomputes the header digest after a deliberate change, so that the
/// checks behind the digest see it.
void reseal(AlignedBytes &Bytes);

/// A policy, its image, and both oracles over it.
struct Subject {
  std::unique_ptr<Compilation> C;
  std::string Image;
  std::unique_ptr<ImageOracle> FromImage;
  std::unique_ptr<ReferenceEvaluator> Reference;
  mutable unsigned Mismatches = 0; ///< answers that differed so far

  /// REQUIREs that the policy compiles and the image opens.
  explicit Subject(const std::string &PolicyText, ImageWriteOptions Opts = {});
  /// The same for a compilation made elsewhere.
  Subject(std::unique_ptr<Compilation> Compiled, ImageWriteOptions Opts = {});
  PeaHandle pea(llvm::StringRef Pod, llvm::StringRef Pea) const;

  // Each asks both oracles, CHECKs they agree in full (rule identity
  // included), and returns the image's answer without rule identity (see
  // portable), as the tests' hand-written expectations are.
  PathAnswer access(PeaHandle H, llvm::StringRef Path, bool IsDir) const;
  ExecAnswer exec(PeaHandle H, llvm::StringRef Program) const;
  bool bind(PeaHandle H, Protocol P, uint16_t Port) const;
  bool connect(PeaHandle H, Protocol P, uint16_t Port) const;
  std::optional<bool> touch(PeaHandle H, llvm::StringRef Target) const;

private:
  template <typename T> void agree(const T &Got, const T &Want) const;
};

/// Turns the reference's answer into what an image gives: no include chain,
/// and no locations unless the image has them.
void asFromImage(PathAnswer &A, bool Locations);
void asFromImage(ExecAnswer &A, bool Locations);
/// An answer without rule identity (Rule, Merged, IncludeChain, the
/// transition's index): what a hand-written expectation states.
PathAnswer portable(PathAnswer A);
ExecAnswer portable(ExecAnswer A);

} // namespace peapod::test

#endif // PEAPOD_TESTS_KMODTEST_H
