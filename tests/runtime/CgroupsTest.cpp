//===- CgroupsTest.cpp - Finding the cgroup v2 hierarchy ------------------===//
#include "peapod/runtime/Cgroups.h"
#include <catch2/catch.hpp>

using namespace peapod::runtime;

TEST_CASE("the cgroup2 mount is found in mountinfo, never assumed",
          "[runtime][cgroups]") {
  Cgroup2Mount M;
  std::string Info =
      "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
      "41 31 0:38 / /sys/fs/cgroup/my\\040v2 rw,relatime shared:5 - cgroup2 "
      "cgroup2 rw\n";
  REQUIRE(findCgroup2MountIn(Info, M));
  CHECK(M.Directory == "/sys/fs/cgroup/my v2");
  CHECK(M.Root == "/");
  CHECK(!findCgroup2MountIn("32 31 0:29 / /cg rw - cgroup cgroup rw\n", M));
  CHECK(!findCgroup2MountIn("", M));
  CHECK(!findCgroup2MountIn("garbage\n- cgroup2\n", M));
}
