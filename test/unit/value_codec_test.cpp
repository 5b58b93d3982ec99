// Values: capture (bytes + pointee snapshots) and decoding into ValueRecords and
// TypeRecords per CONVENTIONS.md §3.2, for every descriptor kind.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <climits>
#include <cstring>
#include <deque>
#include <forward_list>
#include <list>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "../../runtime/include/trace_record_rt_values.h"
#include "trace_record/value_codec.h"

using namespace trace_record;
using namespace trace_record::values;

namespace {

class FakeSink : public TypeSink {
public:
  std::vector<TypeRecord> types{TypeRecord{TypeKind::None, "None", tsi::None{}}};
  std::optional<TypeId> find(std::string_view n) override {
    for (std::size_t i = 0; i < types.size(); ++i)
      if (types[i].lang_type == n)
        return TypeId{i};
    return std::nullopt;
  }
  TypeId next_id() override { return TypeId{types.size()}; }
  TypeId add(const TypeRecord& t) override {
    if (auto id = find(t.lang_type))
      return *id;
    types.push_back(t);
    return TypeId{types.size() - 1};
  }
  const TypeRecord& at(TypeId id) { return types.at(id.value); }
};

const tr_type_desc kInt{TR_TYPE_SINT, 0, 4, "int", nullptr, 0, nullptr};
const tr_type_desc kShort{TR_TYPE_SINT, 0, 2, "short", nullptr, 0, nullptr};
const tr_type_desc kU64{TR_TYPE_UINT, 0, 8, "uint64_t", nullptr, 0, nullptr};
const tr_type_desc kI128{TR_TYPE_SINT, 0, 16, "__int128", nullptr, 0, nullptr};
const tr_type_desc kBool{TR_TYPE_BOOL, 0, 1, "bool", nullptr, 0, nullptr};
const tr_type_desc kFloat{TR_TYPE_FLOAT, 0, 4, "float", nullptr, 0, nullptr};
const tr_type_desc kDouble{TR_TYPE_FLOAT, 0, 8, "double", nullptr, 0, nullptr};
const tr_type_desc kChar{TR_TYPE_CHAR, TR_TYPE_SIGNED, 1, "char", nullptr, 0, nullptr};
const tr_type_desc kConstChar{TR_TYPE_CHAR, TR_TYPE_SIGNED, 1, "const char", nullptr, 0, nullptr};
const tr_type_desc kCharPtr{
    TR_TYPE_POINTER, TR_TYPE_CONST_TARGET, 8, "const char *", &kConstChar, 0, nullptr};
const tr_type_desc kIntPtr{TR_TYPE_POINTER, 0, 8, "int *", &kInt, 0, nullptr};
const tr_type_desc kVoidPtr{TR_TYPE_POINTER, 0, 8, "void *", nullptr, 0, nullptr};
const tr_type_desc kChar8{TR_TYPE_ARRAY, 0, 8, "char[8]", &kChar, 8, nullptr};

const tr_enumerator_desc kColors[] = {{"RED", 0}, {"GREEN", 1}, {"BLUE", 2}};
const tr_type_desc kColor{TR_TYPE_ENUM, 0, 4, "enum Color", nullptr, 3, kColors};

struct Point {
  int x;
  int y;
};
const tr_field_desc kPointFields[] = {{"x", &kInt, 0, 0, 0, 0, 0}, {"y", &kInt, 4, 0, 0, 0, 0}};
const tr_type_desc kPoint{TR_TYPE_STRUCT, 0, 8, "struct point", nullptr, 2, kPointFields};
const tr_type_desc kPointPtr{TR_TYPE_POINTER, 0, 8, "struct point *", &kPoint, 0, nullptr};

template <class T>
ValueRecord roundtrip(ValueDecoder& d, const tr_type_desc& t, const T& v, Limits lim = {}) {
  std::vector<std::uint8_t> buf(1 << 16);
  std::size_t n = capture_value(&t, &v, lim, buf.data(), buf.size());
  buf.resize(n);
  return d.decode(&t, buf);
}

template <class K> const K& as(const ValueRecord& v) {
  EXPECT_TRUE(std::holds_alternative<K>(v.v)) << value_kind_name(v);
  static K empty{};
  return std::holds_alternative<K>(v.v) ? std::get<K>(v.v) : empty;
}

// The elements of a Sequence of Ints; a final Raw "…" as kMore.
constexpr std::int64_t kMore = INT64_MIN;
std::vector<std::int64_t> ints(const ValueRecord& v) {
  std::vector<std::int64_t> r;
  for (const ValueRecord& e : as<value::Sequence>(v).elements)
    r.push_back(std::holds_alternative<value::Raw>(e.v) ? kMore : as<value::Int>(e).i);
  return r;
}

std::uint64_t addr(const void* p) {
  return reinterpret_cast<std::uint64_t>(p);
}

struct CodecTest : ::testing::Test {
  FakeSink sink;
  ValueDecoder dec{sink, Limits{}};

  // A container C of int described by t: {3, 1, 2} and an empty one as Sequences, typed
  // `lang_type` (kind Seq).
  template <class C> void expectThreeOneTwo(const tr_type_desc& t, const char* lang_type) {
    using V = std::vector<std::int64_t>;
    C l{3, 1, 2}, empty;
    auto q = roundtrip(dec, t, l);
    EXPECT_EQ(ints(q), (V{3, 1, 2}));
    EXPECT_EQ(sink.at(as<value::Sequence>(q).type_id).kind, TypeKind::Seq);
    EXPECT_EQ(sink.at(as<value::Sequence>(q).type_id).lang_type, lang_type);
    EXPECT_EQ(ints(roundtrip(dec, t, empty)), V{});
  }
};

} // namespace

TEST_F(CodecTest, SignedIntegers) {
  int x = -42;
  auto v = as<value::Int>(roundtrip(dec, kInt, x));
  EXPECT_EQ(v.i, -42);
  EXPECT_EQ(sink.at(v.type_id).lang_type, "int");
  EXPECT_EQ(sink.at(v.type_id).kind, TypeKind::Int);
  short s = -7;
  EXPECT_EQ(as<value::Int>(roundtrip(dec, kShort, s)).i, -7);
}

