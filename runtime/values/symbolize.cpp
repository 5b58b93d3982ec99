#include "values/symbolize.h"

#include <cxxabi.h>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace trace_record::rt::values {
namespace {

struct Symbol {
  std::uint64_t address;
  std::string name;
};

int first_object_bias(dl_phdr_info* info, std::size_t, void* data) {
  *static_cast<std::uint64_t*>(data) = info->dlpi_addr;
  return 1; // the first object is the main executable
}

std::string demangle(const char* name) {
  int status = 0;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (status != 0 || !d)
    return name;
  std::string r = d;
  std::free(d);
  return r;
}

// The FUNC symbols of /proc/self/exe, sorted by address (.symtab, else .dynsym).
std::vector<Symbol> load_symbols() {
  std::vector<Symbol> out;
  int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return out;
  struct stat st {};
  void* map = MAP_FAILED;
  if (fstat(fd, &st) == 0 && st.st_size > 0)
    map = mmap(nullptr, std::size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED)
    return out;
  auto size = std::size_t(st.st_size);
  auto* base = static_cast<const unsigned char*>(map);
  auto in_file = [&](std::uint64_t off, std::uint64_t len) {
    return off <= size && len <= size - off;
  };
  const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(base);
  if (size >= sizeof(Elf64_Ehdr) && std::memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
      eh->e_ident[EI_CLASS] == ELFCLASS64 && eh->e_shentsize == sizeof(Elf64_Shdr) &&
      in_file(eh->e_shoff, std::uint64_t(eh->e_shnum) * sizeof(Elf64_Shdr))) {
    const auto* sh = reinterpret_cast<const Elf64_Shdr*>(base + eh->e_shoff);
    std::uint64_t bias = 0;
    dl_iterate_phdr(first_object_bias, &bias);
    for (Elf64_Word want : {SHT_SYMTAB, SHT_DYNSYM}) {
      for (unsigned i = 0; i < eh->e_shnum && out.empty(); ++i) {
        if (sh[i].sh_type != want || sh[i].sh_link >= eh->e_shnum)
          continue;
        const Elf64_Shdr& strs = sh[sh[i].sh_link];
        if (!in_file(sh[i].sh_offset, sh[i].sh_size) || !in_file(strs.sh_offset, strs.sh_size))
          continue;
        const auto* sym = reinterpret_cast<const Elf64_Sym*>(base + sh[i].sh_offset);
        std::size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
        const char* names = reinterpret_cast<const char*>(base + strs.sh_offset);
        for (std::size_t k = 0; k < n; ++k) {
          unsigned type = ELF64_ST_TYPE(sym[k].st_info);
          if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym[k].st_value == 0 ||
              sym[k].st_name >= strs.sh_size)
            continue;
          const char* nm = names + sym[k].st_name;
          if (!std::memchr(nm, 0, strs.sh_size - sym[k].st_name))
            continue;
          out.push_back({bias + sym[k].st_value, demangle(nm)});
        }
      }
      if (!out.empty())
        break;
    }
  }
  munmap(map, size);
  std::sort(out.begin(), out.end(),
            [](const Symbol& a, const Symbol& b) { return a.address < b.address; });
  return out;
}

} // namespace

std::string function_symbol(std::uint64_t address) {
  static const auto* symbols = new std::vector<Symbol>(load_symbols()); // writer thread only
  auto it = std::lower_bound(symbols->begin(), symbols->end(), address,
                             [](const Symbol& s, std::uint64_t a) { return s.address < a; });
  if (it != symbols->end() && it->address == address)
    return it->name;
  // dladdr walks every loaded object's symbols (microseconds): its answers, found or not,
  // are kept. Bounded: forgotten all at once past kMaxCached addresses.
  constexpr std::size_t kMaxCached = 1 << 16;
  static auto* cached = new std::unordered_map<std::uint64_t, std::string>();
  if (auto c = cached->find(address); c != cached->end())
    return c->second;
  std::string name;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(address), &info) && info.dli_sname &&
      reinterpret_cast<std::uint64_t>(info.dli_saddr) == address)
    name = demangle(info.dli_sname);
  if (cached->size() >= kMaxCached)
    cached->clear();
  cached->emplace(address, name);
  return name;
}

} // namespace trace_record::rt::values
