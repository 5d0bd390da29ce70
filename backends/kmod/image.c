/*===- image.c - Validate a policy image once, then answer in O(depth) ----===*
 *
 * ppi_open() is the only place that distrusts the image: it checks the
 * header, the digest, the section table and then every offset, count, index
 * and enum value of every table, so that the lookups below can read the
 * image in place without a single check and still never leave it. The
 * lookups bound their loops anyway (probe count, path length), so even a
 * logically inconsistent but bounds-valid image cannot make them spin.
 *
 * Usable in a kernel module: no allocation, no recursion, no floating
 * point; lookups need only memcmp.
 *
 *===----------------------------------------------------------------------===*/
#include "peapod/image.h"
#include "peapod/sha256.h"

#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#endif

/* The structures are read in place, so the host must share the file's byte
 * order. A big-endian loader would byte-swap on every field access. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the policy image is little-endian and read in place"
#endif

#define FNV1A_BASIS 2166136261u /* FNV-1a 32-bit offset basis */

/* One byte of FNV-1a. */
static inline uint32_t fnv1a_step(uint32_t hash, char byte) {
  return (hash ^ (uint8_t)byte) * 16777619u; /* FNV 32-bit prime */
}

uint32_t ppi_fnv1a(const char *bytes, size_t len) {
  uint32_t hash = FNV1A_BASIS;
  for (size_t i = 0; i < len; ++i)
    hash = fnv1a_step(hash, bytes[i]);
  return hash;
}

void ppi_payload_digest(const void *data, size_t size,
                        uint8_t out[PPI_DIGEST_SIZE]) {
  ppi_sha256_buffer((const uint8_t *)data + PPI_HEADER_SIZE,
                    size - PPI_HEADER_SIZE, out);
}

/*===--- Validation -------------------------------------------------------===*/

/* What every check needs: the image being filled and where to explain. */
struct checker {
  ppi_image *img;
  char *err;
  size_t err_size;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static enum ppi_status
fail(struct checker *c, enum ppi_status status, const char *fmt, ...) {
  if (c->err_size > 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->err_size, fmt, ap);
    va_end(ap);
  }
  return status;
}

/* [off, off + len) lies within [0, size), without overflow. */
static bool fits(uint64_t off, uint64_t len, uint64_t size) {
  return off <= size && len <= size - off;
}

/* A string reference: within the string section and not empty if required.
 * `what` and `index` name the referring entry for the message. */
static enum ppi_status check_string(struct checker *c, const char *what,
                                    uint32_t index, uint32_t off, uint32_t len,
                                    bool non_empty) {
  if (!fits(off, len, c->img->strings_size))
    return fail(c, PPI_ERR_BOUNDS,
                "%s[%u]: string at %u+%u outside section 'strings' "
                "(%u bytes)",
                what, index, off, len, c->img->strings_size);
  if (non_empty && len == 0)
    return fail(c, PPI_ERR_VALUE, "%s[%u]: empty name", what, index);
  return PPI_OK;
}

/* Entries of a table are owned in consecutive runs (a pod's peas, a pea's
 * nodes, ...): each owner's `first` must be where the previous run ended. */
static enum ppi_status check_run(struct checker *c, const char *what,
                                 uint32_t index, const char *field,
                                 uint32_t first, uint32_t count, uint32_t *next,
                                 uint32_t total) {
  if (first != *next)
    return fail(c, PPI_ERR_BOUNDS, "%s[%u]: %s starts at %u, expected %u", what,
                index, field, first, *next);
  if (!fits(first, count, total))
    return fail(c, PPI_ERR_BOUNDS,
                "%s[%u]: %s %u+%u past the end of the table (%u entries)", what,
                index, field, first, count, total);
  *next = first + count;
  return PPI_OK;
}

#define CHECK(expr)                                                            \
  do {                                                                         \
    enum ppi_status check_status_ = (expr);                                    \
    if (check_status_ != PPI_OK)                                               \
      return check_status_;                                                    \
  } while (0)

