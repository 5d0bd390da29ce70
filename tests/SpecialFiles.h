//===- SpecialFiles.h - Test helpers for FIFOs, pipes and stdin -*- C++ -*-===//
//
// Tests that read or write a FIFO can hang if the code under test gets it
// wrong (opens it twice, never opens it): every such test holds a Deadline,
// which ends the whole test program with a message instead of letting the
// suite hang. (ctest's TIMEOUT is the second line of defence.)
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_TESTS_SPECIALFILES_H
#define PEAPOD_TESTS_SPECIALFILES_H

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <mutex>
#include <pthread.h>
#include <signal.h>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <thread>
#include <unistd.h>

namespace peapod::test {

/// Ends the process (exit 124, as timeout(1) does) unless destroyed within
/// `Seconds`.
class Deadline {
public:
  Deadline(int Seconds, std::string What)
      : What(std::move(What)), Watchdog([this, Seconds] {
          std::unique_lock<std::mutex> Lock(M);
          if (!Wake.wait_for(Lock, std::chrono::seconds(Seconds),
                             [this] { return Done; })) {
            std::fprintf(stderr, "test deadline of %d s exceeded: %s\n",
                         Seconds, this->What.c_str());
            std::_Exit(124);
          }
        }) {}
  ~Deadline() {
    {
      std::lock_guard<std::mutex> Lock(M);
      Done = true;
    }
    Wake.notify_one();
    Watchdog.join();
  }
  Deadline(const Deadline &) = delete;
  Deadline &operator=(const Deadline &) = delete;

private:
  std::string What;
  std::mutex M;
  std::condition_variable Wake;
  bool Done = false;
  std::thread Watchdog; // last: starts once the rest exists
};

/// Writes `Bytes` into the FIFO or pipe `Path` from another thread, in small
/// pieces with pauses (so the reader sees short reads), then closes it.
class FifoWriter {
public:
  FifoWriter(std::string Path, std::string Bytes)
      : Thread([Path = std::move(Path), Bytes = std::move(Bytes)] {
          // A reader that stops early (a size limit) makes write fail with
          // EPIPE instead of killing the test program.
          sigset_t Pipe;
          sigemptyset(&Pipe);
          sigaddset(&Pipe, SIGPIPE);
          pthread_sigmask(SIG_BLOCK, &Pipe, nullptr);
          int FD = ::open(Path.c_str(), O_WRONLY | O_CLOEXEC);
          if (FD < 0)
            return;
          for (size_t Off = 0; Off < Bytes.size();) {
            size_t N = std::min<size_t>(4093, Bytes.size() - Off);
            ssize_t W = ::write(FD, Bytes.data() + Off, N);
            if (W <= 0)
              break;
            Off += size_t(W);
            std::this_thread::sleep_for(std::chrono::microseconds(200));
          }
          ::close(FD);
        }) {}
  ~FifoWriter() { Thread.join(); }

private:
  std::thread Thread;
};

/// Reads the FIFO `Path` to its end from another thread.
class FifoReader {
public:
  explicit FifoReader(std::string Path)
      : Thread([this, Path = std::move(Path)] {
          int FD = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
          if (FD < 0)
            return;
          char Buf[65536];
          for (ssize_t N; (N = ::read(FD, Buf, sizeof Buf)) > 0;)
            Bytes.append(Buf, size_t(N));
          ::close(FD);
        }) {}
  /// Everything read, once the writer has closed.
  const std::string &bytes() {
    if (Thread.joinable())
      Thread.join();
    return Bytes;
  }
  ~FifoReader() {
    if (Thread.joinable())
      Thread.join();
  }

private:
  std::string Bytes;
  std::thread Thread;
};

/// A character device node of our own at `Path` (needs root), so that a
/// test writing "to /dev/null" can never replace the system's /dev/null if
/// the code under test regresses. False if it cannot be made.
inline bool makeCharDevice(const std::string &Path, unsigned Major,
                           unsigned Minor) {
  return ::mknod(Path.c_str(), S_IFCHR | 0666, makedev(Major, Minor)) == 0;
}
inline bool makeDevNull(const std::string &Path) {
  return makeCharDevice(Path, 1, 3);
}
inline bool makeDevFull(const std::string &Path) {
  return makeCharDevice(Path, 1, 7);
}

/// Standard input redirected from a file for the scope, as `< FILE` would.
class StdinFrom {
public:
  explicit StdinFrom(const std::string &Path) : Saved(::dup(STDIN_FILENO)) {
    int FD = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
    ::dup2(FD, STDIN_FILENO);
    ::close(FD);
  }
  ~StdinFrom() {
    ::dup2(Saved, STDIN_FILENO);
    ::close(Saved);
  }
  StdinFrom(const StdinFrom &) = delete;
  StdinFrom &operator=(const StdinFrom &) = delete;

private:
  int Saved;
};

} // namespace peapod::test

#endif // PEAPOD_TESTS_SPECIALFILES_H
