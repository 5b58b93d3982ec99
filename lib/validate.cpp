// Contract validation (validate.h).
#include "trace_record/validate.h"

#include <nlohmann/json.hpp>

#include "input_file.h"
#include "trace_record/reader.h"
#include "trace_record/source.h"

namespace trace_record {

namespace {
constexpr int kMaxValueDepth = 32; // CONSUMER_CONTRACT.md §5
} // namespace

struct StreamValidator::Impl {
  ValidationReport report;
  std::uint64_t index = 0;
  std::uint64_t paths = 0, variables = 0, steps = 0;
  struct Fn {
    std::uint64_t path;
    Line line;
  };
  std::vector<Fn> functions;
  struct Ty {
    std::uint8_t kind;
    std::int32_t fields; // -1: not a Struct type
  };
  std::vector<Ty> types;
  std::uint64_t max_type_ref_in_types = 0; // forward references in Type events
  std::uint64_t max_type_ref_event = kNoEventIndex;
  std::int64_t open_calls = 0;
  bool root_opened = false;
  int last_kind = -1; // variant index of the last non-definition event
  StepRecord last_step;
  std::uint64_t error_event = kNoEventIndex; // an Event of kind Error
  std::optional<std::vector<std::string>> expected_paths;

  std::string where(std::uint64_t i, const TraceEvent& e) const {
    return "event " + std::to_string(i) + " (" + std::string(event_variant_name(e)) + "): ";
  }
  void error(const TraceEvent& e, const std::string& msg) {
    if (report.error)
      return;
    report.error = ValidationIssue{ValidationIssue::Severity::Error, index, where(index, e) + msg};
  }
  void warn(const TraceEvent& e, const std::string& msg) {
    ++report.warning_count;
    if (report.warnings.size() < ValidationReport::kMaxWarnings)
      report.warnings.push_back(
          ValidationIssue{ValidationIssue::Severity::Warning, index, where(index, e) + msg});
  }

  void check_type_id(const TraceEvent& e, TypeId t, const char* what) {
    if (t.value >= types.size())
      error(e, std::string(what) + " refers to TypeId " + std::to_string(t.value) +
                   " which is not defined yet (C1)");
  }
  void check_variable(const TraceEvent& e, VariableId v) {
    if (v.value >= variables)
      error(e, "VariableId " + std::to_string(v.value) + " is not defined yet (C1)");
  }

