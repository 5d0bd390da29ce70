//===- FuseNodes.h - The FUSE daemon's inode table -------------*- C++ -*-===//
//
// One node per *name* (parent node, component), not per (dev, ino) as in
// libfuse's passthrough_hp: a decision is a function of the path, and FUSE
// tells the daemon only a node id on open, so two hard links must be two
// nodes, each knowing its own path. Each node holds an O_PATH descriptor of
// what its name referred to when it was looked up; operations act on that
// descriptor, never on a path string, so what was decided is what is used.
//
// Locking: `Names` is shared by lookups and exclusive for the operations
// that move or remove names (rename, unlink, rmdir), so a path computed
// under a shared lock stays true until the lock is dropped. `Table` guards
// the maps themselves.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_FUSENODES_H
#define PEAPOD_RUNTIME_FUSENODES_H

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <sys/stat.h>
#include <unordered_map>

namespace peapod::runtime {

struct FuseNode : std::enable_shared_from_this<FuseNode> {
  int Fd = -1; ///< O_PATH, O_NOFOLLOW
  dev_t Dev = 0;
  ino_t Ino = 0;
  mode_t Type = 0; ///< S_IFMT bits
  /// The name this node was reached by; kept after unlink so that a node
  /// still referenced (an open file, a cwd) is decided by its last path.
  std::shared_ptr<FuseNode> Parent;
  std::string Name;
  uint64_t Lookups = 0;                             ///< the kernel's count
  std::unordered_map<std::string, FuseNode *> Entries; ///< live children

  FuseNode() = default;
  FuseNode(const FuseNode &) = delete;
  FuseNode &operator=(const FuseNode &) = delete;
  ~FuseNode();
  bool isDir() const { return S_ISDIR(Type); }
};

class FuseNodeTable {
public:
  /// Takes ownership of `RootFd` (an O_PATH directory descriptor).
  explicit FuseNodeTable(int RootFd);
  ~FuseNodeTable();

  FuseNode &root() { return *Root; }
  /// The node of a FUSE node id (1 is the root).
  FuseNode &node(uint64_t Id);
  static uint64_t idOf(FuseNode &N, FuseNode &Root) {
    return &N == &Root ? 1 : reinterpret_cast<uint64_t>(&N);
  }

  /// The node for `Name` in `Parent`, which `Fd` (O_PATH, taken over) now
  /// refers to: the existing one if it is the same file, else a new one
  /// replacing it in the parent's entries. Counts one kernel lookup.
  FuseNode &insert(FuseNode &Parent, const std::string &Name, int Fd,
                   const struct stat &St);
  /// The kernel forgets `Count` lookups.
  void forget(FuseNode &N, uint64_t Count);
  /// Removes `Name` from `Parent`'s entries (the node lives on while
  /// referenced). Caller holds Names exclusively.
  void detach(FuseNode &Parent, const std::string &Name);
  /// Moves the entry `Name` of `From` to `NewName` of `To` (replacing what
  /// was there). Caller holds Names exclusively.
  void move(FuseNode &From, const std::string &Name, FuseNode &To,
            const std::string &NewName);
  /// Swaps two entries (RENAME_EXCHANGE). Caller holds Names exclusively.
  void exchange(FuseNode &A, const std::string &NameA, FuseNode &B,
                const std::string &NameB);

  /// The node's path in the pod's view ("/" for the root). Caller holds
  /// Names (shared or exclusive).
  std::string pathOf(const FuseNode &N);
  /// The path `Name` would have in `Parent`.
  std::string childPath(const FuseNode &Parent, const std::string &Name);

  std::shared_mutex Names;

private:
  std::shared_ptr<FuseNode> Root;
  std::mutex Table;
  /// Nodes the kernel holds (Lookups > 0), owning them.
  std::unordered_map<FuseNode *, std::shared_ptr<FuseNode>> Live;
};

} // namespace peapod::runtime

#endif
