# trace_record_instrument(<target> [FILTER_FILE <file>] [OPTIONS <plugin option>...])
#
# Compiles <target>'s sources with the TraceRecord pass (clang only: -g and
# -fpass-plugin=TraceRecord.so) and links the trace-record runtime, so that running the
# program records a trace. OPTIONS are plugin options without the leading dash, e.g.
# "trace-record-exclude-function=detail::*"; FILTER_FILE names a filter file (docs/pass.md).
#
# Where the pieces come from, first match wins:
#   plugin:  the TraceRecord target (in the trace-record build tree), the variable
#            TRACE_RECORD_PLUGIN, or <this file's dir>/../../trace-record/TraceRecord.so
#            (an installed trace-record);
#   runtime: the trace_record_rt target, the variable TRACE_RECORD_RUNTIME (a library
#            path), or libtrace_record_rt next to the installed lib/ directory.
function(trace_record_instrument target)
  cmake_parse_arguments(TRI "" "FILTER_FILE" "OPTIONS" ${ARGN})
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang" AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "trace_record_instrument(${target}): needs clang (19) as the compiler")
  endif()
  set(_tri_libdir "${_TRACE_RECORD_INSTRUMENT_DIR}/../..")
  if(TARGET TraceRecord)
    set(plugin $<TARGET_FILE:TraceRecord>)
    add_dependencies(${target} TraceRecord)
  elseif(TRACE_RECORD_PLUGIN)
    set(plugin ${TRACE_RECORD_PLUGIN})
  else()
    get_filename_component(plugin "${_tri_libdir}/trace-record/TraceRecord.so" ABSOLUTE)
  endif()

  set(opts -g -fpass-plugin=${plugin})
  if(TRI_OPTIONS OR TRI_FILTER_FILE)
    # -mllvm options need the plugin loaded before clang parses them.
    list(APPEND opts -fplugin=${plugin})
    foreach(o ${TRI_OPTIONS})
      list(APPEND opts "SHELL:-mllvm -${o}")
    endforeach()
    if(TRI_FILTER_FILE)
      get_filename_component(filter "${TRI_FILTER_FILE}" ABSOLUTE)
      list(APPEND opts "SHELL:-mllvm -trace-record-filter-file=${filter}")
    endif()
  endif()
  target_compile_options(${target} PRIVATE ${opts})

  if(TARGET trace_record_rt)
    target_link_libraries(${target} PRIVATE trace_record_rt)
  elseif(TRACE_RECORD_RUNTIME)
    target_link_libraries(${target} PRIVATE ${TRACE_RECORD_RUNTIME})
  else()
    find_library(TRACE_RECORD_RUNTIME trace_record_rt PATHS "${_tri_libdir}" NO_DEFAULT_PATH)
    if(NOT TRACE_RECORD_RUNTIME)
      message(FATAL_ERROR "trace_record_instrument(${target}): libtrace_record_rt not found; "
                          "set TRACE_RECORD_RUNTIME")
    endif()
    target_link_libraries(${target} PRIVATE ${TRACE_RECORD_RUNTIME})
  endif()
endfunction()
set(_TRACE_RECORD_INSTRUMENT_DIR "${CMAKE_CURRENT_LIST_DIR}")
