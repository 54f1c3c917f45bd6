// The province report's appendix tables from the live catalogue
// (MonitoringService.ExportAppendix): the printed layout stored with the
// seed, each row filled with the entry as the catalogue holds it now and
// the year's figures reported on it. Pure: the caller reads the store.
#ifndef FIELDSYNC_SERVER_APPENDIX_EXPORT_H_
#define FIELDSYNC_SERVER_APPENDIX_EXPORT_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "fieldsync/v1/appendix.pb.h"
#include "fieldsync/v1/monitoring_service.pb.h"
#include "server/catalogue_index.h"

namespace fieldsync::server {

// Paging limits of ExportAppendix.
inline constexpr int kDefaultAppendixPageSize = 200;
inline constexpr int kMaxAppendixPageSize = 1000;
// The first year an export may ask for: the report's first period.
inline constexpr int kFirstAppendixYear = 2016;

// The year's figures per catalogue entry id.
using FiguresByModel = std::map<std::string, std::vector<v1::AppendixFigure>>;

// Every table and row of an export, in order.
struct AppendixExport {
  std::vector<v1::AppendixTable> tables;  // sections without rows
  std::vector<v1::AppendixRow> rows;
};

// The tables of `layout` restricted to the entries `included` lets through,
// in printed order: a table or section left without a row is dropped, and
// an id the catalogue no longer has is skipped. Included entries that no
// printed row lists (created since the report) follow in a last table,
// appendix "", one section per sector (province level) or owning district,
// numbered from 1.
AppendixExport BuildAppendixExport(
    const CatalogueIndex& index, const v1::AppendixLayout& layout,
    const std::function<bool(const v1::Model&)>& included,
    const FiguresByModel& figures);

// "I", "II", … for 1, 2, … (up to 3999).
std::string RomanNumeral(int n);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_APPENDIX_EXPORT_H_