static enum ppi_status check_header(struct checker *c, const uint8_t *data,
                                    size_t size) {
  if (size < PPI_HEADER_SIZE)
    return fail(c, PPI_ERR_TRUNCATED,
                "truncated: image is %zu bytes, the header alone needs %u",
                size, PPI_HEADER_SIZE);
  if ((uintptr_t)data % PPI_ALIGN != 0)
    return fail(c, PPI_ERR_HEADER, "image not %u-byte aligned in memory",
                PPI_ALIGN);
  const struct ppi_header *h = (const struct ppi_header *)data;
  if (memcmp(h->magic, PPI_MAGIC, PPI_MAGIC_SIZE) != 0)
    return fail(c, PPI_ERR_MAGIC, "not a PeaPod policy image (bad magic)");
  if (h->version != PPI_VERSION)
    return fail(c, PPI_ERR_VERSION,
                "unsupported version: image format version %u, this loader "
                "reads only %u",
                h->version, PPI_VERSION);
  if (h->header_size != PPI_HEADER_SIZE)
    return fail(c, PPI_ERR_HEADER, "header size %u, expected %u",
                h->header_size, PPI_HEADER_SIZE);
  for (unsigned i = 0; i < sizeof h->reserved; ++i)
    if (h->reserved[i] != 0)
      return fail(c, PPI_ERR_HEADER, "header reserved byte %u is not zero", i);
  if (h->image_size > size)
    return fail(c, PPI_ERR_TRUNCATED,
                "truncated: header says %llu bytes, image is %zu",
                (unsigned long long)h->image_size, size);
  if (h->image_size < size)
    return fail(c, PPI_ERR_HEADER, "%llu bytes of trailing data after image",
                (unsigned long long)(size - h->image_size));
  return PPI_OK;
}

static enum ppi_status check_digest(struct checker *c, const uint8_t *data,
                                    size_t size) {
  uint8_t digest[PPI_DIGEST_SIZE];
  ppi_payload_digest(data, size, digest);
  const struct ppi_header *h = (const struct ppi_header *)data;
  if (memcmp(digest, h->digest, PPI_DIGEST_SIZE) != 0)
    return fail(c, PPI_ERR_DIGEST,
                "digest mismatch: the payload's SHA-256 is not the one in "
                "the header (corrupted image)");
  return PPI_OK;
}

/* What each section of this version holds, in table order. */
static const struct {
  uint32_t entry_size;
  const char *name;
} section_kinds[PPI_SECTION_COUNT] = {
    {1, "strings"},
    {sizeof(struct ppi_pod), "pods"},
    {sizeof(struct ppi_pea), "peas"},
    {sizeof(struct ppi_rule), "rules"},
    {sizeof(struct ppi_node), "nodes"},
    {sizeof(struct ppi_slot), "slots"},
    {sizeof(struct ppi_port_range), "ports"},
    {sizeof(uint32_t), "touch"},
};

/* Points the image's view of section `id` at its `count` entries. */
static void set_section(ppi_image *img, uint32_t id, const void *at,
                        uint32_t count) {
  switch (id) {
  case PPI_SEC_STRINGS:
    img->strings = (const char *)at;
    img->strings_size = count;
    break;
  case PPI_SEC_PODS:
    img->pods = (const struct ppi_pod *)at;
    img->pod_count = count;
    break;
  case PPI_SEC_PEAS:
    img->peas = (const struct ppi_pea *)at;
    img->pea_count = count;
    break;
  case PPI_SEC_RULES:
    img->rules = (const struct ppi_rule *)at;
    img->rule_count = count;
    break;
  case PPI_SEC_NODES:
    img->nodes = (const struct ppi_node *)at;
    img->node_count = count;
    break;
  case PPI_SEC_SLOTS:
    img->slots = (const struct ppi_slot *)at;
    img->slot_count = count;
    break;
  case PPI_SEC_PORTS:
    img->ports = (const struct ppi_port_range *)at;
    img->port_count = count;
    break;
  case PPI_SEC_TOUCH:
    img->touch = (const uint32_t *)at;
    img->touch_count = count;
    break;
  }
}

