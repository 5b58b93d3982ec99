// Instruments one function: __tr_func_enter at entry, __tr_func_exit on every exit
// (returns, exceptions unwinding through the frame, before musttail calls), __tr_step at
// every change of source line, and the setjmp bookkeeping (__tr_frame_depth /
// __tr_unwind_to).
#ifndef TRACE_RECORD_PASS_FUNCTIONINSTRUMENTER_H
#define TRACE_RECORD_PASS_FUNCTIONINSTRUMENTER_H

#include "ModuleTables.h"
#include "PassOptions.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/IR/Function.h"

#include <optional>

namespace llvm {
class TargetLibraryInfo;
class CallBase;
} // namespace llvm

namespace trace_record {

struct Hooks {
  llvm::FunctionCallee Enter, Exit, Step, FrameDepth, UnwindTo;
  static Hooks declare(llvm::Module& M);
  static bool isHook(const llvm::Function& F);
};

// Which functions this module traces, and a cache of which untraced functions defined
// here cannot call back into traced code; shared by the instrumenters of a module.
struct TracedSet {
  llvm::DenseSet<const llvm::Function*> Traced;
  llvm::DenseMap<const llvm::Function*, bool> UntracedLeaf;
};

class FunctionInstrumenter {
public:
  FunctionInstrumenter(llvm::Function& F, uint32_t FunctionIndex, ModuleTables& Tables,
                       const Hooks& H, const PassOptions& Opts, const llvm::TargetLibraryInfo& TLI,
                       TracedSet& Set)
      : F(F), FunctionIndex(FunctionIndex), Tables(Tables), H(H), Opts(Opts), TLI(TLI),
        Set(Set) {}

  // WithSteps: false for code without debug info (enter/exit only).
  void run(bool WithSteps);

private:
  struct Loc {
    uint32_t File, Line;
    bool operator==(const Loc&) const = default;
  };

  void insertSteps();
  std::optional<Loc> locationOf(const llvm::Instruction& I);
  void emitStep(llvm::Instruction* Before, Loc L);
  bool mayReachTracedCode(const llvm::CallBase& Call) const;
  bool neverTraced(const llvm::Function& Callee) const;
  void insertEnter();
  void insertSetjmpHandling();
  void insertExits();

  llvm::Function& F;
  uint32_t FunctionIndex;
  ModuleTables& Tables;
  const Hooks& H;
  const PassOptions& Opts;
  const llvm::TargetLibraryInfo& TLI;
  TracedSet& Set;
  llvm::DenseMap<const llvm::DIFile*, std::optional<uint32_t>> FileCache;
  llvm::AllocaInst* SavedDepth = nullptr;
};

} // namespace trace_record

#endif
