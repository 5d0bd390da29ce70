//===- Rename.cpp - Rename a pea: its declaration and every use -----------===//
#include "Features.h"

namespace peapod::lsp {

json prepareRename(const Analysis &A, const json &Params) {
  std::optional<PeaReference> P = peaAt(A, A.offset(positionParam(Params)));
  if (!P || !peaDeclNamed(*P->Pod, P->Name))
    return nullptr; // nothing here can be renamed
  return {{"range", A.range(P->At->Range)}, {"placeholder", P->Name}};
}

json rename(const Analysis &A, const json &Params) {
  std::optional<PeaReference> P = peaAt(A, A.offset(positionParam(Params)));
  if (!P || !peaDeclNamed(*P->Pod, P->Name))
    throw RpcError(ErrorCode::RequestFailed,
                   "only a pea name can be renamed (its declaration or a "
                   "transition or namespace target)");
  std::string New = Params.at("newName").get<std::string>();
  if (!isValidPeaName(New))
    throw RpcError(ErrorCode::InvalidParams,
                   "'" + New + "' cannot name a pea: a name starts with a "
                   "letter or '_' and holds letters, digits, '_', '.' and "
                   "'-', and 'global' is reserved");
  if (New == P->Name)
    return {{"changes", json::object()}};
  if (peaDeclNamed(*P->Pod, New))
    throw RpcError(ErrorCode::RequestFailed,
                   "pod '" + P->Pod->PodName.Text + "' already has a pea '" +
                       New + "'");
  json Edits = json::array();
  for (const ast::Name *N : peaOccurrences(*P->Pod, P->Name, true))
    Edits.push_back({{"range", A.range(N->Range)}, {"newText", New}});
  return {{"changes", {{A.uri(), Edits}}}};
}

} // namespace peapod::lsp
