// TraceWriter (writer.h): interning by position, contract-following event
// sequences, refusal of unloadable events, and the folder's JSON side files.
#include "trace_record/writer.h"

#include <unistd.h>

#include <fstream>
#include <string_view>
#include <unordered_map>

#include "trace_record/binary.h"
#include "trace_record/json.h"

namespace trace_record {

namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};
using InternMap = std::unordered_map<std::string, std::uint64_t, StringHash, std::equal_to<>>;

} // namespace

struct TraceWriter::Impl {
  std::filesystem::path dir;
  TraceMetadata metadata;
  WriterOptions options;
  std::unique_ptr<EventSink> sink;
  Status status;
  bool finished = false;

  InternMap path_ids, function_ids, type_ids, variable_ids;
  std::vector<std::string> paths;
  std::vector<FunctionSite> functions;
  std::uint64_t types = 0, variables = 0;
  // The writer's in-place encoding state (writer.h), which also holds the counts
  // that the inline events keep: steps written, and the open calls (C3, C6).
  Lane* lane = nullptr;

  void fail(Status s) {
    lane->buffer = nullptr; // every later event takes the checked path, which drops it
    if (status)
      status = std::move(s);
  }

  bool check(const TraceEvent& e) {
    if (std::holds_alternative<AssignmentRecord>(e)) {
      fail(Status::error("Assignment events cannot be serialized (TRACE_FORMAT.md §2.7)"));
      return false;
    }
    if (!options.allow_unloadable_events && breaks_loading(e))
      return !refused(event_variant_name(e));
    return true;
  }

  // Checks, bookkeeping, and the sink write. Returns false if the event was dropped.
  bool push(const TraceEvent& e) {
    if (!status)
      return false;
    if (finished) {
      fail(Status::error("event after finish()"));
      return false;
    }
    if (!check(e))
      return false;
    switch (e.index()) {
    case 0: // Step
      if (!path_defined(std::get<StepRecord>(e).path_id))
        return false;
      break;
    case 7: // Call
      if (!function_defined(std::get<CallRecord>(e).function_id))
        return false;
      break;
    case 8: // Return
      if (return_refused())
        return false;
      break;
    case 10: // Asm
      if (lane->steps == 0) {
        fail(Status::error("Asm before the first Step breaks loading (CONSUMER_CONTRACT.md §4)"));
        return false;
      }
      break;
    default:
      break;
    }
    Status st = sink->write(e);
    if (!st) {
      fail(std::move(st));
      return false;
    }
    switch (e.index()) {
    case 0:
      ++lane->steps;
      break;
    case 1: {
      const auto& p = std::get<PathRecord>(e).path;
      path_ids.try_emplace(p, paths.size());
      paths.push_back(p);
      lane->paths = paths.size();
      break;
    }
    case 2:
    case 3: {
      const std::string& n =
          e.index() == 2 ? std::get<VariableNameRecord>(e).name : std::get<VariableRecord>(e).name;
      variable_ids.try_emplace(n, variables);
      ++variables;
      break;
    }
    case 4:
      type_ids.try_emplace(std::get<TypeRecord>(e).lang_type, types);
      ++types;
      break;
    case 6: {
      const auto& f = std::get<FunctionRecord>(e);
      function_ids.try_emplace(f.name, functions.size());
      functions.push_back({f.path_id, f.line});
      lane->functions = functions.data();
      lane->function_count = functions.size();
      break;
    }
    case 7:
      call_opened();
      break;
    case 8:
      if (lane->open_calls > 0)
        --lane->open_calls;
      break;
    default:
      break;
    }
    return true;
  }

