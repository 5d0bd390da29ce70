//===- FusePassthrough.h - FUSE_PASSTHROUGH without a libfuse API -*- C++ -*-===//
//
// Linux 6.9+ can hand an opened file to the kernel (protocol 7.40): the
// daemon registers its descriptor with FUSE_DEV_IOC_BACKING_OPEN and sets
// FOPEN_PASSTHROUGH and the backing id in the open reply; reads, writes and
// mmap then go to the backing file without the daemon. libfuse 3.14 knows
// neither the init flag nor the reply fields, so the session runs over a
// custom I/O (fuse_session_custom_io) whose writev patches two replies:
//
//  - the INIT reply: FUSE_PASSTHROUGH in flags2 and max_stack_depth (the
//    first of 3.14's unused words, where 7.40 put it), if the kernel's INIT
//    offered it;
//  - an OPEN or CREATE reply made by the same thread right after
//    prepareOpen(): FOPEN_PASSTHROUGH and the backing id in the last 16
//    bytes (struct fuse_open_out: 3.14's padding is 7.40's backing_id).
//
// Without passthrough the custom I/O is plain read/writev/splice.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_FUSEPASSTHROUGH_H
#define PEAPOD_RUNTIME_FUSEPASSTHROUGH_H

#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>

#include <mutex>
#include <unordered_map>

namespace peapod::runtime {

struct FuseStats;

class FusePassthrough {
public:
  void configure(bool Wanted, int DevFd);
  void bindStats(FuseStats &S);

  /// Registers `Fd` as the backing file of the open of inode `Inode` being
  /// answered by this thread (when passthrough was negotiated). The kernel
  /// allows one backing file per inode at a time (a second open with
  /// another backing id fails with EIO), so every open of an inode shares
  /// one backing id, counted, closed with its last release.
  void prepareOpen(int Fd, const void *Inode);
  /// The reply was not sent: forget the registration.
  void abandon(int Fd) { release(Fd); }
  /// The file is released: drop its backing id.
  void release(int Fd);

  // The custom I/O's read and writev (FuseServer.cpp's trampolines call
  // them: libfuse hands the hooks the session's user data).
  ssize_t readRequest(int Fd, void *Buf, size_t Len);
  ssize_t writeReply(int Fd, struct iovec *Iov, int Count);

private:
  bool Wanted = false;
  bool KernelOffers = false;
  bool Negotiated = false;
  bool SawInit = false, AnsweredInit = false;
  int DevFd = -1;
  FuseStats *Stats = nullptr;
  std::mutex Lock;
  struct Backing {
    int Id;
    unsigned Opens;
  };
  std::unordered_map<const void *, Backing> BackingOfInode;
  std::unordered_map<int, const void *> InodeOfFd; ///< passthrough opens
};

} // namespace peapod::runtime

#endif
