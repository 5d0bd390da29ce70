//===- FuseNodes.cpp - The FUSE daemon's inode table ----------------------===//
#include "FuseNodes.h"
#include <unistd.h>
#include <vector>

namespace peapod::runtime {

FuseNode::~FuseNode() {
  // Runs with the table lock held (forget, or the last reference dropped
  // by a map change): unlink from the parent's entries if still there.
  if (Parent) {
    auto It = Parent->Entries.find(Name);
    if (It != Parent->Entries.end() && It->second == this)
      Parent->Entries.erase(It);
  }
  if (Fd >= 0)
    ::close(Fd);
}

FuseNodeTable::FuseNodeTable(int RootFd) : Root(std::make_shared<FuseNode>()) {
  Root->Fd = RootFd;
  Root->Type = S_IFDIR;
  struct stat St;
  if (fstat(RootFd, &St) == 0) {
    Root->Dev = St.st_dev;
    Root->Ino = St.st_ino;
  }
}

FuseNodeTable::~FuseNodeTable() {
  std::lock_guard<std::mutex> Lock(Table);
  Live.clear();
}

FuseNode &FuseNodeTable::node(uint64_t Id) {
  return Id == 1 ? *Root : *reinterpret_cast<FuseNode *>(Id);
}

FuseNode &FuseNodeTable::insert(FuseNode &Parent, const std::string &Name,
                                int Fd, const struct stat &St) {
  std::lock_guard<std::mutex> Lock(Table);
  auto It = Parent.Entries.find(Name);
  if (It != Parent.Entries.end() && It->second->Dev == St.st_dev &&
      It->second->Ino == St.st_ino &&
      (It->second->Type == (St.st_mode & S_IFMT))) {
    FuseNode &N = *It->second;
    ::close(Fd);
    if (N.Lookups++ == 0 && &N != Root.get())
      Live.emplace(&N, N.shared_from_this());
    return N;
  }
  auto N = std::make_shared<FuseNode>();
  N->Fd = Fd;
  N->Dev = St.st_dev;
  N->Ino = St.st_ino;
  N->Type = St.st_mode & S_IFMT;
  N->Name = Name;
  N->Lookups = 1;
  // The parent is kept alive by its children; the root owns itself.
  N->Parent = Parent.shared_from_this();
  if (It != Parent.Entries.end())
    It->second = N.get();
  else
    Parent.Entries.emplace(Name, N.get());
  FuseNode &Ref = *N;
  Live[&Ref] = std::move(N);
  return Ref;
}

void FuseNodeTable::forget(FuseNode &N, uint64_t Count) {
  if (&N == Root.get())
    return;
  std::shared_ptr<FuseNode> Dropped;
  {
    std::lock_guard<std::mutex> Lock(Table);
    N.Lookups = Count >= N.Lookups ? 0 : N.Lookups - Count;
    if (N.Lookups != 0)
      return;
    auto It = Live.find(&N);
    if (It == Live.end())
      return;
    Dropped = std::move(It->second);
    Live.erase(It);
    // Destroyed here, under the lock, if no child holds it.
    Dropped.reset();
  }
}

void FuseNodeTable::detach(FuseNode &Parent, const std::string &Name) {
  std::lock_guard<std::mutex> Lock(Table);
  Parent.Entries.erase(Name);
}

void FuseNodeTable::move(FuseNode &From, const std::string &Name, FuseNode &To,
                         const std::string &NewName) {
  std::lock_guard<std::mutex> Lock(Table);
  To.Entries.erase(NewName);
  auto It = From.Entries.find(Name);
  if (It == From.Entries.end())
    return;
  FuseNode *N = It->second;
  From.Entries.erase(It);
  N->Parent = To.shared_from_this();
  N->Name = NewName;
  To.Entries[NewName] = N;
}

void FuseNodeTable::exchange(FuseNode &A, const std::string &NameA,
                             FuseNode &B, const std::string &NameB) {
  std::lock_guard<std::mutex> Lock(Table);
  auto ItA = A.Entries.find(NameA);
  auto ItB = B.Entries.find(NameB);
  FuseNode *NA = ItA == A.Entries.end() ? nullptr : ItA->second;
  FuseNode *NB = ItB == B.Entries.end() ? nullptr : ItB->second;
  A.Entries.erase(NameA);
  B.Entries.erase(NameB);
  if (NA) {
    NA->Parent = B.shared_from_this();
    NA->Name = NameB;
    B.Entries[NameB] = NA;
  }
  if (NB) {
    NB->Parent = A.shared_from_this();
    NB->Name = NameA;
    A.Entries[NameA] = NB;
  }
}

std::string FuseNodeTable::pathOf(const FuseNode &N) {
  std::lock_guard<std::mutex> Lock(Table);
  std::vector<const std::string *> Names;
  for (const FuseNode *At = &N; At && At->Parent; At = At->Parent.get())
    Names.push_back(&At->Name);
  if (Names.empty())
    return "/";
  std::string Path;
  for (auto It = Names.rbegin(); It != Names.rend(); ++It) {
    Path += '/';
    Path += **It;
  }
  return Path;
}

std::string FuseNodeTable::childPath(const FuseNode &Parent,
                                     const std::string &Name) {
  std::string Path = pathOf(Parent);
  if (Path.size() > 1)
    Path += '/';
  return Path + Name;
}

} // namespace peapod::runtime
