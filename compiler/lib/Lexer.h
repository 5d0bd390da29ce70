//===- Lexer.h - A fast TokenSource for the generated parser ---*- C++ -*-===//
//
// Produces exactly the tokens grammar/PeaPod.g4's lexer rules define (the
// token types are the generated ones), at a fraction of the generated lexer's
// time and memory: a token is 40 bytes and its text is read from the buffer on
// demand. tests/compiler/LexerTest.cpp checks it against the generated lexer
// on random input.
//
// One deliberate difference, on malformed input: an unterminated string is
// reported here (E002) and becomes a STRING token to the end of the line, so
// the parser can go on (the generated lexer would split it into tokens).
// Such a token is remembered (errorBetween), so that the parser treats it as the
// cause of whatever error follows in the same rule, and never drops a rule
// that only looked ahead at it.
//
// Also unlike the generated lexer, a UTF-8 byte order mark at the start of
// the buffer is skipped, and comments are recorded (the formatter keeps
// them).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_LEXER_H
#define PEAPOD_LEXER_H

#include "peapod/Diagnostics.h"
#include "antlr4-runtime.h"
#include "llvm/ADT/StringRef.h"

namespace peapod {

class PolicyLexer final : public antlr4::TokenSource {
public:
  /// `Text` is the whole buffer (token offsets index it); `Diags` may be
  /// null (tests). `Comments`, if given, receives the range of every
  /// comment.
  PolicyLexer(llvm::StringRef Text, DiagnosticEngine *Diags,
              std::vector<llvm::SMRange> *Comments = nullptr);

  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override { return Line; }
  size_t getCharPositionInLine() override { return Pos - LineStart; }
  antlr4::CharStream *getInputStream() override { return nullptr; }
  std::string getSourceName() override { return "<policy>"; }
  antlr4::TokenFactory<antlr4::CommonToken> *getTokenFactory() override;

  llvm::StringRef text() const { return Text; }
  /// Whether a token the lexer reported an error for (E002) starts at a
  /// byte offset in [First, Last].
  bool errorBetween(size_t First, size_t Last) const;

private:
  size_t scanWord() const;
  size_t scanNetSpec() const;
  size_t scanString(bool &Terminated) const;
  void skipTrivia();

  llvm::StringRef Text;
  DiagnosticEngine *Diags;
  std::vector<llvm::SMRange> *Comments;
  /// Where the last unterminated string stopped (at a line break), so that
  /// the rest of a string split by a stray line break is not a second error.
  size_t UnterminatedEnd = SIZE_MAX;
  std::vector<size_t> ErrorOffsets; ///< ascending
  size_t Pos = 0;
  size_t Line = 1;
  size_t LineStart = 0;
};

/// The text of any token the parser holds: ours (read from the buffer) or
/// one conjured by error recovery (which has no source position).
llvm::StringRef tokenText(const antlr4::Token *T, llvm::StringRef Buffer);
bool isConjured(const antlr4::Token *T);

} // namespace peapod

#endif // PEAPOD_LEXER_H
