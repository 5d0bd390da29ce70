//===- peapodc.cpp - The PeaPod policy compiler ---------------------------===//
#include "Driver.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"

int main(int Argc, const char **Argv) {
  peapod::driver::useHugePagesForHeap();
  llvm::InitLLVM X(Argc, Argv);
  std::vector<std::string> Args(Argv + 1, Argv + Argc);
  bool Colors = llvm::errs().has_colors();
  return peapod::driver::runPeapodc(Args, llvm::outs(), llvm::errs(), Colors);
}
