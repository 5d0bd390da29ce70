//===- FileDecisions.h - File access of a pea, as the FUSE layer asks it -*- C++ -*-===//
//
// The pieces of a file decision that do not depend on FUSE: the pea's access
// to a path from the image, semantics 7 (the access masks the mode bits,
// then the usual UNIX check against the caller's credentials), and whether a
// pea's rules are uniform over a whole subtree (what a directory rename
// needs). FuseServer.cpp combines them per operation (docs/fuse.md).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_FILEDECISIONS_H
#define PEAPOD_RUNTIME_FILEDECISIONS_H

#include "peapod/image.h"
#include <cstdint>
#include <string_view>
#include <sys/types.h>

namespace peapod::runtime {

/// The pea index that stands for the pod's init (FuseMountOptions::
/// RuntimeReader): read and execute (search) everywhere, never write.
constexpr uint32_t RuntimeReaderPea = PPI_NONE - 1;

/// The caller of one request, as the daemon knows it.
struct Caller {
  pid_t Pid = 0;
  uid_t Uid = 0;
  gid_t Gid = 0;
  uint32_t Pea = PPI_NONE; ///< global pea index; PPI_NONE: no pea
};

/// The pea's answer for `Path` (normalised, "/" or "/a/b") asked as a
/// directory or not; Default deny for PPI_NONE, read and execute for
/// RuntimeReaderPea.
ppi_answer peaAnswer(const ppi_image &Img, uint32_t Pea, std::string_view Path,
                     bool IsDir);

/// The UNIX permission check (owner, group, other; root may read and write
/// anything and execute what has an execute bit, search any directory) of
/// `Want` (PPI_ACCESS_* bits) against `Mode` for the caller. `InGroup` says
/// whether the caller is in the file's group (primary or supplementary).
bool unixPermits(uint32_t Mode, uid_t Owner, bool InGroup, uid_t Uid,
                 uint8_t Want);

/// Semantics 7: the pea may do `Want` on a file with `Mode` if `Want` is in
/// its access (root's privileges never add to the pea's access) and the UNIX
/// check passes against the masked mode.
bool peaPermits(uint8_t Access, uint32_t Mode, uid_t Owner, bool InGroup,
                uid_t Uid, uint8_t Want);

/// Whether the pea's tree has a node for `Path`: some rule is at `Path` or
/// below it. When it has none, every path under `Path` gets the answer
/// `Path`'s own "below" slots give, so renaming the directory cannot change
/// any answer inside it but its own.
bool hasRulesAtOrBelow(const ppi_image &Img, uint32_t Pea,
                       std::string_view Path);

/// "rwx" letters of an access mask ("r-x" -> "rx"), for audit lines.
std::string_view accessLetters(uint8_t Access);

} // namespace peapod::runtime

#endif
