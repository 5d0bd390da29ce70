//===- Lexer.cpp ----------------------------------------------------------===//
#include "Lexer.h"
#include "PeaPodLexer.h"
#include "llvm/ADT/StringSwitch.h"

namespace peapod {

using grammar::PeaPodLexer;

namespace {

/// A token that is a view into the buffer.
constexpr uint32_t EOFType = ~0u;

class PolicyToken final : public antlr4::WritableToken {
public:
  PolicyToken(PolicyLexer *Source, size_t Type, uint32_t Start, uint32_t Stop,
              uint32_t Line, uint32_t Column)
      : Source(Source), Type(static_cast<uint32_t>(Type)), Start(Start),
        Stop(Stop), Line(Line), Column(Column) {}


  std::string getText() const override {
    if (Type == EOFType)
      return "<EOF>";
    return Source->text().slice(Start, Stop + 1).str();
  }
  size_t getType() const override {
    return Type == EOFType ? antlr4::Token::EOF : Type;
  }
  size_t getLine() const override { return Line; }
  size_t getCharPositionInLine() const override { return Column; }
  size_t getChannel() const override { return DEFAULT_CHANNEL; }
  size_t getTokenIndex() const override { return Index; }
  size_t getStartIndex() const override { return widen(Start); }
  size_t getStopIndex() const override { return widen(Stop); }
  antlr4::TokenSource *getTokenSource() const override { return Source; }
  antlr4::CharStream *getInputStream() const override { return nullptr; }
  std::string toString() const override { return getText(); }

  void setText(const std::string &) override {}
  void setType(size_t T) override { Type = static_cast<uint32_t>(T); }
  void setLine(size_t L) override { Line = static_cast<uint32_t>(L); }
  void setCharPositionInLine(size_t C) override {
    Column = static_cast<uint32_t>(C);
  }
  void setChannel(size_t) override {}
  void setTokenIndex(size_t I) override { Index = static_cast<uint32_t>(I); }

private:
  /// The EOF token of an empty buffer stops at -1, which ANTLR spells
  /// INVALID_INDEX, not 2^32 - 1.
  static size_t widen(uint32_t Index) {
    return Index == UINT32_MAX ? INVALID_INDEX : Index;
  }