TEST_F(CodecTest, UnsignedAboveI64MaxIsBigInt) {
  std::uint64_t small = 5, big = 0xFFFFFFFFFFFFFFFFull;
  EXPECT_EQ(as<value::Int>(roundtrip(dec, kU64, small)).i, 5);
  auto b = as<value::BigInt>(roundtrip(dec, kU64, big));
  EXPECT_FALSE(b.negative);
  EXPECT_EQ(b.magnitude, std::vector<std::uint8_t>(8, 0xFF));
}

TEST_F(CodecTest, Int128IsBigInt) {
  __int128 v = -((static_cast<__int128>(1) << 64)); // -2^64
  auto b = as<value::BigInt>(roundtrip(dec, kI128, v));
  EXPECT_TRUE(b.negative);
  EXPECT_EQ(b.magnitude, (std::vector<std::uint8_t>{1, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST_F(CodecTest, BoolAndFloats) {
  bool t = true;
  auto b = as<value::Bool>(roundtrip(dec, kBool, t));
  EXPECT_TRUE(b.b);
  EXPECT_EQ(sink.at(b.type_id).kind, TypeKind::Bool);
  float f = 0.1f;
  EXPECT_EQ(as<value::Float>(roundtrip(dec, kFloat, f)).f, 0.1); // shortest binary32 digits
  double d = 2.5;
  auto fd = as<value::Float>(roundtrip(dec, kDouble, d));
  EXPECT_EQ(fd.f, 2.5);
  EXPECT_EQ(sink.at(fd.type_id).kind, TypeKind::Float);
}

TEST_F(CodecTest, EnumKnownAndUnknown) {
  int green = 1, seven = 7;
  auto r = as<value::Raw>(roundtrip(dec, kColor, green));
  EXPECT_EQ(r.r, "GREEN (1)");
  EXPECT_EQ(sink.at(r.type_id).kind, TypeKind::Enum);
  EXPECT_EQ(sink.at(r.type_id).lang_type, "enum Color");
  EXPECT_EQ(as<value::Raw>(roundtrip(dec, kColor, seven)).r, "(enum Color)7");
}

TEST_F(CodecTest, CharArrayIsString) {
  char s[8] = "hi";
  auto v = as<value::String>(roundtrip(dec, kChar8, s));
  EXPECT_EQ(v.text, "hi");
  EXPECT_EQ(sink.at(v.type_id).kind, TypeKind::CString);
  EXPECT_EQ(sink.at(v.type_id).lang_type, "char[8]");
  char full[8] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}; // no NUL: N bytes
  EXPECT_EQ(as<value::String>(roundtrip(dec, kChar8, full)).text, "abcdefgh");
  char bad[8] = "\xff"
                "x";
  EXPECT_EQ(as<value::String>(roundtrip(dec, kChar8, bad)).text, "\xEF\xBF\xBDx");
}

TEST_F(CodecTest, CharPointerIsReferenceToString) {
  const char* s = "hello";
  auto r = as<value::Reference>(roundtrip(dec, kCharPtr, s));
  EXPECT_EQ(r.address, reinterpret_cast<std::uint64_t>(s));
  EXPECT_FALSE(r.mutable_);
  auto str = as<value::String>(*r.dereferenced);
  EXPECT_EQ(str.text, "hello");
  const TypeRecord& pt = sink.at(r.type_id);
  EXPECT_EQ(pt.kind, TypeKind::Pointer);
  EXPECT_EQ(pt.lang_type, "const char *");
  ASSERT_TRUE(std::holds_alternative<tsi::Pointer>(pt.specific_info));
  EXPECT_EQ(std::get<tsi::Pointer>(pt.specific_info).dereference_type_id, str.type_id);
  EXPECT_EQ(sink.at(str.type_id).kind, TypeKind::CString);
}

TEST_F(CodecTest, StringsAreCapped) {
  std::string big(100, 'z');
  const char* s = big.c_str();
  Limits lim;
  lim.max_string = 10;
  ValueDecoder d{sink, lim};
  auto r = as<value::Reference>(roundtrip(d, kCharPtr, s, lim));
  EXPECT_EQ(as<value::String>(*r.dereferenced).text, std::string(10, 'z') + "\xE2\x80\xA6");
}

TEST_F(CodecTest, NullAndUnreadablePointers) {
  const char* null = nullptr;
  auto n = as<value::Raw>(roundtrip(dec, kCharPtr, null));
  EXPECT_EQ(n.r, "NULL");
  EXPECT_EQ(sink.at(n.type_id).lang_type, "const char *");
  void* page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(page, MAP_FAILED);
  int* bad = static_cast<int*>(page);
  auto e = as<value::Error>(roundtrip(dec, kIntPtr, bad));
  EXPECT_EQ(e.msg, "<unreadable " + hex_address(reinterpret_cast<std::uint64_t>(bad)) + ">");
  const char* badstr = static_cast<const char*>(page);
  as<value::Error>(roundtrip(dec, kCharPtr, badstr));
  munmap(page, 4096);
  int* low = reinterpret_cast<int*>(0x10);
  as<value::Error>(roundtrip(dec, kIntPtr, low));
}

TEST_F(CodecTest, PointerToIntAndVoidPointer) {
  int* heap = new int(99);
  auto r = as<value::Reference>(roundtrip(dec, kIntPtr, heap));
  EXPECT_TRUE(r.mutable_);
  EXPECT_EQ(as<value::Int>(*r.dereferenced).i, 99);
  const TypeRecord& pt = sink.at(r.type_id);
  EXPECT_EQ(std::get<tsi::Pointer>(pt.specific_info).dereference_type_id,
            as<value::Int>(*r.dereferenced).type_id);
  delete heap;
  void* vp = reinterpret_cast<void*>(0x1234);
  EXPECT_EQ(as<value::Raw>(roundtrip(dec, kVoidPtr, vp)).r, "0x1234");
}

TEST_F(CodecTest, StructFieldsMatchType) {
  Point p{3, -4};
  auto s = as<value::Struct>(roundtrip(dec, kPoint, p));
  ASSERT_EQ(s.field_values.size(), 2u);
  EXPECT_EQ(as<value::Int>(s.field_values[0]).i, 3);
  EXPECT_EQ(as<value::Int>(s.field_values[1]).i, -4);
  const TypeRecord& t = sink.at(s.type_id);
  EXPECT_EQ(t.kind, TypeKind::Struct);
  EXPECT_EQ(t.lang_type, "struct point");
  auto& f = std::get<tsi::Struct>(t.specific_info).fields;
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].name, "x");
  EXPECT_EQ(f[1].name, "y");
  EXPECT_EQ(sink.at(f[0].type_id).lang_type, "int");
}

TEST_F(CodecTest, PointerToStructWithInnerPointerIsOneLevel) {
  struct Holder {
    int* p;
    const char* name;
  };
  const tr_field_desc hf[] = {{"p", &kIntPtr, 0, 0, 0, 0, 0}, {"name", &kCharPtr, 8, 0, 0, 0, 0}};
  const tr_type_desc holder{TR_TYPE_STRUCT, 0, 16, "struct holder", nullptr, 2, hf};
  const tr_type_desc holderPtr{TR_TYPE_POINTER, 0, 8, "struct holder *", &holder, 0, nullptr};
  int x = 5;
  Holder h{&x, "nm"};
  // The struct itself: its pointer fields are expanded one level.
  auto s = as<value::Struct>(roundtrip(dec, holder, h));
  EXPECT_EQ(as<value::Int>(*as<value::Reference>(s.field_values[0]).dereferenced).i, 5);
  EXPECT_EQ(as<value::String>(*as<value::Reference>(s.field_values[1]).dereferenced).text, "nm");
  // Through a pointer: the pointers inside the pointee are Raw addresses.
  Holder* hp = &h;
  auto r = as<value::Reference>(roundtrip(dec, holderPtr, hp));
  auto inner = as<value::Struct>(*r.dereferenced);
  EXPECT_EQ(as<value::Raw>(inner.field_values[0]).r,
            hex_address(reinterpret_cast<std::uint64_t>(&x)));
  EXPECT_EQ(as<value::Raw>(inner.field_values[1]).r,
            hex_address(reinterpret_cast<std::uint64_t>(h.name)));
}

TEST_F(CodecTest, ArraysAreCappedSequences) {
  const tr_type_desc arr{TR_TYPE_ARRAY, 0, 40, "int[10]", &kInt, 10, nullptr};
  int a[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  auto s = as<value::Sequence>(roundtrip(dec, arr, a));
  EXPECT_FALSE(s.is_slice);
  ASSERT_EQ(s.elements.size(), 10u);
  EXPECT_EQ(as<value::Int>(s.elements[9]).i, 9);
  EXPECT_EQ(sink.at(s.type_id).kind, TypeKind::Array);
  EXPECT_EQ(sink.at(s.type_id).lang_type, "int[10]");
  Limits lim;
  lim.max_elements = 3;
  ValueDecoder d{sink, lim};
  auto c = as<value::Sequence>(roundtrip(d, arr, a, lim));
  ASSERT_EQ(c.elements.size(), 4u);
  EXPECT_EQ(as<value::Int>(c.elements[2]).i, 2);
  EXPECT_EQ(as<value::Raw>(c.elements[3]).r, "\xE2\x80\xA6");
}

TEST_F(CodecTest, ArrayOfCharPointersSnapshotsEach) {
  const tr_type_desc arr{TR_TYPE_ARRAY, 0, 24, "const char *[3]", &kCharPtr, 3, nullptr};
  const char* a[3] = {"one", nullptr, "three"};
  auto s = as<value::Sequence>(roundtrip(dec, arr, a));
  ASSERT_EQ(s.elements.size(), 3u);
  EXPECT_EQ(as<value::String>(*as<value::Reference>(s.elements[0]).dereferenced).text, "one");
  EXPECT_EQ(as<value::Raw>(s.elements[1]).r, "NULL");
  EXPECT_EQ(as<value::String>(*as<value::Reference>(s.elements[2]).dereferenced).text, "three");
}

TEST_F(CodecTest, Bitfields) {
  struct Flags {
    unsigned a : 3;
    int b : 4;
    unsigned c : 9;
  };
  const tr_type_desc uint{TR_TYPE_UINT, 0, 4, "unsigned int", nullptr, 0, nullptr};
  const tr_field_desc ff[] = {
      {"a", &uint, 0, 0, 3, 0, 0}, {"b", &kInt, 0, 3, 4, 0, 0}, {"c", &uint, 0, 7, 9, 0, 0}};
  const tr_type_desc flags{TR_TYPE_STRUCT, 0, 4, "struct flags", nullptr, 3, ff};
  Flags f{5, -3, 300};
  auto s = as<value::Struct>(roundtrip(dec, flags, f));
  ASSERT_EQ(s.field_values.size(), 3u);
  EXPECT_EQ(as<value::Int>(s.field_values[0]).i, 5);
  EXPECT_EQ(as<value::Int>(s.field_values[1]).i, -3);
  EXPECT_EQ(as<value::Int>(s.field_values[2]).i, 300);
}

TEST_F(CodecTest, BaseClassesAreNamedPseudoFields) {
  const tr_field_desc bf[] = {{"id", &kInt, 0, 0, 0, 0, 0}};
  const tr_type_desc base{TR_TYPE_STRUCT, 0, 4, "shapes::Base", nullptr, 1, bf};
  const tr_field_desc df[] = {{nullptr, &base, 0, 0, 0, TR_FIELD_BASE, 0},
                              {"r", &kDouble, 8, 0, 0, 0, 0}};
  const tr_type_desc derived{TR_TYPE_STRUCT, 0, 16, "shapes::Circle", nullptr, 2, df};
  struct {
    int id;
    double r;
  } c{7, 1.5};
  auto s = as<value::Struct>(roundtrip(dec, derived, c));
  auto& fields = std::get<tsi::Struct>(sink.at(s.type_id).specific_info).fields;
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].name, "shapes::Base");
  EXPECT_EQ(as<value::Int>(as<value::Struct>(s.field_values[0]).field_values[0]).i, 7);
  EXPECT_EQ(as<value::Float>(s.field_values[1]).f, 1.5);
}

