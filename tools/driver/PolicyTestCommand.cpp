//===- PolicyTestCommand.cpp - peapodc test: a policy's unit tests --------===//
#include "Commands.h"

namespace peapod::driver {

int runTest(const std::vector<std::string> &Args, const Context &Ctx) {
  (void)Args;
  return Ctx.usage("not yet");
}

} // namespace peapod::driver
