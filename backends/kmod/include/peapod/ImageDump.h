//===- ImageDump.h - An image as JSON (`peapodc dump`) ---------*- C++ -*-===//
#ifndef PEAPOD_IMAGEDUMP_H
#define PEAPOD_IMAGEDUMP_H

#include "peapod/ImageOracle.h"
#include "peapod/image.h"
#include <nlohmann/json.hpp>

namespace peapod {

/// Everything in a validated image (from ppi_open or ImageOracle::image()):
/// header and digest, section table, pods with their touch matrices, peas
/// with their network tables and trees (every node's path, answers,
/// transition and children), and the rule table. Keys are documented in
/// docs/image-format.md, "Dump".
nlohmann::json dumpImage(const ppi_image &Img);
nlohmann::json dumpImage(const ImageOracle &Image);

} // namespace peapod

#endif // PEAPOD_IMAGEDUMP_H
