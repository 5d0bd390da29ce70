//===- LintConfig.cpp - .peapod-lint.json ---------------------------------===//
#include "peapod/analyzer/LintConfig.h"
#include "JsonLocations.h"
#include "peapod/InputFile.h"
#include "peapod/Path.h"
#include "peapod/SourcePositions.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <nlohmann/json.hpp>

namespace peapod::analyzer {

const DiagInfo *findCheck(llvm::StringRef CodeOrName) {
  if (const DiagInfo *I = findDiagnosticByName(CodeOrName))
    return I;
  if (const DiagInfo *I = findAnalyzerDiagnosticByName(CodeOrName))
    return I;
  for (const DiagInfo &I : allDiagInfos())
    if (CodeOrName == I.Code)
      return &I;
  for (const DiagInfo &I : allAnalyzerDiagInfos())
    if (CodeOrName == I.Code)
      return &I;
  return nullptr;
}

bool isAttachedNote(const DiagInfo &Info) {
  return Info.Code[0] == 'N' || llvm::StringRef(Info.Name).startswith("note-");
}

bool isConfigurable(const DiagInfo &Info) {
  return Info.Code[0] != 'E' && !isAttachedNote(Info);
}

void LintConfig::applyTo(DiagnosticOptions &Opts) const {
  for (const auto &Entry : Checks)
    Opts.ByName[Entry.getKey()] = Entry.getValue();
}

namespace {

using nlohmann::json;

/// Reads one configuration, failing at the first problem with its place.
class ConfigReader {
public:
  ConfigReader(llvm::StringRef Text, llvm::StringRef Name)
      : Text(Text), Name(Name), Lines(Text) {}

  llvm::Expected<LintConfig> read();

private:
  /// Thrown (and caught in read()) at the first problem: the message and
  /// the JSON pointer of the value at fault.
  struct Problem {
    JsonPointer At;
    std::string Message;
  };
  [[noreturn]] void fail(JsonPointer At, std::string Message) const {
    throw Problem{std::move(At), std::move(Message)};
  }
  llvm::Error error(size_t Offset, const std::string &Message) const;

  void readChecks(const json &J, const JsonPointer &At, LintConfig &C) const;
  std::vector<std::string> strings(const json &J, const JsonPointer &At) const;
  std::vector<std::string> paths(const json &J, const JsonPointer &At) const;
  std::string path(const json &J, const JsonPointer &At) const;
  Assertion assertion(const json &J, const JsonPointer &At) const;
  PeaSelector selector(const json &J, const JsonPointer &At) const;
  Forbidden forbidden(const json &J, const JsonPointer &At,
                      bool AllowReach) const;
  void onlyKeys(const json &J, const JsonPointer &At,
                std::initializer_list<const char *> Keys) const;

