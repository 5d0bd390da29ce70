//===- Formatter.h - The canonical layout of policies and rule groups -*- C++ -*-===//
//
// `peapodc fmt` and the language server's `formatting` and `rangeFormatting`
// share this one formatter. It works on the parser's syntax tree (AST.h:
// every node's range, each access word and port, every comment) and the
// parser's own lexer; it has no grammar of its own. The style it produces is
// docs/formatting.md's:
//
//   - two spaces per level: pods at the left margin, peas inside them, rules
//     inside peas; a rule group's rules at the left margin;
//   - one rule, one `pod NAME {`, `pea NAME {` and `}` per line;
//   - within a pea, the values of consecutive rules (the access list, the
//     network list, the target pea) start in one column, one space after
//     the longest `KEYWORD PATH` of the run; a blank line starts a new run;
//   - access lists in the order read, write, execute, as `read, write`;
//     network lists in the author's order as `tcp/80, tcp/443`;
//   - paths, names and rule group names exactly as written;
//   - every comment kept: an own-line comment on its own line, re-indented;
//     a trailing comment after its line, two spaces away, aligned with the
//     trailing comments of the rules around it; a comment between the tokens
//     of a rule after that rule;
//   - at most one blank line where the author left blank lines, none after
//     `{`, before `}` or at either end of the file;
//   - the file's own line ending (the most common of LF, CRLF and CR) and
//     its byte order mark, if it has one; a final line ending.
//
// Formatting never changes what a policy means: the formatted text holds the
// same tokens in the same order (only the words of an access list sorted)
// and the same comments, and before anything is returned it is lexed again
// and compared with the original to prove it. A buffer with a syntax error
// is left untouched.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_FORMATTER_H
#define PEAPOD_FORMATTER_H

#include "peapod/AST.h"
#include "peapod/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
}

namespace peapod {

/// Bytes [Begin, End) of a buffer.
struct ByteRange {
  size_t Begin = 0;
  size_t End = 0;
};

/// Bytes [Offset, Offset + Length) of the original buffer become `Text`.
struct TextEdit {
  size_t Offset = 0;
  size_t Length = 0;
  std::string Text;
  bool operator==(const TextEdit &) const = default;
};

struct FormatResult {
  /// False if the buffer was left untouched because it has a syntax error
  /// (or another error that keeps a token out of the syntax tree, such as
  /// a rule directly in a pod); `Reason` then says so and `Text` is the
  /// original.
  bool Formatted = false;
  std::string Reason;
  /// The whole buffer after formatting.
  std::string Text;
  /// The changes from the original to `Text`, in order and not
  /// overlapping, each covering whole lines; empty if nothing changes.
  std::vector<TextEdit> Edits;

  bool changed() const { return !Edits.empty(); }
};

/// Parses buffer `BufferID` of `SM` and formats it: all of it, or, with a
/// `Range`, only the lines the range touches (an empty range: the line it is
/// on), as the rest of the file would be formatted around them. What the
/// parse reports goes to `Diags` (as parseBuffer; no error limit stops the
/// parse early, the engine's own limit applies to what it records).
FormatResult formatBuffer(const llvm::SourceMgr &SM, unsigned BufferID,
                          DiagnosticEngine &Diags,
                          std::optional<ByteRange> Range = std::nullopt);

/// The same for a tree the caller has already parsed from `Text` with no
/// error limit (the language server's). `ParseDiags` are the diagnostics of
/// that parse; a whole compilation's may be given, since only the syntax
/// errors located in `Text` count.
FormatResult formatTree(const ast::File &Tree, llvm::StringRef Text,
                        llvm::ArrayRef<Diagnostic> ParseDiags,
                        std::optional<ByteRange> Range = std::nullopt);

/// Formats a whole text (named `Name` in diagnostics): the new text, or
/// nullopt if it is left untouched. For tests and tools that need no
/// diagnostics.
std::optional<std::string> formatText(llvm::StringRef Text,
                                      llvm::StringRef Name = "<buffer>");

/// Whether `D` is a syntax error: one that leaves the parser guessing, after
/// which a buffer is never formatted (E001 syntax-error, E002
/// unterminated-string, E003 invalid-character).
bool isSyntaxError(const Diagnostic &D);

} // namespace peapod

#endif // PEAPOD_FORMATTER_H
