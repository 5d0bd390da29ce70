//===- FormatMeaningTest.cpp - Formatting never changes what a policy means -===//
//
// The formatted text must compile to the identical image (without source
// locations, which move with the lines) and the identical diagnostics, and
// formatting it again must change nothing. Held to that on every example,
// every shipped rule group and thousands of random policies (with their
// rule groups), each written in random but valid spellings: whitespace,
// comments and line breaks between any two tokens, LF, CRLF, CR or mixed
// line endings, a byte order mark, `read,write` in any order, unquoted
// paths, doubled and trailing slashes. Random errors (an unknown pea,
// `read, allow`, a bad port, a relative path) must survive formatting as
// they were; random syntax errors must leave the file alone.
//
//===----------------------------------------------------------------------===//
#include "FormatTestUtil.h"
#include "Lexer.h"
#include "PeaPodLexer.h"
#include "RandomPolicy.h"
#include "peapod/Compilation.h"
#include "peapod/ImageWriter.h"
#include "peapod/Workspace.h"
#include <filesystem>
#include <map>
#include <random>

namespace fs = std::filesystem;
using namespace peapod;
using namespace peapod::test;
using grammar::PeaPodLexer;

namespace {

using FileSet = std::map<std::string, std::string>; ///< path -> text

/// What compiling gives: every diagnostic (code and message) and the image.
struct Outcome {
  std::vector<std::string> Diagnostics;
  std::string Image; ///< empty if the policy has errors or is a rule group
  bool operator==(const Outcome &) const = default;
};

/// Compiles `Main` with `Files` standing in for the files on disk.
Outcome compile(const FileSet &Files, const std::string &Main) {
  Workspace WS;
  for (const auto &[Path, Text] : Files)
    WS.setBuffer(Path, Text);
  CompileOptions Opts;
  Opts.StdRulesDir = PEAPOD_SOURCE_DIR "/stdrules";
  Compilation C(Opts, &WS);
  C.compileFile(Main);
  Outcome O;
  for (const Diagnostic &D : C.diags().diagnostics())
    O.Diagnostics.push_back(std::string(D.code()) + " " + D.Message);
  if (!C.diags().hasErrors() && !llvm::StringRef(Main).endswith(".rules")) {
    ImageWriteOptions Image;
    Image.Locations = false;
    O.Image = writeImage(C.policy(), Image);
  }
  return O;
}

/// Every file formatted (each must be formattable and a fixed point).
FileSet formatAll(const FileSet &Files) {
  FileSet Out;
  for (const auto &[Path, Text] : Files) {
    INFO(Path << ":\n" << Text);
    Out[Path] = fmt(Text);
  }
  return Out;
}

/// The sources under `Dir`, read from disk, by path.
FileSet sourcesUnder(const std::string &Dir) {
  FileSet Files;
  for (const auto &E : fs::recursive_directory_iterator(Dir))
    if (E.is_regular_file() && (E.path().extension() == ".pea" ||
                                E.path().extension() == ".rules"))
      Files[E.path().string()] = readFile(E.path().string());
  return Files;
}

struct Tok {
  size_t Type;
  std::string Text;
};

std::vector<Tok> tokens(const std::string &Text) {
  std::vector<Tok> Out;
  PolicyLexer L(Text, nullptr);
  for (;;) {
    auto T = L.nextToken();
    if (T->getType() == antlr4::Token::EOF)
      return Out;
    Out.push_back({T->getType(), T->getText()});
  }
}

bool isPunctuation(size_t Type) {
  return Type == PeaPodLexer::LBRACE || Type == PeaPodLexer::RBRACE ||
         Type == PeaPodLexer::COMMA;
}

/// What a Spelling may change.
struct Variation {
  bool Comments = true;   ///< comments between tokens
  bool BlankLines = true; ///< more than one line break between tokens
  bool LineEndings = true; ///< CRLF, CR or mixed instead of LF
  bool ByteOrderMark = true;
  bool Paths = true; ///< unquoted, doubled and trailing slashes
};

/// Rewrites a policy's text in random spellings of the same tokens.
class Respeller {
public:
  Respeller(uint32_t Seed, Variation V) : Rng(Seed), V(V) {
    unsigned Style = V.LineEndings ? pick(4) : 0;
    EOLStyle = Style;
  }