  llvm::StringRef Text, Name;
  LineTable Lines;
};

llvm::Error ConfigReader::error(size_t Offset,
                                const std::string &Message) const {
  LineColumn P = Lines.position(std::min(Offset, Text.size()));
  return llvm::createStringError(
      std::errc::invalid_argument, "%s:%u:%u: %s", Name.str().c_str(), P.Line,
      P.Column, Message.c_str());
}

llvm::Expected<LintConfig> ConfigReader::read() {
  json Root;
  try {
    Root = json::parse(Text.begin(), Text.end());
  } catch (const json::parse_error &E) {
    // E.byte is the 1-based offset of the byte the parser stopped at.
    // "[json.exception.parse_error.101] parse error at line 1, column 4:
    // syntax error ..." : the place is ours to print, the reason is theirs.
    std::string What = E.what();
    if (size_t Col = What.find(", column "); Col != std::string::npos)
      if (size_t Colon = What.find(": ", Col); Colon != std::string::npos)
        What = What.substr(Colon + 2);
    return error(E.byte ? E.byte - 1 : 0, "not valid JSON: " + What);
  }
  LintConfig C;
  C.Path = Name.str();
  try {
    JsonPointer Top;
    if (!Root.is_object())
      fail(Top, "a lint configuration is a JSON object");
    onlyKeys(Root, Top,
             {"$schema", "checks", "interpreters", "sensitivePaths",
              "safeDevices", "entries", "assertions"});
    if (Root.contains("checks"))
      readChecks(Root["checks"], Top.key("checks"), C);
    if (Root.contains("interpreters"))
      C.Analyzer.Interpreters =
          strings(Root["interpreters"], Top.key("interpreters"));
    if (Root.contains("sensitivePaths"))
      C.Analyzer.SensitivePaths =
          paths(Root["sensitivePaths"], Top.key("sensitivePaths"));
    if (Root.contains("safeDevices"))
      C.Analyzer.SafeDevices =
          paths(Root["safeDevices"], Top.key("safeDevices"));
    if (Root.contains("entries"))
      C.Analyzer.Entries = strings(Root["entries"], Top.key("entries"));
    if (Root.contains("assertions")) {
      const json &A = Root["assertions"];
      JsonPointer At = Top.key("assertions");
      if (!A.is_array())
        fail(At, "'assertions' is a list of objects");
      for (size_t I = 0; I < A.size(); ++I) {
        Assertion New = assertion(A[I], At.index(I));
        for (const Assertion &Old : C.Assertions)
          if (Old.Name == New.Name)
            fail(At.index(I).key("name"),
                 "assertion '" + New.Name + "' is defined twice");
        C.Assertions.push_back(std::move(New));
      }
    }
  } catch (const Problem &P) {
    return error(locateJsonValue(Text, P.At), P.Message);
  }
  return C;
}

void ConfigReader::onlyKeys(const json &J, const JsonPointer &At,
                            std::initializer_list<const char *> Keys) const {
  for (auto It = J.begin(); It != J.end(); ++It) {
    bool Known = false;
    for (const char *K : Keys)
      Known |= It.key() == K;
    if (Known)
      continue;
    std::string List;
    for (const char *K : Keys)
      List += std::string(List.empty() ? "" : ", ") + "'" + K + "'";
    fail(At.key(It.key()).asKey(),
         "unknown key '" + It.key() + "' (expected " + List + ")");
  }
}

void ConfigReader::readChecks(const json &J, const JsonPointer &At,
                              LintConfig &C) const {
  if (!J.is_object())
    fail(At, "'checks' maps check names to \"off\", \"on\", \"note\", "
             "\"warning\" or \"error\"");
  for (auto It = J.begin(); It != J.end(); ++It) {
    JsonPointer KeyAt = At.key(It.key());
    const DiagInfo *Info = findCheck(It.key());
    if (!Info) {
      std::vector<llvm::StringRef> Names;
      for (const DiagInfo &I : allDiagInfos())
        Names.push_back(I.Name);
      for (const DiagInfo &I : allAnalyzerDiagInfos())
        Names.push_back(I.Name);
      std::string Near = closestName(It.key(), Names);
      fail(KeyAt.asKey(), "unknown check '" + It.key() + "'" +
                              (Near.empty() ? std::string(" (the checks are "
                                                          "listed in "
                                                          "docs/rules/)")
                                            : "; did you mean '" + Near + "'?"));
    }
    // Errors of the language itself (an unknown pea, a relative path) and
    // the notes attached to other diagnostics are not checks: a
    // configuration cannot make a broken policy pass.
    if (!isConfigurable(*Info))
      fail(KeyAt.asKey(), "'" + It.key() + "' (" + Info->Code +
                              ") is not a check and cannot be configured");
    const json &V = It.value();
    std::string S = V.is_string() ? V.get<std::string>() : "";
    if (S == "off")
      C.Checks[Info->Name] = std::nullopt;
    else if (S == "on")
      C.Checks[Info->Name] = Info->Sev;
    else if (S == "note")
      C.Checks[Info->Name] = Severity::Note;
    else if (S == "warning")
      C.Checks[Info->Name] = Severity::Warning;
    else if (S == "error")
      C.Checks[Info->Name] = Severity::Error;
    else
      fail(KeyAt, "the setting of '" + It.key() +
                      "' is \"off\", \"on\", \"note\", \"warning\" or "
                      "\"error\"");
  }
}

std::vector<std::string> ConfigReader::strings(const json &J,
                                               const JsonPointer &At) const {
  if (!J.is_array())
    fail(At, "expected a list of strings");
  std::vector<std::string> Out;
  for (size_t I = 0; I < J.size(); ++I) {
    if (!J[I].is_string() || J[I].get<std::string>().empty())
      fail(At.index(I), "expected a non-empty string");
    Out.push_back(J[I].get<std::string>());
  }
  return Out;
}

std::string ConfigReader::path(const json &J, const JsonPointer &At) const {
  if (!J.is_string())
    fail(At, "expected an absolute path");
  NormalisedPath P = normalisePath(J.get<std::string>());
  if (P.Error != PathError::None)
    fail(At, "'" + J.get<std::string>() +
                 "' is not an absolute path without '.' or '..' components");
  return P.Path;
}

std::vector<std::string> ConfigReader::paths(const json &J,
                                             const JsonPointer &At) const {
  if (!J.is_array())
    fail(At, "expected a list of absolute paths");
  std::vector<std::string> Out;
  for (size_t I = 0; I < J.size(); ++I)
    Out.push_back(path(J[I], At.index(I)));
  return Out;
}

Assertion ConfigReader::assertion(const json &J, const JsonPointer &At) const {
  if (!J.is_object())
    fail(At, "an assertion is an object with 'name' and 'never'");
  onlyKeys(J, At, {"name", "description", "peas", "except", "never"});
  Assertion A;
  if (!J.contains("name") || !J["name"].is_string() ||
      J["name"].get<std::string>().empty())
    fail(J.contains("name") ? At.key("name") : At,
         "an assertion needs a 'name' (a non-empty string)");
  A.Name = J["name"].get<std::string>();
  A.Peas = selector(J, At);
  if (!J.contains("never"))
    fail(At, "assertion '" + A.Name + "' needs 'never': what no pea may have");
  A.Never = forbidden(J["never"], At.key("never"), true);
  return A;
}

PeaSelector ConfigReader::selector(const json &J, const JsonPointer &At) const {
  PeaSelector S;
  if (J.contains("peas")) {
    const json &P = J["peas"];
    if (P == "all")
      S.K = PeaSelector::All;
    else if (P == "network-facing")
      S.K = PeaSelector::NetworkFacing;
    else if (P.is_array()) {
      S.K = PeaSelector::Named;
      S.Names = strings(P, At.key("peas"));
    } else
      fail(At.key("peas"), "'peas' is \"all\", \"network-facing\" or a list "
                           "of pea names (\"PEA\" or \"POD/PEA\")");
  }
  if (J.contains("except"))
    S.Except = strings(J["except"], At.key("except"));
  return S;
}

Forbidden ConfigReader::forbidden(const json &J, const JsonPointer &At,
                                  bool AllowReach) const {
  const char *Shape =
      "'never' is an object with one key: \"read\", \"write\" or "
      "\"execute\" and a path, \"bind\" or \"outgoing\" and a port "
      "(\"tcp/25\", \"udp/53-60\", \"any\"), \"namespace\": \"global\", or "
      "\"reach\" and one of those";
  if (!J.is_object() || J.size() != 1)
    fail(At, Shape);
  const std::string &Key = J.begin().key();
  const json &V = J.begin().value();
  JsonPointer VAt = At.key(Key);
  Forbidden F;
  if (Key == "read" || Key == "write" || Key == "execute") {
    F.K = Forbidden::Access;
    F.Mask = Key == "read"    ? AccessRead
             : Key == "write" ? AccessWrite
                              : AccessExecute;
    F.Path = path(V, VAt);
  } else if (Key == "bind" || Key == "outgoing") {
    F.K = Key == "bind" ? Forbidden::Bind : Forbidden::Outgoing;
    if (!V.is_string())
      fail(VAt, "expected a port (\"tcp/25\", \"udp/53-60\") or \"any\"");
    std::string Spec = V.get<std::string>();
    if (Spec != "any") {
      PortRange R;
      // parsePortSpec expects the lexer's shape: check it first.
      bool Shaped = llvm::StringRef(Spec).contains('/') &&
                    Spec.find_first_not_of(
                        "abcdefghijklmnopqrstuvwxyz0123456789/-") ==
                        std::string::npos;
      if (!Shaped || parsePortSpec(Spec, R))
        fail(VAt, "'" + Spec +
                      "' is not a port (\"tcp/25\", \"udp/53-60\") or \"any\"");
      F.Ports = R;
    }
  } else if (Key == "namespace") {
    if (V != "global")
      fail(VAt, "the only namespace an assertion can forbid is \"global\"");
    F.K = Forbidden::NamespaceGlobal;
  } else if (Key == "reach" && AllowReach) {
    F.K = Forbidden::Reach;
    F.Target = std::make_shared<Forbidden>(forbidden(V, VAt, false));
  } else {
    fail(At.key(Key).asKey(),
         Key == "reach" ? std::string("'reach' cannot be nested") : Shape);
  }
  return F;
}

} // namespace

llvm::Expected<LintConfig> parseLintConfig(llvm::StringRef Text,
                                           llvm::StringRef Name) {
  return ConfigReader(Text, Name).read();
}

llvm::Expected<LintConfig> loadLintConfig(llvm::StringRef Path) {
  auto Bytes = readInputFile(Path);
  if (!Bytes)
    return llvm::createStringError(
        std::errc::io_error, "cannot read lint configuration '%s': %s",
        Path.str().c_str(), llvm::toString(Bytes.takeError()).c_str());
  return parseLintConfig((*Bytes)->getBuffer(), Path);
}

std::optional<std::string> findLintConfig(llvm::StringRef PolicyPath) {
  llvm::SmallString<256> Dir;
  if (PolicyPath == "-" || PolicyPath == StdinName ||
      llvm::sys::fs::real_path(PolicyPath, Dir) ||
      !llvm::sys::path::is_absolute(Dir)) // a pipe: "pipe:[N]"
    llvm::sys::fs::current_path(Dir);
  else
    llvm::sys::path::remove_filename(Dir);
  for (;;) {
    llvm::SmallString<256> Candidate(Dir);
    llvm::sys::path::append(Candidate, LintConfigName);
    llvm::sys::fs::file_status S;
    if (!llvm::sys::fs::status(Candidate, S) &&
        S.type() != llvm::sys::fs::file_type::directory_file)
      return std::string(Candidate);
    if (!llvm::sys::path::has_parent_path(Dir) ||
        llvm::sys::path::parent_path(Dir) == Dir)
      return std::nullopt;
    // The parent is a prefix of Dir: truncate (assigning Dir a slice of
    // itself would read what it overwrites).
    Dir.resize(llvm::sys::path::parent_path(Dir).size());
  }
}

} // namespace peapod::analyzer
