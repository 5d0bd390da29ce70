//===- ImageRegions.h - A compiled image's trees as region models -*- C++ -*-===//
//
// The image stores each pea's region tree (docs/image-format.md: nodes and
// their hash tables). Reading it back as a PeaRegions lets everything that
// works on regions (`peapodc show`, `diff` with a deployed image on one
// side) treat an image exactly as a source policy, with one region model.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_IMAGEREGIONS_H
#define PEAPOD_IMAGEREGIONS_H

#include "peapod/Regions.h"
#include "peapod/image.h"

namespace peapod {

/// The tree of pea `GlobalPea` of a validated image. Rule indices are the
/// pea's own, as PeaRegions::build gives them (file rules, then
/// transitions, as in the image's rule table); node names point into the
/// image, which must outlive the result.
PeaRegions imageRegions(const ppi_image &Img, uint32_t GlobalPea);

} // namespace peapod

#endif // PEAPOD_IMAGEREGIONS_H
