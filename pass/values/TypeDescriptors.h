// Per-module constant descriptor tables for the values of variables
// (runtime/include/trace_record_rt_values.h): one tr_type_desc per DIType (or
// per array dimension), one tr_var_desc per DILocalVariable, built on demand.
#ifndef TRACE_RECORD_PASS_VALUES_TYPEDESCRIPTORS_H
#define TRACE_RECORD_PASS_VALUES_TYPEDESCRIPTORS_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"

#include <string>
#include <vector>

namespace trace_record::values {

// The C/C++ spelling of a type: "const char *", "struct point", "ns::Point",
// "int[4]", "int (*)(int, int)". Cxx: C++ naming (qualified, no "struct ").
std::string typeName(const llvm::DIType* T, bool Cxx);

class TypeDescriptors {
public:
  TypeDescriptors(llvm::Module& M, bool Cxx);

  // A pointer to the tr_type_desc of T (T null: void). Never fails: what cannot
  // be described becomes an opaque descriptor.
  llvm::Constant* type(const llvm::DIType* T);
  llvm::Constant* variable(const llvm::DILocalVariable* V);
  // Size in bytes of what the descriptor of T describes.
  uint64_t sizeOf(const llvm::DIType* T);

private:
  struct Info {
    uint32_t Kind = 0, Flags = 0;
    uint64_t Size = 0, Count = 0;
    llvm::Constant* Target = nullptr;
    llvm::Constant* Members = nullptr;
  };
  struct Entry {
    llvm::GlobalVariable* GV = nullptr;
    const llvm::DIType* T = nullptr;
    unsigned Dim = 0; // arrays: the dimension this entry describes
    std::string Name;
    bool Filled = false;
    Info I;
  };

  unsigned entryFor(const llvm::DIType* T, unsigned Dim = 0);
  const Info& fill(unsigned Index);
  Info compute(const llvm::DIType* T, unsigned Dim);
  Info computeComposite(const llvm::DICompositeType* C, unsigned Dim);
  bool isPlain(const llvm::DIType* T);
  bool stdContainer(const llvm::DICompositeType* C, Info& R);
  bool nodeContainer(uint32_t Kind, const llvm::DIType* Val, uint64_t HeaderBytes, Info& R);
  bool smartPointer(const llvm::DIType* T, const llvm::DIType* PtrMember, bool ArrayMustMatch,
                    Info& R);
  struct NamedField {
    std::string Name;
    const llvm::DIType* T;
    uint64_t Offset; // bytes
  };
  bool withFields(uint32_t Kind, llvm::ArrayRef<NamedField> Fields, uint64_t Count, Info& R);
  bool tuple(const llvm::DICompositeType* C, Info& R);
  void drain();
  llvm::Constant* str(llvm::StringRef S);

  llvm::Module& M;
  bool Cxx;
  llvm::StructType *TypeTy, *FieldTy, *EnumTy, *VarTy;
  llvm::DenseMap<std::pair<const llvm::DIType*, unsigned>, unsigned> Index;
  std::vector<Entry> Entries;
  std::vector<unsigned> Pending;
  llvm::DenseMap<const llvm::DILocalVariable*, llvm::GlobalVariable*> Vars;
  llvm::StringMap<llvm::Constant*> Strings;
  unsigned Draining = 0;
};

} // namespace trace_record::values

#endif
