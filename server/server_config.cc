#include "server/server_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <optional>
#include <type_traits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "server/listen_address.h"

namespace fieldsync::server {
namespace {

// ServerOptions::block_cache_mb is a size_t; the table points at it as the
// uint64_t it is on the 64-bit targets we build for.
static_assert(std::is_same_v<size_t, uint64_t>);

// Captureless lambdas convert to the table's plain function pointers.
const std::vector<ConfigKey>& KeyTable() {
  static const auto* keys = new std::vector<ConfigKey>{
      {.name = "listen",
       .flag = "--listen",
       .type = ConfigType::kText,
       .text = [](ServerOptions& o) { return &o.listen; }},
      {.name = "data_dir",
       .flag = "--data-dir",
       .type = ConfigType::kText,
       .text = [](ServerOptions& o) { return &o.data_dir; }},
      {.name = "durability",
       .flag = "--durability",
       .type = ConfigType::kChoice,
       .choices = {"sync", "relaxed"},
       .text = [](ServerOptions& o) { return &o.durability; }},
      {.name = "log_retention",
       .flag = "--log-retention",
       .type = ConfigType::kWholeNumber,
       .min = 0,
       .max = UINT64_MAX,
       .number = [](ServerOptions& o) { return &o.log_retention; }},
      {.name = "block_cache_mb",
       .flag = "--block-cache-mb",
       .type = ConfigType::kWholeNumber,
       .min = kMinBlockCacheMb,
       .max = kMaxBlockCacheMb,
       .number = [](ServerOptions& o) { return &o.block_cache_mb; }},
      {.name = "tls_cert",
       .flag = "--tls-cert",
       .type = ConfigType::kText,
       .text = [](ServerOptions& o) { return &o.tls.cert_file; }},
      {.name = "tls_key",
       .flag = "--tls-key",
       .type = ConfigType::kText,
       .secret = true,
       .text = [](ServerOptions& o) { return &o.tls.key_file; }},
      {.name = "tls_client_ca",
       .flag = "--tls-client-ca",
       .type = ConfigType::kText,
       .text = [](ServerOptions& o) { return &o.tls.client_ca_file; }},
      {.name = "tls_self_signed",
       .flag = "--tls-self-signed",
       .type = ConfigType::kBool,
       .boolean = [](ServerOptions& o) { return &o.tls.self_signed; }},
      {.name = "plaintext",
       .flag = "--plaintext",
       .type = ConfigType::kBool,
       .boolean = [](ServerOptions& o) { return &o.tls.plaintext; }},
      {.name = "dev_device_header",
       .flag = "--dev-device-header",
       .type = ConfigType::kBool,
       .boolean = [](ServerOptions& o) { return &o.dev_device_header; }},
      {.name = "metrics_listen",
       .flag = "--metrics-listen",
       .type = ConfigType::kText,
       .text = [](ServerOptions& o) { return &o.metrics_listen; }},
      {.name = "metrics_allow_remote",
       .flag = "--metrics-allow-remote",
       .type = ConfigType::kBool,
       .boolean = [](ServerOptions& o) { return &o.metrics_allow_remote; }},
  };
  return *keys;
}

// yaml-cpp counts lines and columns from 0, and marks a node it made up
// (an empty value) with -1: fall back on the key's position.
int Line(const YAML::Mark& mark, int fallback = 0) {
  return mark.line >= 0 ? mark.line + 1 : fallback;
}
int Column(const YAML::Mark& mark, int fallback = 0) {
  return mark.column >= 0 ? mark.column + 1 : fallback;
}

ConfigShape ShapeOf(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return ConfigShape::kScalar;
    case YAML::NodeType::Sequence:
      return ConfigShape::kList;
    case YAML::NodeType::Map:
      return ConfigShape::kMap;
    default:
      return ConfigShape::kNothing;
  }
}

// A quoted scalar ("256") is text in YAML, even if it reads like a number:
// yaml-cpp tags it "!", a plain one "?".
bool IsPlainScalar(const YAML::Node& node) {
  return node.IsScalar() && node.Tag() != "!";
}

// Sets `key` from `value`; a problem instead when it does not fit.
std::optional<ConfigProblem> Apply(const ConfigKey& key,
                                   const YAML::Node& value,
                                   ServerOptions& options) {
  ConfigProblem wrong{.kind = ConfigProblem::Kind::kWrongType,
                      .key = key.name,
                      .found_shape = ShapeOf(value)};
  if (value.IsScalar()) wrong.found = value.Scalar();
  switch (key.type) {
    case ConfigType::kText:
    case ConfigType::kChoice: {
      if (!value.IsScalar()) return wrong;
      const std::string& text = value.Scalar();
      if (key.type == ConfigType::kChoice &&
          std::none_of(key.choices.begin(), key.choices.end(),
                       [&](const char* c) { return text == c; })) {
        return wrong;
      }
      if (std::string(key.name) == "metrics_listen" && !text.empty()) {
        absl::StatusOr<ListenAddress> address = ParseListenAddress(text);
        if (!address.ok()) {
          return ConfigProblem{
              .kind = ConfigProblem::Kind::kBadValue,
              .key = key.name,
              .found = text,
              .detail = std::string(address.status().message())};
        }
      }
      if (std::string(key.name) == "listen") {
        absl::StatusOr<ListenAddress> address = ParseListenAddress(text);
        if (!address.ok()) {
          return ConfigProblem{
              .kind = ConfigProblem::Kind::kBadValue,
              .key = key.name,
              .found = text,
              .detail = std::string(address.status().message())};
        }
      }
      *key.text(options) = text;
      return std::nullopt;
    }
    case ConfigType::kWholeNumber: {
      uint64_t number = 0;
      if (!IsPlainScalar(value) || !absl::SimpleAtoi(value.Scalar(), &number) ||
          value.Scalar().find_first_of("+- ") != std::string::npos ||
          number < key.min || number > key.max) {
        return wrong;
      }
      *key.number(options) = number;
      return std::nullopt;
    }
    case ConfigType::kBool: {
      // YAML 1.2's booleans only: "yes" and "on" were booleans in YAML 1.1
      // and are text in 1.2, so a file should not depend on either reading.
      if (!IsPlainScalar(value)) return wrong;
      const std::string lower = absl::AsciiStrToLower(value.Scalar());
      if (lower != "true" && lower != "false") return wrong;
      *key.boolean(options) = lower == "true";
      return std::nullopt;
    }
  }
  return wrong;
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::span<const ConfigKey> ConfigKeys() { return KeyTable(); }

const ConfigKey* FindConfigKey(const std::string& name) {
  for (const ConfigKey& key : KeyTable()) {
    if (name == key.name) return &key;
  }
  return nullptr;
}

std::string ConfigValueText(const ConfigKey& key,
                            const ServerOptions& options) {
  // The accessors take a mutable ServerOptions; a copy keeps this const.
  ServerOptions copy = options;
  if (key.text != nullptr) return *key.text(copy);
  if (key.number != nullptr) return absl::StrCat(*key.number(copy));
  return *key.boolean(copy) ? "true" : "false";
}

std::string NearestConfigKey(const std::string& name) {
  // Flag spellings ("data-dir", "--data-dir", "Data_Dir") are the same key.
  std::string normal = absl::AsciiStrToLower(name);
  normal.erase(0, normal.find_first_not_of('-'));
  absl::StrReplaceAll({{"-", "_"}}, &normal);
  std::string best;
  size_t best_distance = 4;  // farther than 3 edits is no suggestion
  for (const ConfigKey& key : KeyTable()) {
    const size_t d = EditDistance(normal, key.name);
    if (d < best_distance) {
      best_distance = d;
      best = key.name;
    }
  }
  // Short names are within 3 edits of too much: ask for half of them right.
  if (!best.empty() && best_distance > 0 && best_distance * 2 > best.size()) {
    return "";
  }
  return best;
}

ParsedConfig ParseServerConfig(const std::string& yaml,
                               const ServerOptions& base) {
  ParsedConfig parsed{.options = base};
  YAML::Node root;
  // yaml-cpp reports malformed input by exception; it stops here.
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    parsed.problems.push_back({.kind = ConfigProblem::Kind::kMalformed,
                               .line = Line(e.mark, 1),
                               .column = Column(e.mark, 1),
                               .detail = e.msg});
    return parsed;
  }
  if (root.IsNull()) return parsed;  // an empty file sets nothing
  if (!root.IsMap()) {
    parsed.problems.push_back({.kind = ConfigProblem::Kind::kNotAMap,
                               .line = Line(root.Mark(), 1),
                               .column = Column(root.Mark(), 1),
                               .found_shape = ShapeOf(root)});
    return parsed;
  }
  for (const auto& entry : root) {
    const YAML::Node& name_node = entry.first;
    const YAML::Node& value = entry.second;
    const int line = Line(name_node.Mark(), 1);
    const int column = Column(name_node.Mark(), 1);
    const std::string name =
        name_node.IsScalar() ? name_node.Scalar() : std::string();
    const ConfigKey* key = FindConfigKey(name);
    if (key == nullptr) {
      parsed.problems.push_back({.kind = ConfigProblem::Kind::kUnknownKey,
                                 .key = name,
                                 .line = line,
                                 .column = column,
                                 .suggestion = NearestConfigKey(name)});
      continue;
    }
    if (auto first = parsed.lines.find(name); first != parsed.lines.end()) {
      parsed.problems.push_back({.kind = ConfigProblem::Kind::kDuplicateKey,
                                 .key = name,
                                 .line = line,
                                 .column = column,
                                 .first_line = first->second});
      continue;
    }
    parsed.lines[name] = line;
    if (std::optional<ConfigProblem> problem =
            Apply(*key, value, parsed.options)) {
      // The value's own position; the key's for an empty value, which
      // yaml-cpp marks where the next token starts.
      if (value.IsNull()) {
        problem->line = line;
        problem->column = column;
      } else {
        problem->line = Line(value.Mark(), line);
        problem->column = Column(value.Mark(), column);
      }
      parsed.problems.push_back(*std::move(problem));
    }
  }
  return parsed;
}

absl::StatusOr<std::string> ReadConfigFile(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"),
                                             &std::fclose);
  if (file == nullptr) {
    const int error = errno;
    return absl::ErrnoToStatus(error, path);
  }
  std::string text;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    text.append(buffer, n);
  }
  if (std::ferror(file.get())) {
    // Reading a folder fails here (EISDIR), not in fopen.
    const int error = errno;
    return absl::ErrnoToStatus(error, path);
  }
  return text;
}

}  // namespace fieldsync::server
