#include "FunctionInstrumenter.h"

#include "SourcePaths.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/PostOrderIterator.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Analysis/CFG.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/EscapeEnumerator.h"

using namespace llvm;

namespace trace_record {

Hooks Hooks::declare(Module& M) {
  LLVMContext& C = M.getContext();
  Type* Void = Type::getVoidTy(C);
  Type* I32 = Type::getInt32Ty(C);
  Type* I64 = Type::getInt64Ty(C);
  AttributeList NoUnwind =
      AttributeList().addFnAttribute(C, Attribute::NoUnwind);
  Hooks H;
  H.Enter = M.getOrInsertFunction("__tr_func_enter", NoUnwind, Void, I64);
  H.Exit = M.getOrInsertFunction("__tr_func_exit", NoUnwind, Void, I64);
  H.Step = M.getOrInsertFunction("__tr_step", NoUnwind, Void, I64);
  H.FrameDepth = M.getOrInsertFunction("__tr_frame_depth", NoUnwind, I32);
  H.UnwindTo = M.getOrInsertFunction("__tr_unwind_to", NoUnwind, Void, I32);
  return H;
}

bool Hooks::isHook(const Function& F) { return F.getName().starts_with("__tr_"); }

void FunctionInstrumenter::run(bool WithSteps) {
  // Order matters: steps first (on the original instructions), then the entry hook
  // goes before the first step, and the exit hooks right before each return, after
  // the step of the returning line.
  if (WithSteps)
    insertSteps();
  insertEnter();
  insertSetjmpHandling();
  insertExits();
}

std::optional<FunctionInstrumenter::Loc> FunctionInstrumenter::locationOf(const Instruction& I) {
  const DebugLoc& DL = I.getDebugLoc();
  if (!DL || DL.getLine() == 0)
    return std::nullopt;
  // The location's own scope: for inlined code, the file and line it came from.
  const DIFile* File = DL->getFile();
  auto [It, Inserted] = FileCache.try_emplace(File);
  if (Inserted) {
    std::string Path = absolutePath(File);
    if (!Path.empty() && (Opts.TraceSystem || !isSystemPath(Path)) && Opts.fileSelected(Path))
      It->second = Tables.fileIndex(Path);
  }
  if (!It->second)
    return std::nullopt;
  return Loc{*It->second, DL.getLine()};
}

void FunctionInstrumenter::emitStep(Instruction* Before, Loc L) {
  IRBuilder<> B(Before);
  B.CreateCall(H.Step, {Tables.stepLocation(B, L.File, L.Line)});
  // Value hooks (a later issue) go here, right after the step.
}

// Functions that are never instrumented, whatever this module does.
bool FunctionInstrumenter::neverTraced(const Function& Callee) const {
  if (Callee.isIntrinsic() || Hooks::isHook(Callee))
    return true;
  StringRef Name = Callee.getName();
  if (Name.starts_with("__cxa_") || Name.starts_with("_Unwind_") ||
      Name == "__clang_call_terminate")
    return true; // C++ ABI runtime
  if (Name.starts_with("__asan_") || Name.starts_with("__ubsan_") ||
      Name.starts_with("__sanitizer_") || Name.starts_with("__msan_") ||
      Name.starts_with("__tsan_") || Name.starts_with("__hwasan_") || Name == "__gcov_dump" ||
      Name.starts_with("__llvm_profile_"))
    return true; // sanitizer and profiling runtimes (a program built with -fsanitize=...)
  if (!Opts.TraceSystem && (Name.starts_with("_ZSt") || Name.starts_with("_ZNSt") ||
                            Name.starts_with("_ZNKSt") || Name.starts_with("_ZN9__gnu_cxx") ||
                            Name.starts_with("_ZNK9__gnu_cxx")))
    return true; // the C++ standard library
  LibFunc LF;
  if (Callee.isDeclaration() && TLI.getLibFunc(Callee, LF) && TLI.has(LF))
    return true; // printf, malloc, ...
  // System code (std:: templates, libc inlines) is not traced unless asked for.
  if (const DISubprogram* SP = Callee.getSubprogram(); SP && !Opts.TraceSystem)
    if (isSystemPath(absolutePath(SP->getFile())))
      return true;
  return false;
}

// Whether the trace may step elsewhere during this call, so that the caller's line must
// step again when it returns. Library code may call back into traced code (qsort's or
// std::sort's comparator): then the caller's line steps again only when it changes.
bool FunctionInstrumenter::mayReachTracedCode(const CallBase& Call) const {
  if (Call.isInlineAsm())
    return false;
  const Function* Callee = Call.getCalledFunction();
  if (!Callee)
    return true; // indirect call
  if (neverTraced(*Callee))
    return false;
  if (Callee->isDeclaration() || Set.Traced.contains(Callee))
    return true; // traced here, or maybe in another translation unit
  // Defined here but not traced (filtered out, too small): it reaches traced code only
  // through its own calls. One level deep; deeper chains count as reaching.
  auto [It, Inserted] = Set.UntracedLeaf.try_emplace(Callee, true);
  if (Inserted) {
    for (const Instruction& I : instructions(*Callee)) {
      const auto* Inner = dyn_cast<CallBase>(&I);
      if (!Inner || Inner->isInlineAsm())
        continue;
      const Function* C = Inner->getCalledFunction();
      if (!C || (C != Callee && !neverTraced(*C))) {
        It->second = false;
        break;
      }
    }
  }
  return !It->second;
}

void FunctionInstrumenter::insertSteps() {
  // Invariant: right after any located instruction runs, the last step of this frame
  // is at its location. A block steps on its first located instruction unless all its
  // predecessors provably left off on that very location (e.g. the blocks of `a && b`).
  // A call that may reach traced code ends the certainty: the callee steps elsewhere,
  // so the caller's line gets a step again when the call returns.
  // Loop headers step unless every iteration already steps that location in the
  // latch (the `i++` of a `for` on the header's line), so that each iteration has a step.
  SmallVector<std::pair<const BasicBlock*, const BasicBlock*>, 8> BackEdges;
  FindFunctionBackedges(F, BackEdges);
  SmallPtrSet<const BasicBlock*, 8> Headers;
  DenseSet<std::pair<const BasicBlock*, const BasicBlock*>> BackEdgeSet;
  for (auto& E : BackEdges) {
    Headers.insert(E.second);
    BackEdgeSet.insert(E);
  }

  struct BlockState {
    std::optional<Loc> Exit; // location of the last step at the block's end, if certain
    bool ExitStepInBlock = false; // that step is emitted inside the block (or inherited)
    std::optional<size_t> EntryStep; // index in Steps of the step of the first location
  };
  DenseMap<const BasicBlock*, BlockState> State;
  std::vector<std::pair<Instruction*, Loc>> Steps;
  std::vector<bool> Removed;
  ReversePostOrderTraversal<Function*> RPOT(&F);
  for (BasicBlock* BB : RPOT) {
    std::optional<Loc> Cur;
    // Whether the step at Cur was emitted in this block or in non-header predecessors
    // that all emitted it (a latch split by sanitizer checks still steps every iteration).
    bool InheritedStep = false;
    if (!BB->isEntryBlock() && !Headers.contains(BB) && !BB->isEHPad()) {
      bool First = true;
      InheritedStep = true;
      for (BasicBlock* Pred : predecessors(BB)) {
        auto It = State.find(Pred);
        std::optional<Loc> PredExit;
        if (It != State.end())
          PredExit = It->second.Exit;
        if (!PredExit || (!First && !(Cur == PredExit))) {
          Cur.reset();
          break;
        }
        InheritedStep = InheritedStep && It->second.ExitStepInBlock && !Headers.contains(Pred);
        Cur = PredExit;
        First = false;
      }
    }
    BlockState& S = State[BB];
    bool CurStepInBlock = Cur && InheritedStep, SeenLocOrCall = false;
    for (Instruction& I : *BB) {
      if (isa<PHINode>(I) || isa<DbgInfoIntrinsic>(I) || I.isEHPad() || isa<AllocaInst>(I))
        continue;
      if (isa<UnreachableInst>(I))
        break;
      // Markers that run no code (lifetime.start/end, assume, pseudo probes...) carry the
      // location of a scope's end (`}`) and would step there out of order.
      if (auto* II = dyn_cast<IntrinsicInst>(&I); II && II->isAssumeLikeIntrinsic())
        continue;
      if (std::optional<Loc> L = locationOf(I)) {
        if (!(Cur == L)) {
          if (!SeenLocOrCall)
            S.EntryStep = Steps.size();
          Steps.push_back({&I, *L});
          Removed.push_back(false);
          CurStepInBlock = true;
        }
        Cur = L;
        SeenLocOrCall = true;
      }
      if (auto* Call = dyn_cast<CallBase>(&I)) {
        if (mayReachTracedCode(*Call)) {
          Cur.reset();
          CurStepInBlock = false;
          SeenLocOrCall = true;
        }
        if (auto* CI = dyn_cast<CallInst>(Call); CI && CI->isMustTailCall())
          break; // nothing may go between a musttail call and its return
      }
    }
    S.Exit = Cur;
    S.ExitStepInBlock = Cur && CurStepInBlock;
  }

  for (const BasicBlock* H : Headers) {
    auto HIt = State.find(H);
    if (HIt == State.end() || !HIt->second.EntryStep)
      continue;
    Loc L = Steps[*HIt->second.EntryStep].second;
    bool Redundant = !pred_empty(H);
    for (const BasicBlock* Pred : predecessors(H)) {
      auto It = State.find(Pred);
      if (Pred == H || It == State.end() || !(It->second.Exit == L) ||
          (BackEdgeSet.contains({Pred, H}) && !It->second.ExitStepInBlock)) {
        Redundant = false;
        break;
      }
    }
    if (Redundant)
      Removed[*HIt->second.EntryStep] = true;
  }
  for (size_t I = 0; I < Steps.size(); ++I)
    if (!Removed[I])
      emitStep(Steps[I].first, Steps[I].second);
}

void FunctionInstrumenter::insertEnter() {
  BasicBlock& Entry = F.getEntryBlock();
  BasicBlock::iterator It = Entry.getFirstInsertionPt();
  while (It != Entry.end() && isa<AllocaInst>(*It))
    ++It;
  IRBuilder<> B(&Entry, It);
  B.CreateCall(H.Enter, {Tables.functionId(B, FunctionIndex)});
}

static bool isReturnsTwiceCall(const Instruction& I) {
  const auto* Call = dyn_cast<CallBase>(&I);
  if (!Call)
    return false;
  if (Call->hasFnAttr(Attribute::ReturnsTwice))
    return true;
  const Function* Callee = Call->getCalledFunction();
  return Callee && Callee->hasFnAttribute(Attribute::ReturnsTwice);
}

void FunctionInstrumenter::insertSetjmpHandling() {
  SmallVector<CallBase*, 4> Calls;
  for (Instruction& I : instructions(F))
    if (isReturnsTwiceCall(I))
      Calls.push_back(cast<CallBase>(&I));
  if (Calls.empty())
    return;
  // depth = __tr_frame_depth() right after __tr_func_enter, kept in a volatile slot so
  // that it survives the second return of setjmp.
  BasicBlock& Entry = F.getEntryBlock();
  IRBuilder<> AB(&Entry, Entry.getFirstInsertionPt());
  SavedDepth = AB.CreateAlloca(AB.getInt32Ty(), nullptr, "tr.depth");
  Instruction* EnterCall = nullptr;
  for (Instruction& I : Entry)
    if (auto* CI = dyn_cast<CallInst>(&I); CI && CI->getCalledOperand() == FunctionCallee(H.Enter).getCallee())
      EnterCall = CI;
  IRBuilder<> B(EnterCall->getNextNode());
  B.CreateStore(B.CreateCall(H.FrameDepth), SavedDepth, /*isVolatile=*/true);
  for (CallBase* Call : Calls) {
    Instruction* After = nullptr;
    if (auto* Inv = dyn_cast<InvokeInst>(Call))
      After = &*Inv->getNormalDest()->getFirstInsertionPt(); // setjmp never throws in practice
    else
      After = Call->getNextNode();
    IRBuilder<> SB(After);
    SB.CreateCall(H.UnwindTo, {SB.CreateLoad(SB.getInt32Ty(), SavedDepth, /*isVolatile=*/true)});
  }
}

void FunctionInstrumenter::insertExits() {
  EscapeEnumerator EE(F, "tr.cleanup", /*HandleExceptions=*/true);
  while (IRBuilder<>* B = EE.Next())
    B->CreateCall(H.Exit, {Tables.functionId(*B, FunctionIndex)});
}

} // namespace trace_record
