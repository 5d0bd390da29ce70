//===- OutputFile.cpp -----------------------------------------------------===//
#include "peapod/OutputFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include <cerrno>
#include <fcntl.h>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace peapod {
namespace {

std::string errnoMessage(int E) {
  return std::error_code(E, std::generic_category()).message();
}

/// `Path` with every symbolic link along the last component followed (as
/// open(2) would), to the file that is or would be written.
struct Resolved {
  std::string Path;
  bool Exists = false;
  struct stat St {};
};

/// Follows links by hand, not with realpath(3): a dangling link names the
/// file to create, which realpath cannot resolve. Errors are errno values.
std::optional<Resolved> resolveLinks(llvm::StringRef Given, int &Error) {
  constexpr int MaxHops = 40; // Linux's own limit
  Resolved R;
  R.Path = Given.str();
  for (int Hops = 0;; ++Hops) {
    if (::lstat(R.Path.c_str(), &R.St) != 0) {
      if (errno != ENOENT) {
        Error = errno;
        return std::nullopt;
      }
      R.Exists = false;
      return R;
    }
    R.Exists = true;
    if (!S_ISLNK(R.St.st_mode))
      return R;
    if (Hops == MaxHops) {
      Error = ELOOP;
      return std::nullopt;
    }
    std::string Link(size_t(R.St.st_size > 0 ? R.St.st_size : 4096) + 1, '\0');
    ssize_t N = ::readlink(R.Path.c_str(), Link.data(), Link.size());
    if (N < 0 || size_t(N) >= Link.size()) {
      Error = N < 0 ? errno : ENAMETOOLONG;
      return std::nullopt;
    }
    Link.resize(size_t(N));
    llvm::StringRef Dir = llvm::sys::path::parent_path(R.Path);
    if (!llvm::sys::path::is_absolute(Link) && !Dir.empty()) {
      llvm::SmallString<256> Joined(Dir);
      llvm::sys::path::append(Joined, Link);
      Link = std::string(Joined);
    }
    R.Path = std::move(Link);
  }
}

const OutputOptions::Input *inputWithID(const OutputOptions &Opts,
                                        const struct stat &St) {
  if (!S_ISREG(St.st_mode))
    return nullptr; // writing a device or pipe destroys no input
  llvm::sys::fs::UniqueID ID(St.st_dev, St.st_ino);
  for (const OutputOptions::Input &In : Opts.Inputs)
    if (In.ID == ID)
      return &In;
  return nullptr;
}

llvm::Error message(const llvm::Twine &Text) {
  return llvm::make_error<llvm::StringError>(
      Text, std::make_error_code(std::errc::invalid_argument));
}

const char *const TerminalRefused =
    "refusing to write binary output to a terminal (redirect standard "
    "output, or write a file with -o FILE)";

bool writeAll(int FD, llvm::StringRef Bytes, int &Error) {
  while (!Bytes.empty()) {
    ssize_t N = ::write(FD, Bytes.data(), Bytes.size());
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0) {
      Error = N < 0 ? errno : EIO;
      return false;
    }
    Bytes = Bytes.drop_front(size_t(N));
  }
  return true;
}

llvm::Error cannotWrite(llvm::StringRef Path, const llvm::Twine &Why) {
  return message("cannot write '" + Path + "': " + Why);
}

llvm::Error refuse(const llvm::Twine &What, const OutputOptions::Input &In) {
  return message("refusing to write " + What +
                 ": it is the same file as the input '" + In.Name + "'");
}

} // namespace

llvm::Error OutputFile::fail(const llvm::Twine &Reason) {
  discard();
  return cannotWrite(Path, Reason);
}

llvm::Expected<std::unique_ptr<OutputFile>>
OutputFile::create(llvm::StringRef Path, const OutputOptions &Opts) {
  if (Path == "-")
    return toStdout(Opts);
  if (Path.empty() || Path.contains('\0'))
    return cannotWrite(Path, errnoMessage(ENOENT));
  int Error = 0;
  std::optional<Resolved> R = resolveLinks(Path, Error);
  if (!R)
    return cannotWrite(Path, errnoMessage(Error));
  if (R->Exists && S_ISDIR(R->St.st_mode))
    return cannotWrite(Path, errnoMessage(EISDIR));
  if (R->Exists && !S_ISREG(R->St.st_mode))
    return inPlace(Path, R->Path, Opts);
  if (R->Exists)
    if (const OutputOptions::Input *In = inputWithID(Opts, R->St))
      return refuse("'" + Path + "'", *In);
  return viaTemporary(Path, R->Path, R->Exists ? &R->St : nullptr);
}

