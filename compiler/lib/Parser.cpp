//===- Parser.cpp - ANTLR-driven parser and AST builder -------------------===//
//
// The generated parser runs without building a parse tree: the grammar's
// hooks hand each rule, pea and pod to ASTBuildingParser as soon as it is
// parsed, and the builder reads the tokens the grammar captured in labels.
// This keeps memory at a few hundred bytes per rule on million-rule policies.
// The error strategy words syntax errors for people and reports them into the
// DiagnosticEngine; ANTLR's recovery keeps the parse going so every error in a
// file is reported.
//
//===----------------------------------------------------------------------===//
#include "peapod/Parser.h"
#include "Lexer.h"
#include "PeaPodParser.h"
#include "peapod/Path.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"
#include <functional>
#include <optional>

namespace peapod {

using grammar::PeaPodParser;

const char *ast::ruleKeyword(RuleKind K) {
  switch (K) {
  case RuleKind::Path:
    return "path";
  case RuleKind::DirDefault:
    return "dir-default";
  case RuleKind::Transition:
    return "transition";
  case RuleKind::Outgoing:
    return "outgoing";
  case RuleKind::Bind:
    return "bind";
  case RuleKind::Namespace:
    return "namespace";
  case RuleKind::Include:
    return "include";
  }
  return "path";
}

namespace {

/// How a token type reads in "expected ..." messages.
std::string describeExpected(const antlr4::misc::IntervalSet &Set,
                             const antlr4::dfa::Vocabulary &Vocab) {
  std::vector<std::string> Items;
  auto Has = [&](size_t T) { return Set.contains(T); };
  bool Name = Has(PeaPodParser::NAME);
  // Rules directly in a pod are parsed only to be reported (E306): where a
  // pea may stand, do not suggest a rule.
  bool InPod = Has(PeaPodParser::PEA) && !Name;
  auto IsRuleKeyword = [](size_t T) {
    return T == PeaPodParser::PATH_KW || T == PeaPodParser::DIR_DEFAULT ||
           T == PeaPodParser::TRANSITION || T == PeaPodParser::OUTGOING ||
           T == PeaPodParser::BIND || T == PeaPodParser::NAMESPACE ||
           T == PeaPodParser::INCLUDE;
  };
  for (ssize_t T : Set.toList()) {
    size_t Type = static_cast<size_t>(T);
    std::string Item;
    if (InPod && IsRuleKeyword(Type))
      continue;
    if (Type == antlr4::Token::EOF)
      Item = "end of file";
    else if (Type == PeaPodParser::NAME)
      Item = "a name";
    else if (Type == PeaPodParser::PATH)
      Item = "a path";
    else if (Type == PeaPodParser::STRING)
      Item = Has(PeaPodParser::PATH) ? "" : "a quoted string";
    else if (Type == PeaPodParser::NETSPEC)
      Item = "a port such as tcp/25";
    else if (Name && Type != PeaPodParser::LBRACE &&
             Type != PeaPodParser::RBRACE && Type != PeaPodParser::COMMA)
      Item = ""; // keywords are names too: "a name" says it
    else
      Item = Vocab.getLiteralName(Type);
    if (!Item.empty())
      Items.push_back(Item);
  }
  if (Items.empty())
    return "something else";
  std::string Out;
  for (size_t I = 0; I < Items.size(); ++I) {
    if (I)
      Out += I + 1 == Items.size() ? " or " : ", ";
    Out += Items[I];
  }
  return Out;
}

/// What the error strategy needs to know of the parse it reports for.
class RecoveryState {
public:
  virtual ~RecoveryState() = default;
  /// Whether the rule, pea or pod being parsed already has an error before
  /// token `At`: its own syntax error, or a token the lexer reported. A
  /// second syntax error there is almost always a consequence of the first
  /// (an unterminated string swallowed the access list; recovery invented a
  /// path and the next word is left over), so it is not reported.
  virtual bool recovering(const antlr4::Token *At) const = 0;
  /// Counts a syntax error reported.
  virtual void syntaxError() = 0;
};

/// Thrown to stop parsing when the error limit is reached.
struct ErrorLimitReached {};

class SyntaxErrorReporter final : public antlr4::DefaultErrorStrategy {
public:
  SyntaxErrorReporter(DiagnosticEngine &Diags, llvm::StringRef Buffer,
                      RecoveryState &State)
      : Diags(Diags), Buffer(Buffer), Base(Buffer.data()), State(State) {}

protected:
  void
  reportNoViableAlternative(antlr4::Parser *P,
                            const antlr4::NoViableAltException &E) override {
    emit(P, E.getOffendingToken(), P->getExpectedTokens(), "unexpected");
  }
  void reportInputMismatch(antlr4::Parser *P,
                           const antlr4::InputMismatchException &E) override {
    emit(P, E.getOffendingToken(), E.getExpectedTokens(), "unexpected");
  }
  void reportUnwantedToken(antlr4::Parser *P) override {
    if (inErrorRecoveryMode(P))
      return;
    beginErrorCondition(P);
    emit(P, P->getCurrentToken(), getExpectedTokens(P), "unexpected");
  }
  void reportMissingToken(antlr4::Parser *P) override {
    if (inErrorRecoveryMode(P))
      return;
    beginErrorCondition(P);
    emit(P, P->getCurrentToken(), getExpectedTokens(P), "missing");
  }
  /// Never delete a brace to reach a name: keywords are names, so deleting
  /// the `}` of `transition /x }` would make the next `pea` the target and
  /// fold the next pea's rules into this one. Conjuring the missing name
  /// instead keeps the structure.
  antlr4::Token *singleTokenDeletion(antlr4::Parser *P) override {
    size_t Next = P->getInputStream()->LA(1);
    if ((Next == PeaPodParser::LBRACE || Next == PeaPodParser::RBRACE) &&
        getExpectedTokens(P).contains(size_t(PeaPodParser::NAME)))
      return nullptr;
    return DefaultErrorStrategy::singleTokenDeletion(P);
  }

private:
  void emit(antlr4::Parser *P, antlr4::Token *T,
            const antlr4::misc::IntervalSet &Expected, llvm::StringRef How) {
    if (Diags.limitReached())
      throw ErrorLimitReached();
    if (State.recovering(T))
      return;
    State.syntaxError();
    llvm::SMRange Range = rangeOf(T);
    std::string Want = describeExpected(Expected, P->getVocabulary());
    if (T && T->getType() == PeaPodParser::UNKNOWN) {
      Diags.report(DiagID::InvalidCharacter, Range, {T->getText()});
      return;
    }
    if (T && Expected.contains(size_t(PeaPodParser::PATH)) && !isConjured(T) &&
        T->getType() != PeaPodParser::LBRACE &&
        T->getType() != PeaPodParser::RBRACE &&
        T->getType() != PeaPodParser::COMMA) {
      // `path etc/passwd read`: a relative path lexes as a name and more.
      // Bounded by the buffer: it need not end in a NUL.
      llvm::StringRef Rest = Buffer.substr(T->getStartIndex());
      size_t Length = Rest.find_first_of(" \t\r\n,{}#\"");
      llvm::StringRef Word = Rest.substr(0, Length);
      Diags
          .report(DiagID::RelativePath,
                  {Range.Start, llvm::SMLoc::getFromPointer(Word.end())},
                  {Word.str()})
          .fix({Range.Start, Range.Start}, "/");
      return;
    }
    // Built with Twine: GCC 12 at -O3 warns falsely (-Wrestrict) on the
    // equivalent chain of std::string operator+.
    std::string Found =
        !T || T->getType() == antlr4::Token::EOF
            ? std::string("end of file")
            : llvm::Twine("'").concat(T->getText()).concat("'").str();
    std::string Message = How == "missing" ? llvm::Twine("expected ")
                                                 .concat(Want)
                                                 .concat(" before ")
                                                 .concat(Found)
                                                 .str()
                                           : llvm::Twine("unexpected ")
                                                 .concat(Found)
                                                 .concat("; expected ")
                                                 .concat(Want)
                                                 .str();
    Diags.report(DiagID::SyntaxError, Range, {Message});
  }

