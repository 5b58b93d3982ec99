// Entry point of TraceRecord.so for the new pass manager:
//   clang -g -fpass-plugin=TraceRecord.so ...     (runs at -O0 too)
//   opt -load-pass-plugin=TraceRecord.so -passes=trace-record ...
// The pass runs at the optimizer's last extension point, after inlining, so that steps
// follow the final code (inlined code steps through the lines it came from).
#include "TraceRecordPass.h"
#include "values/ValuesPass.h"

#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"

using namespace llvm;

extern "C" LLVM_ATTRIBUTE_WEAK __attribute__((visibility("default"))) PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "TraceRecord", "0.1", [](PassBuilder& PB) {
            PB.registerOptimizerLastEPCallback([](ModulePassManager& MPM, OptimizationLevel) {
              MPM.addPass(trace_record::TraceRecordPass(
                  trace_record::PassOptions::fromCommandLineAndEnvironment()));
              MPM.addPass(trace_record::TraceRecordValuesPass());
            });
            PB.registerPipelineParsingCallback(
                [](StringRef Name, ModulePassManager& MPM, ArrayRef<PassBuilder::PipelineElement>) {
                  if (Name != "trace-record")
                    return false;
                  MPM.addPass(trace_record::TraceRecordPass(
                      trace_record::PassOptions::fromCommandLineAndEnvironment()));
                  MPM.addPass(trace_record::TraceRecordValuesPass());
                  return true;
                });
          }};
}
