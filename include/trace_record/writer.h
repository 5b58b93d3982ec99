// TraceWriter: the helper API for producing a CodeTracer trace folder.
//
// The C++ sibling of the Rust and Go helper libraries (TRACE_FORMAT.md §9):
// interning of paths, functions, types and variables by position, and one
// method per event. Events stream to the event file as they come (trace.json or
// trace.bin, chosen by WriterOptions::format), so memory stays flat however long
// the trace is. finish() completes the event file and writes trace_metadata.json
// and trace_paths.json; copy_source_files() fills files/.
//
// Where the reference writer and CONSUMER_CONTRACT.md differ, this writer follows
// the contract (documented per method). Events that break loading are refused
// with an error Status unless WriterOptions::allow_unloadable_events is set.
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "trace_record/detail/cbor_put.h"
#include "trace_record/sink.h"
#include "trace_record/status.h"
#include "trace_record/types.h"

namespace trace_record {

struct TraceMetadata {
  std::string recording_id; // empty: a fresh UUIDv7 is generated at finish
  std::string workdir;      // empty: the current working directory
  std::string program;      // absolute path of the recorded executable
  std::vector<std::string> args; // program arguments, excluding argv[0]
};

struct WriterOptions {
  TraceFormat format = TraceFormat::Json;
  FramePolicy frame_policy; // binary only
  // Permit events that CONSUMER_CONTRACT.md §4 says break loading (DropLastStep,
  // cells, compound values, BindVariable...). Off by default. Assignment can
  // never be written (TRACE_FORMAT.md §2.7).
  bool allow_unloadable_events = false;
};

std::string make_uuid_v7(); // canonical lowercase text form

class TraceWriter {
public:
  // Creates `dir` (and parents) and opens the event file.
  static Result<std::unique_ptr<TraceWriter>> create(const std::filesystem::path& dir,
                                                     TraceMetadata metadata,
                                                     WriterOptions options = {});
  ~TraceWriter(); // finishes if finish() was not called
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // --- start: the root call (CONSUMER_CONTRACT.md C2, C3) -------------------
  // Path "" (PathId 0), Function{0,1,"<top-level>"}, Call{0,[]}, Type{30,"None"}.
  void start();
  // Reference parity (TRACE_FORMAT.md §9): Path(path)?, Function{"<toplevel>"},
  // Call{0,[]}, Type None. Prefer start(): the consumer special-cases "<top-level>".
  void start(std::string_view path, Line line);

  // --- interning (emit the defining event on first use) ---------------------
  PathId ensure_path_id(std::string_view path);
  FunctionId ensure_function_id(std::string_view name, std::string_view path, Line line);
  TypeId ensure_type_id(TypeKind kind, std::string_view lang_type); // keyed by lang_type
  TypeId ensure_raw_type_id(const TypeRecord& type);                 // keyed by lang_type
  VariableId ensure_variable_id(std::string_view name);
  std::optional<TypeId> find_type_id(std::string_view lang_type) const;
  // For recursive type groups (CONVENTIONS.md §3.2): the id the next Type event gets.
  TypeId next_type_id() const;

  // --- steps, calls, values --------------------------------------------------
  void register_step(std::string_view path, Line line);
  void register_step(PathId path, Line line) {
    if (lane_.buffer && path.value < lane_.paths) [[likely]] {
      cbor::put::step(*lane_.buffer, path, line);
      ++lane_.steps;
      lane_written(1);
      return;
    }
    register_step_checked(path, line);
  }
  FullValueRecord arg(std::string_view name, ValueRecord value); // interns, emits nothing
  // Contract C5: Step(function's path, declaration line), then Call{fid, args}.
  // For fid 0 only the Call. (The reference also emits one Value per arg before
  // the Step; the contract forbids that, so this writer does not.)
  void register_call(FunctionId fid, std::span<const FullValueRecord> args) {
    if (lane_.buffer && fid.value != 0 && fid.value < lane_.function_count &&
        lane_.open_calls > 0 && all_flat(args)) [[likely]] {
      const FunctionSite& f = lane_.functions[fid.value];
      cbor::put::step(*lane_.buffer, f.path, f.line);
      cbor::put::call(*lane_.buffer, fid, args.data(), args.size());
      ++lane_.steps;
      ++lane_.open_calls;
      lane_written(2);
      return;
    }
    register_call_checked(fid, args);
  }
  // (Braced arguments are not copied to the heap.)
  void register_call(FunctionId fid, std::initializer_list<FullValueRecord> args = {}) {
    register_call(fid, std::span<const FullValueRecord>(args.begin(), args.size()));
  }
  void register_call(FunctionId fid, const std::vector<FullValueRecord>& args) {
    register_call(fid, std::span<const FullValueRecord>(args));
  }
  // Just the Call event, for callers that emit the entry Step themselves.
  void register_call_only(FunctionId fid, const std::vector<FullValueRecord>& args = {});
  void register_return(const ValueRecord& value) {
    // A Return that leaves a call open cannot break C3 or C6.
    if (lane_.buffer && lane_.open_calls > 1 && !breaks_loading(value)) [[likely]] {
      cbor::put::return_event(*lane_.buffer, value);
      --lane_.open_calls;
      lane_written(1);
      return;
    }
    register_return_checked(value);
  }
  void register_return() { register_return(ValueRecord::none()); } // Return of None (TypeId 0)
  void register_variable(std::string_view name, const ValueRecord& value); // VariableName?, Value
  void register_value(VariableId id, const ValueRecord& value) { // Value
    if (lane_.buffer && !breaks_loading(value)) [[likely]] {
      cbor::put::value_event(*lane_.buffer, id, value);
      lane_written(1);
      return;
    }
    register_value_checked(id, value);
  }
  // Values written many times unchanged (C4 re-emits every variable in scope after
  // every step): encode the Value event once, then write its bytes again.
  // encode_value() replaces `out` with the Value event of (id, value) and returns
  // true, or returns false (out untouched) when the trace is not binary or the
  // value breaks loading: use register_value() then. register_encoded_value(bytes)
  // is register_value(id, value), checked and counted alike, without encoding.
  bool encode_value(VariableId id, const ValueRecord& value, std::vector<std::uint8_t>& out) const;
  void register_encoded_value(std::span<const std::uint8_t> value_event) {
    if (lane_.buffer) [[likely]] {
      std::uint8_t* w = lane_.buffer->tail(value_event.size());
      std::memcpy(w, value_event.data(), value_event.size());
      lane_.buffer->advance(value_event.size());
      lane_written(1);
      return;
    }
    register_encoded_value_checked(value_event);
  }
  void register_special_event(EventLogKind kind, std::string_view metadata,
                              std::string_view content);
  void register_special_event(EventLogKind kind, std::string_view content) {
    register_special_event(kind, "", content);
  }
  void register_asm(std::vector<std::string> lines); // error before the first Step

