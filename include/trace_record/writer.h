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
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
  void register_step(PathId path, Line line);
  FullValueRecord arg(std::string_view name, ValueRecord value); // interns, emits nothing
  // Contract C5: Step(function's path, declaration line), then Call{fid, args}.
  // For fid 0 only the Call. (The reference also emits one Value per arg before
  // the Step; the contract forbids that, so this writer does not.)
  void register_call(FunctionId fid, const std::vector<FullValueRecord>& args = {});
  // Just the Call event, for callers that emit the entry Step themselves.
  void register_call_only(FunctionId fid, const std::vector<FullValueRecord>& args = {});
  void register_return(const ValueRecord& value);
  void register_return(); // Return of None (TypeId 0)
  void register_variable(std::string_view name, const ValueRecord& value); // VariableName?, Value
  void register_value(VariableId id, const ValueRecord& value);            // Value
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
  Status finish();
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
  std::unique_ptr<Impl> impl_;
};

// Writes trace_metadata.json / trace_paths.json exactly as TRACE_FORMAT.md §1.
Status write_metadata_file(const std::filesystem::path& dir, const TraceMetadata& metadata);
Status write_paths_file(const std::filesystem::path& dir, const std::vector<std::string>& paths);

} // namespace trace_record
