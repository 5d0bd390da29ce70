//===- RunState.cpp - What a run leaves behind, and `peapod cleanup` -------===//
//
// /run/peapod/<run id>/ holds "supervisor" ("PID STARTTIME": the start time
// from /proc/PID/stat tells a live supervisor from a reused pid) and
// "cgroup" (the pod's cgroup directory). It is created before anything else
// and removed last, so a run killed at any point is found. A run is dead
// when no process has that pid and start time; cleanup kills what is left in
// its cgroups, removes them, detaches any mount under its directory (a FUSE
// mount), and removes the directory.
//
//===----------------------------------------------------------------------===//
#include "Files.h"
#include "Pod.h"
#include "peapod/runtime/Cgroups.h"
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <sstream>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

namespace peapod::runtime {

std::string stateRoot() {
  const char *Override = getenv("PEAPOD_STATE_DIR"); // tests
  return Override && *Override ? Override : "/run/peapod";
}

static std::string stateDir(const std::string &RunId) {
  return stateRoot() + "/" + RunId;
}

/// Field 22 of /proc/PID/stat (after the parenthesised command name, which
/// may itself hold spaces and parentheses).
static std::string startTimeOf(pid_t Pid) {
  std::string Text, Error;
  if (!readWholeFile("/proc/" + std::to_string(Pid) + "/stat", Text, Error))
    return {};
  size_t Close = Text.rfind(')');
  if (Close == std::string::npos)
    return {};
  std::istringstream In(Text.substr(Close + 2));
  std::string Field;
  for (int I = 3; I <= 22 && In >> Field; ++I)
    if (I == 22)
      return Field;
  return {};
}

static bool writeNewFile(const std::string &Path, const std::string &Text,
                         std::string &Error) {
  FILE *F = fopen(Path.c_str(), "wxe");
  if (!F || fputs(Text.c_str(), F) < 0 || fclose(F) != 0) {
    Error = "cannot write '" + Path + "': " + strerror(errno);
    return false;
  }
  return true;
}

bool createRunState(const std::string &RunId, std::string &Error) {
  std::string Root = stateRoot();
  if (mkdir(Root.c_str(), 0700) != 0 && errno != EEXIST) {
    Error = "cannot create '" + Root + "': " + strerror(errno);
    return false;
  }
  std::string Dir = stateDir(RunId);
  if (mkdir(Dir.c_str(), 0700) != 0) {
    Error = "cannot create '" + Dir + "': " + strerror(errno);
    return false;
  }
  return writeNewFile(Dir + "/supervisor",
                      std::to_string(getpid()) + " " + startTimeOf(getpid()) +
                          "\n",
                      Error);
}

bool writeRunCgroup(const std::string &RunId, const std::string &CgroupDir,
                    std::string &Error) {
  return writeNewFile(stateDir(RunId) + "/cgroup", CgroupDir + "\n", Error);
}

/// Detaches every mount at or below `Dir`, deepest first.
static void detachMountsUnder(const std::string &Dir) {
  std::string Text, Error;
  if (!readWholeFile("/proc/self/mountinfo", Text, Error))
    return;
  std::vector<std::string> Points;
  std::istringstream Lines(Text);
  for (std::string Line; std::getline(Lines, Line);) {
    std::istringstream Fields(Line);
    std::string W, Point;
    for (int I = 0; I < 5 && Fields >> W; ++I)
      Point = W;
    Point = unescapeMountInfo(Point);
    if (Point == Dir || Point.rfind(Dir + "/", 0) == 0)
      Points.push_back(Point);
  }
  for (auto It = Points.rbegin(); It != Points.rend(); ++It)
    umount2(It->c_str(), MNT_DETACH);
}

static void removeTree(const std::string &Path) {
  struct stat St;
  if (lstat(Path.c_str(), &St) != 0)
    return;
  if (S_ISDIR(St.st_mode)) {
    if (DIR *D = opendir(Path.c_str())) {
      while (struct dirent *E = readdir(D))
        if (strcmp(E->d_name, ".") && strcmp(E->d_name, ".."))
          removeTree(Path + "/" + E->d_name);
      closedir(D);
    }
    rmdir(Path.c_str());
  } else {
    unlink(Path.c_str());
  }
}

void removeRunState(const std::string &RunId) {
  std::string Dir = stateDir(RunId);
  detachMountsUnder(Dir);
  removeTree(Dir);
}

static bool isAlive(const std::string &Dir) {
  std::string Text, Error;
  if (!readWholeFile(Dir + "/supervisor", Text, Error))
    return false; // a run killed before it wrote this: dead
  std::istringstream In(Text);
  long Pid = 0;
  std::string Start;
  In >> Pid >> Start;
  return Pid > 0 && !Start.empty() &&
         startTimeOf(static_cast<pid_t>(Pid)) == Start;
}

/// Pod cgroups (<cgroup2>/peapod/POD.PID.HEX) of supervisors that are gone
/// and that no state directory names (a run whose state lived elsewhere,
/// or was killed between creating its cgroup and recording it).
static int removeOrphanCgroups(bool Verbose) {
  Cgroup2Mount Mount;
  std::string Error;
  if (!findCgroup2Mount(Mount, Error))
    return 0;
  std::string Top = Mount.Directory + "/peapod";
  DIR *D = opendir(Top.c_str());
  if (!D)
    return 0;
  std::vector<std::string> Orphans;
  while (struct dirent *E = readdir(D)) {
    std::string Name = E->d_name;
    size_t Last = Name.rfind('.');
    size_t Before = Last == std::string::npos || Last == 0
                        ? std::string::npos
                        : Name.rfind('.', Last - 1);
    if (E->d_type != DT_DIR || Before == std::string::npos)
      continue;
    std::string Pid = Name.substr(Before + 1, Last - Before - 1);
    if (Pid.empty() || Pid.find_first_not_of("0123456789") != std::string::npos)
      continue;
    struct stat St;
    if (stat((stateRoot() + "/" + Name).c_str(), &St) == 0 ||
        stat(("/proc/" + Pid).c_str(), &St) == 0)
      continue; // recorded here, or its supervisor may still be running
    Orphans.push_back(Top + "/" + Name);
  }
  closedir(D);
  for (const std::string &Dir : Orphans) {
    removeCgroupTree(Dir);
    if (Verbose)
      printf("removed orphan cgroup %s\n", Dir.c_str());
  }
  return static_cast<int>(Orphans.size());
}

int cleanupDeadRuns(bool Verbose) {
  int Removed = 0;
  std::string Root = stateRoot();
  DIR *D = opendir(Root.c_str());
  if (!D)
    return removeOrphanCgroups(Verbose);
  std::vector<std::string> Dead;
  while (struct dirent *E = readdir(D)) {
    if (E->d_name[0] == '.')
      continue;
    std::string Dir = Root + "/" + E->d_name;
    if (!isAlive(Dir))
      Dead.push_back(E->d_name);
  }
  closedir(D);
  Removed += removeOrphanCgroups(Verbose);
  for (const std::string &RunId : Dead) {
    std::string Dir = stateDir(RunId), Cgroup, Error;
    if (readWholeFile(Dir + "/cgroup", Cgroup, Error)) {
      while (!Cgroup.empty() && Cgroup.back() == '\n')
        Cgroup.pop_back();
      // Only ever a directory under a cgroup2 mount's peapod/.
      if (Cgroup.find("/peapod/") != std::string::npos &&
          Cgroup.find("/../") == std::string::npos)
        removeCgroupTree(Cgroup);
    }
    removeRunState(RunId);
    if (Verbose)
      printf("removed run %s\n", RunId.c_str());
  }
  return Removed + static_cast<int>(Dead.size());
}

int runCleanup(bool Verbose) {
  if (geteuid() != 0) {
    fprintf(stderr, "peapod: error: cleanup needs root\n");
    return ExitRefused;
  }
  int Removed = cleanupDeadRuns(Verbose);
  if (Verbose || Removed)
    printf("peapod cleanup: %d dead run%s removed\n", Removed,
           Removed == 1 ? "" : "s");
  return 0;
}

} // namespace peapod::runtime
