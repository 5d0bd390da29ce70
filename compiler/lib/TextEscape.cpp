//===- TextEscape.cpp -----------------------------------------------------===//
#include "peapod/TextEscape.h"

namespace peapod {

size_t utf8SequenceLength(llvm::StringRef S) {
  if (S.empty())
    return 0;
  auto Byte = [&](size_t I) { return static_cast<unsigned char>(S[I]); };
  unsigned char B = Byte(0);
  if (B < 0x80)
    return 1;
  size_t Len = B >= 0xC2 && B <= 0xDF   ? 2
               : B >= 0xE0 && B <= 0xEF ? 3
               : B >= 0xF0 && B <= 0xF4 ? 4
                                        : 0;
  if (Len == 0 || S.size() < Len)
    return 0;
  // The second byte's range is narrower after some lead bytes.
  unsigned char Lo = B == 0xE0 ? 0xA0 : B == 0xF0 ? 0x90 : 0x80;
  unsigned char Hi = B == 0xED ? 0x9F : B == 0xF4 ? 0x8F : 0xBF;
  if (Byte(1) < Lo || Byte(1) > Hi)
    return 0;
  for (size_t I = 2; I < Len; ++I)
    if (Byte(I) < 0x80 || Byte(I) > 0xBF)
      return 0;
  return Len;
}

uint32_t utf8Decode(llvm::StringRef S, size_t Length) {
  auto Byte = [&](size_t I) { return uint32_t(static_cast<unsigned char>(S[I])); };
  switch (Length) {
  case 1:
    return Byte(0);
  case 2:
    return (Byte(0) & 0x1F) << 6 | (Byte(1) & 0x3F);
  case 3:
    return (Byte(0) & 0x0F) << 12 | (Byte(1) & 0x3F) << 6 | (Byte(2) & 0x3F);
  default:
    return (Byte(0) & 0x07) << 18 | (Byte(1) & 0x3F) << 12 |
           (Byte(2) & 0x3F) << 6 | (Byte(3) & 0x3F);
  }
}

static void appendHexByte(std::string &Out, unsigned char B) {
  static const char Digits[] = "0123456789abcdef";
  Out += {'\\', 'x', Digits[B >> 4], Digits[B & 15]};
}

/// Walks `S` by well-formed sequences; `Keep(CodePoint)` says whether a
/// sequence is copied as is; everything else is written byte by byte as \xNN.
template <typename KeepFn>
static std::string escapeWith(llvm::StringRef S, KeepFn Keep) {
  std::string Out;
  Out.reserve(S.size());
  while (!S.empty()) {
    size_t N = utf8SequenceLength(S);
    if (N && Keep(utf8Decode(S, N))) {
      Out.append(S.data(), N);
    } else {
      N = N ? N : 1;
      for (size_t I = 0; I < N; ++I)
        appendHexByte(Out, static_cast<unsigned char>(S[I]));
    }
    S = S.drop_front(N);
  }
  return Out;
}

std::string hexEscapeBytes(llvm::StringRef S) {
  std::string Out;
  for (char C : S)
    appendHexByte(Out, static_cast<unsigned char>(C));
  return Out;
}

std::string escapeInvalidUtf8(llvm::StringRef S) {
  return escapeWith(S, [](uint32_t) { return true; });
}

bool isUnsafeForTerminal(uint32_t C) {
  return C < 0x20 || C == 0x7F || (C >= 0x80 && C <= 0x9F) ||
         (C >= 0x202A && C <= 0x202E) || (C >= 0x2066 && C <= 0x2069) ||
         C == 0x200E || C == 0x200F || C == 0x061C;
}

std::string escapeForTerminal(llvm::StringRef S) {
  return escapeWith(S, [](uint32_t C) { return !isUnsafeForTerminal(C); });
}

std::string quotePathForDisplay(llvm::StringRef Path) {
  // The characters that end an unquoted path in the language need quotes;
  // so does anything that would not survive a terminal.
  bool Plain = !Path.empty() &&
               Path.find_first_of(" ,{}#\"\\") == llvm::StringRef::npos &&
               escapeForTerminal(Path) == Path;
  if (Plain)
    return Path.str();
  std::string Out = "\"";
  for (llvm::StringRef Rest = Path; !Rest.empty();) {
    size_t N = utf8SequenceLength(Rest);
    if (N == 1 && (Rest[0] == '"' || Rest[0] == '\\')) {
      Out += '\\';
      Out += Rest[0];
    } else if (N && !isUnsafeForTerminal(utf8Decode(Rest, N))) {
      Out.append(Rest.data(), N);
    } else {
      N = N ? N : 1;
      for (size_t I = 0; I < N; ++I)
        appendHexByte(Out, static_cast<unsigned char>(Rest[I]));
    }
    Rest = Rest.drop_front(N);
  }
  Out += '"';
  return Out;
}

} // namespace peapod
