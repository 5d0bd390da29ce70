//===- Formatter.cpp - The canonical layout of policies and rule groups ---===//
//
// Formatting runs in four steps:
//
//   1. Items: the tree's pods, peas and rules in source order, each as the
//      tokens it prints. Walking them through the buffer, with nothing but
//      whitespace and comments between one and the next, proves that the
//      tree holds every token exactly once (a token the tree lost, as
//      recovery from an error may, leaves the buffer alone).
//   2. Comments: each one is inside an item (it moves after it), trails an
//      item on its last line, or stands on a line of its own.
//   3. Lines: every item and comment becomes an output line with the span of
//      source lines it came from; blank lines in between become at most one;
//      values and trailing comments are aligned.
//   4. Chunks: output lines whose spans share a source line form a chunk.
//      Each chunk replaces its own source lines, which gives the edits, and
//      a range is formatted by taking the chunks it touches.
//
// The result is then lexed again and compared with the original, token by
// token and comment by comment (keepsSpelling).
//
//===----------------------------------------------------------------------===//
#include "peapod/Formatter.h"
#include "Lexer.h"
#include "peapod/Parser.h"
#include "peapod/SourcePositions.h"
#include "peapod/TextEscape.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Unicode.h"
#include <algorithm>
#include <cstring>

namespace peapod {

bool isSyntaxError(const Diagnostic &D) {
  return D.is(DiagID::SyntaxError) || D.is(DiagID::UnterminatedString) ||
         D.is(DiagID::InvalidCharacter);
}

namespace {

constexpr llvm::StringLiteral ByteOrderMark = "\xEF\xBB\xBF";
constexpr unsigned IndentWidth = 2;
constexpr unsigned TrailingCommentGap = 2;

/// Columns `S` takes in an editor: one per character, two for a wide one;
/// an invalid byte shows as one replacement character.
unsigned displayWidth(llvm::StringRef S) {
  if (llvm::all_of(S, [](char C) { return (unsigned char)C < 0x80; }))
    return unsigned(S.size());
  unsigned Width = 0;
  while (!S.empty()) {
    size_t N = utf8SequenceLength(S);
    int W = N ? llvm::sys::unicode::columnWidthUTF8(S.take_front(N)) : 1;
    Width += W > 0 ? unsigned(W) : 1;
    S = S.drop_front(N ? N : 1);
  }
  return Width;
}

/// Access words in the order docs/formatting.md fixes.
int accessRank(llvm::StringRef Word) {
  return llvm::StringSwitch<int>(Word)
      .Case("read", 0)
      .Case("write", 1)
      .Case("execute", 2)
      .Default(3);
}

/// The line ending the output uses: the buffer's most common one.
llvm::StringRef lineEnding(llvm::StringRef Text) {
  size_t LF = 0, CRLF = 0, CR = 0;
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] == '\n') {
      ++LF;
    } else if (Text[I] == '\r') {
      if (I + 1 < Text.size() && Text[I + 1] == '\n') {
        ++CRLF;
        ++I;
      } else {
        ++CR;
      }
    }
  }
  if (CRLF > LF && CRLF >= CR)
    return "\r\n";
  if (CR > LF && CR > CRLF)
    return "\r";
  return "\n";
}

/// Whitespace, as the lexer skips it.
bool isSpace(char C) {
  return C == ' ' || C == '\t' || C == '\r' || C == '\n' || C == '\f';
}

/// A token an item prints: the one at bytes [Begin, End), or, if End is 0,
/// the punctuation character `Punct` wherever it is next (the tree does not
/// keep where commas and opening braces are; account() finds them).
struct Part {
  size_t Begin = 0, End = 0;
  char Punct = 0;
};
/// A part the tree does not have (a broken rule's): it matches nothing.
constexpr Part Missing = {SIZE_MAX, SIZE_MAX, 0};

