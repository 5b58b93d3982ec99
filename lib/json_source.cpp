// Streaming pull reader for trace.json (TRACE_FORMAT.md §4, tolerance §8).
//
// The file is read in chunks. Each top-level element (one event) is parsed
// into a small reusable node tree (bounded nesting, no recursion blow-up),
// then mapped to a TraceEvent. Memory is proportional to the largest event,
// not to the file.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <deque>

#include "event_file_lock.h"
#include "input_file.h"
#include "trace_record/float_text.h"
#include "trace_record/json.h"
#include "trace_record/source.h"
#include "trace_record/text.h"

namespace trace_record {

namespace {

constexpr std::size_t kChunk = 1u << 20;
constexpr int kMaxDepth = 127; // nested arrays/objects, counting the outer '[' (CONTRACT §5)

enum class NodeType : std::uint8_t { Null, Bool, Number, String, Array, Object };

struct Node {
  NodeType type = NodeType::Null;
  bool b = false;
  std::string_view text; // Number: raw text; String: decoded contents
  std::string_view key;  // when a member of an object
  std::uint64_t offset = 0;
  std::uint32_t first = 0, count = 0; // children: indexes into `kids`
};

struct ParseError {
  std::uint64_t offset;
  std::string what;
};

const char* node_type_name(NodeType t) {
  switch (t) {
  case NodeType::Null:
    return "null";
  case NodeType::Bool:
    return "a boolean";
  case NodeType::Number:
    return "a number";
  case NodeType::String:
    return "a string";
  case NodeType::Array:
    return "an array";
  case NodeType::Object:
    return "an object";
  }
  return "?";
}

class JsonSource final : public EventSource {
public:
  JsonSource(int fd, std::string name, const ReadLimits& limits)
      : fd_(fd), name_(std::move(name)), limits_(limits) {}
  JsonSource(std::string data, std::string name)
      : fd_(-1), name_(std::move(name)), buf_(std::move(data)), eof_(true) {}
  ~JsonSource() override {
    if (fd_ >= 0)
      ::close(fd_);
  }

  ReadState next(TraceEvent& event) override;
  const std::string& message() const override { return message_; }
  TraceFormat format() const override { return TraceFormat::Json; }
  std::uint64_t offset() const override { return base_ + pos_; }
  WriterState writer_state() const override { return detail::event_file_writer_state(fd_); }

private:
  enum class Top { BeforeArray, AfterOpen, AfterElement, AfterComma, Done, Failed };

  // Returns false at EOF (nothing more could be read).
  bool fill() {
    if (eof_)
      return false;
    if (pos_ > 0 && pos_ >= buf_.size() / 2) {
      buf_.erase(0, pos_);
      base_ += pos_;
      pos_ = 0;
    }
    std::size_t old = buf_.size();
    // Grow geometrically while one event is larger than the buffer, so that the
    // restarts of a huge event's parse cost O(size), not O(size^2).
    const std::size_t want = std::max(kChunk, old - pos_);
    buf_.resize(old + want);
    for (;;) {
      ssize_t r = ::read(fd_, buf_.data() + old, want);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0) {
        buf_.resize(old);
        io_error_ = std::strerror(errno);
        eof_ = true;
        return false;
      }
      buf_.resize(old + std::size_t(r));
      if (r == 0)
        eof_ = true;
      return r > 0;
    }
  }

  ReadState fail(ReadState st, std::uint64_t off, const std::string& what) {
    message_ = name_ + ": offset " + std::to_string(off) + ": " + what;
    top_ = Top::Failed;
    state_ = st;
    return st;
  }

  // Skips whitespace at pos_, refilling; returns the next char or -1 at EOF.
  int peek_top() {
    for (;;) {
      while (pos_ < buf_.size()) {
        char c = buf_[pos_];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
          ++pos_;
        else
          return static_cast<unsigned char>(c);
      }
      if (!fill())
        return -1;
    }
  }

