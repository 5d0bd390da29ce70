//===- RuntimeFixture.cpp - Real pods for the runtime tests ---------------===//
#include "RuntimeFixture.h"
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <thread>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace peapod::test {

std::string peapodBinary() { return PEAPOD_BINARY_DIR "/bin/peapod"; }
std::string peapodcBinary() { return PEAPOD_BINARY_DIR "/bin/peapodc"; }

bool canMakePods() { return geteuid() == 0; }

std::string readFile(const std::string &Path) {
  std::ifstream In(Path);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

bool exists(const std::string &Path) {
  struct stat St;
  return stat(Path.c_str(), &St) == 0;
}

bool waitFor(const std::function<bool()> &Condition) {
  for (int I = 0; I < 1000; ++I) {
    if (Condition())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

StateDir::StateDir(const Pod &P) : Path(P.Dir + "/state") {
  setenv("PEAPOD_STATE_DIR", Path.c_str(), 1);
}

StateDir::~StateDir() { unsetenv("PEAPOD_STATE_DIR"); }

std::vector<std::string> StateDir::runs() const {
  std::vector<std::string> Runs;
  if (DIR *D = opendir(Path.c_str())) {
    while (struct dirent *E = readdir(D))
      if (E->d_name[0] != '.')
        Runs.push_back(E->d_name);
    closedir(D);
  }
  return Runs;
}

static std::vector<char *> cArgv(const std::vector<std::string> &Argv) {
  std::vector<char *> V;
  for (const std::string &A : Argv)
    V.push_back(const_cast<char *>(A.c_str()));
  V.push_back(nullptr);
  return V;
}

int waitProcess(pid_t Pid) {
  int Status = 0;
  while (waitpid(Pid, &Status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
}

Outcome runProcess(const std::vector<std::string> &Argv) {
  int Out[2], Err[2];
  REQUIRE(pipe2(Out, O_CLOEXEC) == 0);
  REQUIRE(pipe2(Err, O_CLOEXEC) == 0);
  auto V = cArgv(Argv);
  pid_t Pid = fork();
  REQUIRE(Pid >= 0);
  if (Pid == 0) {
    dup2(Out[1], 1);
    dup2(Err[1], 2);
    int Null = open("/dev/null", O_RDONLY);
    dup2(Null, 0);
    execv(V[0], V.data());
    _exit(127);
  }
  close(Out[1]);
  close(Err[1]);
  Outcome O;
  struct pollfd P[2] = {{Out[0], POLLIN, 0}, {Err[0], POLLIN, 0}};
  int Open = 2;
  while (Open > 0) {
    if (poll(P, 2, -1) < 0 && errno != EINTR)
      break;
    for (int I = 0; I < 2; ++I) {
      if (P[I].fd < 0 || !(P[I].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      char Buffer[4096];
      ssize_t N = read(P[I].fd, Buffer, sizeof Buffer);
      if (N <= 0) {
        close(P[I].fd);
        P[I].fd = -1;
        --Open;
        continue;
      }
      (I == 0 ? O.Out : O.Err).append(Buffer, static_cast<size_t>(N));
    }
  }
  O.Status = waitProcess(Pid);
  return O;
}

pid_t startProcess(const std::vector<std::string> &Argv) {
  auto V = cArgv(Argv);
  pid_t Pid = fork();
  if (Pid == 0) {
    int Null = open("/dev/null", O_RDWR);
    dup2(Null, 0);
    dup2(Null, 1);
    dup2(Null, 2);
    execv(V[0], V.data());
    _exit(127);
  }
  return Pid;
}

Pod::Pod(const std::string &Policy) {
  char Template[] = "/tmp/peapod-run-test-XXXXXX";
  REQUIRE(mkdtemp(Template));
  Dir = Template;
  Root = Dir + "/root";
  REQUIRE(mkdir(Root.c_str(), 0755) == 0);
  for (const char *Link : {"bin", "lib", "lib64", "sbin"})
    REQUIRE(symlink((std::string("usr/") + Link).c_str(),
                    (Root + "/" + Link).c_str()) == 0);
  REQUIRE(mkdir((Root + "/tmp").c_str(), 01777) == 0);
  std::ofstream(Dir + "/policy.pea") << Policy;
  Image = Dir + "/policy.ppi";
  // The policies exercise enforcement, escalation paths included, which
  // the analyzer would rightly refuse.
  Outcome C = runProcess({peapodcBinary(), "--target", "kmod", "--no-analyze",
                          Dir + "/policy.pea", "-o", Image});
  INFO(C.Err);
  REQUIRE(C.Status == 0);
}

Pod::~Pod() {
  // Nothing is mounted here on the host (the pod's mounts live in its own
  // mount namespace); the tree is plain files.
  std::string Command = "rm -rf '" + Dir + "'";
  if (system(Command.c_str()) != 0)
    fprintf(stderr, "warning: could not remove %s\n", Dir.c_str());
}

std::vector<std::string> Pod::runArgv(const std::string &Pea,
                                      const std::vector<std::string> &Cmd,
                                      const std::vector<std::string> &Extra)
    const {
  std::vector<std::string> Argv = {peapodBinary(), "run",   Image,
                                   "--pod",        "box",   "--pea",
                                   Pea,            "--root", Root,
                                   "--mount",      "/usr:/usr:ro",
                                   "--mount", std::string(PEAPOD_PROBE) +
                                                  ":/probe:ro"};
  Argv.insert(Argv.end(), Extra.begin(), Extra.end());
  Argv.push_back("--");
  Argv.insert(Argv.end(), Cmd.begin(), Cmd.end());
  return Argv;
}

Outcome Pod::run(const std::string &Pea, const std::vector<std::string> &Cmd,
                 const std::vector<std::string> &Extra) const {
  return runProcess(runArgv(Pea, Cmd, Extra));
}

void Pod::writeFile(const std::string &PodPath, const std::string &Text,
                    unsigned Mode) const {
  std::string Path = hostPath(PodPath);
  std::ofstream(Path) << Text;
  REQUIRE(chmod(Path.c_str(), Mode) == 0);
}

std::string StateDir::podCgroup() const {
  auto Runs = runs();
  REQUIRE(Runs.size() == 1);
  std::string Cgroup = readFile(Path + "/" + Runs[0] + "/cgroup");
  while (!Cgroup.empty() && Cgroup.back() == '\n')
    Cgroup.pop_back();
  return Cgroup;
}

std::string allProcs(const std::string &Cgroup) {
  std::string Procs = readFile(Cgroup + "/cgroup.procs");
  if (DIR *D = opendir(Cgroup.c_str())) {
    while (struct dirent *E = readdir(D))
      if (E->d_type == DT_DIR && E->d_name[0] != '.')
        Procs += readFile(Cgroup + "/" + E->d_name + "/cgroup.procs");
    closedir(D);
  }
  return Procs;
}

} // namespace peapod::test