TEST_F(CodecTest, UnionIsRawListingMembers) {
  const tr_field_desc uf[] = {{"i", &kInt, 0, 0, 0, 0, 0}, {"c", &kChar, 0, 0, 0, 0, 0}};
  const tr_type_desc un{TR_TYPE_UNION, 0, 4, "union u", nullptr, 2, uf};
  int v = 65;
  auto r = as<value::Raw>(roundtrip(dec, un, v));
  EXPECT_EQ(r.r, "{i = 65, c = 65}");
  EXPECT_EQ(sink.at(r.type_id).kind, TypeKind::Union);
}

int some_function(int a) {
  return a;
}

TEST_F(CodecTest, FunctionPointer) {
  const tr_type_desc fp{TR_TYPE_FUNCTION_POINTER, 0, 8, "int (*)(int)", nullptr, 0, nullptr};
  dec.set_symbolizer([](std::uint64_t) { return std::string("add"); });
  int (*f)(int) = &some_function;
  auto r = as<value::Raw>(roundtrip(dec, fp, f));
  EXPECT_EQ(r.r, hex_address(reinterpret_cast<std::uint64_t>(f)) + " <add>");
  EXPECT_EQ(sink.at(r.type_id).kind, TypeKind::FunctionKind);
  int (*n)(int) = nullptr;
  EXPECT_EQ(as<value::Raw>(roundtrip(dec, fp, n)).r, "NULL");
}

