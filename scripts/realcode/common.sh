# Shared by scripts/realcode-test and scripts/bench (sourced, not run). The caller defines
# $cache (tarballs, kept), $work (scratch), log MESSAGE and fail MESSAGE.

# realcode_fetch SPEC TARBALL: npm pack into $cache unless already there. Exits 0 with a
# SKIP line when the npm registry cannot be reached.
realcode_fetch() {
  local spec=$1 tgz=$2
  [ -s "$cache/$tgz" ] && return 0
  if ! (cd "$cache" && npm pack "$spec" --silent >/dev/null 2>"$work/npm.err"); then
    if ! npm ping >/dev/null 2>&1; then
      log "SKIP: the npm registry cannot be reached (npm pack $spec failed)"
      exit 0
    fi
    cat "$work/npm.err" >&2
    fail "npm pack $spec failed"
  fi
  [ -s "$cache/$tgz" ] || fail "npm pack $spec did not produce $tgz"
}

# The real programs: npm package, tarball, and what to take from it.
REALCODE_SQLITE_SPEC=better-sqlite3@13.2.0
REALCODE_SQLITE_TGZ=better-sqlite3-13.2.0.tgz
REALCODE_SQLITE_DIR=package/deps/sqlite3
REALCODE_HUNSPELL_SPEC=nodehun@3.0.2
REALCODE_HUNSPELL_TGZ=nodehun-3.0.2.tgz
REALCODE_HUNSPELL_DIR=package/hunspell/src/hunspell
REALCODE_HUNSPELL_FILES=(affentry affixmgr csutil dictmgr filemgr hashmgr hunspell hunzip phonet
                         replist strmgr suggestmgr)
REALCODE_EXPAT_SPEC=node-expat@2.4.1
REALCODE_EXPAT_TGZ=node-expat-2.4.1.tgz
REALCODE_EXPAT_DIR=package/deps/libexpat