  std::string respell(std::vector<Tok> Toks) {
    reorderAccessLists(Toks);
    std::string Out = V.ByteOrderMark && chance(10) ? "\xEF\xBB\xBF" : "";
    Out += separator(true);
    for (size_t I = 0; I < Toks.size(); ++I) {
      if (I)
        Out += separator(isPunctuation(Toks[I - 1].Type) ||
                         isPunctuation(Toks[I].Type));
      bool IsPath = Toks[I].Type == PeaPodLexer::STRING && I > 0 &&
                    Toks[I - 1].Type != PeaPodLexer::INCLUDE;
      Out += IsPath ? path(Toks[I].Text) : Toks[I].Text;
    }
    return Out + separator(true);
  }

  uint32_t pick(uint32_t N) { return Rng() % N; }
  bool chance(uint32_t Percent) { return pick(100) < Percent; }

private:
  std::string eol() {
    switch (EOLStyle) {
    case 1:
      return "\r\n";
    case 2:
      return "\r";
    case 3:
      return pick(3) == 0 ? "\n" : pick(2) ? "\r\n" : "\r";
    default:
      return "\n";
    }
  }

  /// What stands between two tokens: may be empty next to a brace or comma.
  std::string separator(bool MayBeEmpty) {
    static const char *const Comments[] = {
        "#", "# a comment", "#{", "# }", "# \"quoted", "# path /x read",
        "#\tt\xC3\xA9", "##", "# , ,", "#pod p { }"};
    std::string S;
    bool LineBreak = false; // two would make a blank line
    for (uint32_t N = MayBeEmpty ? pick(3) : 1 + pick(2); N; --N) {
      uint32_t What = pick(100);
      if (What < 45)
        S += " ";
      else if (What < 55)
        S += "\t";
      else if (What < 60)
        S += "   \f";
      else if (What < 80 && (V.BlankLines || !LineBreak))
        S += eol(), LineBreak = true;
      else if (What < 88 && V.BlankLines)
        S += eol() + eol();
      else if (V.Comments)
        S += std::string(pick(2) ? " " : "") +
             Comments[pick(std::size(Comments))] + eol();
      else
        S += " ";
    }
    return S;
  }

  /// A quoted path, maybe unquoted, with doubled or a trailing slash.
  std::string path(const std::string &Quoted) {
    if (!V.Paths)
      return Quoted;
    std::string P = Quoted.substr(1, Quoted.size() - 2);
    if (chance(20) && !P.empty()) {
      size_t Slash = P.find('/', pick(unsigned(P.size())));
      if (Slash != std::string::npos)
        P.insert(Slash, "/");
    }
    if (chance(15) && P != "/")
      P += "/";
    bool NeedsQuotes = P.find_first_of(" \t,{}#\"\\") != std::string::npos ||
                       P.empty() || P.front() != '/';
    return NeedsQuotes || chance(40) ? "\"" + P + "\"" : P;
  }

  /// Shuffles the words of each access list (`read, write, execute`).
  void reorderAccessLists(std::vector<Tok> &Toks) {
    for (size_t I = 0; I + 2 < Toks.size(); ++I) {
      if (Toks[I].Type != PeaPodLexer::PATH_KW &&
          Toks[I].Type != PeaPodLexer::DIR_DEFAULT)
        continue;
      std::vector<size_t> Words;
      for (size_t J = I + 2; J < Toks.size(); J += 2) {
        Words.push_back(J);
        if (J + 1 >= Toks.size() || Toks[J + 1].Type != PeaPodLexer::COMMA)
          break;
      }
      for (size_t K = Words.size(); K > 1; --K)
        std::swap(Toks[Words[K - 1]].Text, Toks[Words[pick(unsigned(K))]].Text);
    }
  }

