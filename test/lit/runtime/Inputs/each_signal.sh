#!/bin/sh
# each_signal.sh PROG DIR TRACE_RECORD SIGNAL...: for each signal, runs
# `PROG raise SIGNAL` untraced (TRACE_RECORD_DISABLED=1) and traced (into
# DIR/SIGNAL) and prints one line: the signal, both exit statuses, what
# `validate` says and the trace's last event. No core files.
prog=$1 dir=$2 tr=$3
shift 3
ulimit -c 0
for s in "$@"; do
  TRACE_RECORD_DISABLED=1 "$prog" raise "$s" > /dev/null 2>&1
  untraced=$?
  TRACE_RECORD_OUT_DIR="$dir/$s" "$prog" raise "$s" > /dev/null 2>&1
  traced=$?
  valid=$("$tr" validate "$dir/$s" 2>&1 | cut -d: -f1)
  last=$("$tr" print "$dir/$s" 2>&1 | tail -n 1 | cut -d' ' -f2-)
  echo "$s untraced=$untraced traced=$traced $valid: $last"
done
