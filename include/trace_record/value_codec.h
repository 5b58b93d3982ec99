// Values of C/C++ variables: capture of raw bytes on the traced thread and
// decoding of those bytes into ValueRecords + TypeRecords (CONVENTIONS.md §3.2).
//
// The descriptors are the C ABI of runtime/include/trace_record_rt_values.h.
//
// Capture format (capture_value): u32 nbytes, nbytes bytes of the value, then
// zero or more pointee snapshots {u8 status, u32 len, len bytes}, one for each
// non-NULL data pointer met while walking the type over the value bytes (not
// inside pointees), in walk order. capture_value and ValueDecoder walk the same
// way (same Limits), so a snapshot belongs to the n-th such pointer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "trace_record/types.h"

struct tr_type_desc;

namespace trace_record {

class TraceWriter;

namespace values {

struct Limits {
  std::uint32_t max_string = 1024;  // bytes of a string (char[N], char *)
  std::uint32_t max_elements = 128; // elements of an array
  std::uint32_t max_depth = 32;     // ValueRecord levels, root = 1
  std::uint32_t max_bytes = 4096;   // bytes of the variable itself
  std::uint32_t max_pointee = 1024; // bytes of a pointee snapshot
  std::uint32_t max_snapshots = 16; // pointee snapshots per value
};
// Limits with TRACE_RECORD_MAX_STRING / _MAX_ELEMENTS / _MAX_DEPTH applied.
Limits limits_from_env();

enum class SnapshotStatus : std::uint8_t { Ok = 0, Unreadable = 1 };

// Reads n bytes at src without ever crashing; returns how many leading bytes
// could be read (< n when a page is not readable). No allocation, no locks.
// Stack, executable, brk heap: copied; mappings listed readable: probe_memory.h
// (when enabled); else process_vm_readv.
std::size_t safe_read(void* dst, const void* src, std::size_t n) noexcept;

// Captures the value of `type` at `addr` into out[0, cap). Returns the bytes
// written (0 if cap < 4). Never allocates; pointees are read with safe_read.
std::size_t capture_value(const tr_type_desc* type, const void* addr, const Limits& limits,
                          std::uint8_t* out, std::size_t cap) noexcept;

// Where decoded types go: a TraceWriter in the runtime, a fake in tests.
class TypeSink {
public:
  virtual ~TypeSink() = default;
  virtual std::optional<TypeId> find(std::string_view lang_type) = 0;
  virtual TypeId next_id() = 0;
  virtual TypeId add(const TypeRecord& type) = 0;
};

class WriterTypeSink final : public TypeSink {
public:
  explicit WriterTypeSink(TraceWriter& w) : w_(w) {}
  std::optional<TypeId> find(std::string_view lang_type) override;
  TypeId next_id() override;
  TypeId add(const TypeRecord& type) override;

private:
  TraceWriter& w_;
};

// Decodes captures. Keeps a descriptor -> TypeId cache; writer thread only.
class ValueDecoder {
public:
  ValueDecoder(TypeSink& sink, Limits limits) : sink_(sink), limits_(limits) {}

  // A capture produced by capture_value for `type`.
  ValueRecord decode(const tr_type_desc* type, std::span<const std::uint8_t> capture);
  // The variable has no location at this point.
  ValueRecord optimized_out(const tr_type_desc* type);
  // The TypeId of a descriptor, registering it (and what it refers to) once.
  TypeId type_id(const tr_type_desc* type);

  // Symbolizer for function pointers ("add"); default: dladdr.
  using Symbolizer = std::string (*)(std::uint64_t address);
  void set_symbolizer(Symbolizer s) { symbolizer_ = s; }

private:
  struct Cursor;
  ValueRecord decode_at(const tr_type_desc* t, const std::uint8_t* p, std::size_t avail,
                        std::uint32_t depth, bool in_pointee, Cursor& cur);
  ValueRecord decode_pointer(const tr_type_desc* t, std::uint64_t ptr, std::uint32_t depth,
                             bool in_pointee, Cursor& cur);
  ValueRecord decode_container(const tr_type_desc* t, const std::uint8_t* p, std::size_t avail,
                               std::uint32_t depth, bool in_pointee, Cursor& cur);
  // The elements of `e` in a snapshot of len bytes, then an ellipsis if fewer than count.
  ValueRecord decode_elements(TypeId tid, const tr_type_desc* e, const std::uint8_t* bytes,
                              std::size_t len, std::uint64_t count, std::uint32_t depth,
                              Cursor& cur);
  // A struct's or tuple's fields at their offsets in p[0, avail).
  std::vector<ValueRecord> decode_fields(const tr_type_desc* t, const std::uint8_t* p,
                                         std::size_t avail, std::uint32_t depth, bool in_pointee,
                                         Cursor& cur);
  ValueRecord decode_bits(const tr_type_desc* t, const std::uint8_t* p, std::size_t avail,
                          std::uint32_t depth, bool in_pointee, Cursor& cur);
  std::string short_text(const tr_type_desc* t, const std::uint8_t* p, std::size_t avail);
  TypeId cstring_type_id(const tr_type_desc* char_type);
  TypeRecord make_record(const tr_type_desc* t,
                         const std::unordered_map<std::string, TypeId>& pending);
  std::string shape(const tr_type_desc* t);
  std::string unique_name(const tr_type_desc* t,
                          const std::unordered_map<std::string, std::string>& pending);

  TypeSink& sink_;
  Limits limits_;
  Symbolizer symbolizer_ = nullptr;
  std::unordered_map<const tr_type_desc*, TypeId> cache_;
  // In front of cache_ (whose entries never change): type_id() runs for every node.
  struct FastType {
    const tr_type_desc* t = nullptr;
    TypeId id;
  };
  FastType fast_[256];
  std::unordered_map<const tr_type_desc*, std::string> names_; // lang_type per descriptor
  std::unordered_map<std::string, std::string> shapes_;        // lang_type -> shape
};

// Text helpers, exposed for tests.
std::string sanitize_utf8(std::string_view bytes);
std::string hex_address(std::uint64_t address); // "0x7ffd1234"

} // namespace values
} // namespace trace_record
