//===- InputFile.cpp ------------------------------------------------------===//
#include "peapod/InputFile.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace peapod {
namespace {

/// A buffer read from a stream, in memory from malloc: aligned for any
/// fundamental type (C11 7.22.3), so for the image's 8-byte fields.
class HeapBuffer final : public llvm::MemoryBuffer {
public:
  HeapBuffer(char *Data, size_t Size, llvm::StringRef Name)
      : Data(Data), Name(Name.str()) {
    Data[Size] = '\0';
    init(Data, Data + Size, /*RequiresNullTerminator=*/true);
  }
  ~HeapBuffer() override { std::free(Data); }
  llvm::StringRef getBufferIdentifier() const override { return Name; }
  BufferKind getBufferKind() const override { return MemoryBuffer_Malloc; }

private:
  char *Data;
  std::string Name;
};

llvm::Error stringError(std::errc Code, const llvm::Twine &Text) {
  return llvm::make_error<llvm::StringError>(Text, std::make_error_code(Code));
}

llvm::Error errnoError() {
  return llvm::errorCodeToError(
      std::error_code(errno, std::generic_category()));
}

llvm::Error tooLarge(uint64_t MaxBytes) {
  std::string Limit = std::to_string(MaxBytes) + " bytes";
  if (MaxBytes >= (1u << 20) && MaxBytes % (1u << 20) == 0)
    Limit += MaxBytes % (1u << 30) == 0
                 ? " (" + std::to_string(MaxBytes >> 30) + " GiB)"
                 : " (" + std::to_string(MaxBytes >> 20) + " MiB)";
  return stringError(std::errc::file_too_large, "input exceeds " + Limit);
}

/// Reads `FD` to its end: a pipe, FIFO, terminal, device or standard input.
/// Reads at most MaxBytes + 1 bytes, so an endless source stops at the limit.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readStream(int FD, llvm::StringRef Name, uint64_t MaxBytes) {
  size_t Cap = std::min<uint64_t>(64 << 10, MaxBytes + 1), Size = 0;
  char *Data = static_cast<char *>(std::malloc(Cap + 1));
  if (!Data)
    return stringError(std::errc::not_enough_memory, "out of memory");
  auto Fail = [&](llvm::Error E) {
    std::free(Data);
    return E;
  };
  for (;;) {
    if (Size > MaxBytes)
      return Fail(tooLarge(MaxBytes));
    if (Size == Cap) {
      Cap = std::min<uint64_t>(uint64_t(Cap) * 2, MaxBytes + 1);
      char *Grown = static_cast<char *>(std::realloc(Data, Cap + 1));
      if (!Grown)
        return Fail(stringError(std::errc::not_enough_memory, "out of memory"));
      Data = Grown;
    }
    ssize_t N = ::read(FD, Data + Size, Cap - Size);
    if (N > 0) {
      Size += size_t(N);
    } else if (N == 0) {
      break;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      // A non-blocking descriptor (inherited that way): wait for data.
      pollfd P{FD, POLLIN, 0};
      ::poll(&P, 1, -1);
    } else if (errno != EINTR) {
      return Fail(errnoError());
    }
  }
  return std::make_unique<HeapBuffer>(Data, Size, Name);
}

/// A copy of `B` in memory from malloc, for the (never observed) case of a
/// read buffer that is not 8-byte aligned: LLVM 14 documents no alignment
/// for MemoryBuffer (mapped files are page-aligned and its heap copies
/// 16-byte aligned, but neither is promised).
std::unique_ptr<llvm::MemoryBuffer> alignedCopy(const llvm::MemoryBuffer &B) {
  size_t Size = B.getBufferSize();
  char *Data = static_cast<char *>(std::malloc(Size + 1));
  if (!Data)
    return nullptr;
  std::memcpy(Data, B.getBufferStart(), Size);
  return std::make_unique<HeapBuffer>(Data, Size, B.getBufferIdentifier());
}

/// A regular file of known size: mapped or read by LLVM.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readRegular(int FD, llvm::StringRef Name, uint64_t Size) {
  auto B = llvm::MemoryBuffer::getOpenFile(FD, Name, Size,
                                           /*RequiresNullTerminator=*/true);
  if (!B)
    return llvm::errorCodeToError(B.getError());
  if (reinterpret_cast<uintptr_t>((*B)->getBufferStart()) % 8 == 0)
    return std::move(*B);
  if (auto Copy = alignedCopy(**B))
    return Copy;
  return stringError(std::errc::not_enough_memory, "out of memory");
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readOpen(int FD, bool IsStdin, llvm::StringRef Name, uint64_t MaxBytes) {
  struct stat St;
  if (::fstat(FD, &St) != 0)
    return errnoError();
  if (S_ISDIR(St.st_mode))
    return llvm::errorCodeToError(
        std::make_error_code(std::errc::is_a_directory));
  // A regular file's size is known up front, except on standard input
  // (which must be read from where it stands, not from offset 0) and for
  // files that report no size but have contents (/proc, /sys).
  if (S_ISREG(St.st_mode) && !IsStdin && St.st_size > 0) {
    if (uint64_t(St.st_size) > MaxBytes)
      return tooLarge(MaxBytes);
    return readRegular(FD, Name, uint64_t(St.st_size));
  }
  return readStream(FD, Name, MaxBytes);
}

} // namespace

bool isImage(llvm::StringRef Bytes) {
  return Bytes.startswith(llvm::StringRef(ImageMagic, sizeof ImageMagic - 1));
}

bool isRuleGroupPath(llvm::StringRef Path) { return Path.endswith(".rules"); }

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef Path, uint64_t MaxBytes) {
  // So that MaxBytes + 1 and the terminator always fit in a size_t.
  MaxBytes = std::min<uint64_t>(MaxBytes, SIZE_MAX / 2);
  if (Path == "-")
    return readOpen(STDIN_FILENO, /*IsStdin=*/true, StdinName, MaxBytes);
  std::string Name = Path.str(); // NUL-terminated for open(2)
  if (Name.find('\0') != std::string::npos)
    return llvm::errorCodeToError(
        std::make_error_code(std::errc::invalid_argument));
  int FD;
  do
    FD = ::open(Name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  while (FD < 0 && errno == EINTR);
  if (FD < 0)
    return errnoError();
  auto Result = readOpen(FD, /*IsStdin=*/false, Path, MaxBytes);
  ::close(FD);
  return Result;
}

std::optional<llvm::sys::fs::UniqueID> fileIdentity(llvm::StringRef Path) {
  struct stat St;
  if (Path == "-" || Path == StdinName) {
    if (::fstat(STDIN_FILENO, &St) != 0)
      return std::nullopt;
  } else if (::stat(Path.str().c_str(), &St) != 0) {
    return std::nullopt;
  }
  return llvm::sys::fs::UniqueID(St.st_dev, St.st_ino);
}

} // namespace peapod
