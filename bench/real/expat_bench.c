/* Benchmark workload for scripts/bench: drives libexpat (C, bundled by the node-expat npm
 * package) over a generated XML document (elements, attributes, text, entities),
 * parsed in small chunks several times; prints counts and a checksum.
 * usage: expat_bench [RECORDS]   (default 10000; deterministic output) */
#include "expat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct stats {
  unsigned long elements, attributes, text_bytes, depth, max_depth, hash;
};

static void mix(struct stats *s, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    s->hash = (s->hash ^ (unsigned char)p[i]) * 1099511628211ul;
}

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **atts) {
  struct stats *s = data;
  s->elements++;
  if (++s->depth > s->max_depth)
    s->max_depth = s->depth;
  mix(s, name, strlen(name));
  for (int i = 0; atts[i]; i += 2) {
    s->attributes++;
    mix(s, atts[i + 1], strlen(atts[i + 1]));
  }
}

static void XMLCALL on_end(void *data, const XML_Char *name) {
  (void)name;
  ((struct stats *)data)->depth--;
}

static void XMLCALL on_text(void *data, const XML_Char *text, int len) {
  struct stats *s = data;
  s->text_bytes += (unsigned long)len;
  mix(s, text, (size_t)len);
}

int main(int argc, char **argv) {
  int records = argc > 1 ? atoi(argv[1]) : 10000;
  size_t cap = (size_t)records * 256 + 256, len = 0;
  char *doc = malloc(cap);
  len += (size_t)sprintf(doc + len, "<?xml version=\"1.0\"?>\n<catalog version=\"2\">\n");
  unsigned x = 42;
  for (int i = 0; i < records; i++) {
    x = x * 1103515245u + 12345u;
    len += (size_t)sprintf(doc + len,
                           "<book id=\"b%d\" lang=\"%s\"><title>Title &amp; %u</title>"
                           "<author>A. Writer %u</author><price cur=\"EUR\">%u.%02u</price>"
                           "<tags><t>x%u</t><t>y%u</t></tags></book>\n",
                           i, (x & 1) ? "en" : "fr", x % 100000u, (x >> 8) % 977u,
                           (x >> 4) % 90u, (x >> 12) % 100u, x % 13u, x % 7u);
  }
  len += (size_t)sprintf(doc + len, "</catalog>\n");
  struct stats total = {0};
  for (int pass = 0; pass < 3; pass++) {
    struct stats s = {0};
    s.hash = 14695981039346656037ul;
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, &s);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    for (size_t off = 0; off < len; off += 4096) {
      size_t n = len - off < 4096 ? len - off : 4096;
      if (XML_Parse(p, doc + off, (int)n, off + n == len) == XML_STATUS_ERROR) {
        printf("error: %s at line %lu\n", XML_ErrorString(XML_GetErrorCode(p)),
               (unsigned long)XML_GetCurrentLineNumber(p));
        return 1;
      }
    }
    XML_ParserFree(p);
    total.elements += s.elements;
    total.attributes += s.attributes;
    total.text_bytes += s.text_bytes;
    total.max_depth = s.max_depth;
    total.hash ^= s.hash + (unsigned long)pass;
  }
  printf("bytes=%zu elements=%lu attributes=%lu text=%lu depth=%lu hash=%016lx\n", len,
         total.elements, total.attributes, total.text_bytes, total.max_depth, total.hash);
  free(doc);
  return 0;
}
