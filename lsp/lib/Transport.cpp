//===- Transport.cpp - Content-Length framing -----------------------------===//
#include "peapod/lsp/Transport.h"
#include "llvm/ADT/StringRef.h"
#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace peapod::lsp {

namespace {
/// A header line longer than this is not a header: no client sends one.
constexpr size_t MaxHeaderLine = 8192;
} // namespace

bool MessageReader::fill() {
  if (Eof)
    return false;
  if (Pos > 0 && Pos == Buf.size()) {
    Buf.clear();
    Pos = 0;
  } else if (Pos > (size_t(1) << 20)) {
    Buf.erase(0, Pos);
    Pos = 0;
  }
  char Chunk[65536];
  for (;;) {
    pollfd Fds[2] = {{Fd, POLLIN, 0}, {WakeFd, POLLIN, 0}};
    int N = poll(Fds, WakeFd >= 0 ? 2 : 1, -1);
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0 || (WakeFd >= 0 && Fds[1].revents)) {
      Eof = true;
      return false;
    }
    ssize_t Got = ::read(Fd, Chunk, sizeof Chunk);
    if (Got < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (Got <= 0) {
      Eof = true;
      return false;
    }
    Buf.append(Chunk, size_t(Got));
    return true;
  }
}

/// One header line without its CRLF (a bare LF is taken too).
bool MessageReader::readLine(std::string &Line, bool &TooLong) {
  TooLong = false;
  for (;;) {
    size_t NL = Buf.find('\n', Pos);
    if (NL != std::string::npos) {
      if (NL - Pos > MaxHeaderLine) {
        TooLong = true;
        Pos = NL + 1;
        return true;
      }
      Line.assign(Buf, Pos, NL - Pos);
      if (!Line.empty() && Line.back() == '\r')
        Line.pop_back();
      Pos = NL + 1;
      return true;
    }
    if (Buf.size() - Pos > MaxHeaderLine) {
      TooLong = true;
      Pos = Buf.size(); // the rest of the line goes with the resync
      return true;
    }
    if (!fill())
      return false;
  }
}

/// Skips to the next line that starts a header block.
void MessageReader::resynchronise() {
  for (;;) {
    size_t At = Buf.find("Content-Length", Pos);
    if (At != std::string::npos) {
      Pos = At;
      return;
    }
    // Keep a tail that may be the start of the header.
    if (Buf.size() - Pos > 16)
      Pos = Buf.size() - 16;
    if (!fill())
      return;
  }
}

MessageReader::Frame MessageReader::next() {
  if (Resync) {
    Resync = false;
    resynchronise();
  }
  Frame F;
  std::optional<size_t> Length;
  std::string Problem;
  std::string Line;
  bool SawHeader = false;
  for (;;) {
    bool TooLong = false;
    if (!readLine(Line, TooLong)) {
      if (SawHeader) {
        F.K = Frame::BadFrame;
        F.Error = "the input ended inside a message header";
      }
      return F; // End
    }
    if (TooLong) {
      Problem = "a header line is longer than " +
                std::to_string(MaxHeaderLine) + " bytes";
      SawHeader = true;
      continue;
    }
    if (Line.empty()) {
      if (!SawHeader)
        continue; // stray blank lines between messages
      break;
    }
    SawHeader = true;
    llvm::StringRef L(Line);
    auto [Name, Value] = L.split(':');
    if (Name.size() == L.size()) {
      Problem = "a header line has no ':'";
    } else if (Name.trim().equals_insensitive("Content-Length")) {
      unsigned long long N = 0;
      if (Value.trim().getAsInteger(10, N))
        Problem = "the Content-Length is not a number";
      else if (N > MaxMessageBytes)
        Problem = "the Content-Length " + std::to_string(N) +
                  " is larger than the limit of " +
                  std::to_string(MaxMessageBytes) + " bytes";
      else
        Length = size_t(N);
    }
  }
  if (!Length && Problem.empty())
    Problem = "a message has no Content-Length header";
  if (!Problem.empty()) {
    F.K = Frame::BadFrame;
    F.Error = Problem;
    // The body's length is unknown: the next call skips to the next header
    // (not this one, which would wait for input before reporting).
    Resync = true;
    return F;
  }
  while (Buf.size() - Pos < *Length)
    if (!fill()) {
      F.K = Frame::BadFrame;
      F.Error = "the input ended inside a message body";
      return F;
    }
  F.K = Frame::Message;
  F.Body.assign(Buf, Pos, *Length);
  Pos += *Length;
  return F;
}

void MessageWriter::send(const json &Message) {
  std::string Body = serialize(Message);
  std::string Out =
      "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" + Body;
  std::lock_guard<std::mutex> G(Lock);
  if (Failed)
    return;
  const char *P = Out.data();
  size_t Left = Out.size();
  while (Left) {
    ssize_t N = ::write(Fd, P, Left);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0) {
      Failed = true;
      return;
    }
    P += N;
    Left -= size_t(N);
  }
}

} // namespace peapod::lsp