/* Points `img` at section `index` after checking its table entry; `*end` is
 * where the previous section ended (sections ascend and never overlap). */
static enum ppi_status map_section(struct checker *c, const uint8_t *data,
                                   size_t size, uint32_t index, uint64_t *end) {
  const struct ppi_section *s =
      (const struct ppi_section *)(data + PPI_SECTION_TABLE_OFFSET) + index;
  const char *name = section_kinds[index].name;
  uint32_t entry_size = section_kinds[index].entry_size;
  if (s->id != index + 1)
    return fail(c, PPI_ERR_SECTIONS, "section %u has id %u, expected %u ('%s')",
                index, s->id, index + 1, name);
  if (s->entry_size != entry_size)
    return fail(c, PPI_ERR_SECTIONS, "section '%s': entry size %u, expected %u",
                name, s->entry_size, entry_size);
  if (s->offset % PPI_ALIGN != 0 || s->offset < *end)
    return fail(c, PPI_ERR_SECTIONS,
                "section '%s': offset %llu is unaligned or overlaps what "
                "precedes it (ends at %llu)",
                name, (unsigned long long)s->offset, (unsigned long long)*end);
  if (!fits(s->offset, s->size, size))
    return fail(c, PPI_ERR_TRUNCATED,
                "truncated: section '%s' ends at %llu past image size %zu",
                name, (unsigned long long)(s->offset + s->size), size);
  if (s->size % entry_size != 0 || s->size / entry_size >= PPI_NONE)
    return fail(c, PPI_ERR_SECTIONS,
                "section '%s': size %llu is not a whole number of entries",
                name, (unsigned long long)s->size);
  *end = s->offset + s->size;

  set_section(c->img, index + 1, data + s->offset,
              (uint32_t)(s->size / entry_size));
  return PPI_OK;
}

static enum ppi_status check_sections(struct checker *c, const uint8_t *data,
                                      size_t size) {
  uint64_t table_end = PPI_SECTION_TABLE_OFFSET +
                       (uint64_t)PPI_SECTION_COUNT * sizeof(struct ppi_section);
  if (size < table_end)
    return fail(c, PPI_ERR_TRUNCATED,
                "truncated: section table ends at %llu past image size %zu",
                (unsigned long long)table_end, size);
  const struct ppi_payload_head *head =
      (const struct ppi_payload_head *)(data + PPI_HEADER_SIZE);
  if (head->section_count != PPI_SECTION_COUNT)
    return fail(c, PPI_ERR_SECTIONS, "%u sections, version %u has %u",
                head->section_count, PPI_VERSION, PPI_SECTION_COUNT);
  if (head->flags & ~PPI_FLAG_LOCATIONS)
    return fail(c, PPI_ERR_VALUE, "unknown flags 0x%x", head->flags);
  c->img->flags = head->flags;
  uint64_t end = table_end;
  for (uint32_t i = 0; i < PPI_SECTION_COUNT; ++i)
    CHECK(map_section(c, data, size, i, &end));
  return PPI_OK;
}

static enum ppi_status check_pods(struct checker *c) {
  const ppi_image *img = c->img;
  uint32_t next_pea = 0;
  for (uint32_t i = 0; i < img->pod_count; ++i) {
    const struct ppi_pod *pod = &img->pods[i];
    CHECK(check_string(c, "pods", i, pod->name_off, pod->name_len, true));
    CHECK(check_run(c, "pods", i, "peas", pod->first_pea, pod->pea_count,
                    &next_pea, img->pea_count));
  }
  if (next_pea != img->pea_count)
    return fail(c, PPI_ERR_BOUNDS, "pods own %u peas of %u", next_pea,
                img->pea_count);
  return PPI_OK;
}