  // The hot events (Step, Value, Call, Return) skip building a TraceEvent: the
  // same checks and bookkeeping as push(), then the sink's direct encoder.
  [[gnu::always_inline]] bool fast_ready() {
    if (!status) [[unlikely]]
      return false;
    if (finished) [[unlikely]] {
      fail(Status::error("event after finish()"));
      return false;
    }
    return true;
  }
  // True (and the error recorded) if `v`, in an event named `event`, breaks loading.
  [[gnu::always_inline]] bool refuse_value(const ValueRecord& v, std::string_view event) {
    if (options.allow_unloadable_events || !breaks_loading(v)) [[likely]]
      return false;
    return refused(event);
  }
  // Records the refusal of an event that breaks loading; returns true.
  [[gnu::noinline, gnu::cold]] bool refused(std::string_view event) {
    fail(Status::error("refused event " + std::string(event) +
                       ": it breaks loading in CodeTracer (CONSUMER_CONTRACT.md §4); set "
                       "WriterOptions::allow_unloadable_events to write it anyway"));
    return true;
  }
  [[gnu::always_inline]] bool sink_result(Status st) {
    if (st.is_ok()) [[likely]]
      return true;
    fail(std::move(st));
    return false;
  }
  [[gnu::always_inline]] void step(PathId path, Line line) {
    if (!fast_ready())
      return;
    if (!path_defined(path))
      return;
    if (sink_result(sink->write_step(path, line)))
      ++lane->steps;
  }
  [[gnu::always_inline]] void value(VariableId id, const ValueRecord& v) {
    if (!fast_ready() || refuse_value(v, "Value"))
      return;
    sink_result(sink->write_value(id, v));
  }
  // C1 for a Step's path.
  [[gnu::always_inline]] bool path_defined(PathId path) {
    return path.value < paths.size() || undefined("Step refers to PathId", path.value);
  }
  // C1 for a Call's function.
  [[gnu::always_inline]] bool function_defined(FunctionId fid) {
    return fid.value < functions.size() || undefined("Call refers to FunctionId", fid.value);
  }
  [[gnu::noinline, gnu::cold]] bool undefined(const char* what, std::uint64_t id) {
    fail(
        Status::error(std::string(what) + " " + std::to_string(id) + " which is not defined (C1)"));
    return false;
  }
  // True (and the error recorded) if a Return now would close no call (C6) or the
  // root call (C3), unless allow_unloadable_events.
  bool return_refused() {
    if (lane->open_calls > 1 || (lane->open_calls == 1 && !lane->root_opened) ||
        options.allow_unloadable_events) [[likely]]
      return false;
    fail(Status::error(lane->open_calls == 0 ? "Return with no open call (C6)"
                                             : "Return from the root call (C3)"));
    return true;
  }
  void call_opened() {
    if (lane->open_calls == 0)
      lane->root_opened = true; // the first call at depth 0 is the root (C3), whatever its function
    ++lane->open_calls;
  }
  void call(FunctionId fid, std::span<const FullValueRecord> args) {
    if (!fast_ready() || !function_defined(fid))
      return;
    for (const auto& a : args)
      if (refuse_value(a.value, "Call"))
        return;
    if (sink_result(sink->write_call(fid, args)))
      call_opened();
  }
  [[gnu::always_inline]] void ret(const ValueRecord& v) {
    if (!fast_ready() || refuse_value(v, "Return"))
      return;
    if (return_refused()) [[unlikely]]
      return;
    if (sink_result(sink->write_return(v)) && lane->open_calls > 0)
      --lane->open_calls;
  }

  // C2: the first Type must be None (TypeId 0). Emitted automatically before the
  // first other type.
  void ensure_none_type_first(TypeKind kind, std::string_view lang_type) {
    if (types == 0 && !(kind == TypeKind::None && lang_type == "None"))
      push(TypeRecord{TypeKind::None, "None", tsi::None{}});
  }
};

TraceWriter::TraceWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->lane = &lane_;
  const EventSink::DirectBuffer direct = impl_->sink->direct_buffer();
  lane_.buffer = direct.buffer;
  lane_.limit = direct.limit;
}

TraceWriter::~TraceWriter() {
  if (impl_ && !impl_->finished)
    (void)finish();
}

Result<std::unique_ptr<TraceWriter>> TraceWriter::create(const std::filesystem::path& dir,
                                                         TraceMetadata metadata,
                                                         WriterOptions options) {
  auto sink = open_sink(dir, options.format, options.frame_policy);
  if (!sink)
    return sink.status();
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->metadata = std::move(metadata);
  if (impl->metadata.workdir.empty()) {
    std::error_code ec;
    impl->metadata.workdir = std::filesystem::current_path(ec).string();
  }
  impl->options = options;
  impl->sink = std::move(sink.value());
  return std::unique_ptr<TraceWriter>(new TraceWriter(std::move(impl)));
}

void TraceWriter::start() {
  PathId p = ensure_path_id("");
  if (impl_->functions.empty())
    impl_->push(FunctionRecord{p, 1, "<top-level>"});
  impl_->push(CallRecord{kTopLevelFunctionId, {}});
  ensure_type_id(TypeKind::None, "None");
}

void TraceWriter::start(std::string_view path, Line line) {
  PathId p = ensure_path_id(path);
  if (impl_->functions.empty())
    impl_->push(FunctionRecord{p, line, "<toplevel>"});
  impl_->push(CallRecord{kTopLevelFunctionId, {}});
  ensure_type_id(TypeKind::None, "None");
}

PathId TraceWriter::ensure_path_id(std::string_view path) {
  auto it = impl_->path_ids.find(path);
  if (it != impl_->path_ids.end())
    return PathId{it->second};
  PathId id{impl_->paths.size()};
  impl_->push(PathRecord{std::string(path)});
  return id;
}

