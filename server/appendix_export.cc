#include "server/appendix_export.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace fieldsync::server {
namespace {

// A row of `table`'s `section` for `model`.
v1::AppendixRow RowOf(const v1::AppendixTable& table,
                      const v1::AppendixSection& section, std::string stt,
                      const v1::Model& model, const FiguresByModel& figures) {
  v1::AppendixRow row;
  row.set_appendix(table.appendix());
  row.set_section(section.roman());
  row.set_stt(std::move(stt));
  row.set_model_id(model.id());
  row.set_kind(model.kind());
  row.set_status(model.status());
  row.set_name(model.name());
  if (model.has_implementer()) row.set_implementer(model.implementer());
  if (table.kind() == v1::APPENDIX_KIND_DETAILED) {
    if (model.has_context()) row.set_context(model.context());
    if (model.has_results()) row.set_results(model.results());
    if (model.has_issues()) row.set_issues(model.issues());
    if (model.has_plan_2021_2025()) {
      row.set_plan_2021_2025(model.plan_2021_2025());
    }
    if (model.has_recommendation()) {
      row.set_recommendation(model.recommendation());
    }
  }
  if (auto it = figures.find(model.id()); it != figures.end()) {
    for (const v1::AppendixFigure& figure : it->second) {
      *row.add_figures() = figure;
    }
  }
  return row;
}

// The section an unprinted entry is listed under: its sector's title at
// province level, its owning district's name at district level.
std::pair<int, std::string> UnprintedSectionOf(const CatalogueIndex& index,
                                               const v1::Model& model) {
  if (model.level() == v1::MODEL_LEVEL_PROVINCE) {
    const v1::Sector* sector = index.FindSector(model.sector_slug());
    return {0, sector != nullptr ? sector->title() : model.sector_slug()};
  }
  const v1::Area* owner = index.areas().Find(model.owner_area_id());
  return {1, owner != nullptr ? owner->full_name() : model.owner_area_id()};
}

}  // namespace

std::string RomanNumeral(int n) {
  static const std::pair<int, const char*> kDigits[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"},
      {90, "XC"},  {50, "L"},   {40, "XL"}, {10, "X"},   {9, "IX"},
      {5, "V"},    {4, "IV"},   {1, "I"}};
  std::string out;
  for (const auto& [value, digits] : kDigits) {
    for (; n >= value; n -= value) out += digits;
  }
  return out;
}

AppendixExport BuildAppendixExport(
    const CatalogueIndex& index, const v1::AppendixLayout& layout,
    const std::function<bool(const v1::Model&)>& included,
    const FiguresByModel& figures) {
  AppendixExport out;
  std::set<std::string> printed;
  for (const v1::AppendixTable& table : layout.tables()) {
    v1::AppendixTable heading = table;
    heading.clear_sections();
    for (const v1::AppendixSection& section : table.sections()) {
      bool any = false;
      for (const v1::AppendixLayoutRow& at : section.rows()) {
        printed.insert(at.model_id());
        const v1::Model* model = index.FindModel(at.model_id());
        if (model == nullptr || !included(*model)) continue;
        out.rows.push_back(RowOf(table, section, at.stt(), *model, figures));
        any = true;
      }
      if (!any) continue;
      v1::AppendixSection& title = *heading.add_sections();
      title.set_roman(section.roman());
      title.set_title(section.title());
    }
    if (heading.sections_size() > 0) out.tables.push_back(std::move(heading));
  }

  // Entries created since the report, grouped by level and section title.
  std::map<std::pair<int, std::string>, std::vector<const v1::Model*>> later;
  for (const v1::Model* model : index.Models()) {
    if (printed.count(model->id()) > 0 || !included(*model)) continue;
    later[UnprintedSectionOf(index, *model)].push_back(model);
  }
  if (later.empty()) return out;
  v1::AppendixTable table;
  table.set_kind(v1::APPENDIX_KIND_DETAILED);
  int stt = 0;
  for (const auto& [key, models] : later) {
    v1::AppendixSection& section = *table.add_sections();
    section.set_roman(RomanNumeral(table.sections_size()));
    section.set_title(key.second);
    for (const v1::Model* model : models) {
      out.rows.push_back(
          RowOf(table, section, absl::StrCat(++stt), *model, figures));
    }
  }
  out.tables.push_back(std::move(table));
  return out;
}

}  // namespace fieldsync::server
