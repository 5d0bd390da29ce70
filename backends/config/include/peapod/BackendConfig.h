//===- BackendConfig.h - What every backend configuration shares -*- C++
//-*-===//
//
// `peapodc --target fuse` and `--target bpf` each write a JSON document that
// the runtime reads back and checks against the image it goes with
// (docs/fuse-config.md, docs/bpf.md). Both documents start the same way
// ({"format", "version", "image": {"digest", "size"}}), are read with the
// same strictness (the first problem stops the reading and is named by its
// JSON path), and are refused the same way when made for another image.
// That shared part lives here, once.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_BACKENDCONFIG_H
#define PEAPOD_BACKENDCONFIG_H

#include "peapod/image.h"
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace peapod {

/// "sha256:..." of a validated image (its header's payload digest).
std::string imageDigestText(const ppi_image &Img);

/// Reads a configuration document, stopping at the first problem, which it
/// names by its JSON path ("config.pods[0].name: expected a string").
struct ConfigReader {
  using json = nlohmann::json;
  std::string Problem;

  /// `Obj[Key]` if `Obj` is an object holding it with the kind `Kind`
  /// (number_unsigned: an unsigned integer; number_float: any number).
  const json *field(const json &Obj, const char *Key, const std::string &At,
                    json::value_t Kind);
  std::string string(const json &O, const char *K, const std::string &At);
  uint64_t unsignedInt(const json &O, const char *K, const std::string &At);
  bool boolean(const json &O, const char *K, const std::string &At);
};

/// `Text` parsed as JSON; nullopt and `Error` ("NAME:LINE:COL: error: not
/// JSON (...)") if it is not.
std::optional<nlohmann::json> parseConfigJSON(std::string_view Name,
                                              std::string_view Text,
                                              std::string &Error);

/// The image a configuration names.
struct ConfigImage {
  std::string Digest; ///< "sha256:" and 64 hex digits
  uint64_t Size = 0;
};

/// Reads the header: `format` must be `Format`, `version` `Version`.
ConfigImage readConfigHeader(ConfigReader &R, const nlohmann::json &Doc,
                             std::string_view Format, uint64_t Version);

/// Whether a configuration naming `Named` was made for `Img`; otherwise
/// `Error` says so, with both digests and the command that makes it again
/// (`peapodc --target TARGET`). `Kind` names the file ("FUSE", "BPF").
bool madeForImage(const ConfigImage &Named, const ppi_image &Img,
                  std::string_view Kind, std::string_view Target,
                  std::string &Error);

} // namespace peapod

#endif
