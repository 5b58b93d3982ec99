# Values benchmarks (docs/values.md "Performance"); included from
# bench/CMakeLists.txt when the runtime is built. bench/values_bench.sh runs them.
set(_vwl ${CMAKE_CURRENT_SOURCE_DIR}/values_workload.c)
add_executable(values_workload_empty ${_vwl})
target_link_libraries(values_workload_empty PRIVATE trace_record_rt_empty)
add_executable(values_workload_rt ${_vwl})
target_link_libraries(values_workload_rt PRIVATE trace_record_rt)
foreach(t values_workload_empty values_workload_rt)
  target_compile_options(${t} PRIVATE -O2)
  trace_record_warnings(${t})
endforeach()
add_custom_target(values_bench DEPENDS values_workload_empty values_workload_rt)
