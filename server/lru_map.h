// A map of fixed capacity that forgets its least recently used entry to
// make room: for what the server keeps about callers it cannot trust (source
// addresses, refused calls), so that no caller can make it grow. Not
// thread-safe: its owner locks.
#ifndef FIELDSYNC_SERVER_LRU_MAP_H_
#define FIELDSYNC_SERVER_LRU_MAP_H_

#include <cstddef>
#include <list>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace fieldsync::server {

template <typename Key, typename Value>
class LruMap {
 public:
  // `capacity` must be at least 1.
  explicit LruMap(size_t capacity) : capacity_(capacity) {}

  // The entry for `key`, now the most recently used; null if absent.
  Value* Find(const Key& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }

  // The entry for `key`, made (value-initialized) if absent, evicting the
  // least recently used entry when full; `evicted`, if given, receives
  // the entry evicted.
  Value& FindOrAdd(const Key& key,
                   std::optional<std::pair<Key, Value>>* evicted = nullptr) {
    if (Value* found = Find(key)) return *found;
    if (index_.size() == capacity_) {
      index_.erase(order_.back().first);
      if (evicted != nullptr) *evicted = std::move(order_.back());
      order_.pop_back();
    }
    order_.emplace_front(key, Value());
    index_.emplace(key, order_.begin());
    return order_.front().second;
  }

  void Erase(const Key& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    order_.erase(it->second);
    index_.erase(it);
  }

  // Removes and returns every entry, most recently used first.
  std::list<std::pair<Key, Value>> TakeAll() {
    index_.clear();
    return std::exchange(order_, {});
  }

  size_t size() const { return index_.size(); }
  size_t capacity() const { return capacity_; }

 private:
  using Entries = std::list<std::pair<Key, Value>>;

  const size_t capacity_;
  Entries order_;  // most recently used first
  absl::flat_hash_map<Key, typename Entries::iterator> index_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_LRU_MAP_H_
