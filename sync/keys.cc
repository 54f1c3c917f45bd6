#include "sync/keys.h"

#include "absl/strings/str_cat.h"

namespace fieldsync {

std::string DocKey(std::string_view kind, std::string_view id) {
  return absl::StrCat(absl::string_view(kind.data(), kind.size()), "/",
                      absl::string_view(id.data(), id.size()));
}

std::string DocKeyPrefix(std::string_view kind) { return DocKey(kind, ""); }

namespace {

std::string PrefixedNumberKey(std::string_view prefix, uint64_t number) {
  std::string key(prefix);
  key.push_back('\0');
  AppendBigEndian64(key, number);
  return key;
}

}  // namespace

std::string HistoryKey(std::string_view doc_key, uint64_t version) {
  return PrefixedNumberKey(doc_key, version);
}

std::string ScopeLogKey(std::string_view scope, uint64_t sequence) {
  return PrefixedNumberKey(scope, sequence);
}

std::string ResultKey(std::string_view device_id, uint64_t mutation_seq) {
  return PrefixedNumberKey(device_id, mutation_seq);
}

std::string SequenceKey(uint64_t sequence) {
  std::string key;
  AppendBigEndian64(key, sequence);
  return key;
}

std::string AggregateKey(std::string_view period, std::string_view area,
                         std::string_view model) {
  std::string key = AggregatePrefix(period, area);
  key.append(model);
  return key;
}

std::string AggregatePrefix(std::string_view period, std::string_view area) {
  std::string key;
  key.reserve(period.size() + area.size() + 2 + 24);
  key.append(period);
  key.push_back('\0');
  key.append(area);
  key.push_back('\0');
  return key;
}

std::optional<AggregateKeyParts> SplitAggregateKey(std::string_view key) {
  std::string_view parts[3];
  for (int i = 0; i < 2; ++i) {
    const size_t nul = key.find('\0');
    if (nul == std::string_view::npos) return std::nullopt;
    parts[i] = key.substr(0, nul);
    key.remove_prefix(nul + 1);
  }
  if (key.find('\0') != std::string_view::npos) return std::nullopt;
  parts[2] = key;
  return AggregateKeyParts{parts[0], parts[1], parts[2]};
}

uint64_t TrailingNumber(std::string_view key) {
  if (key.size() < 8) return 0;
  return ReadBigEndian64(key.substr(key.size() - 8)).value_or(0);
}

void AppendBigEndian64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

std::optional<uint64_t> ReadBigEndian64(std::string_view in) {
  if (in.size() < 8) return std::nullopt;
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<uint8_t>(in[i]);
  }
  return value;
}

}  // namespace fieldsync
