/*===- bpf_maps.h - The maps the runtime's cgroup programs read ----------===*
 *
 * Shared by the BPF programs (runtime/bpf/pod.bpf.c, compiled with clang
 * -target bpf over vmlinux.h) and the C++ that fills the maps (peapod_bpf,
 * the runtime), so that both sides agree on every byte. docs/bpf.md.
 *
 * Network rules are a longest-prefix-match trie: a key is the pea, the
 * direction, the protocol and the port, in that order, big-endian, so that a
 * port range is a few prefixes and `allow` is one prefix (pea, direction).
 * A lookup of the full 64 bits finds an entry exactly when the rule permits.
 *===----------------------------------------------------------------------===*/
#ifndef PEAPOD_BPF_MAPS_H
#define PEAPOD_BPF_MAPS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

enum peapod_bpf_dir { PEAPOD_BPF_BIND = 0, PEAPOD_BPF_CONNECT = 1 };
/* Same values as enum ppi_proto; OTHER: any protocol but TCP and UDP (raw,
 * ICMP, SCTP...), which only `allow` permits. */
enum peapod_bpf_proto {
  PEAPOD_BPF_TCP = 0,
  PEAPOD_BPF_UDP = 1,
  PEAPOD_BPF_OTHER = 2
};

#define PEAPOD_BPF_NET_KEY_BITS 64u
struct peapod_net_key {
  __u32 prefixlen; /* bits of data that must match */
  __u8 data[8];    /* pea (big-endian), dir, proto, port (big-endian) */
};

/* A unix socket path: the pea (big-endian) and the path with its NUL, so
 * that "P\0" matches P exactly and "P/" everything below P. */
#define PEAPOD_BPF_UNIX_PATH_MAX 108u
struct peapod_unix_key {
  __u32 prefixlen;
  __u8 data[4 + PEAPOD_BPF_UNIX_PATH_MAX + 1];
};

/* A device the pea may open: minor PEAPOD_BPF_ANY_MINOR matches any minor
 * of the major. The value is the BPF_DEVCG_ACC_* mask it may use. */
#define PEAPOD_BPF_ANY_MINOR 0xffffffffu
struct peapod_dev_key {
  __u32 pea;
  __u32 type; /* BPF_DEVCG_DEV_CHAR or BPF_DEVCG_DEV_BLOCK */
  __u32 major, minor;
};

/* What a program reports through the ring buffer for every decision it
 * denies (or, in complain mode, would deny). */
enum peapod_bpf_op {
  PEAPOD_OP_BIND = 0,
  PEAPOD_OP_CONNECT = 1,
  PEAPOD_OP_SENDMSG = 2,
  PEAPOD_OP_CONNECT_UNIX = 3,
  PEAPOD_OP_SENDMSG_UNIX = 4,
  PEAPOD_OP_DEVICE = 5
};

struct peapod_bpf_event {
  __u32 pea;    /* global pea index of the program's cgroup */
  __u32 pid;    /* thread group id, host PID namespace */
  __u32 op;     /* enum peapod_bpf_op */
  __u32 denied; /* 1 if the caller got EPERM, 0 in complain mode */
  __u32 family; /* AF_INET, AF_INET6, AF_UNIX; 0 for devices */
  __u32 proto;  /* enum peapod_bpf_proto */
  __u32 port;   /* host byte order */
  __u32 dev_type, dev_major, dev_minor, dev_access;
  __u8 addr[16]; /* IPv4 in the first 4 bytes, or IPv6 */
  char path[PEAPOD_BPF_UNIX_PATH_MAX];
};

#endif /* PEAPOD_BPF_MAPS_H */
