//===- TextEscape.h - Untrusted bytes made safe for JSON and terminals -*- C++ -*-===//
//
// Policies, rule groups and images come from anywhere, and paths may hold
// any byte but NUL. Every printer that shows such bytes goes through here:
// JSON must be valid UTF-8, and a terminal must never receive a control
// sequence (a rule group from elsewhere could otherwise move the cursor,
// retitle the window or hide text). Invalid bytes and control characters
// become the four characters \xNN, in both, so the same path reads the same
// everywhere.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_TEXTESCAPE_H
#define PEAPOD_TEXTESCAPE_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>

namespace peapod {

/// Length of the well-formed UTF-8 sequence at the start of `S` (RFC 3629:
/// no overlong forms, surrogates or code points past U+10FFFF), or 0 if
/// there is none (or `S` is empty).
size_t utf8SequenceLength(llvm::StringRef S);

/// The code point of the well-formed sequence of `Length` bytes at `S`.
uint32_t utf8Decode(llvm::StringRef S, size_t Length);

/// `S` as valid UTF-8 for a JSON string: each byte that is not part of a
/// well-formed sequence becomes \xNN. Control characters are left to the
/// JSON encoder, which escapes them itself.
std::string escapeInvalidUtf8(llvm::StringRef S);

/// Whether the code point must not reach a terminal raw: C0 controls
/// (including tab and newline), DEL, C1 controls, and the bidirectional
/// overrides and isolates that reorder what a reader sees (CVE-2021-42574).
bool isUnsafeForTerminal(uint32_t CodePoint);

/// `S` with every invalid byte and every unsafe code point written as \xNN
/// (one per byte of its encoding): safe to print on a terminal.
std::string escapeForTerminal(llvm::StringRef S);

/// Every byte of `S` as the four characters \xNN.
std::string hexEscapeBytes(llvm::StringRef S);

/// A path as `query` and `show` print it: as is if it holds only safe,
/// non-space characters, else in double quotes with `"` and `\` escaped as
/// in the policy language and unsafe bytes as \xNN.
std::string quotePathForDisplay(llvm::StringRef Path);

} // namespace peapod

#endif // PEAPOD_TEXTESCAPE_H
