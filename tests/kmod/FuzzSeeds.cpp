//===- FuzzSeeds.cpp - Images of the examples, as fuzz_image's corpus -----===//
//
// kmod_fuzz_seeds OUT_DIR POLICY... : compiles each policy that has no
// errors and writes its image with and without locations. Policies with
// errors (the diagnostics examples) are skipped.
//
//===----------------------------------------------------------------------===//
#include "peapod/Compilation.h"
#include "peapod/ImageWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

int main(int Argc, char **Argv) {
  if (Argc < 2) {
    llvm::errs() << "usage: kmod_fuzz_seeds OUT_DIR POLICY...\n";
    return 2;
  }
  std::string Out = Argv[1];
  if (std::error_code EC = llvm::sys::fs::create_directories(Out)) {
    llvm::errs() << Out << ": " << EC.message() << "\n";
    return 1;
  }
  for (int I = 2; I < Argc; ++I) {
    peapod::Compilation C;
    if (!C.compileFile(Argv[I]) || C.diags().hasErrors())
      continue;
    std::string Stem = llvm::sys::path::stem(Argv[I]).str();
    for (bool Locations : {true, false}) {
      peapod::ImageWriteOptions Opts;
      Opts.Locations = Locations;
      std::string Path = Out + "/" + Stem + (Locations ? ".img" : ".noloc.img");
      std::string Error;
      if (!peapod::writeImageFile(Path, C.policy(), Opts, Error)) {
        llvm::errs() << Error << "\n";
        return 1;
      }
    }
  }
  return 0;
}
