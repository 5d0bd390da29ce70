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
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
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

/* The state letter of /proc/PID/stat (after the command's ')'). */
static char stateOf(pid_t Pid) {
  char Path[64], Text[512];
  snprintf(Path, sizeof Path, "/proc/%d/stat", Pid);
  int Fd = open(Path, O_RDONLY);
  ssize_t N = Fd < 0 ? -1 : read(Fd, Text, sizeof Text - 1);
  if (Fd >= 0)
    close(Fd);
  if (N <= 0)
    return '?';
  Text[N] = 0;
  char *Close = strrchr(Text, ')');
  return Close && Close[1] ? Close[2] : '?';
}

static int sameExe(pid_t Pid) {
  char Path[64], A[512] = "", B[512] = "";
  snprintf(Path, sizeof Path, "/proc/%d/exe", Pid);
  ssize_t N = readlink(Path, A, sizeof A - 1);
  ssize_t M = readlink("/proc/self/exe", B, sizeof B - 1);
  return N > 0 && M > 0 && N == M && !memcmp(A, B, (size_t)N);
}

/* 0 if the kernel let the call at the target (success, or a fault on the
 * address we made up), else the errno. */
static int reached(long R) { return R >= 0 || errno == EFAULT ? 0 : errno; }

/* One operation of `touch` on process `C`; `Fd` is a descriptor we own. */
static int touchOp(const char *Op, pid_t C, int Fd) {
  const int Sig = SIGWINCH; /* ignored by the targets: nothing changes */
  char Buffer[8];
  struct iovec Local = {Buffer, sizeof Buffer};
  struct iovec Remote = {(void *)0x10000, sizeof Buffer};
  if (!strcmp(Op, "kill"))
    return kill(C, Sig) < 0 ? errno : 0;
  if (!strcmp(Op, "killpg"))
    return kill(-C, Sig) < 0 ? errno : 0;
  if (!strcmp(Op, "kill-init"))
    return kill(1, SIGTERM) < 0 ? errno : 0;
  if (!strcmp(Op, "tkill"))
    return syscall(SYS_tkill, C, Sig) < 0 ? errno : 0;
  if (!strcmp(Op, "tgkill"))
    return syscall(SYS_tgkill, C, C, Sig) < 0 ? errno : 0;
  if (!strcmp(Op, "sigqueue")) {
    union sigval V = {.sival_int = 7};
    return sigqueue(C, Sig, V) < 0 ? errno : 0;
  }
  if (!strcmp(Op, "tgsigqueue")) {
    siginfo_t Info;
    memset(&Info, 0, sizeof Info);
    Info.si_signo = Sig;
    Info.si_code = SI_QUEUE;
    Info.si_pid = getpid();
    return syscall(SYS_rt_tgsigqueueinfo, C, C, Sig, &Info) < 0 ? errno : 0;
  }
  if (!strcmp(Op, "pidfd-signal") || !strcmp(Op, "pidfd-getfd")) {
    int P = (int)syscall(SYS_pidfd_open, C, 0);
    if (P < 0)
      return 1000 + errno;
    long R = !strcmp(Op, "pidfd-signal")
                 ? syscall(SYS_pidfd_send_signal, P, Sig, NULL, 0)
                 : syscall(SYS_pidfd_getfd, P, 0, 0);
    int E = R < 0 ? errno : 0;
    if (R >= 0 && !strcmp(Op, "pidfd-getfd"))
      close((int)R);
    close(P);
    return E;
  }
  if (!strcmp(Op, "ptrace-attach"))
    return syscall(SYS_ptrace, 16 /*PTRACE_ATTACH*/, C, 0, 0) < 0 ? errno : 0;
  if (!strcmp(Op, "ptrace-seize"))
    return syscall(SYS_ptrace, 0x4206 /*PTRACE_SEIZE*/, C, 0, 0) < 0 ? errno
                                                                    : 0;
  if (!strcmp(Op, "vm-read"))
    return reached(process_vm_readv(C, &Local, 1, &Remote, 1, 0));
  if (!strcmp(Op, "vm-write"))
    return reached(process_vm_writev(C, &Local, 1, &Remote, 1, 0));
  if (!strcmp(Op, "kcmp"))
    return syscall(SYS_kcmp, getpid(), C, 0 /*KCMP_FILE*/, 0, 0) < 0 ? errno
                                                                     : 0;
  if (!strcmp(Op, "setown"))
    return fcntl(Fd, F_SETOWN, C) < 0 ? errno : 0;
  if (!strcmp(Op, "setown-ex")) {
    struct f_owner_ex Owner = {F_OWNER_PID, C};
    return fcntl(Fd, F_SETOWN_EX, &Owner) < 0 ? errno : 0;
  }
  if (!strcmp(Op, "proc-mem")) {
    char Path[64];
    snprintf(Path, sizeof Path, "/proc/%d/mem", C);
    int M = open(Path, O_RDWR);
    if (M < 0)
      return errno;
    close(M);
    return 0;
  }
  return 999;
}

/* SysV objects: KIND is shm, sem or msg; KEY 0 is IPC_PRIVATE. */
static int ipcGet(const char *Kind, key_t Key, int Flags) {
  if (!strcmp(Kind, "shm"))
    return shmget(Key, 4096, Flags);
  if (!strcmp(Kind, "sem"))
    return semget(Key, 1, Flags);
  return msgget(Key, Flags);
}