FunctionId TraceWriter::ensure_function_id(std::string_view name, std::string_view path,
                                           Line line) {
  auto it = impl_->function_ids.find(name);
  if (it != impl_->function_ids.end())
    return FunctionId{it->second};
  PathId p = ensure_path_id(path);
  FunctionId id{impl_->functions.size()};
  impl_->push(FunctionRecord{p, line, std::string(name)});
  return id;
}

TypeId TraceWriter::ensure_type_id(TypeKind kind, std::string_view lang_type) {
  auto it = impl_->type_ids.find(lang_type);
  if (it != impl_->type_ids.end())
    return TypeId{it->second};
  impl_->ensure_none_type_first(kind, lang_type);
  it = impl_->type_ids.find(lang_type);
  if (it != impl_->type_ids.end())
    return TypeId{it->second};
  TypeId id{impl_->types};
  impl_->push(TypeRecord{kind, std::string(lang_type), tsi::None{}});
  return id;
}

TypeId TraceWriter::ensure_raw_type_id(const TypeRecord& type) {
  auto it = impl_->type_ids.find(type.lang_type);
  if (it != impl_->type_ids.end())
    return TypeId{it->second};
  impl_->ensure_none_type_first(type.kind, type.lang_type);
  it = impl_->type_ids.find(type.lang_type);
  if (it != impl_->type_ids.end())
    return TypeId{it->second};
  TypeId id{impl_->types};
  impl_->push(type);
  return id;
}

VariableId TraceWriter::ensure_variable_id(std::string_view name) {
  auto it = impl_->variable_ids.find(name);
  if (it != impl_->variable_ids.end())
    return VariableId{it->second};
  VariableId id{impl_->variables};
  impl_->push(VariableNameRecord{std::string(name)});
  return id;
}

std::optional<TypeId> TraceWriter::find_type_id(std::string_view lang_type) const {
  auto it = impl_->type_ids.find(lang_type);
  if (it == impl_->type_ids.end())
    return std::nullopt;
  return TypeId{it->second};
}

TypeId TraceWriter::next_type_id() const {
  return TypeId{impl_->types};
}

void TraceWriter::register_step(std::string_view path, Line line) {
  register_step(ensure_path_id(path), line);
}
void TraceWriter::register_step_checked(PathId path, Line line) {
  impl_->step(path, line);
}

void TraceWriter::lane_full() {
  if (Status st = impl_->sink->direct_full(); !st)
    impl_->fail(std::move(st));
}

FullValueRecord TraceWriter::arg(std::string_view name, ValueRecord value) {
  return FullValueRecord{ensure_variable_id(name), std::move(value)};
}

void TraceWriter::register_call_checked(FunctionId fid, std::span<const FullValueRecord> args) {
  if (fid.value != 0 && fid.value < impl_->functions.size()) {
    const auto& f = impl_->functions[fid.value];
    impl_->step(f.path, f.line);
  }
  impl_->call(fid, args);
}

void TraceWriter::register_call_only(FunctionId fid, const std::vector<FullValueRecord>& args) {
  impl_->call(fid, args);
}

void TraceWriter::register_return_checked(const ValueRecord& value) {
  impl_->ret(value);
}

void TraceWriter::register_variable(std::string_view name, const ValueRecord& value) {
  VariableId id = ensure_variable_id(name);
  impl_->value(id, value);
}

void TraceWriter::register_value_checked(VariableId id, const ValueRecord& value) {
  impl_->value(id, value);
}

bool TraceWriter::encode_value(VariableId id, const ValueRecord& value,
                               std::vector<std::uint8_t>& out) const {
  if (impl_->options.format != TraceFormat::Binary || breaks_loading(value))
    return false;
  cbor::Buffer b;
  cbor::put::value_event(b, id, value);
  out.assign(b.data(), b.data() + b.size());
  return true;
}

void TraceWriter::register_encoded_value_checked(std::span<const std::uint8_t> value_event) {
  if (!impl_->fast_ready())
    return;
  // Only a binary writer encodes values (encode_value), and its sink is a BinarySink.
  auto* sink = dynamic_cast<BinarySink*>(impl_->sink.get());
  if (!sink) {
    impl_->fail(Status::error("register_encoded_value: this trace is not binary"));
    return;
  }
  if (impl_->sink_result(sink->write_cbor(value_event.data(), value_event.size())))
    ++lane_.events; // write_cbor does not count events
}

void TraceWriter::register_special_event(EventLogKind kind, std::string_view metadata,
                                         std::string_view content) {
  impl_->push(RecordEvent{kind, std::string(metadata), std::string(content)});
}

void TraceWriter::register_asm(std::vector<std::string> lines) {
  impl_->push(AsmRecord{std::move(lines)});
}

