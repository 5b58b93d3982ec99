# Warnings for the project's own targets: trace_record_warnings(target)
function(trace_record_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
endfunction()