  llvm::SMRange rangeOf(antlr4::Token *T) const {
    if (!T || T->getStartIndex() == INVALID_INDEX)
      return {};
    const char *Start = Base + T->getStartIndex();
    const char *End = T->getType() == antlr4::Token::EOF
                          ? Start
                          : Base + T->getStopIndex() + 1;
    return {llvm::SMLoc::getFromPointer(Start),
            llvm::SMLoc::getFromPointer(End)};
  }

  DiagnosticEngine &Diags;
  llvm::StringRef Buffer;
  const char *Base;
  RecoveryState &State;
};

/// The token stream, able to drop the tokens of rules already turned into
/// AST: nothing reads them again, and on large policies they would otherwise
/// be most of the parser's memory.
class ReleasingTokenStream final : public antlr4::CommonTokenStream {
public:
  using CommonTokenStream::CommonTokenStream;
  void releaseBefore(size_t Index) {
    for (; Released < Index && Released < _tokens.size(); ++Released)
      _tokens[Released].reset();
  }

private:
  size_t Released = 0;
};

/// The generated parser with its hooks building the AST (no parse tree).
class ASTBuildingParser final : public PeaPodParser, public RecoveryState {
public:
  ASTBuildingParser(ReleasingTokenStream *Tokens, const PolicyLexer &Lexer,
                    DiagnosticEngine &Diags, ast::File &Out)
      : PeaPodParser(Tokens), Tokens(*Tokens), Lexer(Lexer),
        Buffer(Lexer.text()), Diags(Diags), Out(Out) {}

