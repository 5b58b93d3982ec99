// File paths as the trace needs them: absolute and normalized; and which files are
// "system" code (not traced by default).
#ifndef TRACE_RECORD_PASS_SOURCEPATHS_H
#define TRACE_RECORD_PASS_SOURCEPATHS_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace llvm {
class DIFile;
class DIScope;
} // namespace llvm

namespace trace_record {

// Directory + filename of a DIFile (or of a scope's file), absolute, without . and ..
std::string absolutePath(const llvm::DIFile* File);
// Makes Path absolute against Dir (or the current directory if Dir is empty) and normalizes.
std::string absolutePath(llvm::StringRef Dir, llvm::StringRef Path);

// /usr/include, /usr/local/include, /usr/lib/gcc, /usr/lib/llvm-*, and C++ standard
// library headers wherever they live (a "/c++/" directory, e.g. libc++'s include/c++/v1).
bool isSystemPath(llvm::StringRef Path);

} // namespace trace_record

#endif
