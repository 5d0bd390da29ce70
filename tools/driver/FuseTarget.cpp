//===- FuseTarget.cpp - peapodc --target fuse|bpf -------------------------===//
//
// The FUSE layer's configuration (docs/fuse-config.md) or the BPF programs'
// network rules (docs/bpf.md) for a policy or a compiled image. From a policy the image is built in memory exactly as
// `peapodc POLICY -o IMAGE` writes it (same options), so the digest in the
// configuration is that image's.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "peapod/BpfConfig.h"
#include "peapod/FuseConfig.h"
#include "peapod/ImageWriter.h"
#include "peapod/InputFile.h"
#include "peapod/OutputFile.h"
#include <cstring>
#include <vector>

namespace peapod::driver {

int runImageTarget(ImageTarget Target, const std::string &Input,
                   const std::string &Output, const CompileOptions &Opts,
                   const ImageWriteOptions &ImageOpts, const Context &Ctx) {
  PolicyInput In;
  if (int Status = readPolicyOrImage(Input, Opts, Ctx, In))
    return Status;
  std::vector<uint64_t> Aligned; // ppi_open wants PPI_ALIGN-aligned bytes
  ppi_image Built{};
  if (!In.Image) {
    std::string Bytes = writeImage(In.Source->policy(), ImageOpts);
    Aligned.assign((Bytes.size() + 7) / 8, 0);
    std::memcpy(Aligned.data(), Bytes.data(), Bytes.size());
    char Err[256];
    if (ppi_open(&Built, Aligned.data(), Bytes.size(), Err, sizeof Err) !=
        PPI_OK)
      return Ctx.usage("cannot load the image of '" + Input + "': " + Err);
  }
  const ppi_image &Img = In.Image ? In.Image->image() : Built;

  OutputOptions Out;
  Out.Stdout = &Ctx.Out;
  if (std::optional<llvm::sys::fs::UniqueID> ID = fileIdentity(Input))
    Out.Inputs.push_back({*ID, Input});
  auto File = OutputFile::create(Output, Out);
  if (!File)
    return Ctx.usage(llvm::toString(File.takeError()));
  (*File)->os() << (Target == ImageTarget::Fuse
                         ? fuseConfigToJSON(deriveFuseConfig(Img))
                         : bpfConfigToJSON(deriveBpfConfig(Img)));
  if (llvm::Error E = (*File)->commit())
    return Ctx.usage(llvm::toString(std::move(E)));
  return ExitOK;
}

} // namespace peapod::driver