  void podParsed(PodDeclContext *Ctx) override {
    ast::PodDecl Pod;
    Pod.Peas = std::move(PendingPeas);
    PendingPeas.clear();
    capture(Ctx, PodName);
    if (!PodName)
      return; // reported by the parser
    Pod.PodName = std::move(*PodName);
    Pod.Range = rangeFrom(PodStart, Ctx->close ? Ctx->close : lastToken());
    Out.Pods.push_back(std::move(Pod));
  }

  void peaParsed(PeaDeclContext *Ctx) override {
    ast::PeaDecl Pea;
    Pea.Rules = std::move(PendingRules);
    PendingRules.clear();
    capture(Ctx, PeaName);
    if (!PeaName)
      return;
    Pea.PeaName = std::move(*PeaName);
    Pea.Rules.shrink_to_fit();
    Pea.Range = rangeFrom(PeaStart, Ctx->close ? Ctx->close : lastToken());
    PendingPeas.push_back(std::move(Pea));
  }

  void enterRule(antlr4::ParserRuleContext *Ctx, size_t State,
                 size_t RuleIndex) override {
    PeaPodParser::enterRule(Ctx, State, RuleIndex);
    if (RuleIndex == RulePodDecl || RuleIndex == RulePeaDecl ||
        RuleIndex == RulePeaRule) {
      SyntaxErrorsAtStart = SyntaxErrors;
      ConstructStart = Ctx->start->getStartIndex();
    }
    if (RuleIndex == RulePodDecl) {
      PodStart = Ctx->start->getStartIndex();
      PodName.reset();
    } else if (RuleIndex == RulePeaDecl) {
      PeaStart = Ctx->start->getStartIndex();
      PeaName.reset();
      capture(dynamic_cast<PodDeclContext *>(Ctx->parent), PodName);
    } else if (RuleIndex == RulePeaRule) {
      // Everything before this rule is in the AST already, or remembered
      // here (names and start offsets of the pod and pea it is in): release
      // its tokens. A rule may stand directly in a pod (E306).
      if (!PeaName) // once per pea and pod: each for its first rule
        capture(dynamic_cast<PeaDeclContext *>(Ctx->parent), PeaName);
      if (!PodName)
        for (antlr4::tree::ParseTree *P = Ctx->parent; P; P = P->parent)
          capture(dynamic_cast<PodDeclContext *>(P), PodName);
      Tokens.releaseBefore(Ctx->start->getTokenIndex());
    }
  }

