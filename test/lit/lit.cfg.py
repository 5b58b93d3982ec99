# lit configuration for trace-record. Substitutions:
#   %trace-record   the CLI
#   %clang %clangxx plain clang-19 (no instrumentation)
#   %tr-clang %tr-clangxx   clang-19 + TraceRecord.so + runtime (the drivers)
#   %plugin         path of TraceRecord.so
#   %FileCheck      FileCheck
#   %vectors        test/vectors (the golden vectors, read-only)
#   %src-root %obj-root   the source tree and the build folder
import os
import lit.formats

config.name = "trace-record"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".c", ".cpp", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.trace_record_obj_root, "test/lit")

tools = config.trace_record_tools_dir
bindir = config.trace_record_bin_dir
config.substitutions.append(("%trace-record", os.path.join(tools, "trace-record")))
config.substitutions.append(("%tr-clangxx", os.path.join(bindir, "trace-record-clang++")))
config.substitutions.append(("%tr-clang", os.path.join(bindir, "trace-record-clang")))
config.substitutions.append(("%clangxx", config.clangxx))
config.substitutions.append(("%clang", config.clang))
config.substitutions.append(("%plugin", config.trace_record_plugin))
config.substitutions.append(("%FileCheck", config.filecheck))
config.substitutions.append(("%vectors", config.vectors_dir))
config.substitutions.append(("%src-root", config.trace_record_src_root))
config.substitutions.append(("%obj-root", config.trace_record_obj_root))

# Keep the environment small and deterministic; tests set TRACE_RECORD_* themselves.
for var in list(os.environ):
    if var.startswith("TRACE_RECORD_") or var.startswith("CODETRACER_"):
        config.environment.pop(var, None)
config.environment["PATH"] = os.pathsep.join(
    [tools, bindir, os.path.dirname(config.filecheck), os.environ.get("PATH", "")])

if os.path.exists(config.trace_record_plugin):
    config.available_features.add("plugin")
if os.path.isdir(config.trace_record_runtime_dir):
    config.available_features.add("runtime")
# Tests that mount a small tmpfs (a full disk) need root (as in CI and the build machine).
if hasattr(os, "geteuid") and os.geteuid() == 0:
    config.available_features.add("root")
if config.sanitize:
    config.available_features.add("sanitize")
    # The runtime's crash handling is under test: the sanitizers check memory and UB but
    # leave fatal signals to the runtime (which chains to the default disposition).
    _no_sig = "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0"
    config.environment["ASAN_OPTIONS"] = "detect_leaks=1:" + _no_sig
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:" + _no_sig

# Hand-written programs that call the runtime ABI directly (test/lit/runtime/).
_rt_dir = config.trace_record_runtime_dir
_rt_inc = os.path.join(config.trace_record_src_root, "runtime/include")
_rt_inputs = os.path.join(config.trace_record_src_root, "test/lit/runtime/Inputs")
config.substitutions.append(("%rt-cflags", "-I%s -I%s -g" % (_rt_inc, _rt_inputs)))
# A sanitizer build instruments the runtime too: its test programs need the
# sanitizer runtimes linked in.
# The program's own code stays unsanitized (ignore list `src:*`), as with the drivers.
_rt_san = ""
if config.sanitize:
    _ignore = os.path.join(config.trace_record_obj_root, "test/lit/sanitize-ignore-all.txt")
    os.makedirs(os.path.dirname(_ignore), exist_ok=True)
    with open(_ignore, "w") as f:
        f.write("src:*\n")
    _rt_san = (" -fsanitize=address,undefined -fsanitize-ignorelist=%s"
               " -fsanitize-link-c++-runtime -lstdc++" % _ignore)
config.substitutions.append(
    ("%rt-ldflags", "-L%s -ltrace_record_rt -Wl,-rpath,%s%s" % (_rt_dir, _rt_dir, _rt_san)))
config.substitutions.append(  # the same ABI with empty hooks: "without the runtime"
    ("%rt-empty-ldflags", "-L%s -ltrace_record_rt_empty -Wl,-rpath,%s%s" % (_rt_dir, _rt_dir, _rt_san)))
