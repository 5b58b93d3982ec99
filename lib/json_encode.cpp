// trace.json element encoding (TRACE_FORMAT.md §4). Hot path of the JSON sink:
// plain appends, std::to_chars, no allocation beyond the output buffer growing.
#include <array>
#include <charconv>
#include <cstring>

#include "trace_record/float_text.h"
#include "trace_record/json.h"
#include "trace_record/text.h"
#include "trace_record/writer.h"

namespace trace_record {

namespace {

// 1: byte needs an escape (< 0x20, '"', '\\'); 2: non-ASCII, check UTF-8.
constexpr auto kClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int i = 0; i < 0x20; ++i)
    t[std::size_t(i)] = 1;
  t['"'] = 1;
  t['\\'] = 1;
  for (int i = 0x80; i < 0x100; ++i)
    t[std::size_t(i)] = 2;
  return t;
}();

inline void lit(std::string& out, std::string_view s) {
  out.append(s.data(), s.size());
}

inline void u64(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, std::size_t(r.ptr - buf));
}
inline void i64(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, std::size_t(r.ptr - buf));
}
inline void boolean(std::string& out, bool b) {
  lit(out, b ? "true" : "false");
}

void type_id_tail(std::string& out, TypeId t) {
  lit(out, ",\"type_id\":");
  u64(out, t.value);
  out.push_back('}');
}

void values_array(std::string& out, const std::vector<ValueRecord>& vs) {
  out.push_back('[');
  for (std::size_t i = 0; i < vs.size(); ++i) {
    if (i)
      out.push_back(',');
    append_json_value(out, vs[i]);
  }
  out.push_back(']');
}

void full_value(std::string& out, const FullValueRecord& v) {
  lit(out, "{\"variable_id\":");
  u64(out, v.variable_id.value);
  lit(out, ",\"value\":");
  append_json_value(out, v.value);
  out.push_back('}');
}

void place_value(std::string& out, std::string_view head, Place place, std::string_view key,
                 const ValueRecord& v) {
  lit(out, head);
  i64(out, place);
  lit(out, key);
  append_json_value(out, v);
  lit(out, "}}");
}

} // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t start = 0, i = 0;
  while (i < n) {
    const std::uint8_t c = static_cast<std::uint8_t>(p[i]);
    const std::uint8_t k = kClass[c];
    if (k == 0) {
      ++i;
      continue;
    }
    if (k == 2) {
      std::size_t bad = 0;
      std::size_t len = utf8_sequence_length(s, i, &bad);
      if (len) {
        i += len;
        continue;
      }
      out.append(p + start, i - start);
      lit(out, "\xEF\xBF\xBD");
      i += bad;
      start = i;
      continue;
    }
    out.append(p + start, i - start);
    switch (c) {
    case '"':
      lit(out, "\\\"");
      break;
    case '\\':
      lit(out, "\\\\");
      break;
    case '\b':
      lit(out, "\\b");
      break;
    case '\t':
      lit(out, "\\t");
      break;
    case '\n':
      lit(out, "\\n");
      break;
    case '\f':
      lit(out, "\\f");
      break;
    case '\r':
      lit(out, "\\r");
      break;
    default: {
      static constexpr char hex[] = "0123456789abcdef";
      char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      out.append(e, 6);
    }
    }
    ++i;
    start = i;
  }
  out.append(p + start, n - start);
  out.push_back('"');
}

void append_json_value(std::string& out, const ValueRecord& value) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, value::Int>) {
          lit(out, "{\"kind\":\"Int\",\"i\":");
          i64(out, x.i);
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::Float>) {
          lit(out, "{\"kind\":\"Float\",\"f\":\"");
          append_float(out, x.f);
          out.push_back('"');
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::Bool>) {
          lit(out, "{\"kind\":\"Bool\",\"b\":");
          boolean(out, x.b);
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::String>) {
          lit(out, "{\"kind\":\"String\",\"text\":");
          append_json_string(out, x.text);
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::Sequence>) {
          lit(out, "{\"kind\":\"Sequence\",\"elements\":");
          values_array(out, x.elements);
          lit(out, ",\"is_slice\":");
          boolean(out, x.is_slice);
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::Tuple>) {
          lit(out, "{\"kind\":\"Tuple\",\"elements\":");
          values_array(out, x.elements);
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::Struct>) {
          lit(out, "{\"kind\":\"Struct\",\"field_values\":");
          values_array(out, x.field_values);
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::Variant>) {
          lit(out, "{\"kind\":\"Variant\",\"discriminator\":");
          append_json_string(out, x.discriminator);
          lit(out, ",\"contents\":");
          append_json_value(out, *x.contents);
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::Reference>) {
          lit(out, "{\"kind\":\"Reference\",\"dereferenced\":");
          append_json_value(out, *x.dereferenced);
          lit(out, ",\"address\":");
          u64(out, x.address);
          lit(out, ",\"mutable\":");
          boolean(out, x.mutable_);
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::Raw>) {
          lit(out, "{\"kind\":\"Raw\",\"r\":");
          append_json_string(out, x.r);
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::Error>) {
          lit(out, "{\"kind\":\"Error\",\"msg\":");
          append_json_string(out, x.msg);
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::None>) {
          lit(out, "{\"kind\":\"None\"");
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::Cell>) {
          lit(out, "{\"kind\":\"Cell\",\"place\":");
          i64(out, x.place);
          out.push_back('}');
        } else if constexpr (std::is_same_v<T, value::BigInt>) {
          lit(out, "{\"kind\":\"BigInt\",\"b\":\"");
          append_base64(out, x.magnitude.data(), x.magnitude.size());
          lit(out, "\",\"negative\":");
          boolean(out, x.negative);
          type_id_tail(out, x.type_id);
        } else if constexpr (std::is_same_v<T, value::Char>) {
          lit(out, "{\"kind\":\"Char\",\"c\":");
          std::string c;
          append_utf8(c, x.c);
          append_json_string(out, c);
          type_id_tail(out, x.type_id);
        }
      },
      value.v);
}

