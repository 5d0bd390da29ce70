//===- FuseSetup.h - The FUSE layer's settings for one pod ------*- C++ -*-===//
//
// What `peapod run` hands FuseServer::start: the settings `peapodc --target
// fuse` emitted for the pod (docs/fuse-config.md), read from a file and
// checked against the image (digest, pods, peas, cgroup layout), or derived
// from the image itself when no file is given (the same derivation).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_FUSESETUP_H
#define PEAPOD_RUNTIME_FUSESETUP_H

#include "peapod/image.h"
#include "peapod/runtime/FuseServer.h"
#include <string>

namespace peapod::runtime {

/// Fills `Out` for pod `Pod` (a pod index of `Img`) from the configuration
/// at `ConfigPath` ("" = derive from the image). False and `Error` ("FILE:
/// ..." for a bad file, a mismatch with the image) on failure; `Out` keeps
/// its Complain setting.
bool fuseMountOptionsFor(const std::string &ConfigPath, const ppi_image &Img,
                         uint32_t Pod, FuseMountOptions &Out,
                         std::string &Error);

} // namespace peapod::runtime

#endif