/// A pod, pea or rule (or the closing brace of a pod or pea), or a comment
/// on a line of its own.
struct Item {
  enum Kind : uint8_t { Open, Close, Rule, Comment };
  Kind K = Rule;
  unsigned Depth = 0;
  size_t Begin = 0, End = 0; ///< source bytes, first to last token
  const char *Keyword = nullptr;   ///< Open: "pod" or "pea"
  const ast::Name *Name = nullptr; ///< Open
  const ast::Rule *R = nullptr;    ///< Rule
  llvm::SMRange Text;              ///< Comment
  /// The tokens it prints, in source order.
  llvm::SmallVector<Part, 6> Parts;
  /// Comments inside it, then the one trailing it, in source order.
  llvm::SmallVector<llvm::SMRange, 1> Comments;
};

/// An output line, and the source lines it stands for.
struct Line {
  enum Kind : uint8_t { Open, Close, Rule, Comment, Blank };
  Kind K = Comment;
  unsigned Depth = 0;
  std::string Head;  ///< Rule: keyword and path; otherwise the line
  std::string Value; ///< Rule: the aligned part (none for include)
  bool HasValue = false;
  llvm::StringRef Trailing;     ///< a trailing comment
  unsigned First = 0, Last = 0; ///< source lines, 1-based
  bool Dropped = false;         ///< a blank line left out
  unsigned ValueColumn = 0;     ///< set by align()
  unsigned CommentColumn = 0;   ///< set by align()
};

llvm::StringRef trimComment(llvm::StringRef Comment) {
  return Comment.rtrim(" \t\f\v");
}

/// What formatting must keep of a text: its tokens, with the words of each
/// run of access words joined by commas in one order, and its comments. The
/// parser builds the same tree from the same tokens (whitespace means
/// nothing, and the order of an access list does not matter), so two texts
/// that agree here mean the same.
struct Spelling {
  std::vector<llvm::StringRef> Tokens;
  std::vector<llvm::StringRef> Comments;
  bool operator==(const Spelling &) const = default;

  /// Puts every access list in one order.
  void sortAccessLists() {
    auto IsAccessWord = [&](size_t I) {
      return Tokens[I] == "read" || Tokens[I] == "write" ||
             Tokens[I] == "execute";
    };
    for (size_t I = 0; I < Tokens.size(); ++I) {
      if (!IsAccessWord(I))
        continue;
      llvm::SmallVector<llvm::StringRef, 3> Run{Tokens[I]};
      size_t Last = I;
      for (; Last + 2 < Tokens.size() && Tokens[Last + 1] == "," &&
             IsAccessWord(Last + 2);
           Last += 2)
        Run.push_back(Tokens[Last + 2]);
      llvm::sort(Run);
      for (size_t N = 0; N < Run.size(); ++N)
        Tokens[I + 2 * N] = Run[N];
      I = Last;
    }
  }
};

llvm::StringRef trimmedComment(llvm::StringRef Text, llvm::SMRange C) {
  return trimComment(Text.slice(size_t(C.Start.getPointer() - Text.data()),
                                size_t(C.End.getPointer() - Text.data())));
}

/// The spelling of `Text` as the parser's lexer reads it.
Spelling lexedSpelling(llvm::StringRef Text) {
  Spelling S;
  std::vector<llvm::SMRange> Comments;
  PolicyLexer Lexer(Text, nullptr, &Comments);
  for (;;) {
    std::unique_ptr<antlr4::Token> T = Lexer.nextToken();
    if (T->getType() == antlr4::Token::EOF)
      break;
    S.Tokens.push_back(tokenText(T.get(), Text));
  }
  for (llvm::SMRange C : Comments)
    S.Comments.push_back(trimmedComment(Text, C));
  S.sortAccessLists();
  return S;
}

