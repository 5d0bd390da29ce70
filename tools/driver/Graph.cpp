//===- Graph.cpp - peapodc graph: the transition graph as a picture -------===//
#include "Commands.h"
#include "peapod/InputFile.h"
#include "peapod/OutputFile.h"
#include "peapod/analyzer/GraphRender.h"

namespace peapod::driver {

namespace {

struct GraphRequest {
  std::string Input;
  std::optional<std::string> Output;
  std::optional<analyzer::GraphFormat> Format;
  analyzer::GraphOptions Opts;
};

std::optional<analyzer::GraphFormat> formatNamed(llvm::StringRef Name) {
  for (auto F : {analyzer::GraphFormat::Dot, analyzer::GraphFormat::Svg,
                 analyzer::GraphFormat::Png, analyzer::GraphFormat::Pdf})
    if (Name == analyzer::graphFormatName(F))
      return F;
  return std::nullopt;
}

/// The format: --format, else the output's extension; `-o -` is dot.
int chooseFormat(GraphRequest &Req, const Context &Ctx) {
  if (Req.Format)
    return ExitOK;
  if (*Req.Output == "-") {
    Req.Format = analyzer::GraphFormat::Dot;
    return ExitOK;
  }
  Req.Format = analyzer::graphFormatOf(*Req.Output);
  if (!Req.Format)
    return Ctx.usage("cannot tell the picture format of '" + *Req.Output +
                     "': name it .dot, .svg, .png or .pdf, or give --format");
  return ExitOK;
}

int parseGraphArgs(const std::vector<std::string> &Args, const Context &Ctx,
                   CompileOptions &Opts, GraphRequest &Req) {
  ArgCursor Cursor(Args, "peapodc graph --help");
  std::vector<std::string> Inputs;
  while (!Cursor.done()) {
    std::string Error;
    if (parseCompileOption(Cursor, Opts, Error)) {
      if (!Error.empty())
        return Ctx.usage(Error);
    } else if (auto O = Cursor.value("-o")) {
      if (O->empty())
        return Ctx.usage("-o needs a file name (or '-' for standard output)");
      Req.Output = *O;
    } else if (auto P = Cursor.value("--pod")) {
      Req.Opts.Pod = *P;
    } else if (auto E = Cursor.value("--entry")) {
      Req.Opts.Entries.push_back(*E);
    } else if (auto F = Cursor.value("--format")) {
      if (!(Req.Format = formatNamed(*F)))
        return Ctx.usage("unknown format '" + *F + "' (dot, svg, png or pdf)");
    } else if (auto P = Cursor.rest(Error)) {
      Inputs.push_back(*P);
    } else if (!Error.empty()) {
      return Ctx.usage(Error);
    }
  }
  if (Inputs.size() != 1)
    return Ctx.usage(Inputs.empty()
                         ? "no input policy (see peapodc graph --help)"
                         : "graph draws one policy at a time");
  if (!Req.Output)
    return Ctx.usage("graph needs an output: -o FILE.dot, .svg, .png or .pdf "
                     "(or -o - for dot on standard output)");
  Req.Input = Inputs.front();
  return chooseFormat(Req, Ctx);
}

} // namespace

int runGraph(const std::vector<std::string> &Args, const Context &Ctx) {
  CompileOptions Opts = defaultCompileOptions();
  GraphRequest Req;
  if (int Status = parseGraphArgs(Args, Ctx, Opts, Req))
    return Status;
  PolicyInput In;
  if (int Status = readPolicyOrImage(Req.Input, Opts, Ctx, In))
    return Status;
  if (In.Image)
    return Ctx.usage("'" + Req.Input +
                     "' is a compiled image; graph draws a policy source");
  auto Pods = analyzer::describePolicy(In.Source->policy(), Req.Opts);
  if (!Pods)
    return Ctx.usage(llvm::toString(Pods.takeError()));

  OutputOptions Out;
  Out.Inputs = inputsOf(*In.Source);
  Out.Stdout = &Ctx.Out;
  Out.Binary = *Req.Format == analyzer::GraphFormat::Png ||
               *Req.Format == analyzer::GraphFormat::Pdf;
  auto File = OutputFile::create(*Req.Output, Out);
  if (!File)
    return Ctx.usage(llvm::toString(File.takeError()));
  std::string Title = Req.Input == "-" ? std::string(StdinName) : Req.Input;
  if (llvm::Error E =
          analyzer::renderGraph(*Pods, Title, *Req.Format, (*File)->os()))
    return Ctx.usage(llvm::toString(std::move(E)));
  if (llvm::Error E = (*File)->commit())
    return Ctx.usage(llvm::toString(std::move(E)));
  return ExitOK;
}

} // namespace peapod::driver
