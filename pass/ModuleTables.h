// The per-module tables of the ABI (runtime/include/trace_record_rt.h): the files and
// functions this module traces, the tr_module_desc that the runtime fills with the id
// bases, the module constructor (priority 1) calling __tr_register_module, and the code
// that turns module-local indices into the global ids the hooks take.
#ifndef TRACE_RECORD_PASS_MODULETABLES_H
#define TRACE_RECORD_PASS_MODULETABLES_H

#include "llvm/ADT/StringMap.h"
#include "llvm/IR/IRBuilder.h"

#include <string>
#include <vector>

namespace trace_record {

class ModuleTables {
public:
  static constexpr const char* DescName = "__tr_module_desc";

  // ModuleName: the translation unit's main source file, absolute.
  ModuleTables(llvm::Module& M, llvm::StringRef ModuleName, bool NoDebugInfo);

  // Module-local index of an absolute file path, added on first use.
  uint32_t fileIndex(llvm::StringRef AbsPath);
  // Module-local index of a new function.
  uint32_t addFunction(llvm::StringRef Name, llvm::StringRef LinkageName, uint32_t File,
                       uint32_t Line);
  size_t numFunctions() const { return Functions.size(); }

  // function_base + Index, computed at B's insertion point.
  llvm::Value* functionId(llvm::IRBuilder<>& B, uint32_t Index);
  // ((file_base + File) << 32) | Line, computed at B's insertion point.
  llvm::Value* stepLocation(llvm::IRBuilder<>& B, uint32_t File, uint32_t Line);

  // Writes the tables and the constructor. Call once, after all functions were added.
  void finalize();

private:
  struct FunctionEntry {
    std::string Name, LinkageName;
    uint32_t File, Line;
  };
  llvm::Constant* cString(llvm::StringRef S, const llvm::Twine& GlobalName);

  llvm::Module& M;
  std::string ModuleName;
  bool NoDebugInfo;
  llvm::StructType* FunctionDescTy;
  llvm::StructType* ModuleDescTy;
  llvm::GlobalVariable* Desc;
  std::vector<std::string> Files;
  llvm::StringMap<uint32_t> FileIndices;
  std::vector<FunctionEntry> Functions;
};

} // namespace trace_record

#endif
