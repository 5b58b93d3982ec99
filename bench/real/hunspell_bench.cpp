// Benchmark workload for scripts/bench: drives Hunspell 1.3 (C++, bundled by the nodehun
// npm package) with its en_US dictionary: load, then spell-check a deterministic list of
// words taken from the dictionary with every 4th one altered, and ask suggestions for
// some of the misspelled ones. Prints counts and the first suggestions.
// usage: hunspell_bench AFF DIC WORDS [CHECKS]   (WORDS: one word a line; default 10000)
#include "hunspell.hxx"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s AFF DIC WORDS [CHECKS]\n", argv[0]);
    return 2;
  }
  size_t count = static_cast<size_t>(argc > 4 ? std::atoi(argv[4]) : 10000);
  Hunspell speller(argv[1], argv[2], static_cast<const char*>(nullptr));
  std::ifstream in(argv[3]);
  std::vector<std::string> words;
  for (std::string w; std::getline(in, w);)
    if (!w.empty())
      words.push_back(w);
  unsigned x = 7;
  int good = 0, bad = 0, suggested = 0;
  for (size_t i = 0; i < count && !words.empty(); ++i) {
    x = x * 1103515245u + 12345u;
    std::string w = words[(x >> 8) % words.size()];
    if (i % 4 == 3 && w.size() > 2)
      std::swap(w[1], w[2]); // a typo
    if (speller.spell(w.c_str())) {
      ++good;
      continue;
    }
    ++bad;
    if (bad % 25 != 1)
      continue;
    char** list = nullptr;
    int n = speller.suggest(&list, w.c_str());
    suggested += n;
    std::printf("%s:", w.c_str());
    for (int k = 0; k < n && k < 3; ++k)
      std::printf(" %s", list[k]);
    std::printf("\n");
    speller.free_list(&list, n);
  }
  std::printf("good=%d bad=%d suggestions=%d\n", good, bad, suggested);
  return 0;
}