static enum ppi_status check_net(struct checker *c, uint32_t pea,
                                 const struct ppi_net *net, const char *field,
                                 uint32_t *next_port) {
  const ppi_image *img = c->img;
  if (net->flags & ~(PPI_NET_ALLOW_ALL | PPI_NET_DENY_ALL))
    return fail(c, PPI_ERR_VALUE, "peas[%u]: %s has unknown flags 0x%x", pea,
                field, net->flags);
  CHECK(check_run(c, "peas", pea, field, net->first_port, net->port_count,
                  next_port, img->port_count));
  /* Lookups binary-search, so ranges must ascend and be disjoint. */
  for (uint32_t i = net->first_port; i < *next_port; ++i) {
    const struct ppi_port_range *r = &img->ports[i];
    const struct ppi_port_range *prev = i > net->first_port ? r - 1 : NULL;
    if (r->proto > PPI_PROTO_UDP || r->low > r->high || r->reserved[0] ||
        r->reserved[1] || r->reserved[2])
      return fail(c, PPI_ERR_VALUE, "ports[%u]: invalid range", i);
    if (prev && (prev->proto > r->proto ||
                 (prev->proto == r->proto && prev->high >= r->low)))
      return fail(c, PPI_ERR_VALUE,
                  "ports[%u]: ranges of peas[%u].%s not sorted and disjoint", i,
                  pea, field);
  }
  return PPI_OK;
}

/* The namespace targets of pea `pea`: a run of the touch section holding
 * peas of its own pod other than itself, strictly ascending (the lookup
 * binary-searches them), and no run at all under `namespace global`. */
static enum ppi_status check_touch(struct checker *c, uint32_t pea,
                                   const struct ppi_pod *pod,
                                   uint32_t *next_touch) {
  const ppi_image *img = c->img;
  const struct ppi_pea *p = &img->peas[pea];
  if (p->touch_flags & ~PPI_TOUCH_GLOBAL)
    return fail(c, PPI_ERR_VALUE, "peas[%u]: unknown namespace flags 0x%x", pea,
                p->touch_flags);
  CHECK(check_run(c, "peas", pea, "touch", p->first_touch, p->touch_count,
                  next_touch, img->touch_count));
  if ((p->touch_flags & PPI_TOUCH_GLOBAL) && p->touch_count != 0)
    return fail(c, PPI_ERR_VALUE,
                "peas[%u]: namespace global with %u namespace targets", pea,
                p->touch_count);
  for (uint32_t i = p->first_touch; i < *next_touch; ++i) {
    uint32_t target = img->touch[i];
    if (target < pod->first_pea || target - pod->first_pea >= pod->pea_count)
      return fail(c, PPI_ERR_BOUNDS,
                  "touch[%u]: pea %u of peas[%u] is not in its pod (peas "
                  "%u..%u)",
                  i, target, pea, pod->first_pea,
                  pod->first_pea + pod->pea_count);
    if (target == pea)
      return fail(c, PPI_ERR_VALUE, "touch[%u]: peas[%u] names itself", i, pea);
    if (i > p->first_touch && img->touch[i - 1] >= target)
      return fail(c, PPI_ERR_VALUE,
                  "touch[%u]: namespace targets of peas[%u] not ascending", i,
                  pea);
  }
  return PPI_OK;
}

/* The rules of one pea: file rules and transitions whose targets are peas
 * of `pod`. */
