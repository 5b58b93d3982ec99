/* The demo program of scripts/demo: a little geometry with loops, recursion
 * and output, enough to step through in CodeTracer. */
#include <stdio.h>

struct point {
  int x;
  int y;
};

static int manhattan(struct point a, struct point b) {
  int dx = a.x > b.x ? a.x - b.x : b.x - a.x;
  int dy = a.y > b.y ? a.y - b.y : b.y - a.y;
  return dx + dy;
}

static long factorial(int n) {
  if (n <= 1)
    return 1;
  return n * factorial(n - 1);
}

int main(int argc, char **argv) {
  struct point path[] = {{0, 0}, {3, 4}, {-2, 7}, {5, -1}};
  int total = 0;
  for (int i = 1; i < 4; i++) {
    int d = manhattan(path[i - 1], path[i]);
    total += d;
    printf("leg %d: %d\n", i, d);
  }
  printf("total distance: %d\n", total);
  printf("5! = %ld\n", factorial(5));
  (void)argv;
  return argc > 1 ? 1 : 0;
}
