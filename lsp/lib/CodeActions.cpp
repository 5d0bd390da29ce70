//===- CodeActions.cpp - Quick fixes --------------------------------------===//
//
// From the diagnostics at the range: each diagnostic's fix-its and its
// notes' (the did-you-mean), a choice of the access values for `allow` or
// `deny` written with others (E201), and a suppression comment for an
// analyzer finding. Not tied to a diagnostic: `path PROG read, execute` for
// a transition whose trigger the pea cannot execute (the evaluator says).
//
//===----------------------------------------------------------------------===//
#include "Features.h"
#include "peapod/Evaluator.h"
#include "llvm/ADT/StringExtras.h"

namespace peapod::lsp {

namespace {

struct Edit {
  size_t Begin, End;
  std::string Text;
};

class Actions {
public:
  explicit Actions(const Analysis &A) : A(A) {}
  void add(std::string Title, std::vector<Edit> Edits, bool Preferred = false) {
    json Changes = json::array();
    for (const Edit &E : Edits)
      Changes.push_back({{"range", A.range(E.Begin, E.End)}, {"newText", E.Text}});
    json J = {{"title", std::move(Title)},
              {"kind", "quickfix"},
              {"edit", {{"changes", {{A.uri(), Changes}}}}}};
    if (Preferred)
      J["isPreferred"] = true;
    Out.push_back(std::move(J));
  }
  json Out = json::array();

private:
  const Analysis &A;
};

/// The edits of fix-its that lie in the document; none if one does not.
std::optional<std::vector<Edit>> editsOf(const Analysis &A,
                                         const std::vector<FixIt> &Fixes) {
  std::vector<Edit> Edits;
  for (const FixIt &F : Fixes) {
    if (!A.inMain(F.Range.Start) || !A.inMain(F.Range.End))
      return std::nullopt;
    Edits.push_back(
        {A.offsetOf(F.Range.Start), A.offsetOf(F.Range.End), F.Replacement});
  }
  return Edits;
}

/// The start of the line holding `Offset`, and its indentation.
std::pair<size_t, std::string> lineStartOf(const Analysis &A, size_t Offset) {
  unsigned Line = A.lineOf(Offset);
  llvm::StringRef Text = A.lineText(Line);
  size_t Start = Text.data() - A.text().data();
  return {Start, Text.take_while([](char C) { return C == ' ' || C == '\t'; })
                     .str()};
}

/// E201: `allow` or `deny` in a list of access values. The list is the
/// run of words and commas around the word; offer each side alone.
void splitAllowDeny(const Analysis &A, const Diagnostic &D, Actions &Out) {
  llvm::StringRef Text = A.text();
  size_t Begin = A.offsetOf(D.Range.Start), End = A.offsetOf(D.Range.End);
  auto InList = [](char C) { return llvm::isAlpha(C) || C == ',' || C == ' ' || C == '\t'; };
  // The list starts after the rule's path (a path may hold letters too).
  Cursor K = A.at(Begin);
  size_t Floor = K.Rule && A.inMain(K.Rule->PathRange.End)
                     ? A.offsetOf(K.Rule->PathRange.End)
                     : 0;
  while (Begin > Floor && InList(Text[Begin - 1]))
    --Begin;
  while (End < Text.size() && InList(Text[End]))
    ++End;
  // Trim the blanks at both ends: they separate the list from the path and
  // from a comment.
  while (Begin < End && (Text[Begin] == ' ' || Text[Begin] == '\t'))
    ++Begin;
  while (End > Begin && (Text[End - 1] == ' ' || Text[End - 1] == '\t'))
    --End;
  llvm::StringRef Word = Text.slice(A.offsetOf(D.Range.Start), A.offsetOf(D.Range.End));
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Text.slice(Begin, End).split(Parts, ',', -1, false);
  std::vector<std::string> Others;
  for (llvm::StringRef P : Parts)
    if (P.trim() != Word && !P.trim().empty())
      Others.push_back(P.trim().str());
  Out.add("Keep only '" + Word.str() + "'", {{Begin, End, Word.str()}});
  if (!Others.empty() && Word == "allow")
    Out.add("Keep only '" + llvm::join(Others, ", ") + "'",
            {{Begin, End, llvm::join(Others, ", ")}});
}

/// A path as the policy language writes it: bare, or quoted when it holds a
/// character a bare path cannot (the lexer's PATH token).
std::string policyPath(llvm::StringRef Path) {
  if (Path.find_first_of(" \t\r\n,{}#\"") == llvm::StringRef::npos)
    return Path.str();
  std::string Q = "\"";
  for (char C : Path) {
    if (C == '"' || C == '\\')
      Q += '\\';
    Q += C;
  }
  return Q + "\"";
}

bool overlaps(const Analysis &A, llvm::SMRange R, size_t Begin, size_t End) {
  if (!A.inMain(R.Start))
    return false;
  size_t S = A.offsetOf(R.Start), E = A.inMain(R.End) ? A.offsetOf(R.End) : S;
  return S <= End && Begin <= E;
}

} // namespace

json codeActions(const Analysis &A, const json &Params) {
  auto [Begin, End] = A.offsets(Params.at("range"));
  Actions Out(A);
  for (const Diagnostic *Each : A.shown()) {
    const Diagnostic &D = *Each;
    if (!overlaps(A, D.Range, Begin, End))
      continue;
    if (!D.Fixes.empty())
      if (auto Edits = editsOf(A, D.Fixes))
        Out.add("Fix: " + D.Message, *Edits, true);
    for (const Diagnostic &N : D.Notes)
      if (!N.Fixes.empty())
        if (auto Edits = editsOf(A, N.Fixes))
          Out.add("Replace with " + N.Fixes.front().Replacement, *Edits, true);
    if (D.Info && llvm::StringRef(D.code()) == "E201")
      splitAllowDeny(A, D, Out);
    if (D.Info && D.code()[0] == 'A') {
      auto [Start, Indent] = lineStartOf(A, A.offsetOf(D.Range.Start));
      Out.add("Suppress " + std::string(D.code()) + " here",
              {{Start, Start,
                Indent + "# peapod: ignore[" + D.code() + "] reason\n"}});
    }
  }
  // A transition whose trigger the pea cannot execute never happens.
  Cursor K = A.at(Begin);
  if (K.Rule && K.InPea && !K.Rule->Broken &&
      K.Rule->Kind == ast::RuleKind::Transition) {
    ExecAnswer X = ReferenceEvaluator(A.policy())
                       .exec({K.PodIndex, K.PeaIndex}, K.Rule->Path);
    if (!X.Allowed) {
      auto [Start, Indent] = lineStartOf(A, A.offsetOf(K.Rule->Range.Start));
      std::string Rule = "path " + policyPath(K.Rule->Path) + " read, execute";
      Out.add("Add `" + Rule + "` so the transition can happen",
              {{Start, Start, Indent + Rule + "\n"}});
    }
  }
  return Out.Out;
}

} // namespace peapod::lsp