void append_json_type_specific_info(std::string& out, const TypeSpecificInfo& info) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, tsi::None>) {
          lit(out, "{\"kind\":\"None\"}");
        } else if constexpr (std::is_same_v<T, tsi::Struct>) {
          lit(out, "{\"kind\":\"Struct\",\"fields\":[");
          for (std::size_t i = 0; i < x.fields.size(); ++i) {
            if (i)
              out.push_back(',');
            lit(out, "{\"name\":");
            append_json_string(out, x.fields[i].name);
            lit(out, ",\"type_id\":");
            u64(out, x.fields[i].type_id.value);
            out.push_back('}');
          }
          lit(out, "]}");
        } else {
          lit(out, "{\"kind\":\"Pointer\",\"dereference_type_id\":");
          u64(out, x.dereference_type_id.value);
          out.push_back('}');
        }
      },
      info);
}

void append_json_step(std::string& out, PathId path, Line line) {
  lit(out, "{\"Step\":{\"path_id\":");
  u64(out, path.value);
  lit(out, ",\"line\":");
  i64(out, line);
  lit(out, "}}");
}

void append_json_value_event(std::string& out, VariableId id, const ValueRecord& value) {
  lit(out, "{\"Value\":{\"variable_id\":");
  u64(out, id.value);
  lit(out, ",\"value\":");
  append_json_value(out, value);
  lit(out, "}}");
}

void append_json_call(std::string& out, FunctionId fid, std::span<const FullValueRecord> args) {
  lit(out, "{\"Call\":{\"function_id\":");
  u64(out, fid.value);
  lit(out, ",\"args\":[");
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i)
      out.push_back(',');
    full_value(out, args[i]);
  }
  lit(out, "]}}");
}

void append_json_return(std::string& out, const ValueRecord& value) {
  lit(out, "{\"Return\":{\"return_value\":");
  append_json_value(out, value);
  lit(out, "}}");
}