  void check_value(const TraceEvent& e, const ValueRecord& v, int depth, bool& warned_depth) {
    if (report.error)
      return;
    if (depth > kMaxValueDepth && !warned_depth) {
      warned_depth = true;
      warn(e, "value nested deeper than 32 levels (CONSUMER_CONTRACT.md §5)");
    }
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, value::Cell>) {
            error(e, "Cell value breaks loading (CONSUMER_CONTRACT.md §4)");
          } else {
            check_type_id(e, x.type_id, "value");
            if constexpr (std::is_same_v<T, value::Sequence> || std::is_same_v<T, value::Tuple>) {
              for (const auto& el : x.elements)
                check_value(e, el, depth + 1, warned_depth);
            } else if constexpr (std::is_same_v<T, value::Struct>) {
              if (x.type_id.value < types.size()) {
                const Ty& t = types[x.type_id.value];
                if (t.kind != std::uint8_t(TypeKind::Struct) || t.fields < 0)
                  error(e, "Struct value's TypeId " + std::to_string(x.type_id.value) +
                               " is not a Struct type (C12)");
                else if (std::size_t(t.fields) != x.field_values.size())
                  error(e, "Struct value has " + std::to_string(x.field_values.size()) +
                               " field values but its type has " + std::to_string(t.fields) +
                               " fields (C12)");
              }
              for (const auto& el : x.field_values)
                check_value(e, el, depth + 1, warned_depth);
            } else if constexpr (std::is_same_v<T, value::Variant>) {
              check_value(e, *x.contents, depth + 1, warned_depth);
            } else if constexpr (std::is_same_v<T, value::Reference>) {
              check_value(e, *x.dereferenced, depth + 1, warned_depth);
            }
          }
        },
        v.v);
  }
  void check_value(const TraceEvent& e, const ValueRecord& v) {
    bool warned = false;
    check_value(e, v, 1, warned);
  }

  void feed(const TraceEvent& e) {
    if (report.error)
      return;
    const std::size_t k = e.index();
    const bool definition = k == 1 || k == 2 || k == 3 || k == 4 || k == 6;
    if (error_event != kNoEventIndex && !definition)
      error(e, "event after the Error event " + std::to_string(error_event) +
                   ": the Error event must be the last event (C9)");
    if (k != 5 && k != 7 && k != 8 && breaks_loading(e)) // values: check_value says why
      error(e, "this event breaks loading in CodeTracer (CONSUMER_CONTRACT.md §4)");
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, StepRecord>) {
            if (x.path_id.value >= paths)
              error(e, "PathId " + std::to_string(x.path_id.value) + " is not defined yet (C1)");
            if (open_calls == 0 && !root_opened)
              error(e, "Step before the root call was opened (C3)");
            if (x.line == 0)
              warn(e, "line 0 (compiler-generated code) should not be stepped (C14)");
            else if (x.line < 0)
              warn(e, "negative line (C14)");
            ++steps;
            last_step = x;
          } else if constexpr (std::is_same_v<T, PathRecord>) {
            if (expected_paths) {
              if (paths >= expected_paths->size() || (*expected_paths)[paths] != x.path)
                error(e, "Path \"" + x.path + "\" (PathId " + std::to_string(paths) +
                             ") does not match trace_paths.json");
            }
            if (x.path.empty()) {
              if (paths != 0)
                warn(e, "empty path other than the root path (C10)");
            } else if (x.path[0] != '/') {
              error(e, "path \"" + x.path + "\" is not absolute (C10)");
            } else if (x.path.find("/./") != std::string::npos ||
                       x.path.find("/../") != std::string::npos ||
                       x.path.find("//") != std::string::npos) {
              warn(e, "path \"" + x.path + "\" is not normalized (C10)");
            }
            ++paths;
          } else if constexpr (std::is_same_v<T, VariableNameRecord> ||
                               std::is_same_v<T, VariableRecord>) {
            if constexpr (std::is_same_v<T, VariableRecord>)
              warn(e, "legacy Variable event; write VariableName");
            ++variables;
          } else if constexpr (std::is_same_v<T, TypeRecord>) {
            if (types.empty() &&
                (x.kind != TypeKind::None || !std::holds_alternative<tsi::None>(x.specific_info)))
              error(e,
                    "the first Type must be the None type (kind 30) so that it is TypeId 0 (C2)");
            std::int32_t fields = -1;
            if (auto* s = std::get_if<tsi::Struct>(&x.specific_info)) {
              fields = std::int32_t(s->fields.size());
              for (const auto& f : s->fields)
                if (f.type_id.value >= types.size() + 1 &&
                    f.type_id.value + 1 > max_type_ref_in_types) {
                  max_type_ref_in_types = f.type_id.value + 1;
                  max_type_ref_event = index;
                }
            } else if (auto* p = std::get_if<tsi::Pointer>(&x.specific_info)) {
              if (p->dereference_type_id.value >= types.size() + 1 &&
                  p->dereference_type_id.value + 1 > max_type_ref_in_types) {
                max_type_ref_in_types = p->dereference_type_id.value + 1;
                max_type_ref_event = index;
              }
            }
            if (x.kind == TypeKind::Struct && fields < 0)
              warn(e,
                   "Struct type without Struct specific_info: its values cannot be labelled (C12)");
            types.push_back(Ty{std::uint8_t(x.kind), fields});
          } else if constexpr (std::is_same_v<T, FullValueRecord>) {
            if (steps == 0)
              error(e, "Value before the first Step: values follow a step (C4)");
            check_variable(e, x.variable_id);
            check_value(e, x.value);
          } else if constexpr (std::is_same_v<T, FunctionRecord>) {
            if (x.path_id.value >= paths)
              error(e, "PathId " + std::to_string(x.path_id.value) + " is not defined yet (C1)");
            functions.push_back(Fn{x.path_id.value, x.line});
          } else if constexpr (std::is_same_v<T, CallRecord>) {
            if (x.function_id.value >= functions.size()) {
              error(e, "FunctionId " + std::to_string(x.function_id.value) +
                           " is not defined yet (C1)");
            } else if (open_calls == 0) {
              if (root_opened)
                error(e, "a second root call: the root call was returned from (C3)");
              if (steps != 0)
                error(e, "the root call must be opened before the first Step (C3)");
              root_opened = true;
            } else {
              if (last_kind != 0) {
                error(e, "call not immediately preceded by its entry Step (C5)");
              } else {
                const Fn& f = functions[x.function_id.value];
                if (last_step.path_id.value != f.path || last_step.line != f.line)
                  warn(e, "entry Step is not at the callee's declaration (C5)");
              }
            }
            for (const auto& a : x.args) {
              check_variable(e, a.variable_id);
              check_value(e, a.value);
            }
            ++open_calls;
          } else if constexpr (std::is_same_v<T, ReturnRecord>) {
            if (open_calls == 0)
              error(e, "return with no open call (C6)");
            else if (open_calls == 1)
              error(e, "return from the root call (C3)");
            else
              --open_calls;
            check_value(e, x.return_value);
          } else if constexpr (std::is_same_v<T, RecordEvent>) {
            if (x.kind == EventLogKind::Error)
              error_event = index;
          } else if constexpr (std::is_same_v<T, AsmRecord>) {
            if (steps == 0)
              error(e, "Asm before the first Step breaks loading (CONSUMER_CONTRACT.md §4)");
          } else if constexpr (std::is_same_v<T, ThreadStartRecord> ||
                               std::is_same_v<T, ThreadSwitchRecord> ||
                               std::is_same_v<T, ThreadExitRecord>) {
            warn(e, "thread events are ignored by the consumer: record one thread per trace (C11)");
          } else if constexpr (std::is_same_v<T, CompoundValueRecord> ||
                               std::is_same_v<T, CellValueRecord>) {
            check_value(e, x.value);
          } else if constexpr (std::is_same_v<T, AssignCellRecord>) {
            check_value(e, x.new_value);
          }
        },
        e);
    if (!definition)
      last_kind = int(k);
    ++index;
  }

  void finish() {
    report.events = index;
    if (report.error)
      return;
    auto file_error = [&](std::string msg) {
      report.error =
          ValidationIssue{ValidationIssue::Severity::Error, kNoEventIndex, std::move(msg)};
    };
    if (max_type_ref_in_types > types.size())
      file_error("event " + std::to_string(max_type_ref_event) + " (Type): refers to TypeId " +
                 std::to_string(max_type_ref_in_types - 1) + " which is never defined (C1)");
    else if (index > 0 && !root_opened)
      file_error("no root call: the trace never opens a call (C3)");
    else if (index > 0 && types.empty())
      file_error("no Type events: TypeId 0 must be the None type (C2)");
    else if (expected_paths && expected_paths->size() != paths)
      file_error("trace_paths.json lists " + std::to_string(expected_paths->size()) +
                 " paths but the events define " + std::to_string(paths));
  }
};

