#include "server/seed_loader.h"

#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "sync/area_tree.h"
#include "sync/deterministic.h"
#include "sync/keys.h"
#include "sync/scopes.h"
#include "sync/server_replica.h"
#include "sync/status_macros.h"

namespace fieldsync::server {
namespace {

using Json = nlohmann::json;

// The id of the province, owner of every province-level entry.
constexpr std::string_view kProvinceAreaId = "dong-thap";

absl::Status SchemaError(std::string_view where, std::string_view field,
                         std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("seed ", std::string(where), ": field '", std::string(field),
                   "' ", std::string(problem)));
}

// Reads a required string field.
absl::StatusOr<std::string> RequiredString(const Json& obj,
                                           std::string_view where,
                                           const char* field) {
  auto it = obj.find(field);
  if (it == obj.end() || !it->is_string()) {
    return SchemaError(where, field, "is missing or not a string");
  }
  return it->get<std::string>();
}

// Reads a string field that may be absent; "" when absent or null.
std::string OptionalString(const Json& obj, const char* field) {
  auto it = obj.find(field);
  return (it != obj.end() && it->is_string()) ? it->get<std::string>() : "";
}

// Sets a proto3 `optional string` field: unset for JSON null or absent, so an
// empty source cell stays distinguishable from text.
template <typename Setter>
void SetNullable(const Json& obj, const char* field, Setter set) {
  auto it = obj.find(field);
  if (it != obj.end() && it->is_string()) set(it->get<std::string>());
}

// For "_detail" fields the key's presence means "the detailed appendix
// differs"; null there means the detailed cell is empty, kept as "".
template <typename Setter>
void SetDetail(const Json& obj, const char* field, Setter set) {
  auto it = obj.find(field);
  if (it == obj.end()) return;
  set(it->is_string() ? it->get<std::string>() : std::string());
}

template <typename Add>
void AddStrings(const Json& obj, const char* field, Add add) {
  auto it = obj.find(field);
  if (it == obj.end() || !it->is_array()) return;
  for (const Json& item : *it) {
    if (item.is_string()) add(item.get<std::string>());
  }
}

absl::StatusOr<v1::ModelStatus> ParseModelStatus(const std::string& s,
                                                 std::string_view where) {
  if (s == "continuing") return v1::MODEL_STATUS_CONTINUING;
  if (s == "new") return v1::MODEL_STATUS_NEW;
  if (s == "planned") return v1::MODEL_STATUS_PLANNED;
  if (s == "paused") return v1::MODEL_STATUS_PAUSED;
  if (s == "unspecified") return v1::MODEL_STATUS_UNSPECIFIED;
  return SchemaError(where, "status",
                     absl::StrCat("has unknown value '", s, "'"));
}

absl::StatusOr<v1::Model> ParseModel(const Json& m) {
  v1::Model model;
  FS_ASSIGN_OR_RETURN(std::string id, RequiredString(m, "model", "id"));
  const std::string where = absl::StrCat("model ", id);
  model.set_id(id);

  FS_ASSIGN_OR_RETURN(std::string level, RequiredString(m, where, "level"));
  if (level == "province") {
    model.set_level(v1::MODEL_LEVEL_PROVINCE);
    model.set_owner_area_id(std::string(kProvinceAreaId));
    FS_ASSIGN_OR_RETURN(std::string block, RequiredString(m, where, "block"));
    if (block != "kt" && block != "vx") {
      return SchemaError(where, "block",
                         absl::StrCat("has unknown value '", block, "'"));
    }
    model.set_block(block == "kt" ? v1::BLOCK_KT : v1::BLOCK_VX);
    FS_ASSIGN_OR_RETURN(std::string sector,
                        RequiredString(m, where, "sector_slug"));
    model.set_sector_slug(sector);
  } else if (level == "district") {
    model.set_level(v1::MODEL_LEVEL_DISTRICT);
    FS_ASSIGN_OR_RETURN(std::string district,
                        RequiredString(m, where, "district_slug"));
    model.set_owner_area_id(district);
  } else {
    return SchemaError(where, "level",
                       absl::StrCat("has unknown value '", level, "'"));
  }

  FS_ASSIGN_OR_RETURN(std::string kind, RequiredString(m, where, "kind"));
  if (kind == "model") {
    model.set_kind(v1::MODEL_KIND_MODEL);
  } else if (kind == "group") {
    model.set_kind(v1::MODEL_KIND_GROUP);
  } else if (kind == "sub_model") {
    model.set_kind(v1::MODEL_KIND_SUB_MODEL);
    FS_ASSIGN_OR_RETURN(std::string parent,
                        RequiredString(m, where, "parent_id"));
    model.set_parent_id(parent);
  } else {
    return SchemaError(where, "kind",
                       absl::StrCat("has unknown value '", kind, "'"));
  }

  FS_ASSIGN_OR_RETURN(std::string status, RequiredString(m, where, "status"));
  FS_ASSIGN_OR_RETURN(v1::ModelStatus model_status,
                      ParseModelStatus(status, where));
  model.set_status(model_status);

  FS_ASSIGN_OR_RETURN(std::string name, RequiredString(m, where, "name"));
  model.set_name(name);
  SetNullable(m, "implementer",
              [&](std::string v) { model.set_implementer(v); });
  SetNullable(m, "context", [&](std::string v) { model.set_context(v); });
  SetNullable(m, "results", [&](std::string v) { model.set_results(v); });
  SetNullable(m, "issues", [&](std::string v) { model.set_issues(v); });
  SetNullable(m, "plan_2021_2025",
              [&](std::string v) { model.set_plan_2021_2025(v); });
  SetNullable(m, "recommendation",
              [&](std::string v) { model.set_recommendation(v); });
  SetDetail(m, "stt_detail", [&](std::string v) { model.set_stt_detail(v); });
  SetDetail(m, "name_detail", [&](std::string v) { model.set_name_detail(v); });
  SetDetail(m, "implementer_detail",
            [&](std::string v) { model.set_implementer_detail(v); });

  model.set_appendix(OptionalString(m, "appendix"));
  model.set_section(OptionalString(m, "section"));
  model.set_stt(OptionalString(m, "stt"));
  AddStrings(m, "appendices", [&](std::string v) { model.add_appendices(v); });
  AddStrings(m, "area_refs", [&](std::string v) { model.add_area_refs(v); });
  AddStrings(m, "notes", [&](std::string v) { model.add_notes(v); });

  if (auto it = m.find("sources"); it != m.end() && it->is_array()) {
    for (const Json& src : *it) {
      v1::SourceRow* row = model.add_sources();
      row->set_appendix(OptionalString(src, "appendix"));
      row->set_section(OptionalString(src, "section"));
      row->set_stt(OptionalString(src, "stt"));
      row->set_line(src.value("line", 0));
      row->set_end_line(src.value("end_line", 0));
    }
  }
  return model;
}

absl::StatusOr<v1::Sector> ParseSector(const Json& s) {
  v1::Sector sector;
  FS_ASSIGN_OR_RETURN(std::string slug, RequiredString(s, "sector", "slug"));
  const std::string where = absl::StrCat("sector ", slug);
  sector.set_slug(slug);
  FS_ASSIGN_OR_RETURN(std::string title, RequiredString(s, where, "title"));
  sector.set_title(title);
  FS_ASSIGN_OR_RETURN(std::string block, RequiredString(s, where, "block"));
  sector.set_block(block == "kt"   ? v1::BLOCK_KT
                   : block == "vx" ? v1::BLOCK_VX
                                   : v1::BLOCK_UNSPECIFIED);
  return sector;
}

absl::StatusOr<v1::AreaLevel> ParseAreaLevel(const std::string& s,
                                             std::string_view where) {
  if (s == "province") return v1::AREA_LEVEL_PROVINCE;
  if (s == "district") return v1::AREA_LEVEL_DISTRICT;
  if (s == "commune") return v1::AREA_LEVEL_COMMUNE;
  if (s == "hamlet") return v1::AREA_LEVEL_HAMLET;
  return SchemaError(where, "level",
                     absl::StrCat("has unknown value '", s, "'"));
}

absl::StatusOr<v1::AreaType> ParseAreaType(const std::string& s,
                                           std::string_view where) {
  static const std::pair<const char*, v1::AreaType> kTypes[] = {
      {"tinh", v1::AREA_TYPE_TINH},     {"thanh_pho", v1::AREA_TYPE_THANH_PHO},
      {"huyen", v1::AREA_TYPE_HUYEN},   {"xa", v1::AREA_TYPE_XA},
      {"phuong", v1::AREA_TYPE_PHUONG}, {"thi_tran", v1::AREA_TYPE_THI_TRAN},
      {"ap", v1::AREA_TYPE_AP},         {"khom", v1::AREA_TYPE_KHOM},
  };
  for (const auto& [name, type] : kTypes) {
    if (s == name) return type;
  }
  return SchemaError(where, "type",
                     absl::StrCat("has unknown value '", s, "'"));
}

absl::StatusOr<v1::Area> ParseArea(const Json& a) {
  v1::Area area;
  FS_ASSIGN_OR_RETURN(std::string id, RequiredString(a, "area", "id"));
  const std::string where = absl::StrCat("area ", id);
  area.set_id(id);
  area.set_parent_id(OptionalString(a, "parent_id"));
  FS_ASSIGN_OR_RETURN(std::string level, RequiredString(a, where, "level"));
  FS_ASSIGN_OR_RETURN(v1::AreaLevel area_level, ParseAreaLevel(level, where));
  area.set_level(area_level);
  FS_ASSIGN_OR_RETURN(std::string type, RequiredString(a, where, "type"));
  FS_ASSIGN_OR_RETURN(v1::AreaType area_type, ParseAreaType(type, where));
  area.set_type(area_type);
  area.set_type_vi(OptionalString(a, "type_vi"));
  FS_ASSIGN_OR_RETURN(std::string name, RequiredString(a, where, "name"));
  area.set_name(name);
  FS_ASSIGN_OR_RETURN(std::string full_name,
                      RequiredString(a, where, "full_name"));
  area.set_full_name(full_name);
  area.set_path(OptionalString(a, "path"));
  area.set_doubtful(a.value("doubtful", false));
  AddStrings(a, "inferred", [&](std::string v) { area.add_inferred(v); });
  AddStrings(a, "spellings_seen",
             [&](std::string v) { area.add_spellings_seen(v); });
  AddStrings(a, "notes", [&](std::string v) { area.add_notes(v); });
  // Former names ("Thị xã Sa Đéc") are renames in the area's lineage.
  if (auto it = a.find("former"); it != a.end() && it->is_array()) {
    for (const Json& former : *it) {
      v1::AreaLineage* link = area.add_lineage();
      link->set_kind(v1::LINEAGE_KIND_RENAMED_FROM);
      link->set_former_name(OptionalString(former, "former_full_name"));
    }
  }
  return area;
}

absl::StatusOr<Json> ParseJson(std::string_view text, std::string_view what) {
  Json json = Json::parse(text.begin(), text.end(), nullptr,
                          /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("seed ", std::string(what), " is not a JSON object"));
  }
  return json;
}