  // --- element parsing over buf_[p .. end) --------------------------------
  struct NeedMore {};
  std::size_t p_ = 0;
  [[noreturn]] void perr(std::size_t at, std::string what) {
    throw ParseError{base_ + at, std::move(what)};
  }
  char cur() {
    if (p_ >= buf_.size())
      throw NeedMore{};
    return buf_[p_];
  }
  void ws() {
    for (;;) {
      char c = cur();
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
        ++p_;
      else
        return;
    }
  }
  void expect_lit(const char* lit) {
    std::size_t at = p_;
    for (const char* q = lit; *q; ++q) {
      if (cur() != *q)
        perr(at, std::string("expected a JSON value (") + lit + "?)");
      ++p_;
    }
  }
  std::uint32_t parse_value(int depth);
  std::string_view parse_string();
  void parse_number(Node& n);

  std::vector<Node> nodes_;
  std::vector<std::uint32_t> kids_;
  std::vector<std::uint32_t> stack_;
  std::deque<std::string> strings_;

  // --- mapping -------------------------------------------------------------
  const Node& N(std::uint32_t i) const { return nodes_[i]; }
  std::uint32_t kid(const Node& n, std::uint32_t k) const { return kids_[n.first + k]; }
  [[noreturn]] void type_err(const Node& n, const char* want) {
    const char* found =
        n.type == NodeType::Number && n.b ? "a floating-point number" : node_type_name(n.type);
    throw ParseError{n.offset, std::string("expected ") + want + ", found " + found};
  }
  const Node* field(const Node& obj, std::string_view key) {
    const Node* found = nullptr;
    for (std::uint32_t k = 0; k < obj.count; ++k) {
      const Node& c = N(kid(obj, k));
      if (c.key == key) {
        if (found)
          throw ParseError{c.offset, "duplicate field \"" + std::string(key) + "\""};
        found = &c;
      }
    }
    return found;
  }
  const Node& req(const Node& obj, std::string_view key, const char* ctx) {
    const Node* f = field(obj, key);
    if (!f)
      throw ParseError{obj.offset,
                       std::string("missing field \"") + std::string(key) + "\" in " + ctx};
    return *f;
  }
  const Node& obj(const Node& n, const char* what) {
    if (n.type != NodeType::Object)
      type_err(n, what);
    return n;
  }
  std::uint64_t u64(const Node& n, std::uint64_t max = UINT64_MAX) {
    if (n.type != NodeType::Number || n.b)
      type_err(n, "an unsigned integer");
    std::uint64_t v = 0;
    auto r = std::from_chars(n.text.data(), n.text.data() + n.text.size(), v);
    if (r.ec != std::errc() || r.ptr != n.text.data() + n.text.size() || v > max) {
      if (!n.text.empty() && n.text[0] == '-')
        throw ParseError{n.offset,
                         "expected an unsigned integer, found negative " + std::string(n.text)};
      throw ParseError{n.offset, "integer out of range: " + std::string(n.text)};
    }
    return v;
  }
  std::int64_t i64(const Node& n) {
    if (n.type != NodeType::Number || n.b)
      type_err(n, "an integer");
    std::int64_t v = 0;
    auto r = std::from_chars(n.text.data(), n.text.data() + n.text.size(), v);
    if (r.ec != std::errc() || r.ptr != n.text.data() + n.text.size())
      throw ParseError{n.offset, "integer out of range: " + std::string(n.text)};
    return v;
  }
  bool boolean(const Node& n) {
    if (n.type != NodeType::Bool)
      type_err(n, "a boolean");
    return n.b;
  }
  std::string str(const Node& n) {
    if (n.type != NodeType::String)
      type_err(n, "a string");
    return std::string(n.text);
  }
  const Node& arr(const Node& n) {
    if (n.type != NodeType::Array)
      type_err(n, "an array");
    return n;
  }
  ValueRecord value(const Node& n);
  std::vector<ValueRecord> values(const Node& n) {
    arr(n);
    std::vector<ValueRecord> out;
    out.reserve(n.count);
    for (std::uint32_t k = 0; k < n.count; ++k)
      out.push_back(value(N(kid(n, k))));
    return out;
  }
  FullValueRecord full_value(const Node& n) {
    obj(n, "an object {variable_id, value}");
    return FullValueRecord{VariableId{u64(req(n, "variable_id", "value"))},
                           value(req(n, "value", "value"))};
  }
  TypeSpecificInfo specific_info(const Node& n);
  TraceEvent event(const Node& n);

