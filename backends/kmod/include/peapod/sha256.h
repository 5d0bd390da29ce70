/*===- sha256.h - SHA-256 (FIPS 180-4) for the image loader ----*- C -*-===*
 *
 * Userspace loaders check an image's digest with this; a kernel module would
 * use the kernel crypto API instead. Streaming: init, update any number of
 * times, final.
 *
 *===--------------------------------------------------------------------===*/
#ifndef PEAPOD_SHA256_H
#define PEAPOD_SHA256_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define PPI_SHA256_SIZE 32u
#define PPI_SHA256_BLOCK 64u

typedef struct ppi_sha256 {
  uint32_t state[8];
  uint64_t total_bytes;            /* message length so far */
  uint8_t block[PPI_SHA256_BLOCK]; /* a partial block awaiting more input */
  uint32_t block_fill;
} ppi_sha256;

void ppi_sha256_init(ppi_sha256 *ctx);
void ppi_sha256_update(ppi_sha256 *ctx, const void *data, size_t len);
/* Writes the digest; ctx must be re-initialised before reuse. */
void ppi_sha256_final(ppi_sha256 *ctx, uint8_t out[PPI_SHA256_SIZE]);
/* The digest of one buffer. */
void ppi_sha256_buffer(const void *data, size_t len,
                       uint8_t out[PPI_SHA256_SIZE]);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PEAPOD_SHA256_H */
