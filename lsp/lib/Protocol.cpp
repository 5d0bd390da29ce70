//===- Protocol.cpp - JSON-RPC basics -------------------------------------===//
#include "peapod/lsp/Protocol.h"

namespace peapod::lsp {

const char *encodingName(PositionEncoding E) {
  return E == PositionEncoding::UTF8 ? "utf-8" : "utf-16";
}

std::string serialize(const json &Message) {
  // Paths and names from policies may hold any byte; the protocol's JSON
  // must be UTF-8, and a throw here would lose the whole message.
  return Message.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace peapod::lsp
