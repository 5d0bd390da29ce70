//===- Parser.h - ANTLR-driven, error-tolerant parser ----------*- C++ -*-===//
#ifndef PEAPOD_PARSER_H
#define PEAPOD_PARSER_H

#include "peapod/AST.h"
#include "peapod/Diagnostics.h"
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

} // namespace peapod

#endif // PEAPOD_PARSER_H
