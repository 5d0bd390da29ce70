// SPDX-License-Identifier: GPL-2.0
/*===- pod.bpf.c - A pea's network and device rules, in its cgroup -------===*
 *
 * Loaded once per pea (the pea's global index and complain mode are
 * read-only data set before the load) and attached to the pea's cgroup, so
 * the programs that decide are those of the cgroup a socket was created in
 * (the kernel runs the programs of the socket's cgroup, not of the caller):
 * docs/bpf.md. Every instance shares the maps. A program allows (1) or
 * denies (0: the caller gets EPERM); in complain mode it allows and reports.
 * Every denial is reported through the ring buffer for the audit log.
 *===----------------------------------------------------------------------===*/
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "peapod/bpf_maps.h"

#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_UDPLITE 136
#define IPPROTO_MPTCP 262

const volatile __u32 pea = 0;
const volatile __u32 complain = 0;

struct {
  __uint(type, BPF_MAP_TYPE_LPM_TRIE);
  __type(key, struct peapod_net_key);
  __type(value, __u8);
  __uint(max_entries, 65536);
  __uint(map_flags, BPF_F_NO_PREALLOC);
} net_rules SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LPM_TRIE);
  __type(key, struct peapod_unix_key);
  __type(value, __u8); /* rwx, PPI_ACCESS_* */
  __uint(max_entries, 65536);
  __uint(map_flags, BPF_F_NO_PREALLOC);
} unix_rules SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, struct peapod_dev_key);
  __type(value, __u32);
  __uint(max_entries, 4096);
} dev_rules SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* A denial: reported, and the verdict (allowed anyway in complain mode). */
static __always_inline int refuse(struct peapod_bpf_event *E) {
  E->pea = pea;
  E->pid = (__u32)(bpf_get_current_pid_tgid() >> 32);
  E->denied = !complain;
  bpf_ringbuf_output(&events, E, sizeof *E, 0);
  return complain ? 1 : 0;
}

static __always_inline __u32 protoOf(struct bpf_sock_addr *ctx) {
  switch (ctx->protocol) {
  case IPPROTO_TCP:
  case IPPROTO_MPTCP:
    return PEAPOD_BPF_TCP;
  case IPPROTO_UDP:
  case IPPROTO_UDPLITE:
    return PEAPOD_BPF_UDP;
  default:
    return PEAPOD_BPF_OTHER;
  }
}

/* `family` is the hook's (a constant): an IPv4 hook may not read user_ip6,
 * an IPv6 hook may not read user_ip4. */
static __always_inline int decideNet(struct bpf_sock_addr *ctx, __u32 family,
                                     __u32 dir, __u32 op) {
  __u32 proto = protoOf(ctx);
  __u16 port = bpf_ntohs((__u16)ctx->user_port);
  struct peapod_net_key key = {.prefixlen = PEAPOD_BPF_NET_KEY_BITS};
  key.data[0] = pea >> 24;
  key.data[1] = pea >> 16;
  key.data[2] = pea >> 8;
  key.data[3] = pea;
  key.data[4] = dir;
  key.data[5] = proto;
  key.data[6] = port >> 8;
  key.data[7] = port;
  if (bpf_map_lookup_elem(&net_rules, &key))
    return 1;
  struct peapod_bpf_event E = {};
  E.op = op;
  E.family = family;
  E.proto = proto;
  E.port = port;
  if (family == AF_INET) {
    __u32 ip = ctx->user_ip4;
    __builtin_memcpy(E.addr, &ip, 4);
  } else {
    /* Constant offsets: the verifier refuses a moved context pointer. */
    __u32 w0 = ctx->user_ip6[0], w1 = ctx->user_ip6[1];
    __u32 w2 = ctx->user_ip6[2], w3 = ctx->user_ip6[3];
    __builtin_memcpy(E.addr, &w0, 4);
    __builtin_memcpy(E.addr + 4, &w1, 4);
    __builtin_memcpy(E.addr + 8, &w2, 4);
    __builtin_memcpy(E.addr + 12, &w3, 4);
  }
  return refuse(&E);
}

SEC("cgroup/bind4")
int bind4(struct bpf_sock_addr *ctx) {
  return decideNet(ctx, AF_INET, PEAPOD_BPF_BIND, PEAPOD_OP_BIND);
}
SEC("cgroup/bind6")
int bind6(struct bpf_sock_addr *ctx) {
  return decideNet(ctx, AF_INET6, PEAPOD_BPF_BIND, PEAPOD_OP_BIND);
}
SEC("cgroup/connect4")
int connect4(struct bpf_sock_addr *ctx) {
  return decideNet(ctx, AF_INET, PEAPOD_BPF_CONNECT, PEAPOD_OP_CONNECT);
}
SEC("cgroup/connect6")
int connect6(struct bpf_sock_addr *ctx) {
  return decideNet(ctx, AF_INET6, PEAPOD_BPF_CONNECT, PEAPOD_OP_CONNECT);
}
SEC("cgroup/sendmsg4")
int sendmsg4(struct bpf_sock_addr *ctx) {
  return decideNet(ctx, AF_INET, PEAPOD_BPF_CONNECT, PEAPOD_OP_SENDMSG);
}
SEC("cgroup/sendmsg6")
int sendmsg6(struct bpf_sock_addr *ctx) {
  return decideNet(ctx, AF_INET6, PEAPOD_BPF_CONNECT, PEAPOD_OP_SENDMSG);
}

