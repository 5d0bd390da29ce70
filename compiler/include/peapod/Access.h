//===- Access.h - File access masks and network port sets ------*- C++ -*-===//
//
// Values shared by the compiler, the evaluator and every backend. Bits follow
// the UNIX `rwx` triplet so a pea mask can be triplicated and ANDed with a
// file's mode bits (language rule 7).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ACCESS_H
#define PEAPOD_ACCESS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <vector>

namespace peapod {

/// A pea's file access mask: any combination of read, write and execute.
/// Zero means no access; a `deny` rule is a rule whose mask is zero.
enum AccessBits : uint8_t {
  AccessNone = 0,
  AccessExecute = 1,
  AccessWrite = 2,
  AccessRead = 4,
  AccessAll = 7,
};

/// "rwx" with '-' for an absent bit, e.g. "r-x".
std::string accessString(uint8_t Mask);

/// The mask triplicated over user/group/other and ANDed with `Mode`, as the
/// kernel would apply it: e.g. r-x on mode 0755 gives 0555.
uint32_t effectiveMode(uint8_t Mask, uint32_t Mode);

enum class Protocol : uint8_t { TCP = 0, UDP = 1 };

const char *protocolName(Protocol P);

/// An inclusive port range of one protocol: `tcp/25` is {TCP, 25, 25}.
struct PortRange {
  Protocol Proto = Protocol::TCP;
  uint16_t Low = 0;
  uint16_t High = 0;

  bool contains(Protocol P, uint16_t Port) const {
    return P == Proto && Low <= Port && Port <= High;
  }
  bool operator==(const PortRange &) const = default;
  auto operator<=>(const PortRange &) const = default;
};

/// `tcp/25` or `udp/8000-8080`.
std::string portRangeString(const PortRange &R);

/// What is wrong with a network specification, and the part of it at fault
/// (a slice of the text parsed, so a caller can point at it).
struct PortSpecError {
  enum Kind : uint8_t { None, UnknownProtocol, PortOutOfRange, EmptyRange };
  Kind K = None;
  llvm::StringRef Part; ///< the protocol, the bad number, or the whole range
  explicit operator bool() const { return K != None; }
};

/// Parses `tcp/25`, `udp/53` or `tcp/8000-8080` (PROTO/PORT[-PORT], ports
/// 1-65535, low <= high): the language's NETSPEC and `query`'s arguments.
/// The text must already have that shape (letters, '/', digits, optionally
/// '-' and digits), as the lexer guarantees.
PortSpecError parsePortSpec(llvm::StringRef Text, PortRange &Out);

/// What `bind` or `outgoing` permits. Defaults to deny (language rule 9).
struct NetPolicy {
  bool AllowAll = false;
  bool DenyAll = false; ///< an explicit `deny`, which wins over everything
  std::vector<PortRange> Ranges; ///< sorted, merged: disjoint, not adjacent

  /// Adds ranges (rules merge by union, semantics 9), keeping Ranges sorted
  /// and merged.
  void add(llvm::ArrayRef<PortRange> More);
  bool permits(Protocol P, uint16_t Port) const;
};

/// What a NetPolicy permits, for people: "deny (nothing)", "allow (every
/// port)", "none", or the ranges as "tcp/25, udp/53".
std::string netPolicyString(const NetPolicy &N);

} // namespace peapod

#endif // PEAPOD_ACCESS_H
