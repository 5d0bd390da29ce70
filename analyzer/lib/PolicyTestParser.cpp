//===- PolicyTestParser.cpp - Reading a policy test file ------------------===//
//
// One directive per line; `#` starts a comment outside quotes; lines end at
// LF, CRLF or CR. Words are separated by blanks and commas; a path is
// unquoted (from `/` to the next blank, comma or `#`) or quoted as in the
// policy language ("...", with \" and \\). Every malformed line is reported
// where it goes wrong, and parsing goes on with the next line.
//
//===----------------------------------------------------------------------===//
#include "peapod/analyzer/PolicyTest.h"
#include "peapod/Path.h"
#include "llvm/Support/SourceMgr.h"

namespace peapod::analyzer {

const std::vector<DiagInfo> &allPolicyTestDiagInfos() {
  static const std::vector<DiagInfo> Infos = {
#define POLICY_TEST_DIAG(Enum, Code, Sev, Name, Format)                        \
  DiagInfo{Code, Severity::Sev, Name, Format},
#include "peapod/analyzer/PolicyTestIDs.def"
#undef POLICY_TEST_DIAG
  };
  return Infos;
}

const DiagInfo &diagInfo(PolicyTestID ID) {
  return allPolicyTestDiagInfos()[static_cast<size_t>(ID)];
}

namespace {

struct Token {
  std::string Text; ///< unquoted
  llvm::SMRange Range;
  bool Quoted = false;
  bool Comma = false;
};

llvm::SMRange rangeOf(const char *Begin, const char *End) {
  return {llvm::SMLoc::getFromPointer(Begin), llvm::SMLoc::getFromPointer(End)};
}

bool isName(llvm::StringRef S) {
  if (S.empty() || !(isalpha((unsigned char)S[0]) || S[0] == '_'))
    return false;
  return llvm::all_of(S, [](char C) {
    return isalnum((unsigned char)C) || C == '_' || C == '.' || C == '-';
  });
}

class LineParser {
public:
  LineParser(DiagnosticEngine &Diags, PolicyTestFile &Out)
      : Diags(Diags), Out(Out) {}

  void parse(llvm::StringRef Buffer) {
    const char *P = Buffer.begin(), *End = Buffer.end();
    while (P < End) {
      const char *Eol = P;
      while (Eol < End && *Eol != '\n' && *Eol != '\r')
        ++Eol;
      line(P, Eol);
      P = Eol;
      if (P < End && *P == '\r')
        ++P;
      if (P < End && *P == '\n')
        ++P;
    }
    if (Out.Policy.empty() && !Failed)
      error(PolicyTestID::NoPolicy, rangeOf(Buffer.begin(), Buffer.begin()), {});
  }

  bool failed() const { return Failed; }

private:
  void error(PolicyTestID ID, llvm::SMRange R, std::vector<std::string> Args) {
    Diags.report(diagInfo(ID), R, std::move(Args));
    Failed = true;
  }
  void malformed(llvm::SMRange R, const std::string &Message) {
    error(PolicyTestID::MalformedLine, R, {Message});
  }

  /// The tokens of one line; false (reported) on a bad quoted string.
  bool tokenize(const char *P, const char *End, std::vector<Token> &Out);
  void line(const char *Begin, const char *End);
  void directive(std::vector<Token> &T, llvm::SMRange Line);
  void expectation(std::vector<Token> &T, llvm::SMRange Line);
  bool path(const Token &T, Expectation &E);

