//===- ImageLoaderTest.cpp - ppi_open rejects every malformed image -------===//
//
// Three layers: the header (checked as is), the digest (any change to the
// payload), and behind it the structural checks, reached here by changing
// one field and recomputing the digest, as a forger could.
//
//===----------------------------------------------------------------------===//
#include "KmodTest.h"

#include "peapod/ImageDump.h"
#include <catch2/catch.hpp>
#include <cstring>
#include <functional>

using namespace peapod;
using test::AlignedBytes;

namespace {

const char *const Sample = R"(pod d {
  pea p {
    path /a/b read
    dir-default /c deny
    transition /a/b q
    bind tcp/80, udp/53
    outgoing tcp/25
  }
  pea q {
    namespace p
  }
}
pod e {
  pea r {
    path /x execute
  }
}
)";

/// Namespace rules: pea a (0) names c (2) and b (1), stored ascending.
const char *const Namespaces = R"(pod n {
  pea a {
    namespace c
    namespace b
  }
  pea b {
  }
  pea c {
    namespace global
  }
}
)";

std::string imageOf(const char *Text, bool Locations = true) {
  auto C = test::compile(Text);
  REQUIRE(C);
  ImageWriteOptions Opts;
  Opts.Locations = Locations;
  return writeImage(C->policy(), Opts);
}

/// An image whose tables can be edited in place.
struct Editable {
  AlignedBytes Bytes;
  explicit Editable(const std::string &Image) : Bytes(Image) {}

  ppi_header &header() { return *reinterpret_cast<ppi_header *>(Bytes.data()); }
  ppi_payload_head &head() {
    return *reinterpret_cast<ppi_payload_head *>(Bytes.data() +
                                                 PPI_HEADER_SIZE);
  }
  ppi_section &section(uint32_t Id) {
    return reinterpret_cast<ppi_section *>(Bytes.data() +
                                           PPI_SECTION_TABLE_OFFSET)[Id - 1];
  }
  template <typename T> T &at(uint32_t Id, uint32_t Index) {
    return reinterpret_cast<T *>(Bytes.data() + section(Id).offset)[Index];
  }
  ppi_pod &pod(uint32_t I) { return at<ppi_pod>(PPI_SEC_PODS, I); }
  ppi_pea &pea(uint32_t I) { return at<ppi_pea>(PPI_SEC_PEAS, I); }
  ppi_rule &rule(uint32_t I) { return at<ppi_rule>(PPI_SEC_RULES, I); }
  ppi_node &node(uint32_t I) { return at<ppi_node>(PPI_SEC_NODES, I); }
  ppi_slot &slot(uint32_t I) { return at<ppi_slot>(PPI_SEC_SLOTS, I); }
  ppi_port_range &port(uint32_t I) {
    return at<ppi_port_range>(PPI_SEC_PORTS, I);
  }
  uint32_t &touch(uint32_t I) { return at<uint32_t>(PPI_SEC_TOUCH, I); }
  /// The first used slot of node N's table.
  ppi_slot &childSlot(uint32_t N) {
    for (uint32_t I = 0; I < node(N).slot_count; ++I)
      if (slot(node(N).first_slot + I).child != PPI_NONE)
        return slot(node(N).first_slot + I);
    FAIL("node " << N << " has no children");
    return slot(0);
  }
  /// The slot of node N's table that holds node Child.
  ppi_slot &slotOf(uint32_t N, uint32_t Child) {
    for (uint32_t I = 0; I < node(N).slot_count; ++I)
      if (slot(node(N).first_slot + I).child == Child)
        return slot(node(N).first_slot + I);
    FAIL("node " << Child << " is not a child of node " << N);
    return slot(0);
  }

  ppi_status open(std::string &Error) {
    ppi_image Img;
    return test::openImage(Bytes, Img, Error);
  }
};

