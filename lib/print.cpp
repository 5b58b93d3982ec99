// The line-per-event text form (print.h).
#include "trace_record/print.h"

#include <charconv>

#include "trace_record/float_text.h"
#include "trace_record/text.h"

namespace trace_record {

namespace {

constexpr const char* kTypeKindNames[] = {
    "Seq",       "Set",       "HashSet", "OrderedSet",  "Array",        "Varargs",   "Struct",
    "Int",       "Float",     "String",  "CString",     "Char",         "Bool",      "Literal",
    "Ref",       "Recursion", "Raw",     "Enum",        "Enum16",       "Enum32",    "C",
    "TableKind", "Union",     "Pointer", "Error",       "FunctionKind", "TypeValue", "Tuple",
    "Variant",   "Html",      "None",    "NonExpanded", "Any",          "Slice"};
constexpr const char* kEventKindNames[] = {
    "Write",   "WriteFile", "WriteOther", "Read", "ReadFile", "ReadOther",     "ReadDir",
    "OpenDir", "CloseDir",  "Socket",     "Open", "Error",    "TraceLogEvent", "EvmEvent"};

void num(std::string& out, std::int64_t v) {
  char b[24];
  auto r = std::to_chars(b, b + sizeof b, v);
  out.append(b, std::size_t(r.ptr - b));
}
void unum(std::string& out, std::uint64_t v) {
  char b[24];
  auto r = std::to_chars(b, b + sizeof b, v);
  out.append(b, std::size_t(r.ptr - b));
}

std::string_view basename(std::string_view p) {
  auto s = p.rfind('/');
  return s == std::string_view::npos ? p : p.substr(s + 1);
}

} // namespace

void append_quoted(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (u < 0x20 || u == 0x7F) {
        static constexpr char hex[] = "0123456789abcdef";
        out += "\\x";
        out.push_back(hex[u >> 4]);
        out.push_back(hex[u & 15]);
      } else {
        out.push_back(c);
      }
    }
  }
  out.push_back('"');
}

std::string bigint_decimal(const value::BigInt& b) {
  std::vector<std::uint8_t> mag = b.magnitude;
  std::string digits;
  bool nonzero = true;
  while (nonzero) {
    nonzero = false;
    unsigned rem = 0;
    for (auto& byte : mag) {
      unsigned cur = rem * 256 + byte;
      byte = std::uint8_t(cur / 10);
      rem = cur % 10;
      if (byte)
        nonzero = true;
    }
    digits.push_back(char('0' + rem));
  }
  if (b.negative && digits != "0")
    digits.push_back('-');
  return std::string(digits.rbegin(), digits.rend());
}

void EventPrinter::append_path(std::string& out, std::uint64_t id) const {
  if (id < paths_.size()) {
    out.append(options_.full_paths ? std::string_view(paths_[id]) : basename(paths_[id]));
  } else {
    out += "?path";
    unum(out, id);
  }
}

void EventPrinter::append_variable(std::string& out, std::uint64_t id) const {
  if (id < variables_.size()) {
    out += variables_[id];
  } else {
    out += "?var";
    unum(out, id);
  }
}

void EventPrinter::append_type(std::string& out, std::uint64_t id) const {
  if (id < types_.size()) {
    out += types_[id].lang_type;
  } else {
    out += "?type";
    unum(out, id);
  }
}

void EventPrinter::append_full(std::string& out, const FullValueRecord& v) const {
  append_variable(out, v.variable_id.value);
  if (options_.types) {
    out += ": ";
    std::visit(
        [&](const auto& x) {
          if constexpr (requires { x.type_id; })
            append_type(out, x.type_id.value);
          else
            out += "?";
        },
        v.value.v);
  }
}