StreamValidator::StreamValidator() : impl_(new Impl) {}
StreamValidator::~StreamValidator() {
  delete impl_;
}
void StreamValidator::expect_paths(std::vector<std::string> paths) {
  impl_->expected_paths = std::move(paths);
}
void StreamValidator::feed(const TraceEvent& event) {
  impl_->feed(event);
}
void StreamValidator::feed(const TraceEvent& event, std::string_view encoding_issue) {
  if (!encoding_issue.empty())
    impl_->error(event, std::string(encoding_issue));
  impl_->feed(event);
}
bool StreamValidator::failed() const {
  return impl_->report.error.has_value();
}
ValidationReport StreamValidator::finish() {
  impl_->finish();
  return std::move(impl_->report);
}

bool is_uuid_v7(std::string_view s) {
  if (s.size() != 36)
    return false;
  for (std::size_t i = 0; i < 36; ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-')
        return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return s[14] == '7' && (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
}

void validate_metadata(const TraceMetadata& md, bool had_recording_id, ValidationReport& r) {
  auto add = [&](ValidationIssue::Severity sev, std::string msg) {
    ValidationIssue i{sev, kNoEventIndex, "trace_metadata.json: " + std::move(msg)};
    if (sev == ValidationIssue::Severity::Error) {
      if (!r.error)
        r.error = std::move(i);
    } else {
      ++r.warning_count;
      if (r.warnings.size() < ValidationReport::kMaxWarnings)
        r.warnings.push_back(std::move(i));
    }
  };
  if (!had_recording_id)
    add(ValidationIssue::Severity::Error,
        "missing \"recording_id\" (the current reader requires it, TRACE_FORMAT.md §1.1)");
  else if (!is_uuid_v7(md.recording_id))
    add(ValidationIssue::Severity::Error,
        "recording_id \"" + md.recording_id + "\" is not a lowercase UUIDv7");
  if (md.workdir.empty() || md.workdir[0] != '/')
    add(ValidationIssue::Severity::Warning, "workdir \"" + md.workdir + "\" is not absolute");
  if (md.program.empty())
    add(ValidationIssue::Severity::Warning, "program is empty");
}

Result<ValidationReport> validate_trace(const std::filesystem::path& path) {
  auto file = find_event_file(path);
  if (!file)
    return file.status();
  std::error_code ec;
  const std::filesystem::path dir =
      std::filesystem::is_directory(path, ec) ? path : file->parent_path();
  StreamValidator v;
  ValidationReport side;
  // Side files.
  const auto md_file = dir / "trace_metadata.json";
  if (!std::filesystem::exists(md_file, ec)) {
    side.error = ValidationIssue{ValidationIssue::Severity::Error, kNoEventIndex,
                                 "trace_metadata.json: missing (required, TRACE_FORMAT.md §1)"};
  } else {
    auto text = detail::read_input_file(md_file);
    if (!text)
      return text.status();
    auto md = parse_metadata_json(*text, md_file.string());
    if (!md)
      return md.status();
    bool had_id = text->find("\"recording_id\"") != std::string::npos;
    validate_metadata(*md, had_id, side);
  }
  const auto paths_file = dir / "trace_paths.json";
  if (!std::filesystem::exists(paths_file, ec)) {
    if (!side.error)
      side.error = ValidationIssue{ValidationIssue::Severity::Error, kNoEventIndex,
                                   "trace_paths.json: missing (required, TRACE_FORMAT.md §1)"};
  } else {
    auto p = read_paths_file(paths_file);
    if (!p)
      return p.status();
    v.expect_paths(std::move(p.value()));
  }
  if (std::filesystem::exists(dir / "trace.json", ec) &&
      std::filesystem::exists(dir / "trace.bin", ec)) {
    ++side.warning_count;
    side.warnings.push_back({ValidationIssue::Severity::Warning, kNoEventIndex,
                             "both trace.json and trace.bin exist; the consumer uses trace.json"});
  }
  auto src = open_event_source(*file);
  if (!src)
    return src.status();
  TraceEvent e;
  for (;;) {
    ReadState st = (*src)->next(e);
    if (st == ReadState::Event) {
      v.feed(e, (*src)->encoding_issue());
      if (v.failed())
        break;
      continue;
    }
    if (st == ReadState::End)
      break;
    return Status::error((*src)->message());
  }
  ValidationReport r = v.finish();
  if (!r.error && side.error)
    r.error = side.error;
  r.warning_count += side.warning_count;
  r.warnings.insert(r.warnings.begin(), side.warnings.begin(), side.warnings.end());
  return r;
}

} // namespace trace_record