TEST_F(CodecTest, RecursiveTypeIdsAreReservedFirst) {
  struct Node {
    int v;
    Node* next;
  };
  static tr_field_desc nf[2];
  static const tr_type_desc node{TR_TYPE_STRUCT, 0, 16, "struct node", nullptr, 2, nf};
  static const tr_type_desc nodePtr{TR_TYPE_POINTER, 0, 8, "struct node *", &node, 0, nullptr};
  nf[0] = {"v", &kInt, 0, 0, 0, 0, 0};
  nf[1] = {"next", &nodePtr, 8, 0, 0, 0, 0};
  Node b{2, nullptr}, a{1, &b};
  Node* head = &a;
  auto r = as<value::Reference>(roundtrip(dec, nodePtr, head));
  auto s = as<value::Struct>(*r.dereferenced);
  EXPECT_EQ(as<value::Int>(s.field_values[0]).i, 1);
  EXPECT_EQ(as<value::Raw>(s.field_values[1]).r, hex_address(reinterpret_cast<std::uint64_t>(&b)));
  // Every referenced id exists and points at the right record.
  const TypeRecord& pt = sink.at(r.type_id);
  TypeId deref = std::get<tsi::Pointer>(pt.specific_info).dereference_type_id;
  EXPECT_EQ(sink.at(deref).lang_type, "struct node");
  auto& fields = std::get<tsi::Struct>(sink.at(deref).specific_info).fields;
  EXPECT_EQ(sink.at(fields[1].type_id).lang_type, "struct node *");
  EXPECT_EQ(fields[1].type_id, r.type_id);
}

TEST_F(CodecTest, DepthIsCapped) {
  Limits lim;
  lim.max_depth = 2;
  ValueDecoder d{sink, lim};
  const tr_field_desc of[] = {{"p", &kPoint, 0, 0, 0, 0, 0}};
  const tr_type_desc outer{TR_TYPE_STRUCT, 0, 8, "struct outer", nullptr, 1, of};
  Point p{1, 2};
  auto s = as<value::Struct>(roundtrip(d, outer, p, lim));
  auto inner = as<value::Struct>(s.field_values[0]);
  EXPECT_EQ(as<value::Raw>(inner.field_values[0]).r, "<max depth>");
}

TEST_F(CodecTest, OptimizedOut) {
  auto r = as<value::Raw>(dec.optimized_out(&kInt));
  EXPECT_EQ(r.r, "<optimized out>");
  EXPECT_EQ(sink.at(r.type_id).lang_type, "int");
}

TEST_F(CodecTest, SameNameSharesOneType) {
  const tr_type_desc other{TR_TYPE_SINT, 0, 4, "int", nullptr, 0, nullptr};
  EXPECT_EQ(dec.type_id(&kInt), dec.type_id(&other));
  std::size_t before = sink.types.size();
  dec.type_id(&kPointPtr);
  dec.type_id(&kPointPtr);
  EXPECT_EQ(sink.types.size(), before + 2); // struct point *, struct point
}

