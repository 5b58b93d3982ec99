#include "SourcePaths.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace trace_record {

std::string absolutePath(StringRef Dir, StringRef Path) {
  SmallString<256> P;
  if (sys::path::is_absolute(Path)) {
    P = Path;
  } else {
    P = Dir;
    if (P.empty() || !sys::path::is_absolute(P))
      sys::fs::make_absolute(P);
    sys::path::append(P, Path);
  }
  sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

std::string absolutePath(const DIFile* File) {
  if (!File)
    return {};
  return absolutePath(File->getDirectory(), File->getFilename());
}

bool isSystemPath(StringRef Path) {
  static const StringRef Prefixes[] = {"/usr/include/", "/usr/local/include/", "/usr/lib/gcc/",
                                       "/usr/lib/llvm-", "/usr/lib64/gcc/"};
  for (StringRef P : Prefixes)
    if (Path.starts_with(P))
      return true;
  return Path.contains("/c++/");
}

} // namespace trace_record