  // --- threads ---------------------------------------------------------------
  void register_thread_start(ThreadId id);
  void register_thread_exit(ThreadId id);
  void register_thread_switch(ThreadId id);

  // --- experimental history / cell events (break loading; need allow_unloadable_events)
  void bind_variable(VariableId id, Place place);
  Status assign(VariableId to, PassBy pass_by, RValue from); // always an error (§2.7)
  void drop_variables(std::vector<VariableId> ids);
  void drop_variable(VariableId id);
  void compound_value(Place place, ValueRecord value);
  void cell_value(Place place, ValueRecord value);
  void assign_compound_item(Place place, std::uint64_t index, Place item_place);
  void assign_cell(Place place, ValueRecord new_value);
  void variable_cell(VariableId id, Place place);
  void drop_last_step();

  // Any event as is (checked like the methods above: refused if it breaks loading).
  void emit(const TraceEvent& event);

  // --- output ----------------------------------------------------------------
  Status flush(); // binary: ends the frame so a follower sees it
  // Closes the event file, writes trace_metadata.json and trace_paths.json. Idempotent.
  // After a write error the event file is cut where it still loads and
  // trace_paths.json lists the paths of the events kept (EventSink::close).
  Status finish();
  // In the child of fork(): lets go of the parent's event file without writing
  // anything (EventSink::close_in_fork_child); the writer is unusable afterwards.
  void close_in_fork_child();
  // Copies every recorded source path to files/<path without '/'>; paths that no
  // longer exist are skipped, each with a warning line appended to `warnings`.
  Status copy_source_files(std::vector<std::string>* warnings = nullptr);

  // The first error met (I/O, refused event, asm before step...); ok otherwise.
  // Methods that return void record errors here; after an error, events are dropped.
  const Status& status() const;

  const std::filesystem::path& dir() const;
  const TraceMetadata& metadata() const;
  TraceMetadata& metadata();
  const std::vector<std::string>& paths() const; // in PathId order
  std::uint64_t events_written() const;
  std::uint64_t steps_written() const;
  std::uint64_t bytes_written() const;

private:
  struct Impl;
  explicit TraceWriter(std::unique_ptr<Impl> impl);
  // The general path of the hot events: every check, then the sink's direct write.
  void register_step_checked(PathId path, Line line);
  void register_value_checked(VariableId id, const ValueRecord& value);
  void register_call_checked(FunctionId fid, std::span<const FullValueRecord> args);
  void register_return_checked(const ValueRecord& value);
  void register_encoded_value_checked(std::span<const std::uint8_t> value_event);
  static bool all_flat(std::span<const FullValueRecord> args) {
    for (const FullValueRecord& a : args)
      if (breaks_loading(a.value))
        return false;
    return true;
  }
  void lane_written(std::uint64_t events) {
    lane_.events += events;
    if (lane_.buffer->size() >= lane_.limit) [[unlikely]]
      lane_full();
  }
  void lane_full();

  // In-place encoding (EventSink::direct_buffer): while the writer is ready (no
  // error, not finished) and its sink lends a buffer, Steps to defined paths (C1)
  // and Values, Calls below the root and Returns that leave a call open, none of
  // them holding a value that breaks loading, are encoded inline by the methods
  // above: that is all their checking needs. Anything else takes the checked path.
  struct FunctionSite { // a Function's path and line: its entry Step (C5)
    PathId path;
    Line line;
  };
  struct Lane {
    cbor::Buffer* buffer = nullptr; // null: off
    std::size_t limit = 0;
    std::uint64_t paths = 0; // PathIds defined so far (C1)
    const FunctionSite* functions = nullptr;
    std::uint64_t function_count = 0; // FunctionIds defined so far (C1)
    std::uint64_t events = 0;    // written in place (the sink counts the others)
    std::uint64_t steps = 0;     // every Step written, in place or not
    std::int64_t open_calls = 0; // C3, C6; kept here for all calls
    bool root_opened = false;
  };
  Lane lane_;
  std::unique_ptr<Impl> impl_;
};

// Writes trace_metadata.json / trace_paths.json exactly as TRACE_FORMAT.md §1.
Status write_metadata_file(const std::filesystem::path& dir, const TraceMetadata& metadata);
Status write_paths_file(const std::filesystem::path& dir, const std::vector<std::string>& paths);

} // namespace trace_record