Status append_json_event(std::string& out, const TraceEvent& event) {
  return std::visit(
      [&](const auto& x) -> Status {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, StepRecord>) {
          append_json_step(out, x.path_id, x.line);
        } else if constexpr (std::is_same_v<T, PathRecord>) {
          lit(out, "{\"Path\":");
          append_json_string(out, x.path);
          out.push_back('}');
        } else if constexpr (std::is_same_v<T, VariableNameRecord>) {
          lit(out, "{\"VariableName\":");
          append_json_string(out, x.name);
          out.push_back('}');
        } else if constexpr (std::is_same_v<T, VariableRecord>) {
          lit(out, "{\"Variable\":");
          append_json_string(out, x.name);
          out.push_back('}');
        } else if constexpr (std::is_same_v<T, TypeRecord>) {
          lit(out, "{\"Type\":{\"kind\":");
          u64(out, static_cast<std::uint8_t>(x.kind));
          lit(out, ",\"lang_type\":");
          append_json_string(out, x.lang_type);
          lit(out, ",\"specific_info\":");
          append_json_type_specific_info(out, x.specific_info);
          lit(out, "}}");
        } else if constexpr (std::is_same_v<T, FullValueRecord>) {
          append_json_value_event(out, x.variable_id, x.value);
        } else if constexpr (std::is_same_v<T, FunctionRecord>) {
          lit(out, "{\"Function\":{\"path_id\":");
          u64(out, x.path_id.value);
          lit(out, ",\"line\":");
          i64(out, x.line);
          lit(out, ",\"name\":");
          append_json_string(out, x.name);
          lit(out, "}}");
        } else if constexpr (std::is_same_v<T, CallRecord>) {
          append_json_call(out, x.function_id, x.args);
        } else if constexpr (std::is_same_v<T, ReturnRecord>) {
          append_json_return(out, x.return_value);
        } else if constexpr (std::is_same_v<T, RecordEvent>) {
          lit(out, "{\"Event\":{\"kind\":");
          u64(out, static_cast<std::uint8_t>(x.kind));
          lit(out, ",\"metadata\":");
          append_json_string(out, x.metadata);
          lit(out, ",\"content\":");
          append_json_string(out, x.content);
          lit(out, "}}");
        } else if constexpr (std::is_same_v<T, AsmRecord>) {
          lit(out, "{\"Asm\":[");
          for (std::size_t i = 0; i < x.lines.size(); ++i) {
            if (i)
              out.push_back(',');
            append_json_string(out, x.lines[i]);
          }
          lit(out, "]}");
        } else if constexpr (std::is_same_v<T, BindVariableRecord>) {
          lit(out, "{\"BindVariable\":{\"variable_id\":");
          u64(out, x.variable_id.value);
          lit(out, ",\"place\":");
          i64(out, x.place);
          lit(out, "}}");
        } else if constexpr (std::is_same_v<T, AssignmentRecord>) {
          return Status::error("Assignment events cannot be serialized (TRACE_FORMAT.md §2.7)");
        } else if constexpr (std::is_same_v<T, DropVariablesRecord>) {
          lit(out, "{\"DropVariables\":[");
          for (std::size_t i = 0; i < x.variable_ids.size(); ++i) {
            if (i)
              out.push_back(',');
            u64(out, x.variable_ids[i].value);
          }
          lit(out, "]}");
        } else if constexpr (std::is_same_v<T, CompoundValueRecord>) {
          place_value(out, "{\"CompoundValue\":{\"place\":", x.place, ",\"value\":", x.value);
        } else if constexpr (std::is_same_v<T, CellValueRecord>) {
          place_value(out, "{\"CellValue\":{\"place\":", x.place, ",\"value\":", x.value);
        } else if constexpr (std::is_same_v<T, AssignCompoundItemRecord>) {
          lit(out, "{\"AssignCompoundItem\":{\"place\":");
          i64(out, x.place);
          lit(out, ",\"index\":");
          u64(out, x.index);
          lit(out, ",\"item_place\":");
          i64(out, x.item_place);
          lit(out, "}}");
        } else if constexpr (std::is_same_v<T, AssignCellRecord>) {
          place_value(out, "{\"AssignCell\":{\"place\":", x.place, ",\"new_value\":", x.new_value);
        } else if constexpr (std::is_same_v<T, VariableCellRecord>) {
          lit(out, "{\"VariableCell\":{\"variable_id\":");
          u64(out, x.variable_id.value);
          lit(out, ",\"place\":");
          i64(out, x.place);
          lit(out, "}}");
        } else if constexpr (std::is_same_v<T, DropVariableRecord>) {
          lit(out, "{\"DropVariable\":");
          u64(out, x.variable_id.value);
          out.push_back('}');
        } else if constexpr (std::is_same_v<T, ThreadStartRecord>) {
          lit(out, "{\"ThreadStart\":");
          u64(out, x.thread_id.value);
          out.push_back('}');
        } else if constexpr (std::is_same_v<T, ThreadExitRecord>) {
          lit(out, "{\"ThreadExit\":");
          u64(out, x.thread_id.value);
          out.push_back('}');
        } else if constexpr (std::is_same_v<T, ThreadSwitchRecord>) {
          lit(out, "{\"ThreadSwitch\":");
          u64(out, x.thread_id.value);
          out.push_back('}');
        } else if constexpr (std::is_same_v<T, DropLastStepRecord>) {
          lit(out, "\"DropLastStep\"");
        }
        return Status::ok();
      },
      event);
}

Result<std::string> to_json(const TraceEvent& event) {
  std::string s;
  Status st = append_json_event(s, event);
  if (!st)
    return st;
  return s;
}

std::string value_to_json(const ValueRecord& value) {
  std::string s;
  append_json_value(s, value);
  return s;
}

std::string metadata_to_json(const TraceMetadata& m) {
  std::string s;
  lit(s, "{\"recording_id\":");
  append_json_string(s, m.recording_id);
  lit(s, ",\"workdir\":");
  append_json_string(s, m.workdir);
  lit(s, ",\"program\":");
  append_json_string(s, m.program);
  lit(s, ",\"args\":[");
  for (std::size_t i = 0; i < m.args.size(); ++i) {
    if (i)
      s.push_back(',');
    append_json_string(s, m.args[i]);
  }
  lit(s, "]}");
  return s;
}

std::string paths_to_json(const std::vector<std::string>& paths) {
  std::string s = "[";
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (i)
      s.push_back(',');
    append_json_string(s, paths[i]);
  }
  s.push_back(']');
  return s;
}

} // namespace trace_record
