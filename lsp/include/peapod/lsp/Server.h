//===- Server.h - peapodc lsp ----------------------------------*- C++ -*-===//
//
// The language server as a library: reads LSP messages from one file
// descriptor and writes to another until `exit` or the end of input. A
// reader thread parses messages as they arrive (so `$/cancelRequest` takes
// effect for requests still waiting); one thread answers them in order,
// compiles, and publishes diagnostics once the document has been quiet for
// the configured delay (debouncing an edit storm into one compile).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_LSP_SERVER_H
#define PEAPOD_LSP_SERVER_H

namespace peapod::lsp {

/// Serves until `exit` or the end of `InFd`; closes neither descriptor.
/// Returns the process exit status LSP asks for: 0 after `shutdown` then
/// `exit`, 1 otherwise.
int runLanguageServer(int InFd, int OutFd);

} // namespace peapod::lsp

#endif
