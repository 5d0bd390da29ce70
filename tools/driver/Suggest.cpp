//===- Suggest.cpp - peapodc suggest: rules from an audit log -------------===//
//
// Reads the audit log `peapod run --audit` writes (runtime/AuditLog.h) and
// the policy source, and prints, as a unified diff of the policy, the rules
// that would have allowed each logged denial: for each pea and object the
// narrowest rule there is, a `path` rule on the object itself, whose access
// is what the pea has there now plus what was asked (a path rule replaces
// the inherited access, language semantics 4). An existing `path` rule on
// the same path in the policy file has its access widened instead. Within a
// pea the rules come deepest path first. The patched policy is compiled
// again and every event checked against it before anything is printed.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "peapod/Access.h"
#include "peapod/Evaluator.h"
#include "peapod/Parser.h"
#include "peapod/Path.h"
#include "peapod/TextDiff.h"
#include "peapod/TextEscape.h"
#include "peapod/runtime/AuditLog.h"
#include "llvm/Support/SourceMgr.h"
#include <algorithm>
#include <map>

namespace peapod::driver {

namespace {

/// What one pea needs on one path.
struct Need {
  std::string Pod, Pea, Path;
  uint8_t Access = 0;
};

uint8_t accessOf(llvm::StringRef Letters) {
  uint8_t A = 0;
  for (char C : Letters)
    A |= C == 'r' ? AccessRead : C == 'w' ? AccessWrite
                                          : C == 'x' ? AccessExecute : 0;
  return A;
}

/// "read, write, execute" for a mask, in the canonical order.
std::string accessWords(uint8_t A) {
  std::string S;
  for (auto [Bit, Word] : {std::pair{AccessRead, "read"},
                           std::pair{AccessWrite, "write"},
                           std::pair{AccessExecute, "execute"}})
    if (A & Bit)
      S += (S.empty() ? "" : ", ") + std::string(Word);
  return S;
}

size_t depth(llvm::StringRef Path) { return Path.count('/'); }

struct Edit {
  size_t Offset, Length;
  std::string Text;
};

class Suggester {
public:
  Suggester(const Compilation &C, const Context &Ctx) : C(C), Ctx(Ctx) {}
  /// Folds one event into the needs; false (with a warning) if it names
  /// nothing in this policy.
  void add(const runtime::AuditEvent &E, unsigned LineNo);
  /// The patched text of the main file.
  std::string patch(llvm::StringRef Text, const char *Base);
  const std::vector<Need> &needs() const { return Needs; }

private:
  const Compilation &C;
  const Context &Ctx;
  std::vector<Need> Needs;
  std::map<std::tuple<std::string, std::string, std::string>, size_t> Index;
};

void Suggester::add(const runtime::AuditEvent &E, unsigned LineNo) {
  ReferenceEvaluator Eval(C.policy());
  auto H = Eval.findPea(E.Pod, E.Pea);
  uint8_t Asked = accessOf(E.Access);
  NormalisedPath Normal = normalisePath(E.Path);
  const std::string &Path = Normal.Path;
  if (!H || Asked == 0 || Normal.Error != PathError::None) {
    Ctx.Err << "peapodc: warning: audit line " << LineNo << ": "
            << (!H ? "no pea '" + escapeForTerminal(E.Pea) + "' in pod '" +
                         escapeForTerminal(E.Pod) + "'"
                   : std::string("no access or path to suggest a rule for"))
            << "; skipped\n";
    return;
  }
  uint8_t Now = Eval.access(*H, Path, false).Access;
  if ((Now & Asked) == Asked)
    return; // the policy already allows it
  auto Key = std::make_tuple(E.Pod, E.Pea, Path);
  auto [It, New] = Index.emplace(Key, Needs.size());
  if (New)
    Needs.push_back({E.Pod, E.Pea, Path, Now});
  Needs[It->second].Access |= Asked;
}

std::string Suggester::patch(llvm::StringRef Text, const char *Base) {
  std::vector<Edit> Edits;
  const ast::File *F = C.mainFile();
  for (const ast::PodDecl &Pod : F->Pods)
    for (const ast::PeaDecl &Pea : Pod.Peas) {
      std::vector<const Need *> Mine;
      for (const Need &N : Needs)
        if (N.Pod == Pod.PodName.Text && N.Pea == Pea.PeaName.Text)
          Mine.push_back(&N);
      std::stable_sort(Mine.begin(), Mine.end(),
                       [](const Need *A, const Need *B) {
                         if (depth(A->Path) != depth(B->Path))
                           return depth(A->Path) > depth(B->Path);
                         return A->Path < B->Path;
                       });
      std::string Inserted, Indent = "    ";
      if (!Pea.Rules.empty()) {
        const char *Start = Pea.Rules.front().Range.Start.getPointer();
        const char *Line = Start;
        while (Line > Base && Line[-1] != '\n' && Line[-1] != '\r')
          --Line;
        Indent.assign(Line, Start);
        if (Indent.find_first_not_of(" \t") != std::string::npos)
          Indent = "    ";
      }
      for (const Need *N : Mine) {
        const ast::Rule *Existing = nullptr;
        llvm::SmallVector<llvm::SMRange, 4> Values;
        for (const ast::Rule &R : Pea.Rules)
          if (!R.Broken && R.Kind == ast::RuleKind::Path && R.Path == N->Path &&
              !valueRanges(R).empty()) {
            Existing = &R;
            Values = valueRanges(R);
          }
        if (Existing) {
          size_t From = Values.front().Start.getPointer() - Base;
          size_t To = Values.back().End.getPointer() - Base;
          Edits.push_back({From, To - From, accessWords(N->Access)});
          continue;
        }
        Inserted += Indent + "path " + quotePathForDisplay(N->Path) + " " +
                    accessWords(N->Access) + "\n";
      }
      if (Inserted.empty())
        continue;
      // Before the closing brace: at the start of its line if it stands
      // alone there, else on lines of their own, the brace on the next one
      // at the pea's indentation.
      const char *Brace = Pea.Range.End.getPointer();
      while (Brace > Base && *Brace != '}')
        --Brace;
      const char *Blank = Brace;
      while (Blank > Base && (Blank[-1] == ' ' || Blank[-1] == '\t'))
        --Blank;
      if (Blank == Base || Blank[-1] == '\n' || Blank[-1] == '\r') {
        Edits.push_back({size_t(Blank - Base), 0, Inserted});
        continue;
      }
      const char *PeaStart = Pea.Range.Start.getPointer(), *PeaLine = PeaStart;
      while (PeaLine > Base && (PeaLine[-1] == ' ' || PeaLine[-1] == '\t'))
        --PeaLine;
      Edits.push_back({size_t(Blank - Base), size_t(Brace - Blank),
                       "\n" + Inserted + std::string(PeaLine, PeaStart)});
    }
  std::sort(Edits.begin(), Edits.end(),
            [](const Edit &A, const Edit &B) { return A.Offset > B.Offset; });
  std::string Out = Text.str();
  for (const Edit &E : Edits)
    Out.replace(E.Offset, E.Length, E.Text);
  return Out;
}

} // namespace

int runSuggest(const std::vector<std::string> &Args, const Context &Ctx) {
  ArgCursor Cursor(Args, "peapodc suggest --help");
  std::vector<std::string> Inputs;
  CompileOptions Opts = defaultCompileOptions();
  while (!Cursor.done()) {
    std::string Error;
    if (parseCompileOption(Cursor, Opts, Error))
      continue;
    if (!Error.empty())
      return Ctx.usage(Error);
    if (auto P = Cursor.rest(Error))
      Inputs.push_back(*P);
    else if (!Error.empty())
      return Ctx.usage(Error);
  }
  if (Inputs.size() != 2)
    return Ctx.usage("suggest takes an audit log and a policy source (see "
                     "peapodc suggest --help)");
  if (Inputs[0] == "-" && Inputs[1] == "-")
    return Ctx.usage("standard input ('-') can be read only once");
  std::unique_ptr<llvm::MemoryBuffer> Log = readInput(Inputs[0], Ctx);
  if (!Log)
    return ExitUsage;
  PolicyInput In;
  if (int Status = readPolicyOrImage(Inputs[1], Opts, Ctx, In))
    return Status;
  if (!In.Source)
    return Ctx.usage("'" + Inputs[1] +
                     "' is a compiled image: suggest edits the policy source");
  const Compilation &C = *In.Source;
  Suggester S(C, Ctx);
  unsigned LineNo = 0;
  for (llvm::StringRef Line : splitLines(Log->getBuffer())) {
    ++LineNo;
    Line = Line.rtrim("\r\n");
    if (Line.trim().empty())
      continue;
    auto E = runtime::parseAuditLine(Line);
    if (!E) {
      Ctx.Err << "peapodc: warning: " << escapeForTerminal(Inputs[0]) << ":"
              << LineNo << ": not an audit line; skipped\n";
      continue;
    }
    if (E->Operation == "exec-mismatch")
      continue; // a race, not a rule: nothing to allow
    S.add(*E, LineNo);
  }
  if (S.needs().empty())
    return ExitOK;
  const llvm::MemoryBuffer *Main =
      C.sourceMgr().getMemoryBuffer(C.bufferOf(*C.mainFile()));
  llvm::StringRef Text = Main->getBuffer();
  std::string Patched = S.patch(Text, Text.data());
  // Hold the patch to its promise: it compiles and allows every event.
  Compilation Check(Opts);
  bool Ok = Check.compileBuffer(Main->getBufferIdentifier(), Patched);
  ReferenceEvaluator Eval(Check.policy());
  for (const auto &N : S.needs()) {
    auto H = Ok ? Eval.findPea(N.Pod, N.Pea) : std::nullopt;
    Ok = H && (Eval.access(*H, N.Path, false).Access & N.Access) == N.Access;
  }
  if (!Ok) {
    Ctx.Err << "peapodc: error: the suggested rules do not compile or do not "
               "allow what was logged (a bug: please report it)\n";
    return ExitPolicyError;
  }
  std::string Name = Inputs[1] == "-" ? "policy.pea" : Inputs[1];
  Ctx.Out << unifiedDiff(Text, Patched, "a/" + Name, "b/" + Name);
  return ExitOK;
}

} // namespace peapod::driver
