// Fault-tolerant pointee reads (include/trace_record/probe_memory.h): pages unmapped or
// protected after the mappings table was read give short copies, never a crash.
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "trace_record/probe_memory.h"
#include "trace_record/value_codec.h"

namespace {

namespace probe = trace_record::probe;

// What the runtime's handler does first (runtime/signals.cpp).
void on_fault(int sig, siginfo_t*, void* uc) {
  if (probe::fixup(uc))
    return;
  signal(sig, SIG_DFL); // a real fault: die
}

class ProbeMemory : public ::testing::Test {
protected:
  void SetUp() override {
#if !defined(__x86_64__)
    GTEST_SKIP() << "probing is x86-64 only";
#endif
    struct sigaction sa {};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, &old_segv_);
    sigaction(SIGBUS, &sa, &old_bus_);
    probe::set_enabled(true);
    if (!probe::enabled())
      GTEST_SKIP() << "probing unavailable in this build (ASan)";
    mem_ = static_cast<char*>(
        mmap(nullptr, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    ASSERT_NE(mem_, MAP_FAILED);
    std::memset(mem_, 'x', 3 * 4096);
  }
  void TearDown() override {
    probe::set_enabled(false);
    sigaction(SIGSEGV, &old_segv_, nullptr);
    sigaction(SIGBUS, &old_bus_, nullptr);
    if (mem_ && mem_ != MAP_FAILED)
      munmap(mem_, 3 * 4096);
  }
  char* mem_ = nullptr;
  struct sigaction old_segv_ {}, old_bus_ {};
};

TEST_F(ProbeMemory, ListedMappingIsCopiedWithoutSyscall) {
  probe::reset_table_for_tests();
  auto a = reinterpret_cast<std::uintptr_t>(mem_);
  EXPECT_GE(probe::readable_extent(a), 3u * 4096);
  std::uint64_t before = probe::table_refreshes();
  char buf[100];
  EXPECT_EQ(probe::copy(buf, mem_ + 10, sizeof buf), sizeof buf);
  EXPECT_EQ(std::string(buf, 3), "xxx");
  EXPECT_EQ(probe::table_refreshes(), before); // a hit reads no /proc
  std::strcpy(mem_ + 4096, "hello");
  char s[64];
  EXPECT_EQ(probe::copy_string(s, mem_ + 4096, sizeof s), 6u);
  EXPECT_STREQ(s, "hello");
  EXPECT_EQ(probe::copy_string(s, mem_, 8), 8u); // no NUL within max
}

TEST_F(ProbeMemory, PageUnmappedAfterTheTableWasReadGivesAShortCopy) {
  probe::reset_table_for_tests(); // lists all 3 pages
  ASSERT_EQ(munmap(mem_ + 4096, 4096), 0);
  char buf[8192];
  // Starts in page 0, runs into the hole: the readable prefix only.
  EXPECT_EQ(probe::copy(buf, mem_ + 4096 - 10, 40), 10u);
  EXPECT_EQ(probe::copy(buf, mem_ + 4096, 8), 0u);
  EXPECT_EQ(probe::copy_string(buf, mem_ + 4096 - 3, 100), 3u);
  // safe_read (what capture_value uses) agrees, whatever the table says.
  EXPECT_EQ(trace_record::values::safe_read(buf, mem_ + 4096 - 10, 40), 10u);
  EXPECT_EQ(trace_record::values::safe_read(buf, mem_ + 4096, 8), 0u);
  EXPECT_EQ(trace_record::values::safe_read(buf, mem_ + 2 * 4096, 16), 16u);
}

TEST_F(ProbeMemory, ProtectedPageGivesAShortCopy) {
  probe::reset_table_for_tests();
  ASSERT_EQ(mprotect(mem_ + 2 * 4096, 4096, PROT_NONE), 0);
  char buf[64];
  EXPECT_EQ(probe::copy(buf, mem_ + 2 * 4096 - 4, 16), 4u);
  EXPECT_EQ(trace_record::values::safe_read(buf, mem_ + 2 * 4096, 16), 0u);
  ASSERT_EQ(mprotect(mem_ + 2 * 4096, 4096, PROT_READ | PROT_WRITE), 0);
}

TEST_F(ProbeMemory, TruncatedFileMappingGivesAShortCopy) { // SIGBUS, not SIGSEGV
  char path[] = "/tmp/probe_memory_testXXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  unlink(path);
  ASSERT_EQ(ftruncate(fd, 4096), 0);
  auto* f = static_cast<char*>(mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
  ASSERT_NE(f, MAP_FAILED);
  std::strcpy(f, "in file");
  probe::reset_table_for_tests();
  ASSERT_EQ(ftruncate(fd, 0), 0);
  char buf[16];
  EXPECT_EQ(probe::copy(buf, f, 8), 0u);
  EXPECT_EQ(probe::copy_string(buf, f, 16), 0u);
  munmap(f, 4096);
  close(fd);
}

TEST_F(ProbeMemory, InvalidAndUnlistedAddresses) {
  char buf[16];
  EXPECT_EQ(trace_record::values::safe_read(buf, reinterpret_cast<void*>(0x10), 8), 0u);
  EXPECT_EQ(probe::readable_extent(0x123456789000), 0u);
  EXPECT_EQ(trace_record::values::safe_read(buf, reinterpret_cast<void*>(0x123456789000), 8), 0u);
}

TEST_F(ProbeMemory, MappingMadeAfterTheTableIsFoundOnAMiss) {
  probe::reset_table_for_tests();
  auto* p = static_cast<char*>(
      mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(p, MAP_FAILED);
  std::strcpy(p, "new");
  char buf[8];
  // Listed or not (a refresh on a miss is rate-bounded), safe_read reads it.
  EXPECT_EQ(trace_record::values::safe_read(buf, p, 4), 4u);
  EXPECT_STREQ(buf, "new");
  munmap(p, 4096);
}

TEST_F(ProbeMemory, NotInsideProgramHandlers) {
  EXPECT_TRUE(probe::enabled());
  probe::enter_handler();
  EXPECT_FALSE(probe::enabled());
  probe::leave_handler();
  EXPECT_TRUE(probe::enabled());
  probe::disable_forever();
  probe::set_enabled(true);
  EXPECT_FALSE(probe::enabled());
}

} // namespace
