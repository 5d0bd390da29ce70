/*===- image_c_api.c - The image loader used from plain C ------------------===*
 *
 * Built and linked by tests/kmod/image_c/run.sh with the C compiler alone
 * against libpeapod_image.a, as a kernel module or any C program would use
 * the loader: no C++ compiler, runtime or library is involved. Answers
 * questions about api.pea's image and exits non-zero on a wrong answer.
 *
 *===----------------------------------------------------------------------===*/
#include "peapod/image.h"
#include "peapod/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void expect(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "image_c_api: wrong answer: %s\n", what);
    ++failures;
  }
}

/* The file's bytes in a malloc'ed (so 8-byte aligned) buffer. */
static void *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  for (size_t n; buf && (n = fread(buf + len, 1, cap - len, f)) > 0;) {
    len += n;
    if (len == cap)
      buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  *size = len;
  return buf;
}

static struct ppi_lookup path(const ppi_image *img, uint32_t pea, const char *p,
                              bool dir) {
  return ppi_lookup_path(img, pea, p, strlen(p), dir);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: image_c_api IMAGE\n");
    return 2;
  }
  size_t size = 0;
  void *data = read_file(argv[1], &size);
  if (!data) {
    perror(argv[1]);
    return 2;
  }
  ppi_image img;
  char err[256];
  if (ppi_open(&img, data, size, err, sizeof err) != PPI_OK) {
    fprintf(stderr, "image_c_api: %s\n", err);
    return 1;
  }

  uint32_t web = ppi_find_pod(&img, "web", 3);
  uint32_t other = ppi_find_pod(&img, "other", 5);
  uint32_t httpd = ppi_find_pea(&img, web, "httpd", 5);
  uint32_t cgi = ppi_find_pea(&img, web, "cgi", 3);
  uint32_t lone = ppi_find_pea(&img, other, "lone", 4);
  expect(web == 0 && other == 1, "pod indices");
  expect(httpd == 0 && cgi == 1 && lone == 2, "global pea indices");
  expect(ppi_find_pea(&img, other, "httpd", 5) == PPI_NONE, "pea of a pod");

  struct ppi_lookup l = path(&img, httpd, "/srv", false);
  expect(l.access.access == PPI_ACCESS_READ && l.access.kind == PPI_KIND_PATH,
         "/srv is r-- by a path rule");
  l = path(&img, httpd, "/var/www/index.html", false);
  expect(l.access.access == (PPI_ACCESS_READ | PPI_ACCESS_EXECUTE) &&
             l.access.kind == PPI_KIND_DIR_DEFAULT,
         "/var/www/index.html is r-x by the dir-default");
  l = path(&img, httpd, "/var/www/private/key", false);
  expect(l.access.access == 0 && l.access.kind == PPI_KIND_PATH,
         "a path deny dominates below it");
  l = path(&img, httpd, "/var/", true);
  expect(l.access.access == PPI_ACCESS_EXECUTE &&
             l.access.kind == PPI_KIND_IMPLICIT,
         "/var/ gets implicit search access");
  l = path(&img, cgi, "/srv", false);
  expect(l.access.access == 0 && l.access.kind == PPI_KIND_DEFAULT,
         "cgi has no rules");

  struct ppi_exec x = ppi_lookup_exec(&img, httpd, "/var/www/cgi-bin/q", 18);
  expect(x.allowed && x.pea_after == cgi && x.transition != PPI_NONE,
         "exec of a CGI program moves to pea cgi (a global index)");
  x = ppi_lookup_exec(&img, httpd, "/srv", 4);
  expect(!x.allowed && x.pea_after == httpd, "no execute, no transition");

  expect(ppi_net_permits(&img, httpd, false, PPI_PROTO_TCP, 80), "bind 80");
  expect(ppi_net_permits(&img, httpd, false, PPI_PROTO_TCP, 8080), "bind 8080");
  expect(!ppi_net_permits(&img, httpd, false, PPI_PROTO_TCP, 81), "bind 81");
  expect(ppi_net_permits(&img, httpd, true, PPI_PROTO_UDP, 53), "udp/53");
  expect(!ppi_net_permits(&img, httpd, true, PPI_PROTO_TCP, 53), "tcp/53");

  expect(ppi_may_touch(&img, httpd, cgi), "namespace cgi");
  expect(!ppi_may_touch(&img, cgi, httpd), "namespace is one-way");
  expect(ppi_may_touch(&img, lone, lone), "itself");
  expect(!ppi_may_touch(&img, lone, httpd), "global stops at its pod");

  expect(ppi_effective_mode(PPI_ACCESS_READ | PPI_ACCESS_EXECUTE, 0100755) ==
             0100555,
         "r-x over 0755");

  /* The digest is the loader's own SHA-256 of the payload. */
  uint8_t digest[PPI_SHA256_SIZE];
  ppi_sha256_buffer((const uint8_t *)data + PPI_HEADER_SIZE,
                    size - PPI_HEADER_SIZE, digest);
  expect(memcmp(digest, ((const struct ppi_header *)data)->digest,
                PPI_SHA256_SIZE) == 0,
         "header digest");

  free(data);
  if (failures)
    return 1;
  printf("image_c_api: all answers right\n");
  return 0;
}
