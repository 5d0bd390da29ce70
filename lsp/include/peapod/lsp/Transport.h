//===- Transport.h - Content-Length framed messages over a pipe -*- C++ -*-===//
//
// The base protocol of LSP: each message is a header block (`Content-Length:
// N`, optionally `Content-Type`, each line ended by CRLF, then an empty line)
// and N bytes of JSON. The reader never trusts the header: a missing or bad
// length, an over-long header line or an absurd size is reported as a bad
// frame, and reading resumes at the next `Content-Length` header, so one
// broken message never stalls the stream.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_LSP_TRANSPORT_H
#define PEAPOD_LSP_TRANSPORT_H

#include "peapod/lsp/Protocol.h"
#include <mutex>
#include <string>

namespace peapod::lsp {

/// The largest message body accepted (a document of the compiler's input
/// limit, escaped, would not fit in less).
constexpr size_t MaxMessageBytes = size_t(1) << 30;

class MessageReader {
public:
  /// Reads `Fd`; a byte becoming readable on `WakeFd` (if not -1) ends
  /// reading as if the input had ended.
  explicit MessageReader(int Fd, int WakeFd = -1) : Fd(Fd), WakeFd(WakeFd) {}

  struct Frame {
    enum Kind { Message, BadFrame, End } K = End;
    std::string Body;  ///< Message: the JSON text
    std::string Error; ///< BadFrame: what was wrong
  };
  /// Blocks until a whole message, a bad frame, or the end of input.
  Frame next();

private:
  bool fill();
  bool readLine(std::string &Line, bool &TooLong);
  void resynchronise();
  int Fd, WakeFd;
  std::string Buf;
  size_t Pos = 0;
  bool Eof = false;
  bool Resync = false;
};

/// Writes framed messages; safe to call from several threads.
class MessageWriter {
public:
  explicit MessageWriter(int Fd) : Fd(Fd) {}
  void send(const json &Message);
  /// Whether a write failed (the client went away).
  bool failed() const { return Failed; }

private:
  int Fd;
  std::mutex Lock;
  bool Failed = false;
};

} // namespace peapod::lsp

#endif
