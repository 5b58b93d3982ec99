// Function names for function-pointer values ("0x401136 <add>"), on the writer
// thread: the main executable's symbol table (static functions included), then
// dladdr for shared objects. Exact start addresses only.
#pragma once

#include <cstdint>
#include <string>

namespace trace_record::rt::values {

std::string function_symbol(std::uint64_t address); // "" if unknown

} // namespace trace_record::rt::values
