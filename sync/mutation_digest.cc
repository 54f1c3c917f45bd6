#include "sync/mutation_digest.h"

#include <string_view>

namespace fieldsync {
namespace {

class Fnv1a64 {
 public:
  void Add(uint64_t n) {
    for (int i = 0; i < 8; ++i) Byte(static_cast<unsigned char>(n >> (8 * i)));
  }
  void Add(std::string_view s) {
    Add(static_cast<uint64_t>(s.size()));
    for (char c : s) Byte(static_cast<unsigned char>(c));
  }
  uint64_t hash() const { return hash_; }

 private:
  void Byte(unsigned char c) { hash_ = (hash_ ^ c) * 1099511628211ull; }
  uint64_t hash_ = 14695981039346656037ull;
};

}  // namespace

uint64_t MutationDigest(const v1::Mutation& m) {
  Fnv1a64 h;
  h.Add(m.key());
  h.Add(m.base_version());
  h.Add(static_cast<uint64_t>(m.delete_()));
  h.Add(static_cast<uint64_t>(m.sets_size()));
  for (const v1::FieldSet& set : m.sets()) {
    h.Add(set.path());
    h.Add(set.value());
  }
  return h.hash() == 0 ? 1 : h.hash();
}

}  // namespace fieldsync