static enum ppi_status check_rules(struct checker *c, uint32_t pea,
                                   const struct ppi_pod *pod) {
  const ppi_image *img = c->img;
  const struct ppi_pea *p = &img->peas[pea];
  bool locations = (img->flags & PPI_FLAG_LOCATIONS) != 0;
  for (uint32_t i = p->first_rule; i < p->first_rule + p->rule_count; ++i) {
    const struct ppi_rule *r = &img->rules[i];
    CHECK(check_string(c, "rules", i, r->path_off, r->path_len, true));
    CHECK(check_string(c, "rules", i, r->file_off, r->file_len, false));
    if (r->kind > PPI_RULE_TRANSITION || r->access > PPI_ACCESS_ALL ||
        r->reserved != 0)
      return fail(c, PPI_ERR_VALUE, "rules[%u]: invalid kind or access", i);
    bool transition = r->kind == PPI_RULE_TRANSITION;
    if (transition ? (r->target >= pod->pea_count || r->access != 0)
                   : r->target != PPI_NONE)
      return fail(c, PPI_ERR_VALUE, "rules[%u]: invalid transition target %u",
                  i, r->target);
    if (!locations && (r->file_len || r->line || r->column))
      return fail(c, PPI_ERR_VALUE,
                  "rules[%u]: a location in an image without locations", i);
  }
  return PPI_OK;
}

/* A rule reference of one of pea `p`'s nodes: a rule of that pea, of the
 * expected kind. */
static bool rule_of_pea(const ppi_image *img, const struct ppi_pea *p,
                        uint32_t rule, bool transition) {
  if (rule < p->first_rule || rule - p->first_rule >= p->rule_count)
    return false;
  return (img->rules[rule].kind == PPI_RULE_TRANSITION) == transition;
}

static enum ppi_status check_answers(struct checker *c, const struct ppi_pea *p,
                                     uint32_t n) {
  const struct ppi_node *node = &c->img->nodes[n];
  for (unsigned a = 0; a < 4; ++a) {
    const struct ppi_answer *ans = &node->answer[a];
    bool is_default = ans->kind == PPI_KIND_DEFAULT;
    if (ans->kind > PPI_KIND_DEFAULT || ans->access > PPI_ACCESS_ALL ||
        ans->reserved != 0)
      return fail(c, PPI_ERR_VALUE, "nodes[%u]: answer %u invalid", n, a);
    if (is_default ? ans->rule != PPI_NONE
                   : !rule_of_pea(c->img, p, ans->rule, false))
      return fail(c, PPI_ERR_BOUNDS,
                  "nodes[%u]: answer %u names rule %u, not a file rule of "
                  "its pea",
                  n, a, ans->rule);
  }
  if (node->transition != PPI_NONE &&
      !rule_of_pea(c->img, p, node->transition, true))
    return fail(c, PPI_ERR_BOUNDS,
                "nodes[%u]: transition %u is not a transition of its pea", n,
                node->transition);
  return PPI_OK;
}

/* Node `n`'s hash table: children are later nodes of the same pea, one
 * level deeper (so the tree is acyclic and no deeper than PPI_MAX_DEPTH),
 * and each sits under the hash of its name. Each used slot carries a copy
 * of its child's table (first_slot, slot_count), which the walk follows
 * instead of the child node: the copy must be exact, so that it is as
 * trustworthy as the child node, whose table check_node validates. The
 * table has exactly ppi_table_size(children) slots (load at most 3/4, so a
 * failed probe ends early, or a single slot for a single child). */
