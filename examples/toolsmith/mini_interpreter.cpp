// A toy "interpreter" that records its own execution as a CodeTracer trace
// with the trace_record helper API: the same calls a real tracer makes.
//
//   mini_interpreter OUT_DIR [json|binary]
#include <trace_record/writer.h>

#include <cstdio>
#include <string>

using namespace trace_record;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR [json|binary]\n", argv[0]);
    return 2;
  }
  WriterOptions options;
  if (argc > 2 && std::string(argv[2]) == "binary") options.format = TraceFormat::Binary;
  TraceMetadata meta;
  meta.program = "/virtual/square.toy";
  auto created = TraceWriter::create(argv[1], meta, options);
  if (!created) {
    std::fprintf(stderr, "%s\n", created.status().message().c_str());
    return 1;
  }
  TraceWriter& w = **created;
  const char* file = "/virtual/square.toy";
  w.start(); // the root call <top-level>
  TypeId int_t = w.ensure_type_id(TypeKind::Int, "int");

  FunctionId main_fn = w.ensure_function_id("main", file, 1);
  w.register_call(main_fn); // Step(decl line) + Call
  FunctionId square = w.ensure_function_id("square", file, 6);
  for (int i = 1; i <= 3; ++i) {
    w.register_step(file, 2);
    w.register_variable("i", ValueRecord::integer(i, int_t));
    w.register_call(square, {w.arg("n", ValueRecord::integer(i, int_t))});
    w.register_step(file, 7);
    w.register_variable("n", ValueRecord::integer(i, int_t));
    w.register_return(ValueRecord::integer(i * i, int_t));
    w.register_step(file, 3);
    w.register_variable("i", ValueRecord::integer(i, int_t));
    w.register_special_event(EventLogKind::Write, std::to_string(i * i) + "\n");
  }
  w.register_return(ValueRecord::integer(0, int_t));
  Status st = w.finish();
  if (!st) {
    std::fprintf(stderr, "%s\n", st.message().c_str());
    return 1;
  }
  std::printf("wrote %llu events to %s\n", (unsigned long long)w.events_written(), argv[1]);
  return 0;
}
