#!/bin/sh
# Stands in for clang in the driver tests: prints its arguments, one a line.
for a in "$@"; do printf "ARG %s\n" "$a"; done
