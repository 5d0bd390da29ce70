//===- fuzz_image.cpp - libFuzzer target for the image loader -------------===//
//
// Any bytes as an image. The input's digest is recomputed before ppi_open:
// a mutated input almost never carries the SHA-256 of its own payload, so
// without this every input would stop at the digest check and the bounds
// checks behind it (the ones that keep a forged or buggy image from
// steering the lookups out of bounds) would never be fuzzed. The digest
// check itself is covered by the unit tests. An accepted image is then
// queried and dumped: nothing may read outside it.
//
//===----------------------------------------------------------------------===//
#include "peapod/ImageDump.h"
#include "peapod/image.h"
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {

/// Paths made of the image's own component names, so walks go deep.
std::vector<std::string> pathsFrom(const ppi_image &Img) {
  std::vector<std::string> Paths = {"/", "/a", "//x//", ""};
  std::string Deep;
  for (uint32_t I = 0; I < Img.slot_count && Paths.size() < 64; ++I) {
    const ppi_slot &S = Img.slots[I];
    if (S.child == PPI_NONE)
      continue;
    std::string Name(ppi_string(&Img, S.name_off), S.name_len);
    Deep += "/" + Name;
    Paths.push_back("/" + Name);
    Paths.push_back(Deep);
  }
  return Paths;
}

void query(const ppi_image &Img) {
  std::vector<std::string> Paths = pathsFrom(Img);
  for (uint32_t P = 0; P < Img.pea_count && P < 16; ++P) {
    for (const std::string &Path : Paths) {
      (void)ppi_lookup_path(&Img, P, Path.data(), Path.size(), false);
      (void)ppi_lookup_path(&Img, P, Path.data(), Path.size(), true);
      (void)ppi_lookup_exec(&Img, P, Path.data(), Path.size());
    }
    for (uint16_t Port : {0, 1, 80, 443, 32768, 65535})
      for (uint8_t Proto : {PPI_PROTO_TCP, PPI_PROTO_UDP}) {
        (void)ppi_net_permits(&Img, P, false, Proto, Port);
        (void)ppi_net_permits(&Img, P, true, Proto, Port);
      }
    for (uint32_t Q = 0; Q < 8; ++Q)
      (void)ppi_may_touch(&Img, P, Q);
  }
  (void)ppi_find_pod(&Img, "web", 3);
  (void)ppi_find_pea(&Img, 0, "httpd", 5);
  (void)peapod::dumpImage(Img).dump();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::vector<uint64_t> Aligned((Size + 7) / 8);
  if (Size)
    std::memcpy(Aligned.data(), Data, Size);
  auto *Bytes = reinterpret_cast<uint8_t *>(Aligned.data());
  if (Size >= PPI_HEADER_SIZE)
    ppi_payload_digest(Bytes, Size,
                       reinterpret_cast<ppi_header *>(Bytes)->digest);
  ppi_image Img;
  char Error[256];
  if (ppi_open(&Img, Bytes, Size, Error, sizeof Error) == PPI_OK)
    query(Img);
  return 0;
}