/// Runs every lookup the image offers over every pea: after a successful
/// open none of them may leave the image (ASan watches).
void exerciseLookups(const ppi_image &Img) {
  const char *const Paths[] = {"/",    "/a", "/a/b",    "/a/b/c",
                               "/c/d", "/x", "//a//b/", "/zz"};
  for (uint32_t P = 0; P < Img.pea_count; ++P) {
    for (const char *Path : Paths) {
      (void)ppi_lookup_path(&Img, P, Path, std::strlen(Path), true);
      (void)ppi_lookup_exec(&Img, P, Path, std::strlen(Path));
    }
    for (uint16_t Port : {0, 25, 53, 80, 65535})
      for (bool Out : {false, true})
        (void)ppi_net_permits(&Img, P, Out, PPI_PROTO_TCP, Port);
    for (uint32_t Q = 0; Q < 4; ++Q)
      (void)ppi_may_touch(&Img, P, Q);
  }
  (void)dumpImage(Img);
}

} // namespace

TEST_CASE("the sample image opens", "[kmod][loader]") {
  Editable E(imageOf(Sample));
  std::string Error;
  REQUIRE(E.open(Error) == PPI_OK);
  CHECK(Error.empty());
}

TEST_CASE("every truncation is rejected", "[kmod][loader]") {
  std::string Image = imageOf(Sample);
  for (size_t Size = 0; Size < Image.size(); ++Size) {
    AlignedBytes Cut(llvm::StringRef(Image).take_front(Size));
    ppi_image Img;
    std::string Error;
    INFO("size " << Size);
    REQUIRE(test::openImage(Cut, Img, Error) == PPI_ERR_TRUNCATED);
    CHECK_THAT(Error, Catch::StartsWith("truncated: "));
  }
}

TEST_CASE("every single-byte change is rejected", "[kmod][loader]") {
  std::string Image = imageOf(Sample);
  for (size_t I = 0; I < Image.size(); ++I)
    for (uint8_t Flip : {0x01, 0x80, 0xff}) {
      Editable E(Image);
      E.Bytes.data()[I] ^= Flip;
      std::string Error;
      ppi_status S = E.open(Error);
      INFO("byte " << I << " ^ " << int(Flip) << ": " << Error);
      REQUIRE(S != PPI_OK);
      CHECK(!Error.empty());
      if (I >= PPI_HEADER_SIZE ||
          (I >= offsetof(ppi_header, digest) && I < PPI_HEADER_SIZE))
        CHECK(S == PPI_ERR_DIGEST);
    }
}

TEST_CASE("the header is checked before the digest", "[kmod][loader]") {
  std::string Image = imageOf(Sample);
  struct Case {
    const char *Name;
    std::function<void(Editable &)> Edit;
    ppi_status Status;
    const char *Message;
  } Cases[] = {
      {"magic", [](Editable &E) { E.header().magic[0] = 'X'; }, PPI_ERR_MAGIC,
       "bad magic"},
      {"version 1", [](Editable &E) { E.header().version = 1; },
       PPI_ERR_VERSION,
       "unsupported version: image format version 1, this loader reads only "
       "3"},
      {"version 2 (a touch matrix)",
       [](Editable &E) { E.header().version = 2; }, PPI_ERR_VERSION,
       "unsupported version: image format version 2, this loader reads only "
       "3"},
      {"version 4", [](Editable &E) { E.header().version = 4; },
       PPI_ERR_VERSION, "unsupported version: image format version 4"},
      {"header size", [](Editable &E) { E.header().header_size = 72; },
       PPI_ERR_HEADER, "header size 72"},
      {"reserved", [](Editable &E) { E.header().reserved[3] = 1; },
       PPI_ERR_HEADER, "reserved byte 3"},
      {"size", [](Editable &E) { E.header().image_size -= 8; }, PPI_ERR_HEADER,
       "trailing"},
  };
  for (const Case &C : Cases) {
    Editable E(Image);
    C.Edit(E);
    std::string Error;
    INFO(C.Name);
    CHECK(E.open(Error) == C.Status);
    CHECK_THAT(Error, Catch::Contains(C.Message));
  }

  AlignedBytes Shifted(std::string(1, '\0') + Image); // misaligned by one
  ppi_image Img;
  char Reason[128];
  CHECK(ppi_open(&Img, Shifted.data() + 1, Image.size(), Reason,
                 sizeof Reason) == PPI_ERR_HEADER);
  CHECK_THAT(std::string(Reason), Catch::Contains("aligned"));
}

