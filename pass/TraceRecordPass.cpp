#include "TraceRecordPass.h"

#include "FunctionInstrumenter.h"
#include "ModuleTables.h"
#include "SourcePaths.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/EHPersonalities.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace trace_record {

namespace {

constexpr const char* RemarkPass = "trace-record";

void remarkSkipped(Function& F, StringRef Why) {
  OptimizationRemarkEmitter ORE(&F);
  ORE.emit([&] {
    return OptimizationRemarkMissed(RemarkPass, "NotTraced", &F)
           << "not traced: " << ore::NV("Reason", Why);
  });
}

size_t instructionCount(const Function& F) {
  size_t N = 0;
  for (const BasicBlock& BB : F)
    for (const Instruction& I : BB)
      if (!I.isDebugOrPseudoInst())
        ++N;
  return N;
}

std::string moduleSourcePath(const Module& M) {
  for (const DICompileUnit* CU : M.debug_compile_units())
    if (std::string P = absolutePath(CU->getFile()); !P.empty())
      return P;
  return absolutePath("", M.getSourceFileName());
}

struct Candidate {
  Function* F;
  std::string Name;
  const DISubprogram* SP;
};

// The hooks have side effects: an instrumented function is no longer memory(none),
// nosync, willreturn, ... Drop what the optimizer inferred, on the functions and on the
// calls to them, so that nothing later (codegen, LTO) relies on it.
void dropPurityAttributes(Module& M, const std::vector<Candidate>& Chosen) {
  static const Attribute::AttrKind Kinds[] = {Attribute::Memory,   Attribute::NoSync,
                                              Attribute::WillReturn, Attribute::NoFree,
                                              Attribute::Speculatable, Attribute::NoRecurse,
                                              Attribute::NoCallback};
  SmallPtrSet<const Function*, 32> Set;
  for (const Candidate& C : Chosen) {
    Set.insert(C.F);
    for (Attribute::AttrKind K : Kinds)
      C.F->removeFnAttr(K);
  }
  for (Function& F : M)
    for (Instruction& I : instructions(F))
      if (auto* Call = dyn_cast<CallBase>(&I))
        if (const Function* Callee = Call->getCalledFunction(); Callee && Set.contains(Callee))
          for (Attribute::AttrKind K : Kinds)
            Call->removeFnAttr(K);
}

} // namespace

PreservedAnalyses TraceRecordPass::run(Module& M, ModuleAnalysisManager& MAM) {
  if (M.getNamedGlobal(ModuleTables::DescName))
    return PreservedAnalyses::all(); // already instrumented (pipeline ran twice)

  const bool HasDebugInfo = M.debug_compile_units_begin() != M.debug_compile_units_end();
  if (!HasDebugInfo) {
    static bool Warned = false;
    if (!Warned) {
      Warned = true;
      errs() << "trace-record: warning: " << M.getSourceFileName()
             << " compiled without debug info (-g): only calls and returns are traced, "
                "no steps\n";
    }
  }

  // Choose first, then instrument: the tables must not list functions we skip.
  std::vector<Candidate> Chosen;
  for (Function& F : M) {
    if (F.isDeclaration() || Hooks::isHook(F) || F.getName().starts_with("__tr_"))
      continue;
    if (F.hasAvailableExternallyLinkage()) {
      remarkSkipped(F, "available_externally (the out-of-line copy is traced)");
      continue;
    }
    if (F.hasFnAttribute(Attribute::Naked)) {
      remarkSkipped(F, "naked function");
      continue;
    }
    if (F.hasFnAttribute(Attribute::DisableSanitizerInstrumentation)) {
      remarkSkipped(F, "disable_sanitizer_instrumentation");
      continue;
    }
    if (F.hasPersonalityFn() && isScopedEHPersonality(classifyEHPersonality(F.getPersonalityFn()))) {
      remarkSkipped(F, "funclet-based exception handling is not supported");
      continue;
    }
    const DISubprogram* SP = F.getSubprogram();
    if (HasDebugInfo && !SP) {
      remarkSkipped(F, "no debug info for this function (compiler-generated or nodebug)");
      continue;
    }
    std::string Linkage = F.getName().str();
    std::string Name = demangle(Linkage);
    if (!Opts.functionSelected(Name, Linkage)) {
      remarkSkipped(F, "excluded by a function filter");
      continue;
    }
    if (SP) {
      std::string Path = absolutePath(SP->getFile());
      if (!Opts.TraceSystem && isSystemPath(Path)) {
        remarkSkipped(F, "system code");
        continue;
      }
      if (!Opts.fileSelected(Path)) {
        remarkSkipped(F, "excluded by a file filter");
        continue;
      }
    }
    if (Opts.MinInstructions && instructionCount(F) < Opts.MinInstructions) {
      remarkSkipped(F, "smaller than the size threshold");
      continue;
    }
    Chosen.push_back({&F, std::move(Name), SP});
  }
  if (Chosen.empty())
    return PreservedAnalyses::all();

  std::string ModulePath = moduleSourcePath(M);
  ModuleTables Tables(M, ModulePath, !HasDebugInfo);
  Hooks H = Hooks::declare(M);
  TracedSet Set;
  for (const Candidate& C : Chosen)
    Set.Traced.insert(C.F);
  FunctionAnalysisManager& FAM =
      MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
  for (Candidate& C : Chosen) {
    uint32_t File, Line = 0;
    if (C.SP) {
      File = Tables.fileIndex(absolutePath(C.SP->getFile()));
      Line = C.SP->getLine();
    } else {
      File = Tables.fileIndex(ModulePath);
    }
    uint32_t Index = Tables.addFunction(C.Name, C.F->getName(), File, Line);
    const TargetLibraryInfo& TLI = FAM.getResult<TargetLibraryAnalysis>(*C.F);
    FunctionInstrumenter(*C.F, Index, Tables, H, Opts, TLI, Set).run(/*WithSteps=*/C.SP != nullptr && Opts.Lines);
  }
  Tables.finalize();
  dropPurityAttributes(M, Chosen);
  return PreservedAnalyses::none();
}

} // namespace trace_record