  PolicyLexer *Source;
  size_t Type;
  uint32_t Start, Stop, Line, Column;
  uint32_t Index = 0;
};

bool isNameStart(char C) {
  return (C >= 'A' && C <= 'Z') || (C >= 'a' && C <= 'z') || C == '_';
}
bool isLetter(char C) { return (C >= 'A' && C <= 'Z') || (C >= 'a' && C <= 'z'); }
bool isDigit(char C) { return C >= '0' && C <= '9'; }
bool isNameChar(char C) {
  return isNameStart(C) || isDigit(C) || C == '.' || C == '-';
}
bool isSpace(char C) {
  return C == ' ' || C == '\t' || C == '\r' || C == '\n' || C == '\f';
}
bool endsPath(char C) {
  return C == ' ' || C == '\t' || C == '\r' || C == '\n' || C == ',' ||
         C == '{' || C == '}' || C == '#' || C == '"';
}

size_t keywordType(llvm::StringRef Word) {
  return llvm::StringSwitch<size_t>(Word)
      .Case("pod", PeaPodLexer::POD)
      .Case("pea", PeaPodLexer::PEA)
      .Case("path", PeaPodLexer::PATH_KW)
      .Case("dir-default", PeaPodLexer::DIR_DEFAULT)
      .Case("transition", PeaPodLexer::TRANSITION)
      .Case("outgoing", PeaPodLexer::OUTGOING)
      .Case("bind", PeaPodLexer::BIND)
      .Case("namespace", PeaPodLexer::NAMESPACE)
      .Case("include", PeaPodLexer::INCLUDE)
      .Case("read", PeaPodLexer::READ)
      .Case("write", PeaPodLexer::WRITE)
      .Case("execute", PeaPodLexer::EXECUTE)
      .Case("allow", PeaPodLexer::ALLOW)
      .Case("deny", PeaPodLexer::DENY)
      .Default(PeaPodLexer::NAME);
}

} // namespace

PolicyLexer::PolicyLexer(llvm::StringRef Text, DiagnosticEngine *Diags,
                         std::vector<llvm::SMRange> *Comments)
    : Text(Text), Diags(Diags), Comments(Comments) {
  if (Text.startswith("\xEF\xBB\xBF")) // a UTF-8 byte order mark
    Pos = LineStart = 3;
}

antlr4::TokenFactory<antlr4::CommonToken> *PolicyLexer::getTokenFactory() {
  return antlr4::CommonTokenFactory::DEFAULT.get();
}

void PolicyLexer::skipTrivia() {
  while (Pos < Text.size()) {
    char C = Text[Pos];
    if (C == '\n') {
      ++Pos;
      ++Line;
      LineStart = Pos;
    } else if (isSpace(C)) {
      ++Pos;
    } else if (C == '#') {
      size_t Start = Pos;
      while (Pos < Text.size() && Text[Pos] != '\n' && Text[Pos] != '\r')
        ++Pos;
      if (Comments)
        Comments->push_back({llvm::SMLoc::getFromPointer(Text.data() + Start),
                             llvm::SMLoc::getFromPointer(Text.data() + Pos)});
    } else {
      return;
    }
  }
}

size_t PolicyLexer::scanWord() const {
  size_t End = Pos + 1;
  while (End < Text.size() && isNameChar(Text[End]))
    ++End;
  return End - Pos;
}

/// Length of a NETSPEC at Pos ([a-zA-Z]+ '/' [0-9]+ ('-' [0-9]+)?), or 0.
size_t PolicyLexer::scanNetSpec() const {
  size_t I = Pos;
  while (I < Text.size() && isLetter(Text[I]))
    ++I;
  if (I == Pos || I >= Text.size() || Text[I] != '/')
    return 0;
  size_t Digits = ++I;
  while (I < Text.size() && isDigit(Text[I]))
    ++I;
  if (I == Digits)
    return 0;
  if (I + 1 < Text.size() && Text[I] == '-' && isDigit(Text[I + 1])) {
    I += 2;
    while (I < Text.size() && isDigit(Text[I]))
      ++I;
  }
  return I - Pos;
}

size_t PolicyLexer::scanString(bool &Terminated) const {
  size_t I = Pos + 1;
  while (I < Text.size()) {
    char C = Text[I];
    if (C == '"') {
      Terminated = true;
      return I + 1 - Pos;
    }
    if (C == '\\' && I + 1 < Text.size()) {
      I += 2; // '\\' . : the escaped character may even be a newline
      continue;
    }
    if (C == '\r' || C == '\n' || C == '\\')
      break;
    ++I;
  }
  Terminated = false;
  return I - Pos;
}

std::unique_ptr<antlr4::Token> PolicyLexer::nextToken() {
  skipTrivia();
  auto Make = [&](size_t Type, size_t Length) {
    auto T = std::make_unique<PolicyToken>(
        this, Type, static_cast<uint32_t>(Pos),
        static_cast<uint32_t>(Pos + Length - 1), static_cast<uint32_t>(Line),
        static_cast<uint32_t>(Pos - LineStart));
    for (size_t I = Pos; I < Pos + Length; ++I)
      if (Text[I] == '\n') { // only inside escaped string characters
        ++Line;
        LineStart = I + 1;
      }
    Pos += Length;
    return T;
  };
  if (Pos >= Text.size())
    return std::make_unique<PolicyToken>(
        this, antlr4::Token::EOF, static_cast<uint32_t>(Pos),
        static_cast<uint32_t>(Pos) - 1, static_cast<uint32_t>(Line),
        static_cast<uint32_t>(Pos - LineStart));

  char C = Text[Pos];
  switch (C) {
  case '{':
    return Make(PeaPodLexer::LBRACE, 1);
  case '}':
    return Make(PeaPodLexer::RBRACE, 1);
  case ',':
    return Make(PeaPodLexer::COMMA, 1);
  case '/': {
    size_t End = Pos + 1;
    while (End < Text.size() && !endsPath(Text[End]))
      ++End;
    return Make(PeaPodLexer::PATH, End - Pos);
  }
  case '"': {
    bool Terminated = false;
    size_t Length = scanString(Terminated);
    // `"/etc/x<CR>" read`: a stray line break split one string in two; the
    // second half is the same mistake, reported once.
    bool SecondHalf = UnterminatedEnd != SIZE_MAX &&
                      Text.slice(UnterminatedEnd, Pos).ltrim("\r\n").empty() &&
                      Pos > UnterminatedEnd;
    bool Broken = !Terminated || SecondHalf;
    if (!Terminated && !SecondHalf && Diags) {
      const char *At = Text.data() + Pos;
      Diags->report(DiagID::UnterminatedString,
                    llvm::SMRange(llvm::SMLoc::getFromPointer(At),
                                  llvm::SMLoc::getFromPointer(At + Length)));
    }
    UnterminatedEnd = Terminated ? SIZE_MAX : Pos + Length;
    if (Broken)
      ErrorOffsets.push_back(Pos);
    return Make(PeaPodLexer::STRING, Length);
  }
  default:
    break;
  }
  if (isNameStart(C)) {
    size_t Word = scanWord();
    size_t Net = scanNetSpec();
    if (Net > Word)
      return Make(PeaPodLexer::NETSPEC, Net);
    return Make(keywordType(Text.substr(Pos, Word)), Word);
  }
  // Anything else is one UNKNOWN token per character, as in the grammar; the
  // parser reports it (E003). A UTF-8 sequence stays one token.
  size_t Length = 1;
  if (static_cast<unsigned char>(C) >= 0xC0)
    while (Pos + Length < Text.size() &&
           (static_cast<unsigned char>(Text[Pos + Length]) & 0xC0) == 0x80)
      ++Length;
  return Make(PeaPodLexer::UNKNOWN, Length);
}

bool PolicyLexer::errorBetween(size_t First, size_t Last) const {
  auto It = std::lower_bound(ErrorOffsets.begin(), ErrorOffsets.end(), First);
  return It != ErrorOffsets.end() && *It <= Last;
}

bool isConjured(const antlr4::Token *T) {
  return !T || T->getStartIndex() == INVALID_INDEX ||
         T->getType() == antlr4::Token::EOF;
}

llvm::StringRef tokenText(const antlr4::Token *T, llvm::StringRef Buffer) {
  if (isConjured(T) || T->getStopIndex() >= Buffer.size())
    return {};
  return Buffer.slice(T->getStartIndex(), T->getStopIndex() + 1);
}

} // namespace peapod