/// Calls OnPod for each pod and OnRule for each bare rule of `Tree`, in
/// source order (a policy's pods and any bare rules beside them, an error,
/// are kept apart in the tree).
template <typename PodFn, typename RuleFn>
void forEachTopLevel(const ast::File &Tree, PodFn OnPod, RuleFn OnRule) {
  auto Pod = Tree.Pods.begin();
  auto Bare = Tree.BareRules.begin();
  while (Pod != Tree.Pods.end() || Bare != Tree.BareRules.end()) {
    if (Bare != Tree.BareRules.end() &&
        (Pod == Tree.Pods.end() ||
         Bare->Range.Start.getPointer() < Pod->Range.Start.getPointer()))
      OnRule(*Bare++);
    else
      OnPod(*Pod++);
  }
}

class Formatter {
public:
  Formatter(const ast::File &Tree, llvm::StringRef Text)
      : Tree(Tree), Text(Text), Lines(Text) {}

  /// Steps 1-3; false with Reason set if the buffer cannot be formatted.
  bool layOut();
  /// Step 4: the chunks, as edits to the original (only those `Range`
  /// touches, if given), and the formatted text.
  void edits(std::optional<ByteRange> Range, FormatResult &Out) const;

  std::string Reason;
  /// The original's spelling (after layOut()): the tokens the items print.
  Spelling spelling() const;

private:
  size_t offset(llvm::SMLoc L) const {
    return size_t(L.getPointer() - Text.data());
  }
  llvm::StringRef slice(llvm::SMRange R) const {
    return Text.slice(offset(R.Start), offset(R.End));
  }
  unsigned lineOf(size_t Offset) const { return Lines.lineOf(Offset); }

  void collect();
  void addRule(const ast::Rule &R, unsigned Depth);
  bool account();
  bool unaccounted(size_t At);
  void attachComments();
  void emit();
  void emitItem(const Item &I, unsigned First, unsigned Last);
  void emitBlank(unsigned First, unsigned Last, bool Keep);
  void ruleLine(const ast::Rule &R, Line &L) const;
  void align();
  void render(const Line &L, std::string &S) const;

  const ast::File &Tree;
  llvm::StringRef Text;
  LineTable Lines;
  std::vector<Item> Items; ///< pods, peas, rules, then comments merged in
  std::vector<Line> Out;
};

bool Formatter::layOut() {
  Items.reserve(Text.size() / 32 + Tree.Comments.size());
  collect();
  if (!account())
    return false;
  attachComments();
  emit();
  align();
  return true;
}

/// Step 1: the tree's items in source order.
void Formatter::collect() {
  auto Open = [&](const char *Keyword, const ast::Name &N, llvm::SMRange R,
                  unsigned Depth) {
    Item I;
    I.K = Item::Open;
    I.Depth = Depth;
    I.Keyword = Keyword;
    I.Name = &N;
    size_t At = offset(R.Start);
    I.Parts = {{At, At + 3}, {offset(N.Range.Start), offset(N.Range.End)},
               {0, 0, '{'}};
    Items.push_back(std::move(I));
  };
  auto Close = [&](llvm::SMRange R, unsigned Depth) {
    Item I;
    I.K = Item::Close;
    I.Depth = Depth;
    size_t At = offset(R.End) - 1;
    I.Parts = {{At, At + 1}};
    Items.push_back(std::move(I));
  };
  forEachTopLevel(
      Tree,
      [&](const ast::PodDecl &Pod) {
        Open("pod", Pod.PodName, Pod.Range, 0);
        for (const ast::PeaDecl &Pea : Pod.Peas) {
          Open("pea", Pea.PeaName, Pea.Range, 1);
          for (const ast::Rule &R : Pea.Rules)
            addRule(R, 2);
          Close(Pea.Range, 1);
        }
        Close(Pod.Range, 0);
      },
      [&](const ast::Rule &R) { addRule(R, 0); });
}

