// Options of the TraceRecord pass: which functions and files are traced.
// Sources, later ones adding to earlier ones: plugin options (-mllvm -trace-record-...,
// which need the plugin loaded with -fplugin= as well), then the filter file named by
// -trace-record-filter-file or the environment variable TRACE_RECORD_FILTER_FILE.
#ifndef TRACE_RECORD_PASS_PASSOPTIONS_H
#define TRACE_RECORD_PASS_PASSOPTIONS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/GlobPattern.h"

#include <deque>
#include <string>
#include <vector>

namespace trace_record {

class PatternList {
public:
  PatternList() = default;
  PatternList(PatternList&&) = default;
  PatternList& operator=(PatternList&&) = default;
  PatternList(const PatternList&) = delete; // the patterns point into Texts
  PatternList& operator=(const PatternList&) = delete;

  // Returns an error message, empty on success.
  std::string add(llvm::StringRef Pattern);
  bool empty() const { return Patterns.empty(); }
  bool matches(llvm::StringRef S) const;

private:
  // GlobPattern keeps a StringRef to its text (its prefix): own the texts here, in a
  // container whose elements never move.
  std::deque<std::string> Texts;
  std::vector<llvm::GlobPattern> Patterns;
};

struct PassOptions {
  PatternList IncludeFunctions, ExcludeFunctions; // demangled or linkage name
  PatternList IncludeFiles, ExcludeFiles;         // absolute source path
  unsigned MinInstructions = 0; // skip functions with fewer IR instructions than this
  bool TraceSystem = false;     // trace code from system headers (libc, libstdc++, ...)
  bool Lines = true;            // line steps; off: functions only (calls and returns)

  bool functionSelected(llvm::StringRef Name, llvm::StringRef LinkageName) const;
  bool fileSelected(llvm::StringRef Path) const;

  // Applies one filter-file line ("exclude-function GLOB", ...). Returns an error message.
  std::string applyLine(llvm::StringRef Line);

  // Builds the options from the plugin options and the filter file. Problems (bad
  // pattern, unreadable file) are reported on stderr and the bad entry ignored.
  static PassOptions fromCommandLineAndEnvironment();
};

} // namespace trace_record

#endif
