/*===- image.h - The binary policy image: layout, loader, lookups -*- C -*-===*
 *
 * The image `peapodc --target kmod` writes and a kernel module (or any C
 * program) maps and reads in place. docs/image-format.md is the specification;
 * the structures below are its byte layouts. Every field is little-endian and
 * naturally aligned, every reference is an index or an offset (never a
 * pointer), so a file can be mmap-ed and used without copying.
 *
 * ppi_open() validates everything once (digest, then every bound); after it
 * succeeds the lookups trust the image and only bound their loops. Nothing
 * here allocates, recurses or needs libc beyond memcmp/memset (and snprintf
 * for the error text of ppi_open).
 *
 *===----------------------------------------------------------------------===*/
#ifndef PEAPOD_IMAGE_H
#define PEAPOD_IMAGE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#ifdef __cplusplus
extern "C" {
#define PPI_STATIC_ASSERT(C, M) static_assert(C, M)
#else
#define PPI_STATIC_ASSERT(C, M) _Static_assert(C, M)
#endif

/*--- Constants ------------------------------------------------------------*/

#define PPI_MAGIC "PEAPODIM" /* 8 bytes, no terminator in the file */
#define PPI_MAGIC_SIZE 8
#define PPI_VERSION 3u
#define PPI_HEADER_SIZE 64u
#define PPI_DIGEST_SIZE 32u
#define PPI_ALIGN 8u         /* every section starts on this boundary */
#define PPI_NONE 0xFFFFFFFFu /* "no rule / no node / no pea" in any index */
/* The deepest node a tree may have: PATH_MAX (4096) allows at most 2048
 * components, so nothing deeper can ever be asked about. */
#define PPI_MAX_DEPTH 2048u

/* The size of the hash table of a node with `children` children: none for
 * no children, one slot for one child, else the smallest power of two that
 * keeps the load at most 3/4 (so at least a quarter of it is empty and a
 * miss ends early). The loader requires exactly this size. */
static inline uint32_t ppi_table_size(uint32_t children) {
  if (children <= 1)
    return children;
  uint32_t size = 4;
  while (size != 0 && (uint64_t)children * 4 > (uint64_t)size * 3)
    size *= 2; /* 0 past 2^31: no such table */
  return size;
}

/* Section ids, in the order they must appear in the section table. */
enum ppi_section_id {
  PPI_SEC_STRINGS = 1,
  PPI_SEC_PODS = 2,
  PPI_SEC_PEAS = 3,
  PPI_SEC_RULES = 4,
  PPI_SEC_NODES = 5,
  PPI_SEC_SLOTS = 6,
  PPI_SEC_PORTS = 7,
  PPI_SEC_TOUCH = 8, /* per pea: the peas its `namespace` rules name */
};
#define PPI_SECTION_COUNT 8u

/* Payload flags. */
#define PPI_FLAG_LOCATIONS 0x1u /* rules carry file, line and column */

/* Decision kinds; the values are peapod::DecisionKind's. */
enum ppi_kind {
  PPI_KIND_PATH = 0,
  PPI_KIND_DIR_DEFAULT = 1,
  PPI_KIND_IMPLICIT = 2,
  PPI_KIND_DEFAULT = 3,
};

/* Rule kinds in the rule table. */
enum ppi_rule_kind {
  PPI_RULE_PATH = 0,
  PPI_RULE_DIR_DEFAULT = 1,
  PPI_RULE_TRANSITION = 2,
};

/* Access bits (rwx), as peapod::AccessBits. */
#define PPI_ACCESS_EXECUTE 1u
#define PPI_ACCESS_WRITE 2u
#define PPI_ACCESS_READ 4u
#define PPI_ACCESS_ALL 7u

/* Pea namespace flags (struct ppi_pea.touch_flags). */
#define PPI_TOUCH_GLOBAL 0x1u /* `namespace global`: every pea of the pod */

/* Network table flags. */
#define PPI_NET_ALLOW_ALL 0x1u
#define PPI_NET_DENY_ALL 0x2u /* wins over everything */

enum ppi_proto { PPI_PROTO_TCP = 0, PPI_PROTO_UDP = 1 };

/* Which answer of a node: a path exactly at the node or strictly below it
 * (and not in the tree), asked as a file or as a directory. */
enum ppi_answer_slot {
  PPI_AT_FILE = 0,
  PPI_AT_DIR = 1,
  PPI_BELOW_FILE = 2,
  PPI_BELOW_DIR = 3,
};

/*--- Layouts (see docs/image-format.md) -----------------------------------*/

struct ppi_header {                /* at offset 0, not covered by digest */
  char magic[PPI_MAGIC_SIZE];      /* "PEAPODIM" */
  uint32_t version;                /* PPI_VERSION */
  uint32_t header_size;            /* PPI_HEADER_SIZE */
  uint64_t image_size;             /* whole file, header included */
  uint8_t reserved[8];             /* zero */
  uint8_t digest[PPI_DIGEST_SIZE]; /* SHA-256 of bytes [64, image_size) */
};

struct ppi_payload_head { /* at offset 64, first digested bytes */
  uint32_t section_count; /* PPI_SECTION_COUNT */
  uint32_t flags;         /* PPI_FLAG_* */
};

struct ppi_section {   /* section table, follows payload head */
  uint32_t id;         /* enum ppi_section_id */
  uint32_t entry_size; /* bytes per entry; 1 for byte sections */
  uint64_t offset;     /* from image start, PPI_ALIGN-aligned */
  uint64_t size;       /* bytes; a multiple of entry_size */
};

struct ppi_pod {
  uint32_t name_off, name_len;   /* in the string section */
  uint32_t first_pea, pea_count; /* peas of a pod are contiguous */
};

struct ppi_net {
  uint32_t flags;                  /* PPI_NET_* */
  uint32_t first_port, port_count; /* sorted, disjoint ranges in PORTS */
};

struct ppi_pea {
  uint32_t name_off, name_len;
  uint32_t pod;                    /* index of its pod */
  uint32_t first_node, node_count; /* first_node is the tree's root "/" */
  uint32_t first_rule, rule_count; /* file rules, then transitions */
  uint32_t touch_flags;            /* PPI_TOUCH_* */
  struct ppi_net bind, outgoing;
  /* The peas its `namespace PEA` rules name: global pea indices in TOUCH,
   * ascending, each a pea of the same pod other than itself; none when
   * PPI_TOUCH_GLOBAL is set. */
  uint32_t first_touch, touch_count;
};

struct ppi_rule {
  uint32_t path_off, path_len; /* normalised rule path */
  uint32_t file_off, file_len; /* source file; 0,0 without locations */
  uint32_t line, column;       /* 1-based; 0 without locations */
  uint8_t kind;                /* enum ppi_rule_kind */
  uint8_t access;              /* rwx mask, 0 = deny; 0 for transitions */
  uint16_t reserved;           /* zero */
  uint32_t target;             /* transition: pea index in the pod (the
                                  lookups return global indices) */
};

struct ppi_answer {  /* a file access decision, precomputed */
  uint32_t rule;     /* global rule index; PPI_NONE: Default */
  uint8_t access;    /* rwx */
  uint8_t kind;      /* enum ppi_kind */
  uint16_t reserved; /* zero */
};

struct ppi_node {                  /* one directory of a pea's tree */
  struct ppi_answer answer[4];     /* by enum ppi_answer_slot */
  uint32_t transition;             /* rule of the longest transition
                                      covering the node, or PPI_NONE */
  uint32_t first_slot, slot_count; /* its hash table; count 0 or 2^k,
                                      see ppi_table_size */
  uint32_t depth;                  /* components from the root */
};

struct ppi_slot {              /* open addressing, linear probing */
  uint32_t hash;               /* ppi_fnv1a(name) */
  uint32_t name_off, name_len; /* one path component */
  uint32_t child;              /* node index; PPI_NONE: empty slot */
  uint32_t first_slot;         /* copies of the child's table, so that a */
  uint32_t slot_count;         /* walk goes slot to slot, not via nodes */
};

struct ppi_port_range {
  uint16_t low, high;  /* inclusive */
  uint8_t proto;       /* enum ppi_proto */
  uint8_t reserved[3]; /* zero */
};

PPI_STATIC_ASSERT(sizeof(struct ppi_header) == PPI_HEADER_SIZE, "header");
PPI_STATIC_ASSERT(sizeof(struct ppi_payload_head) == 8, "payload head");
PPI_STATIC_ASSERT(sizeof(struct ppi_section) == 24, "section");
PPI_STATIC_ASSERT(sizeof(struct ppi_pod) == 16, "pod");
PPI_STATIC_ASSERT(sizeof(struct ppi_pea) == 64, "pea");
PPI_STATIC_ASSERT(sizeof(struct ppi_rule) == 32, "rule");
PPI_STATIC_ASSERT(sizeof(struct ppi_answer) == 8, "answer");
PPI_STATIC_ASSERT(sizeof(struct ppi_node) == 48, "node");
PPI_STATIC_ASSERT(sizeof(struct ppi_slot) == 24, "slot");
PPI_STATIC_ASSERT(sizeof(struct ppi_port_range) == 8, "port range");

/* The offset of the section table from the start of the image. */
#define PPI_SECTION_TABLE_OFFSET                                               \
  (PPI_HEADER_SIZE + (uint32_t)sizeof(struct ppi_payload_head))

/*--- The loaded image -----------------------------------------------------*/

/* Views into a validated image. Filled by ppi_open; the bytes are borrowed
 * and must outlive it. */
typedef struct ppi_image {
  const uint8_t *base;
  size_t size;
  uint32_t flags;
  const char *strings;
  uint32_t strings_size;
  const struct ppi_pod *pods;
  uint32_t pod_count;
  const struct ppi_pea *peas;
  uint32_t pea_count;
  const struct ppi_rule *rules;
  uint32_t rule_count;
  const struct ppi_node *nodes;
  uint32_t node_count;
  const struct ppi_slot *slots;
  uint32_t slot_count;
  const struct ppi_port_range *ports;
  uint32_t port_count;
  const uint32_t *touch; /* namespace targets, global pea indices */
  uint32_t touch_count;
} ppi_image;

enum ppi_status {
  PPI_OK = 0,
  PPI_ERR_TRUNCATED, /* the buffer is shorter than something needs */
  PPI_ERR_MAGIC,
  PPI_ERR_VERSION,
  PPI_ERR_HEADER, /* header size, reserved bytes, trailing data */
  PPI_ERR_DIGEST,
  PPI_ERR_SECTIONS, /* section table */
  PPI_ERR_BOUNDS,   /* an offset, count or index out of range */
  PPI_ERR_VALUE,    /* a field with a value the format does not allow */
};

/* FNV-1a, 32 bits, over the bytes of one path component. The writer uses it
 * to place components and the loader to find them. */
uint32_t ppi_fnv1a(const char *bytes, size_t len);

/* Validates `size` bytes at `data` (which must be PPI_ALIGN-aligned) and
 * fills `img`. On failure returns the status and writes a one-line reason to
 * `err` (if err_size > 0); `img` is then unusable. */
enum ppi_status ppi_open(ppi_image *img, const void *data, size_t size,
                         char *err, size_t err_size);

/* The digest ppi_open expects for an image: SHA-256 of bytes
 * [PPI_HEADER_SIZE, size). Requires size >= PPI_HEADER_SIZE. */
void ppi_payload_digest(const void *data, size_t size,
                        uint8_t out[PPI_DIGEST_SIZE]);

/* A string of the string section (not NUL-terminated). */
static inline const char *ppi_string(const ppi_image *img, uint32_t off) {
  return img->strings + off;
}

/* Every pea argument and result of the functions below is a *global* pea
 * index: an index into img->peas, whatever pod the pea is in. A pod's peas
 * are img->peas[first_pea, first_pea + pea_count). */

/* Pod index by name, or PPI_NONE. */
uint32_t ppi_find_pod(const ppi_image *img, const char *name, size_t len);
/* Global pea index of the pea called `name` in pod `pod`, or PPI_NONE. */
uint32_t ppi_find_pea(const ppi_image *img, uint32_t pod, const char *name,
                      size_t len);

/* The result of one walk down a pea's tree. */
struct ppi_lookup {
  struct ppi_answer access; /* the file access decision */
  uint32_t transition;      /* longest covering transition rule, or NONE */
};

/* Walks pea `pea`'s tree along `path` (normalised: "/" or "/a/b"; empty
 * components are skipped) and returns the precomputed decision for the
 * path asked as a directory or not. An unknown pea answers Default deny. */
struct ppi_lookup ppi_lookup_path(const ppi_image *img, uint32_t pea,
                                  const char *path, size_t len, bool is_dir);

struct ppi_exec {
  bool allowed;             /* the program's access has execute */
  uint32_t pea_after;       /* global pea index after exec */
  struct ppi_answer access; /* the program's access as a file */
  uint32_t transition;      /* the transition rule taken, or PPI_NONE */
};

/* What exec of `path` from pea `pea` does: one walk. */
struct ppi_exec ppi_lookup_exec(const ppi_image *img, uint32_t pea,
                                const char *path, size_t len);

/* Whether the pea may bind (outgoing = false) or connect (outgoing = true)
 * to (proto, port). */
bool ppi_net_permits(const ppi_image *img, uint32_t pea, bool outgoing,
                     uint8_t proto, uint16_t port);

/* Whether pea `pea` may signal, trace or use IPC of pea `target` (language
 * semantics 10): the same pea, or `namespace global`, or a `namespace`
 * rule naming it. False for out-of-range indices and for a pea of another
 * pod. O(log n) in the pea's namespace rules. */
bool ppi_may_touch(const ppi_image *img, uint32_t pea, uint32_t target);

/* Language semantics 7: the pea's access `access` (rwx, as in the answers)
 * triplicated over owner, group and other and ANDed with the permission
 * bits of `mode`; the file type and the set-id and sticky bits of `mode`
 * pass unchanged. r-x over 0100755 gives 0100555. */
static inline uint32_t ppi_effective_mode(uint8_t access, uint32_t mode) {
  uint32_t triplicated = (uint32_t)(access & PPI_ACCESS_ALL) * 0111u;
  return (mode & ~0777u) | (mode & triplicated);
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PEAPOD_IMAGE_H */
