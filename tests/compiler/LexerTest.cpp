//===- LexerTest.cpp - PolicyLexer against the generated ANTLR lexer ------===//
//
// compiler/lib/Lexer.h promises exactly the tokens of grammar/PeaPod.g4's
// lexer rules. This holds it to that on thousands of random, seeded inputs
// built from token-like fragments, glued with and without separators. The one
// documented difference is excluded: an unterminated string, which PolicyLexer
// reports (E002) and turns into a STRING to the end of the line, while the
// generated lexer makes the quote an UNKNOWN token. Inputs are ASCII, since
// the generated lexer counts code points and PolicyLexer bytes.
//
//===----------------------------------------------------------------------===//
#include "Lexer.h"
#include "PeaPodLexer.h"
#include "llvm/Support/SourceMgr.h"
#include <catch2/catch.hpp>
#include <random>
#include <sstream>

using namespace peapod;
using grammar::PeaPodLexer;

namespace {

struct Tok {
  size_t Type, Start, Stop, Line, Column;
  bool operator==(const Tok &) const = default;
};

std::ostream &operator<<(std::ostream &OS, const Tok &T) {
  return OS << "{" << T.Type << " " << T.Start << ".." << T.Stop << " @"
            << T.Line << ":" << T.Column << "}";
}

std::string escape(const std::string &S) {
  std::string Out;
  for (char C : S) {
    if (C == '\n')
      Out += "\\n";
    else if (C == '\r')
      Out += "\\r";
    else if (C == '\t')
      Out += "\\t";
    else if (C == '\f')
      Out += "\\f";
    else if (static_cast<unsigned char>(C) < 0x20 || C == 0x7f) {
      char Buf[8];
      snprintf(Buf, sizeof Buf, "\\x%02x", static_cast<unsigned char>(C));
      Out += Buf;
    } else
      Out += C;
  }
  return Out;
}

std::vector<Tok> drain(antlr4::TokenSource &S) {
  std::vector<Tok> Out;
  for (;;) {
    std::unique_ptr<antlr4::Token> T = S.nextToken();
    Out.push_back({T->getType(), T->getStartIndex(), T->getStopIndex(),
                   T->getLine(), T->getCharPositionInLine()});
    if (T->getType() == antlr4::Token::EOF)
      break;
    REQUIRE(Out.size() < 100000);
  }
  return Out;
}

std::vector<Tok> generated(const std::string &Text) {
  antlr4::ANTLRInputStream In(Text);
  PeaPodLexer L(&In);
  L.removeErrorListeners();
  return drain(L);
}

struct Ours {
  std::vector<Tok> Tokens;
  unsigned Unterminated = 0;
};

Ours ours(const std::string &Text) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  PolicyLexer L(Text, &Diags);
  Ours Out;
  Out.Tokens = drain(L);
  for (const Diagnostic &D : Diags.diagnostics()) {
    REQUIRE(D.is(DiagID::UnterminatedString));
    ++Out.Unterminated;
  }
  return Out;
}

/// Whether the generated lexer met a quote it could not close: the only way
/// it makes a lone '"' an UNKNOWN token.
bool hasUnterminatedString(const std::string &Text,
                           const std::vector<Tok> &Generated) {
  for (const Tok &T : Generated)
    if (T.Type == PeaPodLexer::UNKNOWN && Text[T.Start] == '"')
      return true;
  return false;
}

const std::vector<std::string> &fragments() {
  static const std::vector<std::string> F = {
      // keywords, and words that only start like them
      "pod", "pea", "path", "dir-default", "transition", "outgoing", "bind",
      "namespace", "include", "read", "write", "execute", "allow", "deny",
      "global", "paths", "dir-", "dir-defaultx", "pod_", "readx", "Read",
      "denyallow", "dir", "default",
      // names with . - _ and digits
      "a", "_x", "a.b-c", "x9", "kernel-development", "rule.group", "A_b.9-",
      "n-", "n.", "tcp", "udp", "tcpx",
      // paths
      "/", "/etc/passwd", "/a//b/", "/x.y-z_1", "/a/../b", "/.", "/a@b",
      "/a\\b", "/-", "/a/b/c/d", "/tcp/25",
      // quoted strings, with escapes (escaped quotes, backslashes, newlines)
      "\"x\"", "\"/a b\"", "\"a\\\"b\"", "\"\\\\\"", "\"\\\n\"", "\"\"",
      "\"a\\tb\"", "\"#not a comment\"", "\"{,}\"", "\"\\\\\\\"\"",
      // network specs, good and bad
      "tcp/25", "udp/53", "tcp/1-2", "tcp/8000-8080", "udp/", "tcp/-1",
      "tcp/1-", "abc/9", "t/0-65536-1", "tcp/25-x", "TCP/1", "a/1-2-3",
      "tcp/007",
      // punctuation
      "{", "}", ",", ",,", "{}",
      // comments
      "# comment\n", "#", "#x{}\"", "# \"unterminated in a comment\n",
      // whitespace
      " ", "  ", "\t", "\n", "\r\n", "\r", "\f", "\n\n",
      // invalid characters, digits and other stray ASCII
      "@", "!", "$", "-", ".", "0", "9", "42", "\\", "*", "(", ")", ";", "=",
      "'", "`", "~", "^", "%", "&", "|", "<", ">", "?", "[", "]", "+", ":",
      "\x01", "\x7f",
  };
  return F;
}

