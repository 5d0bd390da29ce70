//===- Access.cpp ---------------------------------------------------------===//
#include "peapod/Access.h"
#include <algorithm>

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

PortSpecError parsePortSpec(llvm::StringRef Text, PortRange &Out) {
  auto [Proto, Ports] = Text.split('/');
  if (Proto == "tcp")
    Out.Proto = Protocol::TCP;
  else if (Proto == "udp")
    Out.Proto = Protocol::UDP;
  else
    return {PortSpecError::UnknownProtocol, Proto};
  auto Port = [](llvm::StringRef Digits, uint16_t &Value) {
    unsigned long long V = 0;
    if (Digits.getAsInteger(10, V) || V < 1 || V > 65535)
      return false;
    Value = static_cast<uint16_t>(V);
    return true;
  };
  auto [Low, High] = Ports.split('-');
  if (!Port(Low, Out.Low))
    return {PortSpecError::PortOutOfRange, Low};
  Out.High = Out.Low;
  if (Ports.contains('-') && !Port(High, Out.High))
    return {PortSpecError::PortOutOfRange, High};
  if (Out.High < Out.Low)
    return {PortSpecError::EmptyRange, Ports};
  return {};
}

void NetPolicy::add(llvm::ArrayRef<PortRange> More) {
  if (More.empty())
    return;
  Ranges.insert(Ranges.end(), More.begin(), More.end());
  std::sort(Ranges.begin(), Ranges.end());
  // Merge overlapping or adjacent ranges of one protocol.
  std::vector<PortRange> Merged;
  for (const PortRange &R : Ranges) {
    if (!Merged.empty() && Merged.back().Proto == R.Proto &&
        uint32_t(Merged.back().High) + 1 >= R.Low)
      Merged.back().High = std::max(Merged.back().High, R.High);
    else
      Merged.push_back(R);
  }
  Ranges = std::move(Merged);
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

std::string netPolicyString(const NetPolicy &N) {
  if (N.DenyAll)
    return "deny (nothing)";
  if (N.AllowAll)
    return "allow (every port)";
  if (N.Ranges.empty())
    return "none";
  std::string S;
  for (const PortRange &R : N.Ranges)
    S += (S.empty() ? "" : ", ") + portRangeString(R);
  return S;
}

} // namespace peapod