static int ipcUse(const char *Kind, int Id) {
  if (!strcmp(Kind, "shm")) {
    void *P = shmat(Id, NULL, 0);
    if (P == (void *)-1)
      return errno;
    shmdt(P);
    return 0;
  }
  if (!strcmp(Kind, "sem")) {
    struct sembuf Op = {0, 1, IPC_NOWAIT};
    return semop(Id, &Op, 1) < 0 ? errno : 0;
  }
  struct {
    long Type;
    char Text[4];
  } Msg = {1, "hi"};
  return msgsnd(Id, &Msg, sizeof Msg.Text, IPC_NOWAIT) < 0 ? errno : 0;
}

static int ipcStat(const char *Kind, int Id) {
  if (!strcmp(Kind, "shm")) {
    struct shmid_ds D;
    return shmctl(Id, IPC_STAT, &D) < 0 ? errno : 0;
  }
  if (!strcmp(Kind, "sem"))
    return semctl(Id, 0, GETVAL) < 0 ? errno : 0;
  struct msqid_ds D;
  return msgctl(Id, IPC_STAT, &D) < 0 ? errno : 0;
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
  if (!strcmp(Cmd, "touch")) {
    /* touch OP... -- PROGRAM ARGS: starts PROGRAM (its pea follows the
     * transition rules), waits until it sleeps in its new program, tries
     * each OP on it, then ends it (EOF on its input) and waits for it. */
    int Sep = 2;
    while (Sep < Argc && strcmp(Argv[Sep], "--"))
      ++Sep;
    if (Sep + 1 >= Argc)
      return 2;
    int In[2];
    if (pipe(In) != 0)
      return 1;
    pid_t C = fork();
    if (C == 0) {
      setpgid(0, 0);
      dup2(In[0], 0);
      close(In[0]);
      close(In[1]);
      execv(Argv[Sep + 1], Argv + Sep + 1);
      _exit(127);
    }
    close(In[0]);
    for (int I = 0; I < 2000 && (sameExe(C) || stateOf(C) != 'S'); ++I)
      usleep(5000);
    for (int I = 2; I < Sep; ++I)
      printf("%s %d\n", Argv[I], touchOp(Argv[I], C, In[1]));
    close(In[1]);
    printf("wait %d\n", waitChild(C));
    return 0;
  }
  if (!strcmp(Cmd, "ipc-create") && Argc > 3) {
    int Id = ipcGet(Argv[2], (key_t)atoi(Argv[3]), IPC_CREAT | 0600);
    printf("create %d %d\n", Id < 0 ? errno : 0, Id);
    return 0;
  }
  if (!strcmp(Cmd, "ipc-use") && Argc > 4) {
    /* ipc-use KIND KEY ID: the *get of KEY (unless 0), then ID used. */
    key_t Key = (key_t)atoi(Argv[3]);
    int Id = atoi(Argv[4]);
    if (Key != 0) {
      int Got = ipcGet(Argv[2], Key, 0);
      printf("get %d\n", Got < 0 ? errno : 0);
    }
    printf("use %d\n", ipcUse(Argv[2], Id));
    printf("stat %d\n", ipcStat(Argv[2], Id));
    return 0;
  }
  if (!strcmp(Cmd, "mknod")) {
    /* Devices are refused; FIFOs and sockets are not. */
    unlink("/tmp/chr");
    unlink("/tmp/blk");
    unlink("/tmp/fifo");
    unlink("/tmp/sock");
    int R = mknod("/tmp/chr", S_IFCHR | 0600, makedev(1, 3));
    printf("chr %d\n", R < 0 ? errno : 0);
    R = mknodat(AT_FDCWD, "/tmp/blk", S_IFBLK | 0600, makedev(7, 0));
    printf("blk %d\n", R < 0 ? errno : 0);
    R = mknod("/tmp/fifo", S_IFIFO | 0600, 0);
    printf("fifo %d\n", R < 0 ? errno : 0);
    R = mknodat(AT_FDCWD, "/tmp/sock", S_IFSOCK | 0600, 0);
    printf("sock %d\n", R < 0 ? errno : 0);
    return 0;
  }
  if (!strcmp(Cmd, "pingpong") && Argc > 3) {
    /* pingpong N signal|msg: N round trips parent <-> child (bench/). */
    long N = atol(Argv[2]);
    int Msg = !strcmp(Argv[3], "msg");
    sigset_t Set;
    sigemptyset(&Set);
    sigaddset(&Set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &Set, NULL);
    int Q = Msg ? msgget(IPC_PRIVATE, IPC_CREAT | 0600) : -1;
    struct {
      long Type;
      char Text[8];
    } M = {1, "x"};
    pid_t Parent = getpid();
    pid_t C = fork();
    int Sig;
    for (long I = 0; I < N; ++I) {
      if (C == 0) {
        if (Msg) {
          msgrcv(Q, &M, sizeof M.Text, 1, 0);
          M.Type = 2;
          msgsnd(Q, &M, sizeof M.Text, 0);
        } else {
          sigwait(&Set, &Sig);
          kill(Parent, SIGUSR1);
        }
      } else if (Msg) {
        M.Type = 1;
        msgsnd(Q, &M, sizeof M.Text, 0);
        msgrcv(Q, &M, sizeof M.Text, 2, 0);
      } else {
        kill(C, SIGUSR1);
        sigwait(&Set, &Sig);
      }
    }
    if (C == 0)
      _exit(0);
    waitChild(C);
    if (Msg)
      msgctl(Q, IPC_RMID, NULL);
    return 0;
  }
  if (!strcmp(Cmd, "signal-loop") && Argc > 3) {
    /* signal-loop N getpid|kill: N calls, for the notification cost. */
    long N = atol(Argv[2]);
    int Kill = !strcmp(Argv[3], "kill");
    signal(SIGURG, SIG_IGN);
    for (long I = 0; I < N; ++I) {
      if (Kill)
        kill(getpid(), SIGURG);
      else
        syscall(SYS_getpid);
    }
    return 0;
  }
  return 2;
}