  bool recovering(const antlr4::Token *At) const override {
    if (SyntaxErrors != SyntaxErrorsAtStart)
      return true;
    size_t Upto = At && !isConjured(At) ? At->getStartIndex() : Buffer.size();
    return Lexer.errorBetween(ConstructStart, Upto);
  }
  void syntaxError() override { ++SyntaxErrors; }

  void ruleParsed(PeaRuleContext *C) override {
    if (Diags.limitReached())
      throw ErrorLimitReached();
    Finished = C;
    if (isConjured(C->kw))
      return; // not even a keyword: nothing to keep
    ast::RuleKind Kind = kindOf(C->kw->getType());
    ast::Rule R = start(Kind, C);
    // A rule during which a syntax error was reported was repaired by the
    // parser's recovery (a token deleted or conjured): what it would build
    // is a guess (`path etc/passwd read` would become `path /passwd read`),
    // so only its kind and range are kept. So is a rule with a token the
    // lexer reported, and one whose values fail their checks.
    bool Clean = SyntaxErrors == SyntaxErrorsAtStart &&
                 !Lexer.errorBetween(C->start->getStartIndex(),
                                     isConjured(C->stop)
                                         ? Buffer.size()
                                         : C->stop->getStartIndex());
    R.Broken = !Clean || !build(C, R);
    add(C, std::move(R));
  }

  /// A rule a syntax error cut short never reached ruleParsed: keep what
  /// it was, from its keyword to the last token it consumed.
  void ruleFinished(PeaRuleContext *C) override {
    // Contexts are freed after each rule, so a later one may reuse this
    // address: forget it now.
    bool Parsed = Finished == C;
    Finished = nullptr;
    if (Parsed || !C->kw || isConjured(C->kw))
      return;
    ast::Rule R;
    R.Kind = kindOf(C->kw->getType());
    R.Broken = true;
    antlr4::Token *Last = lastToken();
    R.Range = range(C->kw, Last && !isConjured(Last) &&
                                   Last->getStartIndex() >= C->kw->getStartIndex()
                               ? Last
                               : C->kw);
    add(C, std::move(R));
  }

private:
  static ast::RuleKind kindOf(size_t Keyword) {
    switch (Keyword) {
    case DIR_DEFAULT:
      return ast::RuleKind::DirDefault;
    case TRANSITION:
      return ast::RuleKind::Transition;
    case OUTGOING:
      return ast::RuleKind::Outgoing;
    case BIND:
      return ast::RuleKind::Bind;
    case NAMESPACE:
      return ast::RuleKind::Namespace;
    case INCLUDE:
      return ast::RuleKind::Include;
    default:
      return ast::RuleKind::Path;
    }
  }

  /// Reads the rule's parts into R; false if one fails its checks (which
  /// report why).
  bool build(PeaRuleContext *C, ast::Rule &R) {
    switch (R.Kind) {
    case ast::RuleKind::Path:
    case ast::RuleKind::DirDefault:
      return fileRule(C, R);
    case ast::RuleKind::Transition: {
      // The target is kept even when the path is wrong: the formatter
      // prints the rule, and an editor can still go to the pea.
      bool PathValid = path(C->target, R);
      return name(C->peaName, R.Target) && PathValid;
    }
    case ast::RuleKind::Outgoing:
    case ast::RuleKind::Bind:
      return netRule(C, R);
    case ast::RuleKind::Namespace:
      return name(C->peaName, R.Target);
    case ast::RuleKind::Include:
      if (isConjured(C->target))
        return false;
      R.Target.Range = range(C->target, C->target);
      return unquote(C->target, R.Target.Text);
    }
    return false;
  }

  antlr4::Token *lastToken() { return _input->LT(-1); }

  /// Reads a pod's or pea's name while its tokens are still there, once.
  template <typename DeclContext>
  void capture(DeclContext *Ctx, std::optional<ast::Name> &Into) const {
    ast::Name N;
    if (!Into && Ctx && name(Ctx->declName, N))
      Into = std::move(N);
  }

