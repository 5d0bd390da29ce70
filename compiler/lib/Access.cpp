//===- Access.cpp ---------------------------------------------------------===//
#include "peapod/Access.h"

namespace peapod {

std::string accessString(uint8_t Mask) {
  std::string S = "---";
  if (Mask & AccessRead)
    S[0] = 'r';
  if (Mask & AccessWrite)
    S[1] = 'w';
  if (Mask & AccessExecute)
    S[2] = 'x';
  return S;
}

uint32_t effectiveMode(uint8_t Mask, uint32_t Mode) {
  uint32_t Triplicated = (Mask & 7u) * 0111u; // rwx -> rwxrwxrwx
  return (Mode & ~0777u) | (Mode & Triplicated);
}

const char *protocolName(Protocol P) {
  return P == Protocol::TCP ? "tcp" : "udp";
}

std::string portRangeString(const PortRange &R) {
  std::string S = protocolName(R.Proto);
  S += '/';
  S += std::to_string(R.Low);
  if (R.High != R.Low) {
    S += '-';
    S += std::to_string(R.High);
  }
  return S;
}

bool NetPolicy::permits(Protocol P, uint16_t Port) const {
  if (DenyAll)
    return false;
  if (AllowAll)
    return true;
  for (const PortRange &R : Ranges)
    if (R.contains(P, Port))
      return true;
  return false;
}

} // namespace peapod