/* A unix socket's path needs write access under the pea's file rules (the
 * kernel asks write permission of the socket file to connect). The path is
 * the one named, normalised: relative paths and ".", ".." or empty
 * components are refused, since the trie only holds normalised paths. */
static __always_inline int decideUnix(struct bpf_sock_addr *ctx, __u32 op) {
  struct bpf_sock_addr_kern *kern = bpf_cast_to_kern_ctx(ctx);
  struct sockaddr_un *addr = bpf_rdonly_cast(
      kern->uaddr, bpf_core_type_id_kernel(struct sockaddr_un));
  __u32 len = kern->uaddrlen;
  len = len > 2 ? len - 2 : 0; /* sun_family */
  if (len > PEAPOD_BPF_UNIX_PATH_MAX)
    len = PEAPOD_BPF_UNIX_PATH_MAX;
  if (len == 0 || addr->sun_path[0] == 0)
    return 1; /* unnamed or abstract: no file (namespace rules decide) */
  char path[PEAPOD_BPF_UNIX_PATH_MAX + 4] = {}; /* room to look ahead */
  long n = bpf_probe_read_kernel_str(path, len + 1, addr->sun_path);
  int bad = n <= 1 || path[0] != '/';
  /* Each position on its own (no state across iterations, so the verifier
   * sees few states): "//", a trailing "/", "/." and "/.." components. */
  for (int i = 0; i < PEAPOD_BPF_UNIX_PATH_MAX; ++i) {
    if (path[i] != '/')
      continue;
    char a = path[i + 1], b = path[i + 2], c = path[i + 3];
    if (a == '/' || a == 0 || (a == '.' && (b == '/' || b == 0)) ||
        (a == '.' && b == '.' && (c == '/' || c == 0)))
      bad = 1;
  }
  if (!bad && n > 1 && n <= PEAPOD_BPF_UNIX_PATH_MAX + 1) {
    struct peapod_unix_key key = {};
    key.data[0] = pea >> 24;
    key.data[1] = pea >> 16;
    key.data[2] = pea >> 8;
    key.data[3] = pea;
    __builtin_memcpy(key.data + 4, path, PEAPOD_BPF_UNIX_PATH_MAX);
    key.prefixlen = (4 + (__u32)n) * 8; /* n counts the NUL: exact path */
    __u8 *access = bpf_map_lookup_elem(&unix_rules, &key);
    if (access && (*access & 2 /* PPI_ACCESS_WRITE */))
      return 1;
  }
  struct peapod_bpf_event E = {};
  __builtin_memcpy(E.path, path, PEAPOD_BPF_UNIX_PATH_MAX);
  E.op = op;
  E.family = AF_UNIX;
  return refuse(&E);
}

SEC("?cgroup/connect4") /* BPF_CGROUP_UNIX_CONNECT, set before the load */
int connect_unix(struct bpf_sock_addr *ctx) {
  return decideUnix(ctx, PEAPOD_OP_CONNECT_UNIX);
}
SEC("?cgroup/sendmsg4") /* BPF_CGROUP_UNIX_SENDMSG, set before the load */
int sendmsg_unix(struct bpf_sock_addr *ctx) {
  return decideUnix(ctx, PEAPOD_OP_SENDMSG_UNIX);
}

SEC("cgroup/dev")
int dev(struct bpf_cgroup_dev_ctx *ctx) {
  __u32 type = ctx->access_type & 0xffff;
  __u32 access = ctx->access_type >> 16;
  struct peapod_dev_key key = {pea, type, ctx->major, ctx->minor};
  __u32 *allowed = bpf_map_lookup_elem(&dev_rules, &key);
  if (!allowed) {
    key.minor = PEAPOD_BPF_ANY_MINOR;
    allowed = bpf_map_lookup_elem(&dev_rules, &key);
  }
  if (allowed && (access & ~*allowed) == 0)
    return 1;
  struct peapod_bpf_event E = {};
  E.op = PEAPOD_OP_DEVICE;
  E.dev_type = type;
  E.dev_major = ctx->major;
  E.dev_minor = ctx->minor;
  E.dev_access = access;
  return refuse(&E);
}

char LICENSE[] SEC("license") = "GPL";