  llvm::SMLoc loc(size_t Offset) const {
    return llvm::SMLoc::getFromPointer(Buffer.data() + Offset);
  }
  llvm::SMRange range(antlr4::Token *First, antlr4::Token *Last) const {
    if (isConjured(First))
      return {};
    size_t End =
        isConjured(Last) || Last->getStopIndex() < First->getStartIndex()
            ? First->getStopIndex() + 1
            : Last->getStopIndex() + 1;
    return {loc(First->getStartIndex()), loc(End)};
  }

  llvm::SMRange rangeFrom(size_t Start, antlr4::Token *Last) const {
    size_t End = isConjured(Last) || Last->getStopIndex() < Start
                     ? Start
                     : Last->getStopIndex() + 1;
    return {loc(Start), loc(End)};
  }

  ast::Rule start(ast::RuleKind Kind, antlr4::ParserRuleContext *C) const {
    ast::Rule R;
    R.Kind = Kind;
    R.Range = range(C->start, C->stop);
    return R;
  }

  /// A rule belongs to the pea being parsed, or is a bare rule at the top of
  /// a file (a rule group's form).
  void add(PeaRuleContext *C, ast::Rule &&R) {
    // Every context's parent is a rule context (the grammar's contexts).
    size_t Parent = static_cast<antlr4::RuleContext *>(C->parent)->getRuleIndex();
    if (Parent == RuleItem)
      Out.BareRules.push_back(std::move(R));
    else if (Parent == RulePodDecl) {
      if (!R.Broken) // a broken one has its own error already
        Diags.report(DiagID::RuleOutsidePea, R.Range);
    } else
      PendingRules.push_back(std::move(R));
  }

  bool name(PeaPodParser::NameContext *Ctx, ast::Name &N) const {
    if (!Ctx || Ctx->exception || isConjured(Ctx->tok))
      return false;
    N.Text = tokenText(Ctx->tok, Buffer).str();
    N.Range = range(Ctx->tok, Ctx->tok);
    return true;
  }

  /// The text of a STRING token without quotes and escapes (E004).
  bool unquote(antlr4::Token *T, std::string &Out) const {
    llvm::StringRef Text = tokenText(T, Buffer);
    llvm::StringRef Body = Text.drop_front();
    if (Body.endswith("\"") && Text.size() >= 2)
      Body = Body.drop_back();
    Out.clear();
    for (size_t I = 0; I < Body.size(); ++I) {
      if (Body[I] != '\\') {
        Out += Body[I];
        continue;
      }
      char Next = I + 1 < Body.size() ? Body[I + 1] : '\\';
      if (Next != '"' && Next != '\\') {
        const char *At = Body.data() + I;
        Diags.report(DiagID::InvalidEscape,
                     {llvm::SMLoc::getFromPointer(At),
                      llvm::SMLoc::getFromPointer(At + 2)},
                     {std::string(1, Next)});
        return false;
      }
      Out += Next;
      ++I;
    }
    return true;
  }

  bool path(antlr4::Token *T, ast::Rule &R) const {
    if (isConjured(T))
      return false;
    R.PathRange = range(T, T);
    std::string Raw;
    if (T->getType() == PeaPodParser::STRING) {
      if (!unquote(T, Raw))
        return false;
    } else {
      Raw = tokenText(T, Buffer).str();
    }
    NormalisedPath N = normalisePath(Raw);
    switch (N.Error) {
    case PathError::None:
      if (unsigned Depth = pathDepth(N.Path); Depth > MaxPathDepth) {
        Diags.report(DiagID::PathTooDeep, R.PathRange,
                     {std::to_string(Depth), std::to_string(MaxPathDepth)});
        return false;
      }
      R.Path = std::move(N.Path);
      return true;
    case PathError::Relative: {
      // Make it absolute: a '/' in front (inside the quotes, if any).
      llvm::SMLoc At = R.PathRange.Start;
      if (T->getType() == PeaPodParser::STRING)
        At = llvm::SMLoc::getFromPointer(At.getPointer() + 1);
      Diags.report(DiagID::RelativePath, R.PathRange, {Raw}).fix({At, At}, "/");
      return false;
    }
    case PathError::DotComponent:
      Diags.report(DiagID::DotComponent, R.PathRange, {Raw, N.BadComponent});
      return false;
    case PathError::Nul:
      Diags.report(DiagID::NulInPath, R.PathRange);
      return false;
    }
    return false;
  }