  DiagnosticEngine &Diags;
  PolicyTestFile &Out;
  std::string Pod, Pea;
  llvm::SMRange PeaRange;
  bool Failed = false;
  bool SawDirective = false;
};

bool LineParser::tokenize(const char *P, const char *End,
                          std::vector<Token> &Out) {
  while (P < End) {
    char C = *P;
    if (C == ' ' || C == '\t' || C == '\f' || C == '\v') {
      ++P;
      continue;
    }
    if (C == '#')
      return true;
    if (C == ',') {
      Out.push_back({",", rangeOf(P, P + 1), false, true});
      ++P;
      continue;
    }
    Token T;
    const char *Start = P;
    if (C == '"') {
      T.Quoted = true;
      for (++P;; ++P) {
        if (P == End) {
          malformed(rangeOf(Start, P), "missing closing quote");
          return false;
        }
        if (*P == '"')
          break;
        if (*P == '\\') {
          if (P + 1 == End || (P[1] != '"' && P[1] != '\\')) {
            malformed(rangeOf(P, std::min(P + 2, End)),
                      "invalid escape in a quoted path (only \\\" and \\\\)");
            return false;
          }
          ++P;
        }
        T.Text += *P;
      }
      ++P;
    } else {
      while (P < End && !isspace((unsigned char)*P) && *P != ',' && *P != '#')
        T.Text += *P++;
    }
    T.Range = rangeOf(Start, P);
    Out.push_back(std::move(T));
  }
  return true;
}

void LineParser::line(const char *Begin, const char *End) {
  std::vector<Token> T;
  if (!tokenize(Begin, End, T) || T.empty())
    return;
  llvm::SMRange Line = rangeOf(T.front().Range.Start.getPointer(),
                               T.back().Range.End.getPointer());
  if (T[0].Text == "allow" || T[0].Text == "deny")
    expectation(T, Line);
  else
    directive(T, Line);
  SawDirective = true;
}

void LineParser::directive(std::vector<Token> &T, llvm::SMRange Line) {
  const std::string &Word = T[0].Text;
  if (Word != "policy" && Word != "pod" && Word != "pea") {
    malformed(T[0].Range, "unknown directive '" + Word +
                              "' (expected policy, pod, pea, allow or deny)");
    return;
  }
  if (T.size() != 2 || T[1].Comma) {
    malformed(T.size() < 2 ? T[0].Range : T[std::min<size_t>(2, T.size() - 1)].Range,
              "'" + Word + "' takes exactly one " +
                  (Word == "policy" ? "file name" : "name"));
    return;
  }
  if (Word == "policy") {
    if (!Out.Policy.empty())
      return malformed(Line, "a test file names one policy; this is the second");
    if (SawDirective)
      return malformed(Line, "'policy FILE' must be the first directive");
    Out.Policy = T[1].Text;
    Out.PolicyRange = T[1].Range;
    if (Out.Policy.empty())
      malformed(T[1].Range, "empty policy file name");
    return;
  }
  if (!isName(T[1].Text) || T[1].Quoted)
    return malformed(T[1].Range, "'" + T[1].Text + "' is not a " + Word + " name");
  if (Word == "pod") {
    Pod = T[1].Text;
    Pea.clear();
    return;
  }
  if (Pod.empty())
    return malformed(T[0].Range, "'pea' before any 'pod' line: which pod?");
  Pea = T[1].Text;
  PeaRange = T[1].Range;
}

bool LineParser::path(const Token &T, Expectation &E) {
  if (T.Comma || T.Text.empty() || T.Text[0] != '/') {
    malformed(T.Range, "expected an absolute path, not '" + T.Text + "'");
    return false;
  }
  NormalisedPath N = normalisePath(T.Text);
  if (N.Error != PathError::None) {
    malformed(T.Range, "path '" + T.Text + "' must be absolute, without '.' or "
                       "'..' components or NUL");
    return false;
  }
  E.Path = N.Path;
  E.Directory = llvm::StringRef(T.Text).endswith("/");
  return true;
}

/// `tcp/25` or `udp/8000-8080`.
bool portSpecShape(llvm::StringRef S) {
  auto [Proto, Rest] = S.split('/');
  auto Letter = [](char C) { return isalpha((unsigned char)C) != 0; };
  auto Digit = [](char C) { return isdigit((unsigned char)C) != 0; };
  if (Proto.empty() || Rest.empty() || !llvm::all_of(Proto, Letter))
    return false;
  auto [Low, High] = Rest.split('-');
  auto Digits = [&](llvm::StringRef D) {
    return !D.empty() && llvm::all_of(D, Digit);
  };
  return Digits(Low) && (!Rest.contains('-') || Digits(High));
}

void LineParser::expectation(std::vector<Token> &T, llvm::SMRange Line) {
  Expectation E;
  E.Allow = T[0].Text == "allow";
  E.Range = Line;
  if (Pea.empty()) {
    error(PolicyTestID::NoPeaSelected, T[0].Range, {});
    return;
  }
  E.Pod = Pod;
  E.Pea = Pea;
  E.PeaRange = PeaRange;
  if (T.size() < 2)
    return malformed(T[0].Range, "'" + T[0].Text + "' needs an operation: read, "
                                 "write, execute, exec, bind, connect or touch");
  size_t Next = 2;
  const std::string &Op = T[1].Text;
  if (Op == "exec") {
    E.K = Expectation::Exec;
    if (T.size() < 3)
      return malformed(T[1].Range, "'exec' needs a program path");
    if (!path(T[2], E))
      return;
    Next = 3;
    if (T.size() > 3 && T[3].Text == "->" && !T[3].Quoted) {
      if (!E.Allow)
        return malformed(T[3].Range, "a denied exec runs in no pea: drop '-> PEA'");
      if (T.size() < 5 || !isName(T[4].Text))
        return malformed(T.size() < 5 ? T[3].Range : T[4].Range,
                         "'->' needs the name of the pea the program runs in");
      E.After = T[4].Text;
      E.AfterRange = T[4].Range;
      Next = 5;
    }
  } else if (Op == "bind" || Op == "connect") {
    E.K = Op == "bind" ? Expectation::Bind : Expectation::Connect;
    if (T.size() < 3)
      return malformed(T[1].Range, "'" + Op + "' needs a port: tcp/N, udp/N or tcp/N-M");
    if (!portSpecShape(T[2].Text))
      return malformed(T[2].Range, "'" + T[2].Text +
                                       "' is not a port (tcp/N, udp/N or tcp/N-M)");
    if (PortSpecError Bad = parsePortSpec(T[2].Text, E.Ports))
      return malformed(T[2].Range,
                       Bad.K == PortSpecError::UnknownProtocol
                           ? "unknown protocol '" + Bad.Part.str() + "' (tcp or udp)"
                       : Bad.K == PortSpecError::PortOutOfRange
                           ? "port " + Bad.Part.str() + " is out of range (1-65535)"
                           : "empty port range '" + Bad.Part.str() + "'");
    Next = 3;
  } else if (Op == "touch") {
    E.K = Expectation::Touch;
    if (T.size() < 3 || !isName(T[2].Text))
      return malformed(T.size() < 3 ? T[1].Range : T[2].Range,
                       "'touch' needs the name of a pea");
    E.Target = T[2].Text;
    Next = 3;
  } else {
    // A permission list, then the path.
    E.K = Expectation::Access;
    size_t I = 1;
    for (; I < T.size() && !T[I].Quoted && !llvm::StringRef(T[I].Text).startswith("/"); ++I) {
      if (T[I].Comma)
        continue;
      uint8_t Bit = T[I].Text == "read"      ? AccessRead
                    : T[I].Text == "write"   ? AccessWrite
                    : T[I].Text == "execute" ? AccessExecute
                                             : 0;
      if (!Bit)
        return malformed(T[I].Range, "unknown operation '" + T[I].Text +
                                         "' (read, write, execute, exec, bind, "
                                         "connect or touch)");
      E.Ops |= Bit;
    }
    if (!E.Ops)
      return malformed(T[I < T.size() ? I : 0].Range,
                       "expected read, write or execute before the path");
    if (I == T.size())
      return malformed(T.back().Range, "expected the path after the permissions");
    if (!path(T[I], E))
      return;
    Next = I + 1;
  }
  if (Next < T.size())
    return malformed(T[Next].Range, "unexpected '" + T[Next].Text +
                                        "' after the expectation");
  Out.Expectations.push_back(std::move(E));
}

} // namespace

bool parsePolicyTest(DiagnosticEngine &Diags, unsigned BufferID,
                     PolicyTestFile &Out) {
  LineParser P(Diags, Out);
  P.parse(Diags.sourceMgr().getMemoryBuffer(BufferID)->getBuffer());
  return !P.failed();
}

void mirrorBuffers(const llvm::SourceMgr &From, llvm::SourceMgr &To) {
  for (unsigned ID = 1; ID <= From.getNumBuffers(); ++ID) {
    const llvm::MemoryBuffer *B = From.getMemoryBuffer(ID);
    To.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBuffer(B->getBuffer(), B->getBufferIdentifier(),
                                         /*RequiresNullTerminator=*/false),
        llvm::SMLoc());
  }
}

} // namespace peapod::analyzer
