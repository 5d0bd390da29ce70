//===- FileDecisions.cpp - File access of a pea ---------------------------===//
#include "FileDecisions.h"
#include <cstring>
#include <sys/stat.h>

namespace peapod::runtime {

ppi_answer peaAnswer(const ppi_image &Img, uint32_t Pea, std::string_view Path,
                     bool IsDir) {
  if (Pea == RuntimeReaderPea)
    return ppi_answer{PPI_NONE,
                      static_cast<uint8_t>(PPI_ACCESS_READ | PPI_ACCESS_EXECUTE),
                      PPI_KIND_DEFAULT, 0};
  if (Pea >= Img.pea_count)
    return ppi_answer{PPI_NONE, 0, PPI_KIND_DEFAULT, 0};
  return ppi_lookup_path(&Img, Pea, Path.data(), Path.size(), IsDir).access;
}

bool unixPermits(uint32_t Mode, uid_t Owner, bool InGroup, uid_t Uid,
                 uint8_t Want) {
  if (Uid == 0) {
    // CAP_DAC_OVERRIDE: everything but executing a file without any x bit.
    if ((Want & PPI_ACCESS_EXECUTE) && !S_ISDIR(Mode) && !(Mode & 0111))
      return false;
    return true;
  }
  unsigned Shift = Uid == Owner ? 6 : InGroup ? 3 : 0;
  uint8_t Granted = (Mode >> Shift) & 7;
  return (Want & ~Granted) == 0;
}

bool peaPermits(uint8_t Access, uint32_t Mode, uid_t Owner, bool InGroup,
                uid_t Uid, uint8_t Want) {
  if (Want & ~Access)
    return false;
  return unixPermits(ppi_effective_mode(Access, Mode), Owner, InGroup, Uid,
                     Want);
}

bool hasRulesAtOrBelow(const ppi_image &Img, uint32_t Pea,
                       std::string_view Path) {
  if (Pea >= Img.pea_count)
    return false;
  const ppi_node &Root = Img.nodes[Img.peas[Pea].first_node];
  uint32_t First = Root.first_slot, Count = Root.slot_count;
  size_t Pos = 0;
  // The same walk as ppi_lookup_path, but it only asks whether every
  // component has a node (image.h: slots carry the child's table).
  while (Pos < Path.size()) {
    while (Pos < Path.size() && Path[Pos] == '/')
      ++Pos;
    size_t End = Path.find('/', Pos);
    if (End == std::string_view::npos)
      End = Path.size();
    if (End == Pos)
      break;
    std::string_view Name = Path.substr(Pos, End - Pos);
    Pos = End;
    if (Count == 0)
      return false;
    uint32_t Hash = ppi_fnv1a(Name.data(), Name.size());
    const ppi_slot *Found = nullptr;
    for (uint32_t I = 0; I < Count; ++I) {
      const ppi_slot &S = Img.slots[First + ((Hash + I) & (Count - 1))];
      if (S.child == PPI_NONE)
        break;
      if (S.hash == Hash && S.name_len == Name.size() &&
          std::memcmp(ppi_string(&Img, S.name_off), Name.data(),
                      Name.size()) == 0) {
        Found = &S;
        break;
      }
    }
    if (!Found)
      return false;
    First = Found->first_slot;
    Count = Found->slot_count;
  }
  return true;
}

std::string_view accessLetters(uint8_t Access) {
  static const char *const Letters[8] = {"",   "x",  "w",  "wx",
                                         "r",  "rx", "rw", "rwx"};
  return Letters[Access & 7];
}

} // namespace peapod::runtime
