//===- Cgroups.cpp - The pod's cgroup and its peas' cgroups ---------------===//
#include "peapod/runtime/Cgroups.h"
#include "Files.h"
#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace peapod::runtime {

bool findCgroup2MountIn(const std::string &MountInfo, Cgroup2Mount &Mount) {
  // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS...] - FSTYPE ...
  std::istringstream Lines(MountInfo);
  for (std::string Line; std::getline(Lines, Line);) {
    std::istringstream Fields(Line);
    std::vector<std::string> Words;
    for (std::string W; Fields >> W;)
      Words.push_back(W);
    size_t Dash = 0;
    while (Dash < Words.size() && Words[Dash] != "-")
      ++Dash;
    if (Words.size() < 5 || Dash + 1 >= Words.size() ||
        Words[Dash + 1] != "cgroup2")
      continue;
    Mount.Root = unescapeMountInfo(Words[3]);
    Mount.Directory = unescapeMountInfo(Words[4]);
    return true;
  }
  return false;
}

bool findCgroup2Mount(Cgroup2Mount &Mount, std::string &Error) {
  std::string Text;
  if (!readWholeFile("/proc/self/mountinfo", Text, Error))
    return false;
  if (!findCgroup2MountIn(Text, Mount)) {
    Error = "no cgroup v2 hierarchy is mounted (see /proc/self/mountinfo)";
    return false;
  }
  return true;
}

static std::string joinPath(const std::string &A, const std::string &B) {
  if (A.empty() || A.back() != '/')
    return A + "/" + B;
  return A + B;
}

bool PodCgroup::create(const Cgroup2Mount &Mount, const std::string &RunId,
                       std::string &Error) {
  std::string Top = joinPath(Mount.Directory, "peapod");
  if (::mkdir(Top.c_str(), 0755) != 0 && errno != EEXIST) {
    Error = "cannot create cgroup '" + Top + "': " + strerror(errno);
    return false;
  }
  std::string Dir = joinPath(Top, RunId);
  if (::mkdir(Dir.c_str(), 0755) != 0) {
    Error = "cannot create cgroup '" + Dir + "': " + strerror(errno);
    return false;
  }
  adopt(Mount, Dir);
  return true;
}

void PodCgroup::adopt(const Cgroup2Mount &Mount, const std::string &Dir) {
  Directory = Dir;
  std::string Relative = Dir.substr(Mount.Directory.size());
  Path = Mount.Root == "/" ? Relative : Mount.Root + Relative;
  if (Path.empty())
    Path = "/";
}

std::string PodCgroup::peaDirectory(const std::string &PeaName) const {
  return joinPath(Directory, "pea." + PeaName);
}

bool PodCgroup::createPea(const std::string &PeaName, std::string &Error) {
  std::string Dir = peaDirectory(PeaName);
  if (::mkdir(Dir.c_str(), 0755) != 0 && errno != EEXIST) {
    Error = "cannot create cgroup '" + Dir + "': " + strerror(errno);
    return false;
  }
  return true;
}

bool PodCgroup::movePid(pid_t Pid, const std::string &PeaName,
                        std::string &Error) {
  if (!createPea(PeaName, Error))
    return false;
  std::string Procs = joinPath(peaDirectory(PeaName), "cgroup.procs");
  if (!writeWholeFile(Procs, std::to_string(Pid), Error))
    return false;
  return true;
}

void PodCgroup::remove() {
  if (!Directory.empty())
    removeCgroupTree(Directory);
}

/// The pids listed in DIR/cgroup.procs.
static std::vector<pid_t> pidsIn(const std::string &Dir) {
  std::string Text, Error;
  std::vector<pid_t> Pids;
  if (!readWholeFile(joinPath(Dir, "cgroup.procs"), Text, Error))
    return Pids;
  std::istringstream In(Text);
  for (long Pid; In >> Pid;)
    Pids.push_back(static_cast<pid_t>(Pid));
  return Pids;
}

static void subdirectories(const std::string &Dir,
                           std::vector<std::string> &Out) {
  DIR *D = ::opendir(Dir.c_str());
  if (!D)
    return;
  while (struct dirent *E = ::readdir(D)) {
    if (E->d_type != DT_DIR || !strcmp(E->d_name, ".") ||
        !strcmp(E->d_name, ".."))
      continue;
    std::string Child = joinPath(Dir, E->d_name);
    subdirectories(Child, Out);
    Out.push_back(Child);
  }
  ::closedir(D);
}

bool removeCgroupTree(const std::string &Directory) {
  std::vector<std::string> Dirs;
  subdirectories(Directory, Dirs); // deepest first
  Dirs.push_back(Directory);
  std::string Error;
  // cgroup.kill (5.14) kills the whole tree at once, forks in flight too.
  bool Killed = writeWholeFile(joinPath(Directory, "cgroup.kill"), "1", Error);
  for (int Round = 0; Round < 1000; ++Round) {
    bool Any = false;
    for (const std::string &Dir : Dirs)
      for (pid_t Pid : pidsIn(Dir)) {
        Any = true;
        if (!Killed)
          ::kill(Pid, SIGKILL);
      }
    if (!Any)
      break;
    ::usleep(1000);
  }
  bool Ok = true;
  for (const std::string &Dir : Dirs) {
    // A cgroup whose last process is a zombie not yet reaped cannot go yet.
    for (int Try = 0; Try < 1000 && ::rmdir(Dir.c_str()) != 0; ++Try) {
      if (errno == ENOENT)
        break;
      if (errno != EBUSY) {
        Ok = false;
        break;
      }
      ::usleep(1000);
    }
    struct stat St;
    if (::stat(Dir.c_str(), &St) == 0)
      Ok = false;
  }
  return Ok;
}

} // namespace peapod::runtime
