#include "shapes_util.h"

int area(int w, int h) {
  int a = clamp(w, 0, 10) * clamp(h, 0, 10);
  return a;
}
