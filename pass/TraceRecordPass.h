// The TraceRecord module pass: decides which functions to trace, instruments them and
// writes the module's tables (see runtime/include/trace_record_rt.h).
#ifndef TRACE_RECORD_PASS_TRACERECORDPASS_H
#define TRACE_RECORD_PASS_TRACERECORDPASS_H

#include "PassOptions.h"

#include "llvm/IR/PassManager.h"

namespace trace_record {

class TraceRecordPass : public llvm::PassInfoMixin<TraceRecordPass> {
public:
  explicit TraceRecordPass(PassOptions Opts) : Opts(std::move(Opts)) {}
  llvm::PreservedAnalyses run(llvm::Module& M, llvm::ModuleAnalysisManager& MAM);
  static bool isRequired() { return true; } // also at -O0 and with optnone functions

private:
  PassOptions Opts;
};

} // namespace trace_record

#endif
