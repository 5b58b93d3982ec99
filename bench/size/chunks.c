/* Trace-size sample "chunks" (issue 12, first shape): a uint8_t chunks[64][64] local in
 * main, folded into a 32-byte state 12,800 times. Every step of main has the whole
 * array in scope: 4,096 elements per step unless the recorder bounds the value.
 * Usage: chunks [FOLDS] (default 12800). Prints a checksum of the state. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void fold(uint8_t state[32], const uint8_t chunk[64]) {
  for (int i = 0; i < 32; i++)
    state[i] = (uint8_t)(((state[i] ^ chunk[i]) + state[(i + 1) % 32]) * 31u + chunk[i + 32]);
}

int main(int argc, char** argv) {
  const int folds = argc > 1 ? atoi(argv[1]) : 12800;
  uint8_t chunks[64][64];
  uint8_t state[32] = {0};
  for (int c = 0; c < 64; c++)
    for (int i = 0; i < 64; i++)
      chunks[c][i] = (uint8_t)(1 + (c * 7 + i * 13) % 255); /* no NUL: whole rows */
  for (int n = 0; n < folds; n++)
    fold(state, chunks[n % 64]);
  unsigned sum = 0;
  for (int i = 0; i < 32; i++)
    sum = sum * 33u + state[i];
  printf("%u\n", sum);
  return 0;
}