TEST_CASE("structural checks behind a recomputed digest", "[kmod][loader]") {
  std::string Image = imageOf(Sample);
  std::string NoLocations = imageOf(Sample, false);
  std::string NsImage = imageOf(Namespaces);
  // Node layout of pea p: 0 "/", 1 "/a", 2 "/a/b", 3 "/c"; node 0 has a
  // table of 4 slots (2 children), node 1 one of 1 slot (1 child), and the
  // next table, slot 5, is pea r's root's. Rule layout: 0 path /a/b, 1
  // dir-default /c, 2 transition /a/b.
  struct Case {
    const char *Name;
    std::function<void(Editable &)> Edit;
    ppi_status Status;
    const char *Message;
    const std::string *Base = nullptr;
  } Cases[] = {
      {"section count", [](Editable &E) { E.head().section_count = 7; },
       PPI_ERR_SECTIONS, "7 sections"},
      {"flags", [](Editable &E) { E.head().flags |= 4; }, PPI_ERR_VALUE,
       "unknown flags"},
      {"section order",
       [](Editable &E) { std::swap(E.section(1).id, E.section(2).id); },
       PPI_ERR_SECTIONS, "has id 2"},
      {"entry size",
       [](Editable &E) { E.section(PPI_SEC_NODES).entry_size = 40; },
       PPI_ERR_SECTIONS, "entry size 40"},
      {"unaligned section",
       [](Editable &E) { E.section(PPI_SEC_NODES).offset += 4; },
       PPI_ERR_SECTIONS, "unaligned"},
      {"overlap",
       [](Editable &E) {
         E.section(PPI_SEC_PODS).offset = E.section(PPI_SEC_STRINGS).offset;
       },
       PPI_ERR_SECTIONS, "overlaps"},
      {"section past the end",
       [](Editable &E) { E.section(PPI_SEC_NODES).size += 48 * 100; },
       PPI_ERR_TRUNCATED, "truncated: section 'nodes' ends at"},
      {"partial entry", [](Editable &E) { E.section(PPI_SEC_PORTS).size -= 1; },
       PPI_ERR_SECTIONS, "whole number"},
      {"pod name", [](Editable &E) { E.pod(0).name_off = 1000000; },
       PPI_ERR_BOUNDS, "outside section 'strings'"},
      {"pod pea run", [](Editable &E) { E.pod(0).pea_count = 3; },
       PPI_ERR_BOUNDS, "peas"},
      {"pea's pod", [](Editable &E) { E.pea(0).pod = 1; }, PPI_ERR_VALUE,
       "pod 1, listed by pod 0"},
      {"pea nodes", [](Editable &E) { E.pea(1).first_node = 0; },
       PPI_ERR_BOUNDS, "nodes starts at 0"},
      {"pea without root", [](Editable &E) { E.pea(1).node_count = 0; },
       PPI_ERR_VALUE, "no root"},
      {"namespace flags", [](Editable &E) { E.pea(0).touch_flags = 2; },
       PPI_ERR_VALUE, "unknown namespace flags 0x2"},
      {"namespace run past the table",
       [](Editable &E) { E.pea(1).touch_count = 2; }, PPI_ERR_BOUNDS,
       "peas[1]: touch 0+2 past the end of the table (1 entries)"},
      {"namespace run not contiguous",
       [](Editable &E) { E.pea(1).first_touch = 1; }, PPI_ERR_BOUNDS,
       "peas[1]: touch starts at 1, expected 0"},
      {"namespace target owned by no pea",
       [](Editable &E) {
         E.pea(1).touch_count = 0;
         E.pea(2).first_touch = 0;
       },
       PPI_ERR_BOUNDS, "touch 0/1"},
      {"namespace target in another pod", [](Editable &E) { E.touch(0) = 2; },
       PPI_ERR_BOUNDS, "touch[0]: pea 2 of peas[1] is not in its pod"},
      {"namespace target out of range", [](Editable &E) { E.touch(0) = 1000; },
       PPI_ERR_BOUNDS,
       "touch[0]: pea 1000 of peas[1] is not in its pod (peas 0..2)"},
      {"namespace target PPI_NONE", [](Editable &E) { E.touch(0) = PPI_NONE; },
       PPI_ERR_BOUNDS, "not in its pod"},
      {"namespace naming itself", [](Editable &E) { E.touch(0) = 1; },
       PPI_ERR_VALUE, "touch[0]: peas[1] names itself"},
      {"namespace global with targets",
       [](Editable &E) { E.pea(1).touch_flags = PPI_TOUCH_GLOBAL; },
       PPI_ERR_VALUE, "peas[1]: namespace global with 1 namespace targets"},
      {"namespace targets out of order",
       [](Editable &E) { std::swap(E.touch(0), E.touch(1)); }, PPI_ERR_VALUE,
       "touch[1]: namespace targets of peas[0] not ascending", &NsImage},
      {"namespace target twice", [](Editable &E) { E.touch(1) = E.touch(0); },
       PPI_ERR_VALUE, "touch[1]: namespace targets of peas[0] not ascending",
       &NsImage},
      {"namespace run under global",
       [](Editable &E) {
         E.pea(0).touch_count = 1; // a's second target becomes c's
         E.pea(1).first_touch = 1;
         E.pea(2).first_touch = 1;
         E.pea(2).touch_count = 1;
       },
       PPI_ERR_VALUE, "peas[2]: namespace global with 1 namespace targets",
       &NsImage},
      {"net flags", [](Editable &E) { E.pea(0).bind.flags = 4; }, PPI_ERR_VALUE,
       "unknown flags"},
      {"port run", [](Editable &E) { E.pea(0).outgoing.port_count = 9; },
       PPI_ERR_BOUNDS, "outgoing"},
      {"empty port range",
       [](Editable &E) {
         E.port(0).low = 100;
         E.port(0).high = 50;
       },
       PPI_ERR_VALUE, "invalid range"},
      {"unsorted ports", [](Editable &E) { std::swap(E.port(0), E.port(1)); },
       PPI_ERR_VALUE, "sorted"},
      {"rule kind", [](Editable &E) { E.rule(0).kind = 3; }, PPI_ERR_VALUE,
       "kind"},
      {"rule path", [](Editable &E) { E.rule(0).path_len = 1000000; },
       PPI_ERR_BOUNDS, "rules[0]"},
      {"transition target", [](Editable &E) { E.rule(2).target = 2; },
       PPI_ERR_VALUE, "target 2"},
      {"target of a file rule", [](Editable &E) { E.rule(0).target = 0; },
       PPI_ERR_VALUE, "target 0"},
      {"answer kind", [](Editable &E) { E.node(0).answer[1].kind = 4; },
       PPI_ERR_VALUE, "answer 1"},
      {"answer rule", [](Editable &E) { E.node(2).answer[0].rule = 1000; },
       PPI_ERR_BOUNDS, "rule 1000"},
      {"answer rule of another pea",
       [](Editable &E) { E.node(2).answer[0].rule = E.pea(2).first_rule; },
       PPI_ERR_BOUNDS, "not a file rule of its pea"},
      {"answer naming a transition",
       [](Editable &E) { E.node(2).answer[0].rule = 2; }, PPI_ERR_BOUNDS,
       "not a file rule"},
      {"default naming a rule",
       [](Editable &E) { E.node(0).answer[0].rule = 0; }, PPI_ERR_BOUNDS,
       "names rule 0"},
      {"node transition", [](Editable &E) { E.node(2).transition = 0; },
       PPI_ERR_BOUNDS, "transition 0"},
      {"table size", [](Editable &E) { E.node(0).slot_count = 3; },
       PPI_ERR_VALUE, "power of two"},
      {"slot run", [](Editable &E) { E.node(0).first_slot = 1; },
       PPI_ERR_BOUNDS, "slots starts at 1"},
      {"root depth", [](Editable &E) { E.node(0).depth = 1; }, PPI_ERR_VALUE,
       "depth 1"},
      {"too deep", [](Editable &E) { E.node(3).depth = PPI_MAX_DEPTH + 1; },
       PPI_ERR_VALUE, "depth"},
      {"child backwards", [](Editable &E) { E.childSlot(1).child = 0; },
       PPI_ERR_BOUNDS, "outside"},
      {"child in another pea", [](Editable &E) { E.childSlot(1).child = 4; },
       PPI_ERR_BOUNDS, "outside"},
      {"child depth", [](Editable &E) { E.node(2).depth = 3; }, PPI_ERR_VALUE,
       "at depth 3"},
      {"slot hash", [](Editable &E) { E.childSlot(0).hash ^= 1; },
       PPI_ERR_VALUE, "hash"},
      {"slot name", [](Editable &E) { E.childSlot(0).name_off = 1u << 30; },
       PPI_ERR_BOUNDS, "outside section 'strings'"},
      {"empty slot not zero",
       [](Editable &E) {
         for (uint32_t I = 0; I < E.node(0).slot_count; ++I)
           if (E.slot(I).child == PPI_NONE)
             E.slot(I).hash = 7;
       },
       PPI_ERR_VALUE, "not zeroed"},
      {"empty slot with a table",
       [](Editable &E) {
         for (uint32_t I = 0; I < E.node(0).slot_count; ++I)
           if (E.slot(I).child == PPI_NONE)
             E.slot(I).slot_count = 1;
       },
       PPI_ERR_VALUE, "not zeroed"},
      {"full table",
       [](Editable &E) {
         ppi_slot Used = E.childSlot(0);
         for (uint32_t I = 0; I < E.node(0).slot_count; ++I)
           E.slot(E.node(0).first_slot + I) = Used;
       },
       PPI_ERR_VALUE, "hash table of 4 slots for 4 children, expected 8"},
      {"oversized table",
       [](Editable &E) {
         ppi_slot &Gone = E.slotOf(0, 3);
         Gone = ppi_slot{};
         Gone.child = PPI_NONE;
       },
       PPI_ERR_VALUE, "hash table of 4 slots for 1 children, expected 1"},
      {"copied first_slot", [](Editable &E) { E.slotOf(0, 1).first_slot = 5; },
       PPI_ERR_VALUE,
       "copy of child 1's table (slots 5+1) differs from the node's (slots "
       "4+1)"},
      {"copied slot_count", [](Editable &E) { E.slotOf(0, 1).slot_count = 2; },
       PPI_ERR_VALUE,
       "copy of child 1's table (slots 4+2) differs from the node's (slots "
       "4+1)"},
      {"copied slot_count of a leaf",
       [](Editable &E) { E.slotOf(0, 3).slot_count = 1; }, PPI_ERR_VALUE,
       "copy of child 3's table (slots 5+1) differs from the node's (slots "
       "5+0)"},
      {"copied table making a cycle",
       [](Editable &E) { // /a/b's slot pointing at /a's table: /a/b/b/b...
         E.slotOf(1, 2).first_slot = 4;
         E.slotOf(1, 2).slot_count = 1;
       },
       PPI_ERR_VALUE,
       "copy of child 2's table (slots 4+1) differs from the node's (slots "
       "5+0)"},
      {"location without the flag", [](Editable &E) { E.rule(0).line = 3; },
       PPI_ERR_VALUE, "without locations", &NoLocations},
  };
  for (const Case &C : Cases) {
    Editable E(C.Base ? *C.Base : Image);
    C.Edit(E);
    test::reseal(E.Bytes);
    std::string Error;
    INFO(C.Name << ": " << Error);
    CHECK(E.open(Error) == C.Status);
    CHECK_THAT(Error, Catch::Contains(C.Message));
  }
}

TEST_CASE("any word changed behind the digest: rejected or safe",
          "[kmod][loader]") {
  // Every 32-bit word of the payload set to a few hostile values, resealed.
  // Some changes are legitimate (a line number); the rest must be refused,
  // and whatever is accepted must answer without leaving the image.
  std::string Image = imageOf(Sample);
  size_t Rejected = 0, Tried = 0;
  for (size_t Off = PPI_HEADER_SIZE; Off + 4 <= Image.size(); Off += 4)
    for (uint32_t Value : {0u, 1u, 0x7fffffffu, 0xffffffffu, 0x80000001u}) {
      Editable E(Image);
      std::memcpy(E.Bytes.data() + Off, &Value, 4);
      test::reseal(E.Bytes);
      ppi_image Img;
      std::string Error;
      ++Tried;
      if (test::openImage(E.Bytes, Img, Error) != PPI_OK) {
        ++Rejected;
        continue;
      }
      exerciseLookups(Img);
    }
  // Most words are structural; only names, locations and padding are free.
  CHECK(Rejected * 2 > Tried);
}