void Formatter::addRule(const ast::Rule &R, unsigned Depth) {
  Item I;
  I.K = Item::Rule;
  I.Depth = Depth;
  I.R = &R;
  size_t At = offset(R.Range.Start);
  I.Parts.push_back({At, At + strlen(ast::ruleKeyword(R.Kind))});
  auto Add = [&](llvm::SMRange Range) {
    I.Parts.push_back(Range.Start.isValid()
                          ? Part{offset(Range.Start), offset(Range.End)}
                          : Missing);
  };
  if (R.isFileRule() || R.Kind == ast::RuleKind::Transition)
    Add(R.PathRange);
  if (R.isFileRule() || R.Kind == ast::RuleKind::Outgoing ||
      R.Kind == ast::RuleKind::Bind) {
    llvm::SmallVector<llvm::SMRange, 4> Values = valueRanges(R);
    if (Values.empty())
      I.Parts.push_back(Missing);
    for (size_t V = 0; V < Values.size(); ++V) {
      if (V)
        I.Parts.push_back({0, 0, ','});
      Add(Values[V]);
    }
  }
  if (R.Kind == ast::RuleKind::Transition ||
      R.Kind == ast::RuleKind::Namespace || R.Kind == ast::RuleKind::Include)
    Add(R.Target.Range);
  Items.push_back(std::move(I));
}

/// Walks the items' parts through the buffer: between one and the next
/// there may only be whitespace and comments, so every token is printed by
/// exactly one item, in order. Sets each item's extent.
bool Formatter::account() {
  size_t At = Text.startswith(ByteOrderMark) ? ByteOrderMark.size() : 0;
  auto Comment = Tree.Comments.begin();
  auto SkipTrivia = [&] {
    for (;;) {
      while (At < Text.size() && isSpace(Text[At]))
        ++At;
      if (Comment == Tree.Comments.end() || offset(Comment->Start) != At)
        return;
      At = offset(Comment++->End);
    }
  };
  auto Matches = [&](Part &P) {
    if (!P.End) {
      if (At >= Text.size() || Text[At] != P.Punct)
        return false;
      P.Begin = At;
      P.End = At + 1;
    }
    return P.Begin == At;
  };
  for (Item &I : Items) {
    for (Part &P : I.Parts) {
      SkipTrivia();
      if (!Matches(P))
        return unaccounted(At);
      At = P.End;
    }
    I.Begin = I.Parts.front().Begin;
    I.End = I.Parts.back().End;
  }
  SkipTrivia();
  return At == Text.size() || unaccounted(At);
}

bool Formatter::unaccounted(size_t At) {
  LineColumn P = Lines.position(At);
  llvm::StringRef Word = Text.substr(At).take_until(isSpace);
  Reason = (At < Text.size() ? "'" + escapeForTerminal(Word) + "'"
                             : std::string("the end of the file")) +
           " at line " + std::to_string(P.Line) + ", column " +
           std::to_string(P.Column) +
           " is not part of a pod, pea or rule the parser could read";
  return false;
}

Spelling Formatter::spelling() const {
  Spelling S;
  for (const Item &I : Items)
    for (const Part &P : I.Parts)
      S.Tokens.push_back(Text.slice(P.Begin, P.End));
  for (llvm::SMRange C : Tree.Comments)
    S.Comments.push_back(trimmedComment(Text, C));
  S.sortAccessLists();
  return S;
}

