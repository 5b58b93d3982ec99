// Reading memory that may have been unmapped, without a system call per read.
//
// safe_read (value_codec.h) copies pointees of recorded variables. Outside the stack,
// the executable and the brk heap it used process_vm_readv (about 1.5 us). Here:
//  * a table of the readable mappings of /proc/self/maps, read again on a miss (at most
//    once per 10 ms) or after a fault (at most once per ms); readers never lock (seqlock
//    over two tables), so it works in signal handlers and on any thread;
//  * a copy routine whose loads may fault: the process's SIGSEGV/SIGBUS handler calls
//    fixup() first, which resumes the routine at its end, so a page unmapped (or
//    protected) after the table was read gives a short copy instead of a crash.
// Probing is only done when enabled() — the owner of the SIGSEGV/SIGBUS handlers (the
// runtime) set it, and nothing may block those signals: a synchronous fault while they
// are blocked kills the process. The runtime disables it for good when the program
// blocks them or installs a handler of its own that could run instrumented code with
// them blocked, and marks the program's handlers it calls itself (enter_handler).
// x86-64 only; elsewhere enabled() stays false (process_vm_readv remains).
#pragma once

#include <cstddef>
#include <cstdint>

namespace trace_record::probe {

// The process's SIGSEGV and SIGBUS handlers call fixup() first (see above).
void set_enabled(bool on) noexcept;
// For good: probing is never enabled again in this process.
void disable_forever() noexcept;
bool enabled() noexcept; // also false in a handler marked by enter_handler on this thread

// Around a call of a program's signal handler (which may run with SIGSEGV blocked).
void enter_handler() noexcept;
void leave_handler() noexcept;

// In a SIGSEGV/SIGBUS handler: if the fault is a load of copy()/copy_string(), makes
// the interrupted routine return what it copied so far and returns true.
bool fixup(void* ucontext) noexcept;

// Bytes readable from a according to the table (0: not listed), refreshing the table on
// a miss at a bounded rate. No allocation, no locks, async-signal-safe.
std::size_t readable_extent(std::uintptr_t a) noexcept;

// Copy n bytes (stops at a fault); returns the bytes copied. Only when enabled().
std::size_t copy(void* dst, const void* src, std::size_t n) noexcept;
// Copy up to and including the first NUL, at most max bytes (stops at a fault); returns
// the bytes copied. Only when enabled().
std::size_t copy_string(void* dst, const void* src, std::size_t max) noexcept;

// Tests: forget the table / count refreshes.
void reset_table_for_tests() noexcept;
std::uint64_t table_refreshes() noexcept;

} // namespace trace_record::probe
