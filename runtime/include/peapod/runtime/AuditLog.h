//===- AuditLog.h - One JSON line per denial ---------------------*- C++ -*-===//
//
// What the supervisor and the FUSE daemon write when they deny (or, with
// --complain, would have denied) an operation, and what `peapodc suggest`
// reads back. One JSON object per line, fields in this order:
//
//   {"time":"2026-12-02T03:25:12.123456Z","pod":"mail-delivery",
//    "pea":"sendmail","pid":1234,"program":"/usr/sbin/sendmail",
//    "operation":"open","access":"w","path":"/etc/passwd","errno":13,
//    "error":"EACCES","outcome":"denied",
//    "rule":{"path":"/etc","access":"r--","kind":"path",
//            "file":"mail.pea","line":12,"column":5}}
//
// `access` is what the operation asked for (letters of "rwx"); `outcome` is
// "denied" or "complain" (allowed because of --complain); `rule` is the
// deciding rule, absent for the pea's Default, without file/line/column when
// the image has no locations. `pid` is in the host's PID namespace. Every
// string is valid UTF-8 (bytes that are not are escaped, TextEscape's rules).
// docs/runtime.md documents the format.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_AUDITLOG_H
#define PEAPOD_RUNTIME_AUDITLOG_H

#include "peapod/image.h"
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <sys/types.h>

namespace peapod::runtime {

/// The deciding rule of a decision, as the image keeps it.
struct AuditRule {
  std::string Path;
  std::string Access; ///< "r-x" (for transitions: "transition")
  std::string Kind;   ///< "path", "dir-default", "transition"
  std::string File;   ///< "" without locations
  uint32_t Line = 0, Column = 0;
};

/// The rule `RuleIndex` (a global rule index of `Img`), or nullopt for
/// PPI_NONE (the pea's Default) or an index out of range.
std::optional<AuditRule> auditRuleOf(const ppi_image &Img, uint32_t RuleIndex);

struct AuditEvent {
  std::string Pod, Pea;
  pid_t Pid = 0;
  std::string Program;   ///< /proc/PID/exe of the caller, "" if unknown
  std::string Operation; ///< "open", "exec", "mkdir", "unlink", "link", ...
  std::string Access;    ///< what was asked: letters of "rwx"
  std::string Path;      ///< the object, in the pod's view
  int Errno = 0;         ///< what the caller got (0 in complain mode)
  bool Complain = false; ///< allowed because of --complain
  std::optional<AuditRule> Rule;
};

/// The JSON line of an event (with its '\n'); `TimeNs` is CLOCK_REALTIME.
std::string formatAuditLine(const AuditEvent &Event, int64_t TimeNs);

/// Parses one line back (for `peapodc suggest`); nullopt if it is not an
/// audit line. Time is dropped.
std::optional<AuditEvent> parseAuditLine(std::string_view Line);

/// An append-only log file shared by threads and processes: each event is
/// one write(2) on an O_APPEND descriptor, so lines never interleave.
class AuditLog {
public:
  /// Opens (creating, mode 0600) `Path` for appending; nullptr and `Error`
  /// set on failure.
  static std::unique_ptr<AuditLog> open(const std::string &Path,
                                        std::string &Error);
  ~AuditLog();
  AuditLog(const AuditLog &) = delete;
  AuditLog &operator=(const AuditLog &) = delete;

  void record(const AuditEvent &Event);
  int fd() const { return Fd; }

private:
  explicit AuditLog(int Fd) : Fd(Fd) {}
  int Fd;
};

} // namespace peapod::runtime

#endif // PEAPOD_RUNTIME_AUDITLOG_H