  int fd_;
  std::string name_;
  ReadLimits limits_;
  // Parse nodes one event may take: max_event_memory over what a node costs here
  // (the node, its index in kids_ and on stack_).
  std::size_t max_nodes() const {
    return std::size_t(limits_.max_event_memory / (sizeof(Node) + 2 * sizeof(std::uint32_t)));
  }
  std::string buf_;
  std::size_t pos_ = 0;
  std::uint64_t base_ = 0;
  bool eof_ = false;
  std::string io_error_;
  Top top_ = Top::BeforeArray;
  ReadState state_ = ReadState::Event;
  std::string message_;
  std::uint64_t index_ = 0;
};

std::string_view JsonSource::parse_string() {
  // at '"'
  ++p_;
  std::size_t start = p_;
  std::string* out = nullptr;
  for (;;) {
    if (!out) { // fast path: plain ASCII needs no copy and no checks
      const char* b = buf_.data();
      const std::size_t n = buf_.size();
      while (p_ < n) {
        const unsigned char q = static_cast<unsigned char>(b[p_]);
        if (q == '"' || q == '\\' || q < 0x20 || q >= 0x80)
          break;
        ++p_;
      }
    }
    char c = cur();
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"') {
      std::string_view v =
          out ? std::string_view(*out) : std::string_view(buf_.data() + start, p_ - start);
      ++p_;
      return v;
    }
    if (u < 0x20)
      perr(p_, "control character in string (expected an escape)");
    if (c == '\\') {
      if (!out) {
        strings_.emplace_back(buf_.data() + start, p_ - start);
        out = &strings_.back();
      }
      ++p_;
      char e = cur();
      switch (e) {
      case '"':
        out->push_back('"');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '/':
        out->push_back('/');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u': {
        auto hex4 = [&]() -> std::uint32_t {
          std::uint32_t v = 0;
          for (int k = 0; k < 4; ++k) {
            ++p_;
            char h = cur();
            int d = (h >= '0' && h <= '9')   ? h - '0'
                    : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                    : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                             : -1;
            if (d < 0)
              perr(p_, "expected a hex digit in \\u escape");
            v = v * 16 + std::uint32_t(d);
          }
          return v;
        };
        std::size_t esc_at = p_ - 1;
        std::uint32_t cp = hex4();
        if (cp >= 0xDC00 && cp <= 0xDFFF)
          perr(esc_at, "lone trailing surrogate in \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          ++p_;
          if (cur() != '\\')
            perr(p_, "lone leading surrogate in \\u escape");
          ++p_;
          if (cur() != 'u')
            perr(p_, "lone leading surrogate in \\u escape");
          std::uint32_t lo = hex4();
          if (lo < 0xDC00 || lo > 0xDFFF)
            perr(esc_at, "invalid surrogate pair in \\u escape");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        append_utf8(*out, char32_t(cp));
        break;
      }
      default:
        perr(p_, "invalid escape in string");
      }
      ++p_;
      continue;
    }
    if (u >= 0x80) {
      // need the whole sequence in the buffer to judge it
      if (p_ + 4 > buf_.size() && !eof_)
        throw NeedMore{};
      std::size_t bad = 0;
      std::size_t len = utf8_sequence_length(buf_, p_, &bad);
      if (len == 0 && p_ + bad >= buf_.size())
        throw NeedMore{}; // cut at end of file
      if (len == 0)
        perr(p_, "invalid UTF-8 in string");
      if (out)
        out->append(buf_.data() + p_, len);
      p_ += len;
      continue;
    }
    if (out)
      out->push_back(c);
    ++p_;
  }
}

void JsonSource::parse_number(Node& n) {
  std::size_t s = p_;
  if (cur() == '-')
    ++p_;
  auto digit = [&] { return cur() >= '0' && cur() <= '9'; };
  if (!digit())
    perr(p_, "expected a digit");
  if (cur() == '0') {
    ++p_;
  } else {
    while (digit())
      ++p_;
  }
  bool is_float = false;
  if (cur() == '.') {
    is_float = true;
    ++p_;
    if (!digit())
      perr(p_, "expected a digit after '.'");
    while (digit())
      ++p_;
  }
  if (cur() == 'e' || cur() == 'E') {
    is_float = true;
    ++p_;
    if (cur() == '+' || cur() == '-')
      ++p_;
    if (!digit())
      perr(p_, "expected a digit in exponent");
    while (digit())
      ++p_;
  }
  n.type = NodeType::Number;
  n.text = std::string_view(buf_.data() + s, p_ - s);
  if (is_float)
    n.b = true; // marks a floating-point literal
}

