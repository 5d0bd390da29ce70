/*===- EscapeProbe.c - What a process inside a pod tries ------------------===*
 *
 * Run inside `peapod run` by tests/runtime/RunTest.cpp (bound into the pod
 * at /probe). Each command prints one line the test checks; errno names are
 * printed as numbers.
 *
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

static char **ThreadArgv;

/* 0 if Path reads exactly Want, errno if the open fails, 99 otherwise. */
static int contentIs(const char *Path, const char *Want) {
  int Fd = open(Path, O_RDONLY);
  if (Fd < 0)
    return errno;
  char Buffer[64];
  ssize_t N = read(Fd, Buffer, sizeof Buffer - 1);
  close(Fd);
  if (N < 0)
    return 99;
  Buffer[N] = '\0';
  return strcmp(Buffer, Want) == 0 ? 0 : 99;
}

/* One step of a race against the opener: /tmp/race/link names
 * /tmp/race/good, then the denied file, then good again. */
static void swapOnce(int Exchange) {
  if (Exchange) {
    syscall(SYS_renameat2, AT_FDCWD, "/tmp/race/link", AT_FDCWD,
            "/tmp/race/evil", RENAME_EXCHANGE);
    return;
  }
  (void)!symlink("/data/secret/key", "/tmp/race/l.new");
  (void)!rename("/tmp/race/l.new", "/tmp/race/link");
  (void)!symlink("/tmp/race/good", "/tmp/race/l.new");
  (void)!rename("/tmp/race/l.new", "/tmp/race/link");
}

static void *execInThread(void *Arg) {
  (void)Arg;
  execv(ThreadArgv[0], ThreadArgv);
  printf("thread-exec failed %d\n", errno);
  exit(1);
}

static int waitChild(pid_t Pid) {
  int Status;
  if (waitpid(Pid, &Status, __WALL) < 0)
    return -1;
  return WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
}

