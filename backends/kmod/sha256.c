/*===- sha256.c - SHA-256 as specified by FIPS 180-4 ----------------------===*
 *
 * Written from the standard: section 4.1.2 (functions), 4.2.2 (constants),
 * 5.1.1 (padding), 5.3.3 (initial hash value), 6.2.2 (the computation).
 * Byte-oriented loads and stores, so it is endian- and alignment-neutral.
 *
 *===----------------------------------------------------------------------===*/
#include "peapod/sha256.h"

#include <string.h>

/* FIPS 180-4, 4.2.2: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. */
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t rotr(uint32_t x, unsigned n) {
  return (x >> n) | (x << (32 - n));
}

/* FIPS 180-4, 4.1.2 (4.2) to (4.7). */
static uint32_t ch(uint32_t x, uint32_t y, uint32_t z) {
  return (x & y) ^ (~x & z);
}
static uint32_t maj(uint32_t x, uint32_t y, uint32_t z) {
  return (x & y) ^ (x & z) ^ (y & z);
}
static uint32_t big_sigma0(uint32_t x) {
  return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22);
}
static uint32_t big_sigma1(uint32_t x) {
  return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25);
}
static uint32_t small_sigma0(uint32_t x) {
  return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3);
}
static uint32_t small_sigma1(uint32_t x) {
  return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10);
}

static uint32_t load_be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         (uint32_t)p[3];
}

static void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* FIPS 180-4, 6.2.2: one 512-bit block into the hash state. */
static void compress(uint32_t state[8], const uint8_t block[PPI_SHA256_BLOCK]) {
  uint32_t w[64];
  for (unsigned t = 0; t < 16; ++t)
    w[t] = load_be32(block + 4 * t);
  for (unsigned t = 16; t < 64; ++t)
    w[t] =
        small_sigma1(w[t - 2]) + w[t - 7] + small_sigma0(w[t - 15]) + w[t - 16];

  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (unsigned t = 0; t < 64; ++t) {
    uint32_t t1 = h + big_sigma1(e) + ch(e, f, g) + K[t] + w[t];
    uint32_t t2 = big_sigma0(a) + maj(a, b, c);
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

#if defined(__x86_64__) && !defined(__KERNEL__) &&                            \
    (defined(__GNUC__) || defined(__clang__))
/* The SHA extensions of x86 (Intel SHA-NI, also on AMD Zen): about five
 * times the portable code, which matters when a writer hashes a large image
 * or a loader verifies one. The state lives as ABEF/CDGH halves, the layout
 * sha256rnds2 works on; each iteration runs four rounds and derives the next
 * four message words with sha256msg1/msg2. */
#include <cpuid.h>
#include <immintrin.h>

static int have_sha_extensions(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3))
    return 0;
  return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
}

__attribute__((target("sha,sse4.1,ssse3"))) static void
compress_sha_extensions(uint32_t state[8], const uint8_t *p, size_t blocks) {
  const __m128i byte_swap =
      _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
  __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
  __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

  for (; blocks; --blocks, p += PPI_SHA256_BLOCK) {
    __m128i abef_in = abef, cdgh_in = cdgh;
    __m128i w[4];
    for (unsigned i = 0; i < 16; ++i) {
      if (i < 4) {
        w[i] = _mm_shuffle_epi8(
            _mm_loadu_si128((const __m128i *)(p + 16 * i)), byte_swap);
      } else {
        /* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at once */
        __m128i t = _mm_sha256msg1_epu32(w[i % 4], w[(i + 1) % 4]);
        t = _mm_add_epi32(t, _mm_alignr_epi8(w[(i + 3) % 4], w[(i + 2) % 4], 4));
        w[i % 4] = _mm_sha256msg2_epu32(t, w[(i + 3) % 4]);
      }
      __m128i wk = _mm_add_epi32(
          w[i % 4], _mm_loadu_si128((const __m128i *)&K[4 * i]));
      /* Two rounds each. After the first, the new CDGH is the old ABEF, so
       * the second runs with the roles swapped, and they end restored. */
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
    }
    abef = _mm_add_epi32(abef, abef_in);
    cdgh = _mm_add_epi32(cdgh, cdgh_in);
  }

  __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}
#define PPI_HAVE_SHA_EXTENSIONS 1
#endif

/* Hashes whole blocks, with the CPU's SHA instructions where it has them. */
static void compress_blocks(uint32_t state[8], const uint8_t *p,
                            size_t blocks) {
#ifdef PPI_HAVE_SHA_EXTENSIONS
  if (blocks && have_sha_extensions()) {
    compress_sha_extensions(state, p, blocks);
    return;
  }
#endif
  for (; blocks; --blocks, p += PPI_SHA256_BLOCK)
    compress(state, p);
}

void ppi_sha256_init(ppi_sha256 *ctx) {
  /* FIPS 180-4, 5.3.3. */
  static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                 0xa54ff53a, 0x510e527f, 0x9b05688c,
                                 0x1f83d9ab, 0x5be0cd19};
  memcpy(ctx->state, H0, sizeof H0);
  ctx->total_bytes = 0;
  ctx->block_fill = 0;
}

void ppi_sha256_update(ppi_sha256 *ctx, const void *data, size_t len) {
  const uint8_t *p = (const uint8_t *)data;
  if (len == 0) /* data may then be NULL, which memcpy must not see */
    return;
  ctx->total_bytes += len;
  if (ctx->block_fill) {
    size_t take = PPI_SHA256_BLOCK - ctx->block_fill;
    if (take > len)
      take = len;
    memcpy(ctx->block + ctx->block_fill, p, take);
    ctx->block_fill += (uint32_t)take;
    p += take;
    len -= take;
    if (ctx->block_fill < PPI_SHA256_BLOCK)
      return;
    compress(ctx->state, ctx->block);
    ctx->block_fill = 0;
  }
  size_t blocks = len / PPI_SHA256_BLOCK;
  compress_blocks(ctx->state, p, blocks);
  p += blocks * PPI_SHA256_BLOCK;
  len -= blocks * PPI_SHA256_BLOCK;
  if (len)
    memcpy(ctx->block, p, len);
  ctx->block_fill = (uint32_t)len;
}

void ppi_sha256_final(ppi_sha256 *ctx, uint8_t out[PPI_SHA256_SIZE]) {
  /* FIPS 180-4, 5.1.1: a 1 bit, zeros up to 56 mod 64 bytes, then the
   * message length in bits as a 64-bit big-endian number. */
  uint64_t bits = ctx->total_bytes * 8;
  ctx->block[ctx->block_fill++] = 0x80;
  if (ctx->block_fill > PPI_SHA256_BLOCK - 8) {
    memset(ctx->block + ctx->block_fill, 0, PPI_SHA256_BLOCK - ctx->block_fill);
    compress(ctx->state, ctx->block);
    ctx->block_fill = 0;
  }
  memset(ctx->block + ctx->block_fill, 0,
         PPI_SHA256_BLOCK - 8 - ctx->block_fill);
  store_be32(ctx->block + 56, (uint32_t)(bits >> 32));
  store_be32(ctx->block + 60, (uint32_t)bits);
  compress(ctx->state, ctx->block);
  for (unsigned i = 0; i < 8; ++i)
    store_be32(out + 4 * i, ctx->state[i]);
}

void ppi_sha256_buffer(const void *data, size_t len,
                       uint8_t out[PPI_SHA256_SIZE]) {
  ppi_sha256 ctx;
  ppi_sha256_init(&ctx);
  ppi_sha256_update(&ctx, data, len);
  ppi_sha256_final(&ctx, out);
}
