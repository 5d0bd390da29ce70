//===- Completion.cpp - What may come next at the cursor ------------------===//
//
// The context is read from the text before the cursor, which is what the
// user is typing (the tree may not have caught up): how deep in braces the
// cursor is (top level, a pod, a pea), and the words of the rule so far.
// Offered: the keywords valid there, access values after a path, pea names
// of the pod after `transition PATH` and `namespace`, rule-group names from
// the include path and stdrules inside `include "`, and the machine's paths
// under a typed `/prefix`.
//
//===----------------------------------------------------------------------===//
#include "Features.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <set>

namespace peapod::lsp {

namespace {

// LSP CompletionItemKind values.
constexpr int KindKeyword = 14, KindValue = 12, KindClass = 7, KindFile = 17,
              KindFolder = 19, KindModule = 9;
constexpr size_t MaxPaths = 200;

/// Brace depth at `Offset`, skipping comments and strings.
unsigned depthAt(llvm::StringRef Text, size_t Offset) {
  unsigned Depth = 0;
  bool InComment = false, InString = false;
  for (size_t I = 0; I < Offset && I < Text.size(); ++I) {
    char C = Text[I];
    if (InComment) {
      InComment = C != '\n' && C != '\r';
    } else if (InString) {
      if (C == '\\')
        ++I;
      else if (C == '"' || C == '\n')
        InString = false;
    } else if (C == '#') {
      InComment = true;
    } else if (C == '"') {
      InString = true;
    } else if (C == '{') {
      ++Depth;
    } else if (C == '}' && Depth) {
      --Depth;
    }
  }
  return Depth;
}

/// `"NAME"`, as an include names a rule group.
std::string quoted(const std::string &Name) {
  std::string Q = "\"";
  Q += Name;
  Q += '"';
  return Q;
}

json item(const std::string &Label, int Kind) {
  return {{"label", Label}, {"kind", Kind}};
}

/// The pod the offset is in (or the last one begun before it).
const ast::PodDecl *podAt(const Analysis &A, size_t Offset) {
  const ast::PodDecl *Found = nullptr;
  if (const ast::File *F = A.tree())
    for (const ast::PodDecl &P : F->Pods)
      if (A.inMain(P.Range.Start) && A.offsetOf(P.Range.Start) <= Offset)
        Found = &P;
  return Found;
}

void ruleGroups(const Analysis &A, const ServerConfig &Config, json &Items) {
  std::vector<std::string> Dirs = {
      llvm::sys::path::parent_path(A.path()).str()};
  Dirs.insert(Dirs.end(), Config.Compile.IncludeDirs.begin(),
              Config.Compile.IncludeDirs.end());
  Dirs.push_back(Config.Compile.StdRulesDir.empty()
                     ? defaultStdRulesDir()
                     : Config.Compile.StdRulesDir);
  std::set<std::string> Names;
  for (const std::string &Dir : Dirs) {
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
         It.increment(EC))
      if (llvm::sys::path::extension(It->path()) == ".rules")
        Names.insert(llvm::sys::path::stem(It->path()).str());
  }
  for (const std::string &N : Names) {
    json I = item(N, KindModule);
    I["detail"] = "rule group";
    Items.push_back(std::move(I));
  }
}

/// Entries of the machine's directory above `Typed` (an absolute path being
/// typed) whose names start with what follows its last '/'.
void machinePaths(const Analysis &A, llvm::StringRef Typed, size_t TypedAt,
                  size_t Cursor, json &Items) {
  size_t Slash = Typed.rfind('/');
  std::string Dir = Slash == 0 ? "/" : Typed.substr(0, Slash).str();
  llvm::StringRef Prefix = Typed.substr(Slash + 1);
  std::vector<std::pair<std::string, bool>> Found;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC, false), End;
       It != End && !EC && Found.size() < MaxPaths; It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    if (!Name.startswith(Prefix))
      continue;
    if (Name.find_first_of(" \t,{}#\"") != llvm::StringRef::npos)
      continue; // would need quotes
    Found.push_back({Name.str(), It->type() == llvm::sys::fs::file_type::directory_file});
  }
  std::sort(Found.begin(), Found.end());
  json Range = A.range(TypedAt, Cursor);
  for (const auto &[Name, IsDir] : Found) {
    std::string Full = (Dir == "/" ? "/" : Dir + "/") + Name;
    json I = item(Full, IsDir ? KindFolder : KindFile);
    I["textEdit"] = {{"range", Range}, {"newText", Full}};
    I["filterText"] = Full;
    Items.push_back(std::move(I));
  }
}

} // namespace