llvm::Expected<std::unique_ptr<OutputFile>>
OutputFile::toStdout(const OutputOptions &Opts) {
  llvm::raw_ostream &S = Opts.Stdout ? *Opts.Stdout : llvm::outs();
  if (Opts.Binary && S.is_displayed())
    return message(TerminalRefused);
  // `>> policy.pea` would append the image to the policy.
  struct stat St;
  if (&S == &llvm::outs() && ::fstat(STDOUT_FILENO, &St) == 0)
    if (const OutputOptions::Input *In = inputWithID(Opts, St))
      return refuse("standard output", *In);
  std::unique_ptr<OutputFile> Out(new OutputFile(Kind::Stdout, "-"));
  Out->Stdout = &S;
  Out->Stream = std::make_unique<llvm::raw_svector_ostream>(Out->Held);
  return Out;
}

llvm::Expected<std::unique_ptr<OutputFile>>
OutputFile::inPlace(llvm::StringRef Path, const std::string &Target,
                    const OutputOptions &Opts) {
  // A device, FIFO or socket (a FIFO's open waits for its reader, as for
  // any writer).
  int FD;
  do
    FD = ::open(Target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  while (FD < 0 && errno == EINTR);
  if (FD < 0)
    return cannotWrite(Path, errnoMessage(errno));
  if (Opts.Binary && ::isatty(FD)) {
    ::close(FD);
    return message(TerminalRefused);
  }
  std::unique_ptr<OutputFile> Out(new OutputFile(Kind::Direct, Path.str()));
  Out->FD = FD;
  Out->Stream = std::make_unique<llvm::raw_svector_ostream>(Out->Held);
  return Out;
}

llvm::Expected<std::unique_ptr<OutputFile>>
OutputFile::viaTemporary(llvm::StringRef Path, const std::string &Target,
                         const struct stat *Existing) {
  llvm::StringRef Dir = llvm::sys::path::parent_path(Target);
  llvm::SmallString<256> Model(Dir);
  llvm::sys::path::append(Model, ".peapod-%%%%%%%%.tmp");
  int FD = -1;
  llvm::SmallString<256> Temp;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(
          Model, FD, Temp, llvm::sys::fs::OF_None, 0666)) {
    if (!Existing)
      return cannotWrite(Path, EC.message());
    // The file itself may be writable: say that the directory is not.
    return cannotWrite(Path, "cannot create a temporary file in '" +
                                 (Dir.empty() ? "." : Dir) +
                                 "' to replace it: " + EC.message());
  }
  std::unique_ptr<OutputFile> Out(new OutputFile(Kind::Atomic, Path.str()));
  Out->Target = Target;
  Out->Temp = std::string(Temp);
  llvm::sys::RemoveFileOnSignal(Out->Temp);
  if (Existing) {
    // The replacement keeps what the file was: its permissions and, when
    // root can, its owner. Not set-id bits: an image is not a program.
    (void)::fchmod(FD, Existing->st_mode & 0777);
    if (::geteuid() == 0)
      (void)::fchown(FD, Existing->st_uid, Existing->st_gid);
  }
  Out->Stream =
      std::make_unique<llvm::raw_fd_ostream>(FD, /*shouldClose=*/true);
  return Out;
}

OutputFile::~OutputFile() {
  if (!Done)
    discard();
}

void OutputFile::discard() {
  if (Done)
    return;
  Done = true;
  if (K == Kind::Atomic && !Temp.empty()) {
    if (Stream) {
      auto &File = static_cast<llvm::raw_fd_ostream &>(*Stream);
      if (!StreamClosed)
        File.close();
      File.clear_error();
    }
    llvm::sys::fs::remove(Temp);
    llvm::sys::DontRemoveFileOnSignal(Temp);
  } else if (K == Kind::Direct && FD >= 0) {
    ::close(FD);
  }
  Held.clear();
}

llvm::Error OutputFile::commit() {
  if (Done)
    return cannotWrite(Path, "already finished");
  switch (K) {
  case Kind::Atomic: {
    auto &File = static_cast<llvm::raw_fd_ostream &>(*Stream);
    File.close();
    StreamClosed = true;
    if (File.has_error()) {
      std::string Why = File.error().message();
      return fail(Why);
    }
    if (std::error_code EC = llvm::sys::fs::rename(Temp, Target))
      return fail(EC.message());
    llvm::sys::DontRemoveFileOnSignal(Temp);
    break;
  }
  case Kind::Direct: {
    int Error = 0;
    bool Written = writeAll(FD, {Held.data(), Held.size()}, Error);
    int Closed = ::close(FD);
    if (!Written || (Closed != 0 && errno != EINTR)) {
      if (Written)
        Error = errno;
      FD = -1;
      Done = true;
      return cannotWrite(Path, errnoMessage(Error));
    }
    break;
  }
  case Kind::Stdout:
    // Errors of the process's standard output surface when it is flushed
    // for the last time (tools/peapodc.cpp reports them).
    Stdout->write(Held.data(), Held.size());
    Stdout->flush();
    break;
  }
  Done = true;
  Held.clear();
  return llvm::Error::success();
}

} // namespace peapod