/// Step 2. Items do not overlap, so a comment is inside, or trails, the
/// item just before it, or stands on its own line.
void Formatter::attachComments() {
  std::vector<Item> Merged;
  Merged.reserve(Items.size() + Tree.Comments.size());
  auto Comment = Tree.Comments.begin();
  auto TakeCommentsBefore = [&](size_t Limit) {
    for (; Comment != Tree.Comments.end() && offset(Comment->Start) < Limit;
         ++Comment) {
      size_t At = offset(Comment->Start);
      Item *Prev = Merged.empty() ? nullptr : &Merged.back();
      if (Prev && Prev->K != Item::Comment &&
          (At < Prev->End || lineOf(At) == lineOf(Prev->End - 1))) {
        Prev->Comments.push_back(*Comment);
        continue;
      }
      Item C;
      C.K = Item::Comment;
      C.Depth = !Prev ? 0
                : Prev->K == Item::Open ? Prev->Depth + 1
                                        : Prev->Depth;
      C.Begin = At;
      C.End = offset(Comment->End);
      C.Text = *Comment;
      Merged.push_back(std::move(C));
    }
  };
  for (Item &I : Items) {
    TakeCommentsBefore(I.Begin);
    Merged.push_back(std::move(I));
  }
  TakeCommentsBefore(SIZE_MAX);
  Items = std::move(Merged);
}

/// Step 3: output lines, with blank lines where the author left some.
void Formatter::emit() {
  Out.reserve(Items.size() + Items.size() / 4);
  unsigned PrevLast = 0; // the source line the previous item ended on
  for (size_t N = 0; N < Items.size(); ++N) {
    const Item &I = Items[N];
    unsigned First = lineOf(I.Begin);
    unsigned Last = lineOf(I.End - 1);
    for (llvm::SMRange C : I.Comments)
      Last = std::max(Last, lineOf(offset(C.Start)));
    if (First > PrevLast + 1) {
      // No blank line at the start, after `{` or before `}`.
      bool Keep = N > 0 && Items[N - 1].K != Item::Open && I.K != Item::Close;
      emitBlank(PrevLast + 1, First - 1, Keep);
    }
    emitItem(I, First, Last);
    PrevLast = std::max(PrevLast, Last);
  }
  if (PrevLast < Lines.lineCount())
    emitBlank(PrevLast + 1, Lines.lineCount(), false);
}

void Formatter::emitBlank(unsigned First, unsigned Last, bool Keep) {
  Line L;
  L.K = Line::Blank;
  L.First = First;
  L.Last = Last;
  L.Dropped = !Keep;
  Out.push_back(std::move(L));
}

void Formatter::emitItem(const Item &I, unsigned First, unsigned Last) {
  Line L;
  L.Depth = I.Depth;
  L.First = First;
  L.Last = Last;
  switch (I.K) {
  case Item::Open:
    L.K = Line::Open;
    L.Head = (llvm::Twine(I.Keyword) + " " + slice(I.Name->Range) + " {").str();
    break;
  case Item::Close:
    L.K = Line::Close;
    L.Head = "}";
    break;
  case Item::Rule:
    L.K = Line::Rule;
    ruleLine(*I.R, L);
    break;
  case Item::Comment:
    L.K = Line::Comment;
    L.Head = trimComment(slice(I.Text)).str();
    break;
  }
  // The first comment inside or after the item trails its line; the others
  // follow on lines of their own (inside the block, after an opening line).
  if (!I.Comments.empty())
    L.Trailing = trimComment(slice(I.Comments.front()));
  Out.push_back(std::move(L));
  for (size_t N = 1; N < I.Comments.size(); ++N) {
    llvm::SMRange C = I.Comments[N];
    Line More;
    More.K = Line::Comment;
    More.Depth = I.K == Item::Open ? I.Depth + 1 : I.Depth;
    More.Head = trimComment(slice(C)).str();
    More.First = First;
    More.Last = Last;
    Out.push_back(std::move(More));
  }
}