std::uint32_t JsonSource::parse_value(int depth) {
  ws();
  if (nodes_.size() >= max_nodes()) [[unlikely]]
    perr(p_, "event " + std::to_string(index_) + " takes more than " +
                 std::to_string(limits_.max_event_memory >> 20) +
                 " MiB to decode (the limit; --max-event-size raises it)");
  const std::uint32_t idx = std::uint32_t(nodes_.size());
  nodes_.emplace_back();
  nodes_[idx].offset = base_ + p_;
  char c = cur();
  switch (c) {
  case '{':
  case '[': {
    if (depth + 1 > kMaxDepth)
      perr(p_, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    const bool is_obj = c == '{';
    nodes_[idx].type = is_obj ? NodeType::Object : NodeType::Array;
    ++p_;
    const std::size_t mark = stack_.size();
    ws();
    if (cur() == (is_obj ? '}' : ']')) {
      ++p_;
    } else {
      for (;;) {
        std::string_view key;
        if (is_obj) {
          ws();
          if (cur() != '"')
            perr(p_, "expected '\"' (an object key)");
          key = parse_string();
          ws();
          if (cur() != ':')
            perr(p_, "expected ':'");
          ++p_;
        }
        std::uint32_t child = parse_value(depth + 1);
        nodes_[child].key = key;
        stack_.push_back(child);
        ws();
        char d = cur();
        if (d == ',') {
          ++p_;
          continue;
        }
        if (d == (is_obj ? '}' : ']')) {
          ++p_;
          break;
        }
        perr(p_, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
      }
    }
    nodes_[idx].first = std::uint32_t(kids_.size());
    nodes_[idx].count = std::uint32_t(stack_.size() - mark);
    kids_.insert(kids_.end(), stack_.begin() + std::ptrdiff_t(mark), stack_.end());
    stack_.resize(mark);
    break;
  }
  case '"': {
    std::string_view s = parse_string();
    nodes_[idx].type = NodeType::String;
    nodes_[idx].text = s;
    break;
  }
  case 't':
    expect_lit("true");
    nodes_[idx].type = NodeType::Bool;
    nodes_[idx].b = true;
    break;
  case 'f':
    expect_lit("false");
    nodes_[idx].type = NodeType::Bool;
    break;
  case 'n':
    expect_lit("null");
    nodes_[idx].type = NodeType::Null;
    break;
  default:
    if (c == '-' || (c >= '0' && c <= '9')) {
      Node n;
      parse_number(n);
      nodes_[idx].type = n.type;
      nodes_[idx].text = n.text;
      nodes_[idx].b = n.b;
    } else {
      perr(p_, "expected a JSON value");
    }
  }
  return idx;
}

ValueRecord JsonSource::value(const Node& n) {
  obj(n, "a value object {\"kind\":...}");
  const Node& k = req(n, "kind", "value");
  if (k.type != NodeType::String)
    type_err(k, "a string (value kind)");
  std::string_view kind = k.text;
  auto tid = [&] { return TypeId{u64(req(n, "type_id", "value"))}; };
  if (kind == "Int")
    return value::Int{i64(req(n, "i", "Int")), tid()};
  if (kind == "Float") {
    const Node& f = req(n, "f", "Float");
    if (f.type != NodeType::String)
      type_err(f, "a string (Float.f)");
    auto d = parse_float(f.text);
    if (!d)
      throw ParseError{f.offset, "invalid float text \"" + std::string(f.text) + "\""};
    return value::Float{*d, tid()};
  }
  if (kind == "Bool")
    return value::Bool{boolean(req(n, "b", "Bool")), tid()};
  if (kind == "String")
    return value::String{str(req(n, "text", "String")), tid()};
  if (kind == "Sequence") {
    auto el = values(req(n, "elements", "Sequence"));
    bool sl = boolean(req(n, "is_slice", "Sequence"));
    return value::Sequence{std::move(el), sl, tid()};
  }
  if (kind == "Tuple")
    return value::Tuple{values(req(n, "elements", "Tuple")), tid()};
  if (kind == "Struct")
    return value::Struct{values(req(n, "field_values", "Struct")), tid()};
  if (kind == "Variant") {
    std::string d = str(req(n, "discriminator", "Variant"));
    ValueRecord c = value(req(n, "contents", "Variant"));
    return value::Variant{std::move(d), std::move(c), tid()};
  }
  if (kind == "Reference") {
    ValueRecord d = value(req(n, "dereferenced", "Reference"));
    std::uint64_t a = u64(req(n, "address", "Reference"));
    bool m = boolean(req(n, "mutable", "Reference"));
    return value::Reference{std::move(d), a, m, tid()};
  }
  if (kind == "Raw")
    return value::Raw{str(req(n, "r", "Raw")), tid()};
  if (kind == "Error")
    return value::Error{str(req(n, "msg", "Error")), tid()};
  if (kind == "None")
    return value::None{tid()};
  if (kind == "Cell")
    return value::Cell{i64(req(n, "place", "Cell"))};
  if (kind == "BigInt") {
    const Node& b = req(n, "b", "BigInt");
    if (b.type != NodeType::String)
      type_err(b, "a base64 string (BigInt.b)");
    auto mag = decode_base64(b.text);
    if (!mag)
      throw ParseError{b.offset, "invalid base64 in BigInt.b"};
    bool neg = boolean(req(n, "negative", "BigInt"));
    return value::BigInt{std::move(*mag), neg, tid()};
  }
  if (kind == "Char") {
    const Node& c = req(n, "c", "Char");
    if (c.type != NodeType::String)
      type_err(c, "a string (Char.c)");
    auto cp = single_scalar(c.text);
    if (!cp)
      throw ParseError{c.offset, "expected exactly one character in Char.c"};
    return value::Char{*cp, tid()};
  }
  throw ParseError{k.offset, "unknown value kind \"" + std::string(kind) + "\""};
}

TypeSpecificInfo JsonSource::specific_info(const Node& n) {
  obj(n, "an object (specific_info)");
  const Node& k = req(n, "kind", "specific_info");
  if (k.type != NodeType::String)
    type_err(k, "a string (specific_info kind)");
  if (k.text == "None")
    return tsi::None{};
  if (k.text == "Struct") {
    const Node& fs = arr(req(n, "fields", "specific_info Struct"));
    tsi::Struct s;
    for (std::uint32_t i = 0; i < fs.count; ++i) {
      const Node& f = obj(N(kid(fs, i)), "an object {name, type_id}");
      s.fields.push_back({str(req(f, "name", "field")), TypeId{u64(req(f, "type_id", "field"))}});
    }
    return s;
  }
  if (k.text == "Pointer")
    return tsi::Pointer{TypeId{u64(req(n, "dereference_type_id", "specific_info Pointer"))}};
  throw ParseError{k.offset, "unknown specific_info kind \"" + std::string(k.text) + "\""};
}

TraceEvent JsonSource::event(const Node& n) {
  if (n.type == NodeType::String) {
    if (n.text == "DropLastStep")
      return DropLastStepRecord{};
    throw ParseError{n.offset, "unknown unit variant \"" + std::string(n.text) + "\""};
  }
  if (n.type != NodeType::Object)
    type_err(n, "an event object {\"Variant\":...}");
  if (n.count != 1)
    throw ParseError{n.offset, n.count == 0 ? "expected an event object with one key, found {}"
                                            : "expected an event object with exactly one key"};
  const Node& p = N(kid(n, 0));
  const std::string_view v = p.key;
  const int idx = event_variant_index(v);
  switch (idx) {
  case 0: {
    obj(p, "an object (Step)");
    return StepRecord{PathId{u64(req(p, "path_id", "Step"))}, i64(req(p, "line", "Step"))};
  }
  case 1:
    return PathRecord{str(p)};
  case 2:
    return VariableNameRecord{str(p)};
  case 3:
    return VariableRecord{str(p)};
  case 4: {
    obj(p, "an object (Type)");
    const Node& k = req(p, "kind", "Type");
    std::uint64_t kind = u64(k, 255);
    if (kind >= kTypeKindCount)
      throw ParseError{k.offset, "TypeKind " + std::to_string(kind) + " out of range (0..33)"};
    std::string lt = str(req(p, "lang_type", "Type"));
    return TypeRecord{TypeKind(kind), std::move(lt),
                      specific_info(req(p, "specific_info", "Type"))};
  }
  case 5:
    return full_value(p);
  case 6: {
    obj(p, "an object (Function)");
    return FunctionRecord{PathId{u64(req(p, "path_id", "Function"))},
                          i64(req(p, "line", "Function")), str(req(p, "name", "Function"))};
  }
  case 7: {
    obj(p, "an object (Call)");
    CallRecord c{FunctionId{u64(req(p, "function_id", "Call"))}, {}};
    if (const Node* a = field(p, "args")) {
      arr(*a);
      for (std::uint32_t i = 0; i < a->count; ++i)
        c.args.push_back(full_value(N(kid(*a, i))));
    }
    return c;
  }
  case 8: {
    obj(p, "an object (Return)");
    return ReturnRecord{value(req(p, "return_value", "Return"))};
  }
  case 9: {
    obj(p, "an object (Event)");
    const Node& k = req(p, "kind", "Event");
    std::uint64_t kind = u64(k, 255);
    if (kind >= kEventLogKindCount)
      throw ParseError{k.offset, "EventLogKind " + std::to_string(kind) + " out of range (0..13)"};
    std::string md = str(req(p, "metadata", "Event"));
    return RecordEvent{EventLogKind(kind), std::move(md), str(req(p, "content", "Event"))};
  }
  case 10: {
    arr(p);
    AsmRecord a;
    for (std::uint32_t i = 0; i < p.count; ++i)
      a.lines.push_back(str(N(kid(p, i))));
    return a;
  }
  case 11: {
    obj(p, "an object (BindVariable)");
    return BindVariableRecord{VariableId{u64(req(p, "variable_id", "BindVariable"))},
                              i64(req(p, "place", "BindVariable"))};
  }
  case 12:
    throw ParseError{p.offset, "Assignment events cannot be decoded (TRACE_FORMAT.md §2.7)"};
  case 13: {
    arr(p);
    DropVariablesRecord d;
    for (std::uint32_t i = 0; i < p.count; ++i)
      d.variable_ids.push_back(VariableId{u64(N(kid(p, i)))});
    return d;
  }
  case 14: {
    obj(p, "an object (CompoundValue)");
    return CompoundValueRecord{i64(req(p, "place", "CompoundValue")),
                               value(req(p, "value", "CompoundValue"))};
  }
  case 15: {
    obj(p, "an object (CellValue)");
    return CellValueRecord{i64(req(p, "place", "CellValue")), value(req(p, "value", "CellValue"))};
  }
  case 16: {
    obj(p, "an object (AssignCompoundItem)");
    return AssignCompoundItemRecord{i64(req(p, "place", "AssignCompoundItem")),
                                    u64(req(p, "index", "AssignCompoundItem")),
                                    i64(req(p, "item_place", "AssignCompoundItem"))};
  }
  case 17: {
    obj(p, "an object (AssignCell)");
    return AssignCellRecord{i64(req(p, "place", "AssignCell")),
                            value(req(p, "new_value", "AssignCell"))};
  }
  case 18: {
    obj(p, "an object (VariableCell)");
    return VariableCellRecord{VariableId{u64(req(p, "variable_id", "VariableCell"))},
                              i64(req(p, "place", "VariableCell"))};
  }
  case 19:
    return DropVariableRecord{VariableId{u64(p)}};
  case 20:
    return ThreadStartRecord{ThreadId{u64(p)}};
  case 21:
    return ThreadExitRecord{ThreadId{u64(p)}};
  case 22:
    return ThreadSwitchRecord{ThreadId{u64(p)}};
  case 23:
    if (p.type != NodeType::Null)
      type_err(p, "null (DropLastStep)");
    return DropLastStepRecord{};
  default:
    break;
  }
  throw ParseError{n.offset, "unknown event variant \"" + std::string(v) + "\""};
}

ReadState JsonSource::next(TraceEvent& event_out) {
  for (;;) {
    switch (top_) {
    case Top::Failed:
    case Top::Done:
      return state_;
    case Top::BeforeArray: {
      int c = peek_top();
      if (c < 0) {
        if (!io_error_.empty())
          return fail(ReadState::Error, offset(), "read error: " + io_error_);
        return fail(ReadState::Truncated, offset(), "file is empty or cut before '['");
      }
      if (c != '[')
        return fail(ReadState::Error, offset(), "expected '[' (start of trace.json)");
      ++pos_;
      top_ = Top::AfterOpen;
      continue;
    }
    case Top::AfterElement: {
      int c = peek_top();
      if (c < 0)
        return fail(ReadState::Truncated, offset(),
                    "file cut after event " + std::to_string(index_ - 1) +
                        " (expected ',' or ']')");
      if (c == ',') {
        ++pos_;
        top_ = Top::AfterComma;
        continue;
      }
      if (c == ']') {
        ++pos_;
        int d = peek_top();
        if (d >= 0)
          return fail(ReadState::Error, offset(), "expected end of file after ']'");
        top_ = Top::Done;
        state_ = ReadState::End;
        return state_;
      }
      return fail(ReadState::Error, offset(), "expected ',' or ']' after an event");
    }
    case Top::AfterOpen:
    case Top::AfterComma: {
      int c = peek_top();
      if (c < 0)
        return fail(ReadState::Truncated, offset(),
                    "file cut before event " + std::to_string(index_) + " (expected an event)");
      if (c == ']') {
        if (top_ == Top::AfterComma)
          return fail(ReadState::Error, offset(), "expected an event after ','");
        top_ = Top::AfterElement; // handles the ']'
        continue;
      }
      // Parse one element, refilling and restarting on NeedMore.
      for (;;) {
        nodes_.clear();
        kids_.clear();
        stack_.clear();
        strings_.clear();
        p_ = pos_;
        try {
          std::uint32_t root = parse_value(1);
          TraceEvent e = event(N(root));
          pos_ = p_;
          ++index_;
          top_ = Top::AfterElement;
          event_out = std::move(e);
          return ReadState::Event;
        } catch (const NeedMore&) {
          if (buf_.size() - pos_ > limits_.max_event_bytes)
            return fail(ReadState::Error, offset(),
                        "event " + std::to_string(index_) + " is larger than " +
                            std::to_string(limits_.max_event_bytes >> 20) +
                            " MiB (the limit; --max-event-size raises it)");
          if (!fill()) {
            if (!io_error_.empty())
              return fail(ReadState::Error, offset(), "read error: " + io_error_);
            return fail(ReadState::Truncated, offset(),
                        "file cut inside event " + std::to_string(index_) + " (at offset " +
                            std::to_string(base_ + buf_.size()) + ")");
          }
        } catch (const ParseError& e) {
          return fail(ReadState::Error, e.offset, e.what);
        }
      }
    }
    }
  }
}

} // namespace

std::unique_ptr<EventSource> open_json_source_from_string(std::string data, std::string name) {
  return std::unique_ptr<EventSource>(new JsonSource(std::move(data), std::move(name)));
}

Result<TraceEvent> parse_json_event(std::string_view element) {
  std::string doc;
  doc.reserve(element.size() + 2);
  doc += '[';
  doc += element;
  doc += ']';
  JsonSource src(std::move(doc), "event");
  TraceEvent e;
  ReadState st = src.next(e);
  if (st != ReadState::Event)
    return Status::error(src.message());
  TraceEvent extra;
  if (src.next(extra) != ReadState::End)
    return Status::error("more than one event");
  return e;
}

Result<std::unique_ptr<EventSource>> open_json_source(const std::filesystem::path& file,
                                                      const ReadLimits& limits) {
  auto fd = detail::open_input_file(file);
  if (!fd)
    return fd.status();
  return std::unique_ptr<EventSource>(new JsonSource(*fd, file.string(), limits));
}

} // namespace trace_record
