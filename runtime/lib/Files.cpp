//===- Files.cpp - Small file helpers of the runtime ----------------------===//
#include "Files.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace peapod::runtime {

bool readWholeFile(const std::string &Path, std::string &Text,
                   std::string &Error) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (Fd < 0) {
    Error = "cannot read '" + Path + "': " + strerror(errno);
    return false;
  }
  Text.clear();
  char Buffer[8192];
  for (;;) {
    ssize_t N = ::read(Fd, Buffer, sizeof Buffer);
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0) {
      Error = "cannot read '" + Path + "': " + strerror(errno);
      ::close(Fd);
      return false;
    }
    if (N == 0)
      break;
    Text.append(Buffer, static_cast<size_t>(N));
  }
  ::close(Fd);
  return true;
}

bool writeWholeFile(const std::string &Path, const std::string &Text,
                    std::string &Error) {
  int Fd = ::open(Path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (Fd < 0) {
    Error = "cannot open '" + Path + "': " + strerror(errno);
    return false;
  }
  ssize_t N;
  do
    N = ::write(Fd, Text.data(), Text.size());
  while (N < 0 && errno == EINTR);
  int WriteErrno = errno;
  ::close(Fd);
  if (N != static_cast<ssize_t>(Text.size())) {
    Error = "cannot write '" + Path + "': " +
            strerror(N < 0 ? WriteErrno : EIO);
    return false;
  }
  return true;
}

std::string unescapeMountInfo(const std::string &Field) {
  std::string Out;
  for (size_t I = 0; I < Field.size(); ++I) {
    if (Field[I] == '\\' && I + 3 < Field.size() && Field[I + 1] >= '0' &&
        Field[I + 1] <= '3') {
      Out += static_cast<char>((Field[I + 1] - '0') * 64 +
                               (Field[I + 2] - '0') * 8 + (Field[I + 3] - '0'));
      I += 3;
      continue;
    }
    Out += Field[I];
  }
  return Out;
}

} // namespace peapod::runtime
