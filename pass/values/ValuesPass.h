// TraceRecordValuesPass: values of variables. Runs after TraceRecordPass and
// finds its hooks in the IR: after each __tr_step, one value hook per variable
// in scope (innermost scope first); before the first step of a function (after
// __tr_func_enter) the parameters, which become Call.args; before each
// __tr_func_exit that precedes a `ret`, the return value. See docs/values.md.
#ifndef TRACE_RECORD_PASS_VALUES_VALUESPASS_H
#define TRACE_RECORD_PASS_VALUES_VALUESPASS_H

#include "llvm/IR/PassManager.h"

namespace trace_record {

class TraceRecordValuesPass : public llvm::PassInfoMixin<TraceRecordValuesPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module& M, llvm::ModuleAnalysisManager& MAM);
  static bool isRequired() { return true; } // runs at -O0 too
};

} // namespace trace_record

#endif