int main(int Argc, char **Argv) {
  if (Argc < 2)
    return 2;
  const char *Cmd = Argv[1];
  setvbuf(stdout, NULL, _IONBF, 0);
  if (!strcmp(Cmd, "cgroup")) {
    /* The v2 line of /proc/self/cgroup: the pea, as the pod sees it. */
    FILE *F = fopen("/proc/self/cgroup", "r");
    char Line[512];
    while (F && fgets(Line, sizeof Line, F))
      if (!strncmp(Line, "0::", 3))
        fputs(Line, stdout);
    return 0;
  }
  if (!strcmp(Cmd, "vfork-exec") && Argc > 2) {
    pid_t Pid = vfork();
    if (Pid == 0) {
      execv(Argv[2], Argv + 2);
      _exit(127);
    }
    return waitChild(Pid);
  }
  if (!strcmp(Cmd, "thread-exec") && Argc > 2) {
    ThreadArgv = Argv + 2;
    pthread_t T;
    pthread_create(&T, NULL, execInThread, NULL);
    pause();
    return 1;
  }
  if (!strcmp(Cmd, "clone3")) {
    struct clone_args Args;
    memset(&Args, 0, sizeof Args);
    Args.flags = CLONE_UNTRACED;
    Args.exit_signal = SIGCHLD;
    long Pid = syscall(SYS_clone3, &Args, sizeof Args);
    if (Pid == 0)
      _exit(0);
    printf("clone3 %ld %d\n", Pid, Pid < 0 ? errno : 0);
    if (Pid > 0)
      waitChild((pid_t)Pid);
    return 0;
  }
  if (!strcmp(Cmd, "untraced")) {
    long Pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
    if (Pid == 0) {
      if (Argc > 2)
        execv(Argv[2], Argv + 2);
      _exit(0);
    }
    printf("untraced %ld %d\n", Pid < 0 ? -1L : 1L, Pid < 0 ? errno : 0);
    if (Pid > 0)
      waitChild((pid_t)Pid);
    return 0;
  }
  if (!strcmp(Cmd, "syscalls")) {
    /* Calls root may make without capabilities: only the filter stops them. */
    long R = syscall(SYS_unshare, CLONE_NEWUSER);
    printf("unshare %d\n", R < 0 ? errno : 0);
    R = syscall(SYS_io_uring_setup, 1, calloc(1, 512));
    printf("io_uring_setup %d\n", R < 0 ? errno : 0);
    R = mount("none", "/tmp", "tmpfs", 0, NULL);
    printf("mount %d\n", R < 0 ? errno : 0);
    R = syscall(SYS_init_module, NULL, 0, "");
    printf("init_module %d\n", R < 0 ? errno : 0);
    return 0;
  }
  if (!strcmp(Cmd, "status")) {
    /* NoNewPrivs, Seccomp, CapBnd lines of /proc/self/status. */
    FILE *F = fopen("/proc/self/status", "r");
    char Line[256];
    while (F && fgets(Line, sizeof Line, F))
      if (!strncmp(Line, "NoNewPrivs", 10) || !strncmp(Line, "Seccomp:", 8) ||
          !strncmp(Line, "CapBnd", 6) || !strncmp(Line, "CapEff", 6))
        fputs(Line, stdout);
    return 0;
  }
  if (!strcmp(Cmd, "i386")) {
#if defined(__x86_64__)
    long Ret;
    __asm__ volatile("int $0x80" : "=a"(Ret) : "a"(20L) : "memory");
    printf("int80 %ld\n", Ret);
#endif
    return 0;
  }
  if (!strcmp(Cmd, "tiocsti")) {
    int Master = posix_openpt(O_RDWR | O_NOCTTY);
    if (Master < 0 || grantpt(Master) || unlockpt(Master)) {
      printf("tiocsti nopty %d\n", errno);
      return 0;
    }
    int Slave = open(ptsname(Master), O_RDWR | O_NOCTTY);
    char C = 'x';
    int R = ioctl(Slave, TIOCSTI, &C);
    printf("tiocsti %d\n", R < 0 ? errno : 0);
    return 0;
  }
  if (!strcmp(Cmd, "fds")) {
    DIR *D = opendir("/proc/self/fd");
    struct dirent *E;
    int Extra = 0;
    while (D && (E = readdir(D)))
      if (atoi(E->d_name) > 2 && dirfd(D) != atoi(E->d_name))
        ++Extra;
    printf("extra-fds %d\n", Extra);
    return 0;
  }
  if (!strcmp(Cmd, "memfd-exec")) {
    /* A copy of /bin/true in a memfd, executed through its descriptor. */
    int Mem = memfd_create("x", MFD_CLOEXEC);
    int In = open("/usr/bin/true", O_RDONLY);
    char Buffer[65536];
    ssize_t N;
    while ((N = read(In, Buffer, sizeof Buffer)) > 0)
      if (write(Mem, Buffer, (size_t)N) != N)
        return 1;
    char *Args[] = {"true", NULL};
    char *Env[] = {NULL};
    fexecve(Mem, Args, Env);
    printf("memfd-exec %d\n", errno);
    return 0;
  }
  if (!strcmp(Cmd, "read") && Argc > 2) {
    /* read PATH...: "PATH ERRNO" for each (0: it opened and read). */
    for (int I = 2; I < Argc; ++I) {
      int Fd = open(Argv[I], O_RDONLY);
      char C;
      int E = Fd < 0 ? errno : read(Fd, &C, 1) < 0 ? errno : 0;
      if (Fd >= 0)
        close(Fd);
      printf("%s %d\n", Argv[I], E);
    }
    return 0;
  }
  if (!strcmp(Cmd, "race") && Argc > 3) {
    /* race symlink|exchange N: N opens of /tmp/race/link while a child
     * swaps what it names; how many read the denied file. */
    int Exchange = !strcmp(Argv[2], "exchange");
    int N = atoi(Argv[3]), Leaks = 0, Good = 0;
    pid_t Swapper = fork();
    if (Swapper == 0)
      for (;;)
        swapOnce(Exchange);
    for (int I = 0; I < N; ++I) {
      int R = contentIs("/tmp/race/link", "good\n");
      Good += R == 0;
      Leaks += R == 99;
    }
    kill(Swapper, SIGKILL);
    waitChild(Swapper);
    printf("race leaks %d good %d\n", Leaks, Good > 0);
    return 0;
  }
  if (!strcmp(Cmd, "handle") && Argc > 2) {
    /* A file handle of PATH, then an open by handle (which needs none of
     * the path's search rights). */
    struct file_handle *H = malloc(sizeof *H + MAX_HANDLE_SZ);
    H->handle_bytes = MAX_HANDLE_SZ;
    int MountId;
    int R = name_to_handle_at(AT_FDCWD, Argv[2], H, &MountId, 0);
    printf("name_to_handle_at %d\n", R < 0 ? errno : 0);
    int Root = open("/", O_RDONLY | O_DIRECTORY);
    R = open_by_handle_at(Root, H, O_RDONLY);
    printf("open_by_handle_at %d\n", R < 0 ? errno : 0);
    return 0;
  }
  if (!strcmp(Cmd, "cgroup-mount")) {
    /* Get at a cgroup.procs: mount a cgroup2 file system. */
    mkdir("/tmp/cg", 0755);
    int R = mount("cgroup2", "/tmp/cg", "cgroup2", 0, NULL);
    printf("cgroup-mount %d\n", R < 0 ? errno : 0);
    int Fd = open("/tmp/cg/cgroup.procs", O_WRONLY);
    printf("cgroup-procs %d\n", Fd < 0 ? errno : 0);
    return 0;
  }
  return 2;
}
