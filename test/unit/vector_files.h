// Helpers for the unit tests: locating and parsing the golden vector files
// (test/vectors/, read-only test data) and the docs that hold checked examples.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace test_vectors {

// A missing file fails the calling test: a test must never pass on no data.
inline std::string existing(std::string file) {
  if (!std::filesystem::is_regular_file(file))
    ADD_FAILURE() << "test data missing: " << file;
  return file;
}

// test/vectors/<name>
inline std::string path(const std::string& name) {
  return existing(std::string(TRACE_RECORD_VECTORS_DIR) + "/" + name);
}

// docs/<name> (the worked example of docs/consumer-contract.md §8 is checked byte for byte)
inline std::string doc_path(const std::string& name) {
  return existing(std::string(TRACE_RECORD_DOCS_DIR) + "/" + name);
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