  std::mt19937 Rng;
  Variation V;
  unsigned EOLStyle;
};

/// A random policy and its rule groups, as files in one directory.
FileSet randomPolicy(uint32_t Seed, const std::string &Dir) {
  RandomPolicy P(Seed);
  FileSet Files{{Dir + "/test.pea", P.text()}};
  for (const auto &[Name, Text] : P.groups())
    Files[Dir + "/" + Name] = Text;
  return Files;
}

FileSet respellAll(const FileSet &Files, uint32_t Seed, Variation V) {
  FileSet Out;
  uint32_t N = 0;
  for (const auto &[Path, Text] : Files)
    Out[Path] = Respeller(Seed * 131 + N++, V).respell(tokens(Text));
  return Out;
}

/// Holds formatting to its promises on `Files`, whose main file is `Main`.
void checkMeaningKept(const FileSet &Files, const std::string &Main,
                      bool ExpectImage) {
  Outcome Before = compile(Files, Main);
  if (ExpectImage) {
    INFO(Before.Diagnostics.size() << " diagnostics, first: "
                                   << (Before.Diagnostics.empty()
                                           ? ""
                                           : Before.Diagnostics.front()));
    REQUIRE(!Before.Image.empty());
  }
  FileSet Formatted = formatAll(Files);
  Outcome After = compile(Formatted, Main);
  CHECK(After.Diagnostics == Before.Diagnostics);
  CHECK((After.Image == Before.Image));
}

} // namespace

TEST_CASE("every example means the same formatted") {
  FileSet Examples = sourcesUnder(PEAPOD_SOURCE_DIR "/examples");
  REQUIRE(Examples.size() >= 15);
  for (const auto &[Path, Text] : Examples) {
    INFO(Path);
    FormatResult R = formatChecked(Text);
    if (!R.Formatted) {
      // Only the example of an unquoted relative path has a token no rule
      // holds.
      CHECK(fs::path(Path).filename() == "relative-path.pea");
      continue;
    }
    FileSet Mixed = Examples;
    Mixed[Path] = R.Text;
    CHECK(compile(Mixed, Path) == compile(Examples, Path));
  }
}

TEST_CASE("every shipped rule group means the same formatted") {
  FileSet Groups = sourcesUnder(PEAPOD_SOURCE_DIR "/stdrules");
  REQUIRE(Groups.size() >= 8);
  FileSet Formatted = formatAll(Groups);
  for (const auto &[Path, Text] : Groups) {
    INFO(Path);
    // The group checked on its own, and included in a pea (the image).
    CHECK(compile(Formatted, Path) == compile(Groups, Path));
    std::string Name = fs::path(Path).stem().string();
    std::string Main = PEAPOD_SOURCE_DIR "/stdrules-test.pea";
    FileSet With = Groups, FormattedWith = Formatted;
    With[Main] = FormattedWith[Main] =
        "pod t {\n  pea p {\n    include \"" + Name + "\"\n  }\n}\n";
    Outcome Before = compile(With, Main);
    REQUIRE(!Before.Image.empty());
    CHECK(compile(FormattedWith, Main) == Before);
  }
}

TEST_CASE("random policies in random spellings mean the same formatted") {
  const std::string Dir = "/peapod-format-test";
  for (uint32_t Seed = 1; Seed <= 1500; ++Seed) {
    INFO("seed " << Seed);
    FileSet Files = respellAll(randomPolicy(Seed, Dir), Seed, {});
    checkMeaningKept(Files, Dir + "/test.pea", true);
  }
}

TEST_CASE("the layout of a policy does not change its formatted text") {
  // Spaces, tabs and single line breaks anywhere, commas spaced or not,
  // access words in any order: one canonical text.
  const std::string Dir = "/peapod-format-test";
  Variation LayoutOnly{false, false, false, false, false};
  for (uint32_t Seed = 1; Seed <= 500; ++Seed) {
    INFO("seed " << Seed);
    FileSet Plain = randomPolicy(Seed, Dir);
    FileSet Canonical = formatAll(Plain);
    CHECK(formatAll(respellAll(Plain, Seed, LayoutOnly)) == Canonical);
  }
}