  /// `allow` and `deny` stand alone (E201); a repeated word is W205.
  bool exclusiveWord(const std::vector<antlr4::Token *> &Words, bool &Alone) {
    Alone = false;
    for (antlr4::Token *W : Words) {
      size_t T = W->getType();
      if (T != PeaPodParser::ALLOW && T != PeaPodParser::DENY)
        continue;
      if (Words.size() != 1) {
        Diags.report(DiagID::AllowDenyCombined, range(W, W),
                     {tokenText(W, Buffer).str()});
        return false;
      }
      Alone = true;
    }
    return true;
  }

  void warnRepeats(const std::vector<antlr4::Token *> &Words) {
    for (size_t I = 0; I < Words.size(); ++I)
      for (size_t J = 0; J < I; ++J)
        if (tokenText(Words[I], Buffer) == tokenText(Words[J], Buffer)) {
          // The fix removes the repeat and the comma before it.
          llvm::SMRange Repeat = range(Words[I], Words[I]);
          llvm::SMLoc PrevEnd = range(Words[I - 1], Words[I - 1]).End;
          Diags
              .report(DiagID::DuplicateAccess, Repeat,
                      {tokenText(Words[I], Buffer).str()})
              .fix({PrevEnd, Repeat.End}, "");
          break;
        }
  }

  static bool anyConjured(const std::vector<antlr4::Token *> &Words) {
    return Words.empty() || std::any_of(Words.begin(), Words.end(), isConjured);
  }

  bool fileRule(PeaRuleContext *C, ast::Rule &R) {
    const std::vector<antlr4::Token *> &Acc = C->words;
    if (anyConjured(Acc))
      return false;
    if (!path(C->target, R))
      return false;
    bool Alone = false;
    if (!exclusiveWord(Acc, Alone))
      return false;
    warnRepeats(Acc);
    for (antlr4::Token *W : Acc) {
      switch (W->getType()) {
      case READ:
        R.Access |= AccessRead;
        break;
      case WRITE:
        R.Access |= AccessWrite;
        break;
      case EXECUTE:
        R.Access |= AccessExecute;
        break;
      case ALLOW:
        R.Access = AccessAll;
        break;
      default: // DENY
        R.Access = AccessNone;
        break;
      }
    }
    return true;
  }

  bool netSpec(antlr4::Token *T, PortRange &Out) {
    PortSpecError E = parsePortSpec(tokenText(T, Buffer), Out);
    llvm::SMRange At = {llvm::SMLoc::getFromPointer(E.Part.begin()),
                        llvm::SMLoc::getFromPointer(E.Part.end())};
    switch (E.K) {
    case PortSpecError::None:
      return true;
    case PortSpecError::UnknownProtocol:
      Diags.report(DiagID::UnknownProtocol, At, {E.Part.str()});
      return false;
    case PortSpecError::PortOutOfRange:
      Diags.report(DiagID::PortOutOfRange, At, {E.Part.str()});
      return false;
    case PortSpecError::EmptyRange: {
      auto [Low, High] = E.Part.split('-');
      Diags.report(DiagID::EmptyPortRange, range(T, T),
                   {Low.str(), High.str()});
      return false;
    }
    }
    return false;
  }