void Formatter::ruleLine(const ast::Rule &R, Line &L) const {
  L.Head = ast::ruleKeyword(R.Kind);
  if (R.isFileRule() || R.Kind == ast::RuleKind::Transition)
    L.Head += (" " + slice(R.PathRange)).str();
  if (R.Kind == ast::RuleKind::Include) {
    L.Head += (" " + slice(R.Target.Range)).str();
    return;
  }
  L.HasValue = true;
  if (R.Kind == ast::RuleKind::Transition ||
      R.Kind == ast::RuleKind::Namespace) {
    L.Value = slice(R.Target.Range).str();
    return;
  }
  llvm::SmallVector<llvm::StringRef, 3> Words;
  for (llvm::SMRange V : valueRanges(R))
    Words.push_back(slice(V));
  // A broken rule keeps its order, so that its error still points where it
  // did.
  if (R.isFileRule() && !R.Broken)
    std::stable_sort(Words.begin(), Words.end(),
                     [](llvm::StringRef A, llvm::StringRef B) {
                       return accessRank(A) < accessRank(B);
                     });
  L.Value = llvm::join(Words, ", ");
}

/// Values in one column per run of rules (a run of rule and comment lines
/// ends at a blank line or a brace); the trailing comments of consecutive
/// rule lines in one column.
void Formatter::align() {
  auto Indent = [](const Line &L) { return L.Depth * IndentWidth; };
  auto InRun = [](const Line &L) {
    return L.K == Line::Rule || L.K == Line::Comment;
  };
  for (size_t Begin = 0, End; Begin < Out.size(); Begin = End) {
    unsigned Column = 0;
    for (End = Begin; End < Out.size() && InRun(Out[End]); ++End)
      if (Out[End].HasValue)
        Column = std::max(Column, Indent(Out[End]) +
                                      displayWidth(Out[End].Head) + 1);
    for (size_t N = Begin; N < End; ++N)
      Out[N].ValueColumn = Column;
    End = std::max(End, Begin + 1);
  }
  auto Width = [&](const Line &L) {
    unsigned W = Indent(L) + displayWidth(L.Head);
    if (L.HasValue)
      W = std::max(W + 1, L.ValueColumn) + displayWidth(L.Value);
    return W;
  };
  auto Trails = [](const Line &L) {
    return L.K == Line::Rule && !L.Trailing.empty();
  };
  for (size_t Begin = 0, End; Begin < Out.size(); Begin = End) {
    unsigned Column = 0;
    for (End = Begin; End < Out.size() && Trails(Out[End]); ++End)
      Column = std::max(Column, Width(Out[End]) + TrailingCommentGap);
    for (size_t N = Begin; N < End; ++N)
      Out[N].CommentColumn = Column;
    End = std::max(End, Begin + 1);
  }
}

/// Appends line `L`, without its line ending, to `S`.
void Formatter::render(const Line &L, std::string &S) const {
  if (L.K == Line::Blank)
    return;
  unsigned Width = L.Depth * IndentWidth;
  S.append(Width, ' ');
  S += L.Head;
  Width += displayWidth(L.Head);
  auto PadTo = [&](unsigned Column) {
    if (Width < Column)
      S.append(Column - Width, ' ');
    Width = std::max(Width, Column);
  };
  if (L.HasValue) {
    PadTo(std::max(L.ValueColumn, Width + 1));
    S += L.Value;
    Width += displayWidth(L.Value);
  }
  if (!L.Trailing.empty()) {
    PadTo(std::max(L.CommentColumn, Width + TrailingCommentGap));
    S += L.Trailing;
  }
}

