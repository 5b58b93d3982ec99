#include "PassOptions.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace llvm;

namespace trace_record {
namespace {

cl::list<std::string> IncludeFunctionOpt("trace-record-include-function",
                                         cl::desc("Trace only functions matching this glob"),
                                         cl::CommaSeparated);
cl::list<std::string> ExcludeFunctionOpt("trace-record-exclude-function",
                                         cl::desc("Do not trace functions matching this glob"),
                                         cl::CommaSeparated);
cl::list<std::string> IncludeFileOpt("trace-record-include-file",
                                     cl::desc("Trace only code in files matching this glob"),
                                     cl::CommaSeparated);
cl::list<std::string> ExcludeFileOpt("trace-record-exclude-file",
                                     cl::desc("Do not trace code in files matching this glob"),
                                     cl::CommaSeparated);
cl::opt<unsigned> MinInstructionsOpt(
    "trace-record-min-instructions",
    cl::desc("Do not trace functions with fewer IR instructions than this"), cl::init(0));
cl::opt<bool> TraceSystemOpt("trace-record-trace-system",
                             cl::desc("Also trace code from system headers and libraries"),
                             cl::init(false));
cl::opt<bool> LinesOpt("trace-record-lines",
                       cl::desc("Trace line steps (off: calls and returns only)"), cl::init(true));
cl::opt<std::string> FilterFileOpt("trace-record-filter-file",
                                   cl::desc("Read trace-record filters from this file"),
                                   cl::init(""));

void warn(const Twine &Msg) { errs() << "trace-record: warning: " << Msg << "\n"; }

} // namespace

std::string PatternList::add(StringRef Pattern) {
  Texts.push_back(Pattern.str());
  Expected<GlobPattern> P = GlobPattern::create(Texts.back());
  if (!P) {
    Texts.pop_back();
    return "bad pattern '" + Pattern.str() + "': " + toString(P.takeError());
  }
  Patterns.push_back(std::move(*P));
  return {};
}

bool PatternList::matches(StringRef S) const {
  for (const GlobPattern& P : Patterns)
    if (P.match(S))
      return true;
  return false;
}

bool PassOptions::functionSelected(StringRef Name, StringRef LinkageName) const {
  auto Matches = [&](const PatternList& L) { return L.matches(Name) || L.matches(LinkageName); };
  if (!IncludeFunctions.empty() && !Matches(IncludeFunctions))
    return false;
  return !Matches(ExcludeFunctions);
}

bool PassOptions::fileSelected(StringRef Path) const {
  if (!IncludeFiles.empty() && !IncludeFiles.matches(Path))
    return false;
  return !ExcludeFiles.matches(Path);
}

std::string PassOptions::applyLine(StringRef Line) {
  Line = Line.trim();
  if (Line.empty() || Line.starts_with("#"))
    return {};
  auto [Key, Rest] = Line.split(' ');
  StringRef Value = Rest.trim();
  if (Key == "include-function")
    return IncludeFunctions.add(Value);
  if (Key == "exclude-function")
    return ExcludeFunctions.add(Value);
  if (Key == "include-file")
    return IncludeFiles.add(Value);
  if (Key == "exclude-file")
    return ExcludeFiles.add(Value);
  if (Key == "min-instructions") {
    if (Value.getAsInteger(10, MinInstructions))
      return "min-instructions needs a number, got '" + Value.str() + "'";
    return {};
  }
  if (Key == "trace-system") {
    if (Value == "on" || Value == "true" || Value == "1" || Value.empty())
      TraceSystem = true;
    else if (Value == "off" || Value == "false" || Value == "0")
      TraceSystem = false;
    else
      return "trace-system needs on or off, got '" + Value.str() + "'";
    return {};
  }
  if (Key == "lines") {
    if (Value == "on" || Value == "true" || Value == "1" || Value.empty())
      Lines = true;
    else if (Value == "off" || Value == "false" || Value == "0")
      Lines = false;
    else
      return "lines needs on or off, got '" + Value.str() + "'";
    return {};
  }
  return "unknown filter directive '" + Key.str() + "'";
}

PassOptions PassOptions::fromCommandLineAndEnvironment() {
  PassOptions O;
  auto AddAll = [](PatternList& L, const cl::list<std::string>& Opt) {
    for (const std::string& P : Opt)
      if (std::string Err = L.add(P); !Err.empty())
        warn(Err);
  };
  AddAll(O.IncludeFunctions, IncludeFunctionOpt);
  AddAll(O.ExcludeFunctions, ExcludeFunctionOpt);
  AddAll(O.IncludeFiles, IncludeFileOpt);
  AddAll(O.ExcludeFiles, ExcludeFileOpt);
  O.MinInstructions = MinInstructionsOpt;
  O.TraceSystem = TraceSystemOpt;
  O.Lines = LinesOpt;

  std::string File = FilterFileOpt;
  if (File.empty())
    if (const char* Env = std::getenv("TRACE_RECORD_FILTER_FILE"))
      File = Env;
  if (File.empty())
    return O;
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(File);
  if (!Buf) {
    warn("cannot read filter file '" + File + "': " + Buf.getError().message());
    return O;
  }
  SmallVector<StringRef, 32> Lines;
  (*Buf)->getBuffer().split(Lines, '\n');
  for (size_t I = 0; I < Lines.size(); ++I)
    if (std::string Err = O.applyLine(Lines[I]); !Err.empty())
      warn(File + ":" + Twine(I + 1) + ": " + Err);
  return O;
}

} // namespace trace_record
