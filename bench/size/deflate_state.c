/* Trace-size sample "deflate_state" (issue 12, second shape): a pointer to a ~5 KB state
 * holding a 573-element array of two-field structs (the shape of a compression library's
 * state and its Huffman tree), used in a hot loop: for each block of generated text,
 * count symbol frequencies and build the Huffman tree with a heap, as a deflate
 * implementation does. Every step of these functions has the pointer in scope.
 * Usage: deflate_state [BLOCKS] (default 4; 2,048 bytes each). Prints the tree depths. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYMBOLS 286
#define HEAP_SIZE (2 * SYMBOLS + 1) /* 573 */
#define BLOCK 2048

struct tree_node {
  uint16_t freq;
  uint16_t dad;
};

struct state {
  struct tree_node tree[HEAP_SIZE]; /* 2,292 bytes */
  int heap[HEAP_SIZE];              /* 2,292 bytes */
  uint8_t depth[HEAP_SIZE];         /* 573 bytes */
  int heap_len;
  int heap_max;
  unsigned long checksum;
};

static int smaller(const struct state* s, int n, int m) {
  return s->tree[n].freq < s->tree[m].freq ||
         (s->tree[n].freq == s->tree[m].freq && s->depth[n] <= s->depth[m]);
}

/* Restores the heap property from node k down. */
static void sift_down(struct state* s, int k) {
  int v = s->heap[k];
  int j = k << 1;
  while (j <= s->heap_len) {
    if (j < s->heap_len && smaller(s, s->heap[j + 1], s->heap[j]))
      j++;
    if (smaller(s, v, s->heap[j]))
      break;
    s->heap[k] = s->heap[j];
    k = j;
    j <<= 1;
  }
  s->heap[k] = v;
}

static void count_symbols(struct state* s, const uint8_t* block, int n) {
  for (int i = 0; i < n; i++)
    s->tree[block[i]].freq++;
  s->tree[256].freq = 1; /* end of block */
}

static int build_tree(struct state* s) {
  s->heap_len = 0;
  s->heap_max = HEAP_SIZE;
  for (int n = 0; n < SYMBOLS; n++) {
    if (s->tree[n].freq != 0) {
      s->heap[++s->heap_len] = n;
      s->depth[n] = 0;
    }
  }
  for (int n = s->heap_len / 2; n >= 1; n--)
    sift_down(s, n);
  int node = SYMBOLS;
  while (s->heap_len >= 2) {
    int n = s->heap[1];
    s->heap[1] = s->heap[s->heap_len--];
    sift_down(s, 1);
    int m = s->heap[1];
    s->heap[--s->heap_max] = n;
    s->heap[--s->heap_max] = m;
    s->tree[node].freq = (uint16_t)(s->tree[n].freq + s->tree[m].freq);
    s->depth[node] = (uint8_t)((s->depth[n] >= s->depth[m] ? s->depth[n] : s->depth[m]) + 1);
    s->tree[n].dad = s->tree[m].dad = (uint16_t)node;
    s->heap[1] = node++;
    sift_down(s, 1);
  }
  return s->depth[node - 1];
}

int main(int argc, char** argv) {
  const int blocks = argc > 1 ? atoi(argv[1]) : 4;
  static const char words[] = "the quick brown fox jumps over the lazy dog while seven "
                              "tired zebras quietly pack boxes of liquor jugs ";
  uint8_t block[BLOCK];
  struct state* s = malloc(sizeof *s);
  unsigned seed = 1;
  for (int b = 0; b < blocks; b++) {
    memset(s, 0, sizeof *s);
    for (int i = 0; i < BLOCK; i++) {
      seed = seed * 1103515245u + 12345u;
      block[i] = (uint8_t)words[(seed >> 16) % (sizeof words - 1)];
    }
    count_symbols(s, block, BLOCK);
    printf("block %d: depth %d\n", b, build_tree(s));
  }
  free(s);
  return 0;
}
