#include "TypeDescriptors.h"

#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/Support/Path.h"

// Kind and flag numbers of runtime/include/trace_record_rt_values.h.
#include "../../runtime/include/trace_record_rt_values.h"

using namespace llvm;

namespace trace_record::values {

// ------------------------------------------------------------------ names

namespace {

const DIType* baseOf(const DIType* T) {
  if (auto* D = dyn_cast_or_null<DIDerivedType>(T))
    return D->getBaseType();
  return nullptr;
}

bool isQualifierOrTypedef(const DIType* T) {
  auto* D = dyn_cast_or_null<DIDerivedType>(T);
  if (!D)
    return false;
  switch (D->getTag()) {
  case dwarf::DW_TAG_typedef:
  case dwarf::DW_TAG_const_type:
  case dwarf::DW_TAG_volatile_type:
  case dwarf::DW_TAG_restrict_type:
  case dwarf::DW_TAG_atomic_type:
    return true;
  default:
    return false;
  }
}

const DIType* strip(const DIType* T) {
  while (isQualifierOrTypedef(T))
    T = baseOf(T);
  return T;
}

bool isConstQualified(const DIType* T) {
  for (; isQualifierOrTypedef(T); T = baseOf(T))
    if (T->getTag() == dwarf::DW_TAG_const_type)
      return true;
  return false;
}

bool isPointerLike(const DIType* T) {
  auto* D = dyn_cast_or_null<DIDerivedType>(T);
  if (!D)
    return false;
  unsigned Tag = D->getTag();
  return Tag == dwarf::DW_TAG_pointer_type || Tag == dwarf::DW_TAG_reference_type ||
         Tag == dwarf::DW_TAG_rvalue_reference_type || Tag == dwarf::DW_TAG_ptr_to_member_type;
}

bool needsParens(const DIType* Base) {
  if (isa_and_nonnull<DISubroutineType>(Base))
    return true;
  auto* C = dyn_cast_or_null<DICompositeType>(Base);
  return C && C->getTag() == dwarf::DW_TAG_array_type;
}

std::string scopePrefix(const DIScope* S) {
  std::string P;
  while (S && !isa<DIFile>(S) && !isa<DICompileUnit>(S) && !isa<DISubprogram>(S)) {
    std::string N = S->getName().str();
    if (auto* NS = dyn_cast<DINamespace>(S); NS && N.empty())
      N = "(anonymous namespace)";
    if (!N.empty())
      P = N + "::" + P;
    S = S->getScope();
  }
  return P;
}

std::string compositeKeyword(unsigned Tag) {
  switch (Tag) {
  case dwarf::DW_TAG_union_type:
    return "union";
  case dwarf::DW_TAG_enumeration_type:
    return "enum";
  case dwarf::DW_TAG_class_type:
    return "class";
  default:
    return "struct";
  }
}

std::string spell(const DIType* T, const std::string& Inner, bool Cxx, unsigned Depth = 0);

const DIType* templateType(const DICompositeType* C, unsigned I) {
  DITemplateParameterArray Params = C->getTemplateParams();
  auto* P = I < Params.size() ? dyn_cast_or_null<DITemplateTypeParameter>(Params[I]) : nullptr;
  return P ? P->getType() : nullptr;
}

// The types of a template parameter pack (DW_TAG_GNU_template_parameter_pack) that is
// the template parameter I of C, e.g. the alternatives of std::variant<Ts...>. False: no
// such pack, or one of its elements is not a type.
bool templatePack(const DICompositeType* C, unsigned I, SmallVectorImpl<const DIType*>& Types) {
  DITemplateParameterArray Params = C->getTemplateParams();
  auto* P = I < Params.size() ? dyn_cast_or_null<DITemplateValueParameter>(Params[I]) : nullptr;
  if (!P || P->getTag() != dwarf::DW_TAG_GNU_template_parameter_pack)
    return false;
  auto* Tuple = dyn_cast_or_null<MDTuple>(P->getValue());
  if (!Tuple)
    return false;
  for (const MDOperand& Op : Tuple->operands()) {
    auto* TP = dyn_cast_or_null<DITemplateTypeParameter>(Op.get());
    if (!TP || !TP->getType())
      return false;
    Types.push_back(TP->getType());
  }
  return true;
}

// The names a C++ programmer writes for the library types shown by pretty printers:
// `std::string`, `std::wstring`, `std::array<int, 3>` (not `array<int, 3UL>`),
// `std::unique_ptr<int>` (without the default deleter), `std::shared_ptr<int>`,
// `std::optional<int>`, `std::variant<int, std::string>`. Empty: no such type.
std::string stdPrettyName(const DICompositeType* C, unsigned Depth) {
  std::string Q = scopePrefix(C->getScope()) + C->getName().str();
  if (Q.rfind("std::", 0) != 0 || C->getTag() == dwarf::DW_TAG_array_type)
    return {};
  for (auto [Ch, Prefix] : {std::pair<StringRef, StringRef>{"char", ""}, {"wchar_t", "w"},
                             {"char8_t", "u8"}, {"char16_t", "u16"}, {"char32_t", "u32"}}) {
    std::string Args = ("<" + Ch + ", std::char_traits<" + Ch + ">").str();
    if (Q == "std::__cxx11::basic_string" + Args + ", std::allocator<" + Ch.str() + "> >")
      return ("std::" + Prefix + "string").str();
    if (Q == "std::basic_string_view" + Args + " >")
      return ("std::" + Prefix + "string_view").str();
  }
  bool IsVariant = Q.rfind("std::variant<", 0) == 0;
  if (IsVariant || Q.rfind("std::tuple<", 0) == 0) {
    SmallVector<const DIType*, 8> Alts;
    if (!templatePack(C, 0, Alts) || (IsVariant && Alts.empty()))
      return {};
    std::string N = IsVariant ? "std::variant<" : "std::tuple<";
    for (unsigned I = 0; I < Alts.size(); ++I)
      N += (I ? ", " : "") + spell(Alts[I], "", true, Depth + 1);
    return N + ">";
  }
  const DIType* T = templateType(C, 0);
  if (!T)
    return {};
  std::string Arg = spell(T, "", true, Depth + 1);
  if (Q.rfind("std::optional<", 0) == 0)
    return "std::optional<" + Arg + ">";
  if (Q.rfind("std::pair<", 0) == 0) {
    const DIType* U = templateType(C, 1);
    return U ? "std::pair<" + Arg + ", " + spell(U, "", true, Depth + 1) + ">" : std::string();
  }
  StringRef Tmpl = StringRef(Q).drop_front(5).take_until([](char Ch) { return Ch == '<'; });
  StringRef Assoc = Tmpl.starts_with("unordered_") ? Tmpl.drop_front(10) : Tmpl;
  if (Assoc == "map" || Assoc == "set" || Assoc == "multimap" || Assoc == "multiset") {
    // With the default comparator (hash and key equality) and allocator:
    // `std::map<int, std::string>`, `std::unordered_set<int>`.
    bool IsMap = Assoc.ends_with("map");
    const DIType* V = IsMap ? templateType(C, 1) : nullptr;
    unsigned I = IsMap ? 2 : 1;
    SmallVector<StringRef, 2> Defaults{"less<"};
    if (Assoc != Tmpl)
      Defaults = {"hash<", "equal_to<"};
    for (StringRef D : Defaults) {
      auto* DC = dyn_cast_or_null<DICompositeType>(templateType(C, I++));
      if (!DC || !DC->getName().starts_with(D) || templateType(DC, 0) != T)
        return {};
    }
    auto* Alloc = dyn_cast_or_null<DICompositeType>(templateType(C, I));
    if ((IsMap && !V) || !Alloc || !Alloc->getName().starts_with("allocator<"))
      return {};
    return "std::" + Tmpl.str() + "<" + Arg +
           (IsMap ? ", " + spell(V, "", true, Depth + 1) : std::string()) + ">";
  }
  if (Q.rfind("std::__cxx11::list<", 0) == 0 || Q.rfind("std::deque<", 0) == 0 ||
      Q.rfind("std::forward_list<", 0) == 0) {
    // With the default allocator: `std::list<int>`.
    auto* Alloc = dyn_cast_or_null<DICompositeType>(templateType(C, 1));
    if (!Alloc || !Alloc->getName().starts_with("allocator<") || templateType(Alloc, 0) != T)
      return {};
    return "std::" + Tmpl.drop_front(Tmpl.rfind(':') + 1).str() + "<" + Arg + ">";
  }
  if (Q.rfind("std::shared_ptr<", 0) == 0)
    return "std::shared_ptr<" + Arg + ">";
  if (Q.rfind("std::weak_ptr<", 0) == 0)
    return "std::weak_ptr<" + Arg + ">";
  if (Q.rfind("std::unique_ptr<", 0) == 0) {
    const DIType* D = templateType(C, 1);
    auto* DC = dyn_cast_or_null<DICompositeType>(D);
    if (DC && DC->getName().starts_with("default_delete<") && templateType(DC, 0) == T)
      return "std::unique_ptr<" + Arg + ">";
    return {};
  }
  if (Q.rfind("std::array<", 0) == 0) {
    DITemplateParameterArray Params = C->getTemplateParams();
    auto* N = Params.size() > 1 ? dyn_cast_or_null<DITemplateValueParameter>(Params[1]) : nullptr;
    auto* CM = N ? dyn_cast_or_null<ConstantAsMetadata>(N->getValue()) : nullptr;
    auto* CI = CM ? dyn_cast<ConstantInt>(CM->getValue()) : nullptr;
    if (CI)
      return "std::array<" + Arg + ", " + std::to_string(CI->getZExtValue()) + ">";
  }
  return {};
}

std::string namedType(const DIType* T, bool Cxx, unsigned Depth = 0) {
  if (!T)
    return "void";
  if (auto* C = dyn_cast<DICompositeType>(T)) {
    if (Cxx && Depth < 16)
      if (std::string P = stdPrettyName(C, Depth); !P.empty())
        return P;
    std::string Kw = compositeKeyword(C->getTag());
    if (C->getName().empty()) {
      std::string File =
          C->getFile() ? sys::path::filename(C->getFile()->getFilename()).str() : std::string("?");
      return Kw + " (anonymous at " + File + ":" + std::to_string(C->getLine()) + ")";
    }
    if (Cxx)
      return scopePrefix(C->getScope()) + C->getName().str();
    return Kw + " " + C->getName().str();
  }
  if (auto* D = dyn_cast<DIDerivedType>(T); D && D->getTag() == dwarf::DW_TAG_typedef)
    return (Cxx ? scopePrefix(D->getScope()) : std::string()) + D->getName().str();
  std::string N = T->getName().str();
  if (N == "_Bool")
    return "bool"; // CONVENTIONS §3.2: lang_type `bool` for C's _Bool too
  return N.empty() ? "<unnamed type>" : N;
}

std::string join(std::string Name, const std::string& Inner) {
  if (Inner.empty())
    return Name;
  if (Inner[0] == '[')
    return Name + Inner;
  return Name + " " + Inner;
}

std::string spellPointer(const DIDerivedType* P, const std::string& Qual, const std::string& Inner,
                         bool Cxx, unsigned Depth) {
  std::string Sym;
  switch (P->getTag()) {
  case dwarf::DW_TAG_reference_type:
    Sym = "&";
    break;
  case dwarf::DW_TAG_rvalue_reference_type:
    Sym = "&&";
    break;
  case dwarf::DW_TAG_ptr_to_member_type:
    Sym = namedType(dyn_cast_or_null<DIType>(P->getClassType()), Cxx) + "::*";
    break;
  default:
    Sym = "*";
  }
  std::string Decl = Sym + Qual + (!Qual.empty() && !Inner.empty() ? " " : "") + Inner;
  if (needsParens(P->getBaseType()))
    Decl = "(" + Decl + ")";
  return spell(P->getBaseType(), Decl, Cxx, Depth + 1);
}

std::string spell(const DIType* T, const std::string& Inner, bool Cxx, unsigned Depth) {
  if (Depth > 16)
    return join("...", Inner);
  if (auto* D = dyn_cast_or_null<DIDerivedType>(T)) {
    unsigned Tag = D->getTag();
    if (isPointerLike(D))
      return spellPointer(D, "", Inner, Cxx, Depth);
    const char* Q = Tag == dwarf::DW_TAG_const_type      ? "const"
                    : Tag == dwarf::DW_TAG_volatile_type ? "volatile"
                    : Tag == dwarf::DW_TAG_restrict_type ? "restrict"
                    : Tag == dwarf::DW_TAG_atomic_type   ? "_Atomic"
                                                         : nullptr;
    if (Q) {
      if (isPointerLike(D->getBaseType()))
        return spellPointer(cast<DIDerivedType>(D->getBaseType()), Q, Inner, Cxx, Depth + 1);
      return std::string(Q) + " " + spell(D->getBaseType(), Inner, Cxx, Depth + 1);
    }
  }
  if (auto* C = dyn_cast_or_null<DICompositeType>(T);
      C && C->getTag() == dwarf::DW_TAG_array_type) {
    std::string Dims;
    for (const DINode* E : C->getElements()) {
      auto* SR = dyn_cast<DISubrange>(E);
      if (!SR)
        continue;
      auto Count = dyn_cast_if_present<ConstantInt*>(SR->getCount());
      Dims +=
          Count && !Count->isNegative() ? "[" + std::to_string(Count->getSExtValue()) + "]" : "[]";
    }
    return spell(C->getBaseType(), Inner + Dims, Cxx, Depth + 1);
  }
  if (auto* S = dyn_cast_or_null<DISubroutineType>(T)) {
    auto Types = S->getTypeArray();
    std::string Params;
    for (unsigned I = 1; I < Types.size(); ++I) {
      if (I > 1)
        Params += ", ";
      Params += Types[I] ? spell(Types[I], "", Cxx, Depth + 1) : std::string("...");
    }
    if (Params.empty() && !Cxx)
      Params = "void";
    const DIType* Ret = Types.size() ? Types[0] : nullptr;
    return spell(Ret, Inner + "(" + Params + ")", Cxx, Depth + 1);
  }
  return join(namedType(T, Cxx, Depth), Inner);
}

} // namespace

std::string typeName(const DIType* T, bool Cxx) {
  return spell(T, "", Cxx);
}

// ------------------------------------------------------------------ tables

TypeDescriptors::TypeDescriptors(Module& M, bool Cxx) : M(M), Cxx(Cxx) {
  LLVMContext& C = M.getContext();
  Type* I16 = Type::getInt16Ty(C);
  Type* I32 = Type::getInt32Ty(C);
  Type* I64 = Type::getInt64Ty(C);
  Type* Ptr = PointerType::getUnqual(C);
  TypeTy = StructType::get(C, {I32, I32, I64, Ptr, Ptr, I64, Ptr});
  FieldTy = StructType::get(C, {Ptr, Ptr, I32, I16, I16, I32, I32});
  EnumTy = StructType::get(C, {Ptr, I64});
  VarTy = StructType::get(C, {Ptr, Ptr, I32, I32});
}

Constant* TypeDescriptors::str(StringRef S) {
  auto [It, Inserted] = Strings.try_emplace(S, nullptr);
  if (Inserted) {
    Constant* Data = ConstantDataArray::getString(M.getContext(), S);
    auto* GV =
        new GlobalVariable(M, Data->getType(), true, GlobalValue::PrivateLinkage, Data, "__tr_str");
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    GV->setAlignment(Align(1));
    It->second = GV;
  }
  return It->second;
}

unsigned TypeDescriptors::entryFor(const DIType* T, unsigned Dim) {
  auto [It, Inserted] = Index.try_emplace({T, Dim}, Entries.size());
  if (!Inserted)
    return It->second;
  Entry E;
  E.T = T;
  E.Dim = Dim;
  if (Dim == 0) {
    E.Name = typeName(T, Cxx);
  } else {
    // The inner dimensions of a multi-dimensional array: "int[3]" of "int[2][3]".
    auto* C = cast<DICompositeType>(T);
    std::string Dims;
    unsigned I = 0;
    for (const DINode* N : C->getElements())
      if (auto* SR = dyn_cast<DISubrange>(N)) {
        if (I++ < Dim)
          continue;
        auto Count = dyn_cast_if_present<ConstantInt*>(SR->getCount());
        Dims += Count && !Count->isNegative() ? "[" + std::to_string(Count->getSExtValue()) + "]"
                                              : "[]";
      }
    E.Name = spell(C->getBaseType(), Dims, Cxx);
  }
  E.GV = new GlobalVariable(M, TypeTy, true, GlobalValue::PrivateLinkage, nullptr, "__tr_type");
  E.GV->setAlignment(Align(8));
  Entries.push_back(std::move(E));
  Pending.push_back(It->second);
  return It->second;
}

namespace {
// The bit offset of the data member `Name` somewhere inside C (in members and base
// classes, depth first), and its type; PointerOnly: only a member of pointer type.
bool findMember(const DICompositeType* C, StringRef Name, uint64_t& OffsetBits, const DIType*& Ty,
                bool PointerOnly = false, unsigned Depth = 0) {
  if (!C || Depth > 8)
    return false;
  for (const DINode* N : C->getElements()) {
    auto* E = dyn_cast<DIDerivedType>(N);
    if (!E || E->isStaticMember() || E->isBitField() ||
        (E->getTag() != dwarf::DW_TAG_member && E->getTag() != dwarf::DW_TAG_inheritance) ||
        (E->getTag() == dwarf::DW_TAG_inheritance && (E->getFlags() & DINode::FlagVirtual)))
      continue;
    auto* PT = dyn_cast_or_null<DIDerivedType>(strip(E->getBaseType()));
    if (E->getTag() == dwarf::DW_TAG_member && E->getName() == Name &&
        (!PointerOnly || (PT && PT->getTag() == dwarf::DW_TAG_pointer_type))) {
      OffsetBits = E->getOffsetInBits();
      Ty = E->getBaseType();
      return true;
    }
    uint64_t Inner = 0;
    if (findMember(dyn_cast_or_null<DICompositeType>(strip(E->getBaseType())), Name, Inner, Ty,
                   PointerOnly, Depth + 1)) {
      OffsetBits = E->getOffsetInBits() + Inner;
      return true;
    }
  }
  return false;
}

// Whether each data member Members[i].first is found in C (findMember) at bit offset
// Members[i].second; PointerOnly: each of pointer type.
bool membersAt(const DICompositeType* C, ArrayRef<std::pair<StringRef, uint64_t>> Members,
               bool PointerOnly = false) {
  uint64_t Off = 0;
  const DIType* Ty = nullptr;
  for (auto [Name, Expected] : Members)
    if (!findMember(C, Name, Off, Ty, PointerOnly) || Off != Expected)
      return false;
  return true;
}

// Bounds of the alignment in bytes that the compiler gives a type: exact (Lo == Hi) from an
// explicit alignment (alignas, the aligned attribute) or the natural one (a scalar's size, an
// aggregate's largest member's). A class known only by its declaration (limited debug info,
// e.g. the explicitly instantiated std::allocator<char>) inside a class C is bounded by C's
// size, which the alignment divides, and by 16 (it is not over-aligned); Hi 0: unknown.
struct AlignBounds {
  uint64_t Lo = 1, Hi = 0;
};

AlignBounds alignOf(const DIType* T, unsigned Depth = 0) {
  if (!T || Depth > 16)
    return {};
  if (uint64_t A = T->getAlignInBits() / 8)
    return {A, A};
  if (auto* B = dyn_cast<DIBasicType>(T)) {
    uint64_t S = B->getSizeInBits() / 8;
    if (B->getEncoding() == dwarf::DW_ATE_complex_float)
      S /= 2;
    S = S < 16 ? S : 16;
    return {S ? S : 1, S};
  }
  if (auto* D = dyn_cast<DIDerivedType>(T)) // pointers; typedefs, qualifiers, members, bases
    return isPointerLike(D) ? AlignBounds{8, 8} : alignOf(D->getBaseType(), Depth + 1);
  auto* C = dyn_cast<DICompositeType>(T);
  if (!C || C->isForwardDecl())
    return {};
  if (C->getTag() == dwarf::DW_TAG_array_type || C->getTag() == dwarf::DW_TAG_enumeration_type)
    return alignOf(C->getBaseType(), Depth + 1);
  uint64_t Size = C->getSizeInBits() / 8;
  uint64_t Bound = Size & -Size; // the largest power of two that divides the size
  AlignBounds R{1, 1};
  for (const DINode* N : C->getElements()) {
    auto* E = dyn_cast<DIDerivedType>(N);
    if (!E || E->isStaticMember() ||
        (E->getTag() != dwarf::DW_TAG_member && E->getTag() != dwarf::DW_TAG_inheritance))
      continue;
    AlignBounds M = alignOf(E, Depth + 1);
    if (M.Hi == 0) {
      if (Bound == 0)
        return {};
      M.Hi = Bound < 16 ? Bound : 16;
    }
    R.Lo = M.Lo > R.Lo ? M.Lo : R.Lo;
    R.Hi = M.Hi > R.Hi ? M.Hi : R.Hi;
  }
  return R;
}
} // namespace

// A container of nodes that hold an element of type Val after HeaderBytes of links
// (std::map and std::set, std::list, the unordered containers): kind Kind, the element at
// the first offset after the links that is aligned for Val (the node's `_M_storage`); false
// if that offset depends on what the debug info does not tell.
bool TypeDescriptors::nodeContainer(uint32_t Kind, const DIType* Val, uint64_t HeaderBytes,
                                    Info& R) {
  AlignBounds A = alignOf(Val);
  if (!Val || sizeOf(Val) == 0 || A.Hi == 0 || !isPowerOf2_64(A.Lo) || !isPowerOf2_64(A.Hi) ||
      alignTo(HeaderBytes, A.Lo) != alignTo(HeaderBytes, A.Hi))
    return false; // the element's offset in the node is not known
  R.Kind = Kind;
  R.Target = type(Val);
  R.Count = alignTo(HeaderBytes, A.Hi);
  return true;
}

// A smart pointer's stored pointer member (type PtrMember) described as a pointer to
// its template argument T; T[] (unique_ptr<T[]>, shared_ptr<T[]>) as a pointer to the
// first element, named as written (`P`, not `element_type`). ArrayMustMatch: only an
// array argument is checked against the member's pointee (unique_ptr, whose pointer
// type may be a deleter's `pointer`); otherwise every argument is.
bool TypeDescriptors::smartPointer(const DIType* T, const DIType* PtrMember, bool ArrayMustMatch,
                                   Info& R) {
  auto* P = dyn_cast_or_null<DIDerivedType>(strip(PtrMember));
  if (!P || P->getTag() != dwarf::DW_TAG_pointer_type)
    return false;
  const DIType* Elem = T;
  auto* TC = dyn_cast_or_null<DICompositeType>(strip(T));
  bool IsArray = TC && TC->getTag() == dwarf::DW_TAG_array_type;
  if (IsArray)
    Elem = TC->getBaseType();
  if ((IsArray || !ArrayMustMatch) &&
      (!Elem || !P->getBaseType() || strip(Elem) != strip(P->getBaseType())))
    return false;
  R.Kind = TR_TYPE_POINTER;
  if (isConstQualified(Elem))
    R.Flags |= TR_TYPE_CONST_TARGET;
  R.Target = type(Elem);
  return true;
}

// R: a descriptor of kind Kind, count Count, whose members are a constant table of
// tr_field_desc, one per field (no bitfield, no flags); TR_TYPE_NO_POINTERS if no field type
// holds a pointer. True.
bool TypeDescriptors::withFields(uint32_t Kind, ArrayRef<NamedField> Fields, uint64_t Count,
                                 Info& R) {
  LLVMContext& Ctx = M.getContext();
  auto I16 = [&](uint64_t V) { return ConstantInt::get(Type::getInt16Ty(Ctx), V); };
  auto I32 = [&](uint64_t V) { return ConstantInt::get(Type::getInt32Ty(Ctx), V); };
  R.Kind = Kind;
  R.Count = Count;
  R.Flags |= TR_TYPE_NO_POINTERS;
  if (Fields.empty())
    return true;
  SmallVector<Constant*, 8> Elems;
  for (const NamedField& F : Fields) {
    if (!isPlain(F.T))
      R.Flags &= ~TR_TYPE_NO_POINTERS;
    Elems.push_back(ConstantStruct::get(
        FieldTy, {str(F.Name), type(F.T), I32(F.Offset), I16(0), I16(0), I32(0), I32(0)}));
  }
  auto* ATy = ArrayType::get(FieldTy, Elems.size());
  auto* GV = new GlobalVariable(M, ATy, true, GlobalValue::PrivateLinkage,
                                ConstantArray::get(ATy, Elems), "__tr_members");
  GV->setAlignment(Align(8));
  R.Members = GV;
  return true;
}

// libstdc++'s std::tuple<T0, T1, ...>: derives from _Tuple_impl<0, T0, T1, ...>, which derives
// from _Tuple_impl<1, T1, ...> and _Head_base<0, T0> (element 0 in its member _M_head_impl),
// and so on: the elements in reverse order in memory. Each element's offset is summed along
// that chain and checked (the member's type is the pack's, it lies inside the tuple); false,
// keeping the raw struct, on anything else. std::tuple<> has no base.
bool TypeDescriptors::tuple(const DICompositeType* C, Info& R) {
  SmallVector<const DIType*, 8> Types;
  if (!templatePack(C, 0, Types))
    return false;
  SmallVector<NamedField, 8> Fields;
  const DICompositeType* Cur = C; // the tuple, then _Tuple_impl<I, ...>
  uint64_t CurBits = 0;
  for (unsigned I = 0; I <= Types.size(); ++I) {
    const DICompositeType *Impl = nullptr, *Head = nullptr;
    uint64_t ImplBits = 0, HeadBits = 0;
    for (const DINode* N : Cur->getElements()) {
      auto* E = dyn_cast<DIDerivedType>(N);
      if (!E || E->getTag() != dwarf::DW_TAG_inheritance)
        continue;
      auto* B = dyn_cast_or_null<DICompositeType>(strip(E->getBaseType()));
      if (!B || (E->getFlags() & DINode::FlagVirtual))
        return false;
      if (B->getName().starts_with("_Tuple_impl<") && !Impl)
        Impl = B, ImplBits = E->getOffsetInBits();
      else if (B->getName().starts_with("_Head_base<") && !Head && Cur != C)
        Head = B, HeadBits = E->getOffsetInBits();
      else
        return false;
    }
    if (Cur != C) { // _Tuple_impl<I - 1, ...>: its head is element I - 1
      uint64_t Off = 0;
      const DIType* MT = nullptr;
      const DIType* T = Types[I - 1];
      if (!Head || !findMember(Head, "_M_head_impl", Off, MT) || strip(MT) != strip(T))
        return false;
      Off += CurBits + HeadBits;
      if (Off % 8 || Off / 8 > R.Size || sizeOf(T) > R.Size - Off / 8)
        return false;
      Fields.push_back({std::to_string(I - 1), T, Off / 8});
    }
    if ((Impl != nullptr) != (I < Types.size()))
      return false; // a _Tuple_impl for each element, none after the last
    Cur = Impl;
    CurBits += ImplBits;
  }
  return withFields(TR_TYPE_STD_TUPLE, Fields, Fields.size(), R);
}

// libstdc++ types shown by their contents (pretty printers): std::string (new ABI),
// std::u8string and their string_views as a String, std::wstring / std::u16string /
// std::u32string and their string_views as a String decoded from their characters,
// std::vector<T> (not vector<bool>) as a Sequence of its elements, std::array<T, N> as an
// array, std::unique_ptr<T> (also T[]), std::shared_ptr<T> and std::weak_ptr<T> as a pointer,
// std::optional<T> as its value or "nullopt", std::variant<Ts...> as a Variant of its active
// alternative, std::map / std::set / std::multimap / std::multiset, std::list, the unordered
// containers and std::deque as a Sequence of their elements, std::pair as {first, second}.
// The layout is
// checked against the debug info (member names and offsets); anything else keeps its raw
// struct.
bool TypeDescriptors::stdContainer(const DICompositeType* C, Info& R) {
  std::string Q = scopePrefix(C->getScope()) + C->getName().str();
  if (Q.rfind("std::", 0) != 0)
    return false;
  const DIType* T = templateType(C, 0);
  if (R.Size == 32 && (Q.rfind("std::__cxx11::basic_string<char,", 0) == 0 ||
                       Q.rfind("std::__cxx11::basic_string<char8_t,", 0) == 0)) {
    R.Kind = TR_TYPE_STD_STRING;
    return true;
  }
  if (R.Size == 24 && Q.rfind("std::vector<", 0) == 0 && Q.rfind("std::vector<bool", 0) != 0) {
    if (!T || sizeOf(T) == 0)
      return false;
    R.Kind = TR_TYPE_STD_VECTOR;
    R.Target = type(T);
    return true;
  }
  uint64_t Off = 0;
  const DIType* MT = nullptr;
  if (R.Size == 16 && Q.rfind("std::basic_string_view<", 0) == 0) {
    // _M_len at 0, _M_str at 8. std::string_view, std::u8string_view: bytes; the wide ones
    // (target: the character type) count characters.
    if (!T || !membersAt(C, {{"_M_len", 0}}) || !membersAt(C, {{"_M_str", 64}}, true))
      return false;
    const Info& E = fill(entryFor(T));
    bool Wide = (E.Flags & TR_TYPE_WIDE_CHAR) && (E.Size == 2 || E.Size == 4);
    if (!Wide && E.Size != 1)
      return false;
    R.Kind = TR_TYPE_STD_STRING_VIEW;
    if (Wide)
      R.Target = type(T);
    return true;
  }
  if (Q.rfind("std::array<", 0) == 0) {
    // _M_elems is T[N] (a typedef of it); std::array<T, 0> holds an empty struct.
    if (!findMember(C, "_M_elems", Off, MT) || Off != 0)
      return false;
    auto* A = dyn_cast_or_null<DICompositeType>(strip(MT));
    if (!A || A->getTag() != dwarf::DW_TAG_array_type)
      return false;
    Info E = fill(entryFor(A));
    if (E.Kind != TR_TYPE_ARRAY || E.Size != R.Size)
      return false;
    R = E;
    R.Flags |= TR_TYPE_NOT_STRING; // std::array<char, N> is a sequence of chars
    return true;
  }
  if (R.Size == 8 && Q.rfind("std::unique_ptr<", 0) == 0) {
    // A stateless deleter: the pointer (tuple<T *, D>::_M_head_impl) is all there is.
    if (!T || !findMember(C, "_M_head_impl", Off, MT, /*PointerOnly=*/true) || Off != 0)
      return false;
    return smartPointer(T, MT, /*ArrayMustMatch=*/true, R);
  }
  if (R.Size == 16 && (Q.rfind("std::shared_ptr<", 0) == 0 || Q.rfind("std::weak_ptr<", 0) == 0)) {
    // __shared_ptr / __weak_ptr: element_type *_M_ptr at 0, the control block pointer
    // (_M_refcount) at 8. shared_ptr<T[]> holds a T *: a pointer to the first element.
    uint64_t RefOff = 0;
    if (!T || !findMember(C, "_M_refcount", RefOff, MT) || RefOff != 64 ||
        !findMember(C, "_M_ptr", Off, MT, /*PointerOnly=*/true) || Off != 0)
      return false;
    return smartPointer(T, MT, /*ArrayMustMatch=*/false, R);
  }
  if (R.Size == 32 && (Q.rfind("std::__cxx11::basic_string<wchar_t,", 0) == 0 ||
                       Q.rfind("std::__cxx11::basic_string<char16_t,", 0) == 0 ||
                       Q.rfind("std::__cxx11::basic_string<char32_t,", 0) == 0)) {
    // _M_dataplus._M_p (the characters) at 0, _M_string_length (in characters) at 8.
    uint64_t LenOff = 0;
    if (!T || !findMember(C, "_M_p", Off, MT, /*PointerOnly=*/true) || Off != 0 ||
        !findMember(C, "_M_string_length", LenOff, MT) || LenOff != 64)
      return false;
    const Info& E = fill(entryFor(T));
    if (!(E.Flags & TR_TYPE_WIDE_CHAR) || (E.Size != 2 && E.Size != 4))
      return false;
    R.Kind = TR_TYPE_STD_WSTRING;
    R.Target = type(T);
    return true;
  }
  if (Q.rfind("std::pair<", 0) == 0) {
    // A struct of `first` and `second` only: without the empty base __pair_base.
    SmallVector<NamedField, 2> Fields;
    for (StringRef Name : {"first", "second"}) {
      const DIType* FT = nullptr;
      if (!findMember(C, Name, Off, FT) || !FT || Off % 8)
        return false;
      Fields.push_back({Name.str(), FT, Off / 8});
    }
    return withFields(TR_TYPE_STRUCT, Fields, 2, R);
  }
  if (Q.rfind("std::tuple<", 0) == 0)
    return tuple(C, R);
  if (R.Size == 48 && (Q.rfind("std::map<", 0) == 0 || Q.rfind("std::set<", 0) == 0 ||
                       Q.rfind("std::multimap<", 0) == 0 || Q.rfind("std::multiset<", 0) == 0)) {
    // _M_t (an _Rb_tree<K, Val, ...>): _M_impl._M_header (an _Rb_tree_node_base {color,
    // parent, left, right}) at 8, _M_impl._M_node_count at 40. A node is an _Rb_tree_node_base
    // followed by the element (Val: K or pair<const K, V>), at 32 unless over-aligned.
    const DIType* HdrTy = nullptr;
    if (!findMember(C, "_M_t", Off, MT) || Off != 0)
      return false;
    auto* Tree = dyn_cast_or_null<DICompositeType>(strip(MT));
    const DIType* Val = Tree ? templateType(Tree, 1) : nullptr;
    if (!Val || !findMember(C, "_M_header", Off, HdrTy) || Off != 64 ||
        !membersAt(C, {{"_M_node_count", 320}}))
      return false;
    auto* Hdr = dyn_cast_or_null<DICompositeType>(strip(HdrTy));
    if (!Hdr || Hdr->getSizeInBits() != 256 ||
        !membersAt(Hdr, {{"_M_parent", 64}, {"_M_left", 128}, {"_M_right", 192}},
                   /*PointerOnly=*/true))
      return false;
    return nodeContainer(TR_TYPE_STD_RB_TREE, Val, 32, R);
  }
  if (R.Size == 24 && Q.rfind("std::__cxx11::list<", 0) == 0) {
    // _M_impl._M_node (a _List_node_header: a _List_node_base {_M_next, _M_prev}, then
    // _M_size) at 0, the list's sentinel node. A node is a _List_node_base followed by the
    // element, at 16 unless over-aligned.
    if (!T || !membersAt(C, {{"_M_node", 0}, {"_M_size", 128}}) ||
        !membersAt(C, {{"_M_next", 0}, {"_M_prev", 64}}, /*PointerOnly=*/true))
      return false;
    return nodeContainer(TR_TYPE_STD_LIST, T, 16, R);
  }
  if (R.Size == 8 && Q.rfind("std::forward_list<", 0) == 0) {
    // _M_impl._M_head (a _Fwd_list_node_base {_M_next}) at 0, its _M_next the first node; no
    // size. A node is a _Fwd_list_node_base followed by the element, at 8 unless over-aligned.
    if (!T || !membersAt(C, {{"_M_head", 0}}) || !membersAt(C, {{"_M_next", 0}}, true))
      return false;
    return nodeContainer(TR_TYPE_STD_FORWARD_LIST, T, 8, R);
  }
  if (R.Size == 40 && Q.rfind("std::vector<bool,", 0) == 0) {
    // _M_impl: bit iterators _M_start and _M_finish ({_Bit_type *_M_p, unsigned _M_offset},
    // 16 bytes) at 0 and 16; _Bit_type is an unsigned long, its bits from bit 0.
    const DIType *It = nullptr, *WordPtr = nullptr, *Bit = nullptr;
    if (!T || !findMember(C, "_M_start", Off, It) || Off != 0 ||
        !membersAt(C, {{"_M_finish", 128}}))
      return false;
    auto* ItC = dyn_cast_or_null<DICompositeType>(strip(It));
    if (!ItC || ItC->getSizeInBits() != 128 ||
        !findMember(ItC, "_M_p", Off, WordPtr, /*PointerOnly=*/true) || Off != 0 ||
        !findMember(ItC, "_M_offset", Off, Bit) || Off != 64)
      return false;
    auto* W = cast<DIDerivedType>(strip(WordPtr))->getBaseType();
    Info WI = fill(entryFor(W)), BI = fill(entryFor(Bit)), TI = fill(entryFor(T)); // copies
    if (WI.Kind != TR_TYPE_UINT || WI.Size != 8 || BI.Kind != TR_TYPE_UINT || BI.Size != 4 ||
        TI.Kind != TR_TYPE_BOOL)
      return false;
    R.Kind = TR_TYPE_STD_VECTOR_BOOL;
    R.Target = type(T);
    return true;
  }
  if (R.Size == 56 && Q.rfind("std::unordered_", 0) == 0) {
    // _M_h (a _Hashtable<K, Val, ...>): _M_before_begin (a _Hash_node_base {_M_nxt}) at 16,
    // its _M_nxt the first node; _M_element_count at 24. A node is a _Hash_node_base followed
    // by the element (Val: K or pair<const K, V>; then maybe the cached hash code).
    if (!findMember(C, "_M_h", Off, MT) || Off != 0)
      return false;
    auto* Table = dyn_cast_or_null<DICompositeType>(strip(MT));
    const DIType* Val = Table ? templateType(Table, 1) : nullptr;
    if (!Val || !membersAt(C, {{"_M_before_begin", 128}, {"_M_element_count", 192}}) ||
        !membersAt(C, {{"_M_nxt", 128}}, /*PointerOnly=*/true))
      return false;
    return nodeContainer(TR_TYPE_STD_HASHTABLE, Val, 8, R);
  }
  if (R.Size == 80 && Q.rfind("std::deque<", 0) == 0) {
    // _M_impl: _M_map (the buffers' addresses) at 0, _M_start and _M_finish (iterators
    // {_M_cur, _M_first, _M_last, _M_node}) at 16 and 48.
    const DIType* It = nullptr;
    if (!T || sizeOf(T) == 0 || !membersAt(C, {{"_M_map", 0}, {"_M_finish", 384}}) ||
        !findMember(C, "_M_start", Off, It) || Off != 128)
      return false;
    auto* ItC = dyn_cast_or_null<DICompositeType>(strip(It));
    if (!ItC || ItC->getSizeInBits() != 256 ||
        !membersAt(ItC, {{"_M_cur", 0}, {"_M_first", 64}, {"_M_last", 128}, {"_M_node", 192}},
                   /*PointerOnly=*/true))
      return false;
    R.Kind = TR_TYPE_STD_DEQUE;
    R.Target = type(T);
    return true;
  }
  if (Q.rfind("std::variant<", 0) == 0) {
    // _Variant_storage: the alternatives in the union _M_u at 0, the index _M_index (an
    // unsigned integer of 1, 2 or 4 bytes) after them.
    SmallVector<const DIType*, 8> Alts;
    uint64_t IdxOff = 0;
    const DIType* IdxTy = nullptr;
    if (!templatePack(C, 0, Alts) || Alts.empty() || !findMember(C, "_M_u", Off, MT) || Off != 0 ||
        !findMember(C, "_M_index", IdxOff, IdxTy) || IdxOff % 8)
      return false;
    const Info& Idx = fill(entryFor(IdxTy));
    if ((Idx.Kind != TR_TYPE_UINT && Idx.Kind != TR_TYPE_CHAR) ||
        (Idx.Size != 1 && Idx.Size != 2 && Idx.Size != 4) || IdxOff / 8 + Idx.Size > R.Size)
      return false;
    for (const DIType* A : Alts)
      if (sizeOf(A) > IdxOff / 8)
        return false;
    SmallVector<NamedField, 8> Fields;
    for (const DIType* A : Alts)
      Fields.push_back({typeName(A, Cxx), A, 0});
    Fields.push_back({"_M_index", IdxTy, IdxOff / 8}); // an integer: plain
    return withFields(TR_TYPE_STD_VARIANT, Fields, Alts.size(), R);
  }
  if (Q.rfind("std::optional<", 0) == 0) {
    uint64_t ValOff = 0;
    if (!T || !findMember(C, "_M_engaged", Off, MT) || Off % 8 || Off / 8 >= R.Size ||
        !findMember(C, "_M_value", ValOff, MT) || ValOff != 0 || sizeOf(T) > Off / 8)
      return false;
    R.Kind = TR_TYPE_STD_OPTIONAL;
    R.Target = type(T);
    R.Count = Off / 8;
    if (isPlain(T))
      R.Flags |= TR_TYPE_NO_POINTERS;
    return true;
  }
  return false;
}

// No pointer inside: the runtime copies the bytes without walking the type.
bool TypeDescriptors::isPlain(const DIType* T) {
  const Info& I = fill(entryFor(T));
  if (tr_type_is_container(I.Kind))
    return false;
  switch (I.Kind) {
  case TR_TYPE_POINTER:
  case TR_TYPE_REFERENCE:
    return false;
  case TR_TYPE_ARRAY:
  case TR_TYPE_STRUCT:
  case TR_TYPE_UNION:
  case TR_TYPE_STD_OPTIONAL:
  case TR_TYPE_STD_VARIANT:
  case TR_TYPE_STD_TUPLE:
    return I.Flags & TR_TYPE_NO_POINTERS;
  default:
    return true;
  }
}

Constant* TypeDescriptors::type(const DIType* T) {
  unsigned I = entryFor(T);
  drain();
  return Entries[I].GV;
}

uint64_t TypeDescriptors::sizeOf(const DIType* T) {
  uint64_t S = fill(entryFor(T)).Size;
  drain();
  return S;
}

void TypeDescriptors::drain() {
  if (Draining)
    return;
  ++Draining;
  while (!Pending.empty()) {
    unsigned I = Pending.back();
    Pending.pop_back();
    fill(I);
  }
  --Draining;
}

const TypeDescriptors::Info& TypeDescriptors::fill(unsigned I) {
  if (Entries[I].Filled)
    return Entries[I].I;
  Entries[I].Filled = true;
  ++Draining; // nested type() calls only queue
  Info Computed = compute(Entries[I].T, Entries[I].Dim);
  --Draining;
  Entry& E = Entries[I];
  E.I = Computed;
  LLVMContext& C = M.getContext();
  auto* Null = ConstantPointerNull::get(PointerType::getUnqual(C));
  auto I32 = [&](uint64_t V) { return ConstantInt::get(Type::getInt32Ty(C), V); };
  auto I64 = [&](uint64_t V) { return ConstantInt::get(Type::getInt64Ty(C), V); };
  E.GV->setInitializer(ConstantStruct::get(
      TypeTy, {I32(Computed.Kind), I32(Computed.Flags), I64(Computed.Size), str(E.Name),
               Computed.Target ? Computed.Target : Null, I64(Computed.Count),
               Computed.Members ? Computed.Members : Null}));
  return E.I;
}

namespace {
bool isWideCharName(StringRef N) {
  return N == "wchar_t" || N == "char16_t" || N == "char32_t";
}
} // namespace

TypeDescriptors::Info TypeDescriptors::compute(const DIType* T, unsigned Dim) {
  Info R;
  R.Kind = TR_TYPE_OPAQUE;
  if (!T)
    return R;
  R.Size = T->getSizeInBits() / 8;
  if (auto* B = dyn_cast<DIBasicType>(T)) {
    switch (B->getEncoding()) {
    case dwarf::DW_ATE_signed:
      R.Kind = TR_TYPE_SINT;
      break;
    case dwarf::DW_ATE_unsigned:
    case dwarf::DW_ATE_UTF:
      R.Kind = TR_TYPE_UINT;
      break;
    case dwarf::DW_ATE_signed_char:
      R.Kind = R.Size == 1 ? TR_TYPE_CHAR : TR_TYPE_SINT;
      R.Flags = TR_TYPE_SIGNED;
      break;
    case dwarf::DW_ATE_unsigned_char:
      R.Kind = R.Size == 1 ? TR_TYPE_CHAR : TR_TYPE_UINT;
      break;
    case dwarf::DW_ATE_boolean:
      R.Kind = TR_TYPE_BOOL;
      break;
    case dwarf::DW_ATE_float:
      R.Kind = TR_TYPE_FLOAT;
      if (R.Size == 16 && B->getName().contains("128"))
        R.Flags = TR_TYPE_BINARY128;
      break;
    default:
      break;
    }
    if (isWideCharName(B->getName()) && (R.Kind == TR_TYPE_SINT || R.Kind == TR_TYPE_UINT) &&
        (R.Size == 2 || R.Size == 4))
      R.Flags |= TR_TYPE_WIDE_CHAR;
    return R;
  }
  if (auto* D = dyn_cast<DIDerivedType>(T)) {
    if (isQualifierOrTypedef(D)) {
      if (!D->getBaseType())
        return R;
      Info B = fill(entryFor(D->getBaseType()));
      // C: wchar_t, char16_t, char32_t are typedefs of integers.
      if (D->getTag() == dwarf::DW_TAG_typedef && isWideCharName(D->getName()) &&
          (B.Kind == TR_TYPE_SINT || B.Kind == TR_TYPE_UINT) && (B.Size == 2 || B.Size == 4))
        B.Flags |= TR_TYPE_WIDE_CHAR;
      return B;
    }
    switch (D->getTag()) {
    case dwarf::DW_TAG_pointer_type:
    case dwarf::DW_TAG_reference_type:
    case dwarf::DW_TAG_rvalue_reference_type: {
      if (R.Size == 0)
        R.Size = M.getDataLayout().getPointerSize();
      const DIType* Base = D->getBaseType();
      if (isa_and_nonnull<DISubroutineType>(strip(Base))) {
        R.Kind = TR_TYPE_FUNCTION_POINTER;
        return R;
      }
      R.Kind = D->getTag() == dwarf::DW_TAG_pointer_type ? TR_TYPE_POINTER : TR_TYPE_REFERENCE;
      if (isConstQualified(Base))
        R.Flags |= TR_TYPE_CONST_TARGET;
      if (Base)
        R.Target = type(Base);
      return R;
    }
    default:
      return R; // pointer to member, ...: opaque bytes
    }
  }
  if (auto* C = dyn_cast<DICompositeType>(T))
    return computeComposite(C, Dim);
  return R;
}

TypeDescriptors::Info TypeDescriptors::computeComposite(const DICompositeType* C, unsigned Dim) {
  Info R;
  R.Kind = TR_TYPE_OPAQUE;
  R.Size = C->getSizeInBits() / 8;
  LLVMContext& Ctx = M.getContext();
  auto I16 = [&](uint64_t V) { return ConstantInt::get(Type::getInt16Ty(Ctx), V); };
  auto I32 = [&](uint64_t V) { return ConstantInt::get(Type::getInt32Ty(Ctx), V); };
  auto I64 = [&](uint64_t V) { return ConstantInt::get(Type::getInt64Ty(Ctx), V); };
  auto* Null = ConstantPointerNull::get(PointerType::getUnqual(Ctx));
  auto table = [&](Type* ElemTy, ArrayRef<Constant*> Elems) -> Constant* {
    auto* ATy = ArrayType::get(ElemTy, Elems.size());
    auto* GV = new GlobalVariable(M, ATy, true, GlobalValue::PrivateLinkage,
                                  ConstantArray::get(ATy, Elems), "__tr_members");
    GV->setAlignment(Align(8));
    return GV;
  };

  switch (C->getTag()) {
  case dwarf::DW_TAG_array_type: {
    SmallVector<int64_t, 4> Counts;
    for (const DINode* N : C->getElements())
      if (auto* SR = dyn_cast<DISubrange>(N)) {
        auto Count = dyn_cast_if_present<ConstantInt*>(SR->getCount());
        Counts.push_back(Count ? Count->getSExtValue() : 0);
      }
    if (Counts.empty() || Dim >= Counts.size())
      return R;
    R.Kind = TR_TYPE_ARRAY;
    R.Count = Counts[Dim] > 0 ? Counts[Dim] : 0;
    uint64_t ElemSize;
    if (Dim + 1 < Counts.size()) {
      unsigned Inner = entryFor(C, Dim + 1);
      R.Target = Entries[Inner].GV;
      ElemSize = fill(Inner).Size;
    } else {
      R.Target = type(C->getBaseType());
      ElemSize = fill(entryFor(C->getBaseType())).Size;
    }
    R.Size = ElemSize * R.Count;
    if (Dim + 1 < Counts.size() ? (fill(entryFor(C, Dim + 1)).Flags & TR_TYPE_NO_POINTERS)
                                : isPlain(C->getBaseType()))
      R.Flags |= TR_TYPE_NO_POINTERS;
    return R;
  }
  case dwarf::DW_TAG_enumeration_type: {
    R.Kind = TR_TYPE_ENUM;
    bool Signed = false;
    if (auto* B = dyn_cast_or_null<DIBasicType>(strip(C->getBaseType())))
      Signed =
          B->getEncoding() == dwarf::DW_ATE_signed || B->getEncoding() == dwarf::DW_ATE_signed_char;
    SmallVector<Constant*, 16> Elems;
    for (const DINode* N : C->getElements())
      if (auto* E = dyn_cast<DIEnumerator>(N)) {
        if (!C->getBaseType() && !E->isUnsigned() && E->getValue().isNegative())
          Signed = true;
        const APInt& V = E->getValue();
        uint64_t Bits = V.getBitWidth() > 64
                            ? V.trunc(64).getZExtValue()
                            : (E->isUnsigned() ? V.getZExtValue() : uint64_t(V.getSExtValue()));
        Elems.push_back(ConstantStruct::get(EnumTy, {str(E->getName()), I64(Bits)}));
      }
    if (!C->getBaseType())
      Signed = Signed || !C->isForwardDecl(); // C enums: int
    if (Signed)
      R.Flags |= TR_TYPE_SIGNED;
    if (R.Size == 0 && C->getBaseType())
      R.Size = fill(entryFor(C->getBaseType())).Size;
    R.Count = Elems.size();
    if (!Elems.empty())
      R.Members = table(EnumTy, Elems);
    return R;
  }
  case dwarf::DW_TAG_structure_type:
  case dwarf::DW_TAG_class_type:
  case dwarf::DW_TAG_union_type: {
    if (C->isForwardDecl() || R.Size == 0)
      return R; // incomplete: opaque
    if (Cxx && stdContainer(C, R))
      return R;
    SmallVector<Constant*, 16> Fields;
    bool Plain = true;
    for (const DINode* N : C->getElements()) {
      auto* E = dyn_cast<DIDerivedType>(N);
      if (!E)
        continue; // methods, template parameters
      bool Base = E->getTag() == dwarf::DW_TAG_inheritance;
      if (Base && (E->getFlags() & DINode::FlagVirtual))
        continue; // offset known only at run time
      if (!Base && (E->getTag() != dwarf::DW_TAG_member || E->isStaticMember()))
        continue;
      uint64_t Off = E->getOffsetInBits();
      uint32_t BitSize = E->isBitField() ? E->getSizeInBits() : 0;
      Constant* Name =
          Base || E->getName().empty() ? static_cast<Constant*>(Null) : str(E->getName());
      if (Base)
        Name = str(typeName(E->getBaseType(), Cxx));
      else if (E->getName().empty())
        Name = str(typeName(E->getBaseType(), Cxx)); // anonymous struct/union member
      Plain = Plain && (BitSize || isPlain(E->getBaseType()));
      Fields.push_back(ConstantStruct::get(FieldTy, {Name, type(E->getBaseType()), I32(Off / 8),
                                                     I16(BitSize ? Off % 8 : 0), I16(BitSize),
                                                     I32(Base ? TR_FIELD_BASE : 0), I32(0)}));
    }
    R.Kind = C->getTag() == dwarf::DW_TAG_union_type ? TR_TYPE_UNION : TR_TYPE_STRUCT;
    if (Plain || R.Kind == TR_TYPE_UNION)
      R.Flags |= TR_TYPE_NO_POINTERS;
    R.Count = Fields.size();
    if (!Fields.empty())
      R.Members = table(FieldTy, Fields);
    return R;
  }
  default:
    return R;
  }
}

Constant* TypeDescriptors::variable(const DILocalVariable* V) {
  auto [It, Inserted] = Vars.try_emplace(V, nullptr);
  if (Inserted) {
    LLVMContext& C = M.getContext();
    Constant* Ty = type(V->getType());
    auto* GV = new GlobalVariable(
        M, VarTy, true, GlobalValue::PrivateLinkage,
        ConstantStruct::get(
            VarTy, {str(V->getName()), Ty, ConstantInt::get(Type::getInt32Ty(C), V->getLine()),
                    ConstantInt::get(Type::getInt32Ty(C), V->isParameter() ? TR_VAR_PARAM : 0)}),
        "__tr_var");
    GV->setAlignment(Align(8));
    It->second = GV;
  }
  return It->second;
}

} // namespace trace_record::values