void EventPrinter::append_value(std::string& out, const ValueRecord& value) const {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        auto list = [&](const std::vector<ValueRecord>& vs, char open, char close) {
          out.push_back(open);
          for (std::size_t i = 0; i < vs.size(); ++i) {
            if (i)
              out += ", ";
            append_value(out, vs[i]);
          }
          out.push_back(close);
        };
        if constexpr (std::is_same_v<T, value::Int>)
          num(out, x.i);
        else if constexpr (std::is_same_v<T, value::Float>)
          append_float(out, x.f);
        else if constexpr (std::is_same_v<T, value::Bool>)
          out += x.b ? "true" : "false";
        else if constexpr (std::is_same_v<T, value::String>)
          append_quoted(out, x.text);
        else if constexpr (std::is_same_v<T, value::Sequence>) {
          if (x.is_slice)
            out.push_back('&');
          list(x.elements, '[', ']');
        } else if constexpr (std::is_same_v<T, value::Tuple>)
          list(x.elements, '(', ')');
        else if constexpr (std::is_same_v<T, value::Struct>) {
          const tsi::Struct* st = nullptr;
          if (x.type_id.value < types_.size()) {
            out += types_[x.type_id.value].lang_type;
            st = std::get_if<tsi::Struct>(&types_[x.type_id.value].specific_info);
          }
          out.push_back('{');
          for (std::size_t i = 0; i < x.field_values.size(); ++i) {
            if (i)
              out += ", ";
            if (st && i < st->fields.size())
              out += st->fields[i].name;
            else
              unum(out, i);
            out += ": ";
            append_value(out, x.field_values[i]);
          }
          out.push_back('}');
        } else if constexpr (std::is_same_v<T, value::Variant>) {
          out += x.discriminator;
          out.push_back('(');
          append_value(out, *x.contents);
          out.push_back(')');
        } else if constexpr (std::is_same_v<T, value::Reference>) {
          char b[24];
          auto r = std::to_chars(b, b + sizeof b, x.address, 16);
          out += "0x";
          out.append(b, std::size_t(r.ptr - b));
          out += x.mutable_ ? " -> " : " => ";
          append_value(out, *x.dereferenced);
        } else if constexpr (std::is_same_v<T, value::Raw>)
          out += x.r;
        else if constexpr (std::is_same_v<T, value::Error>) {
          out += "<error: ";
          out += x.msg;
          out += ">";
        } else if constexpr (std::is_same_v<T, value::None>)
          out += "None";
        else if constexpr (std::is_same_v<T, value::Cell>) {
          out += "<cell ";
          num(out, x.place);
          out += ">";
        } else if constexpr (std::is_same_v<T, value::BigInt>)
          out += bigint_decimal(x);
        else if constexpr (std::is_same_v<T, value::Char>) {
          out.push_back('\'');
          append_utf8(out, x.c);
          out.push_back('\'');
        }
      },
      value.v);
}

