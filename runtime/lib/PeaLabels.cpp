//===- PeaLabels.cpp - Which pea a process is in --------------------------===//
#include "peapod/runtime/PeaLabels.h"
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace peapod::runtime {

static constexpr std::string_view PeaPrefix = "pea.";

PeaLabels::PeaLabels(const ppi_image &Img, uint32_t Pod,
                     std::string PodCgroupPath)
    : Img(Img), Pod(Pod), PodPath(std::move(PodCgroupPath)) {
  if (Pod >= Img.pod_count)
    return;
  const ppi_pod &P = Img.pods[Pod];
  for (uint32_t I = 0; I < P.pea_count; ++I)
    PeaByName.emplace(nameOf(P.first_pea + I), P.first_pea + I);
}

std::string_view PeaLabels::nameOf(uint32_t Pea) const {
  if (Pea >= Img.pea_count)
    return {};
  return {ppi_string(&Img, Img.peas[Pea].name_off), Img.peas[Pea].name_len};
}

std::string PeaLabels::cgroupPathOf(uint32_t Pea) const {
  if (Pea >= Img.pea_count || Img.peas[Pea].pod != Pod)
    return {};
  std::string Path = PodPath;
  if (Path.empty() || Path.back() != '/')
    Path += '/';
  Path += PeaPrefix;
  Path += nameOf(Pea);
  return Path;
}

uint32_t PeaLabels::peaOfCgroupFile(std::string_view Text) const {
  // cgroup v2 is the line "0::PATH"; v1 hierarchies have other numbers.
  for (size_t Start = 0; Start < Text.size();) {
    size_t End = Text.find('\n', Start);
    if (End == std::string_view::npos)
      End = Text.size();
    std::string_view Line = Text.substr(Start, End - Start);
    Start = End + 1;
    if (Line.substr(0, 3) != "0::")
      continue;
    std::string_view Path = Line.substr(3);
    std::string_view Dir = PodPath;
    while (Dir.size() > 1 && Dir.back() == '/')
      Dir.remove_suffix(1);
    if (Path.size() <= Dir.size() + 1 || Path.substr(0, Dir.size()) != Dir)
      return PPI_NONE;
    std::string_view Rest = Path.substr(Dir.size());
    if (Dir != "/") {
      if (Rest.front() != '/')
        return PPI_NONE;
      Rest.remove_prefix(1);
    }
    if (Rest.substr(0, PeaPrefix.size()) != PeaPrefix)
      return PPI_NONE;
    Rest.remove_prefix(PeaPrefix.size());
    auto It = PeaByName.find(Rest); // a deeper path has a '/': no such name
    return It == PeaByName.end() ? PPI_NONE : It->second;
  }
  return PPI_NONE;
}

uint32_t PeaLabels::peaOfPid(pid_t Pid) const {
  if (Pid <= 0)
    return PPI_NONE;
  std::string File = "/proc/" + std::to_string(Pid) + "/cgroup";
  int Fd = ::open(File.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return PPI_NONE;
  char Buffer[4096];
  std::string Text;
  for (;;) {
    ssize_t N = ::read(Fd, Buffer, sizeof Buffer);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      break;
    Text.append(Buffer, static_cast<size_t>(N));
  }
  ::close(Fd);
  return peaOfCgroupFile(Text);
}

} // namespace peapod::runtime