absl::StatusOr<const Json*> RequiredArray(const Json& obj, const char* field,
                                          std::string_view what) {
  auto it = obj.find(field);
  if (it == obj.end() || !it->is_array()) {
    return SchemaError(what, field, "is missing or not an array");
  }
  return &*it;
}

// One printed table of catalogue.json's `appendices`.
absl::StatusOr<v1::AppendixTable> ParseAppendix(const Json& a) {
  v1::AppendixTable table;
  FS_ASSIGN_OR_RETURN(std::string numeral,
                      RequiredString(a, "appendix", "appendix"));
  const std::string where = absl::StrCat("appendix ", numeral);
  table.set_appendix(numeral);
  FS_ASSIGN_OR_RETURN(std::string kind, RequiredString(a, where, "kind"));
  if (kind != "summary" && kind != "detailed") {
    return SchemaError(where, "kind",
                       absl::StrCat("has unknown value '", kind, "'"));
  }
  table.set_kind(kind == "summary" ? v1::APPENDIX_KIND_SUMMARY
                                   : v1::APPENDIX_KIND_DETAILED);
  FS_ASSIGN_OR_RETURN(std::string level, RequiredString(a, where, "level"));
  if (level != "province" && level != "district") {
    return SchemaError(where, "level",
                       absl::StrCat("has unknown value '", level, "'"));
  }
  table.set_level(level == "province" ? v1::MODEL_LEVEL_PROVINCE
                                      : v1::MODEL_LEVEL_DISTRICT);
  AddStrings(a, "title_lines",
             [&](std::string v) { table.add_title_lines(v); });
  FS_ASSIGN_OR_RETURN(const Json* sections,
                      RequiredArray(a, "sections", where));
  for (const Json& s : *sections) {
    v1::AppendixSection& section = *table.add_sections();
    FS_ASSIGN_OR_RETURN(std::string roman, RequiredString(s, where, "roman"));
    section.set_roman(roman);
    FS_ASSIGN_OR_RETURN(std::string title, RequiredString(s, where, "title"));
    section.set_title(title);
    const std::string in_section = absl::StrCat(where, " section ", roman);
    FS_ASSIGN_OR_RETURN(const Json* rows, RequiredArray(s, "rows", in_section));
    for (const Json& r : *rows) {
      v1::AppendixLayoutRow& row = *section.add_rows();
      row.set_stt(OptionalString(r, "stt"));
      FS_ASSIGN_OR_RETURN(std::string id,
                          RequiredString(r, in_section, "model_id"));
      row.set_model_id(id);
    }
  }
  return table;
}

}  // namespace

