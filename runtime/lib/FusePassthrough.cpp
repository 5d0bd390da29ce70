//===- FusePassthrough.cpp - FUSE_PASSTHROUGH without a libfuse API -------===//
#include "FusePassthrough.h"
#include "peapod/runtime/FuseServer.h"
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <linux/fuse.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

namespace peapod::runtime {

// Protocol 7.40 (include/uapi/linux/fuse.h of Linux 6.9), absent from the
// 7.38 headers Debian 12 ships.
namespace proto {
constexpr uint32_t InitExt = 1u << 30;        // FUSE_INIT_EXT
constexpr uint32_t Passthrough2 = 1u << 5;    // FUSE_PASSTHROUGH >> 32
constexpr uint32_t FopenPassthrough = 1u << 7; // FOPEN_PASSTHROUGH
constexpr uint32_t MaxStackDepth = 2;          // FILESYSTEM_MAX_STACK_DEPTH
struct BackingMap {
  int32_t fd;
  uint32_t flags;
  uint64_t padding;
};
constexpr unsigned long BackingOpen = _IOW(229, 1, BackingMap);
constexpr unsigned long BackingClose = _IOW(229, 2, uint32_t);
} // namespace proto

static thread_local int PendingBacking = -1;
static thread_local FusePassthrough *PendingOwner = nullptr;

void FusePassthrough::configure(bool W, int Dev) {
  Wanted = W;
  DevFd = Dev;
}

void FusePassthrough::bindStats(FuseStats &S) {
  Stats = &S;
  S.PassthroughEnabled = Negotiated;
}

ssize_t FusePassthrough::readRequest(int Fd, void *Buf, size_t Len) {
  ssize_t N = ::read(Fd, Buf, Len);
  if (!SawInit && N >= ssize_t(sizeof(fuse_in_header) + sizeof(fuse_init_in))) {
    auto *H = static_cast<fuse_in_header *>(Buf);
    if (H->opcode == FUSE_INIT) {
      SawInit = true;
      auto *In = reinterpret_cast<fuse_init_in *>(H + 1);
      KernelOffers = (In->flags & proto::InitExt) &&
                     (In->flags2 & proto::Passthrough2);
    }
  }
  return N;
}

ssize_t FusePassthrough::writeReply(int Fd, struct iovec *Iov, int Count) {
  if (SawInit && !AnsweredInit && Count >= 2 &&
      Iov[1].iov_len >= sizeof(fuse_init_out)) {
    // The first reply is INIT's: nothing else is sent before it.
    AnsweredInit = true;
    if (Wanted && KernelOffers) {
      auto *Out = static_cast<fuse_init_out *>(Iov[1].iov_base);
      Out->flags |= proto::InitExt;
      Out->flags2 |= proto::Passthrough2;
      Out->unused[0] = proto::MaxStackDepth;
      Negotiated = true;
      if (Stats)
        Stats->PassthroughEnabled = true;
    }
  }
  if (PendingOwner == this && PendingBacking >= 0) {
    auto *H = static_cast<fuse_out_header *>(Iov[0].iov_base);
    struct iovec &Last = Iov[Count - 1];
    if (Count >= 2 && H->error == 0 && Last.iov_len >= sizeof(fuse_open_out)) {
      auto *Open = reinterpret_cast<fuse_open_out *>(
          static_cast<char *>(Last.iov_base) + Last.iov_len -
          sizeof(fuse_open_out));
      Open->open_flags |= proto::FopenPassthrough;
      Open->padding = uint32_t(PendingBacking);
    }
    PendingBacking = -1;
    PendingOwner = nullptr;
  }
  return ::writev(Fd, Iov, Count);
}

void FusePassthrough::prepareOpen(int Fd, const void *Inode) {
  PendingBacking = -1;
  PendingOwner = nullptr;
  if (!Negotiated)
    return;
  struct stat St;
  if (fstat(Fd, &St) != 0 || !S_ISREG(St.st_mode))
    return;
  int Id;
  {
    std::lock_guard<std::mutex> G(Lock);
    auto It = BackingOfInode.find(Inode);
    if (It != BackingOfInode.end()) {
      Id = It->second.Id;
      ++It->second.Opens;
    } else {
      proto::BackingMap Map{Fd, 0, 0};
      Id = ioctl(DevFd, proto::BackingOpen, &Map);
      if (Id < 0)
        return; // the kernel refused: this file is served by copying
      BackingOfInode.emplace(Inode, Backing{Id, 1});
    }
    InodeOfFd[Fd] = Inode;
  }
  PendingBacking = Id;
  PendingOwner = this;
  if (Stats)
    ++Stats->PassthroughOpens;
}

void FusePassthrough::release(int Fd) {
  std::lock_guard<std::mutex> G(Lock);
  auto It = InodeOfFd.find(Fd);
  if (It == InodeOfFd.end())
    return;
  auto B = BackingOfInode.find(It->second);
  InodeOfFd.erase(It);
  if (B == BackingOfInode.end() || --B->second.Opens > 0)
    return;
  uint32_t Arg = uint32_t(B->second.Id);
  BackingOfInode.erase(B);
  ioctl(DevFd, proto::BackingClose, &Arg);
}

} // namespace peapod::runtime
