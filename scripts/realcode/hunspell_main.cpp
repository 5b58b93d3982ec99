// Workload for scripts/realcode-test: drives Hunspell 1.3 (C++, bundled by the nodehun
// npm package) with a fixed list of words: spell check, suggestions, stems.
#include "hunspell.hxx"

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s AFF DIC\n", argv[0]);
    return 2;
  }
  Hunspell speller(argv[1], argv[2], static_cast<const char*>(nullptr));
  const char* words[] = {"hello", "wrold", "colour", "color", "recieve", "testing", "zzzx"};
  int wrong = 0;
  for (const char* w : words) {
    bool ok = speller.spell(w) != 0;
    std::printf("%s: %s", w, ok ? "ok" : "misspelled");
    char** list = nullptr;
    int n = ok ? speller.stem(&list, w) : speller.suggest(&list, w);
    for (int i = 0; i < n && i < 3; ++i)
      std::printf(" %s", list[i]);
    speller.free_list(&list, n);
    std::printf("\n");
    wrong += ok ? 0 : 1;
  }
  return wrong;
}