  bool netRule(PeaRuleContext *C, ast::Rule &R) {
    const std::vector<antlr4::Token *> &Net = C->words;
    if (anyConjured(Net))
      return false;
    bool Alone = false;
    if (!exclusiveWord(Net, Alone))
      return false;
    warnRepeats(Net);
    if (Alone) {
      bool Allow = Net.front()->getType() == PeaPodParser::ALLOW;
      R.NetAllowAll = Allow;
      R.NetDenyAll = !Allow;
    } else {
      bool Valid = true; // report every bad port of the list, not the first
      for (antlr4::Token *T : Net) {
        PortRange P;
        if (netSpec(T, P))
          R.Ports.push_back(P);
        else
          Valid = false;
      }
      if (!Valid)
        return false;
    }
    return true;
  }

  ReleasingTokenStream &Tokens;
  const PolicyLexer &Lexer;
  llvm::StringRef Buffer;
  DiagnosticEngine &Diags;
  ast::File &Out;
  std::vector<ast::PeaDecl> PendingPeas;
  std::vector<ast::Rule> PendingRules;
  /// Syntax errors reported in the whole buffer, and when the rule, pea or
  /// pod being parsed began (its first token's offset).
  unsigned SyntaxErrors = 0, SyntaxErrorsAtStart = 0;
  size_t ConstructStart = 0;
  PeaRuleContext *Finished = nullptr; ///< the last rule ruleParsed saw
  size_t PodStart = 0, PeaStart = 0;
  std::optional<ast::Name> PodName, PeaName;
};

} // namespace

std::unique_ptr<ast::File> parseBuffer(const llvm::SourceMgr &SM,
                                       unsigned BufferID,
                                       DiagnosticEngine &Diags) {
  auto File = std::make_unique<ast::File>();
  File->BufferID = BufferID;
  llvm::StringRef Text = SM.getMemoryBuffer(BufferID)->getBuffer();

  PolicyLexer Lexer(Text, &Diags, &File->Comments);
  ReleasingTokenStream Tokens(&Lexer);
  ASTBuildingParser Parser(&Tokens, Lexer, Diags, *File);
  Parser.setBuildParseTree(false);
  Parser.removeErrorListeners();
  Parser.setErrorHandler(
      std::make_shared<SyntaxErrorReporter>(Diags, Text, Parser));
  Parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  try {
    Parser.policyFile();
  } catch (const ErrorLimitReached &) {
    // The diagnostics say the limit was reached; the tree is what was read.
  }
  return File;
}

llvm::SmallVector<llvm::SMRange, 4> valueRanges(const ast::Rule &R) {
  llvm::SmallVector<llvm::SMRange, 4> Out;
  bool HasValues = R.isFileRule() || R.Kind == ast::RuleKind::Outgoing ||
                   R.Kind == ast::RuleKind::Bind;
  if (!HasValues || !R.Range.Start.isValid() || !R.Range.End.isValid())
    return Out;
  const char *Begin = R.Range.Start.getPointer();
  llvm::StringRef Text(Begin, R.Range.End.getPointer() - Begin);
  // The rule's own text, lexed again: the keyword, the path of a file
  // rule, then the words; what lies between them (commas, comments, line
  // breaks) is the lexer's to skip, as when the rule was parsed.
  PolicyLexer Lexer(Text, nullptr);
  bool PathSeen = !R.isFileRule();
  for (std::unique_ptr<antlr4::Token> T = Lexer.nextToken();
       T->getType() != antlr4::Token::EOF; T = Lexer.nextToken()) {
    size_t Type = T->getType();
    if (!PathSeen && (Type == PeaPodParser::PATH || Type == PeaPodParser::STRING)) {
      PathSeen = true;
      continue;
    }
    bool Value = Type == PeaPodParser::READ || Type == PeaPodParser::WRITE ||
                 Type == PeaPodParser::EXECUTE || Type == PeaPodParser::ALLOW ||
                 Type == PeaPodParser::DENY || Type == PeaPodParser::NETSPEC;
    if (!PathSeen || !Value || T->getStartIndex() == 0)
      continue; // the keyword itself is token 0
    Out.push_back({llvm::SMLoc::getFromPointer(Begin + T->getStartIndex()),
                   llvm::SMLoc::getFromPointer(Begin + T->getStopIndex() + 1)});
  }
  return Out;
}

} // namespace peapod
