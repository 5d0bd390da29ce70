//===- SemanticTokens.cpp - Keywords, paths, access values, pea names -----===//
//
// From the syntax tree, so a word is coloured by what it is in the rule
// (`read` as a pea name is a name), refining the TextMate grammar's guess.
//
//===----------------------------------------------------------------------===//
#include "Features.h"
#include "peapod/Parser.h"
#include <cstring>

namespace peapod::lsp {

namespace {

enum TokenType : unsigned {
  Keyword, Path, Access, PeaName, PodName, Comment, Network
};

struct Token {
  size_t Offset, End;
  unsigned Type;
};

} // namespace

json semanticTokensLegend() {
  return {{"tokenTypes",
           {"keyword", "string", "enumMember", "class", "namespace", "comment",
            "number"}},
          {"tokenModifiers", json::array()}};
}

json semanticTokens(const Analysis &A, const json &) {
  std::vector<Token> Tokens;
  const ast::File *F = A.tree();
  if (!F)
    return {{"data", json::array()}};
  auto Add = [&](llvm::SMRange R, unsigned Type) {
    if (A.inMain(R.Start) && A.inMain(R.End) && R.Start.getPointer() < R.End.getPointer())
      Tokens.push_back({A.offsetOf(R.Start), A.offsetOf(R.End), Type});
  };
  auto Word = [&](llvm::SMLoc At, const char *Text) {
    if (!A.inMain(At))
      return;
    size_t O = A.offsetOf(At), N = std::strlen(Text);
    if (A.text().substr(O, N) == Text)
      Tokens.push_back({O, O + N, Keyword});
  };
  auto Rule = [&](const ast::Rule &R) {
    Word(R.Range.Start, ast::ruleKeyword(R.Kind));
    if (R.Broken)
      return;
    Add(R.PathRange, Path);
    bool Net = R.Kind == ast::RuleKind::Bind || R.Kind == ast::RuleKind::Outgoing;
    for (llvm::SMRange V : valueRanges(R))
      Add(V, Net && !R.NetAllowAll && !R.NetDenyAll ? Network : Access);
    if (R.Kind == ast::RuleKind::Include)
      Add(R.Target.Range, Path); // a rule group name, quoted
    else if (R.Target.Text == "global")
      Add(R.Target.Range, Keyword);
    else if (!R.Target.Text.empty())
      Add(R.Target.Range, PeaName);
  };
  for (const ast::Rule &R : F->BareRules)
    Rule(R);
  for (const ast::PodDecl &Pod : F->Pods) {
    Word(Pod.Range.Start, "pod");
    Add(Pod.PodName.Range, PodName);
    for (const ast::PeaDecl &Pea : Pod.Peas) {
      Word(Pea.Range.Start, "pea");
      Add(Pea.PeaName.Range, PeaName);
      for (const ast::Rule &R : Pea.Rules)
        Rule(R);
    }
  }
  for (llvm::SMRange C : F->Comments)
    Add(C, Comment);
  std::sort(Tokens.begin(), Tokens.end(),
            [](const Token &X, const Token &Y) { return X.Offset < Y.Offset; });
  json Data = json::array();
  unsigned PrevLine = 0, PrevChar = 0;
  size_t Covered = 0;
  for (const Token &T : Tokens) {
    if (T.Offset < Covered)
      continue; // never overlapping
    json S = A.position(T.Offset), E = A.position(T.End);
    unsigned Line = S["line"], Char = S["character"];
    if (E["line"] != Line)
      continue; // tokens are single-line
    unsigned Length = E["character"].get<unsigned>() - Char;
    Data.push_back(Line - PrevLine);
    Data.push_back(Line == PrevLine ? Char - PrevChar : Char);
    Data.push_back(Length);
    Data.push_back(T.Type);
    Data.push_back(0);
    PrevLine = Line;
    PrevChar = Char;
    Covered = T.End;
  }
  return {{"data", Data}};
}

} // namespace peapod::lsp
