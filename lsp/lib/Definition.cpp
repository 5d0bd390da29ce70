//===- Definition.cpp - Go to a pea's declaration, find its uses ----------===//
//
// Pea names in `transition` and `namespace` rules refer to a pea of the same
// pod; an include refers to its rule-group file. References are the uses of
// a pea in this document's pod (and, if asked, its declaration).
//
//===----------------------------------------------------------------------===//
#include "Features.h"

namespace peapod::lsp {

namespace {

bool refersToPea(const ast::Rule &R) {
  return (R.Kind == ast::RuleKind::Transition ||
          R.Kind == ast::RuleKind::Namespace) &&
         !R.Target.Text.empty() && R.Target.Text != "global";
}

} // namespace

std::optional<PeaReference> peaAt(const Analysis &A, size_t Offset) {
  Cursor K = A.at(Offset);
  if (!K.PodDecl || !K.Name)
    return std::nullopt;
  if (K.PeaDecl && K.Name == &K.PeaDecl->PeaName)
    return PeaReference{K.PodDecl, K.Name->Text, K.Name};
  if (K.Rule && refersToPea(*K.Rule) && K.Name == &K.Rule->Target)
    return PeaReference{K.PodDecl, K.Name->Text, K.Name};
  return std::nullopt;
}

std::vector<const ast::Name *> peaOccurrences(const ast::PodDecl &Pod,
                                              llvm::StringRef Name,
                                              bool Declarations) {
  std::vector<const ast::Name *> Found;
  for (const ast::PeaDecl &Pea : Pod.Peas) {
    if (Declarations && Pea.PeaName.Text == Name)
      Found.push_back(&Pea.PeaName);
    for (const ast::Rule &R : Pea.Rules)
      if (refersToPea(R) && R.Target.Text == Name)
        Found.push_back(&R.Target);
  }
  return Found;
}

json definition(const Analysis &A, const json &Params) {
  size_t Offset = A.offset(positionParam(Params));
  if (std::optional<PeaReference> P = peaAt(A, Offset)) {
    const ast::PeaDecl *D = peaDeclNamed(*P->Pod, P->Name);
    if (!D)
      return nullptr;
    return A.location(D->PeaName.Range);
  }
  Cursor K = A.at(Offset);
  if (K.Rule && K.Rule->Kind == ast::RuleKind::Include) {
    std::string File = includedFile(A, K.InPea, *K.Rule);
    if (File.empty())
      return nullptr;
    return {{"uri", File},
            {"range", {{"start", {{"line", 0}, {"character", 0}}},
                       {"end", {{"line", 0}, {"character", 0}}}}}};
  }
  return nullptr;
}

json references(const Analysis &A, const json &Params) {
  size_t Offset = A.offset(positionParam(Params));
  std::optional<PeaReference> P = peaAt(A, Offset);
  if (!P)
    return json::array();
  bool Declarations = Params.value("context", json::object())
                          .value("includeDeclaration", false);
  json Out = json::array();
  for (const ast::Name *N : peaOccurrences(*P->Pod, P->Name, Declarations))
    Out.push_back(A.location(N->Range));
  return Out;
}

} // namespace peapod::lsp