absl::StatusOr<Seed> ParseSeed(std::string_view catalogue_json,
                               std::string_view areas_json) {
  Seed seed;
  FS_ASSIGN_OR_RETURN(Json catalogue, ParseJson(catalogue_json, "catalogue"));
  FS_ASSIGN_OR_RETURN(const Json* models,
                      RequiredArray(catalogue, "models", "catalogue"));
  for (const Json& m : *models) {
    FS_ASSIGN_OR_RETURN(v1::Model model, ParseModel(m));
    seed.models.push_back(std::move(model));
  }
  FS_ASSIGN_OR_RETURN(const Json* sectors,
                      RequiredArray(catalogue, "sectors", "catalogue"));
  for (const Json& s : *sectors) {
    FS_ASSIGN_OR_RETURN(v1::Sector sector, ParseSector(s));
    seed.sectors.push_back(std::move(sector));
  }
  FS_ASSIGN_OR_RETURN(const Json* appendices,
                      RequiredArray(catalogue, "appendices", "catalogue"));
  for (const Json& a : *appendices) {
    FS_ASSIGN_OR_RETURN(v1::AppendixTable table, ParseAppendix(a));
    *seed.appendices.add_tables() = std::move(table);
  }
  FS_ASSIGN_OR_RETURN(Json areas_doc, ParseJson(areas_json, "areas"));
  FS_ASSIGN_OR_RETURN(const Json* areas,
                      RequiredArray(areas_doc, "areas", "areas"));
  for (const Json& a : *areas) {
    FS_ASSIGN_OR_RETURN(v1::Area area, ParseArea(a));
    area.set_position(static_cast<int32_t>(seed.areas.size()));
    seed.areas.push_back(std::move(area));
  }
  return seed;
}