std::string randomInput(std::mt19937 &G) {
  const std::vector<std::string> &F = fragments();
  std::uniform_int_distribution<size_t> Count(0, 24), Pick(0, F.size() - 1);
  std::uniform_int_distribution<int> Sep(0, 3), Byte(1, 127), Mode(0, 9);
  std::string S;
  size_t N = Count(G);
  for (size_t I = 0; I < N; ++I) {
    if (Mode(G) == 0) {
      // A lone random ASCII character.
      S += static_cast<char>(Byte(G));
    } else {
      S += F[Pick(G)];
    }
    switch (Sep(G)) {
    case 0: // glued to the next one
      break;
    case 1:
    case 2:
      S += ' ';
      break;
    default:
      S += '\n';
      break;
    }
  }
  return S;
}

} // namespace

TEST_CASE("PolicyLexer matches the generated lexer on fixed inputs",
          "[lexer]") {
  const char *Inputs[] = {
      "",
      "pod p { pea a { path /etc/passwd read, write } }",
      "dir-default \"/a b\" deny # comment\n bind tcp/25, udp/1-2",
      "tcp/25-x tcp/1-2-3 abc/ a.b/1 ab-c/1 tcp/25.5 /tcp/25",
      "paths dir- dir-defaultx pod_ readx @!$ 0 9",
      "\"a\\\"b\" \"\\\\\" \"x\\\ny\" \"#\" /a\"b\"",
      "/a\fb /a#b /a,b /a{b /a}b",
      "include \"stdlibs\"\r\n\tnamespace global",
  };
  for (const char *Text : Inputs) {
    INFO("input: " << escape(Text));
    std::vector<Tok> G = generated(Text);
    Ours O = ours(Text);
    CHECK(O.Unterminated == 0);
    CHECK(O.Tokens == G);
  }
}

TEST_CASE("PolicyLexer token kinds on a sample", "[lexer]") {
  std::vector<size_t> Types;
  for (const Tok &T :
       ours("path /x read,allow tcp/25 \"s\" name { } @ dir-default").Tokens)
    Types.push_back(T.Type);
  CHECK(Types == std::vector<size_t>{
                     PeaPodLexer::PATH_KW, PeaPodLexer::PATH, PeaPodLexer::READ,
                     PeaPodLexer::COMMA, PeaPodLexer::ALLOW,
                     PeaPodLexer::NETSPEC, PeaPodLexer::STRING,
                     PeaPodLexer::NAME, PeaPodLexer::LBRACE,
                     PeaPodLexer::RBRACE, PeaPodLexer::UNKNOWN,
                     PeaPodLexer::DIR_DEFAULT, antlr4::Token::EOF});
}

TEST_CASE("an unterminated string is the documented difference", "[lexer]") {
  const std::string Text = "path \"/a b read\npath /x read";
  Ours O = ours(Text);
  CHECK(O.Unterminated == 1);
  // PolicyLexer: a STRING to the end of the line, then lexing goes on.
  REQUIRE(O.Tokens.size() >= 3);
  CHECK(O.Tokens[1] == Tok{PeaPodLexer::STRING, 5, 14, 1, 5});
  CHECK(O.Tokens[2] == Tok{PeaPodLexer::PATH_KW, 16, 19, 2, 0});
  // The generated lexer: the quote alone is UNKNOWN.
  std::vector<Tok> G = generated(Text);
  CHECK(G[1] == Tok{PeaPodLexer::UNKNOWN, 5, 5, 1, 5});
  CHECK(hasUnterminatedString(Text, G));
  // A trailing backslash cannot close a string either.
  CHECK(ours("\"abc\\").Unterminated == 1);
  CHECK(hasUnterminatedString("\"abc\\", generated("\"abc\\")));
}

TEST_CASE("PolicyLexer matches the generated lexer on random inputs",
          "[lexer][property]") {
  constexpr unsigned Runs = 4000;
  unsigned Compared = 0, Excluded = 0, Tokens = 0;
  for (unsigned Seed = 1; Seed <= Runs; ++Seed) {
    std::mt19937 G(Seed);
    std::string Text = randomInput(G);
    std::vector<Tok> Gen = generated(Text);
    Ours O = ours(Text);
    bool Unterminated = hasUnterminatedString(Text, Gen);
    // Both lexers agree on when a string is unterminated.
    if ((O.Unterminated != 0) != Unterminated) {
      INFO("seed " << Seed << " input: " << escape(Text));
      CHECK((O.Unterminated != 0) == Unterminated);
    }
    if (Unterminated) {
      ++Excluded;
      continue;
    }
    ++Compared;
    Tokens += static_cast<unsigned>(Gen.size());
    if (O.Tokens != Gen) {
      INFO("seed " << Seed << " input: " << escape(Text));
      CHECK(O.Tokens == Gen);
      break; // one counterexample is enough
    }
  }
  // The property must actually have been exercised.
  CHECK(Compared >= Runs * 3 / 4);
  CHECK(Excluded > 0);
  CHECK(Tokens > Runs * 5);
}
