// Helpers for the unit tests: locating and parsing the golden vector files.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace test_vectors {

inline std::string path(const std::string& name) {
  return std::string(TRACE_RECORD_VECTORS_DIR) + "/" + name;
}

inline std::string read_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "### name" blocks followed by "JSON: ..." (and "CBOR: ...") lines.
struct Block {
  std::string name;
  std::string json;
  std::string cbor;
};
inline std::vector<Block> read_blocks(const std::string& name) {
  std::ifstream in(path(name));
  std::vector<Block> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("### ", 0) == 0) {
      out.push_back({line.substr(4), "", ""});
    } else if (!out.empty() && line.rfind("JSON: ", 0) == 0) {
      out.back().json = line.substr(6);
    } else if (!out.empty() && line.rfind("CBOR: ", 0) == 0) {
      out.back().cbor = line.substr(6);
    }
  }
  return out;
}

} // namespace test_vectors