namespace {

/// Replaces one token of `Text` with something that makes the policy
/// wrong without making it unparsable, or (if `Syntax`) unparsable.
std::string mutate(const std::string &Text, Respeller &R, bool Syntax) {
  std::vector<Tok> Toks = tokens(Text);
  if (Toks.empty())
    return Text;
  size_t I = R.pick(unsigned(Toks.size()));
  Tok &T = Toks[I];
  if (Syntax) {
    static const char *const Junk[] = {"@", "{", "}", ",", "\"open", "pea",
                                       "read", "tcp/25", "é"};
    if (R.chance(50))
      Toks.erase(Toks.begin() + long(I));
    else
      Toks.insert(Toks.begin() + long(I),
                  {PeaPodLexer::NAME, Junk[R.pick(std::size(Junk))]});
  } else if (T.Type == PeaPodLexer::READ || T.Type == PeaPodLexer::WRITE ||
             T.Type == PeaPodLexer::EXECUTE) {
    T.Text = R.chance(50) ? "allow" : "deny"; // E201 in a list
  } else if (T.Type == PeaPodLexer::NETSPEC) {
    static const char *const Bad[] = {"tcp/0", "icmp/25", "tcp/9-3",
                                      "udp/65536"};
    T.Text = Bad[R.pick(std::size(Bad))];
  } else if (T.Type == PeaPodLexer::STRING && I > 0 &&
             Toks[I - 1].Type != PeaPodLexer::INCLUDE) {
    static const char *const Bad[] = {"\"a/b\"", "\"/a/../b\"", "\"/a\\qb\"",
                                      "\"\""};
    T.Text = Bad[R.pick(std::size(Bad))];
  } else if (T.Type == PeaPodLexer::NAME && I > 0 &&
             Toks[I - 1].Type != PeaPodLexer::POD &&
             Toks[I - 1].Type != PeaPodLexer::PEA) {
    T.Text = R.chance(50) ? "zz" : "global"; // E301, E304 or W310
  } else if (T.Type == PeaPodLexer::NAME) {
    T.Text = "global"; // E304, or a duplicate
  }
  std::string Out;
  for (const Tok &X : Toks)
    Out += X.Text + (R.chance(20) ? "\n" : " ");
  return Out;
}

} // namespace

TEST_CASE("errors survive formatting as they were") {
  const std::string Dir = "/peapod-format-test";
  for (uint32_t Seed = 1; Seed <= 600; ++Seed) {
    INFO("seed " << Seed);
    FileSet Files = randomPolicy(Seed, Dir);
    Respeller R(Seed, {});
    for (auto &[Path, Text] : Files)
      if (R.chance(60))
        Text = mutate(Text, R, false);
    Files = respellAll(Files, Seed, {});
    checkMeaningKept(Files, Dir + "/test.pea", false);
  }
}

TEST_CASE("syntax errors leave a file alone, or it still means the same") {
  const std::string Dir = "/peapod-format-test";
  unsigned Refused = 0;
  for (uint32_t Seed = 1; Seed <= 600; ++Seed) {
    INFO("seed " << Seed);
    FileSet Files = randomPolicy(Seed, Dir);
    Respeller R(Seed, {});
    std::string &Main = Files[Dir + "/test.pea"];
    Main = R.respell(tokens(mutate(Main, R, true)));
    INFO(Main);
    FormatResult F = formatChecked(Main);
    if (!F.Formatted) {
      ++Refused;
      continue;
    }
    // The change left a valid policy.
    CHECK(formatChecked(F.Text).Text == F.Text);
    FileSet After = Files;
    After[Dir + "/test.pea"] = F.Text;
    CHECK(compile(After, Dir + "/test.pea") == compile(Files, Dir + "/test.pea"));
  }
  CHECK(Refused > 300);
}
