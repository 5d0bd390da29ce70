//===- Format.cpp - peapodc fmt: rewrite policies in the canonical style --===//
//
// The formatting itself is compiler/'s Formatter (the language server's too);
// this reads the files, writes them back through OutputFile, and prints
// diffs for --check.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "peapod/DiagnosticRender.h"
#include "peapod/Formatter.h"
#include "peapod/InputFile.h"
#include "peapod/OutputFile.h"
#include "peapod/TextDiff.h"
#include "peapod/TextEscape.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include <algorithm>

namespace peapod::driver {

namespace {

struct FormatRequest {
  bool Check = false;
  std::vector<std::string> Inputs;
};

/// Whether a directory walk formats `Name`.
bool isPolicySource(llvm::StringRef Name) {
  return Name.endswith(".pea") || Name.endswith(".rules");
}

/// The policies and rule groups under directory `Dir`, in sorted order.
/// Names starting with '.' are skipped, and symbolic links are not
/// followed (a link is formatted only when named on the command line).
std::error_code listSources(const std::string &Dir,
                            std::vector<std::string> &Out) {
  std::error_code EC;
  std::vector<std::string> Found;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC, false), End;
       It != End && !EC; It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    if (Name.startswith(".")) {
      It.no_push();
      continue;
    }
    if (It->type() == llvm::sys::fs::file_type::regular_file &&
        isPolicySource(Name))
      Found.push_back(It->path());
  }
  std::sort(Found.begin(), Found.end());
  Out.insert(Out.end(), Found.begin(), Found.end());
  return EC;
}

class FileFormatter {
public:
  FileFormatter(const FormatRequest &Req, const Context &Ctx)
      : Req(Req), Ctx(Ctx) {}

  /// Formats one input; returns its exit status.
  int run(const std::string &Path);

private:
  int fail(const llvm::Twine &Message) const {
    return Ctx.usage(Message);
  }
  int write(const std::string &Path, llvm::StringRef Text) const;

  const FormatRequest &Req;
  const Context &Ctx;
};

int FileFormatter::run(const std::string &Path) {
  bool Stdin = Path == "-";
  // In place, only a regular file (or a link to one) can be replaced; look
  // before reading, which would drain a FIFO.
  if (!Stdin && !Req.Check) {
    llvm::sys::fs::file_status S;
    if (!llvm::sys::fs::status(Path, S) &&
        S.type() != llvm::sys::fs::file_type::regular_file &&
        S.type() != llvm::sys::fs::file_type::directory_file)
      return fail("cannot format '" + Path +
                  "' in place: it is not a regular file (use 'peapodc fmt - "
                  "< FILE', or --check)");
  }
  std::unique_ptr<llvm::MemoryBuffer> Bytes = readInput(Path, Ctx);
  if (!Bytes)
    return ExitUsage;
  if (isImage(Bytes->getBuffer()))
    return fail("'" + Path + "' is a compiled image, not a policy source");
  std::string Name = Stdin ? StdinName.str() : Path;

  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(std::move(Bytes), llvm::SMLoc());
  llvm::StringRef Original = SM.getMemoryBuffer(ID)->getBuffer();
  DiagnosticEngine Diags(SM);
  DiagnosticOptions Opts;
  Opts.ErrorLimit = DefaultErrorLimit;
  Diags.setOptions(Opts);
  FormatResult R = formatBuffer(SM, ID, Diags);

  if (!R.Formatted) {
    TextStyle Style;
    Style.Colors = Ctx.Colors;
    printDiagnostics(Diags, Ctx.Err, Style);
    Ctx.Err << "peapodc: error: " << escapeForTerminal(Name)
            << " left unchanged: " << R.Reason << "\n";
    if (Stdin && !Req.Check)
      Ctx.Out << Original; // a filter hands back what it was given
    return ExitPolicyError;
  }
  if (Req.Check) {
    if (!R.changed())
      return ExitOK;
    Ctx.Out << unifiedDiff(Original, R.Text, "a/" + Name, "b/" + Name);
    return ExitPolicyError;
  }
  if (Stdin) {
    Ctx.Out << R.Text;
    return ExitOK;
  }
  return R.changed() ? write(Path, R.Text) : ExitOK;
}

/// Replaces the file: a temporary beside it renamed over it (through a
/// symbolic link, to its target), with the old file's mode.
int FileFormatter::write(const std::string &Path, llvm::StringRef Text) const {
  auto Out = OutputFile::create(Path);
  if (!Out)
    return fail(llvm::toString(Out.takeError()));
  (*Out)->os() << Text;
  if (llvm::Error E = (*Out)->commit())
    return fail(llvm::toString(std::move(E)));
  return ExitOK;
}

} // namespace

int runFormat(const std::vector<std::string> &Args, const Context &Ctx) {
  ArgCursor Cursor(Args);
  FormatRequest Req;
  while (!Cursor.done()) {
    std::string Error;
    if (Cursor.flag("--check")) {
      Req.Check = true;
    } else if (auto P = Cursor.rest(Error)) {
      Req.Inputs.push_back(*P);
    } else if (!Error.empty()) {
      return Ctx.usage(Error);
    }
  }
  if (Req.Inputs.empty())
    return Ctx.usage("no input (a file, a directory, or '-' for standard "
                     "input; see peapodc fmt --help)");
  if (std::count(Req.Inputs.begin(), Req.Inputs.end(), "-") > 1)
    return Ctx.usage("standard input ('-') can be formatted only once");

  int Status = ExitOK;
  FileFormatter F(Req, Ctx);
  for (const std::string &Input : Req.Inputs) {
    std::vector<std::string> Files;
    if (Input != "-" && llvm::sys::fs::is_directory(Input)) {
      if (std::error_code EC = listSources(Input, Files))
        Status = std::max(Status, Ctx.usage("cannot list '" + Input +
                                            "': " + EC.message()));
    } else {
      Files.push_back(Input);
    }
    for (const std::string &File : Files)
      Status = std::max(Status, F.run(File));
  }
  return Status;
}

} // namespace peapod::driver
