//===- FuseSetup.cpp - The FUSE layer's settings for one pod --------------===//
#include "peapod/runtime/FuseSetup.h"
#include "peapod/FuseConfig.h"
#include "peapod/InputFile.h"

namespace peapod::runtime {

bool fuseMountOptionsFor(const std::string &ConfigPath, const ppi_image &Img,
                         uint32_t Pod, FuseMountOptions &Out,
                         std::string &Error) {
  FuseConfig Config;
  if (ConfigPath.empty()) {
    Config = deriveFuseConfig(Img);
  } else {
    auto Bytes = readInputFile(ConfigPath);
    if (!Bytes) {
      Error = "cannot read '" + ConfigPath +
              "': " + llvm::toString(Bytes.takeError());
      return false;
    }
    llvm::StringRef Text = (*Bytes)->getBuffer();
    std::optional<FuseConfig> Parsed =
        parseFuseConfig(ConfigPath, {Text.data(), Text.size()}, Error);
    if (!Parsed)
      return false;
    if (!checkFuseConfig(*Parsed, Img, Error)) {
      Error = ConfigPath + ": error: " + Error;
      return false;
    }
    Config = std::move(*Parsed);
  }
  if (Pod >= Config.Pods.size()) {
    Error = "no pod " + std::to_string(Pod) + " in the FUSE configuration";
    return false;
  }
  const FusePodConfig &P = Config.Pods[Pod];
  Out.EntryTimeout = P.EntryTimeout;
  Out.AttrTimeout = P.AttrTimeout;
  Out.NegativeTimeout = P.NegativeTimeout;
  Out.Passthrough = P.Passthrough;
  Out.MaxWrite = P.MaxWrite;
  Out.MaxThreads = P.Threads;
  return true;
}

} // namespace peapod::runtime
