//===- BackendConfig.cpp - What every backend configuration shares --------===//
#include "peapod/BackendConfig.h"
#include "peapod/SourcePositions.h"

namespace peapod {

using nlohmann::json;

std::string imageDigestText(const ppi_image &Img) {
  const auto *H = reinterpret_cast<const ppi_header *>(Img.base);
  static const char Hex[] = "0123456789abcdef";
  std::string Text = "sha256:";
  for (uint8_t B : H->digest) {
    Text += Hex[B >> 4];
    Text += Hex[B & 15];
  }
  return Text;
}

const json *ConfigReader::field(const json &Obj, const char *Key,
                                const std::string &At, json::value_t Kind) {
  if (!Problem.empty())
    return nullptr;
  if (!Obj.is_object()) {
    Problem = At + ": expected an object";
    return nullptr;
  }
  auto It = Obj.find(Key);
  if (It == Obj.end()) {
    Problem = At + ": missing \"" + Key + "\"";
    return nullptr;
  }
  bool Ok = Kind == json::value_t::number_float      ? It->is_number()
            : Kind == json::value_t::number_unsigned ? It->is_number_unsigned()
                                                     : It->type() == Kind;
  if (!Ok) {
    static const char *const Names[] = {"null",
                                        "an object",
                                        "an array",
                                        "a string",
                                        "a boolean",
                                        "an integer",
                                        "an unsigned integer",
                                        "a number"};
    Problem = At + "." + Key + ": expected " + Names[int(Kind)];
    return nullptr;
  }
  return &*It;
}

std::string ConfigReader::string(const json &O, const char *K,
                                 const std::string &At) {
  const json *V = field(O, K, At, json::value_t::string);
  return V ? V->get<std::string>() : std::string();
}

uint64_t ConfigReader::unsignedInt(const json &O, const char *K,
                                   const std::string &At) {
  const json *V = field(O, K, At, json::value_t::number_unsigned);
  return V ? V->get<uint64_t>() : 0;
}

bool ConfigReader::boolean(const json &O, const char *K,
                           const std::string &At) {
  const json *V = field(O, K, At, json::value_t::boolean);
  return V && V->get<bool>();
}

std::optional<json> parseConfigJSON(std::string_view Name,
                                    std::string_view Text, std::string &Error) {
  try {
    return json::parse(Text.begin(), Text.end());
  } catch (const json::parse_error &E) {
    size_t Offset = E.byte == 0 ? 0 : std::min<size_t>(E.byte - 1, Text.size());
    LineColumn At =
        LineTable(llvm::StringRef(Text.data(), Text.size())).position(Offset);
    Error = std::string(Name) + ":" + std::to_string(At.Line) + ":" +
            std::to_string(At.Column) + ": error: not JSON (" +
            std::string(E.what()) + ")";
    return std::nullopt;
  }
}

ConfigImage readConfigHeader(ConfigReader &R, const json &Doc,
                             std::string_view Format, uint64_t Version) {
  if (R.string(Doc, "format", "config") != Format && R.Problem.empty())
    R.Problem = "config.format: not \"" + std::string(Format) + "\"";
  uint64_t Got = R.unsignedInt(Doc, "version", "config");
  if (R.Problem.empty() && Got != Version)
    R.Problem = "config.version: " + std::to_string(Got) +
                " (this runtime reads version " + std::to_string(Version) + ")";
  ConfigImage Image;
  if (const json *I = R.field(Doc, "image", "config", json::value_t::object)) {
    Image.Digest = R.string(*I, "digest", "config.image");
    Image.Size = R.unsignedInt(*I, "size", "config.image");
  }
  return Image;
}

bool madeForImage(const ConfigImage &Named, const ppi_image &Img,
                  std::string_view Kind, std::string_view Target,
                  std::string &Error) {
  std::string Digest = imageDigestText(Img);
  if (Named.Digest == Digest && Named.Size == Img.size)
    return true;
  Error = "the " + std::string(Kind) +
          " configuration was made for another image (" + Named.Digest +
          ", this image is " + Digest + "): run peapodc --target " +
          std::string(Target) + " on this image's policy again";
  return false;
}

} // namespace peapod
