//===- Protocol.h - JSON-RPC and LSP basics --------------------*- C++ -*-===//
//
// What every part of the server shares about the protocol: the JSON-RPC
// error codes (JSON-RPC 2.0 and LSP 3.17's own), the error a handler throws
// to answer a request with one, the position encodings a client may
// negotiate, and file URIs (percent-encoded, as clients send them).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_LSP_PROTOCOL_H
#define PEAPOD_LSP_PROTOCOL_H

#include "llvm/ADT/StringRef.h"
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace peapod::lsp {

using json = nlohmann::json;

enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestFailed = -32803,
  RequestCancelled = -32800,
  ContentModified = -32801,
};

/// Thrown by a handler: the request is answered with this error.
struct RpcError : std::runtime_error {
  RpcError(ErrorCode Code, const std::string &Message)
      : std::runtime_error(Message), Code(Code) {}
  ErrorCode Code;
};

/// How the columns of positions are counted (LSP 3.17 positionEncoding).
enum class PositionEncoding { UTF16, UTF8 };

const char *encodingName(PositionEncoding E);

/// The local path of a `file:` URI, percent-decoded; nullopt for another
/// scheme, a remote host or a path that is not absolute.
std::optional<std::string> uriToPath(llvm::StringRef Uri);
/// `file://` and the path with every byte outside the unreserved set (and
/// '/') percent-encoded.
std::string pathToUri(llvm::StringRef Path);

/// The JSON text of a message: any string that is not valid UTF-8 has its
/// bad bytes replaced by U+FFFD instead of throwing.
std::string serialize(const json &Message);

} // namespace peapod::lsp

#endif
