/* Values of variables: the part of the pass-runtime ABI that TraceRecord.so's
 * values pass (pass/values/) emits calls to. See docs/values.md.
 *
 * The pass emits, per module, constant descriptor tables built from the debug
 * info: one tr_type_desc per distinct DIType and one tr_var_desc per
 * DILocalVariable it instruments. Hooks take the address of a tr_var_desc (or
 * of a tr_type_desc for return values): descriptors are immutable, so a pointer
 * is a globally unique id that needs no registration and works before any
 * module constructor has run. (A module must not be dlclose'd while its
 * values are still queued: the runtime decodes them later, on the writer
 * thread.)
 *
 * Order of hooks the pass emits, per function:
 *   __tr_func_enter(f); __tr_value*(param) for each parameter (Call.args, C5);
 *   __tr_step(loc); __tr_value*(var) for each variable in scope (C4), innermost first;
 *   ... __tr_return_*(type, value); __tr_func_exit(f).
 */
#ifndef TRACE_RECORD_RT_VALUES_H
#define TRACE_RECORD_RT_VALUES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TR_VALUES_ABI_VERSION 1u

/* tr_type_desc.kind */
enum {
  TR_TYPE_OPAQUE = 0,   /* unknown layout: Raw hex bytes */
  TR_TYPE_SINT = 1,     /* signed integer of `size` bytes (1, 2, 4, 8, 16); wchar_t, char16_t... */
  TR_TYPE_UINT = 2,     /* unsigned integer of `size` bytes */
  TR_TYPE_CHAR = 3,     /* char / signed char / unsigned char: Int, but arrays/pointers are strings */
  TR_TYPE_BOOL = 4,     /* bool / _Bool */
  TR_TYPE_FLOAT = 5,    /* size 4 float, 8 double, 10/16 x87 long double, 16 with flag: binary128 */
  TR_TYPE_ENUM = 6,     /* members: tr_enumerator_desc[count]; flags: TR_TYPE_SIGNED */
  TR_TYPE_POINTER = 7,  /* target: pointee type (NULL: void *); flags: TR_TYPE_CONST_TARGET */
  TR_TYPE_REFERENCE = 8,/* C++ T& / T&&, same layout as a pointer */
  TR_TYPE_ARRAY = 9,    /* target: element type, count: elements (0: unknown/flexible) */
  TR_TYPE_STRUCT = 10,  /* struct / class; members: tr_field_desc[count] */
  TR_TYPE_UNION = 11,   /* members: tr_field_desc[count] */
  TR_TYPE_FUNCTION_POINTER = 12,
  /* libstdc++ (new ABI) containers, recognised by the pass: */
  TR_TYPE_STD_STRING = 13, /* std::string, std::u8string: char *data at 0, size_t length at 8 */
  TR_TYPE_STD_VECTOR = 14, /* std::vector<T>: T *begin at 0, T *end at 8; target: T */
  TR_TYPE_STD_STRING_VIEW = 15, /* std::string_view, std::u8string_view: size_t length at 0,
                                   const char *data at 8; std::wstring_view, u16string_view,
                                   u32string_view: target the character type (as STD_WSTRING),
                                   the length in characters */
  TR_TYPE_STD_OPTIONAL = 16, /* std::optional<T>: T at 0, engaged bool at byte `count`; target: T */
  TR_TYPE_STD_WSTRING = 17, /* std::wstring, std::u16string, std::u32string: like STD_STRING
                               (data pointer at 0, length in characters at 8); target: the
                               character type (size 2 or 4, TR_TYPE_WIDE_CHAR) */
  TR_TYPE_STD_VARIANT = 18, /* std::variant<Ts...>: members: tr_field_desc[count + 1], the
                               alternatives (each at offset 0, named after its type), then the
                               index (an unsigned integer at its offset; all ones: valueless) */
  TR_TYPE_STD_RB_TREE = 19, /* std::map<K, V> / std::set<K> and std::multimap / std::multiset
                               (a red-black tree, 48 bytes): the header node at 8 (parent at 16,
                               leftmost at 24, rightmost at 32), size_t node count at 40; nodes:
                               {color, parent, left, right}, the element at byte `count` of a
                               node; target: the element type */
  TR_TYPE_STD_LIST = 20,    /* std::list<T> (24 bytes): the sentinel node {next, prev} at 0,
                               size_t size at 16; nodes: {next, prev}, the element at byte
                               `count` of a node; target: T */
  TR_TYPE_STD_HASHTABLE = 21, /* std::unordered_map / set / multimap / multiset (56 bytes): the
                               first node (_M_before_begin._M_nxt) at 16, size_t element count
                               at 24; nodes: {next}, the element at byte `count` of a node;
                               target: the element type */
  TR_TYPE_STD_DEQUE = 22,   /* std::deque<T> (80 bytes): iterators {cur, first, last, node} at
                               16 (start) and 48 (finish); buffers of (last - first) bytes, their
                               addresses in the map at node; target: T */
  TR_TYPE_STD_TUPLE = 23,   /* std::tuple<Ts...>: members: tr_field_desc[count], the elements in
                               order (named "0", "1", ...; at their offsets, which libstdc++ puts
                               in reverse order); shown as a Tuple; flags: TR_TYPE_NO_POINTERS */
  TR_TYPE_STD_VECTOR_BOOL = 24, /* std::vector<bool> (40 bytes): bit iterators {uint64_t *word,
                               unsigned bit} at 0 (start) and 16 (finish); bits from bit 0 of
                               each word; target: bool */
  TR_TYPE_STD_FORWARD_LIST = 25 /* std::forward_list<T> (8 bytes): the first node at 0 (no
                               size); nodes: {next}, the element at byte `count` of a node;
                               target: T */
  /* (std::array<T, N> is described as an ARRAY; std::unique_ptr<T> (also T[]), std::shared_ptr<T>
     and std::weak_ptr<T> as a POINTER whose `size` may exceed 8: the pointer is at offset 0.) */
};