static enum ppi_status check_slots(struct checker *c, const struct ppi_pea *p,
                                   uint32_t n) {
  const ppi_image *img = c->img;
  const struct ppi_node *node = &img->nodes[n];
  uint32_t pea_end = p->first_node + p->node_count;
  uint32_t used = 0;
  for (uint32_t i = node->first_slot; i < node->first_slot + node->slot_count;
       ++i) {
    const struct ppi_slot *s = &img->slots[i];
    if (s->child == PPI_NONE) {
      if (s->hash || s->name_off || s->name_len || s->first_slot ||
          s->slot_count)
        return fail(c, PPI_ERR_VALUE, "slots[%u]: empty slot not zeroed", i);
      continue;
    }
    ++used;
    CHECK(check_string(c, "slots", i, s->name_off, s->name_len, true));
    if (s->child <= n || s->child >= pea_end)
      return fail(c, PPI_ERR_BOUNDS,
                  "slots[%u]: child %u of node %u outside %u..%u", i, s->child,
                  n, n + 1, pea_end);
    const struct ppi_node *child = &img->nodes[s->child];
    if (child->depth != node->depth + 1)
      return fail(c, PPI_ERR_VALUE, "slots[%u]: child %u at depth %u under %u",
                  i, s->child, child->depth, node->depth);
    if (s->first_slot != child->first_slot ||
        s->slot_count != child->slot_count)
      return fail(c, PPI_ERR_VALUE,
                  "slots[%u]: copy of child %u's table (slots %u+%u) differs "
                  "from the node's (slots %u+%u)",
                  i, s->child, s->first_slot, s->slot_count, child->first_slot,
                  child->slot_count);
    if (s->hash != ppi_fnv1a(ppi_string(img, s->name_off), s->name_len))
      return fail(c, PPI_ERR_VALUE, "slots[%u]: hash does not match name", i);
  }
  if (node->slot_count != ppi_table_size(used))
    return fail(c, PPI_ERR_VALUE,
                "nodes[%u]: hash table of %u slots for %u children, expected "
                "%u",
                n, node->slot_count, used, ppi_table_size(used));
  return PPI_OK;
}

static enum ppi_status check_node(struct checker *c, const struct ppi_pea *p,
                                  uint32_t n, uint32_t *next_slot) {
  const struct ppi_node *node = &c->img->nodes[n];
  bool root = n == p->first_node;
  if (root ? node->depth != 0 : node->depth == 0 || node->depth > PPI_MAX_DEPTH)
    return fail(c, PPI_ERR_VALUE, "nodes[%u]: depth %u", n, node->depth);
  if (node->slot_count & (node->slot_count - 1))
    return fail(c, PPI_ERR_VALUE,
                "nodes[%u]: hash table size %u is not a power of two", n,
                node->slot_count);
  CHECK(check_run(c, "nodes", n, "slots", node->first_slot, node->slot_count,
                  next_slot, c->img->slot_count));
  CHECK(check_answers(c, p, n));
  return check_slots(c, p, n);
}

/* Where the next pea's runs must start, table by table. */
struct runs {
  uint32_t node, rule, slot, port, touch;
};

static enum ppi_status check_pea(struct checker *c, uint32_t i,
                                 const struct ppi_pod *pod, struct runs *next) {
  const ppi_image *img = c->img;
  const struct ppi_pea *p = &img->peas[i];
  CHECK(check_string(c, "peas", i, p->name_off, p->name_len, true));
  if (p->node_count == 0)
    return fail(c, PPI_ERR_VALUE, "peas[%u]: no root node", i);
  CHECK(check_run(c, "peas", i, "rules", p->first_rule, p->rule_count,
                  &next->rule, img->rule_count));
  CHECK(check_run(c, "peas", i, "nodes", p->first_node, p->node_count,
                  &next->node, img->node_count));
  CHECK(check_net(c, i, &p->bind, "bind", &next->port));
  CHECK(check_net(c, i, &p->outgoing, "outgoing", &next->port));
  CHECK(check_touch(c, i, pod, &next->touch));
  CHECK(check_rules(c, i, pod));
  for (uint32_t n = p->first_node; n < next->node; ++n)
    CHECK(check_node(c, p, n, &next->slot));
  return PPI_OK;
}