absl::StatusOr<bool> SeedLoaded(Store& store) {
  FS_ASSIGN_OR_RETURN(std::optional<std::string> loaded,
                      store.GetMeta(kSeedLoadedMetaKey));
  return loaded.has_value();
}

absl::StatusOr<LoadResult> LoadSeedOnce(Store& store, const Seed& seed) {
  FS_ASSIGN_OR_RETURN(bool loaded, SeedLoaded(store));
  if (loaded) {
    FS_ASSIGN_OR_RETURN(std::optional<std::string> layout,
                        store.GetMeta(kAppendixLayoutMetaKey));
    if (!layout.has_value()) {
      WriteSet writes;
      writes.PutMeta(std::string(kAppendixLayoutMetaKey),
                     DeterministicBytes(seed.appendices));
      FS_RETURN_IF_ERROR(store.Apply(writes));
    }
    return LoadResult{.loaded = false, .documents = 0};
  }
  FS_ASSIGN_OR_RETURN(AreaTree areas, AreaTree::Build(seed.areas));

  // Versions are server sequence numbers; the seed takes 1..N, with history
  // and scope-log entries like any change, so devices pull it.
  WriteSet writes;
  uint64_t version = 0;
  auto add = [&](std::string key, auto set_body) {
    v1::Document doc;
    doc.set_key(std::move(key));
    doc.set_version(++version);
    set_body(doc);
    for (std::string& scope : ScopesOf(doc, areas)) doc.add_scopes(scope);
    AddDocument(writes, std::make_shared<const v1::Document>(std::move(doc)));
  };
  for (const v1::Area& area : seed.areas) {
    add(DocKey(kAreaKind, area.id()),
        [&](v1::Document& d) { *d.mutable_area() = area; });
  }
  for (const v1::Sector& sector : seed.sectors) {
    add(DocKey(kSectorKind, sector.slug()),
        [&](v1::Document& d) { *d.mutable_sector() = sector; });
  }
  for (const v1::Model& model : seed.models) {
    add(DocKey(kModelKind, model.id()),
        [&](v1::Document& d) { *d.mutable_model() = model; });
  }
  writes.PutMeta(std::string(kLastSequenceMetaKey), SequenceKey(version));
  writes.PutMeta(std::string(kAppendixLayoutMetaKey),
                 DeterministicBytes(seed.appendices));
  writes.PutMeta(std::string(kSeedLoadedMetaKey), absl::StrCat(version));
  FS_RETURN_IF_ERROR(store.Apply(writes));
  return LoadResult{.loaded = true, .documents = version};
}

}  // namespace fieldsync::server