/* The libstdc++ kinds whose contents live behind a pointer held in the object, which the
   runtime follows and snapshots (optional, variant and tuple hold their value inside). */
static inline int tr_type_is_container(uint32_t kind) {
  switch (kind) {
  case TR_TYPE_STD_STRING:
  case TR_TYPE_STD_VECTOR:
  case TR_TYPE_STD_STRING_VIEW:
  case TR_TYPE_STD_WSTRING:
  case TR_TYPE_STD_RB_TREE:
  case TR_TYPE_STD_LIST:
  case TR_TYPE_STD_HASHTABLE:
  case TR_TYPE_STD_DEQUE:
  case TR_TYPE_STD_VECTOR_BOOL:
  case TR_TYPE_STD_FORWARD_LIST:
    return 1;
  default:
    return 0;
  }
}

/* tr_type_desc.flags */
#define TR_TYPE_SIGNED 1u       /* enum: the underlying type is signed */
#define TR_TYPE_CONST_TARGET 2u /* pointer/reference to const: Reference.mutable = false */
#define TR_TYPE_BINARY128 4u    /* FLOAT of size 16 that is IEEE binary128 (__float128) */
#define TR_TYPE_NO_POINTERS 8u  /* struct/array/union holding no pointer: plain bytes */
#define TR_TYPE_WIDE_CHAR 16u   /* SINT/UINT of size 2 or 4 that is wchar_t, char16_t or char32_t:
                                   an Int, but arrays of it and pointers to it are strings */
#define TR_TYPE_NOT_STRING 32u  /* ARRAY of chars that is a sequence, not a string (std::array) */

/* tr_field_desc.flags */
#define TR_FIELD_BASE 1u /* a C++ base class, shown as a pseudo-field named after it */

typedef struct tr_type_desc {
  uint32_t kind;  /* TR_TYPE_* */
  uint32_t flags; /* TR_TYPE_* flags */
  uint64_t size;  /* bytes (sizeof) */
  const char *name; /* as a C/C++ programmer writes it: "int", "size_t", "const char *",
                       "struct point", "ns::Point", "int[4]"; the Type's lang_type */
  const struct tr_type_desc *target; /* pointer/reference/array: pointee or element */
  uint64_t count;       /* array: elements; struct/union: fields; enum: enumerators */
  const void *members;  /* tr_field_desc[count] or tr_enumerator_desc[count] */
} tr_type_desc;

typedef struct tr_field_desc {
  const char *name;
  const tr_type_desc *type;
  uint32_t offset;     /* bytes from the start of the aggregate */
  uint16_t bit_offset; /* bitfield: first bit, counted from `offset` (little-endian) */
  uint16_t bit_size;   /* bitfield width; 0: not a bitfield */
  uint32_t flags;      /* TR_FIELD_* */
  uint32_t reserved;
} tr_field_desc;

typedef struct tr_enumerator_desc {
  const char *name;
  int64_t value; /* unsigned enumerators: the same 64 bits */
} tr_enumerator_desc;

/* tr_var_desc.flags */
#define TR_VAR_PARAM 1u

typedef struct tr_var_desc {
  const char *name;
  const tr_type_desc *type;
  uint32_t line; /* declaration line */
  uint32_t flags;
} tr_var_desc;

/* A variable resident in memory (an alloca at -O0, an address-taken local, a
 * byval argument): the runtime copies type->size bytes (capped) from addr. */
void __tr_value(const tr_var_desc *var, const void *addr);
/* A variable held in an SSA value (#dbg_value at -O1+): integers, pointers,
 * and aggregates of at most 8 bytes, as the low `type->size` bytes of bits. */
void __tr_value_i64(const tr_var_desc *var, uint64_t bits);
/* float / double variables in SSA values (float is widened). */
void __tr_value_f64(const tr_var_desc *var, double v);
/* The variable is in scope but has no location here. */
void __tr_value_optimized_out(const tr_var_desc *var);

/* The value the function returns, emitted just before __tr_func_exit. */
void __tr_return_value(const tr_type_desc *type, const void *addr);
void __tr_return_i64(const tr_type_desc *type, uint64_t bits);
void __tr_return_f64(const tr_type_desc *type, double v);

#ifdef __cplusplus
}
#endif

#endif /* TRACE_RECORD_RT_VALUES_H */
