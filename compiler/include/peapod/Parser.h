//===- Parser.h - ANTLR-driven, error-tolerant parser ----------*- C++ -*-===//
#ifndef PEAPOD_PARSER_H
#define PEAPOD_PARSER_H

#include "peapod/AST.h"
#include "peapod/Diagnostics.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>

namespace llvm {
class SourceMgr;
}

namespace peapod {

/// Parses buffer `BufferID` of `SM` with the grammar in grammar/PeaPod.g4.
/// Every syntax error is reported (the parser recovers and goes on); path,
/// access and port checks that need no other file are reported here too.
std::unique_ptr<ast::File> parseBuffer(const llvm::SourceMgr &SM,
                                       unsigned BufferID,
                                       DiagnosticEngine &Diags);

/// The range of each word of a rule's access or network list as written
/// (`read`, `allow`, `tcp/25`), in order; for Outgoing and Bind, Ports[i]
/// is the value of the i-th. Found by lexing the rule's text again rather
/// than kept in every Rule (64 bytes a rule, 6% of a compile's memory),
/// since only the formatter and the language server ask.
llvm::SmallVector<llvm::SMRange, 4> valueRanges(const ast::Rule &R);

} // namespace peapod

#endif // PEAPOD_PARSER_H
