//===- Formatting.cpp - formatting and rangeFormatting with the formatter -===//
//
// The formatter of `peapodc fmt` (Formatter.h) over the tree already parsed
// for the analysis. A document with a syntax error is left as it is: no
// edits (the diagnostics say why).
//
//===----------------------------------------------------------------------===//
#include "Features.h"
#include "peapod/Formatter.h"

namespace peapod::lsp {

namespace {
json editsOf(const Analysis &A, std::optional<ByteRange> Range) {
  const ast::File *F = A.tree();
  if (!F)
    return json::array();
  FormatResult R = formatTree(*F, A.text(), A.compilation().diags().diagnostics(),
                              Range);
  json Edits = json::array();
  if (!R.Formatted)
    return Edits;
  for (const TextEdit &E : R.Edits)
    Edits.push_back({{"range", A.range(E.Offset, E.Offset + E.Length)},
                     {"newText", E.Text}});
  return Edits;
}
} // namespace

json formatting(const Analysis &A, const json &) {
  return editsOf(A, std::nullopt);
}

json rangeFormatting(const Analysis &A, const json &Params) {
  auto [Begin, End] = A.offsets(Params.at("range"));
  return editsOf(A, ByteRange{Begin, End});
}

} // namespace peapod::lsp
