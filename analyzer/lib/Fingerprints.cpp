//===- Fingerprints.cpp ---------------------------------------------------===//
#include "peapod/analyzer/Fingerprints.h"
#include "peapod/Compilation.h"
#include "peapod/TextEscape.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/xxhash.h"
#include <algorithm>
#include <nlohmann/json.hpp>

namespace peapod::analyzer {

std::string messageWithoutLines(llvm::StringRef Message) {
  // ":12" and ":12:5" after a file name go; other numbers (ports, counts)
  // stay.
  std::string Out;
  for (size_t I = 0; I < Message.size();) {
    if (Message[I] == ':' && I + 1 < Message.size() &&
        llvm::isDigit(Message[I + 1]) && I > 0 &&
        !llvm::isDigit(Message[I - 1])) {
      size_t J = I + 1;
      while (J < Message.size() &&
             (llvm::isDigit(Message[J]) ||
              (Message[J] == ':' && J + 1 < Message.size() &&
               llvm::isDigit(Message[J + 1]))))
        ++J;
      I = J;
      continue;
    }
    Out += Message[I++];
  }
  return Out;
}

namespace {

std::string hex(uint64_t H) {
  std::string S;
  llvm::raw_string_ostream(S) << llvm::format_hex_no_prefix(H, 16);
  return S;
}

/// A line with its blanks collapsed and trimmed: re-indenting keeps it.
std::string normalisedLine(llvm::StringRef Line) {
  std::string Out;
  bool Blank = false;
  for (char Ch : Line.trim(" \t\r\f\v")) {
    bool IsBlank = Ch == ' ' || Ch == '\t' || Ch == '\r';
    if (IsBlank && !Blank)
      Out += ' ';
    else if (!IsBlank)
      Out += Ch;
    Blank = IsBlank;
  }
  return Out;
}

/// The declaration of `Decls` (in source order) whose range holds `P`, or
/// null: a binary search, as a large policy has many findings and peas.
template <typename Decl>
const Decl *enclosing(const std::vector<Decl> &Decls, const char *P) {
  auto It = std::upper_bound(Decls.begin(), Decls.end(), P,
                             [](const char *At, const Decl &D) {
                               return At < D.Range.Start.getPointer();
                             });
  if (It == Decls.begin())
    return nullptr;
  --It;
  return P <= It->Range.End.getPointer() ? &*It : nullptr;
}

/// "POD/PEA" for a location in a pea of the main file, "POD" in a pod,
/// else "".
std::string context(const Compilation &C, llvm::SMLoc Loc) {
  const ast::File *Main = C.mainFile();
  if (!Main || !Loc.isValid())
    return "";
  const ast::PodDecl *Pod = enclosing(Main->Pods, Loc.getPointer());
  if (!Pod)
    return "";
  const ast::PeaDecl *Pea = enclosing(Pod->Peas, Loc.getPointer());
  return Pea ? Pod->PodName.Text + "/" + Pea->PeaName.Text : Pod->PodName.Text;
}

} // namespace

std::vector<Fingerprint> fingerprints(const Compilation &C,
                                      llvm::ArrayRef<size_t> Indices) {
  const DiagnosticEngine &E = C.diags();
  const SourcePositions &Pos = E.positions();
  // Per buffer, the occurrence of each line's hash up to each line: built
  // when a finding is first found in the buffer.
  llvm::DenseMap<unsigned, std::vector<std::string>> LineHashes;
  auto lineHashes = [&](unsigned Buffer) -> const std::vector<std::string> & {
    auto [It, New] = LineHashes.try_emplace(Buffer);
    if (New) {
      const LineTable &Lines = Pos.lines(Buffer);
      llvm::StringMap<unsigned> Seen;
      for (unsigned L = 1; L <= Lines.lineCount(); ++L) {
        std::string H = hex(llvm::xxHash64(normalisedLine(Lines.lineText(L))));
        It->second.push_back(H + ":" + std::to_string(++Seen[H]));
      }
    }
    return It->second;
  };

  std::vector<Fingerprint> Out;
  llvm::StringMap<unsigned> Seen;
  for (size_t Index : Indices) {
    const Diagnostic &D = E.diagnostics()[Index];
    unsigned Buffer = 0;
    LineColumn LC = Pos.lineColumn(D.Range.Start, &Buffer);
    std::string Line, File;
    Fingerprint F;
    if (Buffer) {
      Line = normalisedLine(Pos.lines(Buffer).lineText(LC.Line));
      File = C.displayName(Buffer).str();
      F.LineHash = lineHashes(Buffer)[LC.Line - 1];
    } else {
      F.LineHash = hex(llvm::xxHash64("")) + ":1";
    }
    std::string Key;
    for (const std::string &Part :
         {std::string(D.code()), File, context(C, D.Range.Start), Line,
          messageWithoutLines(D.Message)})
      Key += Part + '\0';
    std::string H = hex(llvm::xxHash64(Key));
    F.Finding = H + ":" + std::to_string(++Seen[H]);
    Out.push_back(std::move(F));
  }
  return Out;
}

llvm::Expected<Baseline> Baseline::parse(llvm::StringRef Text,
                                         llvm::StringRef Name) {
  auto Fail = [&](const std::string &Why) {
    return llvm::createStringError(std::errc::invalid_argument,
                                   "%s: %s", Name.str().c_str(), Why.c_str());
  };
  nlohmann::json J;
  try {
    J = nlohmann::json::parse(Text.begin(), Text.end());
  } catch (const nlohmann::json::parse_error &E) {
    LineColumn P = LineTable(Text).position(
        std::min<size_t>(E.byte ? E.byte - 1 : 0, Text.size()));
    return Fail(std::to_string(P.Line) + ":" + std::to_string(P.Column) +
                ": not valid JSON");
  }
  if (!J.is_object() || J.value("version", 0) != 1 ||
      !J.contains("findings") || !J["findings"].is_array())
    return Fail("not a peapod lint baseline (an object with \"version\": 1 "
                "and a \"findings\" list; write one with --write-baseline)");
  Baseline B;
  for (const nlohmann::json &F : J["findings"]) {
    if (!F.is_object() || !F.contains("fingerprint") ||
        !F["fingerprint"].is_string())
      return Fail("finding " + std::to_string(B.Total + 1) +
                  " has no \"fingerprint\" string");
    ++B.Left[F["fingerprint"].get<std::string>()];
    ++B.Total;
  }
  return B;
}

std::string Baseline::write(llvm::ArrayRef<Entry> Entries) {
  nlohmann::json Findings = nlohmann::json::array();
  for (const Entry &E : Entries)
    Findings.push_back({{"fingerprint", E.Fingerprint},
                        {"id", E.ID},
                        {"file", escapeInvalidUtf8(E.File)},
                        {"line", E.Line},
                        {"message", escapeInvalidUtf8(E.Message)}});
  return nlohmann::json{{"version", 1}, {"findings", Findings}}.dump(2) + "\n";
}

bool Baseline::take(llvm::StringRef Fingerprint) {
  auto It = Left.find(Fingerprint);
  if (It == Left.end() || It->second == 0)
    return false;
  --It->second;
  return true;
}

} // namespace peapod::analyzer
