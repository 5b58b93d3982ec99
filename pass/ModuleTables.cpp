#include "ModuleTables.h"

#include "../runtime/include/trace_record_rt.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

namespace trace_record {

namespace {
// Field numbers of tr_module_desc.
constexpr unsigned FunctionBaseField = 7;
constexpr unsigned FileBaseField = 8;
} // namespace

ModuleTables::ModuleTables(Module& M, StringRef ModuleName, bool NoDebugInfo)
    : M(M), ModuleName(ModuleName), NoDebugInfo(NoDebugInfo) {
  LLVMContext& C = M.getContext();
  Type* I32 = Type::getInt32Ty(C);
  Type* I64 = Type::getInt64Ty(C);
  PointerType* Ptr = PointerType::getUnqual(C);
  FunctionDescTy = StructType::create(C, {Ptr, Ptr, I32, I32}, "struct.tr_function_desc");
  ModuleDescTy = StructType::create(C, {I32, I32, Ptr, I32, I32, Ptr, Ptr, I64, I64},
                                    "struct.tr_module_desc");
  // The initializer is set by finalize(); the runtime writes the two bases.
  Desc = new GlobalVariable(M, ModuleDescTy, /*isConstant=*/false, GlobalValue::PrivateLinkage,
                            nullptr, DescName);
  Desc->setAlignment(Align(8));
}

uint32_t ModuleTables::fileIndex(StringRef AbsPath) {
  auto [It, Inserted] = FileIndices.try_emplace(AbsPath, static_cast<uint32_t>(Files.size()));
  if (Inserted)
    Files.push_back(AbsPath.str());
  return It->second;
}

uint32_t ModuleTables::addFunction(StringRef Name, StringRef LinkageName, uint32_t File,
                                   uint32_t Line) {
  Functions.push_back({Name.str(), LinkageName.str(), File, Line});
  return static_cast<uint32_t>(Functions.size() - 1);
}

Value* ModuleTables::functionId(IRBuilder<>& B, uint32_t Index) {
  Value* BasePtr = B.CreateStructGEP(ModuleDescTy, Desc, FunctionBaseField);
  Value* Base = B.CreateLoad(B.getInt64Ty(), BasePtr, "tr.fbase");
  return B.CreateAdd(Base, B.getInt64(Index));
}

Value* ModuleTables::stepLocation(IRBuilder<>& B, uint32_t File, uint32_t Line) {
  Value* BasePtr = B.CreateStructGEP(ModuleDescTy, Desc, FileBaseField);
  Value* Base = B.CreateLoad(B.getInt64Ty(), BasePtr, "tr.filebase");
  // ((base + File) << 32) | Line == (base << 32) + ((File << 32) | Line)
  return B.CreateAdd(B.CreateShl(Base, 32), B.getInt64((uint64_t(File) << 32) | Line));
}

Constant* ModuleTables::cString(StringRef S, const Twine& GlobalName) {
  Constant* Init = ConstantDataArray::getString(M.getContext(), S, /*AddNull=*/true);
  auto* GV = new GlobalVariable(M, Init->getType(), /*isConstant=*/true,
                                GlobalValue::PrivateLinkage, Init, GlobalName);
  GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  GV->setAlignment(Align(1));
  return GV;
}

void ModuleTables::finalize() {
  LLVMContext& C = M.getContext();
  Type* I32 = Type::getInt32Ty(C);
  Type* I64 = Type::getInt64Ty(C);
  PointerType* Ptr = PointerType::getUnqual(C);

  std::vector<Constant*> FileConsts;
  for (size_t I = 0; I < Files.size(); ++I)
    FileConsts.push_back(cString(Files[I], "__tr_file." + Twine(I)));
  ArrayType* FilesTy = ArrayType::get(Ptr, FileConsts.size());
  auto* FilesGV = new GlobalVariable(M, FilesTy, true, GlobalValue::PrivateLinkage,
                                     ConstantArray::get(FilesTy, FileConsts), "__tr_files");

  std::vector<Constant*> FnConsts;
  for (size_t I = 0; I < Functions.size(); ++I) {
    const FunctionEntry& F = Functions[I];
    FnConsts.push_back(ConstantStruct::get(
        FunctionDescTy, {cString(F.Name, "__tr_fn_name." + Twine(I)),
                         cString(F.LinkageName, "__tr_fn_linkage." + Twine(I)),
                         ConstantInt::get(I32, F.File), ConstantInt::get(I32, F.Line)}));
  }
  ArrayType* FnsTy = ArrayType::get(FunctionDescTy, FnConsts.size());
  auto* FnsGV = new GlobalVariable(M, FnsTy, true, GlobalValue::PrivateLinkage,
                                   ConstantArray::get(FnsTy, FnConsts), "__tr_functions");

  Desc->setInitializer(ConstantStruct::get(
      ModuleDescTy,
      {ConstantInt::get(I32, TR_ABI_VERSION),
       ConstantInt::get(I32, NoDebugInfo ? TR_MODULE_NO_DEBUG_INFO : 0u),
       cString(ModuleName, "__tr_module_name"), ConstantInt::get(I32, Files.size()),
       ConstantInt::get(I32, Functions.size()), FilesGV, FnsGV,
       ConstantInt::get(I64, TR_UNREGISTERED_BASE), ConstantInt::get(I64, TR_UNREGISTERED_BASE)}));

  // static void __tr_module_ctor(void) { __tr_register_module(&desc); }  at priority 1
  FunctionCallee Register =
      M.getOrInsertFunction("__tr_register_module", Type::getVoidTy(C), Ptr);
  Function* Ctor = Function::Create(FunctionType::get(Type::getVoidTy(C), false),
                                    GlobalValue::InternalLinkage, "__tr_module_ctor", M);
  Ctor->addFnAttr(Attribute::NoUnwind);
  IRBuilder<> B(BasicBlock::Create(C, "", Ctor));
  B.CreateCall(Register, {Desc});
  B.CreateRetVoid();
  appendToGlobalCtors(M, Ctor, /*Priority=*/1);
}

} // namespace trace_record
