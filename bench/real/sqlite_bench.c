/* Workload for scripts/bench (and, with few rows, scripts/realcode-test): drives the
 * SQLite amalgamation (C, bundled by the better-sqlite3 npm package) through a fixed
 * in-memory session: bulk insert with a prepared statement, an index, aggregates, a
 * join, an update and a sort.
 * usage: sqlite_bench [ROWS]   (default 20000; deterministic output) */
#include "sqlite3.h"

#include <stdio.h>
#include <stdlib.h>

static int print_row(void *unused, int n, char **values, char **names) {
  (void)unused;
  for (int i = 0; i < n; i++)
    printf("%s%s=%s", i ? " " : "", names[i], values[i] ? values[i] : "NULL");
  printf("\n");
  return 0;
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, print_row, NULL, &err) != SQLITE_OK) {
    printf("error: %s\n", err);
    sqlite3_free(err);
    exit(1);
  }
}

int main(int argc, char **argv) {
  int rows = argc > 1 ? atoi(argv[1]) : 20000;
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK)
    return 2;
  run(db, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, grp INTEGER, score REAL);");
  run(db, "CREATE TABLE grp(id INTEGER PRIMARY KEY, label TEXT);");
  run(db, "BEGIN;");
  sqlite3_stmt *ins;
  sqlite3_prepare_v2(db, "INSERT INTO item(name, grp, score) VALUES(?1, ?2, ?3);", -1, &ins, NULL);
  unsigned x = 12345;
  char name[32];
  for (int i = 0; i < rows; i++) {
    x = x * 1103515245u + 12345u;
    snprintf(name, sizeof name, "w%07u", (x >> 8) % 1000000u);
    sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(ins, 2, (int)((x >> 4) % 97u));
    sqlite3_bind_double(ins, 3, (double)((x >> 12) % 10000u) / 8.0);
    if (sqlite3_step(ins) != SQLITE_DONE)
      return 3;
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  run(db, "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < 96) "
          "INSERT INTO grp SELECT x, 'group-' || x FROM c;");
  run(db, "COMMIT;");
  run(db, "CREATE INDEX item_name ON item(name);");
  run(db, "SELECT count(*) AS n, round(sum(score), 2) AS total, min(name) AS first, "
          "max(name) AS last FROM item;");
  run(db, "SELECT g.label, count(*) AS n, round(avg(i.score), 3) AS avg FROM item i "
          "JOIN grp g ON g.id = i.grp GROUP BY g.id ORDER BY n DESC, g.id LIMIT 5;");
  run(db, "UPDATE item SET score = score * 2 WHERE grp % 3 = 0;");
  run(db, "SELECT name, score FROM item ORDER BY score DESC, name LIMIT 5;");
  run(db, "SELECT count(DISTINCT name) AS distinct_names FROM item WHERE name LIKE 'w05%';");
  sqlite3_close(db);
  return 0;
}
