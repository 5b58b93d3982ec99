#include "ValuesPass.h"

#include "TypeDescriptors.h"

#include "llvm/ADT/PostOrderIterator.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DebugProgramInstruction.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"

#include <algorithm>
#include <map>
#include <optional>

using namespace llvm;

static cl::opt<bool> EmitValueHooks(
    "trace-record-values", cl::init(true),
    cl::desc("TraceRecord: emit value hooks for arguments, locals and return values"));

namespace trace_record {
namespace {

using values::TypeDescriptors;

struct ValueHooks {
  FunctionCallee Value, ValueI64, ValueF64, OptimizedOut, ReturnValue, ReturnI64, ReturnF64;
  static ValueHooks declare(Module& M) {
    LLVMContext& C = M.getContext();
    Type* Void = Type::getVoidTy(C);
    Type* Ptr = PointerType::getUnqual(C);
    Type* I64 = Type::getInt64Ty(C);
    Type* F64 = Type::getDoubleTy(C);
    AttributeList A = AttributeList().addFnAttribute(C, Attribute::NoUnwind);
    ValueHooks H;
    H.Value = M.getOrInsertFunction("__tr_value", A, Void, Ptr, Ptr);
    H.ValueI64 = M.getOrInsertFunction("__tr_value_i64", A, Void, Ptr, I64);
    H.ValueF64 = M.getOrInsertFunction("__tr_value_f64", A, Void, Ptr, F64);
    H.OptimizedOut = M.getOrInsertFunction("__tr_value_optimized_out", A, Void, Ptr);
    H.ReturnValue = M.getOrInsertFunction("__tr_return_value", A, Void, Ptr, Ptr);
    H.ReturnI64 = M.getOrInsertFunction("__tr_return_i64", A, Void, Ptr, I64);
    H.ReturnF64 = M.getOrInsertFunction("__tr_return_f64", A, Void, Ptr, F64);
    return H;
  }
};

using VarKey = std::pair<const DILocalVariable*, const DILocation*>;

// Compiler-made variables (__range1, __begin1 of a range-for) are not the programmer's;
// `this` is kept.
bool ignored(const DILocalVariable* V) {
  return V->isArtificial() && !V->isObjectPointer();
}

// A variable's value at one point: an address, an SSA value, or nothing.
Value* const kNoLocation = reinterpret_cast<Value*>(uintptr_t(8));

// Where a #dbg_value variable is: an SSA value V, and (E non-null) a DIExpression that
// computes the variable from V (DW_OP_stack_value arithmetic, see computeExpr).
struct Loc {
  Value* V = kNoLocation;
  const DIExpression* E = nullptr;
  bool operator==(const Loc&) const = default;
};

bool isComputed(const DIExpression* E) {
  for (auto Op : E->expr_ops())
    if (Op.getOp() != dwarf::DW_OP_LLVM_fragment)
      return true;
  return false;
}

// Whether a computed expression is one computeExpr understands: a single value
// (DW_OP_LLVM_arg 0 at most), integer arithmetic, conversions, ending in
// DW_OP_stack_value. Else Why says which operation is not.
bool computable(const DIExpression* E, std::string& Why) {
  bool Stack = false, ConstBefore = false;
  for (auto Op : E->expr_ops()) {
    unsigned O = Op.getOp();
    bool Const = false;
    if (Stack && O != dwarf::DW_OP_LLVM_fragment) {
      Why = "an operation after DW_OP_stack_value";
      return false;
    }
    switch (O) {
    case dwarf::DW_OP_LLVM_arg:
      if (Op.getArg(0) != 0) {
        Why = "more than one SSA value (DIArgList)";
        return false;
      }
      break;
    case dwarf::DW_OP_constu:
    case dwarf::DW_OP_consts:
      Const = true;
      break;
    case dwarf::DW_OP_shl:
    case dwarf::DW_OP_shr:
    case dwarf::DW_OP_shra:
      if (!ConstBefore) {
        Why = "a shift by a computed amount";
        return false;
      }
      break;
    case dwarf::DW_OP_LLVM_convert: {
      unsigned Enc = Op.getArg(1);
      if (Op.getArg(0) == 0 || Op.getArg(0) > 64 ||
          (Enc != dwarf::DW_ATE_signed && Enc != dwarf::DW_ATE_unsigned &&
           Enc != dwarf::DW_ATE_signed_char && Enc != dwarf::DW_ATE_unsigned_char &&
           Enc != dwarf::DW_ATE_boolean)) {
        Why = "a DW_OP_LLVM_convert to a non-integer or wide type";
        return false;
      }
      break;
    }
    case dwarf::DW_OP_plus_uconst:
    case dwarf::DW_OP_plus:
    case dwarf::DW_OP_minus:
    case dwarf::DW_OP_mul:
    case dwarf::DW_OP_and:
    case dwarf::DW_OP_or:
    case dwarf::DW_OP_xor:
    case dwarf::DW_OP_neg:
    case dwarf::DW_OP_not:
    case dwarf::DW_OP_LLVM_fragment:
      break;
    case dwarf::DW_OP_stack_value:
      Stack = true;
      break;
    default: {
      StringRef N = dwarf::OperationEncodingString(O);
      Why = N.empty() ? "an unknown DWARF operation" : ("operation " + N).str();
      return false;
    }
    }
    ConstBefore = Const;
  }
  if (!Stack)
    Why = "a memory location (no DW_OP_stack_value)";
  return Stack;
}

// The two-operand integer operations of a DIExpression, as IR opcodes.
std::optional<Instruction::BinaryOps> binaryOp(unsigned Op) {
  switch (Op) {
  case dwarf::DW_OP_plus:
    return Instruction::Add;
  case dwarf::DW_OP_minus:
    return Instruction::Sub;
  case dwarf::DW_OP_mul:
    return Instruction::Mul;
  case dwarf::DW_OP_and:
    return Instruction::And;
  case dwarf::DW_OP_or:
    return Instruction::Or;
  case dwarf::DW_OP_xor:
    return Instruction::Xor;
  default:
    return std::nullopt;
  }
}

// The variable's bits (i64) computed from X by E, with IR inserted at B; null if E or X
// is beyond what computable() accepts. Wrapping arithmetic only: never UB, no traps.
// Stack entries are i64 holding a value of `Bits` bits extended per `Signed`.
Value* computeExpr(IRBuilder<>& B, Value* X, const DIExpression* E) {
  struct Ent {
    Value* V;
    unsigned Bits;
    bool Signed;
  };
  Type* I64 = B.getInt64Ty();
  auto ext = [&](Value* V, unsigned Bits, bool Signed) -> Value* {
    if (Bits >= 64)
      return V;
    Value* T = B.CreateTrunc(V, B.getIntNTy(Bits));
    return Signed ? B.CreateSExt(T, I64) : B.CreateZExt(T, I64);
  };
  Type* T = X->getType();
  Ent Arg;
  if (T->isPointerTy())
    Arg = {B.CreatePtrToInt(X, I64), 64, false};
  else if (T->isIntegerTy() && T->getIntegerBitWidth() <= 64)
    Arg = {B.CreateZExt(X, I64), T->getIntegerBitWidth(), false};
  else
    return nullptr;
  SmallVector<Ent, 8> St;
  bool HasArgOp = false;
  for (auto Op : E->expr_ops())
    HasArgOp |= Op.getOp() == dwarf::DW_OP_LLVM_arg;
  if (!HasArgOp)
    St.push_back(Arg);
  for (auto Op : E->expr_ops()) {
    unsigned O = Op.getOp();
    if (std::optional<Instruction::BinaryOps> BinOp = binaryOp(O)) { // L op R, the top two
      if (St.size() < 2)
        return nullptr;
      Ent R = St.pop_back_val(), L = St.pop_back_val();
      St.push_back({B.CreateBinOp(*BinOp, L.V, R.V), 64, false});
      continue;
    }
    switch (O) {
    case dwarf::DW_OP_LLVM_arg:
      St.push_back(Arg);
      break;
    case dwarf::DW_OP_constu:
      St.push_back({ConstantInt::get(I64, Op.getArg(0)), 64, false});
      break;
    case dwarf::DW_OP_consts:
      St.push_back({ConstantInt::get(I64, Op.getArg(0)), 64, true});
      break;
    case dwarf::DW_OP_plus_uconst:
      if (St.empty())
        return nullptr;
      St.back() = {B.CreateAdd(St.back().V, ConstantInt::get(I64, Op.getArg(0))), 64, false};
      break;
    case dwarf::DW_OP_shl:
    case dwarf::DW_OP_shr:
    case dwarf::DW_OP_shra: {
      if (St.size() < 2)
        return nullptr;
      auto* Amt = dyn_cast<ConstantInt>(St.back().V);
      if (!Amt || Amt->getZExtValue() >= 64)
        return nullptr; // a shift of 64 or more: poison
      St.pop_back();
      Value* L = St.back().V;
      Value* R = O == dwarf::DW_OP_shl   ? B.CreateShl(L, Amt)
                 : O == dwarf::DW_OP_shr ? B.CreateLShr(L, Amt)
                                         : B.CreateAShr(L, Amt);
      St.back() = {R, 64, false};
      break;
    }
    case dwarf::DW_OP_neg:
      if (St.empty())
        return nullptr;
      St.back() = {B.CreateNeg(St.back().V), 64, false};
      break;
    case dwarf::DW_OP_not:
      if (St.empty())
        return nullptr;
      St.back() = {B.CreateNot(St.back().V), 64, false};
      break;
    case dwarf::DW_OP_LLVM_convert: {
      if (St.empty())
        return nullptr;
      unsigned Bits = Op.getArg(0), Enc = Op.getArg(1);
      bool Signed = Enc == dwarf::DW_ATE_signed || Enc == dwarf::DW_ATE_signed_char;
      Ent& Top = St.back();
      Value* V = Top.V;
      if (Bits > Top.Bits)
        V = ext(V, Top.Bits, Top.Signed); // widening: extended as the source type says
      Top = {ext(V, Bits, Signed), Bits, Signed};
      break;
    }
    case dwarf::DW_OP_stack_value:
    case dwarf::DW_OP_LLVM_fragment:
      break;
    default:
      return nullptr;
    }
  }
  if (St.size() != 1)
    return nullptr;
  return St.back().V;
}

bool isFloatType(const DIType* T) {
  while (auto* D = dyn_cast_or_null<DIDerivedType>(T)) {
    unsigned Tag = D->getTag();
    if (Tag != dwarf::DW_TAG_typedef && Tag != dwarf::DW_TAG_const_type &&
        Tag != dwarf::DW_TAG_volatile_type)
      return false;
    T = D->getBaseType();
  }
  auto* B = dyn_cast_or_null<DIBasicType>(T);
  return B && B->getEncoding() == dwarf::DW_ATE_float;
}

class FunctionValues {
public:
  FunctionValues(Function& F, TypeDescriptors& TD, const ValueHooks& H)
      : F(F), TD(TD), H(H), DT(F) {}
  void run();

private:
  struct Var {
    VarKey Key;
    Value* Addr = nullptr; // from #dbg_declare
    bool Deref = false;    // the variable's address is stored at Addr (DW_OP_deref: NRVO)
    int Slot = -1;         // index in the dataflow state, if it has #dbg_value records
    unsigned Order = 0;
    struct Frag {
      uint64_t Offset, Size; // bits
      int Slot;
    };
    std::vector<Frag> Frags; // DW_OP_LLVM_fragment pieces (SROA), each with its own slot
  };
  using State = std::vector<Loc>;

