//===- TreeScan.cpp - Walking the pod's tree without following links ------===//
//
// A depth-first walk over directory file descriptors: getdents64 reads each
// directory whole, fstatat(AT_SYMLINK_NOFOLLOW) asks each non-directory for
// its link count, and openat(O_NOFOLLOW | O_DIRECTORY) descends, so no name
// is ever resolved through a symbolic link and no path is ever resolved from
// the root again. That is the work `find DIR -links +1` does, and no more:
// only the names of files with several links are kept.
//
//===----------------------------------------------------------------------===//
#include "peapod/analyzer/HardLinks.h"
#include "peapod/Regions.h"
#include "llvm/ADT/DenseMap.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace peapod::analyzer {

namespace {

constexpr int DirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

/// getdents64's record (glibc declares the call, not the type).
struct LinuxDirent64 {
  uint64_t Ino;
  int64_t Off;
  unsigned short RecLen;
  unsigned char Type;
  char Name[];
};

class TreeWalker {
public:
  TreeWalker(TreeScan &Out, const TreeWalkOptions &Opts)
      : Out(Out), Opts(Opts) {}

  void walk(int DirFD, dev_t Device, unsigned Depth);

private:
  /// Reads every record of the directory into the buffer of its depth.
  bool readEntries(int DirFD, std::vector<char> &Buffer);
  void visitFile(int DirFD, const char *Name);
  void visitDirectory(int DirFD, const char *Name, dev_t Parent,
                      unsigned Depth);
  void unreadable(int Error) {
    Out.Unreadable.push_back({Path.empty() ? "/" : Path, strerror(Error)});
  }

