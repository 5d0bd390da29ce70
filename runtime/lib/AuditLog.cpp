//===- AuditLog.cpp - One JSON line per denial ----------------------------===//
#include "peapod/runtime/AuditLog.h"
#include "peapod/Access.h"
#include "peapod/TextEscape.h"
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace peapod::runtime {

std::optional<AuditRule> auditRuleOf(const ppi_image &Img, uint32_t Index) {
  if (Index >= Img.rule_count)
    return std::nullopt;
  const ppi_rule &R = Img.rules[Index];
  AuditRule Rule;
  Rule.Path.assign(ppi_string(&Img, R.path_off), R.path_len);
  switch (R.kind) {
  case PPI_RULE_PATH:
    Rule.Kind = "path";
    Rule.Access = accessString(R.access);
    break;
  case PPI_RULE_DIR_DEFAULT:
    Rule.Kind = "dir-default";
    Rule.Access = accessString(R.access);
    break;
  default:
    Rule.Kind = "transition";
    Rule.Access = "transition";
    break;
  }
  if (R.file_len != 0) {
    Rule.File.assign(ppi_string(&Img, R.file_off), R.file_len);
    Rule.Line = R.line;
    Rule.Column = R.column;
  }
  return Rule;
}

static std::string utcTime(int64_t TimeNs) {
  time_t Seconds = static_cast<time_t>(TimeNs / 1000000000);
  struct tm Tm;
  gmtime_r(&Seconds, &Tm);
  char Buffer[64];
  size_t N = strftime(Buffer, sizeof Buffer, "%Y-%m-%dT%H:%M:%S", &Tm);
  snprintf(Buffer + N, sizeof Buffer - N, ".%06ldZ",
           static_cast<long>((TimeNs % 1000000000) / 1000));
  return Buffer;
}

static std::string utf8(const std::string &S) { return escapeInvalidUtf8(S); }

std::string formatAuditLine(const AuditEvent &E, int64_t TimeNs) {
  // An ordered_json keeps the documented field order.
  nlohmann::ordered_json J;
  J["time"] = utcTime(TimeNs);
  J["pod"] = utf8(E.Pod);
  J["pea"] = utf8(E.Pea);
  J["pid"] = E.Pid;
  J["program"] = utf8(E.Program);
  J["operation"] = utf8(E.Operation);
  J["access"] = utf8(E.Access);
  J["path"] = utf8(E.Path);
  J["errno"] = E.Errno;
  const char *Name = E.Errno ? strerrorname_np(E.Errno) : nullptr;
  J["error"] = Name ? Name : "";
  J["outcome"] = E.Complain ? "complain" : "denied";
  if (E.Rule) {
    nlohmann::ordered_json R;
    R["path"] = utf8(E.Rule->Path);
    R["access"] = E.Rule->Access;
    R["kind"] = E.Rule->Kind;
    if (!E.Rule->File.empty()) {
      R["file"] = utf8(E.Rule->File);
      R["line"] = E.Rule->Line;
      R["column"] = E.Rule->Column;
    }
    J["rule"] = std::move(R);
  }
  return J.dump() + "\n";
}

std::optional<AuditEvent> parseAuditLine(std::string_view Line) {
  nlohmann::json J = nlohmann::json::parse(Line, nullptr, false);
  if (J.is_discarded() || !J.is_object())
    return std::nullopt;
  auto Text = [&](const nlohmann::json &O, const char *Key) {
    auto It = O.find(Key);
    return It != O.end() && It->is_string() ? It->get<std::string>()
                                            : std::string();
  };
  auto Number = [&](const nlohmann::json &O, const char *Key) -> int64_t {
    auto It = O.find(Key);
    return It != O.end() && It->is_number_integer() ? It->get<int64_t>() : 0;
  };
  if (!J.contains("operation") || !J.contains("path") || !J.contains("pea"))
    return std::nullopt;
  AuditEvent E;
  E.Pod = Text(J, "pod");
  E.Pea = Text(J, "pea");
  E.Pid = static_cast<pid_t>(Number(J, "pid"));
  E.Program = Text(J, "program");
  E.Operation = Text(J, "operation");
  E.Access = Text(J, "access");
  E.Path = Text(J, "path");
  E.Errno = static_cast<int>(Number(J, "errno"));
  E.Complain = Text(J, "outcome") == "complain";
  if (auto It = J.find("rule"); It != J.end() && It->is_object()) {
    AuditRule R;
    R.Path = Text(*It, "path");
    R.Access = Text(*It, "access");
    R.Kind = Text(*It, "kind");
    R.File = Text(*It, "file");
    R.Line = static_cast<uint32_t>(Number(*It, "line"));
    R.Column = static_cast<uint32_t>(Number(*It, "column"));
    E.Rule = std::move(R);
  }
  return E;
}

std::unique_ptr<AuditLog> AuditLog::open(const std::string &Path,
                                         std::string &Error) {
  int Fd = ::open(Path.c_str(),
                  O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  if (Fd < 0) {
    Error = "cannot open audit log '" + Path + "': " + strerror(errno);
    return nullptr;
  }
  return std::unique_ptr<AuditLog>(new AuditLog(Fd));
}

AuditLog::~AuditLog() { ::close(Fd); }

void AuditLog::record(const AuditEvent &Event) {
  struct timespec Now;
  clock_gettime(CLOCK_REALTIME, &Now);
  std::string Line = formatAuditLine(
      Event, static_cast<int64_t>(Now.tv_sec) * 1000000000 + Now.tv_nsec);
  // One write per line: O_APPEND makes each one atomic against the others.
  const char *Data = Line.data();
  size_t Left = Line.size();
  while (Left > 0) {
    ssize_t N = ::write(Fd, Data, Left);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return;
    Data += N;
    Left -= static_cast<size_t>(N);
  }
}

} // namespace peapod::runtime
