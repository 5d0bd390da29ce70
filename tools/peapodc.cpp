//===- peapodc.cpp - The PeaPod policy compiler ---------------------------===//
#include "Driver.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"

int main(int Argc, const char **Argv) {
  peapod::driver::useHugePagesForHeap();
  llvm::InitLLVM X(Argc, Argv);
  std::vector<std::string> Args(Argv + 1, Argv + Argc);
  bool Colors = llvm::errs().has_colors();
  int Status =
      peapod::driver::runPeapodc(Args, llvm::outs(), llvm::errs(), Colors);
  // A full disk or a closed descriptor behind standard output is an I/O
  // error like any other (exit 2), not an abort in the stream's destructor.
  llvm::outs().flush();
  if (llvm::outs().has_error()) {
    llvm::errs() << "peapodc: error: cannot write standard output: "
                 << llvm::outs().error().message() << "\n";
    llvm::outs().clear_error();
    return peapod::driver::ExitUsage;
  }
  return Status;
}