static enum ppi_status check_peas(struct checker *c) {
  const ppi_image *img = c->img;
  struct runs next = {0, 0, 0, 0, 0};
  for (uint32_t pod = 0; pod < img->pod_count; ++pod) {
    const struct ppi_pod *d = &img->pods[pod];
    for (uint32_t i = d->first_pea; i < d->first_pea + d->pea_count; ++i) {
      if (img->peas[i].pod != pod)
        return fail(c, PPI_ERR_VALUE, "peas[%u]: pod %u, listed by pod %u", i,
                    img->peas[i].pod, pod);
      CHECK(check_pea(c, i, d, &next));
    }
  }
  if (next.node != img->node_count || next.rule != img->rule_count ||
      next.slot != img->slot_count || next.port != img->port_count ||
      next.touch != img->touch_count)
    return fail(c, PPI_ERR_BOUNDS,
                "entries owned by no pea: nodes %u/%u, rules %u/%u, "
                "slots %u/%u, ports %u/%u, touch %u/%u",
                next.node, img->node_count, next.rule, img->rule_count,
                next.slot, img->slot_count, next.port, img->port_count,
                next.touch, img->touch_count);
  return PPI_OK;
}

enum ppi_status ppi_open(ppi_image *img, const void *data, size_t size,
                         char *err, size_t err_size) {
  struct checker c = {img, err, err_size};
  const uint8_t *bytes = (const uint8_t *)data;
  memset(img, 0, sizeof *img);
  if (err_size > 0)
    err[0] = '\0';
  CHECK(check_header(&c, bytes, size));
  CHECK(check_digest(&c, bytes, size));
  CHECK(check_sections(&c, bytes, size));
  CHECK(check_pods(&c));
  CHECK(check_peas(&c));
  img->base = bytes;
  img->size = size;
  return PPI_OK;
}

/*===--- Lookups: no checks, bounded loops --------------------------------===*/

static bool same_name(const ppi_image *img, uint32_t off, uint32_t len,
                      const char *name, size_t name_len) {
  /* len 0: name may be NULL, which memcmp must not see */
  return len == name_len &&
         (len == 0 || memcmp(ppi_string(img, off), name, len) == 0);
}

uint32_t ppi_find_pod(const ppi_image *img, const char *name, size_t len) {
  for (uint32_t i = 0; i < img->pod_count; ++i)
    if (same_name(img, img->pods[i].name_off, img->pods[i].name_len, name, len))
      return i;
  return PPI_NONE;
}

uint32_t ppi_find_pea(const ppi_image *img, uint32_t pod, const char *name,
                      size_t len) {
  if (pod >= img->pod_count)
    return PPI_NONE;
  const struct ppi_pod *d = &img->pods[pod];
  for (uint32_t i = d->first_pea; i < d->first_pea + d->pea_count; ++i)
    if (same_name(img, img->peas[i].name_off, img->peas[i].name_len, name, len))
      return i;
  return PPI_NONE;
}

/* The slot of the child called `name`, whose FNV-1a is `hash`, in the table
 * slots[first, first + count), or NULL. Linear probing from the hash; at
 * most `count` probes. */
static const struct ppi_slot *find_child(const ppi_image *img, uint32_t first,
                                         uint32_t count, const char *name,
                                         size_t len, uint32_t hash) {
  if (count == 0)
    return NULL;
  const struct ppi_slot *table = img->slots + first;
  uint32_t mask = count - 1;
  uint32_t at = hash & mask;
  for (uint32_t probes = 0; probes < count; ++probes) {
    const struct ppi_slot *s = &table[at];
    if (s->child == PPI_NONE)
      return NULL;
    if (s->hash == hash && same_name(img, s->name_off, s->name_len, name, len))
      return s;
    at = (at + 1) & mask;
  }
  return NULL;
}

/* The deepest node of pea `pea`'s tree on `path`; `*exact` tells whether it
 * is the path itself or a proper ancestor. Each step consumes at least one
 * byte of `path`, so the walk is bounded by its length.
 *
 * Only the root and the node returned are read: in between, the walk goes
 * from slot to slot, each slot holding (the validated copy of) its child's
 * table, so one level costs one slot (and its name), not a node as well. */
