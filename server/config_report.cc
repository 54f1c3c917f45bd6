#include "server/config_report.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace fieldsync::server {
namespace {

using cli::Format;
using cli::Language;
using cli::Msg;
using cli::Text;

std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Expected(const ConfigKey& key, Language language) {
  switch (key.type) {
    case ConfigType::kText:
      return std::string(Text(Msg::kCfgExpectText, language));
    case ConfigType::kWholeNumber:
      return Format(Msg::kCfgExpectWholeNumber, language, key.min, key.max);
    case ConfigType::kBool:
      return std::string(Text(Msg::kCfgExpectBool, language));
    case ConfigType::kChoice:
      return Format(Msg::kCfgExpectChoice, language,
                    absl::StrJoin(key.choices, ", "));
  }
  return "";
}

std::string Found(const ConfigProblem& problem, Language language) {
  switch (problem.found_shape) {
    case ConfigShape::kScalar:
      return Quoted(problem.found);
    case ConfigShape::kList:
      return std::string(Text(Msg::kCfgFoundList, language));
    case ConfigShape::kMap:
      return std::string(Text(Msg::kCfgFoundMap, language));
    case ConfigShape::kNothing:
      return std::string(Text(Msg::kCfgFoundNothing, language));
  }
  return "";
}

std::string What(const ConfigProblem& problem, Language language) {
  using Kind = ConfigProblem::Kind;
  switch (problem.kind) {
    case Kind::kMalformed:
      return Format(Msg::kCfgMalformed, language, problem.detail);
    case Kind::kNotAMap:
      return Format(Msg::kCfgNotAMap, language, Found(problem, language));
    case Kind::kUnknownKey: {
      std::string text = Format(Msg::kCfgUnknownKey, language, problem.key);
      if (!problem.suggestion.empty()) {
        return absl::StrCat(
            text, "; ",
            Format(Msg::kCfgDidYouMean, language, problem.suggestion));
      }
      std::vector<std::string> names;
      for (const ConfigKey& key : ConfigKeys()) names.push_back(key.name);
      return absl::StrCat(
          text, "; ",
          Format(Msg::kCfgKnownKeys, language, absl::StrJoin(names, ", ")));
    }
    case Kind::kDuplicateKey:
      return Format(Msg::kCfgDuplicateKey, language, problem.key,
                    problem.first_line);
    case Kind::kWrongType: {
      const ConfigKey* key = FindConfigKey(problem.key);
      return Format(Msg::kCfgWrongType, language, problem.key,
                    key == nullptr ? "" : Expected(*key, language),
                    Found(problem, language));
    }
    case Kind::kBadValue:
      return Format(Msg::kCfgBadValue, language, problem.key, problem.detail);
  }
  return "";
}

}  // namespace

std::string DescribeConfigProblem(const std::string& file,
                                  const ConfigProblem& problem,
                                  Language language) {
  return absl::StrCat(file, ":", problem.line, ":", problem.column, ": ",
                      What(problem, language));
}

std::string EffectiveConfigText(const ServerOptions& options,
                                const ConfigOrigins& origins,
                                Language language) {
  std::string text = origins.file.empty()
                         ? std::string(Text(Msg::kCfgEffectiveNoFile, language))
                         : Format(Msg::kCfgEffective, language, origins.file);
  text += "\n";
  for (const ConfigKey& key : ConfigKeys()) {
    std::string value = ConfigValueText(key, options);
    if (key.secret && !value.empty()) {
      value = std::string(Text(Msg::kCfgHidden, language));
    } else if (key.type == ConfigType::kText ||
               key.type == ConfigType::kChoice) {
      value = Quoted(value);
    }
    std::string origin;
    if (origins.flags.contains(key.name)) {
      origin = Format(Msg::kCfgFromFlag, language, key.flag);
    } else if (auto line = origins.file_lines.find(key.name);
               line != origins.file_lines.end()) {
      origin = Format(Msg::kCfgFromFile, language, origins.file, line->second);
    } else {
      origin = std::string(Text(Msg::kCfgFromDefault, language));
    }
    absl::StrAppend(&text, "  ", key.name, ": ", value, "  # ", origin, "\n");
  }
  return text;
}

}  // namespace fieldsync::server