void EventPrinter::append_line(std::string& out, std::uint64_t index, const TraceEvent& event) {
  unum(out, index);
  out.push_back(' ');
  out += event_variant_name(event);
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, StepRecord>) {
          out.push_back(' ');
          append_path(out, x.path_id.value);
          out.push_back(':');
          num(out, x.line);
        } else if constexpr (std::is_same_v<T, PathRecord>) {
          out += " #";
          unum(out, paths_.size());
          out.push_back(' ');
          append_quoted(out, x.path);
          paths_.push_back(x.path);
        } else if constexpr (std::is_same_v<T, VariableNameRecord> ||
                             std::is_same_v<T, VariableRecord>) {
          out += " #";
          unum(out, variables_.size());
          out.push_back(' ');
          out += x.name;
          variables_.push_back(x.name);
        } else if constexpr (std::is_same_v<T, TypeRecord>) {
          out += " #";
          unum(out, types_.size());
          out.push_back(' ');
          out += x.lang_type;
          out.push_back(' ');
          auto k = static_cast<unsigned>(x.kind);
          out += k < kTypeKindCount ? kTypeKindNames[k] : "?";
          if (auto* s = std::get_if<tsi::Struct>(&x.specific_info)) {
            out += " {";
            for (std::size_t i = 0; i < s->fields.size(); ++i) {
              if (i)
                out += ", ";
              out += s->fields[i].name;
              out += ": ";
              append_type(out, s->fields[i].type_id.value);
            }
            out += "}";
          } else if (auto* p = std::get_if<tsi::Pointer>(&x.specific_info)) {
            out += " -> ";
            append_type(out, p->dereference_type_id.value);
          }
          types_.push_back(x);
        } else if constexpr (std::is_same_v<T, FullValueRecord>) {
          out.push_back(' ');
          append_full(out, x);
          out += " = ";
          append_value(out, x.value);
        } else if constexpr (std::is_same_v<T, FunctionRecord>) {
          out += " #";
          unum(out, functions_.size());
          out.push_back(' ');
          out += x.name;
          out.push_back(' ');
          append_path(out, x.path_id.value);
          out.push_back(':');
          num(out, x.line);
          functions_.push_back(x.name);
        } else if constexpr (std::is_same_v<T, CallRecord>) {
          out.push_back(' ');
          if (x.function_id.value < functions_.size()) {
            out += functions_[x.function_id.value];
          } else {
            out += "?fn";
            unum(out, x.function_id.value);
          }
          out.push_back('(');
          for (std::size_t i = 0; i < x.args.size(); ++i) {
            if (i)
              out += ", ";
            append_full(out, x.args[i]);
            out.push_back('=');
            append_value(out, x.args[i].value);
          }
          out.push_back(')');
        } else if constexpr (std::is_same_v<T, ReturnRecord>) {
          out.push_back(' ');
          append_value(out, x.return_value);
        } else if constexpr (std::is_same_v<T, RecordEvent>) {
          out.push_back(' ');
          auto k = static_cast<unsigned>(x.kind);
          out += k < kEventLogKindCount ? kEventKindNames[k] : "?";
          out.push_back(' ');
          append_quoted(out, x.content);
          if (!x.metadata.empty()) {
            out += " metadata=";
            append_quoted(out, x.metadata);
          }
        } else if constexpr (std::is_same_v<T, AsmRecord>) {
          out += " [";
          for (std::size_t i = 0; i < x.lines.size(); ++i) {
            if (i)
              out += ", ";
            append_quoted(out, x.lines[i]);
          }
          out += "]";
        } else if constexpr (std::is_same_v<T, BindVariableRecord> ||
                             std::is_same_v<T, VariableCellRecord>) {
          out.push_back(' ');
          append_variable(out, x.variable_id.value);
          out += " place=";
          num(out, x.place);
        } else if constexpr (std::is_same_v<T, AssignmentRecord>) {
          out += " ";
          append_variable(out, x.to.value);
        } else if constexpr (std::is_same_v<T, DropVariablesRecord>) {
          for (std::size_t i = 0; i < x.variable_ids.size(); ++i) {
            out += i ? ", " : " ";
            append_variable(out, x.variable_ids[i].value);
          }
        } else if constexpr (std::is_same_v<T, CompoundValueRecord> ||
                             std::is_same_v<T, CellValueRecord>) {
          out += " place=";
          num(out, x.place);
          out += " ";
          append_value(out, x.value);
        } else if constexpr (std::is_same_v<T, AssignCompoundItemRecord>) {
          out += " place=";
          num(out, x.place);
          out += " index=";
          unum(out, x.index);
          out += " item_place=";
          num(out, x.item_place);
        } else if constexpr (std::is_same_v<T, AssignCellRecord>) {
          out += " place=";
          num(out, x.place);
          out += " ";
          append_value(out, x.new_value);
        } else if constexpr (std::is_same_v<T, DropVariableRecord>) {
          out += " ";
          append_variable(out, x.variable_id.value);
        } else if constexpr (std::is_same_v<T, ThreadStartRecord> ||
                             std::is_same_v<T, ThreadExitRecord> ||
                             std::is_same_v<T, ThreadSwitchRecord>) {
          out += " ";
          unum(out, x.thread_id.value);
        }
      },
      event);
}

} // namespace trace_record