  TreeScan &Out;
  const TreeWalkOptions &Opts;
  /// The policy path of the directory being read ("" for the root).
  std::string Path;
  /// One record buffer per depth, reused by every directory at that depth.
  std::vector<std::vector<char>> Buffers;
  llvm::DenseMap<std::pair<uint64_t, uint64_t>, uint32_t> GroupOf;
};

bool TreeWalker::readEntries(int DirFD, std::vector<char> &Buffer) {
  constexpr size_t Chunk = 64 << 10;
  size_t Used = 0;
  for (;;) {
    if (Buffer.size() < Used + Chunk)
      Buffer.resize(Used + Chunk);
    ssize_t N = getdents64(DirFD, Buffer.data() + Used, Chunk);
    if (N < 0) {
      unreadable(errno);
      return false;
    }
    if (N == 0)
      break;
    Used += size_t(N);
  }
  Buffer.resize(Used);
  return true;
}

void TreeWalker::walk(int DirFD, dev_t Device, unsigned Depth) {
  ++Out.Directories;
  if (Buffers.size() <= Depth)
    Buffers.resize(Depth + 1);
  std::vector<char> &Buffer = Buffers[Depth];
  if (!readEntries(DirFD, Buffer))
    return;
  // Index, not reference: a deeper level may grow Buffers.
  for (size_t At = 0; At < Buffers[Depth].size();) {
    const auto *E =
        reinterpret_cast<const LinuxDirent64 *>(Buffers[Depth].data() + At);
    At += E->RecLen;
    const char *Name = E->Name;
    if (Name[0] == '.' &&
        (Name[1] == 0 || (Name[1] == '.' && Name[2] == 0)))
      continue;
    ++Out.Entries;
    unsigned char Type = E->Type;
    if (Type == DT_UNKNOWN) {
      struct stat St;
      if (fstatat(DirFD, Name, &St, AT_SYMLINK_NOFOLLOW) != 0)
        continue; // gone since it was listed
      Type = S_ISDIR(St.st_mode) ? DT_DIR : DT_REG;
    }
    if (Type == DT_DIR)
      visitDirectory(DirFD, Name, Device, Depth);
    else
      visitFile(DirFD, Name);
  }
}

void TreeWalker::visitFile(int DirFD, const char *Name) {
  struct stat St;
  if (fstatat(DirFD, Name, &St, AT_SYMLINK_NOFOLLOW) != 0 ||
      St.st_nlink < 2 || S_ISDIR(St.st_mode))
    return;
  auto [It, New] = GroupOf.try_emplace(
      {uint64_t(St.st_dev), uint64_t(St.st_ino)}, Out.Groups.size());
  if (New)
    Out.Groups.push_back(
        {uint64_t(St.st_dev), uint64_t(St.st_ino), uint64_t(St.st_nlink), {}});
  Out.Groups[It->second].Names.push_back(Path + "/" + Name);
}

void TreeWalker::visitDirectory(int DirFD, const char *Name, dev_t Parent,
                                unsigned Depth) {
  size_t Length = Path.size();
  Path += '/';
  Path += Name;
  int Child = openat(DirFD, Name, DirFlags);
  struct stat St;
  if (Child < 0) {
    // ELOOP: it was replaced by a link since it was listed; not followed.
    if (errno != ELOOP && errno != ENOENT)
      unreadable(errno);
  } else if (fstat(Child, &St) != 0) {
    unreadable(errno);
  } else if (St.st_dev != Parent && !Opts.CrossDevices) {
    ++Out.OtherDevices;
  } else {
    walk(Child, St.st_dev, Depth + 1);
  }
  if (Child >= 0)
    close(Child);
  Path.resize(Length);
}

llvm::Error rootError(int Error) {
  return llvm::createStringError(
      std::error_code(Error, std::generic_category()), "%s", strerror(Error));
}

/// Opens the root as a directory. The root itself may be a link (say,
/// /srv/pod -> /data/pod): that is the user's choice of tree, and
/// everything below it is walked without following.
llvm::Expected<int> openRoot(llvm::StringRef Root) {
  std::string Path = Root.str();
  int FD = open(Path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (FD < 0)
    return rootError(errno);
  return FD;
}

/// Directory order is the file system's: sorted, the findings read the same
/// on every machine.
void sortByName(TreeScan &Out) {
  auto Less = [](const std::string &A, const std::string &B) {
    return componentCompare(A, B) < 0;
  };
  for (LinkGroup &G : Out.Groups)
    std::sort(G.Names.begin(), G.Names.end(), Less);
  std::sort(Out.Groups.begin(), Out.Groups.end(),
            [&](const LinkGroup &A, const LinkGroup &B) {
              return Less(A.Names.front(), B.Names.front());
            });
  std::sort(Out.Unreadable.begin(), Out.Unreadable.end(),
            [&](const UnreadableDir &A, const UnreadableDir &B) {
              return Less(A.Path, B.Path);
            });
}

} // namespace

llvm::Expected<TreeScan> scanTree(llvm::StringRef Root,
                                  const TreeWalkOptions &Opts) {
  llvm::Expected<int> FD = openRoot(Root);
  if (!FD)
    return FD.takeError();
  TreeScan Out;
  struct stat St;
  if (fstat(*FD, &St) != 0) {
    int Error = errno;
    close(*FD);
    return rootError(Error);
  }
  TreeWalker(Out, Opts).walk(*FD, St.st_dev, 0);
  close(*FD);
  sortByName(Out);
  return Out;
}

llvm::Expected<RootPaths> RootPaths::open(llvm::StringRef Root) {
  llvm::Expected<int> FD = openRoot(Root);
  if (!FD)
    return FD.takeError();
  return RootPaths(*FD);
}

RootPaths::RootPaths(RootPaths &&Other) noexcept
    : RootFD(Other.RootFD), Known(std::move(Other.Known)) {
  Other.RootFD = -1;
}

RootPaths::~RootPaths() {
  if (RootFD >= 0)
    close(RootFD);
}

static std::string readLink(int DirFD, const char *Name) {
  std::string Target(4096, '\0');
  ssize_t N = readlinkat(DirFD, Name, Target.data(), Target.size());
  Target.resize(N < 0 ? 0 : size_t(N));
  return Target;
}

PathStatus RootPaths::status(llvm::StringRef Path) {
  if (Path == "/" || Path.empty())
    return {};
  auto It = Known.find(Path);
  if (It != Known.end())
    return It->second;
  // The parent first: then the one fstatat below resolves only directories
  // already known not to be links, so it follows none.
  size_t Slash = Path.rfind('/');
  PathStatus Result = status(Slash == 0 ? "/" : Path.substr(0, Slash));
  if (Result.K == PathStatus::Exists) {
    std::string Relative = Path.drop_front().str();
    struct stat St;
    if (fstatat(RootFD, Relative.c_str(), &St, AT_SYMLINK_NOFOLLOW) != 0)
      Result.K = PathStatus::Missing;
    else if (S_ISLNK(St.st_mode))
      Result = {PathStatus::ThroughSymlink, Path.str(),
                readLink(RootFD, Relative.c_str())};
  }
  Known[Path] = Result;
  return Result;
}

} // namespace peapod::analyzer
