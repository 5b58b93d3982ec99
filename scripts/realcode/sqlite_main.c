/* Workload for scripts/realcode-test: drives the SQLite amalgamation (C, bundled by the
 * better-sqlite3 npm package) through a fixed in-memory session. */
#include "sqlite3.h"

#include <stdio.h>

static int print_row(void *unused, int n, char **values, char **names) {
  (void)unused;
  for (int i = 0; i < n; i++)
    printf("%s%s=%s", i ? " " : "", names[i], values[i] ? values[i] : "NULL");
  printf("\n");
  return 0;
}

static int run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, print_row, NULL, &err) != SQLITE_OK) {
    printf("error: %s\n", err);
    sqlite3_free(err);
    return 1;
  }
  return 0;
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK)
    return 2;
  int failures = 0;
  failures += run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL);");
  failures += run(db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50) "
                      "INSERT INTO t(name, score) SELECT 'n' || x, x * 1.5 FROM c;");
  failures += run(db, "SELECT count(*) AS n, sum(score) AS total, max(name) AS last FROM t;");
  failures += run(db, "SELECT name FROM t WHERE score > 70 ORDER BY score DESC LIMIT 3;");
  failures += run(db, "SELECT * FROM missing_table;"); /* an error path */
  sqlite3_close(db);
  return failures;
}
