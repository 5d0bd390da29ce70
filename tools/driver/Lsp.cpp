//===- Lsp.cpp - peapodc lsp: the language server on stdin and stdout -----===//
#include "Commands.h"
#include "peapod/lsp/Server.h"
#include <csignal>
#include <unistd.h>

namespace peapod::driver {

int runLsp(const std::vector<std::string> &Args, const Context &Ctx) {
  if (!Args.empty())
    return Ctx.usage("peapodc lsp takes no arguments; the editor sends the "
                     "settings (see peapodc lsp --help)");
  // A client that goes away makes a write fail, not kill the server.
  std::signal(SIGPIPE, SIG_IGN);
  return lsp::runLanguageServer(STDIN_FILENO, STDOUT_FILENO);
}

} // namespace peapod::driver
