//===- fuzz_format.cpp - libFuzzer target for the formatter ---------------===//
//
// Any bytes as a policy: formatting must never crash, hang or leak; what it
// formats must be a fixed point (formatting it again changes nothing), and
// it must leave what it refuses as it was. A range taken from the input's
// first bytes is formatted too.
//
//===----------------------------------------------------------------------===//
#include "peapod/Formatter.h"
#include "llvm/Support/SourceMgr.h"
#include <cstdint>
#include <cstdlib>

namespace {

peapod::FormatResult format(llvm::StringRef Text,
                            std::optional<peapod::ByteRange> Range) {
  llvm::SourceMgr SM; // a copy: libFuzzer's bytes have no NUL after them
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(Text, "fuzz.pea"), llvm::SMLoc());
  peapod::DiagnosticEngine Diags(SM);
  return peapod::formatBuffer(SM, ID, Diags, Range);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  peapod::FormatResult Whole = format(Text, std::nullopt);
  if (!Whole.Formatted) {
    if (Whole.Text != Text || !Whole.Edits.empty())
      std::abort();
    return 0;
  }
  peapod::FormatResult Again = format(Whole.Text, std::nullopt);
  if (!Again.Formatted || Again.Text != Whole.Text || Again.changed())
    std::abort();
  size_t Begin = Size ? Data[0] % Size : 0;
  size_t End = Size > 1 ? Begin + Data[1] % (Size - Begin + 1) : Begin;
  peapod::FormatResult Part = format(Text, peapod::ByteRange{Begin, End});
  if (!Part.Formatted)
    std::abort();
  return 0;
}
