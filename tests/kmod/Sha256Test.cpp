//===- Sha256Test.cpp - The C SHA-256 against FIPS vectors and LLVM -------===//
#include "peapod/sha256.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/SHA256.h"
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

namespace {

std::string hex(const uint8_t *Bytes, size_t N) {
  static const char Digits[] = "0123456789abcdef";
  std::string S;
  for (size_t I = 0; I < N; ++I)
    S += {Digits[Bytes[I] >> 4], Digits[Bytes[I] & 15]};
  return S;
}

std::string sha256(const std::string &Message) {
  uint8_t Out[PPI_SHA256_SIZE];
  ppi_sha256_buffer(Message.data(), Message.size(), Out);
  return hex(Out, sizeof Out);
}

} // namespace

TEST_CASE("SHA-256 of the FIPS 180 example messages", "[kmod][sha256]") {
  // FIPS 180-2 appendix B and the NIST "SHA-256 example" documents.
  CHECK(sha256("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
               "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(sha256(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 agrees with llvm::SHA256 on random input in random pieces",
          "[kmod][sha256]") {
  std::mt19937 Rng(20070411);
  for (int Round = 0; Round < 600; ++Round) {
    // Every length up to a few blocks, around the 55/56/64-byte padding
    // edges in particular, then some longer ones.
    size_t Length = Round < 300 ? Round : Rng() % 5000;
    std::vector<uint8_t> Message(Length);
    for (uint8_t &B : Message)
      B = static_cast<uint8_t>(Rng());

    ppi_sha256 Ctx;
    ppi_sha256_init(&Ctx);
    for (size_t At = 0; At < Length;) {
      size_t Piece = std::min<size_t>(Length - At, Rng() % 150);
      ppi_sha256_update(&Ctx, Message.data() + At, Piece);
      At += Piece;
    }
    uint8_t Ours[PPI_SHA256_SIZE];
    ppi_sha256_final(&Ctx, Ours);
    std::array<uint8_t, 32> Theirs = llvm::SHA256::hash(Message);
    INFO("length " << Length);
    CHECK(hex(Ours, 32) == hex(Theirs.data(), 32));
  }
}
