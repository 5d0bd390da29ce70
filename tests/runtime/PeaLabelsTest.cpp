//===- PeaLabelsTest.cpp - pid -> pea from /proc/PID/cgroup ---------------===//
#include "KmodTest.h"
#include "peapod/ImageWriter.h"
#include "peapod/runtime/PeaLabels.h"
#include <catch2/catch.hpp>
#include <unistd.h>

using namespace peapod;
using namespace peapod::runtime;

namespace {
struct TwoPods {
  test::AlignedBytes Bytes;
  ppi_image Img;
  TwoPods()
      : Bytes(writeImage(test::compile("pod a { pea x { } pea cgroup.procs { } }\n"
                                       "pod b { pea x { } }\n")
                             ->policy())) {
    std::string Error;
    REQUIRE(test::openImage(Bytes, Img, Error) == PPI_OK);
  }
};
} // namespace

TEST_CASE("a pea is the cgroup pea.NAME right under the pod's cgroup",
          "[runtime][labels]") {
  TwoPods T;
  uint32_t A = ppi_find_pod(&T.Img, "a", 1);
  uint32_t AX = ppi_find_pea(&T.Img, A, "x", 1);
  uint32_t AProcs = ppi_find_pea(&T.Img, A, "cgroup.procs", 12);
  PeaLabels L(T.Img, A, "/peapod/a.1.f");
  CHECK(L.cgroupPathOf(AX) == "/peapod/a.1.f/pea.x");
  CHECK(L.peaOfCgroupFile("0::/peapod/a.1.f/pea.x\n") == AX);
  CHECK(L.peaOfCgroupFile("0::/peapod/a.1.f/pea.cgroup.procs\n") == AProcs);
  // v1 lines are skipped; only the v2 line counts.
  CHECK(L.peaOfCgroupFile("3:cpu:/x\n0::/peapod/a.1.f/pea.x") == AX);
  // Not a pea of this pod: the pod itself, deeper, elsewhere, unprefixed.
  CHECK(L.peaOfCgroupFile("0::/peapod/a.1.f\n") == PPI_NONE);
  CHECK(L.peaOfCgroupFile("0::/peapod/a.1.f/pea.x/sub\n") == PPI_NONE);
  CHECK(L.peaOfCgroupFile("0::/peapod/a.1.fx/pea.x\n") == PPI_NONE);
  CHECK(L.peaOfCgroupFile("0::/peapod/a.1.f/x\n") == PPI_NONE);
  CHECK(L.peaOfCgroupFile("0::/peapod/a.1.f/pea.y\n") == PPI_NONE);
  CHECK(L.peaOfCgroupFile("") == PPI_NONE);
  // Another pod's pea has no path here.
  uint32_t BX = ppi_find_pea(&T.Img, ppi_find_pod(&T.Img, "b", 1), "x", 1);
  CHECK(L.cgroupPathOf(BX).empty());
}

TEST_CASE("inside the pod's cgroup namespace the pod is /",
          "[runtime][labels]") {
  TwoPods T;
  uint32_t A = ppi_find_pod(&T.Img, "a", 1);
  PeaLabels L(T.Img, A, "/");
  CHECK(L.cgroupPathOf(ppi_find_pea(&T.Img, A, "x", 1)) == "/pea.x");
  CHECK(L.peaOfCgroupFile("0::/pea.x\n") == ppi_find_pea(&T.Img, A, "x", 1));
  CHECK(L.peaOfCgroupFile("0::/\n") == PPI_NONE);
}

TEST_CASE("pid 0 and processes in no pea have no pea", "[runtime][labels]") {
  TwoPods T;
  PeaLabels L(T.Img, 0, "/peapod/a.1.f");
  CHECK(L.peaOfPid(0) == PPI_NONE);
  CHECK(L.peaOfPid(-1) == PPI_NONE);
  CHECK(L.peaOfPid(getpid()) == PPI_NONE);
}