void TraceWriter::register_thread_start(ThreadId id) {
  impl_->push(ThreadStartRecord{id});
}
void TraceWriter::register_thread_exit(ThreadId id) {
  impl_->push(ThreadExitRecord{id});
}
void TraceWriter::register_thread_switch(ThreadId id) {
  impl_->push(ThreadSwitchRecord{id});
}

void TraceWriter::bind_variable(VariableId id, Place place) {
  impl_->push(BindVariableRecord{id, place});
}
Status TraceWriter::assign(VariableId, PassBy, RValue) {
  return Status::error("Assignment events cannot be serialized (TRACE_FORMAT.md §2.7)");
}
void TraceWriter::drop_variables(std::vector<VariableId> ids) {
  impl_->push(DropVariablesRecord{std::move(ids)});
}
void TraceWriter::drop_variable(VariableId id) {
  impl_->push(DropVariableRecord{id});
}
void TraceWriter::compound_value(Place place, ValueRecord value) {
  impl_->push(CompoundValueRecord{place, std::move(value)});
}
void TraceWriter::cell_value(Place place, ValueRecord value) {
  impl_->push(CellValueRecord{place, std::move(value)});
}
void TraceWriter::assign_compound_item(Place place, std::uint64_t index, Place item_place) {
  impl_->push(AssignCompoundItemRecord{place, index, item_place});
}
void TraceWriter::assign_cell(Place place, ValueRecord new_value) {
  impl_->push(AssignCellRecord{place, std::move(new_value)});
}
void TraceWriter::variable_cell(VariableId id, Place place) {
  impl_->push(VariableCellRecord{id, place});
}
void TraceWriter::drop_last_step() {
  impl_->push(DropLastStepRecord{});
}

void TraceWriter::emit(const TraceEvent& event) {
  impl_->push(event);
}

Status TraceWriter::flush() {
  if (!impl_->status)
    return impl_->status;
  if (impl_->finished)
    return Status::ok();
  Status st = impl_->sink->flush();
  if (!st)
    impl_->fail(st);
  return st;
}

Status TraceWriter::finish() {
  if (impl_->finished)
    return impl_->status;
  impl_->finished = true;
  lane_.buffer = nullptr; // later events take the checked path, which refuses them
  // The event file is completed even after a refused event, so that what was
  // written stays loadable; the first error is still reported.
  Status st = impl_->sink->close();
  if (!st)
    impl_->fail(st);
  if (impl_->metadata.recording_id.empty())
    impl_->metadata.recording_id = make_uuid_v7();
  st = write_metadata_file(impl_->dir, impl_->metadata);
  if (!st)
    impl_->fail(st);
  // A cut event file keeps only some of its Path events: the paths file lists those.
  const std::uint64_t kept = impl_->sink->paths_in_file();
  if (kept < impl_->paths.size()) {
    std::vector<std::string> paths(impl_->paths.begin(),
                                   impl_->paths.begin() + std::ptrdiff_t(kept));
    st = write_paths_file(impl_->dir, paths);
  } else {
    st = write_paths_file(impl_->dir, impl_->paths);
  }
  if (!st)
    impl_->fail(st);
  return impl_->status;
}

void TraceWriter::close_in_fork_child() {
  impl_->finished = true;
  lane_.buffer = nullptr;
  impl_->sink->close_in_fork_child();
}

Status TraceWriter::copy_source_files(std::vector<std::string>* warnings) {
  for (const std::string& p : impl_->paths) {
    if (p.empty())
      continue;
    if (p[0] != '/') {
      if (warnings)
        warnings->push_back(p + ": not an absolute path, not copied");
      continue;
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) {
      if (warnings)
        warnings->push_back(p + ": source file not found, not copied");
      continue;
    }
    std::filesystem::path dest = impl_->dir / "files" / p.substr(1);
    std::filesystem::create_directories(dest.parent_path(), ec);
    if (ec)
      return Status::error(dest.parent_path().string() + ": " + ec.message());
    std::filesystem::copy_file(p, dest, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec)
      return Status::error(dest.string() + ": copy failed: " + ec.message());
  }
  return Status::ok();
}

const Status& TraceWriter::status() const {
  return impl_->status;
}
const std::filesystem::path& TraceWriter::dir() const {
  return impl_->dir;
}
const TraceMetadata& TraceWriter::metadata() const {
  return impl_->metadata;
}
TraceMetadata& TraceWriter::metadata() {
  return impl_->metadata;
}
const std::vector<std::string>& TraceWriter::paths() const {
  return impl_->paths;
}
std::uint64_t TraceWriter::events_written() const {
  return impl_->sink->events_written() + lane_.events;
}
std::uint64_t TraceWriter::steps_written() const {
  return lane_.steps;
}
std::uint64_t TraceWriter::bytes_written() const {
  return impl_->sink->bytes_written();
}

} // namespace trace_record