static const struct ppi_node *walk(const ppi_image *img, uint32_t pea,
                                   const char *path, size_t len, bool *exact) {
  uint32_t node = img->peas[pea].first_node;
  uint32_t first = img->nodes[node].first_slot;
  uint32_t count = img->nodes[node].slot_count;
  size_t i = 0;
  for (;;) {
    while (i < len && path[i] == '/')
      ++i;
    if (i == len) {
      *exact = true;
      return &img->nodes[node];
    }
    size_t start = i;
    uint32_t hash = FNV1A_BASIS; /* hashed as it is scanned: one pass */
    while (i < len && path[i] != '/')
      hash = fnv1a_step(hash, path[i++]);
    const struct ppi_slot *s =
        find_child(img, first, count, path + start, i - start, hash);
    if (s == NULL) {
      *exact = false;
      return &img->nodes[node];
    }
    node = s->child;
    first = s->first_slot;
    count = s->slot_count;
  }
}

struct ppi_lookup ppi_lookup_path(const ppi_image *img, uint32_t pea,
                                  const char *path, size_t len, bool is_dir) {
  struct ppi_lookup out;
  if (pea >= img->pea_count) {
    memset(&out, 0, sizeof out);
    out.access.rule = PPI_NONE;
    out.access.kind = PPI_KIND_DEFAULT;
    out.transition = PPI_NONE;
    return out;
  }
  bool exact;
  const struct ppi_node *node = walk(img, pea, path, len, &exact);
  out.access = node->answer[(exact ? PPI_AT_FILE : PPI_BELOW_FILE) + is_dir];
  /* A path below the tree has the transitions of its deepest node: every
   * transition path is in the tree. */
  out.transition = node->transition;
  return out;
}

struct ppi_exec ppi_lookup_exec(const ppi_image *img, uint32_t pea,
                                const char *path, size_t len) {
  struct ppi_lookup found = ppi_lookup_path(img, pea, path, len, false);
  struct ppi_exec out;
  out.access = found.access;
  out.allowed = (found.access.access & PPI_ACCESS_EXECUTE) != 0;
  out.transition = out.allowed ? found.transition : PPI_NONE;
  out.pea_after = pea;
  if (out.transition != PPI_NONE)
    out.pea_after = img->pods[img->peas[pea].pod].first_pea +
                    img->rules[out.transition].target;
  return out;
}

bool ppi_net_permits(const ppi_image *img, uint32_t pea, bool outgoing,
                     uint8_t proto, uint16_t port) {
  if (pea >= img->pea_count)
    return false;
  const struct ppi_pea *p = &img->peas[pea];
  const struct ppi_net *net = outgoing ? &p->outgoing : &p->bind;
  if (net->flags & PPI_NET_DENY_ALL)
    return false;
  if (net->flags & PPI_NET_ALLOW_ALL)
    return true;
  /* The last range starting at or before (proto, port) is the only one that
   * can contain it: ranges are sorted and disjoint. */
  const struct ppi_port_range *r = img->ports + net->first_port;
  uint32_t lo = 0, hi = net->port_count; /* candidates in [lo, hi) */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (r[mid].proto < proto || (r[mid].proto == proto && r[mid].low <= port))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo > 0 && r[lo - 1].proto == proto && port <= r[lo - 1].high;
}

bool ppi_may_touch(const ppi_image *img, uint32_t pea, uint32_t target) {
  if (pea >= img->pea_count || target >= img->pea_count)
    return false;
  const struct ppi_pea *p = &img->peas[pea];
  if (img->peas[target].pod != p->pod)
    return false; /* peas of other pods are never reachable */
  if (target == pea || (p->touch_flags & PPI_TOUCH_GLOBAL))
    return true;
  const uint32_t *t = img->touch + p->first_touch;
  uint32_t lo = 0, hi = p->touch_count; /* ascending: binary search */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (t[mid] == target)
      return true;
    if (t[mid] < target)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}