/// Step 4.
void Formatter::edits(std::optional<ByteRange> Range, FormatResult &Result) const {
  llvm::StringRef EOL = lineEnding(Text);
  size_t BOM = Text.startswith(ByteOrderMark) ? ByteOrderMark.size() : 0;
  auto LineStart = [&](unsigned L) {
    return L == 1 ? BOM : Lines.lineStart(L);
  };
  auto LineEnd = [&](unsigned L) {
    return L < Lines.lineCount() ? Lines.lineStart(L + 1) : Text.size();
  };
  std::string Whole(Text.take_front(BOM));
  std::string Applied(Whole); // the original with the selected edits
  size_t Copied = BOM;        // of the original, into Applied
  for (size_t Begin = 0; Begin < Out.size();) {
    // A chunk: lines whose source spans overlap.
    unsigned First = Out[Begin].First, Last = Out[Begin].Last;
    size_t End = Begin + 1;
    for (; End < Out.size() && Out[End].First <= Last; ++End)
      Last = std::max(Last, Out[End].Last);
    std::string New;
    for (size_t N = Begin; N < End; ++N)
      if (!Out[N].Dropped) {
        render(Out[N], New);
        New += EOL;
      }
    Begin = End;
    size_t From = LineStart(First), To = LineEnd(Last);
    Whole += New;
    bool Selected = !Range || (Range->Begin == Range->End
                                   ? From <= Range->Begin && Range->Begin < To
                                   : From < Range->End && Range->Begin < To);
    if (!Selected || Text.slice(From, To) == New)
      continue;
    if (!Result.Edits.empty() &&
        Result.Edits.back().Offset + Result.Edits.back().Length == From) {
      Result.Edits.back().Length += To - From;
      Result.Edits.back().Text += New;
    } else {
      Result.Edits.push_back({From, To - From, New});
    }
    Applied += Text.slice(Copied, From);
    Applied += New;
    Copied = To;
  }
  Applied += Text.substr(Copied);
  Result.Text = Range ? std::move(Applied) : std::move(Whole);
}

/// Whether `Formatted` keeps everything of the text `F` laid out.
bool keepsSpelling(const Formatter &F, llvm::StringRef Formatted) {
  return F.spelling() == lexedSpelling(Formatted);
}

} // namespace

FormatResult formatTree(const ast::File &Tree, llvm::StringRef Text,
                        llvm::ArrayRef<Diagnostic> ParseDiags,
                        std::optional<ByteRange> Range) {
  FormatResult Result;
  Result.Text = Text.str();
  // Only this buffer's: a caller may pass a whole compilation's diagnostics,
  // where a rule group's syntax error says nothing about this file.
  size_t SyntaxErrors = llvm::count_if(ParseDiags, [&](const Diagnostic &D) {
    const char *At = D.Range.Start.getPointer();
    return isSyntaxError(D) && At >= Text.begin() && At <= Text.end();
  });
  if (SyntaxErrors) {
    Result.Reason = SyntaxErrors == 1 ? "it has a syntax error"
                                      : "it has syntax errors";
    return Result;
  }
  Formatter F(Tree, Text);
  if (!F.layOut()) {
    Result.Reason = F.Reason;
    return Result;
  }
  FormatResult Out;
  F.edits(Range, Out);
  if (!keepsSpelling(F, Out.Text)) {
    Result.Reason = "internal error: the formatted text would not mean the "
                    "same (please report this file)";
    return Result;
  }
  Out.Formatted = true;
  return Out;
}

FormatResult formatBuffer(const llvm::SourceMgr &SM, unsigned BufferID,
                          DiagnosticEngine &Diags,
                          std::optional<ByteRange> Range) {
  // The whole tree is needed: parse with no error limit, then report as the
  // caller's engine is configured.
  DiagnosticEngine Local(SM);
  std::unique_ptr<ast::File> Tree = parseBuffer(SM, BufferID, Local);
  for (const Diagnostic &D : Local.diagnostics())
    Diags.replay(D);
  llvm::StringRef Text = SM.getMemoryBuffer(BufferID)->getBuffer();
  return formatTree(*Tree, Text, Local.diagnostics(), Range);
}

std::optional<std::string> formatText(llvm::StringRef Text,
                                      llvm::StringRef Name) {
  // A copy: the parser needs a buffer with a NUL after it, as SourceMgr
  // buffers have, and `Text` may be a slice of something larger.
  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(Text, Name), llvm::SMLoc());
  DiagnosticEngine Diags(SM);
  FormatResult R = formatBuffer(SM, ID, Diags);
  if (!R.Formatted)
    return std::nullopt;
  return std::move(R.Text);
}

} // namespace peapod