TEST(SafeRead, PartialAcrossPages) {
  auto* mem = static_cast<char*>(
      mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(mem, MAP_FAILED);
  std::memset(mem, 'a', 8192);
  ASSERT_EQ(mprotect(mem + 4096, 4096, PROT_NONE), 0);
  char buf[64];
  EXPECT_EQ(safe_read(buf, mem + 4096 - 10, 40), 10u);
  EXPECT_EQ(safe_read(buf, mem + 4096, 8), 0u);
  munmap(mem, 8192);
}

TEST_F(CodecTest, StdStringAndVector) {
  const tr_type_desc str{TR_TYPE_STD_STRING, 0, 32, "std::string", nullptr, 0, nullptr};
  const tr_type_desc vec{TR_TYPE_STD_VECTOR, 0, 24, "std::vector<int>", &kInt, 0, nullptr};
  static_assert(sizeof(std::string) == 32 && sizeof(std::vector<int>) == 24);
  std::string small = "hey", big(40, 'q');
  auto s = as<value::String>(roundtrip(dec, str, small));
  EXPECT_EQ(s.text, "hey");
  EXPECT_EQ(sink.at(s.type_id).kind, TypeKind::String);
  EXPECT_EQ(as<value::String>(roundtrip(dec, str, big)).text, big); // heap buffer
  std::vector<int> v{4, 5, 6};
  auto q = as<value::Sequence>(roundtrip(dec, vec, v));
  EXPECT_FALSE(q.is_slice);
  ASSERT_EQ(q.elements.size(), 3u);
  EXPECT_EQ(as<value::Int>(q.elements[2]).i, 6);
  EXPECT_EQ(sink.at(q.type_id).kind, TypeKind::Seq);
  std::vector<int> none;
  EXPECT_TRUE(as<value::Sequence>(roundtrip(dec, vec, none)).elements.empty());
  Limits lim;
  lim.max_elements = 2;
  lim.max_string = 2;
  ValueDecoder d{sink, lim};
  auto c = as<value::Sequence>(roundtrip(d, vec, v, lim));
  ASSERT_EQ(c.elements.size(), 3u);
  EXPECT_EQ(as<value::Raw>(c.elements[2]).r, "\xE2\x80\xA6");
  EXPECT_EQ(as<value::String>(roundtrip(d, str, small, lim)).text, "he\xE2\x80\xA6");
  // A struct holding both: each expanded from its own snapshot.
  struct Holder {
    std::string name;
    std::vector<int> xs;
  } h{"nm", {1, 2}};
  const tr_field_desc hf[] = {{"name", &str, 0, 0, 0, 0, 0}, {"xs", &vec, 32, 0, 0, 0, 0}};
  const tr_type_desc holder{TR_TYPE_STRUCT, 0, sizeof(Holder), "struct holder2", nullptr, 2, hf};
  auto hs = as<value::Struct>(roundtrip(dec, holder, h));
  EXPECT_EQ(as<value::String>(hs.field_values[0]).text, "nm");
  EXPECT_EQ(as<value::Sequence>(hs.field_values[1]).elements.size(), 2u);
}

TEST_F(CodecTest, StdWideStrings) {
  const tr_type_desc wch{TR_TYPE_SINT, TR_TYPE_WIDE_CHAR, 4, "wchar_t", nullptr, 0, nullptr};
  const tr_type_desc c16{TR_TYPE_UINT, TR_TYPE_WIDE_CHAR, 2, "char16_t", nullptr, 0, nullptr};
  const tr_type_desc ws{TR_TYPE_STD_WSTRING, 0, 32, "std::wstring", &wch, 0, nullptr};
  const tr_type_desc s16{TR_TYPE_STD_WSTRING, 0, 32, "std::u16string", &c16, 0, nullptr};
  static_assert(sizeof(std::wstring) == 32 && sizeof(std::u16string) == 32);
  std::wstring w = L"gr\u00fc\u00df", big(40, L'q'), nul(L"a\0b", 3), empty;
  auto s = as<value::String>(roundtrip(dec, ws, w));
  EXPECT_EQ(s.text, "gr\u00fc\u00df");
  EXPECT_EQ(sink.at(s.type_id).kind, TypeKind::String);
  EXPECT_EQ(as<value::String>(roundtrip(dec, ws, big)).text, std::string(40, 'q')); // heap
  EXPECT_EQ(as<value::String>(roundtrip(dec, ws, nul)).text, std::string("a\0b", 3));
  EXPECT_EQ(as<value::String>(roundtrip(dec, ws, empty)).text, "");
  std::u16string u = u"\U0001F600!";
  EXPECT_EQ(as<value::String>(roundtrip(dec, s16, u)).text, "\U0001F600!");
  Limits lim;
  lim.max_string = 2; // characters
  ValueDecoder d{sink, lim};
  EXPECT_EQ(as<value::String>(roundtrip(d, ws, w, lim)).text, "gr\xE2\x80\xA6");
  EXPECT_EQ(as<value::String>(roundtrip(d, ws, big, lim)).text, "qq\xE2\x80\xA6");
}

TEST_F(CodecTest, StdVariant) {
  struct V {
    union {
      int i;
      double d;
      const char* s;
    };
    unsigned char index;
  };
  static const tr_type_desc u8{TR_TYPE_CHAR, 0, 1, "unsigned char", nullptr, 0, nullptr};
  static const tr_field_desc f[] = {{"int", &kInt, 0, 0, 0, 0, 0},
                                    {"double", &kDouble, 0, 0, 0, 0, 0},
                                    {"const char *", &kCharPtr, 0, 0, 0, 0, 0},
                                    {"_M_index", &u8, offsetof(V, index), 0, 0, 0, 0}};
  const tr_type_desc var{
      TR_TYPE_STD_VARIANT, 0, sizeof(V), "std::variant<int, double, const char *>", nullptr, 3, f};
  V v{};
  v.d = 2.5;
  v.index = 1;
  auto r = as<value::Variant>(roundtrip(dec, var, v));
  EXPECT_EQ(r.discriminator, "double");
  EXPECT_EQ(as<value::Float>(*r.contents).f, 2.5);
  EXPECT_EQ(sink.at(r.type_id).kind, TypeKind::Variant);
  EXPECT_EQ(sink.at(r.type_id).lang_type, "std::variant<int, double, const char *>");
  v.s = "str"; // the active alternative's pointee is snapshotted
  v.index = 2;
  auto p = as<value::Variant>(roundtrip(dec, var, v));
  EXPECT_EQ(as<value::String>(*as<value::Reference>(*p.contents).dereferenced).text, "str");
  v.index = 0xff;
  EXPECT_EQ(as<value::Error>(roundtrip(dec, var, v)).msg, "valueless_by_exception");
  v.index = 7; // not an alternative: the raw bytes
  EXPECT_EQ(as<value::Raw>(roundtrip(dec, var, v)).r.substr(0, 1), "{");
}

TEST_F(CodecTest, StdSetWalksTheTree) {
  const tr_type_desc set{TR_TYPE_STD_RB_TREE, 0, 48, "std::set<int>", &kInt, 32, nullptr};
  static_assert(sizeof(std::set<int>) == 48);
  std::set<int> s;
  for (int i : {50, 20, 80, 10, 30, 70, 90, 60, 40})
    s.insert(i);
  auto q = as<value::Sequence>(roundtrip(dec, set, s));
  ASSERT_EQ(q.elements.size(), 9u);
  for (int i = 0; i < 9; ++i)
    EXPECT_EQ(as<value::Int>(q.elements[i]).i, 10 * (i + 1));
  EXPECT_EQ(sink.at(q.type_id).kind, TypeKind::Seq);
  std::set<int> empty;
  EXPECT_TRUE(as<value::Sequence>(roundtrip(dec, set, empty)).elements.empty());
  Limits lim;
  lim.max_elements = 3;
  ValueDecoder d{sink, lim};
  auto c = as<value::Sequence>(roundtrip(d, set, s, lim));
  ASSERT_EQ(c.elements.size(), 4u);
  EXPECT_EQ(as<value::Int>(c.elements[2]).i, 30);
  EXPECT_EQ(as<value::Raw>(c.elements[3]).r, "\xE2\x80\xA6");
  // A corrupt tree: a node count with an unreadable leftmost node, or a node whose parent
  // link is unreadable (the elements read so far, then "…").
  std::uint64_t bad[6] = {0, 0, 0, 0x10, 0, 1000};
  EXPECT_EQ(as<value::Error>(roundtrip(dec, set, bad)).msg, "<unreadable 0x10>");
  std::uint64_t node[5] = {0, 0x10, 0, 0, 7}; // color, parent, left, right, value
  std::uint64_t one[6] = {0, 0, 0, reinterpret_cast<std::uint64_t>(node), 0, 3};
  auto o = as<value::Sequence>(roundtrip(dec, set, one));
  ASSERT_EQ(o.elements.size(), 2u);
  EXPECT_EQ(as<value::Int>(o.elements[0]).i, 7);
}

TEST_F(CodecTest, StdListWalksTheNodes) {
  const tr_type_desc list{TR_TYPE_STD_LIST, 0, 24, "std::list<int>", &kInt, 16, nullptr};
  static_assert(sizeof(std::list<int>) == 24);
  using V = std::vector<std::int64_t>;
  expectThreeOneTwo<std::list<int>>(list, "std::list<int>");
  std::list<int> l{3, 1, 2};
  Limits lim;
  lim.max_elements = 2;
  ValueDecoder d{sink, lim};
  EXPECT_EQ(ints(roundtrip(d, list, l, lim)), (V{3, 1, kMore}));
  // Corrupt lists: an unreadable first node; a size beyond the last node (the walk stops
  // there, not at the sentinel); a node linked to itself (the walk stops at max_elements).
  struct Node {
    std::uint64_t next, prev;
    std::int64_t value;
  };
  std::uint64_t bad[3] = {0x10, 0, 2}; // next, prev, size
  EXPECT_EQ(as<value::Error>(roundtrip(dec, list, bad)).msg, "<unreadable 0x10>");
  Node b{0, 0, 8}, a{addr(&b), 0, 7};
  std::uint64_t two[3] = {addr(&a), addr(&b), 5};
  b.next = addr(two);
  EXPECT_EQ(ints(roundtrip(dec, list, two)), (V{7, 8, kMore}));
  Node self{0, 0, 9};
  self.next = addr(&self);
  std::uint64_t cycle[3] = {addr(&self), 0x20, std::uint64_t{1} << 40};
  V nines(128, 9);
  nines.push_back(kMore);
  EXPECT_EQ(ints(roundtrip(dec, list, cycle)), nines);
}

TEST_F(CodecTest, StdUnorderedWalksTheNodes) {
  static const tr_field_desc pf[] = {{"first", &kInt, 0, 0, 0, 0, 0},
                                     {"second", &kInt, 4, 0, 0, 0, 0}};
  const tr_type_desc pair{
      TR_TYPE_STRUCT, TR_TYPE_NO_POINTERS, 8, "std::pair<const int, int>", nullptr, 2, pf};
  const tr_type_desc map{
      TR_TYPE_STD_HASHTABLE, 0, 56, "std::unordered_map<int, int>", &pair, 8, nullptr};
  const tr_type_desc set{
      TR_TYPE_STD_HASHTABLE, 0, 56, "std::unordered_set<int>", &kInt, 8, nullptr};
  static_assert(sizeof(std::unordered_map<int, int>) == 56);
  static_assert(sizeof(std::unordered_multiset<int>) == 56);
  using V = std::vector<std::int64_t>;
  std::unordered_multiset<int> s;
  for (int i = 0; i < 50; ++i)
    s.insert(i * 7 % 40);
  V order(s.begin(), s.end()); // the container's iteration order
  EXPECT_EQ(ints(roundtrip(dec, set, s)), order);
  std::unordered_map<int, int> m{{1, 10}, {2, 20}, {3, 30}}, empty;
  auto q = as<value::Sequence>(roundtrip(dec, map, m));
  ASSERT_EQ(q.elements.size(), 3u);
  auto it = m.begin();
  for (const ValueRecord& e : q.elements) {
    const auto& f = as<value::Struct>(e).field_values;
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(as<value::Int>(f[0]).i, it->first);
    EXPECT_EQ(as<value::Int>(f[1]).i, it->second);
    ++it;
  }
  EXPECT_EQ(sink.at(q.type_id).kind, TypeKind::Seq);
  EXPECT_EQ(ints(roundtrip(dec, map, empty)), V{});
  Limits lim;
  lim.max_elements = 3;
  ValueDecoder d{sink, lim};
  EXPECT_EQ(ints(roundtrip(d, set, s, lim)), (V{order[0], order[1], order[2], kMore}));
  // Corrupt tables (buckets, bucket count, first node, element count, ...): an unreadable
  // first node; a count beyond the null link; a node linked to itself.
  struct Node {
    std::uint64_t next;
    std::int64_t value;
  };
  std::uint64_t bad[7] = {0, 0, 0x10, 2, 0, 0, 0};
  EXPECT_EQ(as<value::Error>(roundtrip(dec, set, bad)).msg, "<unreadable 0x10>");
  Node one{0, 5};
  std::uint64_t short_[7] = {0, 0, addr(&one), 3, 0, 0, 0};
  EXPECT_EQ(ints(roundtrip(dec, set, short_)), (V{5, kMore}));
  Node self{0, 6};
  self.next = addr(&self);
  std::uint64_t cycle[7] = {0, 0, addr(&self), 1000, 0, 0, 0};
  V sixes(128, 6);
  sixes.push_back(kMore);
  EXPECT_EQ(ints(roundtrip(dec, set, cycle)), sixes);
}

TEST_F(CodecTest, StdDequeWalksTheBuffers) {
  const tr_type_desc deque{TR_TYPE_STD_DEQUE, 0, 80, "std::deque<int>", &kInt, 0, nullptr};
  static_assert(sizeof(std::deque<int>) == 80);
  using V = std::vector<std::int64_t>;
  std::deque<int> d, small{1, 2, 3}, empty;
  for (int i = 0; i < 300; ++i) { // several buffers, the first and the last partly used
    d.push_back(i);
    d.push_front(-i - 1);
  }
  small.push_front(0);
  Limits lim;
  lim.max_elements = 1000;
  ValueDecoder all{sink, lim};
  EXPECT_EQ(ints(roundtrip(all, deque, d, lim)), V(d.begin(), d.end()));
  EXPECT_EQ(ints(roundtrip(dec, deque, small)), (V{0, 1, 2, 3}));
  EXPECT_EQ(ints(roundtrip(dec, deque, empty)), V{});
  V capped(d.begin(), d.begin() + 128);
  capped.push_back(kMore);
  EXPECT_EQ(ints(roundtrip(dec, deque, d)), capped);
  // Corrupt deques (map, map size, start {cur, first, last, node}, finish {...}): a map
  // entry that is not a buffer; a finish node never reached (the walk stops at max_elements).
  int buf[4] = {1, 2, 3, 4};
  std::uint64_t map[64];
  for (std::uint64_t& b : map)
    b = addr(buf);
  map[1] = 0x10;
  std::uint64_t bad[10] = {
      addr(map), 64, addr(buf + 1),      addr(buf), addr(buf + 4), addr(map), 0,
      0,         0,  addr(map) + 100 * 8};
  EXPECT_EQ(ints(roundtrip(dec, deque, bad)), (V{2, 3, 4, kMore}));
  map[1] = addr(buf);
  Limits few;
  few.max_elements = 40;
  ValueDecoder d40{sink, few};
  V loop{2, 3, 4}; // from buf + 1, then whole buffers
  while (loop.size() < 40)
    loop.push_back(static_cast<std::int64_t>((loop.size() - 3) % 4 + 1)); // 1, 2, 3, 4, 1, ...
  loop.push_back(kMore);
  EXPECT_EQ(ints(roundtrip(d40, deque, bad, few)), loop);
}

TEST_F(CodecTest, StdTupleIsATupleInOrder) {
  // libstdc++ keeps std::tuple<int, double, std::string> in reverse order: the string at 0.
  using Tup = std::tuple<int, double, std::string>;
  Tup t{7, 2.5, "hi"};
  auto off = [&](const void* m) { return static_cast<std::uint32_t>(addr(m) - addr(&t)); };
  const tr_type_desc str{TR_TYPE_STD_STRING, 0, 32, "std::string", nullptr, 0, nullptr};
  const tr_field_desc f[] = {{"0", &kInt, off(&std::get<0>(t)), 0, 0, 0, 0},
                             {"1", &kDouble, off(&std::get<1>(t)), 0, 0, 0, 0},
                             {"2", &str, off(&std::get<2>(t)), 0, 0, 0, 0}};
  ASSERT_EQ(off(&std::get<2>(t)), 0u);
  const tr_type_desc tup{
      TR_TYPE_STD_TUPLE, 0, sizeof(Tup), "std::tuple<int, double, std::string>", nullptr, 3, f};
  auto q = as<value::Tuple>(roundtrip(dec, tup, t));
  ASSERT_EQ(q.elements.size(), 3u);
  EXPECT_EQ(as<value::Int>(q.elements[0]).i, 7);
  EXPECT_EQ(as<value::Float>(q.elements[1]).f, 2.5);
  EXPECT_EQ(as<value::String>(q.elements[2]).text, "hi"); // its heap data too
  EXPECT_EQ(sink.at(q.type_id).kind, TypeKind::Tuple);
  EXPECT_EQ(sink.at(q.type_id).lang_type, "std::tuple<int, double, std::string>");
  const tr_type_desc empty{TR_TYPE_STD_TUPLE, TR_TYPE_NO_POINTERS, 1, "std::tuple<>", nullptr, 0,
                           nullptr};
  std::tuple<> e;
  EXPECT_TRUE(as<value::Tuple>(roundtrip(dec, empty, e)).elements.empty());
}

TEST_F(CodecTest, StdVectorBoolIsASequenceOfBools) {
  const tr_type_desc vb{
      TR_TYPE_STD_VECTOR_BOOL, 0, 40, "std::vector<bool, std::allocator<bool> >", &kBool, 0,
      nullptr};
  static_assert(sizeof(std::vector<bool>) == 40);
  auto bools = [](const ValueRecord& v) {
    std::string r; // "10…": true, false, more
    for (const ValueRecord& e : as<value::Sequence>(v).elements)
      r += std::holds_alternative<value::Raw>(e.v) ? "+" : as<value::Bool>(e).b ? "1" : "0";
    return r;
  };
  std::vector<bool> v{true, false, true, true}, empty, big;
  for (int i = 0; i < 200; ++i) // across words
    big.push_back(i % 3 == 0);
  auto q = roundtrip(dec, vb, v);
  EXPECT_EQ(bools(q), "1011");
  EXPECT_EQ(sink.at(as<value::Sequence>(q).type_id).kind, TypeKind::Seq);
  EXPECT_EQ(bools(roundtrip(dec, vb, empty)), "");
  Limits lim;
  lim.max_elements = 1000;
  ValueDecoder all{sink, lim};
  std::string want;
  for (int i = 0; i < 200; ++i)
    want += i % 3 == 0 ? "1" : "0";
  EXPECT_EQ(bools(roundtrip(all, vb, big, lim)), want);
  EXPECT_EQ(bools(roundtrip(dec, vb, big)), want.substr(0, 128) + "+");
  Limits three;
  three.max_elements = 3;
  ValueDecoder d3{sink, three};
  EXPECT_EQ(bools(roundtrip(d3, vb, v, three)), "101+");
  // Corrupt vectors (start {word, bit}, finish {word, bit}, end of storage): a start bit
  // inside a word; unreadable words; a finish before the start; a finish far away (capped).
  std::uint64_t words[2] = {0b1011'0000, 1};
  std::uint64_t inside[5] = {addr(words), 4, addr(words), 9, 0};
  EXPECT_EQ(bools(roundtrip(dec, vb, inside)), "11010");
  std::uint64_t bad[5] = {0x10, 0, 0x18, 0, 0};
  EXPECT_EQ(as<value::Error>(roundtrip(dec, vb, bad)).msg, "<unreadable 0x10>");
  std::uint64_t back[5] = {addr(words + 1), 0, addr(words), 0, 0};
  EXPECT_EQ(bools(roundtrip(dec, vb, back)), "");
  std::uint64_t far[5] = {addr(words), 0, addr(words) + (std::uint64_t{1} << 50), 0, 0};
  EXPECT_EQ(bools(roundtrip(d3, vb, far, three)), "000+");
}

TEST_F(CodecTest, StdForwardListWalksTheNodes) {
  const tr_type_desc fl{
      TR_TYPE_STD_FORWARD_LIST, 0, 8, "std::forward_list<int>", &kInt, 8, nullptr};
  static_assert(sizeof(std::forward_list<int>) == 8);
  using V = std::vector<std::int64_t>;
  expectThreeOneTwo<std::forward_list<int>>(fl, "std::forward_list<int>");
  std::forward_list<int> l{3, 1, 2}, big;
  for (int i = 0; i < 200; ++i)
    big.push_front(i);
  Limits lim;
  lim.max_elements = 3; // exactly 3: no "…"; 4 or more: "…"
  ValueDecoder d{sink, lim};
  EXPECT_EQ(ints(roundtrip(d, fl, l, lim)), (V{3, 1, 2}));
  l.push_front(4);
  EXPECT_EQ(ints(roundtrip(d, fl, l, lim)), (V{4, 3, 1, kMore}));
  V capped;
  for (int i = 199; i > 199 - 128; --i)
    capped.push_back(i);
  capped.push_back(kMore);
  EXPECT_EQ(ints(roundtrip(dec, fl, big)), capped);
  // Corrupt lists: an unreadable first node; an unreadable second node (the elements read);
  // a node linked to itself (the walk stops after max_elements + 1).
  struct Node {
    std::uint64_t next;
    std::int64_t value;
  };
  std::uint64_t bad = 0x10;
  EXPECT_EQ(as<value::Error>(roundtrip(dec, fl, bad)).msg, "<unreadable 0x10>");
  Node one{0x20, 5};
  std::uint64_t broken = addr(&one);
  EXPECT_EQ(ints(roundtrip(dec, fl, broken)), (V{5}));
  Node self{0, 6};
  self.next = addr(&self);
  std::uint64_t cycle = addr(&self);
  V sixes(128, 6);
  sixes.push_back(kMore);
  EXPECT_EQ(ints(roundtrip(dec, fl, cycle)), sixes);
}

TEST_F(CodecTest, StdStringViewsAndU8Strings) {
  const tr_type_desc wch{TR_TYPE_SINT, TR_TYPE_WIDE_CHAR, 4, "wchar_t", nullptr, 0, nullptr};
  const tr_type_desc c16{TR_TYPE_UINT, TR_TYPE_WIDE_CHAR, 2, "char16_t", nullptr, 0, nullptr};
  const tr_type_desc c32{TR_TYPE_UINT, TR_TYPE_WIDE_CHAR, 4, "char32_t", nullptr, 0, nullptr};
  const tr_type_desc wv{TR_TYPE_STD_STRING_VIEW, 0, 16, "std::wstring_view", &wch, 0, nullptr};
  const tr_type_desc v16{TR_TYPE_STD_STRING_VIEW, 0, 16, "std::u16string_view", &c16, 0, nullptr};
  const tr_type_desc v32{TR_TYPE_STD_STRING_VIEW, 0, 16, "std::u32string_view", &c32, 0, nullptr};
  const tr_type_desc u8{TR_TYPE_STD_STRING, 0, 32, "std::u8string", nullptr, 0, nullptr};
  const tr_type_desc u8v{TR_TYPE_STD_STRING_VIEW, 0, 16, "std::u8string_view", nullptr, 0, nullptr};
  static_assert(sizeof(std::wstring_view) == 16 && sizeof(std::u8string) == 32);
  std::wstring_view w = L"gr\u00fc\u00df", ew;
  auto s = as<value::String>(roundtrip(dec, wv, w));
  EXPECT_EQ(s.text, "gr\u00fc\u00df");
  EXPECT_EQ(sink.at(s.type_id).kind, TypeKind::String);
  EXPECT_EQ(sink.at(s.type_id).lang_type, "std::wstring_view");
  EXPECT_EQ(as<value::String>(roundtrip(dec, wv, ew)).text, "");
  EXPECT_EQ(as<value::String>(roundtrip(dec, wv, w.substr(1, 2))).text, "r\u00fc"); // no NUL
  std::u16string_view u = u"\U0001F600!";
  EXPECT_EQ(as<value::String>(roundtrip(dec, v16, u)).text, "\U0001F600!");
  std::u32string_view z = U"z\U0001F600";
  EXPECT_EQ(as<value::String>(roundtrip(dec, v32, z)).text, "z\U0001F600");
  std::u8string e = u8"\u00e9t\u00e9", big(40, u8'q');
  EXPECT_EQ(as<value::String>(roundtrip(dec, u8, e)).text, "\u00e9t\u00e9");
  EXPECT_EQ(as<value::String>(roundtrip(dec, u8, big)).text, std::string(40, 'q')); // heap
  std::u8string_view ev = e;
  EXPECT_EQ(as<value::String>(roundtrip(dec, u8v, ev.substr(2))).text, "t\u00e9");
  Limits lim;
  lim.max_string = 2; // characters
  ValueDecoder d{sink, lim};
  EXPECT_EQ(as<value::String>(roundtrip(d, wv, w, lim)).text, "gr\xE2\x80\xA6");
}

TEST_F(CodecTest, SixteenBytePointer) {
  // std::shared_ptr<int>: the pointer at 0, the control block at 8.
  const tr_type_desc sp{TR_TYPE_POINTER, 0, 16, "std::shared_ptr<int>", &kInt, 0, nullptr};
  int x = 42;
  struct {
    int* p;
    void* ctl;
  } s{&x, nullptr}, null{nullptr, nullptr};
  auto r = as<value::Reference>(roundtrip(dec, sp, s));
  EXPECT_EQ(as<value::Int>(*r.dereferenced).i, 42);
  EXPECT_EQ(as<value::Raw>(roundtrip(dec, sp, null)).r, "NULL");
}

TEST_F(CodecTest, SameNameOtherShapeGetsItsOwnType) {
  // A class that is only a declaration in one translation unit and complete in another.
  const tr_type_desc decl{TR_TYPE_OPAQUE, 0, 0, "Hunspell", nullptr, 0, nullptr};
  const tr_type_desc declPtr{TR_TYPE_POINTER, 0, 8, "Hunspell *", &decl, 0, nullptr};
  const tr_field_desc hf[] = {{"n", &kInt, 0, 0, 0, 0, 0}};
  const tr_type_desc full{TR_TYPE_STRUCT, 0, 4, "Hunspell", nullptr, 1, hf};
  int x = 5;
  int* px = &x;
  auto raw = as<value::Raw>(roundtrip(dec, declPtr, px)); // pointer to incomplete: address
  EXPECT_EQ(raw.r, hex_address(reinterpret_cast<std::uint64_t>(px)));
  TypeId declId = dec.type_id(&decl);
  auto s = as<value::Struct>(roundtrip(dec, full, x));
  const TypeRecord& t = sink.at(s.type_id);
  EXPECT_EQ(t.kind, TypeKind::Struct); // C12: never the Raw type of the declaration
  EXPECT_EQ(std::get<tsi::Struct>(t.specific_info).fields.size(), s.field_values.size());
  EXPECT_NE(s.type_id, declId);
  EXPECT_EQ(sink.at(declId).lang_type, "Hunspell");
  EXPECT_EQ(t.lang_type, "Hunspell (2)");
  // Stable: the same descriptors keep their types.
  EXPECT_EQ(dec.type_id(&full), s.type_id);
  EXPECT_EQ(dec.type_id(&decl), declId);
}