json completion(const Analysis &A, const json &Params,
                const ServerConfig &Config) {
  size_t Cursor = A.offset(positionParam(Params));
  llvm::StringRef Text = A.text();
  size_t LineStart = Text.find_last_of("\r\n", Cursor);
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  llvm::StringRef Before = Text.slice(LineStart, Cursor);
  if (size_t Hash = Before.find('#'); Hash != llvm::StringRef::npos &&
                                      Before.count('"') % 2 == 0)
    return json::array(); // in a comment
  json Items = json::array();
  // Inside `include "`: rule-group names.
  if (Before.ltrim().startswith("include") && Before.count('"') == 1) {
    ruleGroups(A, Config, Items);
    return Items;
  }
  // The rule's words so far, and the one being typed.
  llvm::SmallVector<llvm::StringRef, 8> Words;
  llvm::StringRef(Before).split(Words, ' ', -1, false);
  llvm::SmallVector<llvm::StringRef, 8> Clean;
  for (llvm::StringRef W : Words)
    for (llvm::StringRef Part : llvm::split(W, '\t'))
      if (!Part.trim().empty())
        Clean.push_back(Part.trim());
  bool Typing = !Before.empty() && !llvm::isSpace(Before.back()) &&
                Before.back() != ',';
  llvm::StringRef Current = Typing && !Clean.empty() ? Clean.back() : "";
  size_t Done = Clean.size() - (Typing ? 1 : 0);
  llvm::StringRef Keyword = Clean.empty() ? "" : Clean.front();
  unsigned Depth = depthAt(Text, Cursor);

  if (Done == 0) {
    std::vector<const char *> Keywords;
    if (A.isRuleGroup() || Depth >= 2)
      Keywords = {"path", "dir-default", "transition", "outgoing", "bind",
                  "namespace", "include"};
    else if (Depth == 1)
      Keywords = {"pea"};
    else
      Keywords = {"pod"};
    for (const char *K : Keywords)
      Items.push_back(item(K, KindKeyword));
    return Items;
  }
  bool FileRule = Keyword == "path" || Keyword == "dir-default";
  if ((FileRule || Keyword == "transition") && Done == 1) {
    if (Current.startswith("/"))
      machinePaths(A, Current, Cursor - Current.size(), Cursor, Items);
    return Items;
  }
  if (FileRule && Done >= 2) {
    for (const char *V : {"read", "write", "execute", "allow", "deny"})
      Items.push_back(item(V, KindValue));
    return Items;
  }
  if ((Keyword == "transition" && Done == 2) ||
      (Keyword == "namespace" && Done == 1)) {
    if (const ast::PodDecl *Pod = podAt(A, Cursor))
      for (const ast::PeaDecl &Pea : Pod->Peas)
        if (!Pea.PeaName.Text.empty()) {
          json I = item(Pea.PeaName.Text, KindClass);
          I["detail"] = "pea of pod " + Pod->PodName.Text;
          Items.push_back(std::move(I));
        }
    if (Keyword == "namespace")
      Items.push_back(item("global", KindKeyword));
    return Items;
  }
  if (Keyword == "outgoing" || Keyword == "bind")
    for (const char *V : {"allow", "deny", "tcp/", "udp/"})
      Items.push_back(item(V, KindValue));
  if (Keyword == "include" && Done == 1 && Current.empty()) {
    ruleGroups(A, Config, Items);
    for (json &I : Items)
      I["insertText"] = quoted(I["label"].get<std::string>());
  }
  return Items;
}

} // namespace peapod::lsp