  void collect();
  Var& var(const DILocalVariable* V, const DILocation* IA);
  void onDeclare(const DILocalVariable* V, const DILocation* IA, Value* Addr,
                 const DIExpression* E);
  void onAssign(const DILocalVariable* V, const DILocation* IA, Value* Addr, const DIExpression* E,
                const DIExpression* AddrExpr);
  void onValue(const DILocalVariable* V, const DILocation* IA, Value* X, const DIExpression* E,
               bool Kill, State* S);
  void applyRecords(Instruction& I, State& S);
  void dataflow();
  Loc mergeAtJoin(BasicBlock* BB, ArrayRef<std::pair<BasicBlock*, const State*>> Preds,
                  unsigned K);
  void emitVar(IRBuilder<>& B, const Var& V, const State& S, Instruction* User);
  bool available(Value* X, Instruction* User) const;
  Value* assembleFragments(IRBuilder<>& B, const Var& V, const State& S, Instruction* User);
  Value* asI64(IRBuilder<>& B, Value* X);
  void remarkNotComputed(const DILocalVariable* V, const std::string& Why);
  std::vector<const Var*> inScope(const DILocation* L);

  Function& F;
  TypeDescriptors& TD;
  const ValueHooks& H;
  DominatorTree DT;
  std::vector<Var> Vars;
  std::map<VarKey, unsigned> VarIndex;
  unsigned Slots = 0;
  DenseMap<const BasicBlock*, State> In;
  DenseMap<const Instruction*, State> SiteState;
  DenseMap<const Var*, AllocaInst*> FragBufs;
  SmallPtrSet<const Instruction*, 32> Sites;
  SmallPtrSet<const DILocalVariable*, 8> Remarked;
};

// A #dbg_value whose expression the pass does not compute: the variable shows
// "<optimized out>" there; said once per variable and function (-Rpass-missed=trace-record).
void FunctionValues::remarkNotComputed(const DILocalVariable* V, const std::string& Why) {
  if (!Remarked.insert(V).second)
    return;
  OptimizationRemarkEmitter ORE(&F);
  ORE.emit([&] {
    return OptimizationRemarkMissed("trace-record", "ValueNotComputed", &F)
           << "value of '" << ore::NV("Variable", V->getName())
           << "' shown as <optimized out> where its debug location is " << Why;
  });
}

FunctionValues::Var& FunctionValues::var(const DILocalVariable* V, const DILocation* IA) {
  auto [It, Inserted] = VarIndex.try_emplace({V, IA}, Vars.size());
  if (Inserted) {
    Var N;
    N.Key = {V, IA};
    N.Order = Vars.size();
    Vars.push_back(N);
  }
  return Vars[It->second];
}

void FunctionValues::onDeclare(const DILocalVariable* V, const DILocation* IA, Value* Addr,
                               const DIExpression* E) {
  if (ignored(V))
    return;
  Var& R = var(V, IA);
  bool Plain = E->getNumElements() == 0;
  bool Deref = E->getNumElements() == 1 && E->getElement(0) == dwarf::DW_OP_deref;
  if (!R.Addr && Addr && !isa<UndefValue>(Addr) && (Plain || Deref) &&
      Addr->getType()->isPointerTy()) {
    R.Addr = Addr;
    R.Deref = Deref;
  }
}

// Assignment tracking (-O1+): a whole-variable #dbg_assign whose address is a stack slot
// that survived optimisation. The slot is taken as the variable's home (an
// address-taken local keeps its stores); the values of #dbg_assign are not used.
void FunctionValues::onAssign(const DILocalVariable* V, const DILocation* IA, Value* Addr,
                              const DIExpression* E, const DIExpression* AddrExpr) {
  if (Addr && isa<AllocaInst>(Addr) && E->getNumElements() == 0 && AddrExpr->getNumElements() == 0)
    onDeclare(V, IA, Addr, AddrExpr);
}

void FunctionValues::onValue(const DILocalVariable* V, const DILocation* IA, Value* X,
                             const DIExpression* E, bool Kill, State* S) {
  if (ignored(V))
    return;
  Var& R = var(V, IA);
  std::optional<DIExpression::FragmentInfo> FI = E->getFragmentInfo();
  // Slots are made while collecting (S null), before the dataflow runs.
  int FragSlot = -1;
  if (FI) {
    for (const Var::Frag& Fr : R.Frags)
      if (Fr.Offset == FI->OffsetInBits && Fr.Size == FI->SizeInBits)
        FragSlot = Fr.Slot;
    if (FragSlot < 0 && !S) {
      FragSlot = Slots++;
      R.Frags.push_back({FI->OffsetInBits, FI->SizeInBits, FragSlot});
    }
  } else if (R.Slot < 0 && !S) {
    R.Slot = Slots++;
  }
  if (!S)
    return;
  if (S->size() < Slots)
    S->resize(Slots, Loc());
  // Plain locations (a whole variable, or a fragment with no other operation), and
  // computed ones that computeExpr understands; other expressions: "optimized out".
  bool Usable = !Kill && X && !isa<UndefValue>(X);
  Loc L{X, nullptr};
  if (Usable && isComputed(E)) {
    std::string Why;
    if (computable(E, Why)) {
      L.E = E;
    } else {
      Usable = false;
      remarkNotComputed(V, Why);
    }
  }
  if (!Usable)
    L = Loc();
  if (!FI) {
    if (R.Slot >= 0)
      (*S)[R.Slot] = L;
    for (const Var::Frag& Fr : R.Frags)
      (*S)[Fr.Slot] = Loc();
    return;
  }
  if (R.Slot >= 0)
    (*S)[R.Slot] = Loc();
  for (const Var::Frag& Fr : R.Frags)
    if (Fr.Slot != FragSlot && Fr.Offset < FI->OffsetInBits + FI->SizeInBits &&
        FI->OffsetInBits < Fr.Offset + Fr.Size)
      (*S)[Fr.Slot] = Loc(); // overlapping piece
  if (FragSlot >= 0)
    (*S)[FragSlot] = L;
}

void FunctionValues::applyRecords(Instruction& I, State& S) {
  for (DbgVariableRecord& R : filterDbgVars(I.getDbgRecordRange())) {
    if (R.isDbgDeclare())
      continue;
    // A DIArgList of one value (DW_OP_LLVM_arg 0) is computed like a single value.
    Value* X = R.getNumVariableLocationOps() != 1 ? nullptr : R.getVariableLocationOp(0);
    onValue(R.getVariable(), R.getDebugLoc().getInlinedAt(), X, R.getExpression(),
            R.isKillLocation(), &S);
  }
  if (auto* DV = dyn_cast<DbgValueInst>(&I)) {
    Value* X = DV->getNumVariableLocationOps() != 1 ? nullptr : DV->getVariableLocationOp(0);
    onValue(DV->getVariable(), DV->getDebugLoc().getInlinedAt(), X, DV->getExpression(),
            DV->isKillLocation(), &S);
  }
}

void FunctionValues::collect() {
  for (Instruction& I : instructions(F)) {
    for (DbgVariableRecord& R : filterDbgVars(I.getDbgRecordRange())) {
      if (R.isDbgAssign())
        onAssign(R.getVariable(), R.getDebugLoc().getInlinedAt(), R.getAddress(), R.getExpression(),
                 R.getAddressExpression());
      if (R.isDbgDeclare())
        onDeclare(R.getVariable(), R.getDebugLoc().getInlinedAt(), R.getAddress(),
                  R.getExpression());
      else
        onValue(R.getVariable(), R.getDebugLoc().getInlinedAt(), nullptr, R.getExpression(), false,
                nullptr);
    }
    if (auto* DA = dyn_cast<DbgAssignIntrinsic>(&I))
      onAssign(DA->getVariable(), DA->getDebugLoc().getInlinedAt(), DA->getAddress(),
               DA->getExpression(), DA->getAddressExpression());
    if (auto* DD = dyn_cast<DbgDeclareInst>(&I))
      onDeclare(DD->getVariable(), DD->getDebugLoc().getInlinedAt(), DD->getAddress(),
                DD->getExpression());
    else if (auto* DV = dyn_cast<DbgValueInst>(&I))
      onValue(DV->getVariable(), DV->getDebugLoc().getInlinedAt(), nullptr, DV->getExpression(),
              false, nullptr);
  }
}

// Predecessors disagree on slot K at the entry of BB: a PHI of BB that takes from each
// predecessor exactly the value the variable has at its end (with the same expression)
// holds the variable. Else no location.
Loc FunctionValues::mergeAtJoin(BasicBlock* BB,
                                ArrayRef<std::pair<BasicBlock*, const State*>> Preds,
                                unsigned K) {
  const Loc& First = (*Preds[0].second)[K];
  if (First.V == kNoLocation)
    return Loc();
  for (const auto& [P, PS] : Preds)
    if ((*PS)[K].V == kNoLocation || (*PS)[K].E != First.E ||
        (*PS)[K].V->getType() != First.V->getType())
      return Loc();
  for (PHINode& Phi : BB->phis()) {
    if (Phi.getType() != First.V->getType())
      continue;
    bool Match = true;
    for (const auto& [P, PS] : Preds) {
      int Idx = Phi.getBasicBlockIndex(P);
      if (Idx < 0 || Phi.getIncomingValue(Idx) != (*PS)[K].V) {
        Match = false;
        break;
      }
    }
    if (Match)
      return Loc{&Phi, First.E};
  }
  return Loc();
}

// Which SSA value each #dbg_value variable holds at each site: forward dataflow,
// a variable has a location at a block entry if all predecessors agree, or if a PHI
// merges exactly what they hold (mergeAtJoin).
void FunctionValues::dataflow() {
  ReversePostOrderTraversal<Function*> RPOT(&F);
  DenseMap<const BasicBlock*, State> Out;
  bool Changed = true;
  for (unsigned Iter = 0; Changed && Iter < 16; ++Iter) {
    Changed = false;
    for (BasicBlock* BB : RPOT) {
      State S(Slots, Loc());
      SmallVector<std::pair<BasicBlock*, const State*>, 4> Preds;
      for (BasicBlock* P : predecessors(BB))
        if (auto It = Out.find(P); It != Out.end())
          Preds.push_back({P, &It->second}); // not visited yet (back edge): no information
      if (!Preds.empty()) {
        S = *Preds[0].second;
        for (unsigned K = 0; K < Slots; ++K)
          for (auto& [P, PS] : Preds)
            if ((*PS)[K] != S[K]) {
              S[K] = mergeAtJoin(BB, Preds, K);
              break;
            }
      }
      In[BB] = S;
      for (Instruction& I : *BB)
        applyRecords(I, S);
      auto [It, Inserted] = Out.try_emplace(BB, S);
      if (Inserted || It->second != S) {
        It->second = S;
        Changed = true;
      }
    }
  }
  // The state at each site, records attached to the site included.
  for (BasicBlock* BB : RPOT) {
    State S = In[BB];
    for (Instruction& I : *BB) {
      applyRecords(I, S);
      if (Sites.contains(&I))
        SiteState[&I] = S;
    }
  }
}

bool FunctionValues::available(Value* X, Instruction* User) const {
  if (auto* I = dyn_cast<Instruction>(X))
    return I->getFunction() == &F && DT.dominates(I, User);
  if (auto* A = dyn_cast<Argument>(X))
    return A->getParent() == &F;
  return isa<Constant>(X);
}

Value* FunctionValues::asI64(IRBuilder<>& B, Value* X) {
  Type* T = X->getType();
  Type* I64 = B.getInt64Ty();
  if (T->isPointerTy())
    return B.CreatePtrToInt(X, I64);
  if (T->isIntegerTy() && T->getIntegerBitWidth() <= 64)
    return B.CreateZExt(X, I64);
  if (T->isFloatTy() || T->isDoubleTy())
    return B.CreateZExt(B.CreateBitCast(X, B.getIntNTy(T->getPrimitiveSizeInBits())), I64);
  return nullptr;
}

void FunctionValues::emitVar(IRBuilder<>& B, const Var& V, const State& S, Instruction* User) {
  const DILocalVariable* DV = V.Key.first;
  Constant* Desc = TD.variable(DV);
  if (V.Addr && available(V.Addr, User)) {
    Value* A = V.Deref ? B.CreateLoad(B.getPtrTy(), V.Addr) : V.Addr;
    B.CreateCall(H.Value, {Desc, A});
    return;
  }
  Loc L = V.Slot >= 0 && static_cast<size_t>(V.Slot) < S.size() ? S[V.Slot] : Loc();
  Value* X = L.V;
  if (X != kNoLocation && L.E && available(X, User) && TD.sizeOf(DV->getType()) <= 8 &&
      !isFloatType(DV->getType())) {
    if (Value* Bits = computeExpr(B, X, L.E)) {
      B.CreateCall(H.ValueI64, {Desc, Bits});
      return;
    }
  } else if (X != kNoLocation && !L.E && available(X, User) && TD.sizeOf(DV->getType()) <= 8) {
    Type* T = X->getType();
    if ((T->isFloatTy() || T->isDoubleTy()) && isFloatType(DV->getType())) {
      B.CreateCall(H.ValueF64, {Desc, T->isDoubleTy() ? X : B.CreateFPExt(X, B.getDoubleTy())});
      return;
    }
    if (Value* Bits = asI64(B, X)) {
      B.CreateCall(H.ValueI64, {Desc, Bits});
      return;
    }
  }
  if (Value* Buf = assembleFragments(B, V, S, User)) {
    B.CreateCall(H.Value, {Desc, Buf});
    return;
  }
  B.CreateCall(H.OptimizedOut, {Desc});
}

// A variable split into byte-aligned pieces that are all known here and cover it
// exactly: stored side by side into a stack buffer, read like a variable in memory.
Value* FunctionValues::assembleFragments(IRBuilder<>& B, const Var& V, const State& S,
                                         Instruction* User) {
  uint64_t Size = TD.sizeOf(V.Key.first->getType());
  if (V.Frags.empty() || Size == 0 || Size > 4096)
    return nullptr;
  const DataLayout& DL = F.getParent()->getDataLayout();
  std::vector<std::pair<const Var::Frag*, Loc>> Parts;
  for (const Var::Frag& Fr : V.Frags) {
    Loc L = static_cast<size_t>(Fr.Slot) < S.size() ? S[Fr.Slot] : Loc();
    Value* X = L.V;
    if (X == kNoLocation)
      continue; // a stale piece: coverage decides
    Type* T = X->getType();
    if (!available(X, User) || Fr.Offset % 8 || Fr.Size % 8)
      return nullptr;
    if (L.E ? Fr.Size > 64
            : !(T->isIntegerTy() || T->isPointerTy() || T->isFloatTy() || T->isDoubleTy()) ||
                  DL.getTypeSizeInBits(T) != Fr.Size)
      return nullptr;
    Parts.push_back({&Fr, L});
  }
  std::sort(Parts.begin(), Parts.end(),
            [](const auto& A, const auto& B) { return A.first->Offset < B.first->Offset; });
  uint64_t Covered = 0;
  for (const auto& [Fr, L] : Parts) {
    if (Fr->Offset != Covered)
      return nullptr; // a gap or an overlap
    Covered += Fr->Size;
  }
  if (Covered != Size * 8)
    return nullptr;
  AllocaInst*& Buf = FragBufs[&V];
  if (!Buf) {
    IRBuilder<> AB(&F.getEntryBlock(), F.getEntryBlock().getFirstInsertionPt());
    Buf = AB.CreateAlloca(ArrayType::get(AB.getInt8Ty(), Size), nullptr, "tr.pieces");
  }
  // Computed pieces first: an expression beyond computeExpr leaves nothing stored.
  std::vector<Value*> Vals;
  for (const auto& [Fr, L] : Parts) {
    Value* X = L.V;
    if (L.E) {
      X = computeExpr(B, X, L.E);
      if (!X)
        return nullptr;
      X = B.CreateTrunc(X, B.getIntNTy(Fr->Size));
    }
    Vals.push_back(X);
  }
  for (size_t I = 0; I < Parts.size(); ++I)
    B.CreateAlignedStore(Vals[I],
                         B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Buf, Parts[I].first->Offset / 8),
                         Align(1));
  return Buf;
}

// Variables visible at L, innermost scope first; for inlined code, the inlined
// function's variables, then its caller's, and so on.
std::vector<const FunctionValues::Var*> FunctionValues::inScope(const DILocation* L) {
  std::vector<const Var*> R;
  for (unsigned Level = 0; L; L = L->getInlinedAt(), ++Level) {
    SmallVector<const DIScope*, 8> Chain;
    for (const DIScope* S = L->getScope(); S; S = S->getScope()) {
      if (!isa<DILocalScope>(S))
        break;
      Chain.push_back(S);
      if (isa<DISubprogram>(S))
        break;
    }
    struct Cand {
      size_t Depth;
      unsigned Arg, Line, Order;
      const Var* V;
    };
    std::vector<Cand> Cs;
    for (const Var& V : Vars) {
      if (V.Key.second != L->getInlinedAt())
        continue;
      const DILocalVariable* DV = V.Key.first;
      auto It = std::find(Chain.begin(), Chain.end(), DV->getScope());
      if (It == Chain.end())
        continue;
      if (!DV->isParameter() && DV->getLine() > L->getLine() && DV->getFile() == L->getFile())
        continue; // C: in scope from its declaration on
      Cs.push_back({size_t(It - Chain.begin()), DV->getArg(), DV->getLine(), V.Order, &V});
    }
    std::sort(Cs.begin(), Cs.end(), [](const Cand& A, const Cand& B) {
      if (A.Depth != B.Depth)
        return A.Depth < B.Depth;
      if ((A.Arg == 0) != (B.Arg == 0))
        return A.Arg == 0; // locals of the scope before the parameters
      if (A.Arg != B.Arg)
        return A.Arg < B.Arg;
      if (A.Line != B.Line)
        return A.Line < B.Line;
      return A.Order < B.Order;
    });
    for (const Cand& C : Cs)
      R.push_back(C.V);
  }
  return R;
}

void FunctionValues::run() {
  const DISubprogram* SP = F.getSubprogram();
  if (!SP)
    return;
  SmallVector<CallInst*, 64> Steps;
  CallInst* Enter = nullptr;
  SmallVector<std::pair<CallInst*, ReturnInst*>, 4> Exits;
  for (Instruction& I : instructions(F)) {
    auto* CI = dyn_cast<CallInst>(&I);
    Function* Callee = CI ? CI->getCalledFunction() : nullptr;
    if (!Callee)
      continue;
    StringRef N = Callee->getName();
    if (N == "__tr_step")
      Steps.push_back(CI);
    else if (N == "__tr_func_enter" && !Enter)
      Enter = CI;
    else if (N == "__tr_func_exit")
      for (Instruction* Next = CI->getNextNode(); Next; Next = Next->getNextNode())
        if (auto* Ret = dyn_cast<ReturnInst>(Next)) {
          Exits.push_back({CI, Ret});
          break;
        }
  }
  if (Steps.empty() && !Enter)
    return;

  collect();
  // Where the parameters are read: before the first step of the entry block
  // (after the -O0 stores of the arguments into their slots), else after the enter.
  Instruction* ArgsBefore = nullptr;
  if (Enter) {
    for (Instruction* I = Enter->getNextNode(); I; I = I->getNextNode())
      if (auto* CI = dyn_cast<CallInst>(I);
          CI && CI->getCalledFunction() && CI->getCalledFunction()->getName() == "__tr_step") {
        ArgsBefore = CI;
        break;
      }
    if (!ArgsBefore)
      ArgsBefore = Enter->getNextNode();
    Sites.insert(ArgsBefore);
  }
  for (CallInst* S : Steps)
    Sites.insert(S);
  if (Slots)
    dataflow();
  State Empty;
  auto stateAt = [&](const Instruction* I) -> const State& {
    auto It = SiteState.find(I);
    return It == SiteState.end() ? Empty : It->second;
  };

  // Parameters -> Call.args.
  if (Enter && ArgsBefore) {
    std::vector<const Var*> Params;
    for (const Var& V : Vars)
      if (V.Key.first->isParameter() && !V.Key.second && V.Key.first->getScope() == SP)
        Params.push_back(&V);
    std::sort(Params.begin(), Params.end(), [](const Var* A, const Var* B) {
      return A->Key.first->getArg() < B->Key.first->getArg();
    });
    IRBuilder<> B(ArgsBefore);
    B.SetCurrentDebugLocation(Enter->getDebugLoc() ? Enter->getDebugLoc()
                                                   : ArgsBefore->getDebugLoc());
    for (const Var* V : Params)
      emitVar(B, *V, stateAt(ArgsBefore), ArgsBefore);
  }

  // Locals after every step.
  for (CallInst* S : Steps) {
    const DILocation* L = S->getDebugLoc().get();
    if (!L)
      continue;
    std::vector<const Var*> Vs = inScope(L);
    if (Vs.empty())
      continue;
    IRBuilder<> B(S->getNextNode());
    B.SetCurrentDebugLocation(S->getDebugLoc());
    for (const Var* V : Vs)
      emitVar(B, *V, stateAt(S), S);
  }

  // Return values.
  const DIType* RetTy = nullptr;
  if (const DISubroutineType* ST = SP->getType(); ST && ST->getTypeArray().size())
    RetTy = ST->getTypeArray()[0];
  if (!RetTy)
    return;
  Argument* SRet = nullptr;
  for (Argument& A : F.args())
    if (A.hasStructRetAttr())
      SRet = &A;
  Constant* RetDesc = TD.type(RetTy);
  const DataLayout& DL = F.getParent()->getDataLayout();
  for (auto [Exit, Ret] : Exits) {
    IRBuilder<> B(Exit);
    Value* RV = Ret->getReturnValue();
    if (SRet) {
      B.CreateCall(H.ReturnValue, {RetDesc, SRet});
      continue;
    }
    if (!RV || !available(RV, Exit) || isa<UndefValue>(RV))
      continue;
    Type* T = RV->getType();
    if ((T->isFloatTy() || T->isDoubleTy()) && isFloatType(RetTy)) {
      B.CreateCall(H.ReturnF64,
                   {RetDesc, T->isDoubleTy() ? RV : B.CreateFPExt(RV, B.getDoubleTy())});
    } else if (Value* Bits = TD.sizeOf(RetTy) <= 8 ? asI64(B, RV) : nullptr) {
      B.CreateCall(H.ReturnI64, {RetDesc, Bits});
    } else if (DL.getTypeStoreSize(T) >= TD.sizeOf(RetTy) && T->isSized()) {
      // Aggregates returned in registers ({i64, i64}, {double, double}, x86_fp80...):
      // their in-register layout is the in-memory one.
      IRBuilder<> AB(&F.getEntryBlock(), F.getEntryBlock().getFirstInsertionPt());
      AllocaInst* Slot = AB.CreateAlloca(T, nullptr, "tr.ret");
      B.CreateStore(RV, Slot);
      B.CreateCall(H.ReturnValue, {RetDesc, Slot});
    }
  }
}

bool isCxx(const Module& M) {
  for (const DICompileUnit* CU : M.debug_compile_units()) {
    unsigned L = CU->getSourceLanguage();
    return L == dwarf::DW_LANG_C_plus_plus || L == dwarf::DW_LANG_C_plus_plus_03 ||
           L == dwarf::DW_LANG_C_plus_plus_11 || L == dwarf::DW_LANG_C_plus_plus_14 ||
           L == dwarf::DW_LANG_C_plus_plus_17 || L == dwarf::DW_LANG_C_plus_plus_20;
  }
  return false;
}

} // namespace

PreservedAnalyses TraceRecordValuesPass::run(Module& M, ModuleAnalysisManager&) {
  if (!EmitValueHooks || M.debug_compile_units_begin() == M.debug_compile_units_end())
    return PreservedAnalyses::all();
  Function* Step = M.getFunction("__tr_step");
  Function* Enter = M.getFunction("__tr_func_enter");
  if ((!Step || Step->use_empty()) && (!Enter || Enter->use_empty()))
    return PreservedAnalyses::all();
  TypeDescriptors TD(M, isCxx(M));
  ValueHooks H = ValueHooks::declare(M);
  for (Function& F : M) {
    if (F.isDeclaration() || F.getName().starts_with("__tr_"))
      continue;
    FunctionValues(F, TD, H).run();
  }
  return PreservedAnalyses::none();
}

} // namespace trace_record
