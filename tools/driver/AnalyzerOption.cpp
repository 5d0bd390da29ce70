//===- AnalyzerOption.cpp - Options every analyzing command takes ---------===//
#include "Commands.h"

namespace peapod::driver {

bool parseAnalyzerOption(ArgCursor &Args, analyzer::AnalyzerOptions &Opts,
                         std::string &Error) {
  if (auto Root = Args.value("--root")) {
    if (Root->empty())
      Error = "--root needs a directory (the pod's file-system tree)";
    Opts.Root = *Root;
    return true;
  }
  if (Args.flag("--cross-devices")) {
    Opts.CrossDevices = true;
    return true;
  }
  return false;
}

} // namespace peapod::driver
