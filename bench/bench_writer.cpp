// bench_writer N OUT_DIR [json|binary] [LEVEL [THREADS]]: the workload W(N) through the
// TraceWriter API. LEVEL and THREADS (binary only) set FramePolicy::compression_level
// (default 3, the reference's) and compression_threads (default 2; 0 = on the caller).
//
// W(N): register type `int`; start the trace (root call) and call `main` in
// /src/main.c (line 3); then N iterations of: step (line 5), value i, value acc;
// every 4th iteration: step (line 20), call f(a=i, b=acc) (declared line 20, so
// its entry step), step (line 21), value a, return Int i+acc; then acc += i.
// At the end: return Int 0 and finish. Prints events, seconds, events/s, MB/s,
// output bytes and peak RSS.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "trace_record/writer.h"

using namespace trace_record;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_writer N OUT_DIR [json|binary] [LEVEL [THREADS]]\n");
    return 2;
  }
  const long long n = std::atoll(argv[1]);
  const std::string out = argv[2];
  const std::string fmt = argc > 3 ? argv[3] : "json";
  WriterOptions opt;
  opt.format = fmt == "binary" ? TraceFormat::Binary : TraceFormat::Json;
  if (argc > 4)
    opt.frame_policy.compression_level = std::atoi(argv[4]);
  if (argc > 5) {
    const int threads = std::atoi(argv[5]);
    opt.frame_policy.background_compression = threads > 0;
    opt.frame_policy.compression_threads = unsigned(threads > 0 ? threads : 1);
  }

  const auto t0 = std::chrono::steady_clock::now();
  auto created = TraceWriter::create(out, TraceMetadata{"", "", "/src/main", {}}, opt);
  if (!created) {
    std::fprintf(stderr, "bench_writer: %s\n", created.status().message().c_str());
    return 1;
  }
  TraceWriter& w = **created;
  const TypeId t_int = w.ensure_type_id(TypeKind::Int, "int");
  w.start();
  const PathId main_c = w.ensure_path_id("/src/main.c");
  const FunctionId f_main = w.ensure_function_id("main", "/src/main.c", 3);
  w.register_call(f_main);
  const FunctionId f_f = w.ensure_function_id("f", "/src/main.c", 20);
  const VariableId v_i = w.ensure_variable_id("i");
  const VariableId v_acc = w.ensure_variable_id("acc");
  const VariableId v_a = w.ensure_variable_id("a");
  const VariableId v_b = w.ensure_variable_id("b");
  std::int64_t acc = 0;
  for (long long i = 0; i < n; ++i) {
    w.register_step(main_c, 5);
    w.register_value(v_i, ValueRecord::integer(i, t_int));
    w.register_value(v_acc, ValueRecord::integer(acc, t_int));
    if (i % 4 == 0) {
      w.register_step(main_c, 20);
      w.register_call(f_f, {FullValueRecord{v_a, ValueRecord::integer(i, t_int)},
                            FullValueRecord{v_b, ValueRecord::integer(acc, t_int)}});
      w.register_step(main_c, 21);
      w.register_value(v_a, ValueRecord::integer(i, t_int));
      w.register_return(ValueRecord::integer(i + acc, t_int));
    }
    acc += i;
  }
  w.register_return(ValueRecord::integer(0, t_int));
  Status st = w.finish();
  const auto t1 = std::chrono::steady_clock::now();
  if (!st) {
    std::fprintf(stderr, "bench_writer: %s\n", st.message().c_str());
    return 1;
  }
  const double secs = std::chrono::duration<double>(t1 - t0).count();
  const double bytes = double(w.bytes_written());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("format %s level %d threads %u\nevents %llu\nseconds %.3f\nevents/s %.0f\nMB/s %.1f\noutput bytes %.0f\n"
              "peak RSS MB %.1f\n",
              fmt.c_str(), opt.frame_policy.compression_level,
              opt.frame_policy.background_compression ? opt.frame_policy.compression_threads : 0,
              static_cast<unsigned long long>(w.events_written()), secs,
              double(w.events_written()) / secs, bytes / 1e6 / secs, bytes,
              double(ru.ru_maxrss) / 1024.0);
  return 0;
}
